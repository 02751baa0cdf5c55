//! The session service's renewal, as the official client knows it: a
//! session request may answer `{"redirectURL": URL}` (the dev control
//! `POST /__emulator/session-renewal` makes the next N do so), and the
//! browser's top-level visit there renews the service's first-party
//! cookie. The emulator's target, `GET {path}/refresh`, bounces the browser
//! through SchAcc's `GET /__emulator/renew`, where SchAcc's cookie is
//! first-party, and back through the hand-over of `crate::adopt`.

use hyper::{Response, StatusCode};
use serde_json::json;

use crate::app::App;
use crate::request::param;
use crate::response::{bad_request_json, json_resp, Body};

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
