//! The message rewritten in a trainer's form from the parts the caller said: the report's
//! `suggested_message`. The rulebook holds the forms (`Rulebook::forms`); the `suggestion`
//! module fills them.

use serde::{Deserialize, Serialize};

use super::Span;

/// The message as a trainer would have it said, from what this caller said: the prospect's
/// name, the caller's name, a referral, a promised callback and the callback number, in the
/// first of the rulebook's forms that fits. A part not heard is a marked slot
/// (`"[your number]"`), never an invented value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SuggestedMessage {
    /// The rewritten message, in the first form that fits.
    #[serde(flatten)]
    pub message: FormText,
    /// The parts of the message the forms are filled with, heard or not.
    pub parts: Vec<MessagePart>,
    /// What the caller said that the form leaves out (company and product talk, stock phrases,
    /// fillers), in time order.
    pub left_out: Vec<LeftOut>,
    /// The message in the other forms that fit (Mewse's, when the caller gave a reason to call).
    #[serde(default)]
    pub other_forms: Vec<FormText>,
}

/// A message in one form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct FormText {
    /// The message's text.
    pub text: String,
    /// The form's name in the rulebook, e.g. `"clark"`.
    pub form: String,
    /// Author and title of the advice the form follows.
    pub source: String,
    /// How long the message takes said at the rulebook's paces, seconds: the words at the
    /// middle of `rate.overall`'s passing band, the name slower by `rate.details`' ratio, the
    /// number's digits at `number.pace`'s limit with its pause between groups.
    pub expected_length_s: f64,
}

/// Which part of a message a slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PartKind {
    /// The prospect's name, from the greeting (`{prospect}`).
    Prospect,
    /// The caller's name, from the introduction (`{caller}`).
    Caller,
    /// Who referred the caller (`{referrer}`).
    Referrer,
    /// When the caller promised to call again (`{when}`).
    When,
    /// What the call is about (`{reason}`).
    Reason,
    /// The callback number in the groups it should be said in (`{number}`).
    Number,
}

impl PartKind {
    /// Every kind, in the order a message usually holds them.
    pub const ALL: [PartKind; 6] = [
        PartKind::Prospect,
        PartKind::Caller,
        PartKind::Referrer,
        PartKind::Reason,
        PartKind::When,
        PartKind::Number,
    ];

    /// Its slot's name in a form (`prospect` for `{prospect}`).
    pub fn slot(self) -> &'static str {
        match self {
            PartKind::Prospect => "prospect",
            PartKind::Caller => "caller",
            PartKind::Referrer => "referrer",
            PartKind::When => "when",
            PartKind::Reason => "reason",
            PartKind::Number => "number",
        }
    }

    /// The marked slot a suggestion holds when the part was not heard.
    pub fn placeholder(self) -> &'static str {
        match self {
            PartKind::Prospect => "[their name]",
            PartKind::Caller => "[your name]",
            PartKind::Referrer => "[who referred you]",
            PartKind::When => "[on a day at a time]",
            PartKind::Reason => "[what you want to ask]",
            PartKind::Number => "[your number]",
        }
    }

    /// Whether every form holds the part, heard or as a marked slot (the prospect's name, the
    /// caller's, the number); the others are said only when the caller made them (a referral,
    /// a promise, a reason to call), and a sentence holding one not made is left out.
    pub fn always_said(self) -> bool {
        matches!(
            self,
            PartKind::Prospect | PartKind::Caller | PartKind::Number
        )
    }
}

/// One part a message is filled with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct MessagePart {
    /// Which part.
    pub kind: PartKind,
    /// As the suggestion says it: as heard (the number regrouped), or the marked slot.
    pub text: String,
    /// Whether it was heard; `false` for a marked slot.
    pub heard: bool,
    /// Where it was said; `None` when not heard.
    pub span: Option<Span>,
}

/// Something said that the suggestion leaves out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct LeftOut {
    /// `"pitch"` (company or product talk), `"stock_phrase"` or `"filler"`.
    pub kind: String,
    /// The words as transcribed.
    pub text: String,
    /// Seconds.
    pub start_s: f64,
    /// Seconds.
    pub end_s: f64,
}
