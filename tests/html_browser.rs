//! The HTML report in a real browser: a seed voicemail (`fixtures/voicemail/clark-slow.wav`,
//! known words and number) analysed with the real model, rendered, and loaded in headless
//! Chromium. A probe script added to a copy of the page measures the main elements as laid out
//! (waveform, pitch contour, median, words, number and its groups, verdicts, the player with the
//! embedded recording decoded, its captions' cues, the suggested message) and the test checks
//! them against the report. A screenshot is saved
//! to `target/tmp/html-report/clark-slow.png` (under the target folder in use).
//!
//! Needs Chromium (Debian's `chromium`, installed by scripts/setup); `VOICEMAIL_COACH_CHROMIUM`
//! names another binary.
#![cfg(all(feature = "transcribe", feature = "html"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use voicemail_coach::html::{self, HtmlOptions};
use voicemail_coach::report::Report;
use voicemail_coach::{audio, Context};

mod common;

const PROBE: &str = r#"
<script>
window.addEventListener('load', function () {
  function box(el) { if (!el) return null; var r = el.getBoundingClientRect(); return [r.width, r.height]; }
  function report() {
    var words = Array.prototype.map.call(document.querySelectorAll('#words text'), function (t) {
      var r = t.getBoundingClientRect(); return [t.textContent, r.width, r.height];
    });
    var groups = Array.prototype.map.call(document.querySelectorAll('#spans .number rect.group'), function (g) {
      return box(g);
    });
    var labels = Array.prototype.map.call(document.querySelectorAll('#spans .number text'), function (t) {
      return t.textContent;
    });
    var contour = document.getElementById('pitch-contour');
    var player = document.getElementById('player');
    var out = {
      timeline: box(document.getElementById('timeline')),
      waveform: box(document.getElementById('waveform')),
      contour: contour ? [contour.getTotalLength(), contour.getBBox().width, contour.getBBox().height] : null,
      median: box(document.getElementById('pitch-median')),
      range: box(document.getElementById('pitch-range')),
      words: words,
      groups: groups,
      labels: labels,
      verdict_rows: document.querySelectorAll('#verdicts tbody tr').length,
      figures: document.querySelectorAll('#figures .card').length,
      player_duration: player ? player.duration : null,
      clickable: document.querySelectorAll('[data-t]').length,
      suggestion: (document.getElementById('suggested-text') || {}).textContent || null
    };
    // The player's captions: the <track>'s state and cues as the browser parsed them.
    var track = document.getElementById('captions');
    if (track) {
      out.track_state = track.readyState;
      out.cues = track.track.cues ? Array.prototype.map.call(track.track.cues, function (c) {
        return [c.startTime, c.endTime, c.text];
      }) : null;
    }
    // Clicking the number's first word plays from its time.
    var digit = document.querySelector('#words text.digit');
    if (digit && player) {
      digit.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      out.seek = [parseFloat(digit.getAttribute('data-t')), player.currentTime];
    }
    var pre = document.createElement('pre');
    pre.id = 'probe';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  // Report once the recording's metadata and the captions have loaded (or failed to).
  var pending = 1;
  function done() { if (--pending === 0) report(); }
  var player = document.getElementById('player');
  if (player && !(player.readyState >= 1)) {
    pending++;
    player.addEventListener('loadedmetadata', done);
    player.addEventListener('error', done);
  }
  var track = document.getElementById('captions');
  if (track && track.readyState < 2) {
    pending++;
    track.addEventListener('load', done);
    track.addEventListener('error', done);
  }
  done();
});
</script>
"#;

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("VOICEMAIL_COACH_CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Some(found) = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        }) {
            return found;
        }
    }
    panic!("no Chromium found (apt-get install chromium; scripts/setup does)");
}

/// Runs headless Chromium on `page` with `extra` arguments, killing it after a minute.
fn run_chromium(page: &Path, profile: &Path, extra: &[&str]) -> String {
    let _ = std::fs::remove_dir_all(profile);
    // Standard output to a file: the DOM holds the embedded recording, more than a pipe buffers.
    let out_path = profile.with_extension("out");
    let out_file = std::fs::File::create(&out_path).expect("output file");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--hide-scrollbars",
            "--mute-audio",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::from(out_file))
        .stderr(Stdio::null())
        .spawn()
        .expect("Chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait for Chromium").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("Chromium did not finish within 60 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    String::from_utf8_lossy(&std::fs::read(&out_path).expect("Chromium output")).into_owned()
}

fn analyzed() -> (Report, audio::Conditioned) {
    let analyzer = common::analyzer_with_model();
    let wav = common::fixture("voicemail/clark-slow.wav");
    let sound = audio::decode_path(&wav, &Default::default()).expect("fixture decodes");
    let ctx = Context::new()
        .with_expected_number("850-936-7028")
        .and_then(|c| c.with_caller_name("Steve Clark"))
        .expect("valid facts");
    let report = analyzer.analyze_conditioned(&sound, &wav, &ctx);
    (report, sound)
}

fn num(v: &Value, i: usize) -> f64 {
    v[i].as_f64().unwrap_or(f64::NAN)
}

#[test]
fn the_report_renders_in_chromium_with_its_contour_words_and_number() {
    let (report, sound) = analyzed();
    let number = report
        .phone_numbers
        .first()
        .expect("the fixture's number is heard")
        .clone();
    assert_eq!(number.digits, "8509367028");
    let page = html::render(&report, Some(&sound), &HtmlOptions::default());

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    std::fs::create_dir_all(&dir).expect("output folder");
    let page_path = dir.join("clark-slow.html");
    std::fs::write(&page_path, &page).expect("page written");
    let probe_path = dir.join("clark-slow.probe.html");
    let probed = page.replacen("</body>", &format!("{PROBE}</body>"), 1);
    assert_ne!(
        probed, page,
        "the page has a </body> to add the probe before"
    );
    std::fs::write(&probe_path, probed).expect("probe page written");

    let dom = run_chromium(
        &probe_path,
        &dir.join("profile-dom"),
        &["--virtual-time-budget=10000", "--dump-dom"],
    );
    let json = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| {
            panic!(
                "the probe did not report; the DOM was:\n{}",
                &dom[..dom.len().min(2000)]
            )
        });
    let json = json
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let m: Value = serde_json::from_str(&json).expect("probe JSON");
    eprintln!("probe: {m}");

    // The timeline spans the recording: at least 50 px per second, as laid out.
    let duration = sound.duration_s();
    assert!(num(&m["timeline"], 0) >= 50.0 * duration);
    assert!(num(&m["timeline"], 1) > 300.0);
    // The waveform covers the recording's width and most of its lane's height.
    assert!(num(&m["waveform"], 0) >= 0.95 * 50.0 * duration);
    assert!(num(&m["waveform"], 1) > 40.0);
    // The pitch contour is drawn: a long stroke across the speech, with visible movement.
    let speech = report.speech.end_s.unwrap_or(0.0) - report.speech.start_s.unwrap_or(0.0);
    assert!(num(&m["contour"], 0) > 50.0 * speech, "contour length");
    assert!(num(&m["contour"], 1) > 0.8 * 50.0 * speech, "contour width");
    assert!(num(&m["contour"], 2) > 10.0, "contour height");
    assert!(num(&m["median"], 0) > 0.0 && num(&m["range"], 1) > 5.0);
    // Every transcribed word is laid out with its text.
    let words = m["words"].as_array().expect("words");
    let transcript = report.transcript.as_ref().expect("transcript");
    let expected: Vec<&str> = transcript
        .words
        .iter()
        .map(|w| w.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(words.len(), expected.len());
    for (w, text) in words.iter().zip(&expected) {
        assert_eq!(w[0].as_str(), Some(*text));
        assert!(
            num(w, 1) > 0.0 && num(w, 2) > 0.0,
            "word {text} not laid out"
        );
    }
    // "John, this is Steve Clark, as soon as you get a minute, please give me a call at" and
    // the number: 18 words and the number, which the model writes as one.
    assert!(words.len() >= 15, "{} words laid out", words.len());
    // The number's span, each group drawn and labelled with its digits, and digits/s.
    let groups = m["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), number.groups.len());
    assert!(groups.iter().all(|g| num(g, 0) > 5.0 && num(g, 1) > 5.0));
    let labels: Vec<&str> = m["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for g in &number.groups {
        assert!(labels.contains(&g.digits.as_str()), "group {}", g.digits);
    }
    assert!(labels
        .iter()
        .any(|l| l.contains(&format!("{:.1} digits/s", number.digits_per_second))));
    // One row per verdict, the figures, and the player with the recording decoded.
    assert_eq!(m["verdict_rows"].as_u64(), Some(report.advice.len() as u64));
    assert!(m["figures"].as_u64().unwrap_or(0) >= 7);
    let played = m["player_duration"].as_f64().unwrap_or(f64::NAN);
    assert!(
        (played - duration).abs() < 0.05,
        "the embedded recording decodes to {played} s, the file is {duration} s"
    );
    assert!(m["clickable"].as_u64().unwrap_or(0) as usize > expected.len());
    let (to, at) = (num(&m["seek"], 0), num(&m["seek"], 1));
    assert!(
        (to - number.start_s).abs() < 0.5 && (at - to).abs() < 0.05,
        "clicking the number's word seeks the player to it: {to} -> {at}"
    );

    // The captions: the <track> loaded, a cue per phrase heard at the phrase's times, the name
    // and the number marked; the suggested message shown.
    assert_eq!(m["track_state"].as_u64(), Some(2), "the track loaded");
    let cues = m["cues"].as_array().expect("cues");
    let vtt = voicemail_coach::annotation::webvtt(&report);
    assert_eq!(cues.len(), vtt.matches(" --> ").count());
    assert!(cues.len() >= 3, "{} cues", cues.len());
    for c in cues {
        let (start, end) = (num(c, 0), num(c, 1));
        let phrase = report
            .pitch
            .phrases
            .iter()
            .find(|p| (p.start_s - start).abs() < 0.001);
        assert!(
            phrase.is_some_and(|p| (p.end_s - end).abs() < 0.001),
            "cue {c}"
        );
    }
    let texts: Vec<&str> = cues.iter().filter_map(|c| c[2].as_str()).collect();
    assert!(
        texts.iter().any(|t| t.contains("<c.name>Steve Clark")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("<c.number>850-936-7028")),
        "{texts:?}"
    );
    let suggested = report.suggested_message.as_ref().expect("a suggestion");
    assert_eq!(
        m["suggestion"].as_str(),
        Some(suggested.message.text.as_str())
    );

    // The screenshot, for people to look at.
    let shot = dir.join("clark-slow.png");
    let _ = std::fs::remove_file(&shot);
    run_chromium(
        &page_path,
        &dir.join("profile-shot"),
        &[
            "--window-size=1400,1250",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).expect("screenshot saved");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, 1400);
    // A blank page compresses to a few kB; this one has a waveform, a contour and text.
    assert!(png.len() > 60_000, "screenshot of {} bytes", png.len());
    eprintln!("screenshot: {}", shot.display());
}
