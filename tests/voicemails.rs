//! The seed articles' example voicemails, rendered slow and rushed with known truth
//! (`fixtures/voicemail/*.truth.json`, made by `scripts/make-voicemails`), and the recorded
//! digit strings of `fixtures/speech/digits-*.wav`, through the whole analysis with the real
//! default model: every number heard with its exact digits, its pace within 10 % of the truth,
//! and the rules on pacing failing the rushed renders and passing the slow ones.
#![cfg(feature = "transcribe")]

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;
use voicemail_coach::report::{Report, Verdict};
use voicemail_coach::transcribe::{default_model_path, TranscribeOptions, Transcriber};
use voicemail_coach::{Analyzer, Context, Options};

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        let path: PathBuf = default_model_path().expect("HOME or XDG_CACHE_HOME is set");
        assert!(
            path.exists(),
            "no model at {}: run scripts/fetch-model (scripts/setup does)",
            path.display()
        );
        let t = Transcriber::new(path, TranscribeOptions::default()).expect("model loads");
        Analyzer::new(Options::default())
            .expect("analyzer")
            .with_transcriber(t)
    })
}

fn fixture(rel: &str) -> String {
    format!("{}/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// The caller's name in each seed message.
fn caller(name: &str) -> &'static str {
    if name.starts_with("clark-typical") {
        "John Smith"
    } else if name.starts_with("clark") {
        "Steve Clark"
    } else if name.starts_with("francis") {
        "Colleen Francis"
    } else {
        "Matthew Mewse"
    }
}

const MESSAGES: [&str; 4] = ["clark", "clark-typical", "francis", "mewse"];

struct Rendered {
    name: String,
    truth: Value,
    report: Report,
}

fn rendered(name: &str) -> Rendered {
    let wav = fixture(&format!("voicemail/{name}.wav"));
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("voicemail/{name}.truth.json")))
            .expect("truth file"),
    )
    .expect("truth JSON");
    let mut ctx = Context::new().caller_name(caller(name));
    if let Some(n) = truth["number"].as_str() {
        ctx = ctx.expect_number(n).expect("a valid number");
    }
    let report = analyzer()
        .analyze_path_with(&wav, &ctx)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    Rendered {
        name: name.to_string(),
        truth,
        report,
    }
}

fn verdict(r: &Report, rule: &str) -> Verdict {
    r.advice
        .iter()
        .find(|a| a.rule == rule)
        .unwrap_or_else(|| panic!("{}: no {rule} verdict", r.file))
        .verdict
}

/// The one number of a message, checked against its truth: exact digits, the expected number
/// matched, digits per second within 10 %.
fn check_number(m: &Rendered, failures: &mut Vec<String>) {
    let Some(digits) = m.truth["number"].as_str() else {
        return;
    };
    let want_dps = m.truth["digits_per_second"].as_f64().expect("truth dps");
    let heard: Vec<_> = m
        .report
        .phone_numbers
        .iter()
        .filter(|n| n.repeat_of.is_none())
        .collect();
    match heard.as_slice() {
        [n] => {
            if n.digits != digits {
                failures.push(format!("{}: heard {} for {digits}", m.name, n.digits));
            }
            if n.matches_expected != Some(true) {
                failures.push(format!(
                    "{}: matches_expected {:?}",
                    m.name, n.matches_expected
                ));
            }
            let err = (n.digits_per_second - want_dps).abs() / want_dps;
            eprintln!(
                "{}: {} at {:.3} digits/s (truth {want_dps:.3}, {:+.1} %)",
                m.name,
                n.digits,
                n.digits_per_second,
                100.0 * (n.digits_per_second - want_dps) / want_dps
            );
            if err > 0.10 {
                failures.push(format!(
                    "{}: {:.3} digits/s against {want_dps:.3} ({:.1} % off)",
                    m.name,
                    n.digits_per_second,
                    100.0 * err
                ));
            }
        }
        other => failures.push(format!("{}: {} numbers heard", m.name, other.len())),
    }
}

#[test]
fn slow_renders_pass_and_rushed_ones_fail_the_pacing_rules() {
    let mut failures = Vec::new();
    for msg in MESSAGES {
        for pacing in ["slow", "rushed"] {
            let m = rendered(&format!("{msg}-{pacing}"));
            check_number(&m, &mut failures);
            let has_number = m.truth["number"].is_string();
            let details = verdict(&m.report, "rate.details");
            let pace = verdict(&m.report, "number.pace");
            eprintln!(
                "{}: rate.details {details:?} (ratio {:?}), number.pace {pace:?}",
                m.name, m.report.pacing.ratio
            );
            let (want, name) = if pacing == "slow" {
                (Verdict::Pass, "pass")
            } else {
                (Verdict::Fail, "fail")
            };
            if details != want {
                failures.push(format!("{}: rate.details {details:?}, not {name}", m.name));
            }
            if has_number && pace != want {
                failures.push(format!("{}: number.pace {pace:?}, not {name}", m.name));
            }
            if !has_number && pace != Verdict::NotApplicable {
                failures.push(format!("{}: number.pace {pace:?} without a number", m.name));
            }
            // The introduction is found where the truth has the name.
            let truth_start = m.truth["name"]["start_s"].as_f64().expect("name start");
            match &m.report.introduction {
                Some(i) if (i.start_s - truth_start).abs() < 0.3 => {}
                other => failures.push(format!(
                    "{}: introduction {other:?}, truth starts {truth_start}",
                    m.name
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn recorded_digit_strings_are_heard_exactly_and_paced() {
    // Recorded digits (asterisk-core-sounds-en) 0.3 s into the file, 0.4 s of silence after the
    // last: the truth span runs from 0.3 s to the duration less 0.4 s.
    let mut failures = Vec::new();
    for name in ["digits-paced", "digits-rushed"] {
        let report = analyzer()
            .analyze_path(fixture(&format!("speech/{name}.wav")))
            .expect("analysed");
        let want = 10.0 / (report.audio.duration_s - 0.4 - 0.3);
        match report.phone_numbers.as_slice() {
            [n] if n.digits == "8509367028" => {
                let err = (n.digits_per_second - want).abs() / want;
                eprintln!(
                    "{name}: {:.3} digits/s (truth {want:.3}, {:.1} % off)",
                    n.digits_per_second,
                    100.0 * err
                );
                if err > 0.10 {
                    failures.push(format!(
                        "{name}: {:.3} against {want:.3}",
                        n.digits_per_second
                    ));
                }
            }
            other => failures.push(format!("{name}: heard {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_number_said_differently_is_reported_with_its_differences() {
    let ctx = Context::new().expect_number("850-936-7029").expect("valid");
    let report = analyzer()
        .analyze_path_with(fixture("voicemail/clark-slow.wav"), &ctx)
        .expect("analysed");
    let n = &report.phone_numbers[0];
    assert_eq!(n.matches_expected, Some(false));
    assert_eq!(n.differences.len(), 1, "{:?}", n.differences);
    assert_eq!(n.differences[0].position, 9);
    assert_eq!(
        (n.differences[0].expected, n.differences[0].heard),
        (Some('9'), Some('8'))
    );
    assert_eq!(verdict(&report, "number.matches"), Verdict::Fail);
}

#[test]
fn campaign_of_the_same_message_twice_fails_variation() {
    let a = analyzer();
    let files = [
        "voicemail/clark-slow.wav",
        "voicemail/clark-rushed.wav",
        "voicemail/mewse-slow.wav",
    ];
    let mut reports: Vec<Report> = files
        .iter()
        .map(|f| a.analyze_path(fixture(f)).expect("analysed"))
        .collect();
    let c = voicemail_coach::campaign::evaluate(&mut reports, &a.options().rulebook);
    assert_eq!(c.pairs.len(), 2);
    // The same words at another pace: too similar; then a different message: fresh.
    let s0 = c.pairs[0].similarity.expect("both transcribed");
    let s1 = c.pairs[1].similarity.expect("both transcribed");
    assert!(s0 > 0.7, "{s0}");
    assert!(s1 < 0.3, "{s1}");
    assert_eq!(verdict(&reports[1], "campaign.variation"), Verdict::Fail);
    assert_eq!(verdict(&reports[2], "campaign.variation"), Verdict::Pass);
    assert_eq!(c.variation.verdict, Verdict::Fail);
}
