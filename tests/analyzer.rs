//! The public analysis on real recordings: the report contract, syllable counts against
//! transcripts, sharing across threads, and the example binary's output and exit codes.

use std::process::Command;

use voicemail_coach::{Analyzer, Options, Report};

mod common;
use common::example_binary;

fn speech(name: &str) -> String {
    common::fixture(&format!("speech/{name}"))
}

#[test]
fn analyzer_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Analyzer>();
    assert_send_sync::<Report>();
}

#[test]
fn one_analyzer_serves_many_threads_with_identical_results() {
    let analyzer = Analyzer::new(Options::default()).expect("analyzer");
    let alone = analyzer
        .analyze_path(speech("agent-alreadyon.wav"))
        .expect("report");
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    analyzer
                        .analyze_path(speech("agent-alreadyon.wav"))
                        .expect("report")
                })
            })
            .collect();
        for h in handles {
            let r = h.join().expect("thread");
            assert_eq!(r.pitch.f0_hz, alone.pitch.f0_hz);
            assert_eq!(r.rate.nuclei_s, alone.rate.nuclei_s);
        }
    });
}

/// Syllables of the transcripts (CMUdict, as scripts/eval-rate counts them).
#[test]
fn syllable_counts_follow_the_transcripts() {
    let analyzer = Analyzer::new(Options::default()).expect("analyzer");
    // The detector's mean absolute error on the 203-prompt development set is 7.6 %, with a
    // spread of about 10 %; allow 15 % (or 2 syllables on short prompts) per recording.
    for (name, truth) in [
        ("agent-alreadyon.wav", 23),
        ("privacy-prompt.wav", 15),
        ("conf-adminmenu-162.wav", 70),
        ("demo-congrats.wav", 123),
    ] {
        let r = analyzer.analyze_path(speech(name)).expect("report");
        let est = r.rate.syllables as f64;
        let tol = (0.15 * f64::from(truth)).max(2.0);
        assert!(
            (est - f64::from(truth)).abs() <= tol,
            "{name}: {est} syllables, truth {truth}"
        );
        assert_eq!(r.rate.nuclei_s.len(), r.rate.syllables);
        // Nuclei lie inside the speech span, in order.
        let (a, b) = (
            r.speech.start_s.expect("span"),
            r.speech.end_s.expect("span"),
        );
        assert!(r.rate.nuclei_s.windows(2).all(|w| w[0] < w[1]), "{name}");
        assert!(r.rate.nuclei_s.iter().all(|&t| t >= a && t <= b), "{name}");
        // Rates are the count over the span and over phonation.
        let sr = r.rate.speech_rate_sps.expect("rate");
        assert!((sr - est / (b - a)).abs() < 1e-9);
        let ar = r.rate.articulation_rate_sps.expect("rate");
        assert!(ar >= sr - 1e-9);
    }
}

#[test]
fn the_long_prompt_has_pauses_and_phrases() {
    let analyzer = Analyzer::new(Options::default()).expect("analyzer");
    // "Please press 1 to mute or unmute yourself, 2 to lock …": a list read with a pause per item.
    let r = analyzer
        .analyze_path(speech("conf-adminmenu-162.wav"))
        .expect("report");
    assert!(r.speech.pauses.len() >= 4, "{:?}", r.speech.pauses);
    for p in &r.speech.pauses {
        assert!(p.end_s - p.start_s >= 0.3 - 1e-9);
    }
    let phon = r.speech.phonation_s.expect("phonation");
    let span = r.speech.end_s.expect("end") - r.speech.start_s.expect("start");
    let paused: f64 = r.speech.pauses.iter().map(|p| p.end_s - p.start_s).sum();
    assert!((phon - (span - paused)).abs() < 1e-9);
    assert_eq!(r.pitch.phrases.len(), r.speech.pauses.len() + 1);
    // A local rate contour covers the span every 0.25 s.
    assert!(r.rate.contour.sps.len() as f64 >= span / 0.25);
}

#[test]
fn report_follows_the_contract() {
    let analyzer = Analyzer::new(Options::default()).expect("analyzer");
    let r = analyzer
        .analyze_path(speech("privacy-prompt.wav"))
        .expect("report");
    let v = serde_json::to_value(&r).expect("json");
    assert_eq!(v["schema_version"], 1);
    for key in ["sample_rate_hz", "channels", "encoding", "duration_s"] {
        assert!(!v["audio"][key].is_null(), "audio.{key}");
    }
    assert_eq!(v["audio"]["encoding"], "pcm_s16");
    assert_eq!(r.audio.encoding.to_string(), "pcm_s16");
    for key in [
        "start_s",
        "end_s",
        "leading_silence_s",
        "trailing_silence_s",
        "phonation_s",
        "pauses",
    ] {
        assert!(!v["speech"][key].is_null(), "speech.{key}");
    }
    for key in [
        "syllables",
        "nuclei_s",
        "speech_rate_sps",
        "articulation_rate_sps",
    ] {
        assert!(!v["rate"][key].is_null(), "rate.{key}");
    }
    assert!(v["rate"]["words_per_minute"].is_null());
    for key in [
        "hop_s",
        "f0_hz",
        "median_hz",
        "p10_hz",
        "p90_hz",
        "range_st",
        "stdev_st",
        "voiced_fraction",
    ] {
        assert!(!v["pitch"][key].is_null(), "pitch.{key}");
    }
    assert!(v["transcript"].is_null());
    assert_eq!(v["phone_numbers"], serde_json::json!([]));
    for key in ["decode", "pitch", "rate", "total"] {
        assert!(v["timings_ms"][key].as_f64().is_some(), "timings_ms.{key}");
    }
    // f0 has one value per 10 ms hop over the whole file.
    let frames = v["pitch"]["f0_hz"].as_array().expect("array").len() as f64;
    assert!((frames - r.audio.duration_s / 0.01).abs() <= 1.0);
    // range_st is 12 log2(p90 / p10).
    let s = &r.pitch.summary;
    let expect = 12.0 * (s.p90_hz.expect("p90") / s.p10_hz.expect("p10")).log2();
    assert!((s.range_st.expect("range") - expect).abs() < 1e-9);
    // The report reads back.
    let back: Report = serde_json::from_value(v).expect("deserialises");
    assert_eq!(back, r);
}

#[test]
fn example_prints_json_lines_and_goes_on_after_a_bad_file() {
    let bin = example_binary();
    assert!(bin.exists(), "{} not built", bin.display());
    let good = speech("privacy-prompt.wav");
    let bad = common::fixture("bad/not_wav.wav");
    let out = Command::new(&bin)
        .args(["--json", "--no-transcribe", &bad, &good])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "a failed input exits 1");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], bad.as_str());
    assert_eq!(lines[0]["error"]["kind"], "unknown_format");
    assert_eq!(lines[0]["schema_version"], 1);
    assert_eq!(lines[1]["file"], good.as_str());
    assert!(lines[1]["rate"]["syllables"].as_u64().expect("count") > 5);

    let ok = Command::new(&bin)
        .args(["--json", &good])
        .output()
        .expect("runs");
    assert_eq!(ok.status.code(), Some(0));
    let usage = Command::new(&bin)
        .args(["--no-such-flag", &good])
        .output()
        .expect("runs");
    assert_eq!(usage.status.code(), Some(2));
    let human = Command::new(&bin).arg(&good).output().expect("runs");
    assert_eq!(human.status.code(), Some(0));
    let text = String::from_utf8(human.stdout).expect("utf-8");
    assert!(
        text.contains("syllables") && text.contains("median"),
        "{text}"
    );
}

#[test]
fn a_finer_frame_hop_finds_the_same_speech_pauses_and_syllables() {
    let coarse = Analyzer::new(Options::default()).expect("analyzer");
    let mut options = Options::default();
    options.pitch.hop_s = 0.005;
    let fine = Analyzer::new(options).expect("analyzer");
    for name in [
        "conf-adminmenu-162.wav",
        "demo-congrats.wav",
        "agent-alreadyon.wav",
    ] {
        let a = coarse.analyze_path(speech(name)).expect("report");
        let b = fine.analyze_path(speech(name)).expect("report");
        assert_eq!(b.pitch.hop_s, 0.005);
        let near = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() <= 0.02,
            _ => false,
        };
        assert!(near(a.speech.start_s, b.speech.start_s), "{name}: start");
        assert!(near(a.speech.end_s, b.speech.end_s), "{name}: end");
        assert_eq!(
            a.speech.pauses.len(),
            b.speech.pauses.len(),
            "{name}: pauses"
        );
        let (n, m) = (a.rate.syllables as f64, b.rate.syllables as f64);
        // Smoothing over the same time, the counts differ only where a peak is split by the
        // finer grid: within 10 %.
        assert!(
            (n - m).abs() <= 0.1 * n,
            "{name}: {n} against {m} syllables"
        );
    }
}
