//! WebVTT captions of a report: one cue a phrase.

use std::fmt::Write;

use crate::report::{Report, Span, Word};

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
    let class_of = |w: &Word| {
        let index = words.iter().position(|x| std::ptr::eq(x, w));
        let mid = 0.5 * (w.start_s + w.end_s);
        if index.is_some_and(|k| name.as_ref().is_some_and(|r| r.contains(&k))) {
            Some("name")
        } else if numbers.iter().any(|s| (s.start_s..=s.end_s).contains(&mid)) {
            Some("number")
        } else {
            None
        }
    };
    let mut cue = 0;
    for (phrase, words) in report.pitch.phrases.iter().zip(super::phrase_words(report)) {
        if words.is_empty() {
            continue;
        }
        let mut text = String::new();
        let mut open: Option<&str> = None;
        for w in words {
            let class = class_of(w);
            if class != open {
                if open.is_some() {
                    text.push_str("</c>");
                }
                if !text.is_empty() {
                    text.push(' ');
                }
                if let Some(c) = class {
                    let _ = write!(text, "<c.{c}>");
                }
                open = class;
            } else if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&escaped(w.text.trim()));
        }
        if open.is_some() {
            text.push_str("</c>");
        }
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
    }
}
