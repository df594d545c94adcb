//! The batch's timelines: a Praat TextGrid or WebVTT captions per report, in a folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::Entry;
use crate::annotation;
use crate::error::{io_at, Result};
use crate::report::Report;

/// A timeline written per report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Timeline {
    /// A Praat TextGrid ([`annotation::textgrid`]), `<name>.TextGrid`.
    TextGrid,
    /// WebVTT captions ([`annotation::webvtt`]), `<name>.vtt`.
    WebVtt,
}

impl Timeline {
    fn extension(self) -> &'static str {
        match self {
            Timeline::TextGrid => "TextGrid",
            Timeline::WebVtt => "vtt",
        }
    }

    fn render(self, report: &Report) -> String {
        match self {
            Timeline::TextGrid => annotation::textgrid(report),
            Timeline::WebVtt => annotation::webvtt(report),
        }
    }
}

/// Writes the timeline of every report among `entries` into the folder `dir` (made when
/// missing), named after its input (`clark.wav` gives `clark.TextGrid`; numbered when two
/// inputs share a name); returns the paths written, in order.
pub fn write_timelines(dir: &Path, entries: &[Entry], kind: Timeline) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    let reports: Vec<&Report> = entries.iter().filter_map(Entry::report).collect();
    let names = file_names(reports.iter().copied(), kind.extension());
    let mut written = Vec::with_capacity(names.len());
    for (report, name) in reports.into_iter().zip(names) {
        let path = dir.join(name);
        std::fs::write(&path, kind.render(report)).map_err(io_at(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// File names from the inputs' names with extension `ext` (numbered when two share one), so
/// that a rerun writes the same names.
pub(super) fn file_names<'a>(reports: impl Iterator<Item = &'a Report>, ext: &str) -> Vec<String> {
    let mut taken = HashSet::new();
    reports
        .map(|r| {
            let stem = Path::new(&r.file).file_stem().unwrap_or_default();
            let base: String = stem
                .to_string_lossy()
                .chars()
                .map(
                    |c| match c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                        true => c,
                        false => '_',
                    },
                )
                .collect();
            let mut name = format!("{base}.{ext}");
            let mut k = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{k}.{ext}");
                k += 1;
            }
            name
        })
        .collect()
}
