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

use std::fmt::Write as _;
use std::io::Cursor;

use base64::Engine as _;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::audio::Conditioned;
use crate::report::{Advice, ErrorRecord, Report, Status, Verdict};
use crate::text::clock;

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

// Vertical layout of the timeline, pixels.
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const AXIS_Y: f64 = 18.0;
const WAVE_TOP: f64 = 28.0;
const WAVE_H: f64 = 80.0;
const PITCH_TOP: f64 = 122.0;
const PITCH_H: f64 = 150.0;
const WORDS_TOP: f64 = 290.0;
const WORD_ROWS: usize = 3;
const WORD_ROW_H: f64 = 17.0;
const SPANS_TOP: f64 = 352.0;
const SPANS_H: f64 = 44.0;
const HEIGHT: f64 = 404.0;
/// Width of the time axis when the scale is left to fit, pixels.
const FIT_WIDTH: f64 = 1060.0;

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
            audio #player controls preload="auto" src=(src) {}
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
                th { "File" } th { "Speech, s" } th { "Syllables/s" } th { "Words/min" }
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

fn verdict_class(v: Verdict) -> &'static str {
    ["pass", "warn", "fail", "not_applicable"][verdict_index(v)]
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
    advice
        .iter()
        .filter(|a| matches!(a.verdict, Verdict::Fail | Verdict::Warn))
        .max_by_key(|a| a.verdict == Verdict::Fail)
        .map_or_else(String::new, |a| a.message.clone())
}

fn numbers_cell(r: &Report) -> String {
    r.phone_numbers
        .iter()
        .filter(|n| n.repeat_of.is_none())
        .map(|n| format!("{} ({:.1})", n.digits, n.digits_per_second))
        .collect::<Vec<_>>()
        .join(", ")
}

fn counts(advice: &[Advice]) -> Markup {
    let c = verdict_counts(advice);
    html! {
        p.counts #counts {
            span.fail { (c[2]) " fail" } span.warn { (c[1]) " warn" } span.pass { (c[0]) " pass" }
            span.not_applicable { (c[3]) " not applicable" }
        }
    }
}

/// What the verdicts stand on, first on the page, when it is not the whole analysis.
fn status(r: &Report) -> Markup {
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

fn cards(r: &Report) -> Markup {
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

fn verdicts(advice: &[Advice], clickable: bool) -> Markup {
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
                    tr class=(format!("row-{}", verdict_class(a.verdict))) {
                        td { span class=(format!("badge {}", verdict_class(a.verdict))) { (verdict_label(a.verdict)) } }
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

fn transcript(r: &Report, clickable: bool) -> Markup {
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

/// The timeline: every track on one time axis.
fn timeline(r: &Report, audio: Option<&Conditioned>, duration: f64, pps: Option<f64>) -> Markup {
    let pps = match pps {
        Some(p) if p.is_finite() => p.clamp(10.0, 400.0),
        _ => (FIT_WIDTH / duration).clamp(50.0, 120.0),
    };
    let width = LEFT + duration * pps + RIGHT;
    let x = |t: f64| LEFT + t.clamp(0.0, duration) * pps;
    let tick = if duration <= 40.0 {
        1.0
    } else if duration <= 200.0 {
        5.0
    } else {
        30.0
    };
    let ticks: Vec<f64> = (0..=(duration / tick) as usize)
        .map(|i| i as f64 * tick)
        .collect();
    let pitch = PitchScale::new(r);
    let words: Vec<(usize, &crate::report::Word)> = r
        .transcript
        .as_ref()
        .map(|t| {
            t.words
                .iter()
                .filter(|w| !w.text.trim().is_empty())
                .enumerate()
                .collect()
        })
        .unwrap_or_default();
    html! {
        svg #timeline xmlns="http://www.w3.org/2000/svg" width=(px(width)) height=(px(HEIGHT))
            viewBox=(format!("0 0 {} {}", px(width), px(HEIGHT))) data-x0=(px(LEFT)) data-pps=(px(pps))
            role="img" aria-label="Waveform, pitch, words and phone numbers on a time axis" {
            // Pauses, shaded through every track.
            g #pauses {
                @for p in &r.speech.pauses {
                    rect x=(px(x(p.start_s))) y=(px(WAVE_TOP)) width=(px((x(p.end_s) - x(p.start_s)).max(1.0)))
                        height=(px(SPANS_TOP + SPANS_H - WAVE_TOP)) fill="#e9ecf1" {
                        title { (format!("pause {:.2} s", p.end_s - p.start_s)) }
                    }
                }
            }
            // Time axis.
            g #axis {
                line x1=(px(LEFT)) x2=(px(x(duration))) y1=(px(AXIS_Y + 4.0)) y2=(px(AXIS_Y + 4.0)) stroke="#999" {}
                @for t in &ticks {
                    line x1=(px(x(*t))) x2=(px(x(*t))) y1=(px(AXIS_Y)) y2=(px(SPANS_TOP + SPANS_H)) stroke="#eef0f3" {}
                    text.seek x=(px(x(*t) + 2.0)) y=(px(AXIS_Y)) data-t=(secs(*t)) { (tick_label(*t)) }
                }
            }
            text.lane x="4" y=(px(WAVE_TOP + WAVE_H / 2.0 + 4.0)) { "sound" }
            text.lane x="4" y=(px(PITCH_TOP + 12.0)) { "pitch" }
            text.lane x="4" y=(px(WORDS_TOP + 12.0)) { "words" }
            text.lane x="4" y=(px(SPANS_TOP + 26.0)) { "name &" }
            text.lane x="4" y=(px(SPANS_TOP + 38.0)) { "number" }
            // Waveform envelope.
            @if let Some(a) = audio {
                path #waveform d=(waveform_path(a, duration, pps)) fill="#5c6b80" stroke="none" {}
            }
            // Pitch: axis labels, the p10–p90 band, the median, the contour.
            g #pitch {
                @for hz in pitch.gridlines() {
                    line x1=(px(LEFT)) x2=(px(x(duration))) y1=(px(pitch.y(hz))) y2=(px(pitch.y(hz))) stroke="#eef0f3" {}
                    text x=(px(LEFT - 4.0)) y=(px(pitch.y(hz) + 4.0)) text-anchor="end" { (format!("{hz:.0}")) }
                }
                @if let (Some(lo), Some(hi)) = (r.pitch.summary.p10_hz, r.pitch.summary.p90_hz) {
                    rect #pitch-range x=(px(LEFT)) width=(px(duration * pps)) y=(px(pitch.y(hi)))
                        height=(px((pitch.y(lo) - pitch.y(hi)).max(1.0))) fill="#2e7d3226" {
                        title { (format!("p10–p90: {lo:.0}–{hi:.0} Hz")) }
                    }
                }
                @if let Some(m) = r.pitch.summary.median_hz {
                    line #pitch-median x1=(px(LEFT)) x2=(px(x(duration))) y1=(px(pitch.y(m))) y2=(px(pitch.y(m)))
                        stroke="#2e7d32" stroke-dasharray="6 4" stroke-width="1.2" {}
                    text x=(px(LEFT + 4.0)) y=(px(pitch.y(m) - 4.0)) fill="#2e7d32" { (format!("median {m:.0} Hz")) }
                }
                path #pitch-contour d=(pitch.contour(r, &x)) fill="none" stroke="#c2185b" stroke-width="2"
                    stroke-linejoin="round" stroke-linecap="round" {}
            }
            // Name and numbers.
            (details_track(r, &x))
            // Words, staggered over a few rows so that neighbours do not overlap.
            g #words {
                @for (i, w) in &words {
                    @let class = if w.is_digit() || w.text.chars().any(|c| c.is_ascii_digit()) { "word digit" } else { "word" };
                    text class=(class) x=(px(x(w.start_s))) y=(px(WORDS_TOP + 12.0 + (i % WORD_ROWS) as f64 * WORD_ROW_H))
                        data-t=(secs(w.start_s)) { (w.text.trim()) }
                }
            }
            line #playhead x1=(px(LEFT)) x2=(px(LEFT)) y1=(px(AXIS_Y)) y2=(px(SPANS_TOP + SPANS_H))
                stroke="#d32f2f" stroke-width="1.5" visibility="hidden" {}
        }
    }
}

/// The name and the numbers on the timeline, each number with its digit groups.
fn details_track(r: &Report, x: &impl Fn(f64) -> f64) -> Markup {
    html! {
    g #spans {
        @if let Some(i) = &r.introduction {
            rect.seek.name x=(px(x(i.start_s))) y=(px(SPANS_TOP)) width=(px((x(i.end_s) - x(i.start_s)).max(2.0)))
                height=(px(SPANS_H)) fill="#6a1b9a2a" stroke="#6a1b9a" data-t=(secs(i.start_s)) {
                title { (format!("name: {}", i.name)) }
            }
            text.name-label x=(px(x(i.start_s) + 3.0)) y=(px(SPANS_TOP + 12.0)) {
                (i.name)
                @if let Some(sps) = r.pacing.name_sps { (format!(" · {sps:.1} syll/s")) }
            }
        }
        @for n in &r.phone_numbers {
            g.number {
                rect.seek x=(px(x(n.start_s))) y=(px(SPANS_TOP)) width=(px((x(n.end_s) - x(n.start_s)).max(2.0)))
                    height=(px(SPANS_H)) fill="#0b5cad1f" stroke="#0b5cad" data-t=(secs(n.start_s)) {
                    title { (format!("{} at {:.1} digits/s", n.digits, n.digits_per_second)) }
                }
                text.group-label x=(px(x(n.start_s) + 3.0)) y=(px(SPANS_TOP + 12.0)) {
                    (format!("{} · {:.1} digits/s", n.text.trim(), n.digits_per_second))
                }
                @for g in &n.groups {
                    rect.group x=(px(x(g.start_s))) y=(px(SPANS_TOP + 18.0)) width=(px((x(g.end_s) - x(g.start_s)).max(2.0)))
                        height=(px(SPANS_H - 20.0)) fill="#0b5cad55" rx="3" {}
                    text.group-label x=(px(x(g.start_s) + 2.0)) y=(px(SPANS_TOP + 34.0)) { (g.digits) }
                }
            }
        }
    }
    }
}

/// The pitch track's vertical scale: semitones between two frequencies, so that equal musical
/// intervals look equal at any pitch.
struct PitchScale {
    lo_hz: f64,
    hi_hz: f64,
}

impl PitchScale {
    fn new(r: &Report) -> Self {
        let mut voiced: Vec<f64> = r
            .pitch
            .f0_hz
            .iter()
            .filter(|f| f.is_finite() && **f > 0.0)
            .map(|&f| f64::from(f))
            .collect();
        voiced.sort_by(f64::total_cmp);
        let q = |p: f64| {
            voiced
                .get(((voiced.len() as f64 - 1.0) * p).round() as usize)
                .copied()
        };
        let (lo, hi) = match (q(0.01), q(0.99)) {
            (Some(a), Some(b)) => (a / 1.15, b * 1.15),
            _ => (75.0, 300.0),
        };
        let lo = lo.clamp(50.0, 250.0);
        let hi = hi.clamp(lo * 1.5, 700.0);
        PitchScale {
            lo_hz: lo,
            hi_hz: hi,
        }
    }

    fn y(&self, hz: f64) -> f64 {
        let hz = hz.clamp(self.lo_hz, self.hi_hz);
        let f = (hz / self.lo_hz).ln() / (self.hi_hz / self.lo_hz).ln();
        PITCH_TOP + PITCH_H * (1.0 - f)
    }

    fn gridlines(&self) -> Vec<f64> {
        [
            60.0, 80.0, 100.0, 125.0, 150.0, 200.0, 250.0, 300.0, 400.0, 500.0, 600.0,
        ]
        .into_iter()
        .filter(|&hz| hz >= self.lo_hz && hz <= self.hi_hz)
        .collect()
    }

    /// The contour as an SVG path: one stroke per voiced stretch.
    fn contour(&self, r: &Report, x: &impl Fn(f64) -> f64) -> String {
        let mut d = String::new();
        let mut prev_voiced = false;
        for (i, &f) in r.pitch.f0_hz.iter().enumerate() {
            let voiced = f.is_finite() && f > 0.0;
            if voiced {
                let t = i as f64 * r.pitch.hop_s;
                let cmd = if prev_voiced { 'L' } else { 'M' };
                let _ = write!(d, "{cmd}{} {} ", px(x(t)), px(self.y(f64::from(f))));
                if !prev_voiced {
                    // A lone voiced frame still shows as a dot.
                    let _ = write!(d, "l0.5 0 ");
                }
            }
            prev_voiced = voiced;
        }
        d
    }
}

/// The waveform's envelope: per pixel column the highest and lowest sample, normalised to the
/// loudest peak so a quiet recording still shows its shape.
fn waveform_path(a: &Conditioned, duration: f64, pps: f64) -> String {
    let n = a.samples.len();
    let columns = ((duration * pps).ceil() as usize).max(1);
    let per = (n as f64 / (a.duration_s().max(1e-9) * pps)).max(1.0);
    let peak = a
        .samples
        .iter()
        .filter(|s| s.is_finite())
        .fold(0.0f32, |m, s| m.max(s.abs()))
        .max(1e-6);
    let mid = WAVE_TOP + WAVE_H / 2.0;
    let half = WAVE_H / 2.0;
    let mut top = Vec::with_capacity(columns);
    let mut bottom = Vec::with_capacity(columns);
    for c in 0..columns {
        let a0 = ((c as f64 * per) as usize).min(n);
        let a1 = (((c + 1) as f64 * per) as usize).min(n);
        if a0 >= a1 {
            break;
        }
        let (mut lo, mut hi) = (0.0f32, 0.0f32);
        for &s in &a.samples[a0..a1] {
            if s.is_finite() {
                lo = lo.min(s);
                hi = hi.max(s);
            }
        }
        let xc = LEFT + c as f64 + 0.5;
        top.push((xc, mid - f64::from(hi / peak) * half - 0.5));
        bottom.push((xc, mid - f64::from(lo / peak) * half + 0.5));
    }
    let mut d = String::new();
    for (i, (x, y)) in top.iter().enumerate() {
        let _ = write!(
            d,
            "{}{} {} ",
            if i == 0 { 'M' } else { 'L' },
            px(*x),
            px(*y)
        );
    }
    for (x, y) in bottom.iter().rev() {
        let _ = write!(d, "L{} {} ", px(*x), px(*y));
    }
    if !d.is_empty() {
        d.push('Z');
    }
    d
}

/// The analysed audio as a 16-bit mono WAV data URI, at the recording's own rate when that is
/// half the analysis rate or less (a telephone recording's 8 kHz stays 8 kHz: half the page);
/// `None` if it cannot be encoded.
fn wav_data_uri(a: &Conditioned, recorded_hz: u32) -> Option<String> {
    let mut narrow = Vec::new();
    let (samples, rate) = if recorded_hz.saturating_mul(2) <= a.rate_hz {
        crate::dsp::Decimator::new(2, 16).process(&a.samples, &mut narrow);
        (narrow.as_slice(), a.rate_hz / 2)
    } else {
        (a.samples.as_slice(), a.rate_hz)
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

/// A coordinate with one decimal: enough for the screen, short in the page.
fn px(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Seconds for a `data-t` attribute.
fn secs(t: f64) -> String {
    format!("{:.2}", t.max(0.0))
}

/// `m:ss` for a time-axis tick (whole seconds).
fn tick_label(t: f64) -> String {
    let t = t.max(0.0).round() as u64;
    format!("{}:{:02}", t / 60, t % 60)
}

fn trim_number(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn pitch_scale_is_monotonic_and_inside_its_track() {
        let scale = PitchScale {
            lo_hz: 80.0,
            hi_hz: 320.0,
        };
        assert!((scale.y(80.0) - (PITCH_TOP + PITCH_H)).abs() < 1e-9);
        assert!((scale.y(320.0) - PITCH_TOP).abs() < 1e-9);
        // 160 Hz is one octave above 80 of the two-octave range: halfway up.
        assert!((scale.y(160.0) - (PITCH_TOP + PITCH_H / 2.0)).abs() < 1e-9);
        assert!(scale.y(1000.0) >= PITCH_TOP && scale.y(1.0) <= PITCH_TOP + PITCH_H);
    }
}
