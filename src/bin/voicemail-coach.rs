//! The `voicemail-coach` command (`cargo install voicemail-coach --features cli`): the example
//! `analyze` as an installed binary, the same source.

#[path = "../../examples/analyze.rs"]
mod analyze;

fn main() -> std::process::ExitCode {
    analyze::main()
}
