//! The report contract as a schema: `docs/report.schema.json` is what the report types generate
//! (a change to the types that forgets the committed schema fails here), and every fixture's
//! `--json` report validates against it.
#![cfg(feature = "transcribe")]

use std::path::PathBuf;
use std::process::Command;

mod common;
use common::example_binary as analyze;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn committed() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("docs/report.schema.json"))
        .expect("docs/report.schema.json");
    serde_json::from_str(&text).expect("the committed schema is JSON")
}

#[test]
fn the_committed_schema_is_the_one_the_report_types_generate() {
    assert!(
        committed() == voicemail_coach::report::json_schema(),
        "docs/report.schema.json is out of date: regenerate it with \
         `cargo run --release --example analyze -- --print-schema > docs/report.schema.json`"
    );
}

/// Validates every report line the binary prints for `args`; returns how many there were.
fn validate(args: &[&str]) -> usize {
    let schema = committed();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let out = Command::new(analyze())
        .args(args)
        .current_dir(root())
        .output()
        .expect("the example runs");
    let mut reports = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if v.get("error").is_some() {
            continue; // an error record: a file that could not be analysed
        }
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", v["file"]);
        reports += 1;
    }
    reports
}

#[test]
fn every_fixture_report_validates_against_the_schema() {
    // Every fixture, acoustic analysis alone (fast), then the voicemails with their words.
    let all = validate(&["--json", "--quiet", "--no-transcribe", "fixtures"]);
    assert!(all > 20, "only {all} fixture reports");
    let voicemails = validate(&["--json", "--quiet", "fixtures/voicemail"]);
    assert_eq!(voicemails, 8);
}

#[test]
fn verdicts_print_as_the_json_spells_them() {
    use voicemail_coach::Verdict;
    for v in [
        Verdict::Pass,
        Verdict::Warn,
        Verdict::Fail,
        Verdict::NotApplicable,
    ] {
        let json = serde_json::to_value(v).expect("a verdict serialises");
        assert_eq!(json.as_str(), Some(v.as_str()));
        assert_eq!(v.to_string(), v.as_str());
    }
}
