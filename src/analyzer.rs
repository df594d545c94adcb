//! The analysis of one recording: decoded audio in, the report out.

use std::io::{Read, Seek};
use std::path::Path;
use std::time::Instant;

use crate::audio::{self, Conditioned, DecodeOptions};
use crate::context::Context;
use crate::error::Result;
use crate::nuclei::{RateOptions, SyllableDetector};
use crate::pitch::{self, PitchOptions, PitchTrack, PitchTracker};
use crate::prosody::{self, ProsodyOptions};
use crate::report::{self, Report, Span};
use crate::rules::{self, Rulebook};
#[cfg(feature = "transcribe")]
use crate::transcribe;
use crate::{content, numbers, pacing, vocab};

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

/// The analysis, built once and shared: it holds FFT plans, windows and filters, and is
/// `Send + Sync`, so one analyzer can serve many threads.
#[derive(Debug)]
pub struct Analyzer {
    options: Options,
    /// Pitch, tracked on the narrow band (`audio::NARROW_RATE_HZ`), as the syllable nuclei are:
    /// both need the telephone band only.
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
/// was found (see [`numbers::loose_runs`]) to be reported as a number: a calibrated probability
/// that every digit is right, so such a number is reported when it is more likely right than not
/// (about 0.12 on the uncalibrated scale, whose bar was 0.2: real callers' zip codes heard a
/// digit short, "6-3-1-6" for 63116, came back right at 0.12-0.19 there).
const LOOSE_MIN_CONFIDENCE: f64 = 0.6;

/// Sound kept after a number's last digit for its second reading, seconds.
#[cfg(feature = "transcribe")]
const NUMBER_END_MARGIN_S: f64 = 0.15;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

impl Analyzer {
    /// Builds an analyzer; fails with [`Error::InvalidOptions`](crate::Error::InvalidOptions)
    /// naming the first option that is unusable, its value and what it may be.
    pub fn new(options: Options) -> Result<Self> {
        options.rulebook.check()?;
        let rate = audio::NARROW_RATE_HZ;
        let pitch = PitchTracker::new(rate, options.pitch.clone())?;
        let syllables = SyllableDetector::new(rate, options.rate.clone())?;
        options.prosody.check()?;
        Ok(Analyzer {
            options,
            pitch,
            syllables,
            #[cfg(feature = "transcribe")]
            transcriber: None,
        })
    }

    /// Adds transcription: reports get a `transcript`, `rate.words_per_minute`,
    /// `rate.transcript_syllables` and `timings_ms.transcribe`.
    #[cfg(feature = "transcribe")]
    pub fn with_transcriber(mut self, transcriber: transcribe::Transcriber) -> Self {
        self.transcriber = Some(transcriber);
        self
    }

    /// Adds transcription with the default model
    /// ([`default_model_path`](transcribe::default_model_path), put in place by
    /// `scripts/fetch-model`) and default [`TranscribeOptions`](transcribe::TranscribeOptions):
    /// the whole analysis. A missing or unreadable model is an
    /// [`Error::Model`](crate::Error::Model) naming the path and how to get one.
    #[cfg(feature = "transcribe")]
    pub fn with_default_model(self) -> Result<Self> {
        let options = transcribe::TranscribeOptions::default();
        Ok(self.with_transcriber(transcribe::Transcriber::load(None, options)?))
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

    /// Decodes and analyses the recording at `path` (WAV, or with the `formats` feature MP3,
    /// M4A, Ogg, FLAC). Errors name the path.
    pub fn analyze_path(&self, path: impl AsRef<Path>) -> Result<Report> {
        self.analyze_path_with(path, &Context::default())
    }

    /// [`analyze_path`](Self::analyze_path) with facts about the recording (expected number,
    /// caller's name, pitch baseline).
    pub fn analyze_path_with(&self, path: impl AsRef<Path>, ctx: &Context) -> Result<Report> {
        let d = self.decode_path(path.as_ref())?;
        Ok(self.finish(&d.audio, d.file, d.decode_ms, ctx))
    }

    /// Decodes the recording at `path`, for [`finish_group`](Self::finish_group).
    pub(crate) fn decode_path(&self, path: &Path) -> Result<Pending> {
        let t0 = Instant::now();
        let audio = audio::decode_path(path, &self.options.decode)?;
        Ok(Pending {
            audio,
            file: path.display().to_string(),
            decode_ms: ms(t0),
        })
    }

    /// Whether recordings of these lengths (seconds) are transcribed together, sharing whisper
    /// windows (see [`Transcriber::transcribe_many`](transcribe::Transcriber::transcribe_many)).
    pub(crate) fn packs(&self, lengths_s: &[f64]) -> bool {
        #[cfg(feature = "transcribe")]
        if self.transcriber.is_some() {
            return transcribe::fit_in_one_window(lengths_s);
        }
        let _ = lengths_s;
        false
    }

    /// Analyses recordings decoded by [`decode_path`](Self::decode_path), transcribing those
    /// that [`packs`](Self::packs) together. Each report's `timings_ms.transcribe` is its share
    /// of the whole, by length.
    pub(crate) fn finish_group(&self, group: &[Pending], ctx: &Context) -> Vec<Report> {
        let heard = self.transcribe_group(group);
        group
            .iter()
            .zip(heard)
            .map(|(d, heard)| self.finish_heard(&d.audio, d.file.clone(), d.decode_ms, ctx, heard))
            .collect()
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
        let audio = audio::decode(reader, &self.options.decode)
            .map_err(|e| e.with_file(Path::new(name)))?;
        Ok(self.finish(&audio, name.to_string(), ms(t0), ctx))
    }

    /// Analyses mono samples already in memory (from a telephony stack, a microphone, another
    /// decoder) at `sample_rate_hz`, 8 to 48 kHz; `name` goes into the report's `file`. Samples
    /// are full scale at ±1.0. Fails with
    /// [`Error::UnsupportedSampleRate`](crate::Error::UnsupportedSampleRate) for a rate out of
    /// range and [`Error::TooLong`](crate::Error::TooLong) for more audio than
    /// [`DecodeOptions::max_duration_s`].
    ///
    /// ```
    /// # let analyzer = voicemail_coach::Analyzer::new(Default::default())?;
    /// let tone: Vec<f32> = (0..16_000)
    ///     .map(|i| 0.3 * (i as f32 * 2.0 * std::f32::consts::PI * 150.0 / 8_000.0).sin())
    ///     .collect();
    /// let report = analyzer.analyze_samples(&tone, 8_000, "tone", &Default::default())?;
    /// assert!((report.audio.duration_s - 2.0).abs() < 1e-9);
    /// let slow = analyzer.analyze_samples(&tone, 4_000, "too slow", &Default::default());
    /// assert!(matches!(slow, Err(voicemail_coach::Error::UnsupportedSampleRate { .. })));
    /// # Ok::<(), voicemail_coach::Error>(())
    /// ```
    pub fn analyze_samples(
        &self,
        samples: &[f32],
        sample_rate_hz: u32,
        name: &str,
        ctx: &Context,
    ) -> Result<Report> {
        let t0 = Instant::now();
        let audio = audio::condition(samples, sample_rate_hz, &self.options.decode)
            .map_err(|e| e.with_file(Path::new(name)))?;
        Ok(self.finish(&audio, name.to_string(), ms(t0), ctx))
    }

    /// Analyses audio already decoded by [`audio::decode`].
    pub fn analyze_conditioned(&self, audio: &Conditioned, name: &str, ctx: &Context) -> Report {
        self.finish(audio, name.to_string(), 0.0, ctx)
    }

    fn finish(&self, audio: &Conditioned, file: String, decode_ms: f64, ctx: &Context) -> Report {
        let heard = self.transcribe(audio);
        self.finish_heard(audio, file, decode_ms, ctx, heard)
    }

    /// The report of `audio`, transcribed as `heard`.
    fn finish_heard(
        &self,
        audio: &Conditioned,
        file: String,
        decode_ms: f64,
        ctx: &Context,
        (heard, transcribe_ms): Heard,
    ) -> Report {
        let t0 = Instant::now();
        let mut a = self.acoustic(audio);
        let mut notices = audio.notices().to_vec();
        let (mut transcript, unheard) = match heard {
            Ok(t) => (Some(t), None),
            Err(why) => {
                notices.push(format!("no transcript: {why}"));
                (None, Some(why))
            }
        };
        let said = match transcript.as_mut() {
            Some(t) => self.said(audio, &mut a, &mut t.words, ctx, &mut notices),
            None => Said::default(),
        };
        let mut report = Report {
            schema_version: report::SCHEMA_VERSION,
            file,
            status: report::Status::Ok,
            status_reason: None,
            audio: audio.info().clone(),
            pitch: pitch_report(&a.track, &a.seg),
            level: level(audio, &a.intensity, &a.seg),
            speech: a.seg.speech,
            rate: a.rate,
            transcript,
            phone_numbers: said.phone_numbers,
            introduction: said.introduction,
            pacing: said.pacing,
            content: said.content,
            advice: Vec::new(),
            timings_ms: report::Timings {
                decode: decode_ms,
                pitch: a.pitch_ms,
                rate: a.rate_ms,
                transcribe: transcribe_ms,
                numbers: said.numbers_ms,
                total: decode_ms + transcribe_ms.unwrap_or(0.0) + ms(t0),
            },
            notices,
        };
        report.set_status(unheard);
        rules::judge_report(&mut report, &self.options.rulebook, ctx);
        if report.status == report::Status::NoSpeech {
            let why = report.status_reason.as_deref().unwrap_or("no speech");
            let notice = format!("no speech found ({why}): nothing is judged");
            report.notices.push(notice);
        }
        report
    }

    /// Pitch, intensity, speech span and syllable rate.
    fn acoustic(&self, audio: &Conditioned) -> Acoustic {
        let t_pitch = Instant::now();
        let narrow = audio.narrow_band();
        let track = self.pitch.track(&narrow);
        let pitch_ms = ms(t_pitch);

        let t_rate = Instant::now();
        let (intensity, seg, rate) = syllable_stage(
            &self.syllables,
            audio,
            &narrow,
            &track,
            &self.options.prosody,
        );
        Acoustic {
            onsets: prosody::onsets(&intensity, &seg, &rate.nuclei_s),
            runs: prosody::sounding_runs(&seg, intensity.hop_s),
            track,
            intensity,
            seg,
            rate,
            pitch_ms,
            rate_ms: ms(t_rate),
        }
    }

    /// What the words say, timed on the sound: the digits moved onto their onsets, the callback
    /// numbers, the introduction and the pacing; the rate in words per minute and the transcript's
    /// syllables.
    fn said(
        &self,
        audio: &Conditioned,
        a: &mut Acoustic,
        words: &mut [report::Word],
        ctx: &Context,
        notices: &mut Vec<String>,
    ) -> Said {
        let starts: Vec<f64> = a.runs.iter().map(|r| r.start_s).collect();
        numbers::time_digits(words, &starts, &a.onsets, DIGIT_REACH_S);
        let t_numbers = Instant::now();
        let (heard, read_twice) = self.numbers(audio, a, words, ctx.number_min_digits(), notices);
        let phone_numbers = numbers::to_report(heard, ctx.expected_number.as_deref());
        let introduction = self.introduction(a, words, ctx);
        let pacing = pacing::measure(
            &a.seg.speech,
            words,
            &a.rate.nuclei_s,
            introduction.as_ref(),
            &phone_numbers,
        );
        let content = self.content(a, words, &phone_numbers);
        // Filled pauses the transcriber left out were said too: a syllable, a word.
        let unwritten = content
            .fillers
            .iter()
            .filter(|f| f.heard_in == report::HeardIn::Sound)
            .count();
        let syllables: usize = words
            .iter()
            .map(|w| vocab::syllables(&w.text))
            .sum::<usize>()
            + unwritten;
        a.rate.transcript_syllables = Some(syllables);
        if let Some(span) = a.seg.speech.span() {
            let spoken: usize = words
                .iter()
                .map(|w| vocab::spoken_words(&w.text))
                .sum::<usize>()
                + unwritten;
            a.rate.words_per_minute = Some(spoken as f64 * 60.0 / span.duration_s());
            a.rate.transcript_rate_sps = Some(syllables as f64 / span.duration_s());
        }
        Said {
            phone_numbers,
            introduction,
            pacing,
            content: Some(content),
            numbers_ms: read_twice.then(|| ms(t_numbers)),
        }
    }

    /// What the words say, with the fillers the sound holds where the words have none.
    fn content(
        &self,
        a: &Acoustic,
        words: &[report::Word],
        numbers: &[report::PhoneNumber],
    ) -> report::Content {
        let spans: Vec<Span> = numbers.iter().map(report::PhoneNumber::span).collect();
        let voice = content::Voice {
            f0_hz: &a.track.f0_hz,
            hop_s: a.track.hop_s,
            runs: &a.runs,
            nuclei_s: &a.rate.nuclei_s,
            numbers: &spans,
        };
        let lists = self.options.rulebook.rules.content_lists();
        content::find(words, &lists, Some(&voice))
    }

    /// The callback numbers heard, their digit groups timed, read a second time when the
    /// transcriber does (then stretches of digits the transcript did not make a number of are
    /// read too); and whether they were read twice.
    fn numbers(
        &self,
        audio: &Conditioned,
        a: &Acoustic,
        words: &[report::Word],
        min_digits: usize,
        notices: &mut Vec<String>,
    ) -> (Vec<numbers::HeardNumber>, bool) {
        let pauses = &a.seg.speech.pauses;
        let nuclei = &a.rate.nuclei_s;
        let regroup = |n: &mut numbers::HeardNumber| {
            let breaks = numbers::group_pauses(&a.runs, n);
            numbers::regroup_at_pauses(n, &breaks, nuclei)
        };
        let mut heard = numbers::find_numbers(words, pauses, min_digits);
        for h in &mut heard {
            numbers::time_groups(h, &a.runs, &a.onsets, DIGIT_REACH_S);
            numbers::anchor_start(h, &a.runs, nuclei, &a.onsets);
            regroup(h);
        }
        let mut found = Found {
            words,
            nuclei_s: nuclei,
            min_digits,
            transcript_heard: true,
        };
        if !self.read_numbers_again(audio, &mut heard, &found, notices) {
            return (heard, false);
        }
        // The second reading may have mended the digits: the groups are redrawn on them.
        heard.iter_mut().for_each(|h| {
            regroup(h);
        });
        let mut loose = numbers::loose_runs(words, &heard, min_digits);
        found.transcript_heard = false;
        self.read_numbers_again(audio, &mut loose, &found, notices);
        for mut n in loose {
            if numbers::shape_prior(&n.digits, min_digits).is_some()
                && n.confidence >= LOOSE_MIN_CONFIDENCE
            {
                regroup(&mut n);
                heard.push(n);
            }
        }
        let start = |n: &numbers::HeardNumber| n.span().map_or(0.0, |s| s.start_s);
        heard.sort_by(|a, b| start(a).total_cmp(&start(b)));
        (heard, true)
    }

    /// The caller's self-introduction, its start moved back onto the name's first syllable.
    fn introduction(
        &self,
        a: &Acoustic,
        words: &[report::Word],
        ctx: &Context,
    ) -> Option<report::Introduction> {
        let mut intro = content::find_introduction(words, ctx.caller_name.as_deref())?;
        let syllables: usize = words[intro.first_word..intro.first_word + intro.words]
            .iter()
            .map(|w| vocab::syllables(&w.text))
            .sum();
        if let Some(start) = numbers::anchor_on_nuclei(
            intro.start_s,
            intro.end_s,
            syllables,
            NAME_ANCHOR_BEFORE_S,
            &a.runs,
            &a.rate.nuclei_s,
            &a.onsets,
        ) {
            intro.start_s = start.min(intro.end_s);
        }
        Some(intro)
    }

    /// The transcript, with the time it took; the reason when there is none.
    #[cfg(feature = "transcribe")]
    fn transcribe(&self, audio: &Conditioned) -> Heard {
        let Some(t) = &self.transcriber else {
            return (Err(NO_TRANSCRIBER.into()), None);
        };
        let start = Instant::now();
        let heard = t.transcribe(audio.samples()).map_err(|e| e.to_string());
        (heard, Some(ms(start)))
    }

    /// The transcripts of a group, packed; each with its share of the time, by length.
    #[cfg(feature = "transcribe")]
    fn transcribe_group(&self, group: &[Pending]) -> Vec<Heard> {
        let Some(t) = self.transcriber.as_ref().filter(|_| group.len() > 1) else {
            return group.iter().map(|d| self.transcribe(&d.audio)).collect();
        };
        let start = Instant::now();
        let clips: Vec<&[f32]> = group.iter().map(|d| d.audio.samples()).collect();
        let heard = t.transcribe_many(&clips);
        let whole = ms(start);
        let length: f64 = group.iter().map(|d| d.audio.duration_s()).sum();
        let share = |d: &Pending| whole * d.audio.duration_s() / length.max(f64::MIN_POSITIVE);
        heard
            .into_iter()
            .zip(group)
            .map(|(h, d)| (h.map_err(|e| e.to_string()), Some(share(d))))
            .collect()
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
        heard: &mut [numbers::HeardNumber],
        found: &Found,
        notices: &mut Vec<String>,
    ) -> bool {
        let Found {
            words,
            nuclei_s,
            min_digits,
            transcript_heard,
        } = *found;
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
            let nuclei = numbers::nuclei_in(span, nuclei_s);
            // A stretch the transcript made no number of has no reading of its own to weigh.
            let first = if transcript_heard {
                h.digits.as_str()
            } else {
                ""
            };
            let prior = numbers::ReadingPrior {
                first,
                min_digits,
                nuclei: Some(nuclei),
            };
            let score = |d: &str| prior.score(d);
            match tr.read_digits(audio.samples(), &window, Some(&h.digits), &score) {
                Ok(readings) => {
                    if let Some(r) = numbers::reconcile(&prior, &readings) {
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
        _heard: &mut [numbers::HeardNumber],
        _found: &Found,
        _notices: &mut Vec<String>,
    ) -> bool {
        false
    }

    #[cfg(not(feature = "transcribe"))]
    fn transcribe_group(&self, group: &[Pending]) -> Vec<Heard> {
        group.iter().map(|d| self.transcribe(&d.audio)).collect()
    }

    #[cfg(not(feature = "transcribe"))]
    fn transcribe(&self, _audio: &Conditioned) -> Heard {
        let why = "transcription is off: this build has no `transcribe` feature";
        (Err(why.into()), None)
    }
}

/// Why a report of an analyzer without a transcriber has no transcript.
#[cfg(feature = "transcribe")]
const NO_TRANSCRIBER: &str = "transcription is off (no whisper model loaded)";

/// The syllable-rate stage: intensity, speech segmentation, syllable nuclei and rates, from the
/// conditioned audio, its narrow-band copy and its pitch track.
pub(crate) fn syllable_stage(
    detector: &SyllableDetector,
    audio: &Conditioned,
    narrow: &[f32],
    track: &PitchTrack,
    options: &ProsodyOptions,
) -> (prosody::Intensity, prosody::Segmentation, report::Rate) {
    let intensity = prosody::intensity(audio.samples(), audio.rate_hz(), track.hop_s);
    let seg = prosody::segment(&intensity, audio.duration_s(), options);
    let nuclei = detector.nuclei(narrow, track, &seg);
    let rate = detector.summarize(nuclei, &seg);
    (intensity, seg, rate)
}

/// A recording decoded, its analysis pending (the batch decodes a group, then finishes it).
pub(crate) struct Pending {
    pub(crate) audio: Conditioned,
    /// The report's `file`.
    pub(crate) file: String,
    decode_ms: f64,
}

/// A transcript (or why there is none) and the time it took, ms.
type Heard = (std::result::Result<report::Transcript, String>, Option<f64>);

/// Where numbers were found, for their second reading.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "transcribe"), allow(dead_code))]
struct Found<'a> {
    /// The transcript's words.
    words: &'a [report::Word],
    /// Syllable nuclei of the recording, seconds.
    nuclei_s: &'a [f64],
    /// The fewest digits a number has.
    min_digits: usize,
    /// Whether the numbers are the transcript's own (else stretches it made no number of).
    transcript_heard: bool,
}

/// The acoustic measurements every later stage builds on.
struct Acoustic {
    track: PitchTrack,
    intensity: prosody::Intensity,
    seg: prosody::Segmentation,
    rate: report::Rate,
    /// Acoustic onsets inside the speech.
    onsets: Vec<f64>,
    /// Sounding runs, start and end seconds.
    runs: Vec<Span>,
    pitch_ms: f64,
    rate_ms: f64,
}

/// What the words say, timed.
#[derive(Default)]
struct Said {
    phone_numbers: Vec<report::PhoneNumber>,
    introduction: Option<report::Introduction>,
    pacing: report::Pacing,
    content: Option<report::Content>,
    numbers_ms: Option<f64>,
}

/// The report's `pitch` section: the contour, its summary over the speech span and the
/// phrase endings.
fn pitch_report(track: &PitchTrack, seg: &prosody::Segmentation) -> report::PitchReport {
    let span = seg
        .speech
        .span()
        .map(|s| (track.frame_at(s.start_s), track.frame_at(s.end_s)));
    report::PitchReport {
        hop_s: track.hop_s,
        f0_hz: track.f0_hz.clone(),
        summary: pitch::summarize(track, span),
        phrases: pitch::phrase_endings(track, &seg.phrases()),
    }
}

/// The report's `level` section.
fn level(
    audio: &Conditioned,
    intensity: &prosody::Intensity,
    seg: &prosody::Segmentation,
) -> report::Level {
    let speech_dbfs = prosody::speech_level(intensity, seg);
    report::Level {
        speech_dbfs,
        background_dbfs: seg.floor_dbfs,
        snr_db: match (speech_dbfs, seg.floor_dbfs) {
            (Some(s), Some(b)) => Some(s - b),
            _ => None,
        },
        peak_dbfs: audio.clipping().peak_dbfs,
        clipped_samples: audio.clipping().clipped_samples,
        clipped_runs: audio.clipping().clipped_runs,
    }
}
