//! The parts a message is rewritten from, found in its words: the prospect's name in the
//! greeting, who referred the caller, when they promised to call again, and what the call is
//! about. Each is returned as heard, with where it was said.

use super::introduction::{cue_at, may_be_name, GREETINGS, TITLES};
use super::{ends_clause, ends_sentence, is_time_word};
use crate::lexicon::normalize;
use crate::report::{Introduction, MessagePart, PartKind, PhraseMatch, Promise, Span, Word};

/// Words that open a message capitalised but name nobody ("Well, ...", "Okay, ..."), and the
/// greeting "Hi" as the transcriber often hears it ("Aye").
const NOT_A_PROSPECT: &[&str] = &[
    "well",
    "so",
    "okay",
    "ok",
    "yes",
    "yeah",
    "aye",
    "oh",
    "right",
    "now",
    "sorry",
    "thanks",
    "thank",
    "just",
    "listen",
    "look",
    "morning",
    "afternoon",
];

/// Words after the opening name that make it the caller's own ("Dan here", "James is calling").
const SELF_CUES: &[&str] = &["here", "calling", "speaking", "from", "with"];

/// Words that may open the words naming a time ("on Tuesday", "this afternoon", "first thing
/// tomorrow").
const TIME_OPENERS: &[&str] = &[
    "on", "at", "by", "this", "next", "around", "before", "after", "first", "later", "early", "in",
    "between",
];

/// The most words a promised time may have.
const TIME_WORDS_MAX: usize = 10;

/// The most words a name may have.
const NAME_WORDS: usize = 3;

/// The most words a reason to call may have: past that it is a pitch, not an idea.
const REASON_WORDS: usize = 8;

/// The part `kind` said as `words[first..end]`, trailing punctuation dropped.
fn heard(kind: PartKind, words: &[Word], first: usize, end: usize) -> Option<MessagePart> {
    let ws = words.get(first..end).filter(|ws| !ws.is_empty())?;
    let text = ws
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let abbreviated = ws[ws.len() - 1].text.ends_with(".m.");
    let text = match abbreviated {
        true => text.trim(),
        false => text.trim_end_matches(['.', ',', '?', '!', ';', ':']).trim(),
    };
    (!text.is_empty()).then(|| MessagePart {
        kind,
        text: text.to_string(),
        heard: true,
        span: Some(Span {
            start_s: ws[0].start_s,
            end_s: ws[ws.len() - 1].end_s,
        }),
    })
}

/// The prospect's name in the greeting: after "Hi", "Hello", "Good morning" (or first), one to
/// three capitalised words (a title first: "Mr. Harris") ending the clause or followed by the
/// introduction ("John, this is Steve Clark", "Hello, Peter. It's Matthew"). Not the caller's
/// own name ("Dan Foster here", "James is calling").
pub(crate) fn prospect(words: &[Word], intro: Option<&Introduction>) -> Option<MessagePart> {
    let norm: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    let mut k = 0;
    while k < norm.len() && GREETINGS.contains(&norm[k].as_str()) {
        k += 1;
    }
    // "Hi Maria" heard as "I'm Maria", "I Maria" or "Aye, Maria", the introduction after it.
    let hi = |n: &String| matches!(n.as_str(), "i'm" | "i" | "aye");
    if norm.get(k).is_some_and(hi) && intro.is_some_and(|i| i.first_word > k + 1) {
        k += 1;
    }
    let first = k;
    let limit = intro.map_or(words.len(), |i| i.first_word);
    while k < limit && k - first < NAME_WORDS {
        let title = TITLES.contains(&norm[k].as_str()) && k == first;
        let nobody = NOT_A_PROSPECT.contains(&norm[k].as_str());
        if !title && (!may_be_name(words, &norm, k, false) || is_cue(&norm, k) || nobody) {
            break;
        }
        k += 1;
        if !title && ends_clause(&words[k - 1].text) {
            break;
        }
    }
    let named = (first..k).any(|j| !TITLES.contains(&norm[j].as_str()));
    let own = norm.get(k).is_some_and(|n| SELF_CUES.contains(&n.as_str()))
        || norm.get(k + 1).is_some_and(|n| n == "calling")
        || intro.is_some_and(|i| i.first_word == first);
    let closed = || k == limit || ends_clause(&words[k - 1].text) || is_cue(&norm, k);
    if !named || own || !closed() {
        return None;
    }
    heard(PartKind::Prospect, words, first, k)
}

/// Whether an introduction's cue starts at word `k` ("this is", "it's", "my name is"), or the
/// bare "is" the transcriber leaves of "this is" ("John is Steve Clark").
fn is_cue(norm: &[String], k: usize) -> bool {
    cue_at(norm, k) || norm.get(k).is_some_and(|n| n == "is")
}

/// The words of the sentence holding word `i`: `(first, end)`.
fn sentence_of(words: &[Word], i: usize) -> (usize, usize) {
    let first = words[..i]
        .iter()
        .rposition(|w| ends_sentence(&w.text))
        .map_or(0, |p| p + 1);
    let end = words[i..]
        .iter()
        .position(|w| ends_sentence(&w.text))
        .map_or(words.len(), |p| i + p + 1);
    (first, end)
}

/// The words a phrase found in the transcript covers: `(first, end)`.
fn words_of(words: &[Word], found: &PhraseMatch) -> Option<(usize, usize)> {
    const EPS: f64 = 1e-6;
    let first = words.iter().position(|w| w.end_s > found.start_s + EPS)?;
    let end = words.iter().rposition(|w| w.start_s < found.end_s - EPS)? + 1;
    (first < end).then_some((first, end))
}

/// Who referred the caller: the name nearest before the referral in its sentence ("I was
/// talking to Paul Smith ... he asked that I call you"), else after it ("suggested by Dana
/// Wu"): two capitalised words, or one just before the referral ("Paul asked me to call").
/// `not` are the names that are someone else's (the caller's, the prospect's).
pub(crate) fn referrer(
    words: &[Word],
    referral: &PhraseMatch,
    not: &[Span],
) -> Option<MessagePart> {
    let (at, after) = words_of(words, referral)?;
    let (first, end) = sentence_of(words, at);
    let norm: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    let someone_else = |k: usize| {
        not.iter()
            .any(|s| words[k].start_s < s.end_s && words[k].end_s > s.start_s)
    };
    let name_at = |k: usize| may_be_name(words, &norm, k, false) && !someone_else(k);
    let pair_at =
        |k: usize| k + 1 < end && name_at(k) && name_at(k + 1) && !ends_clause(&words[k].text);
    let before = (first..at.saturating_sub(1)).rev().find(|&k| pair_at(k));
    let later = || (after..end.saturating_sub(1)).find(|&k| pair_at(k));
    if let Some(k) = before.or_else(later) {
        return heard(PartKind::Referrer, words, k, k + 2);
    }
    let single = at.checked_sub(1).filter(|&k| k >= first && name_at(k))?;
    heard(PartKind::Referrer, words, single, single + 1)
}

/// When the caller promised to call again, as said after the promise: the rest of its
/// sentence ("on Tuesday at 10 a.m."), or the sentence after it when the promise ended its own
/// ("I'll follow up with you. Well, Tuesday at 2.").
/// `None` when the promise names no day or time.
pub(crate) fn promised_when(words: &[Word], promise: &Promise) -> Option<MessagePart> {
    if !promise.dated {
        return None;
    }
    let (_, after) = words_of(words, &promise.found)?;
    if after >= words.len() {
        return None;
    }
    let (_, end) = sentence_of(words, after);
    let norm: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    let before = |k: usize| if k > 0 { norm[k - 1].as_str() } else { "" };
    // From the first word that opens or names a time to the last that names one: "again Mac
    // on Monday afternoon to talk soon" is "on Monday afternoon".
    let timed = |k: &usize| is_time_word(&norm[*k], before(*k));
    let first = (after..end).find(|&k| TIME_OPENERS.contains(&norm[k].as_str()) || timed(&k))?;
    let end = (first..end).rev().find(timed)? + 1;
    if end - first > TIME_WORDS_MAX {
        return None;
    }
    heard(PartKind::When, words, first, end)
}

/// What the call is about: the words after "about" in a sentence, up to its end or to the
/// first word of something said that the message should leave out (`avoid`: company talk,
/// stock phrases, fillers, the details), two to eight words, without figures. The first such.
pub(crate) fn reason(words: &[Word], avoid: &[Span]) -> Option<MessagePart> {
    let norm: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    let avoided = |k: usize| {
        avoid
            .iter()
            .any(|s| words[k].start_s < s.end_s && words[k].end_s > s.start_s)
    };
    for (a, _) in norm.iter().enumerate().filter(|(_, n)| *n == "about") {
        if avoided(a) || a > 0 && matches!(norm[a - 1].as_str(), "how" | "what") {
            continue;
        }
        let (_, end) = sentence_of(words, a);
        let stop = (a + 1..end).find(|&k| avoided(k)).unwrap_or(end);
        let n = stop - a - 1;
        let figures = norm[a + 1..stop]
            .iter()
            .any(|w| w.chars().any(|c| c.is_ascii_digit()));
        if (2..=REASON_WORDS).contains(&n) && !figures && stop == end {
            return heard(PartKind::Reason, words, a + 1, stop);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        Word::evenly(text, 0.3, 0.25, 0.9)
    }

    fn prospect_in(text: &str) -> Option<String> {
        let ws = words(text);
        let intro = crate::wording::find_introduction(&ws, None);
        prospect(&ws, intro.as_ref()).map(|p| p.text)
    }

    #[test]
    fn the_prospect_is_the_name_in_the_greeting() {
        let cases = [
            ("John, this is Steve Clark.", Some("John")),
            (
                "John is Steve Clark, as soon as you get a minute",
                Some("John"),
            ),
            (
                "Hello Mr. Harris, this is John Smith with",
                Some("Mr. Harris"),
            ),
            ("Hello, Peter. It's Matthew Mewse calling.", Some("Peter")),
            ("Good morning Sarah, it's Dan.", Some("Sarah")),
            ("Hi Lorraine, Simon Pike at Keystone.", Some("Lorraine")),
            ("This is Laura Chen from Bluefield.", None),
            ("Dan Foster here from Northwind.", None),
            ("James is calling from Endage.", None),
            ("Hey there, it's Tom.", None),
            ("Hi, it's Laura Chen.", None),
            ("Well, it's Ravi Menon at Silverline.", None),
            ("Aye, my name is Ravi Menon.", None),
            ("Aye, Ethan. My name is Ravi Menon.", Some("Ethan")),
            ("I Clifford, my name is Tessa Whitcombe.", Some("Clifford")),
            ("I'm Maria. This is Tom Becker.", Some("Maria")),
            ("Hi, I'm this is Mark Evans.", None),
        ];
        for (text, want) in cases {
            assert_eq!(prospect_in(text).as_deref(), want, "{text}");
        }
    }

    fn phrase(ws: &[Word], first: usize, end: usize) -> PhraseMatch {
        PhraseMatch {
            phrase: String::new(),
            text: String::new(),
            start_s: ws[first].start_s,
            end_s: ws[end - 1].end_s,
            probability: None,
        }
    }

    #[test]
    fn the_referrer_is_the_name_beside_the_referral() {
        let ws =
            words("Hi Jane. I was talking to Paul Smith yesterday and he asked that I call you.");
        let found = phrase(&ws, 11, 14);
        assert_eq!(
            referrer(&ws, &found, &[]).map(|p| p.text).as_deref(),
            Some("Paul Smith")
        );
        let ws = words("Paul asked me to call you.");
        let found = phrase(&ws, 1, 3);
        assert_eq!(
            referrer(&ws, &found, &[]).map(|p| p.text).as_deref(),
            Some("Paul")
        );
        let ws = words("Someone in your team asked me to call you.");
        assert_eq!(referrer(&ws, &phrase(&ws, 4, 6), &[]), None);
    }

    #[test]
    fn the_time_promised_is_what_follows_the_promise() {
        let ws = words("I'll try to reach you again on Tuesday at 10 a.m. Thanks.");
        let promise = Promise {
            found: phrase(&ws, 0, 5),
            dated: true,
        };
        let when = promised_when(&ws, &promise).map(|p| p.text);
        assert_eq!(when.as_deref(), Some("on Tuesday at 10 a.m."));
        let ws = words("I'll follow up with you. Well, Tuesday at 2.");
        let promise = Promise {
            found: phrase(&ws, 0, 5),
            dated: true,
        };
        let when = promised_when(&ws, &promise).map(|p| p.text);
        assert_eq!(when.as_deref(), Some("Tuesday at 2"));
        let ws = words("I'll call you back Mac on Monday afternoon to talk soon.");
        let promise = Promise {
            found: phrase(&ws, 0, 4),
            dated: true,
        };
        let when = promised_when(&ws, &promise).map(|p| p.text);
        assert_eq!(when.as_deref(), Some("on Monday afternoon"));
    }

    #[test]
    fn the_reason_is_what_the_call_is_about() {
        let ws = words("Hi Sam. I have a quick idea about your renewal in March. Call me.");
        assert_eq!(
            reason(&ws, &[]).map(|p| p.text).as_deref(),
            Some("your renewal in March")
        );
        // Cut short by company talk: no reason.
        let ws = words("I am calling to tell you about some exciting programs.");
        let pitch = Span {
            start_s: ws[7].start_s,
            end_s: ws[8].end_s,
        };
        assert_eq!(reason(&ws, &[pitch]), None);
        let ws = words("How about 10 minutes on Friday?");
        assert_eq!(reason(&ws, &[]), None);
    }
}
