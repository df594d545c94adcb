//! Fetching a model by name: `ggml-<name>.bin` downloaded from whisper.cpp's model repository
//! (or the base URL in [`SOURCE_ENV`]), checked against the SHA-1 whisper.cpp publishes for it
//! (its `models/README.md`), and written atomically: into a temporary file beside the target,
//! renamed into place only once it is whole and checked, removed otherwise.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha1::{Digest, Sha1};

/// The environment variable naming the base URL models are fetched from (`<base>/ggml-<name>.bin`,
/// whisper.cpp's repository layout).
pub const SOURCE_ENV: &str = "VOICEMAIL_COACH_MODEL_SOURCE";

/// Where models are fetched from by default.
pub const DEFAULT_SOURCE: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

/// The SHA-1 of each model whisper.cpp publishes a checksum for (its `models/README.md`): only
/// these are fetched, so every download is checked.
const CHECKSUMS: &[(&str, &str)] = &[
    ("tiny", "bd577a113a864445d4c299885e0cb97d4ba92b5f"),
    ("tiny.en", "c78c86eb1a8faa21b369bcd33207cc90d64ae9df"),
    ("base", "465707469ff3a37a2b9b8d8f89f2f99de7299dac"),
    ("base.en", "137c40403d78fd54d454da0f9bd998f78703390c"),
    ("small", "55356645c2b361a969dfd0ef2c5a50d530afd8d5"),
    ("small.en", "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022"),
    ("medium", "fd9727b6e1217c2f614f9b698455c4ffd82463b4"),
    ("medium.en", "8c30f0e44ce9560643ebd10bbe50cd20eafd3723"),
    ("large-v1", "b1caaf735c4cc1429223d5a74f0f4d0b9b59a299"),
    ("large-v2", "0f4c8e34f21cf1a914c59d8b3ce882345ad349d6"),
    ("large-v2-q5_0", "00e39f2196344e901b3a2bd5814807a769bd1630"),
    ("large-v3", "ad82bf6a9043ceed055076d0fd39f5f186ff8062"),
    ("large-v3-q5_0", "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de"),
    ("large-v3-turbo", "4af2b29d7ec73d781377bfd1758ca957a807e941"),
    (
        "large-v3-turbo-q5_0",
        "e050f7970618a659205450ad97eb95a18d69c9ee",
    ),
];

/// The published SHA-1 of model `name`, if whisper.cpp publishes one.
pub(super) fn checksum(name: &str) -> Option<&'static str> {
    CHECKSUMS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The URL model `name` is fetched from.
pub(super) fn url_for(name: &str) -> String {
    let base = std::env::var(SOURCE_ENV)
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_SOURCE.to_string());
    format!("{}/ggml-{name}.bin", base.trim_end_matches('/'))
}

/// Downloads `url` to `dest`, checked against `sha1` (hex): the bytes go to a temporary file
/// beside `dest`, which is renamed to `dest` only when the download is whole and its checksum
/// right, and removed otherwise. What went wrong otherwise, in words.
pub(super) fn fetch_to(url: &str, dest: &Path, sha1: &str) -> std::result::Result<(), String> {
    let part = part_path(dest);
    let result = download(url, &part, sha1)
        .and_then(|()| std::fs::rename(&part, dest).map_err(|e| format!("renaming: {e}")));
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

/// The temporary file a download of `dest` is written to.
fn part_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map_or_else(|| "model".into(), |n| n.to_string_lossy().into_owned());
    dest.with_file_name(format!(".{name}.part-{}", std::process::id()))
}

/// The body of `url` into `part`, hashed as it comes, and checked; what went wrong otherwise.
fn download(url: &str, part: &Path, sha1: &str) -> std::result::Result<(), String> {
    let writing = |e: std::io::Error| format!("writing: {e}");
    let response = ureq::get(url).call().map_err(|e| e.to_string())?;
    let expected_len: Option<u64> = response
        .header("Content-Length")
        .and_then(|v| v.parse().ok());
    let mut body = response.into_reader();
    if let Some(dir) = part.parent() {
        std::fs::create_dir_all(dir).map_err(writing)?;
    }
    let mut file = std::fs::File::create(part).map_err(writing)?;
    let mut hasher = Sha1::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut got: u64 = 0;
    loop {
        let n = body
            .read(&mut buf)
            .map_err(|e| format!("the download stopped after {got} bytes: {e}"))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).map_err(writing)?;
        got += n as u64;
    }
    file.sync_all().map_err(writing)?;
    if let Some(len) = expected_len.filter(|&len| len != got) {
        return Err(format!("the download stopped after {got} of {len} bytes"));
    }
    let actual: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if actual != sha1 {
        return Err(format!(
            "its SHA-1 is {actual}, not the published {sha1}: refused"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
