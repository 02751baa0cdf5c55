//! The session cache the site's tabs share: `hasSession()` answers kept in
//! `localStorage` (`page::cache_read`, `cache_write`) as the core's rules
//! (`crate::core::cache`, the module API's `Policy::Site`) say, so a visit
//! costs one request, not one per page view or tab switch.

use wasm_bindgen::prelude::*;

use super::Inner;
use crate::browser::http::{read_json, Answer};
use crate::browser::{js, page};
use crate::core::cache::{self, Kept, Policy};
use crate::core::response;
use crate::core::session::Session;

impl Inner {
    /// A kept answer that may answer now (`recheck`: a page coming back,
    /// which takes none older than a minute; none older than this client's
    /// `cacheTtl` either way), applied as the session, with its events;
    /// `None` where the page must ask.
    pub(super) fn cached_answer(&self, recheck: bool) -> Option<JsValue> {
        if self.config.cache_ttl_ms == 0 || self.must_ask.get() || self.logout_call.running() {
            return None;
        }
        let (at, until, text) = page::cache_read(&self.cache_key)?;
        let now = js_sys::Date::now();
        let kept = Kept {
            at: Some(at),
            until: Some(until),
        };
        if !cache::answers(kept, now, self.cache_policy().max_age_ms(recheck)) {
            return None;
        }
        let answer = read_json(200, &JsValue::from_str(&text));
        let session = response::has_session(&answer.reply).ok()?;
        // At least 1 ms old: the object says it came from the cache.
        let object = session_object(&session, &answer, (now - at).max(1.0));
        self.apply(None, session, &object);
        Some(object)
    }

    /// Keeps a server's answer for the site's tabs, as long as the core
    /// says; and this page view has asked, as a login or an arrival from
    /// SchAcc required.
    pub(super) fn keep(&self, session: &Session, answer: &Answer) {
        if self.must_ask.replace(false) {
            // Asked: the tab's login mark has done its work (another client
            // of the page that has not asked yet still does).
            page::mark_login(false);
        }
        let now = js_sys::Date::now();
        let keep = self
            .cache_policy()
            .keep_ms(session.has_user(), &js::field(&answer.json, "expiresIn"));
        if keep > 0.0 {
            if let Some(text) = answer.text.as_string() {
                page::cache_write(&self.cache_key, now, now + keep, Some(&text));
            }
        }
    }

    /// The module API's policy, with this client's `cacheTtl`.
    fn cache_policy(&self) -> Policy {
        Policy::Site {
            ttl_ms: f64::from(self.config.cache_ttl_ms),
        }
    }

    /// Forgets the kept answer (a logout, a login).
    pub(super) fn forget_cached(&self) {
        page::cache_write(&self.cache_key, 0.0, 0.0, None);
    }
}

/// The object the page gets for an answer the core read as `session`
/// (`age`: ms since the server gave it; 0: now).
pub(super) fn session_object(session: &Session, answer: &Answer, age: f64) -> JsValue {
    if session.has_user() {
        js::frozen_session(&answer.json, age)
    } else {
        js::no_user_object(&answer.json, &session.status, age)
    }
}
