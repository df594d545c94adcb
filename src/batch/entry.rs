//! One input's result, as the batch hands it on and the ledger keeps it.

use serde_json::Value;

use super::Stamp;
use crate::error::Result;
use crate::report::{ErrorRecord, Report};

/// One input's result.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Entry {
    /// The input as named (the report's `file`).
    pub file: String,
    /// The input's size and modification time when it was analysed.
    pub input: Stamp,
    /// The report, or why there is none.
    pub outcome: Outcome,
}

/// A report or an error record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The input was analysed.
    Report(Box<Report>),
    /// It could not be.
    Failed(ErrorRecord),
}

impl Entry {
    /// The entry of one input analysed outside a batch: its report, or the error as a record.
    pub fn new(file: String, input: Stamp, result: Result<Report>) -> Self {
        let outcome = match result {
            Ok(r) => Outcome::Report(Box::new(r)),
            Err(e) => Outcome::Failed(ErrorRecord::new(file.clone(), &e)),
        };
        Entry {
            file,
            input,
            outcome,
        }
    }

    /// The report, if the input was analysed.
    pub fn report(&self) -> Option<&Report> {
        match &self.outcome {
            Outcome::Report(r) => Some(r),
            Outcome::Failed(_) => None,
        }
    }

    /// The error record, if it was not.
    pub fn error(&self) -> Option<&ErrorRecord> {
        match &self.outcome {
            Outcome::Report(_) => None,
            Outcome::Failed(e) => Some(e),
        }
    }

    /// The entry as its ledger line: the report (or error record) with `"input"` added.
    pub fn to_json(&self) -> Value {
        let body = match &self.outcome {
            Outcome::Report(r) => serde_json::to_value(r),
            Outcome::Failed(e) => serde_json::to_value(e),
        };
        // The report holds finite numbers and strings only, so serialising cannot fail; were it
        // to, the line still names the file.
        let mut v = body.unwrap_or_else(|e| {
            serde_json::json!({"file": self.file, "error": {"kind": "serialise", "message": e.to_string()}})
        });
        if let Some(obj) = v.as_object_mut() {
            obj.insert(
                "input".into(),
                serde_json::to_value(self.input).unwrap_or_default(),
            );
        }
        crate::report::round_figures(&mut v);
        v
    }

    /// Reads a ledger line back (`None` unless it is a report or an error record).
    pub fn from_json(mut v: Value) -> Option<Self> {
        let obj = v.as_object_mut()?;
        let input = obj
            .remove("input")
            .and_then(|s| serde_json::from_value(s).ok())
            .unwrap_or_default();
        let outcome = if obj.contains_key("error") {
            Outcome::Failed(serde_json::from_value(v).ok()?)
        } else {
            Outcome::Report(Box::new(serde_json::from_value(v).ok()?))
        };
        let file = match &outcome {
            Outcome::Report(r) => r.file.clone(),
            Outcome::Failed(e) => e.file.clone(),
        };
        Some(Entry {
            file,
            input,
            outcome,
        })
    }
}
