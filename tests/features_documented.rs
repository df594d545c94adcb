//! The crate's features are written in three places a user reads: Cargo.toml, the crate docs
//! (src/lib.rs) and the README. This holds the three to one list, with the same defaults.

use std::collections::BTreeSet;

fn read(rel: &str) -> String {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text after the line `header` up to the next line starting with `next`.
fn section<'a>(text: &'a str, header: &str, next: &str) -> &'a str {
    text.split(&format!("\n{header}\n"))
        .nth(1)
        .and_then(|rest| rest.split(&format!("\n{next}")).next())
        .unwrap_or_else(|| panic!("no section {header}"))
}

/// Cargo.toml's features (without `default`) and the default ones.
fn declared() -> (BTreeSet<String>, BTreeSet<String>) {
    let manifest = read("Cargo.toml");
    let mut all = BTreeSet::new();
    let mut default = BTreeSet::new();
    let features = section(&manifest, "[features]", "[");
    for line in features.lines().filter(|l| !l.starts_with('#')) {
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        match name.trim() {
            "default" => default.extend(
                value
                    .split(['[', ']', ',', '"'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            ),
            name => {
                all.insert(name.to_string());
            }
        }
    }
    (all, default)
}

/// The features a list of "- `a`, `b` (default): …" items documents, and those marked default.
fn documented(lines: impl Iterator<Item = String>) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut all = BTreeSet::new();
    let mut default = BTreeSet::new();
    for line in lines.filter(|l| l.starts_with("- `")) {
        let head = line.split(':').next().unwrap_or_default();
        let names: Vec<String> = head
            .split('`')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .collect();
        if head.contains("(default)") {
            default.extend(names.iter().cloned());
        }
        all.extend(names);
    }
    (all, default)
}

#[test]
fn every_feature_is_documented_alike_in_the_crate_docs_and_the_readme() {
    let declared = declared();
    let lib = read("src/lib.rs");
    let crate_docs = documented(
        lib.lines()
            .filter_map(|l| l.strip_prefix("//! "))
            .map(String::from),
    );
    let readme = read("README.md");
    let features = section(&readme, "## Features", "## ");
    let readme_list = documented(features.lines().map(String::from));
    assert!(declared.0.len() >= 5, "features read: {:?}", declared.0);
    assert_eq!(crate_docs, declared, "src/lib.rs against Cargo.toml");
    assert_eq!(readme_list, declared, "README against Cargo.toml");
}

/// The README's whole program is `examples/report.rs` (which cargo builds with the examples),
/// so it compiles as the README shows it.
#[test]
fn the_readme_program_is_the_example_that_compiles() {
    let example = read("examples/report.rs");
    let program = example
        .split_once("\n\n")
        .map(|(_docs, code)| code.trim_end())
        .expect("the example's code after its docs");
    let readme = read("README.md");
    let library = section(&readme, "## The library", "## ");
    assert!(
        library.contains(&format!("```rust\n{program}\n```")),
        "README's program differs from examples/report.rs"
    );
}
