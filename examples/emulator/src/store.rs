//! The in-memory store: sessions, tokens, active faults and the request log,
//! behind one mutex owned by [`crate::app::App`].

use std::collections::{HashMap, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::faults::Fault;

/// Lifetime of a session created by `/__emulator/login`.
pub(crate) const SESSION_TTL_SECS: u64 = 2 * 60 * 60;
/// How many requests the log keeps.
pub(crate) const MAX_LOGGED_REQUESTS: usize = 10_000;

pub(crate) struct Session {
    pub(crate) seq: u64,
    pub(crate) user_id: u64,
    pub(crate) display_name: String,
    pub(crate) created_at: u64,
    pub(crate) expires_at: u64,
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
}

/// One request of the log. Secrets are redacted (see [`crate::redact`]):
/// token-like query parameters, the session cookie, the `Authorization`
/// credentials, and token-like parameters of the `Referer`.
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
}

#[derive(Default)]
pub(crate) struct Store {
    pub(crate) next_seq: u64,
    pub(crate) sessions: HashMap<String, Session>,
    pub(crate) tokens: Vec<Token>,
    pub(crate) faults: Vec<Fault>,
    pub(crate) requests: VecDeque<LogEntry>,
}

impl Store {
    /// The live session of that id; expired sessions are removed.
    pub(crate) fn session(&mut self, id: &str, now: u64) -> Option<&Session> {
        if self.sessions.get(id).is_some_and(|s| s.expires_at <= now) {
            self.sessions.remove(id);
        }
        self.sessions.get(id)
    }

    pub(crate) fn token(&self, access: &str) -> Option<&Token> {
        self.tokens
            .iter()
            .find(|t| !t.revoked && !access.is_empty() && t.access == access)
    }

    /// `Some(!revoked)` for a known access or refresh token, `None` for an unknown one.
    pub(crate) fn token_status(&self, value: &str) -> Option<bool> {
        self.tokens
            .iter()
            .rev()
            .find(|t| t.access == value || t.refresh == value)
            .map(|t| !t.revoked)
    }

    /// Revoke a valid access token (and with it its refresh token).
    pub(crate) fn revoke(&mut self, access: &str) -> bool {
        match self
            .tokens
            .iter_mut()
            .find(|t| !t.revoked && !access.is_empty() && t.access == access)
        {
            Some(t) => {
                t.revoked = true;
                true
            }
            None => false,
        }
    }

    /// Append to the request log, dropping the oldest entry when it is full.
    pub(crate) fn log(&mut self, entry: LogEntry) {
        if self.requests.len() >= MAX_LOGGED_REQUESTS {
            self.requests.pop_front();
        }
        self.requests.push_back(entry);
    }

    /// Forget sessions, tokens, faults and the request log.
    pub(crate) fn reset(&mut self) {
        self.sessions.clear();
        self.tokens.clear();
        self.faults.clear();
        self.requests.clear();
    }
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
