//! The details a caller must leave: who they are and a number a listener can take down.

use super::judged::{grade_upper, na, quoted, spans, Judged, Measured, NO_WORDS};
use super::{Rule, MEWSE};
use crate::context::Context;
use crate::lexicon::digit_place;
use crate::numbers;
use crate::report::{DigitDifference, PhoneNumber, Span, Verdict};

params! {
    /// `number.pace`: digits per second and pauses between digit groups.
    NumberPace {
        max_digits_per_second: number = 2.5, "fastest pace that passes, digits/s" [0.5, 10.0];
        warn_max_digits_per_second: number = 3.0,
            "fastest pace that only warns, digits/s" [0.5, 10.0];
        min_group_gap_s: number = 0.25,
            "shortest pause between digit groups that passes, s" [0.0, 5.0];
    }
}

pub(super) const PACE: Rule = Rule {
    id: "number.pace",
    measures:
        "digits per second across each callback number, and the pauses between its digit groups",
    source: MEWSE,
    params: NumberPace::PARAMS,
    ordered: &[("max_digits_per_second", "warn_max_digits_per_second")],
    judge: |rules, m, _| {
        let p = &rules.number_pace;
        p.enabled.then(|| pace(p, m))
    },
};

/// Each number judged (a repeat too: it is heard again); the verdict is the worst.
fn pace(p: &NumberPace, m: &Measured) -> Judged {
    let (max, gap) = (p.max_digits_per_second, p.min_group_gap_s);
    let target = format!("<= {max:.1} digits/s, >= {gap:.2} s between digit groups");
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    if m.r.phone_numbers.is_empty() {
        return na(target, "No callback number heard.");
    }
    let mut worst = Verdict::Pass;
    let mut measured: f64 = 0.0;
    let (mut notes, mut mend) = (Vec::new(), Vec::new());
    for n in &m.r.phone_numbers {
        let dps = n.digits_per_second;
        let min_gap = n.group_gaps_s.iter().copied().fold(f64::INFINITY, f64::min);
        let too_fast = grade_upper(dps, max, p.warn_max_digits_per_second);
        let grouped = n.groups.len() >= 2 && min_gap >= gap;
        let v = if grouped {
            too_fast
        } else {
            too_fast.max(Verdict::Warn)
        };
        worst = worst.max(v);
        measured = measured.max(dps);
        let gaps = if n.groups.len() < 2 {
            "in one breath".to_string()
        } else {
            format!("shortest group pause {min_gap:.2} s")
        };
        let (said, pattern) = (n.grouped(), groups_for(&n.digits));
        let note = format!("{said} at {dps:.1} digits/s, {gaps}");
        // Only what needs changing: slower, in groups, or both.
        let short_pauses = n.groups.len() >= 2 && !grouped;
        let fix = match (too_fast != Verdict::Pass, grouped) {
            (true, true) => format!("say {said} slower: {dps:.1} digits/s, {gaps}"),
            (true, false) if short_pauses => format!(
                "say {said} slower, with longer pauses between its groups (at least {gap:.2} s): {dps:.1} digits/s, {gaps}"
            ),
            (false, false) if short_pauses => format!(
                "pause longer between the groups of {said} (at least {gap:.2} s): {gaps}"
            ),
            (true, false) => format!(
                "say {said} slower, in groups ({pattern}) with a pause between them: {dps:.1} digits/s, {gaps}"
            ),
            (false, false) => {
                format!("say {said} in groups ({pattern}) with a pause between them: {gaps}")
            }
            (false, true) => String::new(),
        };
        if !fix.is_empty() {
            mend.push(fix);
        }
        notes.push(note);
    }
    // The advice names only the numbers it is about.
    let message = match worst {
        Verdict::Pass => format!(
            "Number said at a pace that can be written down ({}).",
            notes.join("; ")
        ),
        _ => format!("{}.", capitalised(&mend.join("; "))),
    };
    Judged {
        notice: None,
        verdict: worst,
        measured: Some(measured),
        target,
        message,
        evidence: m.r.phone_numbers.iter().map(PhoneNumber::span).collect(),
    }
}

/// The groups a number of this length is said in, written as group sizes ("3-3-4"): see
/// [`PhoneNumber::usual_groups`].
pub(crate) fn groups_for(digits: &str) -> String {
    PhoneNumber::usual_groups(digits)
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join("-")
}

params! {
    /// `number.present`: a callback number, or a dated callback promise.
    NumberPresent {
        accept_promise: flag = true, "a dated callback promise stands in for a number";
    }
}

pub(super) const PRESENT: Rule = Rule {
    id: "number.present",
    measures: "a callback number, or a promised callback date and time",
    source: "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'; Colleen Francis, 'The gatekeepers'",
    params: NumberPresent::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.number_present;
        p.enabled.then(|| present(p, m))
    },
};

fn present(p: &NumberPresent, m: &Measured) -> Judged {
    let target = "a callback number, or a promised callback day and time".to_string();
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    if let Some(n) = m.r.phone_numbers.first() {
        return Judged {
            notice: None,
            verdict: Verdict::Pass,
            measured: Some(m.r.phone_numbers.len() as f64),
            target,
            message: format!("Callback number left: {}.", n.grouped()),
            evidence: vec![n.span()],
        };
    }
    let dated = m.dated_promises();
    if p.accept_promise && !dated.is_empty() {
        return Judged {
            notice: None,
            verdict: Verdict::Pass,
            measured: Some(0.0),
            target,
            message: format!(
                "No number, but a dated callback promise: {}. Call exactly then.",
                quoted(&dated)
            ),
            evidence: spans(&dated),
        };
    }
    Judged {
        notice: None,
        verdict: Verdict::Fail,
        measured: Some(0.0),
        target,
        message:
            "Leave your number (end with it), or promise the day and time you will call again."
                .into(),
        evidence: m.span.into_iter().collect(),
    }
}

params! {
    /// `number.clarity`: how sure a listener can be of each number.
    NumberClarity {
        pass_min_confidence: number = 0.8,
            "least confidence in a number's digits that passes, 0-1" [0.0, 1.0];
        warn_min_confidence: number = 0.5, "least confidence that only warns, 0-1" [0.0, 1.0];
    }
}

pub(super) const CLARITY: Rule = Rule {
    id: "number.clarity",
    measures: "how sure a listener can be of each callback number (the confidence that every digit is heard right), and whether the caller's delivery explains a doubt: the pace within the number (number.pace's limit), the speech over the line's noise (level's limit), a number cut off at the end",
    source: "Matthew Mewse, 'How to get people to call you back' (\"slow down when you leave your details\"); Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back' (\"please give me a call at...\")",
    params: NumberClarity::PARAMS,
    ordered: &[("warn_min_confidence", "pass_min_confidence")],
    judge: |rules, m, _| {
        let p = &rules.number_clarity;
        p.enabled.then(|| clarity(p, &Delivery::limits(rules), m))
    },
};

/// What in the caller's delivery can make a number hard to take down, with the limits other
/// rules set for it.
struct Delivery {
    max_digits_per_second: f64,
    min_snr_db: f64,
}

/// How close to the end of the recording a number's last digit may end before it counts as cut
/// off, seconds.
const CUT_OFF_S: f64 = 0.05;

impl Delivery {
    fn limits(rules: &super::Rules) -> Self {
        Delivery {
            max_digits_per_second: rules.number_pace.max_digits_per_second,
            min_snr_db: rules.level.min_snr_db,
        }
    }

    /// What the caller did that makes `n` hard to hear, as advice; empty when the delivery was
    /// clear (a doubt is then the transcriber's, not the caller's).
    fn causes(&self, n: &PhoneNumber, m: &Measured) -> Vec<String> {
        let mut out = Vec::new();
        if n.digits_per_second > self.max_digits_per_second {
            out.push(format!(
                "it was said at {:.1} digits/s: slow down on those digits and say the number in groups, {}",
                n.digits_per_second,
                groups_for(&n.digits)
            ));
        }
        if let Some(snr) = m.r.level.snr_db.filter(|&s| s < self.min_snr_db) {
            out.push(format!(
                "the voice is only {snr:.0} dB over the line's noise: speak up, or call from a quieter place"
            ));
        }
        if n.end_s >= m.r.audio.duration_s - CUT_OFF_S {
            out.push(
                "the recording ends on its last digit: finish the number before you hang up".into(),
            );
        }
        out
    }
}

/// The verdict on one mention of a number by its clarity, as far as the transcriber's doubt goes.
fn clarity_of(n: &PhoneNumber, p: &NumberClarity) -> Verdict {
    if n.confidence < p.warn_min_confidence {
        Verdict::Fail
    } else if n.confidence < p.pass_min_confidence || !n.unclear_digits.is_empty() {
        Verdict::Warn
    } else {
        Verdict::Pass
    }
}

/// The clearest mention of each number (a number said twice is clear when either mention is),
/// by index into `numbers`.
fn clearest_mentions(numbers: &[PhoneNumber], p: &NumberClarity) -> Vec<usize> {
    let root = |mut i: usize| {
        while let Some(j) = numbers[i].repeat_of.filter(|&j| j < i) {
            i = j;
        }
        i
    };
    let key = |k: usize| (clarity_of(&numbers[k], p), -numbers[k].confidence);
    let mut clearest: Vec<(usize, usize)> = Vec::new();
    for i in 0..numbers.len() {
        match clearest.iter_mut().find(|(k, _)| *k == root(i)) {
            Some(best) if key(i) < key(best.1) => best.1 = i,
            Some(_) => {}
            None => clearest.push((root(i), i)),
        }
    }
    clearest.into_iter().map(|(_, i)| i).collect()
}

/// Each number judged by its clearest mention. A number the transcriber doubts is the caller's
/// to mend (warn or fail) only when their delivery explains the doubt ([`Delivery::causes`]).
/// Otherwise the caller did what the rule asks, and the doubt is the transcriber's: the rule
/// passes when every such number is still likely right (confidence at least
/// `pass_min_confidence`), else it could not be verified (not applicable); either way the message
/// says which digits to check by ear and where ([`UNVERIFIED`]). The verdict is the worst over
/// the numbers the caller can mend.
fn clarity(p: &NumberClarity, d: &Delivery, m: &Measured) -> Judged {
    let target = format!(
        "every digit clear, confidence >= {:.2}",
        p.pass_min_confidence
    );
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let all = &m.r.phone_numbers;
    if all.is_empty() {
        return na(target, "No callback number heard.");
    }
    let clearest: Vec<&PhoneNumber> = clearest_mentions(all, p)
        .into_iter()
        .map(|i| &all[i])
        .collect();
    let (mut worst, mut mend, mut unverified) = (Verdict::Pass, Vec::new(), Vec::new());
    let mut likely_right = true;
    let mut evidence = Vec::new();
    for n in &clearest {
        let v = clarity_of(n, p);
        if v == Verdict::Pass {
            continue;
        }
        evidence.extend(n.unclear_spans());
        let causes = d.causes(n, m);
        if causes.is_empty() {
            unverified.push(format!("{}.", unclear_note(n)));
            likely_right &= n.confidence >= p.pass_min_confidence;
        } else {
            worst = worst.max(v);
            mend.push(format!(
                "{}. {}.",
                unclear_note(n),
                capitalised(&causes.join("; "))
            ));
        }
    }
    let mut notice = None;
    let message = if !mend.is_empty() {
        format!(
            "A listener may not take the number down right: {}",
            mend.join(" ")
        )
    } else if !unverified.is_empty() {
        let doubt = format!(
            "{UNVERIFIED} {} The number was said at a clear pace over a clean line, so this is the transcriber's doubt, not advice: check the digits by ear.",
            unverified.join(" ")
        );
        // The transcriber's doubt is the report's to say as well, whatever the verdict.
        notice = Some(doubt.clone());
        if likely_right {
            format!("Said clearly, and the digits are likely right. {doubt}")
        } else {
            worst = Verdict::NotApplicable;
            doubt
        }
    } else {
        let heard: Vec<String> = clearest.iter().map(|n| n.grouped()).collect();
        format!("Every digit is clear: {}.", heard.join(", "))
    };
    Judged {
        notice,
        verdict: worst,
        measured: clearest.iter().map(|n| n.confidence).reduce(f64::min),
        target,
        message,
        evidence,
    }
}

/// `s` with its first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// What marks the part of `number.clarity`'s message about a number the transcriber doubts
/// although the caller said it clearly: the message holds it from there on, and the report's
/// notices repeat that part.
pub const UNVERIFIED: &str = "Could not be verified:";

/// Which digits of `n` a listener may mishear, what they may hear instead and where to listen.
fn unclear_note(n: &PhoneNumber) -> String {
    let at: Vec<String> = n.unclear_spans().iter().map(|s| s.clock()).collect();
    let which = if n.unclear_digits.is_empty() {
        "its digits are unsure throughout".to_string()
    } else {
        let list: Vec<String> = n
            .unclear_digits
            .iter()
            .filter_map(|&i| {
                n.digits
                    .get(i..=i)
                    .map(|d| format!("the {} ({d})", digit_place(i)))
            })
            .collect();
        format!("{} may be misheard", list.join(", "))
    };
    let alternatives: Vec<&str> = n.alternatives.iter().map(|a| a.digits.as_str()).collect();
    let maybe = if alternatives.is_empty() {
        String::new()
    } else {
        format!(", heard also as {}", alternatives.join(" or "))
    };
    format!(
        "{} (confidence {}): {which}{maybe}; listen at {}",
        n.grouped(),
        n.confidence_shown(),
        at.join(", ")
    )
}

params! {
    /// `number.matches`: the number heard against the number meant (no parameters).
    NumberMatches {}
}

pub(super) const MATCHES: Rule = Rule {
    id: "number.matches",
    measures: "the number heard against the number the caller meant to leave",
    source: MEWSE,
    params: NumberMatches::PARAMS,
    ordered: &[],
    judge: |rules, m, ctx| rules.number_matches.enabled.then(|| matches(m, ctx)),
};

fn matches(m: &Measured, ctx: &Context) -> Judged {
    let target = "the number heard equals the number meant".to_string();
    let Some(expected) = ctx.expected_number() else {
        return na(
            target,
            "No expected number given: give the number the caller meant to leave.",
        );
    };
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let heard = &m.r.phone_numbers;
    let evidence: Vec<Span> = heard.iter().map(PhoneNumber::span).collect();
    let judged = |verdict, measured, message| Judged {
        notice: None,
        verdict,
        measured: Some(measured),
        target: target.clone(),
        message,
        evidence: evidence.clone(),
    };
    if let Some(n) = heard.iter().find(|n| n.matches_expected == Some(true)) {
        let message = format!("The number is heard as meant: {}.", n.grouped());
        return judged(Verdict::Pass, 1.0, message);
    }
    let closest = heard.iter().min_by_key(|n| n.differences.len());
    if let Some(n) = closest.filter(|n| numbers::may_be(expected, n)) {
        let message = format!(
            "Heard {}, meant {expected}: the digits that differ are unclear, so a listener may hear either. {}.",
            n.digits,
            unclear_note(n)
        );
        return Judged {
            notice: None,
            evidence: n.unclear_spans(),
            ..judged(Verdict::Warn, 0.5, message)
        };
    }
    let message = match closest {
        None => format!("The expected number {expected} was not heard at all."),
        Some(n) => {
            let diffs: Vec<String> = n.differences.iter().filter_map(difference).collect();
            format!(
                "Heard {} instead of {expected} ({}): say each digit clearly.",
                n.digits,
                diffs.join(", ")
            )
        }
    };
    judged(Verdict::Fail, 0.0, message)
}

/// One digit heard otherwise than meant, in words.
fn difference(d: &DigitDifference) -> Option<String> {
    let at = digit_place(d.position);
    match (d.expected, d.heard) {
        (Some(e), Some(h)) => Some(format!("the {at} heard as {h}, meant {e}")),
        (Some(e), None) => Some(format!("the {at} ({e}) not heard")),
        (None, Some(h)) => Some(format!("an extra {h} heard before the {at}")),
        (None, None) => None,
    }
}

params! {
    /// `name.early`: the caller says who they are first.
    NameEarly {
        within_s: number = 5.0,
            "latest start of the name that passes, s after speech starts" [0.5, 60.0];
    }
}

pub(super) const NAME: Rule = Rule {
    id: "name.early",
    measures: "when the caller says who they are, seconds after speech starts",
    source: "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'; Colleen Francis, 'The gatekeepers'; Matthew Mewse, 'How to get people to call you back'",
    params: NameEarly::PARAMS,
    ordered: &[],
    judge: |rules, m, _| {
        let p = &rules.name_early;
        p.enabled.then(|| name_early(p, m))
    },
};

fn name_early(p: &NameEarly, m: &Measured) -> Judged {
    let target = format!("name within the first {:.0} s", p.within_s);
    if m.words.is_none() {
        return na(target, NO_WORDS);
    }
    let Some(i) = &m.r.introduction else {
        return Judged {
            notice: None,
            verdict: Verdict::Fail,
            measured: None,
            target,
            message: "No self-introduction heard: open with \"this is <your name>\".".into(),
            evidence: m.span.into_iter().collect(),
        };
    };
    let at = (i.start_s - m.r.speech.start_s.unwrap_or(0.0)).max(0.0);
    let (verdict, message) = if at <= p.within_s {
        (
            Verdict::Pass,
            format!("You say who you are ({}) {at:.1} s in.", i.name),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "Say who you are first: your name ({}) comes {at:.1} s in.",
                i.name
            ),
        )
    };
    Judged {
        notice: None,
        verdict,
        measured: Some(at),
        target,
        message,
        evidence: vec![Span {
            start_s: i.start_s,
            end_s: i.end_s,
        }],
    }
}
