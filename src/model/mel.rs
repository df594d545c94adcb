//! Whisper's mel filter bank, as librosa computes it.

/// Sample rate, FFT length and mel bands of Whisper's front end.
const SAMPLE_RATE: f64 = 16_000.0;
pub(super) const N_FFT: usize = 400;

/// The Slaney-style mel filter bank of librosa's `filters.mel(sr=16000, n_fft=400, n_mels)`,
/// row-major `n_mels x 201`.
pub(super) fn mel_filters(n_mels: usize) -> Vec<f32> {
    let hz_to_mel = |f: f64| {
        let f_sp = 200.0 / 3.0;
        let min_log_hz = 1000.0;
        let min_log_mel = min_log_hz / f_sp;
        let logstep = 6.4f64.ln() / 27.0;
        if f >= min_log_hz {
            min_log_mel + (f / min_log_hz).ln() / logstep
        } else {
            f / f_sp
        }
    };
    let mel_to_hz = |m: f64| {
        let f_sp = 200.0 / 3.0;
        let min_log_hz = 1000.0;
        let min_log_mel = min_log_hz / f_sp;
        let logstep = 6.4f64.ln() / 27.0;
        if m >= min_log_mel {
            min_log_hz * (logstep * (m - min_log_mel)).exp()
        } else {
            f_sp * m
        }
    };
    let n_bins = N_FFT / 2 + 1;
    let fft_freqs: Vec<f64> = (0..n_bins)
        .map(|k| k as f64 * SAMPLE_RATE / N_FFT as f64)
        .collect();
    let (mel_lo, mel_hi) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2.0));
    let points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(mel_lo + (mel_hi - mel_lo) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut out = vec![0.0f32; n_mels * n_bins];
    for m in 0..n_mels {
        let (lo, centre, hi) = (points[m], points[m + 1], points[m + 2]);
        let norm = 2.0 / (hi - lo);
        for (k, &f) in fft_freqs.iter().enumerate() {
            let rising = (f - lo) / (centre - lo);
            let falling = (hi - f) / (hi - centre);
            out[m * n_bins + k] = (rising.min(falling).max(0.0) * norm) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_filters_match_openai_whisper() {
        // Reference values from OpenAI Whisper's assets/mel_filters.npz (mel_80), itself made with
        // librosa.filters.mel(sr=16000, n_fft=400, n_mels=80).
        let m = mel_filters(80);
        assert_eq!(m.len(), 80 * 201);
        let at = |i: usize, j: usize| m[i * 201 + j];
        let close = |a: f32, b: f32| (a - b).abs() < 1e-7;
        assert!(close(at(0, 1), 0.024_862_595), "{}", at(0, 1));
        assert!(close(at(1, 2), 0.022_871_772), "{}", at(1, 2));
        assert_eq!(at(10, 13), 0.0);
        assert!(close(at(79, 199), 0.000_448_759), "{}", at(79, 199));
        let row = |i: usize| m[i * 201..(i + 1) * 201].iter().sum::<f32>();
        assert!(close(row(40), 0.026_664_86), "{}", row(40));
        assert!(close(row(79), 0.024_925_34), "{}", row(79));
        let total: f32 = m.iter().sum();
        assert!((total - 1.999_024_2).abs() < 1e-5, "{total}");
    }
}
