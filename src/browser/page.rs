//! The page itself: navigation, the user agent, cookies and storage, the
//! targets of its events, through
//! `pkg-template/shell.js` (one import each instead of a chain of bindings).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/pkg-template/shell.js")]
extern "C" {
    /// `false` where there is no page to navigate or the browser refused.
    pub fn navigate(url: &str) -> bool;
    #[wasm_bindgen(js_name = userAgent)]
    pub fn user_agent() -> String;
    /// Expires SPiD 2.x's `SP_ID` cookie (on this host, and on `domain` when
    /// given) and removes its `spid_js_<client_id>` storage entry.
    pub fn forget(domain: Option<&str>, client_id: &str);
    /// `[window, document]`, or `null` where there is no page (a worker).
    pub fn targets() -> JsValue;
}
