//! CORS of the protocol endpoints: `Vary: Origin` everywhere under `/ajax/`
//! and `/api/`, and the origin echoed (with credentials) only when it is
//! the origin of a registered redirect URI.

use hyper::header::{
    HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, VARY,
};
use hyper::Response;

use crate::app::{App, Door};
use crate::request::Info;
use crate::response::Body;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CorsKind {
    /// Origins of the redirect URIs of the query's client (`client_id`, or
    /// on the session service `client_sdrn`).
    Ajax,
    /// Origins of any registered client's redirect URIs.
    Api,
    /// No CORS headers at all.
    None,
}

/// `/ajax/*` and the session service's paths (`/v2/*`, `*/session`,
/// `*/logout`, `*/refresh`) answer the query's client's origins; `/api/*`
/// any client's.
pub(crate) fn cors_kind(path: &str, door: Door) -> CorsKind {
    match door {
        Door::SchAcc if path.starts_with("/ajax/") => CorsKind::Ajax,
        Door::SchAcc if path.starts_with("/api/") => CorsKind::Api,
        Door::Session
            if path.starts_with("/v2/")
                || ["/session", "/logout", "/refresh"]
                    .iter()
                    .any(|end| path.ends_with(end)) =>
        {
            CorsKind::Ajax
        }
        _ => CorsKind::None,
    }
}

impl App {
    pub(crate) fn allowed_origin<'a>(&self, info: &'a Info, kind: CorsKind) -> Option<&'a str> {
        let origin = info.origin.as_deref()?;
        let allowed = match kind {
            CorsKind::None => false,
            CorsKind::Api => self.all_origins.contains(origin),
            CorsKind::Ajax => {
                let params = info.params().ok()?;
                let (_, client) = self.query_client(&params, info.door)?;
                client.origins.contains(origin)
            }
        };
        allowed.then_some(origin)
    }

    pub(crate) fn apply_cors(&self, info: &Info, kind: CorsKind, resp: &mut Response<Body>) {
        if kind == CorsKind::None {
            return;
        }
        let h = resp.headers_mut();
        h.append(VARY, HeaderValue::from_static("Origin"));
        if let Some(origin) = self.allowed_origin(info, kind) {
            if let Ok(v) = HeaderValue::from_str(origin) {
                h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, v);
                h.insert(
                    ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    HeaderValue::from_static("true"),
                );
            }
        }
    }
}
