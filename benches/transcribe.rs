//! Transcription of the real 30 s recording (fixtures/speech/demo-congrats.wav) with the default
//! model, beside the whole analysis (acoustics + transcript) of the same audio, in one run: the
//! difference is what the acoustic analysis adds to a transcribed file.
//! Needs the model that `scripts/fetch-model` places.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use voicemail_coach::audio::{decode_path, DecodeOptions};
use voicemail_coach::transcribe::{default_model_path, TranscribeOptions, Transcriber};
use voicemail_coach::{Analyzer, Options};

fn benches(c: &mut Criterion) {
    let model = default_model_path().expect("a cache directory");
    assert!(
        model.exists(),
        "no model at {}: run scripts/fetch-model",
        model.display()
    );
    let path = format!(
        "{}/fixtures/speech/demo-congrats.wav",
        env!("CARGO_MANIFEST_DIR")
    );
    let audio = decode_path(&path, &DecodeOptions::default()).expect("decodes");
    let bare = Transcriber::new(&model, TranscribeOptions::default()).expect("model loads");
    let analyzer = Analyzer::new(Options::default())
        .expect("analyzer")
        .with_transcriber(Transcriber::new(&model, TranscribeOptions::default()).expect("model"));

    let mut g = c.benchmark_group("transcribe_30s");
    g.sample_size(10);
    g.bench_function("whisper_only", |b| {
        b.iter(|| bare.transcribe(black_box(audio.samples())))
    });
    g.bench_function("analyzer_with_transcript", |b| {
        b.iter(|| analyzer.analyze_conditioned(black_box(&audio), "bench", &Default::default()))
    });
    g.finish();
}

criterion_group!(transcribe, benches);
criterion_main!(transcribe);
