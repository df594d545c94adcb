//! The batch's record of finished inputs: one JSON line per input (its report or error record,
//! with the input's [`Stamp`]), appended as each finishes, so that an interrupted run can resume.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::inputs::Stamp;
use super::Entry;
use crate::error::{io_at, Result};

/// An open ledger file, appended to one whole line at a time.
#[derive(Debug)]
pub(crate) struct Ledger {
    path: PathBuf,
    file: File,
}

/// What a resumed ledger already holds for this run's inputs.
#[derive(Debug, Default)]
pub(crate) struct Resumed {
    /// Inputs recorded with their current stamp: not analysed again.
    pub done: HashSet<String>,
    /// Their entries, when asked for.
    pub entries: Vec<Entry>,
    /// What was repaired, for the user.
    pub notices: Vec<String>,
}

impl Ledger {
    /// A new, empty ledger at `path` (an existing file is emptied).
    pub(super) fn create(path: &Path) -> Result<Self> {
        let file = File::create(path).map_err(io_at(path))?;
        Ok(Ledger {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Opens the ledger at `path` to go on with it (a missing file is a new ledger). Lines that
    /// cannot be read (a line torn by a killed process or a full disk) are dropped with a
    /// notice, and so are the lines of inputs in `inputs` whose stamp has changed since (they
    /// are analysed again and their new line replaces the old); of two lines for one file the
    /// later counts. The file is rewritten without them before anything is appended, so every
    /// line stays whole. With `collect`, the entries of the inputs already done are returned.
    pub(super) fn resume(
        path: &Path,
        inputs: &HashMap<String, Stamp>,
        collect: bool,
    ) -> Result<(Self, Resumed)> {
        if !path.exists() {
            return Ok((Self::create(path)?, Resumed::default()));
        }
        let mut resumed = Resumed::default();
        let keep = scan(path, inputs, &mut resumed.notices)?;
        let tmp = path.with_extension("jsonl.partial");
        {
            let mut out = BufWriter::new(File::create(&tmp).map_err(io_at(&tmp))?);
            for_each_line(path, |n, line, value| {
                let Some((file, _)) = value.as_ref().and_then(key) else {
                    return Ok(());
                };
                if keep.get(&file) != Some(&n) {
                    return Ok(());
                }
                out.write_all(line).and_then(|()| out.write_all(b"\n"))?;
                if inputs.contains_key(&file) {
                    if collect {
                        if let Some(e) = value.and_then(Entry::from_json) {
                            resumed.entries.push(e);
                        }
                    }
                    resumed.done.insert(file);
                }
                Ok(())
            })?;
            out.flush().map_err(io_at(&tmp))?;
        }
        std::fs::rename(&tmp, path).map_err(io_at(path))?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(io_at(path))?;
        let ledger = Ledger {
            path: path.to_path_buf(),
            file,
        };
        Ok((ledger, resumed))
    }

    /// Appends one entry as one line, in one write.
    pub(super) fn append(&mut self, entry: &Entry) -> Result<()> {
        let mut line = entry.to_json().to_string();
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .map_err(io_at(&self.path))
    }
}

/// The resume key of a ledger line: the file as named and its stamp.
fn key(v: &Value) -> Option<(String, Stamp)> {
    let file = v.get("file")?.as_str()?.to_string();
    let stamp = serde_json::from_value(v.get("input")?.clone()).ok()?;
    Some((file, stamp))
}

/// Which line (by number) to keep for each file; notices for the lines dropped.
fn scan(
    path: &Path,
    inputs: &HashMap<String, Stamp>,
    notices: &mut Vec<String>,
) -> Result<HashMap<String, usize>> {
    let mut keep = HashMap::new();
    for_each_line(path, |n, line, value| {
        match value.as_ref().and_then(key) {
            None => notices.push(format!(
                "{}: line {} ({} bytes) is torn or unreadable: dropped; its recording is analysed again",
                path.display(),
                n + 1,
                line.len()
            )),
            Some((file, stamp)) if inputs.get(&file).is_some_and(|s| *s != stamp) => {
                keep.remove(&file);
            }
            Some((file, _)) => {
                keep.insert(file, n);
            }
        }
        Ok(())
    })?;
    Ok(keep)
}

/// Calls `f` with each non-empty line of the file (number, bytes without the newline, its JSON
/// when it parses), reading one line at a time.
fn for_each_line(
    path: &Path,
    mut f: impl FnMut(usize, &[u8], Option<Value>) -> std::io::Result<()>,
) -> Result<()> {
    let file = File::open(path).map_err(io_at(path))?;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).map_err(io_at(path))?;
        if read == 0 {
            return Ok(());
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            let value = serde_json::from_slice::<Value>(&line)
                .ok()
                .filter(Value::is_object);
            f(n, &line, value).map_err(io_at(path))?;
        }
        n += 1;
    }
}

/// Reads every entry of a ledger file (e.g. the merged ledgers of several shards), the later
/// line winning for a file named twice, in the order of their last lines. Lines that cannot be
/// read are skipped and counted in the notices.
pub fn read_ledger(path: impl AsRef<Path>) -> Result<(Vec<Entry>, Vec<String>)> {
    let path = path.as_ref();
    let mut notices = Vec::new();
    let mut entries: Vec<Option<Entry>> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for_each_line(path, |n, line, value| {
        match value.and_then(Entry::from_json) {
            Some(e) => {
                if let Some(i) = at.insert(e.file.clone(), entries.len()) {
                    entries[i] = None;
                }
                entries.push(Some(e));
            }
            None => notices.push(format!(
                "{}: line {} ({} bytes) is not a report: skipped",
                path.display(),
                n + 1,
                line.len()
            )),
        }
        Ok(())
    })?;
    let entries = entries.into_iter().flatten().collect();
    Ok((entries, notices))
}
