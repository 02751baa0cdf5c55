//! The session as the page sees it: what this client knows, how it learns
//! it (`hasSession()`, the re-check when the page comes back, another tab's
//! logout), and the events a change fires.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::task::{start, Call};
use super::Inner;
use crate::browser::http::Credentials;
use crate::browser::js;
use crate::browser::legacy::forget_spid2_session;
use crate::core::config::Endpoint;
use crate::core::error::{Message, SdkError};
use crate::core::response;
use crate::core::session::{diff, recheck_due, Event, Session};

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
    /// (`recheck_due`), so a burst of tab switches is one request.
    pub(super) fn recheck(this: &Rc<Inner>) {
        let now = js_sys::Date::now();
        if this.session().status != "unknown" && recheck_due(this.last_check.get(), now) {
            this.last_check.set(Some(now));
            // Its own promise never rejects: nothing is left unhandled.
            let _ = start(this.clone(), Call::Ignore(Inner::has_session(this)), None);
        }
    }

    /// Another tab logged out. Any answer asked for before is stale; the
    /// events fire once, however many tabs (or messages) announce it.
    pub(super) fn heard_logout(&self) {
        self.bump_epoch();
        if !self.session().is_logged_out() {
            self.end_session(js::no_user_object(None, "notConnected"), false);
        }
    }

    pub(super) fn bump_epoch(&self) {
        self.epoch.set(self.epoch.get().wrapping_add(1));
    }

    pub(super) fn has_session(this: &Rc<Inner>) -> Promise {
        this.has_session_call
            .share(this, Call::HasSession, this.epoch.get())
    }

    pub(super) async fn check_session(&self) -> Result<JsValue, JsValue> {
        let epoch = self.epoch.get();
        let answer = self.ask(Endpoint::HasSession, Credentials::Cookie).await?;
        let session = self.read(&answer, response::has_session)?;
        self.last_check.set(Some(js_sys::Date::now()));
        // Asked before a logout ended, or answered while one runs: it may
        // name a user who is being logged out.
        if self.epoch.get() != epoch || self.logout_call.running() {
            return Ok(self.session_object());
        }
        let object = if session.has_user() {
            js::frozen_session(&answer.json)
        } else {
            js::no_user_object(Some(&answer.json), &session.status)
        };
        self.apply(None, session, &object);
        Ok(object)
    }

    /// A logout known to have happened (confirmed here, in another tab, or
    /// about to happen by redirect): always `logout`, `statusChange`,
    /// `sessionChange`, even if this client never saw the user.
    pub(super) fn end_session(&self, object: JsValue, announce: bool) {
        if self.destroyed.get() {
            return;
        }
        self.bump_epoch();
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
        let base_domain = js::get(&self.session_object(), "baseDomain").as_string();
        let events = self.with_state(|state| {
            let events = diff(
                previous.as_ref().unwrap_or(&state.session),
                &next,
                state.user_seen,
            );
            state.replace(next, object);
            events
        });
        if events.contains(Event::Logout) {
            let base_domain = base_domain.or_else(|| js::get(object, "baseDomain").as_string());
            forget_spid2_session(&self.config.client_id, base_domain);
        }
        for event in events.iter() {
            self.fire(event, object);
        }
    }

    /// Hands an event to the loader's dispatcher (never once destroyed).
    fn fire(&self, event: Event, payload: &JsValue) {
        if !self.destroyed.get() {
            // The dispatcher catches what listeners throw: it never fails.
            let _ = self
                .emit
                .call2(&JsValue::UNDEFINED, &JsValue::from(event as u8), payload);
        }
    }

    /// Fires `SPiD.error` and returns the error for the promise.
    pub(super) fn fail(&self, error: &SdkError) -> JsValue {
        let error = js::to_js_error(error);
        self.fire(Event::Error, &error);
        error
    }
}
