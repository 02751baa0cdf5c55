//! The session as the page sees it: what this client knows, how it learns
//! it (`hasSession()`, the re-check when the page comes back, another tab's
//! logout), and the events a change fires.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::cache::session_object;
use super::task::Call;
use super::Inner;
use crate::browser::http::Credentials;
use crate::browser::js;
use crate::browser::legacy::forget_spid2_session;
use crate::browser::page;
use crate::core::config::Method;
use crate::core::error::{Message, SdkError};
use crate::core::response;
use crate::core::session::{diff, recheck_due, Event, Events, Session};

#[derive(Default)]
pub(super) struct State {
    pub(super) session: Session,
    /// The session as the page sees it (frozen JS object).
    pub(super) object: JsValue,
    pub(super) user_seen: bool,
}

impl State {
    pub(super) fn replace(&mut self, next: Session, object: &JsValue) {
        self.user_seen |= next.has_user();
        self.session = next;
        self.object = object.clone();
    }
}

impl Inner {
    /// Runs pure code on the state; nothing in `change` may call page code.
    pub(super) fn with_state<R>(&self, change: impl FnOnce(&mut State) -> R) -> R {
        let mut state = self.state.take();
        let result = change(&mut state);
        self.state.set(state);
        result
    }

    pub(super) fn session_object(&self) -> JsValue {
        self.with_state(|state| state.object.clone())
    }

    pub(super) fn session(&self) -> Session {
        self.with_state(|state| state.session.clone())
    }

    /// Rejects with `Message::Destroyed` once the client is destroyed: what
    /// an operation checks after each wait, before it acts.
    #[inline(never)]
    pub(super) fn alive(&self) -> Result<(), JsValue> {
        if self.destroyed.get() {
            Err(js::to_js_error(&SdkError::argument(Message::Destroyed)))
        } else {
            Ok(())
        }
    }

    /// Re-checks a session the page already asked about: it may have ended
    /// elsewhere while the page was cached or hidden. At most once a minute
    /// (`recheck_due`), and through the site's cache where its answer is
    /// less than a minute old, so a burst of tab switches, in any of the
    /// site's tabs, is one request.
    pub(super) fn recheck(this: &Rc<Inner>) {
        let now = js_sys::Date::now();
        if this.session().status != "unknown" && recheck_due(this.last_check.get(), now) {
            this.last_check.set(Some(now));
            if this.cached_answer(true).is_none() {
                // Nothing waits for it: a failure is reported by `SPiD.error`
                // (and the promise is marked handled, `js::deferred`).
                let _ = Inner::has_session(this, true);
            }
        }
    }

    /// Another tab logged out. Any answer asked for before is stale; the
    /// events fire once, however many tabs (or messages) announce it.
    pub(super) fn heard_logout(&self) {
        self.bump_epoch();
        if !self.session().is_logged_out() {
            self.end_session(
                js::no_user_object(&JsValue::UNDEFINED, "notConnected", 0.0),
                false,
            );
        }
    }

    pub(super) fn bump_epoch(&self) {
        self.epoch.set(self.epoch.get().wrapping_add(1));
    }

    /// The cache's answer unless `fresh`; else the server's, shared by concurrent callers.
    pub(super) fn has_session(this: &Rc<Inner>, fresh: bool) -> Promise {
        if !fresh {
            if let Some(object) = this.cached_answer(false) {
                return Promise::resolve(&object);
            }
        }
        this.has_session_call
            .share(this, Call::HasSession, this.epoch.get())
            .0
    }

    pub(super) async fn check_session(self: &Rc<Self>) -> Result<JsValue, JsValue> {
        let epoch = self.epoch.get();
        let (method, url) = self.session_request();
        let answer = self.send(method, &url, Credentials::Cookie).await?;
        if self.config.session_domain.is_some() {
            let (target, keys) = js::renewal_fields(&answer.json);
            if let Some(target) = response::renewal(&answer.reply, &target, keys) {
                return self.renew(target);
            }
        }
        let session = self.read(&answer, response::has_session)?;
        self.last_check.set(Some(js_sys::Date::now()));
        // Asked before a logout ended, or answered while one runs: it may
        // name a user who is being logged out.
        if self.epoch.get() != epoch || self.logout_call.running() {
            return Ok(self.session_object());
        }
        // The answer was read as a JSON object (`response::has_session`).
        let object = session_object(&session, &answer, 0.0);
        self.keep(&session, &answer);
        self.apply(None, session, &object);
        Ok(object)
    }

    /// The session request, with the page and the tab only where a session
    /// service asks for them (`page::page_and_tab`).
    pub(super) fn session_request(&self) -> (Method, String) {
        let (page, tab) = match self.config.session_domain {
            Some(_) => page::page_and_tab(),
            None => Default::default(),
        };
        self.config.session_request(&page, &tab)
    }

    /// A logout known to have happened (confirmed here, in another tab, or
    /// about to happen by redirect): always `logout`, `statusChange`,
    /// `sessionChange`, even if this client never saw the user.
    pub(super) fn end_session(&self, object: JsValue, announce: bool) {
        if self.destroyed.get() {
            return;
        }
        self.bump_epoch();
        self.forget_cached();
        let previous = self.session().before_confirmed_logout();
        self.apply(Some(previous), Session::logged_out(), &object);
        if announce {
            let cross_tab = self.cross_tab.take();
            if let Some(cross_tab) = &cross_tab {
                cross_tab.announce_logout();
            }
            self.cross_tab.set(cross_tab);
        }
    }

    /// Stores the new session, then fires the events the core's rule yields.
    pub(super) fn apply(&self, previous: Option<Session>, next: Session, object: &JsValue) {
        if self.destroyed.get() {
            return;
        }
        let (events, before) = self.with_state(|state| {
            let events = diff(
                previous.as_ref().unwrap_or(&state.session),
                &next,
                state.user_seen,
            );
            let before = std::mem::take(&mut state.object);
            state.replace(next, object);
            (events, before)
        });
        if events.contains(Event::Logout) {
            // The base domain SchAcc named for the session that ended, read
            // only for a logout (else from the logged-out answer).
            let base_domain = js::get(&before, "baseDomain")
                .as_string()
                .or_else(|| js::get(object, "baseDomain").as_string());
            forget_spid2_session(&self.config.client_id, base_domain);
        }
        self.fire(events, object);
    }

    /// Hands the events to the loader's dispatcher, all in one call (never
    /// once destroyed); it fires them in `Event` order.
    fn fire(&self, events: Events, payload: &JsValue) {
        if events.bits() != 0 && !self.destroyed.get() {
            // The dispatcher catches what listeners throw: it never fails.
            js::call_safely(&self.emit, &JsValue::from(events.bits()), payload);
        }
    }

    /// Fires `SPiD.error` and returns the error for the promise; the run it
    /// ends reads its code in `failed`.
    pub(super) fn fail(&self, error: &SdkError) -> JsValue {
        self.failed.set(error.code as u8);
        let error = js::to_js_error(error);
        self.fire(Events::default().with(Event::Error, true), &error);
        error
    }
}
