//! Weighing the two readings of a number: what the digit-only reading says, weighed with the
//! transcript's reading and with what numbers look like, and how sure the result is.
//!
//! The transcriber's free reading of a number and the second reading constrained to digits
//! ([`ReadDigits::read`](super::ReadDigits::read)) give candidate
//! digit strings with their log-probabilities. [`shape_prior`] adds what a callback number
//! looks like (ten North American digits whose area code and exchange do not start with 0 or 1,
//! a leading 1, an 11-digit national number starting with 0, a 7-digit local number), and
//! [`reconcile`] picks the likeliest, says how sure it is and which digits a listener (and the
//! transcriber) could take for another.

use super::DigitReading;
use crate::numbers::HeardNumber;
use crate::numbers::{align, Edit};
use crate::report::{Alternative, PhoneNumber};

/// What the two readings of a number settle on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reconciled {
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
/// Added to 8 or 9 digits when the transcript heard that many ([`ReadingPrior`]): a number said
/// short, or one the caller means as it is. Such a reading is never ruled out then, so that
/// nothing forces a number the caller said short to ten digits; with the transcript's agreement
/// it still needs the digit-only reading to prefer it by 2 (natural log) over ten digits, since a
/// transcript drops a digit of a ten-digit number far more often than a caller says nine (at -3,
/// the asterisk voice's 2179007151, heard "1, 7, 9, 0, 0, 7, 1, 5, 1", stood at nine digits).
const OFF_LENGTH: f64 = -5.0;
/// Added to the transcript's own reading in [`reconcile`]: the free transcription heard the
/// same digits as the digit-only reading weighs, two readings agreeing. Chosen on the tune split
/// of real callers' digit strings (cslu-dev): 0 let the second reading turn 2 of 56 right
/// transcript readings wrong ("1 0 0 2 9" read as 100029), 3 turned none and mended as many.
const TRANSCRIPT_AGREES: f64 = 3.0;
/// Digits a reading may have beyond the syllable nuclei heard in the number's span before it is
/// taken for a padded one: nuclei undercount fast speech, never by this much on the development
/// sets (FSDD numbers had at least as many nuclei as digits; 103 of 107 real callers' zip
/// codes too).
const SOUND_SLACK: usize = 2;
/// Digits a reading may have beyond the syllable nuclei heard when it has more digits than the
/// transcript heard: digits neither the transcript nor the sound holds are invented. On the FSDD
/// voicemails no number read exactly had fewer nuclei than digits by more than one, so the
/// readings that mend a digit the transcript lost all keep it.
const GAIN_SLACK: usize = 1;
/// Added per digit a reading has beyond what the sound supports.
const UNSUPPORTED_DIGIT: f64 = -4.0;

/// A string with a share under this is not listed as an alternative.
const MIN_ALTERNATIVE: f64 = 0.02;
/// A digit whose probability is under this is unclear. Real callers' zip codes heard exactly
/// had digits at 0.64-0.8 under the digit-only reading (tune split of cslu-dev); under 0.6 a
/// digit is as likely as not to have a rival.
const CLEAR_DIGIT: f64 = 0.6;
/// An alternative with at least this share marks the digits where it differs as unclear.
const RIVAL: f64 = 0.08;

fn nanp(d: &[u8]) -> bool {
    d.len() == PhoneNumber::NANP_DIGITS && d[0] >= b'2' && d[3] >= b'2'
}

/// How plausible `digits` are as a callback number, as a log-probability to add (0 for a
/// North American 10-digit number); `None` when they cannot be a whole number: fewer than
/// `min_digits` digits, more than [`PhoneNumber::MAX_SAID_DIGITS`], or 11 digits starting with
/// neither 1 nor 0. Below
/// [`PhoneNumber::MIN_DIGITS`] (`min_digits` lowered to read shorter digit strings: zip
/// codes, account numbers) every length from `min_digits` to 9 is as plausible as a North
/// American number.
pub(crate) fn shape_prior(digits: &str, min_digits: usize) -> Option<f64> {
    let d = digits.as_bytes();
    if !d.iter().all(u8::is_ascii_digit) || d.len() < min_digits.max(1) {
        return None;
    }
    const LOCAL_DIGITS: usize = PhoneNumber::MIN_DIGITS;
    const NANP_DIGITS: usize = PhoneNumber::NANP_DIGITS;
    const PREFIXED: usize = NANP_DIGITS + 1;
    const MAX_SAID: usize = PhoneNumber::MAX_SAID_DIGITS;
    match d.len() {
        n if min_digits < LOCAL_DIGITS && n < NANP_DIGITS => Some(0.0),
        NANP_DIGITS if nanp(d) => Some(0.0),
        NANP_DIGITS => Some(NOT_NANP),
        PREFIXED if d[0] == b'1' => {
            Some(WITH_COUNTRY_ONE + if nanp(&d[1..]) { 0.0 } else { NOT_NANP })
        }
        PREFIXED if d[0] == b'0' => Some(0.0),
        LOCAL_DIGITS if d[0] >= b'2' => Some(LOCAL),
        n if n > PREFIXED && n <= MAX_SAID => Some(INTERNATIONAL),
        _ => None,
    }
}

/// What a number's second reading adds to each digit string's log-probability: what numbers
/// look like ([`shape_prior`]), the length the transcript heard (8 or 9 digits stand when the
/// transcript heard as many), and whether the sound holds that many digits (a reading with more
/// digits than syllable nuclei in the number's span, past [`SOUND_SLACK`], invents them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ReadingPrior<'a> {
    /// The transcript's reading of the number.
    pub first: &'a str,
    /// The fewest digits a number has ([`Context::min_digits`](crate::Context::min_digits)).
    pub min_digits: usize,
    /// Syllable nuclei heard in the number's span; `None` when unknown.
    pub nuclei: Option<usize>,
}

impl ReadingPrior<'_> {
    /// The log-probability to add to `digits`; `None` when they cannot stand as the number.
    pub(crate) fn score(&self, digits: &str) -> Option<f64> {
        let shape = match shape_prior(digits, self.min_digits) {
            Some(p) => p,
            None if matches!(digits.len(), 8 | 9)
                && digits.len() == self.first.len()
                && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                OFF_LENGTH
            }
            None => return None,
        };
        Some(shape + UNSUPPORTED_DIGIT * self.unheld(digits) as f64)
    }

    /// How many of `digits` the sound does not hold: past the nuclei heard (and
    /// [`SOUND_SLACK`]), or, for digits the transcript did not hear, past the nuclei and
    /// [`GAIN_SLACK`]. 0 when the nuclei are unknown.
    pub(crate) fn unheld(&self, digits: &str) -> usize {
        let Some(n) = self.nuclei else {
            return 0;
        };
        let len = digits.len();
        let past_sound = len.saturating_sub(n + SOUND_SLACK);
        let gained = len.saturating_sub(self.first.len().max(n + GAIN_SLACK));
        past_sound.max(gained)
    }
}

/// Platt scaling of the confidence, `(a, b)`: the probability that every digit is right is
/// `1 / (1 + exp(-(a + b * logit(raw))))`, where `raw` is the best string's share of the
/// probability times the probability of each of its digits. Fitted with `scripts/fit-confidence`
/// on the tune splits of real callers' zip codes (cslu-dev, alone and after a voicemail body)
/// and of the FSDD voicemails: 147 numbers, of which the raw figure put those it gave 0.4-0.6
/// right 94 % of the time.
const CALIBRATION: (f64, f64) = (2.489, 1.024);
/// The most confidence a phone number of a length no phone number has (8 or 9 digits, which
/// stand only as the transcript heard them) can get: it may well be a number with a digit lost.
/// A reading with digits the sound does not hold ([`ReadingPrior::unheld`]) gets no more.
const OFF_LENGTH_CONFIDENCE: f64 = 0.4;

/// The raw confidence mapped through [`CALIBRATION`].
fn calibrated(raw: f64) -> f64 {
    let p = raw.clamp(1e-6, 1.0 - 1e-6);
    let z = CALIBRATION.0 + CALIBRATION.1 * (p / (1.0 - p)).ln();
    1.0 / (1.0 + (-z).exp())
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

impl HeardNumber {
    /// Takes what the two readings settled on: its digits (shared among the groups as the
    /// digits they replace were), confidence, unclear digits and alternatives.
    pub(crate) fn adopt(&mut self, r: Reconciled) {
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
}

/// Weighs the candidates of a number (`(reading, score)`: score is the log-probability plus
/// [`ReadingPrior::score`]; `-inf` for strings the prior rules out) against the transcript's own
/// reading (`prior.first`, weighed as heard twice: [`TRANSCRIPT_AGREES`]). The likeliest string
/// wins; its confidence is its share of the probability times the probability of each of its
/// digits, calibrated ([`CALIBRATION`]); a digit is unclear when its own probability is low or
/// when a rival string with a real share (the transcript's included) differs there; the
/// transcript's reading is listed among the alternatives whenever it differs. `None` when no
/// candidate has a finite score.
pub(crate) fn reconcile(
    prior: &ReadingPrior,
    candidates: &[(DigitReading, f64)],
) -> Option<Reconciled> {
    let first = prior.first;
    // The transcript's reading is weighed as heard twice unless it has two digits or more beyond
    // the digit-only reading's best: a free transcription adds a tail ("1-4" after the number)
    // more often than it loses digits, while one digit more is mostly a repeat the digit-only
    // reading merged ("3 3" heard once); and a second reading must not pad a right one.
    let best_len = candidates
        .iter()
        .filter(|c| c.1.is_finite())
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |c| c.0.digits.len());
    let twice =
        |r: &DigitReading| !first.is_empty() && r.digits == first && first.len() <= best_len + 1;
    let mut scored: Vec<(&DigitReading, f64)> = candidates
        .iter()
        .filter(|c| c.1.is_finite())
        .map(|(r, s)| (r, s + if twice(r) { TRANSCRIPT_AGREES } else { 0.0 }))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, best_score) = scored.first().map(|c| (c.0, c.1))?;
    let z = scored.iter().map(|c| (c.1 - best_score).exp()).sum::<f64>();
    let share = |s: f64| (s - best_score).exp() / z;
    let digit_p = digit_probabilities(best);
    let mut unclear: Vec<usize> = (0..digit_p.len())
        .filter(|&k| digit_p[k] < CLEAR_DIGIT)
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
    // The transcript's reading marks digits unclear as any rival does: by its share (a free
    // transcription that added or dropped a digit the digit-only reading is sure of does not).
    // It is always listed when it differs.
    if !first.is_empty() && first != best.digits && !alternatives.iter().any(|a| a.digits == first)
    {
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
    unclear.sort_unstable();
    unclear.dedup();
    unclear.retain(|&k| k < best.digits.len());
    let raw = share(best_score) * digit_p.iter().product::<f64>();
    let mut confidence = calibrated(raw);
    if shape_prior(&best.digits, prior.min_digits).is_none() || prior.unheld(&best.digits) > 0 {
        confidence = confidence.min(OFF_LENGTH_CONFIDENCE);
    }
    Some(Reconciled {
        digits: best.digits.clone(),
        confidence,
        unclear_digits: unclear,
        alternatives,
    })
}

/// Each digit's probability in the reading, from the decoder's posteriors at its place.
fn digit_probabilities(r: &DigitReading) -> Vec<f64> {
    r.digits
        .bytes()
        .zip(&r.posteriors)
        .map(|(b, row)| f64::from(row[usize::from(b - b'0')]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_phone_numbers() {
        assert_eq!(shape_prior("8509367028", 7), Some(0.0));
        // An area code starting with 0, a UK national number, nine digits.
        assert!(shape_prior("0509367028", 7).is_some_and(|p| p < 0.0));
        assert!(shape_prior("02079460958", 7).is_some());
        assert_eq!(shape_prior("850936702", 7), None);
        // Shorter digit strings when asked for: a zip code.
        assert_eq!(shape_prior("10314", 7), None);
        assert_eq!(shape_prior("10314", 5), Some(0.0));
        assert_eq!(shape_prior("1031", 5), None);
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

    /// What the second reading weighs for a phone number the transcript heard as `first`.
    fn heard(first: &str) -> ReadingPrior<'_> {
        ReadingPrior {
            first,
            min_digits: 7,
            nuclei: None,
        }
    }

    fn scored_for(first: &str, r: DigitReading) -> (DigitReading, f64) {
        let s = r.log_prob + heard(first).score(&r.digits).unwrap_or(f64::NEG_INFINITY);
        (r, s)
    }

    fn scored(r: DigitReading) -> (DigitReading, f64) {
        scored_for("", r)
    }

    #[test]
    fn confidence_is_calibrated_and_ordered() {
        let c: Vec<f64> = [0.01, 0.1, 0.5, 0.9, 0.99].map(calibrated).to_vec();
        assert!(c.windows(2).all(|w| w[0] < w[1]), "{c:?}");
        assert!(c.iter().all(|&x| (0.0..=1.0).contains(&x)));
    }

    #[test]
    fn shapes_of_numbers() {
        assert_eq!(shape_prior("8509367028", 7), Some(0.0));
        assert_eq!(shape_prior("8501367028", 7), Some(NOT_NANP));
        assert_eq!(shape_prior("18509367028", 7), Some(WITH_COUNTRY_ONE));
        assert_eq!(shape_prior("02079460958", 7), Some(0.0));
        assert_eq!(shape_prior("5551212", 7), Some(LOCAL));
        assert_eq!(shape_prior("442079460958", 7), Some(INTERNATIONAL));
        for bad in ["", "850936", "28509367028", "12345678901234", "85a9367028"] {
            assert_eq!(shape_prior(bad, 7), None, "{bad}");
        }
    }

    #[test]
    fn a_number_said_short_stands_only_as_the_transcript_heard_it() {
        let prior = |first| ReadingPrior {
            first,
            min_digits: 7,
            nuclei: None,
        };
        // Nine digits heard by the transcript may stand, at a cost; never padded to stand.
        assert_eq!(prior("850936702").score("850936702"), Some(OFF_LENGTH));
        assert_eq!(prior("8509367028").score("850936702"), None);
        assert_eq!(prior("850936702").score("8509367028"), Some(0.0));
    }

    #[test]
    fn digits_the_sound_does_not_hold_cost() {
        let prior = ReadingPrior {
            first: "8509367028",
            min_digits: 7,
            nuclei: Some(8),
        };
        // Ten digits over eight nuclei are within the slack; twelve are not.
        assert_eq!(prior.score("8509367028"), Some(0.0));
        assert_eq!(
            prior.score("185093670288"),
            Some(INTERNATIONAL + 2.0 * UNSUPPORTED_DIGIT)
        );
    }

    #[test]
    fn digits_neither_the_transcript_nor_the_sound_holds_are_not_sure() {
        // Eight digits said and heard, eight nuclei: a reading padded to ten gains two digits
        // the sound does not hold.
        let prior = ReadingPrior {
            first: "42136678",
            min_digits: 7,
            nuclei: Some(8),
        };
        assert_eq!(prior.unheld("42136678"), 0);
        assert_eq!(prior.unheld("4213667800"), 1);
        let scored = |r: DigitReading| -> (DigitReading, f64) {
            let s = r.log_prob + prior.score(&r.digits).unwrap_or(f64::NEG_INFINITY);
            (r, s)
        };
        let c = [
            scored(reading("4213667800", 0.97, -0.5)),
            scored(reading("42136678", 0.97, -2.0)),
        ];
        let r = reconcile(&prior, &c).expect("a reading");
        assert_eq!(r.digits, "42136678");
        // Far likelier still, the padded reading wins, but is not sure.
        let c = [
            scored(reading("4213667800", 0.99, 0.0)),
            scored(reading("42136678", 0.9, -12.0)),
        ];
        let r = reconcile(&prior, &c).expect("a reading");
        assert!(r.confidence <= OFF_LENGTH_CONFIDENCE, "{r:?}");
        // A digit the transcript lost and the sound holds is mended at full confidence.
        let mended = ReadingPrior {
            first: "512340971",
            min_digits: 7,
            nuclei: Some(9),
        };
        assert_eq!(mended.unheld("5123340971"), 0);
    }

    #[test]
    fn the_transcript_reading_is_not_replaced_by_a_padded_one() {
        // The digit-only reading slightly prefers a zero more; the transcript heard "10029".
        let zip = |first| ReadingPrior {
            first,
            min_digits: 5,
            nuclei: None,
        };
        let candidates = [
            (reading("100029", 0.9, -1.0), -1.0),
            (reading("10029", 0.9, -2.0), -2.0),
        ];
        let r = reconcile(&zip("10029"), &candidates).expect("a reading");
        assert_eq!(r.digits, "10029");
        // A transcript that added digits is not taken for a second hearing.
        let candidates = [
            (reading("10029", 0.9, -1.0), -1.0),
            (reading("1002999", 0.9, -2.0), -2.0),
        ];
        let r = reconcile(&zip("1002999"), &candidates).expect("a reading");
        assert_eq!(r.digits, "10029");
    }

    #[test]
    fn a_clear_reading_that_agrees_is_sure() {
        let c = [
            scored(reading("8509367028", 0.99, -1.0)),
            scored(reading("850936702", 0.9, -8.0)),
        ];
        let r = reconcile(&heard("8509367028"), &c).expect("a reading");
        assert_eq!(r.digits, "8509367028");
        assert!(r.confidence > 0.85, "{r:?}");
        assert!(r.unclear_digits.is_empty());
        assert!(r.alternatives.is_empty());
    }

    #[test]
    fn a_short_first_reading_loses_to_the_full_number_the_digits_hear() {
        // The transcript merged the repeated 3: nine digits; the digit-only reading hears ten.
        let c = [
            scored_for("512340971", reading("5123340971", 0.95, -1.0)),
            scored_for("512340971", reading("512340971", 0.95, -5.0)),
        ];
        let r = reconcile(&heard("512340971"), &c).expect("a reading");
        assert_eq!(r.digits, "5123340971");
        assert_eq!(r.alternatives.len(), 1);
        assert_eq!(r.alternatives[0].digits, "512340971");
        assert_eq!(r.alternatives[0].source, "transcript");
        // The digit-only reading is sure of every digit: the transcript's slip marks none.
        assert!(r.unclear_digits.is_empty(), "{r:?}");
    }

    #[test]
    fn a_number_heard_short_by_both_readings_stands_but_unsure() {
        let c = [
            scored_for("512340971", reading("5123340971", 0.95, -6.0)),
            scored_for("512340971", reading("512340971", 0.95, -2.0)),
        ];
        let r = reconcile(&heard("512340971"), &c).expect("a reading");
        assert_eq!(r.digits, "512340971");
        assert!(r.confidence <= OFF_LENGTH_CONFIDENCE, "{r:?}");
        assert_eq!(r.alternatives[0].digits, "5123340971");
    }

    #[test]
    fn rivals_and_weak_digits_are_unclear_and_lower_the_confidence() {
        let mut weak = reading("8509367028", 0.97, -2.0);
        weak.posteriors[6][7] = 0.55;
        weak.posteriors[6][1] = 0.40;
        let c = [scored(weak), scored(reading("8509361028", 0.9, -2.7))];
        // No transcript reading to weigh: the digit-only reading alone.
        let r = reconcile(&heard(""), &c).expect("a reading");
        assert_eq!(r.digits, "8509367028");
        assert_eq!(r.unclear_digits, vec![6]);
        let clear = reconcile(&heard(""), &[scored(reading("8509367028", 0.97, -2.0))]);
        assert!(
            r.confidence < clear.expect("a reading").confidence - 0.1,
            "{r:?}"
        );
        assert_eq!(r.alternatives[0].digits, "8509361028");
        assert_eq!(r.alternatives[0].source, "digits");
    }

    #[test]
    fn nothing_plausible_gives_none() {
        let c = [scored(reading("123", 0.99, -1.0))];
        assert!(reconcile(&heard("123"), &c).is_none());
        assert!(reconcile(&heard(""), &[]).is_none());
    }
}
