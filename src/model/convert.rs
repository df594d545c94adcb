//! Writing a ggml Whisper file from a CTranslate2 export.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use half::f16;

use super::ctranslate2::{count_layers, read_ctranslate2, read_vocabulary, Variable};
use super::mel::{mel_filters, N_FFT};
use super::{
    model_err, Hparams, GGML_MAGIC, Q8_0_BLOCK, Q8_0_BYTES, TYPE_F16, TYPE_F32, TYPE_Q8_0,
};
use crate::error::Result;

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

#[cfg(test)]
mod tests {
    use super::super::tensor_bytes;
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
}
