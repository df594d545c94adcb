//! The readable text report, as the example binary prints it: verdicts first (what to change,
//! most important first, with the times to listen to), then the figures.

use crate::campaign::Campaign;

use crate::lexicon::digit_place;
use crate::report::{clock, Advice, PhoneNumber, Report, Span, Status, SuggestedMessage, Verdict};
use crate::rules::WERTH;

/// The unclear digits and other readings of a number, for the readable report.
fn unsure(n: &PhoneNumber) -> String {
    let mut o = String::new();
    if !n.unclear_digits.is_empty() {
        let at: Vec<String> = n.unclear_digits.iter().map(|&i| digit_place(i)).collect();
        o += &format!(", unclear: the {}", at.join(", the "));
    }
    if !n.alternatives.is_empty() {
        let alt: Vec<&str> = n.alternatives.iter().map(|a| a.digits.as_str()).collect();
        o += &format!(", may also be {}", alt.join(" or "));
    }
    o
}

fn opt(v: Option<f64>, unit: &str, digits: usize) -> String {
    match v {
        Some(x) => format!("{x:.digits$} {unit}"),
        None => "n/a".to_string(),
    }
}

/// The readable report of one recording: the verdicts, worst first, with the times to listen
/// to; then the name, the numbers and the figures.
pub fn report(r: &Report) -> String {
    let mut o = String::new();
    o += &format!("== {}\n", r.file);
    o += &status(r);
    if r.status != Status::NoSpeech {
        o += &verdicts(&r.advice);
    }
    if let Some(sm) = &r.suggested_message {
        o += &suggestion(sm);
    }
    o += &details(r);
    o += &format!(
        "audio     {} Hz, {} ch, {}, {:.2} s\n",
        r.audio.sample_rate_hz, r.audio.channels, r.audio.encoding, r.audio.duration_s
    );
    if r.status != Status::NoSpeech {
        o += &speech_figures(r);
    }
    match &r.transcript {
        Some(t) => {
            o += &format!(
                "words     {} words, {}; {} syllables in the words heard, {} over the span\n",
                t.words.len(),
                opt(r.rate.words_per_minute, "per minute", 0),
                r.rate.transcript_syllables.unwrap_or(0),
                opt(r.rate.transcript_rate_sps, "syll/s", 2)
            );
            o += &format!("text      {}\n", t.text);
        }
        None => o += "text      (no transcript)\n",
    }
    for n in &r.notices {
        o += &format!("note      {n}\n");
    }
    o += &format!(
        "time      decode {:.1} ms, pitch {:.1} ms, rate {:.1} ms, transcribe {}, total {:.1} ms",
        r.timings_ms.decode,
        r.timings_ms.pitch,
        r.timings_ms.rate,
        opt(r.timings_ms.transcribe, "ms", 1),
        r.timings_ms.total
    );
    o
}

/// The figures of the speech: span, pauses, rates, pitch, endings and level.
fn speech_figures(r: &Report) -> String {
    let s = &r.speech;
    let span = s.span().map(|s| s.duration_s());
    let p = &r.pitch.summary;
    let rising = r
        .pitch
        .phrases
        .iter()
        .filter(|ph| ph.terminal_st.is_some_and(|t| t > 2.0))
        .count();
    let judged = r
        .pitch
        .phrases
        .iter()
        .filter(|ph| ph.terminal_st.is_some())
        .count();
    let mut o = String::new();
    o += &format!(
        "speech    {} (from {} to {}), leading silence {}, trailing {}\n",
        opt(span, "s", 2),
        opt(s.start_s, "s", 2),
        opt(s.end_s, "s", 2),
        opt(s.leading_silence_s, "s", 2),
        opt(s.trailing_silence_s, "s", 2)
    );
    o += &format!(
        "pauses    {} of >= the minimum, phonation {}\n",
        s.pauses.len(),
        opt(s.phonation_s, "s", 2)
    );
    o += &format!(
        "rate      {} acoustic syllable nuclei, {} over the span, {} articulation\n",
        r.rate.syllables,
        opt(r.rate.speech_rate_sps, "syll/s", 2),
        opt(r.rate.articulation_rate_sps, "syll/s", 2)
    );
    o += &format!(
        "pitch     median {}, p10-p90 {}-{}, range {}, stdev {}, voiced {}\n",
        opt(p.median_hz, "Hz", 0),
        opt(p.p10_hz, "", 0).trim_end(),
        opt(p.p90_hz, "Hz", 0),
        opt(p.range_st, "st", 1),
        opt(p.stdev_st, "st", 1),
        opt(p.voiced_fraction.map(|v| v * 100.0), "%", 0)
    );
    o += &format!("endings   {rising} of {judged} phrase endings rise by more than 2 st\n");
    o += &format!(
        "level     speech {}, background {}, peak {}, {} clipped runs\n",
        opt(r.level.speech_dbfs, "dBFS", 1),
        opt(r.level.background_dbfs, "dBFS", 1),
        opt(r.level.peak_dbfs, "dBFS", 1),
        r.level.clipped_runs
    );
    o
}

/// The note that ends a run's readable output, once: the articles' dissent on leaving messages
/// at all.
pub fn footnote() -> String {
    format!(
        "(Some trainers would not leave this message at all: {WERTH}, argues for calling back\n\
         instead of leaving voicemail.)"
    )
}

/// What the verdicts stand on, when it is not the whole analysis: the first line of the report.
fn status(r: &Report) -> String {
    let why = r.status_reason.as_deref().unwrap_or("");
    match r.status {
        Status::NoSpeech => format!("verdict   no speech found: nothing to judge ({why})\n"),
        Status::NoTranscript => {
            format!(
                "status    no transcript ({why}): the rules that need the words are not judged\n"
            )
        }
        _ => String::new(),
    }
}

/// The verdicts, worst first: what to change, with the times to listen to, then what passed.
fn verdicts(advice: &[Advice]) -> String {
    let mut sorted: Vec<&Advice> = advice.iter().collect();
    // Stable: within a verdict, the rulebook's order (most important first).
    sorted.sort_by_key(|a| std::cmp::Reverse(a.verdict));
    let mut o = String::new();
    let to_fix = sorted
        .iter()
        .filter(|a| matches!(a.verdict, Verdict::Fail | Verdict::Warn))
        .count();
    if to_fix == 0 {
        o += "verdict   nothing to change: every rule that could be judged passes\n";
    } else {
        o += &format!("verdict   {to_fix} thing(s) to change, most important first:\n");
    }
    for a in sorted
        .iter()
        .filter(|a| matches!(a.verdict, Verdict::Fail | Verdict::Warn))
    {
        let tag = if a.verdict == Verdict::Fail {
            "FAIL"
        } else {
            "warn"
        };
        o += &format!("  {tag} {:<24} {}\n", a.rule, a.message);
        let listen: Vec<String> = a.evidence.iter().take(4).map(Span::clock).collect();
        let mut line = format!("       target: {}", a.target);
        if !listen.is_empty() {
            line += &format!("; listen at {}", listen.join(", "));
        }
        o += &format!("{line}\n       source: {}\n", a.source);
    }
    let passed: Vec<&str> = sorted
        .iter()
        .filter(|a| a.verdict == Verdict::Pass)
        .map(|a| a.rule.as_str())
        .collect();
    if !passed.is_empty() {
        o += &format!("  pass {}\n", passed.join(", "));
    }
    let na: Vec<&str> = sorted
        .iter()
        .filter(|a| a.verdict == Verdict::NotApplicable)
        .map(|a| a.rule.as_str())
        .collect();
    if !na.is_empty() {
        o += &format!("  n/a  {}\n", na.join(", "));
    }
    o
}

/// The name, the numbers and their pacing.
fn details(r: &Report) -> String {
    let mut o = String::new();
    if let Some(i) = &r.introduction {
        o += &format!(
            "name      \"{}\" at {}-{}, {}\n",
            i.name,
            clock(i.start_s),
            clock(i.end_s),
            opt(r.pacing.name_sps, "syll/s", 1)
        );
    }
    for n in &r.phone_numbers {
        let groups: Vec<String> = n.groups.iter().map(|g| g.digits.clone()).collect();
        let gaps: Vec<String> = n.group_gaps_s.iter().map(|g| format!("{g:.2}")).collect();
        o += &format!(
            "number    {} (\"{}\") at {}-{}, {:.1} digits/s, groups {}{}{}\n",
            n.digits,
            n.text,
            clock(n.start_s),
            clock(n.end_s),
            n.digits_per_second,
            groups.join("-"),
            if gaps.is_empty() {
                String::new()
            } else {
                format!(" with pauses {} s", gaps.join(", "))
            },
            match n.matches_expected {
                Some(true) => ", as expected".to_string(),
                Some(false) => format!(
                    ", NOT the expected number ({} digit(s) differ)",
                    n.differences.len()
                ),
                None => String::new(),
            }
        );
        o += &format!(
            "          confidence {}{}\n",
            n.confidence_shown(),
            unsure(n)
        );
    }
    if r.pacing.ratio.is_some() {
        o += &format!(
            "pacing    name and number {} against {} for the rest\n",
            opt(r.pacing.details_sps, "syll/s", 1),
            opt(r.pacing.rest_sps, "syll/s", 1)
        );
    }
    o
}

/// The suggested message: its text, length and form, the other forms, and what it leaves out.
fn suggestion(s: &SuggestedMessage) -> String {
    let m = &s.message;
    let mut o = format!(
        "say       \"{}\"\n          about {:.0} s at the rulebook's paces, the form of {}\n",
        m.text, m.expected_length_s, m.source
    );
    for other in &s.other_forms {
        o += &format!(
            "or        \"{}\"\n          about {:.0} s, the form of {}\n",
            other.text, other.expected_length_s, other.source
        );
    }
    for l in &s.left_out {
        o += &format!(
            "left out  {} {} \"{}\"\n",
            clock(l.start_s),
            l.kind.replace('_', " "),
            l.text
        );
    }
    o
}

/// The readable summary of a campaign: each message against the one before, and the verdict.
pub fn campaign(c: &Campaign) -> String {
    let mut o = String::from("== campaign\n");
    for p in &c.pairs {
        o += &format!(
            "  {} after {}: {}\n",
            p.file,
            p.previous,
            p.similarity.map_or("n/a".to_string(), |s| format!(
                "{:.0} % the same words",
                s * 100.0
            ))
        );
    }
    let verdict = match c.variation.verdict {
        Verdict::Pass => "pass",
        Verdict::Warn => "warn",
        Verdict::Fail => "FAIL",
        _ => "n/a",
    };
    o += &format!(
        "  {verdict} campaign.variation: {}\n  source: {}",
        c.variation.message, c.variation.source
    );
    o
}
