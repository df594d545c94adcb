//! What a number's second reading is asked and what it answers: plain data, shared by the number
//! logic (which builds the window and weighs the answer) and the transcriber (which reads), so
//! that it exists with or without the `transcribe` feature.

/// Where a number's second reading listens, and what was said before the number there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReadingWindow {
    /// Start of the window, seconds: the first word of `before`, or half a second before the
    /// number.
    pub from_s: f64,
    /// End of the window, seconds: just after the number's last digit.
    pub to_s: f64,
    /// The words said in the window before the number (and before `maybe_digit`).
    pub before: String,
    /// The word said just before the number, unless it leads into numbers ("at", "is"):
    /// perhaps the number's first digit misheard ("for", "to", "a"), so the reading weighs it
    /// as said and as digits. Empty otherwise.
    pub maybe_digit: String,
}

/// A digit string as a digit-only reading heard it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DigitReading {
    /// The digits.
    pub digits: String,
    /// For each digit, the probability of each of the ten digits at that place, given the
    /// digits before it (each row sums to 1).
    pub posteriors: Vec<[f32; 10]>,
    /// Log-probability of the string under the reading's constraint, without any prior.
    pub log_prob: f64,
}
