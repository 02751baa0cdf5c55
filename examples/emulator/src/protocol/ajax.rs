//! `GET /ajax/hasSession.json` and `GET /ajax/logout.json`: the JS SDK's
//! credentialed fetches.

use hyper::header::SET_COOKIE;
use hyper::{Response, StatusCode};
use serde_json::json;

use crate::app::App;
use crate::request::{param, Info};
use crate::response::{expired_cookie, json_resp, malformed_query_json, Body};
use crate::store::now;

impl App {
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

    pub(crate) fn has_session(&self, info: &Info) -> Response<Body> {
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

    pub(crate) fn logout_json(&self, info: &Info) -> Response<Body> {
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
}
