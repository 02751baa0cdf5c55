//! SPiD JS SDK 2.x's rules (`crate::core::spid2` and the session-diff rule),
//! bound for `global.js`, the 2.x drop-in. Built only with the `spid2`
//! feature, into global.js's own wasm (scripts/build.mjs), so no page of the
//! module API carries them. `pkg-template/spid2.js` reads the values and
//! calls these; what they decide is the core's.

use wasm_bindgen::prelude::*;

use crate::browser::js::{field, get, raw};
use crate::core::raw::Raw;
use crate::core::session::{diff, Session, UserId};
use crate::core::spid2::{self, Answer, Body, Options};

/// The options the rules read, from 2.x's options object.
fn options(opts: &JsValue) -> Options {
    // `cache.hasSession`, read as 2.x read it: `cache && cache.hasSession`.
    let cache = get(opts, "cache");
    let has_session = if cache.is_truthy() {
        get(&cache, "hasSession")
    } else {
        cache
    };
    Options {
        storage: field(opts, "storage"),
        cache_has_session: has_session.is_truthy(),
        ttl_seconds: if has_session.is_truthy() {
            field(&has_session, "ttlSeconds")
        } else {
            Raw::Absent
        },
        set_varnish_cookie: field(opts, "setVarnishCookie"),
        varnish_expiration: field(opts, "varnish_expiration"),
        refresh_timeout: field(opts, "refresh_timeout"),
        cache_time_no_asset: field(opts, "cache_time_no_asset"),
    }
}

/// Seconds to keep a `hasSession` answer (`err`: it carried SchAcc's error), 0 for not at all.
#[wasm_bindgen(js_name = sessionTtl)]
pub fn session_ttl(opts: &JsValue, err: bool, data: &JsValue) -> f64 {
    spid2::session_ttl(
        &options(opts),
        err,
        &field(data, "result"),
        &field(data, "expiresIn"),
    )
}

/// Seconds to keep a `hasProduct`/`hasSubscription` answer.
#[wasm_bindgen(js_name = assetTtl)]
pub fn asset_ttl(opts: &JsValue, data: &JsValue) -> f64 {
    spid2::asset_ttl(&options(opts), &field(data, "result"))
}

/// Whether a logged-in answer sets the Varnish cookie `SP_ID`.
#[wasm_bindgen]
pub fn varnish(opts: &JsValue, data: &JsValue) -> bool {
    spid2::varnish(&options(opts), &field(data, "sp_id"))
}

/// Seconds `SP_ID` lives (0: the cookie is expired).
#[wasm_bindgen(js_name = varnishTtl)]
pub fn varnish_ttl(opts: &JsValue, data: &JsValue) -> f64 {
    spid2::varnish_ttl(&options(opts), &field(data, "expiresIn"))
}

/// The `Domain` of 2.x's cookies on a page of `host`, or none (the page's host alone).
#[wasm_bindgen(js_name = cookieDomain)]
pub fn cookie_domain(base_domain: &JsValue, host: &str) -> Option<String> {
    spid2::cookie_domain(&raw(base_domain), host)
}

/// The user an answer names, or `null`.
#[wasm_bindgen(js_name = userOf)]
pub fn user_of(data: &JsValue) -> JsValue {
    match spid2::user_of(&field(data, "result"), &field(data, "userId")) {
        Some(UserId::Number(id)) => id.into(),
        Some(UserId::Text(id)) => id.into(),
        _ => JsValue::NULL,
    }
}

/// What an answer to `hasproduct.json`, `hassubscription.json` or
/// `acceptAgreement.json` is: 0 data, 1 SchAcc's error, else the `code` of a
/// communication error. `body` is the parsed JSON object, or `undefined`
/// (none, not JSON, not an object).
#[wasm_bindgen]
pub fn answer(status: u16, content_type: Option<String>, body: &JsValue) -> u16 {
    let read = (!body.is_undefined()).then(|| Body {
        error_object: error_object(&get(body, "error")),
        result: field(body, "result"),
    });
    match spid2::answer(status, content_type.as_deref(), read.as_ref()) {
        Answer::Data => 0,
        Answer::Error => 1,
        Answer::Communication(code) => code,
    }
}

/// SchAcc's `error` object: an object, not an array.
fn error_object(error: &JsValue) -> bool {
    error.is_object() && !js_sys::Array::is_array(error)
}

/// A user as global.js keeps it: a number or text (an id), `null` (none),
/// or any other value (`{}`: a user the page never saw, `beforeLogout`).
fn user(value: &JsValue) -> Option<UserId> {
    match raw(value) {
        Raw::Absent => None,
        Raw::Number(id) => Some(UserId::Number(id)),
        Raw::Text(id) => Some(UserId::Text(id)),
        _ => Some(UserId::Unknown),
    }
}

/// The events of a change of session, as bits (bit `i`: `EVENTS[i]`).
#[wasm_bindgen]
pub fn events(
    previous_user: &JsValue,
    previous_status: Option<String>,
    next_user: &JsValue,
    next_status: Option<String>,
    seen: bool,
) -> u8 {
    let session = |user_value, status: Option<String>| Session {
        user: user(user_value),
        status: status.unwrap_or_default(),
    };
    diff(
        &session(previous_user, previous_status),
        &session(next_user, next_status),
        seen,
    )
    .bits()
}

/// Whether a request that got no answer (its rejection's `name`) was cut off by the timeout.
#[wasm_bindgen(js_name = unansweredInTime)]
pub fn unanswered_in_time(name: &str) -> bool {
    spid2::unanswered_in_time(name)
}
