//! The invariants of the pure core (`schacc-core`), one module per fuzz
//! target, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`) and
//! the native corpus replay (`tests/corpus.rs`).
//!
//! Inputs are raw bytes decoded by the small reader in [`input`] (no
//! `arbitrary` needed). The decoding is total: every byte string is a valid
//! input, and running out of bytes reads zeros / empty strings.
//!
//! Every check panics (via `assert!`) when an invariant is broken; libFuzzer
//! reports that as a crash, `cargo test` as a failure.

pub mod config;
pub mod input;
pub mod response;
pub mod session;
pub mod url;
pub mod user_agent;

mod helpers;

pub use helpers::percent_decode;

/// A fuzz target's check: panics when an invariant breaks.
pub type Check = fn(&[u8]);

/// Every fuzz target: its name (= `fuzz/corpus/<name>/`) and its check.
pub const TARGETS: &[(&str, Check)] = &[
    ("config", config::check),
    ("url", url::check),
    ("response", response::check),
    ("session", session::check),
    ("user_agent", user_agent::check),
];
