//! `GET /logout`: the redirect flow's top-level navigation; and the
//! session service's `GET {path}/logout` (account-sdk-browser's logout),
//! by the same rules for the service's own cookie.

use hyper::header::{HeaderValue, REFERRER_POLICY, SET_COOKIE};
use hyper::{Response, StatusCode};

use crate::app::{App, Door};
use crate::request::{param, Info};
use crate::response::{escape_html, expired_cookie, expired_site_cookie, found, html, Body};
use crate::store::now;

impl App {
    pub(crate) fn logout_page(&self, info: &Info) -> Response<Body> {
        let mut resp = self.logout_page_inner(info);
        resp.headers_mut()
            .insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        resp
    }

    fn logout_page_inner(&self, info: &Info) -> Response<Body> {
        let Ok(params) = info.params() else {
            return html(
                StatusCode::BAD_REQUEST,
                "Bad request",
                "<p>The query string is malformed.</p>",
            );
        };
        let Some((_, client)) = self.query_client(&params, info.door) else {
            return html(
                StatusCode::BAD_REQUEST,
                "Unknown client",
                match info.door {
                    Door::SchAcc => {
                        "<p>Missing or unknown <code>client_id</code>. Nothing was done.</p>"
                    }
                    Door::Session => {
                        "<p>Missing or unknown <code>client_id</code> or <code>client_sdrn</code>. Nothing was done.</p>"
                    }
                },
            );
        };
        let mut store = self.store();
        if let Some(id) = info.cookie.as_deref() {
            store.sessions.remove(id);
        }
        // The session service knows no tokens.
        if let (Door::SchAcc, Some(token)) = (info.door, param(&params, "oauth_token")) {
            store.revoke(token, now());
        }
        drop(store);

        let mut resp = match param(&params, "redirect_uri") {
            None => html(
                StatusCode::OK,
                "Logged out",
                "<p>You are logged out.</p>",
            ),
            Some(uri) if client.redirect_uris.iter().any(|r| r == uri) => {
                match HeaderValue::from_str(uri) {
                    Ok(location) => found(location),
                    Err(_) => html(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Server error",
                        "<p>The registered redirect URI cannot be used.</p>",
                    ),
                }
            }
            Some(uri) => html(
                StatusCode::BAD_REQUEST,
                "Invalid redirect_uri",
                &format!(
                    "<p>You are logged out, but <code>{}</code> is not a registered redirect URI for this client, so you were not redirected.</p>",
                    escape_html(uri)
                ),
            ),
        };
        if info.cookie.is_some() {
            let expired = match info.door {
                Door::SchAcc => expired_cookie(),
                Door::Session => expired_site_cookie(self.doors.https),
            };
            resp.headers_mut().append(SET_COOKIE, expired);
        }
        resp
    }
}
