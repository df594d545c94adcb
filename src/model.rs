//! Whisper models: converting a CTranslate2 (faster-whisper) export to the ggml file whisper.cpp
//! loads, and checking a ggml file before whisper.cpp is given it.
//!
//! A CTranslate2 Whisper directory holds `model.bin` (weights, binary version 6), `config.json`
//! and `vocabulary.txt`. [`convert_ctranslate2`] writes the equivalent ggml file: the
//! hyper-parameters read off the tensors, the 80-band mel filter bank (computed here, as librosa's
//! `filters.mel(sr=16000, n_fft=400, n_mels=80)`: Slaney scale and area normalisation), the
//! ordinary BPE tokens as raw bytes, and every tensor under whisper.cpp's name, with the fused
//! attention projections split. Users who keep faster-whisper models get whisper.cpp models out of
//! them without the model hub.
//!
//! [`check_ggml`] reads a ggml file's header and walks its tensor table, so that a truncated or
//! foreign file is refused with [`Error::Model`] naming it, rather than crashing inside C++.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use half::f16;

use crate::error::{Error, Result};

/// ggml's file magic, `"ggml"` as a little-endian `u32`.
pub(crate) const GGML_MAGIC: u32 = 0x6767_6d6c;

/// Sample rate, FFT length and mel bands of Whisper's front end.
const SAMPLE_RATE: f64 = 16_000.0;
const N_FFT: usize = 400;

fn model_err(path: &Path, reason: impl Into<String>) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Element type of a CTranslate2 variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    BF16,
}

impl DType {
    fn from_id(id: u8) -> Option<Self> {
        Some(match id {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::BF16,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

/// One variable of a CTranslate2 `model.bin`.
#[derive(Debug, Clone)]
struct Variable {
    dims: Vec<usize>,
    dtype: DType,
    data: Vec<u8>,
}

impl Variable {
    /// The values as `f32` (floating types only).
    fn to_f32(&self) -> Option<Vec<f32>> {
        Some(match self.dtype {
            DType::F32 => self
                .data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            DType::F16 => self
                .data
                .chunks_exact(2)
                .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            DType::BF16 => self
                .data
                .chunks_exact(2)
                .map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            _ => return None,
        })
    }

    /// A scalar integer (config values such as `encoder/num_heads`).
    fn scalar_int(&self) -> Option<i64> {
        if !self.dims.is_empty() {
            return None;
        }
        let b = &self.data;
        Some(match self.dtype {
            DType::I8 => i64::from(*b.first()? as i8),
            DType::I16 => i64::from(i16::from_le_bytes([*b.first()?, *b.get(1)?])),
            DType::I32 => i64::from(i32::from_le_bytes(b.get(..4)?.try_into().ok()?)),
            _ => return None,
        })
    }
}

/// Reads a CTranslate2 `model.bin` (binary version 6), checking every size against the file.
fn read_ctranslate2(path: &Path) -> Result<BTreeMap<String, Variable>> {
    let file = File::open(path).map_err(|e| model_err(path, format!("cannot open: {e}")))?;
    let file_len = file
        .metadata()
        .map_err(|e| model_err(path, e.to_string()))?
        .len();
    let mut r = BufReader::new(file);
    let bad = |what: &str| model_err(path, format!("not a CTranslate2 model.bin: {what}"));
    let eof = |e: io::Error| model_err(path, format!("truncated or unreadable: {e}"));

    let read_u32 = |r: &mut BufReader<File>| -> Result<u32> {
        let mut b = [0u8; 4];
        r.read_exact(&mut b).map_err(eof)?;
        Ok(u32::from_le_bytes(b))
    };
    let read_string = |r: &mut BufReader<File>| -> Result<String> {
        let mut b = [0u8; 2];
        r.read_exact(&mut b).map_err(eof)?;
        let n = usize::from(u16::from_le_bytes(b));
        let mut s = vec![0u8; n];
        r.read_exact(&mut s).map_err(eof)?;
        if s.pop() != Some(0) {
            return Err(bad("a string without its terminating NUL"));
        }
        String::from_utf8(s).map_err(|_| bad("a name that is not UTF-8"))
    };

    let version = read_u32(&mut r)?;
    if version != 6 {
        return Err(bad(&format!("binary version {version}, expected 6")));
    }
    let spec = read_string(&mut r)?;
    if spec != "WhisperSpec" {
        return Err(bad(&format!("spec {spec:?}, expected \"WhisperSpec\"")));
    }
    let _revision = read_u32(&mut r)?;
    let count = read_u32(&mut r)?;
    let mut vars = BTreeMap::new();
    for _ in 0..count {
        let name = read_string(&mut r)?;
        let mut rank = [0u8; 1];
        r.read_exact(&mut rank).map_err(eof)?;
        let dims = (0..rank[0])
            .map(|_| read_u32(&mut r).map(|d| d as usize))
            .collect::<Result<Vec<_>>>()?;
        let mut dt = [0u8; 1];
        r.read_exact(&mut dt).map_err(eof)?;
        let dtype =
            DType::from_id(dt[0]).ok_or_else(|| bad(&format!("{name}: dtype id {}", dt[0])))?;
        let bytes = read_u32(&mut r)? as usize;
        let elements = dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
        if elements.and_then(|e| e.checked_mul(dtype.size())) != Some(bytes) {
            return Err(bad(&format!(
                "{name}: {bytes} bytes for shape {dims:?} of {dtype:?}"
            )));
        }
        let pos = r.stream_position().map_err(eof)?;
        if pos + bytes as u64 > file_len {
            return Err(model_err(
                path,
                format!("truncated: {name} needs {bytes} bytes at offset {pos}"),
            ));
        }
        let mut data = vec![0u8; bytes];
        r.read_exact(&mut data).map_err(eof)?;
        vars.insert(name, Variable { dims, dtype, data });
    }
    Ok(vars)
}

/// Whisper's hyper-parameters, as written at the head of a ggml file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    /// Vocabulary size (rows of the token embedding).
    pub n_vocab: i32,
    /// Audio context (encoder positions).
    pub n_audio_ctx: i32,
    /// Encoder width.
    pub n_audio_state: i32,
    /// Encoder attention heads.
    pub n_audio_head: i32,
    /// Encoder layers.
    pub n_audio_layer: i32,
    /// Text context (decoder positions).
    pub n_text_ctx: i32,
    /// Decoder width.
    pub n_text_state: i32,
    /// Decoder attention heads.
    pub n_text_head: i32,
    /// Decoder layers.
    pub n_text_layer: i32,
    /// Mel bands.
    pub n_mels: i32,
    /// Weight type: 0 f32, 1 f16, 7 q8_0 (ggml's `ftype`).
    pub ftype: i32,
}

impl Hparams {
    /// From the eleven integers of a ggml file's header, in their order there.
    fn from_array(h: [i32; 11]) -> Self {
        let [n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype] =
            h;
        Hparams {
            n_vocab,
            n_audio_ctx,
            n_audio_state,
            n_audio_head,
            n_audio_layer,
            n_text_ctx,
            n_text_state,
            n_text_head,
            n_text_layer,
            n_mels,
            ftype,
        }
    }

    /// The eleven integers of a ggml file's header.
    fn as_array(&self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    /// A short name for the model size ("tiny", "base", …), from the encoder width.
    pub fn size_name(&self) -> &'static str {
        match self.n_audio_state {
            384 => "tiny",
            512 => "base",
            768 => "small",
            1024 => "medium",
            1280 => "large",
            _ => "custom",
        }
    }
}

fn count_layers(vars: &BTreeMap<String, Variable>, prefix: &str) -> usize {
    let mut layers: Vec<usize> = vars
        .keys()
        .filter_map(|k| {
            let rest = k.strip_prefix(prefix)?;
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            // `encoder/layer_norm/…` also starts with `encoder/layer_`.
            if digits.is_empty() || !rest[digits.len()..].starts_with('/') {
                return None;
            }
            digits.parse().ok()
        })
        .collect();
    layers.sort_unstable();
    layers.dedup();
    layers.len()
}

/// The Slaney-style mel filter bank of librosa's `filters.mel(sr=16000, n_fft=400, n_mels)`,
/// row-major `n_mels x 201`.
pub(crate) fn mel_filters(n_mels: usize) -> Vec<f32> {
    let hz_to_mel = |f: f64| {
        let f_sp = 200.0 / 3.0;
        let min_log_hz = 1000.0;
        let min_log_mel = min_log_hz / f_sp;
        let logstep = 6.4f64.ln() / 27.0;
        if f >= min_log_hz {
            min_log_mel + (f / min_log_hz).ln() / logstep
        } else {
            f / f_sp
        }
    };
    let mel_to_hz = |m: f64| {
        let f_sp = 200.0 / 3.0;
        let min_log_hz = 1000.0;
        let min_log_mel = min_log_hz / f_sp;
        let logstep = 6.4f64.ln() / 27.0;
        if m >= min_log_mel {
            min_log_hz * (logstep * (m - min_log_mel)).exp()
        } else {
            f_sp * m
        }
    };
    let n_bins = N_FFT / 2 + 1;
    let fft_freqs: Vec<f64> = (0..n_bins)
        .map(|k| k as f64 * SAMPLE_RATE / N_FFT as f64)
        .collect();
    let (mel_lo, mel_hi) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2.0));
    let points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(mel_lo + (mel_hi - mel_lo) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut out = vec![0.0f32; n_mels * n_bins];
    for m in 0..n_mels {
        let (lo, centre, hi) = (points[m], points[m + 1], points[m + 2]);
        let norm = 2.0 / (hi - lo);
        for (k, &f) in fft_freqs.iter().enumerate() {
            let rising = (f - lo) / (centre - lo);
            let falling = (hi - f) / (hi - centre);
            out[m * n_bins + k] = (rising.min(falling).max(0.0) * norm) as f32;
        }
    }
    out
}

/// The inverse of GPT-2's `bytes_to_unicode`: the byte each printable stand-in character means.
fn unicode_to_byte() -> BTreeMap<char, u8> {
    let mut printable: Vec<u32> = (u32::from('!')..=u32::from('~')).collect();
    printable.extend(u32::from('¡')..=u32::from('¬'));
    printable.extend(u32::from('®')..=u32::from('ÿ'));
    let mut map = BTreeMap::new();
    let mut extra = 0u32;
    for b in 0u32..256 {
        let c = if printable.contains(&b) {
            b
        } else {
            extra += 1;
            255 + extra
        };
        if let Some(ch) = char::from_u32(c) {
            map.insert(ch, b as u8);
        }
    }
    map
}

/// Reads `vocabulary.txt`: the ordinary tokens (up to the first `<|…|>`) as raw bytes.
fn read_vocabulary(path: &Path) -> Result<Vec<Vec<u8>>> {
    let text = std::fs::read_to_string(path).map_err(|e| model_err(path, e.to_string()))?;
    let map = unicode_to_byte();
    let mut tokens = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("<|") && line.ends_with("|>") {
            break;
        }
        let bytes = line
            .chars()
            .map(|c| map.get(&c).copied())
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| {
                model_err(
                    path,
                    format!("token {i} ({line:?}) has a character outside GPT-2's byte alphabet"),
                )
            })?;
        tokens.push(bytes);
    }
    if tokens.is_empty() {
        return Err(model_err(path, "no tokens before the first special token"));
    }
    Ok(tokens)
}

/// What [`convert_ctranslate2`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// The ggml file.
    pub path: PathBuf,
    /// Its hyper-parameters.
    pub hparams: Hparams,
    /// Ordinary tokens written.
    pub tokens: usize,
    /// Tensors written.
    pub tensors: usize,
}

/// One output tensor: ggml name, shape (outermost first, as PyTorch), data, and whether to store
/// it as f32 (else f16).
struct OutTensor {
    name: String,
    shape: Vec<usize>,
    data: Vec<f32>,
    as_f32: bool,
}

/// How the converter stores the weight matrices (attention, MLP, token embedding); biases, norms
/// and positional embeddings stay f32 and the convolutions f16 either way, as whisper.cpp
/// expects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Weights {
    /// Half precision (whisper.cpp's `ftype` 1).
    #[default]
    F16,
    /// ggml's 8-bit blocks: 32 weights share one f16 scale (`ftype` 7). About half the size of
    /// f16, and whisper.cpp multiplies them without widening them first.
    Q8_0,
}

impl Weights {
    fn ftype(self) -> i32 {
        match self {
            Weights::F16 => 1,
            Weights::Q8_0 => 7,
        }
    }
}

/// ggml's tensor type codes, as written in a tensor's header.
const TYPE_F32: i32 = 0;
const TYPE_F16: i32 = 1;
const TYPE_Q8_0: i32 = 8;
/// Weights per q8_0 block, and bytes per block (an f16 scale and 32 signed bytes).
const Q8_0_BLOCK: usize = 32;
const Q8_0_BYTES: u64 = 34;

/// Converts a CTranslate2 Whisper directory (`model.bin`, `vocabulary.txt`) into the ggml file
/// `out`, with f16 weights. Returns what was written.
pub fn convert_ctranslate2(dir: impl AsRef<Path>, out: impl AsRef<Path>) -> Result<Converted> {
    convert_ctranslate2_as(dir, out, Weights::F16)
}

/// [`convert_ctranslate2`] with the weight matrices stored as `weights`.
pub fn convert_ctranslate2_as(
    dir: impl AsRef<Path>,
    out: impl AsRef<Path>,
    weights: Weights,
) -> Result<Converted> {
    let dir = dir.as_ref();
    let out = out.as_ref();
    let bin = dir.join("model.bin");
    let src = Ct2 {
        vars: read_ctranslate2(&bin)?,
        bin: &bin,
    };
    let tokens = read_vocabulary(&dir.join("vocabulary.txt"))?;
    let mut hparams = src.hparams()?;
    hparams.ftype = weights.ftype();
    let layers = [
        ("encoder", hparams.n_audio_layer as usize),
        ("decoder", hparams.n_text_layer as usize),
    ];
    let mut t = Tensors {
        src: &src,
        out: Vec::new(),
    };
    t.globals()?;
    for &(side, n) in &layers {
        for i in 0..n {
            t.block(side, i)?;
        }
    }
    t.conv_biases()?;
    for &(side, n) in &layers {
        for i in 0..n {
            t.fused(side, i)?;
        }
    }
    write_ggml(out, &hparams, &tokens, &t.out, weights)
        .map_err(|e| model_err(out, format!("cannot write: {e}")))?;
    Ok(Converted {
        path: out.to_path_buf(),
        hparams,
        tokens: tokens.len(),
        tensors: t.out.len(),
    })
}

/// A CTranslate2 model's variables, and the file they came from (for errors).
struct Ct2<'a> {
    vars: BTreeMap<String, Variable>,
    bin: &'a Path,
}

impl Ct2<'_> {
    fn get(&self, name: &str) -> Result<&Variable> {
        self.vars
            .get(name)
            .ok_or_else(|| model_err(self.bin, format!("missing variable {name}")))
    }

    /// A tensor's shape and values as `f32`.
    fn floats(&self, name: &str) -> Result<(Vec<usize>, Vec<f32>)> {
        let v = self.get(name)?;
        let data = v
            .to_f32()
            .ok_or_else(|| model_err(self.bin, format!("{name} is not floating-point")))?;
        Ok((v.dims.clone(), data))
    }

    fn int(&self, name: &str) -> Result<i32> {
        self.get(name)?
            .scalar_int()
            .and_then(|v| i32::try_from(v).ok())
            .ok_or_else(|| model_err(self.bin, format!("{name} is not an integer scalar")))
    }

    fn dim(&self, name: &str, i: usize) -> Result<i32> {
        self.get(name)?
            .dims
            .get(i)
            .and_then(|&d| i32::try_from(d).ok())
            .ok_or_else(|| model_err(self.bin, format!("{name} has no dimension {i}")))
    }

    /// The hyper-parameters, from the tensors' shapes and the head counts.
    fn hparams(&self) -> Result<Hparams> {
        let n_audio_layer = count_layers(&self.vars, "encoder/layer_");
        let n_text_layer = count_layers(&self.vars, "decoder/layer_");
        if n_audio_layer == 0 || n_text_layer == 0 {
            return Err(model_err(self.bin, "no encoder or decoder layers"));
        }
        Ok(Hparams {
            n_vocab: self.dim("decoder/embeddings/weight", 0)?,
            n_audio_ctx: self.dim("encoder/position_encodings/encodings", 0)?,
            n_audio_state: self.dim("encoder/position_encodings/encodings", 1)?,
            n_audio_head: self.int("encoder/num_heads")?,
            n_audio_layer: n_audio_layer as i32,
            n_text_ctx: self.dim("decoder/position_encodings/encodings", 0)?,
            n_text_state: self.dim("decoder/position_encodings/encodings", 1)?,
            n_text_head: self.int("decoder/num_heads")?,
            n_text_layer: n_text_layer as i32,
            n_mels: self.dim("encoder/conv1/weight", 1)?,
            ftype: 1,
        })
    }
}

/// The output tensors, in whisper.cpp's order, renamed from CTranslate2's.
struct Tensors<'a> {
    src: &'a Ct2<'a>,
    out: Vec<OutTensor>,
}

impl Tensors<'_> {
    /// One tensor as it is, stored as f32 (`as_f32`) or f16.
    fn plain(&mut self, ct2: &str, ggml: &str, as_f32: bool) -> Result<()> {
        let (shape, data) = self.src.floats(ct2)?;
        self.out.push(OutTensor {
            name: ggml.to_string(),
            shape,
            data,
            as_f32,
        });
        Ok(())
    }

    fn layer_norm(&mut self, ct2: &str, ggml: &str) -> Result<()> {
        self.plain(&format!("{ct2}/gamma"), &format!("{ggml}.weight"), true)?;
        self.plain(&format!("{ct2}/beta"), &format!("{ggml}.bias"), true)
    }

    fn linear(&mut self, ct2: &str, ggml: &str) -> Result<()> {
        self.plain(&format!("{ct2}/weight"), &format!("{ggml}.weight"), false)?;
        self.plain(&format!("{ct2}/bias"), &format!("{ggml}.bias"), true)
    }

    /// Convolutions, embeddings and the final layer norms.
    fn globals(&mut self) -> Result<()> {
        self.plain("encoder/conv1/weight", "encoder.conv1.weight", false)?;
        self.plain("encoder/conv2/weight", "encoder.conv2.weight", false)?;
        let encodings = "encoder/position_encodings/encodings";
        self.plain(encodings, "encoder.positional_embedding", true)?;
        self.layer_norm("encoder/layer_norm", "encoder.ln_post")?;
        let embeddings = "decoder/embeddings/weight";
        self.plain(embeddings, "decoder.token_embedding.weight", false)?;
        let encodings = "decoder/position_encodings/encodings";
        self.plain(encodings, "decoder.positional_embedding", true)?;
        self.layer_norm("decoder/layer_norm", "decoder.ln")
    }

    /// Layer `i` of `side` ("encoder" or "decoder"), fused projections aside.
    fn block(&mut self, side: &str, i: usize) -> Result<()> {
        let c = format!("{side}/layer_{i}");
        let g = format!("{side}.blocks.{i}");
        self.layer_norm(
            &format!("{c}/self_attention/layer_norm"),
            &format!("{g}.attn_ln"),
        )?;
        self.linear(
            &format!("{c}/self_attention/linear_1"),
            &format!("{g}.attn.out"),
        )?;
        self.layer_norm(&format!("{c}/ffn/layer_norm"), &format!("{g}.mlp_ln"))?;
        self.linear(&format!("{c}/ffn/linear_0"), &format!("{g}.mlp.0"))?;
        self.linear(&format!("{c}/ffn/linear_1"), &format!("{g}.mlp.2"))?;
        if side == "decoder" {
            let ln = format!("{c}/attention/layer_norm");
            self.layer_norm(&ln, &format!("{g}.cross_attn_ln"))?;
            self.linear(
                &format!("{c}/attention/linear_0"),
                &format!("{g}.cross_attn.query"),
            )?;
            self.linear(
                &format!("{c}/attention/linear_2"),
                &format!("{g}.cross_attn.out"),
            )?;
        }
        Ok(())
    }

    /// Convolution biases, as `[n, 1]`.
    fn conv_biases(&mut self) -> Result<()> {
        for conv in ["conv1", "conv2"] {
            let (shape, data) = self.src.floats(&format!("encoder/{conv}/bias"))?;
            self.out.push(OutTensor {
                name: format!("encoder.{conv}.bias"),
                shape: vec![shape.first().copied().unwrap_or(0), 1],
                data,
                as_f32: true,
            });
        }
        Ok(())
    }

    /// Layer `i`'s fused projections: self-attention `[q; k; v]`, cross-attention `[k; v]`.
    fn fused(&mut self, side: &str, i: usize) -> Result<()> {
        let c = format!("{side}/layer_{i}");
        let g = format!("{side}.blocks.{i}");
        self.split(
            &format!("{c}/self_attention/linear_0"),
            &[
                (format!("{g}.attn.query"), true),
                (format!("{g}.attn.key"), false),
                (format!("{g}.attn.value"), true),
            ],
        )?;
        if side == "decoder" {
            self.split(
                &format!("{c}/attention/linear_1"),
                &[
                    (format!("{g}.cross_attn.key"), false),
                    (format!("{g}.cross_attn.value"), true),
                ],
            )?;
        }
        Ok(())
    }

    /// Splits a fused projection (`weight` rows and `bias` in equal blocks) into one tensor per
    /// `(name, has_bias)` part.
    fn split(&mut self, ct2: &str, parts: &[(String, bool)]) -> Result<()> {
        let (wshape, w) = self.src.floats(&format!("{ct2}/weight"))?;
        let (_, b) = self.src.floats(&format!("{ct2}/bias"))?;
        let bin = self.src.bin;
        let (rows, cols) = match wshape.as_slice() {
            [r, c] if r % parts.len() == 0 => (r / parts.len(), *c),
            other => {
                return Err(model_err(
                    bin,
                    format!(
                        "{ct2}/weight has shape {other:?}, not {} fused blocks",
                        parts.len()
                    ),
                ))
            }
        };
        if b.len() != rows * parts.len() {
            return Err(model_err(
                bin,
                format!("{ct2}/bias does not match its weight"),
            ));
        }
        for (k, (name, has_bias)) in parts.iter().enumerate() {
            self.out.push(OutTensor {
                name: format!("{name}.weight"),
                shape: vec![rows, cols],
                data: w[k * rows * cols..(k + 1) * rows * cols].to_vec(),
                as_f32: false,
            });
            if *has_bias {
                self.out.push(OutTensor {
                    name: format!("{name}.bias"),
                    shape: vec![rows],
                    data: b[k * rows..(k + 1) * rows].to_vec(),
                    as_f32: true,
                });
            }
        }
        Ok(())
    }
}

fn write_ggml(
    out: &Path,
    hparams: &Hparams,
    tokens: &[Vec<u8>],
    tensors: &[OutTensor],
    weights: Weights,
) -> io::Result<()> {
    let tmp = out.with_extension("partial");
    {
        let mut w = BufWriter::new(File::create(&tmp)?);
        let i32s = |w: &mut BufWriter<File>, v: &[i32]| -> io::Result<()> {
            for x in v {
                w.write_all(&x.to_le_bytes())?;
            }
            Ok(())
        };
        w.write_all(&GGML_MAGIC.to_le_bytes())?;
        i32s(&mut w, &hparams.as_array())?;
        let n_mels = hparams.n_mels.max(0) as usize;
        i32s(&mut w, &[n_mels as i32, (N_FFT / 2 + 1) as i32])?;
        for v in mel_filters(n_mels) {
            w.write_all(&v.to_le_bytes())?;
        }
        i32s(&mut w, &[tokens.len() as i32])?;
        for t in tokens {
            i32s(&mut w, &[t.len() as i32])?;
            w.write_all(t)?;
        }
        for t in tensors {
            let ttype = tensor_type(t, weights);
            i32s(&mut w, &[t.shape.len() as i32, t.name.len() as i32, ttype])?;
            let dims: Vec<i32> = t.shape.iter().rev().map(|&d| d as i32).collect();
            i32s(&mut w, &dims)?;
            w.write_all(t.name.as_bytes())?;
            match ttype {
                TYPE_F32 => {
                    for v in &t.data {
                        w.write_all(&v.to_le_bytes())?;
                    }
                }
                TYPE_F16 => {
                    for v in &t.data {
                        w.write_all(&f16::from_f32(*v).to_le_bytes())?;
                    }
                }
                _ => w.write_all(&quantize_q8_0(&t.data))?,
            }
        }
        w.flush()?;
    }
    std::fs::rename(&tmp, out)
}

/// The ggml type a tensor is stored as: 1-D tensors and those marked f32 as f32; the weight
/// matrices (2-D, rows a whole number of blocks) as `weights` says; the rest (convolutions) f16.
fn tensor_type(t: &OutTensor, weights: Weights) -> i32 {
    let row = t.shape.last().copied().unwrap_or(0);
    if t.as_f32 || t.shape.len() < 2 {
        TYPE_F32
    } else if weights == Weights::Q8_0 && t.shape.len() == 2 && row.is_multiple_of(Q8_0_BLOCK) {
        TYPE_Q8_0
    } else {
        TYPE_F16
    }
}

/// `data` (a whole number of blocks) in ggml's q8_0 blocks: each 32 values as an f16 scale
/// (the largest magnitude over 127) and 32 signed bytes (each value over the scale, rounded).
fn quantize_q8_0(data: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / Q8_0_BLOCK * Q8_0_BYTES as usize);
    for block in data.chunks(Q8_0_BLOCK) {
        let amax = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let inv = if d > 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        out.extend(block.iter().map(|v| (v * inv).round() as i8 as u8));
    }
    out
}

/// Bytes of a tensor of `elements` values stored as ggml type `ttype`; `None` for a type this
/// crate does not write, or q8_0 values that are not a whole number of blocks.
fn tensor_bytes(ttype: i32, elements: u64) -> Option<u64> {
    match ttype {
        TYPE_F32 => Some(elements.saturating_mul(4)),
        TYPE_F16 => Some(elements.saturating_mul(2)),
        TYPE_Q8_0 if elements.is_multiple_of(Q8_0_BLOCK as u64) => {
            Some(elements / Q8_0_BLOCK as u64 * Q8_0_BYTES)
        }
        _ => None,
    }
}

/// What [`check_ggml`] found in a ggml file.
#[derive(Debug, Clone, PartialEq)]
pub struct GgmlInfo {
    /// The hyper-parameters.
    pub hparams: Hparams,
    /// Ordinary tokens in the vocabulary.
    pub tokens: usize,
    /// Tensors in the file.
    pub tensors: usize,
}

/// Checks that `path` is a complete ggml Whisper model: magic, plausible hyper-parameters, the
/// mel filter bank, the vocabulary, and every tensor's header and data inside the file.
///
/// Give whisper.cpp only files that pass: it assumes a well-formed file and can crash on others.
pub fn check_ggml(path: impl AsRef<Path>) -> Result<GgmlInfo> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| model_err(path, format!("cannot open: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| model_err(path, e.to_string()))?
        .len();
    let mut r = BufReader::new(file);
    let truncated = |_: io::Error| {
        model_err(
            path,
            "truncated: the file ends inside its header or tensors",
        )
    };
    let read_i32 = |r: &mut BufReader<File>| -> Result<i32> {
        let mut b = [0u8; 4];
        r.read_exact(&mut b).map_err(truncated)?;
        Ok(i32::from_le_bytes(b))
    };
    let magic = read_i32(&mut r)? as u32;
    if magic != GGML_MAGIC {
        return Err(model_err(
            path,
            format!("not a ggml model (magic {magic:#010x}, expected {GGML_MAGIC:#010x})"),
        ));
    }
    let mut h = [0i32; 11];
    for v in h.iter_mut() {
        *v = read_i32(&mut r)?;
    }
    let hparams = Hparams::from_array(h);
    let plausible =
        h[..10].iter().all(|&v| v > 0 && v < 1_000_000) && matches!(h[10] % 1000, 0 | 1 | 7);
    if !plausible {
        return Err(model_err(
            path,
            format!("implausible hyper-parameters {h:?}"),
        ));
    }
    let skip = |r: &mut BufReader<File>, n: u64| -> Result<()> {
        let pos = r.stream_position().map_err(truncated)?;
        if pos + n > len {
            return Err(model_err(
                path,
                format!("truncated: {n} bytes needed at offset {pos}, file is {len} bytes"),
            ));
        }
        r.seek(SeekFrom::Start(pos + n)).map_err(truncated)?;
        Ok(())
    };
    let (mels, bins) = (read_i32(&mut r)?, read_i32(&mut r)?);
    if mels != hparams.n_mels || bins <= 0 {
        return Err(model_err(path, format!("mel filter bank of {mels}x{bins}")));
    }
    skip(&mut r, 4 * mels as u64 * bins as u64)?;
    let tokens = read_i32(&mut r)?;
    if tokens <= 0 || tokens > hparams.n_vocab {
        return Err(model_err(
            path,
            format!("{tokens} tokens for a vocabulary of {}", hparams.n_vocab),
        ));
    }
    for _ in 0..tokens {
        let n = read_i32(&mut r)?;
        if !(0..=1024).contains(&n) {
            return Err(model_err(path, format!("a token of {n} bytes")));
        }
        skip(&mut r, n as u64)?;
    }
    let mut tensors = 0;
    loop {
        let pos = r.stream_position().map_err(truncated)?;
        if pos == len {
            break;
        }
        let (n_dims, name_len, ftype) = (read_i32(&mut r)?, read_i32(&mut r)?, read_i32(&mut r)?);
        if !(1..=4).contains(&n_dims)
            || !(1..=256).contains(&name_len)
            || tensor_bytes(ftype, 0).is_none()
        {
            return Err(model_err(path, format!("tensor {tensors}: bad header ({n_dims} dims, name of {name_len} bytes, type {ftype})")));
        }
        let mut elements = 1u64;
        for _ in 0..n_dims {
            let d = read_i32(&mut r)?;
            if d <= 0 {
                return Err(model_err(path, format!("tensor {tensors}: dimension {d}")));
            }
            elements = elements.saturating_mul(d as u64);
        }
        skip(&mut r, name_len as u64)?;
        let bytes = tensor_bytes(ftype, elements).ok_or_else(|| {
            model_err(
                path,
                format!("tensor {tensors}: {elements} values are not whole q8_0 blocks"),
            )
        })?;
        skip(&mut r, bytes)?;
        tensors += 1;
    }
    if tensors == 0 {
        return Err(model_err(path, "no tensors"));
    }
    Ok(GgmlInfo {
        hparams,
        tokens: tokens as usize,
        tensors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q8_0_blocks_hold_each_value_within_half_a_step_of_its_scale() {
        let data: Vec<f32> = (0..64)
            .map(|i| ((i * 37 % 64) as f32 - 31.5) / 40.0)
            .collect();
        let bytes = quantize_q8_0(&data);
        assert_eq!(bytes.len(), 2 * 34);
        for (block, values) in bytes.chunks(34).zip(data.chunks(32)) {
            let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
            let amax = values.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            assert!((d - amax / 127.0).abs() <= amax / 127.0 * 1e-3, "{d}");
            for (&q, &v) in block[2..].iter().zip(values) {
                // Half a step, plus the scale's f16 rounding (2^-11 of it) over up to 127 steps.
                let bound = 0.5 * d + 127.0 * d / 2048.0;
                assert!((f32::from(q as i8) * d - v).abs() <= bound, "{q} {v}");
            }
        }
        // A silent block: a zero scale and zero weights, not NaN.
        assert!(quantize_q8_0(&[0.0; 32]).iter().all(|&b| b == 0));
        assert_eq!(tensor_bytes(TYPE_Q8_0, 64), Some(68));
        assert_eq!(tensor_bytes(TYPE_Q8_0, 33), None);
        assert_eq!(tensor_bytes(2, 32), None);
    }

    #[test]
    fn mel_filters_match_openai_whisper() {
        // Reference values from OpenAI Whisper's assets/mel_filters.npz (mel_80), itself made with
        // librosa.filters.mel(sr=16000, n_fft=400, n_mels=80).
        let m = mel_filters(80);
        assert_eq!(m.len(), 80 * 201);
        let at = |i: usize, j: usize| m[i * 201 + j];
        let close = |a: f32, b: f32| (a - b).abs() < 1e-7;
        assert!(close(at(0, 1), 0.024_862_595), "{}", at(0, 1));
        assert!(close(at(1, 2), 0.022_871_772), "{}", at(1, 2));
        assert_eq!(at(10, 13), 0.0);
        assert!(close(at(79, 199), 0.000_448_759), "{}", at(79, 199));
        let row = |i: usize| m[i * 201..(i + 1) * 201].iter().sum::<f32>();
        assert!(close(row(40), 0.026_664_86), "{}", row(40));
        assert!(close(row(79), 0.024_925_34), "{}", row(79));
        let total: f32 = m.iter().sum();
        assert!((total - 1.999_024_2).abs() < 1e-5, "{total}");
    }

    #[test]
    fn gpt2_byte_alphabet_round_trips() {
        let map = unicode_to_byte();
        assert_eq!(map.len(), 256);
        assert_eq!(map[&'Ġ'], b' ');
        assert_eq!(map[&'Ċ'], b'\n');
        assert_eq!(map[&'!'], b'!');
    }

    #[test]
    fn layer_count_ignores_layer_norm() {
        let v = Variable {
            dims: vec![],
            dtype: DType::I8,
            data: vec![0],
        };
        let vars: BTreeMap<String, Variable> = [
            "encoder/layer_0/ffn/x",
            "encoder/layer_1/ffn/x",
            "encoder/layer_norm/gamma",
        ]
        .iter()
        .map(|k| (k.to_string(), v.clone()))
        .collect();
        assert_eq!(count_layers(&vars, "encoder/layer_"), 2);
    }
}
