//! Clears what SPiD JS SDK 2.x left in the page when a user logs out, so
//! pages moving from 2.x keep no stale login state.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::core::legacy::{expired_cookie, storage_key};

pub fn forget_spid2_session(client_id: &str, base_domain: Option<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(document) = window.document() {
        let host_only = expired_cookie(None);
        let base = base_domain
            .as_deref()
            .and_then(|domain| expired_cookie(Some(domain)));
        let cookies = [host_only, base].into_iter().flatten();
        for cookie in cookies {
            let _ = Reflect::set(
                &document,
                &JsValue::from_str("cookie"),
                &JsValue::from_str(&cookie),
            );
        }
    }
    // Throws in sandboxed frames and with storage disabled: nothing to clear then.
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.remove_item(&storage_key(client_id));
    }
}
