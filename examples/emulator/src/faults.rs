//! Injected faults (`POST /__emulator/fault`): what a fault is, its
//! validation, the response it makes, and consuming one use of it.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::response::Body;
use crate::store::{truncate, Store, MAX_FIELD_BYTES};

const MAX_FAULT_BODY_SIZE: usize = 16 * 1024 * 1024;
const MAX_FAULT_DELAY_MS: u64 = 10 * 60 * 1000;
/// Most faults active at once (one per path).
pub(crate) const MAX_FAULTS: usize = 64;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Fault {
    pub(crate) path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_size: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(default)]
    pub(crate) delay_ms: u64,
    #[serde(default)]
    pub(crate) drop: bool,
    #[serde(default)]
    pub(crate) no_cors: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    times: Option<u64>,
}

impl Fault {
    /// Whether the fault replaces the response (otherwise it only delays
    /// and/or strips CORS headers from the normal response).
    pub(crate) fn replaces_response(&self) -> bool {
        self.drop
            || self.status.is_some()
            || self.body.is_some()
            || self.body_size.is_some()
            || self.content_type.is_some()
    }

    /// The fault as `/__emulator/state` lists it: its `body` cut to
    /// [`MAX_FIELD_BYTES`] bytes.
    pub(crate) fn summary(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(body) = v.get_mut("body") {
            if let Some(text) = body.as_str() {
                *body = Value::String(truncate(text, MAX_FIELD_BYTES));
            }
        }
        v
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        if !self.path.starts_with('/') {
            return Err("path must start with /".into());
        }
        if self.path.starts_with("/__emulator/") {
            return Err("/__emulator/ paths cannot be faulted".into());
        }
        if let Some(s) = self.status {
            if !(200..=599).contains(&s) {
                return Err("status must be within 200..=599".into());
            }
        }
        if let Some(ct) = &self.content_type {
            if HeaderValue::from_str(ct).is_err() {
                return Err("contentType is not a valid header value".into());
            }
        }
        if self.body_size.is_some_and(|n| n > MAX_FAULT_BODY_SIZE) {
            return Err(format!("bodySize must be at most {MAX_FAULT_BODY_SIZE}"));
        }
        if self.delay_ms > MAX_FAULT_DELAY_MS {
            return Err(format!("delayMs must be at most {MAX_FAULT_DELAY_MS}"));
        }
        if self.times == Some(0) {
            return Err("times must be at least 1".into());
        }
        Ok(())
    }

    pub(crate) fn response(&self) -> Response<Body> {
        let body = match (self.body_size, &self.body) {
            (Some(n), _) => filler(n),
            (None, Some(b)) => b.clone().into_bytes(),
            (None, None) => b"{}".to_vec(),
        };
        let mut resp = Response::new(Full::new(Bytes::from(body)));
        *resp.status_mut() = self
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::OK);
        let ct = self
            .content_type
            .as_deref()
            .and_then(|c| HeaderValue::from_str(c).ok())
            .unwrap_or(HeaderValue::from_static("application/json"));
        resp.headers_mut().insert(CONTENT_TYPE, ct);
        resp.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp
    }
}

impl Store {
    /// Consume one use of the fault for `path`, if any.
    pub(crate) fn take_fault(&mut self, path: &str) -> Option<Fault> {
        let idx = self.faults.iter().position(|f| f.path == path)?;
        let fault = self.faults[idx].clone();
        if let Some(n) = self.faults[idx].times.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.faults.remove(idx);
            }
        }
        Some(fault)
    }

    /// Add a fault, replacing any fault for the same path; at most
    /// [`MAX_FAULTS`] paths have one.
    pub(crate) fn add_fault(&mut self, fault: Fault) -> Result<(), String> {
        self.faults.retain(|f| f.path != fault.path);
        if self.faults.len() >= MAX_FAULTS {
            return Err(format!(
                "at most {MAX_FAULTS} faults can be active (DELETE /__emulator/fault clears them)"
            ));
        }
        self.faults.push(fault);
        Ok(())
    }
}

/// Exactly `n` bytes of `{"result":true,"pad":"xxx…"}` (truncated when `n` is tiny).
fn filler(n: usize) -> Vec<u8> {
    const HEAD: &[u8] = br#"{"result":true,"pad":""#;
    const TAIL: &[u8] = br#""}"#;
    let mut v = Vec::with_capacity(n.max(HEAD.len() + TAIL.len()));
    v.extend_from_slice(HEAD);
    v.resize(HEAD.len() + n.saturating_sub(HEAD.len() + TAIL.len()), b'x');
    v.extend_from_slice(TAIL);
    v.truncate(n);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_sizes() {
        for n in [0, 1, 5, 23, 24, 25, 100, 4096] {
            let f = filler(n);
            assert_eq!(f.len(), n);
        }
        assert_eq!(filler(26), br#"{"result":true,"pad":"xx"}"#.to_vec());
    }
}
