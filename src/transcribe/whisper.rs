//! whisper.cpp through whisper-rs: loading a model, transcribing with word timings, and the
//! digit-only second reading of a number.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters,
};

use crate::error::{Error, Result};
use crate::model::check_ggml;
use crate::report::{Piece, Transcript, Word};

use super::digits::{self, DigitVocab};
use super::{DigitReading, ReadingWindow};

/// The environment variable naming the default model file.
pub const MODEL_ENV: &str = "VOICEMAIL_COACH_MODEL";

/// File name of the default model (whisper tiny.en, converted by `scripts/fetch-model`).
pub const DEFAULT_MODEL_FILE: &str = "ggml-tiny.en.bin";

/// Where the analyzer looks for a model when none is given: `$VOICEMAIL_COACH_MODEL`, else
/// `$XDG_CACHE_HOME/voicemail-coach/ggml-tiny.en.bin`, else
/// `$HOME/.cache/voicemail-coach/ggml-tiny.en.bin`. `None` when no variable gives a place.
pub fn default_model_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(MODEL_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("voicemail-coach").join(DEFAULT_MODEL_FILE))
}

/// Transcription options.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TranscribeOptions {
    /// Spoken language, as a Whisper language code. Default: `"en"`.
    pub language: String,
    /// Threads per transcription; never more than the machine's cores
    /// (`std::thread::available_parallelism`). Default: `None` (all cores).
    pub threads: Option<usize>,
    /// Beam width of the decoder; `1` decodes greedily (faster, slightly less accurate).
    /// Default: `5`, as whisper.cpp's command-line tool.
    pub beam_size: usize,
    /// Whether the analyzer reads each callback number a second time with the decoder allowed
    /// only digits, to check the transcript's digits and say how sure they are. Default: `true`
    /// (about 0.3-0.8 s per number said).
    pub read_numbers_twice: bool,
    /// Whether a recording of at most 30 s is encoded over its own length (plus
    /// [`FIT_MARGIN_S`], at least 10 s) rather than whisper's whole 30 s window. A transcript
    /// that then repeats itself (a decoder loop) is transcribed again over the whole window.
    /// Measured with tiny.en on 2 cores (`scripts/bench-vs-faster-whisper`, README): about 3x
    /// faster, with the same WER on sentences and real calls, but callback numbers are heard
    /// less well (`scripts/eval-numbers`: 58 of 83 exact against 63 of 83), so it is off by
    /// default. Default: `false`.
    pub fit_context: bool,
    /// The GPU whisper.cpp runs on, counted from 0, in a build with the `cuda` or `vulkan`
    /// feature (ignored otherwise; transcription then runs on the CPU). Default: `0`.
    pub gpu_device: usize,
}

/// Sound past the end of a recording that a fitted encoder context still covers, seconds.
pub const FIT_MARGIN_S: f64 = 1.0;

/// The least encoder context of a fitted window, in positions of 20 ms (10 s): tiny.en decoding
/// a window much shorter than it was trained on repeats the message until its token limit.
const FIT_MIN_POSITIONS: i32 = 500;

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            language: "en".to_string(),
            threads: None,
            beam_size: 5,
            read_numbers_twice: true,
            fit_context: false,
            gpu_device: 0,
        }
    }
}

/// The model loaded a second time for reading numbers again, with its digit tokens. Its own
/// context has no DTW alignment: whisper.cpp's DTW pass reads out of bounds after a decode
/// whose encoder context is fitted to a short window (seen as a crash one run in a few with
/// `base`), and the digit reading needs no token times.
struct DigitReader {
    ctx: WhisperContext,
    vocab: DigitVocab,
}

impl DigitReader {
    fn load(path: &Path, options: &TranscribeOptions) -> Result<Option<Self>> {
        let ctx = load_context(path, context_params(options))?;
        let lang_id = whisper_rs::get_lang_id(&options.language).unwrap_or(0);
        Ok(DigitVocab::new(&ctx, lang_id).map(|vocab| DigitReader { ctx, vocab }))
    }
}

/// A loaded whisper model, shared across files and threads.
pub struct Transcriber {
    ctx: WhisperContext,
    /// What reads a number again (`None` when switched off or the model lacks digit tokens).
    digits: Option<DigitReader>,
    name: String,
    path: PathBuf,
    options: TranscribeOptions,
    /// Set to stop transcriptions under way.
    abort: Option<Arc<AtomicBool>>,
}

impl std::fmt::Debug for Transcriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcriber")
            .field("model", &self.name)
            .field("path", &self.path)
            .field("options", &self.options)
            .finish()
    }
}

static LOG_HOOKS: Once = Once::new();

/// whisper.cpp's context parameters for `options`: the GPU to use, where there is one.
fn context_params(options: &TranscribeOptions) -> WhisperContextParameters<'static> {
    let mut params = WhisperContextParameters::default();
    params.gpu_device(i32::try_from(options.gpu_device).unwrap_or(i32::MAX));
    params
}

/// The model at `path` loaded by whisper.cpp.
fn load_context(path: &Path, params: WhisperContextParameters<'_>) -> Result<WhisperContext> {
    WhisperContext::new_with_params(path, params).map_err(|e| Error::Model {
        path: path.to_path_buf(),
        reason: format!("whisper.cpp could not load it: {e}"),
    })
}

/// The alignment-head preset for a model, from its vocabulary (English-only models have 51864
/// tokens) and decoder depth; `None` for sizes without a preset.
fn dtw_preset(h: &crate::model::Hparams) -> Option<DtwModelPreset> {
    let english = h.n_vocab == 51864;
    Some(match (h.n_text_layer, h.n_text_state, english) {
        (4, 384, true) => DtwModelPreset::TinyEn,
        (4, 384, false) => DtwModelPreset::Tiny,
        (6, 512, true) => DtwModelPreset::BaseEn,
        (6, 512, false) => DtwModelPreset::Base,
        (12, 768, true) => DtwModelPreset::SmallEn,
        (12, 768, false) => DtwModelPreset::Small,
        _ => return None,
    })
}

impl Transcriber {
    /// Loads the ggml model at `path`, after checking the file is complete and well-formed.
    pub fn new(path: impl AsRef<Path>, options: TranscribeOptions) -> Result<Self> {
        let path = path.as_ref();
        let info = check_ggml(path)?;
        // Route whisper.cpp's console chatter through the `log` facade (silent unless a logger
        // is installed).
        LOG_HOOKS.call_once(whisper_rs::install_logging_hooks);
        let mut params = context_params(&options);
        // Token times from dynamic time warping over the model's alignment heads: much closer
        // to the sound than the default timestamp heuristic (digit groups are timed from them).
        // A fitted window always ends a second past the sound, so the frames aligned are
        // within its encoder context.
        if let Some(preset) = dtw_preset(&info.hparams) {
            params.dtw_parameters(DtwParameters {
                mode: DtwMode::ModelPreset {
                    model_preset: preset,
                },
                ..DtwParameters::default()
            });
        }
        let ctx = load_context(path, params)?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "whisper".to_string());
        let digits = if options.read_numbers_twice {
            DigitReader::load(path, &options)?
        } else {
            None
        };
        Ok(Transcriber {
            ctx,
            digits,
            name,
            path: path.to_path_buf(),
            options,
            abort: None,
        })
    }

    /// Loads the model at `path`, or when `None` the one at [`default_model_path`]. A default
    /// model that is not there is an [`Error::Model`] saying how to fetch it.
    pub fn load(path: Option<&Path>, options: TranscribeOptions) -> Result<Self> {
        if let Some(p) = path {
            return Self::new(p, options);
        }
        let p = default_model_path().ok_or_else(|| Error::Model {
            path: PathBuf::from(DEFAULT_MODEL_FILE),
            reason: format!(
                "no model given, and neither ${MODEL_ENV}, $XDG_CACHE_HOME nor $HOME is set"
            ),
        })?;
        if !p.exists() {
            return Err(Error::Model {
                path: p,
                reason: "no whisper model there (run scripts/fetch-model, or give one)".into(),
            });
        }
        Self::new(p, options)
    }

    /// Stops every transcription under way (it fails with [`Error::Transcription`]) once `flag`
    /// turns true: give it the flag a [`Batch`](crate::batch::Batch) is cancelled on.
    pub fn abort_on(mut self, flag: Arc<AtomicBool>) -> Self {
        self.abort = Some(flag);
        self
    }

    /// Lets whisper.cpp poll the abort flag, if one was given.
    ///
    /// The closure is handed over boxed: whisper-rs 0.16's `set_abort_callback_safe` boxes its
    /// argument as `Box<dyn FnMut>` but calls it back as the argument's own type, which is only
    /// the same thing when that type is itself a `Box<dyn FnMut() -> bool>`. A bare closure is
    /// read from the wrong memory, and the flag it reads can stop decoding at random.
    fn abortable(&self, params: &mut FullParams<'_, '_>) {
        if let Some(flag) = &self.abort {
            let flag = Arc::clone(flag);
            let poll: Box<dyn FnMut() -> bool> = Box::new(move || flag.load(Ordering::Relaxed));
            params.set_abort_callback_safe(poll);
        }
    }

    /// The model's name (its file name without extension), e.g. `"ggml-tiny.en"`.
    pub fn model_name(&self) -> &str {
        &self.name
    }

    /// The options in force.
    pub fn options(&self) -> &TranscribeOptions {
        &self.options
    }

    /// Threads a transcription uses: the option, capped at the machine's cores.
    pub fn threads(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.options.threads.map_or(cores, |t| t.clamp(1, cores))
    }

    /// The decoding parameters for a recording of `seconds`, its encoder context fitted to it
    /// when `fit`.
    fn params(&self, seconds: f64, fit: bool) -> FullParams<'_, '_> {
        let strategy = if self.options.beam_size > 1 {
            SamplingStrategy::BeamSearch {
                beam_size: self.options.beam_size.min(16) as i32,
                patience: -1.0,
            }
        } else {
            SamplingStrategy::Greedy { best_of: 1 }
        };
        let mut params = FullParams::new(strategy);
        self.abortable(&mut params);
        params.set_n_threads(self.threads() as i32);
        params.set_language(Some(&self.options.language));
        params.set_token_timestamps(true);
        if fit {
            // 50 encoder positions per second: FIT_MARGIN_S keeps the sound inside them.
            let positions =
                (((seconds + FIT_MARGIN_S) * 50.0).ceil() as i32).max(FIT_MIN_POSITIONS);
            params.set_audio_ctx(positions.min(1500));
            // One window holds the whole recording: decoding it once. Left to seek on, whisper
            // decodes the window again from its last timestamp and repeats the message.
            params.set_single_segment(true);
        }
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params
    }

    /// Transcribes 16 kHz mono audio.
    pub fn transcribe(&self, samples: &[f32]) -> Result<Transcript> {
        if samples.is_empty() {
            return Ok(self.transcript(Vec::new()));
        }
        let fit = self.options.fit_context && samples.len() as f64 / 16_000.0 <= 30.0;
        let mut tokens = self.decode(samples, fit)?;
        if fit && repeats_itself(&tokens) {
            // A fitted window sometimes sends the decoder round a loop; whisper's whole window
            // is what the model was trained on.
            tokens = self.decode(samples, false)?;
        }
        Ok(self.transcript(without_annotations(tokens)))
    }

    /// One whisper pass over `samples`: its text tokens with their times, inside the audio.
    fn decode(&self, samples: &[f32], fit: bool) -> Result<Vec<RawToken>> {
        let fail = |what: &str, e: whisper_rs::WhisperError| Error::Transcription {
            reason: format!("{what}: {e}"),
        };
        let mut state = self
            .ctx
            .create_state()
            .map_err(|e| fail("creating a whisper state", e))?;
        let duration = samples.len() as f64 / 16_000.0;
        state
            .full(self.params(duration, fit), samples)
            .map_err(|e| fail("transcribing", e))?;

        let eot = self.ctx.token_eot();
        // whisper's token times can overrun the audio; keep them inside it.
        let mut tokens: Vec<RawToken> = Vec::new();
        for segment in state.as_iter() {
            for k in 0..segment.n_tokens() {
                let Some(token) = segment.get_token(k) else {
                    continue;
                };
                if token.token_id() >= eot {
                    continue; // special and timestamp tokens
                }
                let piece = token
                    .to_str_lossy()
                    .map_err(|e| fail("reading a token", e))?
                    .into_owned();
                let data = token.token_data();
                let clamp = |t: i64| (t as f64 * 0.01).clamp(0.0, duration);
                tokens.push(RawToken {
                    piece,
                    t0: clamp(data.t0),
                    t1: clamp(data.t1),
                    dtw: (data.t_dtw >= 0).then(|| clamp(data.t_dtw)),
                    p: data.p,
                });
            }
        }
        Ok(tokens)
    }

    /// The transcript the decoded tokens spell: words from the tokens that start them, each
    /// timed and given its tokens' mean probability.
    fn transcript(&self, tokens: Vec<RawToken>) -> Transcript {
        let text: String = tokens.iter().map(|t| t.piece.as_str()).collect();
        let spans = token_spans(&tokens);
        let mut words: Vec<Word> = Vec::new();
        let mut probs: Vec<Vec<f32>> = Vec::new();
        for (tok, &(t0, t1)) in tokens.iter().zip(&spans) {
            let starts_word = tok.piece.starts_with(' ') || words.is_empty();
            let trimmed = tok.piece.trim();
            if trimmed.is_empty() {
                continue;
            }
            let piece = Piece {
                text: trimmed.to_string(),
                start_s: t0,
                end_s: t1,
            };
            match (starts_word, words.last_mut()) {
                (false, Some(w)) => {
                    w.text.push_str(trimmed);
                    w.end_s = w.end_s.max(t1);
                    w.pieces.push(piece);
                    if let Some(p) = probs.last_mut() {
                        p.push(tok.p);
                    }
                }
                _ => {
                    words.push(Word {
                        text: trimmed.to_string(),
                        start_s: t0,
                        end_s: t1,
                        probability: 0.0,
                        pieces: vec![piece],
                    });
                    probs.push(vec![tok.p]);
                }
            }
        }
        for (w, p) in words.iter_mut().zip(&probs) {
            w.probability = f64::from(p.iter().sum::<f32>()) / p.len().max(1) as f64;
            // Token times matter only where digit groups are to be timed.
            if w.pieces.len() < 2 || !w.text.bytes().any(|b| b.is_ascii_digit()) {
                w.pieces.clear();
            }
        }
        // A "word" without a letter or a digit is not one the caller said: whisper decoding
        // noise writes byte tokens that are no text ("\u{fffd}\u{fffd}"), or lone symbols.
        let said = words.len();
        words.retain(|w| w.text.chars().any(char::is_alphanumeric));
        let text = if words.len() == said {
            text.trim().to_string()
        } else {
            let kept: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
            kept.join(" ")
        };
        Transcript {
            model: self.name.clone(),
            text,
            words,
        }
    }
}

/// The tokens without whisper's descriptions of sounds that are not speech: words in brackets
/// or parentheses (`[BLANK_AUDIO]`, `(music)`, `[ Silence ]`, `(upbeat music)`), between
/// asterisks (`*sigh*`), and music notes. They are not words the caller said. A bracket holding
/// digits (an area code in parentheses) or one never closed is kept as it was.
fn without_annotations(tokens: Vec<RawToken>) -> Vec<RawToken> {
    let mut kept = Vec::with_capacity(tokens.len());
    // Tokens of an open bracket or asterisk span, and what closes it.
    let mut open: Vec<RawToken> = Vec::new();
    let mut closer = ' ';
    for tok in tokens {
        if open.is_empty() {
            if tok.piece.contains(['♪', '♫']) {
                continue;
            }
            let Some(c) = tok.piece.trim_start().chars().next() else {
                kept.push(tok);
                continue;
            };
            closer = match c {
                '[' => ']',
                '(' => ')',
                '*' => '*',
                _ => {
                    kept.push(tok);
                    continue;
                }
            };
            let closes_itself = tok.piece.trim_start()[1..].contains(closer);
            open.push(tok);
            if !closes_itself {
                continue;
            }
        } else {
            let closes = tok.piece.contains(closer);
            open.push(tok);
            if !closes {
                continue;
            }
        }
        // A closed span: dropped unless it holds digits.
        if open
            .iter()
            .any(|t| t.piece.bytes().any(|b| b.is_ascii_digit()))
        {
            kept.append(&mut open);
        }
        open.clear();
    }
    kept.append(&mut open);
    kept
}

/// Seconds of silence the encoder sees after a digit window: whisper reads the end of the
/// speech better when it sees some silence after it, as in its 30 s training windows.
const WINDOW_PAD_S: f64 = 2.0;

impl Transcriber {
    /// Reads the digits said in `window` of `samples` (16 kHz mono) with the decoder allowed
    /// nothing but digits, separators and the end: the second reading of a callback number.
    ///
    /// The window should end just after the number's last digit; its `before` words (said in
    /// it before the number) are given to the decoder as said, and its `maybe_digit` word (the
    /// word just before the number, when it sounds like a digit) is weighed both as said and as
    /// digits. `prior` scores a whole digit string (what numbers look like): its value is added
    /// to the string's log-probability, and `None` marks a string that cannot stand as a
    /// number (the search goes on past it). `also_score` is scored as well when the search did
    /// not find it (the first reading). Returns the strings considered with their scores
    /// (log-probability plus prior, `-inf` where the prior ruled the string out), best first;
    /// empty when the window is empty or the model has no single-token digits. The window is
    /// cut to whisper's 30 s.
    pub(crate) fn read_digits(
        &self,
        samples: &[f32],
        window: &ReadingWindow,
        also_score: Option<&str>,
        prior: &dyn Fn(&str) -> Option<f64>,
    ) -> Result<Vec<(DigitReading, f64)>> {
        let fail = |what: &str, e: whisper_rs::WhisperError| Error::Transcription {
            reason: format!("{what}: {e}"),
        };
        let Some(DigitReader { ctx, vocab }) = &self.digits else {
            return Ok(Vec::new());
        };
        let index = |t: f64| ((t.max(0.0) * 16_000.0) as usize).min(samples.len());
        let (a, b) = (index(window.from_s), index(window.to_s));
        let b = b.min(a + 30 * 16_000);
        if b <= a {
            return Ok(Vec::new());
        }
        let threads = self.threads();
        let mut state = ctx
            .create_state()
            .map_err(|e| fail("creating a whisper state", e))?;
        self.encode_window(&mut state, &samples[a..b])
            .map_err(|e| fail("encoding a digit window", e))?;
        let words = |text: &str| -> Result<Vec<whisper_rs::WhisperTokenId>> {
            let text: String = text.chars().filter(|&c| c != '\0').collect();
            if text.trim().is_empty() {
                return Ok(Vec::new());
            }
            digits::tokenize(ctx, &format!(" {}", text.trim())).map_err(|e| fail("tokenizing", e))
        };
        let mut before = words(&window.before)?;
        // The decoder's context is 448 tokens; a long prefix keeps its end.
        before.drain(..before.len().saturating_sub(MAX_PREFIX_TOKENS));
        let mut prompt = vocab.head().to_vec();
        prompt.extend(before);
        let maybe = words(&window.maybe_digit)?;
        let roots = digits::roots(&mut state, vocab, prompt, &maybe, threads)
            .map_err(|e| fail("reading digits", e))?;
        let limits = digits::SearchLimits::default();
        let mut found = digits::search(&mut state, vocab, &roots, threads, limits, prior)
            .map_err(|e| fail("reading digits", e))?;
        if let Some(first) = also_score.filter(|f| !found.iter().any(|r| r.0.digits == *f)) {
            if let Some(r) = digits::score(&mut state, vocab, &roots, threads, first)
                .map_err(|e| fail("scoring a reading", e))?
            {
                let s = r.log_prob + prior(first).unwrap_or(f64::NEG_INFINITY);
                found.push((r, s));
                found.sort_by(|x, y| y.1.total_cmp(&x.1));
            }
        }
        Ok(found)
    }

    /// Encodes `window` with the encoder's context fitted to it (and [`WINDOW_PAD_S`] of silence
    /// after it): a
    /// quarter of the work of a full 30 s window for a number and the words before it. The
    /// binding sets the context size only through a full transcription, so one is run with a
    /// single token to decode.
    fn encode_window(
        &self,
        state: &mut whisper_rs::WhisperState,
        window: &[f32],
    ) -> std::result::Result<(), whisper_rs::WhisperError> {
        // Silence after the window, which also keeps it over whisper's 1 s minimum.
        let pad = (WINDOW_PAD_S * 16_000.0) as usize;
        let mut padded = Vec::with_capacity(window.len() + pad);
        padded.extend_from_slice(window);
        padded.resize(window.len() + pad, 0.0);
        // 50 encoder positions per second, at most the model's 1500.
        let audio_ctx = ((padded.len() as f64 / 16_000.0 * 50.0).ceil() as i32).min(1500);
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        self.abortable(&mut params);
        params.set_n_threads(self.threads() as i32);
        params.set_language(Some(&self.options.language));
        params.set_audio_ctx(audio_ctx);
        params.set_no_timestamps(true);
        params.set_single_segment(true);
        params.set_max_tokens(1);
        params.set_temperature_inc(0.0);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        state.full(params, &padded)
    }
}

/// The fewest words a back-to-back repeat must cover to be taken for a decoder loop: one word
/// six times running, two words three times, three words three times, four or more twice.
/// People repeat too, but less: "row, row, row, row your boat", "call me back, call me back",
/// a number said twice running.
const LOOP_MIN_WORDS: usize = 6;

/// Whether the decoded text repeats itself back to back over [`LOOP_MIN_WORDS`] words or more
/// (a phrase of under four words three times at least): the way whisper fails when it goes
/// round a loop.
fn repeats_itself(tokens: &[RawToken]) -> bool {
    let text: String = tokens.iter().map(|t| t.piece.as_str()).collect();
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (1..=words.len() / 2).any(|n| {
        (0..=words.len() - 2 * n).any(|i| {
            let gram = &words[i..i + n];
            let times = words[i..]
                .chunks_exact(n)
                .take_while(|chunk| *chunk == gram)
                .count();
            let fewest = if n < 4 { 3 } else { 2 };
            times >= fewest && n * times >= LOOP_MIN_WORDS
        })
    })
}

/// Most tokens of the words before a number given to the digit reading.
const MAX_PREFIX_TOKENS: usize = 96;

/// One decoded text token with whisper's times.
struct RawToken {
    piece: String,
    t0: f64,
    t1: f64,
    /// The DTW alignment time: where the token's sound ends (within a few tens of
    /// milliseconds on speech, where `t0`/`t1` can stray by seconds).
    dtw: Option<f64>,
    p: f32,
}

/// The longest a token is taken to last per digit or, for words, at least; seconds. When the
/// alignment leaves a longer gap before a token, the gap is a pause and the token starts this
/// long before its end.
const MAX_TOKEN_S: f64 = 0.6;

/// The longest `piece` is taken to last: [`MAX_TOKEN_S`] per digit ("70" is two spoken words),
/// and for words 90 ms per letter, at least [`MAX_TOKEN_S`].
fn max_token_s(piece: &str) -> f64 {
    let digits = piece.bytes().filter(u8::is_ascii_digit).count();
    let letters = piece.chars().filter(|c| c.is_alphabetic()).count();
    (MAX_TOKEN_S * digits.max(1) as f64).max(0.09 * letters as f64)
}

/// Each token's `(start, end)`, seconds. With DTW alignment times (which mark where a token's
/// sound ends) a token runs from the previous token's alignment time to its own, at most
/// [`max_token_s`]. Punctuation has no sound of its own: the alignment often hands it the
/// start of the next word's, so punctuation gets an empty span and the word after it starts
/// where the word before it ended. Without alignment times whisper's `t0`/`t1` are used as
/// they are. Times never go backwards.
fn token_spans(tokens: &[RawToken]) -> Vec<(f64, f64)> {
    if tokens.is_empty() || tokens.iter().any(|t| t.dtw.is_none()) {
        return tokens.iter().map(|t| (t.t0, t.t1.max(t.t0))).collect();
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut prev_end: Option<f64> = None;
    for t in tokens {
        let floor = prev_end.unwrap_or(0.0);
        if !t.piece.chars().any(char::is_alphanumeric) {
            out.push((floor, floor));
            continue;
        }
        let end = t.dtw.unwrap_or(t.t1).max(floor);
        let longest = max_token_s(&t.piece);
        let start = match prev_end {
            Some(p) => p.max(end - longest),
            None if t.t0 < end => t.t0.max(end - longest),
            None => (end - longest).max(0.0),
        };
        out.push((start, end));
        prev_end = Some(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(piece: &str, t0: f64, t1: f64, dtw: Option<f64>) -> RawToken {
        RawToken {
            piece: piece.to_string(),
            t0,
            t1,
            dtw,
            p: 1.0,
        }
    }

    #[test]
    fn loops_are_told_from_repeats_people_make() {
        let says = |text: &str| {
            let tokens: Vec<RawToken> = text
                .split_inclusive(' ')
                .map(|w| tok(w, 0.0, 0.1, None))
                .collect();
            repeats_itself(&tokens)
        };
        assert!(says("Row, row, row, row, row, row, row. Think engine."));
        assert!(says(
            "Wait, operator, operator, operator, operator, operator, operator"
        ));
        assert!(says(
            "Please do not overemphasize it. Please do not overemphasize it."
        ));
        assert!(says("thank you bye thank you bye thank you bye"));
        assert!(!says("thank you bye thank you bye"));
        assert!(!says("Row, row, row, row your boat."));
        assert!(!says("Call me back, call me back at 850 936 7028."));
        assert!(!says("It's 850 936 7028, 850 936 7028."));
        assert!(!says(""));
    }

    #[test]
    fn descriptions_of_sounds_are_not_words() {
        let pieces = [
            " Hi", " [", "BL", "ANK", "_", "AUDIO", "]", " it", "'s", " (", "music", ")", " Sam",
            " *", "sigh", "*", " ♪", " at", " (", "850", ")", " 936", " bye", " (", "oh",
        ];
        let tokens = pieces.iter().map(|p| tok(p, 0.0, 0.1, None)).collect();
        let kept: String = without_annotations(tokens)
            .iter()
            .map(|t| t.piece.as_str())
            .collect();
        assert_eq!(kept, " Hi it's Sam at (850) 936 bye (oh");
    }

    #[test]
    fn alignment_times_end_tokens_and_start_the_next() {
        let toks = [
            tok(" call", 5.99, 5.99, Some(4.26)),
            tok(" at", 6.04, 6.04, Some(4.52)),
            tok(" 8", 6.06, 6.11, Some(4.94)),
            tok(" 50", 6.11, 6.26, Some(6.16)),
            tok("-", 6.3, 6.3, Some(7.0)),
            tok("36", 6.3, 6.4, Some(7.1)),
        ];
        let spans = token_spans(&toks);
        assert!((spans[1].0 - 4.26).abs() < 1e-9 && (spans[1].1 - 4.52).abs() < 1e-9);
        assert!((spans[2].0 - 4.52).abs() < 1e-9 && (spans[2].1 - 4.94).abs() < 1e-9);
        // A gap longer than a token is a pause: the token starts at most MAX_TOKEN_S per digit
        // before its end.
        assert!((spans[3].0 - (6.16 - 2.0 * MAX_TOKEN_S)).abs() < 1e-9);
        // Punctuation is empty and the next token starts where the last word ended.
        assert_eq!(spans[4], (6.16, 6.16));
        assert!((spans[5].0 - 6.16).abs() < 1e-9 && (spans[5].1 - 7.1).abs() < 1e-9);
        // The first token starts MAX_TOKEN_S before its end when whisper's t0 is no help.
        assert!((spans[0].0 - (4.26 - MAX_TOKEN_S)).abs() < 1e-9);
        let first = token_spans(&[tok(" John", 0.49, 3.06, Some(0.72))]);
        assert_eq!(first, vec![(0.49, 0.72)]);
    }

    #[test]
    fn without_alignment_times_whisper_times_are_kept() {
        let toks = [tok(" a", 1.0, 1.2, None), tok(" b", 1.2, 1.1, Some(2.0))];
        assert_eq!(token_spans(&toks), vec![(1.0, 1.2), (1.2, 1.2)]);
        assert!(token_spans(&[]).is_empty());
    }
}
