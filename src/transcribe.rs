//! Offline transcription with whisper.cpp (through whisper-rs), with word timings.
//!
//! A [`Transcriber`] loads a ggml model once (after [`check_ggml`] has
//! vetted the file) and is shared across files and threads: each call makes its own whisper state.
//! Audio is the 16 kHz mono `f32` of [`audio::decode`](crate::audio::decode). Sub-word tokens are
//! merged into words (a token that starts with a space starts a word), each with the start of its
//! first token, the end of its last, and the mean token probability.
//!
//! Only with the `transcribe` feature (on by default).

use std::path::{Path, PathBuf};
use std::sync::Once;

use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

use crate::error::{Error, Result};
use crate::model::check_ggml;
use crate::report::{Transcript, Word};

/// The environment variable naming the default model file.
pub const MODEL_ENV: &str = "VOICEMAIL_COACH_MODEL";

/// File name of the default model (whisper tiny.en, converted by `scripts/fetch-model`).
pub const DEFAULT_MODEL_FILE: &str = "ggml-tiny.en.bin";

/// Where the analyzer looks for a model when none is given: `$VOICEMAIL_COACH_MODEL`, else
/// `$XDG_CACHE_HOME/voicemail-coach/ggml-tiny.en.bin`, else
/// `$HOME/.cache/voicemail-coach/ggml-tiny.en.bin`. `None` when no variable gives a place.
pub fn default_model_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(MODEL_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("voicemail-coach").join(DEFAULT_MODEL_FILE))
}

/// Transcription options.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TranscribeOptions {
    /// Spoken language, as a Whisper language code. Default: `"en"`.
    pub language: String,
    /// Threads per transcription; never more than the machine's cores
    /// (`std::thread::available_parallelism`). Default: `None` (all cores).
    pub threads: Option<usize>,
    /// Beam width of the decoder; `1` decodes greedily (faster, slightly less accurate).
    /// Default: `5`, as whisper.cpp's command-line tool.
    pub beam_size: usize,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            language: "en".to_string(),
            threads: None,
            beam_size: 5,
        }
    }
}

/// A loaded whisper model, shared across files and threads.
pub struct Transcriber {
    ctx: WhisperContext,
    name: String,
    path: PathBuf,
    options: TranscribeOptions,
}

impl std::fmt::Debug for Transcriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcriber")
            .field("model", &self.name)
            .field("path", &self.path)
            .field("options", &self.options)
            .finish()
    }
}

static LOG_HOOKS: Once = Once::new();

impl Transcriber {
    /// Loads the ggml model at `path`, after checking the file is complete and well-formed.
    pub fn new(path: impl AsRef<Path>, options: TranscribeOptions) -> Result<Self> {
        let path = path.as_ref();
        check_ggml(path)?;
        // Route whisper.cpp's console chatter through the `log` facade (silent unless a logger
        // is installed).
        LOG_HOOKS.call_once(whisper_rs::install_logging_hooks);
        let ctx = WhisperContext::new_with_params(path, WhisperContextParameters::default())
            .map_err(|e| Error::Model {
                path: path.to_path_buf(),
                reason: format!("whisper.cpp could not load it: {e}"),
            })?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "whisper".to_string());
        Ok(Transcriber {
            ctx,
            name,
            path: path.to_path_buf(),
            options,
        })
    }

    /// The model's name (its file name without extension), e.g. `"ggml-tiny.en"`.
    pub fn model_name(&self) -> &str {
        &self.name
    }

    /// Threads a transcription uses: the option, capped at the machine's cores.
    pub fn threads(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.options.threads.map_or(cores, |t| t.clamp(1, cores))
    }

    /// Transcribes 16 kHz mono audio.
    pub fn transcribe(&self, samples: &[f32]) -> Result<Transcript> {
        let fail = |what: &str, e: whisper_rs::WhisperError| Error::Transcription {
            reason: format!("{what}: {e}"),
        };
        if samples.is_empty() {
            return Ok(Transcript {
                model: self.name.clone(),
                text: String::new(),
                words: Vec::new(),
            });
        }
        let mut state = self
            .ctx
            .create_state()
            .map_err(|e| fail("creating a whisper state", e))?;
        let strategy = if self.options.beam_size > 1 {
            SamplingStrategy::BeamSearch {
                beam_size: self.options.beam_size.min(16) as i32,
                patience: -1.0,
            }
        } else {
            SamplingStrategy::Greedy { best_of: 1 }
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(self.threads() as i32);
        params.set_language(Some(&self.options.language));
        params.set_token_timestamps(true);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        state
            .full(params, samples)
            .map_err(|e| fail("transcribing", e))?;

        let eot = self.ctx.token_eot();
        // whisper's token times can overrun the audio; keep them inside it.
        let duration = samples.len() as f64 / 16_000.0;
        let mut words: Vec<Word> = Vec::new();
        let mut probs: Vec<Vec<f32>> = Vec::new();
        let mut text = String::new();
        for segment in state.as_iter() {
            for k in 0..segment.n_tokens() {
                let Some(token) = segment.get_token(k) else {
                    continue;
                };
                if token.token_id() >= eot {
                    continue; // special and timestamp tokens
                }
                let piece = token
                    .to_str_lossy()
                    .map_err(|e| fail("reading a token", e))?;
                let data = token.token_data();
                let clamp = |t: i64| (t as f64 * 0.01).clamp(0.0, duration);
                let (t0, t1) = (clamp(data.t0), clamp(data.t1));
                text.push_str(&piece);
                let starts_word = piece.starts_with(' ') || words.is_empty();
                let trimmed = piece.trim();
                if trimmed.is_empty() {
                    continue;
                }
                match (starts_word, words.last_mut()) {
                    (false, Some(w)) => {
                        w.text.push_str(trimmed);
                        w.end_s = w.end_s.max(t1);
                        if let Some(p) = probs.last_mut() {
                            p.push(data.p);
                        }
                    }
                    _ => {
                        words.push(Word {
                            text: trimmed.to_string(),
                            start_s: t0,
                            end_s: t1.max(t0),
                            probability: 0.0,
                        });
                        probs.push(vec![data.p]);
                    }
                }
            }
        }
        for (w, p) in words.iter_mut().zip(&probs) {
            w.probability = f64::from(p.iter().sum::<f32>()) / p.len().max(1) as f64;
        }
        Ok(Transcript {
            model: self.name.clone(),
            text: text.trim().to_string(),
            words,
        })
    }
}
