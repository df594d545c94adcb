//! What the words say: the caller's self-introduction, fillers, company or product talk, stock
//! phrases, referrals and promised callbacks, each found with the time span to listen to.
//!
//! Phrases are matched on word stems (English Snowball stemmer over the normalised words), so
//! `"I'm just following up"` matches `"just follow up"`. A phrase in the rulebook is a sequence of
//! items separated by spaces:
//! - a word, matched by its stem (`follow` matches "following", "follows", "followed");
//! - alternatives joined by `|` (`platform|software|solution`);
//! - `=word`, the word exactly as said, not its stem (`=referred` is not "refer");
//! - `*` for any one word, `...` for up to four words.
//!
//! A filler inside a phrase ("I'm just following, you know, up") does not hide it, and a phrase
//! of four words or more still matches with one of its inner words misheard ("I look forward to
//! hearing from you" heard as "I look forward to here from you"). A match never runs across the
//! end of a sentence.

use rust_stemmers::{Algorithm, Stemmer};

use crate::lexicon::normalize;
use crate::report::{Content, Filler, PhraseMatch, Promise, Word};

mod classifier;
mod defaults;
mod fillers;
mod introduction;
mod parts;

pub(crate) use defaults::{
    default_cliches, default_fillers, default_lexical_fillers, default_pitch_phrases,
    default_promise_phrases, default_referral_phrases,
};
pub(crate) use fillers::Voice;
use fillers::{filled_pauses, transcript_fillers};
pub(crate) use introduction::find_introduction;
pub(crate) use parts::{promised_when, prospect, reason, referrer};

/// Words that end the sentence or clause they are in.
fn ends_clause(text: &str) -> bool {
    text.ends_with(['.', ',', '?', '!', ';', ':'])
}

/// Words that end a sentence.
fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', ')'])
        .ends_with(['.', '?', '!'])
}

/// The most words `...` in a phrase stands for.
const GAP_WORDS: usize = 4;

/// The fewest words of a phrase that still match with one of its inner words misheard.
const FUZZY_MIN_WORDS: usize = 4;

/// The stem a word is matched by: its normalised form through the English Snowball stemmer.
/// A figure with a percent sign ("70%") is the word "percent".
fn stem_of(stemmer: &Stemmer, text: &str) -> String {
    if text
        .trim_end_matches(['.', ',', '?', '!', ';', ':'])
        .ends_with('%')
    {
        return "percent".into();
    }
    stemmer.stem(&normalize(text)).into_owned()
}

/// One item of a phrase.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// Any of these stems.
    Word(Vec<String>),
    /// Any one word.
    Any,
    /// Up to [`GAP_WORDS`] words.
    Gap,
}

/// A rulebook phrase, ready to match.
struct Pattern {
    items: Vec<Item>,
    /// Whether one inner word may be misheard.
    fuzzy: bool,
}

impl Pattern {
    /// The phrase's items; one inner word may be misheard when `fuzzy` is asked for and the
    /// phrase is fixed words only, [`FUZZY_MIN_WORDS`] or more.
    fn parse(stemmer: &Stemmer, phrase: &str, fuzzy: bool) -> Self {
        let items: Vec<Item> = phrase
            .split_whitespace()
            .map(|it| match it {
                "*" => Item::Any,
                "..." => Item::Gap,
                alts => Item::Word(
                    alts.split('|')
                        .map(|a| match a.strip_prefix('=') {
                            Some(exact) => format!("={}", normalize(exact)),
                            None => stem_of(stemmer, a),
                        })
                        .collect(),
                ),
            })
            .collect();
        let words = items.iter().filter(|i| matches!(i, Item::Word(_))).count();
        Pattern {
            fuzzy: fuzzy
                && words >= FUZZY_MIN_WORDS
                && items.iter().all(|i| matches!(i, Item::Word(_))),
            items,
        }
    }
}

/// The transcript's words as phrases are matched against them.
pub(crate) struct Tokens<'a> {
    words: &'a [Word],
    stems: Vec<String>,
    /// The normalised words, `=`-prefixed: what `=word` items match.
    exact: Vec<String>,
    /// Words that are fillers, skipped inside a phrase.
    skip: Vec<bool>,
    stemmer: Stemmer,
}

impl<'a> Tokens<'a> {
    /// The words, with the fillers among them (`fillers`, from [`transcript_fillers`]) to skip.
    pub(crate) fn new(words: &'a [Word], fillers: &[Filler]) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let stems = words.iter().map(|w| stem_of(&stemmer, &w.text)).collect();
        let exact = words
            .iter()
            .map(|w| format!("={}", normalize(&w.text)))
            .collect();
        let skip = words
            .iter()
            .map(|w| {
                fillers
                    .iter()
                    .any(|f| w.start_s >= f.start_s - 1e-9 && w.end_s <= f.end_s + 1e-9)
            })
            .collect();
        Tokens {
            words,
            stems,
            exact,
            skip,
            stemmer,
        }
    }

    /// The next word from `i` on that is not a filler, within the sentence that `i - 1` is in
    /// (`None` past the sentence's end). A full stop right before a filler does not end the
    /// sentence: the transcriber sets fillers off with any mark.
    fn next_word(&self, mut i: usize) -> Option<usize> {
        while i < self.words.len() {
            if self.skip[i] {
                i += 1;
                continue;
            }
            if i > 0 && ends_sentence(&self.words[i - 1].text) && !self.skip[i - 1] {
                return None;
            }
            return Some(i);
        }
        None
    }

    /// Whether word `k` is one of the alternatives `alts` (stems, or `=`-prefixed words).
    fn is_one_of(&self, alts: &[String], k: usize) -> bool {
        alts.iter()
            .any(|a| *a == self.stems[k] || *a == self.exact[k])
    }

    /// Where `items` match from word `i` on, with `misses` misheard words left to allow: the
    /// index past the last word matched.
    fn match_from(&self, items: &[Item], i: usize, misses: usize) -> Option<usize> {
        let Some((item, rest)) = items.split_first() else {
            return Some(i);
        };
        if *item == Item::Gap {
            let mut at = i;
            for _ in 0..=GAP_WORDS {
                if let Some(end) = self.match_from(rest, at, misses) {
                    return Some(end);
                }
                at = self.next_word(at)? + 1;
            }
            return None;
        }
        let k = self.next_word(i)?;
        let hit = match item {
            Item::Word(alts) => self.is_one_of(alts, k),
            _ => true,
        };
        if hit {
            if let Some(end) = self.match_from(rest, k + 1, misses) {
                return Some(end);
            }
        }
        // One misheard inner word: never the last (nor the first: `find` matches that).
        if misses > 0 && !rest.is_empty() && !hit {
            return self.match_from(rest, k + 1, misses - 1);
        }
        None
    }

    /// Every match of each phrase, in time order, overlapping matches merged into the first;
    /// with `fuzzy`, a fixed phrase of [`FUZZY_MIN_WORDS`] or more also matches with one inner
    /// word misheard (stock phrases: the constructions of pitch, referral and promise are
    /// open enough without).
    pub(crate) fn find(&self, phrases: &[String], fuzzy: bool) -> Vec<PhraseMatch> {
        let mut out: Vec<(usize, usize, &str)> = Vec::new();
        for phrase in phrases {
            let pattern = Pattern::parse(&self.stemmer, phrase, fuzzy);
            let Some((Item::Word(first), rest)) = pattern.items.split_first() else {
                continue;
            };
            let misses = usize::from(pattern.fuzzy);
            let mut i = 0;
            while i < self.words.len() {
                // The first word must match: a misheard word is never the first.
                let end = (!self.skip[i] && self.is_one_of(first, i))
                    .then(|| self.match_from(rest, i + 1, misses))
                    .flatten();
                match end {
                    Some(end) => {
                        out.push((i, end, phrase));
                        i = end;
                    }
                    None => i += 1,
                }
            }
        }
        out.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
        let mut merged: Vec<(usize, usize, &str)> = Vec::new();
        for (a, b, p) in out {
            match merged.last_mut() {
                Some(last) if a < last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b, p)),
            }
        }
        merged
            .into_iter()
            .map(|(a, b, p)| self.phrase_match(a, b, p))
            .collect()
    }

    fn phrase_match(&self, a: usize, b: usize, phrase: &str) -> PhraseMatch {
        let ws = &self.words[a..b];
        PhraseMatch {
            phrase: phrase.to_string(),
            text: ws
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            start_s: ws[0].start_s,
            end_s: ws[ws.len() - 1].end_s,
            probability: None,
        }
    }
}

/// The phrase lists content is found with (the rulebook's).
pub(crate) struct Lists<'a> {
    pub(crate) pitch: &'a [String],
    pub(crate) cliches: &'a [String],
    pub(crate) referral: &'a [String],
    pub(crate) promise: &'a [String],
    pub(crate) vocal: &'a [String],
    pub(crate) lexical: &'a [String],
    /// Which of pitch, stock phrases, referrals and promises the sentence classifier also
    /// finds, in `classifier::Kind`'s order.
    pub(crate) classify: [bool; 4],
}

/// What the words say: fillers (in the words, and in the sound when `voice` is given), then
/// pitch, stock phrases, referrals and promises with the fillers skipped.
pub(crate) fn find(words: &[Word], lists: &Lists, voice: Option<&Voice>) -> Content {
    let silences = voice.map_or_else(Vec::new, |v| fillers::silences(v.runs));
    let mut fillers = transcript_fillers(words, lists.vocal, lists.lexical, &silences);
    if let Some(v) = voice {
        fillers.extend(filled_pauses(v, words));
        fillers.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    }
    let tokens = Tokens::new(words, &fillers);
    let promises = tokens
        .find(lists.promise, false)
        .into_iter()
        .map(|m| {
            let from = words
                .iter()
                .position(|w| w.start_s >= m.start_s)
                .unwrap_or(0);
            Promise {
                dated: names_a_time(words, from),
                found: m,
            }
        })
        .collect();
    let mut content = Content {
        pitch: tokens.find(lists.pitch, false),
        stock_phrases: tokens.find(lists.cliches, true),
        referrals: tokens.find(lists.referral, false),
        promises,
        fillers,
    };
    classify_sentences(words, lists.classify, &mut content);
    content
}

/// What the sentence classifier adds: each sentence it finds of a kind asked for
/// (`classify`) and that no phrase of that kind already lies in, as a match of the whole
/// sentence with the model's probability.
fn classify_sentences(words: &[Word], classify: [bool; 4], content: &mut Content) {
    use classifier::Kind;
    if !classify.contains(&true) {
        return;
    }
    let mut a = 0;
    while a < words.len() {
        let b = (a..words.len())
            .find(|&k| ends_sentence(&words[k].text))
            .map_or(words.len(), |k| k + 1);
        let ws = &words[a..b];
        let text = ws
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let (from, to) = (ws[0].start_s, ws[ws.len() - 1].end_s);
        let p = classifier::probabilities(&text);
        let found = |kind: Kind| PhraseMatch {
            phrase: format!("({} sentence, by the classifier)", kind.name()),
            text: text.clone(),
            start_s: from,
            end_s: to,
            probability: Some((p[kind as usize] * 1000.0).round() / 1000.0),
        };
        // Asked for, judged of the kind, and no phrase of the kind already in the sentence.
        let new = |kind: Kind, mut ms: &mut dyn Iterator<Item = &PhraseMatch>| {
            classify[kind as usize]
                && p[kind as usize] >= classifier::THRESHOLD
                && !Iterator::any(&mut ms, |m| m.start_s < to && m.end_s > from)
        };
        if new(Kind::Pitch, &mut content.pitch.iter()) {
            content.pitch.push(found(Kind::Pitch));
        }
        if new(Kind::Cliche, &mut content.stock_phrases.iter()) {
            content.stock_phrases.push(found(Kind::Cliche));
        }
        if new(Kind::Referral, &mut content.referrals.iter()) {
            content.referrals.push(found(Kind::Referral));
        }
        // A sentence the catalogue holds as a stock phrase is no promise by the model alone
        // ("I'll be out of pocket most of next week").
        let stock = content
            .stock_phrases
            .iter()
            .any(|m| m.start_s < to && m.end_s > from);
        if !stock
            && new(
                Kind::Promise,
                &mut content.promises.iter().map(|p| &p.found),
            )
        {
            content.promises.push(Promise {
                dated: names_a_time(words, a),
                found: found(Kind::Promise),
            });
        }
        a = b;
    }
    let by_time = |x: &PhraseMatch, y: &PhraseMatch| x.start_s.total_cmp(&y.start_s);
    content.pitch.sort_by(by_time);
    content.stock_phrases.sort_by(by_time);
    content.referrals.sort_by(by_time);
    content.promises.sort_by(|x, y| by_time(&x.found, &y.found));
}

/// The days of the week, lower case.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words besides the [`WEEKDAYS`] that make a callback promise specific: days, parts of the
/// day, clock times.
const WHEN_WORDS: &[&str] = &[
    "tomorrow",
    "today",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "week",
    "a.m",
    "p.m",
    "am",
    "pm",
    "o'clock",
    "noon",
    "midday",
    "lunch",
    "lunchtime",
    "weekend",
];

/// Hours said in words, a time after one of [`AT_A_TIME`] ("around three").
const HOURS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

/// Words before an hour said in words that make it a time.
const AT_A_TIME: &[&str] = &["at", "around", "about", "by", "after", "before"];

/// Whether normalised word `n`, said after `before`, names a day or a time: a weekday, "today",
/// "morning", "a.m.", a figure or clock time, an hour after "at" ("at three"), an ordinal after
/// "the" ("the fifteenth").
pub(crate) fn is_time_word(n: &str, before: &str) -> bool {
    WEEKDAYS.contains(&n)
        || WHEN_WORDS.contains(&n)
        || n.chars().all(|c| c.is_ascii_digit() || c == ':') && !n.is_empty()
        || HOURS.contains(&n) && AT_A_TIME.contains(&before)
        || before == "the" && is_ordinal(n)
}

/// Whether the words from `from` to the end of the sentence (at most 12 words) name a day or
/// time ("on Tuesday at 10 a.m.").
pub(crate) fn names_a_time(words: &[Word], from: usize) -> bool {
    let mut before = String::new();
    let mut fragment_allowed = true;
    for (k, w) in words.iter().enumerate().skip(from).take(12) {
        let n = normalize(&w.text);
        if is_time_word(&n, &before) {
            return true;
        }
        if w.text.ends_with(['.', '?', '!']) && !n.ends_with("a.m") && !n.ends_with("p.m") {
            // A short fragment after the promise may still be its time ("I'll follow up with
            // you. Well, Tuesday at 2.").
            let next = words[k + 1..]
                .iter()
                .position(|w| ends_sentence(&w.text))
                .map_or(words.len() - k - 1, |p| p + 1);
            if !fragment_allowed || next > FRAGMENT_WORDS {
                break;
            }
            fragment_allowed = false;
        }
        before = n;
    }
    false
}

/// The most words of a sentence fragment that can still hold a promise's time.
const FRAGMENT_WORDS: usize = 4;

/// Ordinal day words ("fifteenth", "twenty-first" as "twentyfirst") and figures ("15th").
const ORDINALS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "thirtieth",
];

/// Whether a normalised word is a day of the month said as an ordinal ("fifteenth", "15th",
/// "twentyfirst").
fn is_ordinal(n: &str) -> bool {
    let digits = n.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &n[digits.len()..];
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return matches!(suffix, "st" | "nd" | "rd" | "th");
    }
    let n = n
        .strip_prefix("twenty")
        .or_else(|| n.strip_prefix("thirty"))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(n);
    ORDINALS.contains(&n)
}

#[cfg(test)]
mod tests;
