//! What the words say, as the report holds it: fillers, company or product talk, stock phrases,
//! referrals and promised callbacks, each with the time span to listen to. The `wording` module
//! finds them; the rules on words judge them.

use serde::{Deserialize, Serialize};

use super::Span;

/// What the words of a message say, found once and judged by the rules on words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Content {
    /// Every filler heard, in time order: vocal ("um", "uh") and lexical ("you know",
    /// "basically") fillers in the transcript, and filled pauses heard in the sound where the
    /// transcriber wrote nothing.
    pub fillers: Vec<Filler>,
    /// Company, product, offer or benefit talk (`content.pitch`): one entry a construction found.
    pub pitch: Vec<PhraseMatch>,
    /// Stock phrases (`content.cliches`), overlapping matches merged into one.
    pub stock_phrases: Vec<PhraseMatch>,
    /// Mentions of who referred the caller (`content.referral`).
    pub referrals: Vec<PhraseMatch>,
    /// Callbacks the caller promised (`content.callback_promise`).
    pub promises: Vec<Promise>,
}

/// A phrase or construction found in the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PhraseMatch {
    /// The rulebook's entry that matched (a phrase or construction, as listed).
    pub phrase: String,
    /// The words as transcribed, fillers inside them included.
    pub text: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
    /// For a whole sentence the sentence classifier judged of this kind, its probability
    /// (`phrase` then names the kind); `null` for a catalogue phrase.
    #[serde(default)]
    pub probability: Option<f64>,
}

impl PhraseMatch {
    /// Its time span.
    pub fn span(&self) -> Span {
        Span {
            start_s: self.start_s,
            end_s: self.end_s,
        }
    }
}

/// A callback the caller promised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Promise {
    /// What was said.
    #[serde(flatten)]
    pub found: PhraseMatch,
    /// Whether the words after it name a day or time ("on Tuesday at 10").
    pub dated: bool,
}

/// How a filler is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FillerKind {
    /// A hesitation sound: "um", "uh", "er", "hmm".
    Vocal,
    /// A word or phrase said as a filler: "you know", "basically", "I mean", "like".
    Lexical,
}

/// Where a filler was heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeardIn {
    /// A word of the transcript.
    Transcript,
    /// The sound alone: a short, steady, voiced stretch set off by pauses that no transcribed
    /// word accounts for (the transcriber leaves most "um"s out).
    Sound,
}

/// One filler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Filler {
    /// The filler as the rulebook lists it ("um", "you know"); `"um"` for a filled pause heard
    /// in the sound.
    pub text: String,
    /// Vocal or lexical.
    pub kind: FillerKind,
    /// Where it was heard.
    pub heard_in: HeardIn,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
}

impl Filler {
    /// Its time span.
    pub fn span(&self) -> Span {
        Span {
            start_s: self.start_s,
            end_s: self.end_s,
        }
    }
}
