//! What the handlers read from a request: the logged fields, the query
//! string (strictly decoded), the session cookie and origins of URLs.

use hyper::header::{HeaderName, AUTHORIZATION, COOKIE, ORIGIN, REFERER};
use hyper::{Method, Request};

/// Name of the session cookie.
pub(crate) const COOKIE_NAME: &str = "schacc_session";

/// What the public (logged) handlers need from a request.
pub(crate) struct Info {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) cookie: Option<String>,
    pub(crate) authorization: Option<String>,
    pub(crate) origin: Option<String>,
    pub(crate) referer: Option<String>,
}

impl Info {
    pub(crate) fn new<B>(req: &Request<B>) -> Info {
        let header = |name: HeaderName| {
            req.headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        Info {
            method: req.method().clone(),
            path: req.uri().path().to_string(),
            query: req.uri().query().map(str::to_string),
            cookie: session_cookie(req.headers()),
            authorization: header(AUTHORIZATION),
            origin: header(ORIGIN),
            referer: header(REFERER),
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

/// The value of the `schacc_session` cookie, if the request carries one.
pub(crate) fn session_cookie(headers: &hyper::HeaderMap) -> Option<String> {
    for value in headers.get_all(COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((name, v)) = pair.trim().split_once('=') {
                if name.trim() == COOKIE_NAME {
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
}
