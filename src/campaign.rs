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

use crate::context::{Context, PreviousMessage};
use crate::lexicon::normalize;
use crate::report::{Advice, Report, Status, Verdict};
use crate::rules::{self, Rulebook};

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
    let judge_baseline = campaign_baseline(reports, ctx, baseline);
    let p = &book.rules.campaign_variation;
    let mut pairs = Vec::new();
    let mut worst = Verdict::NotApplicable;
    let mut highest: Option<f64> = None;
    for k in 0..reports.len() {
        let mut facts = ctx.clone();
        let mut ids = Vec::new();
        if let Some(with_baseline) = judge_baseline.as_ref() {
            if has_speech(reports[k].as_ref()) {
                facts = with_baseline.clone();
                ids.push("pitch.baseline");
            }
        }
        if k > 0 {
            let pair = pair(reports[k - 1].as_ref(), reports[k].as_ref());
            worst = worst.max(rules::variation_verdict(p, pair.similarity));
            if let Some(s) = pair.similarity {
                highest = Some(highest.map_or(s, |h: f64| h.max(s)));
            }
            facts.previous_message = Some(PreviousMessage {
                file: pair.previous.clone(),
                similarity: pair.similarity,
            });
            ids.push("campaign.variation");
            pairs.push(pair);
        }
        rules::rejudge(reports[k].as_mut(), &ids, book, &facts);
    }
    Campaign {
        pairs,
        variation: rules::variation_overall(p, worst, highest),
        pitch_baseline_hz: baseline,
    }
}

/// The context to judge `pitch.baseline` with against the campaign's baseline: only when the
/// caller gave none and two or more messages have a median pitch.
fn campaign_baseline<R: AsRef<Report>>(
    reports: &[R],
    ctx: &Context,
    baseline: Option<f64>,
) -> Option<Context> {
    let measured = reports
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| has_speech(r) && r.pitch.summary.median_hz.is_some())
        .count();
    match (ctx.pitch_baseline_hz(), baseline, measured) {
        (None, Some(hz), 2..) => ctx.clone().with_pitch_baseline_hz(hz).ok(),
        _ => None,
    }
}

/// How `now` compares with the message `before` it: only two messages whose words were heard
/// can be compared.
fn pair(before: &Report, now: &Report) -> Pair {
    let heard = |r: &Report| r.status == Status::Ok;
    let similarity = match (&before.transcript, &now.transcript) {
        (Some(a), Some(b)) if heard(before) && heard(now) => {
            Some(word_similarity(&a.text, &b.text))
        }
        _ => None,
    };
    Pair {
        previous: before.file.clone(),
        file: now.file.clone(),
        similarity,
    }
}
