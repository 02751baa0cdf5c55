//! The pure core: no browser types, tested natively with `cargo test`.

pub mod config;
pub mod error;
pub mod fallback;
pub mod legacy;
pub mod response;
pub mod session;
pub mod url;
pub mod user_agent;
