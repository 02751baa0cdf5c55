//! The session service's renewal, as the official client knows it: a
//! session request may answer `{"redirectURL": URL}` (the dev control
//! `POST /__emulator/session-renewal` makes the next N do so), and the
//! browser's top-level visit there renews the service's first-party
//! cookie. The emulator's target, `GET {path}/refresh`, bounces the browser
//! through SchAcc's `GET /__emulator/renew`, where SchAcc's cookie is
//! first-party, and back through the hand-over of `crate::adopt`.

use hyper::header::{HeaderValue, HOST};
use hyper::{Response, StatusCode};
use serde_json::json;

use crate::adopt::AdoptCode;
use crate::app::{App, Client, Door};
use crate::dev_login::Asked;
use crate::request::{encode_component, param, Info};
use crate::response::{
    bad_request_json, escape_html, found, html, json_resp, see_other, server_error_json, Body,
};
use crate::store::{now, random_hex};

/// Where a renewal answer sends the browser by default (resolved by the
/// client against its `sessionDomain`).
pub(crate) const DEFAULT_RENEWAL_TARGET: &str = "/v2/refresh";
/// Longest `to` of a renewal.
const MAX_TARGET_BYTES: usize = 2048;

/// Pending `{"redirectURL"}` answers of the session requests.
pub(crate) struct Renewal {
    /// How many session requests still answer it.
    pub(crate) times: u32,
    /// The `redirectURL`.
    pub(crate) to: String,
}

impl Renewal {
    /// The `redirectURL` for one more session request, if any is pending.
    pub(crate) fn take(slot: &mut Option<Renewal>) -> Option<String> {
        let renewal = slot.as_mut()?;
        renewal.times = renewal.times.saturating_sub(1);
        let to = renewal.to.clone();
        if renewal.times == 0 {
            *slot = None;
        }
        Some(to)
    }
}

impl App {
    /// `POST /__emulator/session-renewal[?times=N][&to=URL]`: the next `N`
    /// (default 1) session requests answer `{"redirectURL": URL}` (default
    /// `/v2/refresh`). Replaces a pending one.
    pub(crate) fn ctl_session_renewal(&self, params: &[(String, String)]) -> Response<Body> {
        let times = match param(params, "times").map(str::parse::<u32>) {
            None => 1,
            Some(Ok(n)) if n >= 1 => n,
            Some(_) => return bad_request_json("times must be a positive integer"),
        };
        let to = param(params, "to").unwrap_or(DEFAULT_RENEWAL_TARGET);
        if to.is_empty() || to.len() > MAX_TARGET_BYTES || to.chars().any(char::is_control) {
            return bad_request_json(
                "to must be a URL of at most 2048 bytes without control characters",
            );
        }
        self.store().session_renewal = Some(Renewal {
            times,
            to: to.to_string(),
        });
        json_resp(
            StatusCode::OK,
            json!({"ok": true, "times": times, "to": to}),
        )
    }
}

impl App {
    /// `GET /v2/refresh` or `GET {path}/refresh` on the session service,
    /// with the client (`client_id` or `client_sdrn`) and `redirect_uri=R`
    /// registered for it: `302` to SchAcc's `/__emulator/renew`, which
    /// renews the service's cookie through the hand-over and ends at `R`.
    pub(crate) fn refresh(&self, info: &Info) -> Response<Body> {
        let Ok(params) = info.params() else {
            return malformed_page();
        };
        let Some((client_id, client)) = self.query_client(&params, info.door) else {
            return unknown_client_page();
        };
        let Some(return_to) = registered(client, param(&params, "redirect_uri")) else {
            return unregistered_page("redirect_uri");
        };
        let schacc = match self.door_origin(Door::SchAcc, param(&params, "schacc_origin")) {
            Ok(origin) => origin,
            Err(msg) => return bad_page(msg),
        };
        let service = match self.reached_origin(Door::Session, info.host.as_deref()) {
            Some(origin) => origin,
            None => match self.door_origin(Door::Session, None) {
                Ok(origin) => origin,
                Err(msg) => return bad_page(msg),
            },
        };
        let url = format!(
            "{schacc}/__emulator/renew?client_id={}&return_to={}&session_origin={}",
            encode_component(client_id),
            encode_component(return_to),
            encode_component(&service)
        );
        match HeaderValue::from_str(&url) {
            Ok(location) => found(location),
            Err(_) => server_error_json(),
        }
    }

    /// SchAcc's `GET /__emulator/renew?client_id=C&return_to=R[&session_origin=O]`:
    /// with a live `schacc_session`, a one-time code that lets the session
    /// service set its cookie for that session (the hand-over of
    /// `crate::adopt`, bound to this browser) and `303` to the service's
    /// adopt, which ends at `R`; without one, `302` straight to `R`.
    pub(crate) fn renew(&self, asked: &Asked) -> Response<Body> {
        let Some(client) = asked.param("client_id").and_then(|id| self.clients.get(id)) else {
            return unknown_client_page();
        };
        let Some(return_to) = registered(client, asked.param("return_to")) else {
            return unregistered_page("return_to");
        };
        let Ok(location) = HeaderValue::from_str(return_to) else {
            return server_error_json();
        };
        let session_origin = match self.door_origin(Door::Session, asked.param("session_origin")) {
            Ok(origin) => origin,
            Err(msg) => return bad_page(msg),
        };
        let schacc_origin = match self.reached_origin(Door::SchAcc, asked.header(HOST)) {
            Some(origin) => origin,
            None => match self.door_origin(Door::SchAcc, None) {
                Ok(origin) => origin,
                Err(msg) => return bad_page(msg),
            },
        };
        let Some(id) = asked.cookie(Door::SchAcc.cookie_name()) else {
            return found(location);
        };
        let Some(code) = random_hex(16) else {
            return server_error_json();
        };
        let now = now();
        let mut store = self.store();
        if store.session(&id, now).is_none() {
            return found(location);
        }
        let mut adopt = AdoptCode::new(
            id,
            Door::Session,
            Some(return_to.to_string()),
            (schacc_origin, session_origin),
            now,
        );
        adopt.renewal = true;
        let url = adopt.adopt_url(&code);
        store.add_adopt_code(code, adopt, now);
        drop(store);
        match HeaderValue::from_str(&url) {
            Ok(location) => see_other(location),
            Err(_) => server_error_json(),
        }
    }
}

/// `uri` when it is one of `client`'s redirect URIs, byte for byte.
fn registered<'a>(client: &Client, uri: Option<&'a str>) -> Option<&'a str> {
    uri.filter(|uri| client.redirect_uris.iter().any(|r| r == uri))
}

fn malformed_page() -> Response<Body> {
    bad_page("The query string is malformed.")
}

fn unknown_client_page() -> Response<Body> {
    html(
        StatusCode::BAD_REQUEST,
        "Unknown client",
        "<p>Missing or unknown client. Nothing was done.</p>",
    )
}

fn unregistered_page(name: &str) -> Response<Body> {
    html(
        StatusCode::BAD_REQUEST,
        "Invalid redirect URI",
        &format!(
            "<p><code>{}</code> is missing or not a registered redirect URI of this client. Nothing was done.</p>",
            escape_html(name)
        ),
    )
}

fn bad_page(msg: &str) -> Response<Body> {
    html(
        StatusCode::BAD_REQUEST,
        "Bad request",
        &format!("<p>{}</p>", escape_html(msg)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renewal_answers_times_then_is_gone() {
        let mut slot = Some(Renewal {
            times: 2,
            to: "/x".into(),
        });
        assert_eq!(Renewal::take(&mut slot).as_deref(), Some("/x"));
        assert_eq!(Renewal::take(&mut slot).as_deref(), Some("/x"));
        assert!(slot.is_none());
        assert_eq!(Renewal::take(&mut slot), None);
    }
}
