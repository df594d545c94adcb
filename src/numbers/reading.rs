//! Hearing a number twice: what a digit-only second reading says, weighed with what numbers
//! look like, and how sure the result is.
//!
//! The transcriber's free reading of a number and a second reading constrained to digits
//! ([`Transcriber::read_digits`](crate::transcribe::Transcriber::read_digits)) give candidate
//! digit strings with their log-probabilities. [`shape_prior`] adds what a callback number
//! looks like (ten North American digits whose area code and exchange do not start with 0 or 1,
//! a leading 1, an 11-digit national number starting with 0, a 7-digit local number), and
//! [`reconcile`] picks the likeliest, says how sure it is and which digits a listener (and the
//! transcriber) could take for another.

use super::{align, Edit};
use crate::spoken::Alternative;

/// A digit string as a digit-only reading heard it.
#[derive(Debug, Clone, PartialEq)]
pub struct DigitReading {
    /// The digits.
    pub digits: String,
    /// For each digit, the probability of each of the ten digits at that place, given the
    /// digits before it (each row sums to 1).
    pub posteriors: Vec<[f32; 10]>,
    /// Log-probability of the string under the reading's constraint, without any prior.
    pub log_prob: f64,
}

/// What the two readings of a number settle on.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciled {
    /// The likeliest digits.
    pub digits: String,
    /// How likely they are to be exactly right, 0 to 1.
    pub confidence: f64,
    /// 0-based positions of digits that could be heard as another (sorted).
    pub unclear_digits: Vec<usize>,
    /// Other strings with a real share of the probability, likeliest first.
    pub alternatives: Vec<Alternative>,
}

/// Log-probability added to a 10-digit string that is not a North American number (area code
/// or exchange starting with 0 or 1).
const NOT_NANP: f64 = -2.0;
/// Added to an 11-digit North American number said with its leading 1.
const WITH_COUNTRY_ONE: f64 = -1.0;
/// Added to a 7-digit local number (callback numbers are mostly said in full).
const LOCAL: f64 = -2.5;
/// Added to 12 or 13 digits (a country code and a national number).
const INTERNATIONAL: f64 = -4.0;

/// A string with a share under this is not listed as an alternative.
const MIN_ALTERNATIVE: f64 = 0.02;
/// A digit whose probability is under this is unclear.
const CLEAR_DIGIT: f64 = 0.8;
/// An alternative with at least this share marks the digits where it differs as unclear.
const RIVAL: f64 = 0.08;

fn nanp(d: &[u8]) -> bool {
    d.len() == 10 && d[0] >= b'2' && d[3] >= b'2'
}

/// How plausible `digits` are as a callback number, as a log-probability to add (0 for a
/// North American 10-digit number); `None` when they cannot be a whole phone number (any other
/// length below 7 or above 13, or 11 digits starting with neither 1 nor 0).
pub fn shape_prior(digits: &str) -> Option<f64> {
    let d = digits.as_bytes();
    if !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    match d.len() {
        10 if nanp(d) => Some(0.0),
        10 => Some(NOT_NANP),
        11 if d[0] == b'1' => Some(WITH_COUNTRY_ONE + if nanp(&d[1..]) { 0.0 } else { NOT_NANP }),
        11 if d[0] == b'0' => Some(0.0),
        7 if d[0] >= b'2' => Some(LOCAL),
        12 | 13 => Some(INTERNATIONAL),
        _ => None,
    }
}

/// Positions of `best` where `other` differs, by the fewest-edits alignment; a digit `other`
/// has and `best` lacks marks the digits of `best` on both sides of where it would be.
fn differing_positions(best: &str, other: &str) -> Vec<usize> {
    let (b, o) = (best.as_bytes(), other.as_bytes());
    let mut out = Vec::new();
    let mut at = 0; // the position of best the next edit stands before
    for edit in align(b, o) {
        match edit {
            Edit::Pair(i, j) => {
                if b[i] != o[j] {
                    out.push(i);
                }
                at = i + 1;
            }
            Edit::OnlyA(i) => {
                out.push(i);
                at = i + 1;
            }
            Edit::OnlyB(_) => {
                out.extend(at.checked_sub(1));
                if at < b.len() {
                    out.push(at);
                }
            }
        }
    }
    out
}

/// Weighs the candidates of a number (`(reading, score)`: score is the log-probability plus
/// [`shape_prior`]; `-inf` for strings the prior rules out) against the transcript's own
/// reading `first`. The likeliest string wins; its confidence is its share of the
/// probability times the probability of each of its digits; a digit is unclear when its own
/// probability is low, when a rival string with a real share differs there, or when the
/// transcript heard something else there. `None` when no candidate has a finite score.
pub fn reconcile(first: &str, candidates: &[(DigitReading, f64)]) -> Option<Reconciled> {
    let mut scored: Vec<&(DigitReading, f64)> =
        candidates.iter().filter(|c| c.1.is_finite()).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, best_score) = scored.first().map(|c| (&c.0, c.1))?;
    let z = scored.iter().map(|c| (c.1 - best_score).exp()).sum::<f64>();
    let share = |s: f64| (s - best_score).exp() / z;
    let digit_p: Vec<f64> = best
        .digits
        .bytes()
        .zip(&best.posteriors)
        .map(|(b, row)| f64::from(row[usize::from(b - b'0')]))
        .collect();
    let mut unclear: Vec<usize> = digit_p
        .iter()
        .enumerate()
        .filter(|(_, &p)| p < CLEAR_DIGIT)
        .map(|(k, _)| k)
        .collect();
    let mut alternatives = Vec::new();
    for c in &scored[1..] {
        let p = share(c.1);
        if p >= RIVAL {
            unclear.extend(differing_positions(&best.digits, &c.0.digits));
        }
        if p >= MIN_ALTERNATIVE && alternatives.len() < 3 {
            let source = if c.0.digits == first {
                "transcript"
            } else {
                "digits"
            };
            alternatives.push(Alternative {
                digits: c.0.digits.clone(),
                probability: p,
                source: source.to_string(),
            });
        }
    }
    if !first.is_empty() && first != best.digits {
        unclear.extend(differing_positions(&best.digits, first));
        if !alternatives.iter().any(|a| a.digits == first) {
            let p = scored
                .iter()
                .find(|c| c.0.digits == first)
                .map_or(0.0, |c| share(c.1));
            alternatives.push(Alternative {
                digits: first.to_string(),
                probability: p,
                source: "transcript".to_string(),
            });
        }
    }
    unclear.sort_unstable();
    unclear.dedup();
    unclear.retain(|&k| k < best.digits.len());
    let confidence = share(best_score) * digit_p.iter().product::<f64>();
    Some(Reconciled {
        digits: best.digits.clone(),
        confidence: confidence.clamp(0.0, 1.0),
        unclear_digits: unclear,
        alternatives,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_phone_numbers() {
        assert_eq!(shape_prior("8509367028"), Some(0.0));
        // An area code starting with 0, a UK national number, nine digits.
        assert!(shape_prior("0509367028").is_some_and(|p| p < 0.0));
        assert!(shape_prior("02079460958").is_some());
        assert_eq!(shape_prior("850936702"), None);
    }

    /// A reading whose every digit has probability `p` (the rest spread evenly).
    fn reading(digits: &str, p: f32, log_prob: f64) -> DigitReading {
        let posteriors = digits
            .bytes()
            .map(|b| {
                let mut row = [(1.0 - p) / 9.0; 10];
                row[usize::from(b - b'0')] = p;
                row
            })
            .collect();
        DigitReading {
            digits: digits.to_string(),
            posteriors,
            log_prob,
        }
    }

    fn scored(r: DigitReading) -> (DigitReading, f64) {
        let s = r.log_prob + shape_prior(&r.digits).unwrap_or(f64::NEG_INFINITY);
        (r, s)
    }

    #[test]
    fn shapes_of_numbers() {
        assert_eq!(shape_prior("8509367028"), Some(0.0));
        assert_eq!(shape_prior("8501367028"), Some(NOT_NANP));
        assert_eq!(shape_prior("18509367028"), Some(WITH_COUNTRY_ONE));
        assert_eq!(shape_prior("02079460958"), Some(0.0));
        assert_eq!(shape_prior("5551212"), Some(LOCAL));
        assert_eq!(shape_prior("442079460958"), Some(INTERNATIONAL));
        for bad in [
            "",
            "850936702",
            "85093670",
            "28509367028",
            "12345678901234",
            "85a9367028",
        ] {
            assert_eq!(shape_prior(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_clear_reading_that_agrees_is_sure() {
        let c = [
            scored(reading("8509367028", 0.99, -1.0)),
            scored(reading("850936702", 0.9, -8.0)),
        ];
        let r = reconcile("8509367028", &c).expect("a reading");
        assert_eq!(r.digits, "8509367028");
        assert!(r.confidence > 0.85, "{r:?}");
        assert!(r.unclear_digits.is_empty());
        assert!(r.alternatives.is_empty());
    }

    #[test]
    fn a_short_first_reading_loses_to_the_full_number_and_is_listed() {
        // The transcript merged the repeated 3: nine digits.
        let c = [
            scored(reading("5123340971", 0.95, -4.0)),
            scored(reading("512340971", 0.95, -2.0)),
        ];
        let r = reconcile("512340971", &c).expect("a reading");
        assert_eq!(r.digits, "5123340971");
        assert_eq!(r.alternatives.len(), 1);
        assert_eq!(r.alternatives[0].digits, "512340971");
        assert_eq!(r.alternatives[0].source, "transcript");
        // Where the transcript lost a digit, the digits around it are unclear.
        assert!(
            r.unclear_digits.contains(&3) || r.unclear_digits.contains(&4),
            "{r:?}"
        );
    }

    #[test]
    fn rivals_and_weak_digits_are_unclear_and_lower_the_confidence() {
        let mut weak = reading("8509367028", 0.97, -2.0);
        weak.posteriors[6][7] = 0.55;
        weak.posteriors[6][1] = 0.40;
        let c = [scored(weak), scored(reading("8509361028", 0.9, -2.7))];
        let r = reconcile("8509367028", &c).expect("a reading");
        assert_eq!(r.digits, "8509367028");
        assert_eq!(r.unclear_digits, vec![6]);
        assert!(r.confidence < 0.5, "{r:?}");
        assert_eq!(r.alternatives[0].digits, "8509361028");
        assert_eq!(r.alternatives[0].source, "digits");
    }

    #[test]
    fn nothing_plausible_gives_none() {
        let c = [scored(reading("123", 0.99, -1.0))];
        assert!(reconcile("123", &c).is_none());
        assert!(reconcile("", &[]).is_none());
    }
}
