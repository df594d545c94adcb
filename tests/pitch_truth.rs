//! Pitch against known truth: synthetic voiced signals with a known F0 contour, clean, in noise,
//! and band-limited to the telephone band (300–3400 Hz) so that the fundamental is missing.

use voicemail_coach::{PitchOptions, PitchTracker};

const FS: f64 = 16_000.0;
const HOP: f64 = 0.01;

/// xorshift64* with Box–Muller, so every run sees the same noise.
struct Rng(u64);
impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn gauss(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-12), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// Vowel-like spectral envelope at time `t`: three formants gliding between /a/ and /i/ twice a
/// second, so that harmonics pass through the formant peaks (a classic cause of octave errors).
fn formant_gain(f: f64, t: f64) -> f64 {
    let m = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * 2.0 * t).cos(); // 0 = /a/, 1 = /i/
    let formants = [
        (700.0 - 420.0 * m, 90.0, 1.0),
        (1220.0 + 1070.0 * m, 120.0, 0.6),
        (2600.0 + 400.0 * m, 200.0, 0.3),
    ];
    formants
        .iter()
        .map(|&(fc, bw, g)| g / (1.0 + ((f - fc) / bw).powi(2)))
        .sum::<f64>()
        + 0.01
}

struct Synth {
    samples: Vec<f32>,
    /// Truth per 10 ms frame: F0 in Hz, 0 where unvoiced or near a voicing edge.
    truth: Vec<f64>,
}

/// Three voiced stretches with gliding, vibrato-modulated F0 (`f0_of(t)`), separated by silence.
/// Only harmonics inside `band` are synthesised. Like real phonation, the period jitters (1 %
/// random walk of the instantaneous frequency, redrawn every 5 ms) and the amplitude shimmers
/// (±10 %); `snr_db` adds white noise relative to the voiced signal's power. The truth is the
/// contour without jitter, so jitter counts against the tracker's fine error.
fn synth(f0_of: &dyn Fn(f64) -> f64, band: (f64, f64), snr_db: Option<f64>, seed: u64) -> Synth {
    let mut jit = Rng(seed ^ 0xA5A5_A5A5);
    let mut jitter = 1.0f64;
    let mut shimmer = 1.0f64;
    let redraw = (0.005 * FS) as usize;
    let voiced = [(0.2, 1.2), (1.5, 2.7), (3.0, 3.9)];
    let total = 4.2;
    let n = (total * FS) as usize;
    let mut x = vec![0.0f64; n];
    let mut phase = 0.0f64;
    for (i, v) in x.iter_mut().enumerate() {
        let t = i as f64 / FS;
        if i % redraw == 0 {
            jitter = 1.0 + 0.01 * jit.gauss().clamp(-2.5, 2.5);
            shimmer = 1.0 + 0.1 * jit.gauss().clamp(-2.5, 2.5);
        }
        let f0 = f0_of(t) * jitter;
        phase += 2.0 * std::f64::consts::PI * f0 / FS;
        if let Some(&(a, b)) = voiced.iter().find(|&&(a, b)| t >= a && t < b) {
            // 10 ms raised-cosine ramps at voicing edges.
            let ramp = ((t - a).min(b - t) / 0.01).min(1.0);
            let env = 0.5 - 0.5 * (std::f64::consts::PI * ramp).cos();
            let mut s = 0.0;
            let mut h = 1.0;
            while h * f0 < FS / 2.0 {
                let fh = h * f0;
                if fh >= band.0 && fh <= band.1 {
                    s += formant_gain(fh, t) * (h * phase).sin();
                }
                h += 1.0;
            }
            *v = env * shimmer * s;
        }
    }
    let voiced_power = {
        let (sum, cnt) = x
            .iter()
            .filter(|v| v.abs() > 0.0)
            .fold((0.0, 0usize), |(s, c), v| (s + v * v, c + 1));
        sum / cnt as f64
    };
    if let Some(snr) = snr_db {
        let sigma = (voiced_power / 10f64.powf(snr / 10.0)).sqrt();
        let mut rng = Rng(seed);
        x.iter_mut().for_each(|v| *v += sigma * rng.gauss());
    }
    let peak = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let samples = x.iter().map(|v| (0.5 * v / peak) as f32).collect();
    let frames = (total / HOP).ceil() as usize;
    let truth = (0..frames)
        .map(|k| {
            let t = k as f64 * HOP;
            // Frames whose 50 ms window lies wholly inside a voiced stretch.
            if voiced
                .iter()
                .any(|&(a, b)| t - 0.025 >= a && t + 0.025 <= b)
            {
                f0_of(t)
            } else {
                0.0
            }
        })
        .collect();
    Synth { samples, truth }
}

struct Score {
    /// Frames voiced in truth and in the track.
    both: usize,
    /// Of those, frames more than 20 % off.
    gross: usize,
    /// Truth-voiced frames the tracker called unvoiced.
    missed: usize,
    /// Frames silent in truth (away from edges) that the tracker called voiced.
    false_voiced: usize,
    truth_voiced: usize,
    truth_silent: usize,
    /// Mean relative error on frames without gross error.
    fine_error: f64,
}

fn score(s: &Synth) -> Score {
    let tracker = PitchTracker::new(16_000, PitchOptions::default()).expect("default options");
    let track = tracker.track(&s.samples);
    assert_eq!(track.f0_hz.len(), s.truth.len());
    let mut sc = Score {
        both: 0,
        gross: 0,
        missed: 0,
        false_voiced: 0,
        truth_voiced: 0,
        truth_silent: 0,
        fine_error: 0.0,
    };
    let mut fine = Vec::new();
    for (k, (&est, &truth)) in track.f0_hz.iter().zip(&s.truth).enumerate() {
        let est = f64::from(est);
        if truth > 0.0 {
            sc.truth_voiced += 1;
            if est > 0.0 {
                sc.both += 1;
                let rel = (est - truth).abs() / truth;
                if rel > 0.2 {
                    sc.gross += 1;
                } else {
                    fine.push(rel);
                }
            } else {
                sc.missed += 1;
            }
        } else {
            // Silent in truth and at least 60 ms from any voiced frame.
            if !is_edge(&s.truth, k) {
                sc.truth_silent += 1;
                if est > 0.0 {
                    sc.false_voiced += 1;
                }
            }
        }
    }
    sc.fine_error = fine.iter().sum::<f64>() / fine.len().max(1) as f64;
    sc
}

/// Frames within 60 ms of a truth-voiced frame are neither voiced nor silent truth.
fn is_edge(truth: &[f64], k: usize) -> bool {
    let lo = k.saturating_sub(6);
    let hi = (k + 7).min(truth.len());
    truth[lo..hi].iter().any(|&f| f > 0.0)
}

fn contour_low(t: f64) -> f64 {
    // A male-range glide 95 -> 150 Hz with 5 Hz vibrato of +-3 %.
    (95.0 + 55.0 * (t / 4.2)) * (1.0 + 0.03 * (2.0 * std::f64::consts::PI * 5.0 * t).sin())
}

fn contour_falling(t: f64) -> f64 {
    // A low voice falling from 130 to 68 Hz, where only the 5th harmonic and up survive 300 Hz.
    130.0 - 62.0 * (t / 4.2)
}

fn contour_high(t: f64) -> f64 {
    // A female-range rise-fall 180 -> 290 -> 200 Hz.
    let x = t / 4.2;
    180.0 + 440.0 * x * (1.0 - x) * (1.0 + 0.02 * (2.0 * std::f64::consts::PI * 4.0 * t).sin())
}

fn report(name: &str, sc: &Score) {
    eprintln!(
        "{name}: voiced in both {}/{} ({} missed), gross errors {} ({:.2} %), fine error {:.2} %, false voicing {}/{}",
        sc.both,
        sc.truth_voiced,
        sc.missed,
        sc.gross,
        100.0 * sc.gross as f64 / sc.both.max(1) as f64,
        100.0 * sc.fine_error,
        sc.false_voiced,
        sc.truth_silent
    );
}

#[test]
fn clean_full_band_speech_is_tracked_precisely() {
    for (name, f) in [
        ("low", contour_low as fn(f64) -> f64),
        ("high", contour_high),
    ] {
        let s = synth(&f, (0.0, 8000.0), None, 1);
        let sc = score(&s);
        report(name, &sc);
        assert_eq!(sc.gross, 0, "{name}");
        assert!(
            sc.missed * 100 <= sc.truth_voiced,
            "{name}: missed {}",
            sc.missed
        );
        // The 1 % jitter sets the floor: a 50 ms window averages ~10 jitter draws, leaving ~0.3 %.
        assert!(sc.fine_error < 0.01, "{name}: {}", sc.fine_error);
        assert_eq!(sc.false_voiced, 0, "{name}");
    }
}

#[test]
fn telephone_band_speech_in_noise_has_few_gross_errors() {
    // The fundamental (and, for the low voice, the 2nd harmonic) is below 300 Hz: missing.
    for (name, f, seed) in [
        ("low", contour_low as fn(f64) -> f64, 7),
        ("high", contour_high, 11),
        ("falling", contour_falling, 13),
    ] {
        for snr in [20.0, 10.0, 5.0] {
            let s = synth(&f, (300.0, 3400.0), Some(snr), seed);
            let sc = score(&s);
            report(&format!("{name} telephone {snr} dB"), &sc);
            // Gross pitch error <= 2 % of frames voiced in both (Praat's ac: 3.8 % on such signals).
            assert!(
                sc.gross as f64 <= 0.02 * sc.both as f64,
                "{name} {snr} dB: {} gross of {}",
                sc.gross,
                sc.both
            );
            // Voicing: at least 90 % of voiced frames found; noise alone rarely called voiced.
            assert!(
                sc.both as f64 >= 0.9 * sc.truth_voiced as f64,
                "{name} {snr} dB"
            );
            assert!(
                sc.false_voiced as f64 <= 0.05 * sc.truth_silent as f64,
                "{name} {snr} dB"
            );
        }
    }
}
