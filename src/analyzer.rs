//! The analysis of one recording: decoded audio in, the report out.

use std::io::{Read, Seek};
use std::path::Path;
use std::time::Instant;

use crate::audio::{self, Conditioned, DecodeOptions};
use crate::context::Context;
use crate::error::Result;
use crate::nuclei::{RateOptions, SyllableDetector};
use crate::pitch::{PitchOptions, PitchTrack, PitchTracker};
use crate::prosody::{self, ProsodyOptions};
use crate::report::{self, Report, Span};
use crate::rules::Rulebook;

mod assembly;
mod batch_entry;
mod hearing;
mod introduction;
mod numbers_heard;
mod said;
#[cfg(feature = "transcribe")]
mod transcription;

pub(crate) use batch_entry::Pending;
use hearing::Ears;

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
    /// The transcriber, if any (none without the `transcribe` feature).
    ears: Ears,
}

/// Milliseconds since `since`.
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
            ears: Ears::default(),
        })
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
    /// range, [`Error::TooLong`](crate::Error::TooLong) for more audio than
    /// [`DecodeOptions::max_duration_s`], and [`Error::InvalidOptions`](crate::Error::InvalidOptions)
    /// for a peak past [`audio::MAX_FLOAT_PEAK`] (samples on another scale).
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
    /// // 16-bit samples given as floats without scaling: refused, naming `samples`.
    /// let loud: Vec<f32> = tone.iter().map(|v| v * 32768.0).collect();
    /// let err = analyzer.analyze_samples(&loud, 8_000, "loud", &Default::default());
    /// assert!(matches!(err, Err(voicemail_coach::Error::InvalidOptions(m)) if m.contains("samples")));
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
        let heard = self.ears.transcribe(audio);
        self.finish_heard(audio, file, decode_ms, ctx, heard)
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
}

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

/// A transcript (or why there is none) and the time it took, ms.
type Heard = (std::result::Result<report::Transcript, String>, Option<f64>);
