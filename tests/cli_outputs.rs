//! What the example binary does with its outputs and its model when something is off: a
//! missing model, a ledger already there, a campaign in text, standard output as a file, an
//! output folder that does not exist, the footnote, the figures' precision.
//!
//! The example is built with default features, so this file runs with them.
#![cfg(feature = "transcribe")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::example_binary as analyze;
use common::fixture;

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vmc-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(analyze())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the example runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_missing_model_is_an_error_naming_it_unless_transcription_is_off() {
    let dir = scratch("model");
    let clip = fixture("speech/demo-congrats.wav");
    let out = run(&["--model", "/nonexistent.bin", "--json", &clip], &dir);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        out.stdout.is_empty(),
        "no word-less report: {}",
        text(&out.stdout)
    );
    assert!(err.contains("/nonexistent.bin"), "{err}");
    assert!(err.contains("scripts/fetch-model"), "{err}");
    // No model installed at all: the default path is named the same way.
    let out = Command::new(analyze())
        .args(["--json", &clip])
        .env("VOICEMAIL_COACH_MODEL", dir.join("absent.bin"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("absent.bin"));
    // Asked for, the acoustic analysis alone says why there are no words.
    let out = run(&["--no-transcribe", "--json", &clip], &dir);
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
    assert_eq!(r["status"], "no_transcript");
    let notices = r["notices"].as_array().expect("notices");
    assert!(
        notices
            .iter()
            .any(|n| n.as_str().unwrap_or("").starts_with("no transcript")),
        "{notices:?}"
    );
}

#[test]
fn an_existing_ledger_is_never_emptied_unasked() {
    let dir = scratch("ledger");
    let mut clips = Vec::new();
    for k in 0..4 {
        let p = dir.join(format!("call-{k}.wav"));
        std::fs::copy(fixture("speech/demo-congrats.wav"), &p).expect("copy");
        clips.push(p.display().to_string());
    }
    let mut args = vec!["--no-transcribe", "-q", "--out", "ledger.jsonl"];
    args.extend(clips.iter().map(String::as_str));
    assert!(run(&args, &dir).status.success());
    let lines = || {
        std::fs::read_to_string(dir.join("ledger.jsonl"))
            .expect("ledger")
            .lines()
            .count()
    };
    assert_eq!(lines(), 4);
    let one = ["--no-transcribe", "-q", "--out", "ledger.jsonl", &clips[0]];
    let out = run(&one, &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--resume"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(lines(), 4, "the ledger is kept whole");
    let mut again = one.to_vec();
    again.push("--overwrite");
    assert!(run(&again, &dir).status.success());
    assert_eq!(lines(), 1, "--overwrite starts it afresh");
}

#[test]
fn a_campaign_in_text_prints_every_message_then_the_campaign() {
    let dir = scratch("campaign");
    let a = fixture("voicemail/clark-slow.wav");
    let b = fixture("voicemail/clark-rushed.wav");
    let out = run(&["--no-transcribe", "-q", "--campaign", &a, &b], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let first = stdout
        .find("clark-slow.wav")
        .expect("first message's report");
    let second = stdout
        .find("clark-rushed.wav")
        .expect("second message's report");
    let campaign = stdout.find("== campaign").expect("the campaign");
    assert!(first < second && second < campaign, "{stdout}");
    assert_eq!(stdout.matches("\nverdict ").count(), 2, "{stdout}");
}

#[test]
fn standard_output_outputs_and_bad_folders_are_told_before_any_analysis() {
    let dir = scratch("outputs");
    let clip = fixture("speech/demo-congrats.wav");
    let out = run(&["--no-transcribe", "-q", "--csv", "-", &clip], &dir);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(voicemail_coach::batch::CSV_HEADER),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 2, "the CSV alone: {stdout}");
    assert!(!dir.join("-").exists(), "no file named -");
    let out = run(&["--no-transcribe", "-q", "--out", "-", &clip], &dir);
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON line");
    assert!(line["status"].is_string());
    assert!(!dir.join("-").exists());
    // A folder that does not exist fails at once, before a file is analysed.
    let out = run(
        &["--no-transcribe", "--html", "/no/such/dir/x.html", &clip],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "nothing analysed: {}",
        text(&out.stdout)
    );
    assert!(text(&out.stderr).contains("/no/such/dir/x.html"));
}

#[test]
fn the_footnote_comes_once_and_json_figures_are_rounded() {
    let dir = scratch("footnote");
    let a = fixture("voicemail/clark-slow.wav");
    let b = fixture("voicemail/mewse-slow.wav");
    let out = run(&["--no-transcribe", "-q", &a, &b], &dir);
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.matches("Some trainers would not leave").count(),
        1,
        "{stdout}"
    );
    let out = run(&["--no-transcribe", "--json", &a], &dir);
    let json = text(&out.stdout);
    // Every fraction has at most four decimals (times three): no binary tails.
    let mut longest = 0;
    for token in json.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')) {
        if let Some((_, frac)) = token.split_once('.') {
            longest = longest.max(frac.len());
        }
    }
    assert!(longest <= 4, "a figure with {longest} decimals in {json}");
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_run_quietly() {
    use std::process::Stdio;
    let clips: Vec<String> = ["speech/demo-congrats.wav"; 6]
        .iter()
        .map(|c| fixture(c))
        .collect();
    let runs: [Vec<&str>; 2] = [
        vec!["--print-schema"],
        [
            vec!["--no-transcribe", "--json"],
            clips.iter().map(String::as_str).collect(),
        ]
        .concat(),
    ];
    for args in runs {
        let mut child = Command::new(analyze())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example runs");
        // The reader gone before the output comes (`| head` done, or `| true`).
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("it ends");
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn a_model_is_found_by_name_in_the_cache_or_told_where_to_get() {
    let dir = scratch("named-model");
    let cache = dir.join("cache");
    let models = cache.join("voicemail-coach");
    std::fs::create_dir_all(&models).expect("cache folder");
    // The test model under another name: a name resolves to ggml-<name>.bin in the cache.
    let model = common::model_path();
    std::fs::copy(&model, models.join("ggml-small.en.bin")).expect("model copied");
    let clip = fixture("speech/demo-congrats.wav");
    // A source nothing answers at: a name not in the cache is fetched from there, and fails.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let source = format!("http://127.0.0.1:{port}");
    let named = |name: &str| {
        Command::new(analyze())
            .args(["--model", name, "--json", "--quiet", &clip])
            .env("XDG_CACHE_HOME", &cache)
            .env("VOICEMAIL_COACH_MODEL_SOURCE", &source)
            .env_remove("VOICEMAIL_COACH_MODEL")
            .current_dir(&dir)
            .output()
            .expect("the example runs")
    };
    let out = named("small.en");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(report["transcript"]["model"], "ggml-small.en");
    // Not in the cache and the source offline: one error names the model, where it looked,
    // the URL tried and how to get it; nothing is left in the cache.
    let out = named("medium.en");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("medium.en"), "{err}");
    assert!(err.contains(&models.display().to_string()), "{err}");
    assert!(
        err.contains(&format!("{source}/ggml-medium.en.bin")),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(&models).expect("cache").count(),
        1,
        "only small.en"
    );
    // A name whisper.cpp publishes no checksum for is never fetched: where to get it instead.
    let err = text(&named("small.en-q8_0").stderr);
    assert!(
        err.contains("huggingface.co/ggerganov/whisper.cpp"),
        "{err}"
    );
    // Neither a file nor a name.
    let err = text(&named("medium.fr").stderr);
    assert!(err.contains("not a model name"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn timelines_are_written_per_recording_into_their_folders() {
    let dir = scratch("timelines");
    // Two inputs with one name: the second file is numbered, as the HTML pages are.
    let twin = dir.join("twin");
    std::fs::create_dir_all(&twin).expect("folder");
    let clip = fixture("speech/demo-congrats.wav");
    std::fs::copy(&clip, twin.join("demo-congrats.wav")).expect("copy");
    let twin_clip = twin.join("demo-congrats.wav");
    let args = [
        "--no-transcribe",
        "-q",
        "--json",
        "--textgrid",
        "grids",
        "--vtt",
        "captions",
        &clip,
        twin_clip.to_str().expect("a UTF-8 path"),
    ];
    let out = run(&args, &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in ["demo-congrats.TextGrid", "demo-congrats-2.TextGrid"] {
        let grid = std::fs::read_to_string(dir.join("grids").join(name)).expect("a TextGrid");
        assert!(grid.starts_with("File type = \"ooTextFile\"\nObject class = \"TextGrid\""));
        for tier in [
            "words", "phrases", "pauses", "number", "name", "fillers", "nuclei",
        ] {
            assert!(
                grid.contains(&format!("name = \"{tier}\"")),
                "{name}: no {tier}"
            );
        }
    }
    let vtt = std::fs::read_to_string(dir.join("captions").join("demo-congrats.vtt"));
    assert_eq!(
        vtt.expect("captions").as_str(),
        "WEBVTT\n",
        "no words, no cues"
    );
    // A file where a folder is asked for is refused before any analysis.
    std::fs::write(dir.join("taken"), "x").expect("a file");
    let out = run(&["--no-transcribe", "--vtt", "taken", &clip], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("taken: not a folder"),
        "{}",
        text(&out.stderr)
    );
}
