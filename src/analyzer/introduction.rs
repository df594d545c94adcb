//! The caller's self-introduction, found in the words and its start moved back onto the name's
//! first syllable.

use super::{Acoustic, Analyzer};
use crate::context::Context;
use crate::{lexicon, numbers, report, wording};

/// How far before the transcriber's start a name's first syllable may be found by counting
/// syllable nuclei back from its end, seconds. Tighter than for numbers: a name's syllables are
/// fewer and a missed nucleus moves the start a whole syllable too early.
const NAME_ANCHOR_BEFORE_S: f64 = 0.25;

impl Analyzer {
    /// The caller's self-introduction, its start moved back onto the name's first syllable.
    pub(super) fn introduction(
        &self,
        a: &Acoustic,
        words: &[report::Word],
        ctx: &Context,
    ) -> Option<report::Introduction> {
        let mut intro = wording::find_introduction(words, ctx.caller_name())?;
        let syllables: usize = words[intro.first_word..intro.first_word + intro.words]
            .iter()
            .map(|w| lexicon::syllables(&w.text))
            .sum();
        if let Some(start) = numbers::anchor_on_nuclei(
            intro.start_s,
            intro.end_s,
            syllables,
            NAME_ANCHOR_BEFORE_S,
            &a.runs,
            &a.rate.nuclei_s,
            &a.onsets,
        ) {
            intro.start_s = start.min(intro.end_s);
        }
        Some(intro)
    }
}
