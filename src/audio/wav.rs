//! RIFF/WAVE recordings (and their 64-bit forms RF64 and BW64): the chunk walk, the repairs a
//! damaged or never-finalised header needs, and PCM, float and G.711 decoding (PCM and float
//! through [`hound`], fed a clean header for the span of audio the file really holds).
//!
//! Every size is checked against the stream's real length before anything is allocated: a data
//! chunk that claims more than the file holds is read to the end of the file (the recording is
//! then marked truncated), one whose size was never written (0 or `0xFFFFFFFF`) is read to the
//! end, and a trailing partial frame is dropped. Each repair leaves a notice.

use std::io::{Cursor, Read, Seek, SeekFrom};

use super::conditioning::Sink;
use super::{
    invalid, io_err, read_full, truncated, unknown_format, AudioInfo, Conditioned, Container,
    DecodeOptions, Encoding, MAX_RATE_HZ, MIN_RATE_HZ,
};
use crate::error::{Error, Result, Source};

pub(super) const TAG_PCM: u16 = 0x0001;
pub(super) const TAG_MS_ADPCM: u16 = 0x0002;
pub(super) const TAG_FLOAT: u16 = 0x0003;
pub(super) const TAG_ALAW: u16 = 0x0006;
pub(super) const TAG_MULAW: u16 = 0x0007;
pub(super) const TAG_IMA_ADPCM: u16 = 0x0011;
pub(super) const TAG_GSM: u16 = 0x0031;
const TAG_EXTENSIBLE: u16 = 0xFFFE;

/// The most fmt-chunk bytes kept (Microsoft ADPCM's, with its seven coefficient pairs, is 50).
const FMT_MAX: usize = 256;
/// The most channels a WAV recording may have (telephone recordings have one or two).
pub(super) const MAX_CHANNELS: u16 = 32;
/// A data size that means "never written": what a recorder that was killed leaves.
const SIZE_UNSET: u32 = 0xFFFF_FFFF;

/// The parts of a WAV header the decoder needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WavLayout {
    /// Effective format tag (for extensible files, the sub-format's).
    pub(super) format_tag: u16,
    pub(super) channels: u16,
    pub(super) rate: u32,
    /// Bytes per frame (PCM) or per codec block (ADPCM, GSM).
    pub(super) block_align: u16,
    pub(super) bits: u16,
    pub(super) data_offset: u64,
    /// Bytes of audio to read: whole frames or blocks, all inside the file.
    pub(super) data_len: u64,
    /// The fmt chunk's bytes (at most [`FMT_MAX`]).
    pub(super) fmt: Vec<u8>,
}

/// What was worked around to read a damaged file.
#[derive(Debug, Default)]
pub(super) struct Repairs {
    pub(super) notices: Vec<String>,
    /// The file holds less audio than its header claims.
    pub(super) truncated: bool,
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    u64::from(u32_at(b, i)) | (u64::from(u32_at(b, i + 4)) << 32)
}

pub(super) fn tag_name(tag: u16) -> &'static str {
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

pub(super) fn unsupported(layout: &WavLayout) -> Error {
    Error::UnsupportedEncoding {
        file: Source::default(),
        format_tag: layout.format_tag,
        name: tag_name(layout.format_tag),
        bits_per_sample: layout.bits,
    }
}

fn describe_magic(head: &[u8]) -> String {
    let printable: String = head
        .iter()
        .take(4)
        .map(|&c| if c.is_ascii_graphic() { c as char } else { '.' })
        .collect();
    format!("it starts with {printable:?}")
}

/// Reads the 12-byte RIFF header; `true` for the 64-bit forms (RF64, BW64).
fn read_form<R: Read>(r: &mut R) -> Result<bool> {
    let mut head = [0u8; 12];
    let n = read_full(r, &mut head).map_err(io_err)?;
    if n == 0 {
        return Err(unknown_format("the file is empty".into()));
    }
    if n < 12 {
        if head[..n.min(4)] == b"RIFF"[..n.min(4)] {
            return Err(truncated("RIFF header", 12, n as u64));
        }
        return Err(unknown_format(describe_magic(&head[..n])));
    }
    let wide = matches!(&head[0..4], b"RF64" | b"BW64");
    if !(wide || &head[0..4] == b"RIFF") {
        return Err(unknown_format(describe_magic(&head)));
    }
    if &head[8..12] != b"WAVE" {
        let form: String = head[8..12].iter().map(|&c| c as char).collect();
        return Err(unknown_format(format!(
            "a RIFF file of form {form:?}, not \"WAVE\""
        )));
    }
    Ok(wide)
}

/// Walks the chunks up to the data chunk, checking every size against the stream's real length,
/// and repairs what a damaged header says about the data.
pub(super) fn scan_layout<R: Read + Seek>(r: &mut R) -> Result<(WavLayout, Repairs)> {
    let file_len = r.seek(SeekFrom::End(0)).map_err(io_err)?;
    r.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let wide = read_form(r)?;
    let mut pos: u64 = 12;
    let mut fmt: Option<Vec<u8>> = None;
    let mut ds64_data: Option<u64> = None;
    loop {
        let what = if fmt.is_none() {
            "fmt chunk"
        } else {
            "data chunk"
        };
        let mut ch = [0u8; 8];
        let n = read_full(r, &mut ch).map_err(io_err)?;
        if n < 8 {
            return Err(truncated(what, 8, n as u64));
        }
        let size = u32_at(&ch, 4);
        let body = pos + 8;
        let available = file_len.saturating_sub(body);
        match &ch[0..4] {
            b"ds64" if wide => ds64_data = Some(read_ds64(r, size, available)?),
            b"fmt " => fmt = Some(read_fmt(r, size, available)?),
            b"data" => {
                let fmt = fmt.ok_or_else(|| invalid("data chunk before the fmt chunk".into()))?;
                let claimed = match (size, ds64_data) {
                    (SIZE_UNSET, Some(d)) => Some(d),
                    (0 | SIZE_UNSET, _) => None,
                    (s, _) => Some(u64::from(s)),
                };
                let layout = layout_from_fmt(fmt, body)?;
                return data_extent(layout, claimed, available);
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        let size = u64::from(size);
        let next = body + size + (size & 1);
        if next > file_len {
            return Err(truncated(what, next - body, available));
        }
        r.seek(SeekFrom::Start(next)).map_err(io_err)?;
        pos = next;
    }
}

/// The data size from an RF64/BW64 `ds64` chunk.
fn read_ds64<R: Read>(r: &mut R, size: u32, available: u64) -> Result<u64> {
    if size < 24 {
        return Err(invalid(format!(
            "ds64 chunk of {size} bytes (at least 24 needed)"
        )));
    }
    let mut b = [0u8; 24];
    let n = read_full(r, &mut b).map_err(io_err)?;
    if n < 24 {
        return Err(truncated("ds64 chunk", 24, available.min(n as u64)));
    }
    Ok(u64_at(&b, 8))
}

fn read_fmt<R: Read>(r: &mut R, size: u32, available: u64) -> Result<Vec<u8>> {
    let size = u64::from(size);
    if size < 16 {
        return Err(invalid(format!(
            "fmt chunk of {size} bytes (at least 16 needed)"
        )));
    }
    if size > available {
        return Err(truncated("fmt chunk", size, available));
    }
    let mut buf = vec![0u8; size.min(FMT_MAX as u64) as usize];
    read_full(r, &mut buf).map_err(io_err)?;
    Ok(buf)
}

/// Seconds `bytes` of audio last, by the header's average byte rate, for notices.
fn seconds(fmt: &[u8], bytes: u64) -> String {
    match u32_at(fmt, 8) {
        0 => format!("{bytes} bytes"),
        rate => format!("{bytes} bytes ({:.2} s)", bytes as f64 / f64::from(rate)),
    }
}

/// How much of the data chunk is read: what the header claims (`None`: never written) against
/// what the file holds (`available`), cut to whole frames or blocks.
fn data_extent(
    mut layout: WavLayout,
    claimed: Option<u64>,
    available: u64,
) -> Result<(WavLayout, Repairs)> {
    let mut rep = Repairs::default();
    let mut len = match claimed {
        None => {
            if available > 0 {
                rep.notices.push(format!(
                    "the header gives no length for the audio, as a recording that was never \
                     finalised leaves it; read the {} to the end of the file",
                    seconds(&layout.fmt, available)
                ));
            }
            available
        }
        Some(c) if c > available => {
            if available == 0 {
                return Err(truncated("data chunk", c, 0));
            }
            rep.truncated = true;
            rep.notices.push(format!(
                "the file is cut short: its header claims {} of audio, {} were there and were read",
                seconds(&layout.fmt, c),
                seconds(&layout.fmt, available)
            ));
            available
        }
        Some(c) => c,
    };
    let partial = len % u64::from(layout.block_align);
    if partial > 0 {
        let unit = if is_block_codec(layout.format_tag) {
            "block"
        } else {
            "frame"
        };
        rep.notices.push(format!(
            "a trailing partial {unit} of {partial} byte(s) was dropped"
        ));
        len -= partial;
    }
    layout.data_len = len;
    Ok((layout, rep))
}

/// Format tags whose data comes in codec blocks (decoded by the `formats` feature).
pub(super) fn is_block_codec(tag: u16) -> bool {
    matches!(tag, TAG_MS_ADPCM | TAG_IMA_ADPCM | TAG_GSM)
}

fn layout_from_fmt(fmt: Vec<u8>, data_offset: u64) -> Result<WavLayout> {
    let mut format_tag = u16_at(&fmt, 0);
    let channels = u16_at(&fmt, 2);
    let rate = u32_at(&fmt, 4);
    let block_align = u16_at(&fmt, 12);
    let bits = u16_at(&fmt, 14);
    if format_tag == TAG_EXTENSIBLE {
        if fmt.len() < 40 {
            return Err(invalid(format!(
                "WAVE_FORMAT_EXTENSIBLE fmt chunk of {} bytes (40 needed)",
                fmt.len()
            )));
        }
        // The sub-format GUID's first two bytes are the plain format tag.
        format_tag = u16_at(&fmt, 24);
    }
    if channels == 0 {
        return Err(invalid("zero channels".into()));
    }
    if channels > MAX_CHANNELS {
        return Err(invalid(format!(
            "{channels} channels (at most {MAX_CHANNELS} are read)"
        )));
    }
    if rate == 0 {
        return Err(invalid("zero sample rate".into()));
    }
    if block_align == 0 {
        return Err(invalid("block align 0".into()));
    }
    let sampled = matches!(format_tag, TAG_PCM | TAG_FLOAT | TAG_ALAW | TAG_MULAW);
    if sampled {
        if bits == 0 {
            return Err(invalid("zero bits per sample".into()));
        }
        let frame = u32::from(bits).div_ceil(8) * u32::from(channels);
        if u32::from(block_align) < frame {
            return Err(invalid(format!(
                "block align {block_align} is smaller than {channels} channel(s) of {bits} bits"
            )));
        }
    }
    Ok(WavLayout {
        format_tag,
        channels,
        rate,
        block_align,
        bits,
        data_offset,
        data_len: 0,
        fmt,
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

pub(super) fn check_rate(rate: u32) -> Result<()> {
    if (MIN_RATE_HZ..=MAX_RATE_HZ).contains(&rate) {
        return Ok(());
    }
    Err(Error::UnsupportedSampleRate {
        file: Source::default(),
        rate_hz: rate,
        min_hz: MIN_RATE_HZ,
        max_hz: MAX_RATE_HZ,
    })
}

/// Decodes a WAV stream whose header `scan_layout` has read.
pub(super) fn decode<R: Read + Seek>(
    mut reader: R,
    options: &DecodeOptions,
) -> Result<Conditioned> {
    let (layout, repairs) = scan_layout(&mut reader)?;
    let mut out = if is_block_codec(layout.format_tag) {
        super::decode_wav_codec(&mut reader, &layout, options)?
    } else {
        decode_sampled(&mut reader, &layout, options)?
    };
    out.info.truncated |= repairs.truncated;
    let mut notices = repairs.notices;
    notices.append(&mut out.notices);
    out.notices = notices;
    Ok(out)
}

/// PCM, float and G.711 data.
fn decode_sampled<R: Read + Seek>(
    reader: &mut R,
    layout: &WavLayout,
    options: &DecodeOptions,
) -> Result<Conditioned> {
    let encoding = encoding_of(layout)?;
    check_rate(layout.rate)?;
    let frames = layout.data_len / u64::from(layout.block_align);
    let duration_s = frames as f64 / f64::from(layout.rate);
    if duration_s > options.max_duration_s {
        return Err(Error::TooLong {
            file: Source::default(),
            seconds: duration_s,
            limit: options.max_duration_s,
        });
    }
    let mut sink = Sink::new(layout.rate, layout.channels, frames)?;
    let mut notices = Vec::new();
    reader
        .seek(SeekFrom::Start(layout.data_offset))
        .map_err(io_err)?;
    match encoding {
        Encoding::Mulaw | Encoding::Alaw => {
            decode_g711(reader, layout, frames, encoding, &mut sink)?
        }
        _ => decode_hound(reader, layout, encoding, &mut sink, &mut notices)?,
    }
    let (samples, clipping) = sink.finish()?;
    Ok(Conditioned::new(
        samples,
        AudioInfo {
            sample_rate_hz: layout.rate,
            channels: layout.channels,
            encoding,
            container: Container::Wav,
            duration_s,
            truncated: false,
        },
        clipping,
        notices,
    ))
}

/// A plain 44-byte WAV header for the layout's samples and the data length to read: what hound
/// is given in place of the file's own header, which may be damaged, 64-bit or unfinished.
fn clean_header(l: &WavLayout, encoding: Encoding) -> Result<Vec<u8>> {
    let data_len = u32::try_from(l.data_len)
        .ok()
        .filter(|&n| n <= u32::MAX - 36)
        .ok_or_else(|| invalid(format!("{} bytes of audio in one WAV file", l.data_len)))?;
    let tag = if encoding == Encoding::Float32 {
        TAG_FLOAT
    } else {
        TAG_PCM
    };
    let mut h = Vec::with_capacity(44);
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&(36 + data_len).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&tag.to_le_bytes());
    h.extend_from_slice(&l.channels.to_le_bytes());
    h.extend_from_slice(&l.rate.to_le_bytes());
    let byte_rate = l.rate.wrapping_mul(u32::from(l.block_align));
    h.extend_from_slice(&byte_rate.to_le_bytes());
    h.extend_from_slice(&l.block_align.to_le_bytes());
    h.extend_from_slice(&l.bits.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data_len.to_le_bytes());
    Ok(h)
}

/// PCM and float samples through hound; `reader` is at the start of the data.
fn decode_hound<R: Read>(
    reader: &mut R,
    layout: &WavLayout,
    encoding: Encoding,
    sink: &mut Sink,
    notices: &mut Vec<String>,
) -> Result<()> {
    let header = clean_header(layout, encoding)?;
    let stream = Cursor::new(header).chain(reader.take(layout.data_len));
    let mut wav = hound::WavReader::new(stream).map_err(hound_err(layout))?;
    if encoding == Encoding::Float32 {
        for s in wav.samples::<f32>() {
            sink.push(s.map_err(hound_err(layout))?)?;
        }
        notices.extend(sink.non_finite_notice());
    } else {
        let scale = 1.0 / (1u64 << (layout.bits - 1)) as f32;
        for s in wav.samples::<i32>() {
            sink.push(s.map_err(hound_err(layout))? as f32 * scale)?;
        }
    }
    Ok(())
}

fn hound_err(layout: &WavLayout) -> impl Fn(hound::Error) -> Error + '_ {
    move |e| match e {
        hound::Error::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            truncated("data chunk", layout.data_len, 0)
        }
        hound::Error::IoError(e) => io_err(e),
        hound::Error::Unsupported => unsupported(layout),
        other => invalid(other.to_string()),
    }
}

/// Bytes read at a time from G.711 data.
const G711_CHUNK: usize = 1 << 16;

/// G.711 samples; `reader` is at the start of the data.
fn decode_g711<R: Read>(
    reader: &mut R,
    layout: &WavLayout,
    frames: u64,
    encoding: Encoding,
    sink: &mut Sink,
) -> Result<()> {
    let table = if encoding == Encoding::Mulaw {
        g711_table(super::mulaw_to_linear)
    } else {
        g711_table(super::alaw_to_linear)
    };
    let channels = usize::from(layout.channels);
    let block = usize::from(layout.block_align);
    let per_read = (G711_CHUNK / block).max(1);
    let mut buf = vec![0u8; per_read * block];
    let mut left = frames;
    while left > 0 {
        let take = left.min(per_read as u64) as usize;
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

/// The data chunk's bytes, read into memory for a codec decoder; `reader` may be anywhere.
#[cfg(feature = "formats")]
pub(super) fn data_bytes<R: Read + Seek>(reader: &mut R, layout: &WavLayout) -> Result<Vec<u8>> {
    reader
        .seek(SeekFrom::Start(layout.data_offset))
        .map_err(io_err)?;
    let mut data = Vec::with_capacity(layout.data_len as usize);
    reader
        .take(layout.data_len)
        .read_to_end(&mut data)
        .map_err(io_err)?;
    Ok(data)
}

/// A WAV file in memory holding `data` under the layout's own fmt chunk: the repaired form of
/// the file, for demuxers that read the header themselves.
#[cfg(feature = "formats")]
pub(super) fn rebuilt(layout: &WavLayout, data: &[u8]) -> Vec<u8> {
    let fmt = &layout.fmt;
    let pad = fmt.len() & 1;
    let body = 4 + 8 + fmt.len() + pad + 8 + data.len();
    let mut out = Vec::with_capacity(8 + body);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(body as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
    out.extend_from_slice(fmt);
    out.extend(std::iter::repeat_n(0u8, pad));
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    out
}
