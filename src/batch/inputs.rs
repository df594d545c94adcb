//! Which recordings a batch covers: folders expanded, lists read, stamps taken, shards chosen.

use std::fmt;
use std::hash::Hasher;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::audio;
use crate::error::{io_at, Error, Result, Source};

/// Expands the inputs: a folder into the recordings below it (recursively, sorted, by
/// [`audio::EXTENSIONS`]), a file as given. A folder with no recordings in it and a path that
/// does not exist stay in the list, so that the batch reports them as errors
/// ([`Error::NoRecordings`]). The same path given twice is kept once.
pub fn expand<P: AsRef<Path>>(inputs: &[P]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let input = input.as_ref();
        if input.is_dir() {
            let before = out.len();
            walk(input, &mut out)?;
            if out.len() == before {
                out.push(input.to_path_buf());
            }
        } else {
            out.push(input.to_path_buf());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let io = io_at(dir);
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(&io)? {
        paths.push(entry.map_err(&io)?.path());
    }
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out)?;
        } else if audio::is_recording(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads a list of paths, one per line (surrounding spaces trimmed, blank lines skipped), e.g.
/// from standard input.
pub fn read_list(reader: impl BufRead) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for line in reader.lines() {
        let line = line.map_err(|source| Error::Io {
            file: Source(None),
            source,
        })?;
        let line = line.trim();
        if !line.is_empty() {
            out.push(PathBuf::from(line));
        }
    }
    Ok(out)
}

/// What identifies one state of an input file for resuming: its size and modification time.
/// A file whose stamp changed since its ledger line was written is analysed again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stamp {
    /// Length in bytes (0 when the file cannot be read).
    pub size_bytes: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 when unknown).
    pub modified_ns: u64,
}

impl Stamp {
    /// The stamp of the file at `path` now (all zero when it cannot be read).
    pub fn of(path: &Path) -> Self {
        let Ok(meta) = std::fs::metadata(path) else {
            return Self::default();
        };
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        Self {
            size_bytes: meta.len(),
            modified_ns,
        }
    }
}

/// One of `count` disjoint parts of a batch, `index` counted from 0: shard `K/N` takes the
/// inputs whose path hashes to `K` modulo `N`. The hash (64-bit FNV-1a of the path's bytes, as
/// given) does not depend on the machine, the order of the inputs or the program's version, so
/// a re-run or a retried job lands every file on the same shard.
///
/// ```
/// use voicemail_coach::batch::Shard;
///
/// let shards: Vec<Shard> = (0..3).map(|k| format!("{k}/3").parse()).collect::<Result<_, _>>()?;
/// let path = std::path::Path::new("calls/monday/0001.wav");
/// assert_eq!(shards.iter().filter(|s| s.owns(path)).count(), 1);
/// # Ok::<(), voicemail_coach::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// Shard `index` of `count`; fails with [`Error::InvalidOptions`] unless
    /// `index < count`.
    pub fn new(index: u32, count: u32) -> Result<Self> {
        if index >= count {
            return Err(Error::InvalidOptions(format!(
                "shard {index}/{count}: give K/N with 0 <= K < N"
            )));
        }
        Ok(Shard { index, count })
    }

    /// Which shard this is, from 0.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// How many shards there are.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Whether the input at `path` belongs to this shard.
    pub fn owns(&self, path: &Path) -> bool {
        let mut h = fnv::FnvHasher::default();
        h.write(path.as_os_str().as_encoded_bytes());
        h.finish() % u64::from(self.count) == u64::from(self.index)
    }
}

impl FromStr for Shard {
    type Err = Error;

    /// `"K/N"`, e.g. `"0/4"`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::InvalidOptions(format!("shard {s:?}: give K/N, e.g. 0/4"));
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k = k.trim().parse().map_err(|_| bad())?;
        let n = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_path_once_and_spread_them() {
        let shards: Vec<Shard> = (0..3).map(|k| Shard::new(k, 3).unwrap()).collect();
        let mut sizes = [0usize; 3];
        for i in 0..300 {
            let p = PathBuf::from(format!("voicemails/call-{i:04}.wav"));
            let owners: Vec<usize> = (0..3).filter(|&k| shards[k].owns(&p)).collect();
            assert_eq!(owners.len(), 1, "{}", p.display());
            sizes[owners[0]] += 1;
        }
        // 100 expected each; a fair hash stays within +-35 (about 4 standard deviations).
        assert!(sizes.iter().all(|&n| (65..=135).contains(&n)), "{sizes:?}");
    }

    #[test]
    fn the_hash_is_fixed() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c; the shard must follow it on every machine.
        let a = Path::new("a");
        let h = 0xaf63_dc4c_8601_ec8c_u64;
        for n in 1..10u32 {
            let k = (h % u64::from(n)) as u32;
            assert!(Shard::new(k, n).unwrap().owns(a), "{k}/{n}");
        }
    }

    #[test]
    fn shard_text_is_checked() {
        assert_eq!("2/5".parse::<Shard>().unwrap(), Shard::new(2, 5).unwrap());
        for bad in ["5/5", "1", "a/3", "1/0", "-1/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
