//! The `voicemail-coach` command: analyse voicemail recordings and print a report per file, the
//! command line of [`voicemail_coach::batch`]. Installed with `cargo install voicemail-coach
//! --features cli`; the same source is the example `analyze` (`cargo run --release --example
//! analyze -- [OPTIONS] <FILES>...`), which includes this file.
//!
//! Exit status: 0 when every input was analysed, 1 when any failed (the others are still
//! reported), 2 for a usage error, 130 when interrupted (--out keeps what finished; --resume).
//! With `--campaign` the files are messages to one prospect, oldest first; a summary follows
//! the reports (with `--json`, one more line: `{"campaign": {...}}`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Parser;
use voicemail_coach::batch::{self, Batch, Entry, Shard, Summary, Timeline};
use voicemail_coach::{
    text, Analyzer, Context, Error, Options, PitchOptions, ProsodyOptions, RateOptions, Rulebook,
};

/// Judge recorded sales voicemails against the trainers' advice: length, pace, number, pitch.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Recordings (WAV, MP3, M4A, Ogg, FLAC, GSM...: read by content); a folder stands for the
    /// recordings below it, `-` for a list of paths on standard input, one per line.
    #[arg(required_unless_present_any = ["print_rulebook", "print_schema"])]
    files: Vec<PathBuf>,
    /// Files analysed at once (default: the cores), sharing one model and the cores.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Also write every result as a JSON line to FILE (a ledger: appended to with --resume; `-`
    /// for standard output). An existing ledger is never emptied unasked: give --resume or
    /// --overwrite.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Skip the inputs --out holds (same path, size and time); a changed file is redone.
    #[arg(long, requires = "out", conflicts_with = "overwrite")]
    resume: bool,
    /// Let --out replace a ledger that holds results.
    #[arg(long, requires = "out")]
    overwrite: bool,
    /// Take only shard K of N (0 <= K < N), by a stable hash of each path.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// No progress bar (there is none either when standard error is not a terminal).
    #[arg(long, short)]
    quiet: bool,
    /// Write a self-contained HTML report to FILE (several inputs: an index and FILE-files/).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Write a CSV summary to FILE, one row per analysed file (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Write a Praat TextGrid per recording into DIR (made when missing): words, phrases,
    /// pauses, the number's digit groups, the name, fillers, each failing rule's evidence, and
    /// the syllable nuclei.
    #[arg(long, value_name = "DIR")]
    textgrid: Option<PathBuf>,
    /// Write WebVTT captions per recording into DIR (made when missing): a cue per phrase, the
    /// name and the number marked.
    #[arg(long, value_name = "DIR")]
    vtt: Option<PathBuf>,
    /// The callback number the caller meant to leave (any notation, e.g. 850-936-7028).
    #[arg(long, value_name = "DIGITS")]
    expect_number: Option<String>,
    /// Report runs of at least N spoken digits as numbers (default 7, a local phone number;
    /// 3 to 7: zip codes, account numbers).
    #[arg(long, value_name = "N")]
    min_digits: Option<usize>,
    /// The caller's name, to find where it is said even when the transcript mishears it.
    #[arg(long, value_name = "NAME")]
    caller_name: Option<String>,
    /// The caller's usual median pitch, Hz (judges `pitch.baseline`).
    #[arg(long, value_name = "HZ")]
    pitch_baseline: Option<f64>,
    /// A rulebook (TOML, or JSON by extension) overriding thresholds or switching rules off.
    #[arg(long, value_name = "FILE")]
    rulebook: Option<PathBuf>,
    /// Print the rulebook in force (defaults, or --rulebook's) as TOML and exit.
    #[arg(long)]
    print_rulebook: bool,
    /// Print the JSON Schema of the --json reports (docs/report.schema.json) and exit.
    #[arg(long)]
    print_schema: bool,
    /// The files are successive messages to one prospect, oldest first.
    #[arg(long)]
    campaign: bool,
    /// Print one JSON report per input, one per line.
    #[arg(long)]
    json: bool,
    /// Acoustic analysis only (no transcript).
    #[arg(long)]
    no_transcribe: bool,
    /// A whisper.cpp ggml model: a name (tiny.en, base, base.en, small.en, large-v3-turbo,
    /// -q5_1 and -q8_0 variants), found in the model cache as ggml-NAME.bin, or a path
    /// (default: $VOICEMAIL_COACH_MODEL, else scripts/fetch-model's tiny.en).
    #[arg(long, value_name = "NAME|PATH")]
    model: Option<String>,
    /// Threads for transcription (capped at the machine's cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Decoder beam width (1 = greedy).
    #[arg(long, default_value_t = 5)]
    beam_size: usize,
    /// Decoder beam width for a whisper window shared by short recordings (1 = greedy); a
    /// recording whose words there hold a number is transcribed again alone with --beam-size.
    #[arg(long, default_value_t = 1)]
    packed_beam_size: usize,
    /// Take callback numbers as transcribed, without the second, digit-only reading.
    #[arg(long)]
    read_numbers_once: bool,
    /// Encode recordings of up to 30 s over their own length, not whisper's whole window:
    /// about 3x faster, but numbers are heard less well (see README).
    #[arg(long)]
    fit_context: bool,
    /// Text the transcriber is prompted with before each recording (whisper's initial prompt).
    #[arg(long, value_name = "TEXT")]
    initial_prompt: Option<String>,
    /// Transcribe each recording in a whisper window of its own; by default short recordings
    /// (up to 11 s) share windows, several times faster (see README).
    #[arg(long)]
    no_pack: bool,
    /// Refuse recordings longer than this many seconds.
    #[arg(long, default_value_t = 1800.0)]
    max_duration: f64,
    /// Shortest silence inside speech that counts as a pause, seconds (default 0.3).
    #[arg(long)]
    min_pause: Option<f64>,
    /// A TOML file of detector settings: `[rate]` (RateOptions), `[prosody]` (ProsodyOptions)
    /// and `[pitch]` (PitchOptions) fields by name, e.g. `[rate]` `min_gap_s = 0.1`.
    #[arg(long, value_name = "FILE")]
    tuning: Option<PathBuf>,
}

/// The detector settings of `--tuning`.
#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Tuning {
    rate: RateOptions,
    prosody: ProsodyOptions,
    pitch: PitchOptions,
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Set when standard output's reader has gone (a closed pipe: `| head`).
static READER_GONE: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output; a reader that has gone (a closed pipe) is no error, and
/// the run ends quietly after it.
fn out(text: &str) -> std::io::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            READER_GONE.store(true, Ordering::SeqCst);
            Ok(())
        }
        other => other,
    }
}

/// [`out`] with a newline.
fn out_line(text: &str) -> std::io::Result<()> {
    out(&format!("{text}\n"))
}

/// Runs; an error before any input is analysed is a usage error (exit status 2). A reader
/// that closes the pipe early (`| head`) ends the run quietly, with status 0.
pub fn main() -> ExitCode {
    try_main().unwrap_or_else(|e| {
        match flag_hint(&e) {
            Some(hint) => eprintln!("error: {e} ({hint})"),
            None => eprintln!("error: {e}"),
        }
        ExitCode::from(2)
    })
}

/// The flags that answer an error, for this command's users (the library's messages name
/// options in words).
fn flag_hint(e: &Error) -> Option<&'static str> {
    match e {
        Error::LedgerExists { .. } => Some("--resume, or --overwrite to start afresh"),
        _ => None,
    }
}

fn try_main() -> voicemail_coach::Result<ExitCode> {
    let args = Args::parse();
    if args.print_schema {
        let schema = voicemail_coach::report::json_schema();
        let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        return Ok(written(out_line(&text)));
    }
    let (analyzer, ctx, inputs) = setup(&args)?;
    check_outputs(&args)?;
    if args.print_rulebook {
        return Ok(written(out(&analyzer.options().rulebook.to_toml())));
    }
    let jobs = args.jobs.unwrap_or_else(batch::cores).max(1);
    let stop = Arc::new(AtomicBool::new(false));
    let analyzer = with_transcription(analyzer, &args, jobs, &stop)?;
    let flag = stop.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        INTERRUPTED.store(true, Ordering::SeqCst);
        flag.store(true, Ordering::SeqCst);
    }) {
        eprintln!("note: Ctrl-C cannot be caught ({e})");
    }
    let summary = run(&args, &analyzer, ctx, &inputs, jobs, stop)?;
    summary.notices.iter().for_each(|n| eprintln!("note: {n}"));
    if INTERRUPTED.load(Ordering::SeqCst) {
        eprintln!("interrupted: {} files done", summary.analysed);
        return Ok(ExitCode::from(130));
    }
    Ok(finish(&args, &analyzer, &summary))
}

/// The analyzer, the facts and the inputs the arguments ask for.
fn setup(args: &Args) -> voicemail_coach::Result<(Analyzer, Context, Vec<PathBuf>)> {
    let mut options = Options::default();
    if let Some(path) = &args.rulebook {
        options.rulebook = Rulebook::from_path(path)?;
    }
    options.decode.max_duration_s = args.max_duration;
    if let Some(path) = &args.tuning {
        let bad =
            |e: &dyn std::fmt::Display| Error::InvalidOptions(format!("{}: {e}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| bad(&e))?;
        let t: Tuning = toml::from_str(&text).map_err(|e| bad(&e))?;
        (options.rate, options.prosody, options.pitch) = (t.rate, t.prosody, t.pitch);
    }
    if let Some(s) = args.min_pause {
        options.prosody.min_pause_s = s;
    }
    let analyzer = Analyzer::new(options)?;
    let mut ctx = Context::new();
    if let Some(name) = &args.caller_name {
        ctx = ctx.with_caller_name(name)?;
    }
    if let Some(n) = &args.expect_number {
        ctx = ctx.with_expected_number(n)?;
    }
    if let Some(hz) = args.pitch_baseline {
        ctx = ctx.with_pitch_baseline_hz(hz)?;
    }
    if let Some(n) = args.min_digits {
        ctx = ctx.with_min_digits(n)?;
    }
    let lists = args.files.iter().map(|f| match f.as_os_str() == "-" {
        true => batch::read_list(std::io::stdin().lock()),
        false => Ok(vec![f.clone()]),
    });
    let inputs = lists.collect::<voicemail_coach::Result<Vec<_>>>()?.concat();
    Ok((analyzer, ctx, batch::expand(&inputs)?))
}

/// Runs the batch, printing each entry as it is final.
fn run(
    args: &Args,
    analyzer: &Analyzer,
    ctx: Context,
    inputs: &[PathBuf],
    jobs: usize,
    stop: Arc<AtomicBool>,
) -> voicemail_coach::Result<Summary> {
    let bar = progress_bar(args.quiet);
    let mut batch = Batch::new(analyzer)
        .context(ctx)
        .jobs(jobs)
        .campaign(args.campaign)
        .pack(!args.no_pack)
        .collect(args.csv.is_some() || args.html.is_some() || timelines(args).next().is_some())
        .cancel_on(stop.clone())
        .on_progress(|p| {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        })
        .on_entry(|e| {
            if bar.suspend(|| !print_entry(e, args)) {
                stop.store(true, Ordering::SeqCst);
            }
        });
    if let Some(path) = args.out.as_ref().filter(|p| !is_stdout(p)) {
        batch = batch.ledger(path, args.resume).overwrite(args.overwrite);
    }
    if let Some(shard) = args.shard {
        batch = batch.shard(shard);
    }
    let summary = batch.run(inputs);
    bar.finish_and_clear();
    summary
}

/// Prints one entry (as JSON with --json or --out -; else the readable report, unless the CSV
/// goes to standard output; an error on standard error unless in JSON); false when standard
/// output is closed.
fn print_entry(e: &Entry, args: &Args) -> bool {
    let line = match (e.report(), e.error()) {
        _ if json_out(args) => e.to_json().to_string(),
        // The CSV on standard output stands alone.
        (Some(_), _) if args.csv.as_deref().is_some_and(is_stdout) => return true,
        (Some(r), _) => text::report(r),
        (_, Some(r)) => format!("error: {}", r.error.message),
        _ => return true,
    };
    if json_out(args) || e.error().is_none() {
        return out_line(&line).is_ok() && !READER_GONE.load(Ordering::SeqCst);
    }
    eprintln!("{line}");
    true
}

/// The campaign summary, the footnote, the CSV and the HTML report, and on standard error what
/// the run did when it had several inputs; the exit status.
fn finish(args: &Args, analyzer: &Analyzer, summary: &Summary) -> ExitCode {
    let mut failed = summary.failed > 0;
    let readable = !json_out(args) && !args.csv.as_deref().is_some_and(is_stdout);
    if let Some(c) = &summary.campaign {
        let line = if json_out(args) {
            let mut v = serde_json::json!({ "campaign": c });
            voicemail_coach::report::round_figures(&mut v);
            v.to_string()
        } else {
            text::campaign(c)
        };
        failed |= out_line(&line).is_err();
    }
    // The trainers' dissent is about leaving messages: only under a report of one.
    if readable && summary.analysed > summary.failed + summary.no_speech {
        failed |= out_line(&text::footnote()).is_err();
    }
    if summary.analysed + summary.skipped > 1 {
        eprintln!("{}", run_summary(summary));
    }
    if let Some(path) = &args.csv {
        let table = batch::csv(&summary.entries);
        let written = if is_stdout(path) {
            out(&table)
        } else {
            std::fs::write(path, table)
        };
        if let Err(e) = written {
            eprintln!("error: {}: {e}", path.display());
            failed = true;
        }
    }
    if let Some(target) = &args.html {
        let single =
            args.files.len() == 1 && !args.files[0].is_dir() && args.files[0] != Path::new("-");
        let decode = &analyzer.options().decode;
        if let Err(e) = batch::write_html(target, &summary.entries, single, decode) {
            eprintln!("error: {e}");
            failed = true;
        }
    }
    for (dir, kind) in timelines(args) {
        if let Err(e) = batch::write_timelines(dir, &summary.entries, kind) {
            eprintln!("error: {e}");
            failed = true;
        }
    }
    ExitCode::from(u8::from(failed))
}

/// The timelines asked for: the folder of each and its kind.
fn timelines(args: &Args) -> impl Iterator<Item = (&PathBuf, Timeline)> {
    let textgrid = args.textgrid.iter().map(|d| (d, Timeline::TextGrid));
    textgrid.chain(args.vtt.iter().map(|d| (d, Timeline::WebVtt)))
}

/// Success, unless writing failed for another reason than a reader gone.
fn written(result: std::io::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: standard output: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What a run did, in a line: analysed (judged, without speech, without a transcript),
/// failed, skipped.
fn run_summary(s: &Summary) -> String {
    let judged = s.analysed - s.failed - s.no_speech - s.no_transcript;
    let mut line = format!(
        "done: {} analysed ({judged} judged, {} without speech, {} without a transcript), {} failed",
        s.analysed, s.no_speech, s.no_transcript, s.failed
    );
    if s.skipped > 0 {
        line += &format!(", {} already in the ledger", s.skipped);
    }
    line
}

/// Whether an output path stands for standard output (`-`).
fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Whether reports go to standard output as JSON lines: `--json`, or `--out -`.
fn json_out(args: &Args) -> bool {
    args.json || args.out.as_deref().is_some_and(is_stdout)
}

/// Checks before any analysis that every output can be written where it is asked for: its
/// folder exists (the HTML bundle's too), and `--resume` has a file to go on with.
fn check_outputs(args: &Args) -> voicemail_coach::Result<()> {
    let outputs = [&args.out, &args.csv, &args.html];
    for path in outputs.into_iter().flatten().filter(|p| !is_stdout(p)) {
        let folder = path.parent().filter(|d| !d.as_os_str().is_empty());
        if folder.is_some_and(|d| !d.is_dir()) || path.is_dir() {
            return Err(Error::InvalidOptions(format!(
                "{}: cannot write there (no such folder, or it is a folder)",
                path.display()
            )));
        }
    }
    if args.resume && args.out.as_deref().is_some_and(is_stdout) {
        return Err(Error::InvalidOptions(
            "--resume needs a ledger file, not standard output (--out -)".into(),
        ));
    }
    for (dir, _) in timelines(args) {
        if dir.exists() && !dir.is_dir() {
            return Err(Error::InvalidOptions(format!(
                "{}: not a folder (--textgrid and --vtt write a file per recording into one)",
                dir.display()
            )));
        }
    }
    if args.html.as_deref().is_some_and(is_stdout) {
        return Err(Error::InvalidOptions(
            "--html needs a file (the page embeds the recording)".into(),
        ));
    }
    Ok(())
}

/// A progress bar on standard error (count, rate, time left), hidden with `quiet` or when
/// standard error is not a terminal.
fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let style = "{bar:30} {pos}/{len} files, {per_sec}, {eta} left";
    let style = indicatif::ProgressStyle::with_template(style);
    indicatif::ProgressBar::new(0)
        .with_style(style.unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()))
}

/// Adds a transcriber unless told not to (`--no-transcribe`). A missing or bad model is an
/// error naming the path and how to get a model (exit status 2): a run that was meant to hear
/// the words never reports without them.
#[cfg(feature = "transcribe")]
fn with_transcription(
    a: Analyzer,
    args: &Args,
    jobs: usize,
    stop: &Arc<AtomicBool>,
) -> voicemail_coach::Result<Analyzer> {
    use voicemail_coach::transcribe::{TranscribeOptions, Transcriber};
    if args.no_transcribe {
        return Ok(a);
    }
    let mut options = TranscribeOptions::default();
    // Jobs share the cores: each transcription gets its share unless told otherwise.
    options.threads = args.threads.or(Some((batch::cores() / jobs).max(1)));
    options.beam_size = args.beam_size;
    options.packed_beam_size = args.packed_beam_size;
    options.read_numbers_twice = !args.read_numbers_once;
    options.fit_context = args.fit_context;
    if args.initial_prompt.is_some() {
        options.initial_prompt = args.initial_prompt.clone();
    }
    let t = Transcriber::open(args.model.as_deref(), options).map_err(|e| match e {
        Error::Model { path, reason } => Error::Model {
            path,
            reason: format!(
                "{reason}. Fetch the default model with scripts/fetch-model, give one with \
                 --model NAME|PATH, or run with --no-transcribe for the acoustic analysis alone"
            ),
        },
        other => other,
    })?;
    Ok(a.with_transcriber(t.abort_on(stop.clone())))
}

/// Without the `transcribe` feature there is no transcription: asking for it is an error.
#[cfg(not(feature = "transcribe"))]
fn with_transcription(
    analyzer: Analyzer,
    args: &Args,
    _: usize,
    _: &Arc<AtomicBool>,
) -> voicemail_coach::Result<Analyzer> {
    if args.no_transcribe {
        return Ok(analyzer);
    }
    Err(Error::InvalidOptions(
        "built without the `transcribe` feature: run with --no-transcribe for the acoustic \
         analysis alone"
            .into(),
    ))
}
