//! The page's sections around the timeline: the status line, the figure cards, the verdicts,
//! the suggested message and the transcript.

use maud::{html, Markup};

use super::timeline::{secs, trim_number};
use super::{fixed, speech_span, verdict_counts, verdict_label};
use crate::report::clock;
use crate::report::{Advice, Report, Status, SuggestedMessage, Verdict};

pub(super) fn counts(advice: &[Advice]) -> Markup {
    let c = verdict_counts(advice);
    html! {
        p.counts #counts {
            span.fail { (c[2]) " fail" } span.warn { (c[1]) " warn" } span.pass { (c[0]) " pass" }
            span.not_applicable { (c[3]) " not applicable" }
        }
    }
}

/// What the verdicts stand on, first on the page, when it is not the whole analysis.
pub(super) fn status(r: &Report) -> Markup {
    let why = r.status_reason.as_deref().unwrap_or("");
    html! {
        @match r.status {
            Status::NoSpeech => p.status #status { b { "No speech found: nothing to judge." } " " (why) },
            Status::NoTranscript => p.status #status {
                b { "No transcript: the rules that need the words are not judged." } " " (why)
            },
            _ => {}
        }
    }
}

pub(super) fn cards(r: &Report) -> Markup {
    let p = &r.pitch.summary;
    let number = r.phone_numbers.iter().find(|n| n.repeat_of.is_none());
    html! {
        div.cards #figures {
            div.card { b { (fixed(speech_span(r), 1)) " s" } span { "speech, first to last sound" } }
            @if r.rate.transcript_rate_sps.is_some() {
                div.card { b { (fixed(r.rate.transcript_rate_sps, 2)) } span { "syllables/s over the speech, counted in the words heard" } }
            } @else {
                div.card { b { (fixed(r.rate.speech_rate_sps, 2)) } span { "syllables/s over the speech, counted as acoustic syllable nuclei" } }
            }
            div.card { b { (fixed(r.rate.articulation_rate_sps, 2)) } span { "syllables/s, pauses left out, counted as acoustic syllable nuclei" } }
            @if r.rate.words_per_minute.is_some() {
                div.card { b { (fixed(r.rate.words_per_minute, 0)) } span { "words/min" } }
            }
            div.card { b { (fixed(p.median_hz, 0)) " Hz" } span { "median pitch" } }
            div.card { b { (fixed(p.range_st, 1)) " st" } span { "pitch range p10–p90" } }
            div.card { b { (r.speech.pauses.len()) } span { "pauses" } }
            @if let Some(n) = number {
                div.card { b { (n.digits) } span { (format!("number, {:.1} digits/s", n.digits_per_second)) } }
            }
            @if let Some(i) = &r.introduction {
                div.card { b { (i.name) } span { "name, said at " (clock(i.start_s)) } }
            }
        }
    }
}

pub(super) fn verdicts(advice: &[Advice], clickable: bool) -> Markup {
    let mut order: Vec<&Advice> = advice.iter().collect();
    order.sort_by_key(|a| match a.verdict {
        Verdict::Fail => 0,
        Verdict::Warn => 1,
        Verdict::Pass => 2,
        Verdict::NotApplicable => 3,
    });
    html! {
        table #verdicts {
            thead { tr {
                th { "Verdict" } th { "Rule" } th { "Measured" } th { "Target" } th { "Advice" }
                th { "Source" } th { "Listen" }
            } }
            tbody {
                @for a in order {
                    tr class=(format!("row-{}", a.verdict.as_str())) {
                        td { span class=(format!("badge {}", a.verdict.as_str())) { (verdict_label(a.verdict)) } }
                        td {
                            code { (a.rule) }
                            @if let Some(rule) = crate::rules::rule(&a.rule) { br; small { (rule.measures) } }
                        }
                        td.num {
                            @if a.verdict != Verdict::NotApplicable {
                                (a.measured.map_or_else(String::new, trim_number))
                            }
                        }
                        td { (a.target) }
                        td { (a.message) }
                        td { small { (a.source) } }
                        td {
                            @for e in &a.evidence {
                                @if clickable {
                                    button.seek data-t=(secs(e.start_s)) { (clock(e.start_s)) "–" (clock(e.end_s)) }
                                } @else {
                                    span { (clock(e.start_s)) "–" (clock(e.end_s)) " " }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The message as the trainers would have it said, its length and form, the other forms, and
/// what it leaves out with the times to listen to.
pub(super) fn suggested(s: &SuggestedMessage, clickable: bool) -> Markup {
    let m = &s.message;
    html! {
        div #suggestion {
            blockquote #suggested-text { (m.text) }
            p.sub { (format!("About {:.0} s at the rulebook's paces, in the form of ", m.expected_length_s)) (m.source) "." }
            @for other in &s.other_forms {
                blockquote.other { (other.text) }
                p.sub { (format!("About {:.0} s, in the form of ", other.expected_length_s)) (other.source) "." }
            }
            @if !s.left_out.is_empty() {
                p { "Left out:" }
                ul #left-out {
                    @for l in &s.left_out {
                        li {
                            @if clickable {
                                button.seek data-t=(secs(l.start_s)) { (clock(l.start_s)) }
                            } @else {
                                span { (clock(l.start_s)) }
                            }
                            " " (l.kind.replace('_', " ")) ": “" (l.text) "”"
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn transcript(r: &Report, clickable: bool) -> Markup {
    html! {
        div #transcript {
            @match &r.transcript {
                Some(t) if !t.words.is_empty() => {
                    @for w in &t.words {
                        @let class = if w.is_digit() || w.text.chars().any(|c| c.is_ascii_digit()) { "seek digit" } else { "seek" };
                        @if clickable {
                            span class=(class) data-t=(secs(w.start_s)) title=(clock(w.start_s)) { (w.text) }
                        } @else {
                            span class=(class) { (w.text) }
                        }
                        " "
                    }
                }
                _ => { em { "No transcript (acoustic analysis only)." } }
            }
        }
    }
}
