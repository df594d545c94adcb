//! The report put together: the acoustic measurements, what the words say, the verdicts and
//! the notices.

use std::time::Instant;

use super::said::Said;
use super::{ms, Analyzer, Heard};
use crate::audio::Conditioned;
use crate::context::Context;
use crate::pitch::{self, PitchTrack};
use crate::prosody;
use crate::report::{self, Report};
use crate::rules;
use crate::suggestion;

impl Analyzer {
    /// The report of `audio`, transcribed as `heard`.
    pub(super) fn finish_heard(
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
            suggested_message: None,
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
        report.suggested_message = suggestion::suggest(&report, &self.options.rulebook);
        if report.status == report::Status::NoSpeech {
            let why = report.status_reason.as_deref().unwrap_or("no speech");
            let notice = format!("no speech found ({why}): nothing is judged");
            report.notices.push(notice);
        }
        report
    }
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
