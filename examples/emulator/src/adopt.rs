//! The hand-over of a dev login's session to the other door, bound to the
//! browser that logged in. The login's door (A) makes a one-time code for
//! the other door (B) and sends the browser to B's `adopt`:
//!
//! 1. `B/__emulator/adopt?code=K`: the first browser there claims the code
//!    with a fresh nonce cookie (`schacc_adopt_nonce`, `HttpOnly`,
//!    `SameSite=Lax`, 60 s) and is sent to A's `confirm`;
//! 2. `A/__emulator/confirm?code=K`: A confirms the claim only for a browser
//!    that holds A's cookie of the code's session, and sends it back;
//! 3. `B/__emulator/adopt?code=K` again: with the nonce of the confirmed
//!    claim, B uses the code up and sets its cookie for the session.
//!
//! A code is used up only there. A browser that did not make the login
//! (a link to someone else's code) never holds A's cookie of that session,
//! so its claim is never confirmed, and a code claimed by one browser is
//! refused to every other; a code at the wrong door is refused and kept.

use std::collections::HashMap;

use hyper::header::{HeaderValue, SET_COOKIE};
use hyper::{Response, StatusCode};

use crate::app::{App, Door};
use crate::dev_login::{logged_in_page, Asked};
use crate::response::{bad_request_json, error_json, found, see_other, server_error_json, Body};
use crate::store::{make_room, now, random_hex, Store};

/// How long an adopt code (and its nonce cookie) can be used.
const ADOPT_TTL_SECS: u64 = 60;
/// Most adopt codes waiting at once.
const MAX_ADOPT_CODES: usize = 1_000;
/// The cookie that binds a claimed code to a browser at the adopting door.
const NONCE_COOKIE: &str = "schacc_adopt_nonce";

/// A one-time code that lets `door` set its cookie for `session_id`.
pub(crate) struct AdoptCode {
    pub(crate) session_id: String,
    /// The door that adopts the session.
    pub(crate) door: Door,
    pub(crate) expires_at: u64,
    /// Where the adopting door sends the browser at the end.
    pub(crate) return_to: Option<String>,
    /// The login's door as the browser reached it (`confirm` is there).
    pub(crate) login_origin: String,
    /// The adopting door as the browser reaches it.
    pub(crate) adopt_origin: String,
    /// The nonce cookie of the browser that claimed the code.
    nonce: Option<String>,
    /// The login's door saw that browser hold the session's cookie.
    confirmed: bool,
    /// Made by a refresh bounce (`crate::renewal`), not a login: counted
    /// in `renewalsDone` once adopted.
    pub(crate) renewal: bool,
}

pub(crate) type AdoptCodes = HashMap<String, AdoptCode>;

impl AdoptCode {
    pub(crate) fn new(
        session_id: String,
        door: Door,
        return_to: Option<String>,
        (login_origin, adopt_origin): (String, String),
        now: u64,
    ) -> AdoptCode {
        AdoptCode {
            session_id,
            door,
            expires_at: now + ADOPT_TTL_SECS,
            return_to,
            login_origin,
            adopt_origin,
            nonce: None,
            confirmed: false,
            renewal: false,
        }
    }

    pub(crate) fn adopt_url(&self, code: &str) -> String {
        format!("{}/__emulator/adopt?code={code}", self.adopt_origin)
    }

    fn confirm_url(&self, code: &str) -> String {
        format!("{}/__emulator/confirm?code={code}", self.login_origin)
    }
}

/// Why an adopt or confirm step changes nothing.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    Unknown,
    OtherDoor,
    NotClaimed,
    OtherBrowser,
    NotLoggedIn,
    Ended,
}

impl Refusal {
    fn response(self) -> Response<Body> {
        let forbidden = |msg| error_json(StatusCode::FORBIDDEN, "ApiException", msg);
        match self {
            Refusal::Unknown => bad_request_json("Unknown, used or expired code"),
            Refusal::OtherDoor => bad_request_json("This code is for the other listener"),
            Refusal::NotClaimed => bad_request_json("This code has not been claimed yet"),
            Refusal::OtherBrowser => forbidden("This code is bound to another browser"),
            Refusal::NotLoggedIn => forbidden("This browser did not make this login"),
            Refusal::Ended => bad_request_json("The session has ended"),
        }
    }
}

/// What the adopting door does with a code.
enum AdoptStep {
    /// Send the browser to the login's door to confirm its claim
    /// (`claimed`: the claim was made now, with this nonce).
    Confirm {
        url: String,
        claimed: Option<String>,
    },
    /// The code, used up: set the cookie.
    Adopted(AdoptCode),
}

impl Store {
    pub(crate) fn add_adopt_code(&mut self, code: String, adopt: AdoptCode, now: u64) {
        self.adopt_codes.retain(|_, a| a.expires_at > now);
        make_room(&mut self.adopt_codes, MAX_ADOPT_CODES, |a| a.expires_at);
        self.adopt_codes.insert(code, adopt);
    }

    /// The live code `code` made for `door`.
    fn adopt_code(&mut self, code: &str, door: Door, now: u64) -> Result<&mut AdoptCode, Refusal> {
        let adopt = self
            .adopt_codes
            .get_mut(code)
            .filter(|a| a.expires_at > now)
            .ok_or(Refusal::Unknown)?;
        if adopt.door != door {
            return Err(Refusal::OtherDoor);
        }
        Ok(adopt)
    }

    /// At the adopting door, for a browser with nonce cookie `nonce`:
    /// claim an unclaimed code with `fresh`, or use up the code its claim
    /// made and its login confirmed.
    fn adopt_step(
        &mut self,
        code: &str,
        door: Door,
        nonce: Option<&str>,
        fresh: String,
        now: u64,
    ) -> Result<AdoptStep, Refusal> {
        let adopt = self.adopt_code(code, door, now)?;
        let claimed = match (&adopt.nonce, nonce) {
            (None, _) => Some(fresh),
            (Some(held), Some(sent)) if held == sent => None,
            (Some(_), _) => return Err(Refusal::OtherBrowser),
        };
        if claimed.is_none() && adopt.confirmed {
            return self
                .adopt_codes
                .remove(code)
                .map(AdoptStep::Adopted)
                .ok_or(Refusal::Unknown);
        }
        if claimed.is_some() {
            adopt.nonce.clone_from(&claimed);
        }
        let url = adopt.confirm_url(code);
        Ok(AdoptStep::Confirm { url, claimed })
    }

    /// At the login's door, for a browser with that door's cookie `cookie`:
    /// confirm the claim of a code made here; answers the adopt URL.
    fn confirm_claim(
        &mut self,
        code: &str,
        door: Door,
        cookie: Option<&str>,
        now: u64,
    ) -> Result<String, Refusal> {
        let adopt = self.adopt_code(code, door.other(), now)?;
        if adopt.nonce.is_none() {
            return Err(Refusal::NotClaimed);
        }
        if cookie != Some(adopt.session_id.as_str()) {
            return Err(Refusal::NotLoggedIn);
        }
        adopt.confirmed = true;
        Ok(adopt.adopt_url(code))
    }
}

impl App {
    /// `GET /__emulator/adopt?code=K` of either door.
    pub(crate) fn adopt(&self, asked: &Asked) -> Response<Body> {
        let Some(code) = asked.param("code") else {
            return bad_request_json("code is required");
        };
        let Some(fresh) = random_hex(16) else {
            return server_error_json();
        };
        let nonce = asked.cookie(NONCE_COOKIE);
        let step = self
            .store()
            .adopt_step(code, asked.door, nonce.as_deref(), fresh, now());
        match step {
            Err(refusal) => refusal.response(),
            Ok(AdoptStep::Confirm { url, claimed }) => self.to_confirm(&url, claimed.as_deref()),
            Ok(AdoptStep::Adopted(adopt)) => self.adopted(asked, &adopt),
        }
    }

    /// The adopting door's cookie for the used-up code's session (replacing
    /// the session of the cookie sent along), then on to `return_to`.
    fn adopted(&self, asked: &Asked, adopt: &AdoptCode) -> Response<Body> {
        let now = now();
        let mut store = self.store();
        let Some(session) = store.session(&adopt.session_id, now) else {
            return Refusal::Ended.response();
        };
        let (user_id, display_name) = (session.user_id, session.display_name.clone());
        if let Some(old) = asked.cookie(asked.door.cookie_name()) {
            if old != adopt.session_id {
                store.sessions.remove(&old);
            }
        }
        if adopt.renewal {
            store.renewals_done += 1;
        }
        drop(store);
        let (Some(cookie), Ok(location)) = (
            self.door_cookie(asked.door, &adopt.session_id),
            adopt
                .return_to
                .as_deref()
                .map(HeaderValue::from_str)
                .transpose(),
        ) else {
            return server_error_json();
        };
        let mut resp = match location {
            Some(location) => found(location),
            None => logged_in_page(&display_name, user_id),
        };
        resp.headers_mut().append(SET_COOKIE, cookie);
        resp.headers_mut()
            .append(SET_COOKIE, self.nonce_cookie(None));
        resp
    }

    /// `GET /__emulator/confirm?code=K` of either door.
    pub(crate) fn confirm(&self, asked: &Asked) -> Response<Body> {
        let Some(code) = asked.param("code") else {
            return bad_request_json("code is required");
        };
        let cookie = asked.cookie(asked.door.cookie_name());
        let confirmed = self
            .store()
            .confirm_claim(code, asked.door, cookie.as_deref(), now());
        match confirmed.map(|url| HeaderValue::from_str(&url)) {
            Err(refusal) => refusal.response(),
            Ok(Ok(location)) => see_other(location),
            Ok(Err(_)) => server_error_json(),
        }
    }

    fn to_confirm(&self, url: &str, claimed: Option<&str>) -> Response<Body> {
        let Ok(location) = HeaderValue::from_str(url) else {
            return server_error_json();
        };
        let mut resp = see_other(location);
        if let Some(nonce) = claimed {
            resp.headers_mut()
                .append(SET_COOKIE, self.nonce_cookie(Some(nonce)));
        }
        resp
    }

    /// `Set-Cookie` of the nonce (`None`: expire it).
    fn nonce_cookie(&self, nonce: Option<&str>) -> HeaderValue {
        let secure = if self.doors.https { "Secure; " } else { "" };
        let (value, max_age) = match nonce {
            Some(n) => (n, ADOPT_TTL_SECS),
            None => ("", 0),
        };
        HeaderValue::from_str(&format!(
            "{NONCE_COOKIE}={value}; HttpOnly; {secure}SameSite=Lax; Path=/__emulator/; Max-Age={max_age}"
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("schacc_adopt_nonce=; Max-Age=0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(door: Door) -> AdoptCode {
        AdoptCode::new(
            "s1".into(),
            door,
            None,
            ("http://a".into(), "http://b".into()),
            100,
        )
    }

    #[test]
    fn a_code_is_used_up_only_by_the_confirmed_claim_at_its_door() {
        let mut store = Store::default();
        store.add_adopt_code("k".into(), code(Door::Session), 100);
        let step = |s: &mut Store, door, nonce| s.adopt_step("k", door, nonce, "n2".into(), 101);
        assert_eq!(
            step(&mut store, Door::SchAcc, None).err(),
            Some(Refusal::OtherDoor)
        );
        assert_eq!(
            store.confirm_claim("k", Door::SchAcc, Some("s1"), 101),
            Err(Refusal::NotClaimed)
        );
        // Claimed with nonce n1, then refused to any other browser.
        let claimed = store.adopt_step("k", Door::Session, None, "n1".into(), 101);
        assert!(
            matches!(claimed, Ok(AdoptStep::Confirm { claimed: Some(ref n), .. }) if n == "n1")
        );
        assert_eq!(
            step(&mut store, Door::Session, None).err(),
            Some(Refusal::OtherBrowser)
        );
        assert_eq!(
            step(&mut store, Door::Session, Some("n2")).err(),
            Some(Refusal::OtherBrowser)
        );
        // Not confirmed yet: back to confirm, nothing used up.
        assert!(matches!(
            step(&mut store, Door::Session, Some("n1")),
            Ok(AdoptStep::Confirm { claimed: None, .. })
        ));
        assert_eq!(
            store.confirm_claim("k", Door::Session, Some("s1"), 101),
            Err(Refusal::OtherDoor)
        );
        assert_eq!(
            store.confirm_claim("k", Door::SchAcc, Some("s2"), 101),
            Err(Refusal::NotLoggedIn)
        );
        assert_eq!(
            store.confirm_claim("k", Door::SchAcc, None, 101),
            Err(Refusal::NotLoggedIn)
        );
        assert_eq!(
            store
                .confirm_claim("k", Door::SchAcc, Some("s1"), 101)
                .as_deref(),
            Ok("http://b/__emulator/adopt?code=k")
        );
        assert_eq!(
            step(&mut store, Door::Session, Some("n2")).err(),
            Some(Refusal::OtherBrowser)
        );
        assert!(matches!(
            step(&mut store, Door::Session, Some("n1")),
            Ok(AdoptStep::Adopted(_))
        ));
        assert_eq!(
            step(&mut store, Door::Session, Some("n1")).err(),
            Some(Refusal::Unknown)
        );
    }

    #[test]
    fn expired_codes_are_unknown() {
        let mut store = Store::default();
        store.add_adopt_code("k".into(), code(Door::Session), 100);
        let late = 100 + ADOPT_TTL_SECS;
        assert_eq!(
            store
                .adopt_step("k", Door::Session, None, "n".into(), late)
                .err(),
            Some(Refusal::Unknown)
        );
        assert_eq!(
            store.confirm_claim("k", Door::SchAcc, Some("s1"), late),
            Err(Refusal::Unknown)
        );
    }
}
