//! How the voice sounds: confident endings, warmth, a settled pitch and a clean level.

use super::judged::{grade_upper, na, Judged, Measured};
use super::{Rule, CLARK, MEWSE};
use crate::context::Context;
use crate::report::{Span, Verdict};

params! {
    /// `pitch.confident`: few phrase endings rise like questions.
    PitchConfident {
        rise_st: number = 2.0,
            "a terminal rise above this counts as rising, semitones" [0.1, 24.0];
        max_rising_fraction: number = 0.34,
            "largest share of rising endings that passes" [0.0, 1.0];
    }
}

pub(super) const CONFIDENT: Rule = Rule {
    id: "pitch.confident",
    measures: "share of phrase endings whose pitch rises (uptalk)",
    source: CLARK,
    params: PitchConfident::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.pitch_confident;
        p.enabled.then(|| confident(p, m))
    },
};

fn confident(p: &PitchConfident, m: &Measured) -> Judged {
    let (rise, max) = (p.rise_st, p.max_rising_fraction);
    let target = format!(
        "<= {:.0} % of phrase endings rising > {rise:.1} st",
        max * 100.0
    );
    let endings = &m.r.pitch.phrases;
    let judged = endings.iter().filter(|e| e.terminal_st.is_some()).count();
    if judged == 0 {
        return na(target, "No phrase ending with enough voicing to judge.");
    }
    let rising: Vec<Span> = endings
        .iter()
        .filter(|e| e.terminal_st.is_some_and(|t| t > rise))
        .map(|e| Span {
            start_s: e.start_s,
            end_s: e.end_s,
        })
        .collect();
    let frac = rising.len() as f64 / judged as f64;
    let (verdict, how) = if frac <= max {
        (Verdict::Pass, "rise: a confident, level delivery")
    } else {
        (
            Verdict::Fail,
            "rise like questions: end statements lower, with a confident business-like tone",
        )
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(frac),
        target,
        message: format!("{} of {judged} phrase endings {how}.", rising.len()),
        evidence: rising,
    }
}

params! {
    /// `pitch.warm`: enough pitch variation not to sound monotone.
    PitchWarm {
        pass_min_stdev_st: number = 2.0, "least variation that passes, semitones" [0.0, 24.0];
        warn_min_stdev_st: number = 1.5,
            "least variation that only warns, semitones" [0.0, 24.0];
    }
}

pub(super) const WARM: Rule = Rule {
    id: "pitch.warm",
    measures: "pitch variation over voiced speech, semitones (standard deviation)",
    source:
        "Matthew Mewse, 'How to get people to call you back'; Colleen Francis, 'The gatekeepers'",
    params: PitchWarm::PARAMS,
    ordered: &[("warn_min_stdev_st", "pass_min_stdev_st")],
    judge: |rules, m, _| {
        let p = &rules.pitch_warm;
        p.enabled.then(|| warm(p, m))
    },
};

fn warm(p: &PitchWarm, m: &Measured) -> Judged {
    let target = format!(">= {:.1} st pitch variation", p.pass_min_stdev_st);
    let Some(sd) = m.r.pitch.summary.stdev_st else {
        return na(target, "Not enough voiced speech to measure.");
    };
    let verdict = if sd >= p.pass_min_stdev_st {
        Verdict::Pass
    } else if sd >= p.warn_min_stdev_st {
        Verdict::Warn
    } else {
        Verdict::Fail
    };
    let message = if verdict == Verdict::Pass {
        format!("{sd:.1} st of pitch variation: lively, not monotone.")
    } else {
        format!("{sd:.1} st of pitch variation sounds monotone: make the message warm and enthusiastic.")
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(sd),
        target,
        message,
        evidence: m.span.into_iter().collect(),
    }
}

params! {
    /// `pitch.baseline`: the median pitch no higher than the caller's usual.
    PitchBaseline {
        pass_max_st: number = 0.5,
            "highest median that passes, semitones above the baseline (the median of the same text said twice moves by about half a semitone)" [-12.0, 12.0];
        warn_max_st: number = 1.0,
            "highest median that only warns, semitones above the baseline" [-12.0, 12.0];
    }
}

pub(super) const BASELINE: Rule = Rule {
    id: "pitch.baseline",
    measures: "median pitch against the caller's own baseline, semitones above it",
    source: CLARK,
    params: PitchBaseline::PARAMS,
    ordered: &[("pass_max_st", "warn_max_st")],
    judge: |rules, m, ctx| {
        let p = &rules.pitch_baseline;
        p.enabled.then(|| baseline(p, m, ctx))
    },
};

fn baseline(p: &PitchBaseline, m: &Measured, ctx: &Context) -> Judged {
    let target = format!(
        "median pitch <= {:+.1} st from your baseline",
        p.pass_max_st
    );
    let Some(base) = ctx.pitch_baseline_hz() else {
        return na(
            target,
            "No pitch baseline given: give the caller's usual pitch, or judge the messages as a campaign.",
        );
    };
    let Some(med) = m.r.pitch.summary.median_hz else {
        return na(target, "Not enough voiced speech to measure.");
    };
    let st = 12.0 * (med / base).log2();
    let verdict = grade_upper(st, p.pass_max_st, p.warn_max_st);
    // Hz to the precision that tells the two apart.
    let (med_hz, base_hz) = if format!("{med:.0}") == format!("{base:.0}") {
        (format!("{med:.1}"), format!("{base:.1}"))
    } else {
        (format!("{med:.0}"), format!("{base:.0}"))
    };
    let message = if verdict == Verdict::Pass {
        format!("Median {med_hz} Hz, {st:+.1} st from your usual {base_hz} Hz: a settled voice.")
    } else {
        format!(
            "Median {med_hz} Hz is {st:+.1} st above your usual {base_hz} Hz: lower your voice."
        )
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(st),
        target,
        message,
        evidence: m.span.into_iter().collect(),
    }
}

params! {
    /// `level`: speech loud enough, clear of the background, not clipped.
    SpeechLevel {
        min_speech_dbfs: number = -35.0, "quieter speech warns, dBFS" [-90.0, 0.0];
        min_snr_db: number = 15.0, "less speech-to-background distance warns, dB" [0.0, 90.0];
        max_clipped_runs: number = 0.0, "more runs of clipped samples fail" [0.0, 1e9];
    }
}

pub(super) const LEVEL: Rule = Rule {
    id: "level",
    measures: "speech level, background and clipping",
    source: MEWSE,
    params: SpeechLevel::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.level;
        p.enabled.then(|| level(p, m))
    },
};

fn level(p: &SpeechLevel, m: &Measured) -> Judged {
    let target = format!(
        "speech >= {:.0} dBFS, >= {:.0} dB above background, no clipping",
        p.min_speech_dbfs, p.min_snr_db
    );
    let l = &m.r.level;
    let Some(db) = l.speech_dbfs else {
        return na(target, "No speech found.");
    };
    let mut problems = Vec::new();
    let mut verdict = Verdict::Pass;
    if l.clipped_runs as f64 > p.max_clipped_runs {
        verdict = Verdict::Fail;
        problems.push(format!(
            "{} clipped runs: move back from the microphone",
            l.clipped_runs
        ));
    }
    if db < p.min_speech_dbfs {
        verdict = verdict.max(Verdict::Warn);
        problems.push(format!(
            "speech at {db:.0} dBFS is faint: lift your voice slightly"
        ));
    }
    if let Some(snr) = l.snr_db.filter(|&s| s < p.min_snr_db) {
        verdict = verdict.max(Verdict::Warn);
        problems.push(format!(
            "only {snr:.0} dB above the background: find a quieter place"
        ));
    }
    let message = if problems.is_empty() {
        format!("Speech at {db:.0} dBFS, clear of the background, no clipping.")
    } else {
        format!("{}.", problems.join("; "))
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(db),
        target,
        message,
        evidence: m.span.into_iter().collect(),
    }
}
