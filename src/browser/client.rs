//! The client: session state, the three logout flows and the fallback.
//! All decisions are the core's; this file sequences requests and events.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::cross_tab::CrossTab;
use super::http::{self, Answer, Credentials};
use super::js;
use super::legacy::forget_spid2_session;
use super::listeners::Listeners;
use crate::core::config::{checked_token, Config, Endpoint, RawOptions, RedirectArgs};
use crate::core::error::{ErrorCode, SdkError};
use crate::core::fallback::{self, Fetched};
use crate::core::response::{self, Reply};
use crate::core::session::{diff, Event, Events, Session};
use crate::core::user_agent::blocks_third_party_cookies;

pub struct Client {
    inner: Rc<Inner>,
}

struct Inner {
    config: Config,
    listeners: Listeners,
    state: RefCell<State>,
    /// Bumped when a logout starts and ends: an older `hasSession()` answer is
    /// stale and must not log the user back in.
    epoch: Cell<u32>,
    has_session_call: InFlight,
    logout_call: InFlight,
    cross_tab: RefCell<Option<CrossTab>>,
    destroyed: Cell<bool>,
}

struct State {
    session: Session,
    /// The session as the page sees it (frozen JS object).
    object: JsValue,
    user_seen: bool,
}

/// The promise of a running request, so concurrent calls share it.
#[derive(Default)]
struct InFlight(RefCell<Option<(Promise, Rc<Cell<bool>>)>>);

impl InFlight {
    fn share(&self, inner: &Rc<Inner>, call: Call) -> Promise {
        if let Ok(slot) = self.0.try_borrow() {
            if let Some((promise, done)) = slot.as_ref() {
                if !done.get() {
                    return promise.clone();
                }
            }
        }
        let done = Rc::new(Cell::new(false));
        let promise = start(inner.clone(), call, Some(done.clone()));
        if let Ok(mut slot) = self.0.try_borrow_mut() {
            *slot = Some((promise.clone(), done));
        }
        promise
    }
}

/// The asynchronous operations. One `start` for all of them means one
/// future-to-promise state machine in the wasm instead of one per operation
/// (about 1.5 KB each, docs/PERFORMANCE.md).
enum Call {
    HasSession,
    Logout,
    ApiLogout(String),
    LogoutWithFallback(RedirectArgs),
    /// Waits for a promise whose failure was already reported by `SPiD.error`.
    Ignore(Promise),
}

fn start(inner: Rc<Inner>, call: Call, done: Option<Rc<Cell<bool>>>) -> Promise {
    future_to_promise(async move {
        let result = match call {
            Call::HasSession => inner.check_session().await,
            Call::Logout => inner.fetch_logout().await,
            Call::ApiLogout(token) => inner.revoke(&token).await,
            Call::LogoutWithFallback(args) => inner.logout_then_redirect(&args).await,
            Call::Ignore(promise) => {
                let _ = JsFuture::from(promise).await;
                Ok(JsValue::UNDEFINED)
            }
        };
        if let Some(done) = done {
            done.set(true);
        }
        result
    })
}

/// A promise rejected with `error`, for arguments refused before anything is sent.
fn rejected(error: &SdkError) -> Promise {
    Promise::reject(&js::to_js_error(error))
}

impl Client {
    pub fn new(options: &JsValue) -> Result<Client, SdkError> {
        if !js::is_plain_object(options) {
            return Err(SdkError::config("createClient expects an options object"));
        }
        let config = Config::from_raw(RawOptions {
            client_id: js::field(options, "clientId"),
            server: js::field(options, "server"),
            redirect_uri: js::field(options, "redirectUri"),
            timeout: js::field(options, "timeout"),
            fallback: js::field(options, "fallback"),
            cross_tab: js::field(options, "crossTab"),
        })?;
        let inner = Rc::new(Inner {
            listeners: Listeners::default(),
            state: RefCell::new(State {
                session: Session::unknown(),
                object: js::no_user_object(None, "unknown"),
                user_seen: false,
            }),
            epoch: Cell::new(0),
            has_session_call: InFlight::default(),
            logout_call: InFlight::default(),
            cross_tab: RefCell::new(None),
            destroyed: Cell::new(false),
            config,
        });
        if inner.config.cross_tab {
            let (on_logout, on_return) = (Rc::downgrade(&inner), Rc::downgrade(&inner));
            let cross_tab = CrossTab::open(
                &inner.config.channel_name(),
                move || {
                    with(&on_logout, |inner| {
                        inner.end_session(js::no_user_object(None, "notConnected"), false)
                    })
                },
                move || with(&on_return, Inner::recheck),
            );
            if let Ok(mut slot) = inner.cross_tab.try_borrow_mut() {
                *slot = Some(cross_tab);
            }
        }
        Ok(Client { inner })
    }

    pub fn session(&self) -> JsValue {
        self.inner.session_object()
    }

    pub fn has_session(&self) -> Promise {
        Inner::has_session(&self.inner)
    }

    /// Resolves with `{ session, confirmed }`; the loader hands `session` to the page.
    pub fn logout(&self) -> Promise {
        Inner::logout(&self.inner)
    }

    pub fn logout_url(&self, args: &JsValue) -> Result<String, SdkError> {
        Ok(self.inner.config.logout_url(&redirect_args(args)?))
    }

    pub fn redirect_logout(&self, args: &JsValue) -> Result<(), SdkError> {
        let url = self.logout_url(args)?;
        self.inner
            .end_session(js::no_user_object(None, "notConnected"), true);
        navigate(&url)
    }

    pub fn api_logout(&self, token: &JsValue) -> Promise {
        match checked_token(js::raw(token)) {
            Ok(token) => start(self.inner.clone(), Call::ApiLogout(token), None),
            Err(error) => rejected(&error),
        }
    }

    pub fn logout_with_fallback(&self, args: &JsValue) -> Promise {
        // Refused before anything is sent.
        match redirect_args(args) {
            Ok(args) => start(self.inner.clone(), Call::LogoutWithFallback(args), None),
            Err(error) => rejected(&error),
        }
    }

    pub fn on(&self, name: &JsValue, listener: &JsValue, once: bool) -> Result<u32, SdkError> {
        let event = event_named(name)?;
        let listener = listener_function(listener)?;
        if self.inner.destroyed.get() {
            return Ok(0);
        }
        Ok(self.inner.listeners.add(event, listener.clone(), once))
    }

    pub fn off(&self, name: &JsValue, listener: &JsValue) -> Result<(), SdkError> {
        let event = event_named(name)?;
        self.inner
            .listeners
            .remove(event, listener_function(listener)?);
        Ok(())
    }

    pub fn bench_emit(
        &self,
        name: &JsValue,
        payload: &JsValue,
        times: u32,
    ) -> Result<(), SdkError> {
        let event = event_named(name)?;
        for _ in 0..times {
            self.inner.listeners.emit(event, payload);
        }
        Ok(())
    }

    pub fn off_id(&self, id: u32) {
        self.inner.listeners.remove_id(id);
    }

    /// Removes every listener, closes the cross-tab channel and DOM listeners.
    /// Requests in flight finish, but fire no events.
    pub fn destroy(&self) {
        self.inner.destroyed.set(true);
        self.inner.listeners.clear();
        let cross_tab = self
            .inner
            .cross_tab
            .try_borrow_mut()
            .ok()
            .and_then(|mut slot| slot.take());
        drop(cross_tab);
    }
}

impl Inner {
    fn session_object(&self) -> JsValue {
        self.state
            .try_borrow()
            .map_or(JsValue::UNDEFINED, |state| state.object.clone())
    }

    /// Re-checks a session the page already asked about: it may have ended
    /// elsewhere while the page was cached or hidden.
    fn recheck(this: &Rc<Inner>) {
        let asked_before = this
            .state
            .try_borrow()
            .is_ok_and(|state| state.session.status != "unknown");
        if asked_before {
            // Its own promise never rejects: nothing is left unhandled.
            let _ = start(this.clone(), Call::Ignore(Inner::has_session(this)), None);
        }
    }

    fn bump_epoch(&self) {
        self.epoch.set(self.epoch.get().wrapping_add(1));
    }

    fn has_session(this: &Rc<Inner>) -> Promise {
        this.has_session_call.share(this, Call::HasSession)
    }

    async fn check_session(&self) -> Result<JsValue, JsValue> {
        let epoch = self.epoch.get();
        let answer = self.ask(Endpoint::HasSession, Credentials::Cookie).await?;
        let session = self.read(&answer, response::has_session)?;
        let json = answer.json;
        if self.epoch.get() != epoch {
            return Ok(self.session_object());
        }
        let object = if session.has_user() {
            js::frozen_session(json)
        } else {
            js::no_user_object(Some(&json), &session.status)
        };
        self.apply(None, session, &object);
        Ok(object)
    }

    /// One request to SchAcc; a failure fires `SPiD.error` and becomes the
    /// `SdkError` to reject with.
    async fn ask(
        &self,
        endpoint: Endpoint,
        credentials: Credentials<'_>,
    ) -> Result<Answer, JsValue> {
        http::get(
            &self.config.endpoint(endpoint),
            credentials,
            self.config.timeout_ms,
        )
        .await
        .map_err(|error| self.fail(&error))
    }

    /// Reads an answer with the core's `parse`; a wrong answer is a failure like any other.
    fn read<T>(
        &self,
        answer: &Answer,
        parse: fn(&Reply) -> Result<T, SdkError>,
    ) -> Result<T, JsValue> {
        parse(&answer.reply).map_err(|error| self.fail(&error))
    }

    /// Resolves with `{ session, confirmed }`.
    fn logout(this: &Rc<Inner>) -> Promise {
        this.logout_call.share(this, Call::Logout)
    }

    async fn fetch_logout(&self) -> Result<JsValue, JsValue> {
        self.bump_epoch();
        let answer = self.ask(Endpoint::Logout, Credentials::Cookie).await?;
        let confirmed = self.read(&answer, response::logout)?;
        let json = answer.json;
        self.bump_epoch();
        let object = js::no_user_object(Some(&json), "notConnected");
        if confirmed {
            self.end_session(object.clone(), true);
        } else if self.knows_user() {
            self.apply(None, Session::logged_out(), &object);
        } else {
            // Found no session and knew no user: nothing changed for the page.
            self.replace_quietly(Session::logged_out(), &object);
        }
        let outcome = Object::new();
        js::set(&outcome, "session", &object);
        js::set(&outcome, "confirmed", &JsValue::from_bool(confirmed));
        Ok(outcome.into())
    }

    async fn revoke(&self, token: &str) -> Result<JsValue, JsValue> {
        let answer = self
            .ask(Endpoint::ApiLogout, Credentials::Bearer(token))
            .await?;
        self.read(&answer, response::api_logout)?;
        Ok(answer.json)
    }

    /// The fetch logout (shared with a concurrent `logout()`), then the
    /// redirect flow if the core's fallback rule says so.
    async fn logout_then_redirect(
        self: &Rc<Self>,
        args: &RedirectArgs,
    ) -> Result<JsValue, JsValue> {
        let outcome = JsFuture::from(Inner::logout(self)).await;
        let (fetched, error) = match outcome {
            Ok(outcome) if js::get(&outcome, "confirmed").is_truthy() => (Fetched::Confirmed, None),
            Ok(_) => (Fetched::NoSession, None),
            Err(error) => (Fetched::Failed, Some(error)),
        };
        let decision = fallback::decide(
            self.config.fallback,
            browser_blocks_third_party_cookies(),
            fetched,
        );
        let reason = match (decision.reason.as_str(), &error) {
            (Some(reason), _) => JsValue::from_str(reason),
            (None, Some(error)) => js::get(error, "code"),
            (None, None) => JsValue::UNDEFINED,
        };
        if !decision.redirect {
            // Under 'never' a failed fetch is reported as the failure it is.
            return match error {
                Some(error) => Err(error),
                None => Ok(fallback_result(
                    &self.session_object(),
                    false,
                    fetched,
                    &reason,
                )),
            };
        }
        if fetched != Fetched::Confirmed {
            self.end_session(js::no_user_object(None, "notConnected"), true);
        }
        navigate(&self.config.logout_url(args)).map_err(|error| js::to_js_error(&error))?;
        Ok(fallback_result(
            &self.session_object(),
            true,
            fetched,
            &reason,
        ))
    }

    /// A logout known to have happened (confirmed here, in another tab, or
    /// about to happen by redirect): always `logout`, `statusChange`,
    /// `sessionChange`, even if this client never saw the user.
    fn end_session(&self, object: JsValue, announce: bool) {
        let previous = self
            .state
            .try_borrow()
            .map(|state| state.session.before_confirmed_logout());
        if let Ok(previous) = previous {
            self.apply(Some(previous), Session::logged_out(), &object);
        }
        if announce {
            if let Ok(Some(cross_tab)) = self.cross_tab.try_borrow().as_deref() {
                cross_tab.announce_logout();
            }
        }
    }

    fn knows_user(&self) -> bool {
        self.state
            .try_borrow()
            .is_ok_and(|state| state.session.has_user())
    }

    /// Stores the new session, then fires the events the core's rule yields.
    fn apply(&self, previous: Option<Session>, next: Session, object: &JsValue) {
        let base_domain = js::get(&self.session_object(), "baseDomain").as_string();
        let events = self.store(next, object, |state, next| {
            diff(
                previous.as_ref().unwrap_or(&state.session),
                next,
                state.user_seen,
            )
        });
        if events.contains(Event::Logout) {
            let base_domain = base_domain.or_else(|| js::get(object, "baseDomain").as_string());
            forget_spid2_session(&self.config.client_id, base_domain);
        }
        for event in events.iter() {
            self.listeners.emit(event, object);
        }
    }

    fn replace_quietly(&self, next: Session, object: &JsValue) {
        self.store(next, object, |_, _| Events::default());
    }

    fn store(
        &self,
        next: Session,
        object: &JsValue,
        events: impl FnOnce(&State, &Session) -> Events,
    ) -> Events {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return Events::default();
        };
        let events = events(&state, &next);
        state.user_seen |= next.has_user();
        state.session = next;
        state.object = object.clone();
        events
    }

    /// Fires `SPiD.error` and returns the error for the promise.
    fn fail(&self, error: &SdkError) -> JsValue {
        let error = js::to_js_error(error);
        self.listeners.emit(Event::Error, &error);
        error
    }
}

fn with(inner: &Weak<Inner>, action: impl FnOnce(&Rc<Inner>)) {
    if let Some(inner) = inner.upgrade() {
        action(&inner);
    }
}

fn event_named(name: &JsValue) -> Result<Event, SdkError> {
    name.as_string()
        .and_then(|name| Event::from_name(&name))
        .ok_or(SdkError::argument(
            "Unknown event name (expected SPiD.login, SPiD.logout, …)",
        ))
}

fn listener_function(listener: &JsValue) -> Result<&Function, SdkError> {
    listener
        .dyn_ref::<Function>()
        .ok_or(SdkError::argument("The listener must be a function"))
}

/// Reads `{ redirectUri, oauthToken }`; `undefined` or `null` means no options.
fn redirect_args(args: &JsValue) -> Result<RedirectArgs, SdkError> {
    let raw = if args.is_undefined() || args.is_null() {
        None
    } else if js::is_plain_object(args) {
        Some(Some((
            js::field(args, "redirectUri"),
            js::field(args, "oauthToken"),
        )))
    } else {
        Some(None)
    };
    RedirectArgs::from_raw(raw)
}

fn browser_blocks_third_party_cookies() -> bool {
    web_sys::window()
        .and_then(|window| window.navigator().user_agent().ok())
        .is_some_and(|user_agent| blocks_third_party_cookies(&user_agent))
}

fn navigate(url: &str) -> Result<(), SdkError> {
    web_sys::window()
        .ok_or(SdkError::new(
            ErrorCode::Network,
            "There is no page to navigate",
        ))?
        .location()
        .assign(url)
        .map_err(|_| SdkError::new(ErrorCode::Network, "The browser refused to navigate"))
}

fn fallback_result(
    session: &JsValue,
    redirected: bool,
    fetched: Fetched,
    reason: &JsValue,
) -> JsValue {
    let result = Object::new();
    js::set(&result, "session", session);
    js::set(&result, "redirected", &JsValue::from_bool(redirected));
    js::set(
        &result,
        "confirmed",
        &JsValue::from_bool(fetched == Fetched::Confirmed),
    );
    js::set(&result, "reason", reason);
    result.into()
}
