//! The thin browser shell: fetch, listeners, navigation, cross-tab.

// Single-threaded wasm only: the allocator does no locking.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod alloc;
pub mod client;
mod cross_tab;
pub(crate) mod executor;
mod http;
pub mod js;
mod legacy;
mod page;
pub(crate) mod slots;
