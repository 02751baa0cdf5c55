//! The site's first-party session service (`--session-listen`):
//! `GET /v2/session` and `POST /v2/logout`. Its session is SchAcc's session
//! (one id in the shared store): ending it through either door ends it.

use hyper::{Response, StatusCode};
use serde_json::json;

use crate::app::App;
use crate::protocol::ajax::no_session;
use crate::renewal::Renewal;
use crate::request::Info;
use crate::response::{expired_site_cookie, json_resp, Body};
use crate::store::now;

impl App {
    /// `GET /v2/session?client_id=C` (or `{path}/session`, or `client_sdrn`):
    /// a pending renewal's `{"redirectURL": URL}`, else the `hasSession.json`
    /// answer when logged in. Logged out: this project's
    /// `200 {"result":false,"userStatus":"notConnected"}` where `client_id`
    /// names the client (this SDK's request), the official service's `401`
    /// `UserException` (as `hasSession.json`'s) where only `client_sdrn` does
    /// (account-sdk-browser's, which reads any `result` as logged in).
    pub(crate) fn v2_session(&self, info: &Info) -> Response<Body> {
        if let Some(resp) = self.ajax_client_error(info) {
            return resp;
        }
        let now = now();
        let mut store = self.store();
        if let Some(to) = Renewal::take(&mut store.session_renewal) {
            return json_resp(StatusCode::OK, json!({"redirectURL": to}));
        }
        match info.cookie.as_deref().and_then(|id| store.session(id, now)) {
            Some(s) => json_resp(StatusCode::OK, self.session_json(s, now)),
            None if self.names_client_id(info) => json_resp(
                StatusCode::OK,
                json!({"result": false, "userStatus": "notConnected"}),
            ),
            None => no_session(),
        }
    }

    /// `POST /v2/logout?client_id=C`: exactly `/ajax/logout.json`, expiring
    /// the site cookie instead of SchAcc's.
    pub(crate) fn v2_logout(&self, info: &Info) -> Response<Body> {
        self.logout_with_cookie(info, expired_site_cookie(self.doors.https))
    }
}
