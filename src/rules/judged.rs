//! What every rule judges from, measured once per report, and what a rule's judgement holds.

use super::Rules;
use crate::report::{Content, PhraseMatch, Report, Span, Verdict, Word};
use crate::wording;

/// One verdict in the making: the rule's id, source and on/off state are added around it.
pub(super) struct Judged {
    pub(super) verdict: Verdict,
    pub(super) measured: Option<f64>,
    pub(super) target: String,
    pub(super) message: String,
    pub(super) evidence: Vec<Span>,
    /// What the report's notices should say besides the verdict (a number the transcriber
    /// doubts although the caller said it clearly).
    pub(super) notice: Option<String>,
}

/// A report and what the rules look for in its words, found once for all of them.
pub(crate) struct Measured<'a> {
    pub(super) r: &'a Report,
    /// The transcript's words; `None` without a transcript.
    pub(super) words: Option<&'a [Word]>,
    /// First to last sounding frame.
    pub(super) span: Option<Span>,
    /// What the words say: the report's, or found in its words with `rules`' lists when the
    /// report has none (a report read back from an older JSON line).
    pub(super) content: Content,
}

impl<'a> Measured<'a> {
    /// Measures `r` for the rules, with the phrase lists of `rules`.
    pub(crate) fn new(r: &'a Report, rules: &Rules) -> Self {
        let words = r.transcript.as_ref().map(|t| t.words.as_slice());
        let content = match (&r.content, words) {
            (Some(c), _) => c.clone(),
            (None, Some(w)) => wording::find(w, &rules.content_lists(), None),
            (None, None) => Content::default(),
        };
        Measured {
            r,
            words,
            span: r.speech.span(),
            content,
        }
    }

    /// The promises that name a day or time.
    pub(super) fn dated_promises(&self) -> Vec<PhraseMatch> {
        self.promises_where(true)
    }

    /// The promises with `dated` as given.
    pub(super) fn promises_where(&self, dated: bool) -> Vec<PhraseMatch> {
        self.content
            .promises
            .iter()
            .filter(|p| p.dated == dated)
            .map(|p| p.found.clone())
            .collect()
    }
}

/// Needs a transcript: the message of rules on words without one.
pub(super) const NO_WORDS: &str =
    "Needs a transcript: run with a whisper model to judge the words.";

/// Not applicable, with why.
pub(super) fn na(target: String, message: &str) -> Judged {
    Judged {
        notice: None,
        verdict: Verdict::NotApplicable,
        measured: None,
        target,
        message: message.to_string(),
        evidence: Vec::new(),
    }
}

/// Pass at or below `pass`, warn at or below `warn`, fail above.
pub(super) fn grade_upper(x: f64, pass: f64, warn: f64) -> Verdict {
    if x <= pass {
        Verdict::Pass
    } else if x <= warn {
        Verdict::Warn
    } else {
        Verdict::Fail
    }
}

/// The spans of phrase matches.
pub(super) fn spans(m: &[PhraseMatch]) -> Vec<Span> {
    m.iter().map(PhraseMatch::span).collect()
}

/// Phrase matches as the message quotes them: `"text" at 1.2 s`.
pub(super) fn quoted(m: &[PhraseMatch]) -> String {
    m.iter()
        .map(|m| {
            format!(
                "\"{}\" at {}",
                m.text.trim_end_matches(['.', ',']),
                crate::report::clock(m.start_s)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
