//! The decoder of the second reading: the window around a callback number decoded again by the
//! transcriber's model with the decoder allowed nothing but digits, separators and the end.

use whisper_rs::{SamplingStrategy, WhisperState};

use super::search::{self, DigitVocab};
use super::{DigitReading, ReadDigits, ReadingWindow};
use crate::error::Result;
use crate::transcribe::{
    failed, positions_for, samples_in, seconds, Decoding, Transcriber, WINDOW_S,
};

/// Most tokens of the words before a number given to the digit reading.
const MAX_PREFIX_TOKENS: usize = 96;

/// What reads numbers again: the transcriber's own model (one copy of the weights in memory)
/// and its digit tokens.
pub(crate) struct DigitReader<'t> {
    transcriber: &'t Transcriber,
    vocab: DigitVocab,
}

impl<'t> DigitReader<'t> {
    /// The reader for `transcriber`'s model in its language; `None` when the transcriber is
    /// set not to read numbers twice (`TranscribeOptions::read_numbers_twice`) or a digit has
    /// no single token in its model.
    pub(crate) fn new(transcriber: &'t Transcriber) -> Option<Self> {
        if !transcriber.reads_numbers_twice() {
            return None;
        }
        let lang_id = whisper_rs::get_lang_id(transcriber.decoding().language).unwrap_or(0);
        DigitVocab::new(transcriber.whisper_context(), lang_id)
            .map(|vocab| DigitReader { transcriber, vocab })
    }
}

impl ReadDigits for DigitReader<'_> {
    /// The window decoded with digits only, on the transcriber's model ([`ReadDigits::read`]).
    fn read(
        &self,
        samples: &[f32],
        window: &ReadingWindow,
        also_score: Option<&str>,
        prior: &dyn Fn(&str) -> Option<f64>,
    ) -> Result<Vec<(DigitReading, f64)>> {
        let (vocab, ctx) = (&self.vocab, self.transcriber.whisper_context());
        let decoding = self.transcriber.decoding();
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
        encode_window(&decoding, &mut state, &samples[a..b])
            .map_err(|e| failed("encoding a digit window", e))?;
        let words = |text: &str| -> Result<Vec<whisper_rs::WhisperTokenId>> {
            let text: String = text.chars().filter(|&c| c != '\0').collect();
            if text.trim().is_empty() {
                return Ok(Vec::new());
            }
            search::tokenize(ctx, &format!(" {}", text.trim())).map_err(|e| failed("tokenizing", e))
        };
        let mut before = words(&window.before)?;
        // The decoder's context is 448 tokens; a long prefix keeps its end.
        before.drain(..before.len().saturating_sub(MAX_PREFIX_TOKENS));
        let mut prompt = vocab.head().to_vec();
        prompt.extend(before);
        let maybe = words(&window.maybe_digit)?;
        let roots = search::roots(&mut state, vocab, prompt, &maybe, threads)
            .map_err(|e| failed("reading digits", e))?;
        let limits = search::SearchLimits::default();
        let mut found = search::search(&mut state, vocab, &roots, threads, limits, prior)
            .map_err(|e| failed("reading digits", e))?;
        if let Some(first) = also_score.filter(|f| !found.iter().any(|r| r.0.digits == *f)) {
            if let Some(r) = search::score(&mut state, vocab, &roots, threads, first)
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
const WINDOW_PAD_S: f64 = 2.0;

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
