//! SPiD JS SDK 2.x's rules, as `global.js` (the 2.x drop-in) applies them:
//! 2.6.0's options and their defaults, what a 2.x callback gets from an
//! answer, the options of its session cache (whose policy is
//! `crate::cache::Policy::Spid2`), when the Varnish
//! cookie `SP_ID` is set and on which domain. Which events a change of
//! session fires is the one rule of [`crate::session`].
//!
//! They reach `global.js` through its own wasm, built with the SDK's `spid2`
//! feature (`src/spid2.rs`): compiled into the module API's wasm they would
//! cost its pages bytes they never run (its size budget,
//! `tests/e2e/budget.test.mjs`). What 2.x answers synchronously, before any
//! wasm can be there (`SPiD.options()`, `SPiD.sessionCache`), takes this
//! module's lists from `names.js` (`DEFAULTS`, the storages, the key
//! prefix) and compares a cache entry's expiry in JavaScript.
//! `crates/core/tests/spid2-rules.json` holds the cases both faces must
//! answer alike: `cargo test` runs them through this module,
//! `tests/e2e/spid2-conformance.test.mjs` through global.js's wasm.
//!
//! 2.x's own source (`schibsted/sdk-js`, `src/spid-*.js`, tags v2.0.0 to
//! v2.6.0) is the reference; where this SDK deliberately differs it says so.

use crate::cache::Policy;
use crate::legacy;
use crate::raw::Raw;
use crate::response::is_json_media_type;
use crate::session::UserId;

/// A default of 2.6.0's `spid-config.js`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DefaultValue {
    Null,
    Bool(bool),
    Number(f64),
    Text(&'static str),
    /// `{}` (`cache`).
    EmptyObject,
}

/// 2.6.0's defaults, which `SPiD.options()` fills in for every option the
/// page left `undefined`; `refresh_timeout`, `varnish_expiration` and
/// `cache_time_no_asset` are seconds.
pub const DEFAULTS: [(&str, DefaultValue); 12] = [
    ("server", DefaultValue::Null),
    ("client_id", DefaultValue::Null),
    ("cache", DefaultValue::EmptyObject),
    ("logging", DefaultValue::Bool(false)),
    ("useSessionCluster", DefaultValue::Bool(true)),
    ("https", DefaultValue::Bool(true)),
    ("setVarnishCookie", DefaultValue::Null),
    ("storage", DefaultValue::Text("localstorage")),
    ("timeout", DefaultValue::Number(5000.0)),
    ("refresh_timeout", DefaultValue::Number(REFRESH_TIMEOUT)),
    ("varnish_expiration", DefaultValue::Number(43200.0)),
    ("cache_time_no_asset", DefaultValue::Number(10.0)),
];

/// 12 hours, in seconds.
const REFRESH_TIMEOUT: f64 = 43200.0;

/// Where 2.x's session cache lives (`storage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// `'localstorage'`, the default: `localStorage`.
    LocalStorage,
    /// `'cookie'`: a cookie of the same name.
    Cookie,
    /// `'cache'`: memory, for the page's life.
    Memory,
    /// `'standard'`: nowhere.
    Nowhere,
}

impl Storage {
    /// Every storage, the default first.
    pub const ALL: [Storage; 4] = [
        Storage::LocalStorage,
        Storage::Cookie,
        Storage::Memory,
        Storage::Nowhere,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Storage::LocalStorage => "localstorage",
            Storage::Cookie => "cookie",
            Storage::Memory => "cache",
            Storage::Nowhere => "standard",
        }
    }
}

/// The storage an option names; one 2.x did not know is `localStorage`, as
/// in 2.x.
pub fn storage(option: &Raw) -> Storage {
    match option {
        Raw::Text(name) if name == "cookie" => Storage::Cookie,
        Raw::Text(name) if name == "cache" => Storage::Memory,
        Raw::Text(name) if name == "standard" => Storage::Nowhere,
        _ => Storage::LocalStorage,
    }
}

/// What every cache entry's name starts with.
pub const CACHE_KEY_PREFIX: &str = "spid_js_";

/// A cache entry's name: `spid_js_<client_id>`, or
/// `spid_js_<client_id>_<suffix>` (`prd<P>`, `sub<P>`).
pub fn cache_key(client_id: &str, suffix: &str) -> String {
    let mut key = String::from(CACHE_KEY_PREFIX);
    key.push_str(client_id);
    if !suffix.is_empty() {
        key.push('_');
        key.push_str(suffix);
    }
    key
}

/// The options these rules read.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// `storage` as the page gave it.
    pub storage: Raw,
    /// Whether the page set `cache.hasSession` (an object or any truthy value).
    pub cache_has_session: bool,
    /// `cache.hasSession.ttlSeconds`.
    pub ttl_seconds: Raw,
    pub set_varnish_cookie: Raw,
    pub varnish_expiration: Raw,
    pub refresh_timeout: Raw,
    pub cache_time_no_asset: Raw,
}

impl Options {
    /// 2.x's session-cache policy from these options (`cache.hasSession`).
    pub fn cache_policy(&self) -> Policy {
        Policy::Spid2 {
            ttl_seconds: self.ttl_seconds.positive(),
            keep_logged_out: self.cache_has_session,
        }
    }
}

/// Seconds to keep a `hasSession` answer (`error`: it carried SchAcc's
/// error), 0 for not at all: 2.x's session-cache policy
/// (`cache::Policy::Spid2`) for an answer that is logged in as 2.x read it
/// (`result: true`, no error).
pub fn session_ttl(options: &Options, error: bool, result: &Raw, expires_in: &Raw) -> f64 {
    let logged_in = !error && *result == Raw::Bool(true);
    options.cache_policy().keep_ms(logged_in, expires_in) / 1000.0
}

/// Seconds to keep a `hasProduct`/`hasSubscription` answer:
/// `refresh_timeout` when granted (`result: true`), else
/// `cache_time_no_asset`. A `refresh_timeout` of 60000 or more is
/// milliseconds (2.0–2.5 pages wrote 900000 for 15 minutes, and 2.6.0's own
/// floor of 60000 is in milliseconds), a smaller one seconds (2.6.0's
/// default, 43200, is 12 hours); never under a minute. 2.6.0 raised its own
/// default to 60000 *seconds* with that floor; this rule does not.
pub fn asset_ttl(options: &Options, result: &Raw) -> f64 {
    if *result != Raw::Bool(true) {
        return options.cache_time_no_asset.positive();
    }
    let refresh = match options.refresh_timeout.positive() {
        0.0 => REFRESH_TIMEOUT,
        refresh => refresh,
    };
    let seconds = if refresh >= 60000.0 {
        refresh / 1000.0
    } else {
        refresh
    };
    seconds.max(60.0)
}

/// Whether a logged-in answer sets `SP_ID`: it has an `sp_id` of at most 256
/// letters, digits, `.`, `_` or `-` (nothing that could end the cookie's
/// value), and `setVarnishCookie: true`, or `storage: 'cookie'` unless
/// `setVarnishCookie: false`.
pub fn varnish(options: &Options, sp_id: &Raw) -> bool {
    let usable = match sp_id {
        Raw::Text(id) => {
            !id.is_empty()
                && id.len() <= 256
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        }
        _ => false,
    };
    let cookie = options.storage == Raw::Text("cookie".into());
    usable
        && (options.set_varnish_cookie == Raw::Bool(true)
            || (cookie && options.set_varnish_cookie != Raw::Bool(false)))
}

/// Seconds `SP_ID` lives: `varnish_expiration`, else the session's
/// `expiresIn`; 0 makes it an expired cookie, as in 2.x.
pub fn varnish_ttl(options: &Options, expires_in: &Raw) -> f64 {
    match options.varnish_expiration.positive() {
        0.0 => expires_in.positive(),
        ttl => ttl,
    }
}

/// The `Domain` of 2.x's cookies (`SP_ID`, `spid_js_<client_id>`): the
/// answer's `baseDomain` (without leading dots, lower-case) when it is a
/// plain host name ([`legacy::cookie_domain`]) that the page's `host` is or
/// is under; else `None`, a cookie of the page's host alone (a browser
/// refuses another domain's, where 2.x wrote it anyway).
pub fn cookie_domain(base_domain: &Raw, host: &str) -> Option<String> {
    let Raw::Text(base) = base_domain else {
        return None;
    };
    let domain = legacy::cookie_domain(base)?.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    let under = host
        .strip_suffix(domain.as_str())
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'));
    under.then_some(domain)
}

/// The user an answer names: its `userId` (a finite number, or non-empty
/// text) when `result` is `true`.
pub fn user_of(result: &Raw, user_id: &Raw) -> Option<UserId> {
    match (result, user_id) {
        (Raw::Bool(true), Raw::Number(id)) if id.is_finite() => Some(UserId::Number(*id)),
        (Raw::Bool(true), Raw::Text(id)) if !id.is_empty() => Some(UserId::Text(id.clone())),
        _ => None,
    }
}

/// The `code` of a 2.x communication error (`{ type: 'communication', code,
/// description }`, 2.x's `spid-talk.js` failure): the HTTP status where
/// there was one, else 503, as 2.x always said.
pub fn communication_code(status: Option<u16>) -> u16 {
    status
        .filter(|status| *status != 0)
        .unwrap_or(NO_STATUS_CODE)
}

/// The `code` of a communication error without an HTTP status.
pub const NO_STATUS_CODE: u16 = 503;

/// A request that got no answer: whether it is "no answer in time" (the
/// name of the fetch's rejection is the timeout's, as for the module API:
/// `TimeoutError`, or `AbortError` in Chrome 103–123), else "no answer".
pub fn unanswered_in_time(rejection_name: &str) -> bool {
    matches!(rejection_name, "TimeoutError" | "AbortError")
}

/// What a 2.x callback gets from SchAcc's answer to `hasproduct.json`,
/// `hassubscription.json` or `acceptAgreement.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// `(answer.error, answer)`: SchAcc's error object (the 401 of no session).
    Error,
    /// `(null, answer)`: a 200 with a boolean `result`.
    Data,
    /// `({ type: 'communication', code, description }, {})`.
    Communication(u16),
}

/// The body of an answer as the browser parsed it: `None` when it is not a
/// JSON object (or was not read: over 64 KiB).
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// Whether `error` is an object (not an array or `null`).
    pub error_object: bool,
    pub result: Raw,
}

/// What a 2.x callback gets from an answer: its `status` (0 for a
/// redirect, which is not followed), its `Content-Type` (only JSON's is
/// read, as for every answer: [`is_json_media_type`]) and its body.
pub fn answer(status: u16, content_type: Option<&str>, body: Option<&Body>) -> Answer {
    let body = body.filter(|_| is_json_media_type(content_type));
    match body {
        Some(body) if body.error_object => Answer::Error,
        Some(body) if status == 200 && matches!(body.result, Raw::Bool(_)) => Answer::Data,
        _ if (300..400).contains(&status) => Answer::Communication(communication_code(None)),
        _ => Answer::Communication(communication_code(Some(status))),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn options() -> Options {
        Options {
            storage: Raw::Absent,
            cache_has_session: false,
            ttl_seconds: Raw::Absent,
            set_varnish_cookie: Raw::Absent,
            varnish_expiration: Raw::Number(43200.0),
            refresh_timeout: Raw::Number(REFRESH_TIMEOUT),
            cache_time_no_asset: Raw::Number(10.0),
        }
    }

    #[test]
    fn a_session_answer_counts_as_logged_in_as_2x_read_it() {
        let yes = Raw::Bool(true);
        let expires = Raw::Number(7111.0);
        assert_eq!(session_ttl(&options(), false, &yes, &expires), 7111.0);
        assert_eq!(
            session_ttl(&options(), true, &yes, &expires),
            0.0,
            "an error"
        );
        assert_eq!(
            session_ttl(&options(), false, &Raw::Text("true".into()), &expires),
            0.0
        );
    }

    #[test]
    fn refresh_timeout_in_seconds_or_milliseconds() {
        let with = |refresh: f64| Options {
            refresh_timeout: Raw::Number(refresh),
            ..options()
        };
        let yes = Raw::Bool(true);
        assert_eq!(asset_ttl(&options(), &yes), 43200.0);
        assert_eq!(asset_ttl(&with(900000.0), &yes), 900.0);
        assert_eq!(asset_ttl(&with(10.0), &yes), 60.0);
        assert_eq!(asset_ttl(&options(), &Raw::Bool(false)), 10.0);
    }

    #[test]
    fn varnish_as_2x_set_it() {
        let sp_id = Raw::Text("4f1e2ae59caf7c2f4a058b76".into());
        let with = |storage: &str, set: Raw| Options {
            storage: Raw::Text(storage.into()),
            set_varnish_cookie: set,
            ..options()
        };
        assert!(varnish(&with("localstorage", Raw::Bool(true)), &sp_id));
        assert!(varnish(&with("cookie", Raw::Absent), &sp_id));
        assert!(!varnish(&with("cookie", Raw::Bool(false)), &sp_id));
        assert!(!varnish(&with("localstorage", Raw::Absent), &sp_id));
        assert!(!varnish(
            &with("cookie", Raw::Absent),
            &Raw::Text("a;b".into())
        ));
    }

    #[test]
    fn cookie_domains_the_page_can_set() {
        let base = |text: &str| Raw::Text(text.into());
        assert_eq!(
            cookie_domain(&base(".VG.no"), "www.vg.no").as_deref(),
            Some("vg.no")
        );
        assert_eq!(
            cookie_domain(&base("vg.no"), "vg.no").as_deref(),
            Some("vg.no")
        );
        assert_eq!(cookie_domain(&base("vg.no"), "evilvg.no"), None);
        assert_eq!(cookie_domain(&base("vg.no; Secure"), "www.vg.no"), None);
        assert_eq!(cookie_domain(&Raw::Absent, "vg.no"), None);
    }

    #[test]
    fn answers() {
        let body = |error_object, result| Body {
            error_object,
            result,
        };
        let json = Some("application/json");
        assert_eq!(
            answer(200, json, Some(&body(false, Raw::Bool(true)))),
            Answer::Data
        );
        assert_eq!(
            answer(401, json, Some(&body(true, Raw::Bool(false)))),
            Answer::Error
        );
        assert_eq!(answer(500, json, None), Answer::Communication(500));
        assert_eq!(answer(0, None, None), Answer::Communication(503));
        assert_eq!(
            answer(200, Some("text/plain"), Some(&body(false, Raw::Bool(true)))),
            Answer::Communication(200)
        );
    }
}
