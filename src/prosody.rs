//! Intensity, the speech span, pauses and level.
//!
//! Intensity is the mean square of the signal over a ~50 ms Hann-weighted window every hop, in dB
//! relative to full scale (a full-scale sine reads −3 dBFS). A frame is *sounding* when it is within
//! [`ProsodyOptions::silence_db`] of the recording's loud end (its 99th percentile) and above
//! [`ProsodyOptions::floor_dbfs`]; the speech span runs from the first sounding frame to the last,
//! and a pause is a silent run of at least [`ProsodyOptions::min_pause_s`] inside it, as in
//! de Jong & Wempe's syllable-nuclei method.

use serde::{Deserialize, Serialize};

use crate::dsp::{quantile, smooth, LOUD_QUANTILE, SILENT_DB};
use crate::error::require;
use crate::report::{Span, Speech};

/// Options for speech detection. Defaults follow de Jong & Wempe (2009).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ProsodyOptions {
    /// Shortest silence inside speech that counts as a pause, seconds. Default: `0.3`.
    pub min_pause_s: f64,
    /// A frame is silent when more than this many dB below the 99th percentile of intensity.
    /// Default: `25.0`.
    pub silence_db: f64,
    /// Frames below this level are silent whatever the recording's loudness, dBFS.
    /// Default: `-70.0`.
    pub floor_dbfs: f64,
    /// Sounding runs shorter than this (clicks) are ignored, seconds. Default: `0.05`.
    pub min_sound_s: f64,
}

impl ProsodyOptions {
    /// Checks each option against what it may be, naming the first that is not.
    pub(crate) fn check(&self) -> crate::Result<()> {
        require(
            self.min_pause_s > 0.0,
            "prosody.min_pause_s",
            self.min_pause_s,
            "> 0 s",
        )?;
        require(
            self.silence_db > 0.0,
            "prosody.silence_db",
            self.silence_db,
            "> 0 dB",
        )
    }
}

impl Default for ProsodyOptions {
    fn default() -> Self {
        ProsodyOptions {
            min_pause_s: 0.3,
            silence_db: 25.0,
            floor_dbfs: -70.0,
            min_sound_s: 0.05,
        }
    }
}

/// An intensity contour: frame `i` centred at `i * hop_s`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Intensity {
    /// Seconds between frames.
    pub hop_s: f64,
    /// Level per frame, dBFS (−200 for digital silence).
    pub db: Vec<f32>,
}

/// Span of the Hann window smoothing the intensity contour, seconds.
const SMOOTHING_S: f64 = 0.06;

/// The smoothing kernel for frames `hop_s` apart: a Hann window spanning [`SMOOTHING_S`] sampled
/// at the frames (its zero ends left out), so that the smoothing lasts as long whatever the
/// hop; at 10 ms, `[0.25, 0.75, 1, 0.75, 0.25]`.
fn kernel(hop_s: f64) -> Vec<f32> {
    let half = (0.5 * SMOOTHING_S / hop_s).ceil() as i64 - 1;
    (-half.max(0)..=half.max(0))
        .map(|j| {
            let t = j as f64 * hop_s;
            (0.5 + 0.5 * (2.0 * std::f64::consts::PI * t / SMOOTHING_S).cos()) as f32
        })
        .collect()
}

/// Energy per block of `hop` samples, block `i` centred at sample `i * hop`: the mean square
/// around the block's own mean, so that a DC offset does not read as sound.
pub(crate) fn block_energy(samples: &[f32], hop: usize, n_frames: usize) -> Vec<f32> {
    let half = hop / 2;
    (0..n_frames)
        .map(|i| {
            let a = (i * hop).saturating_sub(half).min(samples.len());
            let b = (i * hop + hop - half).min(samples.len());
            if b > a {
                let block = &samples[a..b];
                let n = block.len() as f64;
                let mean = block.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
                let ms = block
                    .iter()
                    .map(|&v| (f64::from(v) - mean).powi(2))
                    .sum::<f64>()
                    / n;
                ms as f32
            } else {
                0.0
            }
        })
        .collect()
}

/// Smooths block energies with `kernel` (odd length, centred) and converts to dB.
pub(crate) fn smooth_db(energy: &[f32], kernel: &[f32]) -> Vec<f32> {
    smooth(energy, kernel)
        .into_iter()
        .map(|ms| {
            if ms > 1e-20 {
                10.0 * ms.log10()
            } else {
                SILENT_DB
            }
        })
        .collect()
}

/// Computes the intensity contour of `samples` at `rate_hz`, one frame per `hop_s`.
pub(crate) fn intensity(samples: &[f32], rate_hz: u32, hop_s: f64) -> Intensity {
    let hop = (hop_s * f64::from(rate_hz)).round().max(1.0) as usize;
    let n_frames = samples.len().div_ceil(hop);
    Intensity {
        hop_s,
        db: smooth_db(&block_energy(samples, hop, n_frames), &kernel(hop_s)),
    }
}

/// Least phonation (speaking time, pauses excluded) a stretch needs before a rate is given for
/// it, seconds: about two syllables at a usual rate, so that a name said in half a second still
/// has a rate, and a stretch of one syllable does not.
pub(crate) const MIN_PHONATION_S: f64 = 0.3;

/// Frame-level speech detection behind [`Speech`].
#[derive(Debug, Clone, PartialEq)]
pub struct Segmentation {
    /// The report figures.
    pub speech: Speech,
    /// Per intensity frame: sounding or not.
    pub sounding: Vec<bool>,
    /// Level a frame must reach to sound, dBFS.
    pub threshold_dbfs: f64,
    /// The 99th percentile of intensity, dBFS.
    pub loud_dbfs: Option<f64>,
    /// The 10th percentile of intensity (background level), dBFS.
    pub floor_dbfs: Option<f64>,
}

impl Segmentation {
    /// The phrases: sounding stretches between pauses.
    pub fn phrases(&self) -> Vec<Span> {
        let Some(span) = self.speech.span() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut start_s = span.start_s;
        for p in &self.speech.pauses {
            out.push(Span {
                start_s,
                end_s: p.start_s,
            });
            start_s = p.end_s;
        }
        out.push(Span {
            start_s,
            end_s: span.end_s,
        });
        out
    }
}

/// The quantile of a recording's frame levels taken as its background: a voicemail is rarely
/// more than nine tenths speech.
const BACKGROUND_QUANTILE: f64 = 0.10;

/// Finds the speech span and pauses in an intensity contour.
pub(crate) fn segment(
    intensity: &Intensity,
    duration_s: f64,
    opts: &ProsodyOptions,
) -> Segmentation {
    let hop = intensity.hop_s;
    let mut levels: Vec<f64> = intensity
        .db
        .iter()
        .map(|&d| f64::from(d))
        .filter(|&d| d > f64::from(SILENT_DB))
        .collect();
    let loud = quantile(&mut levels, LOUD_QUANTILE);
    let floor = quantile(&mut levels, BACKGROUND_QUANTILE);
    let threshold = loud.map_or(opts.floor_dbfs, |l| {
        (l - opts.silence_db).max(opts.floor_dbfs)
    });
    let mut sounding: Vec<bool> = intensity
        .db
        .iter()
        .map(|&d| f64::from(d) >= threshold)
        .collect();
    // Drop clicks: sounding runs shorter than min_sound_s.
    drop_clicks(&mut sounding, (opts.min_sound_s / hop).round() as usize);
    let first = sounding.iter().position(|&s| s);
    let last = sounding.iter().rposition(|&s| s);
    let speech = match (first, last) {
        (Some(f), Some(l)) => {
            // Frame i covers [i*hop - hop/2, i*hop + hop/2).
            let start = ((f as f64 - 0.5) * hop).max(0.0);
            let end = ((l as f64 + 0.5) * hop).min(duration_s);
            let mut pauses = Vec::new();
            let mut k = f;
            while k <= l {
                if !sounding[k] {
                    let run_end = sounding[k..=l]
                        .iter()
                        .position(|&s| s)
                        .map_or(l + 1, |p| k + p);
                    let (ps, pe) = ((k as f64 - 0.5) * hop, (run_end as f64 - 0.5) * hop);
                    if pe - ps >= opts.min_pause_s - 1e-9 {
                        pauses.push(Span {
                            start_s: ps,
                            end_s: pe,
                        });
                    }
                    k = run_end;
                } else {
                    k += 1;
                }
            }
            let paused: f64 = pauses.iter().map(|p| p.end_s - p.start_s).sum();
            Speech {
                start_s: Some(start),
                end_s: Some(end),
                leading_silence_s: Some(start),
                trailing_silence_s: Some((duration_s - end).max(0.0)),
                phonation_s: Some(end - start - paused),
                pauses,
            }
        }
        _ => Speech::default(),
    };
    Segmentation {
        speech,
        sounding,
        threshold_dbfs: threshold,
        loud_dbfs: loud,
        floor_dbfs: floor,
    }
}

/// Silences the sounding runs of fewer than `min_run` frames (clicks).
fn drop_clicks(sounding: &mut [bool], min_run: usize) {
    let mut i = 0;
    while i < sounding.len() {
        if sounding[i] {
            let j = sounding[i..]
                .iter()
                .position(|&s| !s)
                .map_or(sounding.len(), |k| i + k);
            if j - i < min_run {
                sounding[i..j].iter_mut().for_each(|s| *s = false);
            }
            i = j;
        } else {
            i += 1;
        }
    }
}

/// Where sound starts after silence: the start of each sounding run, seconds.
pub(crate) fn sounding_starts(seg: &Segmentation, hop_s: f64) -> Vec<f64> {
    sounding_runs(seg, hop_s)
        .iter()
        .map(|r| r.start_s)
        .collect()
}

/// The sounding runs: stretches of sound between silences, in order.
pub(crate) fn sounding_runs(seg: &Segmentation, hop_s: f64) -> Vec<Span> {
    let run = |a: usize, b: usize| Span {
        start_s: ((a as f64) - 0.5).max(0.0) * hop_s,
        end_s: (b as f64 - 0.5) * hop_s,
    };
    let mut out = Vec::new();
    let mut start = None;
    for (i, &s) in seg.sounding.iter().enumerate() {
        match (s, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push(run(a, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        out.push(run(a, seg.sounding.len()));
    }
    out
}

/// Acoustic onsets, in seconds: where sound starts after silence (the start of each sounding run),
/// and, between successive syllable nuclei with no silence between them, the intensity dip
/// that separates them. Sorted, one per place.
pub(crate) fn onsets(intensity: &Intensity, seg: &Segmentation, nuclei_s: &[f64]) -> Vec<f64> {
    let hop = intensity.hop_s;
    let mut out = sounding_starts(seg, hop);
    let frame =
        |t: f64| ((t / hop).round().max(0.0) as usize).min(intensity.db.len().saturating_sub(1));
    for pair in nuclei_s.windows(2) {
        let (a, b) = (frame(pair[0]), frame(pair[1]));
        if b <= a + 1 || seg.sounding[a..=b].iter().any(|&s| !s) {
            continue;
        }
        if let Some((m, _)) = intensity.db[a + 1..b]
            .iter()
            .enumerate()
            .min_by(|x, y| x.1.total_cmp(y.1))
        {
            out.push((a + 1 + m) as f64 * hop);
        }
    }
    out.sort_by(f64::total_cmp);
    out.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    out
}

/// Speech level from the sounding frames of `intensity`.
pub(crate) fn speech_level(intensity: &Intensity, seg: &Segmentation) -> Option<f64> {
    let (sum, n) = intensity
        .db
        .iter()
        .zip(&seg.sounding)
        .filter(|(_, &s)| s)
        .fold((0.0f64, 0usize), |(sum, n), (&d, _)| {
            (sum + 10f64.powf(f64::from(d) / 10.0), n + 1)
        });
    (n > 0).then(|| 10.0 * (sum / n as f64).log10())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone_bursts(rate: u32, spec: &[(f64, bool)]) -> Vec<f32> {
        let mut out = Vec::new();
        for &(secs, on) in spec {
            let n = (secs * f64::from(rate)) as usize;
            out.extend((0..n).map(|i| {
                if on {
                    (0.3 * (2.0 * std::f64::consts::PI * 200.0 * i as f64 / f64::from(rate)).sin())
                        as f32
                } else {
                    0.0
                }
            }));
        }
        out
    }

    #[test]
    fn span_and_pauses_of_bursts() {
        let x = tone_bursts(
            16000,
            &[
                (0.5, false),
                (1.0, true),
                (0.6, false),
                (1.0, true),
                (0.2, false),
                (0.5, true),
                (0.4, false),
            ],
        );
        let dur = x.len() as f64 / 16000.0;
        let seg = segment(&intensity(&x, 16000, 0.01), dur, &ProsodyOptions::default());
        let s = &seg.speech;
        // Each edge can move by the smoothing kernel's half-width (20 ms) plus half a hop (5 ms).
        let edge = 0.025 + 1e-9;
        let close = |a: Option<f64>, b: f64| (a.expect("measured") - b).abs() <= edge;
        assert!(close(s.start_s, 0.5), "{s:?}");
        assert!(close(s.end_s, 3.8), "{s:?}");
        assert!(close(s.trailing_silence_s, 0.4), "{s:?}");
        // The 0.6 s gap is a pause; the 0.2 s one is not.
        assert_eq!(s.pauses.len(), 1, "{s:?}");
        assert!(
            (s.pauses[0].start_s - 1.5).abs() <= edge && (s.pauses[0].end_s - 2.1).abs() <= edge
        );
        // Phonation has four edges (two bursts' ends around the pause, the span's two ends).
        assert!(
            (s.phonation_s.expect("measured") - 2.7).abs() <= 4.0 * edge,
            "{s:?}"
        );
        assert_eq!(seg.phrases().len(), 2);
    }

    #[test]
    fn silence_has_no_span() {
        let x = vec![0.0f32; 16000];
        let seg = segment(&intensity(&x, 16000, 0.01), 1.0, &ProsodyOptions::default());
        assert_eq!(seg.speech, Speech::default());
        assert!(seg.phrases().is_empty());
    }
}
