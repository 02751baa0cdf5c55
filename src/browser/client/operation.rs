//! What the loader can call: the operations by number, and the option keys
//! it copies for them.

use wasm_bindgen::prelude::*;

use super::Client;
use crate::core::error::{Message, SdkError};

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
    /// `logout()`: a promise of the logged-out session.
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
    /// `loginUrl(options)`: the URL.
    LoginUrl = 8,
    /// `login(options)`.
    Login = 9,
}

impl Operation {
    /// Every operation, in number order.
    pub const ALL: [Operation; 10] = [
        Operation::HasSession,
        Operation::Logout,
        Operation::ApiLogout,
        Operation::LogoutWithFallback,
        Operation::LogoutUrl,
        Operation::RedirectLogout,
        Operation::Session,
        Operation::Destroy,
        Operation::LoginUrl,
        Operation::Login,
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
pub const OPTIONS: [&str; 11] = [
    "clientId",
    "server",
    "redirectUri",
    "timeout",
    "fallback",
    "crossTab",
    "sessionDomain",
    "sdrnNamespace",
    "sessionRenewal",
    "beforeSessionRenewal",
    "cacheTtl",
];

/// The keys of the `{ redirectUri, oauthToken }` argument.
pub const REDIRECT_OPTIONS: [&str; 2] = ["redirectUri", "oauthToken"];

impl Client {
    /// Runs the operation numbered `operation` (`Operation`) with its
    /// argument; the asynchronous ones return their promise.
    pub fn call(&self, operation: u8, arg: &JsValue) -> Result<JsValue, SdkError> {
        Ok(match Operation::try_from(operation)? {
            Operation::HasSession => self.has_session(arg)?.into(),
            Operation::Logout => self.logout().into(),
            Operation::ApiLogout => self.api_logout(arg).into(),
            Operation::LogoutWithFallback => self.logout_with_fallback(arg).into(),
            Operation::LogoutUrl => JsValue::from_str(&self.logout_url(arg)?),
            Operation::RedirectLogout => {
                self.redirect_logout(arg)?;
                JsValue::UNDEFINED
            }
            Operation::LoginUrl => JsValue::from_str(&self.login_url(arg)?),
            Operation::Login => {
                self.login(arg)?;
                JsValue::UNDEFINED
            }
            Operation::Session => self.session(),
            Operation::Destroy => {
                self.destroy();
                JsValue::UNDEFINED
            }
        })
    }
}
