//! Writes the JavaScript module of every name that crosses the boundary
//! (`schacc_sdk::names`) to the file given, or to stdout:
//! `cargo run -p schacc-sdk --example emit-names -- pkg-template/names.js`.
//! `scripts/build.mjs` runs it for the package's copy.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let text = schacc_sdk::names::javascript();
    let written = match std::env::args_os().nth(1) {
        Some(path) => std::fs::write(&path, text),
        None => std::io::stdout().write_all(text.as_bytes()),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("emit-names: {error}");
            ExitCode::FAILURE
        }
    }
}
