//! What several test files share: the path of a fixture and the example binary, built fresh.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The path of a fixture, `rel` under `fixtures/`.
pub fn fixture(rel: &str) -> String {
    format!("{}/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
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
