//! Clears what SPiD JS SDK 2.x left in the page when a user logs out, so
//! pages moving from 2.x keep no stale login state.

use super::page;
use crate::core::legacy::{expired_cookie, storage_key};

pub fn forget_spid2_session(client_id: &str, base_domain: Option<String>) {
    // `expired_cookie(None)` is always a cookie; a base domain that is not a
    // plain host name gives none.
    let host_only = expired_cookie(None).unwrap_or_default();
    let base = base_domain
        .as_deref()
        .and_then(|domain| expired_cookie(Some(domain)));
    page::forget(&host_only, base.as_deref(), &storage_key(client_id));
}
