//! Convert a CTranslate2 (faster-whisper) Whisper directory to a whisper.cpp ggml model.
//!
//! ```text
//! cargo run --release --example convert_model -- <CT2_DIR> <OUT.bin>
//! ```

use std::process::ExitCode;

use voicemail_coach::model::{check_ggml, convert_ctranslate2};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        eprintln!("usage: convert_model <CT2_DIR> <OUT.bin>");
        return ExitCode::from(2);
    };
    let converted = match convert_ctranslate2(dir, out) {
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
