//! Running an operation: each asynchronous one is a task whose result
//! settles a promise, and concurrent calls of the same operation share it.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::Promise;

use super::Inner;
use crate::browser::executor::spawn;
use crate::browser::js;
use crate::core::config::RedirectArgs;
use crate::core::error::SdkError;

/// How a run ended, for the calls that share it, as one number: 0 while it
/// runs, then `DONE` (a logout: SchAcc found no session), `CONFIRMED` (it
/// deleted one), or `FAILED` plus the number of the code it failed with
/// (`ErrorCode`). The fallback reads a logout's outcome here instead of back
/// from the objects the run handed to the page.
pub(super) type Ended = Rc<Cell<u8>>;
pub(super) const DONE: u8 = 1;
pub(super) const CONFIRMED: u8 = 2;
pub(super) const FAILED: u8 = 3;

/// The promise of a running operation, so concurrent calls with the same
/// key share it.
#[derive(Default)]
pub(super) struct InFlight(Cell<Option<Running>>);

struct Running {
    promise: Promise,
    ended: Ended,
    /// What makes calls the same: for `hasSession()` the epoch it was asked
    /// in (a request from before a logout is not shared).
    key: u32,
}

impl InFlight {
    pub(super) fn running(&self) -> bool {
        let running = self.0.take();
        let busy = running
            .as_ref()
            .is_some_and(|running| running.ended.get() == 0);
        self.0.set(running);
        busy
    }

    /// The promise of the run with `key`, started with `call` unless one is
    /// running, and where its outcome will be.
    pub(super) fn share(&self, inner: &Rc<Inner>, call: Call, key: u32) -> (Promise, Ended) {
        if let Some(running) = self.0.take() {
            if running.ended.get() == 0 && running.key == key {
                let shared = (running.promise.clone(), running.ended.clone());
                self.0.set(Some(running));
                return shared;
            }
        }
        let ended = Ended::default();
        let promise = start(inner.clone(), call, Some(ended.clone()));
        self.0.set(Some(Running {
            promise: promise.clone(),
            ended: ended.clone(),
            key,
        }));
        (promise, ended)
    }
}

/// The asynchronous operations. One `start` for all of them means one
/// async state machine in the wasm instead of one per operation (about
/// 1.5 KB each, docs/PERFORMANCE.md).
pub(super) enum Call {
    HasSession,
    Logout,
    ApiLogout(String),
    LogoutWithFallback(Rc<RedirectArgs>),
}

/// Runs `call` as a task of the SDK's executor (`browser::executor`),
/// settling the returned promise with its result.
pub(super) fn start(inner: Rc<Inner>, call: Call, ended: Option<Ended>) -> Promise {
    let promise = js::deferred();
    let settled = promise.clone();
    spawn(async move {
        let mut confirmed = false;
        let result = match call {
            Call::HasSession => inner.check_session().await,
            Call::Logout => inner.fetch_logout().await.map(|(session, found)| {
                confirmed = found;
                session
            }),
            Call::ApiLogout(token) => inner.revoke(&token).await,
            Call::LogoutWithFallback(args) => inner.logout_then_redirect(&args).await,
        };
        // A failed run's code is that of the failure it just reported (`Inner::fail`).
        let (outcome, fulfilled, value) = match result {
            Ok(value) => (DONE + u8::from(confirmed), true, value),
            Err(error) => (FAILED + inner.failed.get(), false, error),
        };
        if let Some(ended) = ended {
            ended.set(outcome);
        }
        // Only resolves or rejects the promise: it never throws.
        js::settle(&settled, fulfilled, &value);
    });
    promise
}

/// A promise rejected with `error`, for arguments refused before anything is sent.
pub(super) fn rejected(error: &SdkError) -> Promise {
    Promise::reject(&js::to_js_error(error))
}
