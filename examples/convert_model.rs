//! Convert a CTranslate2 (faster-whisper) Whisper directory to a whisper.cpp ggml model.
//!
//! ```text
//! cargo run --release --example convert_model -- <CT2_DIR> <OUT.bin> [f16|q8_0]
//! ```
//!
//! The weight matrices are f16 unless `q8_0` is asked for (ggml's 8-bit blocks).

use std::process::ExitCode;

use voicemail_coach::model::{check_ggml, convert_ctranslate2_as, Weights};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, out, weights) = match args.as_slice() {
        [dir, out] => (dir, out, Weights::F16),
        [dir, out, w] if w == "f16" => (dir, out, Weights::F16),
        [dir, out, w] if w == "q8_0" => (dir, out, Weights::Q8_0),
        _ => {
            eprintln!("usage: convert_model <CT2_DIR> <OUT.bin> [f16|q8_0]");
            return ExitCode::from(2);
        }
    };
    let converted = match convert_ctranslate2_as(dir, out, weights) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    match check_ggml(out) {
        Ok(info) => {
            println!(
                "{}: whisper {} ({} layers, {} tokens, {} tensors)",
                converted.path.display(),
                info.hparams.size_name(),
                info.hparams.n_audio_layer,
                info.tokens,
                info.tensors
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: the converted file does not check: {e}");
            ExitCode::from(1)
        }
    }
}
