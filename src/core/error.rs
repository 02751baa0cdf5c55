//! Typed failures. Messages are static so no failure path pulls in `core::fmt`
//! and no message can ever carry a token or a URL.

/// The stable `code` of an `SdkError`, part of the public API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// `createClient` options are wrong.
    InvalidConfig,
    /// A method argument is wrong; nothing was sent.
    InvalidArgument,
    /// The request failed: network down, CORS refused, connection dropped.
    Network,
    /// No answer within the configured `timeout`; the request was aborted.
    Timeout,
    /// The server answered with a status the protocol does not expect, or a redirect.
    Http,
    /// The answer is not JSON, too large, or not the shape the protocol promises.
    InvalidResponse,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 6] = [
        ErrorCode::InvalidConfig,
        ErrorCode::InvalidArgument,
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::Http,
        ErrorCode::InvalidResponse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidConfig => "invalid_config",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Http => "http",
            ErrorCode::InvalidResponse => "invalid_response",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdkError {
    pub code: ErrorCode,
    pub message: &'static str,
    /// The HTTP status, for `ErrorCode::Http` (and parse failures of an answer).
    pub status: Option<u16>,
}

impl SdkError {
    pub const fn new(code: ErrorCode, message: &'static str) -> Self {
        SdkError {
            code,
            message,
            status: None,
        }
    }

    pub const fn config(message: &'static str) -> Self {
        Self::new(ErrorCode::InvalidConfig, message)
    }

    pub const fn argument(message: &'static str) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
    }

    pub const fn http(status: u16) -> Self {
        SdkError {
            code: ErrorCode::Http,
            message: "Unexpected HTTP status from SchAcc",
            status: Some(status),
        }
    }

    /// A 3xx: the SDK follows no redirect, so a redirect is never evidence.
    pub const fn redirect() -> Self {
        Self::new(
            ErrorCode::Http,
            "SchAcc answered with a redirect, which the SDK does not follow",
        )
    }

    pub const fn invalid_response(status: u16, message: &'static str) -> Self {
        SdkError {
            code: ErrorCode::InvalidResponse,
            message,
            status: Some(status),
        }
    }
}
