//! Every file in fixtures/formats is Steve Clark's slow voicemail (fixtures/voicemail/clark-slow.wav)
//! in a format phone systems deliver (scripts/make-format-fixtures): each must decode, by its
//! content, to the recording's length and, where the codec keeps the waveform, to its samples.
#![cfg(feature = "formats")]

use voicemail_coach::audio::{decode_path, Container, DecodeOptions, Encoding};
use voicemail_coach::Error;

mod common;
use common::fixture;

/// The lag (in samples, `x` behind `reference` when positive) that best lines `x` up with
/// `reference`, by FFT cross-correlation: codecs add their own delay.
fn best_lag(reference: &[f32], x: &[f32]) -> isize {
    use rustfft::{num_complex::Complex, FftPlanner};
    let n = (reference.len() + x.len()).next_power_of_two();
    let mut planner = FftPlanner::<f64>::new();
    let (fwd, inv) = (planner.plan_fft_forward(n), planner.plan_fft_inverse(n));
    let spectrum = |s: &[f32]| {
        let mut v: Vec<Complex<f64>> = s.iter().map(|&a| Complex::new(f64::from(a), 0.0)).collect();
        v.resize(n, Complex::new(0.0, 0.0));
        fwd.process(&mut v);
        v
    };
    let (a, b) = (spectrum(reference), spectrum(x));
    let mut c: Vec<Complex<f64>> = a.iter().zip(&b).map(|(p, q)| p.conj() * q).collect();
    inv.process(&mut c);
    let best = (0..n)
        .max_by(|&i, &j| c[i].re.total_cmp(&c[j].re))
        .expect("n > 0");
    if best > n / 2 {
        best as isize - n as isize
    } else {
        best as isize
    }
}

/// Signal-to-difference ratio in dB of `x` against `reference` at the best lag.
fn aligned_snr_db(reference: &[f32], x: &[f32]) -> (f64, isize) {
    let lag = best_lag(reference, x);
    let (mut sig, mut err) = (0.0, 0.0);
    for (i, &r) in reference.iter().enumerate() {
        let j = i as isize + lag;
        let v = usize::try_from(j)
            .ok()
            .and_then(|j| x.get(j))
            .copied()
            .unwrap_or(0.0);
        sig += f64::from(r).powi(2);
        err += (f64::from(r) - f64::from(v)).powi(2);
    }
    let snr = if err == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (sig / err).log10()
    };
    (snr, lag)
}

#[test]
fn every_format_decodes_to_the_recording() {
    let opts = DecodeOptions::default();
    let pcm = decode_path(fixture("voicemail/clark-slow.wav"), &opts).expect("the original");
    // File, codec, container, least SNR against the original after lining the two up (dB).
    // Measured: FLAC exact; IMA/MS ADPCM 21/23 dB; GSM 17.5 dB; MP3 25, AAC 36, Vorbis 23, Opus 20 dB at
    // 16-32 kbit/s. A decode at the wrong rate, in the wrong channel order or with lost
    // frames falls to about 0 dB.
    let cases: &[(&str, Encoding, Container, f64)] = &[
        ("clark.flac", Encoding::Flac, Container::Flac, 90.0),
        (
            "clark-ima-adpcm.wav",
            Encoding::ImaAdpcm,
            Container::Wav,
            15.0,
        ),
        (
            "clark-ms-adpcm.wav",
            Encoding::MsAdpcm,
            Container::Wav,
            15.0,
        ),
        ("clark.mp3", Encoding::Mp3, Container::Mp3, 10.0),
        ("clark.m4a", Encoding::Aac, Container::Mp4, 10.0),
        ("clark.ogg", Encoding::Vorbis, Container::Ogg, 10.0),
        ("clark.opus", Encoding::Opus, Container::Ogg, 10.0),
        ("clark-wav49.wav", Encoding::Gsm, Container::Wav, 10.0),
        ("clark.gsm", Encoding::Gsm, Container::Gsm, 10.0),
    ];
    let mut failures = Vec::new();
    for &(name, encoding, container, min_snr) in cases {
        let a = match decode_path(fixture(&format!("formats/{name}")), &opts) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let ratio = a.duration_s() / pcm.duration_s();
        let (snr, lag) = aligned_snr_db(pcm.samples(), a.samples());
        eprintln!(
            "{name}: {} in {}, {:.3} s ({:+.2} %), SNR {snr:.1} dB at lag {lag}, notices {:?}",
            a.info().encoding,
            a.info().container,
            a.duration_s(),
            100.0 * (ratio - 1.0),
            a.notices()
        );
        if (a.info().encoding, a.info().container) != (encoding, container) {
            failures.push(format!(
                "{name}: {:?} in {:?}",
                a.info().encoding,
                a.info().container
            ));
        }
        if (ratio - 1.0).abs() > 0.03 {
            failures.push(format!("{name}: duration {:.3} s", a.duration_s()));
        }
        if snr < min_snr {
            failures.push(format!("{name}: SNR {snr:.1} dB under {min_snr} dB"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn amr_is_refused_by_name() {
    let amr = b"#!AMR\n\x3c\x48\xf5\x5f\x96\x66\x79\xe1\xe0\x01\xe7\xcf\xf0\x00\x00\x00\x80\x00";
    match voicemail_coach::audio::decode(std::io::Cursor::new(&amr[..]), &DecodeOptions::default())
    {
        Err(Error::UnsupportedCodec { reason, .. }) => assert!(reason.contains("AMR"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

/// Word error rate of `hyp` against `reference`, both lower-cased words without punctuation.
#[cfg(feature = "transcribe")]
fn wer(reference: &str, hyp: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (r, h) = (words(reference), words(hyp));
    let mut row: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, hw) in h.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(rw != hw)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[h.len()] as f64 / r.len().max(1) as f64
}

#[cfg(feature = "transcribe")]
#[test]
fn every_format_is_heard_as_the_original_is() {
    let analyzer = common::analyzer_with_model();
    let text = |rel: &str| {
        let r = analyzer
            .analyze_path(fixture(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        r.transcript.map(|t| t.text).unwrap_or_default()
    };
    let original = text("voicemail/clark-slow.wav");
    // The lossless decode must be heard word for word as the original. On this one 21-word
    // message a single word is 4.8 WER points, so the lossy codecs at 13-32 kbit/s are held to
    // at most three words (measured: 0-3, all in "John, this is" and "get a"; the WER on the
    // asterisk prompts, `scripts/eval-wer --codec`, is the figure to compare with PCM's), and
    // the callback number must come through exactly in every format.
    let mut failures = Vec::new();
    for (name, lossless) in [
        ("clark.flac", true),
        ("clark-ima-adpcm.wav", false),
        ("clark-ms-adpcm.wav", false),
        ("clark.mp3", false),
        ("clark.m4a", false),
        ("clark.ogg", false),
        ("clark.opus", false),
        ("clark-wav49.wav", false),
        ("clark.gsm", false),
    ] {
        let heard = text(&format!("formats/{name}"));
        let w = wer(&original, &heard);
        eprintln!(
            "{name}: WER {:.1} % against the PCM copy: {heard}",
            100.0 * w
        );
        let words_off = (w * original.split_whitespace().count() as f64).round();
        if (lossless && w > 0.0) || words_off > 3.0 || !heard.contains("850-936-7028") {
            failures.push(format!("{name}: WER {:.1} %: {heard:?}", 100.0 * w));
        }
    }
    assert!(failures.is_empty(), "original: {original:?}\n{failures:#?}");
}
