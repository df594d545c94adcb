//! The report: plain serde data following the report contract (schema version 1).
//!
//! Units are in the field names (`_s` seconds, `_hz`, `_st` semitones, `_sps` syllables per
//! second, `_db`/`_dbfs`). A figure that could not be measured is `None` (JSON `null`), never a
//! made-up number; an empty list is `[]`.

use serde::{Deserialize, Serialize};

use crate::audio::AudioInfo;
pub use crate::content::Introduction;
use crate::error::Error;
pub use crate::numbers::{Alternative, DigitDifference};
pub use crate::pacing::Pacing;
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
    /// The transcriber's tokens inside a word that holds digits (e.g. `"850"`, `"-"`, `"936"` of
    /// `"850-936-7028"`), each with its own times, so that digit groups can be timed; empty
    /// otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pieces: Vec<Piece>,
}

/// A token of a transcribed word, with its times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    /// The token's text, spaces trimmed.
    pub text: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
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

/// The open interval a word's start may move in: after the previous word's start, before the
/// next word's start.
fn start_bounds(words: &[Word], k: usize) -> (f64, f64) {
    let lo = if k > 0 {
        words[k - 1].start_s
    } else {
        f64::NEG_INFINITY
    };
    let hi = words.get(k + 1).map_or(f64::INFINITY, |w| w.start_s);
    (lo, hi)
}

/// Times spoken digits from the sound rather than from the transcriber, whose token timestamps
/// stray by a few hundred milliseconds. First, a run of consecutive digit words whose stretch
/// (from `reach_s` before its first start to `reach_s` after its last end) holds exactly as many
/// sounding-run starts (`run_starts`, sorted seconds) as it has digits, each digit said on its own,
/// takes those starts in order. Then [`snap_digit_starts`] moves the others onto acoustic `onsets`.
/// Returns how many words moved.
pub fn time_digits(words: &mut [Word], run_starts: &[f64], onsets: &[f64], reach_s: f64) -> usize {
    let mut moved = 0;
    let mut settled = vec![false; words.len()];
    let mut i = 0;
    while i < words.len() {
        if !words[i].is_digit() {
            i += 1;
            continue;
        }
        let j = (i..words.len())
            .find(|&k| !words[k].is_digit())
            .unwrap_or(words.len());
        let (from, to) = (words[i].start_s - reach_s, words[j - 1].end_s + reach_s);
        let starts: Vec<f64> = run_starts
            .iter()
            .copied()
            .filter(|&t| t >= from && t <= to)
            .collect();
        // The digits keep their order among the words around them.
        let before = if i > 0 {
            words[i - 1].start_s
        } else {
            f64::NEG_INFINITY
        };
        let after = words.get(j).map_or(f64::INFINITY, |w| w.start_s);
        let fits = starts.first().is_some_and(|&t| t > before)
            && starts.last().is_some_and(|&t| t < after);
        if starts.len() == j - i && fits {
            for (w, &t) in words[i..j].iter_mut().zip(&starts) {
                if (w.start_s - t).abs() > 1e-9 {
                    moved += 1;
                }
                w.start_s = t;
            }
            // Each digit ends where the next begins, at the latest.
            for k in i..j {
                let next = if k + 1 < j {
                    words[k + 1].start_s
                } else {
                    f64::INFINITY
                };
                let w = &mut words[k];
                w.end_s = w.end_s.min(next).max(w.start_s);
            }
            settled[i..j].iter_mut().for_each(|s| *s = true);
        }
        i = j;
    }
    let mut rest: Vec<Word> = Vec::new();
    let mut index = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if !settled[k] {
            rest.push(w.clone());
            index.push(k);
        }
    }
    moved += snap_digit_starts(&mut rest, onsets, reach_s);
    for (w, k) in rest.into_iter().zip(index) {
        words[k] = w;
    }
    moved
}

/// Moves the start of each spoken digit in `words` onto an acoustic onset (`onsets`, sorted
/// seconds): the digits, in order, take distinct onsets so that the total distance to the
/// transcriber's own start times is least; an onset more than `reach_s` away is never taken, and a
/// digit with none in reach keeps its time. Returns how many words moved.
pub fn snap_digit_starts(words: &mut [Word], onsets: &[f64], reach_s: f64) -> usize {
    let digits: Vec<usize> = (0..words.len()).filter(|&i| words[i].is_digit()).collect();
    if digits.is_empty() || onsets.is_empty() {
        return 0;
    }
    // cost[k][j]: best total for the first k digits with digit k-1 on onset j-1 or earlier; a
    // digit may also keep its own time (cost `reach_s`, what an onset at the reach would cost).
    let bounds: Vec<(f64, f64)> = digits.iter().map(|&k| start_bounds(words, k)).collect();
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
                let (lo, hi) = bounds[k - 1];
                let inside = onsets[j - 1] > lo && onsets[j - 1] < hi;
                if inside && d <= reach_s && cost[k - 1][j - 1] + d < best {
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

/// A time as `m:ss.s` (e.g. `1:05.2`), as the readable report and the HTML page show times;
/// negative times read as `0:00.0`.
pub fn clock(t: f64) -> String {
    let t = t.max(0.0);
    let m = (t / 60.0).floor();
    format!("{}:{:04.1}", m as u64, t - 60.0 * m)
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
    /// Silence between successive groups, seconds.
    #[serde(default)]
    pub group_gaps_s: Vec<f64>,
    /// Digits said after "extension", if any.
    #[serde(default)]
    pub extension: Option<String>,
    /// Index (in `phone_numbers`) of an earlier mention of the same number: it was said twice.
    #[serde(default)]
    pub repeat_of: Option<usize>,
    /// Where the digits differ from the expected number (empty when they match or when no
    /// number was expected).
    #[serde(default)]
    pub differences: Vec<DigitDifference>,
    /// How likely `digits` are to be exactly what was said, 0 to 1: weighed from two readings
    /// of the number (the transcript's and a digit-only one) and what numbers look like.
    #[serde(default)]
    pub confidence: f64,
    /// 0-based positions in `digits` of the digits a listener may mishear; empty when all are
    /// clear.
    #[serde(default)]
    pub unclear_digits: Vec<usize>,
    /// Other digit strings the number may be, likeliest first, where the readings disagree.
    #[serde(default)]
    pub alternatives: Vec<Alternative>,
}

impl PhoneNumber {
    /// Its time span, first digit to last.
    pub fn span(&self) -> Span {
        Span {
            start_s: self.start_s,
            end_s: self.end_s,
        }
    }

    /// The digits in their groups as said, e.g. `850-936-7028`; the plain digits when the
    /// groups do not hold them.
    pub fn grouped(&self) -> String {
        let held: String = self.groups.iter().map(|g| g.digits.as_str()).collect();
        if held == self.digits {
            let parts: Vec<&str> = self.groups.iter().map(|g| g.digits.as_str()).collect();
            parts.join("-")
        } else {
            self.digits.clone()
        }
    }
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

/// A rule's verdict, ordered from least to most serious: not applicable < pass < warn < fail
/// (so the worst of several is their `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
            pieces: Vec::new(),
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
    fn digits_said_one_by_one_take_their_sounding_runs() {
        // Whisper placed "0" 0.45 s late; three sounding runs start at 1.0, 1.6 and 2.1.
        let mut words = vec![w("call", 0.0), w("8", 1.05), w("5", 1.5), w("0", 2.55)];
        let moved = time_digits(&mut words, &[0.0, 1.0, 1.6, 2.1], &[], 0.3);
        assert_eq!(moved, 3);
        let starts: Vec<f64> = words.iter().map(|w| w.start_s).collect();
        assert_eq!(starts, vec![0.0, 1.0, 1.6, 2.1]);
        assert!(words.windows(2).skip(1).all(|p| p[0].end_s <= p[1].start_s));
        // With a sounding run too many, the runs are not trusted and the onsets decide.
        let mut words = vec![w("8", 1.05), w("5", 1.5)];
        time_digits(&mut words, &[1.0, 1.3, 1.6], &[1.0, 1.6], 0.3);
        assert_eq!((words[0].start_s, words[1].start_s), (1.0, 1.6));
    }

    #[test]
    fn a_digit_never_moves_before_the_word_before_it() {
        let mut words = vec![w("or", 19.23), w("8", 19.4), w("to", 19.8)];
        snap_digit_starts(&mut words, &[19.205, 19.5], 0.3);
        assert_eq!(words[1].start_s, 19.5);
        let mut words = vec![w("or", 19.23), w("8", 19.4), w("to", 19.8)];
        time_digits(&mut words, &[19.205], &[19.205], 0.3);
        assert_eq!(words[1].start_s, 19.4);
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
