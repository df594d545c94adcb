//! The report's `pitch` figures: the voice's height, range and phrase endings.

use serde::{Deserialize, Serialize};

/// Summary of voiced frames (the report's `pitch` section, minus the track itself).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PitchSummary {
    /// Median F0 of voiced frames, Hz.
    pub median_hz: Option<f64>,
    /// 10th percentile, Hz.
    pub p10_hz: Option<f64>,
    /// 90th percentile, Hz.
    pub p90_hz: Option<f64>,
    /// `12 * log2(p90 / p10)`, semitones.
    pub range_st: Option<f64>,
    /// Standard deviation of voiced frames in semitones around the median.
    pub stdev_st: Option<f64>,
    /// Voiced frames over frames inside the speech span.
    pub voiced_fraction: Option<f64>,
}

/// The pitch movement at the end of a phrase, for the uptalk rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PhraseEnding {
    /// Phrase start, seconds.
    pub start_s: f64,
    /// Phrase end (the start of the pause after it, or the end of speech), seconds.
    pub end_s: f64,
    /// Mean pitch of the phrase's last 150 ms of voicing against the 300 ms of voicing before
    /// them, semitones (positive = rising). `None` when the phrase has too little voicing.
    pub terminal_st: Option<f64>,
}
