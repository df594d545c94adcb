//! The library in a few lines: analyse one recording with the default model and print what to
//! work on first, every verdict, and the callback number heard.
//!
//! `cargo run --release --example report -- fixtures/voicemail/clark-rushed.wav`
//! (the default model is put in place by `scripts/setup`).

use voicemail_coach::report::Verdict;
use voicemail_coach::{Analyzer, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: report <recording>")?;
    let analyzer = Analyzer::new(Options::default())?.with_default_model()?;
    let report = analyzer.analyze_path(&path)?;
    println!(
        "{path}: {:.1} s, status {:?}",
        report.audio.duration_s, report.status
    );
    for advice in report.advice.iter().filter(|a| a.verdict != Verdict::Pass) {
        println!(
            "  {:<26} {:?}: {}",
            advice.rule, advice.verdict, advice.message
        );
    }
    for number in &report.phone_numbers {
        println!("  number heard: {}", number.digits);
    }
    Ok(())
}
