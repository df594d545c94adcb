//! The suggested message on the seed articles' voicemails (`fixtures/voicemail/`), analysed
//! with the real default model and no facts given: it holds the prospect's name, the caller's
//! name and the number's digits exactly as the report heard them (a marked slot where one was
//! not heard), none of the stock phrases or company talk the report flagged, and it is said
//! within 20 s at the rulebook's paces. Clark's own message, rushed, comes back as his message.
#![cfg(feature = "transcribe")]

use std::sync::OnceLock;

use voicemail_coach::report::{PartKind, Report, SuggestedMessage};
use voicemail_coach::Analyzer;

mod common;
use common::fixture;

const SEEDS: [&str; 8] = [
    "clark-rushed",
    "clark-slow",
    "clark-typical-rushed",
    "clark-typical-slow",
    "francis-rushed",
    "francis-slow",
    "mewse-rushed",
    "mewse-slow",
];

/// Robertson's "a maximum of 20 seconds".
const MAX_LENGTH_S: f64 = 20.0;

fn reports() -> &'static [Report] {
    static R: OnceLock<Vec<Report>> = OnceLock::new();
    R.get_or_init(|| {
        let analyzer: Analyzer = common::analyzer_with_model();
        SEEDS
            .iter()
            .map(|name| {
                let path = fixture(&format!("voicemail/{name}.wav"));
                analyzer.analyze_path(&path).expect("analyses")
            })
            .collect()
    })
}

fn suggestion(r: &Report) -> &SuggestedMessage {
    r.suggested_message
        .as_ref()
        .unwrap_or_else(|| panic!("{}: no suggested message", r.file))
}

/// Lower-case words without punctuation, for finding one text inside another.
fn plain(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| match c.is_alphanumeric() || c == '\'' {
            true => c.to_ascii_lowercase(),
            false => ' ',
        })
        .collect();
    format!(
        " {} ",
        kept.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// What a suggestion must hold and leave out, against its own report.
fn problems(r: &Report) -> Vec<String> {
    let s = suggestion(r);
    let text = &s.message.text;
    let part = |k: PartKind| s.parts.iter().find(|p| p.kind == k);
    let mut out = Vec::new();
    let caller = r.introduction.as_ref().map(|i| i.name.as_str());
    let want_caller = caller.unwrap_or(PartKind::Caller.placeholder());
    if !text.contains(want_caller) {
        out.push(format!("caller {want_caller:?} missing"));
    }
    match part(PartKind::Prospect) {
        Some(p) if text.contains(&p.text) => {}
        other => out.push(format!("prospect {other:?} not in the text")),
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match r.phone_numbers.first() {
        Some(n) if !digits.contains(&n.digits) => out.push(format!("digits {} missing", n.digits)),
        None if !text.contains(PartKind::Number.placeholder()) => {
            out.push("no number and no marked slot".into())
        }
        _ => {}
    }
    let content = r.content.as_ref().expect("content");
    for flagged in content.stock_phrases.iter().chain(&content.pitch) {
        if plain(text).contains(&plain(&flagged.text)) {
            out.push(format!("flagged {:?} kept", flagged.text));
        }
    }
    if s.message.expected_length_s > MAX_LENGTH_S {
        out.push(format!("{:.1} s long", s.message.expected_length_s));
    }
    out
}

#[test]
fn suggestions_hold_the_details_as_heard_and_leave_the_flagged_talk_out() {
    let mut failures = Vec::new();
    for r in reports() {
        for p in problems(r) {
            failures.push(format!("{}: {p}", r.file));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // The typical message's company talk and stock phrases are listed as left out, with times.
    let typical = &reports()[2];
    let left = &suggestion(typical).left_out;
    let kinds = |k: &str| left.iter().filter(|l| l.kind == k).count();
    assert!(
        kinds("pitch") >= 3 && kinds("stock_phrase") >= 2,
        "{left:#?}"
    );
    assert!(left.iter().all(|l| l.end_s > l.start_s && l.start_s >= 0.0));
}

#[test]
fn clark_rushed_is_rewritten_as_clarks_own_message() {
    let s = suggestion(&reports()[0]);
    assert_eq!(
        s.message.text,
        "John, this is Steve Clark. As soon as you get a minute, please give me a call at 850-936-7028."
    );
    assert_eq!(s.message.form, "clark");
    assert!(s.left_out.is_empty(), "{:?}", s.left_out);
    // The readable report says it too.
    let text = voicemail_coach::text::report(&reports()[0]);
    assert!(
        text.contains(&format!("say       \"{}\"", s.message.text)),
        "{text}"
    );
}

#[test]
fn a_referral_and_a_promised_time_are_kept_and_a_missing_number_is_a_marked_slot() {
    let s = suggestion(&reports()[4]);
    let text = &s.message.text;
    assert!(text.contains("Paul Smith asked that I call you."), "{text}");
    assert!(text.contains("on Tuesday at 10"), "{text}");
    assert!(text.contains("[your number]"), "{text}");
    let number = s.parts.iter().find(|p| p.kind == PartKind::Number);
    assert!(number.is_some_and(|p| !p.heard && p.span.is_none()));
}

#[test]
fn a_reason_to_call_offers_mewses_form_too() {
    let s = suggestion(&reports()[6]);
    let mewse = s.other_forms.iter().find(|f| f.form == "mewse");
    let mewse = mewse.unwrap_or_else(|| panic!("no Mewse form: {s:#?}"));
    assert!(
        mewse.text.starts_with("Hello Peter, it's Matthew"),
        "{}",
        mewse.text
    );
    assert!(
        mewse.text.ends_with("My number is 020-7946-0958."),
        "{}",
        mewse.text
    );
    assert!(mewse.expected_length_s <= MAX_LENGTH_S);
}
