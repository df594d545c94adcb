//! Callback numbers in a transcript's timed words: the runs of digits that make a number, their
//! groups, a number said twice, and the stretches where a number may have been said although
//! the transcript made none.

use serde::{Deserialize, Serialize};

use super::parse::{flatten, lex, parse_spoken, Element, Item, Lex, Parser};
use crate::lexicon::{bare, numbers_said};
use crate::report::{Alternative, DigitGroup, PhoneNumber, Span, Word};

/// Words that lead into a number ("call me at", "my number is"): said before a number, they
/// are what they are. Any other word just before a number may be its first digit misheard
/// ("a mini task for 0, 2, 9..." for "4, 0, 2, 9").
pub(super) const CUES: &[&str] = &[
    "at", "is", "me", "my", "number", "numbers", "call", "reach", "on", "dial", "thats", "its",
    "was", "be", "back", "again", "it", "the", "and", "number's",
];

/// A callback number found in timed words, before acoustic timing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct HeardNumber {
    /// Digits only (country code included when said).
    pub digits: String,
    /// The transcript text it was read from.
    pub text: String,
    /// Whether it began with `+`.
    pub plus: bool,
    /// Digits said after "extension"; `None` without one.
    pub extension: Option<String>,
    /// Groups as said, with their times.
    pub groups: Vec<DigitGroup>,
    /// Index, in the words it was found in, of the word the number starts in.
    #[serde(default)]
    pub first_word: usize,
    /// How likely the digits are to be exactly right, 0 to 1: from the transcriber's word
    /// probabilities, until a second reading (`HeardNumber::adopt`) says more.
    #[serde(default)]
    pub confidence: f64,
    /// 0-based positions of digits a listener may mishear.
    #[serde(default)]
    pub unclear_digits: Vec<usize>,
    /// Other digit strings the number may be.
    #[serde(default)]
    pub alternatives: Vec<Alternative>,
}

impl HeardNumber {
    /// From the first group's start to the last group's end, seconds.
    pub(crate) fn span(&self) -> Option<Span> {
        Some(Span {
            start_s: self.groups.first()?.start_s,
            end_s: self.groups.last()?.end_s,
        })
    }
}

/// Whether `n` digits make a plausible phone number on their own: a local number, a North
/// American one, or one with its country code `1` or trunk `0`.
fn plausible_len(n: usize) -> bool {
    n == PhoneNumber::MIN_DIGITS
        || n == PhoneNumber::NANP_DIGITS
        || n == PhoneNumber::NANP_DIGITS + 1
}

/// Splits a run's groups into consecutive numbers of plausible lengths when the whole run is not
/// one (a number said twice without a word between). Returns group index ranges.
fn split_repeats(groups: &[DigitGroup]) -> Vec<std::ops::Range<usize>> {
    let total: usize = groups.iter().map(|g| g.digits.len()).sum();
    if plausible_len(total) || groups.len() < 2 {
        return std::iter::once(0..groups.len()).collect();
    }
    // best[k]: a split of groups[..k] into plausible numbers (fewest parts).
    let mut best: Vec<Option<Vec<usize>>> = vec![None; groups.len() + 1];
    best[0] = Some(Vec::new());
    for end in 1..=groups.len() {
        for start in 0..end {
            let Some(prev) = best[start].clone() else {
                continue;
            };
            let n: usize = groups[start..end].iter().map(|g| g.digits.len()).sum();
            if plausible_len(n) && best[end].as_ref().is_none_or(|b| b.len() > prev.len() + 1) {
                let mut v = prev;
                v.push(end);
                best[end] = Some(v);
            }
        }
    }
    match &best[groups.len()] {
        Some(cuts) if cuts.len() > 1 => {
            let mut out = Vec::new();
            let mut a = 0;
            for &b in cuts {
                out.push(a..b);
                a = b;
            }
            out
        }
        _ => std::iter::once(0..groups.len()).collect(),
    }
}

/// A run's digit groups, the items each spans, and the digits of its extension.
struct Grouped {
    groups: Vec<DigitGroup>,
    group_items: Vec<(usize, usize)>,
    extension: String,
}

/// Groups the digits of one run: a pause between two elements (`pauses`) starts a group, and so
/// does punctuation or a numeral except between single digits; extension digits are kept apart.
fn group_run(run: &[Element], items: &[Item], pauses: &[Span]) -> Grouped {
    let mut groups: Vec<DigitGroup> = Vec::new();
    let mut group_items: Vec<(usize, usize)> = Vec::new();
    let mut extension = String::new();
    let mut prev: Option<(&Element, f64, f64)> = None;
    for e in run.iter().filter(|e| !e.digits.is_empty()) {
        let (a, b) = (items[e.first].start_s, items[e.last].end_s);
        if e.extension {
            extension.push_str(&e.digits);
            continue;
        }
        // A pause between the two elements' times splits a group; so does punctuation or a
        // numeral, except between single digits, which commas separate whenever the
        // speaker lingers ("8, 5, 0").
        let new_group = match prev {
            None => true,
            Some((p, p_start, p_end)) => {
                let paused = paused_between(pauses, (p_start, p_end), (a, b));
                let single = e.digits.len() == 1 && p.digits.len() == 1;
                let hard = e.break_before || e.numeral || p.numeral;
                paused || (hard && !single)
            }
        };
        prev = Some((e, a, b));
        match groups.last_mut() {
            Some(g) if !new_group => {
                g.digits.push_str(&e.digits);
                g.end_s = b;
                if let Some(r) = group_items.last_mut() {
                    r.1 = e.last;
                }
            }
            _ => {
                groups.push(DigitGroup {
                    digits: e.digits.clone(),
                    start_s: a,
                    end_s: b,
                });
                group_items.push((e.first, e.last));
            }
        }
    }
    Grouped {
        groups,
        group_items,
        extension,
    }
}

/// How far a word's aligned start or end may stray into the pause next to it, seconds: word
/// times from the alignment run a frame or two into silence.
const ALIGNMENT_SLACK_S: f64 = 0.2;

/// Whether one of `pauses` lies between an element said over `prev` and the next said over
/// `next` (start and end, seconds), give or take [`ALIGNMENT_SLACK_S`].
fn paused_between(pauses: &[Span], prev: (f64, f64), next: (f64, f64)) -> bool {
    let ((p_start, p_end), (a, b)) = (prev, next);
    pauses.iter().any(|q| {
        q.end_s > q.start_s
            && q.start_s < a + ALIGNMENT_SLACK_S
            && q.end_s > p_end - ALIGNMENT_SLACK_S
            && q.start_s > p_start
            && q.end_s < b
    })
}

/// Finds the callback numbers in timed words. `pauses` (sorted spans of silence, seconds) split
/// digit groups where the speaker paused without the transcript showing it. Runs of fewer than
/// `min_digits` digits ([`PhoneNumber::MIN_DIGITS`] for phone numbers: times, prices, street
/// numbers are not) are left out.
pub(crate) fn find_numbers(words: &[Word], pauses: &[Span], min_digits: usize) -> Vec<HeardNumber> {
    let flat = flatten(words);
    let items = lex(&flat);
    let runs = Parser { items: &items }.runs();
    let mut out = Vec::new();
    for run in runs {
        let plus = run.first().is_some_and(|e| {
            e.digits.is_empty() && matches!(&items[e.first].lex, Lex::Plus | Lex::Word(_))
        });
        let Grouped {
            groups,
            group_items,
            extension,
        } = group_run(&run, &items, pauses);
        let total: usize = groups.iter().map(|g| g.digits.len()).sum();
        if total < min_digits {
            continue;
        }
        let text_of = |first: usize, last: usize| -> String {
            let from = if plus && first == group_items[0].0 {
                items[run[0].first].from
            } else {
                items[first].from
            };
            flat.chars[from..items[last].to].iter().collect()
        };
        for range in split_repeats(&groups) {
            let gs = groups[range.clone()].to_vec();
            let first_item = group_items[range.start].0;
            let last_item = group_items[range.end - 1].1;
            let is_last = range.end == groups.len();
            let mut text = text_of(first_item, last_item);
            let ext = (is_last && !extension.is_empty()).then(|| extension.clone());
            if is_last && ext.is_some() {
                let end = run.last().map_or(last_item, |e| e.last);
                text = text_of(first_item, end);
            }
            let from = if plus && range.start == 0 {
                items[run[0].first].from
            } else {
                items[first_item].from
            };
            let confidence = items[first_item..=last_item]
                .iter()
                .map(|it| it.probability)
                .fold(1.0, f64::min);
            out.push(HeardNumber {
                digits: gs.iter().map(|g| g.digits.as_str()).collect(),
                text: text
                    .trim_end_matches(['.', ',', ';', ':', '?', '!'])
                    .to_string(),
                plus: plus && range.start == 0,
                extension: ext,
                groups: gs,
                first_word: flat.word_of[from],
                confidence,
                unclear_digits: Vec::new(),
                alternatives: Vec::new(),
            });
        }
    }
    out
}

/// How far outside a number's span a syllable nucleus still counts as one of its digits',
/// seconds.
const NUCLEUS_REACH_S: f64 = 0.1;

/// The syllable nuclei (`nuclei_s`, seconds) heard in a number's span.
pub(crate) fn nuclei_in(span: Span, nuclei_s: &[f64]) -> usize {
    nuclei_s
        .iter()
        .filter(|&&t| t >= span.start_s - NUCLEUS_REACH_S && t <= span.end_s + NUCLEUS_REACH_S)
        .count()
}

/// Fewest digits a stretch needs to be read again as a possible number ([`loose_runs`]), for
/// phone numbers; shorter digit strings need one digit fewer than they have.
const LOOSE_MIN_DIGITS: usize = 4;
/// Most words in a row inside such a stretch that hold no digit (misheard digits: "man" for
/// nine), and the most letters each may have.
const LOOSE_MAX_OTHER: (usize, usize) = (2, 5);
/// Longest silence between two words of such a stretch, seconds.
const LOOSE_MAX_GAP_S: f64 = 1.5;

/// Whether a word holds a digit: a numeral, a digit word or "oh".
fn holds_digit(w: &Word) -> bool {
    digits_held(w) > 0
}

/// How many spoken numbers a word holds (see [`numbers_said`]).
fn digits_held(w: &Word) -> usize {
    numbers_said(&w.text)
}

/// How many digits a word holds as written: its figures (`"1050"` holds four), else one for a
/// digit word or "oh".
fn figures_held(w: &Word) -> usize {
    match w.text.bytes().filter(u8::is_ascii_digit).count() {
        0 => digits_held(w),
        n => n,
    }
}

/// A short word that holds no digit: what may stand between the digits of a loose run, or be
/// a digit misheard.
fn is_short_word(w: &Word) -> bool {
    let letters = w.text.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0 && letters <= LOOSE_MAX_OTHER.1 && !holds_digit(w)
}

/// Where a loose run that starts at `start` begins once short words just before it are taken
/// in: they may be its first digits misheard ("me a, a, two, one").
fn lead_in(words: &[Word], start: usize) -> usize {
    let mut first = start;
    for _ in 0..LOOSE_MAX_OTHER.0 {
        match first.checked_sub(1).map(|p| &words[p]) {
            Some(w)
                if is_short_word(w)
                    && !CUES.contains(&bare(&w.text).as_str())
                    && words[first].start_s - w.end_s <= LOOSE_MAX_GAP_S =>
            {
                first -= 1
            }
            _ => break,
        }
    }
    first
}

/// Stretches of the transcript where a number may have been said although no number was found
/// there: at least four digits (one fewer than `min_digits` when that is lower: a string the
/// transcript heard a digit short of; right after a word that leads into a number, the figures
/// of a numeral count one by one), in words with at most two short words between them
/// ("a, a, two, one, man, three, one, nine, four,
/// one, zero": a number of which the transcriber made words). Each comes as a number to be
/// read again, one group from its first to its last word, with the digits the transcript has
/// and no confidence; stretches that overlap `heard` numbers are left out.
pub(crate) fn loose_runs(
    words: &[Word],
    heard: &[HeardNumber],
    min_digits: usize,
) -> Vec<HeardNumber> {
    let least = LOOSE_MIN_DIGITS.min(min_digits.saturating_sub(1)).max(2);
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if !holds_digit(&words[k]) {
            k += 1;
            continue;
        }
        // Extend over digit words and short runs of short words between them.
        let (start, mut last, mut count, mut others) = (k, k, digits_held(&words[k]), 0);
        let mut figures = figures_held(&words[k]);
        let mut j = k + 1;
        while j < words.len() && words[j].start_s - words[j - 1].end_s <= LOOSE_MAX_GAP_S {
            if holds_digit(&words[j]) {
                last = j;
                count += digits_held(&words[j]);
                figures += figures_held(&words[j]);
                others = 0;
            } else if is_short_word(&words[j]) && others < LOOSE_MAX_OTHER.0 {
                others += 1;
            } else {
                break;
            }
            j += 1;
        }
        k = last + 1;
        // Right after "my number is" or "at", a numeral short of a number is one said with
        // digits the transcript lost ("My number is 1050" for "one oh five eight oh").
        if start
            .checked_sub(1)
            .is_some_and(|p| CUES.contains(&bare(&words[p].text).as_str()))
        {
            count = count.max(figures);
        }
        let first = lead_in(words, start);
        let (a, b) = (words[first].start_s, words[last].end_s);
        let taken = heard
            .iter()
            .filter_map(HeardNumber::span)
            .any(|s| s.start_s < b && s.end_s > a);
        if count < least || taken {
            continue;
        }
        let text: Vec<&str> = words[first..=last]
            .iter()
            .map(|w| w.text.as_str())
            .collect();
        let text = text.join(" ");
        let digits = parse_spoken(&text).unwrap_or_default();
        out.push(HeardNumber {
            groups: vec![DigitGroup {
                digits: digits.clone(),
                start_s: a,
                end_s: b,
            }],
            digits,
            text,
            first_word: first,
            ..HeardNumber::default()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::test_words as words;
    use crate::report::PhoneNumber;
    const MIN_DIGITS: usize = PhoneNumber::MIN_DIGITS;

    #[test]
    fn a_numeral_word_is_split_into_groups_timed_by_its_tokens() {
        let mut w = words(&[("at", 4.6, 4.8), ("850-936-7028.", 4.8, 9.0)]);
        w[1].pieces = [
            ("850", 4.8, 5.6),
            ("-", 5.6, 6.0),
            ("936", 6.0, 6.9),
            ("-", 6.9, 7.2),
            ("70", 7.2, 7.8),
            ("28", 7.8, 8.6),
            (".", 8.6, 9.0),
        ]
        .iter()
        .map(|&(t, a, b)| crate::report::Piece {
            text: t.into(),
            start_s: a,
            end_s: b,
        })
        .collect();
        let n = find_numbers(&w, &[], MIN_DIGITS);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].digits, "8509367028");
        assert_eq!(n[0].text, "850-936-7028");
        let g: Vec<(&str, f64, f64)> = n[0]
            .groups
            .iter()
            .map(|g| (g.digits.as_str(), g.start_s, g.end_s))
            .collect();
        assert_eq!(
            g,
            vec![("850", 4.8, 5.6), ("936", 6.0, 6.9), ("7028", 7.2, 8.6)]
        );
    }

    #[test]
    fn pauses_split_digit_words_into_groups() {
        let spec: Vec<(&str, f64, f64)> = "eight five zero nine three six seven zero two eight"
            .split(' ')
            .enumerate()
            .map(|(k, t)| {
                let a = 1.0
                    + k as f64 * 0.4
                    + if k >= 3 { 0.5 } else { 0.0 }
                    + if k >= 6 { 0.5 } else { 0.0 };
                (t, a, a + 0.3)
            })
            .collect();
        let w = words(&spec);
        let pauses = [
            Span {
                start_s: 2.2,
                end_s: 2.6,
            },
            Span {
                start_s: 3.8,
                end_s: 4.2,
            },
        ];
        let n = find_numbers(&w, &pauses, MIN_DIGITS);
        assert_eq!(n.len(), 1);
        let g: Vec<&str> = n[0].groups.iter().map(|g| g.digits.as_str()).collect();
        assert_eq!(g, vec!["850", "936", "7028"]);
        // Without pauses it is one group.
        let n = find_numbers(&w, &[], MIN_DIGITS);
        assert_eq!(n[0].groups.len(), 1);
    }

    #[test]
    fn short_runs_are_not_phone_numbers() {
        let w = words(&[
            ("I'll", 0.0, 0.2),
            ("call", 0.2, 0.4),
            ("Tuesday", 0.4, 0.8),
            ("at", 0.8, 0.9),
            ("10.", 0.9, 1.2),
        ]);
        assert!(find_numbers(&w, &[], MIN_DIGITS).is_empty());
    }

    #[test]
    fn extension_and_repeat_are_found() {
        let w = words(&[
            ("call", 0.0, 0.3),
            ("555-1212,", 0.4, 2.0),
            ("extension", 2.1, 2.6),
            ("204.", 2.7, 3.2),
            ("Again,", 3.5, 3.8),
            ("555-1212.", 3.9, 5.5),
        ]);
        let n = find_numbers(&w, &[], MIN_DIGITS);
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].digits, "5551212");
        assert_eq!(n[0].extension.as_deref(), Some("204"));
        assert_eq!(n[0].text, "555-1212, extension 204");
        assert_eq!(n[1].digits, "5551212");
        assert_eq!(n[1].extension, None);
        // Said twice with no word between.
        let w = words(&[("850-936-7028,", 0.0, 3.0), ("850-936-7028.", 3.5, 6.0)]);
        let n = find_numbers(&w, &[], MIN_DIGITS);
        let d: Vec<&str> = n.iter().map(|n| n.digits.as_str()).collect();
        assert_eq!(d, vec!["8509367028", "8509367028"]);
    }

    #[test]
    fn plus_marks_a_country_code() {
        let w = words(&[
            ("+44", 0.0, 0.5),
            ("20", 0.5, 0.8),
            ("7946", 0.9, 1.4),
            ("0958", 1.5, 2.0),
        ]);
        let n = find_numbers(&w, &[], MIN_DIGITS);
        assert_eq!(n.len(), 1);
        assert!(n[0].plus);
        assert_eq!(n[0].digits, "442079460958");
        assert_eq!(n[0].text, "+44 20 7946 0958");
    }
}
