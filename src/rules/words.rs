//! What the words say: no pitch up front, no stock phrases or fillers; a referral and a dated
//! callback promise noted; a fresh message to each prospect every time.

use super::judged::{grade_upper, na, quoted, spans, Judged, Measured, NO_WORDS};
use super::{Rule, FRANCIS, ROBERTSON};
use crate::context::PreviousMessage;
use crate::report::{Advice, Filler, Verdict};
use crate::wording;

params! {
    /// `content.pitch`: no company or offer talk in the opening seconds.
    ContentPitch {
        within_s: number = 10.0,
            "pitching before this many seconds after speech starts fails, s" [0.0, 600.0];
        phrases: phrases = wording::default_pitch_phrases(), "what counts as pitching";
        classifier: flag = true,
            "also count the sentences the sentence classifier judges pitch (scripts/classify-sentences)";
    }
}

pub(super) const PITCH: Rule = Rule {
    id: "content.pitch",
    measures: "company, product or offer talk in the opening seconds",
    source: "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'; Kelley Robertson, 'Are Your Voicemails Not Getting Returned?'",
    params: ContentPitch::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.content_pitch;
        p.enabled.then(|| pitching(p, m))
    },
};

fn pitching(p: &ContentPitch, m: &Measured) -> Judged {
    let target = format!("no company or offer talk in the first {:.0} s", p.within_s);
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let start = m.r.speech.start_s.unwrap_or(0.0);
    let found = &m.content.pitch;
    let early: Vec<_> = found
        .iter()
        .filter(|f| f.start_s - start < p.within_s)
        .cloned()
        .collect();
    let (verdict, message) = if !early.is_empty() {
        (Verdict::Fail, format!(
            "Too much information too soon ({}): the listener judges and deletes. Leave the pitch for the call.",
            quoted(&early)
        ))
    } else if !found.is_empty() {
        (
            Verdict::Warn,
            format!(
                "Pitching later in the message ({}): consider leaving it for the call.",
                quoted(found)
            ),
        )
    } else {
        (
            Verdict::Pass,
            "No sales pitch: curiosity does the work.".into(),
        )
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(found.len() as f64),
        target,
        message,
        evidence: spans(found),
    }
}

params! {
    /// `content.cliches`: no stock phrases.
    ContentCliches {
        warn_max: number = 1.0, "this many stock phrases only warn; more fail" [0.0, 100.0];
        phrases: phrases = wording::default_cliches(), "the stock phrases";
    }
}

pub(super) const CLICHES: Rule = Rule {
    id: "content.cliches",
    measures: "stock phrases",
    source: "Kelley Robertson, 'Are Your Voicemails Not Getting Returned?'; Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'",
    params: ContentCliches::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.content_cliches;
        p.enabled.then(|| cliches(p, m))
    },
};

fn cliches(p: &ContentCliches, m: &Measured) -> Judged {
    let target = "no stock phrases".to_string();
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let found = &m.content.stock_phrases;
    let count = found.len() as f64;
    let verdict = if found.is_empty() {
        Verdict::Pass
    } else if count <= p.warn_max {
        Verdict::Warn
    } else {
        Verdict::Fail
    };
    let message = if found.is_empty() {
        "No stock phrases.".to_string()
    } else {
        format!(
            "Drop the stock phrases ({}): they make you sound like every other salesperson.",
            quoted(found)
        )
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(count),
        target,
        message,
        evidence: spans(found),
    }
}

params! {
    /// `content.referral`: a referral mentioned (informational).
    ContentReferral {
        warn_when_absent: flag = false,
            "warn when no referral is mentioned (Francis leaves voicemails only when referred)";
        phrases: phrases = wording::default_referral_phrases(), "what counts as a referral";
        classifier: flag = true,
            "also count the sentences the sentence classifier judges referrals";
    }
}

pub(super) const REFERRAL: Rule = Rule {
    id: "content.referral",
    measures: "a referral mention ('X asked that I call you'); informational",
    source: FRANCIS,
    params: ContentReferral::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.content_referral;
        p.enabled.then(|| referral(p, m))
    },
};

fn referral(p: &ContentReferral, m: &Measured) -> Judged {
    let target = "mention who referred you (informational)".to_string();
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let found = &m.content.referrals;
    if found.is_empty() {
        return absent(
            p.warn_when_absent,
            target,
            "No referral mentioned: a referral is what makes a stranger call back.",
        );
    }
    Judged {
        notice: None,
        verdict: Verdict::Pass,
        measured: Some(found.len() as f64),
        target,
        message: format!(
            "Referral mentioned ({}): the reason they will call back.",
            quoted(found)
        ),
        evidence: spans(found),
    }
}

params! {
    /// `content.callback_promise`: a callback promised for a day and time (informational).
    ContentCallbackPromise {
        warn_when_absent: flag = false, "warn when no callback is promised";
        phrases: phrases = wording::default_promise_phrases(),
            "what counts as a callback promise";
        classifier: flag = true,
            "also count the sentences the sentence classifier judges callback promises";
    }
}

pub(super) const PROMISE: Rule = Rule {
    id: "content.callback_promise",
    measures: "a promised callback on a specific day or time; informational",
    source: FRANCIS,
    params: ContentCallbackPromise::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.content_callback_promise;
        p.enabled.then(|| promise(p, m))
    },
};

fn promise(p: &ContentCallbackPromise, m: &Measured) -> Judged {
    let target = "a promised callback day and time (informational)".to_string();
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let (dated, vague) = (m.dated_promises(), m.promises_where(false));
    let (verdict, measured, message, evidence) = if !dated.is_empty() {
        let message = format!(
            "Callback promised for a set time ({}): call exactly then.",
            quoted(&dated)
        );
        (Verdict::Pass, dated.len() as f64, message, spans(&dated))
    } else if !vague.is_empty() {
        let message = format!(
            "Name the day and time you will call again ({}).",
            quoted(&vague)
        );
        (Verdict::Warn, 0.0, message, spans(&vague))
    } else {
        return absent(p.warn_when_absent, target, "No callback promised.");
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(measured),
        target,
        message,
        evidence,
    }
}

/// An informational rule with nothing found: not applicable, or a warning when the rulebook
/// asks for one (`warn_when_absent`).
fn absent(warn: bool, target: String, message: &str) -> Judged {
    Judged {
        notice: None,
        verdict: if warn {
            Verdict::Warn
        } else {
            Verdict::NotApplicable
        },
        measured: Some(0.0),
        target,
        message: message.into(),
        evidence: Vec::new(),
    }
}

params! {
    /// `content.fillers`: few filler words per minute.
    ContentFillers {
        pass_max_per_minute: number = 5.0, "most fillers per minute that pass" [0.0, 100.0];
        warn_max_per_minute: number = 8.0, "most fillers per minute that only warn" [0.0, 100.0];
        phrases: phrases = wording::default_fillers(),
            "vocal fillers, counted wherever they are said";
        lexical: phrases = wording::default_lexical_fillers(),
            "words counted as fillers where they are used as fillers (set off by a comma or pause)";
    }
}

pub(super) const FILLERS: Rule = Rule {
    id: "content.fillers",
    measures: "fillers per minute of speech: vocal (um, uh), in the words or heard in the sound, and lexical (you know, basically) where used as fillers",
    source: "outside figures: Read.ai (fillers under 4 % of words), speech coaches",
    params: ContentFillers::PARAMS,
    ordered: &[("pass_max_per_minute", "warn_max_per_minute")],
    judge: |rules, m, _| {
        let p = &rules.content_fillers;
        p.enabled.then(|| fillers(p, m))
    },
};

fn fillers(p: &ContentFillers, m: &Measured) -> Judged {
    let target = format!("<= {:.0} fillers per minute", p.pass_max_per_minute);
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let Some(s) = m.span else {
        return na(target, "No speech found.");
    };
    let found = &m.content.fillers;
    let per_min = found.len() as f64 * 60.0 / (s.end_s - s.start_s);
    let verdict = grade_upper(per_min, p.pass_max_per_minute, p.warn_max_per_minute);
    let message = if found.is_empty() {
        "No fillers heard.".to_string()
    } else {
        format!(
            "{} filler{} ({per_min:.1} per minute: {}): pause silently instead.",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            most_heard(found)
        )
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(per_min),
        target,
        message,
        evidence: found.iter().map(Filler::span).collect(),
    }
}

/// The fillers heard most, most first: `"you know" x3, "um" x2`.
fn most_heard(found: &[Filler]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for f in found {
        match counts.iter_mut().find(|(t, _)| *t == f.text) {
            Some((_, n)) => *n += 1,
            None => counts.push((&f.text, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
        .iter()
        .take(3)
        .map(|(t, n)| format!("\"{t}\" x{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

params! {
    /// `campaign.variation`: each message to a prospect different from the one before.
    CampaignVariation {
        max_similarity: number = 0.7,
            "most similarity that passes (0 = no words shared, 1 = the same words)" [0.0, 1.0];
    }
}

pub(super) const VARIATION: Rule = Rule {
    id: "campaign.variation",
    measures: "word-level similarity of each message to the one before it to the same prospect",
    source: ROBERTSON,
    params: CampaignVariation::PARAMS,
    ordered: &[],
    judge: |rules, m, ctx| {
        let p = &rules.campaign_variation;
        p.enabled
            .then(|| variation(p, m, ctx.previous_message.as_ref()))
    },
};

fn variation_target(p: &CampaignVariation) -> String {
    format!(
        "similarity to the previous message < {:.2}",
        p.max_similarity
    )
}

/// The verdict on a message that shares `similarity` of its words with the one before it.
pub(crate) fn variation_verdict(p: &CampaignVariation, similarity: Option<f64>) -> Verdict {
    match similarity {
        None => Verdict::NotApplicable,
        Some(s) if s < p.max_similarity => Verdict::Pass,
        Some(_) => Verdict::Fail,
    }
}

/// `campaign.variation` on one message: against the message before it when a campaign gives
/// one, else not applicable (a single recording has nothing to differ from).
fn variation(p: &CampaignVariation, m: &Measured, previous: Option<&PreviousMessage>) -> Judged {
    let target = variation_target(p);
    let Some(previous) = previous else {
        return na(
            target,
            "Judged across several recordings to the same prospect, as a campaign.",
        );
    };
    let verdict = variation_verdict(p, previous.similarity);
    let file = &previous.file;
    let message = match (verdict, previous.similarity) {
        (Verdict::Pass, Some(s)) => {
            format!(
                "{:.0} % the same words as {file}: a fresh message.",
                s * 100.0
            )
        }
        (_, Some(s)) => format!(
            "{:.0} % the same words as {file}: leave a different message every time.",
            s * 100.0
        ),
        (_, None) => {
            "Needs the words of both messages (one has no speech or no transcript).".to_string()
        }
    };
    Judged {
        notice: None,
        verdict,
        measured: previous.similarity,
        target,
        message,
        evidence: m.span.into_iter().collect(),
    }
}

/// `campaign.variation` over a whole campaign: the worst of its messages' verdicts, with the
/// most words any message shares with the one before it.
pub(crate) fn variation_overall(
    p: &CampaignVariation,
    worst: Verdict,
    highest: Option<f64>,
) -> Advice {
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
    Advice {
        rule: VARIATION.id.into(),
        verdict: worst,
        measured: highest,
        target: variation_target(p),
        message,
        source: VARIATION.source.into(),
        evidence: Vec::new(),
    }
}
