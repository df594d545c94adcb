//! The analyzer's ears: the transcriber behind one facade, which hears nothing without a model
//! or without the `transcribe` feature, so that the pipeline is written once for both builds.

use std::time::Instant;

use super::{ms, Heard, Pending};
use crate::audio::Conditioned;

#[cfg(feature = "transcribe")]
use crate::{
    numbers::DigitReader,
    transcribe::{fit_in_one_window, Transcriber as Engine},
};
#[cfg(not(feature = "transcribe"))]
use off::{fit_in_one_window, DigitReader, Engine};

/// Why a report has no transcript when nothing hears it.
#[cfg(feature = "transcribe")]
const OFF: &str = "transcription is off (no whisper model loaded)";
#[cfg(not(feature = "transcribe"))]
const OFF: &str = "transcription is off: this build has no `transcribe` feature";

/// The transcriber, if there is one.
#[derive(Debug, Default)]
pub(super) struct Ears {
    engine: Option<Engine>,
}

impl Ears {
    /// Ears that hear with `engine`.
    #[cfg(feature = "transcribe")]
    pub(super) fn hearing(engine: Engine) -> Self {
        Ears {
            engine: Some(engine),
        }
    }

    /// The transcriber, if any.
    #[cfg(feature = "transcribe")]
    pub(super) fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref()
    }

    /// What reads numbers a second time, when the transcriber does.
    pub(super) fn digit_reader(&self) -> Option<DigitReader<'_>> {
        self.engine.as_ref().and_then(DigitReader::new)
    }

    /// The transcript, with the time it took; the reason when there is none.
    pub(super) fn transcribe(&self, audio: &Conditioned) -> Heard {
        let Some(t) = &self.engine else {
            return (Err(OFF.into()), None);
        };
        let start = Instant::now();
        let heard = t.transcribe(audio.samples()).map_err(|e| e.to_string());
        (heard, Some(ms(start)))
    }

    /// The transcripts of a group, packed; each with its share of the time, by length.
    pub(super) fn transcribe_group(&self, group: &[Pending]) -> Vec<Heard> {
        let Some(t) = self.engine.as_ref().filter(|_| group.len() > 1) else {
            return group.iter().map(|d| self.transcribe(&d.audio)).collect();
        };
        let start = Instant::now();
        let clips: Vec<&[f32]> = group.iter().map(|d| d.audio.samples()).collect();
        let heard = t.transcribe_many(&clips);
        let whole = ms(start);
        let length: f64 = group.iter().map(|d| d.audio.duration_s()).sum();
        let share = |d: &Pending| whole * d.audio.duration_s() / length.max(f64::MIN_POSITIVE);
        heard
            .into_iter()
            .zip(group)
            .map(|(h, d)| (h.map_err(|e| e.to_string()), Some(share(d))))
            .collect()
    }

    /// Whether recordings of these lengths (seconds) are transcribed together, sharing whisper
    /// windows.
    pub(super) fn packs(&self, lengths_s: &[f64]) -> bool {
        self.engine.is_some() && fit_in_one_window(lengths_s)
    }
}

/// What stands for the transcriber in a build without one: a type with no value, so that every
/// use of it is code that never runs.
#[cfg(not(feature = "transcribe"))]
mod off {
    use crate::error::Result;
    use crate::numbers::second_reading::{DigitReading, ReadDigits, ReadingWindow};
    use crate::report::Transcript;

    #[derive(Debug)]
    pub(crate) enum Engine {}

    impl Engine {
        pub(crate) fn transcribe(&self, _: &[f32]) -> Result<Transcript> {
            match *self {}
        }

        pub(crate) fn transcribe_many(&self, _: &[&[f32]]) -> Vec<Result<Transcript>> {
            match *self {}
        }
    }

    /// Reads no digits: it holds an engine, which has no value.
    pub(crate) struct DigitReader<'t>(&'t Engine);

    impl<'t> DigitReader<'t> {
        pub(crate) fn new(engine: &'t Engine) -> Option<Self> {
            match *engine {}
        }
    }

    impl ReadDigits for DigitReader<'_> {
        fn read(
            &self,
            _: &[f32],
            _: &ReadingWindow,
            _: Option<&str>,
            _: &dyn Fn(&str) -> Option<f64>,
        ) -> Result<Vec<(DigitReading, f64)>> {
            match *self.0 {}
        }
    }

    /// Nothing is packed without a transcriber.
    pub(crate) fn fit_in_one_window(_: &[f64]) -> bool {
        false
    }
}
