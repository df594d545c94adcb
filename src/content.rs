//! What the words say: the caller's self-introduction, stock phrases, pitching, referrals,
//! promised callbacks and fillers, each found with the time span to listen to.
//!
//! Matching works on normalised words (lower case, punctuation dropped, `’` as `'`), so
//! `"At your earliest convenience."` matches the phrase `"at your earliest convenience"`.

use serde::{Deserialize, Serialize};

use crate::report::{Introduction, Span, Word};
use crate::vocab::normalize;

/// Words that end the sentence or clause they are in.
fn ends_clause(text: &str) -> bool {
    text.ends_with(['.', ',', '?', '!', ';', ':'])
}

/// A phrase found in the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhraseMatch {
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
    pub fn span(&self) -> Span {
        Span {
            start_s: self.start_s,
            end_s: self.end_s,
        }
    }
}

/// Every occurrence of each phrase (sequences of normalised words; `*` in a phrase matches any
/// one word), in time order.
pub fn find_phrases(words: &[Word], phrases: &[String]) -> Vec<PhraseMatch> {
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

/// Cues that introduce the caller's name, as normalised word sequences.
const CUES: &[&[&str]] = &[
    &["my", "name", "is"],
    &["my", "name's"],
    &["this", "is"],
    &["it's"],
    &["it", "is"],
    &["i'm"],
    &["i", "am"],
    // Whisper often drops "this" after a greeting: "John, is Steve Clark" (first words only).
    &["is"],
];

/// The cue "is" alone introduces a name only this early (word index).
const BARE_IS_WITHIN: usize = 2;

impl Introduction {
    /// The introduction whose name is `words[first..first + n]` (`n` at least 1), said after
    /// `cue`; trailing punctuation is dropped from the name.
    fn from_words(cue: String, words: &[Word], first: usize, n: usize) -> Self {
        let ws = &words[first..first + n];
        Introduction {
            cue,
            name: ws
                .iter()
                .map(|w| w.text.trim_end_matches(['.', ',', '?', '!', ';', ':']))
                .collect::<Vec<_>>()
                .join(" "),
            start_s: ws[0].start_s,
            end_s: ws[n - 1].end_s,
            first_word: first,
            words: n,
        }
    }
}

/// Words that end a name.
const NAME_STOPS: &[&str] = &[
    "from", "with", "at", "of", "calling", "and", "here", "the", "in", "over", "i",
];

/// Words after a cue that show it does not introduce a name ("this is a reminder", "it's about").
const NOT_NAMES: &[&str] = &[
    "a",
    "an",
    "the",
    "about",
    "just",
    "regarding",
    "calling",
    "to",
    "so",
    "not",
    "your",
    "my",
    "our",
    "in",
    "on",
    "for",
    "that",
    "what",
    "very",
    "really",
    "going",
    "sorry",
    "glad",
];

/// Finds the caller's self-introduction: a cue ("this is", "my name is", "it's", "I'm")
/// followed by one to three words that read as a name (capitalised by the transcriber, not a
/// common function word), the first such in the message. When the caller's name is known
/// (`known`), it is looked for instead, word by word with a tolerance for misheard spellings.
pub fn find_introduction(words: &[Word], known: Option<&str>) -> Option<Introduction> {
    if let Some(name) = known {
        if let Some(intro) = find_known_name(words, name) {
            return Some(intro);
        }
    }
    let norm: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    for i in 0..norm.len() {
        for cue in CUES {
            let end = i + cue.len();
            if end >= norm.len() || cue.iter().zip(&norm[i..end]).any(|(c, w)| c != w) {
                continue;
            }
            if cue.len() == 1 && cue[0] == "is" && i > BARE_IS_WITHIN {
                continue;
            }
            // The cue must not end its clause ("…, this is." is no introduction).
            if ends_clause(&words[end - 1].text) {
                continue;
            }
            let first = &words[end];
            let first_norm = &norm[end];
            let capitalised = first.text.chars().next().is_some_and(char::is_uppercase);
            if !capitalised
                || NOT_NAMES.contains(&first_norm.as_str())
                || first_norm.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let mut n = 1;
            while n < 3 && end + n < words.len() && !ends_clause(&words[end + n - 1].text) {
                let w = &words[end + n];
                let nw = &norm[end + n];
                if NAME_STOPS.contains(&nw.as_str())
                    || !w.text.chars().next().is_some_and(char::is_uppercase)
                {
                    break;
                }
                n += 1;
            }
            return Some(Introduction::from_words(cue.join(" "), words, end, n));
        }
    }
    None
}

/// Levenshtein distance between two short strings.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut diag = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let up = row[j];
            row[j] = (diag + usize::from(a[i - 1] != b[j - 1]))
                .min(row[j] + 1)
                .min(row[j - 1] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

/// Whether a transcribed word may be the name's word (at most a third of its letters off:
/// "Muse" for "Mewse", "Glark" for "Clark").
fn sounds_like(heard: &str, name: &str) -> bool {
    let d = distance(heard, name);
    d * 3 <= name.chars().count().max(3)
}

fn find_known_name(words: &[Word], name: &str) -> Option<Introduction> {
    let pat: Vec<String> = name.split_whitespace().map(normalize).collect();
    if pat.is_empty() || pat.len() > words.len() {
        return None;
    }
    let norm: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    // The first place where most of the name's words are heard.
    let need = pat.len().div_ceil(2).max(1);
    (0..=words.len() - pat.len()).find_map(|i| {
        let hits = pat
            .iter()
            .zip(&norm[i..])
            .filter(|(p, w)| sounds_like(w, p))
            .count();
        let first_ok = sounds_like(&norm[i], &pat[0]) || pat.len() > 1;
        (hits >= need && first_ok && sounds_like(&norm[i + pat.len() - 1], &pat[pat.len() - 1])
            || hits == pat.len())
        .then(|| Introduction::from_words("name".to_string(), words, i, pat.len()))
    })
}

/// The default list of stock phrases (`content.cliches`).
pub fn default_cliches() -> Vec<String> {
    [
        "at your earliest convenience",
        "have a great day",
        "have a nice day",
        "just touching base",
        "touching base",
        "exciting opportunity",
        "just checking in",
        "just following up",
        "don't hesitate to",
        "look forward to hearing from you",
        "looking forward to hearing from you",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The default list of early-pitch phrases (`content.pitch`).
pub fn default_pitch_phrases() -> Vec<String> {
    [
        "national provider",
        "leading provider",
        "exciting programs",
        "exciting program",
        "exciting offer",
        "special offer",
        "calling today to tell you about",
        "calling to tell you about",
        "i'd like to tell you about",
        "we are a",
        "we're a",
        "we provide",
        "we offer",
        "we specialize",
        "our company",
        "our products",
        "our services",
        "solutions that",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The default list of referral phrases (`content.referral`).
pub fn default_referral_phrases() -> Vec<String> {
    [
        "asked that i call",
        "asked me to call",
        "asked me to give you a call",
        "suggested i call",
        "suggested that i call",
        "suggested i give you a call",
        "recommended i call",
        "recommended that i call",
        "referred me",
        "told me to call",
        "gave me your name",
        "gave me your number",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The default list of callback-promise phrases (`content.callback_promise`).
pub fn default_promise_phrases() -> Vec<String> {
    [
        "i'll try you again",
        "i will try you again",
        "i'll try to reach you again",
        "i will try to reach you again",
        "i'll call you again",
        "i'll call you back",
        "i will call you",
        "i'll call you",
        "i'll try you",
        "i'll give you a call",
        "i'll follow up",
        "i'll reach out again",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The default list of fillers (`content.fillers`).
pub fn default_fillers() -> Vec<String> {
    ["um", "uh", "er", "erm", "ah", "uhm", "hmm", "mm"]
        .iter()
        .map(|s| s.to_string())
        .collect()
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
pub fn names_a_time(words: &[Word], from: usize) -> bool {
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
        text.split_whitespace()
            .enumerate()
            .map(|(k, t)| Word {
                text: t.into(),
                start_s: k as f64 * 0.4,
                end_s: k as f64 * 0.4 + 0.3,
                probability: 0.9,
                pieces: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn introductions_are_found() {
        let cases = [
            (
                "John, this is Steve Clark. As soon as you get a minute",
                "Steve Clark",
                "this is",
            ),
            (
                "Hello, Peter. It's Matthew Muse, the telephone man",
                "Matthew Muse",
                "it's",
            ),
            (
                "Hi Jane, my name is Colleen Francis from Engage.",
                "Colleen Francis",
                "my name is",
            ),
            (
                "Hello Mr. Prospect, this is John Smith with Technology",
                "John Smith",
                "this is",
            ),
            ("Hi, I'm Dana.", "Dana", "i'm"),
            (
                "John is Steve Clark, as soon as you get",
                "Steve Clark",
                "is",
            ),
        ];
        for (text, name, cue) in cases {
            let intro = find_introduction(&words(text), None).expect(text);
            assert_eq!(
                (intro.name.as_str(), intro.cue.as_str()),
                (name, cue),
                "{text}"
            );
        }
        for text in [
            "Hi, this is a reminder about your appointment.",
            "It's about the contract.",
            "Call me back, this is important.",
            "Hello Peter, I just wanted to say the report is Good news.",
        ] {
            assert_eq!(find_introduction(&words(text), None), None, "{text}");
        }
    }

    #[test]
    fn a_known_name_is_found_even_misheard() {
        let w = words("John Isis, Steve Glark, as soon as you get a minute");
        assert_eq!(find_introduction(&w, None), None);
        let intro = find_introduction(&w, Some("Steve Clark")).expect("found");
        assert_eq!(intro.name, "Steve Glark");
        assert_eq!(intro.first_word, 2);
        let w = words("Hello, teacher. It's Matthew Muse, calling");
        assert_eq!(
            find_introduction(&w, Some("Matthew Mewse")).map(|i| i.name),
            Some("Matthew Muse".to_string())
        );
        assert_eq!(
            find_introduction(&words("nothing here at all"), Some("Steve Clark")),
            None
        );
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
