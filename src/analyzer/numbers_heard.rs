//! The callback numbers heard: found in the words, their groups timed on the sound, and read a
//! second time (`numbers::second_reading`).

use super::said::DIGIT_REACH_S;
use super::{Acoustic, Analyzer};
use crate::audio::Conditioned;
use crate::{numbers, report};

impl Analyzer {
    /// The callback numbers heard, their digit groups timed, read a second time when the
    /// transcriber does (`numbers::read_again`, which also reads the stretches of digits the
    /// transcript made no number of); and whether they were read twice.
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
            numbers::regroup_at_pauses(n, &breaks, nuclei);
        };
        let mut heard = numbers::find_numbers(words, pauses, min_digits);
        for h in &mut heard {
            numbers::time_groups(h, &a.runs, &a.onsets, DIGIT_REACH_S);
            numbers::anchor_start(h, &a.runs, nuclei, &a.onsets);
            regroup(h);
        }
        let Some(reader) = self.ears.digit_reader() else {
            return (heard, false);
        };
        let found = numbers::Found {
            words,
            nuclei_s: nuclei,
            min_digits,
        };
        numbers::read_again(&reader, audio, found, &mut heard, &regroup, notices);
        (heard, true)
    }
}
