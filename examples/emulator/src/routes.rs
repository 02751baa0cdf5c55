//! Routing of the protocol endpoints (everything outside `/__emulator/`) of
//! both doors: preflights, faults, then the handler of the path.

use std::time::Duration;

use hyper::{Method, Response, StatusCode};

use crate::app::{App, Door, DropConnection};
use crate::cors::{cors_kind, CorsKind};
use crate::protocol::ajax::Asset;
use crate::protocol::authorize::AUTHORIZE_PATH;
use crate::request::Info;
use crate::response::{allow_preflight, empty, method_not_allowed, not_found, Body};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    HasSession,
    LogoutJson,
    /// SPiD 2.x: `/ajax/hasproduct.json`, `/ajax/hassubscription.json`.
    HasAsset(Asset),
    AcceptAgreement,
    /// `GET /logout` of SchAcc; on the session service `GET {path}/logout`
    /// (any path ending in `/logout` but `/v2/logout`).
    LogoutPage,
    ApiLogout,
    ApiMe,
    /// Session service: `GET /v2/session`, or any path ending in `/session`
    /// (account-sdk-browser's `{sessionDomain}/session`).
    V2Session,
    /// Session service: `POST /v2/logout`.
    V2Logout,
    /// Session service: `GET /v2/refresh`, or any path ending in `/refresh`.
    Refresh,
    /// SchAcc's login door: `GET /oauth/authorize` shows the login page,
    /// `POST` logs in and sends the browser back with a code.
    Authorize,
}

impl Route {
    fn allows(self, method: &Method) -> bool {
        match self {
            Route::V2Logout => method == Method::POST,
            Route::Authorize => method == Method::GET || method == Method::POST,
            _ => method == Method::GET,
        }
    }
}

fn route_of(path: &str, door: Door) -> Option<Route> {
    match (door, path) {
        (Door::SchAcc, "/ajax/hasSession.json") => Some(Route::HasSession),
        (Door::SchAcc, "/ajax/logout.json") => Some(Route::LogoutJson),
        (Door::SchAcc, "/ajax/hasproduct.json") => Some(Route::HasAsset(Asset::Product)),
        (Door::SchAcc, "/ajax/hassubscription.json") => Some(Route::HasAsset(Asset::Subscription)),
        (Door::SchAcc, "/ajax/acceptAgreement.json") => Some(Route::AcceptAgreement),
        (Door::SchAcc, "/logout") => Some(Route::LogoutPage),
        (Door::SchAcc, "/api/2/logout") => Some(Route::ApiLogout),
        (Door::SchAcc, "/api/2/me") => Some(Route::ApiMe),
        (Door::SchAcc, AUTHORIZE_PATH) => Some(Route::Authorize),
        (Door::Session, "/v2/logout") => Some(Route::V2Logout),
        (Door::Session, p) if p.ends_with("/session") => Some(Route::V2Session),
        (Door::Session, p) if p.ends_with("/logout") => Some(Route::LogoutPage),
        (Door::Session, p) if p.ends_with("/refresh") => Some(Route::Refresh),
        _ => None,
    }
}

impl App {
    pub(crate) async fn public(
        &self,
        info: &Info,
        door: Door,
    ) -> Result<Response<Body>, DropConnection> {
        let route = route_of(&info.path, door);
        let kind = cors_kind(&info.path, door);

        if info.method == Method::OPTIONS {
            let mut resp = match (route, kind) {
                (Some(_), CorsKind::Ajax | CorsKind::Api) => {
                    let mut r = empty(StatusCode::NO_CONTENT);
                    if self.allowed_origin(info, kind).is_some() {
                        match door {
                            Door::SchAcc => {
                                allow_preflight(&mut r, "GET, OPTIONS", "Authorization")
                            }
                            Door::Session => allow_preflight(&mut r, "GET, POST", "Content-Type"),
                        }
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
        if let Some(fault) = &fault {
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
                Some(r) if !r.allows(&info.method) => method_not_allowed(),
                Some(Route::HasSession) => self.has_session(info),
                Some(Route::LogoutJson) => self.logout_json(info),
                Some(Route::HasAsset(asset)) => self.has_asset(info, asset),
                Some(Route::AcceptAgreement) => self.accept_agreement(info),
                Some(Route::LogoutPage) => self.logout_page(info),
                Some(Route::ApiLogout) => self.api_logout(info),
                Some(Route::ApiMe) => self.api_me(info),
                Some(Route::V2Session) => self.v2_session(info),
                Some(Route::V2Logout) => self.v2_logout(info),
                Some(Route::Refresh) => self.refresh(info),
                Some(Route::Authorize) if info.method == Method::GET => self.authorize_page(info),
                Some(Route::Authorize) => self.authorize(info),
            },
        };
        if !no_cors {
            self.apply_cors(info, kind, &mut resp);
        }
        if let Some(fault) = &fault {
            fault.add_headers(&mut resp);
        }
        Ok(resp)
    }
}
