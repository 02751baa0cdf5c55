//! What the handlers read from a request: the logged fields, the query
//! string (strictly decoded), the session cookie and origins of URLs.

use hyper::header::{HeaderName, AUTHORIZATION, COOKIE, HOST, ORIGIN, REFERER};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hyper::{Method, Request};

use crate::app::Door;

/// Name of the session cookie.
pub(crate) const COOKIE_NAME: &str = "schacc_session";
/// Name of the session service's first-party cookie.
pub(crate) const SITE_COOKIE_NAME: &str = "schacc_site_session";

/// What the public (logged) handlers need from a request.
pub(crate) struct Info {
    /// The listener the request came to.
    pub(crate) door: Door,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) cookie: Option<String>,
    pub(crate) authorization: Option<String>,
    pub(crate) origin: Option<String>,
    pub(crate) referer: Option<String>,
    /// The `Host` header: the door's origin as the browser reached it.
    pub(crate) host: Option<String>,
    /// The fields of a form body, read only where a handler needs them
    /// (`POST /oauth/authorize`); `Err` for a body too large or malformed.
    pub(crate) form: Result<Vec<(String, String)>, ()>,
}

impl Info {
    /// `cookie` is the session cookie of `door`.
    pub(crate) fn new<B>(req: &Request<B>, door: Door) -> Info {
        let header = |name: HeaderName| {
            req.headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        Info {
            door,
            method: req.method().clone(),
            path: req.uri().path().to_string(),
            query: req.uri().query().map(str::to_string),
            cookie: cookie_value(req.headers(), door.cookie_name()),
            authorization: header(AUTHORIZATION),
            origin: header(ORIGIN),
            referer: header(REFERER),
            host: header(HOST),
            form: Ok(Vec::new()),
        }
    }

    pub(crate) fn params(&self) -> Result<Vec<(String, String)>, ()> {
        parse_query(self.query.as_deref())
    }

    pub(crate) fn bearer(&self) -> Option<&str> {
        let auth = self.authorization.as_deref()?.trim();
        let (scheme, token) = auth.split_once(' ')?;
        if scheme.eq_ignore_ascii_case("bearer") {
            Some(token.trim()).filter(|t| !t.is_empty())
        } else {
            None
        }
    }
}

/// The value of the cookie `cookie_name`, if the request carries one.
pub(crate) fn cookie_value(headers: &hyper::HeaderMap, cookie_name: &str) -> Option<String> {
    for value in headers.get_all(COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((name, v)) = pair.trim().split_once('=') {
                if name.trim() == cookie_name {
                    return Some(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    None
}

/// Strict `application/x-www-form-urlencoded` query parsing: `+` is a space,
/// a `%` must be followed by two hex digits, and the result must be UTF-8.
pub(crate) fn parse_query(query: Option<&str>) -> Result<Vec<(String, String)>, ()> {
    let Some(query) = query else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

fn decode(s: &str) -> Result<String, ()> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| hex_val(*b)).ok_or(())?;
                let lo = bytes.get(i + 2).and_then(|b| hex_val(*b)).ok_or(())?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ())
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// First value of a query parameter.
pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The client id of an SDRN `sdrn:<namespace>:client:<clientId>` (what
/// account-sdk-browser sends as `client_sdrn`): a non-empty namespace without
/// `:` and a non-empty client id; `None` for anything else.
pub(crate) fn sdrn_client(sdrn: &str) -> Option<&str> {
    let (namespace, rest) = sdrn.strip_prefix("sdrn:")?.split_once(':')?;
    let id = rest.strip_prefix("client:")?;
    (!namespace.is_empty() && !id.is_empty()).then_some(id)
}

/// Percent-encodes everything outside RFC 3986's unreserved characters.
pub(crate) fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `path?k=v&…` with every name and value percent-encoded: a query read
/// from a request, written again (a form's `action` that posts it back).
pub(crate) fn path_with_query(path: &str, params: &[(String, String)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// The origin (`scheme://host[:port]`, lowercase, default port omitted) of a URL.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.is_empty() {
        return None;
    }
    let mut host_port = host_port.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => "",
    };
    if !default_port.is_empty() && host_port.ends_with(default_port) {
        host_port.truncate(host_port.len() - default_port.len());
    }
    Some(format!("{scheme}://{host_port}"))
}

/// An unspecified bind address as the loopback address a browser can use.
pub(crate) fn browsable(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    }
}

/// `host:port` or `[v6]:port` (the host without brackets); `None` otherwise.
pub(crate) fn split_host_port(authority: &str) -> Option<(&str, u16)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, port) = rest.split_once("]:")?;
        (host, port)
    } else {
        authority.rsplit_once(':')?
    };
    if host.is_empty() || host.contains([':', '@', '/', '\\']) && !authority.starts_with('[') {
        return None;
    }
    Some((host, port.parse().ok()?))
}

/// An absolute http(s) URL whose host is `localhost`, in `127.0.0.0/8` or
/// `[::1]`, with no credentials, backslash, whitespace or control character.
pub(crate) fn is_loopback_url(url: &str) -> bool {
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return false;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        match v6.split_once(']') {
            Some((host, "")) => host,
            Some((host, port)) if port.strip_prefix(':').is_some_and(is_port) => host,
            _ => return false,
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) if is_port(port) => host,
            Some(_) => return false,
            None => authority,
        }
    };
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_port(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("HTTPS://Example.COM:443/x?y#z").as_deref(),
            Some("https://example.com")
        );
        assert_eq!(
            origin_of("http://a.test:80").as_deref(),
            Some("http://a.test")
        );
        assert_eq!(
            origin_of("http://u:p@a.test:81/").as_deref(),
            Some("http://a.test:81")
        );
        assert_eq!(origin_of("nonsense"), None);
    }

    #[test]
    fn query_decoding() {
        assert_eq!(
            parse_query(Some("a=1&b=x%2Fy+z&c&&d=%C3%A9")).unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x/y z".into()),
                ("c".into(), "".into()),
                ("d".into(), "é".into())
            ]
        );
        assert!(parse_query(Some("a=%zz")).is_err());
        assert!(parse_query(Some("a=%4")).is_err());
        assert!(parse_query(Some("a=%ff")).is_err());
    }

    #[test]
    fn loopback_urls() {
        for url in [
            "http://127.0.0.1:8080/",
            "http://localhost/x?y",
            "HTTPS://LOCALHOST:9/",
            "http://127.9.9.9",
            "http://[::1]:3000/a#b",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "http://evil.example/",
            "http://127.0.0.1@evil.example/",
            "http://evil.example@127.0.0.1/",
            "http://127.0.0.1.evil.example/",
            "http://localhost.evil.example/",
            "javascript:alert(1)",
            "//127.0.0.1/",
            "ftp://127.0.0.1/",
            "http://127.0.0.1:80x/",
            "http://127.0.0.1\\@evil.example/",
            "http://[::2]/",
            "http://10.0.0.1/",
            "http://127.0.0.1/ x",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }

    #[test]
    fn sdrns() {
        assert_eq!(sdrn_client("sdrn:schibsted.com:client:demo"), Some("demo"));
        assert_eq!(sdrn_client("sdrn:x:client:a:b"), Some("a:b"));
        for bad in [
            "",
            "demo",
            "sdrn::client:demo",
            "sdrn:x:client:",
            "sdrn:x:user:demo",
            "SDRN:x:client:demo",
            "sdrn:x:clientdemo",
            "sdrn:client:demo",
            "urn:x:client:demo",
        ] {
            assert_eq!(sdrn_client(bad), None, "{bad}");
        }
    }

    #[test]
    fn host_and_port() {
        assert_eq!(split_host_port("localhost:9"), Some(("localhost", 9)));
        assert_eq!(split_host_port("[::1]:9"), Some(("::1", 9)));
        assert_eq!(split_host_port("a@b:9"), None);
        assert_eq!(split_host_port("localhost"), None);
        assert_eq!(split_host_port(":9"), None);
        assert_eq!(split_host_port("localhost:x"), None);
    }
}
