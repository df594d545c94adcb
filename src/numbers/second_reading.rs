//! A callback number heard a second time: the window around it decoded again with the decoder
//! allowed nothing but digits, the candidates weighed with the transcript's own reading and with
//! what phone numbers look like, and the number settled on them. One home for it all:
//! - this file: the policy (which numbers are read again, which of the stretches the transcript
//!   made no number of stand as numbers) and the two data types the parts share;
//! - `window.rs`: where the reading listens (the number's sound and the words before it);
//! - `decoder.rs` and `search.rs`: the decoding, on the transcriber's own model (only with the
//!   `transcribe` feature);
//! - `weighing.rs`: the candidates weighed ([`reconcile`]) and how sure the result is.

use super::{loose_runs, nuclei_in, HeardNumber};
use crate::audio::Conditioned;
use crate::error::Result;
use crate::report::Word;

#[cfg(feature = "transcribe")]
mod decoder;
#[cfg(feature = "transcribe")]
mod search;
mod weighing;
mod window;
#[cfg(feature = "transcribe")]
pub(crate) use decoder::DigitReader;
pub(crate) use weighing::{reconcile, shape_prior, ReadingPrior};
pub(crate) use window::{reading_window, ReadingWindow};

/// A digit string as a digit-only reading heard it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DigitReading {
    /// The digits.
    pub digits: String,
    /// For each digit, the probability of each of the ten digits at that place, given the
    /// digits before it (each row sums to 1).
    pub posteriors: Vec<[f32; 10]>,
    /// Log-probability of the string under the reading's constraint, without any prior.
    pub log_prob: f64,
}

/// What reads the digits of a window a second time (the transcriber's model, in builds with
/// the `transcribe` feature).
pub(crate) trait ReadDigits {
    /// Reads the digits said in `window` of `samples` (mono, at
    /// 16 kHz) with the decoder allowed nothing but digits,
    /// separators and the end: the second reading of a callback number.
    ///
    /// The window should end just after the number's last digit; its `before` words (said in
    /// it before the number) are given to the decoder as said, and its `maybe_digit` word (the
    /// word just before the number, when it sounds like a digit) is weighed both as said and as
    /// digits. `prior` scores a whole digit string (what numbers look like): its value is added
    /// to the string's log-probability, and `None` marks a string that cannot stand as a
    /// number (the search goes on past it). `also_score` is scored as well when the search did
    /// not find it (the first reading). Returns the strings considered with their scores
    /// (log-probability plus prior, `-inf` where the prior ruled the string out), best first;
    /// empty when the window is empty or the model has no single-token digits. The window is
    /// cut to whisper's 30 s.
    fn read(
        &self,
        samples: &[f32],
        window: &ReadingWindow,
        also_score: Option<&str>,
        prior: &dyn Fn(&str) -> Option<f64>,
    ) -> Result<Vec<(DigitReading, f64)>>;
}

/// The least confidence of the second reading for a stretch of the transcript where no number
/// was found (see [`loose_runs`]) to be reported as a number: a calibrated probability
/// that every digit is right, so such a number is reported when it is more likely right than not
/// (about 0.12 on the uncalibrated scale, whose bar was 0.2: real callers' zip codes heard a
/// digit short, "6-3-1-6" for 63116, came back right at 0.12-0.19 there).
const LOOSE_MIN_CONFIDENCE: f64 = 0.6;

/// Sound kept after a number's last digit for its second reading, seconds.
const NUMBER_END_MARGIN_S: f64 = 0.15;

/// Where numbers were found, for their second reading.
#[derive(Clone, Copy)]
pub(crate) struct Found<'a> {
    /// The transcript's words.
    pub words: &'a [Word],
    /// Syllable nuclei of the recording, seconds.
    pub nuclei_s: &'a [f64],
    /// The fewest digits a number has.
    pub min_digits: usize,
}

/// Reads the numbers `heard` in the transcript a second time with `reader` and settles each on
/// both readings ([`reconcile`]), then reads the stretches of digits the transcript made no
/// number of ([`loose_runs`]) and keeps those that stand as phone numbers with confidence
/// ([`LOOSE_MIN_CONFIDENCE`]). `regroup` redraws a number's groups on its (perhaps mended)
/// digits. A reading that fails leaves the number as the transcript gave it, with a notice.
/// The numbers come back in time order.
pub(crate) fn read_again(
    reader: &dyn ReadDigits,
    audio: &Conditioned,
    found: Found<'_>,
    heard: &mut Vec<HeardNumber>,
    regroup: &dyn Fn(&mut HeardNumber),
    notices: &mut Vec<String>,
) {
    read_each(reader, audio, found, heard, true, notices);
    heard.iter_mut().for_each(regroup);
    let mut loose = loose_runs(found.words, heard, found.min_digits);
    read_each(reader, audio, found, &mut loose, false, notices);
    for mut n in loose {
        if shape_prior(&n.digits, found.min_digits).is_some()
            && n.confidence >= LOOSE_MIN_CONFIDENCE
        {
            regroup(&mut n);
            heard.push(n);
        }
    }
    let start = |n: &HeardNumber| n.span().map_or(0.0, |s| s.start_s);
    heard.sort_by(|a, b| start(a).total_cmp(&start(b)));
}

/// Reads each number a second time and settles it on what both readings and the shape of phone
/// numbers say; `transcript_heard` says whether the numbers are the transcript's own (else
/// stretches it made no number of, which have no reading of their own to weigh).
fn read_each(
    reader: &dyn ReadDigits,
    audio: &Conditioned,
    found: Found<'_>,
    numbers: &mut [HeardNumber],
    transcript_heard: bool,
    notices: &mut Vec<String>,
) {
    for h in numbers.iter_mut() {
        let Some(span) = h.span() else { continue };
        let to = (span.end_s + NUMBER_END_MARGIN_S).min(audio.duration_s());
        let window = reading_window(found.words, h.first_word, span.start_s, to);
        let prior = ReadingPrior {
            first: if transcript_heard { &h.digits } else { "" },
            min_digits: found.min_digits,
            nuclei: Some(nuclei_in(span, found.nuclei_s)),
        };
        let score = |d: &str| prior.score(d);
        match reader.read(audio.samples(), &window, Some(&h.digits), &score) {
            Ok(readings) => {
                if let Some(r) = reconcile(&prior, &readings) {
                    h.adopt(r);
                }
            }
            Err(e) => notices.push(format!("the number {} was read once only: {e}", h.digits)),
        }
    }
}
