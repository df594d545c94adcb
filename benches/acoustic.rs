//! The acoustic core on a real 30 s recording (fixtures/speech/demo-congrats.wav, 8 kHz, and the
//! same recording at 16 kHz): decode + resample, pitch tracking, syllable rate, and the whole
//! acoustic analysis. All state (analyzer, FFT plans, decoded audio) is built outside the timed
//! loops. `scripts/bench-vs-praat` runs these beside Praat and prints the ratios.

use std::hint::black_box;
use std::io::Cursor;

use criterion::{criterion_group, criterion_main, Criterion};
use voicemail_coach::audio::{decode, DecodeOptions};
use voicemail_coach::bench::{syllable_rate, Decimator, SyllableDetector};
use voicemail_coach::{Analyzer, Options, PitchTracker};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/speech/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The same 30 s recording as 8 kHz PCM, MP3 (32 kbit/s) and raw GSM 6.10: decoding and
/// conditioning each to 16 kHz, so the codecs' cost shows next to PCM's.
#[cfg(feature = "formats")]
fn formats(c: &mut Criterion) {
    let read = |rel: &str| {
        let path = format!("{}/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let mut g = c.benchmark_group("decode_format_30s");
    for (label, bytes) in [
        ("pcm", read("speech/demo-congrats.wav")),
        ("mp3", read("formats/demo-congrats.mp3")),
        ("gsm", read("formats/demo-congrats.gsm")),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| {
                decode(
                    Cursor::new(black_box(bytes.as_slice())),
                    &DecodeOptions::default(),
                )
            })
        });
    }
    g.finish();
}

#[cfg(not(feature = "formats"))]
fn formats(_: &mut Criterion) {}

fn benches(c: &mut Criterion) {
    let opts = Options::default();
    let analyzer = Analyzer::new(opts.clone()).expect("analyzer");
    // Pitch from the 16 kHz conditioned audio (the tracker decimates it to 8 kHz itself);
    // syllable nuclei on the 8 kHz copy, as the analyzer runs them.
    let tracker = PitchTracker::new(16_000, opts.pitch.clone()).expect("tracker");
    let detector = SyllableDetector::new(8_000, opts.rate.clone()).expect("detector");
    let decimator = Decimator::new(2, 16);
    let inputs = [
        ("8k", fixture("demo-congrats.wav")),
        ("16k", fixture("demo-congrats-16k.wav")),
    ];

    let mut g = c.benchmark_group("decode_resample");
    for (label, bytes) in &inputs {
        g.bench_function(*label, |b| {
            b.iter(|| {
                decode(
                    Cursor::new(black_box(bytes.as_slice())),
                    &DecodeOptions::default(),
                )
            })
        });
    }
    g.finish();

    let decoded: Vec<_> = inputs
        .iter()
        .map(|(label, bytes)| {
            let audio =
                decode(Cursor::new(bytes.as_slice()), &DecodeOptions::default()).expect("decodes");
            let track = tracker.track(audio.samples());
            let mut narrow = Vec::new();
            decimator.process(audio.samples(), &mut narrow);
            (*label, audio, track, narrow)
        })
        .collect();

    let mut g = c.benchmark_group("pitch");
    for (label, audio, _, _) in &decoded {
        g.bench_function(*label, |b| {
            b.iter(|| tracker.track(black_box(audio.samples())))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("syllable_rate");
    for (label, audio, track, narrow) in &decoded {
        g.bench_function(*label, |b| {
            b.iter(|| {
                syllable_rate(
                    &detector,
                    black_box(audio),
                    black_box(narrow),
                    track,
                    &opts.prosody,
                )
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("acoustic_analysis");
    for (label, audio, _, _) in &decoded {
        g.bench_function(*label, |b| {
            b.iter(|| analyzer.analyze_conditioned(black_box(audio), "bench", &Default::default()))
        });
    }
    g.finish();
}

criterion_group!(acoustic, benches, formats);
criterion_main!(acoustic);
