//! The callback numbers heard: found in the words, their groups timed on the sound, and read a
//! second time with the decoder allowed only digits, the two readings settled by what phone
//! numbers look like.

use super::said::DIGIT_REACH_S;
use super::{Acoustic, Analyzer};
use crate::audio::Conditioned;
use crate::{numbers, report};

/// The least confidence of the second reading for a stretch of the transcript where no number
/// was found (see [`numbers::loose_runs`]) to be reported as a number: a calibrated probability
/// that every digit is right, so such a number is reported when it is more likely right than not
/// (about 0.12 on the uncalibrated scale, whose bar was 0.2: real callers' zip codes heard a
/// digit short, "6-3-1-6" for 63116, came back right at 0.12-0.19 there).
const LOOSE_MIN_CONFIDENCE: f64 = 0.6;

/// Sound kept after a number's last digit for its second reading, seconds.
const NUMBER_END_MARGIN_S: f64 = 0.15;

impl Analyzer {
    /// The callback numbers heard, their digit groups timed, read a second time when the
    /// transcriber does (then stretches of digits the transcript did not make a number of are
    /// read too); and whether they were read twice.
    pub(super) fn numbers(
        &self,
        audio: &Conditioned,
        a: &Acoustic,
        words: &[report::Word],
        min_digits: usize,
        notices: &mut Vec<String>,
    ) -> (Vec<numbers::HeardNumber>, bool) {
        let pauses = &a.seg.speech.pauses;
        let nuclei = &a.rate.nuclei_s;
        let regroup = |n: &mut numbers::HeardNumber| {
            let breaks = numbers::group_pauses(&a.runs, n);
            numbers::regroup_at_pauses(n, &breaks, nuclei)
        };
        let mut heard = numbers::find_numbers(words, pauses, min_digits);
        for h in &mut heard {
            numbers::time_groups(h, &a.runs, &a.onsets, DIGIT_REACH_S);
            numbers::anchor_start(h, &a.runs, nuclei, &a.onsets);
            regroup(h);
        }
        let mut found = Found {
            words,
            nuclei_s: nuclei,
            min_digits,
            transcript_heard: true,
        };
        if !self.read_numbers_again(audio, &mut heard, &found, notices) {
            return (heard, false);
        }
        // The second reading may have mended the digits: the groups are redrawn on them.
        heard.iter_mut().for_each(|h| {
            regroup(h);
        });
        let mut loose = numbers::loose_runs(words, &heard, min_digits);
        found.transcript_heard = false;
        self.read_numbers_again(audio, &mut loose, &found, notices);
        for mut n in loose {
            if numbers::shape_prior(&n.digits, min_digits).is_some()
                && n.confidence >= LOOSE_MIN_CONFIDENCE
            {
                regroup(&mut n);
                heard.push(n);
            }
        }
        let start = |n: &numbers::HeardNumber| n.span().map_or(0.0, |s| s.start_s);
        heard.sort_by(|a, b| start(a).total_cmp(&start(b)));
        (heard, true)
    }

    /// Reads each heard number a second time, with the transcriber allowed only digits, and
    /// settles the number on what both readings and the shape of phone numbers say (see
    /// [`numbers::reconcile`]). A reading that fails leaves the number as the transcript gave
    /// it, with a notice. Returns whether numbers are read twice (a transcriber with
    /// `TranscribeOptions::read_numbers_twice`).
    fn read_numbers_again(
        &self,
        audio: &Conditioned,
        heard: &mut [numbers::HeardNumber],
        found: &Found,
        notices: &mut Vec<String>,
    ) -> bool {
        let Found {
            words,
            nuclei_s,
            min_digits,
            transcript_heard,
        } = *found;
        let Some(tr) = self.ears.digit_reader() else {
            return false;
        };
        for h in heard.iter_mut() {
            let Some(span) = h.span() else { continue };
            let to = (span.end_s + NUMBER_END_MARGIN_S).min(audio.duration_s());
            let window = numbers::reading_window(words, h.first_word, span.start_s, to);
            let nuclei = numbers::nuclei_in(span, nuclei_s);
            // A stretch the transcript made no number of has no reading of its own to weigh.
            let first = if transcript_heard {
                h.digits.as_str()
            } else {
                ""
            };
            let prior = numbers::ReadingPrior {
                first,
                min_digits,
                nuclei: Some(nuclei),
            };
            let score = |d: &str| prior.score(d);
            match tr.read_digits(audio.samples(), &window, Some(&h.digits), &score) {
                Ok(readings) => {
                    if let Some(r) = numbers::reconcile(&prior, &readings) {
                        h.adopt(r);
                    }
                }
                Err(e) => notices.push(format!("the number {} was read once only: {e}", h.digits)),
            }
        }
        true
    }
}

/// Where numbers were found, for their second reading.
#[derive(Clone, Copy)]
struct Found<'a> {
    /// The transcript's words.
    words: &'a [report::Word],
    /// Syllable nuclei of the recording, seconds.
    nuclei_s: &'a [f64],
    /// The fewest digits a number has.
    min_digits: usize,
    /// Whether the numbers are the transcript's own (else stretches it made no number of).
    transcript_heard: bool,
}
