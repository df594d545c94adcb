//! `voicemail_coach::batch` used from a library: shards, resume after a change or a torn line,
//! and a campaign's verdicts in the ledger. Acoustic analysis only (no model needed).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use voicemail_coach::batch::{self, Batch, Shard};
use voicemail_coach::{Analyzer, Options};

mod common;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(common::fixture(rel))
}

/// A fresh folder holding `n` copies of a short recording.
fn folder(name: &str, n: usize) -> PathBuf {
    let root = std::env::temp_dir().join(format!("vmc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("in")).expect("folder");
    for k in 0..n {
        std::fs::copy(
            fixture("speech/privacy-prompt.wav"),
            root.join("in").join(format!("call-{k:02}.wav")),
        )
        .expect("copy");
    }
    root
}

fn analyzer() -> Analyzer {
    Analyzer::new(Options::default()).expect("analyzer")
}

/// The ledger's lines, each parsed (a line that is not JSON fails the test).
fn lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("ledger");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "the last line is whole"
    );
    text.lines()
        .map(|l| serde_json::from_str(l).expect("every ledger line is JSON"))
        .collect()
}

fn files(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["file"].as_str().expect("file").to_string())
        .collect()
}

#[test]
fn three_shards_cover_every_file_exactly_once() {
    let root = folder("shards", 30);
    let inputs = batch::expand(&[root.join("in")]).expect("expand");
    assert_eq!(inputs.len(), 30);
    let a = analyzer();
    let mut seen = Vec::new();
    for k in 0..3 {
        let ledger = root.join(format!("shard-{k}.jsonl"));
        let shard = Shard::new(k, 3).expect("shard");
        let done = Batch::new(&a)
            .jobs(2)
            .shard(shard)
            .ledger(&ledger, false)
            .run(&inputs)
            .expect("run");
        assert_eq!(done.analysed + done.other_shards, 30);
        assert!(done.analysed > 0, "shard {k} is empty");
        seen.extend(files(&lines(&ledger)));
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(seen.len(), 30, "every file once: {seen:?}");
    assert_eq!(unique.len(), 30);
    // A second pass lands every file on the same shard.
    for k in 0..3 {
        let shard = Shard::new(k, 3).expect("shard");
        let again: Vec<&PathBuf> = inputs.iter().filter(|p| shard.owns(p)).collect();
        let ledger = lines(&root.join(format!("shard-{k}.jsonl")));
        assert_eq!(again.len(), ledger.len());
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_resume_after_a_file_changed_keeps_one_row_per_file() {
    let root = folder("changed", 4);
    let inputs = batch::expand(&[root.join("in")]).expect("expand");
    let ledger = root.join("results.jsonl");
    let a = analyzer();
    let first = Batch::new(&a)
        .ledger(&ledger, false)
        .run(&inputs)
        .expect("run");
    assert_eq!(first.analysed, 4);
    // One recording is replaced by another (a different size and time).
    std::fs::copy(fixture("speech/agent-alreadyon.wav"), &inputs[1]).expect("copy");
    let again = Batch::new(&a)
        .ledger(&ledger, true)
        .collect(true)
        .run(&inputs)
        .expect("resume");
    assert_eq!((again.analysed, again.skipped), (1, 3));
    let rows = lines(&ledger);
    let mut names = files(&rows);
    names.sort();
    names.dedup();
    assert_eq!((rows.len(), names.len()), (4, 4), "one line per file");
    let changed = rows
        .iter()
        .find(|r| r["file"] == inputs[1].display().to_string())
        .expect("row");
    let size = std::fs::metadata(&inputs[1]).expect("meta").len();
    assert_eq!(
        changed["input"]["size_bytes"], size,
        "the new line replaced the old"
    );
    // The CSV of the resumed run: a header and one row per file.
    let csv = batch::csv(&again.entries);
    assert_eq!(csv.lines().count(), 5, "{csv}");
    // The typed rows are the CSV's: the same columns in order, the same values.
    let rows = batch::rows(&again.entries);
    let record = serde_json::to_string(&rows[0]).expect("a row serialises");
    let keys: Vec<&str> = record
        .split('"')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0].ends_with('{') || w[0].ends_with(','))
        .map(|w| w[1])
        .collect();
    assert_eq!(keys.join(","), batch::CSV_HEADER);
    let first = csv.lines().nth(1).expect("a row");
    let duration = first.split(',').nth(1).expect("duration cell");
    assert_eq!(format!("{:.3}", rows[0].duration_s), duration);
    assert_eq!(
        first.split(',').nth(9),
        Some(rows[0].fail.to_string().as_str())
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_resume_after_a_torn_last_line_loses_nothing() {
    let root = folder("torn", 5);
    let inputs = batch::expand(&[root.join("in")]).expect("expand");
    let ledger = root.join("results.jsonl");
    let a = analyzer();
    // Three files done, then the process dies in the middle of the fourth line.
    Batch::new(&a)
        .ledger(&ledger, false)
        .run(&inputs[..4])
        .expect("run");
    let text = std::fs::read_to_string(&ledger).expect("ledger");
    let cut = text.len() - text.lines().last().expect("line").len() / 2;
    std::fs::write(&ledger, &text.as_bytes()[..cut]).expect("tear");
    let done = Batch::new(&a)
        .ledger(&ledger, true)
        .run(&inputs)
        .expect("resume");
    assert_eq!((done.skipped, done.analysed), (3, 2));
    assert_eq!(done.notices.len(), 1, "{:?}", done.notices);
    assert!(done.notices[0].contains("torn"), "{}", done.notices[0]);
    let rows = lines(&ledger);
    let names: HashSet<String> = files(&rows).into_iter().collect();
    assert_eq!((rows.len(), names.len()), (5, 5), "every file once");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn campaign_lines_carry_the_campaigns_verdicts() {
    let root = folder("campaign", 0);
    let inputs = vec![
        fixture("speech/agent-alreadyon.wav"),
        fixture("speech/demo-congrats.wav"),
        fixture("speech/privacy-prompt.wav"),
    ];
    let ledger = root.join("campaign.jsonl");
    let a = analyzer();
    let mut handed = Vec::new();
    let done = Batch::new(&a)
        .campaign(true)
        .ledger(&ledger, false)
        .on_entry(|e| handed.push(e.clone()))
        .run(&inputs)
        .expect("run");
    let campaign = done.campaign.expect("a campaign verdict");
    let base = campaign.pitch_baseline_hz.expect("a pitch baseline");
    let rows = lines(&ledger);
    assert_eq!(files(&rows), files_of(&inputs), "in the campaign's order");
    for (row, entry) in rows.iter().zip(&handed) {
        let advice = |rule: &str| {
            row["advice"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["rule"] == rule))
                .cloned()
                .expect("advice")
        };
        // pitch.baseline is judged against the campaign's baseline, not left not_applicable.
        let pitch = advice("pitch.baseline");
        assert_ne!(pitch["verdict"], "not_applicable", "{pitch}");
        // The baseline to the precision that tells it from the median (one decimal when the
        // two round alike).
        let message = pitch["message"].as_str().expect("msg");
        assert!(
            message.contains(&format!("{base:.0} Hz"))
                || message.contains(&format!("{base:.1} Hz")),
            "{message}"
        );
        let report = entry.report().expect("report");
        let handed_pitch = report.advice.iter().find(|x| x.rule == "pitch.baseline");
        assert_eq!(handed_pitch.map(|x| x.verdict), Some(verdict_of(&pitch)));
    }
    // Each later message's variation verdict is the campaign's pair verdict.
    let second = &rows[1]["advice"];
    let variation = second
        .as_array()
        .and_then(|a| a.iter().find(|x| x["rule"] == "campaign.variation"))
        .expect("variation");
    assert_eq!(
        variation["message"],
        "Needs the words of both messages (one has no speech or no transcript)."
    );
    let _ = std::fs::remove_dir_all(&root);
}

fn files_of(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

fn verdict_of(advice: &Value) -> voicemail_coach::report::Verdict {
    serde_json::from_value(advice["verdict"].clone()).expect("verdict")
}
