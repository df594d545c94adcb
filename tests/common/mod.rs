//! What the test files share: the path of a fixture, the default model (and an analyzer that
//! transcribes with it), and the example binary, built fresh.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The path of a fixture, `rel` under `fixtures/`.
pub fn fixture(rel: &str) -> String {
    format!("{}/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// The bytes of a fixture, `rel` under `fixtures/`.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    let path = fixture(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The default model's path (tiny.en, fetched and converted by `scripts/fetch-model`, which
/// `scripts/setup` runs); the test fails with what to run when it is missing.
#[cfg(feature = "transcribe")]
pub fn model_path() -> PathBuf {
    let path =
        voicemail_coach::transcribe::default_model_path().expect("HOME or XDG_CACHE_HOME is set");
    assert!(
        path.exists(),
        "no model at {}: run scripts/fetch-model (scripts/setup does)",
        path.display()
    );
    path
}

/// A transcriber with the default model and options.
#[cfg(feature = "transcribe")]
pub fn transcriber() -> voicemail_coach::transcribe::Transcriber {
    use voicemail_coach::transcribe::{TranscribeOptions, Transcriber};
    Transcriber::new(model_path(), TranscribeOptions::default()).expect("model loads")
}

/// An analyzer with default options that transcribes with the default model.
#[cfg(feature = "transcribe")]
pub fn analyzer_with_model() -> voicemail_coach::Analyzer {
    voicemail_coach::Analyzer::new(voicemail_coach::Options::default())
        .expect("analyzer")
        .with_transcriber(transcriber())
}

/// The example binary `analyze`, built for the profile this test was built with. It is built
/// every time (cargo finds it fresh at once when `cargo test` already has), so a filtered run
/// never tests a stale binary.
pub fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target/PROFILE");
    let mut build = Command::new(env!("CARGO"));
    build
        .args(["build", "--quiet", "--example", "analyze"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    // Cargo gives a running test this package's CARGO_PKG_*, CARGO_MANIFEST_* ... variables.
    // Inherited by this build, they would differ from what a dependency's build script saw
    // (ring's asks to run again when CARGO_PKG_NAME changes), and that dependency and all
    // above it would be rebuilt for every test that calls this: a minute each in release.
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_for_a_running_test) {
            build.env_remove(&name);
        }
    }
    if dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    let status = build.status().expect("cargo runs");
    assert!(status.success(), "building the example failed");
    let bin = dir
        .join("examples")
        .join(format!("analyze{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} not built", bin.display());
    bin
}

/// Whether cargo sets the variable `name` for a test it runs (The Cargo Book, "Environment
/// variables Cargo sets for crates"), as opposed to configuration a user may have set.
fn set_for_a_running_test(name: &str) -> bool {
    const PREFIXES: [&str; 4] = [
        "CARGO_PKG_",
        "CARGO_MANIFEST_",
        "CARGO_CRATE_",
        "CARGO_BIN_",
    ];
    const NAMES: [&str; 3] = [
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p)) || NAMES.contains(&name)
}
