//! Bad input: each bad fixture gives its typed error naming the file, a damaged one gives a
//! report with its notices, and odd but valid signals give sound reports. (The hostile inputs
//! and the mutation test are in tests/hostile.rs.)

use std::io::Cursor;

use voicemail_coach::audio::{decode_path, DecodeOptions};
use voicemail_coach::{Analyzer, Error, Options};

mod common;
use common::fixture;

fn bad(name: &str) -> String {
    fixture(&format!("bad/{name}"))
}

#[test]
fn each_bad_fixture_gives_its_typed_error() {
    let opts = DecodeOptions::default();
    let cases: &[(&str, &str)] = &[
        ("g726.wav", "unsupported_encoding"),
        ("rate_96000.wav", "unsupported_sample_rate"),
        ("truncated_header.wav", "truncated"),
        ("zero_channels.wav", "invalid_header"),
        ("zero_rate.wav", "invalid_header"),
        ("not_wav.wav", "unknown_format"),
        ("empty.wav", "unknown_format"),
        ("does_not_exist.wav", "io"),
    ];
    for &(name, kind) in cases {
        let path = bad(name);
        let err = decode_path(&path, &opts).expect_err(name);
        assert_eq!(err.kind(), kind, "{name}: {err}");
        assert_eq!(
            err.file().map(|p| p.to_path_buf()),
            Some(path.clone().into()),
            "{name}"
        );
        assert!(
            err.to_string().contains(&path),
            "{name}: message lacks the path: {err}"
        );
    }
}

#[test]
fn errors_carry_what_a_caller_acts_on() {
    let opts = DecodeOptions::default();
    match decode_path(bad("g726.wav"), &opts) {
        Err(Error::UnsupportedEncoding {
            format_tag, name, ..
        }) => {
            assert_eq!(format_tag, 0x45);
            assert_eq!(name, "G.726 ADPCM");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn damaged_recordings_give_reports_with_notices() {
    // File, whether it is cut short, a phrase of its notice, seconds of audio it holds.
    let cases = [
        ("truncated.wav", true, "cut short", 1.2486),
        ("data_claims_4gb.wav", true, "cut short", 2.5),
        ("nan_samples.wav", false, "not numbers", 1.0),
    ];
    let analyzer = Analyzer::new(Options::default()).expect("analyzer");
    for (name, truncated, phrase, seconds) in cases {
        let r = analyzer
            .analyze_path(bad(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.audio.truncated, truncated, "{name}");
        assert!(
            r.notices.iter().any(|n| n.contains(phrase)),
            "{name}: {:?}",
            r.notices
        );
        assert!(
            (r.audio.duration_s - seconds).abs() < 0.01,
            "{name}: {} s",
            r.audio.duration_s
        );
    }
}

#[test]
fn recordings_over_the_limit_are_refused_before_decoding() {
    let mut opts = DecodeOptions::default();
    opts.max_duration_s = 1.0;
    let path = fixture("encodings/pcm_s16.wav");
    match decode_path(&path, &opts) {
        Err(Error::TooLong { seconds, limit, .. }) => {
            assert!((seconds - 2.5).abs() < 1e-3);
            assert_eq!(limit, 1.0);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn silent_and_empty_audio_give_reports_with_nulls() {
    let analyzer = Analyzer::new(Options::default()).expect("analyzer");
    for name in ["silence.wav", "no_samples.wav"] {
        let r = analyzer
            .analyze_path(bad(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.speech.start_s, None, "{name}");
        assert_eq!(r.speech.phonation_s, None, "{name}");
        assert_eq!(r.rate.syllables, 0, "{name}");
        assert_eq!(r.rate.speech_rate_sps, None, "{name}");
        assert_eq!(r.pitch.summary.median_hz, None, "{name}");
        assert!(r.pitch.f0_hz.iter().all(|&f| f == 0.0), "{name}");
        let json = serde_json::to_value(&r).expect("serialises");
        assert!(json["pitch"]["median_hz"].is_null());
        assert!(json["speech"]["start_s"].is_null());
    }
}

/// In-memory WAV of `samples` at `rate`, 32-bit float so any value can be written.
fn float_wav(rate: u32, samples: &[f32]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::new(&mut buf, spec).expect("writer");
    for &s in samples {
        w.write_sample(s).expect("write");
    }
    w.finalize().expect("finalize");
    buf.into_inner()
}

#[test]
fn odd_but_valid_signals_give_sound_reports() {
    let analyzer = Analyzer::new(Options::default()).expect("analyzer");
    let square: Vec<f32> = (0..8000)
        .map(|i| if (i / 20) % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    let cases: Vec<(&str, u32, Vec<f32>)> = vec![
        ("one sample", 8000, vec![0.5]),
        ("ten samples at 44.1 kHz", 44100, vec![0.1; 10]),
        ("DC offset only", 16000, vec![0.5; 16000]),
        (
            "huge finite values",
            8000,
            (0..8000)
                .map(|i| if i % 2 == 0 { 1e30 } else { -1e30 })
                .collect(),
        ),
        ("full-scale square wave", 8000, square),
    ];
    for (name, rate, samples) in cases {
        let r = analyzer
            .analyze_reader(Cursor::new(float_wav(rate, &samples)), name)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // Whatever the figures, they are finite or None: serde_json would write a NaN or an
        // infinity as null, so the figures are checked before serialising.
        assert_finite(name, &r);
        match name {
            // A constant offset is silence, not speech.
            "DC offset only" => assert_eq!(r.speech.start_s, None, "{name}"),
            "full-scale square wave" => {
                assert!(
                    r.level.clipped_runs >= 100,
                    "{name}: {}",
                    r.level.clipped_runs
                )
            }
            _ => {}
        }
    }
}

/// Every headline figure of `r` is finite (or `None`), and so is every frame of its contours.
fn assert_finite(name: &str, r: &voicemail_coach::Report) {
    let s = &r.speech;
    let p = &r.pitch.summary;
    let l = &r.level;
    let figures = [
        ("duration", Some(r.audio.duration_s)),
        ("start", s.start_s),
        ("end", s.end_s),
        ("leading", s.leading_silence_s),
        ("trailing", s.trailing_silence_s),
        ("phonation", s.phonation_s),
        ("speech rate", r.rate.speech_rate_sps),
        ("articulation", r.rate.articulation_rate_sps),
        ("median", p.median_hz),
        ("p10", p.p10_hz),
        ("p90", p.p90_hz),
        ("range", p.range_st),
        ("stdev", p.stdev_st),
        ("voiced", p.voiced_fraction),
        ("speech level", l.speech_dbfs),
        ("background", l.background_dbfs),
        ("snr", l.snr_db),
        ("peak", l.peak_dbfs),
    ];
    for (what, x) in figures {
        assert!(x.is_none_or(f64::is_finite), "{name}: {what} = {x:?}");
    }
    assert!(r.pitch.f0_hz.iter().all(|f| f.is_finite()), "{name}: f0");
    assert!(
        r.rate.nuclei_s.iter().all(|t| t.is_finite()),
        "{name}: nuclei"
    );
    for a in &r.advice {
        assert!(a.measured.is_none_or(f64::is_finite), "{name}: {}", a.rule);
    }
}
