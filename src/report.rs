//! The report: plain serde data following the report contract (schema version 1).
//!
//! Units are in the field names (`_s` seconds, `_hz`, `_st` semitones, `_sps` syllables per
//! second, `_db`/`_dbfs`). A figure that could not be measured is `None` (JSON `null`), never a
//! made-up number; an empty list is `[]`.

use serde::{Deserialize, Serialize};

use crate::audio::AudioInfo;
use crate::error::Error;
use crate::pitch::{PhraseEnding, PitchSummary};
use crate::prosody::{Level, Speech};
use crate::rate::Rate;

/// The report format's version; bumped only for a breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything measured on one recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The input as named by the caller.
    pub file: String,
    /// What the file header says.
    pub audio: AudioInfo,
    /// Speech span, silences and pauses.
    pub speech: Speech,
    /// Syllables and speaking rate.
    pub rate: Rate,
    /// Pitch track and its summary.
    pub pitch: PitchReport,
    /// Loudness and clipping.
    pub level: Level,
    /// The transcript; `None` when transcription was off or impossible.
    pub transcript: Option<Transcript>,
    /// Callback numbers heard in the message.
    pub phone_numbers: Vec<PhoneNumber>,
    /// Verdicts of the rulebook.
    pub advice: Vec<Advice>,
    /// Time spent per stage, milliseconds.
    pub timings_ms: Timings,
    /// Things the reader should know about this analysis (e.g. why there is no transcript).
    #[serde(default)]
    pub notices: Vec<String>,
}

/// The report's `pitch` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PitchReport {
    /// Seconds between values of `f0_hz`.
    pub hop_s: f64,
    /// F0 per hop from t = 0, Hz; `0.0` where unvoiced.
    pub f0_hz: Vec<f32>,
    /// Summary of voiced frames inside the speech span.
    #[serde(flatten)]
    pub summary: PitchSummary,
    /// Terminal pitch movement of each phrase (speech between pauses).
    pub phrases: Vec<PhraseEnding>,
}

/// A transcript with word timings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// The model's name, e.g. `"ggml-tiny.en"`.
    pub model: String,
    /// The whole text.
    pub text: String,
    /// Words with their times.
    pub words: Vec<Word>,
}

/// One transcribed word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// As transcribed, punctuation included.
    pub text: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
    /// The model's confidence, 0..=1.
    pub probability: f64,
}

/// A callback number heard in the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// Digits only.
    pub digits: String,
    /// As transcribed.
    pub text: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
    /// Digits over the spoken span.
    pub digits_per_second: f64,
    /// Digit groups with their times.
    pub groups: Vec<DigitGroup>,
    /// Whether the digits equal the expected number; `None` when none was given.
    pub matches_expected: Option<bool>,
}

/// A group of digits said together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitGroup {
    /// Digits only.
    pub digits: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
}

/// A time span cited as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
}

/// One rule's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// Stable rule id, e.g. `"length.max"`.
    pub rule: String,
    /// `pass`, `warn`, `fail` or `not_applicable`.
    pub verdict: Verdict,
    /// The measured value, if any.
    pub measured: Option<f64>,
    /// The target, in words.
    pub target: String,
    /// What to do, in a sentence.
    pub message: String,
    /// Author and title of the advice.
    pub source: String,
    /// Where to listen.
    pub evidence: Vec<Span>,
}

/// A rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The recording follows the advice.
    Pass,
    /// Close to the limit.
    Warn,
    /// The recording goes against the advice.
    Fail,
    /// The rule could not be judged (e.g. no transcript).
    NotApplicable,
}

/// Time spent per stage, milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Reading, decoding and resampling.
    pub decode: f64,
    /// Pitch tracking.
    pub pitch: f64,
    /// Intensity, speech span, pauses and syllable nuclei.
    pub rate: f64,
    /// Transcription; `None` when not run.
    pub transcribe: Option<f64>,
    /// Everything.
    pub total: f64,
}

/// The record printed in place of a report for an input that could not be analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorRecord {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The input as named by the caller.
    pub file: String,
    /// What went wrong.
    pub error: ErrorInfo,
}

/// The error inside an [`ErrorRecord`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// [`Error::kind`], e.g. `"unsupported_encoding"`.
    pub kind: String,
    /// The error's full message.
    pub message: String,
}

impl ErrorRecord {
    /// The record for `error` on input `file`.
    pub fn new(file: impl Into<String>, error: &Error) -> Self {
        ErrorRecord {
            schema_version: SCHEMA_VERSION,
            file: file.into(),
            error: ErrorInfo {
                kind: error.kind().to_string(),
                message: error.to_string(),
            },
        }
    }
}
