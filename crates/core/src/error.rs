//! Typed failures, and every word of them: the codes and the messages the
//! SDK fails with are these lists, so no failure path pulls in `core::fmt`
//! and no message can ever carry a token or a URL. The wasm hands the browser
//! only the numbers of the code and the message; the build writes the lists
//! as text into the JavaScript (`pkg-template/names.js`, from `src/names.rs`),
//! so the texts are shipped once, and the loader's own failures (an argument
//! too long, an unknown event name, …) are messages of this list too. Two kinds
//! of failure carry other words: a failed load (`ErrorCode::Load`), whose
//! message names its cause (`pkg-template/load-error.js`), and the SPiD 2.x
//! drop-in's option errors (`pkg-template/global.js`, `'[SPiD] …'`).

/// The stable `code` of an `SdkError`, part of the public API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
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
    /// The wasm could not be loaded (raised by the loader, never by the wasm).
    Load,
    /// The session service needs a top-level visit to renew its cookie
    /// (`{"redirectURL"}`); the error's `url` is where.
    SessionRenewal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::InvalidConfig,
        ErrorCode::InvalidArgument,
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::Http,
        ErrorCode::InvalidResponse,
        ErrorCode::Load,
        ErrorCode::SessionRenewal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidConfig => "invalid_config",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Http => "http",
            ErrorCode::InvalidResponse => "invalid_response",
            ErrorCode::Load => "load",
            ErrorCode::SessionRenewal => "session_renewal",
        }
    }
}

/// What went wrong, in words: `SdkError.message`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Message {
    OptionsNotObject,
    ClientId,
    Server,
    ServerCredentials,
    ServerNotHttps,
    ServerQuery,
    ServerTooLong,
    DefaultRedirectUri,
    RedirectUriNotText,
    Timeout,
    Fallback,
    CrossTab,
    SessionDomain,
    SessionDomainNotText,
    SdrnNamespace,
    SessionRenewal,
    BeforeSessionRenewal,
    CacheTtl,
    HasSessionOptions,
    ArgsNotObject,
    LoginState,
    LoginRedirectUri,
    AcrValues,
    LoginOption,
    RedirectUriCredentials,
    RedirectUri,
    OauthToken,
    NoAnswer,
    NoAnswerInTime,
    NavigationRefused,
    UnexpectedStatus,
    LoginException,
    Redirect,
    NotJson,
    WrongShape,
    TooLarge,
    UnknownCall,
    Destroyed,
    RenewalNavigating,
    RenewalTooSoon,
    RenewalOff,
    /// The loader's own (`pkg-template/index.js`), before anything reaches the wasm.
    TooLong,
    Unreadable,
    UnknownEvent,
    ListenerNotFunction,
}

impl Message {
    pub const ALL: [Message; 45] = [
        Message::OptionsNotObject,
        Message::ClientId,
        Message::Server,
        Message::ServerCredentials,
        Message::ServerNotHttps,
        Message::ServerQuery,
        Message::ServerTooLong,
        Message::DefaultRedirectUri,
        Message::RedirectUriNotText,
        Message::Timeout,
        Message::Fallback,
        Message::CrossTab,
        Message::SessionDomain,
        Message::SessionDomainNotText,
        Message::SdrnNamespace,
        Message::SessionRenewal,
        Message::BeforeSessionRenewal,
        Message::CacheTtl,
        Message::HasSessionOptions,
        Message::ArgsNotObject,
        Message::LoginState,
        Message::LoginRedirectUri,
        Message::AcrValues,
        Message::LoginOption,
        Message::RedirectUriCredentials,
        Message::RedirectUri,
        Message::OauthToken,
        Message::NoAnswer,
        Message::NoAnswerInTime,
        Message::NavigationRefused,
        Message::UnexpectedStatus,
        Message::LoginException,
        Message::Redirect,
        Message::NotJson,
        Message::WrongShape,
        Message::TooLarge,
        Message::UnknownCall,
        Message::Destroyed,
        Message::RenewalNavigating,
        Message::RenewalTooSoon,
        Message::RenewalOff,
        Message::TooLong,
        Message::Unreadable,
        Message::UnknownEvent,
        Message::ListenerNotFunction,
    ];

    pub fn text(self) -> &'static str {
        match self {
            Message::OptionsNotObject => "createClient expects an options object",
            Message::ClientId => "clientId must be a non-empty string without whitespace, control or invisible characters",
            Message::Server => "server must be an absolute https URL (http only for localhost)",
            Message::ServerCredentials => "server must not contain credentials",
            Message::ServerNotHttps => "server must use https (http only for localhost)",
            Message::ServerQuery => "server must not contain a query, fragment or whitespace",
            Message::ServerTooLong => "server is too long",
            Message::DefaultRedirectUri => "redirectUri must be an absolute http(s) URL without credentials",
            Message::RedirectUriNotText => "redirectUri must be a string",
            Message::Timeout => "timeout must be a number of milliseconds from 1 to 300000",
            Message::Fallback => "fallback must be 'auto', 'always' or 'never'",
            Message::CrossTab => "crossTab must be a boolean",
            Message::SessionDomain => "sessionDomain must be an absolute https URL of the site's session service (http only for localhost)",
            Message::SessionDomainNotText => "sessionDomain must be a string",
            Message::SdrnNamespace => "sdrnNamespace must be letters, digits, '.', '-' or '_'",
            Message::SessionRenewal => "sessionRenewal must be a boolean",
            Message::BeforeSessionRenewal => "beforeSessionRenewal must be a function",
            Message::CacheTtl => "cacheTtl must be a number of milliseconds from 0 to 86400000",
            Message::HasSessionOptions => "hasSession expects { fresh: boolean }",
            Message::ArgsNotObject => "Expected an options object { redirectUri, oauthToken }",
            Message::LoginState => "login needs a state: a non-empty string without control characters",
            Message::LoginRedirectUri => "login needs a redirectUri (its own or createClient's)",
            Message::AcrValues => "acrValues must be 'otp-email', or any of password otp sms eid-dk eid-no eid-se eid-fi eid",
            Message::LoginOption => "scope, loginHint, tag, teaser, locale and prompt must be strings without control characters, maxAge a whole number, oneStepLogin a boolean",
            Message::RedirectUriCredentials => "redirectUri must not contain credentials",
            Message::RedirectUri => "redirectUri must be an absolute http(s) URL",
            Message::OauthToken => "oauthToken must be a non-empty string of printable ASCII characters",
            Message::NoAnswer => "Could not reach SchAcc (network, CORS or server down)",
            Message::NoAnswerInTime => "SchAcc did not answer in time",
            Message::NavigationRefused => "The browser refused to navigate the top-level page (a cross-origin or sandboxed frame, or no page)",
            Message::UnexpectedStatus => "Unexpected HTTP status from SchAcc",
            Message::LoginException => "SchAcc could not tell who is logged in (LoginException)",
            Message::Redirect => "SchAcc answered with a redirect, which the SDK does not follow",
            Message::NotJson => "SchAcc did not answer with JSON",
            Message::WrongShape => "SchAcc answered with JSON of the wrong shape",
            Message::TooLarge => "SchAcc's answer is too large",
            Message::UnknownCall => "Unknown client or operation (the loader and the wasm disagree)",
            Message::Destroyed => "This client was destroyed",
            Message::RenewalNavigating => "Renewing the session service's cookie: the page is going there",
            Message::RenewalTooSoon => "The session service asked for another renewal within 5 minutes",
            Message::RenewalOff => "The session service needs a renewal visit (sessionRenewal is off)",
            Message::TooLong => "An argument is too long",
            Message::Unreadable => "An option could not be read",
            Message::UnknownEvent => "Unknown event name (expected SPiD.login, SPiD.logout, …)",
            Message::ListenerNotFunction => "The listener must be a function",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdkError {
    pub code: ErrorCode,
    pub message: Message,
    /// The HTTP status, for `ErrorCode::Http` (and parse failures of an answer).
    pub status: Option<u16>,
}

impl SdkError {
    pub const fn new(code: ErrorCode, message: Message) -> Self {
        SdkError {
            code,
            message,
            status: None,
        }
    }

    pub const fn config(message: Message) -> Self {
        Self::new(ErrorCode::InvalidConfig, message)
    }

    pub const fn argument(message: Message) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
    }

    pub const fn http(status: u16) -> Self {
        SdkError {
            code: ErrorCode::Http,
            message: Message::UnexpectedStatus,
            status: Some(status),
        }
    }

    /// A 3xx: the SDK follows no redirect, so a redirect is never evidence.
    pub const fn redirect() -> Self {
        Self::new(ErrorCode::Http, Message::Redirect)
    }

    pub const fn invalid_response(status: u16, message: Message) -> Self {
        SdkError {
            code: ErrorCode::InvalidResponse,
            message,
            status: Some(status),
        }
    }
}
