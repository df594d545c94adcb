//! The example binary on a batch: a folder of 50 recordings and 3 bad files, analysed in
//! parallel, streamed as JSON lines, written to --out, resumed, summarised in a CSV.
//!
//! The example is built with default features, so this file runs with them.
#![cfg(feature = "transcribe")]

use std::process::Command;

mod common;
use common::example_binary as analyze;
use common::fixture;

#[test]
fn a_folder_batch_streams_resumes_and_summarises() {
    let root = std::env::temp_dir().join(format!("vmc-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let deep = root.join("in").join("week2");
    std::fs::create_dir_all(&deep).expect("folders");
    for k in 0..50 {
        let dir = if k < 25 {
            root.join("in")
        } else {
            deep.clone()
        };
        std::fs::copy(
            fixture("speech/privacy-prompt.wav"),
            dir.join(format!("call-{k:02}.WAV")),
        )
        .expect("copy");
    }
    for bad in ["truncated_header", "g726", "not_wav"] {
        std::fs::copy(
            fixture(&format!("bad/{bad}.wav")),
            root.join("in").join(format!("{bad}.wav")),
        )
        .expect("copy");
    }
    // Not a WAV by name: ignored in a folder.
    std::fs::write(root.join("in").join("notes.txt"), "not audio").expect("write");
    let out = root.join("results.jsonl");
    let csv = root.join("summary.csv");
    let bin = analyze();
    let run = |extra: &[&str]| {
        Command::new(&bin)
            .args(["--no-transcribe", "--json", "--jobs", "2", "--out"])
            .arg(&out)
            .arg("--csv")
            .arg(&csv)
            .args(extra)
            .arg(root.join("in"))
            .output()
            .expect("runs")
    };
    let first = run(&[]);
    let stdout = String::from_utf8_lossy(&first.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 53);
    assert_eq!(lines.iter().filter(|l| l.get("error").is_some()).count(), 3);
    assert_eq!(first.status.code(), Some(1), "a bad file makes the exit 1");
    let written = std::fs::read_to_string(&out).expect("out file");
    assert_eq!(written.lines().count(), 53);
    let rows = std::fs::read_to_string(&csv).expect("csv");
    assert_eq!(rows.lines().count(), 51, "a header and 50 rows");
    assert!(rows.starts_with("file,duration_s,"));

    // Resuming does no work: nothing new printed or appended, the CSV still complete.
    let again = run(&["--resume"]);
    assert!(
        again.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(&out).expect("out").lines().count(),
        53
    );
    assert_eq!(
        std::fs::read_to_string(&csv).expect("csv").lines().count(),
        51
    );

    // A list on standard input.
    let mut child = Command::new(&bin)
        .args(["--no-transcribe", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "{}", fixture("speech/privacy-prompt.wav")).expect("write");
        writeln!(stdin, "{}", fixture("speech/agent-alreadyon.wav")).expect("write");
    }
    let listed = child.wait_with_output().expect("runs");
    assert_eq!(listed.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 2);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn an_html_batch_writes_an_index_linking_a_page_per_file() {
    let root = std::env::temp_dir().join(format!("vmc-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("folder");
    for name in ["privacy-prompt", "agent-alreadyon", "demo-congrats"] {
        std::fs::copy(
            fixture(&format!("speech/{name}.wav")),
            input.join(format!("{name}.wav")),
        )
        .expect("copy");
    }
    std::fs::copy(fixture("bad/g726.wav"), input.join("g726.wav")).expect("copy");
    let index = root.join("week.html");
    let bin = analyze();
    let out = root.join("week.jsonl");
    let html_run = |extra: &[&str]| {
        Command::new(&bin)
            .args(["--no-transcribe", "--json", "--quiet", "--out"])
            .arg(&out)
            .arg("--html")
            .arg(&index)
            .args(extra)
            .arg(&input)
            .output()
            .expect("runs")
    };
    let run = html_run(&[]);
    assert_eq!(run.status.code(), Some(1), "the bad file makes the exit 1");
    let first = std::fs::read_to_string(&index).expect("index written");
    // Resumed, nothing is analysed again, yet the index still shows every file.
    std::fs::remove_file(&index).expect("index removed");
    let resumed = html_run(&["--resume"]);
    assert!(resumed.stdout.is_empty(), "nothing analysed again");
    let page = std::fs::read_to_string(&index).expect("index written again");
    assert_eq!(page, first);
    assert!(page.contains(
        "4 files, 3 analysed (0 without speech, 3 without a transcript), 1 could not be read"
    ));
    assert!(page.contains("g726.wav") && page.contains("unsupported_encoding"));
    let links: Vec<&str> = page
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(links.len(), 3, "one link per analysed file: {links:?}");
    for link in links {
        assert!(link.starts_with("week-files/"), "{link}");
        let sub = std::fs::read_to_string(root.join(link)).expect("linked page exists");
        assert!(sub.contains("<svg") && sub.contains("id=\"pitch-contour\""));
        assert!(sub.contains("data:audio/wav;base64,"), "recording embedded");
    }

    // One input: its page itself, no index.
    let single = root.join("one.html");
    let run = Command::new(&bin)
        .args(["--no-transcribe", "--quiet", "--html"])
        .arg(&single)
        .arg(input.join("demo-congrats.wav"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0));
    let page = std::fs::read_to_string(&single).expect("page written");
    assert!(page.contains("<h1>demo-congrats.wav</h1>") && page.contains("id=\"waveform\""));
    assert!(!root.join("one-files").exists());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn ctrl_c_stops_the_batch_with_whole_lines_only() {
    let root = std::env::temp_dir().join(format!("vmc-int-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("folder");
    for k in 0..60 {
        std::fs::copy(
            fixture("speech/privacy-prompt.wav"),
            input.join(format!("call-{k:03}.wav")),
        )
        .expect("copy");
    }
    let out = root.join("results.jsonl");
    let bin = analyze();
    let mut child = Command::new(&bin)
        .args(["--no-transcribe", "--quiet", "--jobs", "2", "--out"])
        .arg(&out)
        .arg(&input)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("runs");
    // Interrupt once some lines are written, well before the 60 files are done.
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&out).map_or(0, |s| s.lines().count()) < 2 {
        assert!(started.elapsed().as_secs() < 120, "no lines written");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let code = child.wait().expect("exits").code();
    assert_eq!(code, Some(130), "an interrupted batch exits with 130");
    let written = std::fs::read_to_string(&out).expect("out");
    assert!(written.ends_with('\n'), "the last line is whole");
    let n = written.lines().count();
    assert!(n < 60, "interrupted before the end ({n} lines)");
    for line in written.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("every line is whole JSON");
        assert!(v.get("file").is_some());
    }
    // Resuming finishes the rest.
    let rest = Command::new(&bin)
        .args(["--no-transcribe", "--quiet", "--json", "--resume", "--out"])
        .arg(&out)
        .arg(&input)
        .output()
        .expect("runs");
    assert_eq!(rest.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&rest.stdout).lines().count(),
        60 - n
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_folder_without_recordings_or_a_missing_path_is_an_error() {
    let root = std::env::temp_dir().join(format!("vmc-empty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("folder");
    std::fs::write(root.join("notes.txt"), "not audio").expect("write");
    let missing = root.join("no-such-call.wav");
    for (input, phrase) in [
        (&root, "no files ending in .wav"),
        (&missing, "no such file or folder"),
    ] {
        let out = Command::new(analyze())
            .args(["--json", "--quiet"])
            .arg(input)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{}", input.display());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let record: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
        assert_eq!(record["error"]["kind"], "no_recordings", "{stdout}");
        let message = record["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(phrase), "{message}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_resume_after_a_torn_last_line_says_so_and_records_every_file_once() {
    let root = std::env::temp_dir().join(format!("vmc-torn-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("folder");
    for k in 0..4 {
        std::fs::copy(
            fixture("speech/privacy-prompt.wav"),
            input.join(format!("call-{k}.wav")),
        )
        .expect("copy");
    }
    let out = root.join("results.jsonl");
    let bin = analyze();
    let run = || {
        Command::new(&bin)
            .args(["--no-transcribe", "--quiet", "--json", "--resume", "--out"])
            .arg(&out)
            .arg(&input)
            .output()
            .expect("runs")
    };
    assert_eq!(run().status.code(), Some(0));
    // The power goes while the last line is being written.
    let text = std::fs::read_to_string(&out).expect("out");
    std::fs::write(&out, &text.as_bytes()[..text.len() - 200]).expect("tear");
    let again = run();
    assert_eq!(again.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("torn"),
        "a notice on standard error: {stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&again.stdout).lines().count(), 1);
    let written = std::fs::read_to_string(&out).expect("out");
    let mut files: Vec<String> = written
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("every line parses");
            v["file"].as_str().expect("file").to_string()
        })
        .collect();
    files.sort();
    files.dedup();
    assert_eq!((written.lines().count(), files.len()), (4, 4));
    let _ = std::fs::remove_dir_all(&root);
}
