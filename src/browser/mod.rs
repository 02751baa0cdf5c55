//! The thin browser shell: fetch, listeners, navigation, cross-tab.

pub mod client;
mod cross_tab;
mod http;
pub mod js;
mod legacy;
mod listeners;
