//! Spoken and written numbers to digits: the words whisper writes for a number ("eight five oh",
//! "five fifty-five", "double two", "850-936-7028", "5 out of 3") parsed into runs of digits
//! with the items they span, their breaks and extension marks.

use crate::lexicon::{digit_value, is_oh};
use crate::report::Word;

/// Longest pause between two spoken digits that still counts as the same number, seconds.
const MAX_DIGIT_GAP_S: f64 = 2.5;

/// A lexical item of the transcript, with its time.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Lex {
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
pub(super) struct Item {
    pub(super) lex: Lex,
    pub(super) start_s: f64,
    pub(super) end_s: f64,
    /// Range in the flattened text.
    pub(super) from: usize,
    pub(super) to: usize,
    /// The transcriber's probability of the word it comes from (the least, if several).
    pub(super) probability: f64,
}

/// The transcript as one string with a time for each character (interpolated inside each
/// token), so that a numeral inside a longer word can be timed.
pub(super) struct Flat {
    pub(super) chars: Vec<char>,
    pub(super) times: Vec<(f64, f64)>,
    /// The probability of the word each character belongs to (1 for the spaces between).
    pub(super) probs: Vec<f64>,
    /// The index of the word each character belongs to (a space, to the word after it).
    pub(super) word_of: Vec<usize>,
}

pub(super) fn flatten(words: &[Word]) -> Flat {
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

pub(super) fn lex(flat: &Flat) -> Vec<Item> {
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

pub(super) fn teen(w: &str) -> Option<u32> {
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

pub(super) fn tens(w: &str) -> Option<u32> {
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

/// Words the transcriber writes for a caller's "oh" between two digits ("five or three",
/// "one on one", "5 out of 3", "two of one"): zero only there.
pub(super) fn sounds_like_oh(w: &str) -> bool {
    matches!(w, "or" | "on" | "of" | "out" | "owe" | "ow")
}

/// One spoken element: its digits and the items it spans.
#[derive(Debug, Clone)]
pub(super) struct Element {
    pub(super) digits: String,
    pub(super) first: usize,
    pub(super) last: usize,
    /// A break (punctuation) comes right before it.
    pub(super) break_before: bool,
    /// Part of an extension.
    pub(super) extension: bool,
    /// Written as a numeral.
    pub(super) numeral: bool,
    /// A caller's "oh" the transcriber wrote as another word ([`sounds_like_oh`]).
    pub(super) misheard_oh: bool,
}

impl Element {
    /// A `+` or "plus" at item `i` before a country code: an element without digits that marks
    /// the run as international.
    fn plus_sign(i: usize) -> Self {
        Element {
            digits: String::new(),
            first: i,
            last: i,
            break_before: false,
            extension: false,
            numeral: false,
            misheard_oh: false,
        }
    }
}

pub(super) struct Parser<'a> {
    pub(super) items: &'a [Item],
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
                digit_value(w).is_some()
                    || teen(w).is_some()
                    || tens(w).is_some()
                    || is_oh(w)
                    || matches!(w.as_str(), "double" | "triple")
            }
            _ => false,
        }
    }

    /// Whether the item at `i` is a single digit: a one-digit numeral, a digit word or "oh".
    fn single_digit_at(&self, i: usize) -> bool {
        match self.items.get(i).map(|x| &x.lex) {
            Some(Lex::Num(d)) => d.len() == 1,
            Some(Lex::Word(w)) => digit_value(w).is_some() || is_oh(w),
            _ => false,
        }
    }

    /// A caller's "oh" written as another word ([`sounds_like_oh`]) at `i`, between two single
    /// digits of which the second goes on into more digits (or another such "oh"): "two or three
    /// days" is not a number), or a digit alone after an earlier such "oh" of the run (`chained`:
    /// "eight or two or four"). Returns the last item it takes ("out of" is two).
    fn misheard_oh(&self, i: usize, chained: bool) -> Option<usize> {
        let w = self.word(i).filter(|w| sounds_like_oh(w))?;
        let last = match self.word(self.next(i)) {
            Some("of") if w == "out" => self.next(i),
            _ => i,
        };
        let digit = self.next_non_break(last + 1);
        let after = self.next_non_break(digit + 1);
        let goes_on =
            chained || self.starts_digits(after) || self.word(after).is_some_and(sounds_like_oh);
        (self.single_digit_at(digit) && goes_on).then_some(last)
    }

    /// A number below 100 said as words at `i`: `(value, digits it takes, last item)`.
    fn below_hundred(&self, i: usize) -> Option<(u32, usize, usize)> {
        let w = self.word(i)?;
        if let Some(t) = teen(w) {
            return Some((t, 2, i));
        }
        if let Some(t) = tens(w) {
            let j = self.next(i);
            if let Some(u) = self.word(j).and_then(digit_value).filter(|&u| u > 0) {
                return Some((t + u, 2, j));
            }
            return Some((t, 2, i));
        }
        digit_value(w).map(|u| (u, 1, i))
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
                        Lex::Word(x) => digit_value(x)?.to_string(),
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
    pub(super) fn runs(&self) -> Vec<Vec<Element>> {
        let mut runs = Runs::default();
        let mut i = 0;
        while i < self.items.len() {
            let item = &self.items[i];
            if let Some(last) = runs.current.last() {
                if item.start_s - self.items[last.last].end_s > MAX_DIGIT_GAP_S {
                    runs.close();
                }
            }
            let in_run = !runs.current.is_empty();
            if let Some(next) = self.marker(i, in_run, &mut runs) {
                i = next;
                continue;
            }
            match self.element(i, in_run) {
                Some((digits, last)) => {
                    runs.current.push(Element {
                        digits,
                        first: i,
                        last,
                        break_before: runs.pending_break && in_run,
                        extension: runs.extension,
                        numeral: matches!(item.lex, Lex::Num(_)),
                        misheard_oh: false,
                    });
                    runs.pending_break = false;
                    i = last + 1;
                }
                None => {
                    runs.close();
                    i += 1;
                }
            }
        }
        runs.close();
        runs.done
    }

    /// Item `i` when it marks the digits rather than being one: a break, a plus sign, an
    /// extension, an "oh" misheard as a word, "and" between digits, "area code" before them.
    /// Returns the item to go on from; `None` when item `i` is none of these.
    fn marker(&self, i: usize, in_run: bool, runs: &mut Runs) -> Option<usize> {
        match &self.items[i].lex {
            Lex::Break { soft } => {
                if !soft {
                    runs.pending_break = true;
                }
                return Some(i + 1);
            }
            Lex::Plus => {
                if !in_run && self.starts_digits(i + 1) {
                    runs.current.push(Element::plus_sign(i));
                }
                return Some(i + 1);
            }
            Lex::Word(w)
                if in_run
                    && matches!(w.as_str(), "extension" | "ext" | "x")
                    && self.starts_digits(self.next_non_break(i + 1)) =>
            {
                runs.extension = true;
                runs.pending_break = true;
                return Some(i + 1);
            }
            Lex::Word(w) if !in_run && w == "plus" && self.starts_digits(i + 1) => {
                runs.current.push(Element::plus_sign(i));
                return Some(i + 1);
            }
            Lex::Word(_)
                if in_run
                    && runs
                        .current
                        .last()
                        .is_some_and(|e| e.digits.len() == 1 && !e.extension) =>
            {
                let chained = runs.current.iter().any(|e| e.misheard_oh);
                if let Some(last) = self.misheard_oh(i, chained) {
                    runs.current.push(Element {
                        digits: "0".to_string(),
                        first: i,
                        last,
                        break_before: runs.pending_break,
                        extension: runs.extension,
                        numeral: false,
                        misheard_oh: true,
                    });
                    runs.pending_break = false;
                    return Some(last + 1);
                }
            }
            _ => {}
        }
        match &self.items[i].lex {
            Lex::Word(w) if in_run && w == "and" && self.starts_digits(i + 1) => Some(i + 1),
            Lex::Word(w) if !in_run && w == "area" && self.word(i + 1) == Some("code") => {
                Some(i + 2)
            }
            _ => None,
        }
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
pub(super) fn parse_spoken(text: &str) -> Option<String> {
    let words = Word::evenly(text, 0.3, 0.25, 1.0);
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

/// The runs of digits [`Parser::runs`] is building.
#[derive(Default)]
struct Runs {
    /// Runs finished.
    done: Vec<Vec<Element>>,
    /// The run being read.
    current: Vec<Element>,
    /// A break was heard since the last element.
    pending_break: bool,
    /// The elements from here on are an extension.
    extension: bool,
}

impl Runs {
    /// Ends the current run (kept when it holds anything).
    fn close(&mut self) {
        if !self.current.is_empty() {
            self.done.push(std::mem::take(&mut self.current));
        }
        self.extension = false;
        self.pending_break = false;
    }
}

#[cfg(test)]
mod tests;
