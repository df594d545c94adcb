//! The report: plain serde data following the report contract (schema version 1).
//!
//! Units are in the field names (`_s` seconds, `_hz`, `_st` semitones, `_sps` syllables per
//! second, `_db`/`_dbfs`). A figure that could not be measured is `None` (JSON `null`), never a
//! made-up number; an empty list is `[]`.

use serde::{Deserialize, Serialize};

use crate::error::Error;

mod audio;
mod content;
mod speech;
mod spoken;
mod suggestion;
mod voice;

pub use audio::{AudioInfo, Container, Encoding};
pub use content::{Content, Filler, FillerKind, HeardIn, PhraseMatch, Promise};
pub use speech::{Level, Rate, RateContour, Speech};
pub(crate) use spoken::national;
pub use spoken::{
    clock, Alternative, DigitDifference, DigitGroup, Introduction, Pacing, PhoneNumber, Piece,
    Span, Transcript, Word,
};
pub use suggestion::{FormText, LeftOut, MessagePart, PartKind, SuggestedMessage};
pub use voice::{PhraseEnding, PitchSummary};

/// The report format's version; bumped only for a breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything measured on one recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The input as named by the caller.
    pub file: String,
    /// Whether there was speech to judge and its words were heard: read it before the
    /// verdicts (with no speech, no rule is judged; without a transcript, the rules that need
    /// the words are not).
    #[serde(default)]
    pub status: Status,
    /// Why the status is not [`Status::Ok`], in a sentence; `None` when it is.
    #[serde(default)]
    pub status_reason: Option<String>,
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
    /// What the words say: fillers, company or product talk, stock phrases, referrals and
    /// promised callbacks, found with the analyzer's rulebook; `None` without a transcript.
    #[serde(default)]
    pub content: Option<Content>,
    /// Verdicts of the rulebook.
    pub advice: Vec<Advice>,
    /// The message rewritten in the trainers' form from the parts the caller said, with what it
    /// leaves out; `None` without a transcript, or when the rulebook gives no form that fits.
    #[serde(default)]
    pub suggested_message: Option<SuggestedMessage>,
    /// Time spent per stage, milliseconds.
    pub timings_ms: Timings,
    /// Things the reader should know about this analysis (e.g. why there is no transcript).
    #[serde(default)]
    pub notices: Vec<String>,
}

impl Report {
    /// Sets the report's [`Status`]: no speech when the transcript holds no words, or when
    /// there is no transcript and no sound above the background (then no rule judges it: see
    /// `rules::evaluate`); no transcript, with `unheard` (why there is none), when there is
    /// sound but no words; ok otherwise. A report without speech keeps no speech figures.
    pub(crate) fn set_status(&mut self, unheard: Option<String>) {
        let report = self;
        let (status, reason) = match (&report.transcript, report.speech.start_s) {
            (Some(t), _) if t.words.is_empty() => (
                Status::NoSpeech,
                Some("the transcript holds no words".to_string()),
            ),
            (Some(_), _) => (Status::Ok, None),
            (None, None) => (
                Status::NoSpeech,
                Some("no sound above the background".to_string()),
            ),
            (None, Some(_)) => (
                Status::NoTranscript,
                Some(unheard.unwrap_or_else(|| "no transcript".into())),
            ),
        };
        if status == Status::NoSpeech {
            report.forget_speech();
        }
        report.status = status;
        report.status_reason = reason;
    }

    /// A recording without speech has no speech figures: what sound it holds (noise, a tone) is
    /// not speech to time or count, so its span, pauses, phonation and rates are null, not the
    /// noise's.
    fn forget_speech(&mut self) {
        self.speech = Speech::default();
        let rate = &mut self.rate;
        rate.syllables = 0;
        rate.nuclei_s.clear();
        rate.speech_rate_sps = None;
        rate.articulation_rate_sps = None;
        rate.words_per_minute = None;
        rate.transcript_syllables = None;
        rate.transcript_rate_sps = None;
    }
}

/// Whether a recording held speech to judge, and whether its words were heard.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Speech, transcribed: every rule could be judged.
    #[default]
    Ok,
    /// No speech found (silence, noise, a tone, or a transcript without words): nothing is
    /// judged, and every verdict is `not_applicable`.
    NoSpeech,
    /// Speech, but no transcript (transcription off, no model, or it failed: the report's
    /// `status_reason` says which): the rules that need the words are not judged.
    NoTranscript,
}

impl Status {
    /// The snake_case name the JSON and CSV use, e.g. `"no_speech"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NoSpeech => "no_speech",
            Status::NoTranscript => "no_transcript",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The report's `pitch` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
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

impl Verdict {
    /// The verdict as the JSON report spells it: `"pass"`, `"warn"`, `"fail"` or
    /// `"not_applicable"`.
    ///
    /// ```
    /// use voicemail_coach::Verdict;
    /// assert_eq!(Verdict::NotApplicable.as_str(), "not_applicable");
    /// assert_eq!(Verdict::Fail.to_string(), "fail");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotApplicable => "not_applicable",
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The advice to act on first: the first (in the rulebook's order, most important first) of the
/// worst verdicts, when any rule fails or warns.
pub fn most_pressing(advice: &[Advice]) -> Option<&Advice> {
    let worst = advice
        .iter()
        .map(|a| a.verdict)
        .filter(|v| matches!(v, Verdict::Fail | Verdict::Warn))
        .max()?;
    advice.iter().find(|a| a.verdict == worst)
}

/// Time spent per stage, milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

/// The JSON Schema (draft 2020-12) of a [`Report`] as the example binary prints it with
/// `--json` (each line also carries the batch's `input` stamp; an input that could not be
/// analysed prints an [`ErrorRecord`] instead). `docs/report.schema.json` in the repository is
/// this schema; a test keeps the two the same.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}

/// Decimals a time (a field whose name ends in `_s`, or a list under one) keeps in JSON output:
/// the millisecond.
const TIME_DECIMALS: i32 = 3;
/// Decimals every other fractional figure keeps in JSON output: more than any figure of the
/// report is measured to (Hz, dB, semitones, rates, probabilities).
const FIGURE_DECIMALS: i32 = 4;

/// Rounds the fractional figures of a report's JSON to what they are measured to: times to the
/// millisecond, other figures to four decimals (`0.58`, never `0.5800000000000001`; F0 values
/// stored as `f32` lose their binary tails). Whole numbers are left as they are.
pub fn round_figures(v: &mut serde_json::Value) {
    round_under(v, false);
}

/// `x` as the report's JSON holds it: a time (`time`) to the millisecond, any other figure to
/// four decimals. Other outputs (the CSV) round through this too, so that a report read back
/// from JSON gives the same text.
pub(crate) fn rounded(x: f64, time: bool) -> f64 {
    let digits = if time { TIME_DECIMALS } else { FIGURE_DECIMALS };
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

fn round_under(v: &mut serde_json::Value, time: bool) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64().map(|x| rounded(x, time)) {
                if let Some(r) = serde_json::Number::from_f64(x) {
                    *n = r;
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| round_under(x, time)),
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                round_under(x, k.ends_with("_s"));
            }
        }
        _ => {}
    }
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
