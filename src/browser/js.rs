//! Small conversions between JS values and the core's types.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use crate::core::error::SdkError;
use crate::core::raw::Raw;
use crate::core::url::BrowserUrl;

#[wasm_bindgen(module = "/pkg-template/shell.js")]
extern "C" {
    /// `code` and `message` by their numbers (`ErrorCode`, `Message`).
    #[wasm_bindgen(js_name = sdkError)]
    fn sdk_error(code: u8, message: u8, status: Option<u16>, url: Option<&str>) -> JsValue;
}

// `shell.js` takes the words for those numbers from `names.js` beside it
// (`crate::names`). Naming that module here is what makes wasm-bindgen copy it
// next to `shell.js` (the test runner serves wasm-bindgen's output as it is);
// nothing is imported from it, so the wasm and the glue are unchanged.
#[wasm_bindgen(module = "/pkg-template/names.js")]
extern "C" {
    #[allow(dead_code)]
    #[wasm_bindgen(js_name = MAX_TEXT, thread_local_v2)]
    static NAMES: u32;
}

#[wasm_bindgen(module = "/pkg-template/shell.js")]
extern "C" {
    /// `[protocol, hasCredentials, hostname, origin, pathname,
    /// hasQueryOrFragment]` or `null`: one call instead of `URL` and eight getters.
    #[wasm_bindgen(js_name = readUrl)]
    fn read_url_fields(input: &str, base: Option<&str>) -> JsValue;
}

/// How the browser's `URL` reads `input`: the authority on what a URL means.
pub fn read_url(input: &str) -> Option<BrowserUrl> {
    read_url_with(input, None)
}

/// How the browser's `URL` reads `input` resolved against `base`.
pub fn read_url_against(input: &str, base: &str) -> Option<BrowserUrl> {
    read_url_with(input, Some(base))
}

fn read_url_with(input: &str, base: Option<&str>) -> Option<BrowserUrl> {
    let fields = read_url_fields(input, base);
    if fields.is_null() {
        return None;
    }
    let fields: Array = fields.unchecked_into();
    let text = |index| fields.get(index).as_string().unwrap_or_default();
    Some(BrowserUrl {
        protocol: text(0),
        has_credentials: fields.get(1) == JsValue::TRUE,
        hostname: text(2),
        origin: text(3),
        pathname: text(4),
        has_query_or_fragment: fields.get(5) == JsValue::TRUE,
    })
}

/// An `SdkError` instance: `name`, `message`, `code`, and `status` when known.
pub fn to_js_error(error: &SdkError) -> JsValue {
    sdk_error(error.code as u8, error.message as u8, error.status, None)
}

/// The same, with the `url` it is about (a `session_renewal`'s).
pub fn to_js_error_with_url(error: &SdkError, url: &str) -> JsValue {
    sdk_error(
        error.code as u8,
        error.message as u8,
        error.status,
        Some(url),
    )
}

#[wasm_bindgen(module = "/pkg-template/shell.js")]
extern "C" {
    /// `f(a, b)` (`f(a)` where `b` is `undefined`): what it returns, or
    /// `undefined` if it throws (a throw must never cross the wasm).
    #[wasm_bindgen(js_name = callSafely)]
    pub fn call_safely(f: &js_sys::Function, a: &JsValue, b: &JsValue) -> JsValue;
    /// `text` parsed as JSON, or `undefined` where it is not JSON.
    #[wasm_bindgen(js_name = parseJson)]
    pub fn parse_json(text: &JsValue) -> JsValue;
    /// How many own enumerable keys `object` has (`Object.keys`).
    #[wasm_bindgen(js_name = keyCount)]
    fn key_count(object: &JsValue) -> u32;
    /// `object[key]`, or a symbol (a value of no type the core accepts)
    /// where reading throws: a getter, a proxy, no object at all.
    pub fn get(object: &JsValue, key: &str) -> JsValue;
    /// An object that is not `null`, an array or a function (nor a revoked
    /// Proxy): what options arguments and answers must be.
    #[wasm_bindgen(js_name = isPlainObject)]
    pub fn is_plain_object(value: &JsValue) -> bool;
}

/// What the core needs to tell a session service's renewal answer: its
/// `redirectURL`, and how many keys the answer has (0 unless it is an object).
pub fn renewal_fields(json: &JsValue) -> (Raw, u32) {
    if !is_plain_object(json) {
        return (Raw::Absent, 0);
    }
    (field(json, "redirectURL"), key_count(json))
}

/// Reads `object[key]`; a throwing getter reads as `Raw::Other`. Never
/// inlined: a copy at every option read would cost more than the call.
#[inline(never)]
pub fn field(object: &JsValue, key: &str) -> Raw {
    raw(&get(object, key))
}

pub fn raw(value: &JsValue) -> Raw {
    if value.is_undefined() || value.is_null() {
        Raw::Absent
    } else if let Some(text) = value.as_string() {
        Raw::Text(text)
    } else if let Some(number) = value.as_f64() {
        Raw::Number(number)
    } else if let Some(flag) = value.as_bool() {
        Raw::Bool(flag)
    } else {
        Raw::Other
    }
}

#[wasm_bindgen(module = "/pkg-template/shell.js")]
extern "C" {
    /// A frozen copy of a session the server sent, with `userId: null` if
    /// absent; `age`: ms since the server sent it (0: now; more: cached).
    #[wasm_bindgen(js_name = sessionObject)]
    pub fn frozen_session(json: &JsValue, age: f64) -> JsValue;
    /// A fresh frozen object: `{ ...base, result: false, userStatus: status,
    /// userId: null }`, the server's fields copied as own data only; `base`
    /// is an object the core read as one (an answer's JSON), or `undefined`.
    #[wasm_bindgen(js_name = loggedOutObject)]
    pub fn no_user_object(base: &JsValue, status: &str, age: f64) -> JsValue;
    /// A new promise, for `settle` to resolve or reject: how an operation
    /// run as a task hands its result to the page.
    pub fn deferred() -> Promise;
    /// Resolves (`fulfilled`) or rejects a promise of `deferred` with `value`.
    pub fn settle(promise: &Promise, fulfilled: bool, value: &JsValue);
    /// `{ session, redirected, confirmed, tokenRevoked, reason }`, what
    /// `logoutWithFallback()` resolves with; `reason` by its number (`names.js`).
    #[wasm_bindgen(js_name = fallbackResult)]
    pub fn fallback_result(
        session: &JsValue,
        redirected: bool,
        confirmed: bool,
        token_revoked: bool,
        reason: u8,
    ) -> JsValue;
}
