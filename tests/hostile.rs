//! Hostile inputs: named damaged, lying and malicious files in every container, each with the
//! outcome it must have, and a seeded mutation test over every fixture format. Nothing may panic
//! or hang, and the whole process must stay under 150 MB of memory at its peak.

use std::io::Cursor;
use std::time::{Duration, Instant};

use voicemail_coach::audio::{decode, Conditioned, DecodeOptions};
use voicemail_coach::Result;

/// Longest any single decode may take before it counts as a hang (debug build, shared machine).
const HANG: Duration = Duration::from_secs(10);
/// Peak resident memory allowed for the whole test process.
const MAX_PEAK_MB: f64 = 150.0;

mod common;
use common::fixture_bytes as fixture;

/// The process's peak resident set (VmHWM) in MB, where the kernel reports it.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Keeps quiet about the panics the decoder catches inside the codec crates (symphonia's
/// demuxers panic on some damaged streams): printing each, with a backtrace where
/// `RUST_BACKTRACE` asks for one, would flood the output and load the debug symbols (some
/// 100 MB) into this process. Any other panic is reported as usual.
fn quiet_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_codec = info
                .location()
                .is_some_and(|l| l.file().contains("/symphonia"));
            if !in_codec {
                default(info);
            }
        }));
    });
}

fn timed_decode(bytes: Vec<u8>, opts: &DecodeOptions, name: &str) -> Result<Conditioned> {
    let t0 = Instant::now();
    let result = decode(Cursor::new(bytes), opts);
    assert!(t0.elapsed() < HANG, "{name}: took {:?}", t0.elapsed());
    result
}

// ---- WAV builders ----

/// A 16-byte fmt body.
fn fmt(tag: u16, channels: u16, rate: u32, bits: u16, block_align: u16) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&tag.to_le_bytes());
    f.extend_from_slice(&channels.to_le_bytes());
    f.extend_from_slice(&rate.to_le_bytes());
    f.extend_from_slice(&rate.wrapping_mul(u32::from(block_align)).to_le_bytes());
    f.extend_from_slice(&block_align.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    f
}

/// A RIFF file of `form` ("RIFF", "RF64", …) holding `chunks`: id, declared size, body.
fn riff(form: &[u8; 4], chunks: &[(&[u8; 4], u32, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(form);
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(b"WAVE");
    for (id, size, body) in chunks {
        b.extend_from_slice(*id);
        b.extend_from_slice(&size.to_le_bytes());
        b.extend_from_slice(body);
        if body.len() % 2 == 1 {
            b.push(0);
        }
    }
    let len = (b.len() - 8) as u32;
    b[4..8].copy_from_slice(&len.to_le_bytes());
    b
}

/// `n` samples of a 200 Hz tone at 8 kHz, 16-bit little-endian.
fn tone16(n: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| {
            let v = (8000.0 * (i as f64 * 200.0 * std::f64::consts::TAU / 8000.0).sin()) as i16;
            v.to_le_bytes()
        })
        .collect()
}

/// One second of 8 kHz 16-bit mono PCM with the data chunk's declared size given.
fn pcm_wav(declared: u32, data: &[u8]) -> Vec<u8> {
    riff(
        b"RIFF",
        &[
            (b"fmt ", 16, &fmt(1, 1, 8000, 16, 2)),
            (b"data", declared, data),
        ],
    )
}

/// A 64-bit WAV (`RF64` or `BW64`) whose ds64 chunk gives the data size.
fn wide_wav(form: &[u8; 4], data: &[u8], with_ds64: bool) -> Vec<u8> {
    let mut ds64 = Vec::new();
    ds64.extend_from_slice(&0u64.to_le_bytes());
    ds64.extend_from_slice(&(data.len() as u64).to_le_bytes());
    ds64.extend_from_slice(&((data.len() / 2) as u64).to_le_bytes());
    ds64.extend_from_slice(&0u32.to_le_bytes());
    let f = fmt(1, 1, 8000, 16, 2);
    let mut chunks: Vec<(&[u8; 4], u32, &[u8])> = Vec::new();
    if with_ds64 {
        chunks.push((b"ds64", 28, &ds64));
    }
    chunks.push((b"fmt ", 16, &f));
    chunks.push((b"data", 0xFFFF_FFFF, data));
    riff(form, &chunks)
}

fn with_fmt(f: Vec<u8>, data: &[u8]) -> Vec<u8> {
    riff(
        b"RIFF",
        &[
            (b"fmt ", f.len() as u32, &f),
            (b"data", data.len() as u32, data),
        ],
    )
}

fn float_wav(values: &[f32]) -> Vec<u8> {
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    with_fmt(fmt(3, 1, 8000, 32, 4), &data)
}

/// The offset of the data chunk's body in a RIFF file.
fn data_at(b: &[u8]) -> usize {
    b.windows(4).position(|w| w == b"data").expect("data chunk") + 8
}

#[cfg(feature = "formats")]
fn set_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Position of the first `needle` in `b`.
#[cfg(feature = "formats")]
fn find(b: &[u8], needle: &[u8]) -> usize {
    b.windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
}

// ---- expectations ----

#[derive(Debug, Clone, Copy)]
enum Expect {
    /// A report: whether it is marked truncated, a phrase its notices must hold ("" for none
    /// needed), and the least seconds of audio it must give.
    Audio(bool, &'static str, f64),
    /// An error of this kind.
    Error(&'static str),
}
use Expect::{Audio, Error as Fails};

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    expect: Expect,
}

fn case(name: &'static str, bytes: Vec<u8>, expect: Expect) -> Case {
    Case {
        name,
        bytes,
        expect,
    }
}

/// Every hostile WAV, each named for what is wrong with it.
fn wav_cases() -> Vec<Case> {
    let second = tone16(8000);
    let good = pcm_wav(16000, &second);
    let body = data_at(&good);
    let mut cases = vec![
        case(
            "wav data size 0 (never finalised)",
            pcm_wav(0, &second),
            Audio(false, "never finalised", 0.99),
        ),
        case(
            "wav data size 0xFFFFFFFF (never finalised)",
            pcm_wav(0xFFFF_FFFF, &second),
            Audio(false, "never finalised", 0.99),
        ),
        case(
            "wav data claims twice what the file holds",
            pcm_wav(32000, &second),
            Audio(true, "cut short", 0.99),
        ),
        case(
            "wav data size 0xFFFFFFF0 (claims 4 GB)",
            pcm_wav(0xFFFF_FFF0, &second),
            Audio(true, "cut short", 0.99),
        ),
        case(
            "wav with a trailing half sample",
            pcm_wav(16001, &[second.as_slice(), &[7]].concat()),
            Audio(false, "partial frame", 0.99),
        ),
        case(
            "stereo wav with a trailing partial frame",
            with_fmt(fmt(1, 2, 8000, 16, 4), &second[..15998]),
            Audio(false, "partial frame", 0.49),
        ),
        case(
            "RF64 with ds64",
            wide_wav(b"RF64", &second, true),
            Audio(false, "", 0.99),
        ),
        case(
            "BW64 with ds64",
            wide_wav(b"BW64", &second, true),
            Audio(false, "", 0.99),
        ),
        case(
            "RF64 without ds64",
            wide_wav(b"RF64", &second, false),
            Audio(false, "never finalised", 0.99),
        ),
        case(
            "wav cut in the middle of the data",
            good[..body + 8000].to_vec(),
            Audio(true, "cut short", 0.49),
        ),
        case(
            "wav cut in the RIFF header",
            good[..8].to_vec(),
            Fails("truncated"),
        ),
        case(
            "wav cut in the fmt chunk header",
            good[..16].to_vec(),
            Fails("truncated"),
        ),
        case(
            "wav cut in the fmt body",
            good[..28].to_vec(),
            Fails("truncated"),
        ),
        case(
            "wav cut after the fmt chunk",
            good[..36].to_vec(),
            Fails("truncated"),
        ),
        case(
            "wav cut in the data chunk header",
            good[..40].to_vec(),
            Fails("truncated"),
        ),
        case(
            "wav cut right after the data chunk header",
            good[..body].to_vec(),
            Fails("truncated"),
        ),
        case(
            "wav with data before fmt",
            riff(
                b"RIFF",
                &[
                    (b"data", 16000, &second),
                    (b"fmt ", 16, &fmt(1, 1, 8000, 16, 2)),
                ],
            ),
            Fails("invalid_header"),
        ),
        case(
            "wav fmt chunk of 12 bytes",
            riff(b"RIFF", &[(b"fmt ", 12, &[0; 12]), (b"data", 4, &[0; 4])]),
            Fails("invalid_header"),
        ),
        case(
            "wav with a chunk claiming to run past the end",
            riff(
                b"RIFF",
                &[
                    (b"fmt ", 16, &fmt(1, 1, 8000, 16, 2)),
                    (b"LIST", 0x7FFF_FFFF, &[0; 8]),
                    (b"data", 16000, &second),
                ],
            ),
            Fails("truncated"),
        ),
        case(
            "wav extensible with a 16-byte fmt",
            with_fmt(fmt(0xFFFE, 1, 8000, 16, 2), &second),
            Fails("invalid_header"),
        ),
        case(
            "RIFF of form AVI",
            {
                let mut b = good.clone();
                b[8..12].copy_from_slice(b"AVI ");
                b
            },
            Fails("unknown_format"),
        ),
    ];
    for (name, f, kind) in [
        ("zero channels", fmt(1, 0, 8000, 16, 2), "invalid_header"),
        (
            "65535 channels",
            fmt(1, 65535, 8000, 8, 65535),
            "invalid_header",
        ),
        ("zero sample rate", fmt(1, 1, 0, 16, 2), "invalid_header"),
        ("rate 1 Hz", fmt(1, 1, 1, 16, 2), "unsupported_sample_rate"),
        (
            "rate 4 GHz",
            fmt(1, 1, 0xFFFF_FFFF, 16, 2),
            "unsupported_sample_rate",
        ),
        ("0 bits per sample", fmt(1, 1, 8000, 0, 2), "invalid_header"),
        (
            "7 bits per sample",
            fmt(1, 1, 8000, 7, 1),
            "unsupported_encoding",
        ),
        (
            "64 bits per sample",
            fmt(1, 1, 8000, 64, 8),
            "unsupported_encoding",
        ),
        (
            "64-bit float",
            fmt(3, 1, 8000, 64, 8),
            "unsupported_encoding",
        ),
        ("block align 0", fmt(1, 1, 8000, 16, 0), "invalid_header"),
        (
            "block align under a sample",
            fmt(1, 2, 8000, 16, 2),
            "invalid_header",
        ),
        (
            "unknown format tag",
            fmt(0x1234, 1, 8000, 16, 2),
            "unsupported_encoding",
        ),
        (
            "G.726 ADPCM",
            fmt(0x0045, 1, 8000, 4, 1),
            "unsupported_encoding",
        ),
    ] {
        cases.push(Case {
            name: Box::leak(format!("wav with {name}").into_boxed_str()),
            bytes: with_fmt(f, &second),
            expect: Fails(kind),
        });
    }
    cases.push(case(
        "mu-law wav with block align 65535",
        with_fmt(fmt(7, 1, 8000, 8, 65535), &vec![0xFF; 65535 * 8]),
        Audio(false, "", 0.000_9),
    ));
    let mut weird = vec![0.1f32; 8000];
    weird[100] = f32::NAN;
    weird[200] = f32::INFINITY;
    weird[300] = f32::NEG_INFINITY;
    cases.push(case(
        "float wav with NaN and infinities",
        float_wav(&weird),
        Audio(false, "not numbers", 0.99),
    ));
    cases
}

#[cfg(not(feature = "formats"))]
fn codec_cases() -> Vec<Case> {
    Vec::new()
}

/// Hostile inputs made from the committed codec fixtures.
#[cfg(feature = "formats")]
fn codec_cases() -> Vec<Case> {
    let wav49 = fixture("formats/clark-wav49.wav");
    let w49 = data_at(&wav49);
    let ima = fixture("formats/clark-ima-adpcm.wav");
    let ms = fixture("formats/clark-ms-adpcm.wav");
    let gsm = fixture("formats/clark.gsm");
    let mp3 = fixture("formats/clark.mp3");
    let m4a = fixture("formats/clark.m4a");
    let ogg = fixture("formats/clark.ogg");
    let opus = fixture("formats/clark.opus");
    let flac = fixture("formats/clark.flac");
    let half = |b: &[u8]| b[..b.len() / 2].to_vec();
    vec![
        case(
            "WAV49 cut inside a block",
            wav49[..w49 + 65 * 100 + 30].to_vec(),
            Audio(true, "partial block", 3.9),
        ),
        case(
            "WAV49 claiming two channels",
            {
                let mut b = wav49.clone();
                b[22] = 2;
                b
            },
            Fails("unsupported_codec"),
        ),
        case(
            "IMA ADPCM wav with data size 0 (never finalised)",
            {
                let mut b = ima.clone();
                let at = data_at(&b) - 4;
                set_u32(&mut b, at, 0);
                b
            },
            Audio(false, "never finalised", 12.0),
        ),
        case(
            "MS ADPCM wav cut short",
            half(&ms),
            Audio(true, "cut short", 6.0),
        ),
        case(
            "raw GSM with a trailing partial frame",
            gsm[..33 * 100 + 10].to_vec(),
            Audio(false, "partial GSM frame", 1.99),
        ),
        case(
            "raw GSM with damaged frames",
            {
                let mut b = gsm.clone();
                for i in (20..40).map(|f| f * 33) {
                    b[i] = 0x00;
                }
                b
            },
            Audio(false, "damaged GSM frame", 12.0),
        ),
        case(
            "MP3 cut in half",
            half(&mp3),
            Audio(true, "less audio", 6.0),
        ),
        case(
            "MP3 with garbage frames in the middle",
            {
                let mut b = mp3.clone();
                let mid = b.len() / 2;
                for (k, v) in b[mid..mid + 3000].iter_mut().enumerate() {
                    *v = (k * 7919 % 251) as u8;
                }
                b
            },
            Audio(true, "less audio", 11.0),
        ),
        case(
            "ID3 tag claiming 256 MB (the most it can)",
            [b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f".as_slice(), &mp3].concat(),
            Fails("invalid_header"),
        ),
        case(
            "M4A whose sample table claims 4 billion samples",
            {
                let mut b = m4a.clone();
                let stsz = find(&b, b"stsz");
                // stsz: version/flags, sample size, sample count.
                set_u32(&mut b, stsz + 8, 0);
                b[stsz + 12..stsz + 16].copy_from_slice(&0xFFFF_FFFFu32.to_be_bytes());
                b
            },
            Fails("invalid_header"),
        ),
        case("M4A cut in half", half(&m4a), Fails("invalid_header")),
        case(
            "Ogg Vorbis with a broken page checksum",
            {
                let mut b = ogg.clone();
                let third = (1..b.len() - 4)
                    .filter(|&i| &b[i..i + 4] == b"OggS")
                    .nth(2)
                    .expect("third page");
                b[third + 22] ^= 0xFF;
                b
            },
            Audio(false, "", 11.0),
        ),
        case("Ogg Vorbis cut in half", half(&ogg), Audio(false, "", 4.0)),
        case("Ogg Opus cut in half", half(&opus), Audio(false, "", 5.0)),
        case(
            "FLAC cut in half",
            half(&flac),
            Audio(true, "less audio", 5.0),
        ),
        case(
            "FLAC whose stream info says 0 Hz",
            {
                let mut b = flac.clone();
                // STREAMINFO: the rate is the top 20 bits at byte 18 of the block (after fLaC
                // and the 4-byte block header).
                b[18] = 0;
                b[19] = 0;
                b[20] &= 0x0F;
                b
            },
            Fails("invalid_header"),
        ),
        case(
            "AMR-NB",
            b"#!AMR\n\x3c\x48\xf5\x5f\x96\x66\x79\xe1".to_vec(),
            Fails("unsupported_codec"),
        ),
        case("empty file", Vec::new(), Fails("unknown_format")),
        case("one byte of a RIFF header", vec![b'R'], Fails("truncated")),
        case("one byte of nothing", vec![0], Fails("unknown_format")),
        case(
            "a text file",
            b"This is not audio at all, just words.\n".to_vec(),
            Fails("unknown_format"),
        ),
    ]
}

#[test]
fn each_hostile_input_has_its_outcome() {
    quiet_caught_panics();
    let opts = DecodeOptions::default();
    let cases: Vec<Case> = wav_cases().into_iter().chain(codec_cases()).collect();
    assert!(
        cases.len() >= if cfg!(feature = "formats") { 40 } else { 30 },
        "{} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for Case {
        name,
        bytes,
        expect,
    } in cases
    {
        let result = timed_decode(bytes, &opts, name);
        let ok = match (&result, expect) {
            (Ok(a), Audio(truncated, phrase, seconds)) => {
                a.info().truncated == truncated
                    && (phrase.is_empty() || a.notices().iter().any(|n| n.contains(phrase)))
                    && a.duration_s() >= seconds
            }
            (Err(e), Fails(kind)) => e.kind() == kind,
            _ => false,
        };
        let got = match &result {
            Ok(a) => format!(
                "{:.2} s, truncated {}, notices {:?}",
                a.duration_s(),
                a.info().truncated,
                a.notices()
            ),
            Err(e) => format!("{}: {e}", e.kind()),
        };
        eprintln!("{name}: {got}");
        if !ok {
            failures.push(format!("{name}: expected {expect:?}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    if let Some(mb) = peak_mb() {
        assert!(mb < MAX_PEAK_MB, "peak memory {mb:.0} MB");
    }
}

/// A small deterministic generator (xorshift64*), so a failing mutant can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn byte(&mut self) -> u8 {
        match self.below(4) {
            0 => 0,
            1 => 0xFF,
            _ => self.next() as u8,
        }
    }
}

/// One mutant of `original`: bytes overwritten (half the time in the first 256 bytes, where
/// the headers are), and sometimes a cut, a span deleted or a span repeated.
fn mutate(original: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = original.to_vec();
    for _ in 0..1 + rng.below(8) {
        let reach = if rng.below(2) == 0 { 256 } else { b.len() };
        let i = rng.below(reach.min(b.len()));
        b[i] = rng.byte();
    }
    match rng.below(6) {
        0 => b.truncate(rng.below(b.len())),
        1 => {
            let at = rng.below(b.len());
            let end = (at + rng.below(512)).min(b.len());
            b.drain(at..end);
        }
        2 => {
            let at = rng.below(b.len());
            let end = (at + rng.below(512)).min(b.len());
            let span = b[at..end].to_vec();
            b.splice(at..at, span);
        }
        _ => {}
    }
    b
}

/// The mutation test's seeds: one second of one recording in every format the crate reads.
#[cfg(not(feature = "formats"))]
const SEEDS: &[&str] = &["clark.wav", "clark-mulaw.wav"];
#[cfg(feature = "formats")]
const SEEDS: &[&str] = &[
    "clark.wav",
    "clark-mulaw.wav",
    "clark-ima-adpcm.wav",
    "clark-ms-adpcm.wav",
    "clark-wav49.wav",
    "clark.gsm",
    "clark.mp3",
    "clark.m4a",
    "clark.ogg",
    "clark.opus",
    "clark.flac",
];
const MUTANTS_PER_SEED: usize = 1_900;

#[test]
fn seeded_mutations_of_every_format_never_panic_or_hang() {
    quiet_caught_panics();
    let opts = DecodeOptions::default();
    let seeds: Vec<(&str, Vec<u8>)> = SEEDS
        .iter()
        .map(|&name| (name, fixture(&format!("formats/short/{name}"))))
        .collect();
    let t0 = Instant::now();
    // Both cores: half the seeds each.
    let outcomes: Vec<[usize; 2]> = std::thread::scope(|s| {
        let workers: Vec<_> = seeds
            .chunks(seeds.len().div_ceil(2))
            .map(|part| {
                let opts = &opts;
                s.spawn(move || {
                    let mut counts = [0usize; 2];
                    for (k, (name, original)) in part.iter().enumerate() {
                        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((k as u64 + 1) * 0x1000_0001));
                        for i in 0..MUTANTS_PER_SEED {
                            let mutant = mutate(original, &mut rng);
                            let label = format!("{name} mutant {i}");
                            counts[usize::from(timed_decode(mutant, opts, &label).is_ok())] += 1;
                        }
                    }
                    counts
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("no decode panics"))
            .collect()
    });
    let (err, ok) = outcomes
        .iter()
        .fold((0, 0), |(e, o), c| (e + c[0], o + c[1]));
    let total = err + ok;
    eprintln!(
        "{total} mutants in {:.1} s: {ok} decoded, {err} refused; peak {:?} MB",
        t0.elapsed().as_secs_f64(),
        peak_mb()
    );
    assert!(
        total >= 20_000 || !cfg!(feature = "formats"),
        "{total} mutants"
    );
    // Both outcomes must be common, or the mutations were not exercising anything.
    assert!(
        ok > total / 10 && err > total / 20,
        "{ok} decoded, {err} refused"
    );
    if let Some(mb) = peak_mb() {
        assert!(mb < MAX_PEAK_MB, "peak memory {mb:.0} MB");
    }
}
