//! Many recordings at once, as an app needs it: inputs from files, folders and lists; parallel
//! analysis sharing one [`Analyzer`] (and so one whisper model); progress and cancellation; a
//! JSON-lines ledger to resume from; shards to spread a batch over machines; CSV rows.
//!
//! ```no_run
//! use std::sync::atomic::{AtomicBool, Ordering};
//! use std::sync::Arc;
//! use voicemail_coach::batch::{self, Batch};
//! use voicemail_coach::{Analyzer, Options};
//!
//! let analyzer = Analyzer::new(Options::default())?;
//! let inputs = batch::expand(&["voicemails/"])?;
//! let stop = Arc::new(AtomicBool::new(false)); // set it from a Ctrl-C handler or a UI
//! let done = Batch::new(&analyzer)
//!     .jobs(2)
//!     .ledger("voicemails.jsonl", true) // resume: files already recorded are skipped
//!     .cancel_on(stop.clone())
//!     .on_progress(|p| eprintln!("{}/{}", p.done, p.total))
//!     .on_entry(|e| println!("{}: {}", e.file, e.report().map_or("failed", |_| "ok")))
//!     .run(&inputs)?;
//! println!("{} analysed, {} failed", done.analysed, done.failed);
//! # Ok::<(), voicemail_coach::Error>(())
//! ```
//!
//! The ledger holds one line per input: the report (or the error record) exactly as `--json`
//! prints it, plus `"input": {"size_bytes", "modified_ns"}`. Resuming skips the inputs recorded
//! with their current size and modification time; a file changed since is analysed again and its
//! new line replaces the old. Shard ledgers concatenate into one (`cat shard-*.jsonl`).

mod annotations;
mod csv;
mod entry;
mod inputs;
mod ledger;
#[cfg(feature = "html")]
mod pages;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

#[cfg(feature = "html")]
pub use pages::write_html;

/// Built without the `html` feature: fails with [`Error::InvalidOptions`] saying so.
#[cfg(not(feature = "html"))]
pub fn write_html(
    target: &Path,
    _entries: &[Entry],
    _single: bool,
    _decode: &crate::DecodeOptions,
) -> Result<()> {
    Err(Error::InvalidOptions(format!(
        "{}: built without the `html` feature; no HTML report written",
        target.display()
    )))
}
pub use self::csv::{csv, rows, Row, CSV_HEADER};
pub use annotations::{write_timelines, Timeline};
pub use entry::{Entry, Outcome};
pub use inputs::{expand, read_list, Shard, Stamp};
pub use ledger::read_ledger;

use crate::analyzer::{Analyzer, Pending};
use crate::campaign::{self, Campaign};
use crate::context::Context;
use crate::error::{Error, Result, Source};
use crate::report::{Report, Status};
use ledger::Ledger;

/// How far a batch has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Inputs finished in this run.
    pub done: usize,
    /// Inputs this run has to do (those already in the ledger not counted).
    pub total: usize,
}

/// What a batch did.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Summary {
    /// With [`Batch::collect`] (or a campaign): every input's entry, those done before included,
    /// in the order of the inputs.
    pub entries: Vec<Entry>,
    /// Inputs analysed in this run.
    pub analysed: usize,
    /// Of those, the ones that gave an error record.
    pub failed: usize,
    /// Of those analysed, the ones without speech ([`Status::NoSpeech`]): nothing judged.
    pub no_speech: usize,
    /// Of those analysed, the ones with speech but no transcript ([`Status::NoTranscript`]).
    pub no_transcript: usize,
    /// Inputs skipped because the ledger already held them.
    pub skipped: usize,
    /// Inputs left to other shards.
    pub other_shards: usize,
    /// The run was cancelled: the inputs not finished are not in the ledger.
    pub cancelled: bool,
    /// With [`Batch::campaign`]: the campaign's verdict.
    pub campaign: Option<Campaign>,
    /// What the user should know (e.g. a torn ledger line dropped).
    pub notices: Vec<String>,
}

type EntryFn<'a> = Box<dyn FnMut(&Entry) + Send + 'a>;
type ProgressFn<'a> = Box<dyn FnMut(Progress) + Send + 'a>;

/// A batch run, set up with the builder methods and started with [`run`](Batch::run).
pub struct Batch<'a> {
    analyzer: &'a Analyzer,
    context: Context,
    jobs: usize,
    ledger: Option<(PathBuf, bool)>,
    overwrite: bool,
    shard: Option<Shard>,
    campaign: bool,
    collect: bool,
    pack: bool,
    cancel: Arc<AtomicBool>,
    on_entry: Option<EntryFn<'a>>,
    on_progress: Option<ProgressFn<'a>>,
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("jobs", &self.jobs)
            .field("ledger", &self.ledger)
            .field("shard", &self.shard)
            .field("campaign", &self.campaign)
            .finish_non_exhaustive()
    }
}

/// The machine's cores (1 when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl<'a> Batch<'a> {
    /// A batch on `analyzer`: as many jobs as cores, no ledger, every input.
    pub fn new(analyzer: &'a Analyzer) -> Self {
        Batch {
            analyzer,
            context: Context::default(),
            jobs: cores(),
            ledger: None,
            overwrite: false,
            shard: None,
            campaign: false,
            collect: false,
            pack: true,
            cancel: Arc::new(AtomicBool::new(false)),
            on_entry: None,
            on_progress: None,
        }
    }

    /// Facts that hold for every input (expected number, caller's name, pitch baseline).
    pub fn context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    /// Inputs analysed at once (at least 1). Each gets its own whisper state; give the
    /// transcriber `cores / jobs` threads.
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs.max(1);
        self
    }

    /// Records every entry in the JSON-lines file at `path`; with `resume`, goes on with the
    /// file there (see the [module docs](self)), else starts a new one. A file there that holds
    /// anything is never emptied unasked: without `resume`, [`run`](Batch::run) fails with
    /// [`Error::LedgerExists`] unless [`overwrite`](Batch::overwrite) was asked for.
    pub fn ledger(mut self, path: impl Into<PathBuf>, resume: bool) -> Self {
        self.ledger = Some((path.into(), resume));
        self
    }

    /// Lets a new ledger ([`ledger`](Batch::ledger) without `resume`) replace a file that holds
    /// results.
    pub fn overwrite(mut self, on: bool) -> Self {
        self.overwrite = on;
        self
    }

    /// Takes only the inputs of this shard.
    pub fn shard(mut self, shard: Shard) -> Self {
        self.shard = Some(shard);
        self
    }

    /// The inputs are successive messages to one prospect, oldest first: their
    /// `campaign.variation` verdicts (and `pitch.baseline`, from the campaign's pitch) are judged
    /// across them before any entry is handed out or recorded.
    pub fn campaign(mut self, on: bool) -> Self {
        self.campaign = on;
        self
    }

    /// Transcribes short recordings together, several to one whisper window (see
    /// [`Transcriber::transcribe_many`](crate::transcribe::Transcriber::transcribe_many)): the
    /// encoder runs once for them all, several times faster on short messages. Each report
    /// still holds only its own recording's words, but its transcript can differ slightly from
    /// the one the recording gets alone, as the decoder has heard its neighbours. Off, each
    /// recording is transcribed as [`Analyzer::analyze_path`] does. Default: on.
    pub fn pack(mut self, on: bool) -> Self {
        self.pack = on;
        self
    }

    /// Keeps every entry for [`Summary::entries`] (for a CSV or HTML bundle after the run).
    pub fn collect(mut self, on: bool) -> Self {
        self.collect = on;
        self
    }

    /// Stops when `flag` turns true: no new input starts, and a transcriber built with the
    /// same flag ([`Transcriber::abort_on`](crate::transcribe::Transcriber::abort_on)) stops
    /// the ones under way. Inputs not finished are left out of the ledger, for a resume.
    pub fn cancel_on(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = flag;
        self
    }

    /// Called with each entry once it is final (as inputs finish; for a campaign, in order
    /// after all are judged), one call at a time.
    pub fn on_entry(mut self, f: impl FnMut(&Entry) + Send + 'a) -> Self {
        self.on_entry = Some(Box::new(f));
        self
    }

    /// Called each time an input finishes, one call at a time.
    pub fn on_progress(mut self, f: impl FnMut(Progress) + Send + 'a) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Runs the batch over `inputs` (see [`expand`]). Errors only for the ledger (it cannot be
    /// read or written, or holds results and was neither resumed nor overwritten); an input that cannot be analysed is an entry with its error record.
    pub fn run(mut self, inputs: &[PathBuf]) -> Result<Summary> {
        let mut summary = Summary::default();
        let mine: Vec<&PathBuf> = inputs
            .iter()
            .filter(|p| self.shard.is_none_or(|s| s.owns(p)))
            .collect();
        summary.other_shards = inputs.len() - mine.len();
        let stamps: HashMap<String, Stamp> = mine
            .iter()
            .map(|p| (p.display().to_string(), Stamp::of(p)))
            .collect();
        let keep = self.collect || self.campaign;
        let (ledger, resumed) = match &self.ledger {
            Some((path, true)) => {
                let (l, r) = Ledger::resume(path, &stamps, keep)?;
                (Some(l), r)
            }
            Some((path, false)) => {
                let holds = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
                if holds && !self.overwrite {
                    return Err(Error::LedgerExists { path: path.clone() });
                }
                (Some(Ledger::create(path)?), ledger::Resumed::default())
            }
            None => (None, ledger::Resumed::default()),
        };
        summary.notices = resumed.notices;
        let todo: Vec<&PathBuf> = mine
            .iter()
            .copied()
            .filter(|p| !resumed.done.contains(&p.display().to_string()))
            .collect();
        summary.skipped = mine.len() - todo.len();
        let state = Mutex::new(State {
            ledger,
            write_error: None,
            entries: resumed.entries,
            done: 0,
        });
        self.analyse(&todo, &stamps, &state, &mut summary);
        let mut state = state.into_inner().map_err(|_| Error::WorkerPanicked)?;
        if let Some(e) = state.write_error.take() {
            return Err(e);
        }
        let order: HashMap<String, usize> = mine
            .iter()
            .enumerate()
            .map(|(i, p)| (p.display().to_string(), i))
            .collect();
        state
            .entries
            .sort_by_key(|e| order.get(&e.file).copied().unwrap_or(usize::MAX));
        if self.campaign && !summary.cancelled {
            summary.campaign = Some(self.judge_campaign(&mut state)?);
        }
        summary.entries = state.entries;
        Ok(summary)
    }

    /// Analyses `todo` on `jobs` threads; hands out (and records) entries unless in a campaign.
    /// One thread decodes the inputs in order and deals them out in groups (see
    /// [`pack`](Batch::pack)); the jobs analyse the groups.
    fn analyse(
        &mut self,
        todo: &[&PathBuf],
        stamps: &HashMap<String, Stamp>,
        state: &Mutex<State>,
        summary: &mut Summary,
    ) {
        let counts = Counts::default();
        let total = todo.len();
        let (analyzer, context, cancel) = (self.analyzer, &self.context, &self.cancel);
        let (campaign, keep, pack) = (self.campaign, self.collect || self.campaign, self.pack);
        let callbacks = Mutex::new((&mut self.on_entry, &mut self.on_progress));
        let emit = |entry: Entry| {
            counts.count(&entry);
            let Ok(mut st) = state.lock() else { return };
            let Ok(mut cb) = callbacks.lock() else { return };
            st.done += 1;
            if let Some(f) = cb.1.as_mut() {
                f(Progress {
                    done: st.done,
                    total,
                });
            }
            if !campaign {
                let st = &mut *st;
                if !record(&mut st.ledger, &mut st.write_error, &entry) {
                    cancel.store(true, Ordering::SeqCst);
                }
                if let Some(f) = cb.0.as_mut() {
                    f(&entry);
                }
            }
            if keep {
                st.entries.push(entry);
            }
        };
        // Room for a group per job waiting: the decoding keeps ahead of the jobs, no further.
        let (tx, rx) = mpsc::sync_channel::<Group>(self.jobs);
        let rx = Arc::new(Mutex::new(rx));
        std::thread::scope(|scope| {
            scope.spawn(move || deal(analyzer, todo, pack, cancel, &tx));
            for _ in 0..self.jobs.min(total) {
                // The last job to end drops the receiver, which ends the dealing.
                let rx = Arc::clone(&rx);
                let emit = &emit;
                scope.spawn(move || loop {
                    if cancel.load(Ordering::SeqCst) {
                        return;
                    }
                    let next = rx.lock().ok().and_then(|r| r.recv().ok());
                    let Some(group) = next else { return };
                    for (file, result) in analyze_group(analyzer, group, context) {
                        if cancel.load(Ordering::SeqCst) {
                            return;
                        }
                        let stamp = stamps.get(&file).copied().unwrap_or_default();
                        emit(Entry::new(file, stamp, result));
                    }
                });
            }
            drop(rx);
        });
        summary.analysed = state.lock().map_or(0, |s| s.done);
        summary.failed = counts.failed.load(Ordering::SeqCst);
        summary.no_speech = counts.no_speech.load(Ordering::SeqCst);
        summary.no_transcript = counts.no_transcript.load(Ordering::SeqCst);
        summary.cancelled = cancel.load(Ordering::SeqCst) && summary.analysed < total;
    }

    /// Judges the campaign over the entries (in input order), then hands out and records them.
    fn judge_campaign(&mut self, state: &mut State) -> Result<Campaign> {
        let mut reports: Vec<&mut Report> = state
            .entries
            .iter_mut()
            .filter_map(|e| match &mut e.outcome {
                Outcome::Report(r) => Some(r.as_mut()),
                Outcome::Failed(_) => None,
            })
            .collect();
        let book = &self.analyzer.options().rulebook;
        let verdict = campaign::evaluate(&mut reports, book, &self.context);
        for e in &state.entries {
            record(&mut state.ledger, &mut state.write_error, e);
            if let Some(f) = self.on_entry.as_mut() {
                f(e);
            }
        }
        match state.write_error.take() {
            Some(e) => Err(e),
            None => Ok(verdict),
        }
    }
}

/// The shared state of a run.
struct State {
    ledger: Option<Ledger>,
    write_error: Option<Error>,
    entries: Vec<Entry>,
    done: usize,
}

/// Entries of each outcome that counts in the [`Summary`].
#[derive(Default)]
struct Counts {
    failed: AtomicUsize,
    no_speech: AtomicUsize,
    no_transcript: AtomicUsize,
}

impl Counts {
    fn count(&self, entry: &Entry) {
        let counter = match entry.report().map(|r| r.status) {
            None => Some(&self.failed),
            Some(Status::NoSpeech) => Some(&self.no_speech),
            Some(Status::NoTranscript) => Some(&self.no_transcript),
            Some(_) => None,
        };
        if let Some(c) = counter {
            c.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Inputs analysed together: each with its decoded audio or why it has none. Several when
/// their transcription shares whisper windows.
type Group = Vec<(String, Result<Pending>)>;

/// Decodes `todo` in order and sends it out in groups: the recordings that
/// [`Analyzer::packs`] together (consecutive ones, while they fit) when `pack`, every other
/// input alone. Stops when cancelled or when no job is left to take a group.
fn deal(
    analyzer: &Analyzer,
    todo: &[&PathBuf],
    pack: bool,
    cancel: &AtomicBool,
    tx: &mpsc::SyncSender<Group>,
) {
    let mut group: Group = Vec::new();
    let mut lengths: Vec<f64> = Vec::new();
    for path in todo {
        if cancel.load(Ordering::SeqCst) {
            return;
        }
        let file = path.display().to_string();
        let decoded = decode_input(analyzer, path);
        let length = decoded
            .as_ref()
            .map_or(f64::INFINITY, |d| d.audio.duration_s());
        if !(pack && analyzer.packs(&[length])) {
            if tx.send(vec![(file, decoded)]).is_err() {
                return;
            }
            continue;
        }
        lengths.push(length);
        if !analyzer.packs(&lengths) {
            if tx.send(std::mem::take(&mut group)).is_err() {
                return;
            }
            lengths = vec![length];
        }
        group.push((file, decoded));
    }
    if !group.is_empty() {
        let _ = tx.send(group);
    }
}

/// The reports of a group (or each input's error), in its order.
fn analyze_group(
    analyzer: &Analyzer,
    group: Group,
    ctx: &Context,
) -> Vec<(String, Result<Report>)> {
    let mut out: Vec<(String, Result<Report>)> = Vec::with_capacity(group.len());
    let mut decoded = Vec::with_capacity(group.len());
    for (file, result) in group {
        match result {
            Ok(d) => decoded.push(d),
            Err(e) => out.push((file, Err(e))),
        }
    }
    for report in analyzer.finish_group(&decoded, ctx) {
        out.push((report.file.clone(), Ok(report)));
    }
    out
}

/// Appends the entry to the ledger, if any; false (the first error kept) when that fails.
fn record(ledger: &mut Option<Ledger>, error: &mut Option<Error>, entry: &Entry) -> bool {
    let Some(l) = ledger.as_mut() else {
        return true;
    };
    match l.append(entry) {
        Ok(()) => true,
        Err(e) => {
            error.get_or_insert(e);
            false
        }
    }
}

/// Decodes one input; a folder (one with no recordings, as [`expand`] leaves it) or a path
/// that does not exist is an [`Error::NoRecordings`] saying so.
fn decode_input(analyzer: &Analyzer, path: &Path) -> Result<Pending> {
    let reason = if path.is_dir() {
        Some(format!(
            "no files ending in .{} in the folder",
            crate::audio::EXTENSIONS.join(", .")
        ))
    } else if !path.exists() {
        Some("no such file or folder".to_string())
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::NoRecordings {
            file: Source(Some(path.to_path_buf())),
            reason,
        }),
        None => analyzer.decode_path(path),
    }
}
