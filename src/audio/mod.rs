//! Decoding WAV recordings and conditioning them to one analysis format.
//!
//! A recording is read once, mixed down to mono and resampled to
//! [`ANALYSIS_RATE_HZ`] (16 kHz, the rate whisper needs) as it is decoded, so memory grows with the
//! conditioned audio only (4 bytes per 16 kHz sample), whatever the file's own rate or channel
//! count.
//!
//! Decoded encodings: PCM 8/16/24/32-bit and IEEE float 32-bit through [`hound`] (plain or
//! `WAVE_FORMAT_EXTENSIBLE`), and G.711 μ-law (format tag 7) and A-law (tag 6), which hound
//! refuses and telephone systems use. Anything else gives [`Error::UnsupportedEncoding`] with the
//! format tag.
//!
//! Before any sample is read, the RIFF structure is checked against the stream's real length: a
//! data chunk that claims more bytes than the file holds is [`Error::Truncated`], and a recording
//! longer than the limit is [`Error::TooLong`], so no input can make the decoder allocate more
//! than the (bounded) conditioned audio.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, Source};

#[cfg(feature = "formats")]
mod compressed;
mod sink;
use sink::Sink;

/// The rate every recording is converted to before analysis, in Hz.
pub const ANALYSIS_RATE_HZ: u32 = 16_000;
/// Lowest file sample rate accepted, in Hz.
pub const MIN_RATE_HZ: u32 = 8_000;
/// Highest file sample rate accepted, in Hz.
pub const MAX_RATE_HZ: u32 = 48_000;

const TAG_PCM: u16 = 0x0001;
const TAG_FLOAT: u16 = 0x0003;
const TAG_ALAW: u16 = 0x0006;
const TAG_MULAW: u16 = 0x0007;
const TAG_EXTENSIBLE: u16 = 0xFFFE;

/// How the file stores its samples (the report's `audio.encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// Unsigned 8-bit PCM.
    PcmU8,
    /// Signed 16-bit PCM.
    PcmS16,
    /// Signed 24-bit PCM.
    PcmS24,
    /// Signed 32-bit PCM.
    PcmS32,
    /// IEEE 754 32-bit float.
    Float32,
    /// G.711 μ-law.
    Mulaw,
    /// G.711 A-law.
    Alaw,
    /// MPEG audio layer III (or I/II).
    Mp3,
    /// AAC.
    Aac,
    /// Vorbis.
    Vorbis,
    /// Opus.
    Opus,
    /// FLAC.
    Flac,
    /// IMA (DVI) ADPCM.
    ImaAdpcm,
    /// Microsoft ADPCM.
    MsAdpcm,
}

impl Encoding {
    /// The report's name for the encoding, e.g. `"pcm_s16"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::PcmU8 => "pcm_u8",
            Encoding::PcmS16 => "pcm_s16",
            Encoding::PcmS24 => "pcm_s24",
            Encoding::PcmS32 => "pcm_s32",
            Encoding::Float32 => "float32",
            Encoding::Mulaw => "mulaw",
            Encoding::Alaw => "alaw",
            Encoding::Mp3 => "mp3",
            Encoding::Aac => "aac",
            Encoding::Vorbis => "vorbis",
            Encoding::Opus => "opus",
            Encoding::Flac => "flac",
            Encoding::ImaAdpcm => "ima_adpcm",
            Encoding::MsAdpcm => "ms_adpcm",
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// File extensions of the recordings a folder is scanned for (lower case). The decoder itself
/// goes by content, not by name.
pub const EXTENSIONS: &[&str] = &[
    "wav", "wave", "mp3", "m4a", "mp4", "aac", "ogg", "oga", "opus", "flac", "gsm", "amr",
];

/// Whether `path` has one of the [`EXTENSIONS`] (any case).
pub fn is_recording(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| EXTENSIONS.iter().any(|e| x.eq_ignore_ascii_case(e)))
}

/// The file format holding the audio, recognised by its content (not its name).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Container {
    /// RIFF/WAVE.
    #[default]
    Wav,
    /// MPEG audio frames, with or without an ID3 tag.
    Mp3,
    /// ISO base media (MP4, M4A).
    Mp4,
    /// Ogg.
    Ogg,
    /// Native FLAC.
    Flac,
}

impl Container {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Container::Wav => "wav",
            Container::Mp3 => "mp3",
            Container::Mp4 => "m4a",
            Container::Ogg => "ogg",
            Container::Flac => "flac",
        }
    }
}

impl std::fmt::Display for Container {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Container::Mp4 => "MP4",
            other => other.extension(),
        })
    }
}

/// What the file header says about the recording (the report's `audio` section).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioInfo {
    /// The file's sample rate in Hz.
    pub sample_rate_hz: u32,
    /// The file's channel count (the analysis uses their mean).
    pub channels: u16,
    /// The sample encoding (the codec).
    pub encoding: Encoding,
    /// The file format holding it.
    #[serde(default)]
    pub container: Container,
    /// Length of the whole file's audio in seconds.
    pub duration_s: f64,
}

/// Peak and clipping figures, measured on the file's own samples before any conversion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClipStats {
    /// Largest absolute sample value in dB relative to full scale; `None` for digital silence.
    pub peak_dbfs: Option<f64>,
    /// Samples at (or within 0.1 % of) full scale.
    pub clipped_samples: u64,
    /// Runs of three or more consecutive full-scale samples in one channel: the mark of a clipped
    /// waveform rather than a lone full-scale peak.
    pub clipped_runs: u64,
}

/// A decoded recording: mono `f32` samples at [`ANALYSIS_RATE_HZ`], in −1.0..=1.0 for fixed-point
/// input (float input is passed through unscaled).
#[derive(Debug, Clone)]
pub struct Conditioned {
    /// Mono samples at [`Conditioned::rate_hz`].
    pub samples: Vec<f32>,
    /// Always [`ANALYSIS_RATE_HZ`].
    pub rate_hz: u32,
    /// What the file header said.
    pub info: AudioInfo,
    /// Peak and clipping on the file's own samples.
    pub clipping: ClipStats,
    /// What the decoder had to work around (damaged packets skipped, a stream ending early).
    pub notices: Vec<String>,
}

impl Conditioned {
    /// Length of the conditioned audio in seconds.
    pub fn duration_s(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.rate_hz)
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

/// The parts of a WAV header the decoder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WavLayout {
    /// Effective format tag (for extensible files, the sub-format's).
    format_tag: u16,
    channels: u16,
    rate: u32,
    block_align: u16,
    bits: u16,
    data_offset: u64,
    data_len: u64,
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

fn not_wav(reason: String) -> Error {
    Error::NotWav {
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

fn unsupported(layout: &WavLayout) -> Error {
    Error::UnsupportedEncoding {
        file: Source::default(),
        format_tag: layout.format_tag,
        name: tag_name(layout.format_tag),
        bits_per_sample: layout.bits,
    }
}

fn io_err(e: io::Error) -> Error {
    Error::Io {
        file: Source::default(),
        source: e,
    }
}

fn tag_name(tag: u16) -> &'static str {
    match tag {
        0x0001 => "PCM",
        0x0002 => "Microsoft ADPCM",
        0x0003 => "IEEE float",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0022 => "TrueSpeech",
        0x0031 => "GSM 6.10",
        0x0040 => "G.721 ADPCM",
        0x0045 => "G.726 ADPCM",
        0x0050 => "MPEG",
        0x0055 => "MPEG layer 3",
        0x0064 => "G.726 ADPCM",
        0x0065 => "G.722 ADPCM",
        0x00FF => "AAC",
        0x0160..=0x0163 => "Windows Media Audio",
        0x1610 => "HE-AAC",
        0xF1AC => "FLAC",
        _ => "unknown",
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

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

fn describe_magic(head: &[u8]) -> String {
    let printable: String = head
        .iter()
        .take(4)
        .map(|&c| if c.is_ascii_graphic() { c as char } else { '.' })
        .collect();
    format!("it starts with {printable:?}")
}

/// Walks the RIFF chunks, checking every size against the stream's real length.
fn scan_layout<R: Read + Seek>(r: &mut R) -> Result<WavLayout> {
    let file_len = r.seek(SeekFrom::End(0)).map_err(io_err)?;
    r.seek(SeekFrom::Start(0)).map_err(io_err)?;

    let mut head = [0u8; 12];
    let n = read_full(r, &mut head).map_err(io_err)?;
    if n == 0 {
        return Err(not_wav("the file is empty".into()));
    }
    if n < 12 {
        if head[..n.min(4)] == b"RIFF"[..n.min(4)] {
            return Err(truncated("RIFF header", 12, n as u64));
        }
        return Err(not_wav(describe_magic(&head[..n])));
    }
    if &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        let reason = if &head[0..4] == b"RF64" {
            "RF64 files are not supported".to_string()
        } else if &head[0..4] == b"RIFF" {
            let form: String = head[8..12].iter().map(|&c| c as char).collect();
            format!("a RIFF file of form {form:?}, not \"WAVE\"")
        } else {
            describe_magic(&head)
        };
        return Err(not_wav(reason));
    }

    let mut pos: u64 = 12;
    let mut fmt: Option<[u8; 40]> = None;
    let mut fmt_len = 0usize;
    loop {
        let mut ch = [0u8; 8];
        let n = read_full(r, &mut ch).map_err(io_err)?;
        if n < 8 {
            return Err(if fmt.is_none() {
                truncated("fmt chunk", 8, n as u64)
            } else {
                truncated("data chunk", 8, n as u64)
            });
        }
        let id = [ch[0], ch[1], ch[2], ch[3]];
        let size = u64::from(u32_at(&ch, 4));
        let body = pos + 8;
        let available = file_len.saturating_sub(body);
        match &id {
            b"fmt " => {
                if size < 16 {
                    return Err(invalid(format!(
                        "fmt chunk of {size} bytes (at least 16 needed)"
                    )));
                }
                if size > available {
                    return Err(truncated("fmt chunk", size, available));
                }
                let mut buf = [0u8; 40];
                let take = size.min(40) as usize;
                read_full(r, &mut buf[..take]).map_err(io_err)?;
                fmt = Some(buf);
                fmt_len = take;
            }
            b"data" => {
                let Some(f) = fmt else {
                    return Err(invalid("data chunk before the fmt chunk".into()));
                };
                if size > available {
                    return Err(truncated("data chunk", size, available));
                }
                return layout_from_fmt(&f[..fmt_len], body, size);
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        let next = body + size + (size & 1);
        if next > file_len {
            return Err(truncated(
                if fmt.is_none() {
                    "fmt chunk"
                } else {
                    "data chunk"
                },
                next - body,
                available,
            ));
        }
        r.seek(SeekFrom::Start(next)).map_err(io_err)?;
        pos = next;
    }
}

fn layout_from_fmt(f: &[u8], data_offset: u64, data_len: u64) -> Result<WavLayout> {
    let invalid = |reason: String| invalid(reason);
    let mut format_tag = u16_at(f, 0);
    let channels = u16_at(f, 2);
    let rate = u32_at(f, 4);
    let block_align = u16_at(f, 12);
    let bits = u16_at(f, 14);
    if format_tag == TAG_EXTENSIBLE {
        if f.len() < 40 {
            return Err(invalid(format!(
                "WAVE_FORMAT_EXTENSIBLE fmt chunk of {} bytes (40 needed)",
                f.len()
            )));
        }
        // The sub-format GUID's first two bytes are the plain format tag.
        format_tag = u16_at(f, 24);
    }
    if channels == 0 {
        return Err(invalid("zero channels".into()));
    }
    if rate == 0 {
        return Err(invalid("zero sample rate".into()));
    }
    let decodable = matches!(format_tag, TAG_PCM | TAG_FLOAT | TAG_ALAW | TAG_MULAW);
    if !decodable {
        // Compressed formats (ADPCM, GSM, …) describe their blocks differently; they are refused
        // by `encoding_of` with their tag, so their sample layout is not checked here.
        return Ok(WavLayout {
            format_tag,
            channels,
            rate,
            block_align: block_align.max(1),
            bits,
            data_offset,
            data_len,
        });
    }
    if bits == 0 {
        return Err(invalid("zero bits per sample".into()));
    }
    let container = u32::from(bits).div_ceil(8) * u32::from(channels);
    if u32::from(block_align) < container {
        return Err(invalid(format!(
            "block align {block_align} is smaller than {channels} channel(s) of {bits} bits"
        )));
    }
    Ok(WavLayout {
        format_tag,
        channels,
        rate,
        block_align,
        bits,
        data_offset,
        data_len,
    })
}

fn encoding_of(l: &WavLayout) -> Result<Encoding> {
    match (l.format_tag, l.bits) {
        (TAG_PCM, 8) => Ok(Encoding::PcmU8),
        (TAG_PCM, 16) => Ok(Encoding::PcmS16),
        (TAG_PCM, 24) => Ok(Encoding::PcmS24),
        (TAG_PCM, 32) => Ok(Encoding::PcmS32),
        (TAG_FLOAT, 32) => Ok(Encoding::Float32),
        (TAG_MULAW, 8) => Ok(Encoding::Mulaw),
        (TAG_ALAW, 8) => Ok(Encoding::Alaw),
        _ => Err(unsupported(l)),
    }
}

/// Decodes a WAV file from its path. See [`decode`].
pub fn decode_path(path: impl AsRef<Path>, options: &DecodeOptions) -> Result<Conditioned> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| io_err(e).with_file(path))?;
    decode(BufReader::new(file), options).map_err(|e| e.with_file(path))
}

/// Decodes a WAV stream to mono `f32` at [`ANALYSIS_RATE_HZ`].
///
/// Stereo and multichannel audio is averaged to mono; rates from [`MIN_RATE_HZ`] to
/// [`MAX_RATE_HZ`] are resampled with rubato's FFT resampler, its delay trimmed so that the output
/// is aligned with the input and neither edge is lost. Errors name no file; [`decode_path`] adds the
/// path.
pub fn decode<R: Read + Seek>(mut reader: R, options: &DecodeOptions) -> Result<Conditioned> {
    if options.max_duration_s.is_nan() || options.max_duration_s <= 0.0 {
        return Err(Error::InvalidOptions(format!(
            "max_duration_s must be positive, got {}",
            options.max_duration_s
        )));
    }
    let file_len = reader.seek(SeekFrom::End(0)).map_err(io_err)?;
    reader.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let mut head = [0u8; 12];
    let n = read_full(&mut reader, &mut head).map_err(io_err)?;
    match sniff(&head[..n])? {
        Some(Container::Wav) | None => decode_wav(reader, file_len, options),
        Some(container) => decode_compressed(reader, file_len, container, options),
    }
}

/// The container `head` (the file's first bytes) starts, `None` when it is none of them (the
/// WAV reader then says what it found).
fn sniff(head: &[u8]) -> Result<Option<Container>> {
    let at = |i: usize, m: &[u8]| head.get(i..i + m.len()) == Some(m);
    Ok(Some(if at(0, b"RIFF") || at(0, b"RF64") {
        Container::Wav
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
    } else {
        return Ok(None);
    }))
}

/// The most bytes of a compressed file read into memory for each second the limit allows
/// (512 kbit/s, more than any voicemail codec needs).
#[cfg(feature = "formats")]
const COMPRESSED_BYTES_PER_S: f64 = 64_000.0;

#[cfg(feature = "formats")]
fn decode_compressed<R: Read + Seek>(
    mut reader: R,
    file_len: u64,
    container: Container,
    options: &DecodeOptions,
) -> Result<Conditioned> {
    let cap = options.max_duration_s * COMPRESSED_BYTES_PER_S;
    if file_len as f64 > cap {
        return Err(Error::TooLong {
            file: Source::default(),
            seconds: file_len as f64 / COMPRESSED_BYTES_PER_S,
            limit: options.max_duration_s,
        });
    }
    reader.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let mut bytes = Vec::with_capacity(file_len as usize);
    reader.read_to_end(&mut bytes).map_err(io_err)?;
    let d = compressed::decode(bytes, container, options)?;
    let duration_s = d.sink.duration_s();
    let (samples, clipping) = d.sink.finish()?;
    Ok(Conditioned {
        samples,
        rate_hz: ANALYSIS_RATE_HZ,
        info: AudioInfo {
            sample_rate_hz: d.rate,
            channels: d.channels,
            encoding: d.encoding,
            container,
            duration_s,
        },
        clipping,
        notices: d.notices,
    })
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

/// Whether a WAV format tag is decoded by the compressed path (symphonia's ADPCM decoders).
fn compressed_in_wav(tag: u16) -> bool {
    matches!(tag, 0x0002 | 0x0011)
}

fn decode_wav<R: Read + Seek>(
    mut reader: R,
    file_len: u64,
    options: &DecodeOptions,
) -> Result<Conditioned> {
    let layout = scan_layout(&mut reader)?;
    if compressed_in_wav(layout.format_tag) {
        return decode_compressed(reader, file_len, Container::Wav, options);
    }
    let encoding = encoding_of(&layout)?;
    if !(MIN_RATE_HZ..=MAX_RATE_HZ).contains(&layout.rate) {
        return Err(Error::UnsupportedSampleRate {
            file: Source::default(),
            rate_hz: layout.rate,
            min_hz: MIN_RATE_HZ,
            max_hz: MAX_RATE_HZ,
        });
    }
    let frames = layout.data_len / u64::from(layout.block_align);
    let duration_s = frames as f64 / f64::from(layout.rate);
    if duration_s > options.max_duration_s {
        return Err(Error::TooLong {
            file: Source::default(),
            seconds: duration_s,
            limit: options.max_duration_s,
        });
    }
    let info = AudioInfo {
        sample_rate_hz: layout.rate,
        channels: layout.channels,
        encoding,
        container: Container::Wav,
        duration_s,
    };
    let mut sink = Sink::new(layout.rate, layout.channels, frames)?;
    match encoding {
        Encoding::Mulaw | Encoding::Alaw => {
            decode_g711(&mut reader, &layout, frames, encoding, &mut sink)?
        }
        _ => decode_hound(&mut reader, &layout, frames, encoding, &mut sink)?,
    }
    let (samples, clipping) = sink.finish()?;
    Ok(Conditioned {
        samples,
        rate_hz: ANALYSIS_RATE_HZ,
        info,
        clipping,
        notices: Vec::new(),
    })
}

fn decode_hound<R: Read + Seek>(
    reader: &mut R,
    layout: &WavLayout,
    frames: u64,
    encoding: Encoding,
    sink: &mut Sink,
) -> Result<()> {
    reader.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let mut wav = hound::WavReader::new(reader).map_err(hound_err(layout))?;
    let total = frames * u64::from(layout.channels);
    if encoding == Encoding::Float32 {
        for (i, s) in wav.samples::<f32>().take(total as usize).enumerate() {
            let v = s.map_err(hound_err(layout))?;
            if !v.is_finite() {
                return Err(Error::NonFiniteSample {
                    file: Source::default(),
                    index: i as u64,
                    value: v,
                });
            }
            sink.push(v)?;
        }
    } else {
        let scale = 1.0 / (1u64 << (layout.bits - 1)) as f32;
        for s in wav.samples::<i32>().take(total as usize) {
            sink.push(s.map_err(hound_err(layout))? as f32 * scale)?;
        }
    }
    Ok(())
}

fn hound_err(layout: &WavLayout) -> impl Fn(hound::Error) -> Error + '_ {
    move |e| match e {
        hound::Error::IoError(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            truncated("data chunk", layout.data_len, 0)
        }
        hound::Error::IoError(e) => io_err(e),
        hound::Error::Unsupported => unsupported(layout),
        other => invalid(other.to_string()),
    }
}

fn decode_g711<R: Read + Seek>(
    reader: &mut R,
    layout: &WavLayout,
    frames: u64,
    encoding: Encoding,
    sink: &mut Sink,
) -> Result<()> {
    let table = if encoding == Encoding::Mulaw {
        g711_table(mulaw_to_linear)
    } else {
        g711_table(alaw_to_linear)
    };
    reader
        .seek(SeekFrom::Start(layout.data_offset))
        .map_err(io_err)?;
    let channels = usize::from(layout.channels);
    let block = usize::from(layout.block_align);
    let mut left = frames;
    let mut buf = vec![0u8; block * 4096];
    while left > 0 {
        let take = left.min(4096) as usize;
        let bytes = &mut buf[..take * block];
        let n = read_full(reader, bytes).map_err(io_err)?;
        if n < bytes.len() {
            return Err(truncated(
                "data chunk",
                layout.data_len,
                (frames - left) * block as u64 + n as u64,
            ));
        }
        for frame in bytes.chunks_exact(block) {
            for &b in &frame[..channels] {
                sink.push(table[usize::from(b)])?;
            }
        }
        left -= take as u64;
    }
    Ok(())
}

fn g711_table(f: fn(u8) -> i16) -> [f32; 256] {
    let mut t = [0.0f32; 256];
    for (i, v) in t.iter_mut().enumerate() {
        *v = f32::from(f(i as u8)) / 32768.0;
    }
    t
}

/// ITU-T G.711 μ-law expansion to 16-bit linear.
pub fn mulaw_to_linear(code: u8) -> i16 {
    let u = !code;
    let exponent = (u >> 4) & 0x07;
    let mantissa = i32::from(u & 0x0F);
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    let v = if u & 0x80 != 0 { -magnitude } else { magnitude };
    v as i16
}

/// ITU-T G.711 A-law expansion to 16-bit linear.
pub fn alaw_to_linear(code: u8) -> i16 {
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
