//! Hearing a stretch of speech as digits only: the second reading of a callback number.
//!
//! Whisper, decoding freely, writes what its language model expects as much as what it hears:
//! repeated digits merged ("3, 3" written once), a digit swallowed into the word before, a digit
//! heard as a word ("Nice" for nine). Read again with its decoder allowed nothing but digits
//! (numerals, digit words and "oh"), separators and the end of the text, the same model has to
//! say which digit each sound is, and its probabilities say how sure it is of every one.
//!
//! The window given to the encoder ends where the number ends, so the model's wish to stop
//! says that the number is over; the words said before the number in that window are given as
//! forced text, so the model knows where in the audio the number begins. A small beam search
//! keeps the likeliest digit strings. A caller's prior on whole strings (what phone numbers
//! look like) is added when a string ends, and the search does not stop before a string the
//! prior finds plausible has ended, so a reading one digit short of a phone number always meets
//! its full-length rivals.

use whisper_rs::{WhisperContext, WhisperError, WhisperState, WhisperTokenId};

use super::DigitReading;
use crate::lexicon::DIGIT_WORDS;

/// The tokens that stand for digits, separators and the start and end of a text, of one model.
#[derive(Debug, Clone)]
pub(crate) struct DigitVocab {
    /// For each digit, the tokens that say it: numerals with and without a leading space, digit
    /// words in lower and title case, and for zero "oh".
    forms: [Vec<WhisperTokenId>; 10],
    /// Punctuation whisper puts between digits.
    seps: Vec<WhisperTokenId>,
    /// End of text.
    eot: WhisperTokenId,
    /// The start of a transcription without timestamps: start-of-transcript, language and
    /// task (multilingual models), no-timestamps.
    head: Vec<WhisperTokenId>,
}

/// The tokens of `text`. whisper_tokenize writes at most one token per byte, so room for one
/// per byte is always enough.
pub(crate) fn tokenize(
    ctx: &WhisperContext,
    text: &str,
) -> Result<Vec<WhisperTokenId>, WhisperError> {
    ctx.tokenize(text, text.len() + 8)
}

/// The single token `text` is, if it is one.
fn single_token(ctx: &WhisperContext, text: &str) -> Option<WhisperTokenId> {
    let t = tokenize(ctx, text).ok()?;
    (t.len() == 1).then(|| t[0])
}

fn title(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn push_unique(ids: &mut Vec<WhisperTokenId>, id: Option<WhisperTokenId>) {
    if let Some(id) = id.filter(|i| !ids.contains(i)) {
        ids.push(id);
    }
}

impl DigitVocab {
    /// The vocabulary of `ctx`'s model; `lang_id` is whisper's id of the spoken language
    /// (used by multilingual models only). `None` when a digit has no single-token form.
    pub(crate) fn new(ctx: &WhisperContext, lang_id: i32) -> Option<Self> {
        let mut forms: [Vec<WhisperTokenId>; 10] = Default::default();
        for (d, f) in forms.iter_mut().enumerate() {
            let word = DIGIT_WORDS[d];
            let mut texts = vec![
                format!(" {d}"),
                format!("{d}"),
                format!(" {word}"),
                format!(" {}", title(word)),
                word.to_string(),
                title(word),
            ];
            if d == 0 {
                texts.extend([" oh", " Oh", "oh", "Oh", " O", "O"].map(String::from));
            }
            for t in texts {
                push_unique(f, single_token(ctx, &t));
            }
            if f.is_empty() {
                return None;
            }
        }
        let mut seps = Vec::new();
        for t in [",", ".", "-", " -", "/", "...", " ..."] {
            push_unique(&mut seps, single_token(ctx, t));
        }
        let mut head = vec![ctx.token_sot()];
        if ctx.is_multilingual() {
            head.push(ctx.token_lang(lang_id));
            head.push(ctx.token_transcribe());
        }
        head.push(ctx.token_not());
        Some(DigitVocab {
            forms,
            seps,
            eot: ctx.token_eot(),
            head,
        })
    }

    /// The tokens a transcription without timestamps starts with.
    pub(crate) fn head(&self) -> &[WhisperTokenId] {
        &self.head
    }
}

/// The model's next-token distribution, as far as digits are concerned: log-probabilities
/// renormalised over the allowed tokens.
#[derive(Debug, Clone)]
struct Step {
    /// Each digit (any of its forms).
    digit: [f64; 10],
    /// The likeliest form of each digit.
    form: [WhisperTokenId; 10],
    /// A separator, and the likeliest one.
    sep: f64,
    sep_token: WhisperTokenId,
    /// The end of the text.
    end: f64,
    /// The share of the model's whole next-token probability that the allowed tokens hold, as
    /// a log: added to a step's renormalised log-probabilities, it gives the model's own.
    allowed: f64,
}

fn log_sum_exp(xs: impl Iterator<Item = f64> + Clone) -> f64 {
    let m = xs.clone().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + xs.map(|x| (x - m).exp()).sum::<f64>().ln()
}

/// The log of the sum of the exponentials of all `logits`: subtracted from a logit, it gives
/// the model's log-probability of that token.
fn log_softmax_base(logits: &[f32]) -> f64 {
    let m = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f64 = logits.iter().map(|&x| f64::from(x - m).exp()).sum();
    f64::from(m) + sum.ln()
}

/// The likeliest of `ids` and the log of their summed probability (unnormalised).
fn best_of(ids: &[WhisperTokenId], at: impl Fn(WhisperTokenId) -> f64) -> (WhisperTokenId, f64) {
    let best = ids
        .iter()
        .copied()
        .max_by(|&a, &b| at(a).total_cmp(&at(b)))
        .unwrap_or_default();
    (best, log_sum_exp(ids.iter().map(|&i| at(i))))
}

impl Step {
    fn from_logits(logits: &[f32], v: &DigitVocab) -> Step {
        let at = |id: WhisperTokenId| {
            usize::try_from(id)
                .ok()
                .and_then(|i| logits.get(i))
                .map_or(f64::NEG_INFINITY, |&x| f64::from(x))
        };
        let mut digit = [f64::NEG_INFINITY; 10];
        let mut form = [0; 10];
        for d in 0..10 {
            (form[d], digit[d]) = best_of(&v.forms[d], at);
        }
        let (sep_token, sep) = best_of(&v.seps, at);
        let end = at(v.eot);
        let all = log_sum_exp(digit.iter().copied().chain([sep, end]));
        Step {
            digit: digit.map(|x| x - all),
            form,
            sep: sep - all,
            sep_token,
            end: end - all,
            allowed: all - log_softmax_base(logits),
        }
    }

    /// The ten digits' probabilities, given that a digit comes next.
    fn digit_posterior(&self) -> [f32; 10] {
        let z = log_sum_exp(self.digit.iter().copied());
        self.digit.map(|x| (x - z).exp() as f32)
    }
}

/// The decoder's key-value cache as a token sequence: decodes only what the cache lacks.
struct Cache<'a> {
    state: &'a mut WhisperState,
    vocab: &'a DigitVocab,
    /// The tokens whose keys and values the cache holds, in order.
    held: Vec<WhisperTokenId>,
    threads: usize,
}

impl Cache<'_> {
    /// The next-token distribution after `seq` (not empty). whisper.cpp leaves the logits of a
    /// batch's last token in that token's row while the binding reads the first row, so the last
    /// token is always decoded on its own.
    fn step_after(&mut self, seq: &[WhisperTokenId]) -> Result<Step, WhisperError> {
        let vocab = self.vocab;
        Ok(Step::from_logits(self.logits_after(seq)?, vocab))
    }

    /// The model's log-probability of `token` after `seq` (not empty).
    fn log_prob_after(
        &mut self,
        seq: &[WhisperTokenId],
        token: WhisperTokenId,
    ) -> Result<f64, WhisperError> {
        let logits = self.logits_after(seq)?;
        let x = usize::try_from(token)
            .ok()
            .and_then(|i| logits.get(i))
            .map_or(f64::NEG_INFINITY, |&x| f64::from(x));
        Ok(x - log_softmax_base(logits))
    }

    /// The logits after `seq` (not empty).
    fn logits_after(&mut self, seq: &[WhisperTokenId]) -> Result<&[f32], WhisperError> {
        let last = seq.len() - 1;
        let common = self
            .held
            .iter()
            .zip(&seq[..last])
            .take_while(|(a, b)| a == b)
            .count();
        if common < last {
            self.state
                .decode(&seq[common..last], common, self.threads)?;
        }
        self.state.decode(&seq[last..], last, self.threads)?;
        self.held.clear();
        self.held.extend_from_slice(seq);
        self.state.get_logits()
    }
}

/// A partial reading in the beam.
#[derive(Debug, Clone)]
struct Hyp {
    /// Every token so far, the prompt included.
    seq: Vec<WhisperTokenId>,
    digits: String,
    log_prob: f64,
    posteriors: Vec<[f32; 10]>,
    /// The distribution of the next token.
    next: Step,
    last_sep: bool,
    /// Whether the next digit is scored by the model's own probability rather than the
    /// renormalised one: the start of a reading that competes with a reading of a word there.
    whole_next: bool,
}

impl Hyp {
    fn finished(&self) -> DigitReading {
        DigitReading {
            digits: self.digits.clone(),
            posteriors: self.posteriors.clone(),
            log_prob: self.log_prob + self.next.end,
        }
    }
}

/// How the digit search is run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SearchLimits {
    /// Hypotheses kept at each step.
    pub beam: usize,
    /// Most digits a reading may hold.
    pub max_digits: usize,
}

impl Default for SearchLimits {
    fn default() -> Self {
        SearchLimits {
            beam: 3,
            max_digits: crate::report::PhoneNumber::MAX_SAID_DIGITS,
        }
    }
}

/// Digits whose log-probability trails the step's best digit by more than this are not tried.
const PRUNE: f64 = 8.0;

/// Where a digit search starts: the tokens before the digits, and what they cost.
pub(crate) struct Root {
    /// The tokens (the vocabulary's head and the words before the number).
    pub tokens: Vec<WhisperTokenId>,
    /// Their log-probability, as far as it differs between roots.
    pub log_prob: f64,
    /// Whether the first digit is scored by the model's own probability (see [`Hyp`]).
    pub whole_first: bool,
}

/// The roots of a reading that may start with a word or with digits: the prompt `head` with
/// the words `before`, then either the word `maybe` as said, or digits in its place. The two
/// are weighed at the branch by the model's own probabilities: the word's tokens, or the first
/// digit (the digits after are renormalised over the allowed tokens in both). With no `maybe`
/// word, one root.
pub(crate) fn roots(
    state: &mut WhisperState,
    vocab: &DigitVocab,
    before: Vec<WhisperTokenId>,
    maybe: &[WhisperTokenId],
    threads: usize,
) -> Result<Vec<Root>, WhisperError> {
    if maybe.is_empty() {
        return Ok(vec![Root {
            tokens: before,
            log_prob: 0.0,
            whole_first: false,
        }]);
    }
    let mut cache = Cache {
        state,
        vocab,
        held: Vec::new(),
        threads,
    };
    let mut with_word = before.clone();
    let mut log_prob = 0.0;
    for &t in maybe {
        log_prob += cache.log_prob_after(&with_word, t)?;
        with_word.push(t);
    }
    Ok(vec![
        Root {
            tokens: before,
            log_prob: 0.0,
            whole_first: true,
        },
        Root {
            tokens: with_word,
            log_prob,
            whole_first: false,
        },
    ])
}

/// A hypothesis extended by one token: (log-probability, parent, token, digit or separator).
type Extension = (f64, usize, WhisperTokenId, Option<u8>);

impl Hyp {
    /// Pushes this hypothesis's (number `k`) extensions onto `out`: each digit within [`PRUNE`]
    /// of its best, and a separator after a digit.
    fn extend(&self, k: usize, out: &mut Vec<Extension>) {
        let best = self
            .next
            .digit
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let whole = if self.whole_next {
            self.next.allowed
        } else {
            0.0
        };
        for d in 0..10u8 {
            let lp = self.next.digit[usize::from(d)];
            if lp > best - PRUNE {
                let score = self.log_prob + lp + whole;
                out.push((score, k, self.next.form[usize::from(d)], Some(d)));
            }
        }
        if !self.last_sep && !self.digits.is_empty() {
            out.push((self.log_prob + self.next.sep, k, self.next.sep_token, None));
        }
    }
}

/// Reads the digits said at the end of the encoded window: a beam search from `roots`. `prior`
/// scores a finished digit string (added to its log-probability when ranking; `None` means the
/// string is not plausible on its own, and finishing it does not end the search). Returns the
/// distinct strings finished, best first by log-probability plus prior.
pub(crate) fn search(
    state: &mut WhisperState,
    vocab: &DigitVocab,
    roots: &[Root],
    threads: usize,
    limits: SearchLimits,
    prior: &dyn Fn(&str) -> Option<f64>,
) -> Result<Vec<(DigitReading, f64)>, WhisperError> {
    let mut cache = Cache {
        state,
        vocab,
        held: Vec::new(),
        threads,
    };
    let mut live = Vec::with_capacity(roots.len());
    for r in roots {
        live.push(Hyp {
            seq: r.tokens.clone(),
            digits: String::new(),
            log_prob: r.log_prob,
            posteriors: Vec::new(),
            next: cache.step_after(&r.tokens)?,
            last_sep: false,
            whole_next: r.whole_first,
        });
    }
    let mut finished: Vec<(DigitReading, f64)> = Vec::new();
    // The best finished score among plausible strings: nothing scoring below it can win.
    let mut bar = f64::NEG_INFINITY;
    let mut forward = true;
    while !live.is_empty() {
        let mut children: Vec<Extension> = Vec::new();
        for (k, h) in live.iter().enumerate() {
            if !h.digits.is_empty() {
                let done = h.finished();
                let p = prior(&done.digits);
                let score = done.log_prob + p.unwrap_or(f64::NEG_INFINITY);
                if p.is_some() {
                    bar = bar.max(score);
                }
                finished.push((done, score));
            }
            if h.digits.len() < limits.max_digits {
                h.extend(k, &mut children);
            }
        }
        children.retain(|c| c.0 > bar);
        children.sort_by(|a, b| b.0.total_cmp(&a.0));
        children.truncate(limits.beam);
        in_cache_order(&mut children, &live, forward);
        forward = !forward;
        let mut next_live = Vec::with_capacity(children.len());
        for (log_prob, k, token, digit) in children {
            let parent = &live[k];
            let mut seq = parent.seq.clone();
            seq.push(token);
            let next = cache.step_after(&seq)?;
            let mut digits = parent.digits.clone();
            let mut posteriors = parent.posteriors.clone();
            if let Some(d) = digit {
                digits.push(char::from(b'0' + d));
                posteriors.push(parent.next.digit_posterior());
            }
            next_live.push(Hyp {
                seq,
                digits,
                log_prob,
                posteriors,
                next,
                last_sep: digit.is_none(),
                whole_next: false,
            });
        }
        live = next_live;
    }
    Ok(distinct(finished))
}

/// Sorts a step's extensions (log-probability, parent, token, digit) in the order of their
/// token sequences, so that each decodes after the one sharing most of its tokens: the cache
/// then decodes again only where they part. Called with `forward` turning round every step, so
/// that a step starts where the last one ended.
fn in_cache_order(children: &mut [Extension], live: &[Hyp], forward: bool) {
    children.sort_by(|a, b| {
        let order = live[a.1].seq.cmp(&live[b.1].seq).then(a.2.cmp(&b.2));
        if forward {
            order
        } else {
            order.reverse()
        }
    });
}

/// One entry per digit string (its best path), best first by score.
fn distinct(mut finished: Vec<(DigitReading, f64)>) -> Vec<(DigitReading, f64)> {
    finished.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out: Vec<(DigitReading, f64)> = Vec::new();
    for f in finished {
        if !out.iter().any(|o| o.0.digits == f.0.digits) {
            out.push(f);
        }
    }
    out
}

/// Scores one given digit string (say, the first reading's) under the same constraint, from
/// the best of `roots`: each digit in its likeliest form, a separator before it wherever the
/// model likes a separator better than the digit. `None` for a string with anything but digits.
pub(crate) fn score(
    state: &mut WhisperState,
    vocab: &DigitVocab,
    roots: &[Root],
    threads: usize,
    digits: &str,
) -> Result<Option<DigitReading>, WhisperError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let mut cache = Cache {
        state,
        vocab,
        held: Vec::new(),
        threads,
    };
    let mut best: Option<DigitReading> = None;
    for root in roots {
        let mut seq = root.tokens.clone();
        let mut step = cache.step_after(&seq)?;
        let mut log_prob = root.log_prob + if root.whole_first { step.allowed } else { 0.0 };
        let mut posteriors = Vec::with_capacity(digits.len());
        let mut last_sep = true;
        for b in digits.bytes() {
            let d = usize::from(b - b'0');
            if !last_sep && step.sep > step.digit[d] {
                log_prob += step.sep;
                seq.push(step.sep_token);
                step = cache.step_after(&seq)?;
            }
            log_prob += step.digit[d];
            posteriors.push(step.digit_posterior());
            seq.push(step.form[d]);
            step = cache.step_after(&seq)?;
            last_sep = false;
        }
        let reading = DigitReading {
            digits: digits.to_string(),
            posteriors,
            log_prob: log_prob + step.end,
        };
        if best.as_ref().is_none_or(|b| b.log_prob < reading.log_prob) {
            best = Some(reading);
        }
    }
    Ok(best)
}
