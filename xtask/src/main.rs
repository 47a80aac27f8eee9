//! Build helper.
//!
//! - `cargo run -p xtask -- bindgen <input.wasm> <out-dir> <out-name>` runs
//!   wasm-bindgen (`--target web`, with TypeScript) at the exact version pinned in
//!   Cargo.lock.
//! - `cargo run -p xtask -- gen <out-dir>` writes the JavaScript and TypeScript
//!   generated from the bindings crate's schema (`constants.js`, `api.js`,
//!   `api-hapi.js`, `api.d.ts`, `constants.d.ts`) after checking the schema
//!   against wasm-bindgen's declarations of the raw exports (`payhook_core.d.ts`,
//!   `payhook_hapi.d.ts` in the same folder).

mod gen;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, input, out_dir, out_name] if cmd == "bindgen" => {
            let mut b = wasm_bindgen_cli_support::Bindgen::new();
            b.input_path(input).out_name(out_name).typescript(true);
            b.web(true)
                .and_then(|b| b.generate(out_dir))
                .map_err(|e| format!("xtask bindgen: {e:#}"))
        }
        [cmd, out_dir] if cmd == "gen" => gen::run(std::path::Path::new(out_dir)),
        _ => Err(
            "usage: xtask bindgen <input.wasm> <out-dir> <out-name> | xtask gen <out-dir>".into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
