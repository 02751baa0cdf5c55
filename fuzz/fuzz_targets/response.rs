//! Fuzz target `response`: the invariants are in `fuzz/checks.rs`, shared with
//! the native replay of the corpus in `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_response(data));
