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
    js::set_error_class(class);
}

/// The wasm side of a client; `index.js` wraps it in the public `Client`.
#[wasm_bindgen]
pub struct Client(client::Client);

#[wasm_bindgen]
impl Client {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        client::Client::new(&options)
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

    /// Returns the listener's id, for `offId`.
    pub fn on(&self, name: JsValue, listener: JsValue, once: bool) -> Result<u32, JsValue> {
        self.0
            .on(&name, &listener, once)
            .map_err(|error| to_js_error(&error))
    }

    pub fn off(&self, name: JsValue, listener: JsValue) -> Result<(), JsValue> {
        self.0
            .off(&name, &listener)
            .map_err(|error| to_js_error(&error))
    }

    #[wasm_bindgen(js_name = offId)]
    pub fn off_id(&self, id: u32) {
        self.0.off_id(id);
    }

    pub fn destroy(&self) {
        self.0.destroy();
    }

    /// Not public API: calls the listeners of `name` `times` times with
    /// `payload`, so `npm run bench` can time dispatch without the network.
    #[wasm_bindgen(js_name = __benchEmit)]
    pub fn bench_emit(&self, name: JsValue, payload: JsValue, times: u32) -> Result<(), JsValue> {
        self.0
            .bench_emit(&name, &payload, times)
            .map_err(|error| to_js_error(&error))
    }
}
