//! The batch as a table: one CSV row per analysed input, headline figures and verdict counts.

use serde::Serialize;

use super::Entry;
use crate::report::{rounded, Report, Status, Verdict};

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

/// One analysed input as a row of the batch's table: the headline figures (rounded as the
/// report's JSON holds them, so a report read back from JSON gives the same row) and the
/// verdict counts. Its fields are the CSV's columns, in order ([`CSV_HEADER`]); `None` is an
/// empty cell. Serialised, it is a record of typed values (numbers, `null`) for data frames.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Row {
    /// The input, as the report names it.
    pub file: String,
    /// The recording's length, seconds.
    pub duration_s: f64,
    /// From the first speech to the last, seconds.
    pub speech_s: Option<f64>,
    /// Words per minute over the speech.
    pub words_per_minute: Option<f64>,
    /// Syllable nuclei per second over the speech.
    pub speech_rate_sps: Option<f64>,
    /// Syllable nuclei per second over the time sounding (pauses left out).
    pub articulation_rate_sps: Option<f64>,
    /// Median pitch, Hz.
    pub median_pitch_hz: Option<f64>,
    /// The first callback number's digits.
    pub number: Option<String>,
    /// Its digits per second.
    pub digits_per_second: Option<f64>,
    /// Rules failed.
    pub fail: usize,
    /// Rules warned.
    pub warn: usize,
    /// Rules passed.
    pub pass: usize,
    /// Rules not applicable.
    pub not_applicable: usize,
    /// The report's status.
    pub status: Status,
}

impl Row {
    /// The row of one report.
    pub fn of(r: &Report) -> Row {
        let count = |v: Verdict| r.advice.iter().filter(|a| a.verdict == v).count();
        let figure = |v: Option<f64>| v.map(|x| rounded(x, false));
        let time = |v: Option<f64>| v.map(|x| rounded(x, true));
        let number = r.phone_numbers.first();
        Row {
            file: r.file.clone(),
            duration_s: rounded(r.audio.duration_s, true),
            speech_s: time(r.speech.span().map(|s| s.duration_s())),
            words_per_minute: figure(r.rate.words_per_minute),
            speech_rate_sps: figure(r.rate.speech_rate_sps),
            articulation_rate_sps: figure(r.rate.articulation_rate_sps),
            median_pitch_hz: figure(r.pitch.summary.median_hz),
            number: number.map(|n| n.digits.clone()),
            digits_per_second: figure(number.map(|n| n.digits_per_second)),
            fail: count(Verdict::Fail),
            warn: count(Verdict::Warn),
            pass: count(Verdict::Pass),
            not_applicable: count(Verdict::NotApplicable),
            status: r.status,
        }
    }

    /// The row as a CSV line (without its newline): figures to three decimals.
    fn to_csv(&self) -> String {
        let num = |v: Option<f64>| v.map_or(String::new(), |x| format!("{x:.3}"));
        [
            field(&self.file),
            num(Some(self.duration_s)),
            num(self.speech_s),
            num(self.words_per_minute),
            num(self.speech_rate_sps),
            num(self.articulation_rate_sps),
            num(self.median_pitch_hz),
            field(self.number.as_deref().unwrap_or("")),
            num(self.digits_per_second),
            self.fail.to_string(),
            self.warn.to_string(),
            self.pass.to_string(),
            self.not_applicable.to_string(),
            self.status.to_string(),
        ]
        .join(",")
    }
}

/// The rows of a batch: one per analysed entry (error records are left out), in the order given.
pub fn rows<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<Row> {
    entries
        .into_iter()
        .filter_map(Entry::report)
        .map(Row::of)
        .collect()
}

/// The CSV of a batch: the header, then one row per analysed entry (error records are left
/// out), in the order given.
pub fn csv<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    for row in rows(entries) {
        out += &row.to_csv();
        out.push('\n');
    }
    out
}
