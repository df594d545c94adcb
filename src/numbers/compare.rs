//! The heard numbers as the report gives them, and compared with the number the caller meant.

use super::align::{align, Edit};
use super::{group_gaps, HeardNumber};
use crate::report::{national, DigitDifference, PhoneNumber};

/// The report's phone numbers from the heard ones: digits per second over each number's span,
/// gaps between groups, numbers said twice (`repeat_of`: the same digits, or the last seven of
/// an earlier number's), and, when a number was expected, whether each matches and where it
/// differs. A leading North American `1` is ignored when comparing.
pub(crate) fn to_report(heard: Vec<HeardNumber>, expected: Option<&str>) -> Vec<PhoneNumber> {
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

/// Whether `heard` may still be `expected` to a listener: one of its alternative readings is, or
/// every digit where it differs is a digit marked unclear (said so that it may be heard either
/// way). False when it equals `expected`.
pub(crate) fn may_be(expected: &str, heard: &PhoneNumber) -> bool {
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

/// Aligns the heard digits with the expected ones (fewest edits) and lists the differences. A
/// leading North American `1` on either side is ignored.
pub(super) fn compare_digits(expected: &str, heard: &str) -> Vec<DigitDifference> {
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
/// `None` when it holds fewer than [`PhoneNumber::MIN_DIGITS`] or more than
/// [`PhoneNumber::MAX_DIGITS`] digits or anything but digits and the usual
/// separators.
pub(crate) fn normalize_expected(s: &str) -> Option<String> {
    let ok = s
        .chars()
        .all(|c| c.is_ascii_digit() || " -.()+/".contains(c));
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let length = PhoneNumber::MIN_DIGITS..=PhoneNumber::MAX_DIGITS;
    (ok && length.contains(&digits.len())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

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
