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

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use voicemail_coach::campaign::{self, Campaign};
use voicemail_coach::report::{Advice, Report, Verdict};
use voicemail_coach::rules::WERTH;
use voicemail_coach::{Analyzer, Context, ErrorRecord, Options, RateOptions, Rulebook};

/// Judge recorded sales voicemails against the trainers' advice: length, pace, name and number,
/// pitch, content.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// WAV files to analyse.
    #[arg(required_unless_present = "print_rulebook")]
    files: Vec<PathBuf>,
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
    let analyzer = with_transcription(analyzer, &args);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    let mut kept: Vec<Report> = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let line = match analyzer.analyze_path_with(path, &ctx) {
            Ok(report) if args.campaign => {
                // Printed once the whole campaign is judged.
                kept.push(report);
                continue;
            }
            Ok(report) => render(&report, args.json),
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
        if !emit(&mut out, &name, line, &mut failed) {
            return ExitCode::from(1);
        }
    }
    if args.campaign {
        let summary = campaign::evaluate(&mut kept, &analyzer.options().rulebook);
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

/// `m:ss.s` for a time in seconds.
fn clock(t: f64) -> String {
    let t = t.max(0.0);
    let m = (t / 60.0).floor();
    format!("{}:{:04.1}", m as u64, t - 60.0 * m)
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
