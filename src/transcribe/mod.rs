//! Offline transcription with whisper.cpp (through whisper-rs), with word timings.
//!
//! A [`Transcriber`] loads a ggml model once (after [`check_ggml`](crate::model::check_ggml) has
//! vetted the file) and is shared across files and threads: each call makes its own whisper state.
//! Audio is the 16 kHz mono `f32` of [`audio::decode`](crate::audio::decode). Sub-word tokens are
//! merged into words (a token that starts with a space starts a word), each with the start of its
//! first token, the end of its last, and the mean token probability.
//!
//! The transcriber is only in builds with the `transcribe` feature (on by default); without it
//! this module is empty.

#[cfg(feature = "fetch")]
mod fetch;
#[cfg(feature = "transcribe")]
mod models;
#[cfg(feature = "transcribe")]
mod packing;
#[cfg(feature = "transcribe")]
mod tokens;
#[cfg(feature = "transcribe")]
mod whisper;
#[cfg(feature = "transcribe")]
mod window;
#[cfg(feature = "fetch")]
pub use fetch::{DEFAULT_SOURCE, SOURCE_ENV};
#[cfg(feature = "transcribe")]
pub use models::{is_model_name, model_cache_dir, resolve_model};
#[cfg(feature = "transcribe")]
pub use packing::{fit_in_one_window, PACK_MAX_S};
#[cfg(feature = "transcribe")]
pub use whisper::{
    default_model_path, TranscribeOptions, Transcriber, DEFAULT_MODEL_FILE, FIT_MARGIN_S, MODEL_ENV,
};
#[cfg(feature = "transcribe")]
pub use window::SAMPLE_RATE_HZ;
// What every whisper pass shares, for the number's second reading (`numbers::second_reading`).
#[cfg(feature = "transcribe")]
pub(crate) use window::{failed, positions_for, samples_in, seconds, Decoding, WINDOW_S};
