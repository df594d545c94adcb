//! The rulebook: the sales trainers' advice as measurable rules, each with a stable id, a verdict,
//! the measured value, the target, one sentence of advice, its source and the times to listen to.
//!
//! Every threshold is a default that a user's rulebook (TOML or JSON) can override, and any rule
//! can be switched off. Unknown rules, unknown parameters and bad values are errors
//! ([`Error::Rulebook`]), never silently ignored.
//!
//! ```
//! use voicemail_coach::Rulebook;
//!
//! let book = Rulebook::from_toml_str(r#"
//!     [rules."length.max"]
//!     pass_max_s = 25.0
//!     [rules."content.fillers"]
//!     enabled = false
//! "#)?;
//! assert_eq!(book.rules.length_max.pass_max_s, 25.0);
//! assert!(!book.rules.content_fillers.enabled);
//! assert!(Rulebook::from_toml_str("[rules.\"length.maximum\"]").is_err());
//! # Ok::<(), voicemail_coach::Error>(())
//! ```
//!
//! The same in JSON: `{"rules": {"length.max": {"pass_max_s": 25.0}, "content.fillers":
//! {"enabled": false}}}`. In code, each rule's parameters are a typed struct in
//! [`Rulebook::rules`] (`book.rules.length_max.pass_max_s = 25.0`), checked by
//! [`Rulebook::check`]. [`RULES`] lists every rule with its parameters' meanings and bounds.
//!
//! Each rule is one small function beside its metadata, in a module per family: length and
//! opening, pace, the details (name and number), the voice, and the words. They judge a
//! report's measurements; the phrases they look for are found once per report.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::report::{Advice, Report, Status, Verdict};

/// Declares a rule's parameters: a struct with `enabled` and one typed field per parameter
/// (unknown names refused when read), its defaults, and the [`Param`] list (name, meaning,
/// kind, bounds) that documents and checks them.
macro_rules! params {
    ($(#[$meta:meta])* $name:ident {
        $($field:ident: $kind:ident = $default:expr, $doc:literal $([$min:literal, $max:literal])?;)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        #[non_exhaustive]
        pub struct $name {
            /// Whether the rule is judged.
            pub enabled: bool,
            $(#[doc = $doc] pub $field: params!(@type $kind),)*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { enabled: true, $($field: $default.into(),)* }
            }
        }

        impl $name {
            /// The parameters' names, meanings and bounds.
            pub const PARAMS: &'static [$crate::rules::Param] = &[$($crate::rules::Param {
                name: stringify!($field),
                doc: $doc,
                kind: params!(@kind $kind $($min, $max)?),
            },)*];
        }
    };
    (@type number) => { f64 };
    (@type flag) => { bool };
    (@type phrases) => { Vec<String> };
    (@kind number $min:literal, $max:literal) => {
        $crate::rules::Kind::Number { min: $min, max: $max }
    };
    (@kind flag) => { $crate::rules::Kind::Bool };
    (@kind phrases) => { $crate::rules::Kind::Phrases };
}

mod details;
mod forms;
mod judged;
mod length;
mod pace;
mod voice;
mod words;

pub use details::{NameEarly, NumberClarity, NumberMatches, NumberPace, NumberPresent, UNVERIFIED};
pub(crate) use forms::slots;
pub use forms::MessageForm;
pub(crate) use judged::Measured;
pub use length::{LengthMax, LengthMin, OpeningDeadAir};
pub use pace::{RateDetails, RateOverall};
pub use voice::{PitchBaseline, PitchConfident, PitchWarm, SpeechLevel};
pub(crate) use words::{variation_overall, variation_verdict};
pub use words::{
    CampaignVariation, ContentCallbackPromise, ContentCliches, ContentFillers, ContentPitch,
    ContentReferral,
};

/// Steve Clark's article.
pub const CLARK: &str =
    "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'";
/// Colleen Francis's article.
pub const FRANCIS: &str = "Colleen Francis, 'The gatekeepers'";
/// Kelley Robertson's article.
pub const ROBERTSON: &str = "Kelley Robertson, 'Are Your Voicemails Not Getting Returned?'";
/// Matthew Mewse's article.
pub const MEWSE: &str = "Matthew Mewse, 'How to get people to call you back'";
/// Jacques Werth's article, cited in the report's footer only (he leaves no voicemail at all).
pub const WERTH: &str = "Jacques Werth, 'I Don't Leave Voice Messages'";

/// The kind and allowed values of a rule parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A number between `min` and `max` inclusive.
    Number {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// `true` or `false`.
    Bool,
    /// A list of phrases (non-empty strings).
    Phrases,
}

/// A rule parameter: name, meaning and kind (its default is in the rule's struct).
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its key in a rulebook file and its field in the rule's struct.
    pub name: &'static str,
    /// What it means, with its unit.
    pub doc: &'static str,
    /// Its kind and bounds.
    pub kind: Kind,
}

/// How a rule judges: `None` when it is switched off.
type Judge = fn(&Rules, &Measured, &Context) -> Option<judged::Judged>;

/// A rule: id, what it measures, its sources and parameters.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id, e.g. `"length.max"`.
    pub id: &'static str,
    /// What is measured.
    pub measures: &'static str,
    /// Author and title of the advice (and any outside evidence for the defaults).
    pub source: &'static str,
    /// Its parameters (besides `enabled`).
    pub params: &'static [Param],
    /// Pairs of parameters that must be in order (`first <= second`).
    pub ordered: &'static [(&'static str, &'static str)],
    judge: Judge,
}

/// Declares every rule once: its id in a rulebook file, its field and parameter type in
/// [`Rules`], and its [`Rule`] in [`RULES`] (the order the report lists them).
macro_rules! rule_table {
    ($($id:literal $field:ident: $ty:ty = $rule:path,)*) => {
        /// Every rule, in the order the report lists them.
        pub const RULES: &[Rule] = &[$($rule),*];

        /// Every rule's parameters, by rule id in a rulebook file.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        #[non_exhaustive]
        #[allow(missing_docs)] // each field's type documents its rule
        pub struct Rules {
            $(#[serde(rename = $id)] pub $field: $ty,)*
        }
    };
}

rule_table! {
    "length.max" length_max: LengthMax = length::MAX,
    "length.min" length_min: LengthMin = length::MIN,
    "rate.overall" rate_overall: RateOverall = pace::OVERALL,
    "rate.details" rate_details: RateDetails = pace::DETAILS,
    "number.pace" number_pace: NumberPace = details::PACE,
    "number.present" number_present: NumberPresent = details::PRESENT,
    "number.clarity" number_clarity: NumberClarity = details::CLARITY,
    "number.matches" number_matches: NumberMatches = details::MATCHES,
    "name.early" name_early: NameEarly = details::NAME,
    "pitch.confident" pitch_confident: PitchConfident = voice::CONFIDENT,
    "pitch.warm" pitch_warm: PitchWarm = voice::WARM,
    "pitch.baseline" pitch_baseline: PitchBaseline = voice::BASELINE,
    "level" level: SpeechLevel = voice::LEVEL,
    "opening.dead_air" opening_dead_air: OpeningDeadAir = length::DEAD_AIR,
    "content.pitch" content_pitch: ContentPitch = words::PITCH,
    "content.cliches" content_cliches: ContentCliches = words::CLICHES,
    "content.referral" content_referral: ContentReferral = words::REFERRAL,
    "content.callback_promise" content_callback_promise: ContentCallbackPromise = words::PROMISE,
    "content.fillers" content_fillers: ContentFillers = words::FILLERS,
    "campaign.variation" campaign_variation: CampaignVariation = words::VARIATION,
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

impl Rules {
    /// The phrase lists the words are searched with.
    pub(crate) fn content_lists(&self) -> crate::wording::Lists<'_> {
        crate::wording::Lists {
            pitch: &self.content_pitch.phrases,
            cliches: &self.content_cliches.phrases,
            referral: &self.content_referral.phrases,
            promise: &self.content_callback_promise.phrases,
            vocal: &self.content_fillers.phrases,
            lexical: &self.content_fillers.lexical,
            // Stock phrases are left to their catalogue: the classifier, trained on too few
            // of them, cost agreement on both tuning sets (scripts/classify-sentences).
            classify: [
                self.content_pitch.classifier,
                false,
                self.content_referral.classifier,
                self.content_callback_promise.classifier,
            ],
        }
    }
}

/// Thresholds and switches for every rule: [`Rulebook::default`] holds the defaults; a user's
/// file (TOML or JSON, `{"rules": {"<id>": {"<param>": value, "enabled": bool}}}`) overrides
/// some of them, and may give its own forms for the suggested message (`[[forms]]`, replacing
/// the trainers' forms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Rulebook {
    /// Each rule's parameters.
    #[serde(default)]
    pub rules: Rules,
    /// The forms the message is rewritten in, the first that fits first (the report's
    /// `suggested_message`); none switches the suggestion off.
    #[serde(default = "forms::default_forms")]
    pub forms: Vec<MessageForm>,
}

impl Default for Rulebook {
    fn default() -> Self {
        Rulebook {
            rules: Rules::default(),
            forms: forms::default_forms(),
        }
    }
}

fn bad(origin: &str, reason: String) -> Error {
    Error::Rulebook {
        origin: origin.to_string(),
        reason,
    }
}

impl Rulebook {
    /// Reads a rulebook file: TOML, or JSON when the name ends in `.json`. Errors name the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| bad(&origin, format!("cannot read: {e}")))?;
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if json {
            Self::parse_json(&text, &origin)
        } else {
            Self::parse_toml(&text, &origin)
        }
    }

    /// Reads a rulebook from TOML text.
    pub fn from_toml_str(text: &str) -> Result<Self> {
        Self::parse_toml(text, "<rulebook>")
    }

    /// Reads a rulebook from JSON text.
    pub fn from_json_str(text: &str) -> Result<Self> {
        Self::parse_json(text, "<rulebook>")
    }

    fn parse_toml(text: &str, origin: &str) -> Result<Self> {
        let v: Value =
            toml::from_str(text).map_err(|e| bad(origin, format!("not valid TOML: {e}")))?;
        Self::from_value(v, origin)
    }

    fn parse_json(text: &str, origin: &str) -> Result<Self> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| bad(origin, format!("not valid JSON: {e}")))?;
        Self::from_value(v, origin)
    }

    /// The defaults overridden by a parsed rulebook; errors name the key they are about.
    fn from_value(v: Value, origin: &str) -> Result<Self> {
        let book: Rulebook = serde_path_to_error::deserialize(v).map_err(|e| {
            let path = e.path().to_string();
            match path.as_str() {
                "." => bad(origin, e.inner().to_string()),
                _ => bad(origin, format!("{path}: {}", e.inner())),
            }
        })?;
        book.check_at(origin)?;
        Ok(book)
    }

    /// Checks every number against its bounds and order, and every phrase list for empty
    /// phrases ([`Analyzer::new`](crate::Analyzer::new) calls it for a rulebook set in code).
    pub fn check(&self) -> Result<()> {
        self.check_at("<rulebook>")
    }

    fn check_at(&self, origin: &str) -> Result<()> {
        self.check_forms(origin)?;
        let table = self.table();
        for rule in RULES {
            let values = &table[rule.id];
            for p in rule.params {
                check_param(p, &values[p.name])
                    .map_err(|why| bad(origin, format!("rule `{}`: {why}", rule.id)))?;
            }
            for &(lo, hi) in rule.ordered {
                let (a, b) = (&values[lo], &values[hi]);
                if a.as_f64() > b.as_f64() {
                    return Err(bad(
                        origin,
                        format!(
                            "rule `{}`: `{lo}` ({a}) must not exceed `{hi}` ({b})",
                            rule.id
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every form's templates checked, and their names unique.
    fn check_forms(&self, origin: &str) -> Result<()> {
        for (k, form) in self.forms.iter().enumerate() {
            form.check()
                .map_err(|why| bad(origin, format!("form `{}`: {why}", form.name)))?;
            if self.forms[..k].iter().any(|f| f.name == form.name) {
                return Err(bad(origin, format!("form `{}` is given twice", form.name)));
            }
        }
        Ok(())
    }

    /// The rules as a JSON table by id (the shape of a rulebook file's `rules`).
    fn table(&self) -> Value {
        serde_json::to_value(&self.rules).unwrap_or(Value::Null)
    }

    /// The rulebook as TOML (every rule and parameter, defaults included): a starting point for
    /// a user's own file.
    pub fn to_toml(&self) -> String {
        let table = self.table();
        let mut out = String::from("# voicemail-coach rulebook: every rule with its parameters.\n");
        for r in RULES {
            let values = &table[r.id];
            out += &format!(
                "\n# {}\n# source: {}\n[rules.\"{}\"]\nenabled = {}\n",
                r.measures, r.source, r.id, values["enabled"]
            );
            for p in r.params {
                out += &format!("# {}\n{} = {}\n", p.doc, p.name, values[p.name]);
            }
        }
        out += "\n# The forms the suggested message is written in, the first that fits first; forms of\n\
                # your own replace these. Slots: {prospect}, {caller}, {number} (always said, a marked\n\
                # slot when not heard); {referrer}, {when}, {reason} (a sentence holding one is said\n\
                # only when the caller made that part). `needs`: parts the form requires.\n";
        for f in &self.forms {
            let list = |xs: &[String]| {
                let quoted: Vec<Value> = xs.iter().map(|x| Value::from(x.as_str())).collect();
                Value::from(quoted).to_string()
            };
            out += &format!(
                "[[forms]]\nname = {}\nsource = {}\nneeds = {}\nsentences = {}\n",
                Value::from(f.name.as_str()),
                Value::from(f.source.as_str()),
                list(&f.needs),
                list(&f.sentences)
            );
        }
        out
    }
}

/// Why `v` is not an allowed value of `p`, if it is not.
fn check_param(p: &Param, v: &Value) -> std::result::Result<(), String> {
    let name = p.name;
    match p.kind {
        Kind::Number { min, max } => match v.as_f64().filter(|x| x.is_finite()) {
            None => Err(format!("`{name}` must be a finite number, not {v}")),
            Some(x) if !(min..=max).contains(&x) => Err(format!(
                "`{name}` = {x} is outside {min}..={max} ({})",
                p.doc
            )),
            Some(_) => Ok(()),
        },
        Kind::Bool => Ok(()),
        Kind::Phrases => match v.as_array() {
            Some(list)
                if list
                    .iter()
                    .all(|s| s.as_str().is_some_and(|s| !s.trim().is_empty())) =>
            {
                Ok(())
            }
            _ => Err(format!("`{name}` holds an empty phrase")),
        },
    }
}

/// Judges a report by every enabled rule, in [`RULES`] order. Rules that need words are
/// `not_applicable` without a transcript, and every rule is `not_applicable` on a report whose
/// [`status`](Report::status) is [`Status::NoSpeech`]; `campaign.variation` is `not_applicable`
/// for a single recording ([`crate::campaign::evaluate`] judges it across recordings).
pub fn evaluate(r: &Report, book: &Rulebook, ctx: &Context) -> Vec<Advice> {
    verdicts(r, book, ctx).into_iter().map(|(a, _)| a).collect()
}

/// Judges `r` by every rule that is on, putting the verdicts in its `advice` and what the rules
/// ask to be said besides (a number the transcriber doubts) in its `notices`.
pub(crate) fn judge_report(r: &mut Report, book: &Rulebook, ctx: &Context) {
    let (advice, notices): (Vec<Advice>, Vec<Option<String>>) =
        verdicts(r, book, ctx).into_iter().unzip();
    r.advice = advice;
    r.notices.extend(notices.into_iter().flatten());
}

/// Each rule's verdict on `r`, with the notice it asks for.
fn verdicts(r: &Report, book: &Rulebook, ctx: &Context) -> Vec<(Advice, Option<String>)> {
    let measured = Measured::new(r, &book.rules);
    RULES
        .iter()
        .filter_map(|rule| judge(rule, &measured, book, ctx))
        .collect()
}

/// Judges a report again by the rules `ids` (with facts `ctx` has that the first judgement
/// lacked, such as a campaign's), putting each verdict in place of the report's entry for the
/// rule. The report is measured once for all of them; rules that are off are left as they were.
pub(crate) fn rejudge(r: &mut Report, ids: &[&str], book: &Rulebook, ctx: &Context) {
    if ids.is_empty() {
        return;
    }
    let measured = Measured::new(r, &book.rules);
    let fresh: Vec<Advice> = ids
        .iter()
        .filter_map(|id| judge(rule(id)?, &measured, book, ctx))
        .map(|(advice, _)| advice)
        .collect();
    for advice in fresh {
        match r.advice.iter_mut().find(|a| a.rule == advice.rule) {
            Some(a) => *a = advice,
            None => r.advice.push(advice),
        }
    }
}

/// What every rule says of a recording without speech.
const NO_SPEECH: &str = "No speech found in the recording: nothing to judge.";

/// Judges a report by one rule; `None` when the rule is off. A recording without speech
/// (silence, noise, a tone, music) is judged by no rule: nothing the caller said can be, so every
/// rule is not applicable rather than judged on the noise.
fn judge(
    rule: &Rule,
    m: &Measured,
    book: &Rulebook,
    ctx: &Context,
) -> Option<(Advice, Option<String>)> {
    let mut j = (rule.judge)(&book.rules, m, ctx)?;
    if m.r.status == Status::NoSpeech {
        j.verdict = Verdict::NotApplicable;
        j.message = NO_SPEECH.to_string();
        j.evidence.clear();
        j.notice = None;
    }
    let advice = Advice {
        rule: rule.id.to_string(),
        verdict: j.verdict,
        measured: j.measured.filter(|x| x.is_finite()),
        target: j.target,
        message: j.message,
        source: rule.source.to_string(),
        evidence: j.evidence,
    };
    Some((advice, j.notice))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed structs and the metadata name the same rules and parameters, in one order.
    #[test]
    fn structs_and_metadata_agree() {
        let table = Rulebook::default().table();
        let mut ids: Vec<&str> = table
            .as_object()
            .map(|t| t.keys().map(String::as_str).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        let mut listed: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        listed.sort_unstable();
        assert_eq!(ids, listed);
        for r in RULES {
            let mut fields: Vec<&str> = table[r.id]
                .as_object()
                .map(|t| t.keys().map(String::as_str).collect())
                .unwrap_or_default();
            fields.retain(|f| *f != "enabled");
            fields.sort_unstable();
            let mut names: Vec<&str> = r.params.iter().map(|p| p.name).collect();
            names.sort_unstable();
            assert_eq!(fields, names, "{}", r.id);
            for (lo, hi) in r.ordered {
                assert!(names.contains(lo) && names.contains(hi), "{}", r.id);
            }
        }
        assert!(Rulebook::default().check().is_ok());
    }

    #[test]
    fn the_default_toml_reads_back_as_the_defaults() {
        let book = Rulebook::default();
        assert_eq!(Rulebook::from_toml_str(&book.to_toml()).ok(), Some(book));
    }

    #[test]
    fn values_set_in_code_are_checked() {
        let mut book = Rulebook::default();
        book.rules.length_max.pass_max_s = f64::NAN;
        assert!(book.check().is_err());
        let mut book = Rulebook::default();
        book.rules.pitch_warm.pass_min_stdev_st = 1.0; // below the warn limit
        assert!(book.check().is_err());
        let mut book = Rulebook::default();
        book.rules.content_fillers.phrases.push(" ".into());
        assert!(book.check().is_err());
    }
}
