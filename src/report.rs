//! The report: plain serde data following the report contract (schema version 1).
//!
//! Units are in the field names (`_s` seconds, `_hz`, `_st` semitones, `_sps` syllables per
//! second, `_db`/`_dbfs`). A figure that could not be measured is `None` (JSON `null`), never a
//! made-up number; an empty list is `[]`.

use serde::{Deserialize, Serialize};

pub use crate::audio::{AudioInfo, Container, Encoding};
use crate::error::Error;
pub use crate::pitch::{PhraseEnding, PitchSummary};
pub use crate::prosody::{Level, Pause, Speech};
pub use crate::rate::Rate;
pub use crate::spoken::{
    Alternative, DigitDifference, DigitGroup, Introduction, Pacing, PhoneNumber, Piece, Span,
    Transcript, Word,
};

/// The report format's version; bumped only for a breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything measured on one recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// The caller's self-introduction (name and where it is said); `None` when not found or
    /// without a transcript.
    #[serde(default)]
    pub introduction: Option<Introduction>,
    /// Speaking rate of the name and number against the rest of the message.
    #[serde(default)]
    pub pacing: Pacing,
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
#[non_exhaustive]
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

/// One rule's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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

/// A rule's verdict, ordered from least to most serious: not applicable < pass < warn < fail
/// (so the worst of several is their `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// The rule could not be judged (e.g. no transcript).
    NotApplicable,
    /// The recording follows the advice.
    Pass,
    /// Close to the limit.
    Warn,
    /// The recording goes against the advice.
    Fail,
}

/// Time spent per stage, milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Timings {
    /// Reading, decoding and resampling.
    pub decode: f64,
    /// Pitch tracking.
    pub pitch: f64,
    /// Intensity, speech span, pauses and syllable nuclei.
    pub rate: f64,
    /// Transcription; `None` when not run.
    pub transcribe: Option<f64>,
    /// The second, digit-only reading of the callback numbers; `None` when not run.
    #[serde(default)]
    pub numbers: Option<f64>,
    /// Everything.
    pub total: f64,
}

impl AsRef<Report> for Report {
    fn as_ref(&self) -> &Report {
        self
    }
}

impl AsMut<Report> for Report {
    fn as_mut(&mut self) -> &mut Report {
        self
    }
}

/// The record printed in place of a report for an input that could not be analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
#[non_exhaustive]
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
