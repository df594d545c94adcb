//! What the words say: the caller's self-introduction, stock phrases, pitching, referrals,
//! promised callbacks and fillers, each found with the time span to listen to.
//!
//! Matching works on normalised words (lower case, punctuation dropped, `’` as `'`), so
//! `"At your earliest convenience."` matches the phrase `"at your earliest convenience"`.

use serde::{Deserialize, Serialize};

use crate::report::{Span, Word};
use crate::vocab::normalize;

mod defaults;
mod introduction;

pub(crate) use defaults::{
    default_cliches, default_fillers, default_pitch_phrases, default_promise_phrases,
    default_referral_phrases,
};
pub(crate) use introduction::find_introduction;

/// Words that end the sentence or clause they are in.
fn ends_clause(text: &str) -> bool {
    text.ends_with(['.', ',', '?', '!', ';', ':'])
}

/// A phrase found in the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PhraseMatch {
    /// The phrase as listed (the rulebook's wording).
    pub phrase: String,
    /// The words as transcribed.
    pub text: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
}

impl PhraseMatch {
    /// Its time span.
    pub(crate) fn span(&self) -> Span {
        Span {
            start_s: self.start_s,
            end_s: self.end_s,
        }
    }
}

/// Every occurrence of each phrase (sequences of normalised words; `*` in a phrase matches any
/// one word), in time order.
pub(crate) fn find_phrases(words: &[Word], phrases: &[String]) -> Vec<PhraseMatch> {
    let norm: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    let mut out = Vec::new();
    for phrase in phrases {
        let pat: Vec<String> = phrase.split_whitespace().map(normalize).collect();
        if pat.is_empty() || pat.len() > norm.len() {
            continue;
        }
        for i in 0..=norm.len() - pat.len() {
            let hit = pat.iter().zip(&norm[i..]).all(|(p, w)| p == "*" || p == w);
            if hit {
                let ws = &words[i..i + pat.len()];
                out.push(PhraseMatch {
                    phrase: phrase.clone(),
                    text: ws
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    start_s: ws[0].start_s,
                    end_s: ws[ws.len() - 1].end_s,
                });
            }
        }
    }
    out.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    out
}

/// Words that make a callback promise specific: days, parts of the day, clock times.
const WHEN_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "tomorrow",
    "today",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "week",
    "a.m",
    "p.m",
    "am",
    "pm",
    "o'clock",
    "noon",
];

/// Whether the words from `from` to the end of the sentence (at most 12 words) name a day or
/// time ("on Tuesday at 10 a.m.").
pub(crate) fn names_a_time(words: &[Word], from: usize) -> bool {
    for w in words.iter().skip(from).take(12) {
        let n = normalize(&w.text);
        if WHEN_WORDS.contains(&n.as_str())
            || n.chars().all(|c| c.is_ascii_digit() || c == ':') && !n.is_empty()
        {
            return true;
        }
        if w.text.ends_with(['.', '?', '!']) && !n.ends_with("a.m") && !n.ends_with("p.m") {
            break;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        Word::evenly(text, 0.4, 0.3, 0.9)
    }

    #[test]
    fn phrases_are_found_with_their_times() {
        let w =
            words("Please call me at your earliest convenience. Thank you and have a great day.");
        let m = find_phrases(&w, &default_cliches());
        let found: Vec<&str> = m.iter().map(|m| m.phrase.as_str()).collect();
        assert_eq!(
            found,
            vec!["at your earliest convenience", "have a great day"]
        );
        assert_eq!(m[0].start_s, 3.0 * 0.4);
        assert_eq!(m[0].text, "at your earliest convenience.");
        assert!(find_phrases(&words("John, this is Steve Clark."), &default_cliches()).is_empty());
    }

    #[test]
    fn promised_times_are_recognised() {
        let w = words("I'll try to reach you again on Tuesday at 10 a.m.");
        assert!(names_a_time(&w, 0));
        let w = words("I'll call you back. Thanks so much, bye on Friday");
        assert!(!names_a_time(&w, 0));
    }
}
