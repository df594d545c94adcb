//! Several messages to the same prospect: Robertson's "leave a different message every time".
//!
//! Successive messages are compared word by word: the similarity of two transcripts is
//! `2 * LCS / (words in a + words in b)` over their normalised words (1 for the same words in
//! the same order, 0 for nothing in common), the measure Python's `difflib` calls a ratio.
//!
//! ```
//! use voicemail_coach::campaign::word_similarity;
//!
//! let a = "John, this is Steve Clark. Please give me a call at 850-936-7028.";
//! let b = "John, Steve Clark again. Please give me a call at 850-936-7028.";
//! let s = word_similarity(a, b);
//! assert!(s > 0.7 && s < 1.0, "{s}");
//! assert_eq!(word_similarity(a, a), 1.0);
//! ```

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::report::{Advice, Report, Span, Status, Verdict};
use crate::rules::{self, Rulebook};
use crate::vocab::normalize;

fn tokens(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(normalize)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word-level similarity of two texts, 0..=1; 0 when either has no words (nothing said is
/// nothing repeated).
pub fn word_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (tokens(a), tokens(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut row = vec![0usize; b.len() + 1];
    for x in &a {
        let mut diag = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y {
                diag + 1
            } else {
                row[j + 1].max(row[j])
            };
            diag = up;
        }
    }
    2.0 * row[b.len()] as f64 / (a.len() + b.len()) as f64
}

/// How one message compares with the one before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// The earlier recording.
    pub previous: String,
    /// The later recording.
    pub file: String,
    /// Word-level similarity, 0..=1; `None` when either has no transcript.
    pub similarity: Option<f64>,
}

/// The campaign's result: each successive pair and the overall `campaign.variation` verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    /// Successive pairs, in the order given.
    pub pairs: Vec<Pair>,
    /// The verdict over the whole campaign (the worst pair's).
    pub variation: Advice,
    /// Median of the recordings' median pitch, Hz: the caller's baseline for `pitch.baseline`.
    pub pitch_baseline_hz: Option<f64>,
}

/// Whether a report holds speech (its status is not [`Status::NoSpeech`]): only those count
/// towards the campaign's pitch and are judged by it.
fn has_speech(r: &Report) -> bool {
    r.status != Status::NoSpeech
}

/// The caller's pitch baseline: the median of the recordings' median pitch (recordings without
/// speech left out).
pub fn pitch_baseline<R: AsRef<Report>>(reports: &[R]) -> Option<f64> {
    let mut m: Vec<f64> = reports
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| has_speech(r))
        .filter_map(|r| r.pitch.summary.median_hz)
        .collect();
    if m.is_empty() {
        return None;
    }
    m.sort_by(f64::total_cmp);
    let k = m.len();
    Some(if k % 2 == 1 {
        m[k / 2]
    } else {
        0.5 * (m[k / 2 - 1] + m[k / 2])
    })
}

/// Judges `campaign.variation` over messages to one prospect, in the order given (oldest
/// first): each report after the first gets its own verdict against the one before it (its
/// `advice` entry is replaced), and the campaign's verdict is the worst of them. Unless `ctx`
/// gives the caller's pitch baseline, the campaign's own ([`pitch_baseline`], from two or more
/// messages) judges each report's `pitch.baseline`. `reports` may be `Report`s, boxes or
/// `&mut Report`s.
pub fn evaluate<R: AsRef<Report> + AsMut<Report>>(
    reports: &mut [R],
    book: &Rulebook,
    ctx: &Context,
) -> Campaign {
    let baseline = pitch_baseline(reports);
    judge_baseline(reports, book, ctx, baseline);
    let mut campaign = variation(reports, book);
    campaign.pitch_baseline_hz = baseline;
    campaign
}

/// Judges `pitch.baseline` of each report against the campaign's baseline, when the caller
/// gave none and two or more messages have a median pitch.
fn judge_baseline<R: AsRef<Report> + AsMut<Report>>(
    reports: &mut [R],
    book: &Rulebook,
    ctx: &Context,
    baseline: Option<f64>,
) {
    let measured = reports
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| has_speech(r) && r.pitch.summary.median_hz.is_some())
        .count();
    let (None, Some(hz), 2..) = (ctx.pitch_baseline_hz, baseline, measured) else {
        return;
    };
    let Ok(ctx) = ctx.clone().pitch_baseline_hz(hz) else {
        return;
    };
    for r in reports.iter_mut().filter(|r| has_speech(r.as_ref())) {
        let r = r.as_mut();
        if let Some(advice) = rules::advise("pitch.baseline", r, book, &ctx) {
            replace_advice(r, advice);
        }
    }
}

/// Puts `advice` in place of the report's entry for the same rule (or adds it).
fn replace_advice(r: &mut Report, advice: Advice) {
    match r.advice.iter_mut().find(|a| a.rule == advice.rule) {
        Some(a) => *a = advice,
        None => r.advice.push(advice),
    }
}

/// `campaign.variation`, pair by pair and over the campaign.
fn variation<R: AsRef<Report> + AsMut<Report>>(reports: &mut [R], book: &Rulebook) -> Campaign {
    let max = book.rules.campaign_variation.max_similarity;
    let target = format!("similarity to the previous message < {max:.2}");
    let source = rules::rule("campaign.variation")
        .map_or("", |r| r.source)
        .to_string();
    let mut pairs = Vec::new();
    let mut worst = Verdict::NotApplicable;
    let mut highest: Option<f64> = None;
    for k in 1..reports.len() {
        let (before, now) = (reports[k - 1].as_ref(), reports[k].as_ref());
        // Only two messages whose words were heard can be compared.
        let heard = |r: &Report| r.status == Status::Ok;
        let sim = match (&before.transcript, &now.transcript) {
            (Some(a), Some(b)) if heard(before) && heard(now) => {
                Some(word_similarity(&a.text, &b.text))
            }
            _ => None,
        };
        let previous = before.file.clone();
        pairs.push(Pair {
            previous: previous.clone(),
            file: now.file.clone(),
            similarity: sim,
        });
        let (verdict, message) = match sim {
            None => (
                Verdict::NotApplicable,
                "Needs the words of both messages (one has no speech or no transcript)."
                    .to_string(),
            ),
            Some(s) if s < max => (
                Verdict::Pass,
                format!(
                    "{:.0} % the same words as {}: a fresh message.",
                    s * 100.0,
                    previous
                ),
            ),
            Some(s) => (
                Verdict::Fail,
                format!(
                    "{:.0} % the same words as {}: leave a different message every time.",
                    s * 100.0,
                    previous
                ),
            ),
        };
        worst = worst.max(verdict);
        if let Some(s) = sim {
            highest = Some(highest.map_or(s, |h: f64| h.max(s)));
        }
        if book.rules.campaign_variation.enabled {
            let r = reports[k].as_mut();
            let evidence: Vec<Span> = r.speech.span().into_iter().collect();
            let advice = Advice {
                rule: "campaign.variation".into(),
                verdict,
                measured: sim,
                target: target.clone(),
                message,
                source: source.clone(),
                evidence,
            };
            replace_advice(r, advice);
        }
    }
    let message = match (worst, highest) {
        (Verdict::Fail, Some(h)) => format!(
            "Successive messages share up to {:.0} % of their words: vary them.",
            h * 100.0
        ),
        (Verdict::Pass, Some(h)) => format!(
            "Each message differs from the one before (at most {:.0} % shared).",
            h * 100.0
        ),
        _ => "Needs two or more transcribed messages.".to_string(),
    };
    Campaign {
        pairs,
        variation: Advice {
            rule: "campaign.variation".into(),
            verdict: worst,
            measured: highest,
            target,
            message,
            source,
            evidence: Vec::new(),
        },
        pitch_baseline_hz: None,
    }
}
