//! The report's timeline for other tools: a Praat TextGrid ([`textgrid`]) for the speech
//! analyst, and WebVTT captions ([`webvtt`]) for a web page's player.
//!
//! Both are written from the report's [`tiers`]: the words, the phrases between pauses, the
//! pauses, the callback numbers' digit groups, the caller's name, the fillers, the evidence of
//! every rule that fails or warns (a tier per rule), and the syllable nuclei. Every time is the
//! report's own, so a tool that reads them lines up with the JSON report.
//!
//! ```
//! use voicemail_coach::{annotation, Analyzer, Options};
//!
//! // Without a transcriber: the sound's tiers (phrases, pauses, nuclei) and no words.
//! let report = Analyzer::new(Options::default())?
//!     .analyze_path("fixtures/speech/demo-congrats.wav")?;
//! let grid = annotation::textgrid(&report);
//! assert!(grid.starts_with("File type = \"ooTextFile\""));
//! assert!(grid.contains("name = \"pauses\"") && grid.contains("class = \"TextTier\""));
//! assert_eq!(annotation::webvtt(&report), "WEBVTT\n");
//! # Ok::<(), voicemail_coach::Error>(())
//! ```

mod textgrid;
mod webvtt;

pub use textgrid::textgrid;
pub use webvtt::webvtt;

use crate::report::{PhraseEnding, Report, Span, Verdict};

/// A labelled stretch of time.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Interval {
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
    /// What it is: a word, a phrase's words, digits, a name, a verdict's message.
    pub label: String,
}

/// One tier of the timeline.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Tier {
    /// Stretches of time, in order and without overlap.
    Intervals {
        /// The tier's name (`"words"`, `"number"`, a rule id).
        name: String,
        /// Its intervals.
        intervals: Vec<Interval>,
    },
    /// Points in time, in order.
    Points {
        /// The tier's name (`"nuclei"`).
        name: String,
        /// The times, seconds.
        times: Vec<f64>,
    },
}

impl Tier {
    /// The tier's name.
    pub fn name(&self) -> &str {
        match self {
            Tier::Intervals { name, .. } | Tier::Points { name, .. } => name,
        }
    }
}

/// The report's timeline as tiers, in this order: `words`, `phrases`, `pauses`, `number`, `name`,
/// `fillers`, then a tier per rule that fails or warns (named by its id, each interval one
/// evidence span labelled with the verdict and the advice), then the point tier `nuclei`. A
/// tier with nothing in it is still there, empty (its recording said no number, or no rule
/// failed... the rule tiers only exist for rules that fail or warn). Overlapping spans in one
/// tier are merged, their labels joined.
pub fn tiers(report: &Report) -> Vec<Tier> {
    let words: Vec<Interval> = report.transcript.as_ref().map_or(Vec::new(), |t| {
        t.words
            .iter()
            .map(|w| interval(w.start_s, w.end_s, w.text.trim()))
            .collect()
    });
    let mut out = vec![
        intervals("words", words),
        intervals("phrases", phrases(report)),
        intervals(
            "pauses",
            report
                .speech
                .pauses
                .iter()
                .map(|p| spanned(p, "pause"))
                .collect(),
        ),
        intervals("number", digit_groups(report)),
        intervals("name", name(report)),
        intervals("fillers", fillers(report)),
    ];
    for a in &report.advice {
        if matches!(a.verdict, Verdict::Fail | Verdict::Warn) {
            let label = format!("{}: {}", a.verdict, a.message);
            let spans = a.evidence.iter().map(|s| spanned(s, &label)).collect();
            out.push(intervals(&a.rule, spans));
        }
    }
    let mut nuclei = report.rate.nuclei_s.clone();
    nuclei.dedup();
    out.push(Tier::Points {
        name: "nuclei".into(),
        times: nuclei,
    });
    out
}

/// The label of a phrase no transcribed word was said in.
pub const NO_WORDS: &str = "…";

/// The phrases between pauses, each labelled with the transcript's words said in it.
fn phrases(report: &Report) -> Vec<Interval> {
    let words = report.transcript.as_ref().map_or(&[][..], |t| &t.words[..]);
    let labels = phrase_words(report).into_iter().map(|ks| {
        let said: Vec<&str> = ks.iter().map(|&k| words[k].text.trim()).collect();
        match said.is_empty() {
            true => NO_WORDS.to_string(),
            false => said.join(" "),
        }
    });
    report
        .pitch
        .phrases
        .iter()
        .zip(labels)
        .map(|(p, label)| interval(p.start_s, p.end_s, &label))
        .collect()
}

/// The transcript's words said in each phrase (the report's `pitch.phrases`), as indices into
/// its words: a word goes to the phrase that holds its middle, or to the nearest.
fn phrase_words(report: &Report) -> Vec<Vec<usize>> {
    let phrases = &report.pitch.phrases;
    let mut out = vec![Vec::new(); phrases.len()];
    for (i, w) in report.transcript.iter().flat_map(|t| &t.words).enumerate() {
        let mid = 0.5 * (w.start_s + w.end_s);
        let distance = |p: &PhraseEnding| (p.start_s - mid).max(mid - p.end_s).max(0.0);
        let nearest = (0..phrases.len())
            .min_by(|&a, &b| distance(&phrases[a]).total_cmp(&distance(&phrases[b])));
        if let Some(k) = nearest {
            out[k].push(i);
        }
    }
    out
}

fn digit_groups(report: &Report) -> Vec<Interval> {
    report
        .phone_numbers
        .iter()
        .flat_map(|n| &n.groups)
        .map(|g| interval(g.start_s, g.end_s, &g.digits))
        .collect()
}

fn name(report: &Report) -> Vec<Interval> {
    let intro = report.introduction.iter();
    intro
        .map(|i| interval(i.start_s, i.end_s, &i.name))
        .collect()
}

fn fillers(report: &Report) -> Vec<Interval> {
    let found = report.content.iter().flat_map(|c| &c.fillers);
    found
        .map(|f| interval(f.start_s, f.end_s, &f.text))
        .collect()
}

fn interval(start_s: f64, end_s: f64, label: &str) -> Interval {
    Interval {
        start_s,
        end_s,
        label: label.to_string(),
    }
}

fn spanned(s: &Span, label: &str) -> Interval {
    interval(s.start_s, s.end_s, label)
}

/// An interval tier: its intervals sorted, those without length dropped, overlapping ones
/// merged with their labels joined by " / ".
fn intervals(name: &str, mut items: Vec<Interval>) -> Tier {
    items.retain(|i| i.end_s > i.start_s && i.start_s.is_finite() && i.end_s.is_finite());
    items.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    let mut merged: Vec<Interval> = Vec::with_capacity(items.len());
    for i in items {
        match merged.last_mut() {
            Some(last) if i.start_s < last.end_s => {
                last.end_s = last.end_s.max(i.end_s);
                if !i.label.is_empty() && i.label != last.label {
                    last.label = format!("{} / {}", last.label, i.label);
                }
            }
            _ => merged.push(i),
        }
    }
    Tier::Intervals {
        name: name.to_string(),
        intervals: merged,
    }
}
