//! What the analysis should know about a recording beyond its audio.

use crate::error::{require, Result};
use crate::numbers;
use crate::report::PhoneNumber;

/// Pitch a caller's baseline may be, Hz: the range of human voices, with room to spare.
const VOICE_RANGE_HZ: std::ops::RangeInclusive<f64> = 40.0..=1000.0;

/// The fewest digits [`Context::with_min_digits`] may ask for: a run of two digits is any figure.
const LOWEST_MIN_DIGITS: usize = 3;

/// What the analysis should know about one recording beyond its audio: the number the caller
/// meant to leave, their name, their usual pitch, the shortest digit string to report.
/// Everything is optional; rules that need a missing fact are `not_applicable`. Each fact is
/// set by a `with_` method that checks it (an unusable value is [`Error::InvalidOptions`](crate::Error::InvalidOptions)
/// naming the fact) and read by the method of its name.
///
/// ```
/// let ctx = voicemail_coach::Context::new()
///     .with_expected_number("850-936-7028")?
///     .with_caller_name("Steve Clark")?;
/// assert_eq!(ctx.expected_number(), Some("8509367028"));
/// assert_eq!(ctx.caller_name(), Some("Steve Clark"));
/// # Ok::<(), voicemail_coach::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Context {
    expected_number: Option<String>,
    caller_name: Option<String>,
    pitch_baseline_hz: Option<f64>,
    min_digits: Option<usize>,
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

/// The longest caller name taken, characters.
const MAX_NAME_CHARS: usize = 100;

impl Context {
    /// No facts beyond the audio.
    pub fn new() -> Self {
        Self::default()
    }

    /// The callback number the caller meant to leave (`number.matches`), in any usual notation
    /// (`"+1 (850) 936-7028"`): [`PhoneNumber::MIN_DIGITS`] to [`PhoneNumber::MAX_DIGITS`] (7 to
    /// 15) digits and nothing but digits and separators.
    pub fn with_expected_number(mut self, number: &str) -> Result<Self> {
        let digits = numbers::normalize_expected(number);
        require(
            digits.is_some(),
            "expected_number",
            format_args!("{number:?}"),
            format_args!(
                "{} to {} digits (separators - . ( ) / + and spaces allowed)",
                PhoneNumber::MIN_DIGITS,
                PhoneNumber::MAX_DIGITS
            ),
        )?;
        self.expected_number = digits;
        Ok(self)
    }

    /// The caller's name, to find where it is said even when the transcript mishears it: 1 to
    /// 100 characters, not blank.
    pub fn with_caller_name(mut self, name: &str) -> Result<Self> {
        let name = name.trim();
        require(
            !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS,
            "caller_name",
            format_args!("{name:?}"),
            format_args!("a name of 1 to {MAX_NAME_CHARS} characters"),
        )?;
        self.caller_name = Some(name.to_string());
        Ok(self)
    }

    /// The caller's usual median pitch in Hz (`pitch.baseline`; e.g. from
    /// [`campaign::pitch_baseline`](crate::campaign::pitch_baseline) over earlier recordings):
    /// 40 to 1000 Hz (the range of human voices, with room to spare).
    pub fn with_pitch_baseline_hz(mut self, hz: f64) -> Result<Self> {
        require(
            VOICE_RANGE_HZ.contains(&hz),
            "pitch_baseline_hz",
            hz,
            format_args!("{} to {} Hz", VOICE_RANGE_HZ.start(), VOICE_RANGE_HZ.end()),
        )?;
        self.pitch_baseline_hz = Some(hz);
        Ok(self)
    }

    /// Reports runs of at least `n` spoken digits as numbers: 3 to [`PhoneNumber::MIN_DIGITS`]
    /// (7, a local phone number, the default). Lower it to read shorter digit strings (zip
    /// codes, account numbers), which are then weighed as digit strings of any length rather
    /// than as phone numbers.
    pub fn with_min_digits(mut self, n: usize) -> Result<Self> {
        require(
            (LOWEST_MIN_DIGITS..=PhoneNumber::MIN_DIGITS).contains(&n),
            "min_digits",
            n,
            format_args!("{LOWEST_MIN_DIGITS} to {}", PhoneNumber::MIN_DIGITS),
        )?;
        self.min_digits = Some(n);
        Ok(self)
    }

    /// Digits of the callback number the caller meant to leave; `None` when not given.
    pub fn expected_number(&self) -> Option<&str> {
        self.expected_number.as_deref()
    }

    /// The caller's name; `None` when not given.
    pub fn caller_name(&self) -> Option<&str> {
        self.caller_name.as_deref()
    }

    /// The caller's usual median pitch, Hz; `None` when not given.
    pub fn pitch_baseline_hz(&self) -> Option<f64> {
        self.pitch_baseline_hz
    }

    /// The fewest digits a reported number has: [`Context::with_min_digits`]'s, else
    /// [`PhoneNumber::MIN_DIGITS`].
    pub fn min_digits(&self) -> usize {
        self.min_digits.unwrap_or(PhoneNumber::MIN_DIGITS)
    }
}
