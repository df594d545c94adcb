//! Every encoding in fixtures/encodings is the same recording: each must decode to the same
//! 16 kHz samples as the 16-bit PCM original, up to its own quantisation.

use std::io::Cursor;

use voicemail_coach::audio::{decode, decode_path, DecodeOptions, Encoding, ANALYSIS_RATE_HZ};

mod common;

/// A fixture of `fixtures/encodings/`.
fn fixture(name: &str) -> String {
    common::fixture(&format!("encodings/{name}"))
}

/// Signal-to-difference ratio in dB.
fn snr_db(reference: &[f32], x: &[f32]) -> f64 {
    // A rate conversion may round a fractional frame count either way.
    assert!(
        reference.len().abs_diff(x.len()) <= 1,
        "lengths {} and {}",
        reference.len(),
        x.len()
    );
    let n = reference.len().min(x.len());
    let (reference, x) = (&reference[..n], &x[..n]);
    let sig: f64 = reference.iter().map(|&v| f64::from(v).powi(2)).sum();
    let err: f64 = reference
        .iter()
        .zip(x)
        .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
        .sum();
    if err == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (sig / err).log10()
    }
}

#[test]
fn every_encoding_decodes_to_the_same_samples() {
    let opts = DecodeOptions::default();
    let reference = decode_path(fixture("pcm_s16.wav"), &opts).expect("reference decodes");
    assert_eq!(reference.rate_hz(), ANALYSIS_RATE_HZ);
    assert_eq!(reference.info().encoding, Encoding::PcmS16);
    // 2.5 s at 8 kHz becomes exactly 40 000 samples at 16 kHz.
    assert_eq!(reference.samples().len(), 40_000);

    // Minimum agreement per file, in dB. Lossless re-encodings of the 16-bit original must match
    // to float rounding; 8-bit PCM has ~48 dB of quantisation noise against full scale, which is
    // ~28 dB under this recording's -20 dBFS speech; G.711 keeps ~38 dB SNR over its range; files
    // that sox resampled up first differ by both resamplers' filters near 4 kHz (44 dB measured;
    // a misalignment of a fraction of a sample drops this below 30 dB).
    let cases: &[(&str, Encoding, u32, u16, f64)] = &[
        ("pcm_u8.wav", Encoding::PcmU8, 8000, 1, 20.0),
        ("pcm_s24.wav", Encoding::PcmS24, 8000, 1, 100.0),
        ("pcm_s24_extensible.wav", Encoding::PcmS24, 8000, 1, 100.0),
        ("pcm_s32.wav", Encoding::PcmS32, 8000, 1, 100.0),
        ("float32.wav", Encoding::Float32, 8000, 1, 100.0),
        ("mulaw.wav", Encoding::Mulaw, 8000, 1, 30.0),
        ("alaw.wav", Encoding::Alaw, 8000, 1, 30.0),
        ("stereo_s16.wav", Encoding::PcmS16, 8000, 2, 100.0),
        ("rate_11025.wav", Encoding::PcmS16, 11025, 1, 38.0),
        ("mulaw_22050.wav", Encoding::Mulaw, 22050, 1, 30.0),
        ("rate_12000.wav", Encoding::PcmS16, 12000, 1, 38.0),
        ("rate_32000.wav", Encoding::PcmS16, 32000, 1, 38.0),
        ("rate_44100.wav", Encoding::PcmS16, 44100, 1, 38.0),
        ("stereo_48000.wav", Encoding::PcmS16, 48000, 2, 38.0),
    ];
    for &(name, encoding, rate, channels, min_snr) in cases {
        let d = decode_path(fixture(name), &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.info().encoding, encoding, "{name}");
        assert_eq!(d.info().sample_rate_hz, rate, "{name}");
        assert_eq!(d.info().channels, channels, "{name}");
        assert!(
            (d.info().duration_s - 2.5).abs() < 1e-3,
            "{name}: {}",
            d.info().duration_s
        );
        let snr = snr_db(reference.samples(), d.samples());
        assert!(snr >= min_snr, "{name}: {snr:.1} dB < {min_snr} dB");
    }
}

/// Builds an in-memory 16-bit mono WAV with hound.
fn wav_bytes(rate: u32, samples: &[f32]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::new(&mut buf, spec).expect("writer");
    for &s in samples {
        w.write_sample((s * 32767.0) as i16).expect("write");
    }
    w.finalize().expect("finalize");
    buf.into_inner()
}

#[test]
fn resampling_keeps_both_edges_and_alignment() {
    // 1 s at 8 kHz with a 5 ms, 1 kHz burst at the very start and one at the very end.
    let rate = 8000;
    let n = rate as usize;
    let burst = 40; // 5 ms
    let x: Vec<f32> = (0..n)
        .map(|i| {
            if i < burst || i >= n - burst {
                0.5 * (2.0 * std::f32::consts::PI * 1000.0 * i as f32 / rate as f32).sin()
            } else {
                0.0
            }
        })
        .collect();
    {
        let d =
            decode(Cursor::new(wav_bytes(rate, &x)), &DecodeOptions::default()).expect("decodes");
        assert_eq!(d.samples().len(), 16_000);
        let energy = |a: usize, b: usize| d.samples()[a..b].iter().map(|v| v * v).sum::<f32>();
        // 5 ms = 80 samples at 16 kHz; allow the resampler's filter to spread by ~1 ms.
        let head = energy(0, 96);
        let tail = energy(16_000 - 96, 16_000);
        let middle = energy(400, 15_600);
        assert!(head > 5.0, "start of the signal lost: {head}");
        assert!(tail > 5.0, "end of the signal lost: {tail}");
        assert!(
            middle < 0.01 * head,
            "burst smeared or misaligned: {middle}"
        );
    }
}

#[test]
fn clipping_is_counted_on_the_original_samples() {
    let mut x = vec![0.0f32; 8000];
    for v in &mut x[1000..1010] {
        *v = 1.0;
    }
    x[3000] = 1.0; // a lone full-scale sample is not a clipped run
    let d = decode(Cursor::new(wav_bytes(8000, &x)), &DecodeOptions::default()).expect("decodes");
    assert_eq!(d.clipping().clipped_samples, 11);
    assert_eq!(d.clipping().clipped_runs, 1);
    assert!(d.clipping().peak_dbfs.expect("peak") > -0.01);
}
