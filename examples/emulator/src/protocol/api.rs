//! `GET /api/2/logout` and `GET /api/2/me`: the OAuth token endpoints.

use hyper::{Response, StatusCode};
use serde_json::json;

use crate::app::App;
use crate::request::{param, Info};
use crate::response::{invalid_token, json_resp, malformed_query_json, Body};
use crate::store::now;

impl App {
    /// The bearer token, else `?oauth_token=`; `Err` for a malformed query.
    fn api_token(&self, info: &Info) -> Result<Option<String>, ()> {
        if let Some(t) = info.bearer() {
            return Ok(Some(t.to_string()));
        }
        let params = info.params()?;
        Ok(param(&params, "oauth_token").map(str::to_string))
    }

    pub(crate) fn api_logout(&self, info: &Info) -> Response<Body> {
        let Ok(token) = self.api_token(info) else {
            return malformed_query_json();
        };
        let revoked = token.is_some_and(|t| self.store().revoke(&t, now()));
        if revoked {
            json_resp(StatusCode::OK, json!({"code": 200, "data": "OK"}))
        } else {
            invalid_token()
        }
    }

    pub(crate) fn api_me(&self, info: &Info) -> Response<Body> {
        let Ok(token) = self.api_token(info) else {
            return malformed_query_json();
        };
        let store = self.store();
        match token.as_deref().and_then(|t| store.token(t, now())) {
            Some(t) => json_resp(
                StatusCode::OK,
                json!({"data": {"userId": t.user_id, "displayName": t.display_name}}),
            ),
            None => invalid_token(),
        }
    }
}
