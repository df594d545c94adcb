//! WebVTT captions of a report: one cue a phrase.

use std::fmt::Write;

use crate::report::{Report, Span};

/// The report's phrases as WebVTT captions: one cue a phrase between pauses (the report's
/// `pitch.phrases`), holding the transcript's words said in it, the caller's name marked
/// `<c.name>` and the callback numbers' digits `<c.number>` (style them with `::cue(.name)`).
/// Without a transcript, a file without cues.
pub fn webvtt(report: &Report) -> String {
    let mut out = String::from("WEBVTT\n");
    let name = report
        .introduction
        .as_ref()
        .map(|i| i.first_word..i.first_word + i.words);
    let numbers: Vec<Span> = report.phone_numbers.iter().map(|n| n.span()).collect();
    let words = report.transcript.as_ref().map_or(&[][..], |t| &t.words[..]);
    let class_of = |k: usize| {
        let w = &words[k];
        let mid = 0.5 * (w.start_s + w.end_s);
        if name.as_ref().is_some_and(|r| r.contains(&k)) {
            Some("name")
        } else if numbers.iter().any(|s| (s.start_s..=s.end_s).contains(&mid)) {
            Some("number")
        } else {
            None
        }
    };
    let mut cue = 0;
    for (phrase, said) in report.pitch.phrases.iter().zip(super::phrase_words(report)) {
        if said.is_empty() {
            continue;
        }
        let text = cue_text(&said, |k| (words[k].text.trim(), class_of(k)));
        cue += 1;
        let _ = write!(
            out,
            "\n{cue}\n{} --> {}\n{text}\n",
            timestamp(phrase.start_s),
            timestamp(phrase.end_s)
        );
    }
    out
}

/// A cue's text from its words (by index: the word and its class, if any), a run of words of
/// one class in one `<c.class>` span.
fn cue_text<'a>(said: &[usize], word: impl Fn(usize) -> (&'a str, Option<&'static str>)) -> String {
    let mut text = String::new();
    let mut open: Option<&str> = None;
    for &k in said {
        let (w, class) = word(k);
        if class != open && open.is_some() {
            text.push_str("</c>");
        }
        if !text.is_empty() {
            text.push(' ');
        }
        if class != open {
            if let Some(c) = class {
                let _ = write!(text, "<c.{c}>");
            }
            open = class;
        }
        text.push_str(&escaped(w));
    }
    if open.is_some() {
        text.push_str("</c>");
    }
    text
}

/// `hh:mm:ss.ttt`.
fn timestamp(t: f64) -> String {
    let ms = (t.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// Text with `&`, `<` and `>` escaped, as a cue's text must be.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_escapes() {
        assert_eq!(timestamp(3723.4567), "01:02:03.457");
        assert_eq!(timestamp(-1.0), "00:00:00.000");
        assert_eq!(escaped("a<b>&c"), "a&lt;b&gt;&amp;c");
        let said = ["is", "Steve", "Clark,", "at", "850", "<9>"];
        let class = [
            None,
            Some("name"),
            Some("name"),
            None,
            Some("number"),
            Some("number"),
        ];
        let text = cue_text(&[0, 1, 2, 3, 4, 5], |k| (said[k], class[k]));
        assert_eq!(
            text,
            "is <c.name>Steve Clark,</c> at <c.number>850 &lt;9&gt;</c>"
        );
    }
}
