//! Small signal-processing building blocks shared by the analyses: FFT sizes, windows,
//! an anti-aliasing decimator, percentiles.

/// The smallest length ≥ `n` whose only prime factors are 2, 3 and 5 (fast for RustFFT).
pub(crate) fn fast_fft_len(n: usize) -> usize {
    let mut m = n.max(1);
    loop {
        let mut k = m;
        for p in [2, 3, 5] {
            while k.is_multiple_of(p) {
                k /= p;
            }
        }
        if k == 1 {
            return m;
        }
        m += 1;
    }
}

/// Copies `out.len()` samples of `signal` starting at `start` (which may be negative) into `out`,
/// with zeros where the frame reaches outside the signal.
pub(crate) fn copy_frame(signal: &[f32], start: isize, out: &mut [f32]) {
    let w = out.len();
    if start >= 0 && start as usize + w <= signal.len() {
        out.copy_from_slice(&signal[start as usize..start as usize + w]);
        return;
    }
    for (j, v) in out.iter_mut().enumerate() {
        let idx = start + j as isize;
        *v = if idx >= 0 && (idx as usize) < signal.len() {
            signal[idx as usize]
        } else {
            0.0
        };
    }
}

/// The level given to digital silence, dB: a frame with no energy has no logarithm.
pub(crate) const SILENT_DB: f32 = -200.0;

/// The quantile of a recording's frame levels taken as its loud end: the loudest 1 % are
/// clicks and plosive peaks rather than the voice's own level.
pub(crate) const LOUD_QUANTILE: f64 = 0.99;

/// A Hann window of `n` points (symmetric over the frame, zero just outside it).
pub(crate) fn hann(n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| {
            let x = (i as f64 + 0.5) / n as f64;
            (0.5 - 0.5 * (2.0 * std::f64::consts::PI * x).cos()) as f32
        })
        .collect()
}

/// `values` smoothed with `kernel` (odd length, centred, positive weights): each output is the
/// weighted mean of the values the kernel covers, fewer at the edges (0 where it covers none).
pub(crate) fn smooth(values: &[f32], kernel: &[f32]) -> Vec<f32> {
    let k = kernel.len() as isize / 2;
    (0..values.len() as isize)
        .map(|i| {
            let mut acc = 0.0f32;
            let mut weight = 0.0f32;
            for (j, &w) in kernel.iter().enumerate() {
                let idx = i + j as isize - k;
                if idx >= 0 && (idx as usize) < values.len() {
                    acc += w * values[idx as usize];
                    weight += w;
                }
            }
            if weight > 0.0 {
                acc / weight
            } else {
                0.0
            }
        })
        .collect()
}

/// Integer-factor decimation with a windowed-sinc low-pass in front, planned once.
///
/// For a factor of 2 the filter is a half-band filter (cut-off at the output Nyquist frequency,
/// Blackman-windowed, ~60 dB of stop-band attenuation above 1.25 times it): every other tap is
/// zero and the rest are symmetric, so an output sample costs `half / 2 + 1` multiplications. Other
/// factors use a plain windowed sinc at 90 % of the output Nyquist frequency. The filter's delay is
/// compensated: output sample `k` is aligned with input sample `k * factor`.
#[derive(Debug, Clone)]
pub struct Decimator {
    factor: usize,
    taps: Vec<f32>,
    half: usize,
    /// For factor 2: the centre tap and the non-zero odd-offset taps `h[1], h[3], …`.
    halfband: Option<(f32, Vec<f32>)>,
}

impl Decimator {
    /// A decimator by `factor` (1 = pass-through) with `2 * half + 1` taps per output sample.
    pub fn new(factor: usize, half: usize) -> Self {
        let factor = factor.max(1);
        if factor == 1 {
            return Decimator {
                factor,
                taps: vec![1.0],
                half: 0,
                halfband: None,
            };
        }
        let half = if factor == 2 { half | 1 } else { half };
        let cutoff = if factor == 2 {
            0.5
        } else {
            0.9 / factor as f64
        }; // of the input Nyquist
        let len = 2 * half + 1;
        let mut taps: Vec<f64> = (0..len)
            .map(|i| {
                let t = i as f64 - half as f64;
                let sinc = if t == 0.0 {
                    cutoff
                } else {
                    (std::f64::consts::PI * cutoff * t).sin() / (std::f64::consts::PI * t)
                };
                // Blackman window, zero just beyond both ends.
                let x = (i + 1) as f64 / (len + 1) as f64;
                let w = 0.42 - 0.5 * (2.0 * std::f64::consts::PI * x).cos()
                    + 0.08 * (4.0 * std::f64::consts::PI * x).cos();
                sinc * w
            })
            .collect();
        let sum: f64 = taps.iter().sum();
        taps.iter_mut().for_each(|t| *t /= sum);
        let taps: Vec<f32> = taps.into_iter().map(|t| t as f32).collect();
        let halfband = (factor == 2).then(|| {
            let odd = (1..=half).step_by(2).map(|k| taps[half + k]).collect();
            (taps[half], odd)
        });
        Decimator {
            factor,
            taps,
            half,
            halfband,
        }
    }

    /// The decimation factor.
    pub fn factor(&self) -> usize {
        self.factor
    }

    /// Decimates `input` into `out` (cleared first); `out` gets `ceil(len / factor)` samples.
    pub fn process(&self, input: &[f32], out: &mut Vec<f32>) {
        out.clear();
        if self.factor == 1 {
            out.extend_from_slice(input);
            return;
        }
        let n_out = input.len().div_ceil(self.factor);
        out.reserve(n_out);
        if let Some((centre, odd)) = &self.halfband {
            halfband_decimate(input, *centre, odd, out);
            return;
        }
        let h = self.half;
        for k in 0..n_out {
            let c = k * self.factor;
            if c >= h && c + h < input.len() {
                out.push(dot(&input[c - h..=c + h], &self.taps));
            } else {
                // Edges: treat samples outside the signal as zero.
                let mut acc = 0.0f32;
                for (j, &t) in self.taps.iter().enumerate() {
                    let idx = c as isize + j as isize - h as isize;
                    if idx >= 0 && (idx as usize) < input.len() {
                        acc += t * input[idx as usize];
                    }
                }
                out.push(acc);
            }
        }
    }
}

/// Half-band decimation by 2 in polyphase form. Output `m` is
/// `centre * x[2m] + sum_j odd[j] * (x[2m - 2j - 1] + x[2m + 2j + 1])`: a symmetric filter over the
/// odd-indexed samples, computed a block at a time, one vectorisable pass per tap.
fn halfband_decimate(input: &[f32], centre: f32, odd: &[f32], out: &mut Vec<f32>) {
    const BLOCK: usize = 4096;
    let n_out = input.len().div_ceil(2);
    let taps = odd.len();
    // Odd-indexed samples around the block: odd_buf[i] = x[2 * (m0 - taps + i) + 1], zero outside.
    let mut odd_buf = vec![0.0f32; BLOCK + 2 * taps];
    let mut acc = vec![0.0f32; BLOCK];
    let x_at = |i: isize| -> f32 {
        if i >= 0 && (i as usize) < input.len() {
            input[i as usize]
        } else {
            0.0
        }
    };
    let mut m0 = 0;
    while m0 < n_out {
        let len = BLOCK.min(n_out - m0);
        let first_odd = 2 * (m0 as isize - taps as isize) + 1;
        let last_odd = first_odd + 2 * (len + 2 * taps - 1) as isize;
        if first_odd >= 0 && (last_odd as usize) < input.len() {
            // Interior block: strided copies, no bounds test per sample.
            let odd_src = input[first_odd as usize..].iter().step_by(2);
            for (v, &x) in odd_buf[..len + 2 * taps].iter_mut().zip(odd_src) {
                *v = x;
            }
            let even_src = input[2 * m0..].iter().step_by(2);
            for (a, &x) in acc[..len].iter_mut().zip(even_src) {
                *a = centre * x;
            }
        } else {
            for (i, v) in odd_buf[..len + 2 * taps].iter_mut().enumerate() {
                *v = x_at(first_odd + 2 * i as isize);
            }
            for (i, a) in acc[..len].iter_mut().enumerate() {
                *a = centre * x_at(2 * (m0 + i) as isize);
            }
        }
        for (j, &t) in odd.iter().enumerate() {
            // x[2m - 2j - 1] is odd_buf[m - m0 + taps - 1 - j]; x[2m + 2j + 1] is odd_buf[m - m0 + taps + j].
            let left = &odd_buf[taps - 1 - j..taps - 1 - j + len];
            let right = &odd_buf[taps + j..taps + j + len];
            for ((a, &l), &r) in acc[..len].iter_mut().zip(left).zip(right) {
                *a += t * (l + r);
            }
        }
        out.extend_from_slice(&acc[..len]);
        m0 += len;
    }
}

impl Decimator {
    /// Filter taps, centred (for tests and inspection).
    pub fn taps(&self) -> &[f32] {
        &self.taps
    }
}

/// Dot product written so that the compiler vectorises it.
#[inline]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f32; 8];
    let chunks = n / 8;
    for c in 0..chunks {
        let x = &a[c * 8..c * 8 + 8];
        let y = &b[c * 8..c * 8 + 8];
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for i in chunks * 8..n {
        s += a[i] * b[i];
    }
    s
}

/// The `q`-quantile (0..=1) of `values` by linear interpolation; `None` when empty.
/// Reorders `values`.
pub(crate) fn quantile(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let pos = q.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    Some(values[lo] * (1.0 - frac) + values[hi] * frac)
}

/// Frequency ratio in semitones: `12 * log2(a / b)`.
pub(crate) fn semitones(a: f64, b: f64) -> f64 {
    12.0 * (a / b).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_lengths() {
        assert_eq!(fast_fft_len(533), 540);
        assert_eq!(fast_fft_len(1024), 1024);
        assert_eq!(fast_fft_len(7), 8);
    }

    #[test]
    fn decimator_passes_low_and_stops_high() {
        let d = Decimator::new(2, 24);
        let fs = 16000.0;
        let tone = |f: f64| -> Vec<f32> {
            (0..16000)
                .map(|i| (2.0 * std::f64::consts::PI * f * i as f64 / fs).sin() as f32)
                .collect()
        };
        let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
        let mut out = Vec::new();
        d.process(&tone(1000.0), &mut out);
        assert_eq!(out.len(), 8000);
        let pass = rms(&out[100..7900]);
        assert!(
            (pass - std::f32::consts::FRAC_1_SQRT_2).abs() < 0.01,
            "{pass}"
        );
        // 5.5 kHz would alias to 2.5 kHz: it must be attenuated by at least 50 dB.
        d.process(&tone(5500.0), &mut out);
        let stop = rms(&out[100..7900]);
        assert!(stop < 0.707 * 0.00316, "aliased 5.5 kHz tone at rms {stop}");
    }

    #[test]
    fn halfband_polyphase_equals_direct_convolution() {
        let d = Decimator::new(2, 16);
        let taps = d.taps();
        let h = taps.len() / 2;
        // Odd taps away from the centre are zero in a half-band filter.
        for k in (2..=h).step_by(2) {
            assert!(
                taps[h + k].abs() < 1e-9 && taps[h - k].abs() < 1e-9,
                "tap {k}"
            );
        }
        let x: Vec<f32> = (0..10_001)
            .map(|i| ((i * 7919) % 1000) as f32 / 500.0 - 1.0)
            .collect();
        let mut out = Vec::new();
        d.process(&x, &mut out);
        assert_eq!(out.len(), 5001);
        for (m, &y) in out.iter().enumerate() {
            let direct: f32 = taps
                .iter()
                .enumerate()
                .map(|(j, &t)| {
                    let idx = (2 * m + j) as isize - h as isize;
                    if idx >= 0 && (idx as usize) < x.len() {
                        t * x[idx as usize]
                    } else {
                        0.0
                    }
                })
                .sum();
            assert!((y - direct).abs() < 1e-5, "sample {m}: {y} vs {direct}");
        }
    }

    #[test]
    fn frames_are_zero_outside_the_signal() {
        let x = [1.0, 2.0, 3.0];
        let mut f = [9.0f32; 4];
        copy_frame(&x, -2, &mut f);
        assert_eq!(f, [0.0, 0.0, 1.0, 2.0]);
        copy_frame(&x, 1, &mut f);
        assert_eq!(f, [2.0, 3.0, 0.0, 0.0]);
        copy_frame(&x, 0, &mut f[..3]);
        assert_eq!(f[..3], [1.0, 2.0, 3.0]);
    }

    #[test]
    fn quantiles() {
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&mut v, 0.5), Some(2.5));
        assert_eq!(quantile(&mut v, 0.0), Some(1.0));
        assert_eq!(quantile(&mut [], 0.5), None);
    }
}
