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

    #[wasm_bindgen(getter)]
    pub fn session(&self) -> JsValue {
        self.0.session()
    }

    /// Starts one of the asynchronous operations, by its number in
    /// `client::Operation` (`index.js` spells the same numbers): one export
    /// instead of four, each with its own shim in the wasm and the glue.
    pub fn run(&self, operation: u8, arg: JsValue) -> js_sys::Promise {
        self.0.run(operation, &arg)
    }

    #[wasm_bindgen(js_name = logoutUrl)]
    pub fn logout_url(&self, args: JsValue) -> Result<String, JsValue> {
        self.0
            .logout_url(&args)
            .map_err(|error| to_js_error(&error))
    }

    #[wasm_bindgen(js_name = redirectLogout)]
    pub fn redirect_logout(&self, args: JsValue) -> Result<(), JsValue> {
        self.0
            .redirect_logout(&args)
            .map_err(|error| to_js_error(&error))
    }

    pub fn destroy(&self) {
        self.0.destroy();
    }
}
