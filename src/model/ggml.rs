//! Checking a ggml Whisper file before whisper.cpp is given it.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::{model_err, tensor_bytes, Hparams, GGML_MAGIC};
use crate::error::Result;

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
    let mut r = Reader {
        r: BufReader::new(file),
        path,
        len,
    };
    let hparams = r.hparams()?;
    let tokens = r.vocabulary(&hparams)?;
    let mut tensors = 0;
    while r.position()? < len {
        r.tensor(tensors)?;
        tensors += 1;
    }
    if tensors == 0 {
        return Err(model_err(path, "no tensors"));
    }
    Ok(GgmlInfo {
        hparams,
        tokens,
        tensors,
    })
}

/// A ggml file read field by field, every read and skip checked against its length.
struct Reader<'a> {
    r: BufReader<File>,
    path: &'a Path,
    len: u64,
}

impl Reader<'_> {
    fn error(&self, reason: impl Into<String>) -> crate::error::Error {
        model_err(self.path, reason)
    }

    fn truncated(&self, _: io::Error) -> crate::error::Error {
        self.error("truncated: the file ends inside its header or tensors")
    }

    fn i32(&mut self) -> Result<i32> {
        let mut b = [0u8; 4];
        match self.r.read_exact(&mut b) {
            Ok(()) => Ok(i32::from_le_bytes(b)),
            Err(e) => Err(self.truncated(e)),
        }
    }

    fn position(&mut self) -> Result<u64> {
        match self.r.stream_position() {
            Ok(pos) => Ok(pos),
            Err(e) => Err(self.truncated(e)),
        }
    }

    /// Skips `n` bytes, refusing to go past the end of the file.
    fn skip(&mut self, n: u64) -> Result<()> {
        let pos = self.position()?;
        if pos + n > self.len {
            let len = self.len;
            return Err(self.error(format!(
                "truncated: {n} bytes needed at offset {pos}, file is {len} bytes"
            )));
        }
        match self.r.seek(SeekFrom::Start(pos + n)) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.truncated(e)),
        }
    }

    /// The magic and the hyper-parameters, checked for plausibility.
    fn hparams(&mut self) -> Result<Hparams> {
        let magic = self.i32()? as u32;
        if magic != GGML_MAGIC {
            return Err(self.error(format!(
                "not a ggml model (magic {magic:#010x}, expected {GGML_MAGIC:#010x})"
            )));
        }
        let mut h = [0i32; 11];
        for v in h.iter_mut() {
            *v = self.i32()?;
        }
        let plausible =
            h[..10].iter().all(|&v| v > 0 && v < 1_000_000) && matches!(h[10] % 1000, 0 | 1 | 7);
        if !plausible {
            return Err(self.error(format!("implausible hyper-parameters {h:?}")));
        }
        Ok(Hparams::from_array(h))
    }

    /// The mel filter bank (skipped) and the vocabulary; returns the token count.
    fn vocabulary(&mut self, hparams: &Hparams) -> Result<usize> {
        let (mels, bins) = (self.i32()?, self.i32()?);
        if mels != hparams.n_mels || bins <= 0 {
            return Err(self.error(format!("mel filter bank of {mels}x{bins}")));
        }
        self.skip(4 * mels as u64 * bins as u64)?;
        let tokens = self.i32()?;
        if tokens <= 0 || tokens > hparams.n_vocab {
            let n_vocab = hparams.n_vocab;
            return Err(self.error(format!("{tokens} tokens for a vocabulary of {n_vocab}")));
        }
        for _ in 0..tokens {
            let n = self.i32()?;
            if !(0..=1024).contains(&n) {
                return Err(self.error(format!("a token of {n} bytes")));
            }
            self.skip(n as u64)?;
        }
        Ok(tokens as usize)
    }

    /// Tensor `index`: its header checked, its name and data skipped.
    fn tensor(&mut self, index: usize) -> Result<()> {
        let (n_dims, name_len, ftype) = (self.i32()?, self.i32()?, self.i32()?);
        if !(1..=4).contains(&n_dims)
            || !(1..=256).contains(&name_len)
            || tensor_bytes(ftype, 0).is_none()
        {
            return Err(self.error(format!(
                "tensor {index}: bad header ({n_dims} dims, name of {name_len} bytes, type {ftype})"
            )));
        }
        let mut elements = 1u64;
        for _ in 0..n_dims {
            let d = self.i32()?;
            if d <= 0 {
                return Err(self.error(format!("tensor {index}: dimension {d}")));
            }
            elements = elements.saturating_mul(d as u64);
        }
        self.skip(name_len as u64)?;
        let Some(bytes) = tensor_bytes(ftype, elements) else {
            return Err(self.error(format!(
                "tensor {index}: {elements} values are not whole q8_0 blocks"
            )));
        };
        self.skip(bytes)
    }
}
