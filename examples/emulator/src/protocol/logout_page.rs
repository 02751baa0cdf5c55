//! `GET /logout`: the redirect flow's top-level navigation.

use hyper::header::{HeaderValue, REFERRER_POLICY, SET_COOKIE};
use hyper::{Response, StatusCode};

use crate::app::App;
use crate::request::{param, Info};
use crate::response::{escape_html, expired_cookie, found, html, Body};
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
        let Some(client) = param(&params, "client_id").and_then(|id| self.clients.get(id)) else {
            return html(
                StatusCode::BAD_REQUEST,
                "Unknown client",
                "<p>Missing or unknown <code>client_id</code>. Nothing was done.</p>",
            );
        };
        let mut store = self.store();
        if let Some(id) = info.cookie.as_deref() {
            store.sessions.remove(id);
        }
        if let Some(token) = param(&params, "oauth_token") {
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
            resp.headers_mut().append(SET_COOKIE, expired_cookie());
        }
        resp
    }
}
