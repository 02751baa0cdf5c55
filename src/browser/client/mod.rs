//! The client: session state, the three logout flows and the fallback.
//! All decisions are the core's; this module sequences requests and events:
//! `operation` (what the loader can call, by number), `task` (running an
//! operation as a promise, shared by concurrent calls), `state` (the session
//! as the page sees it, and its events), `logout` (the three logout flows and
//! the fallback).
//!
//! No state here is ever borrowed while page code runs: values live in
//! `Cell`s, taken and put back around pure code, and events go to the page
//! through `emit`, the loader's page-wide queue. A re-entrant call from a
//! listener therefore always sees consistent state and never conflicts, and
//! its events wait for the listener to return, so the wasm stack does not
//! grow with a chain of listeners calling the SDK.

mod cache;
mod login;
mod logout;
mod operation;
mod renewal;
mod state;
mod task;

use std::cell::Cell;
use std::rc::{Rc, Weak};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::cross_tab::CrossTab;
use super::http::{self, Answer, Credentials};
use super::{js, page};
use crate::core::config::{Config, Endpoint, Method, RawOptions, RedirectArgs};
use crate::core::error::{Message, SdkError};
use crate::core::raw::Raw;
use crate::core::response::Reply;
use crate::core::session::Session;

pub use operation::{Operation, OPTIONS, REDIRECT_OPTIONS};
use state::State;
use task::InFlight;

#[derive(Clone)]
pub struct Client {
    inner: Rc<Inner>,
}

struct Inner {
    config: Config,
    /// `emit(events, payload)`: the loader's dispatcher of this client's
    /// events, those of one change at once (bit `i`: `Event` number `i`).
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
    /// The code (its number) of the latest failure `fail` reported, which
    /// the step it ends reads at once (`task::start`, the fallback).
    failed: Cell<u8>,
    /// The page's `beforeSessionRenewal(url)`, awaited before a renewal's navigation.
    before_renewal: Option<Function>,
    /// The session cache's `localStorage` key (`Config::cache_key`).
    cache_key: String,
    /// This page view must ask, not the cache (`core::cache::must_ask`),
    /// until it has.
    must_ask: Cell<bool>,
}

impl Client {
    pub fn new(options: &JsValue, emit: Function) -> Result<Client, SdkError> {
        if !js::is_plain_object(options) {
            return Err(SdkError::config(Message::OptionsNotObject));
        }
        let [client_id, server, redirect_uri, timeout, fallback, cross_tab, session_domain, sdrn_namespace, session_renewal, before_renewal, cache_ttl] =
            OPTIONS;
        let config = Config::from_raw(
            RawOptions {
                client_id: js::field(options, client_id),
                server: js::field(options, server),
                redirect_uri: js::field(options, redirect_uri),
                timeout: js::field(options, timeout),
                fallback: js::field(options, fallback),
                cross_tab: js::field(options, cross_tab),
                session_domain: js::field(options, session_domain),
                sdrn_namespace: js::field(options, sdrn_namespace),
                session_renewal: js::field(options, session_renewal),
                cache_ttl: js::field(options, cache_ttl),
            },
            &js::read_url,
        )?;
        let hook = js::get(options, before_renewal);
        let before_renewal = match hook.dyn_into::<Function>() {
            Ok(hook) => Some(hook),
            Err(hook) if hook.is_undefined() || hook.is_null() => None,
            Err(_) => return Err(SdkError::config(Message::BeforeSessionRenewal)),
        };
        let inner = Rc::new(Inner {
            emit,
            state: Cell::new(State {
                session: Session::unknown(),
                object: js::no_user_object(&JsValue::UNDEFINED, "unknown", 0.0),
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
            failed: Cell::new(0),
            before_renewal,
            cache_key: config.cache_key(),
            must_ask: Cell::new({
                let (referrer, code, marked) = page::arrival();
                crate::core::cache::must_ask(marked, &referrer, &config.server, code)
            }),
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

    /// `hasSession(options)`: `{ fresh: true }` asks whatever the cache holds.
    pub fn has_session(&self, options: &JsValue) -> Result<Promise, SdkError> {
        let fresh = match (options.is_undefined(), js::field(options, "fresh")) {
            (true, _) => false,
            (false, Raw::Absent) if js::is_plain_object(options) => false,
            (false, Raw::Bool(fresh)) if js::is_plain_object(options) => fresh,
            _ => return Err(SdkError::argument(Message::HasSessionOptions)),
        };
        Ok(Inner::has_session(&self.inner, fresh))
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
    /// One request to SchAcc; a failure fires `SPiD.error` and becomes the
    /// `SdkError` to reject with.
    async fn ask(
        &self,
        endpoint: Endpoint,
        credentials: Credentials<'_>,
    ) -> Result<Answer, JsValue> {
        let (method, url) = self.config.endpoint(endpoint);
        self.send(method, &url, credentials).await
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        credentials: Credentials<'_>,
    ) -> Result<Answer, JsValue> {
        http::request(method, url, credentials, self.config.timeout_ms)
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
}

fn with(inner: &Weak<Inner>, action: impl FnOnce(&Rc<Inner>)) {
    if let Some(inner) = inner.upgrade() {
        action(&inner);
    }
}
