//! Analyse voicemail recordings and print a report per file.
//!
//! ```text
//! cargo run --release --example analyze -- [OPTIONS] <WAV>...
//! ```
//! Exit status: 0 when every input was analysed, 1 when any failed (the others are still
//! reported), 2 for a usage error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use voicemail_coach::report::Report;
use voicemail_coach::{Analyzer, ErrorRecord, Options, RateOptions};

/// Measure recorded voicemails: length, pauses, speaking rate, pitch.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// WAV files to analyse.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print one JSON report per input, one per line.
    #[arg(long)]
    json: bool,
    /// Acoustic analysis only (no transcript).
    #[arg(long)]
    no_transcribe: bool,
    /// A whisper.cpp ggml model (default: $VOICEMAIL_COACH_MODEL, else the cache path that
    /// scripts/fetch-model fills).
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// Threads for transcription (capped at the machine's cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Decoder beam width (1 = greedy).
    #[arg(long, default_value_t = 5)]
    beam_size: usize,
    /// Refuse recordings longer than this many seconds.
    #[arg(long, default_value_t = 1800.0)]
    max_duration: f64,
    /// Shortest silence inside speech that counts as a pause, seconds.
    #[arg(long, default_value_t = 0.3)]
    min_pause: f64,
    /// Vowel band for syllable nuclei, low edge, Hz.
    #[arg(long, default_value_t = RateOptions::default().band_low_hz)]
    band_low: f64,
    /// Vowel band for syllable nuclei, high edge, Hz.
    #[arg(long, default_value_t = RateOptions::default().band_high_hz)]
    band_high: f64,
    /// Prominence a syllable peak needs, dB.
    #[arg(long, default_value_t = RateOptions::default().min_prominence_db)]
    min_prominence: f64,
    /// Shortest time between two syllable nuclei, seconds.
    #[arg(long, default_value_t = RateOptions::default().min_gap_s)]
    min_gap: f64,
    /// Envelope smoothing window for syllable nuclei, seconds.
    #[arg(long, default_value_t = RateOptions::default().smoothing_s)]
    smoothing: f64,
    /// Number of bands of the syllable envelope.
    #[arg(long, default_value_t = RateOptions::default().bands)]
    bands: usize,
    /// How many of the loudest bands the syllable envelope averages.
    #[arg(long, default_value_t = RateOptions::default().top_bands)]
    top_bands: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut options = Options::default();
    options.decode.max_duration_s = args.max_duration;
    options.prosody.min_pause_s = args.min_pause;
    options.rate.band_low_hz = args.band_low;
    options.rate.band_high_hz = args.band_high;
    options.rate.min_prominence_db = args.min_prominence;
    options.rate.min_gap_s = args.min_gap;
    options.rate.smoothing_s = args.smoothing;
    options.rate.bands = args.bands;
    options.rate.top_bands = args.top_bands;
    let analyzer = match Analyzer::new(options) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let analyzer = with_transcription(analyzer, &args);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for path in &args.files {
        let name = path.display().to_string();
        let line = match analyzer.analyze_path(path) {
            Ok(report) => {
                if args.json {
                    serde_json::to_string(&report).map_err(|e| e.to_string())
                } else {
                    Ok(human(&report))
                }
            }
            Err(e) => {
                failed = true;
                if args.json {
                    serde_json::to_string(&ErrorRecord::new(name.clone(), &e))
                        .map_err(|e| e.to_string())
                } else {
                    eprintln!("error: {e}");
                    continue;
                }
            }
        };
        let written = match line {
            Ok(l) => writeln!(out, "{l}"),
            Err(e) => {
                failed = true;
                eprintln!("error: {name}: could not serialise the report: {e}");
                continue;
            }
        };
        if written.is_err() {
            // Stdout closed (e.g. piped into `head`): nothing more to do.
            return ExitCode::from(1);
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Adds a transcriber unless told not to; a missing or bad model leaves the acoustic analysis.
#[cfg(feature = "transcribe")]
fn with_transcription(analyzer: Analyzer, args: &Args) -> Analyzer {
    use voicemail_coach::transcribe::{default_model_path, TranscribeOptions, Transcriber};
    if args.no_transcribe {
        return analyzer;
    }
    let Some(path) = args.model.clone().or_else(default_model_path) else {
        eprintln!("note: no model given and no cache directory known; acoustic analysis only");
        return analyzer;
    };
    if args.model.is_none() && !path.exists() {
        eprintln!(
            "note: no whisper model at {} (run scripts/fetch-model, or pass --model); \
             acoustic analysis only",
            path.display()
        );
        return analyzer;
    }
    let mut options = TranscribeOptions::default();
    options.threads = args.threads;
    options.beam_size = args.beam_size;
    match Transcriber::new(&path, options) {
        Ok(t) => analyzer.with_transcriber(t),
        Err(e) => {
            eprintln!("note: {e}; acoustic analysis only");
            analyzer
        }
    }
}

#[cfg(not(feature = "transcribe"))]
fn with_transcription(analyzer: Analyzer, args: &Args) -> Analyzer {
    if !args.no_transcribe || args.model.is_some() {
        eprintln!("note: built without the `transcribe` feature; acoustic analysis only");
    }
    analyzer
}

fn opt(v: Option<f64>, unit: &str, digits: usize) -> String {
    match v {
        Some(x) => format!("{x:.digits$} {unit}"),
        None => "n/a".to_string(),
    }
}

fn human(r: &Report) -> String {
    let s = &r.speech;
    let span = match (s.start_s, s.end_s) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let p = &r.pitch.summary;
    let rising = r
        .pitch
        .phrases
        .iter()
        .filter(|ph| ph.terminal_st.is_some_and(|t| t > 2.0))
        .count();
    let judged = r
        .pitch
        .phrases
        .iter()
        .filter(|ph| ph.terminal_st.is_some())
        .count();
    let mut o = String::new();
    o += &format!("== {}\n", r.file);
    o += &format!(
        "audio     {} Hz, {} ch, {}, {:.2} s\n",
        r.audio.sample_rate_hz, r.audio.channels, r.audio.encoding, r.audio.duration_s
    );
    o += &format!(
        "speech    {} (from {} to {}), leading silence {}, trailing {}\n",
        opt(span, "s", 2),
        opt(s.start_s, "s", 2),
        opt(s.end_s, "s", 2),
        opt(s.leading_silence_s, "s", 2),
        opt(s.trailing_silence_s, "s", 2)
    );
    o += &format!(
        "pauses    {} of >= the minimum, phonation {}\n",
        s.pauses.len(),
        opt(s.phonation_s, "s", 2)
    );
    o += &format!(
        "rate      {} syllables, {} over the span, {} articulation\n",
        r.rate.syllables,
        opt(r.rate.speech_rate_sps, "syll/s", 2),
        opt(r.rate.articulation_rate_sps, "syll/s", 2)
    );
    o += &format!(
        "pitch     median {}, p10-p90 {}-{}, range {}, stdev {}, voiced {}\n",
        opt(p.median_hz, "Hz", 0),
        opt(p.p10_hz, "", 0).trim_end(),
        opt(p.p90_hz, "Hz", 0),
        opt(p.range_st, "st", 1),
        opt(p.stdev_st, "st", 1),
        opt(p.voiced_fraction.map(|v| v * 100.0), "%", 0)
    );
    o += &format!("endings   {rising} of {judged} phrase endings rise by more than 2 st\n");
    o += &format!(
        "level     speech {}, background {}, peak {}, {} clipped runs\n",
        opt(r.level.speech_dbfs, "dBFS", 1),
        opt(r.level.background_dbfs, "dBFS", 1),
        opt(r.level.peak_dbfs, "dBFS", 1),
        r.level.clipped_runs
    );
    match &r.transcript {
        Some(t) => {
            o += &format!(
                "words     {} words, {}\n",
                t.words.len(),
                opt(r.rate.words_per_minute, "per minute", 0)
            );
            o += &format!("text      {}\n", t.text);
        }
        None => o += "text      (no transcript)\n",
    }
    for n in &r.notices {
        o += &format!("note      {n}\n");
    }
    o += &format!(
        "time      decode {:.1} ms, pitch {:.1} ms, rate {:.1} ms, transcribe {}, total {:.1} ms",
        r.timings_ms.decode,
        r.timings_ms.pitch,
        r.timings_ms.rate,
        opt(r.timings_ms.transcribe, "ms", 1),
        r.timings_ms.total
    );
    o
}
