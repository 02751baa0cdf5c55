//! Clears what SPiD JS SDK 2.x left in the page when a user logs out, so
//! pages moving from 2.x keep no stale login state.

use super::page;
use crate::core::legacy::cookie_domain;

pub fn forget_spid2_session(client_id: &str, base_domain: Option<String>) {
    page::forget(base_domain.as_deref().and_then(cookie_domain), client_id);
}
