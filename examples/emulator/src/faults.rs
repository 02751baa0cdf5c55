//! Injected faults (`POST /__emulator/fault`): what a fault is, its
//! validation, the response it makes, and consuming one use of it.

use std::collections::BTreeMap;

use hyper::header::{HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::body::filler;
use crate::response::Body;
use crate::store::{truncate, Store, MAX_FIELD_BYTES};

const MAX_FAULT_BODY_SIZE: usize = 16 * 1024 * 1024;
/// Largest `streamSize`: 1 GiB.
const MAX_FAULT_STREAM_SIZE: u64 = 1 << 30;
const MAX_FAULT_DELAY_MS: u64 = 10 * 60 * 1000;
/// Most extra headers of one fault.
const MAX_FAULT_HEADERS: usize = 32;
/// Headers a fault cannot set: they frame the message or the connection.
const FRAMING_HEADERS: &[&str] = &[
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
];
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
    stream_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<BTreeMap<String, String>>,
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
    /// Whether the fault replaces the response (otherwise it only delays,
    /// strips CORS headers from and/or adds headers to the normal response).
    pub(crate) fn replaces_response(&self) -> bool {
        self.drop
            || self.status.is_some()
            || self.body.is_some()
            || self.body_size.is_some()
            || self.stream_size.is_some()
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
        if self.stream_size.is_some_and(|n| n > MAX_FAULT_STREAM_SIZE) {
            return Err(format!(
                "streamSize must be at most {MAX_FAULT_STREAM_SIZE}"
            ));
        }
        if self.stream_size.is_some() && (self.body.is_some() || self.body_size.is_some()) {
            return Err("streamSize cannot be combined with body or bodySize".into());
        }
        if let Some(headers) = &self.headers {
            if headers.len() > MAX_FAULT_HEADERS {
                return Err(format!("at most {MAX_FAULT_HEADERS} headers"));
            }
            for (name, value) in headers {
                let Ok(parsed) = HeaderName::from_bytes(name.as_bytes()) else {
                    return Err(format!("header name {name:?} is not valid"));
                };
                if FRAMING_HEADERS.contains(&parsed.as_str()) {
                    return Err(format!("header {name:?} cannot be set by a fault"));
                }
                if HeaderValue::from_str(value).is_err() {
                    return Err(format!("the value of header {name:?} is not valid"));
                }
            }
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
        let body = match (self.stream_size, self.body_size, &self.body) {
            (Some(n), _, _) => Body::filler_stream(n),
            (None, Some(n), _) => Body::full(filler(n)),
            (None, None, Some(b)) => Body::full(b.clone()),
            (None, None, None) => Body::full(&b"{}"[..]),
        };
        let mut resp = Response::new(body);
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

    /// Sets the fault's extra headers on `resp` (last, so they win over
    /// anything the emulator set, CORS included).
    pub(crate) fn add_headers(&self, resp: &mut Response<Body>) {
        for (name, value) in self.headers.iter().flatten() {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                resp.headers_mut().insert(name, value);
            }
        }
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
