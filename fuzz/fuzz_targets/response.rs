//! Fuzz target `response`: the invariants are in `fuzz/checks/src/response.rs`,
//! shared with the native replay of the corpus (`fuzz/checks/tests/corpus.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schacc_fuzz_checks::response::check(data));
