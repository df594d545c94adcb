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

impl Word {
    /// Whether the word is a spoken digit: a numeral (`"7"`, `"7,"`) or a digit word
    /// (`"seven"`, `"zero"`, `"oh"`).
    pub fn is_digit(&self) -> bool {
        let t: String = self
            .text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        matches!(
            t.as_str(),
            "0" | "1"
                | "2"
                | "3"
                | "4"
                | "5"
                | "6"
                | "7"
                | "8"
                | "9"
                | "zero"
                | "oh"
                | "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
        )
    }
}

/// Moves the start of each spoken digit in `words` onto an acoustic onset (`onsets`, sorted
/// seconds): the digits, in order, take distinct onsets so that the total distance to the
/// transcriber's own start times is least; an onset more than `reach_s` away is never taken, and a
/// digit with none in reach keeps its time. Whisper times digits coarsely (its token timestamps
/// stray by a few hundred milliseconds); the onsets are where the sound of each digit begins.
/// Returns how many words moved.
pub fn snap_digit_starts(words: &mut [Word], onsets: &[f64], reach_s: f64) -> usize {
    let digits: Vec<usize> = (0..words.len()).filter(|&i| words[i].is_digit()).collect();
    if digits.is_empty() || onsets.is_empty() {
        return 0;
    }
    // cost[k][j]: best total for the first k digits with digit k-1 on onset j-1 or earlier; a
    // digit may also keep its own time (cost `reach_s`, what an onset at the reach would cost).
    let (k_n, j_n) = (digits.len(), onsets.len());
    let inf = f64::INFINITY;
    let mut cost = vec![vec![inf; j_n + 1]; k_n + 1];
    let mut choice = vec![vec![0u8; j_n + 1]; k_n + 1]; // 0 skip onset, 1 take it, 2 keep own
    cost[0].iter_mut().for_each(|c| *c = 0.0);
    for k in 1..=k_n {
        let t = words[digits[k - 1]].start_s;
        for j in 0..=j_n {
            // Keep the digit's own time, using no onset.
            let mut best = cost[k - 1][j] + reach_s;
            let mut pick = 2u8;
            if j > 0 {
                if cost[k][j - 1] < best {
                    best = cost[k][j - 1];
                    pick = 0;
                }
                let d = (onsets[j - 1] - t).abs();
                if d <= reach_s && cost[k - 1][j - 1] + d < best {
                    best = cost[k - 1][j - 1] + d;
                    pick = 1;
                }
            }
            cost[k][j] = best;
            choice[k][j] = pick;
        }
    }
    let (mut k, mut j, mut moved) = (k_n, j_n, 0);
    while k > 0 {
        match choice[k][j] {
            0 => j -= 1,
            1 => {
                let w = &mut words[digits[k - 1]];
                let onset = onsets[j - 1];
                if (w.start_s - onset).abs() > 1e-9 {
                    w.start_s = onset;
                    w.end_s = w.end_s.max(onset);
                    moved += 1;
                }
                k -= 1;
                j -= 1;
            }
            _ => k -= 1,
        }
    }
    moved
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

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, start_s: f64) -> Word {
        Word {
            text: text.into(),
            start_s,
            end_s: start_s + 0.2,
            probability: 0.9,
        }
    }

    #[test]
    fn digits_are_recognised() {
        for t in ["7", "7,", "0.", "Seven", "zero", "oh"] {
            assert!(w(t, 0.0).is_digit(), "{t}");
        }
        for t in ["seventy", "77", "call", "", "O'Neil"] {
            assert!(!w(t, 0.0).is_digit(), "{t}");
        }
    }

    #[test]
    fn digit_starts_take_distinct_onsets_in_order() {
        let mut words = vec![
            w("call", 0.0),
            w("8", 1.05),
            w("5", 1.35),
            w("0", 1.9),
            w("me", 2.5),
        ];
        // Onsets at the true starts 1.0, 1.5, 2.0, plus a stray one at 0.2.
        let moved = snap_digit_starts(&mut words, &[0.2, 1.0, 1.5, 2.0], 0.3);
        assert_eq!(moved, 3);
        let starts: Vec<f64> = words.iter().map(|w| w.start_s).collect();
        assert_eq!(starts, vec![0.0, 1.0, 1.5, 2.0, 2.5]);
        assert!(words.iter().all(|w| w.end_s >= w.start_s));
    }

    #[test]
    fn a_digit_without_an_onset_in_reach_keeps_its_time() {
        let mut words = vec![w("4", 1.0), w("2", 3.0)];
        let moved = snap_digit_starts(&mut words, &[1.1], 0.3);
        assert_eq!(moved, 1);
        assert_eq!(words[0].start_s, 1.1);
        assert_eq!(words[1].start_s, 3.0);
        assert_eq!(snap_digit_starts(&mut words, &[], 0.3), 0);
    }
}
