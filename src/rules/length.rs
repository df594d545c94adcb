//! How long the message runs and how soon it starts.

use super::judged::{grade_upper, na, Judged, Measured};
use super::{Rule, ROBERTSON};
use crate::report::{Span, Verdict};

params! {
    /// `length.max`: how long a message may run.
    LengthMax {
        pass_max_s: number = 20.0, "longest span that passes, s" [1.0, 600.0];
        warn_max_s: number = 30.0, "longest span that only warns, s" [1.0, 600.0];
    }
}

pub(super) const MAX: Rule = Rule {
    id: "length.max",
    measures: "speech span (first to last sounding frame), seconds",
    source: "Kelley Robertson, 'Are Your Voicemails Not Getting Returned?'; Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'",
    params: LengthMax::PARAMS,
    ordered: &[("pass_max_s", "warn_max_s")],
    judge: |rules, m, _| {
        let p = &rules.length_max;
        p.enabled.then(|| length_max(p, m))
    },
};

fn length_max(p: &LengthMax, m: &Measured) -> Judged {
    let (pass, warn) = (p.pass_max_s, p.warn_max_s);
    let target = format!("<= {pass:.0} s ideal, <= {warn:.0} s at most");
    let Some(s) = m.span else {
        return na(target, "No speech found.");
    };
    let len = s.end_s - s.start_s;
    let verdict = grade_upper(len, pass, warn);
    let message = match verdict {
        Verdict::Pass => format!("{len:.1} s: short enough to be heard to the end."),
        _ => format!(
            "{len:.1} s: cut it to {pass:.0} s or less; most voicemails are deleted within 20 s."
        ),
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(len),
        target,
        message,
        evidence: vec![s],
    }
}

params! {
    /// `length.min`: long enough to say who you are and how to reach you.
    LengthMin {
        warn_below_s: number = 5.0, "shorter spans warn as too cryptic, s" [0.0, 60.0];
        require_name_and_route: flag = true,
            "warn without both a name and a number or promised callback";
    }
}

pub(super) const MIN: Rule = Rule {
    id: "length.min",
    measures: "speech span, seconds, and whether a name and a callback route are left",
    source: ROBERTSON,
    params: LengthMin::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.length_min;
        p.enabled.then(|| length_min(p, m))
    },
};

fn length_min(p: &LengthMin, m: &Measured) -> Judged {
    let target = format!(
        ">= {:.0} s, with a name and a callback number or promised callback",
        p.warn_below_s
    );
    let Some(s) = m.span else {
        return na(target, "No speech found.");
    };
    let len = s.end_s - s.start_s;
    let warn = |message: String| Judged {
        notice: None,
        verdict: Verdict::Warn,
        measured: Some(len),
        target: target.clone(),
        message,
        evidence: vec![s],
    };
    if len < p.warn_below_s {
        return warn(format!(
            "{len:.1} s is too cryptic: give enough to make them want to call back."
        ));
    }
    if p.require_name_and_route && m.words.is_some() {
        let name = m.r.introduction.is_some();
        let route = !m.r.phone_numbers.is_empty() || m.content.promises.iter().any(|p| p.dated);
        let missing = match (name, route) {
            (true, true) => None,
            (false, false) => Some("your name and a callback number"),
            (false, true) => Some("your name"),
            (true, false) => Some("a callback number"),
        };
        if let Some(missing) = missing {
            return warn(format!(
                "Leave {missing}: without it the message is too cryptic to act on."
            ));
        }
    }
    Judged {
        notice: None,
        verdict: Verdict::Pass,
        measured: Some(len),
        target,
        message: "Long enough to say who you are and how to reach you.".into(),
        evidence: vec![s],
    }
}

params! {
    /// `opening.dead_air`: silence before the first word.
    OpeningDeadAir {
        pass_max_s: number = 1.5, "longest opening silence that passes, s" [0.0, 60.0];
        warn_max_s: number = 3.0, "longest opening silence that only warns, s" [0.0, 60.0];
    }
}

pub(super) const DEAD_AIR: Rule = Rule {
    id: "opening.dead_air",
    measures: "silence before the first word, seconds",
    source: ROBERTSON,
    params: OpeningDeadAir::PARAMS,
    ordered: &[("pass_max_s", "warn_max_s")],
    judge: |rules, m, _| {
        let p = &rules.opening_dead_air;
        p.enabled.then(|| dead_air(p, m))
    },
};

fn dead_air(p: &OpeningDeadAir, m: &Measured) -> Judged {
    let (pass, warn) = (p.pass_max_s, p.warn_max_s);
    let target = format!("<= {pass:.1} s before the first word");
    let Some(lead) = m.r.speech.leading_silence_s else {
        return na(target, "No speech found.");
    };
    let verdict = grade_upper(lead, pass, warn);
    let message = if verdict == Verdict::Pass {
        format!("You start speaking {lead:.1} s in.")
    } else {
        format!("{lead:.1} s of silence before you speak: start at once; listeners delete in the first few seconds.")
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(lead),
        target,
        message,
        evidence: vec![Span {
            start_s: 0.0,
            end_s: lead,
        }],
    }
}
