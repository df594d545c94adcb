//! The batch as HTML: an index page with a row per input, linking to each report's page.

use std::path::Path;

use super::{cores, Entry};
use crate::audio::{decode_path, DecodeOptions};
use crate::error::{io_at, Result};
use crate::html::{self, HtmlOptions, IndexEntry};
use crate::report::Report;

/// One report's page; the recording is decoded again for its waveform and player (reports do
/// not keep the audio, so a batch's memory stays flat).
fn page(report: &Report, decode: &DecodeOptions) -> String {
    let audio = decode_path(&report.file, decode).ok();
    html::render(report, audio.as_ref(), &HtmlOptions::default())
}

/// Writes the HTML report of a batch to `target`: the page of the one report when `entries`
/// holds a single report and `single` is set, else an index page (a row per entry, in order,
/// error records included) and one page per report in the folder `<target's stem>-files`
/// beside it. Pages are rendered on the machine's cores.
pub fn write_html(
    target: &Path,
    entries: &[Entry],
    single: bool,
    decode: &DecodeOptions,
) -> Result<()> {
    let reports: Vec<&Report> = entries.iter().filter_map(Entry::report).collect();
    if let ([report], true, 1) = (reports.as_slice(), single, entries.len()) {
        return std::fs::write(target, page(report, decode)).map_err(io_at(target));
    }
    let stem = target
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let folder_name = format!("{stem}-files");
    let folder = target.with_file_name(&folder_name);
    std::fs::create_dir_all(&folder).map_err(io_at(&folder))?;
    let names = super::annotations::file_names(reports.iter().copied(), "html");
    let pages: Vec<(&Report, &String)> = reports.iter().copied().zip(&names).collect();
    let chunk = pages.len().div_ceil(cores()).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = pages
            .chunks(chunk)
            .map(|part| {
                let (folder, decode) = (&folder, decode);
                scope.spawn(move || -> Result<()> {
                    for (report, name) in part {
                        let path = folder.join(name);
                        std::fs::write(&path, page(report, decode)).map_err(io_at(&path))?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })?;
    let links: Vec<String> = names.iter().map(|n| format!("{folder_name}/{n}")).collect();
    let mut links = links.iter();
    let mut index = Vec::with_capacity(entries.len());
    let mut pages = reports.iter();
    for e in entries {
        match e.error() {
            Some(err) => index.push(IndexEntry::Error(err)),
            None => {
                if let (Some(report), Some(page)) = (pages.next(), links.next()) {
                    index.push(IndexEntry::Report { report, page });
                }
            }
        }
    }
    let text = html::render_index(&format!("Voicemails: {stem}"), &index);
    std::fs::write(target, text).map_err(io_at(target))
}
