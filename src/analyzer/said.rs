//! What the words say, timed on the sound: digits moved onto their onsets, the callback numbers,
//! the introduction, the pacing, the content and the rate in words.

use std::time::Instant;

use super::{ms, Acoustic, Analyzer};
use crate::audio::Conditioned;
use crate::context::Context;
use crate::report::{self, Span};
use crate::{lexicon, numbers, pacing, wording};

/// How far a spoken digit's start may move onto an acoustic onset, seconds.
pub(super) const DIGIT_REACH_S: f64 = 0.3;

impl Analyzer {
    /// What the words say, timed on the sound: the digits moved onto their onsets, the callback
    /// numbers, the introduction and the pacing; the rate in words per minute and the transcript's
    /// syllables.
    pub(super) fn said(
        &self,
        audio: &Conditioned,
        a: &mut Acoustic,
        words: &mut [report::Word],
        ctx: &Context,
        notices: &mut Vec<String>,
    ) -> Said {
        let starts: Vec<f64> = a.runs.iter().map(|r| r.start_s).collect();
        numbers::time_digits(words, &starts, &a.onsets, DIGIT_REACH_S);
        let t_numbers = Instant::now();
        let (heard, read_twice) = self.numbers(audio, a, words, ctx.min_digits(), notices);
        let phone_numbers = numbers::to_report(heard, ctx.expected_number());
        let introduction = self.introduction(a, words, ctx);
        let pacing = pacing::measure(
            &a.seg.speech,
            words,
            &a.rate.nuclei_s,
            introduction.as_ref(),
            &phone_numbers,
        );
        let content = self.content(a, words, &phone_numbers);
        // Filled pauses the transcriber left out were said too: a syllable, a word.
        let unwritten = content
            .fillers
            .iter()
            .filter(|f| f.heard_in == report::HeardIn::Sound)
            .count();
        let syllables: usize = words
            .iter()
            .map(|w| lexicon::syllables(&w.text))
            .sum::<usize>()
            + unwritten;
        a.rate.transcript_syllables = Some(syllables);
        if let Some(span) = a.seg.speech.span() {
            let spoken: usize = words
                .iter()
                .map(|w| lexicon::spoken_words(&w.text))
                .sum::<usize>()
                + unwritten;
            a.rate.words_per_minute = Some(spoken as f64 * 60.0 / span.duration_s());
            a.rate.transcript_rate_sps = Some(syllables as f64 / span.duration_s());
        }
        Said {
            phone_numbers,
            introduction,
            pacing,
            content: Some(content),
            numbers_ms: read_twice.then(|| ms(t_numbers)),
        }
    }

    /// What the words say, with the fillers the sound holds where the words have none.
    fn content(
        &self,
        a: &Acoustic,
        words: &[report::Word],
        numbers: &[report::PhoneNumber],
    ) -> report::Content {
        let spans: Vec<Span> = numbers.iter().map(report::PhoneNumber::span).collect();
        let voice = wording::Voice {
            f0_hz: &a.track.f0_hz,
            hop_s: a.track.hop_s,
            runs: &a.runs,
            nuclei_s: &a.rate.nuclei_s,
            numbers: &spans,
        };
        let lists = self.options.rulebook.rules.content_lists();
        wording::find(words, &lists, Some(&voice))
    }
}

/// What the words say, timed.
#[derive(Default)]
pub(super) struct Said {
    pub(super) phone_numbers: Vec<report::PhoneNumber>,
    pub(super) introduction: Option<report::Introduction>,
    pub(super) pacing: report::Pacing,
    pub(super) content: Option<report::Content>,
    pub(super) numbers_ms: Option<f64>,
}
