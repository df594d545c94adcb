//! # voicemail-coach
//!
//! Measures a recorded sales voicemail — its length, silences, speaking rate and pitch — so that a
//! caller can see, with numbers and the times to listen to, whether the message follows the advice
//! of sales trainers on getting voicemails returned: keep it short, slow down (above all for your
//! name and number), sound confident and warm rather than monotone.
//!
//! The whole analysis (the words too) loads the default whisper model once
//! (`scripts/fetch-model` puts it in place; a missing model is an [`Error::Model`] naming the
//! path and how to get one):
//!
//! ```no_run
//! use voicemail_coach::{Analyzer, Options, Status};
//!
//! let analyzer = Analyzer::new(Options::default())?.with_default_model()?;
//! let report = analyzer.analyze_path("fixtures/voicemail/clark-slow.wav")?;
//! assert_eq!(report.status, Status::Ok); // speech, and its words heard
//! for number in &report.phone_numbers {
//!     println!("{} at {:.1} digits/s", number.grouped(), number.digits_per_second);
//! }
//! for advice in &report.advice {
//!     println!("{:?} {}: {}", advice.verdict, advice.rule, advice.message);
//! }
//! # Ok::<(), voicemail_coach::Error>(())
//! ```
//!
//! Without a model, the acoustic analysis alone is the explicit choice: the report's `status` is
//! then `no_transcript`, and the rules that need the words are not judged.
//!
//! ```
//! use voicemail_coach::{Analyzer, Options, Status};
//!
//! let analyzer = Analyzer::new(Options::default())?; // no transcriber
//! let report = analyzer.analyze_path("fixtures/speech/demo-congrats.wav")?;
//! assert_eq!(report.status, Status::NoTranscript);
//! println!(
//!     "{:.1} s of speech, {:.2} syllables/s, median pitch {:.0} Hz",
//!     report.speech.end_s.unwrap_or(0.0) - report.speech.start_s.unwrap_or(0.0),
//!     report.rate.articulation_rate_sps.unwrap_or(0.0),
//!     report.pitch.summary.median_hz.unwrap_or(0.0),
//! );
//! assert!(report.rate.syllables > 50);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Many recordings
//! [`batch`] runs an analyzer over files, folders and lists in parallel (one model shared),
//! with progress and cancellation callbacks, a JSON-lines ledger to resume from, shards for
//! several machines, and the CSV, text ([`text`]) and HTML outputs:
//!
//! ```
//! use voicemail_coach::batch::{self, Batch};
//! use voicemail_coach::{Analyzer, Options};
//!
//! let analyzer = Analyzer::new(Options::default())?; // add a transcriber for the words
//! let inputs = batch::expand(&["fixtures/speech"])?; // the recordings below the folder
//! let mut finished = 0;
//! let done = Batch::new(&analyzer)
//!     .jobs(2)
//!     .collect(true)
//!     .on_entry(|_entry| finished += 1)
//!     .run(&inputs)?;
//! assert_eq!((done.analysed, done.failed), (inputs.len(), 0));
//! let table = batch::csv(&done.entries);
//! assert_eq!(table.lines().count(), 1 + inputs.len());
//! assert_eq!(finished, inputs.len());
//! # Ok::<(), voicemail_coach::Error>(())
//! ```
//!
//! ## How a recording flows
//! [`audio`] decodes the recording (WAV with PCM, float, G.711 or ADPCM; MP3, AAC/M4A, Ogg
//! Vorbis/Opus, FLAC and GSM with the `formats` feature) and conditions it to mono 16 kHz. The
//! [`Analyzer`] then tracks the pitch every 10 ms ([`PitchTracker`]), finds the speech span,
//! pauses and level, counts syllable nuclei without a transcript, and with a model
//! ([`transcribe`]) gives timed words, from which it finds the callback numbers (timing their
//! digit groups on the sound), the self-introduction and the pacing of name and number against
//! the rest. [`rules`] judges the measurements by the trainers' advice ([`Rulebook`], defaults
//! built in, overridable from TOML or JSON) into the report's `advice`, and [`campaign`]
//! compares successive messages to one prospect. [`report`] holds the serde report the example
//! binary prints as JSON, [`text`] writes it for reading, and [`html`] draws it as a
//! self-contained page. Samples already in memory go in through [`Analyzer::analyze_samples`].
//!
//! ## The public surface
//! What a user needs and nothing else: the [`Analyzer`] and its [`Options`] (with
//! [`DecodeOptions`], [`PitchOptions`], [`ProsodyOptions`], [`RateOptions`], [`Rulebook`]),
//! [`Context`], the [`report`] types (`#[non_exhaustive]`: read them, or build them from JSON),
//! [`rules`], [`campaign`], [`batch`], [`text`], [`html`], [`model`], [`transcribe`], decoding
//! in [`audio`], [`PitchTracker`] for pitch alone, and [`Error`]. The stages inside (DSP,
//! speech detection, syllable nuclei, number finding, phrase matching) are private, so they can
//! change without breaking anyone.

//! ## Feature flags
//! - `transcribe` (default): offline transcription with whisper.cpp through whisper-rs
//!   ([`transcribe`] module, [`Analyzer::with_transcriber`]); building it needs CMake and
//!   libclang. The acoustic analysis needs no feature and builds with `--no-default-features`.
//!   [`model`] (converting faster-whisper models to ggml) needs no feature either.
//! - `html` (default): [`html`] renders a report as a self-contained page (inline SVG timeline
//!   of waveform, pitch, words, pauses, name and number; verdicts; the recording embedded).
//!   Adds `maud` and `base64`.
//! - `formats` (default): compressed recordings in [`audio`]: MP3, AAC/M4A, Ogg Vorbis and Opus,
//!   FLAC, IMA/MS ADPCM in WAV and raw GSM 6.10 (through symphonia and opus-decoder). Without
//!   it, WAV with PCM, float or G.711 still decodes.
//! - `fetch` (default): a model named but not in the cache
//!   ([`resolve_model`](transcribe::resolve_model)) is downloaded from whisper.cpp's model
//!   repository (or `$VOICEMAIL_COACH_MODEL_SOURCE`), checked against the SHA-1 whisper.cpp
//!   publishes for it and written atomically. Adds `ureq` and `sha1`.
//! - `cli`: the `voicemail-coach` command, the example `analyze` built as an installed binary
//!   (`cargo install --path . --features cli` from a clone). Adds `clap`, `indicatif` and `ctrlc`.
//! - `openblas`: whisper.cpp's encoder matrix products through OpenBLAS (needs
//!   `libopenblas-dev`): faster transcription on the CPU (figures in the README).
//! - `cuda`, `vulkan`: whisper.cpp on a GPU (the CUDA toolkit, or the Vulkan headers, loader and
//!   `glslc`); the device is [`TranscribeOptions::gpu_device`](transcribe::TranscribeOptions).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod analyzer;
pub mod annotation;
pub mod audio;
pub mod batch;
pub mod campaign;
mod context;
mod dsp;
pub mod error;
#[cfg(feature = "html")]
pub mod html;
mod lexicon;
pub mod model;
mod nuclei;
mod numbers;
mod pacing;
mod pitch;
mod prosody;
pub mod report;
pub mod rules;
mod suggestion;
pub mod text;
pub mod transcribe;
mod wording;

/// Stages of the analysis for the crate's own benchmarks (`benches/`): not part of the API,
/// and free to change in any release.
#[doc(hidden)]
pub mod bench {
    pub use crate::dsp::Decimator;
    pub use crate::nuclei::SyllableDetector;

    /// Speech span, syllable nuclei and rates: the syllable-rate stage as the analyzer runs it,
    /// from the conditioned audio, its 8 kHz copy and its pitch track.
    pub fn syllable_rate(
        detector: &SyllableDetector,
        audio: &crate::Conditioned,
        narrow: &[f32],
        track: &crate::PitchTrack,
        options: &crate::ProsodyOptions,
    ) -> crate::report::Rate {
        crate::analyzer::syllable_stage(detector, audio, narrow, track, options).2
    }
}

pub use analyzer::{Analyzer, Options};
pub use audio::{Conditioned, DecodeOptions};
pub use context::Context;
pub use error::{Error, Result};
pub use nuclei::RateOptions;
pub use pitch::{PitchOptions, PitchTrack, PitchTracker};
pub use prosody::ProsodyOptions;
pub use report::{Advice, Encoding, ErrorRecord, Report, Status, Verdict};
pub use rules::Rulebook;
