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

    #[wasm_bindgen(js_name = hasSession)]
    pub fn has_session(&self) -> js_sys::Promise {
        self.0.has_session()
    }

    /// Resolves with `{ session, confirmed }`.
    #[wasm_bindgen(js_name = logoutOutcome)]
    pub fn logout(&self) -> js_sys::Promise {
        self.0.logout()
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

    #[wasm_bindgen(js_name = apiLogout)]
    pub fn api_logout(&self, token: JsValue) -> js_sys::Promise {
        self.0.api_logout(&token)
    }

    #[wasm_bindgen(js_name = logoutWithFallback)]
    pub fn logout_with_fallback(&self, args: JsValue) -> js_sys::Promise {
        self.0.logout_with_fallback(&args)
    }

    pub fn destroy(&self) {
        self.0.destroy();
    }
}
