//! # voicemail-coach
//!
//! Measures a recorded sales voicemail — its length, silences, speaking rate and pitch — so that a
//! caller can see, with numbers and the times to listen to, whether the message follows the advice
//! of sales trainers on getting voicemails returned: keep it short, slow down (above all for your
//! name and number), sound confident and warm rather than monotone.
//!
//! ```
//! use voicemail_coach::{Analyzer, Options};
//!
//! let analyzer = Analyzer::new(Options::default())?;
//! let report = analyzer.analyze_path("fixtures/speech/demo-congrats.wav")?;
//! println!(
//!     "{:.1} s of speech, {:.2} syllables/s, median pitch {:.0} Hz",
//!     report.speech.end_s.unwrap_or(0.0) - report.speech.start_s.unwrap_or(0.0),
//!     report.rate.articulation_rate_sps.unwrap_or(0.0),
//!     report.pitch.summary.median_hz.unwrap_or(0.0),
//! );
//! assert!(report.rate.syllables > 50);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Many recordings
//! [`batch`] runs an analyzer over files, folders and lists in parallel (one model shared),
//! with progress and cancellation callbacks, a JSON-lines ledger to resume from, shards for
//! several machines, and the CSV, text ([`text`]) and HTML outputs:
//!
//! ```
//! use voicemail_coach::batch::{self, Batch};
//! use voicemail_coach::{Analyzer, Options};
//!
//! let analyzer = Analyzer::new(Options::default())?; // add a transcriber for the words
//! let inputs = batch::expand(&["fixtures/speech"])?; // the recordings below the folder
//! let mut finished = 0;
//! let done = Batch::new(&analyzer)
//!     .jobs(2)
//!     .collect(true)
//!     .on_entry(|_entry| finished += 1)
//!     .run(&inputs)?;
//! assert_eq!((done.analysed, done.failed), (inputs.len(), 0));
//! let table = batch::csv(&done.entries);
//! assert_eq!(table.lines().count(), 1 + inputs.len());
//! assert_eq!(finished, inputs.len());
//! # Ok::<(), voicemail_coach::Error>(())
//! ```
//!
//! ## How a recording flows
//! [`audio`] decodes the WAV (PCM, float, G.711 μ-law/A-law) and conditions it to mono 16 kHz;
//! [`pitch`] tracks F0 every 10 ms; [`prosody`] finds the speech span, pauses and level; [`rate`]
//! counts syllable nuclei without a transcript; with a model, [`transcribe`] gives timed words.
//! From the words, [`numbers`] finds the callback numbers and times their digit groups,
//! [`content`] the self-introduction and telling phrases, and [`pacing`] compares the name's and
//! the number's speaking rate with the rest of the message. [`rules`] judges the report by the
//! trainers' advice ([`Rulebook`], defaults built in, overridable from TOML or JSON) into the
//! report's `advice`, and [`campaign`] compares successive messages to one prospect. [`report`]
//! holds the serde report that the example binary prints as JSON, and [`html`] draws it as a
//! self-contained page.
//!
//! ## Feature flags
//! - `transcribe` (default): offline transcription with whisper.cpp through whisper-rs
//!   ([`transcribe`] module, [`Analyzer::with_transcriber`]); building it needs CMake and
//!   libclang. The acoustic analysis needs no feature and builds with `--no-default-features`.
//!   [`model`] (converting faster-whisper models to ggml) needs no feature either.
//! - `html` (default): [`html`] renders a report as a self-contained page (inline SVG timeline
//!   of waveform, pitch, words, pauses, name and number; verdicts; the recording embedded).
//!   Adds `maud` and `base64`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod audio;
pub mod batch;
pub mod campaign;
pub mod content;
pub mod dsp;
pub mod error;
#[cfg(feature = "html")]
pub mod html;
pub mod model;
pub mod numbers;
pub mod pacing;
pub mod pitch;
pub mod prosody;
pub mod rate;
pub mod report;
pub mod rules;
pub mod text;
#[cfg(feature = "transcribe")]
pub mod transcribe;

use std::io::{Read, Seek};
use std::path::Path;
use std::time::Instant;

pub use audio::{Conditioned, DecodeOptions, Encoding};
pub use error::{Error, Result};
pub use pitch::{PitchOptions, PitchTrack, PitchTracker};
pub use prosody::ProsodyOptions;
pub use rate::{RateOptions, SyllableDetector};
pub use report::{ErrorRecord, Report};
pub use rules::Rulebook;

/// Everything an [`Analyzer`] can be told. Each part documents its own defaults.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Options {
    /// Decoding limits (maximum length).
    pub decode: DecodeOptions,
    /// Pitch range and tracker costs.
    pub pitch: PitchOptions,
    /// Speech detection and pauses.
    pub prosody: ProsodyOptions,
    /// Syllable nuclei and rate contour.
    pub rate: RateOptions,
    /// The rules the report's `advice` judges by (defaults: [`Rulebook::default`]).
    pub rulebook: Rulebook,
}

/// What the analysis should know about one recording beyond its audio: the number the caller
/// meant to leave, their name, their usual pitch. Everything is optional; rules that need a
/// missing fact are `not_applicable`.
///
/// ```
/// let ctx = voicemail_coach::Context::new()
///     .expect_number("850-936-7028")?
///     .caller_name("Steve Clark");
/// assert_eq!(ctx.expected_number.as_deref(), Some("8509367028"));
/// # Ok::<(), voicemail_coach::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Context {
    /// Digits of the callback number the caller meant to leave (`number.matches`). Default:
    /// none (the rule is `not_applicable`).
    pub expected_number: Option<String>,
    /// The caller's name, to find where it is said even when the transcript mishears it.
    /// Default: none (the introduction is found from cues such as "this is …").
    pub caller_name: Option<String>,
    /// The caller's usual median pitch, Hz (`pitch.baseline`). Default: none (the rule is
    /// `not_applicable`).
    pub pitch_baseline_hz: Option<f64>,
}

impl Context {
    /// No facts beyond the audio.
    pub fn new() -> Self {
        Self::default()
    }

    /// The callback number the caller meant to leave, in any usual notation
    /// (`"+1 (850) 936-7028"`). Fails with [`Error::InvalidOptions`] unless it holds 7 to 15
    /// digits and nothing but digits and separators.
    pub fn expect_number(mut self, number: &str) -> Result<Self> {
        let digits = numbers::normalize_expected(number).ok_or_else(|| {
            Error::InvalidOptions(format!(
                "expected number {number:?}: give 7 to 15 digits (separators - . ( ) / + and spaces allowed)"
            ))
        })?;
        self.expected_number = Some(digits);
        Ok(self)
    }

    /// The caller's name.
    pub fn caller_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.caller_name = (!name.trim().is_empty()).then_some(name);
        self
    }

    /// The caller's usual median pitch in Hz (e.g. from [`campaign::pitch_baseline`] over
    /// earlier recordings). Fails with [`Error::InvalidOptions`] outside 40–1000 Hz.
    pub fn pitch_baseline_hz(mut self, hz: f64) -> Result<Self> {
        if !(40.0..=1000.0).contains(&hz) {
            return Err(Error::InvalidOptions(format!(
                "pitch baseline {hz} Hz: expected 40 to 1000 Hz"
            )));
        }
        self.pitch_baseline_hz = Some(hz);
        Ok(self)
    }
}

/// The analysis, built once and shared: it holds FFT plans, windows and filters, and is
/// `Send + Sync`, so one analyzer can serve many threads.
#[derive(Debug)]
pub struct Analyzer {
    options: Options,
    /// 16 kHz -> 8 kHz for pitch and syllable nuclei, which need the telephone band only.
    decimator: dsp::Decimator,
    pitch: PitchTracker,
    syllables: SyllableDetector,
    #[cfg(feature = "transcribe")]
    transcriber: Option<transcribe::Transcriber>,
}

/// How far a spoken digit's start may move onto an acoustic onset, seconds.
const DIGIT_REACH_S: f64 = 0.3;

/// How far before the transcriber's start a name's first syllable may be found by counting
/// syllable nuclei back from its end, seconds. Tighter than for numbers: a name's syllables are
/// fewer and a missed nucleus moves the start a whole syllable too early.
const NAME_ANCHOR_BEFORE_S: f64 = 0.25;

/// The least confidence of the second reading for a stretch of the transcript where no number
/// was found (see [`numbers::loose_runs`]) to be reported as a number.
const LOOSE_MIN_CONFIDENCE: f64 = 0.2;

/// Sound kept after a number's last digit for its second reading, seconds.
#[cfg(feature = "transcribe")]
const NUMBER_END_MARGIN_S: f64 = 0.15;

/// Rate of the narrow-band copy that pitch and syllable nuclei are measured on, Hz.
const NARROW_RATE_HZ: u32 = audio::ANALYSIS_RATE_HZ / 2;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

impl Analyzer {
    /// Builds an analyzer; fails with [`Error::InvalidOptions`] when the options are unusable.
    pub fn new(options: Options) -> Result<Self> {
        options.rulebook.check()?;
        let rate = NARROW_RATE_HZ;
        let pitch = PitchTracker::new(rate, options.pitch.clone()).ok_or_else(|| {
            Error::InvalidOptions(format!("pitch options unusable: {:?}", options.pitch))
        })?;
        let syllables = SyllableDetector::new(rate, options.rate.clone()).ok_or_else(|| {
            Error::InvalidOptions(format!("rate options unusable: {:?}", options.rate))
        })?;
        if !(options.prosody.min_pause_s > 0.0 && options.prosody.silence_db > 0.0) {
            return Err(Error::InvalidOptions(format!(
                "prosody options unusable: {:?}",
                options.prosody
            )));
        }
        Ok(Analyzer {
            options,
            decimator: dsp::Decimator::new(2, 16),
            pitch,
            syllables,
            #[cfg(feature = "transcribe")]
            transcriber: None,
        })
    }

    /// Adds transcription: reports get a `transcript`, `rate.words_per_minute` and
    /// `timings_ms.transcribe`.
    #[cfg(feature = "transcribe")]
    pub fn with_transcriber(mut self, transcriber: transcribe::Transcriber) -> Self {
        self.transcriber = Some(transcriber);
        self
    }

    /// The transcriber in use, if any.
    #[cfg(feature = "transcribe")]
    pub fn transcriber(&self) -> Option<&transcribe::Transcriber> {
        self.transcriber.as_ref()
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Decodes and analyses the WAV file at `path`. Errors name the path.
    pub fn analyze_path(&self, path: impl AsRef<Path>) -> Result<Report> {
        self.analyze_path_with(path, &Context::default())
    }

    /// [`analyze_path`](Self::analyze_path) with facts about the recording (expected number,
    /// caller's name, pitch baseline).
    pub fn analyze_path_with(&self, path: impl AsRef<Path>, ctx: &Context) -> Result<Report> {
        let path = path.as_ref();
        let t0 = Instant::now();
        let audio = audio::decode_path(path, &self.options.decode)?;
        let decode_ms = ms(t0);
        Ok(self.finish(&audio, path.display().to_string(), decode_ms, t0, ctx))
    }

    /// Decodes and analyses a recording from a stream; `name` goes into the report's `file`.
    pub fn analyze_reader<R: Read + Seek>(&self, reader: R, name: &str) -> Result<Report> {
        self.analyze_reader_with(reader, name, &Context::default())
    }

    /// [`analyze_reader`](Self::analyze_reader) with facts about the recording.
    pub fn analyze_reader_with<R: Read + Seek>(
        &self,
        reader: R,
        name: &str,
        ctx: &Context,
    ) -> Result<Report> {
        let t0 = Instant::now();
        let audio = audio::decode(reader, &self.options.decode)?;
        let decode_ms = ms(t0);
        Ok(self.finish(&audio, name.to_string(), decode_ms, t0, ctx))
    }

    /// Analyses audio already decoded by [`audio::decode`].
    pub fn analyze_conditioned(&self, audio: &Conditioned, name: &str, ctx: &Context) -> Report {
        let t0 = Instant::now();
        self.finish(audio, name.to_string(), 0.0, t0, ctx)
    }

    fn finish(
        &self,
        audio: &Conditioned,
        file: String,
        decode_ms: f64,
        t0: Instant,
        ctx: &Context,
    ) -> Report {
        let t_pitch = Instant::now();
        let mut narrow = Vec::new();
        self.decimator.process(&audio.samples, &mut narrow);
        let track = self.pitch.track(&narrow);
        let pitch_ms = ms(t_pitch);

        let t_rate = Instant::now();
        let intensity = prosody::intensity(&audio.samples, audio.rate_hz, track.hop_s);
        let seg = prosody::segment(&intensity, audio.duration_s(), &self.options.prosody);
        let nuclei = self.syllables.nuclei(&narrow, &track, &seg);
        let mut rate = self.syllables.summarize(nuclei, &seg);
        let rate_ms = ms(t_rate);

        let mut notices = audio.notices.clone();
        let (mut transcript, transcribe_ms) = self.transcribe(audio, &mut notices);
        let mut numbers_ms = None;
        let mut phone_numbers = Vec::new();
        let mut introduction = None;
        let mut pacing = pacing::Pacing::default();
        if let Some(t) = transcript.as_mut() {
            let onsets = prosody::onsets(&intensity, &seg, &rate.nuclei_s);
            let starts = prosody::sounding_starts(&seg, intensity.hop_s);
            report::time_digits(&mut t.words, &starts, &onsets, DIGIT_REACH_S);
            let pauses: Vec<report::Span> = seg
                .speech
                .pauses
                .iter()
                .map(|p| report::Span {
                    start_s: p.start_s,
                    end_s: p.end_s,
                })
                .collect();
            let runs = prosody::sounding_runs(&seg, intensity.hop_s);
            let mut heard = numbers::find_numbers(&t.words, &pauses);
            for h in &mut heard {
                numbers::time_groups(h, &runs, &onsets, DIGIT_REACH_S);
                numbers::anchor_start(h, &runs, &rate.nuclei_s, &onsets);
                numbers::regroup_at_pauses(h, &pauses, &rate.nuclei_s);
            }
            let t_numbers = Instant::now();
            if self.read_numbers_again(audio, &t.words, &mut heard, &mut notices) {
                let mut found = numbers::loose_runs(&t.words, &heard);
                self.read_numbers_again(audio, &t.words, &mut found, &mut notices);
                for mut n in found {
                    if numbers::shape_prior(&n.digits).is_some()
                        && n.confidence >= LOOSE_MIN_CONFIDENCE
                    {
                        numbers::regroup_at_pauses(&mut n, &pauses, &rate.nuclei_s);
                        heard.push(n);
                    }
                }
                let start = |n: &numbers::HeardNumber| n.span().map_or(0.0, |s| s.start_s);
                heard.sort_by(|a, b| start(a).total_cmp(&start(b)));
                numbers_ms = Some(ms(t_numbers));
            }
            phone_numbers = numbers::to_report(heard, ctx.expected_number.as_deref());
            introduction = content::find_introduction(&t.words, ctx.caller_name.as_deref());
            if let Some(intro) = introduction.as_mut() {
                let syllables: usize = t.words[intro.first_word..intro.first_word + intro.words]
                    .iter()
                    .map(|w| content::syllables(&w.text))
                    .sum();
                if let Some(start) = numbers::anchor_on_nuclei(
                    intro.start_s,
                    intro.end_s,
                    syllables,
                    NAME_ANCHOR_BEFORE_S,
                    &runs,
                    &rate.nuclei_s,
                    &onsets,
                ) {
                    intro.start_s = start.min(intro.end_s);
                }
            }
            pacing = pacing::measure(
                &seg.speech,
                &t.words,
                &rate.nuclei_s,
                introduction.as_ref(),
                &phone_numbers,
            );
            if let (Some(a), Some(b)) = (seg.speech.start_s, seg.speech.end_s) {
                if b > a {
                    let spoken: usize =
                        t.words.iter().map(|w| content::spoken_words(&w.text)).sum();
                    rate.words_per_minute = Some(spoken as f64 * 60.0 / (b - a));
                }
            }
        }

        let span = match (seg.speech.start_s, seg.speech.end_s) {
            (Some(a), Some(b)) => Some((track.frame_at(a), track.frame_at(b))),
            _ => None,
        };
        let summary = pitch::summarize(&track, span);
        let phrases = pitch::phrase_endings(&track, &seg.phrases());
        let speech_dbfs = prosody::speech_level(&intensity, &seg);
        let level = prosody::Level {
            speech_dbfs,
            background_dbfs: seg.floor_dbfs,
            snr_db: match (speech_dbfs, seg.floor_dbfs) {
                (Some(s), Some(b)) => Some(s - b),
                _ => None,
            },
            peak_dbfs: audio.clipping.peak_dbfs,
            clipped_samples: audio.clipping.clipped_samples,
            clipped_runs: audio.clipping.clipped_runs,
        };
        let mut report = Report {
            schema_version: report::SCHEMA_VERSION,
            file,
            audio: audio.info.clone(),
            speech: seg.speech,
            rate,
            pitch: report::PitchReport {
                hop_s: track.hop_s,
                f0_hz: track.f0_hz,
                summary,
                phrases,
            },
            level,
            transcript,
            phone_numbers,
            introduction,
            pacing,
            advice: Vec::new(),
            timings_ms: report::Timings {
                decode: decode_ms,
                pitch: pitch_ms,
                rate: rate_ms,
                transcribe: transcribe_ms,
                numbers: numbers_ms,
                total: ms(t0),
            },
            notices,
        };
        report.advice = rules::evaluate(&report, &self.options.rulebook, ctx);
        if report
            .transcript
            .as_ref()
            .is_some_and(|t| t.words.is_empty())
        {
            no_speech(&mut report);
        }
        report
    }

    #[cfg(feature = "transcribe")]
    fn transcribe(
        &self,
        audio: &Conditioned,
        notices: &mut Vec<String>,
    ) -> (Option<report::Transcript>, Option<f64>) {
        let Some(t) = &self.transcriber else {
            return (None, None);
        };
        let start = Instant::now();
        match t.transcribe(&audio.samples) {
            Ok(tr) => (Some(tr), Some(ms(start))),
            Err(e) => {
                notices.push(format!("no transcript: {e}"));
                (None, Some(ms(start)))
            }
        }
    }

    /// Reads each heard number a second time, with the transcriber allowed only digits, and
    /// settles the number on what both readings and the shape of phone numbers say (see
    /// [`numbers::reconcile`]). A reading that fails leaves the number as the transcript gave
    /// it, with a notice. Returns whether numbers are read twice (a transcriber with
    /// [`TranscribeOptions::read_numbers_twice`](transcribe::TranscribeOptions)).
    #[cfg(feature = "transcribe")]
    fn read_numbers_again(
        &self,
        audio: &Conditioned,
        words: &[report::Word],
        heard: &mut [numbers::HeardNumber],
        notices: &mut Vec<String>,
    ) -> bool {
        let Some(tr) = self
            .transcriber
            .as_ref()
            .filter(|t| t.options().read_numbers_twice)
        else {
            return false;
        };
        for h in heard.iter_mut() {
            let Some(span) = h.span() else { continue };
            let to = (span.end_s + NUMBER_END_MARGIN_S).min(audio.duration_s());
            let window = numbers::reading_window(words, h.first_word, span.start_s, to);
            let prior = |d: &str| numbers::shape_prior(d);
            match tr.read_digits(&audio.samples, &window, Some(&h.digits), &prior) {
                Ok(readings) => {
                    if let Some(r) = numbers::reconcile(&h.digits, &readings) {
                        h.adopt(r);
                    }
                }
                Err(e) => notices.push(format!("the number {} was read once only: {e}", h.digits)),
            }
        }
        true
    }

    #[cfg(not(feature = "transcribe"))]
    fn read_numbers_again(
        &self,
        _audio: &Conditioned,
        _words: &[report::Word],
        _heard: &mut [numbers::HeardNumber],
        _notices: &mut Vec<String>,
    ) -> bool {
        false
    }

    #[cfg(not(feature = "transcribe"))]
    fn transcribe(
        &self,
        _audio: &Conditioned,
        _notices: &mut Vec<String>,
    ) -> (Option<report::Transcript>, Option<f64>) {
        (None, None)
    }
}

/// A recording whose transcript holds no words (silence, noise, music): nothing the caller said
/// can be judged, so every rule is not applicable rather than judged on the noise.
fn no_speech(report: &mut Report) {
    report
        .notices
        .push("no speech found: the transcript holds no words, so no rule is judged".into());
    for a in &mut report.advice {
        a.verdict = report::Verdict::NotApplicable;
        a.message = "No speech found in the recording.".into();
        a.evidence.clear();
    }
}
