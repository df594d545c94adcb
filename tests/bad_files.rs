//! Bad input never panics: each bad fixture gives its typed error naming the file, and arbitrary
//! corruptions of valid files give `Ok` or `Err`, never a panic.

use std::io::Cursor;

use voicemail_coach::audio::{decode, decode_path, DecodeOptions};
use voicemail_coach::{Analyzer, Error, Options};

fn bad(name: &str) -> String {
    format!("{}/fixtures/bad/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn each_bad_fixture_gives_its_typed_error() {
    let opts = DecodeOptions::default();
    let cases: &[(&str, &str)] = &[
        ("gsm610.wav", "unsupported_encoding"),
        ("rate_96000.wav", "unsupported_sample_rate"),
        ("truncated.wav", "truncated"),
        ("truncated_header.wav", "truncated"),
        ("data_claims_4gb.wav", "truncated"),
        ("zero_channels.wav", "invalid_header"),
        ("zero_rate.wav", "invalid_header"),
        ("not_wav.wav", "not_wav"),
        ("empty.wav", "not_wav"),
        ("nan_samples.wav", "non_finite_sample"),
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
    match decode_path(bad("gsm610.wav"), &opts) {
        Err(Error::UnsupportedEncoding {
            format_tag, name, ..
        }) => {
            assert_eq!(format_tag, 0x31);
            assert_eq!(name, "GSM 6.10");
        }
        other => panic!("{other:?}"),
    }
    match decode_path(bad("data_claims_4gb.wav"), &opts) {
        Err(Error::Truncated {
            expected, actual, ..
        }) => {
            assert_eq!(expected, 0xFFFF_FFF0);
            assert!(actual < 100_000);
        }
        other => panic!("{other:?}"),
    }
    match decode_path(bad("nan_samples.wav"), &opts) {
        Err(Error::NonFiniteSample { index, value, .. }) => {
            assert_eq!(index, 4000);
            assert!(value.is_nan());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn recordings_over_the_limit_are_refused_before_decoding() {
    let mut opts = DecodeOptions::default();
    opts.max_duration_s = 1.0;
    let path = format!(
        "{}/fixtures/encodings/pcm_s16.wav",
        env!("CARGO_MANIFEST_DIR")
    );
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

/// A small deterministic generator (xorshift64*), so failures replay.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn corrupted_headers_and_truncations_never_panic() {
    let dir = format!("{}/fixtures/encodings", env!("CARGO_MANIFEST_DIR"));
    let mut opts = DecodeOptions::default();
    opts.max_duration_s = 60.0;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut outcomes = [0usize; 2];
    for name in [
        "pcm_s16.wav",
        "mulaw.wav",
        "pcm_s24_extensible.wav",
        "float32.wav",
    ] {
        let original = std::fs::read(format!("{dir}/{name}")).expect("fixture");
        for _ in 0..300 {
            let mut b = original.clone();
            // Overwrite 1-4 header bytes with random values, sometimes with the extreme ones.
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(64.min(b.len()));
                b[i] = match rng.below(4) {
                    0 => 0,
                    1 => 0xFF,
                    _ => rng.next() as u8,
                };
            }
            if rng.below(3) == 0 {
                b.truncate(rng.below(b.len()));
            }
            let result = decode(Cursor::new(b), &opts);
            outcomes[usize::from(result.is_ok())] += 1;
        }
    }
    // Both outcomes must occur, or the corruption was not exercising anything.
    assert!(outcomes[0] > 100 && outcomes[1] > 10, "{outcomes:?}");
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
        // Whatever the figures, they are numbers or null, never NaN (JSON has no NaN).
        let json = serde_json::to_string(&r).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !json.contains("NaN") && !json.contains(":inf") && !json.contains(":-inf"),
            "{name}: {json}"
        );
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

#[cfg(feature = "formats")]
#[test]
fn corrupted_compressed_recordings_never_panic() {
    // Bytes overwritten anywhere (headers, frame headers, payload) and cuts at random points,
    // over every compressed fixture format.
    let dir = format!("{}/fixtures/formats", env!("CARGO_MANIFEST_DIR"));
    let opts = DecodeOptions::default();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut outcomes = [0usize; 2];
    for name in [
        "clark.mp3",
        "clark.m4a",
        "clark.ogg",
        "clark.opus",
        "clark.flac",
        "clark-ima-adpcm.wav",
        "clark-ms-adpcm.wav",
    ] {
        let original = std::fs::read(format!("{dir}/{name}")).expect("fixture");
        for _ in 0..60 {
            let mut b = original.clone();
            for _ in 0..1 + rng.below(8) {
                // Half the hits in the first 256 bytes, where the headers are.
                let reach = if rng.below(2) == 0 { 256 } else { b.len() };
                let i = rng.below(reach.min(b.len()));
                b[i] = match rng.below(4) {
                    0 => 0,
                    1 => 0xFF,
                    _ => rng.next() as u8,
                };
            }
            if rng.below(3) == 0 {
                b.truncate(rng.below(b.len()));
            }
            let result = decode(Cursor::new(b), &opts);
            outcomes[usize::from(result.is_ok())] += 1;
        }
    }
    assert!(outcomes[0] > 10 && outcomes[1] > 100, "{outcomes:?}");
}
