//! The invariants of the pure core, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs`) and the native corpus replay
//! (`tests/fuzz_corpus.rs`), which both include this file with `#[path]`.
//!
//! Inputs are raw bytes decoded by the small `Input` reader below (no
//! `arbitrary` needed, so the root crate gains no dependency). The decoding is
//! total: every byte string is a valid input, and running out of bytes reads
//! zeros / empty strings.
//!
//! Every check panics (via `assert!`) when an invariant is broken; libFuzzer
//! reports that as a crash, `cargo test` as a failure.

#![allow(dead_code)]

use schacc_sdk::core::config::{
    checked_redirect_uri, checked_token, Config, Endpoint, Fallback, Method, Raw, RawOptions,
    RedirectArgs, MAX_CLIENT_ID_LEN, MAX_TIMEOUT_MS, MAX_TOKEN_LEN,
};
use schacc_sdk::core::error::ErrorCode;
use schacc_sdk::core::fallback::{self, Fetched};
use schacc_sdk::core::response::{self, Body, Fields, Reply};
use schacc_sdk::core::session::{diff, Event, Session, UserId};
use schacc_sdk::core::url::{
    self, check_http_url, is_invisible, read_like_a_browser as read, HttpUrl, UrlProblem,
    MAX_URL_LEN,
};
use schacc_sdk::core::user_agent::blocks_third_party_cookies;

/// A fuzz target's check: panics when an invariant breaks.
pub type Check = fn(&[u8]);

/// Every fuzz target: its name (= `fuzz/corpus/<name>/`) and its check.
pub const TARGETS: &[(&str, Check)] = &[
    ("config", check_config),
    ("url", check_url),
    ("response", check_response),
    ("session", check_session),
    ("user_agent", check_user_agent),
];

// ---------------------------------------------------------------- decoding

pub struct Input<'a> {
    data: &'a [u8],
}

/// Numbers a fuzzer rarely finds by chance, picked by a tag byte < 24.
const NUMBERS: [f64; 24] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    MAX_TIMEOUT_MS,
    MAX_TIMEOUT_MS + 0.5,
    MAX_TIMEOUT_MS + 1.0,
    0.5,
    0.999_999,
    1e12,
    f64::MAX,
    f64::MIN_POSITIVE,
    5000.0,
    200.0,
    200.000_000_1,
    1001.0,
    4_294_967_296.0,
    -300_000.0,
    1.5,
    f64::EPSILON,
    9_007_199_254_740_993.0,
];

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        head
    }

    /// A length byte (0xFF: two more bytes, big-endian, for long strings),
    /// then that many bytes read as UTF-8 (invalid sequences become U+FFFD).
    pub fn string(&mut self) -> String {
        let mut len = usize::from(self.byte());
        if len == 0xFF {
            len = usize::from(self.byte()) << 8 | usize::from(self.byte());
        }
        String::from_utf8_lossy(self.bytes(len)).into_owned()
    }

    pub fn number(&mut self) -> f64 {
        let tag = self.byte();
        if usize::from(tag) < NUMBERS.len() {
            NUMBERS[usize::from(tag)]
        } else {
            let mut bits = [0u8; 8];
            let got = self.bytes(8);
            bits[..got.len()].copy_from_slice(got);
            f64::from_le_bytes(bits)
        }
    }

    pub fn raw(&mut self) -> Raw {
        match self.byte() % 5 {
            0 => Raw::Absent,
            1 => Raw::Text(self.string()),
            2 => Raw::Number(self.number()),
            3 => Raw::Bool(self.byte() & 1 == 1),
            _ => Raw::Other,
        }
    }
}

// ---------------------------------------------------------------- helpers

/// Percent-decodes a query value the SDK built; `None` if it is not
/// well-formed (a `%` without two hex digits, or not UTF-8).
pub fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `k=v&k=v` → pairs, every value percent-decoded; asserts the encoded form
/// holds only unreserved characters and `%XX`.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').expect("every parameter is k=v");
            assert!(
                value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
                "a reserved character escaped encoding: {value:?}"
            );
            let decoded = percent_decode(value).expect("the value decodes");
            (key.to_owned(), decoded)
        })
        .collect()
}

fn starts_with_http_ignore_case(input: &str) -> Option<bool> {
    let lower = |n: usize| input.get(..n).map(str::to_ascii_lowercase);
    if lower(8).as_deref() == Some("https://") {
        Some(true)
    } else if lower(7).as_deref() == Some("http://") {
        Some(false)
    } else {
        None
    }
}

/// The checks every accepted redirect URI (option or argument) must pass.
fn assert_safe_redirect_uri(uri: &str) {
    assert!(!uri.is_empty() && uri.len() <= MAX_URL_LEN, "{uri:?}");
    assert!(
        !uri.chars().any(|c| c.is_control() || c == '\\'),
        "control character or backslash in an accepted redirect URI: {uri:?}"
    );
    assert!(
        !uri.starts_with(char::is_whitespace) && !uri.ends_with(char::is_whitespace),
        "{uri:?}"
    );
    assert!(
        starts_with_http_ignore_case(uri).is_some(),
        "not http(s): {uri:?}"
    );
    let after = &uri[if starts_with_http_ignore_case(uri) == Some(true) {
        8
    } else {
        7
    }..];
    let authority = &after[..after.find(['/', '?', '#']).unwrap_or(after.len())];
    assert!(!authority.contains('@'), "credentials accepted: {uri:?}");
    assert!(!authority.is_empty(), "empty host accepted: {uri:?}");
}

fn parse_http_url(input: &str) -> Result<HttpUrl, UrlProblem> {
    check_http_url(input, &read)
}

fn assert_valid_token(token: &str) {
    assert!(!token.is_empty() && token.len() <= MAX_TOKEN_LEN);
    assert!(token.bytes().all(|b| b.is_ascii_graphic()), "{token:?}");
}

// ---------------------------------------------------------------- config

/// `Config::from_raw` against an independent statement of the rules, then the
/// URLs a valid config builds.
pub fn check_config(data: &[u8]) {
    let mut input = Input::new(data);
    let raw = RawOptions {
        client_id: input.raw(),
        server: input.raw(),
        redirect_uri: input.raw(),
        timeout: input.raw(),
        fallback: input.raw(),
        cross_tab: input.raw(),
        session_domain: input.raw(),
    };
    let result = Config::from_raw(raw.clone(), &read);
    assert_eq!(
        result,
        Config::from_raw(raw.clone(), &read),
        "deterministic"
    );

    // The rules, field by field, stated independently of the implementation.
    let client_id_ok = matches!(&raw.client_id, Raw::Text(id)
        if !id.is_empty() && id.len() <= MAX_CLIENT_ID_LEN
            && !id.chars().any(|c| c.is_whitespace() || is_invisible(c)));
    let base_ok = |text: &str| match parse_http_url(text) {
        Ok(parsed) => {
            (parsed.secure() || parsed.is_loopback())
                && !parsed.0.has_query_or_fragment
                && !text.contains(['?', '#'])
                && !text.contains(char::is_whitespace)
                && parsed.base().len() <= MAX_URL_LEN
        }
        Err(_) => false,
    };
    let server_ok = matches!(&raw.server, Raw::Text(server) if base_ok(server));
    let session_domain_ok = match &raw.session_domain {
        Raw::Absent => true,
        Raw::Text(service) => base_ok(service),
        _ => false,
    };
    let redirect_ok = match &raw.redirect_uri {
        Raw::Absent => true,
        Raw::Text(uri) => parse_http_url(uri).is_ok(),
        _ => false,
    };
    let timeout_ok = match raw.timeout {
        Raw::Absent => true,
        Raw::Number(ms) => (1.0..=MAX_TIMEOUT_MS).contains(&ms),
        _ => false,
    };
    let fallback_ok = match &raw.fallback {
        Raw::Absent => true,
        Raw::Text(mode) => ["auto", "always", "never"].contains(&mode.as_str()),
        _ => false,
    };
    let cross_tab_ok = matches!(raw.cross_tab, Raw::Absent | Raw::Bool(_));
    let expected_ok = client_id_ok
        && server_ok
        && redirect_ok
        && timeout_ok
        && fallback_ok
        && cross_tab_ok
        && session_domain_ok;

    let config = match result {
        Err(error) => {
            assert_eq!(error.code, ErrorCode::InvalidConfig, "{raw:?}");
            assert!(!expected_ok, "refused valid options {raw:?}: {error:?}");
            return;
        }
        Ok(config) => {
            assert!(expected_ok, "accepted invalid options {raw:?}");
            config
        }
    };

    // What a valid config holds.
    let Raw::Text(server_in) = &raw.server else {
        unreachable!()
    };
    assert_eq!(
        config.server,
        parse_http_url(server_in).expect("accepted").base(),
        "the server is stored as the browser reads it"
    );
    assert!(!config.server.ends_with('/'));
    let server = parse_http_url(&config.server).expect("the stored server still parses");
    assert_eq!(server.base(), config.server, "normalising is idempotent");
    assert!(server.secure() || server.is_loopback());
    assert!(!config.server.contains(['?', '#']));
    assert!(!config
        .server
        .contains(|c: char| c.is_whitespace() || c.is_control()));
    assert!((1..=300_000).contains(&config.timeout_ms));
    if let Raw::Number(ms) = raw.timeout {
        assert_eq!(config.timeout_ms, ms as u32);
    }
    if let Some(uri) = &config.redirect_uri {
        assert_safe_redirect_uri(uri);
    }
    let fallback = match &raw.fallback {
        Raw::Text(mode) if mode == "always" => Fallback::Always,
        Raw::Text(mode) if mode == "never" => Fallback::Never,
        _ => Fallback::Auto,
    };
    assert_eq!(config.fallback, fallback);
    assert_eq!(config.cross_tab, raw.cross_tab != Raw::Bool(false));

    // Fetch endpoints: client_id round-trips; the API logout URL has no query;
    // a session service takes hasSession and logout (the logout as a POST).
    let endpoints = match &config.session_domain {
        Some(service) => [
            (Endpoint::HasSession, Method::Get, service, "/v2/session"),
            (Endpoint::Logout, Method::Post, service, "/v2/logout"),
        ],
        None => [
            (
                Endpoint::HasSession,
                Method::Get,
                &config.server,
                "/ajax/hasSession.json",
            ),
            (
                Endpoint::Logout,
                Method::Get,
                &config.server,
                "/ajax/logout.json",
            ),
        ],
    };
    for (endpoint, method, base, path) in endpoints {
        let (built_method, built) = config.endpoint(endpoint);
        assert_eq!(built_method, method);
        let query = built
            .strip_prefix(&format!("{base}{path}?"))
            .expect("endpoint = base + path + query");
        assert_eq!(
            decode_query(query),
            [("client_id".to_owned(), config.client_id.clone())]
        );
    }
    assert_eq!(
        config.endpoint(Endpoint::ApiLogout),
        (Method::Get, format!("{}/api/2/logout", config.server)),
        "a token can never be put in the API logout URL"
    );

    // The redirect flow with arbitrary arguments.
    let args = match input.byte() % 3 {
        0 => None,
        1 => Some(None),
        _ => Some(Some((input.raw(), input.raw()))),
    };
    check_redirect_args(&config, args);
}

fn check_redirect_args(config: &Config, args: Option<Option<(Raw, Raw)>>) {
    let result = RedirectArgs::from_raw(args.clone(), &read);
    let args_value = match result {
        Err(error) => {
            assert_eq!(error.code, ErrorCode::InvalidArgument, "{args:?}");
            // Refused exactly when something in it is wrong.
            match &args {
                None => panic!("absent arguments refused"),
                Some(None) => {}
                Some(Some((uri, token))) => {
                    let uri_ok = match uri {
                        Raw::Absent => true,
                        Raw::Text(uri) => parse_http_url(uri).is_ok(),
                        _ => false,
                    };
                    let token_ok = *token == Raw::Absent || checked_token(token.clone()).is_ok();
                    assert!(!(uri_ok && token_ok), "refused valid arguments {args:?}");
                }
            }
            return;
        }
        Ok(value) => value,
    };
    if let Some(uri) = &args_value.redirect_uri {
        assert_safe_redirect_uri(uri);
    }
    if let Some(token) = &args_value.oauth_token {
        assert_valid_token(token);
    }
    let built = config.logout_url(&args_value);
    let query = built
        .strip_prefix(&format!("{}/logout?", config.server))
        .expect("logout URL = server + /logout?");
    let mut expected = vec![("client_id".to_owned(), config.client_id.clone())];
    if let Some(uri) = args_value
        .redirect_uri
        .as_ref()
        .or(config.redirect_uri.as_ref())
    {
        expected.push(("redirect_uri".to_owned(), uri.clone()));
    }
    if let Some(token) = &args_value.oauth_token {
        expected.push(("oauth_token".to_owned(), token.clone()));
    }
    assert_eq!(decode_query(query), expected, "{built}");
    assert!(!built.contains('#'), "no fragment can survive: {built}");
}

// ---------------------------------------------------------------- url

/// `parse_http_url` against the rules it promises, `checked_redirect_uri`,
/// `checked_token` and `url::build`.
pub fn check_url(data: &[u8]) {
    let mut input = Input::new(data);
    let text = input.string();

    let parsed = parse_http_url(&text);
    let scheme = starts_with_http_ignore_case(&text);
    match parsed {
        Ok(ref url) => {
            assert_eq!(scheme, Some(url.secure()), "{text:?}");
            assert!(text.len() <= MAX_URL_LEN);
            let host = &url.0.hostname;
            assert!(!host.is_empty());
            assert!(!host.contains(['@', '/', '?', '#', '\\']), "{text:?}");
            assert!(!host.contains(char::is_whitespace));
            assert!(!url.0.has_credentials);
            assert!(!text.contains(is_invisible), "{text:?}");
            assert_safe_redirect_uri(&text);
            assert_eq!(
                url.is_loopback(),
                ["localhost", "127.0.0.1", "[::1]"].contains(&host.as_str())
            );
            if url.base().len() <= MAX_URL_LEN {
                let again = parse_http_url(&url.base()).expect("the normalised base parses");
                assert_eq!(again.base(), url.base(), "normalising is idempotent");
            }
        }
        Err(problem) => {
            let expected_first = if text.is_empty() {
                Some(UrlProblem::Empty)
            } else if text.len() > MAX_URL_LEN {
                Some(UrlProblem::TooLong)
            } else if text.chars().any(|c| is_invisible(c) || c == '\\')
                || text.starts_with(char::is_whitespace)
                || text.ends_with(char::is_whitespace)
            {
                Some(UrlProblem::BadCharacters)
            } else if scheme.is_none() {
                Some(UrlProblem::NotHttp)
            } else {
                None
            };
            if let Some(expected) = expected_first {
                assert_eq!(problem, expected, "{text:?}");
            }
            if problem == UrlProblem::Credentials {
                let after = &text[if scheme == Some(true) { 8 } else { 7 }..];
                let authority = &after[..after.find(['/', '?', '#']).unwrap_or(after.len())];
                assert!(authority.contains('@'));
            }
        }
    }

    // checked_redirect_uri accepts exactly what parse_http_url accepts, and
    // maps credentials to their own message.
    match checked_redirect_uri(text.clone(), &read) {
        Ok(uri) => {
            assert_eq!(uri, text);
            assert!(parsed.is_ok());
            assert_safe_redirect_uri(&uri);
        }
        Err(error) => {
            assert_eq!(error.code, ErrorCode::InvalidArgument);
            assert!(parsed.is_err());
        }
    }

    // Tokens: printable ASCII only, 1..=8192 bytes.
    match checked_token(Raw::Text(text.clone())) {
        Ok(token) => assert_valid_token(&token),
        Err(error) => {
            assert_eq!(error.code, ErrorCode::InvalidArgument);
            assert!(
                text.is_empty()
                    || text.len() > MAX_TOKEN_LEN
                    || !text.bytes().all(|b| b.is_ascii_graphic())
            );
        }
    }

    // build(): every value round-trips, absent ones are skipped.
    let base = input.string();
    let path = input.string();
    let keys = ["client_id", "redirect_uri", "oauth_token"];
    let values: Vec<Option<String>> = keys
        .iter()
        .map(|_| (input.byte() & 1 == 1).then(|| input.string()))
        .collect();
    let params: Vec<(&str, Option<&str>)> = keys
        .iter()
        .zip(&values)
        .map(|(key, value)| (*key, value.as_deref()))
        .collect();
    let built = url::build(&base, &path, &params);
    let tail = built
        .strip_prefix(&format!("{base}{path}"))
        .expect("base and path are kept as they are");
    let expected: Vec<(String, String)> = keys
        .iter()
        .zip(&values)
        .filter_map(|(key, value)| value.as_ref().map(|v| ((*key).to_owned(), v.clone())))
        .collect();
    if expected.is_empty() {
        assert_eq!(tail, "");
    } else {
        let query = tail.strip_prefix('?').expect("the query starts with ?");
        assert_eq!(decode_query(query), expected);
    }
}

// ---------------------------------------------------------------- response

fn fields(input: &mut Input) -> Fields {
    Fields {
        result: input.raw(),
        user_id: input.raw(),
        user_status: input.raw(),
        error_type: match input.byte() % 4 {
            0 => Raw::Text("UserException".into()),
            1 => Raw::Text("OAuthException".into()),
            _ => input.raw(),
        },
        code: input.raw(),
    }
}

/// How SchAcc's answers are classified.
pub fn check_response(data: &[u8]) {
    let mut input = Input::new(data);
    let status = match input.byte() % 4 {
        0 => 200,
        1 => 401,
        _ => u16::from_le_bytes([input.byte(), input.byte()]),
    };
    let body = match input.byte() % 8 {
        0 => Body::NotObject,
        1 => Body::NotJson,
        2 => Body::TooLarge,
        _ => Body::Object(fields(&mut input)),
    };
    let reply = Reply {
        status,
        body: body.clone(),
    };
    let object = match &body {
        Body::Object(fields) => Some(fields),
        _ => None,
    };

    // Every failure is `http` (with the status) or `invalid_response`, and
    // leaves it unknown whether the session survived.
    let check_error = |error: &schacc_sdk::core::error::SdkError| {
        assert!(
            matches!(error.code, ErrorCode::Http | ErrorCode::InvalidResponse),
            "{error:?}"
        );
        assert_eq!(error.status, Some(status));
        if error.code == ErrorCode::Http {
            assert_ne!(status, 200, "a 200 is never an http error");
        } else {
            assert_eq!(status, 200, "only a 200's body is parsed for shape");
        }
        // Under 'auto' any such failure leaves the session unproven: finish by redirect.
        let decision = fallback::decide(Fallback::Auto, false, false, Fetched::Failed);
        assert!(decision.redirect);
    };

    match response::has_session(&reply) {
        Ok(session) => match status {
            200 => {
                let fields = object.expect("a session comes from an object");
                assert_eq!(fields.user_status, Raw::Text(session.status.clone()));
                match &session.user {
                    Some(UserId::Number(id)) => {
                        assert!(id.is_finite());
                        assert_eq!(fields.result, Raw::Bool(true));
                        assert_eq!(fields.user_id, Raw::Number(*id));
                    }
                    Some(UserId::Text(id)) => {
                        assert!(!id.is_empty());
                        assert_eq!(fields.result, Raw::Bool(true));
                        assert_eq!(fields.user_id, Raw::Text(id.clone()));
                    }
                    Some(UserId::Unknown) => panic!("a server answer named no user"),
                    None => assert_eq!(fields.result, Raw::Bool(false)),
                }
            }
            401 => {
                let fields = object.expect("a 401 session comes from an object");
                assert_eq!(fields.error_type, Raw::Text("UserException".into()));
                assert_eq!(session.user, None, "a 401 never logs anyone in");
            }
            other => panic!("status {other} gave a session"),
        },
        Err(error) => {
            check_error(&error);
            if status == 401 {
                assert!(
                    !matches!(object, Some(f) if f.error_type == Raw::Text("UserException".into()))
                );
            }
        }
    }

    match response::logout(&reply) {
        Ok(confirmed) => {
            assert_eq!(status, 200);
            assert_eq!(object.expect("object").result, Raw::Bool(confirmed));
        }
        Err(error) => check_error(&error),
    }

    match response::api_logout(&reply) {
        Ok(()) => {
            assert_eq!(status, 200);
            assert_eq!(object.expect("object").code, Raw::Number(200.0));
        }
        Err(error) => check_error(&error),
    }
}

// ---------------------------------------------------------------- session

fn session(input: &mut Input) -> Session {
    let user = match input.byte() % 5 {
        0 | 1 => None,
        // The core only ever makes finite numeric ids (has_session refuses
        // others), so only those are generated.
        2 => Some(UserId::Number(match input.number() {
            id if id.is_finite() => id,
            _ => 1001.0,
        })),
        3 => Some(UserId::Text(input.string())),
        _ => Some(UserId::Unknown),
    };
    let status = match input.byte() % 4 {
        0 => "connected".to_owned(),
        1 => "notConnected".to_owned(),
        2 => "unknown".to_owned(),
        _ => input.string(),
    };
    Session { user, status }
}

/// The session-diff rule's promises.
pub fn check_session(data: &[u8]) {
    let mut input = Input::new(data);
    let previous = session(&mut input);
    let next = session(&mut input);
    let seen = input.byte() & 1 == 1;
    let events = diff(&previous, &next, seen);
    let has = |event| events.contains(event);

    // Firing order is the documented order.
    let order: Vec<Event> = events.iter().collect();
    let positions: Vec<usize> = order
        .iter()
        .map(|e| Event::ALL.iter().position(|x| x == e).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!has(Event::Error), "the diff never fires SPiD.error");

    assert_eq!(has(Event::Logout), previous.has_user() && !next.has_user());
    assert!(!(has(Event::Login) && has(Event::Logout)));
    assert_eq!(
        has(Event::SessionChange),
        !has(Event::NotLoggedIn),
        "exactly one of sessionChange / notLoggedin"
    );
    assert_eq!(has(Event::StatusChange), previous.status != next.status);
    if has(Event::Login) || has(Event::SessionInit) {
        assert!(next.has_user());
    }
    if has(Event::UserChange) {
        assert!(has(Event::Login), "a user change is also a login");
    }
    assert_eq!(has(Event::SessionInit), next.has_user() && !seen);

    // Nothing changed: no login, logout, user or status change.
    let same = diff(&next, &next, true);
    for event in [
        Event::Login,
        Event::Logout,
        Event::UserChange,
        Event::StatusChange,
    ] {
        assert!(!same.contains(event), "{next:?} to itself fired {event:?}");
    }

    // A confirmed logout always fires exactly logout, statusChange, sessionChange.
    let before = previous.before_confirmed_logout();
    let three: Vec<Event> = diff(&before, &Session::logged_out(), seen).iter().collect();
    assert_eq!(
        three,
        [Event::Logout, Event::StatusChange, Event::SessionChange],
        "{previous:?}"
    );
}

// ---------------------------------------------------------------- user agent

/// The Safari/ITP rule, by the properties README promises.
pub fn check_user_agent(data: &[u8]) {
    let mut input = Input::new(data);
    let agent = input.string();
    let blocks = blocks_third_party_cookies(&agent);
    let ios = ["iPhone", "iPad", "iPod"].iter().any(|d| agent.contains(d));
    let blink = ["Chrome/", "Chromium/", "HeadlessChrome/", "Android"]
        .iter()
        .any(|m| agent.contains(m));
    if ios {
        assert!(blocks, "every iOS browser is WebKit: {agent:?}");
    }
    if !agent.contains("AppleWebKit/") && !ios {
        assert!(!blocks, "not WebKit: {agent:?}");
    }
    if agent.contains("AppleWebKit/") && !blink {
        assert!(blocks, "non-Blink WebKit: {agent:?}");
    }
    assert_eq!(blocks, ios || (agent.contains("AppleWebKit/") && !blink));
    // Appending a Blink marker un-flags anything but iOS; an iOS device always flags.
    assert_eq!(
        blocks_third_party_cookies(&format!("{agent} Chrome/1")),
        ios
    );
    assert!(blocks_third_party_cookies(&format!("{agent} (iPad)")));
}
