//! A small classifier of whole sentences: one logistic regression per kind (pitch, stock
//! phrase, referral, callback promise) over the sentence's word unigrams and bigrams, trained by
//! `scripts/classify-sentences` on the labelled sentences of `scripts/coaching-sentences.tsv`
//! (each with the article it follows) and read here from `sentence_weights.tsv`. It catches
//! what a catalogue of constructions cannot list: other words for the same talk ("our team
//! builds dashboards for finance departments", "Priya felt the two of us should connect").

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The kinds of sentence the model tells apart from the rest of a message, in the weights'
/// column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pitch,
    Cliche,
    Referral,
    Promise,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Pitch, Kind::Cliche, Kind::Referral, Kind::Promise];

    fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind's name in the weights file.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Pitch => "pitch",
            Kind::Cliche => "cliche",
            Kind::Referral => "referral",
            Kind::Promise => "promise",
        }
    }
}

/// A sentence is of a kind when the model gives it at least this probability.
pub(crate) const THRESHOLD: f64 = 0.5;

/// Each kind's bias and n-gram weights.
struct Model {
    bias: [f64; 4],
    weights: HashMap<String, [f64; 4]>,
}

static MODEL: OnceLock<Model> = OnceLock::new();

fn model() -> &'static Model {
    MODEL.get_or_init(|| parse(include_str!("sentence_weights.tsv")))
}

/// The weights file: `kind<TAB>n-gram<TAB>weight` lines (the bias under the empty n-gram), `#`
/// comments. Malformed lines are skipped (the file is the crate's own, checked by a test).
fn parse(text: &str) -> Model {
    let mut m = Model {
        bias: [0.0; 4],
        weights: HashMap::new(),
    };
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(kind), Some(gram), Some(w)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let (Some(k), Ok(w)) = (Kind::named(kind), w.parse::<f64>()) else {
            continue;
        };
        let i = k as usize;
        if gram.is_empty() {
            m.bias[i] = w;
        } else {
            m.weights.entry(gram.to_string()).or_insert([0.0; 4])[i] = w;
        }
    }
    m
}

/// A word's ending cut as the training script cuts it: "-ing", "-ed" or a plural "-s", when
/// more than two letters stay.
fn cut(word: &str) -> &str {
    for end in ["ing", "ed", "s"] {
        if word.len() > end.len() + 2 && word.ends_with(end) {
            return &word[..word.len() - end.len()];
        }
    }
    word
}

/// The sentence's features: its words (lower-case letters and apostrophes, endings cut) and
/// each pair of successive words.
fn features(text: &str) -> HashSet<String> {
    let lower = text.to_lowercase().replace('\u{2019}', "'");
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_lowercase() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(cut)
        .collect();
    let mut out: HashSet<String> = words.iter().map(|w| w.to_string()).collect();
    out.extend(words.windows(2).map(|p| format!("{} {}", p[0], p[1])));
    out
}

/// The probability that `sentence` is of each kind, in [`Kind::ALL`]'s order.
pub(crate) fn probabilities(sentence: &str) -> [f64; 4] {
    let m = model();
    let mut z = m.bias;
    for g in features(sentence) {
        if let Some(w) = m.weights.get(&g) {
            for (zi, wi) in z.iter_mut().zip(w) {
                *zi += wi;
            }
        }
    }
    z.map(|x| 1.0 / (1.0 + (-x).exp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weights_are_read_whole() {
        let m = model();
        assert!(m.bias.iter().all(|b| *b != 0.0), "{:?}", m.bias);
        assert!(m.weights.len() > 500, "{}", m.weights.len());
    }

    #[test]
    fn features_are_the_training_script_s() {
        let f = features("We've helped two hundred firms, streamlining billing!");
        // "-ed" is cut from "hundred" too: the training script cuts the same.
        for g in [
            "we've",
            "help",
            "firm",
            "streamlin",
            "bill",
            "hundr",
            "we've help",
            "firm streamlin",
        ] {
            assert!(f.contains(g), "{g}: {f:?}");
        }
    }

    #[test]
    fn sentences_of_each_kind_are_told_apart() {
        // The training script's probabilities for these sentences (none in its corpus), from
        // the whole weights; the file leaves out weights under 0.1 in size.
        let cases = [
            (
                "Our platform helps logistics teams cut their costs.",
                Kind::Pitch,
                0.961,
            ),
            (
                "Jordan Lee suggested I give you a call.",
                Kind::Referral,
                0.834,
            ),
            (
                "My colleague Ravi recommended I speak with you.",
                Kind::Referral,
                0.624,
            ),
            (
                "I'll try you again on Friday afternoon.",
                Kind::Promise,
                1.0,
            ),
        ];
        for (sentence, kind, script) in cases {
            let p = probabilities(sentence)[kind as usize];
            assert!(
                p >= THRESHOLD && (p - script).abs() < 0.1,
                "{sentence}: {p}"
            );
        }
        let plain = probabilities("I read your post about the new office in Denver.");
        assert!(plain.iter().all(|&x| x < THRESHOLD), "{plain:?}");
    }
}
