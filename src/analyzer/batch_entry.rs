//! The batch's way in: recordings decoded first, then analysed a group at a time, so that
//! short ones share whisper windows.

use std::path::Path;
use std::time::Instant;

use super::{ms, Analyzer};
use crate::audio::{self, Conditioned};
use crate::context::Context;
use crate::error::Result;
use crate::report::Report;

impl Analyzer {
    /// Decodes the recording at `path`, for [`finish_group`](Self::finish_group).
    pub(crate) fn decode_path(&self, path: &Path) -> Result<Pending> {
        let t0 = Instant::now();
        let audio = audio::decode_path(path, &self.options.decode)?;
        Ok(Pending {
            audio,
            file: path.display().to_string(),
            decode_ms: ms(t0),
        })
    }

    /// Whether recordings of these lengths (seconds) are transcribed together, sharing whisper
    /// windows (see `Transcriber::transcribe_many`).
    pub(crate) fn packs(&self, lengths_s: &[f64]) -> bool {
        self.ears.packs(lengths_s)
    }

    /// Analyses recordings decoded by [`decode_path`](Self::decode_path), transcribing those
    /// that [`packs`](Self::packs) together. Each report's `timings_ms.transcribe` is its share
    /// of the whole, by length.
    pub(crate) fn finish_group(&self, group: &[Pending], ctx: &Context) -> Vec<Report> {
        let heard = self.ears.transcribe_group(group);
        group
            .iter()
            .zip(heard)
            .map(|(d, heard)| self.finish_heard(&d.audio, d.file.clone(), d.decode_ms, ctx, heard))
            .collect()
    }
}

/// A recording decoded, its analysis pending (the batch decodes a group, then finishes it).
pub(crate) struct Pending {
    pub(crate) audio: Conditioned,
    /// The report's `file`.
    pub(crate) file: String,
    pub(super) decode_ms: f64,
}
