//! Speaking rate without a transcript: syllable nuclei.
//!
//! The anchor is de Jong & Wempe's (2009) Praat method: a syllable nucleus is an intensity peak
//! that stands out from the dips around it, rises above the silence threshold and is voiced.
//! This detector keeps that idea and changes the envelope and the peak test, which makes it count
//! better on telephone speech (see `scripts/eval-rate`):
//!
//! - the envelope is multi-band, after Wang & Narayanan's sub-band method: every 10 ms the level of
//!   16 log-spaced bands across 300–3400 Hz is measured and the 12 loudest are averaged in dB (a
//!   geometric mean of their energies), so a vowel, loud across many bands at once, stands out
//!   against a nasal or a fricative, loud in a few;
//! - a peak is kept by its *prominence* (how far one has to descend, on either side, before the
//!   envelope rises above it again) rather than by the dip to the previous peak only;
//! - two nuclei closer than [`RateOptions::min_gap_s`] are merged.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};
use serde::{Deserialize, Serialize};

use crate::dsp::{LOUD_QUANTILE, SILENT_DB};
use crate::error::{require, Result};
use crate::pitch::PitchTrack;
use crate::prosody::{Segmentation, MIN_PHONATION_S};
use crate::report::{Rate, RateContour};

/// Options for syllable-nucleus detection and rate contours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RateOptions {
    /// Lower edge of the analysed band, Hz. Default: `300.0`.
    pub band_low_hz: f64,
    /// Upper edge of the analysed band, Hz. Default: `3400.0` (the telephone band).
    pub band_high_hz: f64,
    /// How far a peak must stand above the envelope between it and any higher peak, dB.
    /// Default: `1.5`.
    pub min_prominence_db: f64,
    /// A nucleus must be within this many dB of the recording's loud end (99th percentile of the
    /// envelope). Default: `25.0`.
    pub silence_db: f64,
    /// Shortest time between two nuclei, seconds. Default: `0.08`.
    pub min_gap_s: f64,
    /// A peak counts as voiced where the pitch track is voiced, or where the frame's periodicity
    /// ([`PitchTrack::periodicity`]) reaches this share of the recording's typical periodicity
    /// (the 90th percentile over sounding frames): the vowels of a noisy line are less periodic
    /// throughout, and the track's voicing bar, set for pitch, misses some of them.
    /// `1.0` or more: the track alone. Default: `0.5`.
    pub min_periodicity: f64,
    /// Length of the Hann window smoothing the envelope, seconds. Default: `0.07`.
    pub smoothing_s: f64,
    /// Number of log-spaced bands across the analysed band. Default: `16`.
    pub bands: usize,
    /// How many of the loudest bands are averaged (in dB) per frame. Default: `12`.
    pub top_bands: usize,
    /// Window of the local rate contour, seconds. Default: `2.0`.
    pub contour_window_s: f64,
    /// Step of the local rate contour, seconds. Default: `0.25`.
    pub contour_hop_s: f64,
}

impl Default for RateOptions {
    fn default() -> Self {
        RateOptions {
            band_low_hz: 300.0,
            band_high_hz: 3400.0,
            min_prominence_db: 1.5,
            silence_db: 25.0,
            min_gap_s: 0.08,
            min_periodicity: 0.5,
            smoothing_s: 0.07,
            bands: 16,
            top_bands: 12,
            contour_window_s: 2.0,
            contour_hop_s: 0.25,
        }
    }
}

/// Syllable-nucleus detector, built once.
#[derive(Clone)]
pub struct SyllableDetector {
    opts: RateOptions,
    rate_hz: u32,
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    /// FFT bin ranges of the bands.
    band_bins: Vec<(usize, usize)>,
}

impl std::fmt::Debug for SyllableDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyllableDetector")
            .field("opts", &self.opts)
            .field("rate_hz", &self.rate_hz)
            .finish()
    }
}

/// The envelope's analysis window, seconds: a few pitch periods, short beside a syllable.
const WINDOW_S: f64 = 0.025;

/// How far above [`SILENT_DB`] a smoothed envelope frame still counts as silent, dB: smoothing
/// spreads a silent frame into its neighbours by less than this.
const SILENCE_SPREAD_DB: f64 = 10.0;

/// The quantile of the sounding frames' periodicity taken as the recording's typical one: the
/// vowels, not the most periodic frame.
const TYPICAL_QUANTILE: f64 = 0.9;

/// Checks each option against what it may be at sample rate `fs`, naming the first that is not.
fn check(o: &RateOptions, fs: f64) -> Result<()> {
    require(
        o.band_low_hz > 0.0,
        "rate.band_low_hz",
        o.band_low_hz,
        "> 0 Hz",
    )?;
    require(
        o.band_high_hz > o.band_low_hz && o.band_high_hz < fs / 2.0,
        "rate.band_high_hz",
        o.band_high_hz,
        format_args!(
            "above band_low_hz ({} Hz) and below {} Hz (half the rate)",
            o.band_low_hz,
            fs / 2.0
        ),
    )?;
    require(o.min_gap_s >= 0.0, "rate.min_gap_s", o.min_gap_s, ">= 0 s")?;
    require(
        o.smoothing_s >= 0.0,
        "rate.smoothing_s",
        o.smoothing_s,
        ">= 0 s",
    )?;
    require(
        o.contour_window_s > 0.0,
        "rate.contour_window_s",
        o.contour_window_s,
        "> 0 s",
    )?;
    require(
        o.contour_hop_s > 0.0,
        "rate.contour_hop_s",
        o.contour_hop_s,
        "> 0 s",
    )
}

impl SyllableDetector {
    /// A detector for audio at `rate_hz`; [`Error::InvalidOptions`](crate::Error::InvalidOptions)
    /// naming the first option that is unusable (the band must fit under half the rate).
    pub fn new(rate_hz: u32, opts: RateOptions) -> Result<Self> {
        let fs = f64::from(rate_hz);
        check(&opts, fs)?;
        let win = (WINDOW_S * fs).round() as usize;
        let n = crate::dsp::fast_fft_len(win);
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(n);
        let bands = opts.bands.max(1);
        let ratio = (opts.band_high_hz / opts.band_low_hz).powf(1.0 / bands as f64);
        let band_bins = (0..bands)
            .map(|b| {
                let lo = opts.band_low_hz * ratio.powi(b as i32);
                let hi = lo * ratio;
                let bin = |f: f64| (f / fs * n as f64).round() as usize;
                (bin(lo), bin(hi).max(bin(lo) + 1))
            })
            .collect();
        Ok(SyllableDetector {
            opts,
            rate_hz,
            fft,
            window: crate::dsp::hann(win),
            band_bins,
        })
    }

    /// The options in force.
    pub fn options(&self) -> &RateOptions {
        &self.opts
    }

    /// The multi-band envelope in dB: per frame, the mean level of the loudest
    /// [`RateOptions::top_bands`] of [`RateOptions::bands`] log-spaced bands, smoothed.
    pub fn band_envelope(&self, samples: &[f32], hop_s: f64) -> Vec<f32> {
        let hop = (hop_s * f64::from(self.rate_hz)).round().max(1.0) as usize;
        let n_frames = samples.len().div_ceil(hop);
        let w = self.window.len();
        let mut frame = self.fft.make_input_vec();
        let mut spec = self.fft.make_output_vec();
        let mut scratch = self.fft.make_scratch_vec();
        let mut levels = vec![0.0f32; self.band_bins.len()];
        let top = self.opts.top_bands.clamp(1, self.band_bins.len());
        let mut raw = Vec::with_capacity(n_frames);
        for i in 0..n_frames {
            let start = (i * hop) as isize - (w / 2) as isize;
            crate::dsp::copy_frame(samples, start, &mut frame[..w]);
            for (v, &h) in frame[..w].iter_mut().zip(&self.window) {
                *v *= h;
            }
            frame[w..].iter_mut().for_each(|v| *v = 0.0);
            if self
                .fft
                .process_with_scratch(&mut frame, &mut spec, &mut scratch)
                .is_err()
            {
                raw.push(SILENT_DB);
                continue;
            }
            for (l, &(a, b)) in levels.iter_mut().zip(&self.band_bins) {
                let e: f32 = spec[a..b.min(spec.len())]
                    .iter()
                    .map(|c| c.norm_sqr())
                    .sum::<f32>()
                    / (b - a) as f32;
                *l = 10.0 * (e + 1e-12).log10();
            }
            // Mean of the `top` loudest bands: everything but the quietest `drop`.
            let drop = levels.len() - top;
            let quiet: f32 = if drop > 0 {
                levels.select_nth_unstable_by(drop - 1, |a, b| a.total_cmp(b));
                levels[..drop].iter().sum()
            } else {
                0.0
            };
            raw.push((levels.iter().sum::<f32>() - quiet) / top as f32);
        }
        // Smooth in the dB domain, over `smoothing_s` whatever the hop.
        let taps = ((self.opts.smoothing_s / hop_s).round() as usize).max(1) | 1;
        crate::dsp::smooth(&raw, &crate::dsp::hann(taps))
    }

    /// Finds syllable nuclei: prominent, loud-enough, voiced peaks of the vowel-band envelope.
    /// Returns their times in seconds.
    pub fn nuclei(&self, samples: &[f32], pitch: &PitchTrack, seg: &Segmentation) -> Vec<f64> {
        let hop_s = pitch.hop_s;
        let env = self.band_envelope(samples, hop_s);
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
            .filter(|&d| d > f64::from(SILENT_DB) + SILENCE_SPREAD_DB)
            .collect();
        let Some(loud) = crate::dsp::quantile(&mut levels, LOUD_QUANTILE) else {
            return Vec::new();
        };
        let threshold = (loud - self.opts.silence_db) as f32;
        let prom = self.opts.min_prominence_db as f32;
        let min_periodicity = self.periodicity_bar(pitch, seg);
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
            if !voiced_near(pitch, p, min_periodicity) {
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

    /// The periodicity that counts a peak as voiced (see [`RateOptions::min_periodicity`]).
    fn periodicity_bar(&self, pitch: &PitchTrack, seg: &Segmentation) -> f32 {
        let mut sounding: Vec<f64> = pitch
            .periodicity
            .iter()
            .zip(&seg.sounding)
            .filter(|(_, &s)| s)
            .map(|(&p, _)| f64::from(p))
            .collect();
        let typical = crate::dsp::quantile(&mut sounding, TYPICAL_QUANTILE).unwrap_or(1.0);
        (self.opts.min_periodicity * typical) as f32
    }

    /// Rate figures from nuclei and the speech segmentation.
    pub fn summarize(&self, nuclei_s: Vec<f64>, seg: &Segmentation) -> Rate {
        let span = seg.speech.span().map(|s| s.duration_s());
        let phon = seg.speech.phonation_s.filter(|&p| p > 0.0);
        let n = nuclei_s.len();
        let contour = self.contour(&nuclei_s, seg);
        Rate {
            syllables: n,
            speech_rate_sps: span.map(|s| n as f64 / s),
            articulation_rate_sps: phon.map(|p| n as f64 / p),
            words_per_minute: None,
            transcript_syllables: None,
            transcript_rate_sps: None,
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
        let least = CONTOUR_MIN_PHONATION_SHARE * win;
        let sps = (0..n)
            .map(|i| {
                let centre = i as f64 * hop;
                articulation_rate_between(
                    nuclei_s,
                    seg,
                    (centre - win / 2.0, centre + win / 2.0),
                    least,
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

/// Share of a rate-contour window that must be phonation before the window gets a rate: with the
/// default 2 s window, 0.5 s. A window mostly of pause would give a rate from a syllable or two.
const CONTOUR_MIN_PHONATION_SHARE: f64 = 0.25;

/// Syllables per second of phonation between `a` and `b` seconds; `None` when that stretch holds
/// under `least_s` of phonation (never less than [`MIN_PHONATION_S`]).
fn articulation_rate_between(
    nuclei_s: &[f64],
    seg: &Segmentation,
    (a, b): (f64, f64),
    least_s: f64,
) -> Option<f64> {
    let phon = seg.speech.phonation_between(a, b);
    if phon < least_s.max(MIN_PHONATION_S) {
        return None;
    }
    let count = nuclei_s.iter().filter(|&&t| t >= a && t < b).count();
    Some(count as f64 / phon)
}

/// Voiced, or at least `min_periodicity` periodic, at frame `i` or one frame either side (peaks
/// of the envelope and voicing onsets need not coincide to the frame).
fn voiced_near(pitch: &PitchTrack, i: usize, min_periodicity: f32) -> bool {
    let voiced = |j: usize| {
        pitch.is_voiced(j)
            || pitch
                .periodicity
                .get(j)
                .is_some_and(|&p| p >= min_periodicity)
    };
    voiced(i) || (i > 0 && voiced(i - 1)) || voiced(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_periodic_frame_counts_as_voiced_where_the_track_is_not() {
        let track = PitchTrack {
            hop_s: 0.01,
            f0_hz: vec![0.0, 0.0, 0.0, 0.0, 120.0],
            periodicity: vec![0.0, 0.35, 0.0, 0.0, 0.9],
        };
        // Frame 1 is unvoiced in the track but 0.35 periodic.
        assert!(voiced_near(&track, 0, 0.3));
        assert!(!voiced_near(&track, 0, 0.4));
        // Frame 3 borrows the voicing of frame 4; frame 2 has no neighbour at 0.4 or more.
        assert!(voiced_near(&track, 3, 1.0));
        assert!(!voiced_near(&track, 2, 0.4));
    }
}
