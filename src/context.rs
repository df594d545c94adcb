//! What the analysis should know about a recording beyond its audio.

use crate::error::{Error, Result};
use crate::numbers;
use crate::report::PhoneNumber;

/// Pitch a caller's baseline may be, Hz: the range of human voices, with room to spare.
const VOICE_RANGE_HZ: std::ops::RangeInclusive<f64> = 40.0..=1000.0;

/// The fewest digits [`Context::min_digits`] may ask for: a run of two digits is any figure.
const LOWEST_MIN_DIGITS: usize = 3;

/// What the analysis should know about one recording beyond its audio: the number the caller
/// meant to leave, their name, their usual pitch. Everything is optional; rules that need a
/// missing fact are `not_applicable`.
///
/// ```
/// let ctx = voicemail_coach::Context::new()
///     .expect_number("850-936-7028")?
///     .caller_name("Steve Clark");
/// assert_eq!(ctx.expected_number.as_deref(), Some("8509367028"));
/// # Ok::<(), voicemail_coach::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Context {
    /// Digits of the callback number the caller meant to leave (`number.matches`). Default:
    /// none (the rule is `not_applicable`).
    pub expected_number: Option<String>,
    /// The caller's name, to find where it is said even when the transcript mishears it.
    /// Default: none (the introduction is found from cues such as "this is …").
    pub caller_name: Option<String>,
    /// The caller's usual median pitch, Hz (`pitch.baseline`). Default: none (the rule is
    /// `not_applicable`).
    pub pitch_baseline_hz: Option<f64>,
    /// The fewest digits a run of spoken digits needs to be reported as a number. Default:
    /// none, which is 7 (a local phone number); lower it to read
    /// shorter digit strings (zip codes, account numbers), which are then weighed as digit
    /// strings of any length rather than as phone numbers.
    pub min_digits: Option<usize>,
    /// The message left before this one to the same prospect, as a campaign compares them
    /// (`campaign.variation`).
    pub(crate) previous_message: Option<PreviousMessage>,
}

/// The message before this one in a campaign, and how many of its words this one repeats.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PreviousMessage {
    /// Its file, as the campaign names it.
    pub(crate) file: String,
    /// Word-level similarity of the two messages, 0..=1; `None` unless the words of both were
    /// heard.
    pub(crate) similarity: Option<f64>,
}

impl Context {
    /// No facts beyond the audio.
    pub fn new() -> Self {
        Self::default()
    }

    /// The callback number the caller meant to leave, in any usual notation
    /// (`"+1 (850) 936-7028"`). Fails with [`Error::InvalidOptions`] unless it holds
    /// [`PhoneNumber::MIN_DIGITS`] to [`PhoneNumber::MAX_DIGITS`] (7 to 15) digits and nothing
    /// but digits and separators.
    pub fn expect_number(mut self, number: &str) -> Result<Self> {
        let digits = numbers::normalize_expected(number).ok_or_else(|| {
            Error::InvalidOptions(format!(
                "expected number {number:?}: give {} to {} digits \
                 (separators - . ( ) / + and spaces allowed)",
                PhoneNumber::MIN_DIGITS,
                PhoneNumber::MAX_DIGITS
            ))
        })?;
        self.expected_number = Some(digits);
        Ok(self)
    }

    /// Reports runs of at least `n` spoken digits as numbers (see [`Context::min_digits`]).
    /// Fails with [`Error::InvalidOptions`] outside 3 to [`PhoneNumber::MIN_DIGITS`] (7).
    pub fn min_digits(mut self, n: usize) -> Result<Self> {
        if !(LOWEST_MIN_DIGITS..=PhoneNumber::MIN_DIGITS).contains(&n) {
            return Err(Error::InvalidOptions(format!(
                "min_digits {n}: expected {LOWEST_MIN_DIGITS} to {}",
                PhoneNumber::MIN_DIGITS
            )));
        }
        self.min_digits = Some(n);
        Ok(self)
    }

    /// The fewest digits a reported number has ([`Context::min_digits`], else
    /// [`PhoneNumber::MIN_DIGITS`]).
    pub fn number_min_digits(&self) -> usize {
        self.min_digits.unwrap_or(PhoneNumber::MIN_DIGITS)
    }

    /// The caller's name.
    pub fn caller_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.caller_name = (!name.trim().is_empty()).then_some(name);
        self
    }

    /// The caller's usual median pitch in Hz (e.g. from [`campaign::pitch_baseline`](crate::campaign::pitch_baseline) over
    /// earlier recordings). Fails with [`Error::InvalidOptions`] outside 40–1000 Hz (the range
    /// of human voices, with room to spare).
    pub fn pitch_baseline_hz(mut self, hz: f64) -> Result<Self> {
        crate::error::require(
            VOICE_RANGE_HZ.contains(&hz),
            "pitch_baseline_hz",
            hz,
            format_args!("{} to {} Hz", VOICE_RANGE_HZ.start(), VOICE_RANGE_HZ.end()),
        )?;
        self.pitch_baseline_hz = Some(hz);
        Ok(self)
    }
}
