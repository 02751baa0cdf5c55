//! The page itself: navigation, the user agent, cookies and storage, the
//! targets of its events, through
//! `pkg-template/shell.js` (one import each instead of a chain of bindings).

use wasm_bindgen::prelude::*;

use crate::core::error::{ErrorCode, Message, SdkError};

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
    /// `[page URL without its fragment, this tab's id]`.
    #[wasm_bindgen(js_name = whereAmI)]
    fn where_am_i() -> js_sys::Array;
    // These two return `JsValue`: a binding of only numbers and booleans would
    // be a raw import of shell.js, a second import module the build cannot rename.
    #[wasm_bindgen(js_name = renewedAt)]
    fn renewed_at_value() -> JsValue;
    #[wasm_bindgen(js_name = recordRenewal)]
    fn record_renewal_value(now: f64) -> JsValue;
}

/// When a page of this site last went to renew the session service's
/// cookie (ms), 0 for never, -1 where storage is blocked.
pub fn renewed_at() -> f64 {
    renewed_at_value().as_f64().unwrap_or(-1.0)
}

/// Records a renewal visit; `false` where it cannot be recorded.
pub fn record_renewal(now: f64) -> bool {
    record_renewal_value(now).is_truthy()
}

/// Sends the top-level page to `url`; `network` where the browser refuses
/// (a cross-origin or sandboxed frame) or there is no page.
pub fn go_to(url: &str) -> Result<(), SdkError> {
    if navigate(url) {
        Ok(())
    } else {
        Err(SdkError::new(ErrorCode::Network, Message::NavigationRefused))
    }
}

/// The page's URL without its fragment, and this tab's id: what the session
/// service's request carries.
pub fn page_and_tab() -> (String, String) {
    let both = where_am_i();
    let text = |index| both.get(index).as_string().unwrap_or_default();
    (text(0), text(1))
}
