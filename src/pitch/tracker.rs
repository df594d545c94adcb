//! The tracker itself: frames autocorrelated two at a time by FFT, candidates per frame, and
//! the Viterbi path through them.

use std::sync::Arc;

use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

use super::{PitchOptions, PitchTrack, MAX_CANDIDATES};
use crate::dsp::{copy_frame, fast_fft_len, hann, Decimator};
use crate::error::{require, Result};

/// Checks each option against what it may be, naming the first that is not.
fn check(o: &PitchOptions) -> Result<()> {
    require(o.floor_hz > 0.0, "pitch.floor_hz", o.floor_hz, "> 0 Hz")?;
    require(
        o.ceiling_hz > o.floor_hz,
        "pitch.ceiling_hz",
        o.ceiling_hz,
        format_args!("> floor_hz ({} Hz)", o.floor_hz),
    )?;
    require(o.hop_s > 0.0, "pitch.hop_s", o.hop_s, "> 0 s")?;
    require(
        (2..=MAX_CANDIDATES).contains(&o.max_candidates),
        "pitch.max_candidates",
        o.max_candidates,
        format_args!("2 to {MAX_CANDIDATES}"),
    )?;
    require(
        o.periods_per_window >= 1.5,
        "pitch.periods_per_window",
        o.periods_per_window,
        ">= 1.5",
    )?;
    require(
        o.loudness_span > 0.0 && o.loudness_span <= 1.0,
        "pitch.loudness_span",
        o.loudness_span,
        "in (0, 1]",
    )
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// 0.0 for the unvoiced candidate.
    f0: f32,
    /// `log2(f0)`, kept for the transition costs (unused when unvoiced).
    log2_f0: f32,
    strength: f32,
}

/// A pitch tracker for one input rate, built once and shared (`Send + Sync`).
pub struct PitchTracker {
    opts: PitchOptions,
    input_rate: u32,
    decimator: Decimator,
    rate: f64,
    window: Vec<f32>,
    /// Reciprocal of the window's normalised autocorrelation, per lag.
    inv_window_ac: Vec<f32>,
    /// The samples of a frame whose peak sets its loudness ([`PitchOptions::loudness_span`]).
    loudness_span: std::ops::Range<usize>,
    fft_len: usize,
    min_lag: usize,
    max_lag: usize,
    fft: Arc<dyn Fft<f32>>,
    ifft: Arc<dyn Fft<f32>>,
}

/// Scratch for one [`PitchTracker::track`] call.
struct PairWork {
    /// The current frame, mean removed, before windowing.
    frame: Vec<f32>,
    /// Two windowed frames packed as real and imaginary parts, zero-padded.
    buffer: Vec<Complex<f32>>,
    /// Power spectra of the pair, then their autocorrelations.
    power: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
    r_a: Vec<f32>,
    r_b: Vec<f32>,
}

impl PairWork {
    fn new(window: usize, fft_len: usize, lags: usize, scratch: usize) -> Self {
        let zero = Complex::new(0.0, 0.0);
        PairWork {
            frame: vec![0.0; window],
            buffer: vec![zero; fft_len],
            power: vec![zero; fft_len],
            scratch: vec![zero; scratch],
            r_a: vec![0.0; lags],
            r_b: vec![0.0; lags],
        }
    }

    /// The frame, windowed, into the real part of the buffer (the first of a pair), the rest of
    /// the buffer zeroed.
    fn window_into_real(&mut self, window: &[f32]) {
        for ((z, &v), &h) in self.buffer.iter_mut().zip(&self.frame).zip(window) {
            *z = Complex::new(v * h, 0.0);
        }
        self.buffer[window.len()..]
            .iter_mut()
            .for_each(|z| *z = Complex::new(0.0, 0.0));
    }

    /// The frame, windowed, into the imaginary part of the buffer (the second of a pair).
    fn window_into_imaginary(&mut self, window: &[f32]) {
        for ((z, &v), &h) in self.buffer.iter_mut().zip(&self.frame).zip(window) {
            z.im = v * h;
        }
    }
}

/// The largest distance of a sample from the samples' mean.
fn peak_around_mean(x: &[f32]) -> f64 {
    let mean = x.iter().map(|&v| f64::from(v)).sum::<f64>() / x.len().max(1) as f64;
    x.iter()
        .map(|&v| (f64::from(v) - mean).abs())
        .fold(0.0, f64::max)
}

impl std::fmt::Debug for PitchTracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PitchTracker")
            .field("opts", &self.opts)
            .field("input_rate", &self.input_rate)
            .field("analysis_rate", &self.rate)
            .field("fft_len", &self.fft_len)
            .finish()
    }
}

/// Analysis rate the tracker decimates to (approximately).
const ANALYSIS_RATE: u32 = 8000;

impl PitchTracker {
    /// Plans a tracker for audio at `input_rate` Hz.
    ///
    /// Returns `None` when the options are unusable (floor not below ceiling, non-positive hop, or
    /// a ceiling above what the rate can carry).
    pub fn new(input_rate: u32, opts: PitchOptions) -> Result<Self> {
        check(&opts)?;
        require(input_rate > 0, "input rate", input_rate, "> 0 Hz")?;
        let factor = (input_rate / ANALYSIS_RATE).max(1) as usize;
        let rate = f64::from(input_rate) / factor as f64;
        require(
            opts.ceiling_hz * 4.0 <= rate,
            "pitch.ceiling_hz",
            opts.ceiling_hz,
            format_args!(
                "<= {} (a quarter of the {rate} Hz analysis rate)",
                rate / 4.0
            ),
        )?;
        let win_len = (opts.periods_per_window / opts.floor_hz * rate).round() as usize;
        let min_lag = ((rate / opts.ceiling_hz).floor() as usize).max(2);
        let max_lag = (rate / opts.floor_hz).ceil() as usize;
        require(
            max_lag + 2 < win_len,
            "pitch.periods_per_window",
            opts.periods_per_window,
            "a window longer than the longest period",
        )?;
        let fft_len = fast_fft_len(win_len + max_lag + 2);
        // At least one sample: the options were checked to be in (0, 1].
        let span = ((opts.loudness_span * win_len as f64).round() as usize).max(1);
        let loudness_span = (win_len - span) / 2..(win_len + span) / 2;
        let window = hann(win_len);
        let inv_window_ac = autocorrelation_of(&window, max_lag + 2)
            .into_iter()
            .map(|v| 1.0 / v)
            .collect();
        let mut planner = FftPlanner::<f32>::new();
        let fft = planner.plan_fft_forward(fft_len);
        let ifft = planner.plan_fft_inverse(fft_len);
        Ok(PitchTracker {
            decimator: Decimator::new(factor, 16),
            opts,
            input_rate,
            rate,
            window,
            inv_window_ac,
            loudness_span,
            fft_len,
            min_lag,
            max_lag,
            fft,
            ifft,
        })
    }

    /// The options in force.
    pub fn options(&self) -> &PitchOptions {
        &self.opts
    }

    /// Tracks the pitch of `samples` (mono, at the rate given to [`PitchTracker::new`]).
    pub fn track(&self, samples: &[f32]) -> PitchTrack {
        let hop_s = self.opts.hop_s;
        let n_frames = self.frame_count(samples.len());
        // Already at the analysis rate: borrow; otherwise decimate into a new buffer.
        let decimated;
        let x: &[f32] = if self.decimator.factor() == 1 {
            samples
        } else {
            let mut buf = Vec::new();
            self.decimator.process(samples, &mut buf);
            decimated = buf;
            &decimated
        };

        let global_peak = peak_around_mean(x);
        if global_peak <= 0.0 || !global_peak.is_finite() {
            return PitchTrack {
                hop_s,
                f0_hz: vec![0.0; n_frames],
                periodicity: vec![0.0; n_frames],
            };
        }

        let w = self.window.len();
        let mut frames = Candidates::new(n_frames, self.opts.max_candidates);
        let scratch = self
            .fft
            .get_inplace_scratch_len()
            .max(self.ifft.get_inplace_scratch_len());
        let mut work = PairWork::new(w, self.fft_len, self.max_lag + 2, scratch);
        // A windowed frame waiting for a partner to share its FFT with: (frame index).
        let mut pending: Option<usize> = None;
        let vt = self.opts.voicing_threshold;
        let silent_ratio = self.opts.silence_threshold / (1.0 + vt);

        for i in 0..n_frames {
            let centre = (i as f64 * hop_s * self.rate).round() as isize;
            let start = centre - (w / 2) as isize;
            let frame = &mut work.frame;
            copy_frame(x, start, frame);
            let mean = frame.iter().sum::<f32>() / w as f32;
            frame.iter_mut().for_each(|v| *v -= mean);
            let local_peak = frame[self.loudness_span.clone()]
                .iter()
                .fold(0.0f32, |m, v| m.max(v.abs()));
            let intensity = f64::from(local_peak) / global_peak;
            let unvoiced_strength = vt + (2.0 - intensity / silent_ratio).max(0.0);
            frames.push(Candidate {
                f0: 0.0,
                log2_f0: 0.0,
                strength: unvoiced_strength as f32,
            });
            // A frame this quiet cannot beat its unvoiced candidate (strength > 1 + vt): skip it.
            if intensity < silent_ratio {
                continue;
            }
            // Window it into the real (first of a pair) or imaginary (second) part of the buffer.
            match pending.take() {
                None => {
                    work.window_into_real(&self.window);
                    pending = Some(i);
                }
                Some(first) => {
                    work.window_into_imaginary(&self.window);
                    self.autocorrelate_pair(&mut work);
                    self.candidates(&work.r_a, frames.frame_mut(first));
                    self.candidates(&work.r_b, frames.frame_mut(i));
                }
            }
        }
        if let Some(first) = pending {
            self.autocorrelate_pair(&mut work);
            self.candidates(&work.r_a, frames.frame_mut(first));
        }
        PitchTrack {
            hop_s,
            f0_hz: self.viterbi(&frames),
            periodicity: frames.periodicity,
        }
    }

    /// Frames of a track over `n` input samples: one a hop, the last one partial.
    fn frame_count(&self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (n as f64 / f64::from(self.input_rate) / self.opts.hop_s).ceil() as usize
        }
    }

    /// Autocorrelates the two real frames packed in `work.buffer` (one in the real part, one in the
    /// imaginary part) with one forward and one inverse complex FFT, writing the normalised
    /// autocorrelations (divided by lag 0 and by the window's own) to `work.r_a` and `work.r_b`.
    fn autocorrelate_pair(&self, work: &mut PairWork) {
        let n = self.fft_len;
        self.fft
            .process_with_scratch(&mut work.buffer, &mut work.scratch);
        // Split the spectra: A[k] = (Z[k] + conj Z[N-k]) / 2, B[k] = (Z[k] - conj Z[N-k]) / 2i.
        // Their power spectra are real and even, so one inverse FFT of |A|^2 + i |B|^2 returns
        // both autocorrelations, in its real and imaginary parts. (Common factors cancel below.)
        let z = &work.buffer;
        let split = |zk: Complex<f32>, zc: Complex<f32>| {
            let zc = zc.conj();
            Complex::new((zk + zc).norm_sqr(), (zk - zc).norm_sqr())
        };
        work.power[0] = split(z[0], z[0]);
        for (k, (p, &zk)) in work.power[1..].iter_mut().zip(&z[1..]).enumerate() {
            *p = split(zk, z[n - 1 - k]);
        }
        self.ifft
            .process_with_scratch(&mut work.power, &mut work.scratch);
        let (ra0, rb0) = (work.power[0].re, work.power[0].im);
        let inv_a = if ra0 > 0.0 { 1.0 / ra0 } else { 0.0 };
        let inv_b = if rb0 > 0.0 { 1.0 / rb0 } else { 0.0 };
        for (lag, &iw) in self.inv_window_ac.iter().enumerate() {
            let c = work.power[lag];
            work.r_a[lag] = c.re * inv_a * iw;
            work.r_b[lag] = c.im * inv_b * iw;
        }
    }

    /// Adds the voiced candidates of one frame's normalised autocorrelation `r` to `cands`, which
    /// holds the unvoiced candidate already and has room for `max_candidates`, and sets the
    /// frame's periodicity (its highest peak in the pitch range).
    fn candidates(
        &self,
        r: &[f32],
        (slots, count, periodicity): (&mut [Candidate], &mut usize, &mut f32),
    ) {
        let threshold = 0.5 * self.opts.voicing_threshold as f32;
        let octave_cost = self.opts.octave_cost as f32;
        let log_floor = self.opts.floor_hz.log2() as f32;
        let keep = self.opts.max_candidates - 1;
        for lag in self.min_lag..=self.max_lag {
            let (a, b, c) = (r[lag - 1], r[lag], r[lag + 1]);
            if !(b >= a && b > c) {
                continue;
            }
            *periodicity = periodicity.max(b.min(1.0));
            if b <= threshold {
                continue;
            }
            // Parabolic interpolation of the peak.
            let denom = a - 2.0 * b + c;
            let (delta, height) = if denom < 0.0 {
                let d = 0.5 * (a - c) / denom;
                (d, b - 0.25 * (a - c) * d)
            } else {
                (0.0, b)
            };
            let period = (lag as f32 + delta) / self.rate as f32;
            let f0 = 1.0 / period;
            if f64::from(f0) < self.opts.floor_hz || f64::from(f0) > self.opts.ceiling_hz {
                continue;
            }
            // Interpolation can overshoot 1; fold it back as Praat does.
            let height = if height > 1.0 { 1.0 / height } else { height };
            let log2_f0 = f0.log2();
            let strength = height - octave_cost * (log_floor - log2_f0);
            let cand = Candidate {
                f0,
                log2_f0,
                strength,
            };
            if *count - 1 < keep {
                slots[*count] = cand;
                *count += 1;
            } else if let Some((k, weakest)) = slots[..*count]
                .iter()
                .enumerate()
                .skip(1)
                .min_by(|a, b| a.1.strength.total_cmp(&b.1.strength))
            {
                if weakest.strength < strength {
                    slots[k] = cand;
                }
            }
        }
    }

    fn viterbi(&self, frames: &Candidates) -> Vec<f32> {
        let n = frames.len();
        if n == 0 {
            return Vec::new();
        }
        let stride = frames.stride;
        let correction = (0.01 / self.opts.hop_s) as f32;
        let vuc = self.opts.voiced_unvoiced_cost as f32 * correction;
        let ojc = self.opts.octave_jump_cost as f32 * correction;
        let mut score: Vec<f32> = frames.frame(0).iter().map(|c| c.strength).collect();
        let mut next = vec![0.0f32; stride];
        // back[t * stride + j]: best predecessor of candidate j of frame t.
        let mut back = vec![0u8; n * stride];
        for t in 1..n {
            let prev = frames.frame(t - 1);
            let cur = frames.frame(t);
            for (j, c) in cur.iter().enumerate() {
                let mut best = f32::NEG_INFINITY;
                let mut best_k = 0u8;
                for (k, (p, &sc)) in prev.iter().zip(&score).enumerate() {
                    let cost = match (p.f0 > 0.0, c.f0 > 0.0) {
                        (false, false) => 0.0,
                        (true, true) => ojc * (p.log2_f0 - c.log2_f0).abs(),
                        _ => vuc,
                    };
                    let s = sc - cost;
                    if s > best {
                        best = s;
                        best_k = k as u8;
                    }
                }
                next[j] = best + c.strength;
                back[t * stride + j] = best_k;
            }
            score.clear();
            score.extend_from_slice(&next[..cur.len()]);
        }
        let mut k = score
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(k, _)| k)
            .unwrap_or(0);
        let mut out = vec![0.0f32; n];
        for t in (0..n).rev() {
            out[t] = frames.frame(t)[k].f0;
            k = usize::from(back[t * stride + k]);
        }
        out
    }
}

/// Candidates of every frame, stored flat: frame `t` owns `slots[t * stride..][..counts[t]]`,
/// its first candidate the unvoiced one.
struct Candidates {
    slots: Vec<Candidate>,
    counts: Vec<usize>,
    periodicity: Vec<f32>,
    stride: usize,
}

impl Candidates {
    fn new(frames: usize, stride: usize) -> Self {
        Candidates {
            slots: Vec::with_capacity(frames * stride),
            counts: Vec::with_capacity(frames),
            periodicity: Vec::with_capacity(frames),
            stride,
        }
    }

    fn len(&self) -> usize {
        self.counts.len()
    }

    /// Starts a new frame with its unvoiced candidate.
    fn push(&mut self, unvoiced: Candidate) {
        self.slots.push(unvoiced);
        self.slots
            .extend(std::iter::repeat_n(unvoiced, self.stride - 1));
        self.counts.push(1);
        self.periodicity.push(0.0);
    }

    fn frame(&self, t: usize) -> &[Candidate] {
        &self.slots[t * self.stride..t * self.stride + self.counts[t]]
    }

    fn frame_mut(&mut self, t: usize) -> (&mut [Candidate], &mut usize, &mut f32) {
        (
            &mut self.slots[t * self.stride..(t + 1) * self.stride],
            &mut self.counts[t],
            &mut self.periodicity[t],
        )
    }
}

/// Normalised autocorrelation of a window for lags `0..lags`.
fn autocorrelation_of(w: &[f32], lags: usize) -> Vec<f32> {
    let r0: f64 = w.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
    (0..lags)
        .map(|lag| {
            let s: f64 = w
                .iter()
                .zip(w.iter().skip(lag))
                .map(|(&a, &b)| f64::from(a) * f64::from(b))
                .sum();
            (s / r0).max(1e-6) as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pulse_train(f0: f64, fs: f64, secs: f64) -> Vec<f32> {
        // Sum of harmonics with falling amplitude.
        let n = (fs * secs) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / fs;
                (1..=20)
                    .filter(|&h| f64::from(h) * f0 < fs / 2.0)
                    .map(|h| {
                        (2.0 * std::f64::consts::PI * f0 * f64::from(h) * t).sin() / f64::from(h)
                    })
                    .sum::<f64>() as f32
                    * 0.3
            })
            .collect()
    }

    #[test]
    fn steady_tone_is_found() {
        let t = PitchTracker::new(16000, PitchOptions::default()).expect("valid options");
        for f0 in [75.0, 120.0, 210.0, 330.0, 480.0] {
            let x = pulse_train(f0, 16000.0, 0.6);
            let track = t.track(&x);
            let mid = &track.f0_hz[10..track.f0_hz.len() - 10];
            for &f in mid {
                assert!(
                    (f64::from(f) - f0).abs() / f0 < 0.01,
                    "F0 {f0}: tracked {f}"
                );
            }
        }
    }

    #[test]
    fn candidates_are_bounded_by_the_path_search() {
        let with = |max_candidates| PitchOptions {
            max_candidates,
            ..PitchOptions::default()
        };
        assert!(PitchTracker::new(16000, with(MAX_CANDIDATES)).is_ok());
        assert!(PitchTracker::new(16000, with(MAX_CANDIDATES + 1)).is_err());
        assert!(PitchTracker::new(16000, with(1)).is_err());
    }

    #[test]
    fn silence_is_unvoiced() {
        let t = PitchTracker::new(16000, PitchOptions::default()).expect("valid options");
        let track = t.track(&vec![0.0; 16000]);
        assert_eq!(track.f0_hz.len(), 100);
        assert!(track.f0_hz.iter().all(|&f| f == 0.0));
        assert!(t.track(&[]).f0_hz.is_empty());
    }

    #[test]
    fn bad_options_are_refused() {
        let o = PitchOptions {
            floor_hz: 300.0,
            ceiling_hz: 200.0,
            ..PitchOptions::default()
        };
        assert!(PitchTracker::new(16000, o).is_err());
        let nan = PitchOptions {
            hop_s: f64::NAN,
            ..PitchOptions::default()
        };
        let e = PitchTracker::new(16000, nan).expect_err("NaN hop");
        assert!(
            e.to_string()
                .contains("`pitch.hop_s` = NaN: expected > 0 s"),
            "{e}"
        );
        let high = PitchOptions {
            ceiling_hz: 2500.0,
            ..PitchOptions::default()
        };
        let e = PitchTracker::new(8000, high).expect_err("ceiling above the rate");
        assert!(e.to_string().contains("`pitch.ceiling_hz` = 2500"), "{e}");
    }
}
