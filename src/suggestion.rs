//! The message rewritten in the trainers' form (the report's `suggested_message`): the parts the
//! caller said (the prospect's name, their own, a referral, a promised callback, a reason to
//! call, the number) put into the rulebook's forms, with what the forms leave out.

use crate::report::{
    Content, FormText, LeftOut, MessagePart, PartKind, PhoneNumber, Report, Span, Status,
    SuggestedMessage, Word,
};
use crate::rules::{MessageForm, Rulebook};
use crate::wording;

/// Digits a number not heard is timed as: a North American number, said 3-3-4.
const UNHEARD_NUMBER: &str = "0000000000";

/// The suggested message for a judged report: `None` without a transcript or when no form of
/// the rulebook fits.
pub(crate) fn suggest(report: &Report, book: &Rulebook) -> Option<SuggestedMessage> {
    let words = &report.transcript.as_ref()?.words;
    if report.status != Status::Ok || words.is_empty() {
        return None;
    }
    let empty = Content::default();
    let content = report.content.as_ref().unwrap_or(&empty);
    let parts = Parts::heard(report, words, content);
    let fitting: Vec<FormText> = book
        .forms
        .iter()
        .filter(|f| parts.fits(f))
        .map(|f| parts.render(f, book))
        .collect();
    let (message, other_forms) = short_first(fitting, book.rules.length_max.pass_max_s)?;
    Some(SuggestedMessage {
        message,
        other_forms,
        parts: parts.listed(),
        left_out: left_out(content),
    })
}

/// The message to suggest and the others: the first form (in the rulebook's order) that says
/// it within `length.max`'s passing length, or the shortest when none does; the others only
/// when they are that short too.
fn short_first(mut forms: Vec<FormText>, limit_s: f64) -> Option<(FormText, Vec<FormText>)> {
    let within = |f: &FormText| f.expected_length_s <= limit_s;
    let first = forms.iter().position(within).or_else(|| {
        (0..forms.len()).min_by(|&a, &b| {
            forms[a]
                .expected_length_s
                .total_cmp(&forms[b].expected_length_s)
        })
    })?;
    let message = forms.remove(first);
    forms.retain(within);
    Some((message, forms))
}

/// Every part a form may ask for: heard, a marked slot (`Some` with `heard: false`), or not
/// made by the caller (`None`: the sentences holding it are left out).
struct Parts {
    found: Vec<(PartKind, Option<MessagePart>)>,
    /// The number's group sizes and its extension's digits, for its time; `None` when not heard.
    number: Option<(Vec<usize>, usize)>,
}

impl Parts {
    fn heard(report: &Report, words: &[Word], content: &Content) -> Self {
        let intro = report.introduction.as_ref();
        let caller = intro.map(|i| MessagePart {
            kind: PartKind::Caller,
            text: i.name.clone(),
            heard: true,
            span: Some(Span {
                start_s: i.start_s,
                end_s: i.end_s,
            }),
        });
        let prospect = wording::prospect(words, intro);
        let names: Vec<Span> = [&caller, &prospect]
            .into_iter()
            .flatten()
            .filter_map(|p| p.span)
            .collect();
        let number = report.phone_numbers.iter().find(|n| n.repeat_of.is_none());
        let referrer = content.referrals.first().map(|r| {
            wording::referrer(words, r, &names).unwrap_or_else(|| marked(PartKind::Referrer))
        });
        let promise = content.promises.iter().find(|p| p.dated);
        let when = content.promises.first().map(|first| {
            let said = wording::promised_when(words, promise.unwrap_or(first));
            said.unwrap_or_else(|| marked(PartKind::When))
        });
        let reason = wording::reason(words, &avoided(report, content));
        let found = vec![
            (
                PartKind::Prospect,
                Some(prospect.unwrap_or_else(|| marked(PartKind::Prospect))),
            ),
            (
                PartKind::Caller,
                Some(caller.unwrap_or_else(|| marked(PartKind::Caller))),
            ),
            (PartKind::Referrer, referrer),
            (PartKind::Reason, reason),
            (PartKind::When, when),
            (
                PartKind::Number,
                Some(number.map_or_else(|| marked(PartKind::Number), number_part)),
            ),
        ];
        Parts {
            found,
            number: number.map(|n| {
                let ext = n.extension.as_ref().map_or(0, String::len);
                (PhoneNumber::usual_groups(&n.digits), ext)
            }),
        }
    }

    fn get(&self, kind: PartKind) -> Option<&MessagePart> {
        self.found.iter().find(|(k, _)| *k == kind)?.1.as_ref()
    }

    /// Whether every part the form needs was heard.
    fn fits(&self, form: &MessageForm) -> bool {
        form.needs.iter().all(|slot| {
            let kind = PartKind::ALL.into_iter().find(|k| k.slot() == slot);
            kind.and_then(|k| self.get(k)).is_some_and(|p| p.heard)
        })
    }

    /// The form filled: its sentences whose parts were made, and their time at the rulebook's
    /// paces.
    fn render(&self, form: &MessageForm, book: &Rulebook) -> FormText {
        let mut sentences = Vec::new();
        let mut length = Length::default();
        for template in &form.sentences {
            if let Some(s) = self.fill(template, &mut length) {
                sentences.push(s);
            }
        }
        FormText {
            text: sentences.join(" "),
            form: form.name.clone(),
            source: form.source.clone(),
            expected_length_s: length.seconds(book),
        }
    }

    /// One sentence with its slots filled; `None` when it holds a part the caller did not make.
    fn fill(&self, template: &str, length: &mut Length) -> Option<String> {
        let kinds = crate::rules::slots(template).ok()?;
        let parts: Vec<&MessagePart> = kinds.iter().map(|&k| self.get(k)).collect::<Option<_>>()?;
        let mut out = String::new();
        let mut rest = template;
        for part in parts {
            let open = rest.find('{').unwrap_or(rest.len());
            length.words += spoken_words(&rest[..open]);
            out.push_str(&rest[..open]);
            out.push_str(&part.text);
            self.time(part, length);
            rest = rest[open..].split_once('}').map_or("", |(_, r)| r);
            if part.text.ends_with('.') {
                rest = rest.strip_prefix('.').unwrap_or(rest);
            }
        }
        length.words += spoken_words(rest);
        out.push_str(rest);
        Some(out)
    }

    /// Adds a part's time: the caller's name at the name's pace, the number's digits at the
    /// number's, anything else as words.
    fn time(&self, part: &MessagePart, length: &mut Length) {
        let said = spoken_words(&part.text);
        match part.kind {
            PartKind::Caller => length.name_words += said.max(2),
            PartKind::Number => {
                let (groups, ext) = self
                    .number
                    .clone()
                    .unwrap_or_else(|| (PhoneNumber::usual_groups(UNHEARD_NUMBER), 0));
                length.digits += groups.iter().sum::<usize>() + ext;
                length.group_gaps += groups.len().saturating_sub(1) + usize::from(ext > 0);
            }
            _ => length.words += said,
        }
    }

    /// The parts for the report: every part a form may hold that was made, heard or marked.
    fn listed(&self) -> Vec<MessagePart> {
        self.found.iter().filter_map(|(_, p)| p.clone()).collect()
    }
}

/// The words of a text said aloud (punctuation is no word).
fn spoken_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The marked slot of a part not heard.
fn marked(kind: PartKind) -> MessagePart {
    MessagePart {
        kind,
        text: kind.placeholder().to_string(),
        heard: false,
        span: None,
    }
}

/// The number as it should be said: its digits in the groups its length and country call for
/// (850-936-7028), then its extension.
fn number_part(n: &PhoneNumber) -> MessagePart {
    let mut text = String::new();
    let mut at = 0;
    for size in PhoneNumber::usual_groups(&n.digits) {
        if at > 0 {
            text.push('-');
        }
        text.push_str(&n.digits[at..at + size]);
        at += size;
    }
    if let Some(ext) = &n.extension {
        text.push_str(&format!(", extension {ext}"));
    }
    MessagePart {
        kind: PartKind::Number,
        text,
        heard: true,
        span: Some(n.span()),
    }
}

/// What a reason to call must not be taken from: the talk the message should leave out, and
/// the details said elsewhere in it.
fn avoided(report: &Report, content: &Content) -> Vec<Span> {
    let phrases = content
        .pitch
        .iter()
        .chain(&content.stock_phrases)
        .chain(&content.referrals)
        .chain(content.promises.iter().map(|p| &p.found))
        .map(|p| p.span());
    let fillers = content.fillers.iter().map(|f| f.span());
    let numbers = report.phone_numbers.iter().map(PhoneNumber::span);
    phrases.chain(fillers).chain(numbers).collect()
}

/// What the caller said that no form holds: company or product talk, stock phrases and
/// fillers, in time order.
fn left_out(content: &Content) -> Vec<LeftOut> {
    let item = |kind: &str, text: &str, span: Span| LeftOut {
        kind: kind.to_string(),
        text: text.to_string(),
        start_s: span.start_s,
        end_s: span.end_s,
    };
    let mut out: Vec<LeftOut> = content
        .pitch
        .iter()
        .map(|p| item("pitch", &p.text, p.span()))
        .chain(
            content
                .stock_phrases
                .iter()
                .map(|p| item("stock_phrase", &p.text, p.span())),
        )
        .chain(
            content
                .fillers
                .iter()
                .map(|f| item("filler", &f.text, f.span())),
        )
        .collect();
    out.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    out
}

/// What a message holds, for its time: words, words of the caller's name, digits and pauses
/// between digit groups.
#[derive(Default)]
struct Length {
    words: usize,
    name_words: usize,
    digits: usize,
    group_gaps: usize,
}

impl Length {
    /// Seconds at the rulebook's paces: words at the middle of `rate.overall`'s passing band,
    /// the name slower by `rate.details`' passing ratio, digits at `number.pace`'s limit with
    /// its shortest pause between groups.
    fn seconds(&self, book: &Rulebook) -> f64 {
        let r = &book.rules;
        let word_s = 120.0 / (r.rate_overall.pass_min_wpm + r.rate_overall.pass_max_wpm);
        let name_word_s = word_s / r.rate_details.pass_max_ratio;
        let digit_s = 1.0 / r.number_pace.max_digits_per_second;
        self.words as f64 * word_s
            + self.name_words as f64 * name_word_s
            + self.digits as f64 * digit_s
            + self.group_gaps as f64 * r.number_pace.min_group_gap_s
    }
}
