//! The forms a message is rewritten in (the report's `suggested_message`): the trainers' model
//! messages as templates, beside the rules, so that a sales team can write its own.

use serde::{Deserialize, Serialize};

use super::{CLARK, FRANCIS, MEWSE};
use crate::report::PartKind;

/// A model message with slots (`{prospect}`, `{caller}`, `{referrer}`, `{reason}`, `{when}`,
/// `{number}`) that the parts the caller said fill. A sentence holding a slot for a part the
/// caller did not make (no referral, no promise, no reason) is left out; the prospect's name,
/// the caller's and the number are always said, as a marked slot when not heard.
///
/// In a rulebook file:
///
/// ```toml
/// [[forms]]
/// name = "short"
/// source = "Our team's script"
/// sentences = ["Hi {prospect}, {caller} here.", "Call me on {number}."]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MessageForm {
    /// Its name, unique in the rulebook (`"clark"`).
    pub name: String,
    /// Author and title of the advice it follows.
    pub source: String,
    /// Slots whose parts the caller must have made for the form to fit (Mewse's form needs a
    /// reason to call).
    #[serde(default)]
    pub needs: Vec<String>,
    /// Its sentences, in order, each a template.
    pub sentences: Vec<String>,
}

impl MessageForm {
    /// A form from its name, source, needs and sentences.
    pub fn new(name: &str, source: &str, needs: &[&str], sentences: &[&str]) -> Self {
        let owned = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        MessageForm {
            name: name.to_string(),
            source: source.to_string(),
            needs: owned(needs),
            sentences: owned(sentences),
        }
    }

    /// Checks the sentences' slots and the needs: every slot known, every brace closed.
    pub(super) fn check(&self) -> std::result::Result<(), String> {
        if self.name.trim().is_empty() || self.sentences.is_empty() {
            return Err("a form needs a name and at least one sentence".into());
        }
        for s in &self.sentences {
            slots(s)?;
        }
        for n in &self.needs {
            kind_of(n)?;
        }
        Ok(())
    }
}

/// The parts a sentence's slots ask for, in order; an error names an unknown slot or an
/// unclosed brace.
pub(crate) fn slots(sentence: &str) -> std::result::Result<Vec<PartKind>, String> {
    let mut out = Vec::new();
    let mut rest = sentence;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("`}}` without `{{` in \"{sentence}\""));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{{` not closed in \"{sentence}\""))?;
        out.push(kind_of(&after[..close])?);
        rest = &after[close + 1..];
    }
    Ok(out)
}

fn kind_of(slot: &str) -> std::result::Result<PartKind, String> {
    PartKind::ALL
        .into_iter()
        .find(|k| k.slot() == slot)
        .ok_or_else(|| {
            let known: Vec<_> = PartKind::ALL.iter().map(|k| k.slot()).collect();
            format!("unknown slot `{{{slot}}}` (known: {})", known.join(", "))
        })
}

/// The forms a rulebook starts with: Clark's for a prospect who does not know the caller (with
/// Francis's referral and promised callback when the caller made them), and Mewse's when the
/// caller gave a reason to call.
pub(crate) fn default_forms() -> Vec<MessageForm> {
    vec![
        MessageForm::new(
            "clark",
            &format!("{CLARK}; {FRANCIS} (the referral and the promised callback)"),
            &[],
            &[
                "{prospect}, this is {caller}.",
                "{referrer} asked that I call you.",
                "I'll try you again {when}.",
                "As soon as you get a minute, please give me a call at {number}.",
            ],
        ),
        MessageForm::new(
            "mewse",
            MEWSE,
            &["reason"],
            &[
                "Hello {prospect}, it's {caller} calling.",
                "{referrer} asked that I call you.",
                "{prospect}, I'd like your feedback on an idea about {reason}.",
                "Please can you give me a quick call when you get a moment?",
                "My number is {number}.",
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_read_and_checked() {
        let s = slots("{prospect}, this is {caller}.").expect("known slots");
        assert_eq!(s, [PartKind::Prospect, PartKind::Caller]);
        assert!(slots("{company} here")
            .expect_err("refused")
            .contains("unknown slot `{company}`"));
        assert!(slots("call {number")
            .expect_err("refused")
            .contains("not closed"));
        assert!(slots("call number}")
            .expect_err("refused")
            .contains("without"));
        for form in default_forms() {
            assert_eq!(form.check(), Ok(()), "{}", form.name);
        }
    }

    #[test]
    fn a_rulebook_gives_its_own_forms_and_bad_ones_are_refused() {
        use crate::Rulebook;
        let form = |sentence: &str, name: &str| {
            format!("[[forms]]\nname = \"{name}\"\nsource = \"Our script\"\nsentences = [\"{sentence}\"]\n")
        };
        let book =
            Rulebook::from_toml_str(&form("Hi {prospect}, {caller} here, on {number}.", "short"))
                .expect("a good form");
        assert_eq!(book.forms.len(), 1);
        assert_eq!(book.forms[0].name, "short");
        assert_eq!(Rulebook::default().forms, default_forms());
        let unknown =
            Rulebook::from_toml_str(&form("{company} calling", "x")).expect_err("refused");
        assert!(
            unknown
                .to_string()
                .contains("form `x`: unknown slot `{company}`"),
            "{unknown}"
        );
        let twice = form("Hi {prospect}.", "x").repeat(2);
        let twice = Rulebook::from_toml_str(&twice).expect_err("refused");
        assert!(
            twice.to_string().contains("form `x` is given twice"),
            "{twice}"
        );
        let needs = "[[forms]]\nname = \"y\"\nsource = \"s\"\nneeds = [\"budget\"]\nsentences = [\"Hi.\"]\n";
        assert!(Rulebook::from_toml_str(needs).is_err());
    }
}
