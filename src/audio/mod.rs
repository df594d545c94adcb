//! Decoding recordings and conditioning them to one analysis format.
//!
//! A recording is read once, mixed down to mono and resampled to [`ANALYSIS_RATE_HZ`] (16 kHz,
//! the rate whisper needs) as it is decoded, so memory grows with the conditioned audio only
//! (4 bytes per 16 kHz sample), whatever the file's own rate or channel count.
//!
//! The format is recognised by the file's content, not its name ([`Container`]):
//! - WAV (RIFF, and the 64-bit RF64 and BW64): PCM 8/16/24/32-bit and IEEE float 32-bit through
//!   [`hound`] (plain or `WAVE_FORMAT_EXTENSIBLE`); G.711 μ-law and A-law; with the `formats`
//!   feature, IMA and Microsoft ADPCM (symphonia) and GSM 6.10 (WAV49, this crate's decoder).
//! - With the `formats` feature (on by default): MP3, AAC in MP4/M4A, Ogg Vorbis, Ogg Opus,
//!   FLAC and raw GSM 6.10 frames. AMR is recognised and refused with
//!   [`Error::UnsupportedCodec`]; other WAV codecs give [`Error::UnsupportedEncoding`] with their
//!   format tag.
//!
//! A damaged file gives what it holds. A WAV data chunk whose size was never written (0 or
//! `0xFFFFFFFF`, as a recorder that was stopped leaves it) is read to the end of the file; one
//! that claims more than the file holds is read as far as it goes and the recording marked
//! [`AudioInfo::truncated`]; a trailing partial frame is dropped; undecodable packets of a
//! compressed stream are skipped. Each repair is described in [`Conditioned::notices`]. Only a
//! file with no readable audio at all is an error.
//!
//! Every size is checked against the stream's real length before anything is allocated, and a
//! recording longer than the limit is [`Error::TooLong`], so no input can make the decoder
//! allocate more than the (bounded) conditioned audio.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, Source};
pub use crate::report::{AudioInfo, Container, Encoding};

#[cfg(feature = "formats")]
mod compressed;
mod conditioning;
#[cfg(feature = "formats")]
mod gsm;
mod wav;

/// The rate every recording is converted to before analysis, in Hz.
pub const ANALYSIS_RATE_HZ: u32 = 16_000;
/// The rate of the narrow-band copy ([`Conditioned::narrow_band`]) that pitch and syllable
/// nuclei are measured on, in Hz: the telephone band's 8 kHz.
pub const NARROW_RATE_HZ: u32 = ANALYSIS_RATE_HZ / 2;
/// Lowest file sample rate accepted, in Hz.
pub const MIN_RATE_HZ: u32 = 8_000;
/// Highest file sample rate accepted, in Hz.
pub const MAX_RATE_HZ: u32 = 48_000;

/// File extensions of the recordings a folder is scanned for (lower case). The decoder itself
/// goes by content, not by name.
pub const EXTENSIONS: &[&str] = &[
    "wav", "wave", "mp3", "m4a", "mp4", "aac", "ogg", "oga", "opus", "flac", "gsm", "amr",
];

/// Whether `path` has one of the [`EXTENSIONS`] (any case).
pub(crate) fn is_recording(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| EXTENSIONS.iter().any(|e| x.eq_ignore_ascii_case(e)))
}

/// Peak and clipping figures, measured on the file's own samples before any conversion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClipStats {
    /// Largest absolute sample value in dB relative to full scale; `None` for digital silence.
    pub peak_dbfs: Option<f64>,
    /// Samples at (or within 0.1 % of) full scale.
    pub clipped_samples: u64,
    /// Runs of three or more consecutive full-scale samples in one channel: the mark of a clipped
    /// waveform rather than a lone full-scale peak.
    pub clipped_runs: u64,
}

/// Half the length of the narrow-band copy's low-pass filter, taps: about 60 dB of stop band
/// above 1.25 times its cut-off ([`Decimator`](crate::dsp::Decimator)).
const NARROW_HALF_TAPS: usize = 16;

/// A decoded recording: mono `f32` samples at [`ANALYSIS_RATE_HZ`], in −1.0..=1.0 (float input
/// beyond full scale is clipped to it, as playback would, and counted as clipping).
///
/// Only this module makes one ([`decode`], [`decode_path`], [`condition`]), so whatever takes a
/// `Conditioned` can rely on its rate and range.
#[derive(Debug, Clone)]
pub struct Conditioned {
    samples: Vec<f32>,
    info: AudioInfo,
    clipping: ClipStats,
    notices: Vec<String>,
}

impl Conditioned {
    /// Conditioned audio from samples a [`conditioning::Sink`] made (at [`ANALYSIS_RATE_HZ`]).
    fn new(samples: Vec<f32>, info: AudioInfo, clipping: ClipStats, notices: Vec<String>) -> Self {
        Conditioned {
            samples,
            info,
            clipping,
            notices,
        }
    }

    /// Mono samples at [`ANALYSIS_RATE_HZ`].
    pub fn samples(&self) -> &[f32] {
        &self.samples
    }

    /// Their rate: always [`ANALYSIS_RATE_HZ`].
    pub fn rate_hz(&self) -> u32 {
        ANALYSIS_RATE_HZ
    }

    /// What the file header said.
    pub fn info(&self) -> &AudioInfo {
        &self.info
    }

    /// Peak and clipping on the file's own samples.
    pub fn clipping(&self) -> &ClipStats {
        &self.clipping
    }

    /// What the decoder had to work around (damaged packets skipped, a stream ending early).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// The samples at [`NARROW_RATE_HZ`]: low-passed under its Nyquist frequency and decimated.
    pub fn narrow_band(&self) -> Vec<f32> {
        let mut narrow = Vec::new();
        let factor = (ANALYSIS_RATE_HZ / NARROW_RATE_HZ) as usize;
        crate::dsp::Decimator::new(factor, NARROW_HALF_TAPS).process(&self.samples, &mut narrow);
        narrow
    }

    /// Length of the conditioned audio in seconds.
    pub fn duration_s(&self) -> f64 {
        self.samples.len() as f64 / f64::from(ANALYSIS_RATE_HZ)
    }
}

/// Options for [`decode`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// Recordings longer than this (in seconds, by their header) are refused with
    /// [`Error::TooLong`] before anything is decoded. Default: `1800.0` (30 minutes).
    pub max_duration_s: f64,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_duration_s: 1800.0,
        }
    }
}

// Constructors for errors about the unnamed input being decoded; `decode_path` names the file.

fn truncated(what: &'static str, expected: u64, actual: u64) -> Error {
    Error::Truncated {
        file: Source::default(),
        what,
        expected,
        actual,
    }
}

fn invalid(reason: String) -> Error {
    Error::InvalidHeader {
        file: Source::default(),
        reason,
    }
}

fn unknown_format(reason: String) -> Error {
    Error::UnknownFormat {
        file: Source::default(),
        reason,
    }
}

pub(crate) fn resample_err(e: impl std::fmt::Display) -> Error {
    Error::Resample {
        file: Source::default(),
        reason: e.to_string(),
    }
}

fn io_err(e: io::Error) -> Error {
    Error::Io {
        file: Source::default(),
        source: e,
    }
}

/// Reads up to `buf.len()` bytes, returning how many were read (short only at end of stream).
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Decodes the recording at a path, in any format [`decode`] reads. Errors name the path.
pub fn decode_path(path: impl AsRef<Path>, options: &DecodeOptions) -> Result<Conditioned> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| io_err(e).with_file(path))?;
    decode(BufReader::new(file), options).map_err(|e| e.with_file(path))
}

/// Decodes a recording to mono `f32` at [`ANALYSIS_RATE_HZ`], recognising its format by its
/// content (see the [module docs](self)).
///
/// Stereo and multichannel audio is averaged to mono; rates from [`MIN_RATE_HZ`] to
/// [`MAX_RATE_HZ`] are resampled, the resampler's delay trimmed so that the output is aligned
/// with the input and neither edge is lost. A damaged file gives what it holds, with
/// [`Conditioned::notices`] saying what was worked around. Errors name no file; [`decode_path`]
/// adds the path.
pub fn decode<R: Read + Seek>(mut reader: R, options: &DecodeOptions) -> Result<Conditioned> {
    max_duration(options)?;
    let file_len = reader.seek(SeekFrom::End(0)).map_err(io_err)?;
    reader.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let mut head = [0u8; SNIFF_BYTES];
    let n = read_full(&mut reader, &mut head).map_err(io_err)?;
    match sniff(&head[..n])? {
        Some(Container::Wav) | None => wav::decode(reader, options),
        Some(container) => decode_compressed(reader, file_len, container, options),
    }
}

/// The options' duration limit, checked: positive ([`Error::InvalidOptions`] otherwise).
fn max_duration(options: &DecodeOptions) -> Result<f64> {
    let limit = options.max_duration_s;
    if limit.is_nan() || limit <= 0.0 {
        return Err(Error::InvalidOptions(format!(
            "max_duration_s must be positive, got {limit}"
        )));
    }
    Ok(limit)
}

/// The largest sample [`condition`] takes: twice full scale. An over-driven recording clips at
/// about 1.0; a peak past 2 means the samples are on another scale (16-bit integers as floats
/// give peaks in the hundreds or thousands).
pub const MAX_FLOAT_PEAK: f32 = 2.0;

/// Conditions mono samples already in memory, at `rate_hz`, as [`decode`] conditions a file's:
/// resampled to [`ANALYSIS_RATE_HZ`], clipped to full scale, clipping counted. Fails with
/// [`Error::UnsupportedSampleRate`] for a rate outside [`MIN_RATE_HZ`]..=[`MAX_RATE_HZ`], with
/// [`Error::TooLong`] for more than `options.max_duration_s` of audio (and with
/// [`Error::InvalidOptions`] when that limit is not positive); samples that are not numbers (NaN,
/// infinite) are read as silence, with a notice. Samples are full scale at ±1.0: a peak past
/// [`MAX_FLOAT_PEAK`] is [`Error::InvalidOptions`] naming `samples` (integer samples given
/// as floats without scaling), while a smaller overshoot is clipping, clipped and counted.
pub fn condition(samples: &[f32], rate_hz: u32, options: &DecodeOptions) -> Result<Conditioned> {
    let limit = max_duration(options)?;
    wav::check_rate(rate_hz)?;
    let peak = samples
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f32, |m, v| m.max(v.abs()));
    crate::error::require(
        peak <= MAX_FLOAT_PEAK,
        "samples",
        format_args!("a peak of {peak}"),
        "full scale at ±1.0 (16-bit integer samples are divided by 32768)",
    )?;
    let duration_s = samples.len() as f64 / f64::from(rate_hz);
    if duration_s > limit {
        return Err(Error::TooLong {
            file: Source::default(),
            seconds: duration_s,
            limit,
        });
    }
    let mut sink = conditioning::Sink::new(rate_hz, 1, samples.len() as u64)?;
    for &v in samples {
        sink.push(v)?;
    }
    let notices: Vec<String> = sink.non_finite_notice().into_iter().collect();
    let (samples, clipping) = sink.finish()?;
    Ok(Conditioned::new(
        samples,
        AudioInfo {
            sample_rate_hz: rate_hz,
            channels: 1,
            encoding: Encoding::Float32,
            container: Container::Samples,
            duration_s,
            truncated: false,
        },
        clipping,
        notices,
    ))
}

/// Bytes of a file's start looked at to recognise it: eight raw GSM frames.
const SNIFF_BYTES: usize = 8 * RAW_GSM_FRAME;

/// The container `head` (the file's first bytes) starts, `None` when it is none of them (the
/// WAV reader then says what it found).
fn sniff(head: &[u8]) -> Result<Option<Container>> {
    let at = |i: usize, m: &[u8]| head.get(i..i + m.len()) == Some(m);
    Ok(Some(
        if at(0, b"RIFF") || at(0, b"RF64") || at(0, b"BW64") {
            Container::Wav
        } else if head.len() >= 2 && head[0] == 0xFF && head[1] & 0xF6 == 0xF0 {
            // An MPEG sync word with layer 0: AAC in ADTS frames.
            Container::Adts
        } else if at(0, b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
            Container::Mp3
        } else if at(4, b"ftyp") {
            Container::Mp4
        } else if at(0, b"OggS") {
            Container::Ogg
        } else if at(0, b"fLaC") {
            Container::Flac
        } else if at(0, b"#!AMR") {
            return Err(Error::UnsupportedCodec {
                file: Source::default(),
                reason: "AMR-NB (#!AMR): no maintained Rust decoder passes the 3GPP reference \
                     vectors, so it is not decoded; convert it (ffmpeg -i in.amr out.wav)"
                    .into(),
            });
        } else if raw_gsm(head) {
            Container::Gsm
        } else {
            return Ok(None);
        },
    ))
}

/// Bytes of a raw GSM 6.10 frame: a 4-bit signature (0xD) and 260 bits of parameters.
const RAW_GSM_FRAME: usize = 33;

/// Whether `head` (a file's first bytes) looks like raw GSM: every whole frame in it starts with
/// the 0xD signature, and there is at least one.
fn raw_gsm(head: &[u8]) -> bool {
    let frames = head.len() / RAW_GSM_FRAME;
    frames > 0 && (0..frames).all(|i| head[i * RAW_GSM_FRAME] >> 4 == 0xD)
}

/// The most bytes of a compressed file read into memory for each second the limit allows
/// (512 kbit/s, more than any voicemail codec needs).
#[cfg(feature = "formats")]
const COMPRESSED_BYTES_PER_S: f64 = 64_000.0;

/// Refuses `bytes` of compressed audio that would last longer than the limit at any voicemail
/// bit rate, before they are read into memory.
#[cfg(feature = "formats")]
fn check_compressed_len(bytes: u64, options: &DecodeOptions) -> Result<()> {
    if bytes as f64 > options.max_duration_s * COMPRESSED_BYTES_PER_S {
        return Err(Error::TooLong {
            file: Source::default(),
            seconds: bytes as f64 / COMPRESSED_BYTES_PER_S,
            limit: options.max_duration_s,
        });
    }
    Ok(())
}

#[cfg(feature = "formats")]
fn decode_compressed<R: Read + Seek>(
    mut reader: R,
    file_len: u64,
    container: Container,
    options: &DecodeOptions,
) -> Result<Conditioned> {
    check_compressed_len(file_len, options)?;
    reader.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let mut bytes = Vec::with_capacity(file_len as usize);
    reader.read_to_end(&mut bytes).map_err(io_err)?;
    let decoded = if container == Container::Gsm {
        gsm::decode_raw(&bytes, options)?
    } else {
        compressed::decode(bytes, container, options)?
    };
    conditioned(decoded, container)
}

#[cfg(not(feature = "formats"))]
fn decode_compressed<R: Read + Seek>(
    _reader: R,
    _file_len: u64,
    container: Container,
    _options: &DecodeOptions,
) -> Result<Conditioned> {
    Err(Error::UnsupportedCodec {
        file: Source::default(),
        reason: format!("{container} recordings need the crate's `formats` feature"),
    })
}

/// Codec data in a WAV file (ADPCM, GSM 6.10), repaired as its layout says.
#[cfg(feature = "formats")]
fn decode_wav_codec<R: Read + Seek>(
    reader: &mut R,
    layout: &wav::WavLayout,
    options: &DecodeOptions,
) -> Result<Conditioned> {
    wav::check_rate(layout.rate)?;
    check_compressed_len(layout.data_len, options)?;
    let data = wav::data_bytes(reader, layout)?;
    let decoded = if layout.format_tag == wav::TAG_GSM {
        gsm::decode_wav49(&data, layout.channels, layout.rate, options)?
    } else {
        compressed::decode(wav::rebuilt(layout, &data), Container::Wav, options)?
    };
    conditioned(decoded, Container::Wav)
}

#[cfg(not(feature = "formats"))]
fn decode_wav_codec<R: Read + Seek>(
    _reader: &mut R,
    layout: &wav::WavLayout,
    _options: &DecodeOptions,
) -> Result<Conditioned> {
    Err(wav::unsupported(layout))
}

/// Share of the frames a header claims that a stream must hold not to be called cut short:
/// encoders' frame counts run a few percent over what a stream holds (padding, priming).
#[cfg(feature = "formats")]
const CLAIM_KEPT: f64 = 0.97;

/// Finishes a codec's output; a stream that gives well under the length its header claims (cut
/// short, or with damaged stretches skipped) is marked truncated.
#[cfg(feature = "formats")]
fn conditioned(d: compressed::Decoded, container: Container) -> Result<Conditioned> {
    let duration_s = d.sink.duration_s();
    let mut notices = d.notices;
    let read = d.sink.frames();
    let truncated = d
        .claimed_frames
        .is_some_and(|claimed| (read as f64) < CLAIM_KEPT * claimed as f64);
    if let (true, Some(claimed)) = (truncated, d.claimed_frames) {
        let rate = f64::from(d.rate);
        notices.push(format!(
            "the stream holds less audio than its header claims ({:.2} s): {:.2} s were read",
            claimed as f64 / rate,
            read as f64 / rate
        ));
    }
    let (samples, clipping) = d.sink.finish()?;
    Ok(Conditioned::new(
        samples,
        AudioInfo {
            sample_rate_hz: d.rate,
            channels: d.channels,
            encoding: d.encoding,
            container,
            duration_s,
            truncated,
        },
        clipping,
        notices,
    ))
}

/// ITU-T G.711 μ-law expansion to 16-bit linear.
pub(crate) fn mulaw_to_linear(code: u8) -> i16 {
    let u = !code;
    let exponent = (u >> 4) & 0x07;
    let mantissa = i32::from(u & 0x0F);
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    let v = if u & 0x80 != 0 { -magnitude } else { magnitude };
    v as i16
}

/// ITU-T G.711 A-law expansion to 16-bit linear.
pub(crate) fn alaw_to_linear(code: u8) -> i16 {
    let a = code ^ 0x55;
    let exponent = (a >> 4) & 0x07;
    let mantissa = i32::from(a & 0x0F);
    let magnitude = if exponent == 0 {
        (mantissa << 4) + 8
    } else {
        ((mantissa << 4) + 0x108) << (exponent - 1)
    };
    let v = if a & 0x80 != 0 { magnitude } else { -magnitude };
    v as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_in_memory_that_are_not_numbers_are_silence_with_a_notice() {
        let mut samples = vec![0.1f32; 800];
        samples[10] = f32::NAN;
        samples[20] = f32::INFINITY;
        let c = condition(&samples, 8_000, &DecodeOptions::default()).expect("conditioned");
        assert!(c.samples.iter().all(|v| v.is_finite()));
        assert_eq!(c.notices.len(), 1, "{:?}", c.notices);
        assert!(c.notices[0].starts_with("2 sample(s)"), "{:?}", c.notices);
        assert_eq!(c.info.container, Container::Samples);
        assert!(condition(&samples, 4_000, &DecodeOptions::default()).is_err());
    }

    #[test]
    fn g711_known_values() {
        // Values from the ITU-T G.711 tables.
        assert_eq!(mulaw_to_linear(0xFF), 0);
        assert_eq!(mulaw_to_linear(0x7F), 0);
        assert_eq!(mulaw_to_linear(0x00), -32124);
        assert_eq!(mulaw_to_linear(0x80), 32124);
        assert_eq!(alaw_to_linear(0xD5), 8);
        assert_eq!(alaw_to_linear(0x55), -8);
        assert_eq!(alaw_to_linear(0xAA), 32256);
        assert_eq!(alaw_to_linear(0x2A), -32256);
    }

    #[test]
    fn g711_is_monotonic() {
        // Positive μ-law codes 0xFF..=0x80 encode rising magnitudes.
        let mut last = -1;
        for c in (0x80u8..=0xFF).rev() {
            let v = i32::from(mulaw_to_linear(c));
            assert!(
                v > last || (v == 0 && last == -1),
                "code {c:#x}: {v} after {last}"
            );
            last = v;
        }
    }
}
