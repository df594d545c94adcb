//! The number's second reading: the window around a callback number decoded again with the
//! decoder allowed nothing but digits, separators and the end.

use whisper_rs::{SamplingStrategy, WhisperContext, WhisperState};

use super::digits::{self, DigitVocab};
use super::window::{failed, positions_for, samples_in, seconds, Decoding, WINDOW_S};
use super::{DigitReading, ReadingWindow};
use crate::error::Result;

/// Most tokens of the words before a number given to the digit reading.
pub(super) const MAX_PREFIX_TOKENS: usize = 96;

/// What reads numbers again: the model's digit tokens. It reads with the transcriber's own
/// model (one copy of the weights in memory).
pub(super) struct DigitReader {
    vocab: DigitVocab,
}

impl DigitReader {
    /// The reader for the model of `ctx` in `language`; `None` when a digit has no single
    /// token in it.
    pub(super) fn new(ctx: &WhisperContext, language: &str) -> Option<Self> {
        let lang_id = whisper_rs::get_lang_id(language).unwrap_or(0);
        DigitVocab::new(ctx, lang_id).map(|vocab| DigitReader { vocab })
    }

    /// Reads the digits said in `window` of `samples` (mono, at
    /// [`SAMPLE_RATE_HZ`](super::SAMPLE_RATE_HZ)) with the decoder allowed nothing but digits,
    /// separators and the end: the second reading of a callback number.
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
    pub(super) fn read(
        &self,
        ctx: &WhisperContext,
        decoding: &Decoding<'_>,
        samples: &[f32],
        window: &ReadingWindow,
        also_score: Option<&str>,
        prior: &dyn Fn(&str) -> Option<f64>,
    ) -> Result<Vec<(DigitReading, f64)>> {
        let vocab = &self.vocab;
        let index = |t: f64| samples_in(t).min(samples.len());
        let (a, b) = (index(window.from_s), index(window.to_s));
        let b = b.min(a + samples_in(WINDOW_S));
        if b <= a {
            return Ok(Vec::new());
        }
        let threads = decoding.threads;
        let mut state = ctx
            .create_state()
            .map_err(|e| failed("creating a whisper state", e))?;
        encode_window(decoding, &mut state, &samples[a..b])
            .map_err(|e| failed("encoding a digit window", e))?;
        let words = |text: &str| -> Result<Vec<whisper_rs::WhisperTokenId>> {
            let text: String = text.chars().filter(|&c| c != '\0').collect();
            if text.trim().is_empty() {
                return Ok(Vec::new());
            }
            digits::tokenize(ctx, &format!(" {}", text.trim())).map_err(|e| failed("tokenizing", e))
        };
        let mut before = words(&window.before)?;
        // The decoder's context is 448 tokens; a long prefix keeps its end.
        before.drain(..before.len().saturating_sub(MAX_PREFIX_TOKENS));
        let mut prompt = vocab.head().to_vec();
        prompt.extend(before);
        let maybe = words(&window.maybe_digit)?;
        let roots = digits::roots(&mut state, vocab, prompt, &maybe, threads)
            .map_err(|e| failed("reading digits", e))?;
        let limits = digits::SearchLimits::default();
        let mut found = digits::search(&mut state, vocab, &roots, threads, limits, prior)
            .map_err(|e| failed("reading digits", e))?;
        if let Some(first) = also_score.filter(|f| !found.iter().any(|r| r.0.digits == *f)) {
            if let Some(r) = digits::score(&mut state, vocab, &roots, threads, first)
                .map_err(|e| failed("scoring a reading", e))?
            {
                let s = r.log_prob + prior(first).unwrap_or(f64::NEG_INFINITY);
                found.push((r, s));
                found.sort_by(|x, y| y.1.total_cmp(&x.1));
            }
        }
        Ok(found)
    }
}

/// Seconds of silence the encoder sees after a digit window: whisper reads the end of the
/// speech better when it sees some silence after it, as in its 30 s training windows.
pub(super) const WINDOW_PAD_S: f64 = 2.0;

/// Encodes `window` with the encoder's context fitted to it (and [`WINDOW_PAD_S`] of silence
/// after it): a quarter of the work of a full 30 s window for a number and the words before
/// it. The binding sets the context size only through a full transcription, so one is run
/// with a single token to decode, its result set to count as no speech: whisper.cpp then
/// keeps no segment of it and so runs no DTW alignment, whose pass reads out of bounds
/// after an encoder context fitted to a short window (seen as a crash one run in a few
/// with `base`). The digit reading needs no token times.
fn encode_window(
    decoding: &Decoding<'_>,
    state: &mut WhisperState,
    window: &[f32],
) -> std::result::Result<(), whisper_rs::WhisperError> {
    // Silence after the window, which also keeps it over whisper's 1 s minimum.
    let pad = samples_in(WINDOW_PAD_S);
    let mut padded = Vec::with_capacity(window.len() + pad);
    padded.extend_from_slice(window);
    padded.resize(window.len() + pad, 0.0);
    let mut params = decoding.params(SamplingStrategy::Greedy { best_of: 1 });
    params.set_audio_ctx(positions_for(seconds(padded.len())));
    params.set_no_timestamps(true);
    params.set_single_segment(true);
    params.set_max_tokens(1);
    params.set_temperature_inc(0.0);
    // Every result counts as no speech (its no-speech probability is above -1 and its mean
    // log-probability below infinity): no segment, so no alignment pass.
    params.set_no_speech_thold(-1.0);
    params.set_logprob_thold(f32::INFINITY);
    state.full(params, &padded)
}
