//! Every decision of the SDK's pure core, exported with plain strings and
//! numbers: what a wasm core under a hand-written JavaScript shell would be.
//! Only its size is of interest (`npm run bench`); nothing calls it.

// The SDK's allocator is shell code (src/browser/), so it comes as a file.
#[path = "../../src/browser/alloc.rs"]
mod alloc;

use wasm_bindgen::prelude::*;

use schacc_core::config::{checked_token, Config, Endpoint, RawOptions, RedirectArgs};
use schacc_core::error::SdkError;
use schacc_core::fallback::{decide, Fetched};
use schacc_core::raw::Raw;
use schacc_core::response::{api_logout, has_session, logout, Body, Fields, Reply};
use schacc_core::session::{diff, Session};
use schacc_core::url::BrowserUrl;
use schacc_core::{legacy, user_agent};

#[wasm_bindgen]
extern "C" {
    /// The page's `URL`, read as `protocol, credentials (0/1), hostname,
    /// origin, pathname, query or fragment (0/1)` joined by tabs (the floor
    /// has no browser bindings of its own).
    #[wasm_bindgen(js_name = readUrl)]
    fn read_url_fields(input: &str) -> Option<String>;
}

fn read_url(input: &str) -> Option<BrowserUrl> {
    let fields = read_url_fields(input)?;
    let mut parts = fields.split('\t');
    let mut next = || parts.next().unwrap_or_default().to_owned();
    Some(BrowserUrl {
        protocol: next(),
        has_credentials: next() == "1",
        hostname: next(),
        origin: next(),
        pathname: next(),
        has_query_or_fragment: next() == "1",
    })
}

/// A JS value as its `typeof` tag (0 absent, 1 string, 2 number, 3 boolean, else other) and contents.
fn raw(tag: u8, text: Option<String>, number: f64) -> Raw {
    match (tag, text) {
        (0, _) => Raw::Absent,
        (1, Some(text)) => Raw::Text(text),
        (2, _) => Raw::Number(number),
        (3, _) => Raw::Bool(number != 0.0),
        _ => Raw::Other,
    }
}

/// The error's code; its message is `SdkError::message`, a static string.
fn code(error: SdkError) -> u32 {
    error.code as u32
}

#[wasm_bindgen]
pub struct Core(Config);

#[wasm_bindgen]
impl Core {
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        client_id: Option<String>,
        server: Option<String>,
        redirect_tag: u8,
        redirect_uri: Option<String>,
        timeout: f64,
        fallback: Option<String>,
        cross_tab: u8,
        session_domain_tag: u8,
        session_domain: Option<String>,
    ) -> Result<Core, u32> {
        Config::from_raw(RawOptions {
            client_id: raw(1, client_id, 0.0),
            server: raw(1, server, 0.0),
            redirect_uri: raw(redirect_tag, redirect_uri, 0.0),
            timeout: raw(2, None, timeout),
            fallback: raw(1, fallback, 0.0),
            cross_tab: raw(3, None, f64::from(cross_tab)),
            session_domain: raw(session_domain_tag, session_domain, 0.0),
        }, &read_url)
        .map(Core)
        .map_err(code)
    }

    pub fn logout_url(
        &self,
        redirect_tag: u8,
        redirect_uri: Option<String>,
        token_tag: u8,
        token: Option<String>,
    ) -> Result<String, u32> {
        let fields = (
            raw(redirect_tag, redirect_uri, 0.0),
            raw(token_tag, token, 0.0),
        );
        let args = RedirectArgs::from_raw(Some(Some(fields)), &read_url).map_err(code)?;
        Ok(self.0.logout_url(&args))
    }

    pub fn endpoint(&self, which: u8) -> String {
        self.0
            .endpoint(match which {
                0 => Endpoint::HasSession,
                1 => Endpoint::Logout,
                _ => Endpoint::ApiLogout,
            })
            .1
    }

    pub fn channel_name(&self) -> String {
        self.0.channel_name()
    }

    pub fn token(&self, tag: u8, token: Option<String>) -> Result<String, u32> {
        checked_token(raw(tag, token, 0.0)).map_err(code)
    }

    /// Reads an answer (`shape`: 0 not JSON, 1 not an object, 2 too large, else
    /// an object) and returns the events of a first `hasSession`, whether a
    /// logout was confirmed, or 0 for a revoked token.
    #[allow(clippy::too_many_arguments)]
    pub fn read(
        &self,
        which: u8,
        status: u16,
        shape: u8,
        result: u8,
        user_id: Option<String>,
        user_status: Option<String>,
        error_type: Option<String>,
    ) -> Result<u8, u32> {
        let body = match shape {
            0 => Body::NotJson,
            1 => Body::NotObject,
            2 => Body::TooLarge,
            _ => Body::Object(Fields {
                result: raw(3, None, f64::from(result)),
                user_id: raw(1, user_id, 0.0),
                user_status: raw(1, user_status, 0.0),
                error_type: raw(1, error_type, 0.0),
                code: Raw::Absent,
            }),
        };
        let reply = Reply { status, body };
        match which {
            0 => {
                let session = has_session(&reply).map_err(code)?;
                Ok(diff(&Session::unknown(), &session, false).iter().count() as u8)
            }
            1 => logout(&reply).map(u8::from).map_err(code),
            _ => api_logout(&reply).map(|()| 0).map_err(code),
        }
    }

    pub fn must_redirect(&self, user_agent: &str, fetched: u8) -> bool {
        let fetched = match fetched {
            0 => Fetched::Confirmed,
            1 => Fetched::NoSession,
            _ => Fetched::Failed,
        };
        decide(
            self.0.fallback,
            user_agent::blocks_third_party_cookies(user_agent),
            self.0.session_domain.is_some(),
            fetched,
        )
        .redirect
    }

    /// The base domain SPiD 2.x's cookie may be expired on, if any.
    pub fn cookie_domain(&self, domain: &str) -> Option<String> {
        legacy::cookie_domain(domain).map(str::to_owned)
    }
}
