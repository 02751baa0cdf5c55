//! The session cache: which `hasSession()` answers are kept and for how
//! long, whether a kept one may answer now, and when a page view must ask
//! anyway. One mechanism with two policies (`Policy`): the module API's,
//! shared by a site's tabs (`localStorage`), and SPiD 2.x's, which
//! `global.js` keeps where 2.x kept it (`crate::spid2`'s storages). The
//! shells store and read the entries; these rules decide.
//!
//! One request per session instead of one per page view, and never stale
//! after what the SDK saw or can see: a logout through the SDK (any tab)
//! drops the entry; a login through its door, or any arrival from SchAcc (its
//! origin as the referrer, or an authorization `code` in the URL), makes
//! that page view ask; re-checks when a page comes back take no entry older
//! than a minute.

use std::cmp::Ordering;

use crate::raw::Raw;
use crate::session::RECHECK_AFTER_MS;
use crate::url::is_at_origin;

/// How long an answer is kept by default: five minutes. Long enough that a
/// visit's page views and tab switches cost one request; short enough that
/// a login or logout made where the SDK cannot see it (another site of the
/// same SchAcc account, SchAcc's own pages) shows within minutes — and a
/// page coming back never takes an entry older than a minute.
pub const DEFAULT_TTL_MS: f64 = 300_000.0;

/// The longest `cacheTtl` accepted: a day.
pub const MAX_TTL_MS: f64 = 86_400_000.0;

/// Which answers the session cache keeps, and for how long.
pub enum Policy {
    /// The module API's (`cacheTtl`, ms): every answer for the TTL, a
    /// logged-in one never past its `expiresIn` (one without a number there
    /// for the TTL, as account-sdk-browser keeps it for 5 minutes).
    Site { ttl_ms: f64 },
    /// SPiD 2.x's (`spid2::Options::cache_policy`): a logged-in answer for
    /// `ttl_seconds` (`cache.hasSession.ttlSeconds` where positive, else 0),
    /// else for its `expiresIn`; any other only with `keep_logged_out` (the
    /// page set `cache.hasSession`). Never one without a positive lifetime
    /// (2.x kept such an answer for ever).
    Spid2 {
        ttl_seconds: f64,
        keep_logged_out: bool,
    },
}

impl Policy {
    /// How long (ms) to keep an answer that names a user (`logged_in`) or
    /// not, whose `expiresIn` (seconds) is `expires_in`. 0: not at all.
    pub fn keep_ms(&self, logged_in: bool, expires_in: &Raw) -> f64 {
        match self {
            Policy::Site { ttl_ms } => match expires_in {
                // NaN clamps to NaN, which keeps nothing.
                Raw::Number(seconds) if logged_in => (seconds * 1000.0).clamp(0.0, *ttl_ms),
                _ => *ttl_ms,
            },
            Policy::Spid2 {
                ttl_seconds,
                keep_logged_out,
            } => {
                if !logged_in && !keep_logged_out {
                    return 0.0;
                }
                1000.0
                    * match *ttl_seconds {
                        0.0 => expires_in.positive(),
                        ttl => ttl,
                    }
            }
        }
    }

    /// The oldest a kept answer may be to answer now (`answers`): under the
    /// module API's policy no older than this client's own TTL, whoever kept
    /// it (the site's clients share entries, and may differ in `cacheTtl`),
    /// and for a re-check (`recheck`: a page coming back) no older than
    /// `RECHECK_AFTER_MS`; under 2.x's, its entry's expiry alone decides.
    pub fn max_age_ms(&self, recheck: bool) -> Option<f64> {
        match self {
            Policy::Site { ttl_ms } if recheck => Some(ttl_ms.min(RECHECK_AFTER_MS)),
            Policy::Site { ttl_ms } => Some(*ttl_ms),
            Policy::Spid2 { .. } => None,
        }
    }
}

/// A kept answer's times (ms since the epoch): when it was kept (2.x's
/// entries do not say), and until when it answers (`None`, or no date
/// (NaN): for ever, as 2.x kept an entry without `_expires`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kept {
    pub at: Option<f64>,
    pub until: Option<f64>,
}

/// Whether `kept` answers at `now_ms`: not past `until` (which still
/// answers, as 2.x compared), not kept in the future (the clock was set
/// back), and no older than `max_age_ms` where given (`Policy::max_age_ms`;
/// one that does not say when it was kept is then too old).
pub fn answers(kept: Kept, now_ms: f64, max_age_ms: Option<f64>) -> bool {
    let age = kept.at.map(|at| now_ms - at);
    // NaN compares as nothing: no date is for ever.
    let in_time = kept.until.map_or(true, |until| {
        until.partial_cmp(&now_ms) != Some(Ordering::Less)
    });
    let not_ahead = age.map_or(true, |age| age >= 0.0);
    let young = match (max_age_ms, age) {
        (None, _) => true,
        (Some(max), Some(age)) => age < max,
        (Some(_), None) => false,
    };
    in_time && not_ahead && young
}

/// Whether this page view must ask whoever answers, not the cache: it
/// follows a login through the SDK's door (`marked`), or arrives from
/// SchAcc — `referrer_origin` is the server's origin (`server`: origin and
/// path) — or carries an authorization `code` in its URL: a user who just
/// logged in must never be told they are logged out.
pub fn must_ask(marked: bool, referrer_origin: &str, server: &str, code_in_url: bool) -> bool {
    let from_schacc = is_at_origin(server, referrer_origin);
    marked || from_schacc || code_in_url
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: Policy = Policy::Site {
        ttl_ms: DEFAULT_TTL_MS,
    };

    #[test]
    fn the_site_keeps_every_answer_for_the_ttl_and_never_past_the_session() {
        assert_eq!(SITE.keep_ms(true, &Raw::Number(7200.0)), DEFAULT_TTL_MS);
        assert_eq!(SITE.keep_ms(true, &Raw::Number(60.0)), 60_000.0);
        assert_eq!(SITE.keep_ms(true, &Raw::Number(-5.0)), 0.0);
        assert_eq!(
            SITE.keep_ms(true, &Raw::Absent),
            DEFAULT_TTL_MS,
            "a session of unknown length: the TTL, as account-sdk-browser"
        );
        assert_eq!(
            SITE.keep_ms(true, &Raw::Number(f64::INFINITY)),
            DEFAULT_TTL_MS
        );
        assert_eq!(SITE.keep_ms(false, &Raw::Absent), DEFAULT_TTL_MS);
        let off = Policy::Site { ttl_ms: 0.0 };
        assert_eq!(off.keep_ms(true, &Raw::Number(7200.0)), 0.0, "cacheTtl 0");
    }

    #[test]
    fn spid2_keeps_logged_in_answers_unless_the_page_asks_for_more() {
        let spid2 = crate::spid2::tests::options().cache_policy();
        assert_eq!(spid2.keep_ms(true, &Raw::Number(7111.0)), 7_111_000.0);
        assert_eq!(spid2.keep_ms(false, &Raw::Number(7111.0)), 0.0);
        assert_eq!(
            spid2.keep_ms(true, &Raw::Absent),
            0.0,
            "no lifetime, no entry"
        );
        let asked = crate::spid2::Options {
            cache_has_session: true,
            ttl_seconds: Raw::Number(360.0),
            ..crate::spid2::tests::options()
        };
        assert_eq!(asked.cache_policy().keep_ms(false, &Raw::Absent), 360_000.0);
    }

    #[test]
    fn an_entry_answers_within_its_time_and_a_recheck_within_a_minute() {
        let kept = |at: f64, until: f64| Kept {
            at: Some(at),
            until: Some(until),
        };
        let minute = Some(RECHECK_AFTER_MS);
        assert!(answers(kept(1_000.0, 301_000.0), 1_000.0, None));
        assert!(answers(kept(1_000.0, 301_000.0), 301_000.0, None));
        assert!(!answers(kept(1_000.0, 301_000.0), 301_001.0, None));
        assert!(
            !answers(kept(1_000.0, 301_000.0), 999.0, None),
            "from the future"
        );
        assert!(answers(kept(1_000.0, 301_000.0), 60_999.0, minute));
        assert!(!answers(kept(1_000.0, 301_000.0), 61_000.0, minute));
        assert!(!answers(kept(f64::NAN, 301_000.0), 2_000.0, None));
    }

    #[test]
    fn a_site_client_takes_no_entry_older_than_its_own_ttl() {
        let short = Policy::Site { ttl_ms: 30_000.0 };
        assert_eq!(short.max_age_ms(false), Some(30_000.0));
        assert_eq!(short.max_age_ms(true), Some(30_000.0));
        assert_eq!(SITE.max_age_ms(true), Some(RECHECK_AFTER_MS));
        assert_eq!(SITE.max_age_ms(false), Some(DEFAULT_TTL_MS));
        // Kept for a day by a client with cacheTtl of a day: a 5-minute client takes it for 5 minutes.
        let kept = Kept {
            at: Some(0.0),
            until: Some(MAX_TTL_MS),
        };
        assert!(answers(kept, 299_999.0, SITE.max_age_ms(false)));
        assert!(!answers(kept, 300_000.0, SITE.max_age_ms(false)));
        let spid2 = crate::spid2::tests::options().cache_policy();
        assert_eq!(spid2.max_age_ms(true), None);
    }

    #[test]
    fn a_2x_entry_answers_until_its_expiry_or_for_ever() {
        let until = |until| Kept { at: None, until };
        assert!(answers(until(Some(5_000.0)), 5_000.0, None));
        assert!(!answers(until(Some(5_000.0)), 5_001.0, None));
        assert!(answers(until(None), 1e15, None), "no _expires");
        assert!(answers(until(Some(f64::NAN)), 1e15, None), "no date");
        assert!(
            !answers(until(None), 0.0, Some(RECHECK_AFTER_MS)),
            "a re-check needs to know its age"
        );
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
