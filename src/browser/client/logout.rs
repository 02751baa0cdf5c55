//! The three logout flows: the JS SDK logout (a fetch), the redirect flow
//! and the API logout, and `logoutWithFallback()`, which finishes the first
//! by the second where the core's rule says so.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::task::{rejected, start, Call, Ended, CONFIRMED, FAILED};
use super::{Client, Inner, REDIRECT_OPTIONS};
use crate::browser::executor::settled;
use crate::browser::http::Credentials;
use crate::browser::{js, page};
use crate::core::config::{checked_token, Endpoint, RedirectArgs};
use crate::core::error::SdkError;
use crate::core::fallback::{self, Fetched, Reason};
use crate::core::response;
use crate::core::session::Session;
use crate::core::user_agent::blocks_third_party_cookies;

impl Client {
    /// Resolves with the logged-out session.
    pub fn logout(&self) -> Promise {
        Inner::logout(&self.inner).0
    }

    pub fn logout_url(&self, args: &JsValue) -> Result<String, SdkError> {
        Ok(self.inner.config.logout_url(&redirect_args(args)?))
    }

    /// Navigates first: the logout events fire only for a navigation the
    /// browser accepted.
    pub fn redirect_logout(&self, args: &JsValue) -> Result<(), SdkError> {
        page::go_to(&self.logout_url(args)?)?;
        self.inner.end_session(
            js::no_user_object(&JsValue::UNDEFINED, "notConnected", 0.0),
            true,
        );
        Ok(())
    }

    pub fn api_logout(&self, token: &JsValue) -> Promise {
        match checked_token(js::raw(token)) {
            Ok(token) => start(self.inner.clone(), Call::ApiLogout(token), None),
            Err(error) => rejected(&error),
        }
    }

    pub fn logout_with_fallback(&self, args: &JsValue) -> Promise {
        // Refused before anything is sent.
        match redirect_args(args) {
            Ok(args) => Inner::logout_with_fallback(&self.inner, args),
            Err(error) => rejected(&error),
        }
    }
}

impl Inner {
    /// The promise of the running fetch logout (started unless one runs),
    /// and where its outcome will be.
    pub(super) fn logout(this: &Rc<Inner>) -> (Promise, Ended) {
        this.logout_call.share(this, Call::Logout, 0)
    }

    /// Shares a running `logoutWithFallback()` given the same options.
    fn logout_with_fallback(this: &Rc<Inner>, args: RedirectArgs) -> Promise {
        let same = this.fallback_args.take().is_some_and(|last| *last == args);
        if !same {
            this.fallback_key
                .set(this.fallback_key.get().wrapping_add(1));
        }
        let args = Rc::new(args);
        this.fallback_args.set(Some(args.clone()));
        this.fallback_call
            .share(
                this,
                Call::LogoutWithFallback(args),
                this.fallback_key.get(),
            )
            .0
    }

    /// The logged-out session, and whether SchAcc deleted a session.
    pub(super) async fn fetch_logout(&self) -> Result<(JsValue, bool), JsValue> {
        self.bump_epoch();
        let answer = self.ask(Endpoint::Logout, Credentials::Cookie).await?;
        let confirmed = self.read(&answer, response::logout)?;
        self.bump_epoch();
        // The answer was read as a JSON object (`response::logout`).
        let object = js::no_user_object(&answer.json, "notConnected", 0.0);
        if confirmed {
            self.end_session(object.clone(), true);
        } else if self.session().has_user() {
            self.apply(None, Session::logged_out(), &object);
        } else {
            // Found no session and knew no user: nothing changed for the page.
            self.with_state(|state| state.replace(Session::logged_out(), &object));
        }
        Ok((object, confirmed))
    }

    pub(super) async fn revoke(&self, token: &str) -> Result<JsValue, JsValue> {
        let answer = self
            .ask(Endpoint::ApiLogout, Credentials::Bearer(token))
            .await?;
        self.read(&answer, response::api_logout)?;
        Ok(answer.json)
    }

    /// The fetch logout (shared with a concurrent `logout()`), the token's
    /// revocation, then the redirect flow if the core's rules say so.
    pub(super) async fn logout_then_redirect(
        self: &Rc<Self>,
        args: &RedirectArgs,
    ) -> Result<JsValue, JsValue> {
        let (logout, ended) = Inner::logout(self);
        let outcome = settled(logout.into()).await;
        self.alive()?;
        let ended = ended.get();
        let fetched = match ended {
            CONFIRMED => Fetched::Confirmed,
            FAILED.. => Fetched::Failed,
            _ => Fetched::NoSession,
        };
        let mode = self.config.fallback;
        let decision = fallback::decide(
            mode,
            browser_blocks_third_party_cookies(),
            self.config.session_domain.is_some(),
            fetched,
        );
        // The `reason`, by number (`names.js`): a `Reason`, or a failure's
        // code counted from `Reason::Failed` on.
        let failed = |code: u8| Reason::Failed as u8 + code;
        let mut reason = match decision.reason {
            Reason::Failed => failed(ended - FAILED),
            reason => reason as u8,
        };
        let mut redirect = decision.redirect;
        let mut token_revoked = false;
        if let (false, Some(token)) = (redirect, &args.oauth_token) {
            let revocation = self.revoke(token).await;
            self.alive()?;
            token_revoked = revocation.is_ok();
            redirect = fallback::redirect_for_unrevoked_token(mode, token_revoked);
            if let (true, Err(_)) = (redirect, &revocation) {
                // The code of the failure the revocation just reported.
                reason = failed(self.failed.get());
            }
        }
        let result = |redirected: bool| {
            js::fallback_result(
                &self.session_object(),
                redirected,
                fetched == Fetched::Confirmed,
                token_revoked,
                reason,
            )
        };
        if !redirect {
            // Under 'never' a failed fetch is reported as the failure it is.
            return outcome.map(|_| result(false));
        }
        page::go_to(&self.config.logout_url(args)).map_err(|error| js::to_js_error(&error))?;
        if fetched != Fetched::Confirmed {
            self.end_session(
                js::no_user_object(&JsValue::UNDEFINED, "notConnected", 0.0),
                true,
            );
        }
        Ok(result(true))
    }
}

/// Reads `{ redirectUri, oauthToken }`; `undefined` or `null` means no options.
fn redirect_args(args: &JsValue) -> Result<RedirectArgs, SdkError> {
    let raw = if args.is_undefined() || args.is_null() {
        None
    } else if js::is_plain_object(args) {
        let [redirect_uri, oauth_token] = REDIRECT_OPTIONS;
        Some(Some((
            js::field(args, redirect_uri),
            js::field(args, oauth_token),
        )))
    } else {
        Some(None)
    };
    RedirectArgs::from_raw(raw, &js::read_url)
}

fn browser_blocks_third_party_cookies() -> bool {
    blocks_third_party_cookies(&page::user_agent())
}
