//! The report's `speech`, `level` and `rate` sections: where the speech is, how loud, how fast.

use serde::{Deserialize, Serialize};

use super::spoken::Span;

/// Where the speech is (the report's `speech` section). Every figure is `None` when nothing in
/// the recording sounds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Speech {
    /// First sounding frame, seconds.
    pub start_s: Option<f64>,
    /// End of the last sounding frame, seconds.
    pub end_s: Option<f64>,
    /// Silence before the speech, seconds.
    pub leading_silence_s: Option<f64>,
    /// Silence after the speech, seconds.
    pub trailing_silence_s: Option<f64>,
    /// Speech span minus pauses, seconds.
    pub phonation_s: Option<f64>,
    /// Pauses (silent stretches) of at least the minimum length inside the span.
    pub pauses: Vec<Span>,
}

impl Speech {
    /// The speech span, from the first sounding frame to the end of the last; `None` when
    /// nothing sounds. The one place the span's invariant (it ends after it starts) is checked.
    pub fn span(&self) -> Option<Span> {
        match (self.start_s, self.end_s) {
            (Some(a), Some(b)) if b > a => Some(Span {
                start_s: a,
                end_s: b,
            }),
            _ => None,
        }
    }

    /// Phonation time (sounding time inside the speech span, pauses excluded) between `a` and
    /// `b` seconds.
    pub fn phonation_between(&self, a: f64, b: f64) -> f64 {
        let (Some(s), Some(e)) = (self.start_s, self.end_s) else {
            return 0.0;
        };
        let (a, b) = (a.max(s), b.min(e));
        if b <= a {
            return 0.0;
        }
        let paused: f64 = self
            .pauses
            .iter()
            .map(|p| (p.end_s.min(b) - p.start_s.max(a)).max(0.0))
            .sum();
        b - a - paused
    }
}

/// Loudness and clipping (the report's `level` section).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Level {
    /// Mean power of the sounding frames, dBFS; `None` without speech.
    pub speech_dbfs: Option<f64>,
    /// Background level (10th percentile of frame intensity), dBFS.
    pub background_dbfs: Option<f64>,
    /// Speech level over background, dB.
    pub snr_db: Option<f64>,
    /// Largest sample in the file, dBFS.
    pub peak_dbfs: Option<f64>,
    /// Samples at full scale.
    pub clipped_samples: u64,
    /// Runs of three or more consecutive full-scale samples.
    pub clipped_runs: u64,
}

/// Speaking-rate figures (the report's `rate` section).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Rate {
    /// Acoustic syllable nuclei found.
    pub syllables: usize,
    /// Their times, seconds.
    pub nuclei_s: Vec<f64>,
    /// Syllables per second over the speech span.
    pub speech_rate_sps: Option<f64>,
    /// Syllables per second of phonation (pauses excluded).
    pub articulation_rate_sps: Option<f64>,
    /// Words per minute over the speech span, from a transcript; `None` without one.
    pub words_per_minute: Option<f64>,
    /// Syllables of the transcript's words as spoken (CMU Pronouncing Dictionary, numerals digit
    /// by digit); `None` without a transcript. On real phone calls it is far nearer the truth
    /// than the acoustic count (README, Measured), which stays for timing and for recordings
    /// without words.
    pub transcript_syllables: Option<usize>,
    /// Those syllables per second over the speech span; `None` without a transcript.
    pub transcript_rate_sps: Option<f64>,
    /// Local articulation rate over sliding windows.
    pub contour: RateContour,
}

/// Articulation rate in sliding windows: value `i` covers the window centred at
/// `i * hop_s`; `None` where under a quarter of the window (0.5 s by default) is phonation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RateContour {
    /// Seconds between window centres.
    pub hop_s: f64,
    /// Window length, seconds.
    pub window_s: f64,
    /// Syllables per second of phonation in each window.
    pub sps: Vec<Option<f64>>,
}
