//! `GET /ajax/hasSession.json` and `GET /ajax/logout.json`: the JS SDK's
//! credentialed fetches.

use hyper::header::{HeaderValue, SET_COOKIE};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::app::App;
use crate::request::{param, Info};
use crate::response::{expired_cookie, json_resp, malformed_query_json, Body};
use crate::store::{now, Session};

impl App {
    /// Parses the query and checks `client_id` for `/ajax/*` (and the
    /// session service's `/v2/*`); the error response when either is bad.
    pub(crate) fn ajax_client_error(&self, info: &Info) -> Option<Response<Body>> {
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

    pub(crate) fn has_session(&self, info: &Info) -> Response<Body> {
        if let Some(resp) = self.ajax_client_error(info) {
            return resp;
        }
        let now = now();
        let mut store = self.store();
        let session = info.cookie.as_deref().and_then(|id| store.session(id, now));
        match session {
            Some(s) => json_resp(StatusCode::OK, self.session_json(s, now)),
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

    /// The logged-in answer of `hasSession.json` (and `/v2/session`).
    pub(crate) fn session_json(&self, s: &Session, now: u64) -> Value {
        json!({
            "result": true,
            "userId": s.user_id,
            "userStatus": "connected",
            "expiresIn": s.expires_at.saturating_sub(now),
            "baseDomain": self.base_domain,
            "serverTime": now,
            "displayName": s.display_name,
        })
    }

    pub(crate) fn logout_json(&self, info: &Info) -> Response<Body> {
        self.logout_with_cookie(info, expired_cookie())
    }

    /// `/ajax/logout.json` (and `/v2/logout`): deletes the session of the
    /// request's cookie; `expired` is the `Set-Cookie` sent when one was deleted.
    pub(crate) fn logout_with_cookie(&self, info: &Info, expired: HeaderValue) -> Response<Body> {
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
            resp.headers_mut().append(SET_COOKIE, expired);
            resp
        } else {
            json_resp(
                StatusCode::OK,
                json!({"result": false, "userStatus": "notConnected", "reason": "no_session"}),
            )
        }
    }
}
