//! Running an operation: each asynchronous one is a task whose result
//! settles a promise, and concurrent calls of the same operation share it.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::Inner;
use crate::browser::js;
use crate::core::config::RedirectArgs;
use crate::core::error::SdkError;

/// The promise of a running operation, so concurrent calls with the same
/// key share it.
#[derive(Default)]
pub(super) struct InFlight(Cell<Option<Running>>);

struct Running {
    promise: Promise,
    done: Rc<Cell<bool>>,
    /// What makes calls the same: for `hasSession()` the epoch it was asked
    /// in (a request from before a logout is not shared).
    key: u32,
}

impl InFlight {
    pub(super) fn running(&self) -> bool {
        let running = self.0.take();
        let busy = running.as_ref().is_some_and(|running| !running.done.get());
        self.0.set(running);
        busy
    }

    pub(super) fn share(&self, inner: &Rc<Inner>, call: Call, key: u32) -> Promise {
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
pub(super) enum Call {
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
pub(super) fn start(inner: Rc<Inner>, call: Call, done: Option<Rc<Cell<bool>>>) -> Promise {
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

/// A promise rejected with `error`, for arguments refused before anything is sent.
pub(super) fn rejected(error: &SdkError) -> Promise {
    Promise::reject(&js::to_js_error(error))
}
