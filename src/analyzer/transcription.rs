//! Transcription added to an analyzer: a transcriber given, the default model, or a model by
//! name (only in builds with the `transcribe` feature).

use super::{hearing::Ears, Analyzer};
use crate::error::Result;
use crate::transcribe;

impl Analyzer {
    /// Adds transcription: reports get a `transcript`, `rate.words_per_minute`,
    /// `rate.transcript_syllables` and `timings_ms.transcribe`.
    pub fn with_transcriber(mut self, transcriber: transcribe::Transcriber) -> Self {
        self.ears = Ears::hearing(transcriber);
        self
    }

    /// Adds transcription with the default model
    /// ([`default_model_path`](transcribe::default_model_path), put in place by
    /// `scripts/fetch-model`) and default [`TranscribeOptions`](transcribe::TranscribeOptions):
    /// the whole analysis. A missing or unreadable model is an
    /// [`Error::Model`](crate::Error::Model) naming the path and how to get one.
    pub fn with_default_model(self) -> Result<Self> {
        let options = transcribe::TranscribeOptions::default();
        Ok(self.with_transcriber(transcribe::Transcriber::load(None, options)?))
    }

    /// Adds transcription with a model given by name (`"base"`, `"small.en"`,
    /// `"large-v3-turbo-q5_0"`: `ggml-<name>.bin` in
    /// [`model_cache_dir`](transcribe::model_cache_dir)) or by path, and default
    /// [`TranscribeOptions`](transcribe::TranscribeOptions). A model not there is an
    /// [`Error::Model`](crate::Error::Model) naming it, where it was looked for and how to get it.
    pub fn with_model(self, model: &str) -> Result<Self> {
        let options = transcribe::TranscribeOptions::default();
        Ok(self.with_transcriber(transcribe::Transcriber::named(model, options)?))
    }

    /// The transcriber in use, if any.
    pub fn transcriber(&self) -> Option<&transcribe::Transcriber> {
        self.ears.engine()
    }
}
