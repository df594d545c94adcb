//! Compressed recordings: MP3, AAC (MP4/M4A), Vorbis and Opus (Ogg), FLAC, and IMA and Microsoft
//! ADPCM in WAV, demuxed and decoded by symphonia; Opus packets decoded by `opus-decoder` (pure
//! Rust, RFC 8251 conformance vectors).
//!
//! A damaged stream gives what it holds: a packet that does not decode is skipped (and counted
//! in a notice), and the stream ends where the demuxer can no longer find a packet.

use std::io::Cursor;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CodecParameters, DecoderOptions, CODEC_TYPE_NULL, CODEC_TYPE_OPUS};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader, Packet};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::conditioning::Sink;
use super::{Container, DecodeOptions, Encoding, MAX_RATE_HZ, MIN_RATE_HZ};
use crate::error::{Error, Result, Source};

/// What a compressed stream decoded to, before conditioning is finished.
pub(super) struct Decoded {
    pub(super) sink: Sink,
    pub(super) rate: u32,
    pub(super) channels: u16,
    pub(super) encoding: Encoding,
    pub(super) notices: Vec<String>,
    /// Frames the container says the stream holds, where it says.
    pub(super) claimed_frames: Option<u64>,
}

fn unsupported(reason: String) -> Error {
    Error::UnsupportedCodec {
        file: Source::default(),
        reason,
    }
}

use super::invalid as damaged;

/// The report's encoding for a symphonia codec.
fn encoding_of(params: &CodecParameters) -> Option<Encoding> {
    use symphonia::core::codecs as c;
    Some(match params.codec {
        c::CODEC_TYPE_MP3 | c::CODEC_TYPE_MP2 | c::CODEC_TYPE_MP1 => Encoding::Mp3,
        c::CODEC_TYPE_AAC => Encoding::Aac,
        c::CODEC_TYPE_VORBIS => Encoding::Vorbis,
        c::CODEC_TYPE_OPUS => Encoding::Opus,
        c::CODEC_TYPE_FLAC => Encoding::Flac,
        c::CODEC_TYPE_ADPCM_IMA_WAV => Encoding::ImaAdpcm,
        c::CODEC_TYPE_ADPCM_MS => Encoding::MsAdpcm,
        c::CODEC_TYPE_PCM_S16LE => Encoding::PcmS16,
        _ => return None,
    })
}

/// Runs `f`, turning a panic inside the codec crates (symphonia's demuxers panic on some
/// damaged streams) into `None`: bad input must not take the caller down.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

/// Opens the container in `bytes` (what it is was sniffed as `container`).
fn open(bytes: Vec<u8>, container: Container) -> Result<Box<dyn FormatReader>> {
    let mut hint = Hint::new();
    hint.with_extension(container.extension());
    let stream = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let probed = guarded(|| {
        symphonia::default::get_probe().format(
            &hint,
            stream,
            // Encoder delay and padding trimmed where the stream says (LAME/iTunes gapless
            // info): the decoded audio lines up with the original.
            &FormatOptions {
                enable_gapless: true,
                ..FormatOptions::default()
            },
            &MetadataOptions::default(),
        )
    })
    .ok_or_else(|| damaged(format!("the {container} container cannot be read")))?
    .map_err(|e| damaged(format!("the {container} container cannot be read: {e}")))?;
    Ok(probed.format)
}

/// The stream with what the demuxer would otherwise trust blindly checked first: ID3v2 tags
/// before MP3 frames are removed (their sizes would be allocated as claimed, up to 256 MB), and
/// every FLAC metadata block must lie inside the file.
fn checked(mut bytes: Vec<u8>, container: Container) -> Result<Vec<u8>> {
    match container {
        Container::Mp3 => {
            let mut start = 0;
            while let Some(len) = id3_len(&bytes[start..])? {
                start += len;
            }
            bytes.drain(..start);
        }
        Container::Flac => check_flac_blocks(&bytes)?,
        _ => {}
    }
    Ok(bytes)
}

/// The whole length of the ID3v2 tag `b` starts with, if it starts with one.
fn id3_len(b: &[u8]) -> Result<Option<usize>> {
    if b.len() < 10 || &b[0..3] != b"ID3" {
        return Ok(None);
    }
    let size = &b[6..10];
    if size.iter().any(|&x| x & 0x80 != 0) {
        return Err(damaged(
            "the ID3 tag's size is not a valid synchsafe number".into(),
        ));
    }
    let body = size.iter().fold(0usize, |n, &x| (n << 7) | usize::from(x));
    let footer = if b[5] & 0x10 != 0 { 10 } else { 0 };
    let len = 10 + body + footer;
    if len > b.len() {
        return Err(damaged(format!(
            "the ID3 tag claims {len} bytes, more than the {} left in the file",
            b.len()
        )));
    }
    Ok(Some(len))
}

/// Walks a FLAC stream's metadata blocks, each of which must fit in the file.
fn check_flac_blocks(b: &[u8]) -> Result<()> {
    let mut pos = 4;
    loop {
        let Some(h) = b.get(pos..pos + 4) else {
            return Err(damaged("the FLAC metadata ends early".into()));
        };
        let len = (usize::from(h[1]) << 16) | (usize::from(h[2]) << 8) | usize::from(h[3]);
        pos += 4 + len;
        if pos > b.len() {
            return Err(damaged(format!(
                "a FLAC metadata block of {len} bytes runs past the end of the file"
            )));
        }
        if h[0] & 0x80 != 0 {
            return Ok(());
        }
    }
}

/// Checks the track's rate, channels and claimed length against the limits.
fn check(params: &CodecParameters, options: &DecodeOptions) -> Result<(u32, u16)> {
    let rate = params
        .sample_rate
        .ok_or_else(|| damaged("no sample rate in the stream".into()))?;
    if !(MIN_RATE_HZ..=MAX_RATE_HZ).contains(&rate) {
        return Err(Error::UnsupportedSampleRate {
            file: Source::default(),
            rate_hz: rate,
            min_hz: MIN_RATE_HZ,
            max_hz: MAX_RATE_HZ,
        });
    }
    let channels = params.channels.map_or(1, |c| c.count());
    if channels == 0 || channels > 8 {
        return Err(damaged(format!("{channels} channels")));
    }
    if let Some(n) = params.n_frames {
        let seconds = n as f64 / f64::from(rate);
        if seconds > options.max_duration_s {
            return Err(Error::TooLong {
                file: Source::default(),
                seconds,
                limit: options.max_duration_s,
            });
        }
    }
    Ok((rate, channels as u16))
}

/// Frames allowed before the stream is too long, at `rate`.
fn frame_limit(rate: u32, options: &DecodeOptions) -> u64 {
    (options.max_duration_s * f64::from(rate)).ceil() as u64
}

fn too_long(frames: u64, rate: u32, options: &DecodeOptions) -> Error {
    Error::TooLong {
        file: Source::default(),
        seconds: frames as f64 / f64::from(rate),
        limit: options.max_duration_s,
    }
}

/// Most audio frames a byte of a compressed stream is taken to hold when the output buffer is
/// sized: 48 kHz at 8 kbit/s (1 kB/s). A header's claim is not trusted with more memory.
const MAX_FRAMES_PER_BYTE: u64 = 48;

/// Decodes every packet of the stream's first audio track into a sink.
pub(super) fn decode(
    bytes: Vec<u8>,
    container: Container,
    options: &DecodeOptions,
) -> Result<Decoded> {
    // What the output buffer is sized for: the frames the header claims, but no more than the
    // bytes could hold at 8 kbit/s and 48 kHz (a header's claim is not trusted with memory).
    let frames_cap = bytes.len() as u64 * MAX_FRAMES_PER_BYTE;
    let bytes = checked(bytes, container)?;
    let mut format = open(bytes, container)?;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| damaged(format!("no audio track in the {container} container")))?;
    let (id, params) = (track.id, track.codec_params.clone());
    let Some(encoding) = encoding_of(&params) else {
        let name = codec_name(&params);
        return Err(unsupported(format!("{name} in {container}")));
    };
    let (rate, channels) = check(&params, options)?;
    let hint = params
        .n_frames
        .unwrap_or(0)
        .min(frame_limit(rate, options))
        .min(frames_cap);
    if params.codec == CODEC_TYPE_OPUS {
        return opus(format.as_mut(), id, &params, channels, hint, options);
    }
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|e| unsupported(format!("{encoding} in {container}: {e}")))?;
    let mut sink = Sink::new(rate, channels, hint)?;
    let mut skipped = 0u64;
    let mut notices = Vec::new();
    let mut buffer: Option<SampleBuffer<f32>> = None;
    while let Some(packet) = next_packet(format.as_mut(), id, &mut notices) {
        let decoded = match guarded(|| decoder.decode(&packet)) {
            Some(Ok(d)) => d,
            Some(Err(SymError::DecodeError(_))) | None => {
                skipped += 1;
                continue;
            }
            Some(Err(e)) => {
                notices.push(format!("decoding stopped: {e}"));
                break;
            }
        };
        let spec = *decoded.spec();
        if spec.rate != rate || spec.channels.count() != usize::from(channels) {
            notices.push("the stream changes its rate or channels; the rest is left out".into());
            break;
        }
        let buf = buffer.get_or_insert_with(|| SampleBuffer::new(decoded.capacity() as u64, spec));
        if buf.capacity() < decoded.capacity() * spec.channels.count() {
            *buf = SampleBuffer::new(decoded.capacity() as u64, spec);
        }
        buf.copy_interleaved_ref(decoded);
        for &v in buf.samples() {
            sink.push(v)?;
        }
        if sink.frames() > frame_limit(rate, options) {
            return Err(too_long(sink.frames(), rate, options));
        }
    }
    if skipped > 0 {
        notices.push(format!("{skipped} damaged packet(s) skipped"));
    }
    Ok(Decoded {
        sink,
        rate,
        channels,
        encoding,
        notices,
        claimed_frames: params.n_frames,
    })
}

/// The codec's name as symphonia knows it, else its id.
fn codec_name(params: &CodecParameters) -> String {
    symphonia::default::get_codecs()
        .get_codec(params.codec)
        .map_or_else(
            || format!("{:?}", params.codec),
            |d| d.long_name.to_string(),
        )
}

/// The next packet of track `id`; `None` where the stream ends, with a notice unless it ended
/// cleanly.
fn next_packet(
    format: &mut dyn FormatReader,
    id: u32,
    notices: &mut Vec<String>,
) -> Option<Packet> {
    loop {
        match guarded(|| format.next_packet()) {
            Some(Ok(p)) if p.track_id() == id => return Some(p),
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                end_notice(&e, notices);
                return None;
            }
            None => {
                notices.push("the stream is damaged here; the rest is left out".into());
                return None;
            }
        }
    }
}

/// A notice for how the stream ended, unless it ended cleanly.
fn end_notice(e: &SymError, notices: &mut Vec<String>) {
    match e {
        SymError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {}
        other => notices.push(format!("the stream ends early: {other}")),
    }
}

/// The rate Opus is decoded at: its own, 48 kHz (the sink resamples). `opus-decoder` 0.1.1's
/// 16 kHz output of a narrowband stream came out an octave high (median pitch 356 Hz against
/// 178 Hz from its 48 kHz output and from ffmpeg).
const OPUS_RATE_HZ: u32 = 48_000;

/// Opus packets of track `id`, decoded at 48 kHz, the encoder's pre-skip dropped.
fn opus(
    format: &mut dyn FormatReader,
    id: u32,
    params: &CodecParameters,
    channels: u16,
    hint: u64,
    options: &DecodeOptions,
) -> Result<Decoded> {
    if channels > 2 {
        return Err(unsupported(format!(
            "Opus with {channels} channels (1 or 2 are read)"
        )));
    }
    let mut decoder = opus_decoder::OpusDecoder::new(OPUS_RATE_HZ, usize::from(channels))
        .map_err(|e| unsupported(format!("Opus: {e}")))?;
    // Pre-skip, in 48 kHz frames: samples of every channel.
    let mut skip = u64::from(params.delay.unwrap_or(0)) * u64::from(channels);
    let mut sink = Sink::new(OPUS_RATE_HZ, channels, hint)?;
    let mut pcm = vec![0f32; decoder.max_frame_size_per_channel() * usize::from(channels)];
    let (mut skipped, mut notices) = (0u64, Vec::new());
    while let Some(packet) = next_packet(format, id, &mut notices) {
        let n = match guarded(|| decoder.decode_float(&packet.data, &mut pcm, false)) {
            Some(Ok(n)) => n,
            Some(Err(_)) | None => {
                skipped += 1;
                continue;
            }
        };
        for &v in pcm.iter().take(n * usize::from(channels)) {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            sink.push(v)?;
        }
        if sink.frames() > frame_limit(OPUS_RATE_HZ, options) {
            return Err(too_long(sink.frames(), OPUS_RATE_HZ, options));
        }
    }
    if skipped > 0 {
        notices.push(format!("{skipped} damaged Opus packet(s) skipped"));
    }
    Ok(Decoded {
        sink,
        rate: OPUS_RATE_HZ,
        channels,
        encoding: Encoding::Opus,
        notices,
        claimed_frames: None,
    })
}
