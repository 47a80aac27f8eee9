//! Build helper: `cargo run -p xtask -- bindgen <input.wasm> <out-dir> <out-name>`
//! runs wasm-bindgen (`--target web`, with TypeScript) at the exact version pinned
//! in Cargo.lock.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, input, out_dir, out_name] if cmd == "bindgen" => {
            let mut b = wasm_bindgen_cli_support::Bindgen::new();
            b.input_path(input).out_name(out_name).typescript(true);
            let result = b.web(true).and_then(|b| b.generate(out_dir));
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("xtask bindgen: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: xtask bindgen <input.wasm> <out-dir> <out-name>");
            ExitCode::from(2)
        }
    }
}
