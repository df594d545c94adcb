//! GSM 06.10 full-rate speech (RPE-LTP), as Asterisk stores it raw (`.gsm`: 33-byte frames) and
//! as WAV49 (Microsoft GSM 6.10 in WAV, format tag 0x31: two frames in each 65-byte block, bits
//! packed from the least significant end): Asterisk's `format=wav49`, Exchange and Cisco Unity
//! voicemail.
//!
//! The decoder follows the fixed-point arithmetic of ETSI EN 300 961 (GSM 06.10) section 4.3,
//! so its output is bit-exact with the reference decoder (checked against sox, which uses the
//! reference C library, in this module's tests).

use super::compressed::Decoded;
use super::conditioning::Sink;
use super::{DecodeOptions, Encoding};
use crate::error::{Error, Result, Source};

/// Samples in one 20 ms frame at 8 kHz.
const FRAME_SAMPLES: usize = 160;
/// Bytes of a raw frame: a 4-bit signature (0xD) and 260 bits of parameters.
pub(super) const RAW_FRAME: usize = super::RAW_GSM_FRAME;
/// Bytes of a WAV49 block: two frames of 260 bits each.
pub(super) const WAV49_BLOCK: usize = 65;
/// GSM's sample rate.
const RATE_HZ: u32 = 8_000;

/// The decoded parameters of one frame.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Frame {
    /// Log-area ratios, coded (offset by their minimum, as transmitted).
    larc: [i16; 8],
    /// Per sub-frame: LTP lag, LTP gain, RPE grid, block maximum, and the 13 pulses.
    nc: [i16; 4],
    bc: [i16; 4],
    mc: [i16; 4],
    xmaxc: [i16; 4],
    xmc: [[i16; 13]; 4],
}

/// Widths of the frame's fields in order: eight LARs, then per sub-frame Nc, bc, Mc, xmaxc and
/// 13 pulses.
const LAR_BITS: [u32; 8] = [6, 6, 5, 5, 4, 4, 3, 3];

impl Frame {
    /// Reads the 260 parameter bits from `next(width)`, which returns the next field's value.
    fn read(mut next: impl FnMut(u32) -> i16) -> Frame {
        let mut f = Frame::default();
        for (l, &w) in f.larc.iter_mut().zip(&LAR_BITS) {
            *l = next(w);
        }
        for j in 0..4 {
            f.nc[j] = next(7);
            f.bc[j] = next(2);
            f.mc[j] = next(2);
            f.xmaxc[j] = next(6);
            for x in &mut f.xmc[j] {
                *x = next(3);
            }
        }
        f
    }

    /// A raw frame (33 bytes, most significant bit first after the 0xD signature); `None` when
    /// the signature is wrong.
    fn from_raw(b: &[u8]) -> Option<Frame> {
        if b.len() < RAW_FRAME || b[0] >> 4 != 0xD {
            return None;
        }
        let mut pos = 4usize;
        Some(Frame::read(|width| {
            let mut v = 0i16;
            for _ in 0..width {
                let bit = (b[pos / 8] >> (7 - pos % 8)) & 1;
                v = (v << 1) | i16::from(bit);
                pos += 1;
            }
            v
        }))
    }

    /// The two frames of a WAV49 block (65 bytes, least significant bit first).
    fn from_wav49(b: &[u8]) -> [Frame; 2] {
        let mut pos = 0usize;
        let mut next = |width: u32| {
            let mut v = 0i16;
            for i in 0..width {
                let bit = (b[pos / 8] >> (pos % 8)) & 1;
                v |= i16::from(bit) << i;
                pos += 1;
            }
            v
        };
        let first = Frame::read(&mut next);
        let second = Frame::read(&mut next);
        [first, second]
    }
}

// The fixed-point operations of GSM 06.10 section 4.2.

fn sat(v: i32) -> i16 {
    v.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

fn add(a: i16, b: i16) -> i16 {
    sat(i32::from(a) + i32::from(b))
}

fn sub(a: i16, b: i16) -> i16 {
    sat(i32::from(a) - i32::from(b))
}

fn mult_r(a: i16, b: i16) -> i16 {
    if a == i16::MIN && b == i16::MIN {
        return i16::MAX;
    }
    ((i32::from(a) * i32::from(b) + 16_384) >> 15) as i16
}

/// Arithmetic shift right by `n`, left for negative `n`, as the standard's `asr`.
fn asr(a: i16, n: i16) -> i16 {
    if n >= 16 {
        -i16::from(a < 0)
    } else if n <= -16 {
        0
    } else if n < 0 {
        (i32::from(a) << -n) as i16
    } else {
        a >> n
    }
}

/// Arithmetic shift left by `n`, as the standard's `asl`.
fn asl(a: i16, n: i16) -> i16 {
    if n >= 16 {
        0
    } else if n <= -16 {
        -i16::from(a < 0)
    } else if n < 0 {
        asr(a, -n)
    } else {
        (i32::from(a) << n) as i16
    }
}

/// Table 4.1 of the standard, per LAR: B, MIC (the coded minimum) and 1/A.
const LAR_B: [i16; 8] = [0, 0, 2048, -2560, 94, -1792, -341, -1144];
const LAR_MIC: [i16; 8] = [-32, -32, -16, -16, -8, -8, -4, -4];
const LAR_INVA: [i16; 8] = [13107, 13107, 13107, 13107, 19223, 17476, 31454, 29708];
/// Normalised mantissas of the RPE block maximum (table 4.6).
const FAC: [i16; 8] = [18431, 20479, 22527, 24575, 26623, 28671, 30719, 32767];
/// LTP gains (table 4.3).
const QLB: [i16; 4] = [3277, 11469, 21299, 32767];

/// The decoder's memory from one frame to the next.
pub(super) struct Decoder {
    /// Reconstructed long-term residual: 120 past samples, then the current sub-frame's 40.
    dp: [i16; 160],
    /// Last valid LTP lag.
    nrp: i16,
    /// Decoded LARs of the previous and the current frame.
    larpp: [[i16; 8]; 2],
    j: usize,
    /// Short-term synthesis filter state.
    v: [i16; 9],
    /// De-emphasis filter state.
    msr: i16,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder {
            dp: [0; 160],
            nrp: 40,
            larpp: [[0; 8]; 2],
            j: 0,
            v: [0; 9],
            msr: 0,
        }
    }
}

impl Decoder {
    /// Decodes one frame into 160 samples (13-bit resolution in 16-bit words).
    fn frame(&mut self, f: &Frame, out: &mut [i16; FRAME_SAMPLES]) {
        let mut wt = [0i16; FRAME_SAMPLES];
        for j in 0..4 {
            let erp = rpe_decoding(f.xmaxc[j], f.mc[j], &f.xmc[j]);
            self.long_term(f.nc[j], f.bc[j], &erp);
            wt[j * 40..j * 40 + 40].copy_from_slice(&self.dp[120..160]);
        }
        self.short_term(&f.larc, &wt, out);
        for s in out.iter_mut() {
            // De-emphasis, up-scaling and truncation to 13 bits.
            self.msr = add(*s, mult_r(self.msr, 28180));
            *s = add(self.msr, self.msr) & !7;
        }
    }

    /// Long-term (pitch) synthesis of one sub-frame into `dp[120..160]`, then the history shift.
    fn long_term(&mut self, ncr: i16, bcr: i16, erp: &[i16; 40]) {
        let nr = if (40..=120).contains(&ncr) {
            ncr
        } else {
            self.nrp
        };
        self.nrp = nr;
        let brp = QLB[bcr as usize & 3];
        for (k, &e) in erp.iter().enumerate() {
            let past = self.dp[120 + k - nr as usize];
            self.dp[120 + k] = add(e, mult_r(brp, past));
        }
        self.dp.copy_within(40..160, 0);
    }

    /// Short-term (LPC) synthesis of the whole frame, its coefficients interpolated from the
    /// previous frame's over the first 40 samples.
    fn short_term(&mut self, larc: &[i16; 8], wt: &[i16; FRAME_SAMPLES], out: &mut [i16]) {
        let cur = self.j;
        self.j ^= 1;
        let prev = self.j;
        for i in 0..8 {
            let t = sub(
                sat((i32::from(larc[i]) + i32::from(LAR_MIC[i])) << 10),
                LAR_B[i] << 1,
            );
            let t = mult_r(LAR_INVA[i], t);
            self.larpp[cur][i] = add(t, t);
        }
        let (p, c) = (self.larpp[prev], self.larpp[cur]);
        let segments: [(usize, usize, Mix); 4] = [
            (0, 13, |p, c| add(add(p >> 2, c >> 2), p >> 1)),
            (13, 27, |p, c| add(p >> 1, c >> 1)),
            (27, 40, |p, c| add(add(p >> 2, c >> 2), c >> 1)),
            (40, 160, |_, c| c),
        ];
        for (start, end, mix) in segments {
            let mut rp = [0i16; 8];
            for i in 0..8 {
                rp[i] = lar_to_rp(mix(p[i], c[i]));
            }
            self.synthesis(&rp, &wt[start..end], &mut out[start..end]);
        }
    }

    fn synthesis(&mut self, rrp: &[i16; 8], wt: &[i16], out: &mut [i16]) {
        for (o, &w) in out.iter_mut().zip(wt) {
            let mut sri = w;
            for i in (0..8).rev() {
                sri = sub(sri, mult_r(rrp[i], self.v[i]));
                self.v[i + 1] = add(self.v[i], mult_r(rrp[i], sri));
            }
            self.v[0] = sri;
            *o = sri;
        }
    }
}

/// How one segment of a frame mixes the previous frame's LAR with the current one.
type Mix = fn(i16, i16) -> i16;

/// A log-area ratio to a reflection coefficient (section 4.2.8).
fn lar_to_rp(lar: i16) -> i16 {
    let mag = |t: i16| {
        if t < 11059 {
            t << 1
        } else if t < 20070 {
            t + 11059
        } else {
            add(t >> 2, 26112)
        }
    };
    if lar < 0 {
        let t = if lar == i16::MIN { i16::MAX } else { -lar };
        -mag(t)
    } else {
        mag(lar)
    }
}

/// The RPE excitation of one sub-frame: 13 pulses de-quantised and put on their grid.
fn rpe_decoding(xmaxc: i16, mc: i16, xmc: &[i16; 13]) -> [i16; 40] {
    // The block maximum's exponent and mantissa (section 4.2.15).
    let mut exp = if xmaxc > 15 { (xmaxc >> 3) - 1 } else { 0 };
    let mut mant = xmaxc - (exp << 3);
    if mant == 0 {
        exp = -4;
        mant = 7;
    } else {
        while mant <= 7 {
            mant = (mant << 1) | 1;
            exp -= 1;
        }
        mant -= 8;
    }
    // Inverse APCM quantisation (section 4.2.16).
    let fac = FAC[mant as usize & 7];
    let shift = sub(6, exp);
    let round = asl(1, sub(shift, 1));
    let mut erp = [0i16; 40];
    let grid = (mc & 3) as usize;
    for (i, &x) in xmc.iter().enumerate() {
        let t = ((x << 1) - 7) << 12;
        let t = add(mult_r(fac, t), round);
        erp[grid + 3 * i] = asr(t, shift);
    }
    erp
}

fn too_long(frames: usize, rate: u32, options: &DecodeOptions) -> Result<()> {
    let seconds = (frames * FRAME_SAMPLES) as f64 / f64::from(rate);
    if seconds > options.max_duration_s {
        return Err(Error::TooLong {
            file: Source::default(),
            seconds,
            limit: options.max_duration_s,
        });
    }
    Ok(())
}

fn push(sink: &mut Sink, pcm: &[i16; FRAME_SAMPLES]) -> Result<()> {
    for &s in pcm {
        sink.push(f32::from(s) / 32768.0)?;
    }
    Ok(())
}

/// Decodes raw GSM frames (8 kHz mono). A frame without the signature is read as silence, to keep
/// the timing, and counted in a notice; a trailing partial frame is dropped with a notice.
pub(super) fn decode_raw(bytes: &[u8], options: &DecodeOptions) -> Result<Decoded> {
    let frames = bytes.len() / RAW_FRAME;
    too_long(frames, RATE_HZ, options)?;
    let mut sink = Sink::new(RATE_HZ, 1, (frames * FRAME_SAMPLES) as u64)?;
    let mut dec = Decoder::default();
    let mut pcm = [0i16; FRAME_SAMPLES];
    let mut bad = 0usize;
    for chunk in bytes.chunks_exact(RAW_FRAME) {
        match Frame::from_raw(chunk) {
            Some(f) => dec.frame(&f, &mut pcm),
            None => {
                bad += 1;
                pcm = [0; FRAME_SAMPLES];
            }
        }
        push(&mut sink, &pcm)?;
    }
    let mut notices = Vec::new();
    if bad > 0 {
        notices.push(format!(
            "{bad} damaged GSM frame(s) (no 0xD signature) read as silence"
        ));
    }
    let partial = bytes.len() % RAW_FRAME;
    if partial > 0 {
        notices.push(format!(
            "a trailing partial GSM frame of {partial} byte(s) was dropped"
        ));
    }
    Ok(decoded(sink, RATE_HZ, notices))
}

/// Decodes WAV49 data: whole 65-byte blocks, mono, at the header's `rate`.
pub(super) fn decode_wav49(
    data: &[u8],
    channels: u16,
    rate: u32,
    options: &DecodeOptions,
) -> Result<Decoded> {
    if channels != 1 {
        return Err(Error::UnsupportedCodec {
            file: Source::default(),
            reason: format!("GSM 6.10 with {channels} channels (WAV49 is mono)"),
        });
    }
    let blocks = data.len() / WAV49_BLOCK;
    too_long(blocks * 2, rate, options)?;
    let mut sink = Sink::new(rate, 1, (blocks * 2 * FRAME_SAMPLES) as u64)?;
    let mut dec = Decoder::default();
    let mut pcm = [0i16; FRAME_SAMPLES];
    for block in data.chunks_exact(WAV49_BLOCK) {
        for f in Frame::from_wav49(block) {
            dec.frame(&f, &mut pcm);
            push(&mut sink, &pcm)?;
        }
    }
    Ok(decoded(sink, rate, Vec::new()))
}

fn decoded(sink: Sink, rate: u32, notices: Vec<String>) -> Decoded {
    Decoded {
        sink,
        rate,
        channels: 1,
        encoding: Encoding::Gsm,
        notices,
        claimed_frames: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/formats/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// 16-bit little-endian samples of a sox decode.
    fn samples(bytes: &[u8]) -> Vec<i16> {
        bytes
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect()
    }

    fn decode_all(frames: impl Iterator<Item = Frame>) -> Vec<i16> {
        let mut dec = Decoder::default();
        let mut out = Vec::new();
        let mut pcm = [0i16; FRAME_SAMPLES];
        for f in frames {
            dec.frame(&f, &mut pcm);
            out.extend_from_slice(&pcm);
        }
        out
    }

    #[test]
    fn raw_frames_decode_bit_exact_with_the_reference_decoder() {
        // The first 5 s of clark.gsm decoded by sox (libgsm, the reference implementation) to
        // 16-bit PCM.
        let truth = samples(&fixture("clark-gsm.sox.raw"));
        let ours = decode_all(
            fixture("clark.gsm")
                .chunks_exact(RAW_FRAME)
                .map(|c| Frame::from_raw(c).expect("signature")),
        );
        assert!(ours.len() >= truth.len(), "{} samples", ours.len());
        let differing = ours.iter().zip(&truth).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 0, "{differing} of {} samples differ", ours.len());
    }

    #[test]
    fn wav49_blocks_decode_bit_exact_with_the_reference_decoder() {
        let truth = samples(&fixture("clark-wav49.sox.raw"));
        let file = fixture("clark-wav49.wav");
        let data_at = file.windows(4).position(|w| w == b"data").expect("data") + 8;
        let ours = decode_all(
            file[data_at..]
                .chunks_exact(WAV49_BLOCK)
                .flat_map(Frame::from_wav49),
        );
        assert!(ours.len() >= truth.len(), "{} samples", ours.len());
        let differing = ours.iter().zip(&truth).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 0, "{differing} of {} samples differ", ours.len());
    }

    #[test]
    fn whole_files_decode_as_sox_decodes_them() {
        // The whole of each GSM fixture against sox's own decoding, run now (scripts/setup
        // installs sox); skipped with a message where sox is absent.
        for (name, frames) in [("clark.gsm", false), ("clark-wav49.wav", true)] {
            let path = format!("{}/fixtures/formats/{name}", env!("CARGO_MANIFEST_DIR"));
            let out = std::process::Command::new("sox")
                .args([path.as_str(), "-t", "raw", "-e", "signed", "-b", "16", "-"])
                .output();
            let Ok(out) = out.map_err(|e| eprintln!("skipped: sox cannot run ({e})")) else {
                return;
            };
            assert!(out.status.success(), "sox failed on {name}");
            let truth = samples(&out.stdout);
            let file = fixture(name);
            let ours = if frames {
                let at = file.windows(4).position(|w| w == b"data").expect("data") + 8;
                decode_all(
                    file[at..]
                        .chunks_exact(WAV49_BLOCK)
                        .flat_map(Frame::from_wav49),
                )
            } else {
                decode_all(file.chunks_exact(RAW_FRAME).filter_map(Frame::from_raw))
            };
            assert_eq!(ours.len(), truth.len(), "{name}");
            let differing = ours.iter().zip(&truth).filter(|(a, b)| a != b).count();
            assert_eq!(differing, 0, "{name}: {differing} samples differ");
        }
    }

    #[test]
    fn raw_gsm_is_recognised_by_its_frame_signatures() {
        let gsm = fixture("clark.gsm");
        let looks_raw = super::super::raw_gsm;
        assert!(looks_raw(&gsm[..RAW_FRAME * 8]));
        assert!(!looks_raw(&gsm[..RAW_FRAME - 1]));
        assert!(!looks_raw(
            b"RIFF....WAVEfmt ................................."
        ));
    }

    #[test]
    fn shifts_follow_the_standard() {
        assert_eq!(asr(-1, 20), -1);
        assert_eq!(asr(4, -2), 16);
        assert_eq!(asl(1, 3), 8);
        assert_eq!(asl(16, -2), 4);
        assert_eq!(mult_r(i16::MIN, i16::MIN), i16::MAX);
        assert_eq!(lar_to_rp(i16::MIN), -add(i16::MAX >> 2, 26112));
    }
}
