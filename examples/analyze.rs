//! The command line, as an example: `cargo run --release --example analyze -- [OPTIONS]
//! <FILES>...` is the `voicemail-coach` command (`--help` lists its options) without installing
//! it. Its source is `src/bin/voicemail-coach.rs`; `examples/report.rs` is a short program that
//! uses the library itself.

#[path = "../src/bin/voicemail-coach.rs"]
mod command;

fn main() -> std::process::ExitCode {
    command::main()
}
