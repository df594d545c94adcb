//! Models by name: the names whisper users know (`tiny.en`, `base`, `small.en`,
//! `large-v3-turbo`, `-q5_1`/`-q8_0` variants), found in the model cache as `ggml-<name>.bin`,
//! or a path to a model file.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The model sizes whisper.cpp publishes, each also with `.en` where it exists.
const SIZES: &[&str] = &[
    "tiny",
    "base",
    "small",
    "medium",
    "large-v1",
    "large-v2",
    "large-v3",
    "large-v3-turbo",
];

/// The quantisations whisper.cpp publishes (`-q5_1`, ...).
const QUANTS: &[&str] = &["q4_0", "q4_1", "q5_0", "q5_1", "q8_0"];

/// The names the crate's own script fetches (`scripts/fetch-model --size NAME`).
const FETCHED_HERE: &[&str] = &["tiny.en", "base"];

/// The folder models are kept in: `$XDG_CACHE_HOME/voicemail-coach`, else
/// `$HOME/.cache/voicemail-coach`; `None` when neither variable is set.
pub fn model_cache_dir() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("voicemail-coach"))
}

/// Whether `name` is a model name: a size, with `.en` for the sizes that have it, and a
/// quantisation (`base.en-q5_1`).
pub fn is_model_name(name: &str) -> bool {
    let model = match name.rsplit_once('-') {
        Some((m, q)) if QUANTS.contains(&q) => m,
        _ => name,
    };
    let size = model.strip_suffix(".en").unwrap_or(model);
    // The large models are multilingual only.
    SIZES.contains(&size) && (model == size || !size.starts_with("large"))
}

/// The model file `spec` stands for: a path to a file (anything with a `/`, or ending in
/// `.bin`, or an existing file) as it is; a model name ([`is_model_name`]) as
/// `ggml-<name>.bin` in [`model_cache_dir`]. A name not in the cache is fetched when the
/// `fetch` feature is on and whisper.cpp publishes its checksum; otherwise (or when the fetch
/// fails) it is an [`Error::Model`] naming the model, where it was looked for and how to get it.
pub fn resolve_model(spec: &str) -> Result<PathBuf> {
    let path = Path::new(spec);
    if spec.contains(std::path::MAIN_SEPARATOR) || spec.ends_with(".bin") || path.is_file() {
        return Ok(path.to_path_buf());
    }
    if !is_model_name(spec) {
        return Err(Error::Model {
            path: path.to_path_buf(),
            reason: format!(
                "no such file, and not a model name (tiny.en, base, base.en, small.en, \
                 medium.en, large-v3-turbo, with -q5_1 or -q8_0: {})",
                SIZES.join(", ")
            ),
        });
    }
    let file = format!("ggml-{spec}.bin");
    let Some(dir) = model_cache_dir() else {
        return Err(Error::Model {
            path: PathBuf::from(file),
            reason: "neither $XDG_CACHE_HOME nor $HOME is set, so there is no model cache: \
                     give the model's path"
                .into(),
        });
    };
    let found = dir.join(&file);
    if found.is_file() {
        return Ok(found);
    }
    #[cfg(feature = "fetch")]
    if let Some(sha1) = super::fetch::checksum(spec) {
        let url = super::fetch::url_for(spec);
        return super::fetch::fetch_to(&url, &found, sha1)
            .map(|()| found.clone())
            .map_err(|what| Error::Model {
                path: found.clone(),
                reason: format!(
                    "model {spec} is not in the model cache, and fetching it from {url} failed \
                     ({what}): download {file} into {} yourself, or set ${} to a source that \
                     has it",
                    dir.display(),
                    super::fetch::SOURCE_ENV
                ),
            });
    }
    let how = if FETCHED_HERE.contains(&spec) {
        format!("scripts/fetch-model --size {spec} puts it there")
    } else {
        format!(
            "download {file} from whisper.cpp's models \
             (https://huggingface.co/ggerganov/whisper.cpp) into {}",
            dir.display()
        )
    };
    Err(Error::Model {
        path: found,
        reason: format!("model {spec} is not in the model cache: {how}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_are_told_from_paths_and_typos() {
        for name in [
            "tiny.en",
            "base",
            "base.en",
            "small.en",
            "medium.en",
            "large-v3-turbo",
            "large-v3-turbo-q5_0",
            "base.en-q5_1",
            "small-q8_0",
        ] {
            assert!(is_model_name(name), "{name}");
        }
        for name in [
            "large-v3.en",
            "huge",
            "base.fr",
            "small-q9_9",
            "tiny.en.bin",
            "",
        ] {
            assert!(!is_model_name(name), "{name}");
        }
    }
}
