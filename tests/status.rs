//! A report says whether there was speech to judge: noise, a tone and silence are "no speech"
//! (never "nothing to change"), a recording without a transcript says why, and a campaign of
//! messages without speech is not "the same words".
#![cfg(feature = "transcribe")]

use std::sync::OnceLock;

use voicemail_coach::report::{Report, Verdict};
use voicemail_coach::{campaign, text, Analyzer, Context, Options, Rulebook, Status};

mod common;

fn transcribing() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        Analyzer::new(Options::default())
            .expect("analyzer")
            .with_default_model()
            .expect("the default model (scripts/fetch-model; scripts/setup fetches it)")
    })
}

/// White noise at about -30 dBFS (a fixed linear congruential sequence), `seconds` long at 8 kHz.
fn noise(seconds: f64) -> Vec<f32> {
    let mut x: u32 = 12345;
    (0..(seconds * 8000.0) as usize)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            ((x >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * 0.1
        })
        .collect()
}

fn tone(seconds: f64) -> Vec<f32> {
    (0..(seconds * 8000.0) as usize)
        .map(|i| 0.3 * (i as f32 * 2.0 * std::f32::consts::PI * 440.0 / 8000.0).sin())
        .collect()
}

fn analyse(samples: &[f32], name: &str) -> Report {
    transcribing()
        .analyze_samples(samples, 8000, name, &Context::default())
        .expect("analysed")
}

#[test]
fn noise_a_tone_and_silence_are_no_speech_never_nothing_to_change() {
    for (name, samples) in [
        ("noise", noise(20.0)),
        ("tone", tone(0.2)),
        ("silence", vec![0.0; 40_000]),
    ] {
        let r = analyse(&samples, name);
        assert_eq!(r.status, Status::NoSpeech, "{name}: {:?}", r.status_reason);
        assert!(r.status_reason.is_some(), "{name}");
        assert!(
            r.advice.iter().all(|a| a.verdict == Verdict::NotApplicable),
            "{name}: a rule judged on no speech"
        );
        let page = text::report(&r);
        let first = page.lines().nth(1).unwrap_or("");
        assert!(
            first.contains("no speech found: nothing to judge"),
            "{name}: {first}"
        );
        assert!(!page.contains("nothing to change"), "{name}: {page}");
        // No speech, no speech figures: the noise is not timed or counted as speech.
        assert_eq!(
            (r.speech.start_s, r.speech.phonation_s),
            (None, None),
            "{name}"
        );
        assert_eq!(
            (r.rate.syllables, r.rate.speech_rate_sps),
            (0, None),
            "{name}"
        );
        assert!(!page.contains("syllable nuclei, "), "{name}: {page}");
    }
}

#[test]
fn without_a_transcriber_the_report_says_why_there_are_no_words() {
    let acoustic = Analyzer::new(Options::default()).expect("analyzer");
    let path = common::fixture("voicemail/clark-slow.wav");
    let r = acoustic.analyze_path(&path).expect("analysed");
    assert_eq!(r.status, Status::NoTranscript);
    let why = r.status_reason.as_deref().unwrap_or("");
    assert!(why.contains("transcription is off"), "{why}");
    assert!(
        r.notices.iter().any(|n| n.starts_with("no transcript")),
        "{:?}",
        r.notices
    );
    assert!(text::report(&r).contains("no transcript"));
    // A transcribed message with speech is ok.
    let r = transcribing().analyze_path(&path).expect("analysed");
    assert_eq!((r.status, r.status_reason), (Status::Ok, None));
}

#[test]
fn messages_without_speech_are_not_the_same_words_and_set_no_pitch_baseline() {
    let mut reports = vec![analyse(&noise(10.0), "a"), analyse(&noise(12.0), "b")];
    let c = campaign::evaluate(&mut reports, &Rulebook::default(), &Context::default());
    assert_eq!(
        c.variation.verdict,
        Verdict::NotApplicable,
        "{:?}",
        c.variation
    );
    assert_eq!(c.pairs[0].similarity, None);
    assert_eq!(c.pitch_baseline_hz, None);
    for r in &reports {
        assert!(r.advice.iter().all(|a| a.verdict == Verdict::NotApplicable));
    }
    assert_eq!(campaign::word_similarity("", ""), 0.0);
}
