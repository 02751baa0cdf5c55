//! Validation of `createClient` options and of method arguments, and the
//! URLs the SDK sends requests and browsers to.

use super::cache;
use super::error::{Message, SdkError};
use super::raw::Raw;
use super::url::{self, check_http_url, scan, BrowserUrl, Marks, ReadUrl, UrlProblem};

pub const DEFAULT_TIMEOUT_MS: u32 = 5_000;
/// Longer than any sane request; refuses typos like `5e9`.
pub const MAX_TIMEOUT_MS: f64 = 300_000.0;
pub const MAX_CLIENT_ID_LEN: usize = 256;
pub const MAX_TOKEN_LEN: usize = 8_192;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RawOptions {
    pub client_id: Raw,
    pub server: Raw,
    pub redirect_uri: Raw,
    pub timeout: Raw,
    pub fallback: Raw,
    pub cross_tab: Raw,
    pub session_domain: Raw,
    pub sdrn_namespace: Raw,
    pub session_renewal: Raw,
    pub cache_ttl: Raw,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub client_id: String,
    /// The server URL without trailing slashes; endpoint paths are appended.
    pub server: String,
    pub redirect_uri: Option<String>,
    pub timeout_ms: u32,
    pub fallback: Fallback,
    pub cross_tab: bool,
    /// The site's first-party session service (origin and path, no trailing
    /// slash): `hasSession()` and `logout()` go there instead of to SchAcc.
    pub session_domain: Option<String>,
    /// `sdrn:{namespace}:client:{clientId}`, how the session service names
    /// the client (`client_sdrn`).
    pub client_sdrn: String,
    /// Whether a `{"redirectURL"}` answer of the session service is followed.
    pub session_renewal: bool,
    /// How long `hasSession()` answers are kept for the site's tabs (ms; 0: not at all).
    pub cache_ttl_ms: u32,
}

/// The version of account-sdk-browser whose session-service protocol the SDK
/// speaks, sent as `sdk_version`: the service answers the SDK as it answers
/// that client (its `redirectURL` renewal included).
pub const SESSION_SDK_VERSION: &str = "5.1.1";

/// SchAcc's servers whose SDRN namespace is not their host name, as
/// account-sdk-browser 5 names them (its `NAMESPACE` by environment).
const NAMESPACES: [(&str, &str); 6] = [
    ("login.schibsted.com", "schibsted.com"),
    ("identity-pre.schibsted.com", "schibsted.com"),
    ("identity-dev.schibsted.com", "schibsted.com"),
    ("payment.schibsted.no", "spid.no"),
    ("login.schibsted.fi", "schibsted.fi"),
    ("login.schibsted.dk", "schibsted.dk"),
];

/// The SDRN namespace of a SchAcc server (its host name): the table's, else
/// the host name itself.
pub fn sdrn_namespace(server_host: &str) -> &str {
    NAMESPACES
        .iter()
        .find(|(host, _)| *host == server_host)
        .map_or(server_host, |(_, namespace)| namespace)
}

/// A namespace given as an option: letters, digits, `.`, `-` and `_` (it
/// sits between the `:`s of an SDRN).
fn is_namespace(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_CLIENT_ID_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// The HTTP method of a request the SDK sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// The SchAcc endpoints the SDK talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    HasSession,
    Logout,
    ApiLogout,
}

impl Config {
    /// `read` is the browser's URL parser (the authority on what a URL means).
    pub fn from_raw(raw: RawOptions, read: ReadUrl) -> Result<Config, SdkError> {
        let client_id = match raw.client_id {
            Raw::Text(id) if is_client_id(&id) => id,
            _ => return Err(SdkError::config(Message::ClientId)),
        };
        let (server, server_host) = match raw.server {
            Raw::Text(server) => normalize_server(&server, read)?,
            _ => return Err(SdkError::config(Message::Server)),
        };
        let redirect_uri = match raw.redirect_uri {
            Raw::Absent => None,
            Raw::Text(uri) => Some(
                checked_redirect_uri(uri, read)
                    .map_err(|_| SdkError::config(Message::DefaultRedirectUri))?,
            ),
            _ => return Err(SdkError::config(Message::RedirectUriNotText)),
        };
        let timeout_ms = match raw.timeout {
            Raw::Absent => DEFAULT_TIMEOUT_MS,
            // The range check also refuses NaN and infinities.
            Raw::Number(ms) if (1.0..=MAX_TIMEOUT_MS).contains(&ms) => ms as u32,
            _ => return Err(SdkError::config(Message::Timeout)),
        };
        let fallback = match raw.fallback {
            Raw::Absent => Fallback::Auto,
            Raw::Text(mode) if mode == "auto" => Fallback::Auto,
            Raw::Text(mode) if mode == "always" => Fallback::Always,
            Raw::Text(mode) if mode == "never" => Fallback::Never,
            _ => return Err(SdkError::config(Message::Fallback)),
        };
        let cross_tab = match raw.cross_tab {
            Raw::Absent => true,
            Raw::Bool(on) => on,
            _ => return Err(SdkError::config(Message::CrossTab)),
        };
        let session_domain = match raw.session_domain {
            Raw::Absent => None,
            Raw::Text(service) => Some(
                normalize_server(&service, read)
                    .map_err(|_| SdkError::config(Message::SessionDomain))?
                    .0,
            ),
            _ => return Err(SdkError::config(Message::SessionDomainNotText)),
        };
        let namespace = match raw.sdrn_namespace {
            Raw::Absent => sdrn_namespace(&server_host).to_owned(),
            Raw::Text(namespace) if is_namespace(&namespace) => namespace,
            _ => return Err(SdkError::config(Message::SdrnNamespace)),
        };
        let mut client_sdrn = String::from("sdrn:");
        client_sdrn.push_str(&namespace);
        client_sdrn.push_str(":client:");
        client_sdrn.push_str(&client_id);
        let session_renewal = match raw.session_renewal {
            Raw::Absent => true,
            Raw::Bool(on) => on,
            _ => return Err(SdkError::config(Message::SessionRenewal)),
        };
        let cache_ttl_ms = match raw.cache_ttl {
            Raw::Absent => cache::DEFAULT_TTL_MS as u32,
            Raw::Number(ms) if (0.0..=cache::MAX_TTL_MS).contains(&ms) => ms as u32,
            _ => return Err(SdkError::config(Message::CacheTtl)),
        };
        Ok(Config {
            client_id,
            server,
            redirect_uri,
            timeout_ms,
            fallback,
            cross_tab,
            session_domain,
            client_sdrn,
            session_renewal,
            cache_ttl_ms,
        })
    }

    /// The `localStorage` key of this client's session cache: one per
    /// client and source of answers (the session service, else SchAcc).
    pub fn cache_key(&self) -> String {
        url::build(
            "schacc-sdk:session:",
            self.session_domain.as_deref().unwrap_or(&self.server),
            &[("client_id", Some(self.client_id.as_str()))],
        )
    }

    /// What `hasSession()` asks: SchAcc's `hasSession.json`, or the session
    /// service as account-sdk-browser asks it — `{sessionDomain}/v2/session`,
    /// or `{sessionDomain}/session` when `sessionDomain` has a path — with its
    /// parameters (`client_sdrn`, `redirect_uri`, `sdk_version`, `tabId`),
    /// plus `client_id`. `page_url` is the page's URL without its fragment,
    /// the `redirect_uri` without a `redirectUri` option; `tab_id` the tab's.
    pub fn session_request(&self, page_url: &str, tab_id: &str) -> (Method, String) {
        match &self.session_domain {
            None => self.endpoint(Endpoint::HasSession),
            Some(service) => {
                let path = if has_path(service) {
                    "/session"
                } else {
                    "/v2/session"
                };
                (
                    Method::Get,
                    url::build(service, path, &self.service_params(page_url, tab_id)),
                )
            }
        }
    }

    /// Where a `{"redirectURL"}` answer sends the page: the URL the browser
    /// resolved against `sessionDomain`, with the session request's
    /// parameters for its query (as account-sdk-browser does); `None` unless
    /// it is an http(s) URL of the session service's own origin, without
    /// credentials.
    pub fn renewal_url(&self, target: &BrowserUrl, page_url: &str, tab_id: &str) -> Option<String> {
        let service = self.session_domain.as_deref()?;
        let own = url::is_at_origin(service, &target.origin);
        let web = matches!(target.protocol.as_str(), "http:" | "https:");
        (own && web && !target.has_credentials).then(|| {
            url::build(
                &target.origin,
                &target.pathname,
                &self.service_params(page_url, tab_id),
            )
        })
    }

    fn service_params<'a>(
        &'a self,
        page_url: &'a str,
        tab_id: &'a str,
    ) -> [(&'a str, Option<&'a str>); 5] {
        [
            ("client_sdrn", Some(self.client_sdrn.as_str())),
            (
                "redirect_uri",
                Some(self.redirect_uri.as_deref().unwrap_or(page_url)),
            ),
            ("sdk_version", Some(SESSION_SDK_VERSION)),
            ("tabId", Some(tab_id)),
            ("client_id", Some(self.client_id.as_str())),
        ]
    }

    /// The method and URL of a fetch endpoint. With a session service,
    /// `hasSession` and `logout` go to it (first party); `/api/2/logout`
    /// carries no query: the token travels in the `Authorization` header only.
    pub fn endpoint(&self, endpoint: Endpoint) -> (Method, String) {
        let client_id = Some(self.client_id.as_str());
        let (method, base, path, client_id) = match (endpoint, &self.session_domain) {
            (Endpoint::HasSession, Some(service)) => {
                (Method::Get, service, "/v2/session", client_id)
            }
            (Endpoint::Logout, Some(service)) => (Method::Post, service, "/v2/logout", client_id),
            (Endpoint::HasSession, None) => (
                Method::Get,
                &self.server,
                "/ajax/hasSession.json",
                client_id,
            ),
            (Endpoint::Logout, None) => (Method::Get, &self.server, "/ajax/logout.json", client_id),
            (Endpoint::ApiLogout, _) => (Method::Get, &self.server, "/api/2/logout", None),
        };
        (method, url::build(base, path, &[("client_id", client_id)]))
    }

    /// The redirect-flow URL: `{server}/logout?client_id=…[&redirect_uri=…][&oauth_token=…]`.
    /// `redirect_uri` falls back to the configured default.
    pub fn logout_url(&self, args: &RedirectArgs) -> String {
        let redirect_uri = args
            .redirect_uri
            .as_deref()
            .or(self.redirect_uri.as_deref());
        url::build(
            &self.server,
            "/logout",
            &[
                ("client_id", Some(self.client_id.as_str())),
                ("redirect_uri", redirect_uri),
                ("oauth_token", args.oauth_token.as_deref()),
            ],
        )
    }

    /// Identifies this client's SchAcc account across tabs of one origin;
    /// built from the normalised server, so every spelling of one origin
    /// shares the channel.
    pub fn channel_name(&self) -> String {
        url::build(
            "schacc-sdk:",
            &self.server,
            &[("client_id", Some(self.client_id.as_str()))],
        )
    }
}

/// `{ redirectUri, oauthToken }` of `logoutUrl`, `redirectLogout` and `logoutWithFallback`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectArgs {
    pub redirect_uri: Option<String>,
    pub oauth_token: Option<String>,
}

impl RedirectArgs {
    /// `args` is `None` when the whole argument was absent, `Some(None)` when
    /// it was present but not an object.
    pub fn from_raw(
        args: Option<Option<(Raw, Raw)>>,
        read: ReadUrl,
    ) -> Result<RedirectArgs, SdkError> {
        let (redirect_uri, oauth_token) = match args {
            None => return Ok(RedirectArgs::default()),
            Some(None) => return Err(SdkError::argument(Message::ArgsNotObject)),
            Some(Some(fields)) => fields,
        };
        let redirect_uri = match redirect_uri {
            Raw::Absent => None,
            Raw::Text(uri) => Some(checked_redirect_uri(uri, read)?),
            _ => return Err(SdkError::argument(Message::RedirectUriNotText)),
        };
        let oauth_token = match oauth_token {
            Raw::Absent => None,
            token => Some(checked_token(token)?),
        };
        Ok(RedirectArgs {
            redirect_uri,
            oauth_token,
        })
    }
}

/// Whether a normalised base (`http(s)://` origin and path, no trailing
/// slash) has a path. By byte: a `str` pattern search would link a searcher.
fn has_path(base: &str) -> bool {
    base.bytes().filter(|&byte| byte == b'/').count() > 2
}

fn is_client_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_CLIENT_ID_LEN
        && !scan(id).any(Marks::SPACE | Marks::INVISIBLE)
}

/// The server as the browser reads it: origin and path, without trailing
/// slashes, so every spelling of one server gives the same base; and its
/// host name.
fn normalize_server(input: &str, read: ReadUrl) -> Result<(String, String), SdkError> {
    let url = check_http_url(input, read).map_err(|problem| match problem {
        UrlProblem::Credentials => SdkError::config(Message::ServerCredentials),
        _ => SdkError::config(Message::Server),
    })?;
    if !url.secure() && !url.is_loopback() {
        return Err(SdkError::config(Message::ServerNotHttps));
    }
    if url.0.has_query_or_fragment
        || input.bytes().any(|byte| byte == b'?' || byte == b'#')
        || scan(input).any(Marks::SPACE)
    {
        return Err(SdkError::config(Message::ServerQuery));
    }
    let base = url.base();
    if base.len() > url::MAX_URL_LEN {
        return Err(SdkError::config(Message::ServerTooLong));
    }
    Ok((base, url.0.hostname))
}

/// A redirect URI must be an absolute http(s) URL the browser can parse:
/// anything else (relative, `javascript:`, `data:`, credentials) could turn a
/// logout into an open redirect. It is kept as written, because SchAcc
/// matches it against the registered URIs byte for byte.
pub fn checked_redirect_uri(uri: String, read: ReadUrl) -> Result<String, SdkError> {
    match check_http_url(&uri, read) {
        Ok(_) => Ok(uri),
        Err(UrlProblem::Credentials) => Err(SdkError::argument(Message::RedirectUriCredentials)),
        Err(_) => Err(SdkError::argument(Message::RedirectUri)),
    }
}

/// A token must be printable ASCII so it is a valid `Authorization` header
/// value and cannot smuggle whitespace or control characters into a URL.
pub fn checked_token(token: Raw) -> Result<String, SdkError> {
    match token {
        Raw::Text(token)
            if !token.is_empty()
                && token.len() <= MAX_TOKEN_LEN
                && token.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(token)
        }
        _ => Err(SdkError::argument(Message::OauthToken)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::url::read_like_a_browser as read;

    /// Options with `client_id` and `server`, the rest absent (also for `login`'s tests).
    pub(crate) fn options(client_id: &str, server: &str) -> RawOptions {
        RawOptions {
            client_id: Raw::Text(client_id.into()),
            server: Raw::Text(server.into()),
            redirect_uri: Raw::Absent,
            timeout: Raw::Absent,
            fallback: Raw::Absent,
            cross_tab: Raw::Absent,
            session_domain: Raw::Absent,
            sdrn_namespace: Raw::Absent,
            session_renewal: Raw::Absent,
            cache_ttl: Raw::Absent,
        }
    }

    fn text(value: &str) -> Raw {
        Raw::Text(value.into())
    }

    #[test]
    fn the_session_service_is_asked_as_account_sdk_browser_asks_it() {
        let mut raw = options("abc123", "https://login.schibsted.com");
        raw.session_domain = text("https://id.site.example/");
        let config = Config::from_raw(raw.clone(), &read).unwrap();
        // account-sdk-browser 5.1.1, env PRO, no redirectUri: client_sdrn, sdk_version, tabId; ours adds
        // redirect_uri (the page's URL) and client_id.
        assert_eq!(
            config.session_request("https://site.example/a?b=c", "98167").1,
            "https://id.site.example/v2/session?client_sdrn=sdrn%3Aschibsted.com%3Aclient%3Aabc123\
             &redirect_uri=https%3A%2F%2Fsite.example%2Fa%3Fb%3Dc&sdk_version=5.1.1&tabId=98167&client_id=abc123"
        );
        raw.session_domain = text("https://www.site.example/sso/");
        raw.redirect_uri = text("https://www.site.example/cb");
        raw.sdrn_namespace = text("spid.no");
        let config = Config::from_raw(raw.clone(), &read).unwrap();
        assert_eq!(
            config.session_request("https://www.site.example/", "1").1,
            "https://www.site.example/sso/session?client_sdrn=sdrn%3Aspid.no%3Aclient%3Aabc123\
             &redirect_uri=https%3A%2F%2Fwww.site.example%2Fcb&sdk_version=5.1.1&tabId=1&client_id=abc123"
        );
        for (server, namespace) in [
            ("https://payment.schibsted.no", "spid.no"),
            ("https://login.schibsted.fi", "schibsted.fi"),
            ("https://login.schibsted.dk", "schibsted.dk"),
            ("https://identity-pre.schibsted.com", "schibsted.com"),
            ("https://identity-dev.schibsted.com", "schibsted.com"),
            ("http://localhost:9000", "localhost"),
            ("https://login.schacc.example/sso", "login.schacc.example"),
        ] {
            let mut raw = options("c", server);
            raw.session_domain = text("https://id.site.example");
            let config = Config::from_raw(raw, &read).unwrap();
            assert_eq!(
                config.client_sdrn,
                format!("sdrn:{namespace}:client:c"),
                "{server}"
            );
        }
        for bad in [text(""), text("a:b"), text("a b"), Raw::Number(1.0)] {
            raw.sdrn_namespace = bad;
            assert_eq!(
                Config::from_raw(raw.clone(), &read).unwrap_err().message,
                Message::SdrnNamespace
            );
        }
        raw.sdrn_namespace = Raw::Absent;
        raw.session_renewal = text("no");
        assert_eq!(
            Config::from_raw(raw.clone(), &read).unwrap_err().message,
            Message::SessionRenewal
        );
        // No session service: SchAcc's own endpoint, whatever the page.
        let plain = Config::from_raw(options("c", "https://login.schacc.example"), &read).unwrap();
        assert_eq!(
            plain.session_request("https://x.example/", "1"),
            plain.endpoint(Endpoint::HasSession)
        );
    }

    #[test]
    fn a_renewal_goes_to_the_service_only() {
        let mut raw = options("abc123", "https://login.schibsted.com");
        raw.session_domain = text("https://id.site.example");
        let config = Config::from_raw(raw, &read).unwrap();
        let target = |url: &str| read(url).unwrap();
        // As account-sdk-browser: the query replaced by the session request's.
        assert_eq!(
            config.renewal_url(&target("https://id.site.example/refresh?foo=bar#x"), "https://site.example/", "7").unwrap(),
            "https://id.site.example/refresh?client_sdrn=sdrn%3Aschibsted.com%3Aclient%3Aabc123\
             &redirect_uri=https%3A%2F%2Fsite.example%2F&sdk_version=5.1.1&tabId=7&client_id=abc123"
        );
        for elsewhere in [
            "https://evil.example/refresh",
            "https://id.site.example.evil.example/",
            "http://id.site.example/refresh",
            "https://user@id.site.example/refresh",
            "javascript:alert(1)",
        ] {
            if let Some(target) = read(elsewhere) {
                assert_eq!(
                    config.renewal_url(&target, "https://site.example/", "7"),
                    None,
                    "{elsewhere}"
                );
            }
        }
    }

    #[test]
    fn defaults() {
        let config =
            Config::from_raw(options("abc123", "https://login.schacc.example/"), &read).unwrap();
        assert_eq!(config.server, "https://login.schacc.example");
        assert_eq!(config.timeout_ms, 5000);
        assert_eq!(config.fallback, Fallback::Auto);
        assert!(config.cross_tab);
        assert_eq!(config.redirect_uri, None);
    }

    #[test]
    fn endpoints_keep_a_path_prefix() {
        let config = Config::from_raw(options("a&b", "https://x.example/sso/"), &read).unwrap();
        assert_eq!(
            config.endpoint(Endpoint::HasSession),
            (
                Method::Get,
                "https://x.example/sso/ajax/hasSession.json?client_id=a%26b".into()
            )
        );
        assert_eq!(
            config.endpoint(Endpoint::Logout),
            (
                Method::Get,
                "https://x.example/sso/ajax/logout.json?client_id=a%26b".into()
            )
        );
        assert_eq!(
            config.endpoint(Endpoint::ApiLogout),
            (Method::Get, "https://x.example/sso/api/2/logout".into())
        );
    }

    #[test]
    fn a_session_service_takes_has_session_and_logout() {
        let mut raw = options("a&b", "https://login.schacc.example");
        raw.session_domain = Raw::Text("HTTPS://ID.News.Example/".into());
        let config = Config::from_raw(raw, &read).unwrap();
        assert_eq!(
            config.session_domain.as_deref(),
            Some("https://id.news.example")
        );
        assert_eq!(
            config.endpoint(Endpoint::HasSession),
            (
                Method::Get,
                "https://id.news.example/v2/session?client_id=a%26b".into()
            )
        );
        assert_eq!(
            config.endpoint(Endpoint::Logout),
            (
                Method::Post,
                "https://id.news.example/v2/logout?client_id=a%26b".into()
            )
        );
        assert_eq!(
            config.endpoint(Endpoint::ApiLogout),
            (
                Method::Get,
                "https://login.schacc.example/api/2/logout".into()
            )
        );
        assert_eq!(
            config.logout_url(&RedirectArgs::default()),
            "https://login.schacc.example/logout?client_id=a%26b"
        );
    }

    #[test]
    fn logout_url_uses_default_redirect_and_encodes() {
        let mut raw = options("demo", "http://localhost:9000");
        raw.redirect_uri = Raw::Text("http://127.0.0.1:8080/".into());
        let config = Config::from_raw(raw, &read).unwrap();
        assert_eq!(
            config.logout_url(&RedirectArgs::default()),
            "http://localhost:9000/logout?client_id=demo&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F"
        );
        let args = RedirectArgs {
            redirect_uri: Some("http://127.0.0.1:8080/a b?x=1&y=æ#f+".into()),
            oauth_token: Some("t=1&2#+".into()),
        };
        assert_eq!(
            config.logout_url(&args),
            "http://localhost:9000/logout?client_id=demo&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fa%20b%3Fx%3D1%26y%3D%C3%A6%23f%2B&oauth_token=t%3D1%262%23%2B"
        );
    }

    #[test]
    fn refuses_bad_options() {
        let bad: Vec<RawOptions> = vec![
            options("", "https://x.example"),
            options("a b", "https://x.example"),
            options("a\u{0}", "https://x.example"),
            options("a\u{200B}b", "https://x.example"),
            options("a\u{202E}b", "https://x.example"),
            options("a\u{FEFF}", "https://x.example"),
            options("a\u{FFFD}", "https://x.example"),
            options("a", "https://x.example/\u{200B}"),
            options("a", "http://[::1"),
            options("a", "https://1.2.3.999"),
            options(&"a".repeat(MAX_CLIENT_ID_LEN + 1), "https://x.example"),
            options("a", "http://x.example"),
            options("a", "x.example"),
            options("a", "https://u:p@x.example"),
            options("a", "https://x.example/?q=1"),
            options("a", "https://x.example/#f"),
            options("a", "javascript:alert(1)"),
            RawOptions {
                client_id: Raw::Number(1.0),
                ..options("a", "https://x.example")
            },
            RawOptions {
                server: Raw::Absent,
                ..options("a", "https://x.example")
            },
            RawOptions {
                timeout: Raw::Number(f64::NAN),
                ..options("a", "https://x.example")
            },
            RawOptions {
                timeout: Raw::Number(f64::INFINITY),
                ..options("a", "https://x.example")
            },
            RawOptions {
                timeout: Raw::Number(-1.0),
                ..options("a", "https://x.example")
            },
            RawOptions {
                timeout: Raw::Number(0.0),
                ..options("a", "https://x.example")
            },
            RawOptions {
                timeout: Raw::Number(1e12),
                ..options("a", "https://x.example")
            },
            RawOptions {
                timeout: Raw::Text("5000".into()),
                ..options("a", "https://x.example")
            },
            RawOptions {
                fallback: Raw::Text("sometimes".into()),
                ..options("a", "https://x.example")
            },
            RawOptions {
                cross_tab: Raw::Text("yes".into()),
                ..options("a", "https://x.example")
            },
            RawOptions {
                redirect_uri: Raw::Text("/relative".into()),
                ..options("a", "https://x.example")
            },
            RawOptions {
                redirect_uri: Raw::Other,
                ..options("a", "https://x.example")
            },
            RawOptions {
                session_domain: Raw::Text("http://id.news.example".into()),
                ..options("a", "https://x.example")
            },
            RawOptions {
                session_domain: Raw::Text("https://id.news.example/?q".into()),
                ..options("a", "https://x.example")
            },
            RawOptions {
                session_domain: Raw::Text("/session".into()),
                ..options("a", "https://x.example")
            },
            RawOptions {
                session_domain: Raw::Bool(true),
                ..options("a", "https://x.example")
            },
        ];
        for raw in bad {
            let err = Config::from_raw(raw.clone(), &read).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidConfig, "{raw:?}");
        }
    }

    #[test]
    fn loopback_may_use_http() {
        for server in [
            "http://localhost:9000",
            "http://127.0.0.1",
            "http://[::1]:1/x",
            "http://LOCALHOST",
        ] {
            assert!(
                Config::from_raw(options("a", server), &read).is_ok(),
                "{server}"
            );
        }
    }

    #[test]
    fn one_origin_one_channel_and_base() {
        let spellings = [
            "http://localhost:9000",
            "HTTP://LOCALHOST:9000",
            "http://LocalHost:9000/",
        ];
        let configs: Vec<Config> = spellings
            .iter()
            .map(|server| Config::from_raw(options("a", server), &read).unwrap())
            .collect();
        for config in &configs {
            assert_eq!(config.server, "http://localhost:9000");
            assert_eq!(config.channel_name(), configs[0].channel_name());
        }
        assert_eq!(
            Config::from_raw(options("a", "https://x.example:443/sso//"), &read)
                .unwrap()
                .server,
            "https://x.example/sso"
        );
    }

    #[test]
    fn redirect_args() {
        let ok = RedirectArgs::from_raw(
            Some(Some((
                Raw::Text("https://n.example/".into()),
                Raw::Text("tok".into()),
            ))),
            &read,
        )
        .unwrap();
        assert_eq!(ok.redirect_uri.as_deref(), Some("https://n.example/"));
        assert_eq!(ok.oauth_token.as_deref(), Some("tok"));
        assert_eq!(
            RedirectArgs::from_raw(None, &read).unwrap(),
            RedirectArgs::default()
        );
        let bad = [
            Some(None),
            Some(Some((Raw::Text("javascript:alert(1)".into()), Raw::Absent))),
            Some(Some((
                Raw::Text("https://u:p@n.example/".into()),
                Raw::Absent,
            ))),
            Some(Some((Raw::Number(1.0), Raw::Absent))),
            Some(Some((Raw::Absent, Raw::Text(String::new())))),
            Some(Some((Raw::Absent, Raw::Text("a b".into())))),
            Some(Some((Raw::Absent, Raw::Text("a\nb".into())))),
            Some(Some((Raw::Absent, Raw::Bool(true)))),
        ];
        for args in bad {
            assert_eq!(
                RedirectArgs::from_raw(args.clone(), &read)
                    .unwrap_err()
                    .code,
                ErrorCode::InvalidArgument,
                "{args:?}"
            );
        }
    }
}
