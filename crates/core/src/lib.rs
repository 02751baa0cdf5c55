#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![forbid(unsafe_code)]
//! The pure core of schacc-sdk: every decision the SDK makes, and no browser.
//! This crate depends on nothing of the browser (no wasm-bindgen, web-sys or
//! js-sys), so cargo keeps it pure; the SDK's shell (`src/browser/`) reads
//! the page into its types and acts on its answers. Tested natively with
//! `cargo test`, where the `url` crate (feature `native-url`) stands in for
//! the browser's URL parser.

pub mod cache;
pub mod config;
pub mod error;
pub mod fallback;
pub mod legacy;
pub mod login;
pub mod raw;
pub mod response;
pub mod session;
pub mod spid2;
pub mod url;
pub mod user_agent;
