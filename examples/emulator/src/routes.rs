//! Routing of the protocol endpoints (everything outside `/__emulator/`):
//! preflights, faults, then the handler of the path.

use std::time::Duration;

use hyper::{Method, Response, StatusCode};

use crate::app::{App, DropConnection};
use crate::cors::{cors_kind, CorsKind};
use crate::request::Info;
use crate::response::{allow_preflight, empty, method_not_allowed, not_found, Body};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    HasSession,
    LogoutJson,
    LogoutPage,
    ApiLogout,
    ApiMe,
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

impl App {
    pub(crate) async fn public(&self, info: &Info) -> Result<Response<Body>, DropConnection> {
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
        if let Some(fault) = &fault {
            fault.add_headers(&mut resp);
        }
        Ok(resp)
    }
}
