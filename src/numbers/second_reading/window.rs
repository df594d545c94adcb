//! Where a number's second reading listens: the number's own sound, with the words said just
//! before it, and the word before it set apart when it may be the number's first digit misheard.

use crate::lexicon::bare;
use crate::numbers::find::CUES;
use crate::report::Word;

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

/// Longest stretch of words before a number given to its second reading as context, seconds.
const READING_CONTEXT_S: f64 = 3.0;

/// The window of a number's second reading: from the words that start in the 3 s before the
/// number's `start_s` (before its first word, `first_word`) to `end_s`, the last of those words
/// set apart unless it leads into numbers ("at", "is", "number"...).
/// With no words there, the window starts half a second before the number.
pub(crate) fn reading_window(
    words: &[Word],
    first_word: usize,
    start_s: f64,
    end_s: f64,
) -> ReadingWindow {
    let mut before: Vec<&Word> = words[..first_word.min(words.len())]
        .iter()
        .filter(|w| w.start_s >= start_s - READING_CONTEXT_S)
        .collect();
    let from_s = before
        .first()
        .map_or((start_s - 0.5).max(0.0), |w| w.start_s.min(start_s));
    let maybe_digit = match before.last() {
        Some(w) if !CUES.contains(&bare(&w.text).as_str()) && w.end_s > start_s - 1.0 => {
            before.pop().map(|w| w.text.clone()).unwrap_or_default()
        }
        _ => String::new(),
    };
    ReadingWindow {
        from_s,
        to_s: end_s,
        before: before
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        maybe_digit,
    }
}
