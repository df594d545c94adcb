//! Callback numbers in a transcript: spoken forms to digits, digit groups and their timing.
//!
//! Whisper writes a phone number in many ways: numerals (`"850-936-7028"`, `"(850) 936 7028"`),
//! digit words (`"eight five oh"`), or numbers (`"five fifty-five"`, `"eight hundred"`,
//! `"double five"`). [`parse_spoken`] turns text into digits; [`find_numbers`] finds every
//! callback number in timed words, splits it into the groups it was said in (dashes, commas and
//! acoustic pauses are breaks), times each group, and notes extensions, a leading `+` and a number
//! said twice.
//! For example, `"eight hundred five fifty-five oh one double two"` reads as `8005550122`.

// The second reading of numbers (`reading`, `reading_window`, `HeardNumber::adopt`) runs only
// with a transcriber; without the `transcribe` feature it is compiled for its tests alone.
#![cfg_attr(not(feature = "transcribe"), allow(dead_code, unused_imports))]

use serde::{Deserialize, Serialize};

use crate::spoken::{national, Alternative, DigitDifference, DigitGroup, PhoneNumber, Span, Word};

mod digit_times;
mod reading;
pub use digit_times::time_digits;
pub use reading::{reconcile, shape_prior, DigitReading, Reconciled};

/// Fewest digits a run needs to be reported as a phone number (a local 7-digit number).
pub const MIN_DIGITS: usize = 7;

/// Longest pause between two spoken digits that still counts as the same number, seconds.
const MAX_DIGIT_GAP_S: f64 = 2.5;

/// A lexical item of the transcript, with its time.
#[derive(Debug, Clone, PartialEq)]
enum Lex {
    /// A run of ASCII digits.
    Num(String),
    /// A lower-case word (letters and apostrophes).
    Word(String),
    /// `+` before a country code.
    Plus,
    /// Punctuation between items; `soft` when it joins two words (`fifty-five`).
    Break { soft: bool },
}

#[derive(Debug, Clone)]
struct Item {
    lex: Lex,
    start_s: f64,
    end_s: f64,
    /// Range in the flattened text.
    from: usize,
    to: usize,
    /// The transcriber's probability of the word it comes from (the least, if several).
    probability: f64,
}

/// The transcript as one string with a time for each character (interpolated inside each
/// token), so that a numeral inside a longer word can be timed.
struct Flat {
    chars: Vec<char>,
    times: Vec<(f64, f64)>,
    /// The probability of the word each character belongs to (1 for the spaces between).
    probs: Vec<f64>,
    /// The index of the word each character belongs to (a space, to the word after it).
    word_of: Vec<usize>,
}

fn flatten(words: &[Word]) -> Flat {
    let mut chars = Vec::new();
    let mut times = Vec::new();
    let mut probs = Vec::new();
    let mut word_of = Vec::new();
    for (index, w) in words.iter().enumerate() {
        if !chars.is_empty() {
            chars.push(' ');
            times.push((w.start_s, w.start_s));
            probs.push(1.0);
            word_of.push(index);
        }
        // The pieces are the word's tokens; use them only when they spell the word.
        let spelled: String = w.pieces.iter().map(|p| p.text.as_str()).collect();
        let pieces: Vec<(&str, f64, f64)> = if !w.pieces.is_empty() && spelled == w.text {
            w.pieces
                .iter()
                .map(|p| (p.text.as_str(), p.start_s, p.end_s.max(p.start_s)))
                .collect()
        } else {
            vec![(w.text.as_str(), w.start_s, w.end_s.max(w.start_s))]
        };
        for (text, a, b) in pieces {
            let n = text.chars().count().max(1) as f64;
            for (k, c) in text.chars().enumerate() {
                let t0 = a + (b - a) * k as f64 / n;
                let t1 = a + (b - a) * (k + 1) as f64 / n;
                chars.push(c);
                times.push((t0, t1));
                probs.push(w.probability);
                word_of.push(index);
            }
        }
    }
    Flat {
        chars,
        times,
        probs,
        word_of,
    }
}

fn lex(flat: &Flat) -> Vec<Item> {
    let c = &flat.chars;
    let mut items = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let start = i;
        let lex = if c[i].is_ascii_digit() {
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
            Lex::Num(c[start..i].iter().collect())
        } else if c[i].is_alphabetic() {
            while i < c.len() && (c[i].is_alphabetic() || c[i] == '\'' || c[i] == '’') {
                i += 1;
            }
            Lex::Word(c[start..i].iter().collect::<String>().to_lowercase())
        } else if c[i] == '+' {
            i += 1;
            Lex::Plus
        } else if c[i].is_whitespace() {
            i += 1;
            continue;
        } else {
            i += 1;
            // A hyphen between two letters joins a compound ("fifty-five").
            let soft = c[start] == '-'
                && start > 0
                && c[start - 1].is_alphabetic()
                && c.get(i).is_some_and(|n| n.is_alphabetic());
            Lex::Break { soft }
        };
        items.push(Item {
            lex,
            start_s: flat.times[start].0,
            end_s: flat.times[i - 1].1,
            from: start,
            to: i,
            probability: flat.probs[start..i].iter().copied().fold(1.0, f64::min),
        });
    }
    items
}

fn unit(w: &str) -> Option<u32> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        _ => return None,
    })
}

fn teen(w: &str) -> Option<u32> {
    Some(match w {
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

fn tens(w: &str) -> Option<u32> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" | "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// "oh" and "o" are zero only next to other digits.
fn is_oh(w: &str) -> bool {
    matches!(w, "oh" | "o")
}

/// One spoken element: its digits and the items it spans.
#[derive(Debug, Clone)]
struct Element {
    digits: String,
    first: usize,
    last: usize,
    /// A break (punctuation) comes right before it.
    break_before: bool,
    /// Part of an extension.
    extension: bool,
    /// Written as a numeral.
    numeral: bool,
}

struct Parser<'a> {
    items: &'a [Item],
}

impl Parser<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        match &self.items.get(i)?.lex {
            Lex::Word(w) => Some(w),
            _ => None,
        }
    }

    /// Index of the next item, stepping over a soft hyphen.
    fn next(&self, i: usize) -> usize {
        match self.items.get(i + 1).map(|x| &x.lex) {
            Some(Lex::Break { soft: true }) => i + 2,
            _ => i + 1,
        }
    }

    fn starts_digits(&self, i: usize) -> bool {
        match self.items.get(i).map(|x| &x.lex) {
            Some(Lex::Num(_)) => true,
            Some(Lex::Word(w)) => {
                unit(w).is_some()
                    || teen(w).is_some()
                    || tens(w).is_some()
                    || is_oh(w)
                    || matches!(w.as_str(), "double" | "triple")
            }
            _ => false,
        }
    }

    /// A number below 100 said as words at `i`: `(value, digits it takes, last item)`.
    fn below_hundred(&self, i: usize) -> Option<(u32, usize, usize)> {
        let w = self.word(i)?;
        if let Some(t) = teen(w) {
            return Some((t, 2, i));
        }
        if let Some(t) = tens(w) {
            let j = self.next(i);
            if let Some(u) = self.word(j).and_then(unit).filter(|&u| u > 0) {
                return Some((t + u, 2, j));
            }
            return Some((t, 2, i));
        }
        unit(w).map(|u| (u, 1, i))
    }

    /// Parses one element at `i`; returns it and the index after it.
    fn element(&self, i: usize, in_run: bool) -> Option<(String, usize)> {
        match &self.items.get(i)?.lex {
            Lex::Num(d) => Some((d.clone(), i)),
            Lex::Word(w) => {
                let w = w.as_str();
                if matches!(w, "double" | "triple") {
                    let j = self.next(i);
                    let d = match &self.items.get(j)?.lex {
                        Lex::Num(d) if d.len() == 1 => d.clone(),
                        Lex::Word(x) if is_oh(x) => "0".to_string(),
                        Lex::Word(x) => unit(x)?.to_string(),
                        _ => return None,
                    };
                    let n = if w == "double" { 2 } else { 3 };
                    return Some((d.repeat(n), j));
                }
                if is_oh(w) {
                    // "oh" is zero before a digit, punctuation aside (`"O". 2.`).
                    let next_is_digit = self.starts_digits(self.next_non_break(i + 1));
                    return (in_run || next_is_digit).then(|| ("0".to_string(), i));
                }
                let (v, width, last) = self.below_hundred(i)?;
                // "<digit> hundred [and] [<below hundred>]" and "<n> thousand [...]".
                let j = self.next(last);
                match self.word(j) {
                    Some("hundred") if v > 0 => {
                        let mut k = self.next(j);
                        let and = self.word(k) == Some("and");
                        if and {
                            k = self.next(k);
                        }
                        // "two hundred four" is 204, but in "eight hundred five fifty-five" the
                        // five starts the next group: a lone digit after "hundred" belongs to it
                        // only after "and" or at the end of the run.
                        let rest = self.below_hundred(k).filter(|&(_, width, end)| {
                            and || width == 2 || !self.starts_digits(self.next(end))
                        });
                        match rest {
                            Some((r, _, end)) => Some((format!("{}", v * 100 + r), end)),
                            None => Some((format!("{}", v * 100), j)),
                        }
                    }
                    Some("thousand") if v > 0 => {
                        let k = self.next(j);
                        match self.element_below_thousand(k) {
                            Some((r, end)) => Some((format!("{}", v * 1000 + r), end)),
                            None => Some((format!("{}", v * 1000), j)),
                        }
                    }
                    _ => Some((format!("{:0width$}", v), last)),
                }
            }
            _ => None,
        }
    }

    fn element_below_thousand(&self, i: usize) -> Option<(u32, usize)> {
        let i = if self.word(i) == Some("and") {
            self.next(i)
        } else {
            i
        };
        let (v, width, last) = self.below_hundred(i)?;
        let j = self.next(last);
        if width == 1 && v > 0 && self.word(j) == Some("hundred") {
            let mut k = self.next(j);
            if self.word(k) == Some("and") {
                k = self.next(k);
            }
            return match self.below_hundred(k) {
                Some((r, _, end)) => Some((v * 100 + r, end)),
                None => Some((v * 100, j)),
            };
        }
        Some((v, last))
    }

    /// Every run of spoken digits: elements with their breaks and extension marks.
    fn runs(&self) -> Vec<Vec<Element>> {
        let mut runs = Vec::new();
        let mut cur: Vec<Element> = Vec::new();
        let mut pending_break = false;
        let mut extension = false;
        let mut i = 0;
        while i < self.items.len() {
            let item = &self.items[i];
            let in_run = !cur.is_empty();
            if let Some(last) = cur.last() {
                if item.start_s - self.items[last.last].end_s > MAX_DIGIT_GAP_S {
                    runs.push(std::mem::take(&mut cur));
                    extension = false;
                    pending_break = false;
                }
            }
            let in_run = in_run && !cur.is_empty();
            match &item.lex {
                Lex::Break { soft } => {
                    if !soft {
                        pending_break = true;
                    }
                    i += 1;
                    continue;
                }
                Lex::Plus => {
                    if !in_run && self.starts_digits(i + 1) {
                        cur.push(Element {
                            digits: String::new(),
                            first: i,
                            last: i,
                            break_before: false,
                            extension: false,
                            numeral: false,
                        });
                    }
                    i += 1;
                    continue;
                }
                Lex::Word(w)
                    if in_run
                        && matches!(w.as_str(), "extension" | "ext" | "x")
                        && self.starts_digits(self.next_non_break(i + 1)) =>
                {
                    extension = true;
                    pending_break = true;
                    i += 1;
                    continue;
                }
                Lex::Word(w) if !in_run && w == "plus" && self.starts_digits(i + 1) => {
                    cur.push(Element {
                        digits: String::new(),
                        first: i,
                        last: i,
                        break_before: false,
                        extension: false,
                        numeral: false,
                    });
                    i += 1;
                    continue;
                }
                Lex::Word(w) if in_run && w == "and" && self.starts_digits(i + 1) => {
                    i += 1;
                    continue;
                }
                Lex::Word(w) if !in_run && w == "area" && self.word(i + 1) == Some("code") => {
                    i += 2;
                    continue;
                }
                _ => {}
            }
            match self.element(i, in_run) {
                Some((digits, last)) => {
                    cur.push(Element {
                        digits,
                        first: i,
                        last,
                        break_before: pending_break && in_run,
                        extension,
                        numeral: matches!(item.lex, Lex::Num(_)),
                    });
                    pending_break = false;
                    i = last + 1;
                }
                None => {
                    if !cur.is_empty() {
                        runs.push(std::mem::take(&mut cur));
                    }
                    extension = false;
                    pending_break = false;
                    i += 1;
                }
            }
        }
        if !cur.is_empty() {
            runs.push(cur);
        }
        runs
    }

    fn next_non_break(&self, mut i: usize) -> usize {
        while matches!(self.items.get(i).map(|x| &x.lex), Some(Lex::Break { .. })) {
            i += 1;
        }
        i
    }
}

/// The digits of a spoken or written number, or `None` when the text holds none. Everything
/// that is not part of the number is ignored; several runs are joined.
pub fn parse_spoken(text: &str) -> Option<String> {
    let words: Vec<Word> = text
        .split_whitespace()
        .enumerate()
        .map(|(k, t)| Word {
            text: t.to_string(),
            start_s: k as f64 * 0.3,
            end_s: k as f64 * 0.3 + 0.25,
            probability: 1.0,
            pieces: Vec::new(),
        })
        .collect();
    let flat = flatten(&words);
    let items = lex(&flat);
    let runs = Parser { items: &items }.runs();
    let digits: String = runs
        .iter()
        .flatten()
        .map(|e| e.digits.as_str())
        .collect::<String>();
    (!digits.is_empty()).then_some(digits)
}

/// A callback number found in timed words, before acoustic timing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeardNumber {
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
    /// probabilities, until a second reading ([`HeardNumber::adopt`]) says more.
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
    /// Takes what the two readings settled on: its digits (shared among the groups as the
    /// digits they replace were), confidence, unclear digits and alternatives.
    pub fn adopt(&mut self, r: Reconciled) {
        if r.digits != self.digits {
            let old: Vec<usize> = self
                .groups
                .iter()
                .enumerate()
                .flat_map(|(k, g)| std::iter::repeat_n(k, g.digits.len()))
                .collect();
            let mut new_groups: Vec<String> = vec![String::new(); self.groups.len()];
            let mut group = 0;
            let new = r.digits.as_bytes();
            for edit in align(self.digits.as_bytes(), new) {
                match edit {
                    Edit::Pair(i, j) => {
                        group = old.get(i).copied().unwrap_or(group);
                        new_groups[group].push(char::from(new[j]));
                    }
                    Edit::OnlyA(i) => group = old.get(i).copied().unwrap_or(group),
                    Edit::OnlyB(j) => new_groups[group].push(char::from(new[j])),
                }
            }
            for (g, d) in self.groups.iter_mut().zip(new_groups) {
                g.digits = d;
            }
            self.groups.retain(|g| !g.digits.is_empty());
            self.digits = r.digits;
        }
        self.confidence = r.confidence;
        self.unclear_digits = r.unclear_digits;
        self.alternatives = r.alternatives;
    }

    /// From the first group's start to the last group's end, seconds.
    pub fn span(&self) -> Option<Span> {
        Some(Span {
            start_s: self.groups.first()?.start_s,
            end_s: self.groups.last()?.end_s,
        })
    }
}

/// Whether `n` digits make a plausible phone number on their own.
fn plausible_len(n: usize) -> bool {
    matches!(n, 7 | 10 | 11)
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

/// Finds the callback numbers in timed words. `pauses` (sorted spans of silence, seconds) split
/// digit groups where the speaker paused without the transcript showing it. Runs of fewer than
/// [`MIN_DIGITS`] digits (times, prices, street numbers) are not phone numbers.
pub fn find_numbers(words: &[Word], pauses: &[Span]) -> Vec<HeardNumber> {
    let flat = flatten(words);
    let items = lex(&flat);
    let runs = Parser { items: &items }.runs();
    let mut out = Vec::new();
    for run in runs {
        let plus = run.first().is_some_and(|e| {
            e.digits.is_empty() && matches!(&items[e.first].lex, Lex::Plus | Lex::Word(_))
        });
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
                    let paused = pauses.iter().any(|q| {
                        q.end_s > q.start_s
                            && q.start_s < a + 0.2
                            && q.end_s > p_end - 0.2
                            && q.start_s > p_start
                            && q.end_s < b
                    });
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
        let total: usize = groups.iter().map(|g| g.digits.len()).sum();
        if total < MIN_DIGITS {
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

/// Fewest digit words a stretch needs to be read again as a possible number ([`loose_runs`]).
const LOOSE_MIN_DIGIT_WORDS: usize = 4;
/// Most words in a row inside such a stretch that hold no digit (misheard digits: "man" for
/// nine), and the most letters each may have.
const LOOSE_MAX_OTHER: (usize, usize) = (2, 5);
/// Longest silence between two words of such a stretch, seconds.
const LOOSE_MAX_GAP_S: f64 = 1.5;

/// Whether a word holds a digit: a numeral, a digit word or "oh".
fn holds_digit(w: &Word) -> bool {
    w.is_digit() || w.text.bytes().any(|b| b.is_ascii_digit())
}

/// Stretches of the transcript where a number may have been said although no number was found
/// there: at least four words holding digits, with at most two short words between them
/// ("a, a, two, one, man, three, one, nine, four,
/// one, zero": a number of which the transcriber made words). Each comes as a number to be
/// read again, one group from its first to its last word, with the digits the transcript has
/// and no confidence; stretches that overlap `heard` numbers are left out.
pub fn loose_runs(words: &[Word], heard: &[HeardNumber]) -> Vec<HeardNumber> {
    let short = |w: &Word| {
        let letters = w.text.chars().filter(|c| c.is_alphabetic()).count();
        letters > 0 && letters <= LOOSE_MAX_OTHER.1 && !holds_digit(w)
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if !holds_digit(&words[k]) {
            k += 1;
            continue;
        }
        // Extend over digit words and short runs of short words between them.
        let (start, mut last, mut count, mut others) = (k, k, 1, 0);
        let mut j = k + 1;
        while j < words.len() && words[j].start_s - words[j - 1].end_s <= LOOSE_MAX_GAP_S {
            if holds_digit(&words[j]) {
                last = j;
                count += 1;
                others = 0;
            } else if short(&words[j]) && others < LOOSE_MAX_OTHER.0 {
                others += 1;
            } else {
                break;
            }
            j += 1;
        }
        k = last + 1;
        // Short words just before may be its first digits misheard ("me a, a, two, one").
        let mut first = start;
        for _ in 0..LOOSE_MAX_OTHER.0 {
            match first.checked_sub(1).map(|p| &words[p]) {
                Some(w)
                    if short(w)
                        && !CUES.contains(&bare(w).as_str())
                        && words[first].start_s - w.end_s <= LOOSE_MAX_GAP_S =>
                {
                    first -= 1
                }
                _ => break,
            }
        }
        let (a, b) = (words[first].start_s, words[last].end_s);
        let taken = heard
            .iter()
            .filter_map(HeardNumber::span)
            .any(|s| s.start_s < b && s.end_s > a);
        if count < LOOSE_MIN_DIGIT_WORDS || taken {
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

/// Longest stretch of words before a number given to its second reading as context, seconds.
const READING_CONTEXT_S: f64 = 3.0;

/// Where a number's second reading listens, and what was said before the number there.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingWindow {
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

/// Words that lead into a number ("call me at", "my number is"): said before a number, they
/// are what they are. Any other word just before a number may be its first digit misheard
/// ("a mini task for 0, 2, 9..." for "4, 0, 2, 9").
const CUES: &[&str] = &[
    "at", "is", "me", "my", "number", "numbers", "call", "reach", "on", "dial", "thats", "its",
    "was", "be", "back", "again", "it", "the", "and", "number's",
];

fn bare(w: &Word) -> String {
    w.text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// The window of a number's second reading: from the words that start in the 3 s before the
/// number's `start_s` (before its first word, `first_word`) to `end_s`, the last of those words
/// set apart unless it leads into numbers ("at", "is", "number"...).
/// With no words there, the window starts half a second before the number.
pub fn reading_window(
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
        Some(w) if !CUES.contains(&bare(w).as_str()) && w.end_s > start_s - 1.0 => {
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

/// Moves each digit group's start and end onto the sound: a group starts where sound starts
/// (the nearest sounding-run start within `reach_s` of the transcriber's time, else the nearest
/// acoustic onset) and ends where its sounding run ends when silence follows within `reach_s`.
/// Whisper's token times stray by a few hundred milliseconds and a number's last token often
/// runs on into the silence after it; the sound does not. `runs` are the sounding runs
/// `(start_s, end_s)`, sorted; `onsets` sorted seconds. Group order is kept: no group starts
/// before the previous one ends.
pub fn time_groups(number: &mut HeardNumber, runs: &[(f64, f64)], onsets: &[f64], reach_s: f64) {
    let mut floor = f64::NEG_INFINITY;
    let n = number.groups.len();
    for k in 0..n {
        let (s_w, e_w) = (number.groups[k].start_s, number.groups[k].end_s);
        let ceiling = number
            .groups
            .get(k + 1)
            .map_or(f64::INFINITY, |g| g.start_s.max(e_w));
        let nearest = |times: &mut dyn Iterator<Item = f64>| {
            times
                .filter(|&t| (t - s_w).abs() <= reach_s && t >= floor && t < e_w)
                .min_by(|a, b| (a - s_w).abs().total_cmp(&(b - s_w).abs()))
        };
        let start = nearest(&mut runs.iter().map(|r| r.0))
            .or_else(|| nearest(&mut onsets.iter().copied()))
            .unwrap_or(s_w.max(floor));
        // The run the group's end falls in (or the last one before it, when the transcriber's
        // end lies in the silence after).
        let probe = e_w - 0.02;
        let run = runs
            .iter()
            .rev()
            .find(|r| r.0 <= probe && r.0 < ceiling)
            .copied();
        let end = match run {
            Some((_, re)) if re > start && re <= e_w + reach_s && re <= ceiling + 0.05 => re,
            _ => e_w,
        };
        let g = &mut number.groups[k];
        g.start_s = start;
        g.end_s = end.max(start);
        floor = g.end_s;
    }
}

/// How far before the transcriber's start of a number its first digit may be found by
/// [`anchor_start`], seconds; the alignment of the word before a number often runs on into it.
pub const ANCHOR_BEFORE_S: f64 = 0.5;

/// The shortest silence before a sounding run that counts as a pause before a number rather
/// than the closure of a stop consonant, seconds.
const MIN_PAUSE_BEFORE_S: f64 = 0.15;

/// Moves the start of a number said without a pause before it onto its first digit's syllable.
/// Whisper's alignment tends to let the word before a number run on into its first digits, and
/// with no silence there the sound gives no run start to snap to. Counting one syllable nucleus
/// per digit back from the number's end (which the sound does mark) finds the first digit's
/// nucleus; the number then starts at the intensity dip before it (the latest of `onsets`
/// before the nucleus). Nothing moves when the count lands further than [`ANCHOR_BEFORE_S`]
/// before, or more than one digit's time after, the transcriber's start, when the number
/// starts on a sounding run (`runs`) after a pause, or when the span holds too few nuclei. Returns
/// whether the start moved.
pub fn anchor_start(
    number: &mut HeardNumber,
    runs: &[(f64, f64)],
    nuclei_s: &[f64],
    onsets: &[f64],
) -> bool {
    let (Some(first), Some(last)) = (number.groups.first(), number.groups.last()) else {
        return false;
    };
    let Some(start) = anchor_on_nuclei(
        first.start_s,
        last.end_s,
        number.digits.len(),
        ANCHOR_BEFORE_S,
        runs,
        nuclei_s,
        onsets,
    ) else {
        return false;
    };
    let g = &mut number.groups[0];
    if start >= g.end_s {
        return false;
    }
    g.start_s = start;
    true
}

/// Where a stretch of speech with `count` syllables ending at `end` starts, by counting
/// syllable nuclei back from its end; `None` when the transcriber's `start` should stand (see
/// [`anchor_start`] for the conditions; the count may land at most `max_back_s` before
/// `start`).
pub fn anchor_on_nuclei(
    start: f64,
    end: f64,
    count: usize,
    max_back_s: f64,
    runs: &[(f64, f64)],
    nuclei_s: &[f64],
    onsets: &[f64],
) -> Option<f64> {
    // A run start after a real pause (not a stop consonant's closure) is where speech starts.
    let after_pause = runs.iter().enumerate().any(|(k, r)| {
        (r.0 - start).abs() < 1e-6 && (k == 0 || r.0 - runs[k - 1].1 >= MIN_PAUSE_BEFORE_S)
    });
    if count < 2 || end <= start || after_pause {
        return None;
    }
    let per_syllable = (end - start) / count as f64;
    let before_end: Vec<f64> = nuclei_s.iter().copied().filter(|&t| t < end).collect();
    let k = before_end.len().checked_sub(count)?;
    let nucleus = before_end[k];
    if nucleus < start - max_back_s || nucleus > start + per_syllable {
        return None;
    }
    let previous = k
        .checked_sub(1)
        .map_or(f64::NEG_INFINITY, |j| before_end[j]);
    onsets
        .iter()
        .copied()
        .rfind(|&t| t > previous && t < nucleus)
}

/// What a group split that the transcript does not show costs, in syllable nuclei: the nuclei
/// must fit a split the transcript does not show better by more than this to win over the
/// transcript's own groups (a stretch's nuclei are often one off: a missed "oh", a "seven"
/// heard as one).
const UNSHOWN_SPLIT_COST: f64 = 1.5;

/// Regroups a number's digits at the pauses heard inside it: where the speaker paused is where
/// the groups break. The transcript's dashes are a guess (whisper writes "020-794-609-5-8" for
/// "oh two oh, seven nine four six, oh nine five eight") and its times stray, so each pause's
/// place among the digits is chosen by the sound: the stretch of speech between two pauses
/// should hold about one syllable nucleus per digit (or per syllable, "seven" and "zero" having
/// two), and of the splits that fit the nuclei (`nuclei_s`) best, one the transcript shows wins.
/// The groups then run from pause to pause. A number with no pause inside keeps its groups.
/// Returns whether the groups changed.
pub fn regroup_at_pauses(number: &mut HeardNumber, pauses: &[Span], nuclei_s: &[f64]) -> bool {
    let Some(span) = number.span() else {
        return false;
    };
    let inside: Vec<Span> = pauses
        .iter()
        .filter(|p| p.start_s > span.start_s && p.end_s < span.end_s && p.end_s > p.start_s)
        .copied()
        .collect();
    let digits: Vec<char> = number
        .groups
        .iter()
        .flat_map(|g| g.digits.chars())
        .collect();
    let n = digits.len();
    let m = inside.len() + 1; // stretches of speech
    if inside.is_empty() || n < m {
        return false;
    }
    let mut shown = vec![false; n + 1];
    let mut at = 0;
    for g in &number.groups {
        at += g.digits.chars().count();
        shown[at.min(n)] = true;
    }
    // Stretch i runs from the end of pause i-1 to the start of pause i.
    let bounds: Vec<(f64, f64)> = (0..m)
        .map(|i| {
            let a = if i == 0 {
                span.start_s
            } else {
                inside[i - 1].end_s
            };
            let b = if i + 1 == m {
                span.end_s
            } else {
                inside[i].start_s
            };
            (a, b)
        })
        .collect();
    let heard: Vec<f64> = bounds
        .iter()
        .map(|&(a, b)| nuclei_s.iter().filter(|&&t| t >= a && t < b).count() as f64)
        .collect();
    let cost = |i: usize, from: usize, to: usize| -> f64 {
        let said = &digits[from..to];
        let count = said.len() as f64;
        let syllables: f64 = said
            .iter()
            .map(|&c| match c {
                '7' => 2.0,
                '0' => 1.5,
                _ => 1.0,
            })
            .sum();
        let fit = (heard[i] - count).abs().min((heard[i] - syllables).abs());
        let split = if to < n && !shown[to] {
            UNSHOWN_SPLIT_COST
        } else {
            0.0
        };
        fit + split
    };
    // best[i][k]: the least cost of saying the first k digits in the first i stretches.
    let mut best = vec![vec![f64::INFINITY; n + 1]; m + 1];
    let mut from = vec![vec![0usize; n + 1]; m + 1];
    best[0][0] = 0.0;
    for i in 1..=m {
        for k in i..=n {
            for j in (i - 1)..k {
                if !best[i - 1][j].is_finite() {
                    continue;
                }
                if i == m && k != n {
                    continue;
                }
                let c = best[i - 1][j] + cost(i - 1, j, k);
                if c < best[i][k] {
                    best[i][k] = c;
                    from[i][k] = j;
                }
            }
        }
    }
    if !best[m][n].is_finite() {
        return false;
    }
    let mut cuts = vec![n; m + 1];
    cuts[0] = 0;
    for i in (1..m).rev() {
        cuts[i] = from[i + 1][cuts[i + 1]];
    }
    let groups: Vec<DigitGroup> = (0..m)
        .map(|i| DigitGroup {
            digits: digits[cuts[i]..cuts[i + 1]].iter().collect(),
            start_s: bounds[i].0,
            end_s: bounds[i].1,
        })
        .collect();
    if groups == number.groups {
        return false;
    }
    number.groups = groups;
    true
}

/// The silences between successive groups, seconds (never negative).
pub fn group_gaps(groups: &[DigitGroup]) -> Vec<f64> {
    groups
        .windows(2)
        .map(|p| (p[1].start_s - p[0].end_s).max(0.0))
        .collect()
}

/// The report's phone numbers from the heard ones: digits per second over each number's span,
/// gaps between groups, numbers said twice (`repeat_of`: the same digits, or the last seven of
/// an earlier number's), and, when a number was expected, whether each matches and where it
/// differs. A leading North American `1` is ignored when comparing.
pub fn to_report(heard: Vec<HeardNumber>, expected: Option<&str>) -> Vec<PhoneNumber> {
    let mut out: Vec<PhoneNumber> = Vec::with_capacity(heard.len());
    for h in heard {
        let Some(span) = h.span() else { continue };
        let dur = span.end_s - span.start_s;
        let digits_per_second = if dur > 0.0 {
            h.digits.len() as f64 / dur
        } else {
            0.0
        };
        let nat = national(&h.digits);
        let repeat_of = out.iter().position(|p| {
            let earlier = national(&p.digits);
            earlier == nat || (nat.len() == 7 && earlier.len() > 7 && earlier.ends_with(nat))
        });
        let (matches_expected, differences) = match expected {
            Some(e) => {
                let d = compare_digits(e, &h.digits);
                (Some(d.is_empty()), d)
            }
            None => (None, Vec::new()),
        };
        out.push(PhoneNumber {
            group_gaps_s: group_gaps(&h.groups),
            digits: h.digits,
            text: h.text,
            start_s: span.start_s,
            end_s: span.end_s,
            digits_per_second,
            groups: h.groups,
            matches_expected,
            extension: h.extension,
            repeat_of,
            differences,
            confidence: h.confidence,
            unclear_digits: h.unclear_digits,
            alternatives: h.alternatives,
        });
    }
    out
}

/// One step of the fewest-edits alignment of two digit strings `a` and `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edit {
    /// `a[i]` and `b[j]` are aligned (equal or one for the other).
    Pair(usize, usize),
    /// `a[i]` has nothing in `b`.
    OnlyA(usize),
    /// `b[j]` has nothing in `a`.
    OnlyB(usize),
}

/// The fewest-edits alignment of `a` and `b`, in order.
pub(crate) fn align(a: &[u8], b: &[u8]) -> Vec<Edit> {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]) {
            out.push(Edit::Pair(i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            out.push(Edit::OnlyA(i - 1));
            i -= 1;
        } else {
            out.push(Edit::OnlyB(j - 1));
            j -= 1;
        }
    }
    out.reverse();
    out
}

/// Whether `heard` may still be `expected` to a listener: one of its alternative readings is, or
/// every digit where it differs is a digit marked unclear (said so that it may be heard either
/// way). False when it equals `expected`.
pub fn may_be(expected: &str, heard: &PhoneNumber) -> bool {
    let meant = national(expected);
    if heard
        .alternatives
        .iter()
        .any(|a| national(&a.digits) == meant)
    {
        return true;
    }
    let offset = heard.digits.len() - national(&heard.digits).len();
    let diffs = compare_digits(expected, &heard.digits);
    !diffs.is_empty()
        && diffs.iter().all(|d| {
            d.expected.is_some()
                && d.heard.is_some()
                && heard.unclear_digits.contains(&(d.position + offset))
        })
}

/// The time span of the group holding digit `position` of `number`; the whole number when its
/// groups do not hold its digits one for one.
pub fn digit_span(number: &PhoneNumber, position: usize) -> Span {
    let whole = Span {
        start_s: number.start_s,
        end_s: number.end_s,
    };
    let held: usize = number.groups.iter().map(|g| g.digits.len()).sum();
    if held != number.digits.len() {
        return whole;
    }
    let mut end = 0;
    for g in &number.groups {
        end += g.digits.len();
        if position < end {
            return Span {
                start_s: g.start_s,
                end_s: g.end_s,
            };
        }
    }
    whole
}

/// Aligns the heard digits with the expected ones (fewest edits) and lists the differences. A
/// leading North American `1` on either side is ignored.
pub fn compare_digits(expected: &str, heard: &str) -> Vec<DigitDifference> {
    let (e, h) = (national(expected).as_bytes(), national(heard).as_bytes());
    let mut at = 0; // the expected position the next edit stands before
    let mut out = Vec::new();
    for edit in align(e, h) {
        match edit {
            Edit::Pair(i, j) => {
                if e[i] != h[j] {
                    out.push(DigitDifference {
                        position: i,
                        expected: Some(char::from(e[i])),
                        heard: Some(char::from(h[j])),
                    });
                }
                at = i + 1;
            }
            Edit::OnlyA(i) => {
                out.push(DigitDifference {
                    position: i,
                    expected: Some(char::from(e[i])),
                    heard: None,
                });
                at = i + 1;
            }
            Edit::OnlyB(j) => out.push(DigitDifference {
                position: at,
                expected: None,
                heard: Some(char::from(h[j])),
            }),
        }
    }
    out
}

/// The digits of an expected number given by a user (`"+1 (850) 936-7028"` -> `"18509367028"`);
/// `None` when it holds fewer than [`MIN_DIGITS`] digits or anything but digits and the usual
/// separators.
pub fn normalize_expected(s: &str) -> Option<String> {
    let ok = s
        .chars()
        .all(|c| c.is_ascii_digit() || " -.()+/".contains(c));
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    (ok && digits.len() >= MIN_DIGITS && digits.len() <= 15).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoken_forms_read_as_digits() {
        assert_eq!(
            parse_spoken("eight hundred five fifty-five oh one double two").as_deref(),
            Some("8005550122")
        );
        assert_eq!(parse_spoken("850-936-7028").as_deref(), Some("8509367028"));
        assert_eq!(parse_spoken("thanks"), None);
    }

    fn words(spec: &[(&str, f64, f64)]) -> Vec<Word> {
        spec.iter()
            .map(|&(t, a, b)| Word {
                text: t.into(),
                start_s: a,
                end_s: b,
                probability: 0.9,
                pieces: Vec::new(),
            })
            .collect()
    }

    /// Spoken and written forms with the digits they stand for.
    const FORMS: &[(&str, &str)] = &[
        // Whisper's numeral output.
        ("850-936-7028", "8509367028"),
        ("850-936-7028.", "8509367028"),
        ("(850) 936-7028", "8509367028"),
        ("850 936 7028", "8509367028"),
        ("850.936.7028", "8509367028"),
        ("8509367028", "8509367028"),
        ("1-800-555-1212", "18005551212"),
        ("+1 850 936 7028", "18509367028"),
        ("+44 20 7946 0958", "442079460958"),
        ("555-1212", "5551212"),
        ("8-5-0-9-3-6-7-0-2-8", "8509367028"),
        ("850, 936, 7028.", "8509367028"),
        ("8, 5, 0, 9, 3, 6, 7, 0, 2, 8", "8509367028"),
        ("850-936-70-28", "8509367028"),
        // Digit words.
        (
            "eight five zero nine three six seven zero two eight",
            "8509367028",
        ),
        (
            "eight five oh, nine three six, seven oh two eight",
            "8509367028",
        ),
        (
            "Eight, five, zero. Nine, three, six. Seven, zero, two, eight.",
            "8509367028",
        ),
        (
            "eight-five-zero nine-three-six seven-zero-two-eight",
            "8509367028",
        ),
        ("five five five one two one two", "5551212"),
        ("o one two three", "0123"),
        // Repeats.
        ("double five five one two one two", "5551212"),
        ("triple five one two one two", "5551212"),
        ("five five five, one two double one", "5551211"),
        ("double oh seven", "007"),
        // Numbers said as numbers.
        ("five fifty-five twelve twelve", "5551212"),
        ("five fifty five, twelve twelve", "5551212"),
        ("eight hundred five fifty-five twelve twelve", "8005551212"),
        (
            "one eight hundred five five five one two one two",
            "18005551212",
        ),
        (
            "eight fifty, nine thirty-six, seventy twenty-eight",
            "8509367028",
        ),
        ("nine one nine, two oh two, eleven hundred", "9192021100"),
        ("two hundred and four", "204"),
        ("two hundred four", "204"),
        ("five hundred", "500"),
        ("two thousand", "2000"),
        ("two thousand and five", "2005"),
        ("forty", "40"),
        ("nineteen", "19"),
        // Mixed numerals and words.
        ("850 nine three six 7028", "8509367028"),
        ("eight five oh 936-7028", "8509367028"),
        ("area code 850, 936-7028", "8509367028"),
        ("plus one 850 936 7028", "18509367028"),
        // Not numbers.
        ("oh, hi there", ""),
        ("call me", ""),
        ("Oh well", ""),
    ];

    #[test]
    fn spoken_forms_give_their_digits() {
        assert!(FORMS.len() >= 40);
        for &(text, digits) in FORMS {
            assert_eq!(parse_spoken(text).unwrap_or_default(), digits, "{text:?}");
        }
    }

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
        let n = find_numbers(&w, &[]);
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
        let n = find_numbers(&w, &pauses);
        assert_eq!(n.len(), 1);
        let g: Vec<&str> = n[0].groups.iter().map(|g| g.digits.as_str()).collect();
        assert_eq!(g, vec!["850", "936", "7028"]);
        // Without pauses it is one group.
        let n = find_numbers(&w, &[]);
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
        assert!(find_numbers(&w, &[]).is_empty());
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
        let n = find_numbers(&w, &[]);
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].digits, "5551212");
        assert_eq!(n[0].extension.as_deref(), Some("204"));
        assert_eq!(n[0].text, "555-1212, extension 204");
        assert_eq!(n[1].digits, "5551212");
        assert_eq!(n[1].extension, None);
        // Said twice with no word between.
        let w = words(&[("850-936-7028,", 0.0, 3.0), ("850-936-7028.", 3.5, 6.0)]);
        let n = find_numbers(&w, &[]);
        let d: Vec<&str> = n.iter().map(|n| n.digits.as_str()).collect();
        assert_eq!(d, vec!["8509367028", "8509367028"]);
    }

    #[test]
    fn pauses_regroup_digits_as_the_syllable_nuclei_say() {
        let group = |d: &str, a: f64, b: f64| DigitGroup {
            digits: d.to_string(),
            start_s: a,
            end_s: b,
        };
        let gs = |n: &HeardNumber| -> Vec<(String, f64, f64)> {
            n.groups
                .iter()
                .map(|g| (g.digits.clone(), g.start_s, g.end_s))
                .collect()
        };
        // "oh two oh, seven nine four six, oh nine five eight", transcribed 020-794-609-5-8 with
        // the "six" timed across the pause after it.
        let mut n = HeardNumber {
            digits: "02079460958".into(),
            text: "020-794-609-5-8".into(),
            plus: false,
            extension: None,
            groups: vec![
                group("020", 15.35, 16.12),
                group("794", 16.88, 18.02),
                group("6", 18.6, 19.2),
                group("095", 19.46, 20.0),
                group("8", 20.17, 20.46),
            ],
            ..HeardNumber::default()
        };
        let pauses = [
            Span {
                start_s: 16.12,
                end_s: 16.88,
            },
            Span {
                start_s: 18.36,
                end_s: 19.18,
            },
        ];
        // Nuclei heard: two in the first stretch, five in the second, four in the third.
        let nuclei = [
            15.5, 15.9, 17.0, 17.2, 17.5, 17.8, 18.1, 19.3, 19.6, 19.9, 20.3,
        ];
        assert!(regroup_at_pauses(&mut n, &pauses, &nuclei));
        assert_eq!(
            gs(&n),
            vec![
                ("020".to_string(), 15.35, 16.12),
                ("7946".to_string(), 16.88, 18.36),
                ("0958".to_string(), 19.18, 20.46)
            ]
        );
        // No pause inside: the groups stay.
        let before = n.groups.clone();
        assert!(!regroup_at_pauses(
            &mut n,
            &[Span {
                start_s: 1.0,
                end_s: 2.0
            }],
            &nuclei
        ));
        assert_eq!(n.groups, before);
        // The transcript's split fits the nuclei: only the times move to the pause.
        let mut n = HeardNumber {
            digits: "5551212".into(),
            text: "555-1212".into(),
            plus: false,
            extension: None,
            groups: vec![group("555", 16.96, 17.98), group("1212", 18.32, 20.41)],
            ..HeardNumber::default()
        };
        let nuclei = [17.1, 17.5, 17.9, 19.2, 19.5, 19.9, 20.2];
        assert!(regroup_at_pauses(
            &mut n,
            &[Span {
                start_s: 18.3,
                end_s: 19.01
            }],
            &nuclei
        ));
        assert_eq!(
            gs(&n),
            vec![
                ("555".to_string(), 16.96, 18.3),
                ("1212".to_string(), 19.01, 20.41)
            ]
        );
    }

    #[test]
    fn plus_marks_a_country_code() {
        let w = words(&[
            ("+44", 0.0, 0.5),
            ("20", 0.5, 0.8),
            ("7946", 0.9, 1.4),
            ("0958", 1.5, 2.0),
        ]);
        let n = find_numbers(&w, &[]);
        assert_eq!(n.len(), 1);
        assert!(n[0].plus);
        assert_eq!(n[0].digits, "442079460958");
        assert_eq!(n[0].text, "+44 20 7946 0958");
    }

    #[test]
    fn differences_name_the_digits() {
        assert!(compare_digits("8509367028", "18509367028").is_empty());
        assert_eq!(
            compare_digits("8509367028", "8509367038"),
            vec![DigitDifference {
                position: 8,
                expected: Some('2'),
                heard: Some('3')
            }]
        );
        assert_eq!(
            compare_digits("8509367028", "850936728"),
            vec![DigitDifference {
                position: 7,
                expected: Some('0'),
                heard: None
            }]
        );
        assert_eq!(
            compare_digits("5551212", "55551212"),
            vec![DigitDifference {
                position: 0,
                expected: None,
                heard: Some('5')
            }]
        );
        assert_eq!(
            normalize_expected("+1 (850) 936-7028").as_deref(),
            Some("18509367028")
        );
        assert_eq!(normalize_expected("call me"), None);
        assert_eq!(normalize_expected("12345"), None);
    }
}
