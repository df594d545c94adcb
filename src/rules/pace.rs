//! How fast the caller speaks: overall, and for the name and number against the rest.

use super::judged::{grade_upper, na, Judged, Measured, NO_WORDS};
use super::{Rule, MEWSE};
use crate::report::{Span, Verdict};

params! {
    /// `rate.overall`: words per minute (syllables per second without a transcript).
    RateOverall {
        pass_min_wpm: number = 120.0, "slower than this warns, words/min" [30.0, 400.0];
        pass_max_wpm: number = 160.0, "fastest rate that passes, words/min" [30.0, 400.0];
        warn_max_wpm: number = 175.0, "fastest rate that only warns, words/min" [30.0, 400.0];
        pass_max_sps: number = 4.0,
            "without a transcript: fastest speech rate that passes, syllables/s" [0.5, 10.0];
        warn_max_sps: number = 4.4,
            "without a transcript: fastest speech rate that only warns, syllables/s" [0.5, 10.0];
    }
}

pub(super) const OVERALL: Rule = Rule {
    id: "rate.overall",
    measures: "words per minute over the speech span (syllables per second without a transcript)",
    source: "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'; outside figures: Read.ai's 130-175 wpm band, contact-centre guidance of 120-150 wpm",
    params: RateOverall::PARAMS,
    ordered: &[
        ("pass_min_wpm", "pass_max_wpm"),
        ("pass_max_wpm", "warn_max_wpm"),
        ("pass_max_sps", "warn_max_sps"),
    ],
    judge: |rules, m, _| {
        let p = &rules.rate_overall;
        p.enabled.then(|| overall(p, m))
    },
};

fn overall(p: &RateOverall, m: &Measured) -> Judged {
    let Some(s) = m.span else {
        let target = format!("{:.0}-{:.0} words/min", p.pass_min_wpm, p.pass_max_wpm);
        return na(target, "No speech found.");
    };
    match m.r.rate.words_per_minute.filter(|_| m.words.is_some()) {
        Some(wpm) => words_per_minute(p, wpm, s),
        None => syllables_per_second(p, m.r.rate.speech_rate_sps, s),
    }
}

fn words_per_minute(p: &RateOverall, wpm: f64, s: Span) -> Judged {
    let (lo, hi, warn) = (p.pass_min_wpm, p.pass_max_wpm, p.warn_max_wpm);
    let verdict = if wpm < lo {
        Verdict::Warn
    } else {
        grade_upper(wpm, hi, warn)
    };
    let message = if wpm < lo {
        format!("{wpm:.0} words/min is slow enough to drag; keep it moving.")
    } else if verdict == Verdict::Pass {
        format!("{wpm:.0} words/min: an unhurried pace.")
    } else {
        format!("{wpm:.0} words/min: slow down your rate of speech to {hi:.0} or less.")
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(wpm),
        target: format!("{lo:.0}-{hi:.0} words/min (warn to {warn:.0})"),
        message,
        evidence: vec![s],
    }
}

fn syllables_per_second(p: &RateOverall, sps: Option<f64>, s: Span) -> Judged {
    let target = format!("<= {:.1} syllables/s (no transcript)", p.pass_max_sps);
    let Some(sps) = sps else {
        return na(target, "No speaking rate measured.");
    };
    let verdict = grade_upper(sps, p.pass_max_sps, p.warn_max_sps);
    let message = if verdict == Verdict::Pass {
        format!("{sps:.1} syllables/s: an unhurried pace.")
    } else {
        format!("{sps:.1} syllables/s: slow down your rate of speech.")
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(sps),
        target,
        message,
        evidence: vec![s],
    }
}

params! {
    /// `rate.details`: the name and number said slower than the rest.
    ///
    /// Names and digits come out at about 0.8-0.9 of running speech's syllable rate even when
    /// nobody slows down (every digit a stressed word); "slower than the rest" means clearly
    /// under that: 0.5-0.7 in the slow renders of the seed messages.
    RateDetails {
        pass_max_ratio: number = 0.75, "largest details/rest rate ratio that passes" [0.1, 3.0];
        warn_max_ratio: number = 0.80, "largest ratio that only warns" [0.1, 3.0];
    }
}

pub(super) const DETAILS: Rule = Rule {
    id: "rate.details",
    measures: "speaking rate while saying the name and number over the rate of the rest (syllables per second of phonation)",
    source: MEWSE,
    params: RateDetails::PARAMS,
    ordered: &[("pass_max_ratio", "warn_max_ratio")],
    judge: |rules, m, _| {
        let p = &rules.rate_details;
        p.enabled.then(|| details(p, m))
    },
};

fn details(p: &RateDetails, m: &Measured) -> Judged {
    let target = format!(
        "name and number at <= {:.0} % of the rest's rate",
        p.pass_max_ratio * 100.0
    );
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let pacing = &m.r.pacing;
    let mut evidence: Vec<Span> = pacing.name.into_iter().collect();
    evidence.extend(pacing.numbers.iter().copied());
    let (Some(ratio), Some(d), Some(rest)) = (pacing.ratio, pacing.details_sps, pacing.rest_sps)
    else {
        return na(
            target,
            "No name or number found to compare with the rest of the message.",
        );
    };
    let verdict = grade_upper(ratio, p.pass_max_ratio, p.warn_max_ratio);
    let message = if verdict == Verdict::Pass {
        format!(
            "Your name and number ({d:.1} syll/s) come slower than the rest ({rest:.1} syll/s): easy to take down."
        )
    } else {
        format!(
            "Slow down for your name and number: {d:.1} syll/s against {rest:.1} for the rest of the message."
        )
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(ratio),
        target,
        message,
        evidence,
    }
}
