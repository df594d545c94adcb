//! What was said and when: time spans, transcribed words, callback numbers and their digit
//! groups, the caller's self-introduction and the pacing of the details. The report holds these
//! values (and re-exports them); the modules that find them import them from here, and this
//! module imports nothing from the crate.

use serde::{Deserialize, Serialize};

/// A time span cited as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Span {
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
}

/// A time as `m:ss.s` (e.g. `1:05.2`), as every readable text (advice messages, the text
/// report, the HTML page) shows a point in a recording; negative times read as `0:00.0`.
pub fn clock(t: f64) -> String {
    let t = t.max(0.0);
    let m = (t / 60.0).floor();
    format!("{}:{:04.1}", m as u64, t - 60.0 * m)
}

impl Span {
    /// Its span as `m:ss.s-m:ss.s`.
    pub fn clock(&self) -> String {
        format!("{}-{}", clock(self.start_s), clock(self.end_s))
    }

    /// Its length, seconds.
    pub fn duration_s(&self) -> f64 {
        self.end_s - self.start_s
    }
}

/// A transcript with word timings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Transcript {
    /// The model's name, e.g. `"ggml-tiny.en"`.
    pub model: String,
    /// The whole text.
    pub text: String,
    /// Words with their times.
    pub words: Vec<Word>,
    /// How many other recordings shared the whisper window this one was transcribed in (a
    /// batch packs short recordings together: `Batch::pack`); 0 when it was transcribed alone.
    /// Its words are its own either way, but the decoder heard the others too.
    #[serde(default)]
    pub packed_with: usize,
}

/// One transcribed word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Piece {
    /// The token's text, spaces trimmed.
    pub text: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
}

impl Word {
    /// The words of `text`, said one after another `step_s` apart, each lasting `length_s` and
    /// heard with `probability`: words without a transcriber's times (a number typed in, tests).
    pub(crate) fn evenly(text: &str, step_s: f64, length_s: f64, probability: f64) -> Vec<Word> {
        text.split_whitespace()
            .enumerate()
            .map(|(k, t)| Word {
                text: t.to_string(),
                start_s: k as f64 * step_s,
                end_s: k as f64 * step_s + length_s,
                probability,
                pieces: Vec::new(),
            })
            .collect()
    }

    /// Whether the word is a spoken digit: a numeral (`"7"`, `"7,"`) or a digit word
    /// (`"seven"`, `"zero"`, `"oh"`).
    pub fn is_digit(&self) -> bool {
        crate::lexicon::is_spoken_digit(&self.text)
    }
}

/// A callback number heard in the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
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
    /// Digit groups with their times, as said: split where the caller paused inside the number
    /// (silences of at least 0.25 s; when the caller pauses between digits too, only those
    /// clearly longer than the rest); one group when said in one breath.
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

/// A group of digits said together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DigitGroup {
    /// Digits only.
    pub digits: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
}

impl PhoneNumber {
    /// Fewest digits a callback number has: a local number without its area code (555-1212).
    /// Shorter runs of digits are times, prices and street numbers.
    pub const MIN_DIGITS: usize = 7;
    /// Digits of a North American number without its country code `1` (850-936-7028).
    pub const NANP_DIGITS: usize = 10;
    /// Most digits a number said in a message is read as: a country code and a national number
    /// (12 or 13 digits); a longer run is two numbers, or figures that are not a phone number.
    pub const MAX_SAID_DIGITS: usize = 13;
    /// Most digits a number given as the one meant may have: E.164's limit for any country.
    pub const MAX_DIGITS: usize = 15;

    /// The group sizes a number of these digits is said in: 7 digits 3-4, 8 digits 4-4, 10
    /// digits 3-3-4, 11 with a leading 1 1-3-3-4, British 11 digits with a leading 0 3-4-4
    /// (London's 020) or 5-6 (the rest); four digits or fewer in one group; anything else in
    /// threes, the longer group last.
    pub fn usual_groups(digits: &str) -> Vec<usize> {
        let n = digits.len();
        match (n, digits.as_bytes().first()) {
            (7, _) => vec![3, 4],
            (8, _) => vec![4, 4],
            (10, _) => vec![3, 3, 4],
            (11, Some(b'1')) => vec![1, 3, 3, 4],
            (11, Some(b'0')) if digits.starts_with("02") => vec![3, 4, 4],
            (11, Some(b'0')) => vec![5, 6],
            _ if n <= 4 => vec![n],
            _ => {
                let mut s = vec![3; n / 3];
                if let Some(last) = s.last_mut() {
                    *last += n % 3;
                }
                s
            }
        }
    }

    /// The digits without a leading North American `1` when there are 11 of them: the number
    /// as a local directory or CRM holds it.
    pub fn national(&self) -> &str {
        national(&self.digits)
    }

    /// Its time span, first digit to last.
    pub fn span(&self) -> Span {
        Span {
            start_s: self.start_s,
            end_s: self.end_s,
        }
    }

    /// The time span of the group holding digit `position`; the whole number when its groups
    /// do not hold its digits one for one.
    pub fn group_span(&self, position: usize) -> Span {
        let held: usize = self.groups.iter().map(|g| g.digits.len()).sum();
        if held != self.digits.len() {
            return self.span();
        }
        let mut end = 0;
        for g in &self.groups {
            end += g.digits.len();
            if position < end {
                return Span {
                    start_s: g.start_s,
                    end_s: g.end_s,
                };
            }
        }
        self.span()
    }

    /// The spans of the digit groups holding the unclear digits, once each; the whole number
    /// when none is marked.
    pub fn unclear_spans(&self) -> Vec<Span> {
        if self.unclear_digits.is_empty() {
            return vec![self.span()];
        }
        let mut out: Vec<Span> = Vec::new();
        for &i in &self.unclear_digits {
            let s = self.group_span(i);
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// The confidence as reports print it and rules compare it: two decimals, rounded down, so
    /// that a figure under a target of ">= 0.80" is never printed as 0.80 and every report
    /// (text, notices, advice) shows the same figure.
    pub fn confidence_shown(&self) -> String {
        format!("{:.2}", (self.confidence * 100.0).floor() / 100.0)
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

/// Another digit string the number may be, with its probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Alternative {
    /// The digits.
    pub digits: String,
    /// Its share of the probability of the strings weighed (0 to 1).
    pub probability: f64,
    /// Which reading proposed it: `"transcript"` (the free transcription) or `"digits"` (the
    /// digit-only second reading).
    pub source: String,
}

/// Where a heard number differs from the expected one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DigitDifference {
    /// Position in the expected digits (0-based); for an extra digit heard, the position it
    /// was heard before.
    pub position: usize,
    /// The expected digit; `None` for a digit heard that was not expected.
    pub expected: Option<char>,
    /// The digit heard; `None` for an expected digit that was not heard.
    pub heard: Option<char>,
}

/// The caller saying who they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Introduction {
    /// The words that introduce the name (`"this is"`, `"my name is"`, `"it's"`), or `"name"`
    /// when the name was found because the caller's name was given.
    pub cue: String,
    /// The name as transcribed.
    pub name: String,
    /// When the name starts, seconds.
    pub start_s: f64,
    /// When the name ends, seconds.
    pub end_s: f64,
    /// Index of the name's first word in the transcript.
    pub first_word: usize,
    /// Number of words in the name.
    pub words: usize,
    /// With the caller's name given: whether it was heard as given (`true`: said so, or heard
    /// close enough, "Muse" for "Mewse"); `false`: the name heard after the cue is another.
    /// `None` when no name was given.
    #[serde(default)]
    pub heard_as_given: Option<bool>,
}

/// Speaking rates of the details and of the rest of the message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Pacing {
    /// Where the caller's name is said.
    pub name: Option<Span>,
    /// Where the callback numbers are said (first to last digit of each).
    pub numbers: Vec<Span>,
    /// Transcript syllables per second of phonation while saying the name.
    pub name_sps: Option<f64>,
    /// Transcript syllables per second of phonation while saying the numbers.
    pub number_sps: Option<f64>,
    /// Transcript syllables per second of phonation over name and numbers together.
    pub details_sps: Option<f64>,
    /// Transcript syllables per second of phonation over the rest of the message.
    pub rest_sps: Option<f64>,
    /// `details_sps / rest_sps`: below 1 when the details are said more slowly.
    pub ratio: Option<f64>,
    /// Acoustic syllable nuclei per second of phonation over the details.
    pub details_nuclei_sps: Option<f64>,
    /// Acoustic syllable nuclei per second of phonation over the rest.
    pub rest_nuclei_sps: Option<f64>,
    /// `details_nuclei_sps / rest_nuclei_sps`.
    pub nuclei_ratio: Option<f64>,
}

/// `digits` without a leading North American `1` when it has 11 digits.
pub(crate) fn national(digits: &str) -> &str {
    if digits.len() == PhoneNumber::NANP_DIGITS + 1 && digits.starts_with('1') {
        &digits[1..]
    } else {
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::PhoneNumber;

    #[test]
    fn numbers_are_grouped_by_their_length_and_country() {
        let sizes = |d: &str| PhoneNumber::usual_groups(d);
        assert_eq!(sizes("5551212"), [3, 4]);
        assert_eq!(sizes("42136678"), [4, 4]);
        assert_eq!(sizes("8509367028"), [3, 3, 4]);
        assert_eq!(sizes("18509367028"), [1, 3, 3, 4]);
        assert_eq!(sizes("02079460958"), [3, 4, 4]);
        assert_eq!(sizes("01632960123"), [5, 6]);
        assert_eq!(sizes("97201"), [5]);
        assert_eq!(sizes("123"), [3]);
        assert_eq!(sizes("123456789"), [3, 3, 3]);
        assert_eq!(sizes("442079460958"), [3, 3, 3, 3]);
    }
}
