//! The client: session state, the three logout flows and the fallback.
//! All decisions are the core's; this file sequences requests and events.
//!
//! No state here is ever borrowed while page code runs: values live in
//! `Cell`s, taken and put back around pure code, and events go to the page
//! through `emit`, the loader's page-wide queue. A re-entrant call from a
//! listener therefore always sees consistent state and never conflicts, and
//! its events wait for the listener to return, so the wasm stack does not
//! grow with a chain of listeners calling the SDK.

use std::cell::Cell;
use std::rc::{Rc, Weak};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::cross_tab::CrossTab;
use super::http::{self, Answer, Credentials};
use super::js;
use super::legacy::forget_spid2_session;
use super::page;
use crate::core::config::{checked_token, Config, Endpoint, RawOptions, RedirectArgs};
use crate::core::error::{ErrorCode, Message, SdkError};
use crate::core::fallback::{self, Fetched};
use crate::core::response::{self, Reply};
use crate::core::session::{diff, recheck_due, Event, Session};
use crate::core::user_agent::blocks_third_party_cookies;

#[derive(Clone)]
pub struct Client {
    inner: Rc<Inner>,
}

struct Inner {
    config: Config,
    /// `emit(index, payload)`: the loader's dispatcher of this client's events.
    emit: Function,
    state: Cell<State>,
    /// Bumped whenever a logout starts or ends, here or in another tab: a
    /// `hasSession()` answer asked for before it is stale and must not log
    /// the user back in.
    epoch: Cell<u32>,
    has_session_call: InFlight,
    logout_call: InFlight,
    /// Shared while the options are the same (`fallback_args`, counted by
    /// `fallback_key`): a double click is one outcome, but a call with
    /// another token or redirect URI is its own.
    fallback_call: InFlight,
    fallback_args: Cell<Option<Rc<RedirectArgs>>>,
    fallback_key: Cell<u32>,
    /// When the session was last checked (ms since the epoch), for the
    /// throttle on re-checks when the page comes back.
    last_check: Cell<Option<f64>>,
    cross_tab: Cell<Option<CrossTab>>,
    destroyed: Cell<bool>,
}

#[derive(Default)]
struct State {
    session: Session,
    /// The session as the page sees it (frozen JS object).
    object: JsValue,
    user_seen: bool,
}

/// The promise of a running operation, so concurrent calls with the same
/// key share it.
#[derive(Default)]
struct InFlight(Cell<Option<Running>>);

struct Running {
    promise: Promise,
    done: Rc<Cell<bool>>,
    /// What makes calls the same: for `hasSession()` the epoch it was asked
    /// in (a request from before a logout is not shared).
    key: u32,
}

impl InFlight {
    fn running(&self) -> bool {
        let running = self.0.take();
        let busy = running.as_ref().is_some_and(|running| !running.done.get());
        self.0.set(running);
        busy
    }

    fn share(&self, inner: &Rc<Inner>, call: Call, key: u32) -> Promise {
        if let Some(running) = self.0.take() {
            if !running.done.get() && running.key == key {
                let promise = running.promise.clone();
                self.0.set(Some(running));
                return promise;
            }
        }
        let done = Rc::new(Cell::new(false));
        let promise = start(inner.clone(), call, Some(done.clone()));
        self.0.set(Some(Running {
            promise: promise.clone(),
            done,
            key,
        }));
        promise
    }
}

/// The asynchronous operations. One `start` for all of them means one
/// async state machine in the wasm instead of one per operation (about
/// 1.5 KB each, docs/PERFORMANCE.md).
enum Call {
    HasSession,
    Logout,
    ApiLogout(String),
    LogoutWithFallback(Rc<RedirectArgs>),
    /// Waits for a promise whose failure was already reported by `SPiD.error`.
    Ignore(Promise),
}

/// Runs `call` with `spawn_local`, settling the returned promise with its
/// result: `future_to_promise` without its executor closure, which costs a
/// closure type of its own in the wasm and the glue (docs/PERFORMANCE.md).
fn start(inner: Rc<Inner>, call: Call, done: Option<Rc<Cell<bool>>>) -> Promise {
    let (promise, settle) = js::deferred();
    spawn_local(async move {
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
        let (fulfilled, value) = match result {
            Ok(value) => (true, value),
            Err(error) => (false, error),
        };
        // `settle` only resolves or rejects a promise: it never throws.
        let _ = settle.call2(&JsValue::UNDEFINED, &JsValue::from_bool(fulfilled), &value);
    });
    promise
}

/// What the loader can ask of a client, as `call` numbers them;
/// `pkg-template/index.js` calls them by these numbers, which it imports from
/// the generated `names.js` (`crate::names`). One entry point instead of a
/// method each: every exported method costs a shim in the wasm and a wrapper
/// in the glue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Operation {
    /// `hasSession()`: a promise.
    HasSession = 0,
    /// `logout()`: a promise of `{ session, confirmed }`.
    Logout = 1,
    /// `apiLogout(token)`: a promise.
    ApiLogout = 2,
    /// `logoutWithFallback(options)`: a promise.
    LogoutWithFallback = 3,
    /// `logoutUrl(options)`: the URL.
    LogoutUrl = 4,
    /// `redirectLogout(options)`.
    RedirectLogout = 5,
    /// The `session` getter.
    Session = 6,
    /// `destroy()`.
    Destroy = 7,
}

impl Operation {
    /// Every operation, in number order.
    pub const ALL: [Operation; 8] = [
        Operation::HasSession,
        Operation::Logout,
        Operation::ApiLogout,
        Operation::LogoutWithFallback,
        Operation::LogoutUrl,
        Operation::RedirectLogout,
        Operation::Session,
        Operation::Destroy,
    ];
}

impl TryFrom<u8> for Operation {
    type Error = SdkError;

    /// The operation numbered `number`; any other number is the loader and
    /// the wasm disagreeing.
    fn try_from(number: u8) -> Result<Operation, SdkError> {
        Operation::ALL
            .get(usize::from(number))
            .copied()
            .ok_or(SdkError::argument(Message::UnknownCall))
    }
}

/// The keys of `createClient`'s options, in the order of `RawOptions`; the
/// loader copies just these before the wasm reads them (`names.js`).
pub const OPTIONS: [&str; 7] = [
    "clientId",
    "server",
    "redirectUri",
    "timeout",
    "fallback",
    "crossTab",
    "sessionDomain",
];

/// The keys of the `{ redirectUri, oauthToken }` argument.
pub const REDIRECT_OPTIONS: [&str; 2] = ["redirectUri", "oauthToken"];

/// A promise rejected with `error`, for arguments refused before anything is sent.
fn rejected(error: &SdkError) -> Promise {
    Promise::reject(&js::to_js_error(error))
}

impl Client {
    pub fn new(options: &JsValue, emit: Function) -> Result<Client, SdkError> {
        if !js::is_plain_object(options) {
            return Err(SdkError::config(Message::OptionsNotObject));
        }
        let [client_id, server, redirect_uri, timeout, fallback, cross_tab, session_domain] = OPTIONS;
        let config = Config::from_raw(
            RawOptions {
                client_id: js::field(options, client_id),
                server: js::field(options, server),
                redirect_uri: js::field(options, redirect_uri),
                timeout: js::field(options, timeout),
                fallback: js::field(options, fallback),
                cross_tab: js::field(options, cross_tab),
                session_domain: js::field(options, session_domain),
            },
            &js::read_url,
        )?;
        let inner = Rc::new(Inner {
            emit,
            state: Cell::new(State {
                session: Session::unknown(),
                object: js::no_user_object(None, "unknown"),
                user_seen: false,
            }),
            epoch: Cell::new(0),
            has_session_call: InFlight::default(),
            logout_call: InFlight::default(),
            fallback_call: InFlight::default(),
            fallback_args: Cell::new(None),
            fallback_key: Cell::new(0),
            last_check: Cell::new(None),
            cross_tab: Cell::new(None),
            destroyed: Cell::new(false),
            config,
        });
        if inner.config.cross_tab {
            // The listeners hold the client weakly: dropping it ends them.
            let (on_logout, on_return) = (Rc::downgrade(&inner), Rc::downgrade(&inner));
            inner.cross_tab.set(Some(CrossTab::open(
                &inner.config.channel_name(),
                move || with(&on_logout, |inner| inner.heard_logout()),
                move || with(&on_return, Inner::recheck),
            )));
        }
        Ok(Client { inner })
    }

    pub fn session(&self) -> JsValue {
        self.inner.session_object()
    }

    /// Runs the operation numbered `operation` (`Operation`) with its
    /// argument; the asynchronous ones return their promise.
    pub fn call(&self, operation: u8, arg: &JsValue) -> Result<JsValue, SdkError> {
        Ok(match Operation::try_from(operation)? {
            Operation::HasSession => self.has_session().into(),
            Operation::Logout => self.logout().into(),
            Operation::ApiLogout => self.api_logout(arg).into(),
            Operation::LogoutWithFallback => self.logout_with_fallback(arg).into(),
            Operation::LogoutUrl => JsValue::from_str(&self.logout_url(arg)?),
            Operation::RedirectLogout => {
                self.redirect_logout(arg)?;
                JsValue::UNDEFINED
            }
            Operation::Session => self.session(),
            Operation::Destroy => {
                self.destroy();
                JsValue::UNDEFINED
            }
        })
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

    /// Navigates first: the logout events fire only for a navigation the
    /// browser accepted.
    pub fn redirect_logout(&self, args: &JsValue) -> Result<(), SdkError> {
        navigate(&self.logout_url(args)?)?;
        self.inner
            .end_session(js::no_user_object(None, "notConnected"), true);
        Ok(())
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
            Ok(args) => Inner::logout_with_fallback(&self.inner, args),
            Err(error) => rejected(&error),
        }
    }

    /// Closes the cross-tab channel and DOM listeners. Operations in flight
    /// do nothing more (no event, navigation or clean-up) and reject with
    /// `Message::Destroyed`.
    pub fn destroy(&self) {
        self.inner.destroyed.set(true);
        drop(self.inner.cross_tab.take());
    }
}

impl Inner {
    /// Runs pure code on the state; nothing in `change` may call page code.
    fn with_state<R>(&self, change: impl FnOnce(&mut State) -> R) -> R {
        let mut state = self.state.take();
        let result = change(&mut state);
        self.state.set(state);
        result
    }

    fn session_object(&self) -> JsValue {
        self.with_state(|state| state.object.clone())
    }

    fn session(&self) -> Session {
        self.with_state(|state| state.session.clone())
    }

    /// Rejects with `Message::Destroyed` once the client is destroyed: what
    /// an operation checks after each wait, before it acts.
    #[inline(never)]
    fn alive(&self) -> Result<(), JsValue> {
        if self.destroyed.get() {
            Err(js::to_js_error(&SdkError::argument(Message::Destroyed)))
        } else {
            Ok(())
        }
    }

    /// Re-checks a session the page already asked about: it may have ended
    /// elsewhere while the page was cached or hidden. At most once a minute
    /// (`recheck_due`), so a burst of tab switches is one request.
    fn recheck(this: &Rc<Inner>) {
        let now = js_sys::Date::now();
        if this.session().status != "unknown" && recheck_due(this.last_check.get(), now) {
            this.last_check.set(Some(now));
            // Its own promise never rejects: nothing is left unhandled.
            let _ = start(this.clone(), Call::Ignore(Inner::has_session(this)), None);
        }
    }

    /// Another tab logged out. Any answer asked for before is stale; the
    /// events fire once, however many tabs (or messages) announce it.
    fn heard_logout(&self) {
        self.bump_epoch();
        if !self.session().is_logged_out() {
            self.end_session(js::no_user_object(None, "notConnected"), false);
        }
    }

    fn bump_epoch(&self) {
        self.epoch.set(self.epoch.get().wrapping_add(1));
    }

    fn has_session(this: &Rc<Inner>) -> Promise {
        this.has_session_call
            .share(this, Call::HasSession, this.epoch.get())
    }

    async fn check_session(&self) -> Result<JsValue, JsValue> {
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

    /// One request to SchAcc; a failure fires `SPiD.error` and becomes the
    /// `SdkError` to reject with.
    async fn ask(
        &self,
        endpoint: Endpoint,
        credentials: Credentials<'_>,
    ) -> Result<Answer, JsValue> {
        let (method, url) = self.config.endpoint(endpoint);
        http::request(method, &url, credentials, self.config.timeout_ms)
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
        this.logout_call.share(this, Call::Logout, 0)
    }

    /// Shares a running `logoutWithFallback()` given the same options.
    fn logout_with_fallback(this: &Rc<Inner>, args: RedirectArgs) -> Promise {
        let same = this.fallback_args.take().is_some_and(|last| *last == args);
        if !same {
            this.fallback_key.set(this.fallback_key.get().wrapping_add(1));
        }
        let args = Rc::new(args);
        this.fallback_args.set(Some(args.clone()));
        this.fallback_call.share(
            this,
            Call::LogoutWithFallback(args),
            this.fallback_key.get(),
        )
    }

    async fn fetch_logout(&self) -> Result<JsValue, JsValue> {
        self.bump_epoch();
        let answer = self.ask(Endpoint::Logout, Credentials::Cookie).await?;
        let confirmed = self.read(&answer, response::logout)?;
        self.bump_epoch();
        let object = js::no_user_object(Some(&answer.json), "notConnected");
        if confirmed {
            self.end_session(object.clone(), true);
        } else if self.session().has_user() {
            self.apply(None, Session::logged_out(), &object);
        } else {
            // Found no session and knew no user: nothing changed for the page.
            self.with_state(|state| state.replace(Session::logged_out(), &object));
        }
        Ok(js::logout_outcome(&object, confirmed))
    }

    async fn revoke(&self, token: &str) -> Result<JsValue, JsValue> {
        let answer = self
            .ask(Endpoint::ApiLogout, Credentials::Bearer(token))
            .await?;
        self.read(&answer, response::api_logout)?;
        Ok(answer.json)
    }

    /// The fetch logout (shared with a concurrent `logout()`), the token's
    /// revocation, then the redirect flow if the core's rules say so.
    async fn logout_then_redirect(
        self: &Rc<Self>,
        args: &RedirectArgs,
    ) -> Result<JsValue, JsValue> {
        let outcome = JsFuture::from(Inner::logout(self)).await;
        self.alive()?;
        let (fetched, error) = match outcome {
            Ok(outcome) if js::get(&outcome, "confirmed") == JsValue::TRUE => {
                (Fetched::Confirmed, None)
            }
            Ok(_) => (Fetched::NoSession, None),
            Err(error) => (Fetched::Failed, Some(error)),
        };
        let mode = self.config.fallback;
        let decision = fallback::decide(
            mode,
            browser_blocks_third_party_cookies(),
            self.config.session_domain.is_some(),
            fetched,
        );
        let mut reason = match (decision.reason.as_str(), &error) {
            (Some(reason), _) => JsValue::from_str(reason),
            (None, Some(error)) => js::get(error, "code"),
            (None, None) => JsValue::UNDEFINED,
        };
        let mut redirect = decision.redirect;
        let mut token_revoked = false;
        if let (false, Some(token)) = (redirect, &args.oauth_token) {
            let revocation = self.revoke(token).await;
            self.alive()?;
            token_revoked = revocation.is_ok();
            redirect = fallback::redirect_for_unrevoked_token(mode, token_revoked);
            if let (true, Err(failure)) = (redirect, &revocation) {
                reason = js::get(failure, "code");
            }
        }
        let result = |redirected: bool| {
            js::fallback_result(
                &self.session_object(),
                redirected,
                fetched == Fetched::Confirmed,
                token_revoked,
                &reason,
            )
        };
        if !redirect {
            // Under 'never' a failed fetch is reported as the failure it is.
            return match error {
                Some(error) => Err(error),
                None => Ok(result(false)),
            };
        }
        navigate(&self.config.logout_url(args)).map_err(|error| js::to_js_error(&error))?;
        if fetched != Fetched::Confirmed {
            self.end_session(js::no_user_object(None, "notConnected"), true);
        }
        Ok(result(true))
    }

    /// A logout known to have happened (confirmed here, in another tab, or
    /// about to happen by redirect): always `logout`, `statusChange`,
    /// `sessionChange`, even if this client never saw the user.
    fn end_session(&self, object: JsValue, announce: bool) {
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
    fn apply(&self, previous: Option<Session>, next: Session, object: &JsValue) {
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
    fn fail(&self, error: &SdkError) -> JsValue {
        let error = js::to_js_error(error);
        self.fire(Event::Error, &error);
        error
    }
}

impl State {
    fn replace(&mut self, next: Session, object: &JsValue) {
        self.user_seen |= next.has_user();
        self.session = next;
        self.object = object.clone();
    }
}

fn with(inner: &Weak<Inner>, action: impl FnOnce(&Rc<Inner>)) {
    if let Some(inner) = inner.upgrade() {
        action(&inner);
    }
}

/// Reads `{ redirectUri, oauthToken }`; `undefined` or `null` means no options.
fn redirect_args(args: &JsValue) -> Result<RedirectArgs, SdkError> {
    let raw = if args.is_undefined() || args.is_null() {
        None
    } else if js::is_plain_object(args) {
        let [redirect_uri, oauth_token] = REDIRECT_OPTIONS;
        Some(Some((
            js::field(args, redirect_uri),
            js::field(args, oauth_token),
        )))
    } else {
        Some(None)
    };
    RedirectArgs::from_raw(raw, &js::read_url)
}

fn browser_blocks_third_party_cookies() -> bool {
    blocks_third_party_cookies(&page::user_agent())
}

fn navigate(url: &str) -> Result<(), SdkError> {
    if page::navigate(url) {
        Ok(())
    } else {
        Err(SdkError::new(
            ErrorCode::Network,
            Message::NavigationRefused,
        ))
    }
}
