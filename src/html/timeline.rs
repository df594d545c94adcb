//! The page's timeline: waveform, pitch, words and the spans the verdicts cite, as inline SVG on
//! one time axis.

use std::fmt::Write as _;

use maud::{html, Markup};

use crate::audio::Conditioned;
use crate::report::Report;

// Vertical layout of the timeline, pixels.
pub(super) const LEFT: f64 = 64.0;
pub(super) const RIGHT: f64 = 24.0;
pub(super) const AXIS_Y: f64 = 18.0;
pub(super) const WAVE_TOP: f64 = 28.0;
pub(super) const WAVE_H: f64 = 80.0;
pub(super) const PITCH_TOP: f64 = 122.0;
pub(super) const PITCH_H: f64 = 150.0;
pub(super) const WORDS_TOP: f64 = 290.0;
pub(super) const WORD_ROWS: usize = 3;
pub(super) const WORD_ROW_H: f64 = 17.0;
pub(super) const SPANS_TOP: f64 = 352.0;
pub(super) const SPANS_H: f64 = 44.0;
pub(super) const HEIGHT: f64 = 404.0;
/// Width of the time axis when the scale is left to fit, pixels.
pub(super) const FIT_WIDTH: f64 = 1060.0;

/// The timeline: every track on one time axis.
pub(super) fn timeline(
    r: &Report,
    audio: Option<&Conditioned>,
    duration: f64,
    pps: Option<f64>,
) -> Markup {
    let pps = match pps {
        Some(p) if p.is_finite() => p.clamp(10.0, 400.0),
        _ => (FIT_WIDTH / duration).clamp(50.0, 120.0),
    };
    let width = LEFT + duration * pps + RIGHT;
    let x = |t: f64| LEFT + t.clamp(0.0, duration) * pps;
    let tick = tick_step(duration);
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
            (pitch_lane(r, &pitch, &x, duration * pps))
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

/// Seconds between the time axis's ticks for a recording of `duration` seconds.
fn tick_step(duration: f64) -> f64 {
    if duration <= 40.0 {
        1.0
    } else if duration <= 200.0 {
        5.0
    } else {
        30.0
    }
}

/// The pitch lane: gridlines with their Hz, the p10–p90 band, the median and the contour, over
/// `width` pixels of time.
fn pitch_lane(r: &Report, pitch: &PitchScale, x: &impl Fn(f64) -> f64, width: f64) -> Markup {
    html! {
        g #pitch {
            @for hz in pitch.gridlines() {
                line x1=(px(LEFT)) x2=(px(LEFT + width)) y1=(px(pitch.y(hz))) y2=(px(pitch.y(hz))) stroke="#eef0f3" {}
                text x=(px(LEFT - 4.0)) y=(px(pitch.y(hz) + 4.0)) text-anchor="end" { (format!("{hz:.0}")) }
            }
            @if let (Some(lo), Some(hi)) = (r.pitch.summary.p10_hz, r.pitch.summary.p90_hz) {
                rect #pitch-range x=(px(LEFT)) width=(px(width)) y=(px(pitch.y(hi)))
                    height=(px((pitch.y(lo) - pitch.y(hi)).max(1.0))) fill="#2e7d3226" {
                    title { (format!("p10–p90: {lo:.0}–{hi:.0} Hz")) }
                }
            }
            @if let Some(m) = r.pitch.summary.median_hz {
                line #pitch-median x1=(px(LEFT)) x2=(px(LEFT + width)) y1=(px(pitch.y(m))) y2=(px(pitch.y(m)))
                    stroke="#2e7d32" stroke-dasharray="6 4" stroke-width="1.2" {}
                text x=(px(LEFT + 4.0)) y=(px(pitch.y(m) - 4.0)) fill="#2e7d32" { (format!("median {m:.0} Hz")) }
            }
            path #pitch-contour d=(pitch.contour(r, x)) fill="none" stroke="#c2185b" stroke-width="2"
                stroke-linejoin="round" stroke-linecap="round" {}
        }
    }
}

/// The name and the numbers on the timeline, each number with its digit groups.
pub(super) fn details_track(r: &Report, x: &impl Fn(f64) -> f64) -> Markup {
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
pub(super) struct PitchScale {
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
pub(super) fn waveform_path(a: &Conditioned, duration: f64, pps: f64) -> String {
    let n = a.samples().len();
    let columns = ((duration * pps).ceil() as usize).max(1);
    let per = (n as f64 / (a.duration_s().max(1e-9) * pps)).max(1.0);
    let peak = a
        .samples()
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
        for &s in &a.samples()[a0..a1] {
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

/// A coordinate with one decimal: enough for the screen, short in the page.
pub(super) fn px(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Seconds for a `data-t` attribute.
pub(super) fn secs(t: f64) -> String {
    format!("{:.2}", t.max(0.0))
}

/// `m:ss` for a time-axis tick (whole seconds).
pub(super) fn tick_label(t: f64) -> String {
    let t = t.max(0.0).round() as u64;
    format!("{}:{:02}", t / 60, t % 60)
}

pub(super) fn trim_number(v: f64) -> String {
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
