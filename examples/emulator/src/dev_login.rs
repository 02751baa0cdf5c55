//! The dev login of both doors (`/__emulator/login`) and, with the session
//! service on, the hand-over of one session to the other door
//! (`/__emulator/adopt`): the login creates the session, sets its own
//! door's cookie, and sends the browser to the other door's adopt URL with a
//! one-time code (never the session id), which sets that door's cookie for
//! the same session and goes on to `return_to`.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use hyper::body::Incoming;
use hyper::header::{HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, SET_COOKIE};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;

use crate::app::{App, Door};
use crate::request::{
    browsable, cookie_value, encode_component, is_loopback_url, param, parse_query, split_host_port,
};
use crate::response::{
    allow_preflight, bad_request_json, empty, escape_html, found, html, json_resp,
    malformed_query_json, method_not_allowed, not_found, schacc_cookie, server_error_json,
    site_cookie, Body,
};
use crate::store::{now, random_hex, truncate, Store, MAX_DISPLAY_NAME_BYTES, SESSION_TTL_SECS};

/// How long an adopt code can be used.
const ADOPT_TTL_SECS: u64 = 60;
/// Most adopt codes waiting at once.
const MAX_ADOPT_CODES: usize = 1_000;

/// A one-time code that lets `door` set its cookie for `session_id`.
pub(crate) struct AdoptCode {
    session_id: String,
    door: Door,
    expires_at: u64,
}

impl Store {
    fn add_adopt_code(&mut self, code: String, adopt: AdoptCode, now: u64) {
        self.adopt_codes.retain(|_, a| a.expires_at > now);
        while self.adopt_codes.len() >= MAX_ADOPT_CODES {
            let oldest = self
                .adopt_codes
                .iter()
                .min_by_key(|(_, a)| a.expires_at)
                .map(|(c, _)| c.clone());
            match oldest {
                Some(c) => self.adopt_codes.remove(&c),
                None => break,
            };
        }
        self.adopt_codes.insert(code, adopt);
    }

    /// Uses up the code; `None` when unknown, used or expired.
    fn take_adopt_code(&mut self, code: &str, now: u64) -> Option<AdoptCode> {
        self.adopt_codes.remove(code).filter(|a| a.expires_at > now)
    }
}

pub(crate) type AdoptCodes = HashMap<String, AdoptCode>;

impl App {
    /// The session service's `/__emulator/`: `login` and `adopt` only.
    pub(crate) async fn session_controls(&self, req: Request<Incoming>) -> Response<Body> {
        let mut resp = self.session_controls_inner(&req);
        resp.headers_mut()
            .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        resp
    }

    fn session_controls_inner(&self, req: &Request<Incoming>) -> Response<Body> {
        let cookie = cookie_value(req.headers(), Door::Session.cookie_name());
        let Ok(params) = parse_query(req.uri().query()) else {
            return malformed_query_json();
        };
        let path = req.uri().path();
        match (path, req.method()) {
            (_, &Method::OPTIONS) => {
                let mut r = empty(StatusCode::NO_CONTENT);
                allow_preflight(&mut r, "GET, OPTIONS", "Content-Type");
                r
            }
            ("/__emulator/login", &Method::GET) => {
                self.ctl_login(&params, cookie.as_deref(), Door::Session)
            }
            ("/__emulator/adopt", &Method::GET) => {
                self.ctl_adopt(&params, cookie.as_deref(), Door::Session)
            }
            ("/__emulator/login" | "/__emulator/adopt", _) => method_not_allowed(),
            _ => not_found(),
        }
    }

    /// `/__emulator/login` of either door.
    pub(crate) fn ctl_login(
        &self,
        params: &[(String, String)],
        old_cookie: Option<&str>,
        door: Door,
    ) -> Response<Body> {
        let user_id = match param(params, "user_id").map(str::parse::<u64>) {
            None => 1001,
            Some(Ok(n)) => n,
            Some(Err(_)) => return bad_request_json("user_id must be a non-negative integer"),
        };
        let display_name = param(params, "display_name")
            .map(str::to_string)
            .unwrap_or_else(|| format!("Test User {user_id}"));
        let display_name = truncate(&display_name, MAX_DISPLAY_NAME_BYTES);
        let return_to = param(params, "return_to");
        let location = match return_to.map(HeaderValue::from_str) {
            None => None,
            Some(Ok(v)) => Some(v),
            Some(Err(_)) => return bad_request_json("return_to is not a usable URL"),
        };
        // With the session service on, the login goes on to the other door.
        let other = match self.doors.session {
            None => None,
            Some(_) => {
                if return_to.is_some_and(|u| !self.return_to_allowed(u)) {
                    return bad_request_json(RETURN_TO_RULE);
                }
                let requested = match door {
                    Door::SchAcc => param(params, "session_origin"),
                    Door::Session => param(params, "schacc_origin"),
                };
                match self.other_origin(door, requested) {
                    Ok(origin) => Some(origin),
                    Err(msg) => return bad_request_json(msg),
                }
            }
        };
        let (Some(id), Some(code)) = (random_hex(16), random_hex(16)) else {
            return server_error_json();
        };
        let Some(cookie) = self.door_cookie(door, &id) else {
            return server_error_json();
        };
        let now = now();
        {
            let mut store = self.store();
            if let Some(old) = old_cookie {
                store.sessions.remove(old);
            }
            store.insert_session(id.clone(), user_id, &display_name, now);
            if other.is_some() {
                let adopt = AdoptCode {
                    session_id: id,
                    door: door.other(),
                    expires_at: now + ADOPT_TTL_SECS,
                };
                store.add_adopt_code(code.clone(), adopt, now);
            }
        }
        let adopt_url = other.map(|o| format!("{o}/__emulator/adopt?code={code}"));
        let mut resp = if param(params, "format") == Some("json") {
            let mut body = json!({"userId": user_id, "displayName": display_name, "expiresIn": SESSION_TTL_SECS});
            if let Some(url) = &adopt_url {
                body["adopt"] = json!(url);
            }
            json_resp(StatusCode::OK, body)
        } else if let Some(url) = adopt_url {
            let url = match return_to {
                Some(r) => format!("{url}&return_to={}", encode_component(r)),
                None => url,
            };
            match HeaderValue::from_str(&url) {
                Ok(v) => found(v),
                Err(_) => return server_error_json(),
            }
        } else if let Some(location) = location {
            found(location)
        } else {
            logged_in_page(&display_name, user_id)
        };
        resp.headers_mut().append(SET_COOKIE, cookie);
        resp
    }

    /// `/__emulator/adopt?code=C[&return_to=URL][&format=json]` of either door.
    pub(crate) fn ctl_adopt(
        &self,
        params: &[(String, String)],
        old_cookie: Option<&str>,
        door: Door,
    ) -> Response<Body> {
        let Some(code) = param(params, "code") else {
            return bad_request_json("code is required");
        };
        let return_to = param(params, "return_to");
        if return_to.is_some_and(|u| !self.return_to_allowed(u)) {
            return bad_request_json(RETURN_TO_RULE);
        }
        let location = match return_to.map(HeaderValue::from_str) {
            None => None,
            Some(Ok(v)) => Some(v),
            Some(Err(_)) => return bad_request_json("return_to is not a usable URL"),
        };
        let now = now();
        let mut store = self.store();
        let Some(adopt) = store.take_adopt_code(code, now) else {
            return bad_request_json("Unknown, used or expired code");
        };
        if adopt.door != door {
            return bad_request_json("This code is for the other listener");
        }
        let Some(session) = store.session(&adopt.session_id, now) else {
            return bad_request_json("The session has ended");
        };
        let (user_id, display_name) = (session.user_id, session.display_name.clone());
        let expires_in = session.expires_at.saturating_sub(now);
        if let Some(old) = old_cookie.filter(|old| *old != adopt.session_id) {
            store.sessions.remove(old);
        }
        drop(store);
        let Some(cookie) = self.door_cookie(door, &adopt.session_id) else {
            return server_error_json();
        };
        let mut resp = if let Some(location) = location {
            found(location)
        } else if param(params, "format") == Some("json") {
            json_resp(
                StatusCode::OK,
                json!({"userId": user_id, "displayName": display_name, "expiresIn": expires_in}),
            )
        } else {
            logged_in_page(&display_name, user_id)
        };
        resp.headers_mut().append(SET_COOKIE, cookie);
        resp
    }

    fn door_cookie(&self, door: Door, id: &str) -> Option<HeaderValue> {
        match door {
            Door::SchAcc => schacc_cookie(id),
            Door::Session => site_cookie(id, self.doors.https),
        }
    }

    /// A registered redirect URI of any client, or an http(s) URL on a loopback host.
    fn return_to_allowed(&self, url: &str) -> bool {
        self.clients
            .values()
            .any(|c| c.redirect_uris.iter().any(|u| u == url))
            || is_loopback_url(url)
    }

    /// The origin of the door that is not `door`, as the browser should
    /// reach it: `requested` if it is that door's port on a loopback host
    /// (or its bound address), else SchAcc as `localhost:PORT` and the
    /// session service at its bound address (`127.0.0.1:PORT`).
    fn other_origin(&self, door: Door, requested: Option<&str>) -> Result<String, &'static str> {
        let scheme = if self.doors.https { "https" } else { "http" };
        let Some(session) = self.doors.session else {
            return Err("The session service is not enabled");
        };
        let target = match door.other() {
            Door::SchAcc => self.doors.schacc,
            Door::Session => session,
        };
        let Some(requested) = requested else {
            let ip = target.ip();
            return Ok(match door.other() {
                Door::SchAcc if ip.is_loopback() || ip.is_unspecified() => {
                    format!("{scheme}://localhost:{}", target.port())
                }
                _ => format!(
                    "{scheme}://{}",
                    SocketAddr::new(browsable(ip), target.port())
                ),
            });
        };
        const BAD: &str = "The other listener's origin must be its scheme, a loopback host (or its address) and its port";
        let rest = requested
            .strip_prefix(scheme)
            .and_then(|r| r.strip_prefix("://"))
            .ok_or(BAD)?;
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = split_host_port(authority).ok_or(BAD)?;
        let host_ok = host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<IpAddr>()
                .is_ok_and(|ip| ip.is_loopback() || ip == target.ip());
        if port != target.port() || !host_ok {
            return Err(BAD);
        }
        Ok(format!("{scheme}://{authority}"))
    }
}

const RETURN_TO_RULE: &str =
    "return_to must be a registered redirect URI or an http(s) URL on a loopback host";

fn logged_in_page(display_name: &str, user_id: u64) -> Response<Body> {
    html(
        StatusCode::OK,
        "Logged in",
        &format!(
            "<p>Logged in as {} (user {user_id}).</p>",
            escape_html(display_name)
        ),
    )
}
