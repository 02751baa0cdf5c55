//! The login door: SchAcc's authorization URL, as account-sdk-browser's
//! `loginUrl` builds it, and the navigation there.

use wasm_bindgen::prelude::*;

use super::Client;
use crate::browser::{js, page};
use crate::core::error::{Message, SdkError};
use crate::core::login::LOGIN_OPTIONS;
use crate::core::raw::Raw;

impl Client {
    /// SchAcc's authorization URL (`loginUrl(options)`).
    pub fn login_url(&self, args: &JsValue) -> Result<String, SdkError> {
        if !js::is_plain_object(args) {
            return Err(SdkError::argument(Message::LoginState));
        }
        let field = |at: usize| {
            LOGIN_OPTIONS
                .get(at)
                .map_or(Raw::Absent, |key| js::field(args, key))
        };
        self.inner.config.login_url(&field, &js::read_url)
    }

    /// Sends the top-level page to SchAcc's login (`login(options)`).
    /// The page the login comes back to, in this tab, asks (not the cache).
    pub fn login(&self, args: &JsValue) -> Result<(), SdkError> {
        let url = self.login_url(args)?;
        page::mark_login(true);
        self.inner.forget_cached();
        page::go_to(&url)
    }
}
