#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
//! schacc-sdk: logs people out of SchAcc. `core` decides, `browser` acts,
//! and this file only binds the browser shell to JavaScript.

pub mod browser;
pub mod core;

use wasm_bindgen::prelude::*;

use browser::client;
use browser::js::{self, to_js_error};

/// Called once by the package loader with its `SdkError` class.
#[wasm_bindgen(js_name = setErrorClass)]
pub fn set_error_class(class: js_sys::Function) {
    js::set_error_class(&class);
}

/// The wasm side of a client; `index.js` wraps it in the public `Client`.
#[wasm_bindgen]
pub struct Client(client::Client);

#[wasm_bindgen]
impl Client {
    /// `emit(index, payload)` fires the event of that index
    /// (`core::session::Event`) to the page's listeners, which `index.js` keeps.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, emit: js_sys::Function) -> Result<Client, JsValue> {
        client::Client::new(&options, emit)
            .map(Client)
            .map_err(|error| to_js_error(&error))
    }

    /// Runs one of the client's operations, by its number in
    /// `client::Operation` (`index.js` spells the same numbers).
    pub fn call(&self, operation: u8, arg: JsValue) -> Result<JsValue, JsValue> {
        self.0
            .call(operation, &arg)
            .map_err(|error| to_js_error(&error))
    }
}
