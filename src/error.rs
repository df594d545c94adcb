//! The crate's one error type.
//!
//! Every variant that concerns an input names it: `file` is the path given to
//! [`Analyzer::analyze_path`](crate::Analyzer::analyze_path) (or [`decode_path`](crate::audio::decode_path)),
//! and reads `<input>` when audio came from an in-memory reader.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Which input an error is about: a path, or an unnamed reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source(pub Option<PathBuf>);

impl Source {
    /// The path, if the input had one.
    pub fn path(&self) -> Option<&Path> {
        self.0.as_deref()
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(p) => write!(f, "{}", p.display()),
            None => f.write_str("<input>"),
        }
    }
}

/// Everything that can go wrong while analysing a recording.
///
/// The enum is `#[non_exhaustive]`: later versions may add variants. Match on the ones you can act
/// on and keep a catch-all arm. [`Error::kind`] gives a stable snake_case name for each variant, as
/// used in the JSON error records of the example binary.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading the input failed (other than running out of data, which is [`Error::Truncated`]).
    #[error("{file}: I/O error: {source}")]
    Io {
        /// The input.
        file: Source,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The input is no recording this crate recognises: not RIFF/WAVE, nor (with the `formats`
    /// feature) MP3, MP4/M4A, Ogg or FLAC. Kind `unknown_format` (formerly `not_wav`: see
    /// docs/public-api.md).
    #[error("{file}: not a recording in a known format (WAV, MP3, M4A, Ogg, FLAC): {reason}")]
    UnknownFormat {
        /// The input.
        file: Source,
        /// What was found instead.
        reason: String,
    },
    /// The file ends before what its header promises.
    #[error("{file}: truncated: {what} needs {expected} bytes but only {actual} are present")]
    Truncated {
        /// The input.
        file: Source,
        /// Which part of the file is cut short (e.g. `"data chunk"`).
        what: &'static str,
        /// Bytes the header announces.
        expected: u64,
        /// Bytes actually present.
        actual: u64,
    },
    /// The WAV's sample encoding is not one this crate decodes.
    ///
    /// Decoded: PCM 8/16/24/32-bit, IEEE float 32-bit, G.711 μ-law and A-law, plain or in
    /// `WAVE_FORMAT_EXTENSIBLE`.
    #[error("{file}: unsupported encoding: format tag {format_tag:#06x} ({name}), {bits_per_sample} bits per sample")]
    UnsupportedEncoding {
        /// The input.
        file: Source,
        /// The WAV format tag (for `WAVE_FORMAT_EXTENSIBLE`, the sub-format's tag).
        format_tag: u16,
        /// A readable name for the tag, e.g. `"IMA ADPCM"`.
        name: &'static str,
        /// Bits per sample from the header.
        bits_per_sample: u16,
    },
    /// A compressed recording whose codec (or codec setup) this build does not decode, e.g.
    /// AMR-NB, or MP3 without the `formats` feature.
    #[error("{file}: unsupported codec: {reason}")]
    UnsupportedCodec {
        /// The input.
        file: Source,
        /// The codec and container, and why.
        reason: String,
    },
    /// The header is self-contradictory or describes no audio (zero channels, zero rate, …).
    #[error("{file}: invalid header: {reason}")]
    InvalidHeader {
        /// The input.
        file: Source,
        /// What is wrong.
        reason: String,
    },
    /// The sample rate is outside the range the analysis accepts.
    #[error("{file}: sample rate {rate_hz} Hz is outside the supported {min_hz}..={max_hz} Hz")]
    UnsupportedSampleRate {
        /// The input.
        file: Source,
        /// The file's sample rate.
        rate_hz: u32,
        /// Lowest accepted rate.
        min_hz: u32,
        /// Highest accepted rate.
        max_hz: u32,
    },
    /// The recording is longer than the configured limit
    /// ([`DecodeOptions::max_duration_s`](crate::audio::DecodeOptions::max_duration_s)).
    #[error("{file}: recording lasts {seconds:.1} s, over the {limit:.1} s limit")]
    TooLong {
        /// The input.
        file: Source,
        /// The recording's length.
        seconds: f64,
        /// The limit in force.
        limit: f64,
    },
    /// An input names no recording: a folder with no recordings in it, or a path that does not
    /// exist.
    #[error("{file}: no recordings: {reason}")]
    NoRecordings {
        /// The input.
        file: Source,
        /// What was found instead.
        reason: String,
    },
    /// A model file is missing, truncated, foreign or inconsistent.
    #[error("{}: model error: {reason}", path.display())]
    Model {
        /// The model file or directory.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A new ledger was asked for where a file already holds results: going on with it, or
    /// starting it afresh, has to be asked for (a run never wipes finished work unasked).
    #[error("{}: the ledger already holds results: resume it, or ask for it to be started afresh", path.display())]
    LedgerExists {
        /// The ledger file.
        path: PathBuf,
    },
    /// whisper.cpp failed while transcribing.
    #[error("transcription failed: {reason}")]
    Transcription {
        /// What failed.
        reason: String,
    },
    /// The options given to the analyzer are unusable; the message names the option, its value
    /// and what it may be.
    #[error("invalid options: {0}")]
    InvalidOptions(String),
    /// A rulebook (TOML or JSON) could not be read or names an unknown rule, parameter or a bad
    /// value.
    #[error("{origin}: rulebook error: {reason}")]
    Rulebook {
        /// The rulebook file, or `<rulebook>` for one given as text.
        origin: String,
        /// What is wrong, naming the rule and parameter.
        reason: String,
    },
    /// A worker of a batch panicked (a defect of this crate, never of the input): the batch's
    /// shared state could not be trusted afterwards. The ledger holds every result written
    /// before it.
    #[error("a batch worker panicked: the batch stopped (the ledger keeps what was written)")]
    WorkerPanicked,
    /// The resampler refused the conversion (should not happen for accepted rates).
    #[error("{file}: resampling failed: {reason}")]
    Resample {
        /// The input.
        file: Source,
        /// The resampler's message.
        reason: String,
    },
}

/// Runs `$body` with `$file` bound to the error's [`Source`] (by reference, shared or mutable as
/// `$e` is), or evaluates `$none` for variants that concern no input.
macro_rules! on_source {
    ($e:expr, $file:ident => $body:expr, $none:expr) => {
        match $e {
            Error::Io { $file, .. }
            | Error::UnknownFormat { $file, .. }
            | Error::Truncated { $file, .. }
            | Error::UnsupportedEncoding { $file, .. }
            | Error::UnsupportedCodec { $file, .. }
            | Error::InvalidHeader { $file, .. }
            | Error::UnsupportedSampleRate { $file, .. }
            | Error::TooLong { $file, .. }
            | Error::NoRecordings { $file, .. }
            | Error::Resample { $file, .. } => $body,
            Error::Model { .. }
            | Error::LedgerExists { .. }
            | Error::Transcription { .. }
            | Error::InvalidOptions(_)
            | Error::WorkerPanicked
            | Error::Rulebook { .. } => $none,
        }
    };
}

/// `Ok` when `ok`, else [`Error::InvalidOptions`] naming the option `field` (as the options
/// nest: `pitch.floor_hz`), its `value` and what it may be (`allowed`).
pub(crate) fn require(
    ok: bool,
    field: &str,
    value: impl std::fmt::Display,
    allowed: impl std::fmt::Display,
) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidOptions(format!(
            "`{field}` = {value}: expected {allowed}"
        )))
    }
}

impl Error {
    /// A stable snake_case name for the variant, e.g. `"unsupported_encoding"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::UnknownFormat { .. } => "unknown_format",
            Error::Truncated { .. } => "truncated",
            Error::UnsupportedEncoding { .. } => "unsupported_encoding",
            Error::UnsupportedCodec { .. } => "unsupported_codec",
            Error::InvalidHeader { .. } => "invalid_header",
            Error::UnsupportedSampleRate { .. } => "unsupported_sample_rate",
            Error::TooLong { .. } => "too_long",
            Error::NoRecordings { .. } => "no_recordings",
            Error::Model { .. } => "model",
            Error::LedgerExists { .. } => "ledger_exists",
            Error::Transcription { .. } => "transcription",
            Error::InvalidOptions(_) => "invalid_options",
            Error::WorkerPanicked => "worker_panicked",
            Error::Rulebook { .. } => "rulebook",
            Error::Resample { .. } => "resample",
        }
    }

    /// The input the error is about, if any.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Error::Model { path, .. } | Error::LedgerExists { path } => Some(path),
            Error::Rulebook { origin, .. } if origin != "<rulebook>" => Some(Path::new(origin)),
            other => on_source!(other, file => file.path(), None),
        }
    }

    /// Attaches a path to an error raised while reading an unnamed input.
    pub(crate) fn with_file(mut self, path: &Path) -> Self {
        on_source!(&mut self, file => {
            if file.0.is_none() {
                file.0 = Some(path.to_path_buf());
            }
        }, ());
        self
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns an I/O error on the file at `path` into [`Error::Io`] naming it (for `map_err`).
pub(crate) fn io_at(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Io {
        file: Source(Some(path.to_path_buf())),
        source,
    }
}
