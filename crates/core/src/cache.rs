//! The session cache a site's tabs share (`localStorage`): which
//! `hasSession()` answers it keeps and for how long, whether a kept one may
//! answer now, and when a page view must ask anyway. The shell stores and
//! reads the entries; these rules decide.
//!
//! One request per session instead of one per page view, and never stale
//! after what the SDK saw or can see: a logout through the SDK (any tab)
//! drops the entry; a login through its door, or any arrival from SchAcc (its
//! origin as the referrer, or an authorization `code` in the URL), makes
//! that page view ask; re-checks when a page comes back take no entry older
//! than a minute.

use crate::raw::Raw;
use crate::session::{Session, RECHECK_AFTER_MS};

/// How long an answer is kept by default: five minutes. Long enough that a
/// visit's page views and tab switches cost one request; short enough that
/// a login or logout made where the SDK cannot see it (another site of the
/// same SchAcc account, SchAcc's own pages) shows within minutes — and a
/// page coming back never takes an entry older than a minute.
pub const DEFAULT_TTL_MS: f64 = 300_000.0;

/// The longest `cacheTtl` accepted: a day.
pub const MAX_TTL_MS: f64 = 86_400_000.0;

/// How long (ms) to keep an answer: `ttl_ms`, and no longer than a logged-in
/// session's `expiresIn` (seconds). 0: not at all.
pub fn keep_ms(session: &Session, expires_in: &Raw, ttl_ms: f64) -> f64 {
    match expires_in {
        Raw::Number(seconds) if session.has_user() && seconds.is_finite() => {
            (seconds * 1000.0).clamp(0.0, ttl_ms)
        }
        _ if session.has_user() => 0.0,
        _ => ttl_ms,
    }
}

/// Whether an entry stored at `at_ms` and kept until `until_ms` answers at
/// `now_ms`; a re-check (`recheck`) takes none older than
/// `RECHECK_AFTER_MS`. One from the future (the clock was set back) does not.
pub fn answers(at_ms: f64, until_ms: f64, now_ms: f64, recheck: bool) -> bool {
    let age = now_ms - at_ms;
    age >= 0.0 && now_ms < until_ms && (!recheck || age < RECHECK_AFTER_MS)
}

/// Whether this page view must ask whoever answers, not the cache: it
/// follows a login through the SDK's door (`marked`), or arrives from
/// SchAcc — `referrer_origin` is the server's origin (`server`: origin and
/// path) — or carries an authorization `code` in its URL: a user who just
/// logged in must never be told they are logged out.
pub fn must_ask(marked: bool, referrer_origin: &str, server: &str, code_in_url: bool) -> bool {
    let from_schacc = !referrer_origin.is_empty()
        && server
            .strip_prefix(referrer_origin)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    marked || from_schacc || code_in_url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::UserId;

    fn user() -> Session {
        Session {
            user: Some(UserId::Number(1.0)),
            status: "connected".into(),
        }
    }

    #[test]
    fn kept_for_the_ttl_and_never_past_the_session() {
        assert_eq!(
            keep_ms(&user(), &Raw::Number(7200.0), DEFAULT_TTL_MS),
            DEFAULT_TTL_MS
        );
        assert_eq!(
            keep_ms(&user(), &Raw::Number(60.0), DEFAULT_TTL_MS),
            60_000.0
        );
        assert_eq!(keep_ms(&user(), &Raw::Number(-5.0), DEFAULT_TTL_MS), 0.0);
        assert_eq!(
            keep_ms(&user(), &Raw::Absent, DEFAULT_TTL_MS),
            0.0,
            "a session of unknown length is not kept"
        );
        assert_eq!(
            keep_ms(&Session::logged_out(), &Raw::Absent, DEFAULT_TTL_MS),
            DEFAULT_TTL_MS
        );
        assert_eq!(
            keep_ms(&user(), &Raw::Number(7200.0), 0.0),
            0.0,
            "cacheTtl 0: off"
        );
    }

    #[test]
    fn an_entry_answers_within_its_time_and_a_recheck_within_a_minute() {
        assert!(answers(1_000.0, 301_000.0, 1_000.0, false));
        assert!(answers(1_000.0, 301_000.0, 300_999.0, false));
        assert!(!answers(1_000.0, 301_000.0, 301_000.0, false));
        assert!(
            !answers(1_000.0, 301_000.0, 999.0, false),
            "from the future"
        );
        assert!(answers(1_000.0, 301_000.0, 60_999.0, true));
        assert!(!answers(1_000.0, 301_000.0, 61_000.0, true));
        assert!(!answers(f64::NAN, 301_000.0, 2_000.0, false));
    }

    #[test]
    fn arrivals_from_schacc_ask() {
        let server = "https://login.schacc.example/sso";
        assert!(!must_ask(false, "", server, false));
        assert!(must_ask(true, "", server, false));
        assert!(must_ask(
            false,
            "https://login.schacc.example",
            server,
            false
        ));
        assert!(must_ask(false, "", server, true));
        assert!(!must_ask(
            false,
            "https://login.schacc.example.evil",
            server,
            false
        ));
        assert!(!must_ask(false, "https://news.example", server, false));
        assert!(must_ask(
            false,
            "http://localhost:9000",
            "http://localhost:9000",
            false
        ));
    }
}
