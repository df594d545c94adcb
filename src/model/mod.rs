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

//!
//! The parts: `ctranslate2` reads the CTranslate2 export, `mel` computes the filter bank,
//! `convert` writes the ggml file and `ggml` checks one.

use std::path::Path;

use crate::error::Error;

mod convert;
mod ctranslate2;
mod ggml;
mod mel;

pub use convert::{convert_ctranslate2, convert_ctranslate2_as, Converted, Weights};
pub use ggml::{check_ggml, GgmlInfo};

/// ggml's file magic, `"ggml"` as a little-endian `u32`.
pub(crate) const GGML_MAGIC: u32 = 0x6767_6d6c;

fn model_err(path: &Path, reason: impl Into<String>) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
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
    pub(crate) fn from_array(h: [i32; 11]) -> Self {
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
    pub(crate) fn as_array(&self) -> [i32; 11] {
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

/// ggml's tensor type codes, as written in a tensor's header.
pub(crate) const TYPE_F32: i32 = 0;
pub(crate) const TYPE_F16: i32 = 1;
pub(crate) const TYPE_Q8_0: i32 = 8;
/// Weights per q8_0 block, and bytes per block (an f16 scale and 32 signed bytes).
pub(crate) const Q8_0_BLOCK: usize = 32;
pub(crate) const Q8_0_BYTES: u64 = 34;

/// Bytes of a tensor of `elements` values stored as ggml type `ttype`; `None` for a type this
/// crate does not write, or q8_0 values that are not a whole number of blocks.
pub(crate) fn tensor_bytes(ttype: i32, elements: u64) -> Option<u64> {
    match ttype {
        TYPE_F32 => Some(elements.saturating_mul(4)),
        TYPE_F16 => Some(elements.saturating_mul(2)),
        TYPE_Q8_0 if elements.is_multiple_of(Q8_0_BLOCK as u64) => {
            Some(elements / Q8_0_BLOCK as u64 * Q8_0_BYTES)
        }
        _ => None,
    }
}
