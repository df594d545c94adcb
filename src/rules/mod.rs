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
//! assert_eq!(book.number("length.max", "pass_max_s"), 25.0);
//! assert!(!book.is_enabled("content.fillers"));
//! assert!(Rulebook::from_toml_str("[rules.\"length.maximum\"]").is_err());
//! # Ok::<(), voicemail_coach::Error>(())
//! ```
//!
//! The same in JSON: `{"rules": {"length.max": {"pass_max_s": 25.0}, "content.fillers":
//! {"enabled": false}}}`. [`RULES`] lists every rule and parameter with its default.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::content::{self, PhraseMatch};
use crate::error::{Error, Result};
use crate::numbers;
use crate::report::{Advice, PhoneNumber, Report, Span, Verdict};
use crate::Context;

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

/// A rule parameter: name, meaning, kind and default.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its key in a rulebook file.
    pub name: &'static str,
    /// What it means, with its unit.
    pub doc: &'static str,
    /// Its kind and bounds.
    pub kind: Kind,
    default: fn() -> Value,
}

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
}

macro_rules! num {
    ($name:expr, $doc:expr, $default:expr, $min:expr, $max:expr) => {
        Param {
            name: $name,
            doc: $doc,
            kind: Kind::Number {
                min: $min,
                max: $max,
            },
            default: || Value::from($default as f64),
        }
    };
}

macro_rules! flag {
    ($name:expr, $doc:expr, $default:expr) => {
        Param {
            name: $name,
            doc: $doc,
            kind: Kind::Bool,
            default: || Value::from($default),
        }
    };
}

macro_rules! phrases {
    ($name:expr, $doc:expr, $default:path) => {
        Param {
            name: $name,
            doc: $doc,
            kind: Kind::Phrases,
            default: || Value::from($default()),
        }
    };
}

/// Every rule, in the order the report lists them.
pub const RULES: &[Rule] = &[
    Rule {
        id: "length.max",
        measures: "speech span (first to last sounding frame), seconds",
        source: "Kelley Robertson, 'Are Your Voicemails Not Getting Returned?'; Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'",
        params: &[
            num!("pass_max_s", "longest span that passes, s", 20.0, 1.0, 600.0),
            num!("warn_max_s", "longest span that only warns, s", 30.0, 1.0, 600.0),
        ],
        ordered: &[("pass_max_s", "warn_max_s")],
    },
    Rule {
        id: "length.min",
        measures: "speech span, seconds, and whether a name and a callback route are left",
        source: ROBERTSON,
        params: &[
            num!("warn_below_s", "shorter spans warn as too cryptic, s", 5.0, 0.0, 60.0),
            flag!("require_name_and_route", "warn without both a name and a number or promised callback", true),
        ],
        ordered: &[],
    },
    Rule {
        id: "rate.overall",
        measures: "words per minute over the speech span (syllables per second without a transcript)",
        source: "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'; outside figures: Read.ai's 130-175 wpm band, contact-centre guidance of 120-150 wpm",
        params: &[
            num!("pass_min_wpm", "slower than this warns, words/min", 120.0, 30.0, 400.0),
            num!("pass_max_wpm", "fastest rate that passes, words/min", 160.0, 30.0, 400.0),
            num!("warn_max_wpm", "fastest rate that only warns, words/min", 175.0, 30.0, 400.0),
            num!("pass_max_sps", "without a transcript: fastest speech rate that passes, syllables/s", 4.0, 0.5, 10.0),
            num!("warn_max_sps", "without a transcript: fastest speech rate that only warns, syllables/s", 4.4, 0.5, 10.0),
        ],
        ordered: &[("pass_min_wpm", "pass_max_wpm"), ("pass_max_wpm", "warn_max_wpm"), ("pass_max_sps", "warn_max_sps")],
    },
    Rule {
        id: "rate.details",
        measures: "speaking rate while saying the name and number over the rate of the rest (syllables per second of phonation)",
        source: MEWSE,
        params: &[
            // Names and digits come out at about 0.8-0.9 of running speech's syllable rate even
            // when nobody slows down (every digit a stressed word); "slower than the rest" means
            // clearly under that: 0.5-0.7 in the slow renders of the seed messages.
            num!("pass_max_ratio", "largest details/rest rate ratio that passes", 0.75, 0.1, 3.0),
            num!("warn_max_ratio", "largest ratio that only warns", 0.80, 0.1, 3.0),
        ],
        ordered: &[("pass_max_ratio", "warn_max_ratio")],
    },
    Rule {
        id: "number.pace",
        measures: "digits per second across each callback number, and the pauses between its digit groups",
        source: MEWSE,
        params: &[
            num!("max_digits_per_second", "fastest pace that passes, digits/s", 2.5, 0.5, 10.0),
            num!("warn_max_digits_per_second", "fastest pace that only warns, digits/s", 3.0, 0.5, 10.0),
            num!("min_group_gap_s", "shortest pause between digit groups that passes, s", 0.25, 0.0, 5.0),
        ],
        ordered: &[("max_digits_per_second", "warn_max_digits_per_second")],
    },
    Rule {
        id: "number.present",
        measures: "a callback number, or a promised callback date and time",
        source: "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'; Colleen Francis, 'The gatekeepers'",
        params: &[flag!("accept_promise", "a dated callback promise stands in for a number", true)],
        ordered: &[],
    },
    Rule {
        id: "number.clarity",
        measures: "how sure a listener can be of each callback number: the confidence in its digits and the digits two readings of it disagree on",
        source: "Matthew Mewse, 'How to get people to call you back' (\"slow down when you leave your details\"); Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back' (\"please give me a call at...\")",
        params: &[
            num!("pass_min_confidence", "least confidence in a number's digits that passes, 0-1", 0.8, 0.0, 1.0),
            num!("warn_min_confidence", "least confidence that only warns, 0-1", 0.5, 0.0, 1.0),
        ],
        ordered: &[("warn_min_confidence", "pass_min_confidence")],
    },
    Rule {
        id: "number.matches",
        measures: "the number heard against the number the caller meant to leave",
        source: MEWSE,
        params: &[],
        ordered: &[],
    },
    Rule {
        id: "name.early",
        measures: "when the caller says who they are, seconds after speech starts",
        source: "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'; Colleen Francis, 'The gatekeepers'; Matthew Mewse, 'How to get people to call you back'",
        params: &[num!("within_s", "latest start of the name that passes, s after speech starts", 5.0, 0.5, 60.0)],
        ordered: &[],
    },
    Rule {
        id: "pitch.confident",
        measures: "share of phrase endings whose pitch rises (uptalk)",
        source: CLARK,
        params: &[
            num!("rise_st", "a terminal rise above this counts as rising, semitones", 2.0, 0.1, 24.0),
            num!("max_rising_fraction", "largest share of rising endings that passes", 0.34, 0.0, 1.0),
        ],
        ordered: &[],
    },
    Rule {
        id: "pitch.warm",
        measures: "pitch variation over voiced speech, semitones (standard deviation)",
        source: "Matthew Mewse, 'How to get people to call you back'; Colleen Francis, 'The gatekeepers'",
        params: &[
            num!("pass_min_stdev_st", "least variation that passes, semitones", 2.0, 0.0, 24.0),
            num!("warn_min_stdev_st", "least variation that only warns, semitones", 1.5, 0.0, 24.0),
        ],
        ordered: &[("warn_min_stdev_st", "pass_min_stdev_st")],
    },
    Rule {
        id: "pitch.baseline",
        measures: "median pitch against the caller's own baseline, semitones above it",
        source: CLARK,
        params: &[
            num!("pass_max_st", "highest median that passes, semitones above the baseline", 0.0, -12.0, 12.0),
            num!("warn_max_st", "highest median that only warns, semitones above the baseline", 1.0, -12.0, 12.0),
        ],
        ordered: &[("pass_max_st", "warn_max_st")],
    },
    Rule {
        id: "level",
        measures: "speech level, background and clipping",
        source: MEWSE,
        params: &[
            num!("min_speech_dbfs", "quieter speech warns, dBFS", -35.0, -90.0, 0.0),
            num!("min_snr_db", "less speech-to-background distance warns, dB", 15.0, 0.0, 90.0),
            num!("max_clipped_runs", "more runs of clipped samples fail", 0.0, 0.0, 1e9),
        ],
        ordered: &[],
    },
    Rule {
        id: "opening.dead_air",
        measures: "silence before the first word, seconds",
        source: ROBERTSON,
        params: &[
            num!("pass_max_s", "longest opening silence that passes, s", 1.5, 0.0, 60.0),
            num!("warn_max_s", "longest opening silence that only warns, s", 3.0, 0.0, 60.0),
        ],
        ordered: &[("pass_max_s", "warn_max_s")],
    },
    Rule {
        id: "content.pitch",
        measures: "company, product or offer talk in the opening seconds",
        source: "Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'; Kelley Robertson, 'Are Your Voicemails Not Getting Returned?'",
        params: &[
            num!("within_s", "pitching before this many seconds after speech starts fails, s", 10.0, 0.0, 600.0),
            phrases!("phrases", "what counts as pitching", content::default_pitch_phrases),
        ],
        ordered: &[],
    },
    Rule {
        id: "content.cliches",
        measures: "stock phrases",
        source: "Kelley Robertson, 'Are Your Voicemails Not Getting Returned?'; Steve Clark, 'Using Voice Mail as a Prospecting Tool: How to get 'em to call you back'",
        params: &[
            num!("warn_max", "this many stock phrases only warn; more fail", 1.0, 0.0, 100.0),
            phrases!("phrases", "the stock phrases", content::default_cliches),
        ],
        ordered: &[],
    },
    Rule {
        id: "content.referral",
        measures: "a referral mention ('X asked that I call you'); informational",
        source: FRANCIS,
        params: &[
            flag!("warn_when_absent", "warn when no referral is mentioned (Francis leaves voicemails only when referred)", false),
            phrases!("phrases", "what counts as a referral", content::default_referral_phrases),
        ],
        ordered: &[],
    },
    Rule {
        id: "content.callback_promise",
        measures: "a promised callback on a specific day or time; informational",
        source: FRANCIS,
        params: &[
            flag!("warn_when_absent", "warn when no callback is promised", false),
            phrases!("phrases", "what counts as a callback promise", content::default_promise_phrases),
        ],
        ordered: &[],
    },
    Rule {
        id: "content.fillers",
        measures: "filler words (um, uh, er) per minute of speech",
        source: "outside figures: Read.ai (fillers under 4 % of words), speech coaches",
        params: &[
            num!("pass_max_per_minute", "most fillers per minute that pass", 5.0, 0.0, 100.0),
            num!("warn_max_per_minute", "most fillers per minute that only warn", 8.0, 0.0, 100.0),
            phrases!("phrases", "the fillers", content::default_fillers),
        ],
        ordered: &[("pass_max_per_minute", "warn_max_per_minute")],
    },
    Rule {
        id: "campaign.variation",
        measures: "word-level similarity of each message to the one before it to the same prospect",
        source: ROBERTSON,
        params: &[num!("max_similarity", "most similarity that passes (0 = no words shared, 1 = the same words)", 0.7, 0.0, 1.0)],
        ordered: &[],
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One rule's settings.
#[derive(Debug, Clone, PartialEq)]
struct Settings {
    enabled: bool,
    values: BTreeMap<&'static str, Value>,
}

/// Thresholds and switches for every rule. [`Rulebook::default`] holds the defaults in
/// [`RULES`]; a user's file overrides some of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Rulebook {
    settings: BTreeMap<&'static str, Settings>,
}

impl Default for Rulebook {
    fn default() -> Self {
        let settings = RULES
            .iter()
            .map(|r| {
                let values = r.params.iter().map(|p| (p.name, (p.default)())).collect();
                (
                    r.id,
                    Settings {
                        enabled: true,
                        values,
                    },
                )
            })
            .collect();
        Rulebook { settings }
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
        Self::from_value(&v, origin)
    }

    fn parse_json(text: &str, origin: &str) -> Result<Self> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| bad(origin, format!("not valid JSON: {e}")))?;
        Self::from_value(&v, origin)
    }

    /// The defaults overridden by a parsed rulebook: `{"rules": {"<id>": {"<param>": value,
    /// "enabled": bool}}}`.
    fn from_value(v: &Value, origin: &str) -> Result<Self> {
        let mut book = Rulebook::default();
        let top = v
            .as_object()
            .ok_or_else(|| bad(origin, "expected a table with a `rules` table".into()))?;
        for key in top.keys() {
            if key != "rules" {
                return Err(bad(
                    origin,
                    format!("unknown top-level key `{key}` (only `rules`)"),
                ));
            }
        }
        let Some(rules) = top.get("rules") else {
            return Ok(book);
        };
        let rules = rules
            .as_object()
            .ok_or_else(|| bad(origin, "`rules` must be a table of rule ids".into()))?;
        for (id, table) in rules {
            rule(id).ok_or_else(|| {
                let known: Vec<&str> = RULES.iter().map(|r| r.id).collect();
                bad(
                    origin,
                    format!("unknown rule `{id}`; known rules: {}", known.join(", ")),
                )
            })?;
            let table = table.as_object().ok_or_else(|| {
                bad(
                    origin,
                    format!("rule `{id}`: expected a table of parameters"),
                )
            })?;
            for (name, value) in table {
                if name == "enabled" {
                    let on = value.as_bool().ok_or_else(|| {
                        bad(
                            origin,
                            format!("rule `{id}`: `enabled` must be true or false, not {value}"),
                        )
                    })?;
                    book.set_enabled(id, on)?;
                } else {
                    book.set(id, name, value.clone()).map_err(|e| match e {
                        Error::Rulebook { reason, .. } => bad(origin, reason),
                        other => other,
                    })?;
                }
            }
        }
        book.check_order(origin)?;
        Ok(book)
    }

    fn check_order(&self, origin: &str) -> Result<()> {
        for r in RULES {
            for &(lo, hi) in r.ordered {
                let (a, b) = (self.number(r.id, lo), self.number(r.id, hi));
                if a > b {
                    return Err(bad(
                        origin,
                        format!("rule `{}`: `{lo}` ({a}) must not exceed `{hi}` ({b})", r.id),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Switches a rule on or off.
    pub fn set_enabled(&mut self, id: &str, on: bool) -> Result<()> {
        let s = self
            .settings
            .iter_mut()
            .find(|(k, _)| **k == id)
            .map(|(_, s)| s)
            .ok_or_else(|| bad("<rulebook>", format!("unknown rule `{id}`")))?;
        s.enabled = on;
        Ok(())
    }

    /// Sets a parameter, checking its kind and bounds.
    pub fn set(&mut self, id: &str, name: &str, value: Value) -> Result<()> {
        let spec = rule(id).ok_or_else(|| bad("<rulebook>", format!("unknown rule `{id}`")))?;
        let param = spec.params.iter().find(|p| p.name == name).ok_or_else(|| {
            let mut known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
            known.push("enabled");
            bad(
                "<rulebook>",
                format!(
                    "rule `{id}`: unknown parameter `{name}`; known: {}",
                    known.join(", ")
                ),
            )
        })?;
        let value = match param.kind {
            Kind::Number { min, max } => {
                let x = value.as_f64().filter(|x| x.is_finite()).ok_or_else(|| {
                    bad(
                        "<rulebook>",
                        format!("rule `{id}`: `{name}` must be a number, not {value}"),
                    )
                })?;
                if !(min..=max).contains(&x) {
                    return Err(bad(
                        "<rulebook>",
                        format!(
                            "rule `{id}`: `{name}` = {x} is outside {min}..={max} ({})",
                            param.doc
                        ),
                    ));
                }
                Value::from(x)
            }
            Kind::Bool => {
                let b = value.as_bool().ok_or_else(|| {
                    bad(
                        "<rulebook>",
                        format!("rule `{id}`: `{name}` must be true or false, not {value}"),
                    )
                })?;
                Value::from(b)
            }
            Kind::Phrases => {
                let list = value.as_array().ok_or_else(|| {
                    bad(
                        "<rulebook>",
                        format!("rule `{id}`: `{name}` must be a list of phrases"),
                    )
                })?;
                let mut out = Vec::with_capacity(list.len());
                for p in list {
                    match p.as_str().map(str::trim) {
                        Some(s) if !s.is_empty() => out.push(Value::from(s)),
                        _ => {
                            return Err(bad(
                                "<rulebook>",
                                format!("rule `{id}`: `{name}` holds {p}, not a non-empty phrase"),
                            ))
                        }
                    }
                }
                Value::from(out)
            }
        };
        if let Some(s) = self.settings.iter_mut().find(|(k, _)| **k == id) {
            s.1.values.insert(param.name, value);
        }
        Ok(())
    }

    /// Whether the rule is on.
    pub fn is_enabled(&self, id: &str) -> bool {
        self.settings.get(id).is_some_and(|s| s.enabled)
    }

    /// A number parameter (NaN for an unknown rule or parameter: a programming error caught by
    /// the tests, which read every parameter).
    pub fn number(&self, id: &str, name: &str) -> f64 {
        self.value(id, name)
            .and_then(Value::as_f64)
            .unwrap_or(f64::NAN)
    }

    /// A true/false parameter (`false` when unknown).
    pub fn flag(&self, id: &str, name: &str) -> bool {
        self.value(id, name)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// A phrase-list parameter (empty when unknown).
    pub fn phrases(&self, id: &str, name: &str) -> Vec<String> {
        self.value(id, name)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn value(&self, id: &str, name: &str) -> Option<&Value> {
        self.settings.get(id)?.values.get(name)
    }

    /// The rulebook as TOML (every rule and parameter, defaults included): a starting point for
    /// a user's own file.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("# voicemail-coach rulebook: every rule with its parameters.\n");
        for r in RULES {
            out += &format!(
                "\n# {}\n# source: {}\n[rules.\"{}\"]\n",
                r.measures, r.source, r.id
            );
            out += &format!("enabled = {}\n", self.is_enabled(r.id));
            for p in r.params {
                let v = self.value(r.id, p.name).cloned().unwrap_or(Value::Null);
                out += &format!("# {}\n{} = {}\n", p.doc, p.name, v);
            }
        }
        out
    }
}

/// One verdict in the making.
struct Judged {
    verdict: Verdict,
    measured: Option<f64>,
    target: String,
    message: String,
    evidence: Vec<Span>,
}

fn na(target: String, message: &str) -> Judged {
    Judged {
        verdict: Verdict::NotApplicable,
        measured: None,
        target,
        message: message.to_string(),
        evidence: Vec::new(),
    }
}

/// Pass at or below `pass`, warn at or below `warn`, fail above.
fn grade_upper(x: f64, pass: f64, warn: f64) -> Verdict {
    if x <= pass {
        Verdict::Pass
    } else if x <= warn {
        Verdict::Warn
    } else {
        Verdict::Fail
    }
}

fn speech_span(r: &Report) -> Option<Span> {
    match (r.speech.start_s, r.speech.end_s) {
        (Some(a), Some(b)) if b > a => Some(Span {
            start_s: a,
            end_s: b,
        }),
        _ => None,
    }
}

fn spans(m: &[PhraseMatch]) -> Vec<Span> {
    m.iter().map(PhraseMatch::span).collect()
}

fn quoted(m: &[PhraseMatch]) -> String {
    m.iter()
        .map(|m| {
            format!(
                "\"{}\" at {:.1} s",
                m.text.trim_end_matches(['.', ',']),
                m.start_s
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Callback promises found, with whether each names a day or time.
fn promises(r: &Report, book: &Rulebook) -> Vec<(PhraseMatch, bool)> {
    let Some(t) = &r.transcript else {
        return Vec::new();
    };
    let found = content::find_phrases(
        &t.words,
        &book.phrases("content.callback_promise", "phrases"),
    );
    found
        .into_iter()
        .map(|m| {
            let from = t
                .words
                .iter()
                .position(|w| w.start_s >= m.start_s)
                .unwrap_or(0);
            let dated = content::names_a_time(&t.words, from);
            (m, dated)
        })
        .collect()
}

/// The verdict on one mention of a number by its clarity.
fn clarity_of(p: &PhoneNumber, pass: f64, warn: f64) -> Verdict {
    if p.confidence < warn {
        Verdict::Fail
    } else if p.confidence < pass || !p.unclear_digits.is_empty() {
        Verdict::Warn
    } else {
        Verdict::Pass
    }
}

/// Which digits of `p` a listener may mishear, what they may hear instead and where to listen.
fn unclear_note(p: &PhoneNumber) -> String {
    let spans = unclear_spans(p);
    let at: Vec<String> = spans
        .iter()
        .map(|s| format!("{:.1}-{:.1} s", s.start_s, s.end_s))
        .collect();
    let which = if p.unclear_digits.is_empty() {
        "its digits are unsure throughout".to_string()
    } else {
        let list: Vec<String> = p
            .unclear_digits
            .iter()
            .filter_map(|&i| {
                p.digits
                    .get(i..=i)
                    .map(|d| format!("digit {} ({d})", i + 1))
            })
            .collect();
        format!("{} may be misheard", list.join(", "))
    };
    let alternatives: Vec<&str> = p.alternatives.iter().map(|a| a.digits.as_str()).collect();
    let maybe = if alternatives.is_empty() {
        String::new()
    } else {
        format!(", heard also as {}", alternatives.join(" or "))
    };
    format!(
        "{} (confidence {:.2}): {which}{maybe}; listen at {}.",
        p.grouped(),
        p.confidence,
        at.join(", ")
    )
}

/// The digit groups holding `p`'s unclear digits, once each; the whole number when none is
/// marked.
fn unclear_spans(p: &PhoneNumber) -> Vec<Span> {
    if p.unclear_digits.is_empty() {
        return vec![Span {
            start_s: p.start_s,
            end_s: p.end_s,
        }];
    }
    let mut out: Vec<Span> = Vec::new();
    for &i in &p.unclear_digits {
        let s = numbers::digit_span(p, i);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// `number.clarity`: each number judged by its clearest mention (a number said twice is clear
/// when either mention is); the verdict is the worst over the numbers.
fn judge_clarity(r: &Report, pass: f64, warn: f64, target: String) -> Judged {
    if r.phone_numbers.is_empty() {
        return na(target, "No callback number heard.");
    }
    let root = |mut i: usize| {
        while let Some(j) = r.phone_numbers[i].repeat_of.filter(|&j| j < i) {
            i = j;
        }
        i
    };
    // The clearest mention of each number: (root, mention).
    let mut clearest: Vec<(usize, usize)> = Vec::new();
    for i in 0..r.phone_numbers.len() {
        let key = |k: usize| {
            let q = &r.phone_numbers[k];
            (rank(clarity_of(q, pass, warn)), -q.confidence)
        };
        match clearest.iter_mut().find(|(k, _)| *k == root(i)) {
            Some(best) if key(i) < key(best.1) => best.1 = i,
            Some(_) => {}
            None => clearest.push((root(i), i)),
        }
    }
    let mut worst = Verdict::Pass;
    let mut notes = Vec::new();
    let mut evidence = Vec::new();
    let mut measured = f64::INFINITY;
    for &(_, i) in &clearest {
        let p = &r.phone_numbers[i];
        let v = clarity_of(p, pass, warn);
        measured = measured.min(p.confidence);
        if rank(v) > rank(worst) {
            worst = v;
        }
        if v != Verdict::Pass {
            notes.push(unclear_note(p));
            evidence.extend(unclear_spans(p));
        }
    }
    let message = if worst == Verdict::Pass {
        let heard: Vec<String> = clearest
            .iter()
            .map(|&(_, i)| r.phone_numbers[i].grouped())
            .collect();
        format!("Every digit is clear: {}.", heard.join(", "))
    } else {
        format!(
            "A listener may not take the number down right: {} Slow down on those digits and say the number in groups, 3-3-4.",
            notes.join(" ")
        )
    };
    Judged {
        verdict: worst,
        measured: Some(measured),
        target,
        message,
        evidence,
    }
}

/// Judges a report by every enabled rule, in [`RULES`] order. Rules that need words are
/// `not_applicable` without a transcript; `campaign.variation` is `not_applicable` for a single
/// recording ([`crate::campaign::evaluate`] judges it across recordings).
pub fn evaluate(r: &Report, book: &Rulebook, ctx: &Context) -> Vec<Advice> {
    RULES
        .iter()
        .filter_map(|rule| advise(rule.id, r, book, ctx))
        .collect()
}

/// Judges a report by one rule; `None` when the rule is off (or unknown).
pub(crate) fn advise(id: &str, r: &Report, book: &Rulebook, ctx: &Context) -> Option<Advice> {
    let rule = rule(id).filter(|rule| book.is_enabled(rule.id))?;
    let j = judge(rule.id, r, book, ctx);
    Some(Advice {
        rule: rule.id.to_string(),
        verdict: j.verdict,
        measured: j.measured.filter(|x| x.is_finite()),
        target: j.target,
        message: j.message,
        source: rule.source.to_string(),
        evidence: j.evidence,
    })
}

const NO_WORDS: &str = "Needs a transcript: run with a whisper model to judge the words.";

fn judge(id: &str, r: &Report, book: &Rulebook, ctx: &Context) -> Judged {
    let n = |p: &str| book.number(id, p);
    let words = r.transcript.as_ref().map(|t| t.words.as_slice());
    let span = speech_span(r);
    match id {
        "length.max" => {
            let (pass, warn) = (n("pass_max_s"), n("warn_max_s"));
            let target = format!("<= {pass:.0} s ideal, <= {warn:.0} s at most");
            let Some(s) = span else {
                return na(target, "No speech found.");
            };
            let len = s.end_s - s.start_s;
            let verdict = grade_upper(len, pass, warn);
            let message = match verdict {
                Verdict::Pass => format!("{len:.1} s: short enough to be heard to the end."),
                _ => format!(
                    "{len:.1} s: cut it to {pass:.0} s or less; most voicemails are deleted within 20 s."
                ),
            };
            Judged {
                verdict,
                measured: Some(len),
                target,
                message,
                evidence: vec![s],
            }
        }
        "length.min" => {
            let min = n("warn_below_s");
            let target =
                format!(">= {min:.0} s, with a name and a callback number or promised callback");
            let Some(s) = span else {
                return na(target, "No speech found.");
            };
            let len = s.end_s - s.start_s;
            if len < min {
                return Judged {
                    verdict: Verdict::Warn,
                    measured: Some(len),
                    target,
                    message: format!(
                        "{len:.1} s is too cryptic: give enough to make them want to call back."
                    ),
                    evidence: vec![s],
                };
            }
            if book.flag(id, "require_name_and_route") && words.is_some() {
                let name = r.introduction.is_some();
                let route = !r.phone_numbers.is_empty() || promises(r, book).iter().any(|p| p.1);
                if !(name && route) {
                    let missing = match (name, route) {
                        (false, false) => "your name and a callback number",
                        (false, true) => "your name",
                        _ => "a callback number",
                    };
                    return Judged {
                        verdict: Verdict::Warn,
                        measured: Some(len),
                        target,
                        message: format!(
                            "Leave {missing}: without it the message is too cryptic to act on."
                        ),
                        evidence: vec![s],
                    };
                }
            }
            Judged {
                verdict: Verdict::Pass,
                measured: Some(len),
                target,
                message: "Long enough to say who you are and how to reach you.".into(),
                evidence: vec![s],
            }
        }
        "rate.overall" => {
            let (lo, hi, warn) = (n("pass_min_wpm"), n("pass_max_wpm"), n("warn_max_wpm"));
            let Some(s) = span else {
                return na(format!("{lo:.0}-{hi:.0} words/min"), "No speech found.");
            };
            if let Some(wpm) = r.rate.words_per_minute.filter(|_| words.is_some()) {
                let target = format!("{lo:.0}-{hi:.0} words/min (warn to {warn:.0})");
                let verdict = if wpm < lo {
                    Verdict::Warn
                } else {
                    grade_upper(wpm, hi, warn)
                };
                let message = if wpm < lo {
                    format!("{wpm:.0} words/min is slow enough to drag; keep it moving.")
                } else if verdict == Verdict::Pass {
                    format!("{wpm:.0} words/min: an unhurried pace.")
                } else {
                    format!("{wpm:.0} words/min: slow down your rate of speech to {hi:.0} or less.")
                };
                return Judged {
                    verdict,
                    measured: Some(wpm),
                    target,
                    message,
                    evidence: vec![s],
                };
            }
            let (pass, warn) = (n("pass_max_sps"), n("warn_max_sps"));
            let target = format!("<= {pass:.1} syllables/s (no transcript)");
            match r.rate.speech_rate_sps {
                Some(sps) => {
                    let verdict = grade_upper(sps, pass, warn);
                    let message = if verdict == Verdict::Pass {
                        format!("{sps:.1} syllables/s: an unhurried pace.")
                    } else {
                        format!("{sps:.1} syllables/s: slow down your rate of speech.")
                    };
                    Judged {
                        verdict,
                        measured: Some(sps),
                        target,
                        message,
                        evidence: vec![s],
                    }
                }
                None => na(target, "No speaking rate measured."),
            }
        }
        "rate.details" => {
            let (pass, warn) = (n("pass_max_ratio"), n("warn_max_ratio"));
            let target = format!(
                "name and number at <= {:.0} % of the rest's rate",
                pass * 100.0
            );
            if words.is_none() {
                return na(target, NO_WORDS);
            }
            let p = &r.pacing;
            let mut evidence: Vec<Span> = p.name.into_iter().collect();
            evidence.extend(p.numbers.iter().copied());
            let (Some(ratio), Some(d), Some(rest)) = (p.ratio, p.details_sps, p.rest_sps) else {
                return na(
                    target,
                    "No name or number found to compare with the rest of the message.",
                );
            };
            let verdict = grade_upper(ratio, pass, warn);
            let message = if verdict == Verdict::Pass {
                format!(
                    "Your name and number ({d:.1} syll/s) come slower than the rest ({rest:.1} syll/s): easy to take down."
                )
            } else {
                format!(
                    "Slow down for your name and number: {d:.1} syll/s against {rest:.1} for the rest of the message."
                )
            };
            Judged {
                verdict,
                measured: Some(ratio),
                target,
                message,
                evidence,
            }
        }
        "number.pace" => {
            let (max, warn, gap) = (
                n("max_digits_per_second"),
                n("warn_max_digits_per_second"),
                n("min_group_gap_s"),
            );
            let target = format!("<= {max:.1} digits/s, >= {gap:.2} s between digit groups");
            if words.is_none() {
                return na(target, NO_WORDS);
            }
            // Judge each distinct number (a repeat is judged too: it is heard again).
            let mut worst = Verdict::Pass;
            let mut measured: f64 = 0.0;
            let mut notes = Vec::new();
            let mut evidence = Vec::new();
            for p in &r.phone_numbers {
                let dps = p.digits_per_second;
                let min_gap = p.group_gaps_s.iter().copied().fold(f64::INFINITY, f64::min);
                let mut v = grade_upper(dps, max, warn);
                if v == Verdict::Pass && (p.groups.len() < 2 || min_gap < gap) {
                    v = Verdict::Warn;
                }
                if rank(v) > rank(worst) {
                    worst = v;
                }
                measured = measured.max(dps);
                evidence.push(Span {
                    start_s: p.start_s,
                    end_s: p.end_s,
                });
                let gaps = if p.groups.len() < 2 {
                    "in one breath".to_string()
                } else {
                    format!("shortest group pause {min_gap:.2} s")
                };
                notes.push(format!("{} at {dps:.1} digits/s, {gaps}", p.grouped()));
            }
            if r.phone_numbers.is_empty() {
                return na(target, "No callback number heard.");
            }
            let message = match worst {
                Verdict::Pass => format!(
                    "Number said at a pace that can be written down ({}).",
                    notes.join("; ")
                ),
                _ => format!(
                    "Say the number slower, in groups (3-3-4) with a pause between them: {}.",
                    notes.join("; ")
                ),
            };
            Judged {
                verdict: worst,
                measured: Some(measured),
                target,
                message,
                evidence,
            }
        }
        "number.present" => {
            let target = "a callback number, or a promised callback day and time".to_string();
            if words.is_none() {
                return na(target, NO_WORDS);
            }
            if let Some(p) = r.phone_numbers.first() {
                return Judged {
                    verdict: Verdict::Pass,
                    measured: Some(r.phone_numbers.len() as f64),
                    target,
                    message: format!("Callback number left: {}.", p.grouped()),
                    evidence: vec![Span {
                        start_s: p.start_s,
                        end_s: p.end_s,
                    }],
                };
            }
            let dated: Vec<PhraseMatch> = promises(r, book)
                .into_iter()
                .filter(|p| p.1)
                .map(|p| p.0)
                .collect();
            if book.flag(id, "accept_promise") && !dated.is_empty() {
                return Judged {
                    verdict: Verdict::Pass,
                    measured: Some(0.0),
                    target,
                    message: format!(
                        "No number, but a dated callback promise: {}. Call exactly then.",
                        quoted(&dated)
                    ),
                    evidence: spans(&dated),
                };
            }
            Judged {
                verdict: Verdict::Fail,
                measured: Some(0.0),
                target,
                message: "Leave your number (end with it), or promise the day and time you will call again.".into(),
                evidence: span.into_iter().collect(),
            }
        }
        "number.clarity" => {
            let target = format!(
                "every digit clear, confidence >= {:.2}",
                n("pass_min_confidence")
            );
            if words.is_none() {
                return na(target, NO_WORDS);
            }
            judge_clarity(
                r,
                n("pass_min_confidence"),
                n("warn_min_confidence"),
                target,
            )
        }
        "number.matches" => {
            let target = "the number heard equals the number meant".to_string();
            let Some(expected) = &ctx.expected_number else {
                return na(target, "No expected number given (--expect-number).");
            };
            if words.is_none() {
                return na(target, NO_WORDS);
            }
            let evidence: Vec<Span> = r
                .phone_numbers
                .iter()
                .map(|p| Span {
                    start_s: p.start_s,
                    end_s: p.end_s,
                })
                .collect();
            if let Some(p) = r
                .phone_numbers
                .iter()
                .find(|p| p.matches_expected == Some(true))
            {
                return Judged {
                    verdict: Verdict::Pass,
                    measured: Some(1.0),
                    target,
                    message: format!("The number is heard as meant: {}.", p.grouped()),
                    evidence,
                };
            }
            let closest = r.phone_numbers.iter().min_by_key(|p| p.differences.len());
            if let Some(p) = closest.filter(|p| numbers::may_be(expected, p)) {
                return Judged {
                    verdict: Verdict::Warn,
                    measured: Some(0.5),
                    target,
                    message: format!(
                        "Heard {}, meant {expected}: the digits that differ are unclear, so a listener may hear either. {}",
                        p.digits,
                        unclear_note(p)
                    ),
                    evidence: unclear_spans(p),
                };
            }
            let message = match closest {
                None => format!("The expected number {expected} was not heard at all."),
                Some(p) => {
                    let diffs: Vec<String> = p
                        .differences
                        .iter()
                        .map(|d| match (d.expected, d.heard) {
                            (Some(e), Some(h)) => {
                                format!("digit {} heard as {h}, meant {e}", d.position + 1)
                            }
                            (Some(e), None) => format!("digit {} ({e}) not heard", d.position + 1),
                            (None, Some(h)) => {
                                format!("an extra {h} heard before digit {}", d.position + 1)
                            }
                            (None, None) => String::new(),
                        })
                        .collect();
                    format!(
                        "Heard {} instead of {expected} ({}): say each digit clearly.",
                        p.digits,
                        diffs.join(", ")
                    )
                }
            };
            Judged {
                verdict: Verdict::Fail,
                measured: Some(0.0),
                target,
                message,
                evidence,
            }
        }
        "name.early" => {
            let within = n("within_s");
            let target = format!("name within the first {within:.0} s");
            if words.is_none() {
                return na(target, NO_WORDS);
            }
            let start = r.speech.start_s.unwrap_or(0.0);
            match &r.introduction {
                Some(i) => {
                    let at = (i.start_s - start).max(0.0);
                    let verdict = if at <= within {
                        Verdict::Pass
                    } else {
                        Verdict::Fail
                    };
                    let message = if verdict == Verdict::Pass {
                        format!("You say who you are ({}) {at:.1} s in.", i.name)
                    } else {
                        format!(
                            "Say who you are first: your name ({}) comes {at:.1} s in.",
                            i.name
                        )
                    };
                    Judged {
                        verdict,
                        measured: Some(at),
                        target,
                        message,
                        evidence: vec![Span {
                            start_s: i.start_s,
                            end_s: i.end_s,
                        }],
                    }
                }
                None => Judged {
                    verdict: Verdict::Fail,
                    measured: None,
                    target,
                    message: "No self-introduction heard: open with \"this is <your name>\"."
                        .into(),
                    evidence: span.into_iter().collect(),
                },
            }
        }
        "pitch.confident" => {
            let (rise, max) = (n("rise_st"), n("max_rising_fraction"));
            let target = format!(
                "<= {:.0} % of phrase endings rising > {rise:.1} st",
                max * 100.0
            );
            let judged: Vec<_> = r
                .pitch
                .phrases
                .iter()
                .filter(|p| p.terminal_st.is_some())
                .collect();
            if judged.is_empty() {
                return na(target, "No phrase ending with enough voicing to judge.");
            }
            let rising: Vec<Span> = judged
                .iter()
                .filter(|p| p.terminal_st.is_some_and(|t| t > rise))
                .map(|p| Span {
                    start_s: p.start_s,
                    end_s: p.end_s,
                })
                .collect();
            let frac = rising.len() as f64 / judged.len() as f64;
            let verdict = if frac <= max {
                Verdict::Pass
            } else {
                Verdict::Fail
            };
            let message = if verdict == Verdict::Pass {
                format!(
                    "{} of {} phrase endings rise: a confident, level delivery.",
                    rising.len(),
                    judged.len()
                )
            } else {
                format!(
                    "{} of {} phrase endings rise like questions: end statements lower, with a confident business-like tone.",
                    rising.len(),
                    judged.len()
                )
            };
            Judged {
                verdict,
                measured: Some(frac),
                target,
                message,
                evidence: rising,
            }
        }
        "pitch.warm" => {
            let (pass, warn) = (n("pass_min_stdev_st"), n("warn_min_stdev_st"));
            let target = format!(">= {pass:.1} st pitch variation");
            let Some(sd) = r.pitch.summary.stdev_st else {
                return na(target, "Not enough voiced speech to measure.");
            };
            let verdict = if sd >= pass {
                Verdict::Pass
            } else if sd >= warn {
                Verdict::Warn
            } else {
                Verdict::Fail
            };
            let message = if verdict == Verdict::Pass {
                format!("{sd:.1} st of pitch variation: lively, not monotone.")
            } else {
                format!("{sd:.1} st of pitch variation sounds monotone: make the message warm and enthusiastic.")
            };
            Judged {
                verdict,
                measured: Some(sd),
                target,
                message,
                evidence: span.into_iter().collect(),
            }
        }
        "pitch.baseline" => {
            let (pass, warn) = (n("pass_max_st"), n("warn_max_st"));
            let target = format!("median pitch <= {pass:+.1} st from your baseline");
            let Some(base) = ctx.pitch_baseline_hz else {
                return na(
                    target,
                    "No pitch baseline given (--pitch-baseline or --campaign).",
                );
            };
            let Some(med) = r.pitch.summary.median_hz else {
                return na(target, "Not enough voiced speech to measure.");
            };
            let st = 12.0 * (med / base).log2();
            let verdict = grade_upper(st, pass, warn);
            let message = if verdict == Verdict::Pass {
                format!("Median {med:.0} Hz, {st:+.1} st from your usual {base:.0} Hz: a settled voice.")
            } else {
                format!("Median {med:.0} Hz is {st:+.1} st above your usual {base:.0} Hz: lower your voice.")
            };
            Judged {
                verdict,
                measured: Some(st),
                target,
                message,
                evidence: span.into_iter().collect(),
            }
        }
        "level" => {
            let (min_db, min_snr, max_clip) =
                (n("min_speech_dbfs"), n("min_snr_db"), n("max_clipped_runs"));
            let target = format!(
                "speech >= {min_db:.0} dBFS, >= {min_snr:.0} dB above background, no clipping"
            );
            let l = &r.level;
            let Some(db) = l.speech_dbfs else {
                return na(target, "No speech found.");
            };
            let mut problems = Vec::new();
            let mut verdict = Verdict::Pass;
            if l.clipped_runs as f64 > max_clip {
                verdict = Verdict::Fail;
                problems.push(format!(
                    "{} clipped runs: move back from the microphone",
                    l.clipped_runs
                ));
            }
            if db < min_db {
                verdict = verdict.max_with(Verdict::Warn);
                problems.push(format!(
                    "speech at {db:.0} dBFS is faint: lift your voice slightly"
                ));
            }
            if let Some(snr) = l.snr_db.filter(|&s| s < min_snr) {
                verdict = verdict.max_with(Verdict::Warn);
                problems.push(format!(
                    "only {snr:.0} dB above the background: find a quieter place"
                ));
            }
            let message = if problems.is_empty() {
                format!("Speech at {db:.0} dBFS, clear of the background, no clipping.")
            } else {
                format!("{}.", problems.join("; "))
            };
            Judged {
                verdict,
                measured: Some(db),
                target,
                message,
                evidence: span.into_iter().collect(),
            }
        }
        "opening.dead_air" => {
            let (pass, warn) = (n("pass_max_s"), n("warn_max_s"));
            let target = format!("<= {pass:.1} s before the first word");
            let Some(lead) = r.speech.leading_silence_s else {
                return na(target, "No speech found.");
            };
            let verdict = grade_upper(lead, pass, warn);
            let message = if verdict == Verdict::Pass {
                format!("You start speaking {lead:.1} s in.")
            } else {
                format!("{lead:.1} s of silence before you speak: start at once; listeners delete in the first few seconds.")
            };
            Judged {
                verdict,
                measured: Some(lead),
                target,
                message,
                evidence: vec![Span {
                    start_s: 0.0,
                    end_s: lead,
                }],
            }
        }
        "content.pitch" => {
            let within = n("within_s");
            let target = format!("no company or offer talk in the first {within:.0} s");
            let Some(w) = words else {
                return na(target, NO_WORDS);
            };
            let start = r.speech.start_s.unwrap_or(0.0);
            let found = content::find_phrases(w, &book.phrases(id, "phrases"));
            let early: Vec<PhraseMatch> = found
                .iter()
                .filter(|m| m.start_s - start < within)
                .cloned()
                .collect();
            let (verdict, message) = if !early.is_empty() {
                (Verdict::Fail, format!(
                    "Too much information too soon ({}): the listener judges and deletes. Leave the pitch for the call.",
                    quoted(&early)
                ))
            } else if !found.is_empty() {
                (
                    Verdict::Warn,
                    format!(
                        "Pitching later in the message ({}): consider leaving it for the call.",
                        quoted(&found)
                    ),
                )
            } else {
                (
                    Verdict::Pass,
                    "No sales pitch: curiosity does the work.".into(),
                )
            };
            Judged {
                verdict,
                measured: Some(found.len() as f64),
                target,
                message,
                evidence: spans(&found),
            }
        }
        "content.cliches" => {
            let warn_max = n("warn_max");
            let target = "no stock phrases".to_string();
            let Some(w) = words else {
                return na(target, NO_WORDS);
            };
            let found = content::find_phrases(w, &book.phrases(id, "phrases"));
            let count = found.len() as f64;
            let verdict = if found.is_empty() {
                Verdict::Pass
            } else if count <= warn_max {
                Verdict::Warn
            } else {
                Verdict::Fail
            };
            let message = if found.is_empty() {
                "No stock phrases.".to_string()
            } else {
                format!("Drop the stock phrases ({}): they make you sound like every other salesperson.", quoted(&found))
            };
            Judged {
                verdict,
                measured: Some(count),
                target,
                message,
                evidence: spans(&found),
            }
        }
        "content.referral" => {
            let target = "mention who referred you (informational)".to_string();
            let Some(w) = words else {
                return na(target, NO_WORDS);
            };
            let found = content::find_phrases(w, &book.phrases(id, "phrases"));
            if !found.is_empty() {
                return Judged {
                    verdict: Verdict::Pass,
                    measured: Some(found.len() as f64),
                    target,
                    message: format!(
                        "Referral mentioned ({}): the reason they will call back.",
                        quoted(&found)
                    ),
                    evidence: spans(&found),
                };
            }
            absent(
                book,
                id,
                target,
                "No referral mentioned: a referral is what makes a stranger call back.",
            )
        }
        "content.callback_promise" => {
            let target = "a promised callback day and time (informational)".to_string();
            if words.is_none() {
                return na(target, NO_WORDS);
            }
            let found = promises(r, book);
            let dated: Vec<PhraseMatch> =
                found.iter().filter(|p| p.1).map(|p| p.0.clone()).collect();
            let vague: Vec<PhraseMatch> =
                found.iter().filter(|p| !p.1).map(|p| p.0.clone()).collect();
            if !dated.is_empty() {
                return Judged {
                    verdict: Verdict::Pass,
                    measured: Some(dated.len() as f64),
                    target,
                    message: format!(
                        "Callback promised for a set time ({}): call exactly then.",
                        quoted(&dated)
                    ),
                    evidence: spans(&dated),
                };
            }
            if !vague.is_empty() {
                return Judged {
                    verdict: Verdict::Warn,
                    measured: Some(0.0),
                    target,
                    message: format!(
                        "Name the day and time you will call again ({}).",
                        quoted(&vague)
                    ),
                    evidence: spans(&vague),
                };
            }
            absent(book, id, target, "No callback promised.")
        }
        "content.fillers" => {
            let (pass, warn) = (n("pass_max_per_minute"), n("warn_max_per_minute"));
            let target = format!("<= {pass:.0} fillers per minute");
            let Some(w) = words else {
                return na(target, NO_WORDS);
            };
            let Some(s) = span else {
                return na(target, "No speech found.");
            };
            let found = content::find_phrases(w, &book.phrases(id, "phrases"));
            let per_min = found.len() as f64 * 60.0 / (s.end_s - s.start_s);
            let verdict = grade_upper(per_min, pass, warn);
            let message = if found.is_empty() {
                "No fillers heard.".to_string()
            } else {
                format!(
                    "{} fillers ({per_min:.1} per minute): pause silently instead.",
                    found.len()
                )
            };
            Judged {
                verdict,
                measured: Some(per_min),
                target,
                message,
                evidence: spans(&found),
            }
        }
        "campaign.variation" => na(
            format!(
                "similarity to the previous message < {:.2}",
                n("max_similarity")
            ),
            "Judged across several recordings to the same prospect (--campaign).",
        ),
        _ => na(String::new(), "Unknown rule."),
    }
}

/// An informational rule with nothing found: not applicable, or a warning when the rulebook
/// asks for one (`warn_when_absent`).
fn absent(book: &Rulebook, id: &str, target: String, message: &str) -> Judged {
    let verdict = if book.flag(id, "warn_when_absent") {
        Verdict::Warn
    } else {
        Verdict::NotApplicable
    };
    Judged {
        verdict,
        measured: Some(0.0),
        target,
        message: message.into(),
        evidence: Vec::new(),
    }
}

fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::NotApplicable => 0,
        Verdict::Pass => 1,
        Verdict::Warn => 2,
        Verdict::Fail => 3,
    }
}

impl Verdict {
    /// The worse of two verdicts (fail > warn > pass > not applicable).
    pub fn max_with(self, other: Verdict) -> Verdict {
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }

    /// How bad the verdict is, for sorting: 3 fail, 2 warn, 1 pass, 0 not applicable.
    pub fn severity(self) -> u8 {
        rank(self)
    }
}
