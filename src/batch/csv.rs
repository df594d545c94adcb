//! The batch as a table: one CSV row per analysed input, headline figures and verdict counts.

use super::Entry;
use crate::report::{rounded, Report, Verdict};

/// The CSV's header line (without its newline). The figures carry the names of the report's
/// fields: `speech_rate_sps` is the index page's syllables/s over the speech,
/// `articulation_rate_sps` the same nuclei over the time sounding (pauses left out).
pub const CSV_HEADER: &str =
    "file,duration_s,speech_s,words_per_minute,speech_rate_sps,articulation_rate_sps,\
median_pitch_hz,number,digits_per_second,fail,warn,pass,not_applicable,status";

/// One CSV field, quoted when it needs to be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A figure to three decimals, rounded first as the report's JSON holds it (so a report read
/// back from JSON gives the same row).
fn num(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| format!("{:.3}", rounded(x, false)))
}

/// A time to three decimals, as the report's JSON holds it.
fn time(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| format!("{:.3}", rounded(x, true)))
}

/// The row of one report (without its newline).
fn row(r: &Report) -> String {
    let count = |v: Verdict| r.advice.iter().filter(|a| a.verdict == v).count();
    let speech = r.speech.span().map(|s| s.duration_s());
    let number = r.phone_numbers.first();
    [
        field(&r.file),
        time(Some(r.audio.duration_s)),
        time(speech),
        num(r.rate.words_per_minute),
        num(r.rate.speech_rate_sps),
        num(r.rate.articulation_rate_sps),
        num(r.pitch.summary.median_hz),
        field(number.map_or("", |n| n.digits.as_str())),
        num(number.map(|n| n.digits_per_second)),
        count(Verdict::Fail).to_string(),
        count(Verdict::Warn).to_string(),
        count(Verdict::Pass).to_string(),
        count(Verdict::NotApplicable).to_string(),
        r.status.to_string(),
    ]
    .join(",")
}

/// The CSV of a batch: the header, then one row per analysed entry (error records are left
/// out), in the order given.
pub fn csv<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    for r in entries.into_iter().filter_map(Entry::report) {
        out += &row(r);
        out.push('\n');
    }
    out
}
