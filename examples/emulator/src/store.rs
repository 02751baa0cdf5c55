//! The in-memory store: sessions, tokens, active faults and the request log,
//! behind one mutex owned by [`crate::app::App`]. Everything in it is
//! bounded: sessions and tokens expire and are capped (expired, then
//! revoked, then oldest evicted first), the request log is a ring bounded in
//! entries and bytes, and its fields are truncated.

use std::collections::{HashMap, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::adopt::AdoptCodes;
use crate::faults::Fault;
use crate::renewal::Renewal;

/// Lifetime of a session created by `/__emulator/login`.
pub(crate) const SESSION_TTL_SECS: u64 = 2 * 60 * 60;
/// Lifetime of a token pair minted by `/__emulator/token`.
pub(crate) const TOKEN_TTL_SECS: u64 = 2 * 60 * 60;
/// Most live sessions kept; the oldest is evicted to make room.
pub(crate) const MAX_SESSIONS: usize = 5_000;
/// Most token pairs kept; the oldest revoked, else the oldest, is evicted.
pub(crate) const MAX_TOKENS: usize = 5_000;
/// How many requests the log keeps (the most recent ones).
pub(crate) const MAX_LOGGED_REQUESTS: usize = 2_000;
/// Most bytes of logged fields kept in the request log (oldest evicted).
pub(crate) const MAX_LOG_BYTES: usize = 512 * 1024;
/// Longest string field of a logged request, and of a fault body in the state.
pub(crate) const MAX_FIELD_BYTES: usize = 512;
/// Longest display name kept for a session or token.
pub(crate) const MAX_DISPLAY_NAME_BYTES: usize = 256;

pub(crate) struct Session {
    pub(crate) seq: u64,
    pub(crate) user_id: u64,
    pub(crate) display_name: String,
    pub(crate) created_at: u64,
    pub(crate) expires_at: u64,
    /// What the dev login granted: products, and products with a subscription.
    pub(crate) grants: Grants,
    /// The session's `sp_id` (what SPiD 2.x's Varnish cookie `SP_ID` holds):
    /// 24 hex characters from the CSPRNG, not a secret of the session.
    pub(crate) sp_id: String,
}

/// Most products (or subscriptions) one login may grant.
pub(crate) const MAX_GRANTS: usize = 64;
/// Longest product id of a grant.
pub(crate) const MAX_PRODUCT_ID_BYTES: usize = 128;

/// The products a user has, and those they have a subscription to, as the
/// dev login set them (`products=P1,P2`, `subscriptions=P1`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Grants {
    pub(crate) products: Vec<String>,
    pub(crate) subscriptions: Vec<String>,
}

impl Grants {
    /// The user's `subscriptionId` for `product`, or `None` without one.
    pub(crate) fn subscription(&self, product: &str) -> Option<String> {
        self.subscriptions
            .iter()
            .any(|p| p == product)
            .then(|| format!("sub-{product}"))
    }

    /// Whether the user has `product`: granted as a product or through a subscription.
    pub(crate) fn has_product(&self, product: &str) -> bool {
        self.products
            .iter()
            .chain(&self.subscriptions)
            .any(|p| p == product)
    }
}

/// The user's `uuid` (stable per user, as SchAcc's is): what SPiD 2.x's
/// product cache is keyed on.
pub(crate) fn user_uuid(user_id: u64) -> String {
    format!(
        "00000000-0000-4000-8000-{:012x}",
        user_id & 0xffff_ffff_ffff
    )
}

pub(crate) struct Token {
    pub(crate) access: String,
    /// Issued to the caller; it is revoked together with its access token
    /// (`revoked` covers both), and no endpoint accepts it.
    pub(crate) refresh: String,
    pub(crate) user_id: u64,
    pub(crate) display_name: String,
    pub(crate) client_id: String,
    pub(crate) revoked: bool,
    pub(crate) expires_at: u64,
}

/// One request of the log. Secrets are redacted (see [`crate::redact`]):
/// token-like query parameters, the session cookie, the `Authorization`
/// credentials, and token-like parameters of the `Referer`. Every string is
/// at most [`MAX_FIELD_BYTES`] (plus a truncation marker).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LogEntry {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    /// Whether a `schacc_session` cookie was sent.
    pub(crate) cookie: bool,
    /// Whether an `Authorization` header was sent.
    pub(crate) authorization: bool,
    pub(crate) origin: Option<String>,
    pub(crate) referer: Option<String>,
    pub(crate) status: Option<u16>,
    /// The session cookie's value, redacted.
    pub(crate) session_id: Option<String>,
    /// The `Authorization` header, its credentials redacted (`Bearer abcd…(64)`).
    pub(crate) credentials: Option<String>,
    /// `schacc`, or `session` for the session service.
    pub(crate) listener: &'static str,
}

impl LogEntry {
    /// Bytes of its strings (what the log's byte bound counts).
    fn bytes(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        self.method.len()
            + self.path.len()
            + self.query.len()
            + opt(&self.origin)
            + opt(&self.referer)
            + opt(&self.session_id)
            + opt(&self.credentials)
    }
}

#[derive(Default)]
pub(crate) struct Store {
    pub(crate) next_seq: u64,
    pub(crate) sessions: HashMap<String, Session>,
    pub(crate) tokens: Vec<Token>,
    pub(crate) faults: Vec<Fault>,
    pub(crate) requests: VecDeque<LogEntry>,
    /// One-time codes of the dev login's hand-over between the two doors.
    pub(crate) adopt_codes: AdoptCodes,
    /// `{"redirectURL"}` answers the next session requests give.
    pub(crate) session_renewal: Option<Renewal>,
    /// Refresh bounces that set the service's cookie again.
    pub(crate) renewals_done: u64,
    /// Authorization codes issued by `POST /oauth/authorize`.
    pub(crate) authorization_codes: u64,
    log_bytes: usize,
}

impl Store {
    /// The live session of that id; expired sessions are removed.
    pub(crate) fn session(&mut self, id: &str, now: u64) -> Option<&Session> {
        if self.sessions.get(id).is_some_and(|s| s.expires_at <= now) {
            self.sessions.remove(id);
        }
        self.sessions.get(id)
    }

    /// Add a session under `id` (display name truncated), making room: expired
    /// sessions go first, then the oldest.
    pub(crate) fn insert_session(
        &mut self,
        id: String,
        user_id: u64,
        display_name: &str,
        grants: Grants,
        sp_id: String,
        now: u64,
    ) {
        if self.sessions.len() >= MAX_SESSIONS {
            self.sessions.retain(|_, s| s.expires_at > now);
        }
        make_room(&mut self.sessions, MAX_SESSIONS, |s| s.seq);
        self.next_seq += 1;
        let session = Session {
            seq: self.next_seq,
            user_id,
            display_name: truncate(display_name, MAX_DISPLAY_NAME_BYTES),
            created_at: now,
            expires_at: now + SESSION_TTL_SECS,
            grants,
            sp_id,
        };
        self.sessions.insert(id, session);
    }

    /// Live sessions, oldest first (expired ones are removed).
    pub(crate) fn live_sessions(&mut self, now: u64) -> Vec<(&String, &Session)> {
        self.sessions.retain(|_, s| s.expires_at > now);
        let mut sessions: Vec<(&String, &Session)> = self.sessions.iter().collect();
        sessions.sort_by_key(|(_, s)| s.seq);
        sessions
    }

    /// Add a token pair, making room: expired pairs go first, then the
    /// oldest revoked one, then the oldest.
    pub(crate) fn insert_token(&mut self, mut token: Token, now: u64) {
        self.tokens.retain(|t| t.expires_at > now);
        while self.tokens.len() >= MAX_TOKENS {
            let victim = self.tokens.iter().position(|t| t.revoked).unwrap_or(0);
            self.tokens.remove(victim);
        }
        token.display_name = truncate(&token.display_name, MAX_DISPLAY_NAME_BYTES);
        self.tokens.push(token);
    }

    /// The valid (known, not revoked, not expired) access token `access`.
    pub(crate) fn token(&self, access: &str, now: u64) -> Option<&Token> {
        self.tokens
            .iter()
            .find(|t| !t.revoked && t.expires_at > now && !access.is_empty() && t.access == access)
    }

    /// `Some(active)` for a known access or refresh token, `None` for an unknown one.
    pub(crate) fn token_status(&self, value: &str, now: u64) -> Option<bool> {
        self.tokens
            .iter()
            .rev()
            .find(|t| t.access == value || t.refresh == value)
            .map(|t| !t.revoked && t.expires_at > now)
    }

    /// Revoke a valid access token (and with it its refresh token).
    pub(crate) fn revoke(&mut self, access: &str, now: u64) -> bool {
        match self
            .tokens
            .iter_mut()
            .find(|t| !t.revoked && t.expires_at > now && !access.is_empty() && t.access == access)
        {
            Some(t) => {
                t.revoked = true;
                true
            }
            None => false,
        }
    }

    /// Append to the request log, dropping the oldest entries while it holds
    /// more than [`MAX_LOGGED_REQUESTS`] entries or [`MAX_LOG_BYTES`] bytes.
    pub(crate) fn log(&mut self, entry: LogEntry) {
        self.log_bytes += entry.bytes();
        self.requests.push_back(entry);
        while self.requests.len() > MAX_LOGGED_REQUESTS || self.log_bytes > MAX_LOG_BYTES {
            match self.requests.pop_front() {
                Some(old) => self.log_bytes -= old.bytes(),
                None => break,
            }
        }
    }

    /// Forget sessions, tokens, faults, the request log, adopt codes,
    /// renewals (pending and done) and the count of authorization codes.
    pub(crate) fn reset(&mut self) {
        self.sessions.clear();
        self.tokens.clear();
        self.faults.clear();
        self.requests.clear();
        self.adopt_codes.clear();
        self.session_renewal = None;
        self.renewals_done = 0;
        self.authorization_codes = 0;
        self.log_bytes = 0;
    }
}

/// `s` cut to at most `max` bytes (on a character boundary), with a marker
/// `…[+N bytes]` saying how much was cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…[+{} bytes]", &s[..cut], s.len() - cut)
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `n` random bytes from the OS CSPRNG, as lowercase hex.
pub(crate) fn random_hex(n: usize) -> Option<String> {
    let mut buf = vec![0u8; n];
    getrandom::getrandom(&mut buf).ok()?;
    Some(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Removes the entries of `map` with the smallest `age` until fewer than
/// `cap` remain, so one more fits: the bound on what the emulator keeps.
pub(crate) fn make_room<V, A: Ord>(
    map: &mut HashMap<String, V>,
    cap: usize,
    age: impl Fn(&V) -> A,
) {
    while map.len() >= cap {
        let oldest = map
            .iter()
            .min_by_key(|(_, v)| age(v))
            .map(|(k, _)| k.clone());
        match oldest {
            Some(oldest) => map.remove(&oldest),
            None => break,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(query: &str) -> LogEntry {
        LogEntry {
            method: "GET".into(),
            path: "/p".into(),
            query: query.into(),
            cookie: false,
            authorization: false,
            origin: None,
            referer: None,
            status: Some(200),
            session_id: None,
            credentials: None,
            listener: "schacc",
        }
    }

    #[test]
    fn truncation_marks_what_was_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcdef", 3), "abc…[+3 bytes]");
        assert_eq!(truncate("ééé", 3), "é…[+4 bytes]");
    }

    #[test]
    fn log_is_bounded_in_entries_and_bytes() {
        let mut store = Store::default();
        for i in 0..MAX_LOGGED_REQUESTS + 10 {
            store.log(entry(&i.to_string()));
        }
        assert_eq!(store.requests.len(), MAX_LOGGED_REQUESTS);
        assert_eq!(store.requests.front().map(|e| e.query.as_str()), Some("10"));
        let big = "q".repeat(MAX_FIELD_BYTES);
        for _ in 0..MAX_LOGGED_REQUESTS {
            store.log(entry(&big));
        }
        assert!(store.log_bytes <= MAX_LOG_BYTES);
        assert_eq!(store.requests.len(), MAX_LOG_BYTES / (MAX_FIELD_BYTES + 5));
        store.reset();
        assert_eq!(store.log_bytes, 0);
    }

    #[test]
    fn sessions_are_capped_oldest_first() {
        let mut store = Store::default();
        for i in 0..MAX_SESSIONS + 3 {
            store.insert_session(
                format!("s{i}"),
                i as u64,
                "n",
                Grants::default(),
                String::new(),
                100,
            );
        }
        assert_eq!(store.sessions.len(), MAX_SESSIONS);
        assert!(store.session("s0", 100).is_none() && store.session("s2", 100).is_none());
        assert!(store.session("s3", 100).is_some());
        // Expired sessions make room before live ones are evicted.
        let mut store = Store::default();
        store.insert_session("old".into(), 1, "n", Grants::default(), String::new(), 0);
        for i in 1..MAX_SESSIONS + 1 {
            store.insert_session(
                format!("s{i}"),
                1,
                "n",
                Grants::default(),
                String::new(),
                SESSION_TTL_SECS + 1,
            );
        }
        assert!(store.sessions.contains_key("s1"));
        assert!(!store.sessions.contains_key("old"));
    }

    #[test]
    fn tokens_are_capped_revoked_first_and_expire() {
        let token = |n: usize, now: u64| Token {
            access: format!("a{n}"),
            refresh: format!("r{n}"),
            user_id: 1,
            display_name: "x".repeat(1000),
            client_id: "c".into(),
            revoked: false,
            expires_at: now + TOKEN_TTL_SECS,
        };
        let mut store = Store::default();
        for n in 0..MAX_TOKENS {
            store.insert_token(token(n, 0), 0);
        }
        assert!(store.revoke("a7", 0));
        store.insert_token(token(MAX_TOKENS, 0), 0);
        assert_eq!(store.tokens.len(), MAX_TOKENS);
        assert_eq!(
            store.token_status("a7", 0),
            None,
            "the revoked pair went first"
        );
        assert_eq!(store.token_status("a0", 0), Some(true));
        store.insert_token(token(MAX_TOKENS + 1, 0), 0);
        assert_eq!(store.token_status("a0", 0), None, "then the oldest");
        assert!(store.tokens.iter().all(|t| t.display_name.len() < 300));
        // Expiry.
        assert!(store.token("a1", TOKEN_TTL_SECS - 1).is_some());
        assert!(store.token("a1", TOKEN_TTL_SECS).is_none());
        assert_eq!(store.token_status("a1", TOKEN_TTL_SECS), Some(false));
        assert!(!store.revoke("a1", TOKEN_TTL_SECS));
    }
}
