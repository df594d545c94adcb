//! What every whisper pass here shares: the window's arithmetic (samples, seconds, encoder
//! positions), the decoding parameters common to transcribing and to reading digits, and the
//! error a failed whisper call becomes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use whisper_rs::{FullParams, SamplingStrategy, WhisperError};

use crate::error::Error;

/// The rate of the samples a [`Transcriber`](super::Transcriber) takes, Hz: whisper's own, the
/// crate's analysis rate ([`ANALYSIS_RATE_HZ`](crate::audio::ANALYSIS_RATE_HZ)), so that
/// [`Conditioned::samples`](crate::Conditioned::samples) go in as they are.
pub const SAMPLE_RATE_HZ: u32 = crate::audio::ANALYSIS_RATE_HZ;

/// Whisper's window, seconds: the encoder hears at most this much at a time.
pub(crate) const WINDOW_S: f64 = 30.0;

/// Encoder positions per second of audio: the window's 1500 positions over its 30 s.
const POSITIONS_PER_S: f64 = 50.0;

/// Encoder positions of a whole window.
pub(crate) const WINDOW_POSITIONS: i32 = 1500;

/// Seconds of `n` samples at [`SAMPLE_RATE_HZ`].
pub(crate) fn seconds(n: usize) -> f64 {
    n as f64 / f64::from(SAMPLE_RATE_HZ)
}

/// Samples in `t` seconds at [`SAMPLE_RATE_HZ`] (none before 0).
pub(crate) fn samples_in(t: f64) -> usize {
    (t.max(0.0) * f64::from(SAMPLE_RATE_HZ)) as usize
}

/// Encoder positions covering `t` seconds, at most a whole window's.
pub(crate) fn positions_for(t: f64) -> i32 {
    ((t * POSITIONS_PER_S).ceil() as i32).min(WINDOW_POSITIONS)
}

/// The error a failed whisper call becomes: what was being done, and whisper's word for it.
pub(crate) fn failed(what: &str, e: WhisperError) -> Error {
    Error::Transcription {
        reason: format!("{what}: {e}"),
    }
}

/// How every whisper pass of a transcriber runs: its threads, language and abort flag.
pub(crate) struct Decoding<'a> {
    pub(crate) threads: usize,
    pub(crate) language: &'a str,
    pub(crate) abort: Option<&'a Arc<AtomicBool>>,
}

impl<'a> Decoding<'a> {
    /// Whisper's parameters for `strategy` with what every pass shares: the threads, the
    /// language, the abort flag polled, and nothing printed.
    pub(crate) fn params(&self, strategy: SamplingStrategy) -> FullParams<'a, 'a> {
        let mut params = FullParams::new(strategy);
        // The closure is handed over boxed: whisper-rs 0.16's `set_abort_callback_safe` boxes
        // its argument as `Box<dyn FnMut>` but calls it back as the argument's own type, which
        // is only the same thing when that type is itself a `Box<dyn FnMut() -> bool>`. A bare
        // closure is read from the wrong memory, and the flag it reads can stop decoding at
        // random.
        if let Some(flag) = self.abort {
            let flag = Arc::clone(flag);
            let poll: Box<dyn FnMut() -> bool> = Box::new(move || flag.load(Ordering::Relaxed));
            params.set_abort_callback_safe(poll);
        }
        params.set_n_threads(self.threads as i32);
        params.set_language(Some(self.language));
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params
    }
}
