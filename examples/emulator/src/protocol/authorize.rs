//! SchAcc's login door, OAuth style: `GET /oauth/authorize?client_id=C&
//! redirect_uri=R&response_type=code&state=S…` shows a dev login page
//! (nothing changes until its button is pressed); its form `POST`s the same
//! URL (the user id in the body), which — from an allowed `Origin`, like
//! the dev login — logs in exactly as the dev login does (the session,
//! SchAcc's cookie, the hand-over to the session service) and sends the
//! browser to `R?code=K&state=S`. `R` is always one of `C`'s registered
//! redirect URIs, byte for byte: no redirect ever goes anywhere else.

use hyper::header::{
    HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, SET_COOKIE, X_FRAME_OPTIONS,
};
use hyper::{Response, StatusCode};

use crate::app::{App, Door};
use crate::dev_login::Login;
use crate::request::{encode_component, param, path_with_query, Info};
use crate::response::{escape_html, html, see_other, server_error_json, Body};
use crate::store::{random_hex, Grants};

/// The path of the login door.
pub(crate) const AUTHORIZE_PATH: &str = "/oauth/authorize";
/// Longest `state` echoed back.
const MAX_STATE_BYTES: usize = 1024;
/// The user a login is for when the form names none.
const DEFAULT_USER_ID: u64 = 1001;

/// A valid authorization request.
struct Authorization<'a> {
    client_id: &'a str,
    redirect_uri: &'a str,
    state: Option<&'a str>,
}

impl App {
    /// `GET /oauth/authorize?…`: the login page (changes nothing), or a
    /// `400` page for a bad request.
    pub(crate) fn authorize_page(&self, info: &Info) -> Response<Body> {
        self.authorized(info, |params, request| self.login_form(params, &request))
    }

    /// The login page for an authorization request.
    fn login_form(&self, params: &[(String, String)], request: &Authorization) -> Response<Body> {
        let action = path_with_query(AUTHORIZE_PATH, params);
        let mut resp = html(
            StatusCode::OK,
            "Log in",
            &format!(
                "<p>Client <code>{}</code> asks you to log in; you will be sent back to <code>{}</code>.</p>\n<form method=\"post\" action=\"{}\"><label>User id <input name=\"user_id\" value=\"{DEFAULT_USER_ID}\" inputmode=\"numeric\" pattern=\"[0-9]+\" required></label> <button type=\"submit\">Log in</button></form>\n<p>Nothing changes until the button is pressed.</p>",
                escape_html(request.client_id),
                escape_html(request.redirect_uri),
                escape_html(&action),
            ),
        );
        no_framing(&mut resp);
        resp
    }

    /// `POST /oauth/authorize?…` (the form's `user_id` in the body, else
    /// the query's, else 1001) from an allowed `Origin`: the dev login's
    /// session and cookies, then `303` on to the hand-over or straight to
    /// `R?code=…&state=…`.
    pub(crate) fn authorize(&self, info: &Info) -> Response<Body> {
        if !self.origin_allowed(Door::SchAcc, info.origin.as_deref(), info.host.as_deref()) {
            let mut resp = html(
                StatusCode::FORBIDDEN,
                "Forbidden",
                "<p>A login is a POST from this page or a registered redirect URI's origin. Nothing was done.</p>",
            );
            no_framing(&mut resp);
            return resp;
        }
        self.authorized(info, |params, request| self.log_in(info, params, &request))
    }

    /// The login of a checked authorization request (`POST`).
    fn log_in(
        &self,
        info: &Info,
        params: &[(String, String)],
        request: &Authorization,
    ) -> Response<Body> {
        let Ok(form) = info.form.as_deref() else {
            return bad_page("The form is malformed or larger than 16 KiB.");
        };
        let user_id = match param(form, "user_id")
            .or_else(|| param(params, "user_id"))
            .map(|id| id.trim().parse::<u64>())
        {
            None => DEFAULT_USER_ID,
            Some(Ok(n)) => n,
            Some(Err(_)) => return bad_page("user_id must be a non-negative integer."),
        };
        let handover = match self.handover_origins(Door::SchAcc, params, info.host.as_deref()) {
            Ok(handover) => handover,
            Err(msg) => return bad_page(msg),
        };
        let Some(code) = random_hex(16) else {
            return server_error_json();
        };
        let back = with_code(request.redirect_uri, &code, request.state);
        let Ok(back_header) = HeaderValue::from_str(&back) else {
            return server_error_json();
        };
        let login = Login {
            user_id,
            display_name: format!("Test User {user_id}"),
            return_to: Some(&back),
            grants: Grants::default(),
        };
        let Some((cookie, adopt_url)) =
            self.start_session(Door::SchAcc, info.cookie.clone(), &login, handover)
        else {
            return server_error_json();
        };
        self.store().authorization_codes += 1;
        let location = match adopt_url.map(|url| HeaderValue::from_str(&url)) {
            None => back_header,
            Some(Ok(url)) => url,
            Some(Err(_)) => return server_error_json(),
        };
        let mut resp = see_other(location);
        resp.headers_mut().append(SET_COOKIE, cookie);
        // The page the browser comes back to sees SchAcc's origin as its referrer (and no more), as after
        // a login at SchAcc: the SDK's cue to ask rather than trust its session cache.
        resp.headers_mut()
            .insert(REFERRER_POLICY, HeaderValue::from_static("strict-origin"));
        resp
    }

    /// Runs `then` with the query and the checked authorization request; a
    /// `400` page for a malformed query or a bad request.
    fn authorized(
        &self,
        info: &Info,
        then: impl FnOnce(&[(String, String)], Authorization) -> Response<Body>,
    ) -> Response<Body> {
        let Ok(params) = info.params() else {
            return bad_page("The query string is malformed.");
        };
        match self.authorization(&params) {
            Ok(request) => then(&params, request),
            Err(msg) => bad_page(msg),
        }
    }

    /// The request's client, its redirect URI (registered for it, byte for
    /// byte), `response_type=code` and its `state`; else what is wrong.
    fn authorization<'a>(
        &self,
        params: &'a [(String, String)],
    ) -> Result<Authorization<'a>, &'static str> {
        let Some((client_id, client)) =
            param(params, "client_id").and_then(|id| self.clients.get(id).map(|c| (id, c)))
        else {
            return Err("Missing or unknown client_id.");
        };
        let Some(redirect_uri) = param(params, "redirect_uri")
            .filter(|uri| client.redirect_uris.iter().any(|r| r == uri))
        else {
            return Err("redirect_uri is missing or not a registered redirect URI of this client.");
        };
        if param(params, "response_type") != Some("code") {
            return Err("response_type must be code.");
        }
        let state = param(params, "state");
        if state.is_some_and(|s| s.len() > MAX_STATE_BYTES) {
            return Err("state is longer than 1024 bytes.");
        }
        Ok(Authorization {
            client_id,
            redirect_uri,
            state,
        })
    }
}

/// `redirect_uri` with `code=K` (and `state=S`, percent-encoded) added to
/// its query, before any fragment.
fn with_code(redirect_uri: &str, code: &str, state: Option<&str>) -> String {
    let (base, fragment) = match redirect_uri.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (redirect_uri, None),
    };
    let separator = match base.find('?') {
        None => "?",
        Some(_) if base.ends_with(['?', '&']) => "",
        Some(_) => "&",
    };
    let mut url = format!("{base}{separator}code={code}");
    if let Some(state) = state {
        url.push_str("&state=");
        url.push_str(&encode_component(state));
    }
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

fn bad_page(msg: &str) -> Response<Body> {
    let mut resp = html(
        StatusCode::BAD_REQUEST,
        "Bad authorization request",
        &format!("<p>{} Nothing was done.</p>", escape_html(msg)),
    );
    no_framing(&mut resp);
    resp
}

/// The login door's pages cannot be framed (no clickjacking of the button).
fn no_framing(resp: &mut Response<Body>) {
    let headers = resp.headers_mut();
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_and_state_join_the_query() {
        let k = "k";
        for (uri, state, expected) in [
            ("http://a/", Some("s"), "http://a/?code=k&state=s"),
            (
                "http://a/cb?x=1",
                Some("a b&c"),
                "http://a/cb?x=1&code=k&state=a%20b%26c",
            ),
            ("http://a/cb?", None, "http://a/cb?code=k"),
            (
                "http://a/cb?x=1&",
                Some(""),
                "http://a/cb?x=1&code=k&state=",
            ),
            ("http://a/cb#f", Some("s"), "http://a/cb?code=k&state=s#f"),
        ] {
            assert_eq!(with_code(uri, k, state), expected, "{uri}");
        }
    }
}
