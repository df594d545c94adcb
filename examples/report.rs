//! The library in a few lines: analyse one recording with the default model and print what to
//! work on, and the callback number heard. The README's "The library" shows this program as it
//! is (a test holds the two equal).
//!
//! `cargo run --release --example report -- fixtures/voicemail/clark-rushed.wav`
//! (the default model is put in place by `scripts/setup`).

use voicemail_coach::{Analyzer, Options, Verdict};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: report <recording>")?;
    let analyzer = Analyzer::new(Options::default())?.with_default_model()?;
    let report = analyzer.analyze_path(&path)?;
    let seconds = report.audio.duration_s;
    println!("{path}: {seconds:.1} s, {}", report.status);
    for advice in report.advice.iter().filter(|a| a.verdict != Verdict::Pass) {
        println!("  {} {}: {}", advice.verdict, advice.rule, advice.message);
    }
    for number in &report.phone_numbers {
        println!("  number heard: {}", number.digits);
    }
    Ok(())
}
