//! The page itself: navigation, the user agent, cookies and storage, through
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
    #[wasm_bindgen(js_name = cacheRead)]
    fn cache_read_value(key: &str) -> JsValue;
    /// Keeps `text` as the cache entry `key` from `at` until `until` (ms); `None` removes it.
    #[wasm_bindgen(js_name = cacheWrite)]
    pub fn cache_write(key: &str, at: f64, until: f64, text: Option<&str>);
    // Returns `JsValue` for the reason below.
    #[wasm_bindgen(js_name = markLogin)]
    fn mark_login_value(on: bool) -> JsValue;
    #[wasm_bindgen(js_name = arrival)]
    fn arrival_value() -> js_sys::Array;
    /// `[page URL without its fragment, this tab's id]`.
    #[wasm_bindgen(js_name = whereAmI)]
    fn where_am_i() -> js_sys::Array;
    // These return `JsValue`: a binding of only numbers and booleans (or none)
    // would be a raw import of shell.js, a second import module the build
    // cannot rename.
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
        Err(SdkError::new(
            ErrorCode::Network,
            Message::NavigationRefused,
        ))
    }
}

/// The session cache's entry `key`: `(at, until, text)`.
pub fn cache_read(key: &str) -> Option<(f64, f64, String)> {
    let entry = cache_read_value(key);
    if entry.is_null() {
        return None;
    }
    let entry: js_sys::Array = entry.unchecked_into();
    Some((
        entry.get(0).as_f64()?,
        entry.get(1).as_f64()?,
        entry.get(2).as_string()?,
    ))
}

/// Marks this tab (`on`): its page views follow a login through the SDK's
/// door, until a client of one has asked (`false` takes the mark away).
pub fn mark_login(on: bool) {
    let _ = mark_login_value(on);
}

/// How the page arrived: the referrer's origin (or ''), whether its URL has
/// an authorization `code`, whether a login through the SDK marked this tab.
pub fn arrival() -> (String, bool, bool) {
    let facts = arrival_value();
    (
        facts.get(0).as_string().unwrap_or_default(),
        facts.get(1) == JsValue::TRUE,
        facts.get(2) == JsValue::TRUE,
    )
}

/// The page's URL without its fragment, and this tab's id: what the session
/// service's request carries.
pub fn page_and_tab() -> (String, String) {
    let both = where_am_i();
    let text = |index| both.get(index).as_string().unwrap_or_default();
    (text(0), text(1))
}
