//! Analyse voicemail recordings and print a report per file.
//!
//! ```text
//! cargo run --release --example analyze -- [OPTIONS] <WAV>...
//! ```
//! Exit status: 0 when every input was analysed, 1 when any failed (the others are still
//! reported), 2 for a usage error (including a bad rulebook or expected number).
//!
//! With `--campaign` the files are messages to one prospect, oldest first: each report after
//! the first carries its `campaign.variation` verdict against the one before, and a summary
//! follows (with `--json`, one more line: `{"campaign": {...}}`).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use clap::Parser;
use rayon::prelude::*;
use serde_json::Value;
use voicemail_coach::campaign::{self, Campaign};
use voicemail_coach::error::Source;
use voicemail_coach::report::{clock, Advice, Report, Verdict};
use voicemail_coach::rules::WERTH;
use voicemail_coach::{Analyzer, Context, Error, ErrorRecord, Options, RateOptions, Rulebook};

/// Judge recorded sales voicemails against the trainers' advice: length, pace, name and number,
/// pitch, content.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Recordings to analyse (WAV, MP3, M4A, Ogg Vorbis/Opus, FLAC...: read by content); a
    /// folder stands for every recording below it (recursively, by extension: wav, mp3, m4a,
    /// mp4, aac, ogg, oga, opus, flac, gsm, amr), `-` for a list of paths on standard input, one
    /// per line.
    #[arg(required_unless_present = "print_rulebook")]
    files: Vec<PathBuf>,
    /// Files analysed at once (default: the machine's cores). The model is loaded once and
    /// shared; each file gets its own whisper state and cores / jobs transcription threads.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Also write every result as a JSON line to FILE (appended to with --resume).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Skip the inputs --out already holds a line for (same path, size and modification time).
    #[arg(long, requires = "out")]
    resume: bool,
    /// No progress bar (there is none either when standard error is not a terminal).
    #[arg(long, short)]
    quiet: bool,
    /// Write a self-contained HTML report (inline SVG, the recording embedded) to FILE: the
    /// page of the one input, or for several inputs an index page with a row per file linking
    /// to each file's page (written into the folder FILE's stem + `-files` beside it).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Write a CSV summary, one row per analysed file: headline figures and verdict counts.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// The callback number the caller meant to leave (any notation, e.g. 850-936-7028).
    #[arg(long, value_name = "DIGITS")]
    expect_number: Option<String>,
    /// The caller's name, to find where it is said even when the transcript mishears it.
    #[arg(long, value_name = "NAME")]
    caller_name: Option<String>,
    /// The caller's usual median pitch, Hz (judges `pitch.baseline`).
    #[arg(long, value_name = "HZ")]
    pitch_baseline: Option<f64>,
    /// A rulebook (TOML, or JSON by the .json extension) overriding thresholds or switching
    /// rules off.
    #[arg(long, value_name = "FILE")]
    rulebook: Option<PathBuf>,
    /// Print the rulebook in force (defaults, or --rulebook's) as TOML and exit.
    #[arg(long)]
    print_rulebook: bool,
    /// The files are successive messages to one prospect, oldest first: judge their variation.
    #[arg(long)]
    campaign: bool,
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
    /// Take callback numbers as the transcript has them, without the second, digit-only
    /// reading (faster; no confidence beyond the transcriber's word probabilities).
    #[arg(long)]
    read_numbers_once: bool,
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
    let rulebook = match &args.rulebook {
        Some(path) => match Rulebook::from_path(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => Rulebook::default(),
    };
    if args.print_rulebook {
        print!("{}", rulebook.to_toml());
        return ExitCode::SUCCESS;
    }
    let ctx = match context(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
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
    options.rulebook = rulebook;
    let analyzer = match Analyzer::new(options) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let inputs = match gather(&args.files) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let analyzer = with_transcription(analyzer, &args, jobs);
    let mut previous: Vec<Value> = Vec::new();
    let mut done: HashSet<(String, u64, u64)> = HashSet::new();
    if let (true, Some(path)) = (args.resume, &args.out) {
        previous = read_lines(path);
        done = previous.iter().filter_map(stamp_key).collect();
    }
    let out_file = match &args.out {
        Some(path) => match std::fs::OpenOptions::new()
            .create(true)
            .append(args.resume)
            .write(true)
            .truncate(!args.resume)
            .open(path)
        {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let input_index: HashMap<String, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.display().to_string(), i))
        .collect();
    // With --resume and --html, the files done before are on the pages too.
    let mut earlier: Vec<(usize, Report)> = Vec::new();
    let mut earlier_errors: Vec<(usize, ErrorRecord)> = Vec::new();
    if args.html.is_some() {
        for v in &previous {
            let Some(&i) = v
                .get("file")
                .and_then(Value::as_str)
                .and_then(|f| input_index.get(f))
            else {
                continue;
            };
            if v.get("error").is_some() {
                if let Ok(e) = serde_json::from_value::<ErrorRecord>(v.clone()) {
                    earlier_errors.push((i, e));
                }
            } else if let Ok(r) = serde_json::from_value::<Report>(v.clone()) {
                earlier.push((i, r));
            }
        }
    }
    let todo: Vec<(usize, PathBuf, Stamp)> = inputs
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let st = Stamp::of(&p);
            (i, p, st)
        })
        .filter(|(_, p, st)| {
            !done.contains(&(p.display().to_string(), st.size_bytes, st.modified_ns))
        })
        .collect();
    let sink = Mutex::new(Sink {
        stdout: std::io::stdout(),
        out_file,
        failed: false,
        closed: false,
        rows: Vec::new(),
        kept: Vec::new(),
        errors: Vec::new(),
    });
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // Ctrl-C stops new files from starting; those under way finish their lines.
    static INTERRUPTED: AtomicBool = AtomicBool::new(false);
    if let Err(e) = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst)) {
        eprintln!("note: Ctrl-C cannot be caught ({e}); an interrupted run may cut a line");
    }
    let progress = progress_bar(todo.len(), args.quiet);
    pool.install(|| {
        todo.par_iter().for_each(|(index, path, stamp)| {
            if INTERRUPTED.load(Ordering::SeqCst) || sink.lock().is_ok_and(|s| s.closed) {
                return;
            }
            let result = analyze_input(&analyzer, path, &ctx);
            let Ok(mut sink) = sink.lock() else { return };
            progress.suspend(|| sink.take(*index, path, stamp, result, &args));
            progress.inc(1);
        })
    });
    progress.finish_and_clear();
    if INTERRUPTED.load(Ordering::SeqCst) {
        eprintln!(
            "interrupted: {} of {} files done",
            progress.position(),
            todo.len()
        );
        return ExitCode::from(130);
    }
    let Ok(sink) = sink.into_inner() else {
        return ExitCode::from(1);
    };
    if sink.closed {
        return ExitCode::from(1);
    }
    let mut failed = sink.failed;
    if let Some(path) = &args.csv {
        let mut rows: Vec<Value> = previous;
        rows.extend(sink.rows);
        if let Err(e) = write_csv(path, &rows) {
            eprintln!("error: {}: {e}", path.display());
            failed = true;
        }
    }
    let mut kept = sink.kept;
    kept.sort_by_key(|(i, _)| *i);
    let (order, mut kept): (Vec<usize>, Vec<Report>) = kept.into_iter().unzip();
    let summary = args
        .campaign
        .then(|| campaign::evaluate(&mut kept, &analyzer.options().rulebook));
    if let Some(target) = &args.html {
        let single =
            args.files.len() == 1 && !args.files[0].is_dir() && args.files[0] != Path::new("-");
        let mut reports: Vec<(usize, &Report)> = order.iter().copied().zip(kept.iter()).collect();
        reports.extend(earlier.iter().map(|(i, r)| (*i, r)));
        reports.sort_by_key(|(i, _)| *i);
        let mut errors = sink.errors;
        errors.extend(earlier_errors);
        if let Err(e) = pool.install(|| {
            write_html(
                target,
                single,
                &reports,
                &errors,
                &analyzer.options().decode,
            )
        }) {
            eprintln!("error: {}: {e}", target.display());
            failed = true;
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Some(summary) = summary {
        for report in &kept {
            if !emit(
                &mut out,
                &report.file,
                render(report, args.json),
                &mut failed,
            ) {
                return ExitCode::from(1);
            }
        }
        let line = if args.json {
            serde_json::to_string(&serde_json::json!({ "campaign": summary }))
                .map_err(|e| e.to_string())
        } else {
            Ok(human_campaign(&summary))
        };
        if !emit(&mut out, "campaign", line, &mut failed) {
            return ExitCode::from(1);
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A progress bar on standard error (count, rate, time left), hidden with `quiet` or when
/// standard error is not a terminal.
fn progress_bar(len: usize, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// Expands the inputs: folders into their recordings (recursively, sorted, by
/// `audio::EXTENSIONS`), `-` into the paths on standard input. A folder with no recordings in it
/// and a path that does not exist stay in the list, to be reported as errors.
fn gather(args: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out)?;
            } else if voicemail_coach::audio::is_recording(&p) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for a in args {
        if a.as_os_str() == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line.map_err(|e| format!("standard input: {e}"))?;
                let line = line.trim();
                if !line.is_empty() {
                    out.push(PathBuf::from(line));
                }
            }
        } else if a.is_dir() {
            let before = out.len();
            walk(a, &mut out)?;
            if out.len() == before {
                out.push(a.clone());
            }
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

/// Analyses one input; a folder (one with no recordings, as `gather` left it) or a path that does
/// not exist is an error saying so.
fn analyze_input(
    analyzer: &Analyzer,
    path: &Path,
    ctx: &Context,
) -> voicemail_coach::Result<Report> {
    let reason = if path.is_dir() {
        Some(format!(
            "no files ending in .{} in the folder",
            voicemail_coach::audio::EXTENSIONS.join(", .")
        ))
    } else if !path.exists() {
        Some("no such file or folder".to_string())
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::NoRecordings {
            file: Source(Some(path.to_path_buf())),
            reason,
        }),
        None => analyzer.analyze_path_with(path, ctx),
    }
}

/// What identifies an input for --resume: its size and modification time.
#[derive(Debug, Clone, Copy, Default)]
struct Stamp {
    size_bytes: u64,
    modified_ns: u64,
}

impl Stamp {
    fn of(path: &Path) -> Self {
        let Ok(meta) = std::fs::metadata(path) else {
            return Self::default();
        };
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        Self {
            size_bytes: meta.len(),
            modified_ns,
        }
    }
}

/// The resume key of a line written to --out.
fn stamp_key(line: &Value) -> Option<(String, u64, u64)> {
    Some((
        line.get("file")?.as_str()?.to_string(),
        line.pointer("/input/size_bytes")?.as_u64()?,
        line.pointer("/input/modified_ns")?.as_u64()?,
    ))
}

/// The JSON lines of an earlier --out file (a missing file holds none; a torn last line is
/// skipped).
fn read_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Where finished files go, one at a time.
struct Sink {
    stdout: std::io::Stdout,
    out_file: Option<std::fs::File>,
    failed: bool,
    /// Standard output was closed: stop.
    closed: bool,
    /// The lines written this run, for the CSV.
    rows: Vec<Value>,
    /// Reports kept for the campaign (printed once all are judged) and the HTML pages.
    kept: Vec<(usize, Report)>,
    /// Error records kept for the HTML index.
    errors: Vec<(usize, ErrorRecord)>,
}

impl Sink {
    fn take(
        &mut self,
        index: usize,
        path: &Path,
        stamp: &Stamp,
        result: voicemail_coach::Result<Report>,
        args: &Args,
    ) {
        let name = path.display().to_string();
        let value = match &result {
            Ok(r) => serde_json::to_value(r),
            Err(e) => serde_json::to_value(ErrorRecord::new(name.clone(), e)),
        };
        let mut value = match value {
            Ok(v) => v,
            Err(e) => {
                self.failed = true;
                eprintln!("error: {name}: could not serialise the report: {e}");
                return;
            }
        };
        if let Some(obj) = value.as_object_mut() {
            obj.insert(
                "input".into(),
                serde_json::json!({"size_bytes": stamp.size_bytes, "modified_ns": stamp.modified_ns}),
            );
        }
        let line = value.to_string();
        if let Some(f) = self.out_file.as_mut() {
            // One write per line: an interrupted run leaves whole lines only.
            if let Err(e) = f.write_all(format!("{line}\n").as_bytes()) {
                eprintln!(
                    "error: {}: {e}",
                    args.out.as_deref().unwrap_or(Path::new("")).display()
                );
                self.failed = true;
            }
        }
        match result {
            Ok(report) => {
                self.rows.push(value);
                if !args.campaign {
                    let text = if args.json { line } else { human(&report) };
                    if writeln!(self.stdout.lock(), "{text}").is_err() {
                        self.closed = true;
                    }
                }
                if args.campaign || args.html.is_some() {
                    self.kept.push((index, report));
                }
            }
            Err(e) => {
                self.failed = true;
                if args.html.is_some() {
                    self.errors
                        .push((index, ErrorRecord::new(name.clone(), &e)));
                }
                if args.json {
                    if writeln!(self.stdout.lock(), "{line}").is_err() {
                        self.closed = true;
                    }
                } else {
                    eprintln!("error: {e}");
                }
            }
        }
    }
}

/// Writes the HTML report: one page for a single input, else an index page and one page per
/// file. The recordings are decoded again for their waveform and player (the reports do not
/// keep the audio, so a batch's memory stays flat).
#[cfg(feature = "html")]
fn write_html(
    target: &Path,
    single: bool,
    reports: &[(usize, &Report)],
    errors: &[(usize, ErrorRecord)],
    decode: &voicemail_coach::DecodeOptions,
) -> Result<(), String> {
    use voicemail_coach::html::{self, HtmlOptions, IndexEntry};
    let page_of = |report: &Report| -> String {
        let audio = voicemail_coach::audio::decode_path(&report.file, decode).ok();
        html::render(report, audio.as_ref(), &HtmlOptions::default())
    };
    if let ([(_, report)], true) = (reports, single) {
        return std::fs::write(target, page_of(report)).map_err(|e| e.to_string());
    }
    let stem = target
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let folder_name = format!("{stem}-files");
    let folder = target.with_file_name(&folder_name);
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    // Page names from the inputs' file names (numbered when two share one), so a rerun writes
    // the same names.
    let mut taken = HashSet::new();
    let names: Vec<String> = reports
        .iter()
        .map(|(_, r)| {
            let file = Path::new(&r.file).file_stem().unwrap_or_default();
            let base: String = file
                .to_string_lossy()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let mut name = format!("{base}.html");
            let mut k = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{k}.html");
                k += 1;
            }
            name
        })
        .collect();
    reports
        .par_iter()
        .zip(names.par_iter())
        .try_for_each(|((_, report), name)| {
            let path = folder.join(name);
            std::fs::write(&path, page_of(report)).map_err(|e| format!("{}: {e}", path.display()))
        })?;
    let links: Vec<String> = names.iter().map(|n| format!("{folder_name}/{n}")).collect();
    let mut entries: Vec<(usize, IndexEntry<'_>)> = reports
        .iter()
        .zip(&links)
        .map(|((i, report), page)| (*i, IndexEntry::Report { report, page }))
        .collect();
    entries.extend(errors.iter().map(|(i, e)| (*i, IndexEntry::Error(e))));
    entries.sort_by_key(|(i, _)| *i);
    let entries: Vec<IndexEntry<'_>> = entries.into_iter().map(|(_, e)| e).collect();
    let page = html::render_index(&format!("Voicemails: {stem}"), &entries);
    std::fs::write(target, page).map_err(|e| e.to_string())
}

#[cfg(not(feature = "html"))]
fn write_html(
    _target: &Path,
    _single: bool,
    _reports: &[(usize, &Report)],
    _errors: &[(usize, ErrorRecord)],
    _decode: &voicemail_coach::DecodeOptions,
) -> Result<(), String> {
    Err("built without the `html` feature; no HTML report written".into())
}

/// One CSV field, quoted when it needs to be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The CSV summary of report lines (error records are left out): one row per file.
fn write_csv(path: &Path, lines: &[Value]) -> std::io::Result<()> {
    let mut o = String::from(
        "file,duration_s,speech_s,words_per_minute,articulation_rate_sps,median_pitch_hz,\
         number,digits_per_second,fail,warn,pass,not_applicable\n",
    );
    let num = |v: Option<&Value>| {
        v.and_then(Value::as_f64)
            .map_or(String::new(), |x| format!("{x:.3}"))
    };
    for l in lines.iter().filter(|l| l.get("error").is_none()) {
        let count = |verdict: &str| {
            l.get("advice")
                .and_then(Value::as_array)
                .map_or(0, |a| a.iter().filter(|x| x["verdict"] == verdict).count())
        };
        let speech = match (
            l.pointer("/speech/start_s").and_then(Value::as_f64),
            l.pointer("/speech/end_s").and_then(Value::as_f64),
        ) {
            (Some(a), Some(b)) => format!("{:.3}", b - a),
            _ => String::new(),
        };
        let fields = [
            csv_field(l["file"].as_str().unwrap_or("")),
            num(l.pointer("/audio/duration_s")),
            speech,
            num(l.pointer("/rate/words_per_minute")),
            num(l.pointer("/rate/articulation_rate_sps")),
            num(l.pointer("/pitch/median_hz")),
            csv_field(
                l.pointer("/phone_numbers/0/digits")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            ),
            num(l.pointer("/phone_numbers/0/digits_per_second")),
            count("fail").to_string(),
            count("warn").to_string(),
            count("pass").to_string(),
            count("not_applicable").to_string(),
        ];
        o += &fields.join(",");
        o.push('\n');
    }
    std::fs::write(path, o)
}

/// The facts given on the command line.
fn context(args: &Args) -> voicemail_coach::Result<Context> {
    let mut ctx = Context::new();
    if let Some(n) = &args.expect_number {
        ctx = ctx.expect_number(n)?;
    }
    if let Some(name) = &args.caller_name {
        ctx = ctx.caller_name(name.clone());
    }
    if let Some(hz) = args.pitch_baseline {
        ctx = ctx.pitch_baseline_hz(hz)?;
    }
    Ok(ctx)
}

fn render(report: &Report, json: bool) -> Result<String, String> {
    if json {
        serde_json::to_string(report).map_err(|e| e.to_string())
    } else {
        Ok(human(report))
    }
}

/// Writes one output line; false when stdout is closed (e.g. piped into `head`).
fn emit(out: &mut impl Write, name: &str, line: Result<String, String>, failed: &mut bool) -> bool {
    match line {
        Ok(l) => writeln!(out, "{l}").is_ok(),
        Err(e) => {
            *failed = true;
            eprintln!("error: {name}: could not serialise the report: {e}");
            true
        }
    }
}

/// Adds a transcriber unless told not to; a missing or bad model leaves the acoustic analysis.
#[cfg(feature = "transcribe")]
fn with_transcription(analyzer: Analyzer, args: &Args, jobs: usize) -> Analyzer {
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
    // Jobs share the cores: each transcription gets its share unless told otherwise.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    options.threads = args.threads.or(Some((cores / jobs).max(1)));
    options.beam_size = args.beam_size;
    options.read_numbers_twice = !args.read_numbers_once;
    match Transcriber::new(&path, options) {
        Ok(t) => analyzer.with_transcriber(t),
        Err(e) => {
            eprintln!("note: {e}; acoustic analysis only");
            analyzer
        }
    }
}

#[cfg(not(feature = "transcribe"))]
fn with_transcription(analyzer: Analyzer, args: &Args, _jobs: usize) -> Analyzer {
    if !args.no_transcribe || args.model.is_some() {
        eprintln!("note: built without the `transcribe` feature; acoustic analysis only");
    }
    analyzer
}

/// The unclear digits and other readings of a number, for the readable report.
fn unsure(n: &voicemail_coach::report::PhoneNumber) -> String {
    let mut o = String::new();
    if !n.unclear_digits.is_empty() {
        let at: Vec<String> = n
            .unclear_digits
            .iter()
            .map(|i| (i + 1).to_string())
            .collect();
        o += &format!(", unclear digit(s) {}", at.join(", "));
    }
    if !n.alternatives.is_empty() {
        let alt: Vec<&str> = n.alternatives.iter().map(|a| a.digits.as_str()).collect();
        o += &format!(", may also be {}", alt.join(" or "));
    }
    o
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
    o += &verdicts(&r.advice);
    o += &details(r);
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
    o += &format!(
        "\n(Some trainers would not leave this message at all: {WERTH}, argues for calling back\n\
         instead of leaving voicemail.)"
    );
    o
}

/// The verdicts, worst first: what to change, with the times to listen to, then what passed.
fn verdicts(advice: &[Advice]) -> String {
    let mut sorted: Vec<&Advice> = advice.iter().collect();
    // Stable: within a verdict, the rulebook's order (most important first).
    sorted.sort_by_key(|a| std::cmp::Reverse(a.verdict.severity()));
    let mut o = String::new();
    let to_fix = sorted
        .iter()
        .filter(|a| matches!(a.verdict, Verdict::Fail | Verdict::Warn))
        .count();
    if to_fix == 0 {
        o += "verdict   nothing to change: every rule that could be judged passes\n";
    } else {
        o += &format!("verdict   {to_fix} thing(s) to change, most important first:\n");
    }
    for a in sorted
        .iter()
        .filter(|a| matches!(a.verdict, Verdict::Fail | Verdict::Warn))
    {
        let tag = if a.verdict == Verdict::Fail {
            "FAIL"
        } else {
            "warn"
        };
        o += &format!("  {tag} {:<24} {}\n", a.rule, a.message);
        let listen: Vec<String> = a
            .evidence
            .iter()
            .take(4)
            .map(|s| format!("{}-{}", clock(s.start_s), clock(s.end_s)))
            .collect();
        let mut line = format!("       target: {}", a.target);
        if !listen.is_empty() {
            line += &format!("; listen at {}", listen.join(", "));
        }
        o += &format!("{line}\n       source: {}\n", a.source);
    }
    let passed: Vec<&str> = sorted
        .iter()
        .filter(|a| a.verdict == Verdict::Pass)
        .map(|a| a.rule.as_str())
        .collect();
    if !passed.is_empty() {
        o += &format!("  pass {}\n", passed.join(", "));
    }
    let na: Vec<&str> = sorted
        .iter()
        .filter(|a| a.verdict == Verdict::NotApplicable)
        .map(|a| a.rule.as_str())
        .collect();
    if !na.is_empty() {
        o += &format!("  n/a  {}\n", na.join(", "));
    }
    o
}

/// The name, the numbers and their pacing.
fn details(r: &Report) -> String {
    let mut o = String::new();
    if let Some(i) = &r.introduction {
        o += &format!(
            "name      \"{}\" at {}-{}, {}\n",
            i.name,
            clock(i.start_s),
            clock(i.end_s),
            opt(r.pacing.name_sps, "syll/s", 1)
        );
    }
    for n in &r.phone_numbers {
        let groups: Vec<String> = n.groups.iter().map(|g| g.digits.clone()).collect();
        let gaps: Vec<String> = n.group_gaps_s.iter().map(|g| format!("{g:.2}")).collect();
        o += &format!(
            "number    {} (\"{}\") at {}-{}, {:.1} digits/s, groups {}{}{}\n",
            n.digits,
            n.text,
            clock(n.start_s),
            clock(n.end_s),
            n.digits_per_second,
            groups.join("-"),
            if gaps.is_empty() {
                String::new()
            } else {
                format!(" with pauses {} s", gaps.join(", "))
            },
            match n.matches_expected {
                Some(true) => ", as expected".to_string(),
                Some(false) => format!(
                    ", NOT the expected number ({} digit(s) differ)",
                    n.differences.len()
                ),
                None => String::new(),
            }
        );
        o += &format!("          confidence {:.2}{}\n", n.confidence, unsure(n));
    }
    if r.pacing.ratio.is_some() {
        o += &format!(
            "pacing    name and number {} against {} for the rest\n",
            opt(r.pacing.details_sps, "syll/s", 1),
            opt(r.pacing.rest_sps, "syll/s", 1)
        );
    }
    o
}

fn human_campaign(c: &Campaign) -> String {
    let mut o = String::from("== campaign\n");
    for p in &c.pairs {
        o += &format!(
            "  {} after {}: {}\n",
            p.file,
            p.previous,
            p.similarity.map_or("n/a".to_string(), |s| format!(
                "{:.0} % the same words",
                s * 100.0
            ))
        );
    }
    let verdict = match c.variation.verdict {
        Verdict::Pass => "pass",
        Verdict::Warn => "warn",
        Verdict::Fail => "FAIL",
        _ => "n/a",
    };
    o += &format!(
        "  {verdict} campaign.variation: {}\n  source: {}",
        c.variation.message, c.variation.source
    );
    o
}
