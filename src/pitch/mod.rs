//! Fundamental-frequency (F0) tracking.
//!
//! The method is Boersma's (1993) autocorrelation pitch detector, the one behind Praat's
//! "To Pitch (ac)": each frame is Hann-windowed, its autocorrelation is computed by FFT and divided
//! by the window's own autocorrelation, the lag peaks become candidates with a strength that
//! slightly favours higher pitches (octave cost), an unvoiced candidate competes with a strength
//! that grows as the frame gets quieter, and a Viterbi pass picks the path with the fewest octave
//! jumps and voicing switches. Autocorrelation finds the period from the harmonics, so it works on
//! telephone audio (300–3400 Hz) whose fundamental has been filtered out.
//!
//! The signal is low-passed and decimated to about 8 kHz first (harmonics up to 3.6 kHz are kept,
//! enough for any F0 up to 500 Hz), and the FFT plans, window and its autocorrelation are built
//! once in [`PitchTracker::new`].
//!
//! Where this tracker departs from Praat's defaults, real speech asked for it. On the FDA
//! database's laryngograph truth (`scripts/eval-pitch`; settings chosen on one half of the
//! sentences, checked on the other) Praat's settings voiced a frame or two past where the voice
//! stops and jumped octaves on telephone copies. So the window is 2.25 periods of the floor (Praat:
//! 3), a frame's loudness for the silence test is the peak of the window's central third (Praat:
//! the whole window), and octave jumps and voicing switches cost more. On the sentences not tuned
//! on, gross and voicing errors are below Praat's, wideband and telephone-band.

use serde::{Deserialize, Serialize};

use crate::dsp::{quantile, semitones};
use crate::report::{PhraseEnding, PitchSummary, Span};

mod tracker;

pub use tracker::PitchTracker;

/// The most candidates per frame [`PitchOptions::max_candidates`] may ask for: the path search
/// keeps each frame's choice in a byte.
pub(crate) const MAX_CANDIDATES: usize = u8::MAX as usize + 1;

/// Pitch-tracking options. The method is Praat's "To Pitch (ac)"; the defaults differ from
/// Praat's where real speech with laryngograph truth asked for it (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct PitchOptions {
    /// Lowest pitch searched, Hz; the window is [`PitchOptions::periods_per_window`] periods of it.
    /// Default: `60.0`.
    pub floor_hz: f64,
    /// Highest pitch searched, Hz. Default: `500.0`.
    pub ceiling_hz: f64,
    /// Time between frames, seconds. Default: `0.01`.
    pub hop_s: f64,
    /// Frames whose peak is below this fraction of the recording's peak count as silent.
    /// Default: `0.02` (Praat: 0.03).
    pub silence_threshold: f64,
    /// Autocorrelation strength a frame needs to be voiced. Default: `0.5` (Praat: 0.45).
    pub voicing_threshold: f64,
    /// How much higher-pitch candidates are favoured (per octave). Default: `0.03`
    /// (Praat: 0.01).
    pub octave_cost: f64,
    /// Cost of an octave jump between frames. Default: `0.8` (Praat: 0.35).
    pub octave_jump_cost: f64,
    /// Cost of a voiced/unvoiced switch between frames. Default: `0.4` (Praat: 0.14).
    pub voiced_unvoiced_cost: f64,
    /// Candidates per frame, the unvoiced one included, 2 to 256 (the path search keeps byte
    /// back-pointers). Default: `15`.
    pub max_candidates: usize,
    /// Periods of the floor pitch per analysis window, at least 1.5. Default: `2.25` (Praat: 3):
    /// a shorter window ends voicing closer to where the voice stops.
    pub periods_per_window: f64,
    /// Share of the window, around its centre, whose peak sets the frame's loudness (for the
    /// silence test), in (0, 1]. Default: `0.33` (Praat: the whole window): a frame whose centre
    /// is quiet is not voiced by a vowel at its edge.
    pub loudness_span: f64,
}

impl Default for PitchOptions {
    fn default() -> Self {
        PitchOptions {
            floor_hz: 60.0,
            ceiling_hz: 500.0,
            hop_s: 0.01,
            silence_threshold: 0.02,
            voicing_threshold: 0.5,
            octave_cost: 0.03,
            octave_jump_cost: 0.8,
            voiced_unvoiced_cost: 0.4,
            max_candidates: 15,
            periods_per_window: 2.25,
            loudness_span: 0.33,
        }
    }
}

/// A pitch track: one F0 value per hop, frame `i` centred at `i * hop_s` seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct PitchTrack {
    /// Seconds between frames.
    pub hop_s: f64,
    /// F0 in Hz per frame; `0.0` where the frame is unvoiced.
    pub f0_hz: Vec<f32>,
    /// Per frame, the highest peak of the normalised autocorrelation in the pitch range (0 to 1):
    /// how periodic the frame sounds, whatever the path search decided; `0.0` where the frame
    /// is too quiet to analyse. Lets a caller ask for a looser voicing test than the track's.
    pub periodicity: Vec<f32>,
}

impl PitchTrack {
    /// Whether frame `i` is voiced (`false` past the end).
    pub fn is_voiced(&self, i: usize) -> bool {
        self.f0_hz.get(i).is_some_and(|&f| f > 0.0)
    }

    /// The frame index nearest to time `t` seconds.
    pub fn frame_at(&self, t: f64) -> usize {
        (t / self.hop_s).round().max(0.0) as usize
    }
}

/// Summarises the voiced frames of `track` between frames `span.0` and `span.1` (exclusive).
pub(crate) fn summarize(track: &PitchTrack, span: Option<(usize, usize)>) -> PitchSummary {
    let Some((a, b)) = span else {
        return PitchSummary::default();
    };
    let b = b.min(track.f0_hz.len());
    if a >= b {
        return PitchSummary::default();
    }
    let mut voiced: Vec<f64> = track.f0_hz[a..b]
        .iter()
        .filter(|&&f| f > 0.0)
        .map(|&f| f64::from(f))
        .collect();
    let voiced_fraction = Some(voiced.len() as f64 / (b - a) as f64);
    if voiced.is_empty() {
        return PitchSummary {
            voiced_fraction,
            ..PitchSummary::default()
        };
    }
    let median = quantile(&mut voiced, 0.5);
    let p10 = quantile(&mut voiced, 0.1);
    let p90 = quantile(&mut voiced, 0.9);
    let stdev = median.map(|m| {
        let st: Vec<f64> = voiced.iter().map(|&f| semitones(f, m)).collect();
        let mean = st.iter().sum::<f64>() / st.len() as f64;
        (st.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / st.len() as f64).sqrt()
    });
    PitchSummary {
        median_hz: median,
        p10_hz: p10,
        p90_hz: p90,
        range_st: match (p10, p90) {
            (Some(lo), Some(hi)) => Some(semitones(hi, lo)),
            _ => None,
        },
        stdev_st: stdev,
        voiced_fraction,
    }
}

/// Terminal contours for each phrase.
pub(crate) fn phrase_endings(track: &PitchTrack, phrases: &[Span]) -> Vec<PhraseEnding> {
    let tail = (0.15 / track.hop_s).round().max(1.0) as usize;
    let body = (0.30 / track.hop_s).round().max(1.0) as usize;
    phrases
        .iter()
        .map(|&Span { start_s, end_s }| {
            let a = track.frame_at(start_s);
            let b = track.frame_at(end_s).min(track.f0_hz.len());
            let voiced: Vec<f64> = if a < b {
                track.f0_hz[a..b]
                    .iter()
                    .filter(|&&f| f > 0.0)
                    .map(|&f| f64::from(f))
                    .collect()
            } else {
                Vec::new()
            };
            let terminal_st = if voiced.len() >= tail + body / 2 {
                let n = voiced.len();
                let end = &voiced[n - tail..];
                let before = &voiced[n.saturating_sub(tail + body)..n - tail];
                let mean_log = |v: &[f64]| v.iter().map(|f| f.log2()).sum::<f64>() / v.len() as f64;
                Some(12.0 * (mean_log(end) - mean_log(before)))
            } else {
                None
            };
            PhraseEnding {
                start_s,
                end_s,
                terminal_st,
            }
        })
        .collect()
}
