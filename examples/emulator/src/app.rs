//! Request handling: the SchAcc wire protocol and the `/__emulator/` controls.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{
    HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, COOKIE, LOCATION, ORIGIN, REFERER, REFERRER_POLICY,
    SET_COOKIE, VARY,
};
use hyper::{Method, Request, Response, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::Config;

pub type Body = Full<Bytes>;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "schacc_session";
/// Lifetime of a session created by `/__emulator/login`.
pub const SESSION_TTL_SECS: u64 = 2 * 60 * 60;
/// How many requests the log keeps.
pub const MAX_LOGGED_REQUESTS: usize = 10_000;
const MAX_CONTROL_BODY: usize = 64 * 1024;
const MAX_FAULT_BODY_SIZE: usize = 16 * 1024 * 1024;
const MAX_FAULT_DELAY_MS: u64 = 10 * 60 * 1000;

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
pub struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an emulator fault")
    }
}

impl std::error::Error for DropConnection {}

struct Client {
    redirect_uris: Vec<String>,
    origins: HashSet<String>,
}

struct Session {
    seq: u64,
    user_id: u64,
    display_name: String,
    created_at: u64,
    expires_at: u64,
}

struct Token {
    access: String,
    /// Issued to the caller; it is revoked together with its access token
    /// (`revoked` covers both), and no endpoint accepts it.
    #[allow(dead_code)]
    refresh: String,
    user_id: u64,
    display_name: String,
    client_id: String,
    revoked: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Fault {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_size: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(default)]
    delay_ms: u64,
    #[serde(default)]
    drop: bool,
    #[serde(default)]
    no_cors: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    times: Option<u64>,
}

impl Fault {
    /// Whether the fault replaces the response (otherwise it only delays
    /// and/or strips CORS headers from the normal response).
    fn replaces_response(&self) -> bool {
        self.drop
            || self.status.is_some()
            || self.body.is_some()
            || self.body_size.is_some()
            || self.content_type.is_some()
    }

    fn validate(&self) -> Result<(), String> {
        if !self.path.starts_with('/') {
            return Err("path must start with /".into());
        }
        if self.path.starts_with("/__emulator/") {
            return Err("/__emulator/ paths cannot be faulted".into());
        }
        if let Some(s) = self.status {
            if !(200..=599).contains(&s) {
                return Err("status must be within 200..=599".into());
            }
        }
        if let Some(ct) = &self.content_type {
            if HeaderValue::from_str(ct).is_err() {
                return Err("contentType is not a valid header value".into());
            }
        }
        if self.body_size.is_some_and(|n| n > MAX_FAULT_BODY_SIZE) {
            return Err(format!("bodySize must be at most {MAX_FAULT_BODY_SIZE}"));
        }
        if self.delay_ms > MAX_FAULT_DELAY_MS {
            return Err(format!("delayMs must be at most {MAX_FAULT_DELAY_MS}"));
        }
        if self.times == Some(0) {
            return Err("times must be at least 1".into());
        }
        Ok(())
    }

    fn response(&self) -> Response<Body> {
        let body = match (self.body_size, &self.body) {
            (Some(n), _) => filler(n),
            (None, Some(b)) => b.clone().into_bytes(),
            (None, None) => b"{}".to_vec(),
        };
        let mut resp = Response::new(Full::new(Bytes::from(body)));
        *resp.status_mut() = self
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::OK);
        let ct = self
            .content_type
            .as_deref()
            .and_then(|c| HeaderValue::from_str(c).ok())
            .unwrap_or(HeaderValue::from_static("application/json"));
        resp.headers_mut().insert(CONTENT_TYPE, ct);
        resp.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp
    }
}

/// Exactly `n` bytes of `{"result":true,"pad":"xxx…"}` (truncated when `n` is tiny).
fn filler(n: usize) -> Vec<u8> {
    const HEAD: &[u8] = br#"{"result":true,"pad":""#;
    const TAIL: &[u8] = br#""}"#;
    let mut v = Vec::with_capacity(n.max(HEAD.len() + TAIL.len()));
    v.extend_from_slice(HEAD);
    v.resize(HEAD.len() + n.saturating_sub(HEAD.len() + TAIL.len()), b'x');
    v.extend_from_slice(TAIL);
    v.truncate(n);
    v
}

#[derive(Serialize)]
struct LogEntry {
    method: String,
    path: String,
    query: String,
    cookie: bool,
    authorization: bool,
    origin: Option<String>,
    referer: Option<String>,
    status: Option<u16>,
}

#[derive(Default)]
struct Store {
    next_seq: u64,
    sessions: HashMap<String, Session>,
    tokens: Vec<Token>,
    faults: Vec<Fault>,
    requests: VecDeque<LogEntry>,
}

impl Store {
    /// The live session of that id; expired sessions are removed.
    fn session(&mut self, id: &str, now: u64) -> Option<&Session> {
        if self.sessions.get(id).is_some_and(|s| s.expires_at <= now) {
            self.sessions.remove(id);
        }
        self.sessions.get(id)
    }

    fn token(&self, access: &str) -> Option<&Token> {
        self.tokens
            .iter()
            .find(|t| !t.revoked && !access.is_empty() && t.access == access)
    }

    /// Revoke a valid access token (and with it its refresh token).
    fn revoke(&mut self, access: &str) -> bool {
        match self
            .tokens
            .iter_mut()
            .find(|t| !t.revoked && !access.is_empty() && t.access == access)
        {
            Some(t) => {
                t.revoked = true;
                true
            }
            None => false,
        }
    }

    /// Consume one use of the fault for `path`, if any.
    fn take_fault(&mut self, path: &str) -> Option<Fault> {
        let idx = self.faults.iter().position(|f| f.path == path)?;
        let fault = self.faults[idx].clone();
        if let Some(n) = self.faults[idx].times.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.faults.remove(idx);
            }
        }
        Some(fault)
    }
}

/// What the public (logged) handlers need from a request.
struct Info {
    method: Method,
    path: String,
    query: Option<String>,
    cookie: Option<String>,
    authorization: Option<String>,
    origin: Option<String>,
    referer: Option<String>,
}

impl Info {
    fn new<B>(req: &Request<B>) -> Info {
        let header = |name: HeaderName| {
            req.headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        Info {
            method: req.method().clone(),
            path: req.uri().path().to_string(),
            query: req.uri().query().map(str::to_string),
            cookie: session_cookie(req.headers()),
            authorization: header(AUTHORIZATION),
            origin: header(ORIGIN),
            referer: header(REFERER),
        }
    }

    fn params(&self) -> Result<Vec<(String, String)>, ()> {
        parse_query(self.query.as_deref())
    }

    fn bearer(&self) -> Option<&str> {
        let auth = self.authorization.as_deref()?.trim();
        let (scheme, token) = auth.split_once(' ')?;
        if scheme.eq_ignore_ascii_case("bearer") {
            Some(token.trim()).filter(|t| !t.is_empty())
        } else {
            None
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    HasSession,
    LogoutJson,
    LogoutPage,
    ApiLogout,
    ApiMe,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CorsKind {
    Ajax,
    Api,
    None,
}

fn route_of(path: &str) -> Option<Route> {
    match path {
        "/ajax/hasSession.json" => Some(Route::HasSession),
        "/ajax/logout.json" => Some(Route::LogoutJson),
        "/logout" => Some(Route::LogoutPage),
        "/api/2/logout" => Some(Route::ApiLogout),
        "/api/2/me" => Some(Route::ApiMe),
        _ => None,
    }
}

fn cors_kind(path: &str) -> CorsKind {
    if path.starts_with("/ajax/") {
        CorsKind::Ajax
    } else if path.starts_with("/api/") {
        CorsKind::Api
    } else {
        CorsKind::None
    }
}

pub struct App {
    clients: HashMap<String, Client>,
    all_origins: HashSet<String>,
    base_domain: String,
    log_requests: bool,
    store: Mutex<Store>,
}

impl App {
    pub fn new(config: &Config) -> App {
        let mut clients = HashMap::new();
        let mut all_origins = HashSet::new();
        for c in &config.clients {
            let origins: HashSet<String> = c
                .redirect_uris
                .iter()
                .filter_map(|u| origin_of(u))
                .collect();
            all_origins.extend(origins.iter().cloned());
            clients.insert(
                c.id.clone(),
                Client {
                    redirect_uris: c.redirect_uris.clone(),
                    origins,
                },
            );
        }
        App {
            clients,
            all_origins,
            base_domain: config.base_domain.clone(),
            log_requests: config.log_requests,
            store: Mutex::new(Store::default()),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub async fn handle(&self, req: Request<Incoming>) -> Result<Response<Body>, DropConnection> {
        let path = req.uri().path();
        if path == "/__emulator" || path.starts_with("/__emulator/") {
            return Ok(self.controls(req).await);
        }
        let info = Info::new(&req);
        drop(req);
        let result = self.public(&info).await;
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        if self.log_requests {
            let q = info
                .query
                .as_deref()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            match status {
                Some(s) => eprintln!("{} {}{} -> {s}", info.method, info.path, q),
                None => eprintln!("{} {}{} -> dropped (fault)", info.method, info.path, q),
            }
        }
        let entry = LogEntry {
            method: info.method.to_string(),
            path: info.path,
            query: info.query.unwrap_or_default(),
            cookie: info.cookie.is_some(),
            authorization: info.authorization.is_some(),
            origin: info.origin,
            referer: info.referer,
            status,
        };
        let mut store = self.store();
        if store.requests.len() >= MAX_LOGGED_REQUESTS {
            store.requests.pop_front();
        }
        store.requests.push_back(entry);
        result
    }

    async fn public(&self, info: &Info) -> Result<Response<Body>, DropConnection> {
        let route = route_of(&info.path);
        let kind = cors_kind(&info.path);

        if info.method == Method::OPTIONS {
            let mut resp = match (route, kind) {
                (Some(_), CorsKind::Ajax | CorsKind::Api) => {
                    let mut r = empty(StatusCode::NO_CONTENT);
                    if self.allowed_origin(info, kind).is_some() {
                        allow_preflight(&mut r, "GET, OPTIONS", "Authorization");
                    }
                    r
                }
                (Some(_), CorsKind::None) => method_not_allowed(),
                (None, _) => not_found(),
            };
            self.apply_cors(info, kind, &mut resp);
            return Ok(resp);
        }

        let fault = self.store().take_fault(&info.path);
        let mut no_cors = false;
        let mut resp = None;
        if let Some(fault) = fault {
            if fault.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            }
            if fault.drop {
                return Err(DropConnection);
            }
            no_cors = fault.no_cors;
            if fault.replaces_response() {
                resp = Some(fault.response());
            }
        }
        let mut resp = match resp {
            Some(r) => r,
            None => match route {
                None => not_found(),
                Some(_) if info.method != Method::GET => method_not_allowed(),
                Some(Route::HasSession) => self.has_session(info),
                Some(Route::LogoutJson) => self.logout_json(info),
                Some(Route::LogoutPage) => self.logout_page(info),
                Some(Route::ApiLogout) => self.api_logout(info),
                Some(Route::ApiMe) => self.api_me(info),
            },
        };
        if !no_cors {
            self.apply_cors(info, kind, &mut resp);
        }
        Ok(resp)
    }

    fn allowed_origin<'a>(&self, info: &'a Info, kind: CorsKind) -> Option<&'a str> {
        let origin = info.origin.as_deref()?;
        let allowed = match kind {
            CorsKind::None => false,
            CorsKind::Api => self.all_origins.contains(origin),
            CorsKind::Ajax => {
                let params = info.params().ok()?;
                let id = param(&params, "client_id")?;
                self.clients
                    .get(id)
                    .is_some_and(|c| c.origins.contains(origin))
            }
        };
        allowed.then_some(origin)
    }

    fn apply_cors(&self, info: &Info, kind: CorsKind, resp: &mut Response<Body>) {
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

    /// Parses the query and checks `client_id` for `/ajax/*`; the error
    /// response when either is bad.
    fn ajax_client_error(&self, info: &Info) -> Option<Response<Body>> {
        let Ok(params) = info.params() else {
            return Some(malformed_query_json());
        };
        match param(&params, "client_id") {
            Some(id) if self.clients.contains_key(id) => None,
            _ => Some(json_resp(
                StatusCode::BAD_REQUEST,
                json!({"error":{"code":400,"type":"ApiException","description":"Unknown client_id"}}),
            )),
        }
    }

    fn has_session(&self, info: &Info) -> Response<Body> {
        if let Some(resp) = self.ajax_client_error(info) {
            return resp;
        }
        let now = now();
        let mut store = self.store();
        let session = info.cookie.as_deref().and_then(|id| store.session(id, now));
        match session {
            Some(s) => json_resp(
                StatusCode::OK,
                json!({
                    "result": true,
                    "userId": s.user_id,
                    "userStatus": "connected",
                    "expiresIn": s.expires_at.saturating_sub(now),
                    "baseDomain": self.base_domain,
                    "serverTime": now,
                    "displayName": s.display_name,
                }),
            ),
            None => json_resp(
                StatusCode::UNAUTHORIZED,
                json!({
                    "result": false,
                    "userStatus": "notConnected",
                    "error": {"code": 401, "type": "UserException", "description": "No session found"},
                }),
            ),
        }
    }

    fn logout_json(&self, info: &Info) -> Response<Body> {
        if let Some(resp) = self.ajax_client_error(info) {
            return resp;
        }
        let now = now();
        let mut store = self.store();
        let found = match info.cookie.as_deref() {
            Some(id) => store.session(id, now).is_some() && store.sessions.remove(id).is_some(),
            None => false,
        };
        drop(store);
        if found {
            let mut resp = json_resp(
                StatusCode::OK,
                json!({"result": true, "userStatus": "notConnected", "serverTime": now}),
            );
            resp.headers_mut().append(SET_COOKIE, expired_cookie());
            resp
        } else {
            json_resp(
                StatusCode::OK,
                json!({"result": false, "userStatus": "notConnected", "reason": "no_session"}),
            )
        }
    }

    fn logout_page(&self, info: &Info) -> Response<Body> {
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
            store.revoke(token);
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
                    Ok(location) => {
                        let mut r = empty(StatusCode::FOUND);
                        r.headers_mut().insert(LOCATION, location);
                        r.headers_mut()
                            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
                        r
                    }
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

    /// The bearer token, else `?oauth_token=`; `Err` for a malformed query.
    fn api_token(&self, info: &Info) -> Result<Option<String>, ()> {
        if let Some(t) = info.bearer() {
            return Ok(Some(t.to_string()));
        }
        let params = info.params()?;
        Ok(param(&params, "oauth_token").map(str::to_string))
    }

    fn api_logout(&self, info: &Info) -> Response<Body> {
        let Ok(token) = self.api_token(info) else {
            return malformed_query_json();
        };
        let revoked = token.is_some_and(|t| self.store().revoke(&t));
        if revoked {
            json_resp(StatusCode::OK, json!({"code": 200, "data": "OK"}))
        } else {
            invalid_token()
        }
    }

    fn api_me(&self, info: &Info) -> Response<Body> {
        let Ok(token) = self.api_token(info) else {
            return malformed_query_json();
        };
        let store = self.store();
        match token.as_deref().and_then(|t| store.token(t)) {
            Some(t) => json_resp(
                StatusCode::OK,
                json!({"data": {"userId": t.user_id, "displayName": t.display_name}}),
            ),
            None => invalid_token(),
        }
    }

    // ---- /__emulator/ controls -------------------------------------------------

    async fn controls(&self, req: Request<Incoming>) -> Response<Body> {
        let mut resp = self.controls_inner(req).await;
        resp.headers_mut()
            .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        resp
    }

    async fn controls_inner(&self, req: Request<Incoming>) -> Response<Body> {
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        let cookie = session_cookie(req.headers());
        let Ok(params) = parse_query(req.uri().query()) else {
            return malformed_query_json();
        };
        if method == Method::OPTIONS {
            let mut r = empty(StatusCode::NO_CONTENT);
            allow_preflight(&mut r, "GET, POST, DELETE, OPTIONS", "Content-Type");
            return r;
        }
        match (path.as_str(), &method) {
            ("/__emulator/login", &Method::GET) => self.ctl_login(&params, cookie.as_deref()),
            ("/__emulator/token", &Method::GET | &Method::POST) => self.ctl_token(&params),
            ("/__emulator/state", &Method::GET) => self.ctl_state(),
            ("/__emulator/fault", &Method::POST) => {
                let body = match Limited::new(req.into_body(), MAX_CONTROL_BODY)
                    .collect()
                    .await
                {
                    Ok(b) => b.to_bytes(),
                    Err(_) => return bad_request_json("Body missing or too large"),
                };
                self.ctl_add_fault(&body)
            }
            ("/__emulator/fault", &Method::DELETE) => {
                self.store().faults.clear();
                json_resp(StatusCode::OK, json!({"ok": true}))
            }
            ("/__emulator/reset", &Method::POST) => {
                let mut store = self.store();
                store.sessions.clear();
                store.tokens.clear();
                store.faults.clear();
                store.requests.clear();
                json_resp(StatusCode::OK, json!({"ok": true}))
            }
            (
                "/__emulator/login" | "/__emulator/token" | "/__emulator/state"
                | "/__emulator/fault" | "/__emulator/reset",
                _,
            ) => method_not_allowed(),
            _ => not_found(),
        }
    }

    fn ctl_login(&self, params: &[(String, String)], old_cookie: Option<&str>) -> Response<Body> {
        let user_id = match param(params, "user_id").map(str::parse::<u64>) {
            None => 1001,
            Some(Ok(n)) => n,
            Some(Err(_)) => return bad_request_json("user_id must be a non-negative integer"),
        };
        let display_name = param(params, "display_name")
            .map(str::to_string)
            .unwrap_or_else(|| format!("Test User {user_id}"));
        let location = match param(params, "return_to").map(HeaderValue::from_str) {
            None => None,
            Some(Ok(v)) => Some(v),
            Some(Err(_)) => return bad_request_json("return_to is not a usable URL"),
        };
        let Some(id) = random_hex(16) else {
            return server_error_json();
        };
        let Ok(cookie) = HeaderValue::from_str(&format!(
            "{COOKIE_NAME}={id}; HttpOnly; Secure; SameSite=None; Path=/"
        )) else {
            return server_error_json();
        };
        let now = now();
        {
            let mut store = self.store();
            if let Some(old) = old_cookie {
                store.sessions.remove(old);
            }
            store.next_seq += 1;
            let seq = store.next_seq;
            store.sessions.insert(
                id,
                Session {
                    seq,
                    user_id,
                    display_name: display_name.clone(),
                    created_at: now,
                    expires_at: now + SESSION_TTL_SECS,
                },
            );
        }
        let mut resp = if param(params, "format") == Some("json") {
            json_resp(
                StatusCode::OK,
                json!({"userId": user_id, "displayName": display_name, "expiresIn": SESSION_TTL_SECS}),
            )
        } else if let Some(location) = location {
            let mut r = empty(StatusCode::FOUND);
            r.headers_mut().insert(LOCATION, location);
            r.headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        } else {
            html(
                StatusCode::OK,
                "Logged in",
                &format!(
                    "<p>Logged in as {} (user {user_id}).</p>",
                    escape_html(&display_name)
                ),
            )
        };
        resp.headers_mut().append(SET_COOKIE, cookie);
        resp
    }

    fn ctl_token(&self, params: &[(String, String)]) -> Response<Body> {
        let user_id = match param(params, "user_id").map(str::parse::<u64>) {
            None => 1001,
            Some(Ok(n)) => n,
            Some(Err(_)) => return bad_request_json("user_id must be a non-negative integer"),
        };
        let client_id = match param(params, "client_id") {
            Some(c) if self.clients.contains_key(c) => c.to_string(),
            _ => return bad_request_json("Unknown client_id"),
        };
        let display_name = param(params, "display_name")
            .map(str::to_string)
            .unwrap_or_else(|| format!("Test User {user_id}"));
        let (Some(access), Some(refresh)) = (random_hex(32), random_hex(32)) else {
            return server_error_json();
        };
        self.store().tokens.push(Token {
            access: access.clone(),
            refresh: refresh.clone(),
            user_id,
            display_name,
            client_id: client_id.clone(),
            revoked: false,
        });
        json_resp(
            StatusCode::OK,
            json!({"access_token": access, "refresh_token": refresh, "userId": user_id, "clientId": client_id}),
        )
    }

    fn ctl_state(&self) -> Response<Body> {
        let now = now();
        let mut store = self.store();
        store.sessions.retain(|_, s| s.expires_at > now);
        let mut sessions: Vec<&Session> = store.sessions.values().collect();
        sessions.sort_by_key(|s| s.seq);
        let sessions: Vec<Value> = sessions
            .iter()
            .map(|s| {
                json!({"userId": s.user_id, "displayName": s.display_name, "createdAt": s.created_at, "expiresAt": s.expires_at})
            })
            .collect();
        let tokens: Vec<Value> = store
            .tokens
            .iter()
            .map(|t| json!({"userId": t.user_id, "clientId": t.client_id, "revoked": t.revoked}))
            .collect();
        let body = json!({
            "sessions": sessions,
            "tokens": tokens,
            "faults": store.faults,
            "requests": store.requests,
        });
        drop(store);
        json_resp(StatusCode::OK, body)
    }

    fn ctl_add_fault(&self, body: &[u8]) -> Response<Body> {
        let fault: Fault = match serde_json::from_slice(body) {
            Ok(f) => f,
            Err(e) => return bad_request_json(&format!("Invalid fault: {e}")),
        };
        if let Err(msg) = fault.validate() {
            return bad_request_json(&format!("Invalid fault: {msg}"));
        }
        let echo = serde_json::to_value(&fault).unwrap_or(Value::Null);
        let mut store = self.store();
        store.faults.retain(|f| f.path != fault.path);
        store.faults.push(fault);
        drop(store);
        json_resp(StatusCode::OK, json!({"ok": true, "fault": echo}))
    }
}

// ---- helpers ---------------------------------------------------------------------

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `n` random bytes from the OS CSPRNG, as lowercase hex.
fn random_hex(n: usize) -> Option<String> {
    let mut buf = vec![0u8; n];
    getrandom::getrandom(&mut buf).ok()?;
    Some(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// The value of the `schacc_session` cookie, if the request carries one.
fn session_cookie(headers: &hyper::HeaderMap) -> Option<String> {
    for value in headers.get_all(COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((name, v)) = pair.trim().split_once('=') {
                if name.trim() == COOKIE_NAME {
                    return Some(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    None
}

/// Strict `application/x-www-form-urlencoded` query parsing: `+` is a space,
/// a `%` must be followed by two hex digits, and the result must be UTF-8.
fn parse_query(query: Option<&str>) -> Result<Vec<(String, String)>, ()> {
    let Some(query) = query else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

fn decode(s: &str) -> Result<String, ()> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| hex_val(*b)).ok_or(())?;
                let lo = bytes.get(i + 2).and_then(|b| hex_val(*b)).ok_or(())?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ())
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// First value of a query parameter.
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The origin (`scheme://host[:port]`, lowercase, default port omitted) of a URL.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.is_empty() {
        return None;
    }
    let mut host_port = host_port.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => "",
    };
    if !default_port.is_empty() && host_port.ends_with(default_port) {
        host_port.truncate(host_port.len() - default_port.len());
    }
    Some(format!("{scheme}://{host_port}"))
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn expired_cookie() -> HeaderValue {
    HeaderValue::from_static("schacc_session=; Max-Age=0; HttpOnly; Secure; SameSite=None; Path=/")
}

fn empty(status: StatusCode) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::new()));
    *r.status_mut() = status;
    r
}

fn json_resp(status: StatusCode, v: Value) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from(v.to_string())));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn html(status: StatusCode, title: &str, body: &str) -> Response<Body> {
    let page = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{t} - SchAcc emulator</title></head>\n<body><h1>{t}</h1>\n{body}\n</body></html>\n",
        t = escape_html(title)
    );
    let mut r = Response::new(Full::new(Bytes::from(page)));
    *r.status_mut() = status;
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn error_json(status: StatusCode, kind: &str, description: &str) -> Response<Body> {
    json_resp(
        status,
        json!({"error": {"code": status.as_u16(), "type": kind, "description": description}}),
    )
}

fn bad_request_json(description: &str) -> Response<Body> {
    error_json(StatusCode::BAD_REQUEST, "ApiException", description)
}

fn malformed_query_json() -> Response<Body> {
    bad_request_json("Malformed query string")
}

fn server_error_json() -> Response<Body> {
    error_json(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ServerException",
        "Random number generator failed",
    )
}

fn invalid_token() -> Response<Body> {
    error_json(
        StatusCode::UNAUTHORIZED,
        "OAuthException",
        "Invalid or revoked token",
    )
}

fn not_found() -> Response<Body> {
    error_json(
        StatusCode::NOT_FOUND,
        "NotFoundException",
        "No such endpoint",
    )
}

fn method_not_allowed() -> Response<Body> {
    error_json(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowedException",
        "Method not allowed",
    )
}

/// The headers that let a preflighted request through (cached for 10 minutes).
fn allow_preflight(response: &mut Response<Body>, methods: &'static str, headers: &'static str) {
    let h = response.headers_mut();
    h.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
    );
    h.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(headers),
    );
    h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("HTTPS://Example.COM:443/x?y#z").as_deref(),
            Some("https://example.com")
        );
        assert_eq!(
            origin_of("http://a.test:80").as_deref(),
            Some("http://a.test")
        );
        assert_eq!(
            origin_of("http://u:p@a.test:81/").as_deref(),
            Some("http://a.test:81")
        );
        assert_eq!(origin_of("nonsense"), None);
    }

    #[test]
    fn query_decoding() {
        assert_eq!(
            parse_query(Some("a=1&b=x%2Fy+z&c&&d=%C3%A9")).unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x/y z".into()),
                ("c".into(), "".into()),
                ("d".into(), "é".into())
            ]
        );
        assert!(parse_query(Some("a=%zz")).is_err());
        assert!(parse_query(Some("a=%4")).is_err());
        assert!(parse_query(Some("a=%ff")).is_err());
    }

    #[test]
    fn filler_sizes() {
        for n in [0, 1, 5, 23, 24, 25, 100, 4096] {
            let f = filler(n);
            assert_eq!(f.len(), n);
        }
        assert_eq!(filler(26), br#"{"result":true,"pad":"xx"}"#.to_vec());
    }
}
