//! The JS SDK's credentialed fetches: `GET /ajax/hasSession.json`,
//! `/ajax/logout.json`, and SPiD 2.x's `/ajax/hasproduct.json`,
//! `/ajax/hassubscription.json` and `/ajax/acceptAgreement.json`.

use hyper::header::{HeaderValue, SET_COOKIE};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::app::{App, Client, Door};
use crate::request::{param, sdrn_client, Info};
use crate::response::{bad_request_json, expired_cookie, json_resp, malformed_query_json, Body};
use crate::store::{now, user_uuid, Session};

/// Which of SPiD 2.x's questions about the logged-in user.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Asset {
    Product,
    Subscription,
}

impl App {
    /// Parses the query and checks its client (see [`App::query_client`])
    /// for `/ajax/*` and the session service; the error response when
    /// either is bad.
    pub(crate) fn ajax_client_error(&self, info: &Info) -> Option<Response<Body>> {
        let Ok(params) = info.params() else {
            return Some(malformed_query_json());
        };
        match self.query_client(&params, info.door) {
            Some(_) => None,
            None => Some(unknown_client()),
        }
    }

    /// Whether the query names its client by `client_id` (this SDK's
    /// requests) rather than by `client_sdrn` alone (account-sdk-browser's).
    pub(crate) fn names_client_id(&self, info: &Info) -> bool {
        info.params()
            .is_ok_and(|params| param(&params, "client_id").is_some())
    }

    /// The registered client a query names: by `client_id`; on the session
    /// service, when `client_id` is absent, by `client_sdrn`
    /// (`sdrn:<namespace>:client:<clientId>`, as account-sdk-browser sends it).
    pub(crate) fn query_client<'p>(
        &self,
        params: &'p [(String, String)],
        door: Door,
    ) -> Option<(&'p str, &Client)> {
        let id = match (param(params, "client_id"), door) {
            (Some(id), _) => id,
            (None, Door::Session) => sdrn_client(param(params, "client_sdrn")?)?,
            (None, Door::SchAcc) => return None,
        };
        self.clients.get(id).map(|c| (id, c))
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
            None => no_session(),
        }
    }

    /// `GET /ajax/hasproduct.json?client_id=C&product_id=P[&sp_id=S]` and
    /// `/ajax/hassubscription.json`: whether the cookie's user has product
    /// `P` (or a subscription to it). `sp_id` is accepted and ignored: the
    /// session is the cookie's.
    pub(crate) fn has_asset(&self, info: &Info, asset: Asset) -> Response<Body> {
        if let Some(resp) = self.ajax_client_error(info) {
            return resp;
        }
        let params = info.params().unwrap_or_default();
        let Some(product) = param(&params, "product_id").filter(|p| !p.is_empty()) else {
            return bad_request_json("Missing product_id");
        };
        let mut store = self.store();
        let Some(s) = info
            .cookie
            .as_deref()
            .and_then(|id| store.session(id, now()))
        else {
            return no_session();
        };
        let uuid = user_uuid(s.user_id);
        json_resp(
            StatusCode::OK,
            match asset {
                Asset::Product => json!({
                    "result": s.grants.has_product(product),
                    "productId": product,
                    "uuid": uuid,
                }),
                Asset::Subscription => {
                    let subscription = s.grants.subscription(product);
                    json!({
                        "result": subscription.is_some(),
                        "productId": product,
                        "subscriptionId": subscription,
                        "uuid": uuid,
                    })
                }
            },
        )
    }

    /// `GET /ajax/acceptAgreement.json?client_id=C`: the cookie's user
    /// accepts the terms; `{"result":true}`, or the `401` of no session.
    pub(crate) fn accept_agreement(&self, info: &Info) -> Response<Body> {
        if let Some(resp) = self.ajax_client_error(info) {
            return resp;
        }
        let mut store = self.store();
        match info
            .cookie
            .as_deref()
            .and_then(|id| store.session(id, now()))
        {
            Some(_) => json_resp(StatusCode::OK, json!({"result": true})),
            None => no_session(),
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
            "uuid": user_uuid(s.user_id),
            "sp_id": s.sp_id,
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

/// The `400` of a missing, empty or unregistered client.
pub(crate) fn unknown_client() -> Response<Body> {
    bad_request_json("Unknown client_id")
}

/// The `401` of every `/ajax/*` question asked without a session (and the
/// official session service's, `session_service.rs`).
pub(crate) fn no_session() -> Response<Body> {
    json_resp(
        StatusCode::UNAUTHORIZED,
        json!({
            "result": false,
            "userStatus": "notConnected",
            "error": {"code": 401, "type": "UserException", "description": "No session found"},
        }),
    )
}
