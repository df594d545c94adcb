//! whisper.cpp through whisper-rs: loading a model and transcribing with word timings.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Once};

use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters,
};

use crate::error::{Error, Result};
use crate::model::check_ggml;
use crate::report::{Piece, Transcript, Word};

use super::models::{model_cache_dir, resolve_model};
use super::packing::{fit_in_one_window, heard_alone_instead, Pack};
use super::tokens::{repeats_itself, token_spans, without_annotations, RawToken};
use super::window::{failed, positions_for, seconds, Decoding, WINDOW_POSITIONS, WINDOW_S};

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
    Some(model_cache_dir()?.join(DEFAULT_MODEL_FILE))
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
    /// Beam width for a whisper window shared by several short recordings
    /// ([`Transcriber::transcribe_many`], a batch's packing). A recording whose words there hold
    /// a number is transcribed again alone with [`beam_size`](Self::beam_size), so this width
    /// only ever decides the words of recordings without numbers. Default: `1` (greedy):
    /// measured with tiny.en on 2 cores (`scripts/bench-vs-faster-whisper`, README), packed
    /// batches take 0.72-0.74x the time of beam 5 there for 0.2-0.8 points of WER, no higher
    /// than the WER of each recording alone with beam 5.
    pub packed_beam_size: usize,
    /// Whether the analyzer reads each callback number a second time with the decoder allowed
    /// only digits, to check the transcript's digits and say how sure they are. Default: `true`
    /// (about 0.3-0.8 s per number said).
    pub read_numbers_twice: bool,
    /// Whether a recording of at most 30 s is encoded over its own length (plus
    /// [`FIT_MARGIN_S`], at least 10 s) rather than whisper's whole 30 s window. A transcript
    /// that then repeats itself (a decoder loop) is transcribed again over the whole window.
    /// Measured with tiny.en on 2 cores (`scripts/bench-vs-faster-whisper`, README): about 3x
    /// faster, with the same WER on sentences and real calls, but callback numbers are heard
    /// less well (`scripts/eval-numbers`: 58 of 83 exact against 63 of 83), so it is off by
    /// default. Default: `false`.
    pub fit_context: bool,
    /// The GPU whisper.cpp runs on, counted from 0, in a build with the `cuda` or `vulkan`
    /// feature (ignored otherwise; transcription then runs on the CPU). Default: `0`.
    pub gpu_device: usize,
    /// Text the decoder is prompted with before each recording, as whisper's `initial_prompt`:
    /// it sets the style of the transcript. Default: `None`.
    pub initial_prompt: Option<String>,
}

/// Sound past the end of a recording that a fitted encoder context still covers, seconds.
pub const FIT_MARGIN_S: f64 = 1.0;

/// The least encoder context of a fitted window, in positions of 20 ms (10 s): tiny.en decoding
/// a window much shorter than it was trained on repeats the message until its token limit.
const FIT_MIN_POSITIONS: i32 = 500;

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            language: "en".to_string(),
            threads: None,
            beam_size: 5,
            packed_beam_size: 1,
            read_numbers_twice: true,
            fit_context: false,
            gpu_device: 0,
            initial_prompt: None,
        }
    }
}

/// A loaded whisper model, shared across files and threads.
pub struct Transcriber {
    ctx: WhisperContext,
    name: String,
    path: PathBuf,
    options: TranscribeOptions,
    /// Set to stop transcriptions under way.
    abort: Option<Arc<AtomicBool>>,
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

/// whisper.cpp's context parameters for `options`: the GPU to use, where there is one.
pub(super) fn context_params(options: &TranscribeOptions) -> WhisperContextParameters<'static> {
    let mut params = WhisperContextParameters::default();
    params.gpu_device(i32::try_from(options.gpu_device).unwrap_or(i32::MAX));
    params
}

/// The model at `path` loaded by whisper.cpp.
pub(super) fn load_context(
    path: &Path,
    params: WhisperContextParameters<'_>,
) -> Result<WhisperContext> {
    WhisperContext::new_with_params(path, params).map_err(|e| Error::Model {
        path: path.to_path_buf(),
        reason: format!("whisper.cpp could not load it: {e}"),
    })
}

/// Vocabulary size of whisper's English-only models (the multilingual ones have 51865 tokens).
const ENGLISH_VOCABULARY: i32 = 51864;

/// Widest beam whisper.cpp decodes with.
const MAX_BEAM: usize = 16;

/// The most tokens of the text before a window that its decoding is prompted with: about 45
/// words. The decoder computes every prompt token's scores over the whole vocabulary (200 kB a
/// token with tiny.en), so whisper.cpp's default of 224 tokens made a 3-minute message take
/// 52 MB more memory than 64 do; on eight 90 s recordings of the asterisk prompts the WER was
/// 3.02 % with 64 against 3.15 % with 224.
const MAX_PROMPT_TOKENS: i32 = 64;

/// Whisper's timestamp unit, seconds: token times count 10 ms steps.
const TIMESTAMP_S: f64 = 0.01;

/// The alignment-head preset for a model, from its vocabulary (English-only models have 51864
/// tokens) and decoder depth; `None` for sizes without a preset.
fn dtw_preset(h: &crate::model::Hparams) -> Option<DtwModelPreset> {
    let english = h.n_vocab == ENGLISH_VOCABULARY;
    Some(match (h.n_text_layer, h.n_text_state, english) {
        (4, 384, true) => DtwModelPreset::TinyEn,
        (4, 384, false) => DtwModelPreset::Tiny,
        (6, 512, true) => DtwModelPreset::BaseEn,
        (6, 512, false) => DtwModelPreset::Base,
        (12, 768, true) => DtwModelPreset::SmallEn,
        (12, 768, false) => DtwModelPreset::Small,
        _ => return None,
    })
}

impl Transcriber {
    /// Loads the ggml model at `path`, after checking the file is complete and well-formed.
    pub fn new(path: impl AsRef<Path>, options: TranscribeOptions) -> Result<Self> {
        let path = path.as_ref();
        let info = check_ggml(path)?;
        // Route whisper.cpp's console chatter through the `log` facade (silent unless a logger
        // is installed).
        LOG_HOOKS.call_once(whisper_rs::install_logging_hooks);
        let mut params = context_params(&options);
        // Token times from dynamic time warping over the model's alignment heads: much closer
        // to the sound than the default timestamp heuristic (digit groups are timed from them).
        // A fitted window always ends a second past the sound, so the frames aligned are
        // within its encoder context.
        if let Some(preset) = dtw_preset(&info.hparams) {
            params.dtw_parameters(DtwParameters {
                mode: DtwMode::ModelPreset {
                    model_preset: preset,
                },
                ..DtwParameters::default()
            });
        }
        let ctx = load_context(path, params)?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "whisper".to_string());
        Ok(Transcriber {
            ctx,
            name,
            path: path.to_path_buf(),
            options,
            abort: None,
        })
    }

    /// Loads the model at `path`, or when `None` the one at [`default_model_path`]. A default
    /// model that is not there is an [`Error::Model`] saying how to fetch it.
    pub fn load(path: Option<&Path>, options: TranscribeOptions) -> Result<Self> {
        if let Some(p) = path {
            return Self::new(p, options);
        }
        let p = default_model_path().ok_or_else(|| Error::Model {
            path: PathBuf::from(DEFAULT_MODEL_FILE),
            reason: format!(
                "no model given, and neither ${MODEL_ENV}, $XDG_CACHE_HOME nor $HOME is set"
            ),
        })?;
        if !p.exists() {
            return Err(Error::Model {
                path: p,
                reason: "no whisper model there (run scripts/fetch-model, or give one)".into(),
            });
        }
        Self::new(p, options)
    }

    /// The transcriber for a model given by name or path (see [`resolve_model`]):
    /// `"small.en"` is `ggml-small.en.bin` in the model cache.
    pub fn named(model: &str, options: TranscribeOptions) -> Result<Self> {
        Self::new(resolve_model(model)?, options)
    }

    /// The transcriber for `model` by name or path ([`Transcriber::named`]), or for the default
    /// model when none is given ([`Transcriber::load`]): what a command-line option or a
    /// keyword argument naming a model gives.
    pub fn open(model: Option<&str>, options: TranscribeOptions) -> Result<Self> {
        match model {
            Some(model) => Self::named(model, options),
            None => Self::load(None, options),
        }
    }

    /// Stops every transcription under way (it fails with [`Error::Transcription`]) once `flag`
    /// turns true: give it the flag a [`Batch`](crate::batch::Batch) is cancelled on.
    pub fn abort_on(mut self, flag: Arc<AtomicBool>) -> Self {
        self.abort = Some(flag);
        self
    }

    /// How each whisper pass runs: threads, language, the abort flag.
    pub(crate) fn decoding(&self) -> Decoding<'_> {
        Decoding {
            threads: self.threads(),
            language: &self.options.language,
            abort: self.abort.as_ref(),
        }
    }

    /// The model's name (its file name without extension), e.g. `"ggml-tiny.en"`.
    pub fn model_name(&self) -> &str {
        &self.name
    }

    /// The options in force.
    pub fn options(&self) -> &TranscribeOptions {
        &self.options
    }

    /// Whether numbers are read a second time ([`TranscribeOptions::read_numbers_twice`]).
    pub(crate) fn reads_numbers_twice(&self) -> bool {
        self.options.read_numbers_twice
    }

    /// Threads a transcription uses: the option, capped at the machine's cores.
    pub fn threads(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.options.threads.map_or(cores, |t| t.clamp(1, cores))
    }

    /// The decoding parameters for a recording of `seconds`, its encoder context fitted to it
    /// when `fit`, decoded with a beam `beam` wide.
    fn params(&self, seconds: f64, fit: bool, beam: usize) -> FullParams<'_, '_> {
        let strategy = if beam > 1 {
            SamplingStrategy::BeamSearch {
                beam_size: beam.min(MAX_BEAM) as i32,
                patience: -1.0,
            }
        } else {
            SamplingStrategy::Greedy { best_of: 1 }
        };
        let mut params = self.decoding().params(strategy);
        params.set_token_timestamps(true);
        if fit {
            // FIT_MARGIN_S keeps the sound inside the positions encoded.
            let positions = positions_for(seconds + FIT_MARGIN_S).max(FIT_MIN_POSITIONS);
            params.set_audio_ctx(positions.min(WINDOW_POSITIONS));
            // One window holds the whole recording: decoding it once. Left to seek on, whisper
            // decodes the window again from its last timestamp and repeats the message.
            params.set_single_segment(true);
        }
        // Past text a later window is prompted with, at most (whisper.cpp's default is half the
        // decoder's context, 224 tokens).
        params.set_n_max_text_ctx(MAX_PROMPT_TOKENS);
        if let Some(prompt) = &self.options.initial_prompt {
            params.set_initial_prompt(prompt);
        }
        params
    }

    /// Transcribes mono audio at [`SAMPLE_RATE_HZ`](super::SAMPLE_RATE_HZ) (the analysis rate:
    /// give it
    /// [`Conditioned::samples`](crate::Conditioned::samples)).
    pub fn transcribe(&self, samples: &[f32]) -> Result<Transcript> {
        if samples.is_empty() {
            return Ok(self.transcript(Vec::new()));
        }
        let fit = self.options.fit_context && seconds(samples.len()) <= WINDOW_S;
        let mut tokens = self.decode(samples, fit, self.options.beam_size)?;
        if fit && repeats_itself(&tokens) {
            // A fitted window sometimes sends the decoder round a loop; whisper's whole window
            // is what the model was trained on.
            tokens = self.decode(samples, false, self.options.beam_size)?;
        }
        Ok(self.transcript(without_annotations(tokens)))
    }

    /// Transcribes several recordings (mono, at [`SAMPLE_RATE_HZ`](super::SAMPLE_RATE_HZ)),
    /// packing those that [`fit_in_one_window`] together into shared whisper windows: one
    /// encoder pass for the lot. Each transcript holds only words said in its own recording,
    /// timed from its own start. Recordings are packed in the order given, consecutive ones
    /// while they fit. A recording too long to pack is transcribed alone as by
    /// [`transcribe`](Self::transcribe), and so is one whose words in its pack hold a number
    /// or any figure, begin with the piece of a word or ran across into a neighbour, are none,
    /// or have a mean probability under 0.1: a transcript with a number in it is always the
    /// one the recording gets alone. Each transcript's
    /// [`packed_with`](Transcript::packed_with) says whether it was heard in a shared window.
    pub fn transcribe_many(&self, clips: &[&[f32]]) -> Vec<Result<Transcript>> {
        let lengths: Vec<f64> = clips.iter().map(|c| seconds(c.len())).collect();
        let mut out = Vec::with_capacity(clips.len());
        let mut from = 0;
        while from < clips.len() {
            let mut to = from + 1;
            while to < clips.len() && fit_in_one_window(&lengths[from..=to]) {
                to += 1;
            }
            out.extend(self.transcribe_pack(&clips[from..to]));
            from = to;
        }
        out
    }

    /// One pack's transcripts; a pack of one is transcribed alone.
    fn transcribe_pack(&self, clips: &[&[f32]]) -> Vec<Result<Transcript>> {
        if clips.len() < 2 || clips.iter().any(|c| c.is_empty()) {
            return clips.iter().map(|c| self.transcribe(c)).collect();
        }
        let pack = Pack::new(clips);
        // A pack that fails (stopped, say) fails for each recording as it would alone.
        let Ok(tokens) = self.decode(&pack.samples, false, self.options.packed_beam_size) else {
            return clips.iter().map(|c| self.transcribe(c)).collect();
        };
        let (split, crossed) = pack.split(tokens);
        split
            .into_iter()
            .zip(crossed)
            .zip(clips)
            .map(|((tokens, crossed), clip)| {
                let transcript = self.transcript(without_annotations(tokens));
                if heard_alone_instead(&transcript, crossed) {
                    self.transcribe(clip)
                } else {
                    Ok(Transcript {
                        packed_with: clips.len() - 1,
                        ..transcript
                    })
                }
            })
            .collect()
    }

    /// The loaded model, for the number's second reading (`numbers::second_reading`), which
    /// decodes with it.
    pub(crate) fn whisper_context(&self) -> &WhisperContext {
        &self.ctx
    }

    /// One whisper pass over `samples`: its text tokens with their times, inside the audio.
    fn decode(&self, samples: &[f32], fit: bool, beam: usize) -> Result<Vec<RawToken>> {
        let mut state = self
            .ctx
            .create_state()
            .map_err(|e| failed("creating a whisper state", e))?;
        let duration = seconds(samples.len());
        state
            .full(self.params(duration, fit, beam), samples)
            .map_err(|e| failed("transcribing", e))?;

        let eot = self.ctx.token_eot();
        // whisper's token times can overrun the audio; keep them inside it.
        let mut tokens: Vec<RawToken> = Vec::new();
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
                    .map_err(|e| failed("reading a token", e))?
                    .into_owned();
                let data = token.token_data();
                let clamp = |t: i64| (t as f64 * TIMESTAMP_S).clamp(0.0, duration);
                tokens.push(RawToken {
                    piece,
                    t0: clamp(data.t0),
                    t1: clamp(data.t1),
                    dtw: (data.t_dtw >= 0).then(|| clamp(data.t_dtw)),
                    p: data.p,
                });
            }
        }
        Ok(tokens)
    }

    /// The transcript the decoded tokens spell: words from the tokens that start them, each
    /// timed and given its tokens' mean probability.
    fn transcript(&self, tokens: Vec<RawToken>) -> Transcript {
        let text: String = tokens.iter().map(|t| t.piece.as_str()).collect();
        let spans = token_spans(&tokens);
        let mut words: Vec<Word> = Vec::new();
        let mut probs: Vec<Vec<f32>> = Vec::new();
        for (tok, &(t0, t1)) in tokens.iter().zip(&spans) {
            let starts_word = tok.piece.starts_with(' ') || words.is_empty();
            let trimmed = tok.piece.trim();
            if trimmed.is_empty() {
                continue;
            }
            let piece = Piece {
                text: trimmed.to_string(),
                start_s: t0,
                end_s: t1,
            };
            match (starts_word, words.last_mut()) {
                (false, Some(w)) => {
                    w.text.push_str(trimmed);
                    w.end_s = w.end_s.max(t1);
                    w.pieces.push(piece);
                    if let Some(p) = probs.last_mut() {
                        p.push(tok.p);
                    }
                }
                _ => {
                    words.push(Word {
                        text: trimmed.to_string(),
                        start_s: t0,
                        end_s: t1,
                        probability: 0.0,
                        pieces: vec![piece],
                    });
                    probs.push(vec![tok.p]);
                }
            }
        }
        for (w, p) in words.iter_mut().zip(&probs) {
            w.probability = f64::from(p.iter().sum::<f32>()) / p.len().max(1) as f64;
            // Token times matter only where digit groups are to be timed.
            if w.pieces.len() < 2 || !w.text.bytes().any(|b| b.is_ascii_digit()) {
                w.pieces.clear();
            }
        }
        // A "word" without a letter or a digit is not one the caller said: whisper decoding
        // noise writes byte tokens that are no text ("\u{fffd}\u{fffd}"), or lone symbols.
        let said = words.len();
        words.retain(|w| w.text.chars().any(char::is_alphanumeric));
        let text = if words.len() == said {
            text.trim().to_string()
        } else {
            let kept: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
            kept.join(" ")
        };
        Transcript {
            model: self.name.clone(),
            text,
            words,
            packed_with: 0,
        }
    }
}
