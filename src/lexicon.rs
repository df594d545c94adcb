//! The words of the messages as this crate reads them: how a word is normalised before it is
//! compared, the digit words, and how many syllables a word or a digit takes said aloud. Every
//! module that matches words, reads digits or counts syllables asks here, so that "how many
//! syllables is 0" has one answer.

/// A word as matched: lower case; letters, digits, apostrophes (`’` read as `'`) and inner dots
/// only. `"Convenience."` is `"convenience"`, `"Don’t"` is `"don't"`, `"p.m."` is `"p.m"`.
pub(crate) fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| if c == '’' { '\'' } else { c })
        .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '.')
        .collect::<String>()
        .trim_matches('.')
        .to_lowercase()
}

/// A word's letters and digits only, lower case: [`normalize`] without apostrophes and dots,
/// the form a word is compared with the digit words and cue words in (`"Seven,"` is `"seven"`).
pub(crate) fn bare(text: &str) -> String {
    normalize(text).replace(['\'', '.'], "")
}

/// The digit words, each at its digit's index.
pub(crate) const DIGIT_WORDS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// The digit a digit word (lower case, as [`bare`] gives it) stands for; "oh" is not one here,
/// as it is a digit only among digits.
pub(crate) fn digit_value(word: &str) -> Option<u32> {
    DIGIT_WORDS
        .iter()
        .position(|&w| w == word)
        .map(|d| d as u32)
}

/// Whether a word (lower case, as [`bare`] gives it) is "oh" or "o": zero among digits.
pub(crate) fn is_oh(word: &str) -> bool {
    matches!(word, "oh" | "o")
}

/// How many spoken numbers a transcribed word holds: its numerals and digit words, "oh" among
/// them (`"4-8-2-7."` and `"six-o-o-five"` hold four, `"One-out-three,"` two, `"2025"` one).
pub(crate) fn numbers_said(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|p| {
            let p = bare(p);
            p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty()
                || digit_value(&p).is_some()
                || is_oh(&p)
        })
        .count()
}

/// Whether `text` is a spoken digit: a one-digit numeral (`"7"`, `"7,"`), a digit word
/// (`"Seven"`) or `"oh"`.
pub(crate) fn is_spoken_digit(text: &str) -> bool {
    let w = bare(text);
    let numeral = w.len() == 1 && w.bytes().all(|b| b.is_ascii_digit());
    numeral || w == "oh" || digit_value(&w).is_some()
}

/// The fewest and most syllables digit `d` takes said as a word: "seven" two; `0` one as "oh"
/// or two as "zero" (a transcript writes both as `0`); every other digit one. Counting the
/// syllables of words takes the most; weighing a digit string against the syllable nuclei heard
/// takes whichever the sound says, or their mean when it cannot tell.
pub(crate) fn digit_syllables(d: char) -> (u32, u32) {
    match d {
        '7' => (2, 2),
        '0' => (1, 2),
        _ => (1, 1),
    }
}

/// A digit's place in a number as the readable texts name it, counted from 1: `"3rd digit"`
/// for position 2 (the report's JSON counts positions from 0).
pub(crate) fn digit_place(position: usize) -> String {
    let nth = num2words::Num2Words::new(position as f64 + 1.0)
        .ordinal_num()
        .to_words()
        .unwrap_or_else(|_| (position + 1).to_string());
    format!("{nth} digit")
}

/// The words a numeral is said as, when `text` (one transcribed word) is one: amounts
/// (`"$5,000"`: "five thousand dollars"), percentages (`"30%"`: "thirty percent"), clock times
/// (`"10:30"`: "ten thirty"), ordinals (`"3rd"`: "third"), numbers up to 99 and numbers written
/// with thousands separators as numbers; any other numeral of three or more digits digit by
/// digit, as phone numbers and codes are said (`"850-936-7028"`: "eight five zero ...", a zero
/// as "zero"). `None` for a word without digits.
pub(crate) fn said_as(text: &str) -> Option<String> {
    use num2words::{Currency, Num2Words};
    let core = text.trim_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '$' | '%')));
    if !core.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let number = |s: &str| -> Option<f64> {
        let plain = s.replace(',', "");
        (!plain.is_empty() && plain.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .then(|| plain.parse().ok())
            .flatten()
    };
    let words = |n: f64| Num2Words::new(n).to_words().ok();
    let grouped = |s: &str| {
        let mut parts = s.split(',');
        parts.next().is_some_and(|p| (1..=3).contains(&p.len()))
            && s.contains(',')
            && parts.all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    if let Some(amount) = core.strip_prefix('$').and_then(number) {
        return Num2Words::new(amount)
            .currency(Currency::DOLLAR)
            .to_words()
            .ok();
    }
    if let Some(n) = core.strip_suffix('%').and_then(number) {
        return words(n).map(|w| format!("{w} percent"));
    }
    if let Some((h, m)) = core.split_once(':') {
        if let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) {
            if h <= 24 && m < 60 {
                let hour = words(f64::from(h))?;
                return Some(match m {
                    0 => hour,
                    1..=9 => format!("{hour} oh {}", words(f64::from(m))?),
                    _ => format!("{hour} {}", words(f64::from(m))?),
                });
            }
        }
    }
    let lower = core.to_lowercase();
    if let Some(n) = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| lower.strip_suffix(s))
        .and_then(|d| d.parse::<u32>().ok())
    {
        return Num2Words::new(n).ordinal().to_words().ok();
    }
    if core.len() <= 2 || grouped(core) {
        if let Some(n) = number(core) {
            return words(n);
        }
    }
    let digits: Vec<&str> = core
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| DIGIT_WORDS[d as usize])
        .collect();
    Some(digits.join(" "))
}

/// Syllables in a written English word as spoken: the CMU Pronouncing Dictionary's first
/// pronunciation (through `syllarust`, which falls back on spelling rules for words the
/// dictionary lacks); a numeral as the words it is said as ([`said_as`]), and a hyphenated or
/// dotted word as its parts. The first call in a process loads the dictionary (about 20 ms).
pub(crate) fn syllables(word: &str) -> usize {
    if let Some(said) = said_as(word) {
        return said
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .map(syllarust::count_syllables)
            .sum();
    }
    word.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|part| {
            let part = normalize(part);
            let part = part.trim_matches('\'');
            if part.is_empty() {
                0
            } else {
                syllarust::count_syllables(part)
            }
        })
        .sum()
}

/// How many words a transcribed word stands for when spoken: a numeral as the words it is said
/// as ([`said_as`]: `"850-936-7028"` is ten words, `"30%"` two, `"$5,000"` three), anything
/// else one word (punctuation alone is none).
pub(crate) fn spoken_words(text: &str) -> usize {
    match said_as(text) {
        Some(said) => said.split_whitespace().count(),
        None => usize::from(text.chars().any(char::is_alphanumeric)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_recognised() {
        for t in ["7", "7,", "0.", "Seven", "zero", "oh"] {
            assert!(is_spoken_digit(t), "{t}");
        }
        for t in ["seventy", "77", "call", "", "O'Neil"] {
            assert!(!is_spoken_digit(t), "{t}");
        }
        assert_eq!(digit_value("nine"), Some(9));
        assert_eq!(digit_value("oh"), None);
        assert_eq!(bare("Seven,"), "seven");
        assert_eq!(bare("O'Neil."), "oneil");
    }

    #[test]
    fn numbers_inside_a_word_are_counted() {
        for (w, n) in [
            ("4-8-2-7.", 4),
            ("six-o-o-five", 4),
            ("One-out-three,", 2),
            ("2025", 1),
            ("Thanks", 0),
            ("someone", 0),
        ] {
            assert_eq!(numbers_said(w), n, "{w}");
        }
    }

    #[test]
    fn numerals_are_counted_as_said() {
        for (w, n) in [
            ("850-936-7028.", 10),
            ("850", 3),
            ("30%", 2),
            ("$5,000", 3),
            ("10:30", 2),
            ("25", 1),
            ("3rd", 1),
            ("5,000", 2),
            ("Thanks", 1),
            ("--", 0),
        ] {
            assert_eq!(spoken_words(w), n, "{w}");
        }
        assert_eq!(said_as("9:05").as_deref(), Some("nine oh five"));
    }

    #[test]
    fn syllables_are_counted() {
        for (w, n) in [
            ("John,", 1),
            ("minute", 2),
            ("please", 1),
            ("opportunity.", 5),
            ("Technology", 4),
            ("850", 4),
            ("7028", 6),
            ("30%", 4),
            ("10:30", 3),
            ("the", 1),
            ("table", 2),
            ("radio", 3),
            ("operator", 4),
            ("follow-up", 3),
            ("don't", 1),
            ("3rd", 1),
            ("--", 0),
        ] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }
}
