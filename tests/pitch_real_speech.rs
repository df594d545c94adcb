//! Pitch against laryngograph truth on real speech: a few sentences of the FDA database
//! (../shared/data/fda-dev, development data kept out of the repository), wideband and as
//! telephone-like copies, scored as `scripts/eval-pitch` scores them.
//!
//! The bars are Praat's own errors on the same files ("To Pitch (ac)", 60–500 Hz, 10 ms step,
//! measured with praat-parselmouth by `scripts/eval-pitch`'s method): the tracker must do at
//! least as well as Praat. The files are from the half of the sentences the tracker's settings
//! were not chosen on.

use std::path::{Path, PathBuf};
use std::process::Command;

use voicemail_coach::{Analyzer, Options};

/// Sentences 027–049 are the check half; two male and two female per pair of bars below.
const FILES: [&str; 8] = [
    "rl027", "rl033", "rl041", "rl049", "sb027", "sb033", "sb041", "sb049",
];

/// Praat's gross pitch error and voicing decision error on `FILES`, percent.
const PRAAT_WIDEBAND: (f64, f64) = (1.08, 5.06);
#[allow(clippy::approx_constant)] // 3.14 is a measured error rate, not pi
const PRAAT_TELEPHONE: (f64, f64) = (3.14, 8.01);

fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/fda-dev");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (FDA development data with laryngograph F0)",
            dir.display()
        );
        None
    }
}

/// The reference F0 of one file: (frame step, F0 per frame with 0 = unvoiced).
fn truth(path: &Path) -> (f64, Vec<f64>) {
    let text = std::fs::read_to_string(path).expect("truth file");
    let v: serde_json::Value = serde_json::from_str(&text).expect("truth JSON");
    let hop = v["hop_s"].as_f64().expect("hop_s");
    let f0 = v["f0_hz"].as_array().expect("f0_hz");
    (hop, f0.iter().map(|x| x.as_f64().unwrap_or(0.0)).collect())
}

#[derive(Default)]
struct Errors {
    frames: usize,
    both_voiced: usize,
    gross: usize,
    voicing: usize,
}

impl Errors {
    /// Compares each truth frame with the track's nearest frame.
    fn add(&mut self, (hop, reference): &(f64, Vec<f64>), track_hop: f64, track: &[f32]) {
        for (i, &r) in reference.iter().enumerate() {
            let k = (i as f64 * hop / track_hop).round() as usize;
            let e = track.get(k).map_or(0.0, |&f| f64::from(f));
            self.frames += 1;
            if (r > 0.0) != (e > 0.0) {
                self.voicing += 1;
            } else if r > 0.0 {
                self.both_voiced += 1;
                if (e / r - 1.0).abs() > 0.2 {
                    self.gross += 1;
                }
            }
        }
    }

    fn percents(&self) -> (f64, f64) {
        (
            100.0 * self.gross as f64 / self.both_voiced.max(1) as f64,
            100.0 * self.voicing as f64 / self.frames.max(1) as f64,
        )
    }
}

fn score(dir: &Path, wav_of: impl Fn(&str) -> PathBuf) -> (f64, f64) {
    let analyzer = Analyzer::new(Options::default()).expect("default options");
    let mut errors = Errors::default();
    for name in FILES {
        let report = analyzer.analyze_path(wav_of(name)).expect("analysed");
        let reference = truth(&dir.join(format!("{name}.f0.json")));
        errors.add(&reference, report.pitch.hop_s, &report.pitch.f0_hz);
    }
    assert!(errors.both_voiced > 500, "too few voiced frames to score");
    errors.percents()
}

fn check(band: &str, (gpe, vde): (f64, f64), (praat_gpe, praat_vde): (f64, f64)) {
    eprintln!(
        "{band}: gross {gpe:.2} % (Praat {praat_gpe} %), voicing {vde:.2} % (Praat {praat_vde} %)"
    );
    assert!(
        gpe <= praat_gpe,
        "{band} gross pitch error {gpe:.2} % > Praat's {praat_gpe} %"
    );
    assert!(
        vde <= praat_vde,
        "{band} voicing error {vde:.2} % > Praat's {praat_vde} %"
    );
}

#[test]
fn real_speech_wideband_is_tracked_at_least_as_well_as_praat() {
    let Some(dir) = data_dir() else { return };
    let errors = score(&dir, |name| dir.join(format!("{name}.wav")));
    check("wideband", errors, PRAAT_WIDEBAND);
}

#[test]
fn real_speech_on_a_telephone_line_is_tracked_at_least_as_well_as_praat() {
    let Some(dir) = data_dir() else { return };
    let out = std::env::temp_dir().join(format!("fda-telephone-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("temporary folder");
    for name in FILES {
        let src = dir.join(format!("{name}.wav"));
        let dst = out.join(format!("{name}.wav"));
        // 8 kHz G.711 mu-law, 300-3400 Hz: what a telephone line leaves of the sentence.
        let made = Command::new("sox")
            .arg(&src)
            .args(["-r", "8000", "-e", "mu-law"])
            .arg(&dst)
            .args(["sinc", "300-3400"])
            .status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!(
                "skipped: sox could not make the telephone copies (scripts/setup installs it)"
            );
            return;
        }
    }
    let errors = score(&dir, |name| out.join(format!("{name}.wav")));
    let _ = std::fs::remove_dir_all(&out);
    check("telephone", errors, PRAAT_TELEPHONE);
}
