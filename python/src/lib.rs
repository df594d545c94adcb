//! The native half of the `voicemail_coach` Python package: the analyzer, batches, campaigns
//! and pitch tracks, with the GIL released while Rust works. Reports cross the boundary as the
//! JSON the example binary prints (`--json`), which the Python half turns into dicts, so a
//! report from Python is the binary's to the byte.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use numpy::ndarray::{ArrayViewD, Axis};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArrayDyn, PyUntypedArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use voicemail_coach::batch::{self, Batch, Entry, Stamp};
use voicemail_coach::{annotation, audio, campaign, report, Context, Error, Options, Rulebook};

create_exception!(
    voicemail_coach,
    VoicemailCoachError,
    PyException,
    "Anything the analysis could not do; `kind` names the error (as in the JSON error records) \
     and `file` the input, when there is one."
);
create_exception!(
    voicemail_coach,
    UnsupportedFormat,
    VoicemailCoachError,
    "The recording is in a format, codec or sample rate the analysis does not read."
);
create_exception!(
    voicemail_coach,
    DamagedRecording,
    VoicemailCoachError,
    "The recording is cut short or its header contradicts itself."
);
create_exception!(
    voicemail_coach,
    ModelError,
    VoicemailCoachError,
    "The whisper model is missing, unreadable or failed while transcribing."
);
create_exception!(
    voicemail_coach,
    InvalidOptions,
    VoicemailCoachError,
    "An option, a rulebook or a fact given to the analysis is unusable."
);

/// The Python exception for a library error: its class by the error's kind, with `kind` and
/// `file` set on it.
fn to_py(e: Error) -> PyErr {
    let message = e.to_string();
    let err = match e.kind() {
        "unknown_format"
        | "unsupported_encoding"
        | "unsupported_codec"
        | "unsupported_sample_rate" => UnsupportedFormat::new_err(message),
        "truncated" | "invalid_header" => DamagedRecording::new_err(message),
        "model" | "transcription" => ModelError::new_err(message),
        "invalid_options" | "rulebook" => InvalidOptions::new_err(message),
        _ => VoicemailCoachError::new_err(message),
    };
    Python::attach(|py| {
        let value = err.value(py);
        let file = e.file().map(|p| p.display().to_string());
        // Setting attributes on a fresh exception instance does not fail.
        let _ = value.setattr("kind", e.kind());
        let _ = value.setattr("file", file);
    });
    err
}

/// A report or an error record as the binary prints it (`--json`): with `input`, figures
/// rounded.
fn entry_json(file: String, path: Option<&Path>, report: report::Report) -> String {
    let stamp = path.map(Stamp::of).unwrap_or_default();
    Entry::new(file, stamp, Ok(report)).to_json().to_string()
}

/// The facts beyond the audio (the `Facts` keyword arguments, as a dict), each set through the
/// library's own check: an unusable value is its `InvalidOptions`, a value of the wrong type a
/// `TypeError` naming the key, and `None` leaves the fact unset.
fn context(facts: Option<&Bound<'_, PyDict>>) -> PyResult<Context> {
    let mut ctx = Context::new();
    for (key, value) in facts.into_iter().flat_map(|f| f.iter()) {
        let key: String = key.extract()?;
        if value.is_none() {
            continue;
        }
        let wrong = |e: PyErr| PyTypeError::new_err(format!("{key}: {e}"));
        ctx = match key.as_str() {
            "expect_number" => ctx.with_expected_number(&value.extract::<String>().map_err(wrong)?),
            "caller_name" => ctx.with_caller_name(&value.extract::<String>().map_err(wrong)?),
            "min_digits" => ctx.with_min_digits(value.extract::<usize>().map_err(wrong)?),
            "pitch_baseline_hz" => {
                ctx.with_pitch_baseline_hz(value.extract::<f64>().map_err(wrong)?)
            }
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "unexpected keyword argument {key:?}"
                )))
            }
        }
        .map_err(to_py)?;
    }
    Ok(ctx)
}

/// Analyses recordings; loads the model once and may be shared between threads.
#[pyclass(frozen, module = "voicemail_coach._native")]
struct Analyzer {
    inner: voicemail_coach::Analyzer,
    transcribes: bool,
}

#[pymethods]
impl Analyzer {
    #[new]
    #[pyo3(signature = (*, transcribe=true, model=None, rulebook=None, threads=None, read_numbers_twice=true))]
    fn new(
        py: Python<'_>,
        transcribe: bool,
        model: Option<String>,
        rulebook: Option<PathBuf>,
        threads: Option<usize>,
        read_numbers_twice: bool,
    ) -> PyResult<Self> {
        if threads == Some(0) {
            return Err(PyValueError::new_err("threads: give 1 or more"));
        }
        py.detach(|| build(transcribe, model, rulebook, threads, read_numbers_twice))
            .map(|inner| Analyzer {
                inner,
                transcribes: transcribe,
            })
            .map_err(to_py)
    }

    /// Whether this analyzer transcribes (else reports say `no_transcript`).
    #[getter]
    fn transcribes(&self) -> bool {
        self.transcribes
    }

    /// Whisper threads per analysis (never more than the cores); 0 without transcription.
    #[getter]
    fn threads(&self) -> usize {
        self.inner.transcriber().map_or(0, |t| t.threads())
    }

    /// The report of the recording at `path`, as JSON text.
    #[pyo3(signature = (path, *, facts=None))]
    fn analyze(
        &self,
        py: Python<'_>,
        path: PathBuf,
        facts: Option<Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let ctx = context(facts.as_ref())?;
        let file = path.display().to_string();
        py.detach(|| {
            let report = self.inner.analyze_path_with(&path, &ctx)?;
            Ok(entry_json(file, Some(&path), report))
        })
        .map_err(to_py)
    }

    /// The report of mono or multichannel samples in memory, as JSON text.
    #[pyo3(signature = (samples, rate_hz, *, name="samples".to_string(), facts=None))]
    fn analyze_samples(
        &self,
        py: Python<'_>,
        samples: &Bound<'_, PyAny>,
        rate_hz: u32,
        name: String,
        facts: Option<Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let ctx = context(facts.as_ref())?;
        let mono = mono_samples(samples)?;
        py.detach(|| {
            let report = self.inner.analyze_samples(&mono, rate_hz, &name, &ctx)?;
            Ok(entry_json(name, None, report))
        })
        .map_err(to_py)
    }
}

/// The analyzer the keyword arguments ask for, with transcription set up as the binary sets it.
fn build(
    transcribe: bool,
    model: Option<String>,
    rulebook: Option<PathBuf>,
    threads: Option<usize>,
    read_numbers_twice: bool,
) -> voicemail_coach::Result<voicemail_coach::Analyzer> {
    let mut options = Options::default();
    if let Some(path) = rulebook {
        options.rulebook = Rulebook::from_path(path)?;
    }
    let analyzer = voicemail_coach::Analyzer::new(options)?;
    if !transcribe {
        return Ok(analyzer);
    }
    let mut t = voicemail_coach::transcribe::TranscribeOptions::default();
    t.threads = threads;
    t.read_numbers_twice = read_numbers_twice;
    let transcriber = voicemail_coach::transcribe::Transcriber::open(model.as_deref(), t)?;
    Ok(analyzer.with_transcriber(transcriber))
}

/// `samples` as mono `f32`: float32, float64 or int16 (full scale at ±32768), one dimension or
/// `(frames, channels)` averaged over the channels.
fn mono_samples(samples: &Bound<'_, PyAny>) -> PyResult<Vec<f32>> {
    if let Ok(a) = samples.extract::<PyReadonlyArrayDyn<'_, f32>>() {
        return mono(a.as_array(), |v| v);
    }
    if let Ok(a) = samples.extract::<PyReadonlyArrayDyn<'_, f64>>() {
        return mono(a.as_array(), |v| v as f32);
    }
    if let Ok(a) = samples.extract::<PyReadonlyArrayDyn<'_, i16>>() {
        return mono(a.as_array(), |v| f32::from(v) / 32768.0);
    }
    let what = match samples.cast::<numpy::PyUntypedArray>() {
        Ok(a) => format!("an array of {}", a.dtype()),
        Err(_) => format!("a {}", samples.get_type().name()?),
    };
    Err(PyTypeError::new_err(format!(
        "samples: expected a NumPy array of float32, float64 or int16, not {what}"
    )))
}

fn mono<T: Copy>(a: ArrayViewD<'_, T>, to_f32: impl Fn(T) -> f32) -> PyResult<Vec<f32>> {
    match a.ndim() {
        1 => Ok(a.iter().map(|&v| to_f32(v)).collect()),
        2 if a.shape()[1] > 0 => {
            let channels = a.shape()[1] as f32;
            Ok(a.axis_iter(Axis(0))
                .map(|frame| frame.iter().map(|&v| to_f32(v)).sum::<f32>() / channels)
                .collect())
        }
        _ => Err(PyValueError::new_err(format!(
            "samples: expected shape (frames,) or (frames, channels), not {:?}",
            a.shape()
        ))),
    }
}

/// Analyses `paths` as the library's batch does (`jobs` at once, a ledger at `out` resumed or
/// started afresh, only the inputs of `shard` "K/N" when given, short recordings sharing whisper
/// windows unless `pack` is false), calling `on_entry` with each report or error record (JSON text) as it
/// finishes. Returns the run's summary as JSON text. `cancel` is polled between files: set it
/// (`stop()`) to end the run early.
#[pyfunction]
#[pyo3(signature = (analyzer, paths, *, jobs, out=None, resume=false, overwrite=false, shard=None, pack=true, on_entry, cancel))]
#[allow(clippy::too_many_arguments)]
fn run_batch(
    py: Python<'_>,
    analyzer: &Analyzer,
    paths: Vec<PathBuf>,
    jobs: usize,
    out: Option<PathBuf>,
    resume: bool,
    overwrite: bool,
    shard: Option<&str>,
    pack: bool,
    on_entry: Py<PyAny>,
    cancel: &Stop,
) -> PyResult<String> {
    if jobs == 0 {
        return Err(PyValueError::new_err("jobs: give 1 or more"));
    }
    let shard = shard
        .map(|s| s.parse::<batch::Shard>())
        .transpose()
        .map_err(|e| PyValueError::new_err(format!("shard: {e}")))?;
    let inputs = batch::expand(&paths).map_err(to_py)?;
    let flag = cancel.flag.clone();
    let summary = py.detach(|| {
        let mut run = Batch::new(&analyzer.inner)
            .jobs(jobs)
            .pack(pack)
            .overwrite(overwrite)
            .cancel_on(flag.clone())
            .on_entry(|entry: &Entry| {
                let line = entry.to_json().to_string();
                let stopped = Python::attach(|py| on_entry.call1(py, (line,)).is_err());
                if stopped {
                    flag.store(true, Ordering::SeqCst);
                }
            });
        if let Some(path) = out {
            run = run.ledger(path, resume);
        }
        if let Some(shard) = shard {
            run = run.shard(shard);
        }
        run.run(&inputs)
    });
    let summary = summary.map_err(to_py)?;
    Ok(serde_json::json!({
        "analysed": summary.analysed,
        "skipped": summary.skipped,
        "failed": summary.failed,
        "cancelled": summary.cancelled,
        "no_speech": summary.no_speech,
        "no_transcript": summary.no_transcript,
        "notices": summary.notices,
    })
    .to_string())
}

/// A flag a batch polls between files; `stop()` sets it.
#[pyclass(frozen, module = "voicemail_coach._native")]
struct Stop {
    flag: Arc<AtomicBool>,
}

#[pymethods]
impl Stop {
    #[new]
    fn new() -> Self {
        Stop {
            flag: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Ends the run after the files under way.
    fn stop(&self) {
        self.flag.store(true, Ordering::SeqCst);
    }
}

/// Entries (JSON text, as the binary and `analyze` give them) as the rows of the binary's CSV,
/// typed (numbers, `null`), as JSON text.
#[pyfunction]
fn rows_of(entries: Vec<String>) -> PyResult<String> {
    let parsed = entries
        .iter()
        .enumerate()
        .map(|(i, text)| {
            serde_json::from_str(text)
                .ok()
                .and_then(Entry::from_json)
                .ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "reports[{i}]: not a report or an error record of this package"
                    ))
                })
        })
        .collect::<PyResult<Vec<Entry>>>()?;
    serde_json::to_string(&batch::rows(&parsed))
        .map_err(|e| VoicemailCoachError::new_err(e.to_string()))
}

/// The rulebook at `path`, or the default one.
fn book_at(path: Option<PathBuf>) -> PyResult<Rulebook> {
    path.map_or_else(
        || Ok(Rulebook::default()),
        |p| Rulebook::from_path(p).map_err(to_py),
    )
}

/// Judges messages to one prospect (reports as JSON text, oldest first) as a campaign. Returns
/// `{"campaign": ..., "reports": [...]}` as JSON text, the reports re-judged.
#[pyfunction]
#[pyo3(signature = (reports, *, rulebook=None))]
fn campaign_of(reports: Vec<String>, rulebook: Option<PathBuf>) -> PyResult<String> {
    let book = book_at(rulebook)?;
    let mut parsed: Vec<report::Report> = reports
        .iter()
        .enumerate()
        .map(|(i, text)| {
            serde_json::from_str(text).map_err(|e| {
                PyValueError::new_err(format!("reports[{i}]: not a report of this package: {e}"))
            })
        })
        .collect::<PyResult<_>>()?;
    let c = campaign::evaluate(&mut parsed, &book, &Context::new());
    let mut v = serde_json::json!({ "campaign": c, "reports": parsed });
    report::round_figures(&mut v);
    Ok(v.to_string())
}

/// A report (JSON text) as a Praat TextGrid (`"textgrid"`) or WebVTT captions (`"webvtt"`).
#[pyfunction]
fn timeline_of(report: &str, kind: &str) -> PyResult<String> {
    let parsed: report::Report = serde_json::from_str(report)
        .map_err(|e| PyValueError::new_err(format!("not a report of this package: {e}")))?;
    match kind {
        "textgrid" => Ok(annotation::textgrid(&parsed)),
        "webvtt" => Ok(annotation::webvtt(&parsed)),
        other => Err(PyValueError::new_err(format!(
            "unknown timeline kind {other:?}"
        ))),
    }
}

/// The rulebook in force (the default one, or the one at `path`) as JSON text.
#[pyfunction]
#[pyo3(signature = (path=None))]
fn rulebook_of(path: Option<PathBuf>) -> PyResult<String> {
    let book = book_at(path)?;
    serde_json::to_string(&book).map_err(|e| VoicemailCoachError::new_err(e.to_string()))
}

/// Times (s), F0 (Hz, 0 where unvoiced) and periodicity of the recording at `path`, tracked as
/// the analyzer tracks it (on its 8 kHz copy, with the default pitch options).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn pitch_track<'py>(
    py: Python<'py>,
    path: PathBuf,
) -> PyResult<(
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f32>>,
    Bound<'py, PyArray1<f32>>,
)> {
    let track = py.detach(|| -> voicemail_coach::Result<_> {
        let audio = audio::decode_path(&path, &Default::default())?;
        let tracker =
            voicemail_coach::PitchTracker::new(audio::NARROW_RATE_HZ, Default::default())?;
        Ok(tracker.track(&audio.narrow_band()))
    });
    let track = track.map_err(to_py)?;
    let times: Vec<f64> = (0..track.f0_hz.len())
        .map(|i| i as f64 * track.hop_s)
        .collect();
    Ok((
        times.into_pyarray(py),
        track.f0_hz.into_pyarray(py),
        track.periodicity.into_pyarray(py),
    ))
}

/// The number of cores the batch shares out (`jobs` × whisper threads).
#[pyfunction]
fn cores() -> usize {
    batch::cores()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Analyzer>()?;
    m.add_class::<Stop>()?;
    m.add_function(wrap_pyfunction!(run_batch, m)?)?;
    m.add_function(wrap_pyfunction!(rows_of, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(campaign_of, m)?)?;
    m.add_function(wrap_pyfunction!(rulebook_of, m)?)?;
    m.add_function(wrap_pyfunction!(timeline_of, m)?)?;
    m.add_function(wrap_pyfunction!(pitch_track, m)?)?;
    m.add_function(wrap_pyfunction!(cores, m)?)?;
    m.add("VoicemailCoachError", py.get_type::<VoicemailCoachError>())?;
    m.add("UnsupportedFormat", py.get_type::<UnsupportedFormat>())?;
    m.add("DamagedRecording", py.get_type::<DamagedRecording>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("InvalidOptions", py.get_type::<InvalidOptions>())?;
    Ok(())
}
