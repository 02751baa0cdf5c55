//! The thin browser shell: fetch, listeners, navigation, cross-tab.

#[cfg(target_arch = "wasm32")]
mod alloc;
pub mod client;
mod cross_tab;
mod http;
pub mod js;
mod legacy;
mod listeners;
