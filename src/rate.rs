//! Speaking rate without a transcript: syllable nuclei.
//!
//! The anchor is de Jong & Wempe's (2009) Praat method: a syllable nucleus is an intensity peak
//! that stands out from the dips around it, rises above the silence threshold and is voiced.
//! This detector follows the same idea with three changes that make it count better on telephone
//! speech: the envelope is taken from a vowel band (by default 300–2400 Hz, where vowel formants
//! carry their energy and fricatives do not), a peak is kept by its *prominence* (how far one has
//! to descend before reaching a higher peak, on either side) instead of the dip to the previous
//! peak only, and two nuclei closer than [`RateOptions::min_gap_s`] are merged.

use serde::{Deserialize, Serialize};

use crate::pitch::PitchTrack;
use crate::prosody::{block_energy, smooth_db, Segmentation};

/// Options for syllable-nucleus detection and rate contours.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RateOptions {
    /// Lower edge of the vowel band, Hz. Default: `300.0`.
    pub band_low_hz: f64,
    /// Upper edge of the vowel band, Hz. Default: `2400.0`.
    pub band_high_hz: f64,
    /// How far a peak must stand above the envelope between it and any higher peak, dB.
    /// Default: `2.0`.
    pub min_prominence_db: f64,
    /// A nucleus must be within this many dB of the recording's loud end (99th percentile of the
    /// vowel-band envelope). Default: `25.0`.
    pub silence_db: f64,
    /// Shortest time between two nuclei, seconds. Default: `0.08`.
    pub min_gap_s: f64,
    /// Window of the local rate contour, seconds. Default: `2.0`.
    pub contour_window_s: f64,
    /// Step of the local rate contour, seconds. Default: `0.25`.
    pub contour_hop_s: f64,
}

impl Default for RateOptions {
    fn default() -> Self {
        RateOptions {
            band_low_hz: 300.0,
            band_high_hz: 2400.0,
            min_prominence_db: 2.0,
            silence_db: 25.0,
            min_gap_s: 0.08,
            contour_window_s: 2.0,
            contour_hop_s: 0.25,
        }
    }
}

/// A second-order IIR section (RBJ cookbook), direct form I.
#[derive(Debug, Clone, Copy)]
struct Biquad {
    b: [f32; 3],
    a: [f32; 2],
}

impl Biquad {
    fn new(kind: BiquadKind, f0: f64, fs: f64) -> Self {
        let w0 = 2.0 * std::f64::consts::PI * f0 / fs;
        let q = std::f64::consts::FRAC_1_SQRT_2;
        let alpha = w0.sin() / (2.0 * q);
        let cw = w0.cos();
        let (b0, b1, b2) = match kind {
            BiquadKind::LowPass => ((1.0 - cw) / 2.0, 1.0 - cw, (1.0 - cw) / 2.0),
            BiquadKind::HighPass => ((1.0 + cw) / 2.0, -(1.0 + cw), (1.0 + cw) / 2.0),
        };
        let a0 = 1.0 + alpha;
        Biquad {
            b: [(b0 / a0) as f32, (b1 / a0) as f32, (b2 / a0) as f32],
            a: [(-2.0 * cw / a0) as f32, ((1.0 - alpha) / a0) as f32],
        }
    }

    fn run(&self, x: &mut [f32]) {
        let (mut x1, mut x2, mut y1, mut y2) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        for v in x.iter_mut() {
            let y =
                self.b[0] * *v + self.b[1] * x1 + self.b[2] * x2 - self.a[0] * y1 - self.a[1] * y2;
            x2 = x1;
            x1 = *v;
            y2 = y1;
            y1 = y;
            *v = y;
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum BiquadKind {
    LowPass,
    HighPass,
}

/// Speaking-rate figures (the report's `rate` section).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// Acoustic syllable nuclei found.
    pub syllables: usize,
    /// Their times, seconds.
    pub nuclei_s: Vec<f64>,
    /// Syllables per second over the speech span.
    pub speech_rate_sps: Option<f64>,
    /// Syllables per second of phonation (pauses excluded).
    pub articulation_rate_sps: Option<f64>,
    /// Words per minute over the speech span, from a transcript; `None` without one.
    pub words_per_minute: Option<f64>,
    /// Local articulation rate over sliding windows.
    pub contour: RateContour,
}

/// Articulation rate in sliding windows: value `i` covers the window centred at
/// `i * hop_s`; `None` where the window holds under 0.5 s of phonation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RateContour {
    /// Seconds between window centres.
    pub hop_s: f64,
    /// Window length, seconds.
    pub window_s: f64,
    /// Syllables per second of phonation in each window.
    pub sps: Vec<Option<f64>>,
}

/// Syllable-nucleus detector, built once.
#[derive(Debug, Clone)]
pub struct SyllableDetector {
    opts: RateOptions,
    rate_hz: u32,
    filters: [Biquad; 4],
}

impl SyllableDetector {
    /// A detector for audio at `rate_hz`. `None` when the band does not fit the rate.
    pub fn new(rate_hz: u32, opts: RateOptions) -> Option<Self> {
        let fs = f64::from(rate_hz);
        if !(opts.band_low_hz > 0.0
            && opts.band_high_hz > opts.band_low_hz
            && opts.band_high_hz < fs / 2.0
            && opts.min_gap_s >= 0.0
            && opts.contour_window_s > 0.0
            && opts.contour_hop_s > 0.0)
        {
            return None;
        }
        let hp = Biquad::new(BiquadKind::HighPass, opts.band_low_hz, fs);
        let lp = Biquad::new(BiquadKind::LowPass, opts.band_high_hz, fs);
        Some(SyllableDetector {
            opts,
            rate_hz,
            filters: [hp, hp, lp, lp],
        })
    }

    /// The options in force.
    pub fn options(&self) -> &RateOptions {
        &self.opts
    }

    /// The vowel-band envelope in dB, one frame per `hop_s`, frame `i` centred at `i * hop_s`.
    pub fn envelope(&self, samples: &[f32], hop_s: f64) -> Vec<f32> {
        let mut x = samples.to_vec();
        for f in &self.filters {
            f.run(&mut x);
        }
        let hop = (hop_s * f64::from(self.rate_hz)).round().max(1.0) as usize;
        smooth_db(&block_energy(&x, hop, samples.len().div_ceil(hop)))
    }

    /// Finds syllable nuclei: prominent, loud-enough, voiced peaks of the vowel-band envelope.
    /// Returns their times in seconds.
    pub fn nuclei(&self, samples: &[f32], pitch: &PitchTrack, seg: &Segmentation) -> Vec<f64> {
        let hop_s = pitch.hop_s;
        let env = self.envelope(samples, hop_s);
        self.nuclei_from_envelope(&env, hop_s, pitch, seg)
    }

    fn nuclei_from_envelope(
        &self,
        env: &[f32],
        hop_s: f64,
        pitch: &PitchTrack,
        seg: &Segmentation,
    ) -> Vec<f64> {
        let mut levels: Vec<f64> = env
            .iter()
            .map(|&d| f64::from(d))
            .filter(|&d| d > -190.0)
            .collect();
        let Some(loud) = crate::dsp::quantile(&mut levels, 0.99) else {
            return Vec::new();
        };
        let threshold = (loud - self.opts.silence_db) as f32;
        let prom = self.opts.min_prominence_db as f32;
        // Local maxima (plateaus count once, at their start).
        let mut peaks: Vec<usize> = Vec::new();
        for i in 1..env.len().saturating_sub(1) {
            if env[i] > env[i - 1] && env[i] >= env[i + 1] && env[i] >= threshold {
                peaks.push(i);
            }
        }
        // Prominence: walk each way until the envelope rises above the peak (or the signal ends);
        // the higher of the two lowest points passed is the peak's base.
        let mut kept: Vec<usize> = Vec::new();
        for &p in &peaks {
            let h = env[p];
            let mut left_min = h;
            for &v in env[..p].iter().rev() {
                if v > h {
                    break;
                }
                left_min = left_min.min(v);
            }
            let mut right_min = h;
            for &v in &env[p + 1..] {
                if v > h {
                    break;
                }
                right_min = right_min.min(v);
            }
            if h - left_min.max(right_min) < prom {
                continue;
            }
            if !voiced_near(pitch, p) {
                continue;
            }
            if !seg.sounding.get(p).copied().unwrap_or(false) {
                continue;
            }
            kept.push(p);
        }
        // Merge nuclei closer than min_gap_s, keeping the louder.
        let min_gap = (self.opts.min_gap_s / hop_s).round() as usize;
        let mut merged: Vec<usize> = Vec::with_capacity(kept.len());
        for p in kept {
            match merged.last_mut() {
                Some(last) if p - *last < min_gap => {
                    if env[p] > env[*last] {
                        *last = p;
                    }
                }
                _ => merged.push(p),
            }
        }
        merged.into_iter().map(|p| p as f64 * hop_s).collect()
    }

    /// Rate figures from nuclei and the speech segmentation.
    pub fn summarize(&self, nuclei_s: Vec<f64>, seg: &Segmentation) -> Rate {
        let span = match (seg.speech.start_s, seg.speech.end_s) {
            (Some(a), Some(b)) if b > a => Some(b - a),
            _ => None,
        };
        let phon = seg.speech.phonation_s.filter(|&p| p > 0.0);
        let n = nuclei_s.len();
        let contour = self.contour(&nuclei_s, seg);
        Rate {
            syllables: n,
            speech_rate_sps: span.map(|s| n as f64 / s),
            articulation_rate_sps: phon.map(|p| n as f64 / p),
            words_per_minute: None,
            contour,
            nuclei_s,
        }
    }

    fn contour(&self, nuclei_s: &[f64], seg: &Segmentation) -> RateContour {
        let (hop, win) = (self.opts.contour_hop_s, self.opts.contour_window_s);
        let end = seg.speech.end_s.unwrap_or(0.0);
        let n = if end > 0.0 {
            (end / hop).ceil() as usize + 1
        } else {
            0
        };
        let sps = (0..n)
            .map(|i| {
                articulation_rate_between(
                    nuclei_s,
                    seg,
                    i as f64 * hop - win / 2.0,
                    i as f64 * hop + win / 2.0,
                )
            })
            .collect();
        RateContour {
            hop_s: hop,
            window_s: win,
            sps,
        }
    }
}

/// Syllables per second of phonation between `a` and `b` seconds; `None` when that stretch holds
/// under 0.5 s of phonation. Later analyses use it to compare, say, the caller's name with the rest.
pub fn articulation_rate_between(
    nuclei_s: &[f64],
    seg: &Segmentation,
    a: f64,
    b: f64,
) -> Option<f64> {
    let phon = seg.phonation_between(a, b);
    if phon < 0.5 {
        return None;
    }
    let count = nuclei_s.iter().filter(|&&t| t >= a && t < b).count();
    Some(count as f64 / phon)
}

/// Voiced at frame `i` or one frame either side (peaks of the envelope and voicing onsets need
/// not coincide to the frame).
fn voiced_near(pitch: &PitchTrack, i: usize) -> bool {
    pitch.is_voiced(i) || (i > 0 && pitch.is_voiced(i - 1)) || pitch.is_voiced(i + 1)
}
