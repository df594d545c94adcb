//! How fast the caller says the details (their name and callback number) against the rest of
//! the message: the measurement behind Mewse's "slow down when you leave your details".
//!
//! Two rates are measured over the same stretches of phonation (pauses excluded, from the
//! acoustic speech segmentation): syllables *read from the words* (the transcript's syllables,
//! digits said one by one) and syllable *nuclei heard* (the acoustic core's count, which needs
//! no transcript but misses syllables that run together in fast speech, so it flatters a
//! rushed number). The verdict uses the first; both are reported.

use crate::lexicon::{digit_syllables, syllables};
use crate::prosody::MIN_PHONATION_S;
use crate::report::Speech;
use crate::report::{Introduction, Pacing, PhoneNumber, Span, Word};

fn inside(t: f64, spans: &[Span]) -> bool {
    spans.iter().any(|s| t >= s.start_s && t < s.end_s)
}

fn phonation(speech: &Speech, spans: &[Span]) -> f64 {
    spans
        .iter()
        .map(|s| speech.phonation_between(s.start_s, s.end_s))
        .sum()
}

/// Speaking time over the details: each span less the pauses wholly inside it (between the
/// number's digit groups, say). A pause that overlaps a span's edge is not subtracted: there
/// the transcriber's times and the silence detector disagree about a quiet consonant (the
/// final /s/ of "Francis" falls under the silence threshold at 8 kHz), and over a short
/// name that would shave a large share off its time.
fn speaking_time(speech: &Speech, spans: &[Span]) -> f64 {
    spans
        .iter()
        .map(|s| {
            let inner: f64 = speech
                .pauses
                .iter()
                .filter(|p| p.start_s >= s.start_s && p.end_s <= s.end_s)
                .map(|p| p.end_s - p.start_s)
                .sum();
            (s.end_s - s.start_s - inner).max(0.0)
        })
        .sum()
}

fn rate(count: f64, phon: f64) -> Option<f64> {
    (phon >= MIN_PHONATION_S).then(|| count / phon)
}

/// A word's syllables, counted inside `spans` when its middle is there.
fn word_syllables(words: &[Word], spans: &[Span], want_inside: bool) -> f64 {
    words
        .iter()
        .filter(|w| inside(0.5 * (w.start_s + w.end_s), spans) == want_inside)
        .map(|w| syllables(&w.text) as f64)
        .sum()
}

/// The syllables in a spoken digit string. A `0` is "oh" (one syllable) or "zero" (two) and the
/// transcript writes both as `0`; the reading whose count is nearer the syllable nuclei heard
/// in the number's span (`heard`) is taken (ties: the mean of the two).
pub(crate) fn number_syllables(digits: &str, heard: usize) -> f64 {
    let (as_oh, as_zero) = digits
        .chars()
        .filter(char::is_ascii_digit)
        .map(digit_syllables)
        .fold((0.0, 0.0), |(lo, hi), (l, h)| {
            (lo + f64::from(l), hi + f64::from(h))
        });
    let heard = heard as f64;
    let (d_oh, d_zero) = ((as_oh - heard).abs(), (as_zero - heard).abs());
    if d_oh < d_zero {
        as_oh
    } else if d_zero < d_oh {
        as_zero
    } else {
        0.5 * (as_oh + as_zero)
    }
}

/// Measures the pacing of the details. Digits in the numbers count as said one by one (seven
/// with two syllables, zero as [`number_syllables`] reads it); the name's syllables come from its words.
pub(crate) fn measure(
    speech: &Speech,
    words: &[Word],
    nuclei_s: &[f64],
    intro: Option<&Introduction>,
    numbers: &[PhoneNumber],
) -> Pacing {
    let name = intro.map(|i| Span {
        start_s: i.start_s,
        end_s: i.end_s,
    });
    let number_spans: Vec<Span> = numbers
        .iter()
        .map(|n| Span {
            start_s: n.start_s,
            end_s: n.end_s,
        })
        .collect();
    let number_syll: f64 = numbers
        .iter()
        .map(|n| {
            let span = [Span {
                start_s: n.start_s,
                end_s: n.end_s,
            }];
            let heard = nuclei_s.iter().filter(|&&t| inside(t, &span)).count();
            number_syllables(&n.digits, heard)
        })
        .sum();
    let name_syll = intro.map_or(0.0, |i| {
        words
            .iter()
            .skip(i.first_word)
            .take(i.words)
            .map(|w| syllables(&w.text) as f64)
            .sum()
    });
    let mut details: Vec<Span> = number_spans.clone();
    details.extend(name);
    let name_phon = name.map_or(0.0, |s| speaking_time(speech, &[s]));
    let number_phon = speaking_time(speech, &number_spans);
    let details_phon = name_phon + number_phon;
    let total_phon = speech.phonation_s.unwrap_or(0.0);
    let rest_phon = (total_phon
        - name.map_or(0.0, |s| phonation(speech, &[s]))
        - phonation(speech, &number_spans))
    .max(0.0);
    // Words outside the details (a numeral word straddling a span counts where its middle is).
    let rest_syll = word_syllables(words, &details, false);
    let details_sps = rate(name_syll + number_syll, details_phon).filter(|_| !details.is_empty());
    let rest_sps = rate(rest_syll, rest_phon);
    let nuclei_in = nuclei_s.iter().filter(|&&t| inside(t, &details)).count() as f64;
    let nuclei_out = nuclei_s.len() as f64 - nuclei_in;
    let details_nuclei_sps = rate(nuclei_in, details_phon).filter(|_| !details.is_empty());
    let rest_nuclei_sps = rate(nuclei_out, rest_phon);
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    };
    Pacing {
        name,
        numbers: number_spans,
        name_sps: rate(name_syll, name_phon).filter(|_| name.is_some()),
        number_sps: rate(number_syll, number_phon).filter(|_| !numbers.is_empty()),
        details_sps,
        rest_sps,
        ratio: ratio(details_sps, rest_sps),
        details_nuclei_sps,
        rest_nuclei_sps,
        nuclei_ratio: ratio(details_nuclei_sps, rest_nuclei_sps),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_are_read_as_the_nuclei_suggest() {
        // "oh two oh seven nine four six oh nine five eight": 12 syllables as "oh", 15 as "zero".
        assert_eq!(number_syllables("02079460958", 12), 12.0);
        assert_eq!(number_syllables("02079460958", 16), 15.0);
        assert_eq!(number_syllables("02079460958", 13), 12.0);
        // Halfway: the mean.
        assert_eq!(number_syllables("100", 4), 4.0);
        // No zeros: one count.
        assert_eq!(number_syllables("5551212", 3), 7.0);
    }
}
