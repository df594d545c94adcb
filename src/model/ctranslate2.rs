//! Reading a CTranslate2 Whisper export: the variables of `model.bin` and the BPE vocabulary.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::Path;

use half::f16;

use super::model_err;
use crate::error::Result;

/// Element type of a CTranslate2 variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DType {
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
pub(super) struct Variable {
    pub(super) dims: Vec<usize>,
    pub(super) dtype: DType,
    pub(super) data: Vec<u8>,
}

impl Variable {
    /// The values as `f32` (floating types only).
    pub(super) fn to_f32(&self) -> Option<Vec<f32>> {
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
    pub(super) fn scalar_int(&self) -> Option<i64> {
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
pub(super) fn read_ctranslate2(path: &Path) -> Result<BTreeMap<String, Variable>> {
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

pub(super) fn count_layers(vars: &BTreeMap<String, Variable>, prefix: &str) -> usize {
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
pub(super) fn read_vocabulary(path: &Path) -> Result<Vec<Vec<u8>>> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
