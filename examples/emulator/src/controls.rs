//! The `/__emulator/` dev controls: log in (`crate::dev_login`), mint tokens, read the state,
//! set and clear faults, ask for session renewals (`crate::renewal`), reset. Not logged,
//! never faulted, `ACAO: *`.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};

use crate::app::{App, Door};
use crate::dev_login::Asked;
use crate::faults::Fault;
use crate::redact::redact;
use crate::request::{param, parse_query};
use crate::response::{
    allow_preflight, bad_request_json, empty, error_json, json_resp, malformed_query_json,
    method_not_allowed, not_found, server_error_json, Body,
};
use crate::store::{now, random_hex, Token, TOKEN_TTL_SECS};

const MAX_CONTROL_BODY: usize = 64 * 1024;

impl App {
    pub(crate) async fn controls(
        &self,
        req: Request<Incoming>,
        peer: SocketAddr,
    ) -> Response<Body> {
        if req.uri().path() == "/__emulator/token-status" {
            // Answers whether a token is live: loopback callers only, and no
            // CORS header at all, so no web page can read it.
            return self.ctl_token_status(&req, peer);
        }
        let mut resp = self.controls_inner(req).await;
        resp.headers_mut()
            .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        resp
    }

    async fn controls_inner(&self, req: Request<Incoming>) -> Response<Body> {
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        let Ok(params) = parse_query(req.uri().query()) else {
            return malformed_query_json();
        };
        if method == Method::OPTIONS {
            let mut r = empty(StatusCode::NO_CONTENT);
            allow_preflight(&mut r, "GET, POST, DELETE, OPTIONS", "Content-Type");
            return r;
        }
        let asked = Asked::new(Door::SchAcc, &params, req.headers());
        if let Some(resp) = self.dev_login(&method, &path, &asked) {
            return resp;
        }
        match (path.as_str(), &method) {
            ("/__emulator/renew", &Method::GET) => return self.renew(&asked),
            ("/__emulator/renew", _) => return method_not_allowed(),
            _ => {}
        }
        // A browser names the page behind every POST and DELETE (`Origin`): a form or a fetch of another site
        // may not reset the emulator (ending every session), inject faults or mint tokens. Callers without a
        // page (the tests, curl) send none.
        if method != Method::GET
            && asked.header(ORIGIN).is_some()
            && !self.login_origin_allowed(&asked)
        {
            return error_json(
                StatusCode::FORBIDDEN,
                "ApiException",
                "A dev control is changed from this emulator's own page, a registered redirect URI's origin, or without a page",
            );
        }
        match (path.as_str(), &method) {
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
                self.store().reset();
                json_resp(StatusCode::OK, json!({"ok": true}))
            }
            ("/__emulator/session-renewal", &Method::POST) => self.ctl_session_renewal(&params),
            ("/__emulator/session-renewal", &Method::DELETE) => {
                self.store().session_renewal = None;
                json_resp(StatusCode::OK, json!({"ok": true}))
            }
            (
                "/__emulator/token"
                | "/__emulator/state"
                | "/__emulator/fault"
                | "/__emulator/reset"
                | "/__emulator/session-renewal",
                _,
            ) => method_not_allowed(),
            _ => not_found(),
        }
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
        let now = now();
        let token = Token {
            access: access.clone(),
            refresh: refresh.clone(),
            user_id,
            display_name,
            client_id: client_id.clone(),
            revoked: false,
            expires_at: now + TOKEN_TTL_SECS,
        };
        self.store().insert_token(token, now);
        json_resp(
            StatusCode::OK,
            json!({"access_token": access, "refresh_token": refresh, "userId": user_id, "clientId": client_id}),
        )
    }

    fn ctl_token_status(&self, req: &Request<Incoming>, peer: SocketAddr) -> Response<Body> {
        if !is_loopback(peer) {
            return error_json(
                StatusCode::FORBIDDEN,
                "ApiException",
                "token-status answers loopback callers only",
            );
        }
        match *req.method() {
            Method::GET => {}
            Method::OPTIONS => return empty(StatusCode::NO_CONTENT),
            _ => return method_not_allowed(),
        }
        let Ok(params) = parse_query(req.uri().query()) else {
            return malformed_query_json();
        };
        let Some(token) = param(&params, "token").filter(|t| !t.is_empty()) else {
            return bad_request_json("token is required");
        };
        let active = self.store().token_status(token, now()).unwrap_or(false);
        json_resp(StatusCode::OK, json!({"active": active}))
    }

    fn ctl_state(&self) -> Response<Body> {
        let now = now();
        let mut store = self.store();
        store.tokens.retain(|t| t.expires_at > now);
        let sessions: Vec<Value> = store
            .live_sessions(now)
            .iter()
            .map(|(id, s)| {
                json!({"id": redact(id), "userId": s.user_id, "displayName": s.display_name, "createdAt": s.created_at, "expiresAt": s.expires_at})
            })
            .collect();
        let tokens: Vec<Value> = store
            .tokens
            .iter()
            .map(|t| {
                json!({
                    "accessToken": redact(&t.access),
                    "refreshToken": redact(&t.refresh),
                    "userId": t.user_id,
                    "clientId": t.client_id,
                    "revoked": t.revoked,
                    "expiresAt": t.expires_at,
                })
            })
            .collect();
        let body = json!({
            "sessions": sessions,
            "tokens": tokens,
            "faults": store.faults.iter().map(Fault::summary).collect::<Vec<_>>(),
            "sessionRenewals": store.session_renewal.as_ref().map_or(0, |r| r.times),
            "renewalsDone": store.renewals_done,
            "authorizationCodes": store.authorization_codes,
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
        if let Err(msg) = self.store().add_fault(fault) {
            return bad_request_json(&format!("Invalid fault: {msg}"));
        }
        json_resp(StatusCode::OK, json!({"ok": true, "fault": echo}))
    }
}

/// Loopback, also as an IPv4-mapped IPv6 address.
fn is_loopback(peer: SocketAddr) -> bool {
    peer.ip().to_canonical().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_peers() {
        for (addr, expected) in [
            ("127.0.0.1:1", true),
            ("127.9.8.7:1", true),
            ("[::1]:1", true),
            ("[::ffff:127.0.0.1]:1", true),
            ("192.0.2.1:1", false),
            ("[2001:db8::1]:1", false),
            ("[::ffff:192.0.2.1]:1", false),
        ] {
            let peer: SocketAddr = addr.parse().unwrap();
            assert_eq!(is_loopback(peer), expected, "{addr}");
        }
    }
}
