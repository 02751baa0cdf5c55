#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
// Every `unsafe` block and impl says why it is sound in a `// SAFETY:` comment,
// and an `unsafe fn` marks its own unsafe operations as blocks too.
#![deny(clippy::undocumented_unsafe_blocks, unsafe_op_in_unsafe_fn)]
//! schacc-sdk: logs people out of SchAcc. `core` decides, `browser` acts,
//! and this file only binds the browser shell to JavaScript.

pub mod browser;
/// The pure core, a crate of its own (`crates/core`, no browser dependency),
/// under the name the shell has always used: `crate::core::…`.
pub use schacc_core as core;
/// SPiD JS SDK 2.x's rules, for global.js's own wasm.
#[cfg(feature = "spid2")]
mod spid2;

/// The names of the boundary as a JavaScript module, for the build (native only).
#[cfg(not(target_arch = "wasm32"))]
pub mod names;

use std::cell::Cell;

use wasm_bindgen::prelude::*;

use crate::core::error::{Message, SdkError};

use browser::js::to_js_error;
use browser::{client, slots};

// Clients are handed to JavaScript as handles, not as a wasm-bindgen class:
// a class costs a wrapper with its own finalizer in the glue and a borrow
// flag with checks in the wasm (docs/PERFORMANCE.md). The handles never
// leave `index.js`, which frees a client on `destroy()` and forgets its
// handle; until then the client lives (its `emit` holds the page's side).
thread_local! {
    /// The live clients, by handle (their index); freed slots are reused.
    /// A client is cloned out (it is an `Rc`) for each call, so nothing here
    /// is held while page code runs, and a client freed by its own listener
    /// lives until that call returns.
    static CLIENTS: Cell<Vec<Option<client::Client>>> = const { Cell::new(Vec::new()) };
}

fn with_clients<R>(change: impl FnOnce(&mut Vec<Option<client::Client>>) -> R) -> R {
    slots::with_table(&CLIENTS, change)
}

/// A new client; returns its handle for `call` and `freeClient`.
/// `emit(events, payload)` fires the events whose bits are set in `events`
/// (bit `i` is `core::session::Event` number `i`), in that order, to the
/// page's listeners, which `index.js` keeps.
#[wasm_bindgen(js_name = createClient)]
pub fn create_client(options: JsValue, emit: js_sys::Function) -> Result<u32, JsValue> {
    let client = client::Client::new(&options, emit).map_err(|error| to_js_error(&error))?;
    Ok(with_clients(|clients| {
        slots::place(clients, Option::is_none, Some(client)) as u32
    }))
}

/// Runs one of the operations of client `handle`, by its number in
/// `client::Operation` (`index.js` imports the same numbers from `names.js`).
/// A handle that names no live client, like a number that names no
/// operation, is the loader and the wasm disagreeing: `Message::UnknownCall`.
#[wasm_bindgen]
pub fn call(handle: u32, operation: u8, arg: JsValue) -> Result<JsValue, JsValue> {
    let client = with_clients(|clients| clients.get(handle as usize).cloned().flatten());
    client
        .ok_or(SdkError::argument(Message::UnknownCall))
        .and_then(|client| client.call(operation, &arg))
        .map_err(|error| to_js_error(&error))
}

/// Forgets client `handle` (after `destroy`); its memory is freed once no
/// request of it is still running.
#[wasm_bindgen(js_name = freeClient)]
pub fn free_client(handle: u32) {
    // Dropping a client inside `with_clients` runs no page code and nothing
    // that uses the table (closing its channel, removing its listeners and
    // freeing their closures), so no call ever finds the table taken.
    with_clients(|clients| {
        if let Some(slot) = clients.get_mut(handle as usize) {
            *slot = None;
        }
    });
}
