//! A self-contained HTML page for a [`Report`]: what a manager can take in at a glance and a
//! caller can listen through (feature `html`).
//!
//! The page needs no network: the drawings are inline SVG, the style and the few lines of script
//! are inline, and the recording is embedded as a WAV data URI (or linked, see [`AudioSource`]).
//! On one time axis it shows the waveform envelope, the pitch contour with the speaker's median
//! and p10–p90 range, the transcribed words, the pauses (shaded), the caller's name and the phone
//! numbers with their digit groups and digits per second; below come the headline figures and
//! the verdicts with their advice, sources and the times to listen to. Every time on the page
//! (words, evidence, the time axis, any point of the drawing) plays the recording from there.
//!
//! ```
//! use voicemail_coach::{audio, html, Analyzer, Context, Options};
//!
//! let analyzer = Analyzer::new(Options::default())?;
//! let sound = audio::decode_path("fixtures/speech/demo-congrats.wav", &Default::default())?;
//! let report = analyzer.analyze_conditioned(&sound, "demo-congrats.wav", &Context::default());
//! let page = html::render(&report, Some(&sound), &html::HtmlOptions::default());
//! assert!(page.contains("<svg") && page.contains("data:audio/wav;base64,"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`render_index`] makes the page of a batch: a table of every file's headline figures and
//! verdict counts, linking to each file's page.

use std::io::Cursor;

use base64::Engine as _;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::audio::Conditioned;
use crate::report::{Advice, ErrorRecord, Report, Status, Verdict};
mod sections;
mod timeline;

use sections::{cards, counts, status, suggested, transcript, verdicts};
use timeline::timeline;

/// Where the page's `<audio>` element gets the recording from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AudioSource {
    /// Embedded in the page as a 16-bit PCM WAV data URI made from the analysed (mono, 16 kHz)
    /// audio: the page stands alone. About 43 kB per second of recording. Needs the audio to be
    /// passed to [`render`]; without it there is no player.
    #[default]
    Embed,
    /// A link (URL or path relative to the page) to the recording.
    Link(String),
    /// No player; times on the page are not clickable.
    None,
}

/// How [`render`] draws the page.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlOptions {
    /// Horizontal scale of the time axis, pixels per second, clamped to 10..=400. `None`
    /// (the default) fits the recording into about 1 100 px, but never below 50 px/s so that
    /// the words stay legible: a longer message scrolls sideways.
    pub pixels_per_second: Option<f64>,
    /// Where the player gets the recording (default [`AudioSource::Embed`]).
    pub audio: AudioSource,
    /// Longest recording embedded with [`AudioSource::Embed`], seconds (default 600: about
    /// 26 MB of page); a longer one gets no player.
    pub embed_limit_s: f64,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            pixels_per_second: None,
            audio: AudioSource::Embed,
            embed_limit_s: 600.0,
        }
    }
}

/// One line of a batch page: a report (with the address of its own page) or an error record.
#[derive(Debug, Clone, Copy)]
pub enum IndexEntry<'a> {
    /// An analysed file and the link to its page, relative to the index page.
    Report {
        /// The report.
        report: &'a Report,
        /// The link to its page.
        page: &'a str,
    },
    /// A file that could not be analysed.
    Error(&'a ErrorRecord),
}

/// The page's style sheet.
const STYLE: &str = include_str!("report.css");

/// Plays the recording from any element with a `data-t` (seconds), from any point of the
/// timeline, and moves the playhead while it plays.
const SCRIPT: &str = include_str!("player.js");

/// Renders the page of one report. `audio` is the decoded recording the report was made from
/// (see [`crate::audio::decode_path`]): it gives the waveform and the embedded player; without
/// it the page has neither.
pub fn render(report: &Report, audio: Option<&Conditioned>, options: &HtmlOptions) -> String {
    let player_src = match (&options.audio, audio) {
        (AudioSource::Embed, Some(a)) if a.duration_s() <= options.embed_limit_s => {
            wav_data_uri(a, report.audio.sample_rate_hz)
        }
        (AudioSource::Link(url), _) => Some(url.clone()),
        _ => None,
    };
    let duration = audio
        .map(Conditioned::duration_s)
        .unwrap_or(report.audio.duration_s)
        .max(report.pitch.f0_hz.len() as f64 * report.pitch.hop_s)
        .max(0.5);
    let title = format!("{} — voicemail-coach", file_name(&report.file));
    let body = html! {
        h1 { (file_name(&report.file)) }
        p.sub {
            (format!("{:.1} s recording, {} Hz, {}", report.audio.duration_s,
                report.audio.sample_rate_hz, report.audio.encoding))
            @if let Some(t) = &report.transcript { " · transcribed by " (t.model) }
        }
        (status(report))
        (counts(&report.advice))
        (cards(report))
        @if let Some(src) = &player_src {
            audio #player controls preload="auto" src=(src) {
                @if report.transcript.is_some() {
                    track #captions kind="captions" default label="Words" srclang="en"
                        src=(vtt_data_uri(report));
                }
            }
            @if report.transcript.is_some() { p #caption aria-live="polite" {} }
        }
        h2 { "Timeline" }
        p.legend {
            "Click anywhere to listen from there."
            i style="background:#e9ecf1" {} "pause"
            i style="background:#0b5cad33" {} "phone number"
            i style="background:#6a1b9a2a" {} "name"
            i style="background:#2e7d3226" {} "pitch p10–p90"
        }
        div #timeline-wrap { (timeline(report, audio, duration, options.pixels_per_second)) }
        h2 { "Verdicts" }
        (verdicts(&report.advice, player_src.is_some()))
        @if let Some(s) = &report.suggested_message {
            h2 { "Suggested message" }
            (suggested(s, player_src.is_some()))
        }
        h2 { "Transcript" }
        (transcript(report, player_src.is_some()))
        @if !report.notices.is_empty() {
            h2 { "Notes" }
            ul { @for n in &report.notices { li { (n) } } }
        }
        p.foot {
            "Made by voicemail-coach " (env!("CARGO_PKG_VERSION"))
            ". Sources of the advice: Steve Clark; Colleen Francis; Kelley Robertson; Matthew Mewse; "
            "and, arguing against leaving voicemail at all, Jacques Werth."
        }
        @if player_src.is_some() { script { (PreEscaped(SCRIPT)) } }
    };
    document(&title, body)
}

/// Renders the page of a batch: totals, then one table row per file in the given order, each
/// analysed file linking to its page.
pub fn render_index(title: &str, entries: &[IndexEntry<'_>]) -> String {
    let title = title.to_string();
    let errors = entries
        .iter()
        .filter(|e| matches!(e, IndexEntry::Error(_)))
        .count();
    let advice: Vec<Advice> = entries
        .iter()
        .filter_map(|e| match e {
            IndexEntry::Report { report, .. } => Some(report.advice.iter().cloned()),
            IndexEntry::Error(_) => None,
        })
        .flatten()
        .collect();
    let body = html! {
        h1 { (title) }
        @let without = |status: Status| entries.iter().filter(|e| matches!(e,
            IndexEntry::Report { report, .. } if report.status == status)).count();
        p.sub { (format!("{} files, {} analysed ({} without speech, {} without a transcript), {} could not be read",
            entries.len(), entries.len() - errors, without(Status::NoSpeech),
            without(Status::NoTranscript), errors)) }
        (counts(&advice))
        table #files {
            thead { tr {
                th { "File" } th { "Speech, s" } th { "Syllables/s over the speech (acoustic nuclei)" } th { "Words/min" }
                th { "Median pitch, Hz" } th { "Number (digits/s)" }
                th.fail { "Fail" } th.warn { "Warn" } th.pass { "Pass" } th { "Worst advice" }
            } }
            tbody {
                @for e in entries {
                    @match e {
                        IndexEntry::Report { report, page } => {
                            @let c = verdict_counts(&report.advice);
                            tr {
                                td { a href=(page) { (file_name(&report.file)) } }
                                td.num { (fixed(speech_span(report), 1)) }
                                td.num { (fixed(report.rate.speech_rate_sps, 2)) }
                                td.num { (fixed(report.rate.words_per_minute, 0)) }
                                td.num { (fixed(report.pitch.summary.median_hz, 0)) }
                                td { (numbers_cell(report)) }
                                td.num.fail { (c[2]) } td.num.warn { (c[1]) } td.num.pass { (c[0]) }
                                td {
                                    @match report.status {
                                        Status::NoSpeech => "no speech found: nothing to judge",
                                        _ => (worst(&report.advice)),
                                    }
                                }
                            }
                        }
                        IndexEntry::Error(rec) => {
                            tr.error {
                                td { (file_name(&rec.file)) }
                                td.fail colspan="9" { (format!("{}: {}", rec.error.kind, rec.error.message)) }
                            }
                        }
                    }
                }
            }
        }
        p.foot { "Made by voicemail-coach " (env!("CARGO_PKG_VERSION")) "." }
    };
    document(&title, body)
}

/// A whole page: the head with its title and style, and `body`.
fn document(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// The last component of a path, for headings (the whole path stays in the report).
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn fixed(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.digits$}"))
}

fn speech_span(r: &Report) -> Option<f64> {
    r.speech.span().map(|s| s.duration_s())
}

fn verdict_index(v: Verdict) -> usize {
    match v {
        Verdict::Pass => 0,
        Verdict::Warn => 1,
        Verdict::Fail => 2,
        Verdict::NotApplicable => 3,
    }
}

fn verdict_label(v: Verdict) -> &'static str {
    ["pass", "warn", "fail", "n/a"][verdict_index(v)]
}

fn verdict_counts(advice: &[Advice]) -> [usize; 4] {
    let mut c = [0; 4];
    for a in advice {
        c[verdict_index(a.verdict)] += 1;
    }
    c
}

fn worst(advice: &[Advice]) -> String {
    crate::report::most_pressing(advice).map_or_else(String::new, |a| a.message.clone())
}

fn numbers_cell(r: &Report) -> String {
    r.phone_numbers
        .iter()
        .filter(|n| n.repeat_of.is_none())
        .map(|n| format!("{} ({:.1})", n.digits, n.digits_per_second))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report's WebVTT captions ([`crate::annotation::webvtt`]) as a data URI for the player's
/// `<track>`.
fn vtt_data_uri(report: &Report) -> String {
    let mut uri = String::from("data:text/vtt;base64,");
    let vtt = crate::annotation::webvtt(report);
    base64::engine::general_purpose::STANDARD.encode_string(vtt.as_bytes(), &mut uri);
    uri
}

/// The analysed audio as a 16-bit mono WAV data URI, at the recording's own rate when that is
/// half the analysis rate or less (a telephone recording's 8 kHz stays 8 kHz: half the page);
/// `None` if it cannot be encoded.
fn wav_data_uri(a: &Conditioned, recorded_hz: u32) -> Option<String> {
    let narrow;
    let (samples, rate) = if recorded_hz <= crate::audio::NARROW_RATE_HZ {
        narrow = a.narrow_band();
        (narrow.as_slice(), crate::audio::NARROW_RATE_HZ)
    } else {
        (a.samples(), a.rate_hz())
    };
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = Cursor::new(Vec::with_capacity(44 + samples.len() * 2));
    {
        let mut w = hound::WavWriter::new(&mut bytes, spec).ok()?;
        let mut w16 = w.get_i16_writer(samples.len() as u32);
        for &s in samples {
            let s = if s.is_finite() {
                s.clamp(-1.0, 1.0)
            } else {
                0.0
            };
            w16.write_sample((s * 32767.0).round() as i16);
        }
        w16.flush().ok()?;
        w.finalize().ok()?;
    }
    let mut uri = String::from("data:audio/wav;base64,");
    base64::engine::general_purpose::STANDARD.encode_string(bytes.get_ref(), &mut uri);
    Some(uri)
}

#[cfg(test)]
mod tests {
    use super::timeline::{px, tick_label};
    use super::*;
    use crate::report::clock;

    #[test]
    fn clock_and_coordinates() {
        assert_eq!(clock(0.0), "0:00.0");
        assert_eq!(clock(65.25), "1:05.2");
        assert_eq!(tick_label(65.0), "1:05");
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.34), "12.3");
        assert_eq!(file_name("a/b/c.wav"), "c.wav");
    }

    fn silent_wav(seconds: f64) -> Conditioned {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut bytes = Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut bytes, spec).expect("writer");
        for _ in 0..(seconds * 8000.0) as usize {
            w.write_sample(0i16).expect("sample");
        }
        w.finalize().expect("finalize");
        bytes.set_position(0);
        crate::audio::decode(bytes, &Default::default()).expect("decodes")
    }

    fn report_of(audio: &Conditioned, name: &str) -> Report {
        crate::Analyzer::new(crate::Options::default())
            .expect("analyzer")
            .analyze_conditioned(audio, name, &crate::Context::default())
    }

    /// The sample rate of the WAV embedded in `page`, read from its header.
    fn embedded_rate(page: &str) -> u32 {
        let start = page.find("data:audio/wav;base64,").expect("embedded audio") + 22;
        let b64: String = page[start..].chars().take_while(|&c| c != '"').collect();
        let wav = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64");
        hound::WavReader::new(Cursor::new(wav))
            .expect("a WAV")
            .spec()
            .sample_rate
    }

    #[test]
    fn a_telephone_recording_is_embedded_at_its_own_rate_and_says_it_was_not_heard() {
        let audio = silent_wav(2.0);
        let report = report_of(&audio, "quiet.wav");
        let page = render(&report, Some(&audio), &HtmlOptions::default());
        assert_eq!(report.audio.sample_rate_hz, 8000);
        assert_eq!(embedded_rate(&page), 8000, "8 kHz stays 8 kHz");
        // Silence: the status comes first, before the verdict counts and the figures.
        let status = page.find("id=\"status\"").expect("a status line");
        assert!(status < page.find("id=\"figures\"").expect("figures"));
        assert!(page.contains("No speech found: nothing to judge."));
        // A row not judged shows no figure.
        let na = page
            .find("row-not_applicable")
            .expect("a not-applicable row");
        let row = &page[na..na + page[na..].find("</tr>").expect("row end")];
        assert!(row.contains("<td class=\"num\"></td>"), "{row}");
        // Each rate says what it counts.
        assert!(page.contains("counted as acoustic syllable nuclei"));
    }

    #[test]
    fn silence_renders_without_a_contour_and_with_a_player() {
        let audio = silent_wav(2.0);
        let report = report_of(&audio, "quiet.wav");
        let page = render(&report, Some(&audio), &HtmlOptions::default());
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(
            page.contains("id=\"pitch-contour\" d=\"\""),
            "no voiced frame, no stroke"
        );
        assert!(
            page.contains("data:audio/wav;base64,UklGR"),
            "a RIFF file embedded"
        );
        assert!(page.contains("No transcript"));
        // Without the audio: no waveform, no player, no script.
        let bare = render(&report, None, &HtmlOptions::default());
        assert!(
            !bare.contains("<audio") && !bare.contains("<script") && !bare.contains("waveform")
        );
    }

    #[test]
    fn text_from_the_recording_is_escaped() {
        let audio = silent_wav(1.0);
        let mut report = report_of(&audio, "calls/<b>&amp\".wav");
        report.transcript = Some(crate::report::Transcript {
            model: "m".into(),
            text: "<script>alert(1)</script>".into(),
            words: vec![crate::report::Word {
                text: "<script>alert(1)</script>".into(),
                start_s: 0.1,
                end_s: 0.5,
                probability: 0.9,
                pieces: Vec::new(),
            }],
            packed_with: 0,
        });
        let page = render(&report, Some(&audio), &HtmlOptions::default());
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&lt;b&gt;&amp;amp&quot;.wav"));
        let entries = [IndexEntry::Report {
            report: &report,
            page: "x\" onclick=\"y.html",
        }];
        let index = render_index("<week>", &entries);
        assert!(index.contains("<title>&lt;week&gt;</title>"));
        assert!(index.contains("href=\"x&quot; onclick=&quot;y.html\""));
    }

    #[test]
    fn long_recordings_get_no_embedded_player() {
        let audio = silent_wav(3.0);
        let report = report_of(&audio, "long.wav");
        let options = HtmlOptions {
            embed_limit_s: 2.0,
            ..HtmlOptions::default()
        };
        assert!(!render(&report, Some(&audio), &options).contains("<audio"));
        let linked = HtmlOptions {
            audio: AudioSource::Link("long.wav".into()),
            ..HtmlOptions::default()
        };
        assert!(render(&report, Some(&audio), &linked).contains("src=\"long.wav\""));
    }
}
