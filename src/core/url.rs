//! Just enough URL handling for the SDK: validating absolute http(s) URLs
//! strictly (no credentials, no backslashes, no control characters) and
//! percent-encoding query values. Strict on purpose: anything a browser might
//! read differently from us is refused rather than guessed at.

/// Longest URL the SDK accepts (server or redirect URI).
pub const MAX_URL_LEN: usize = 2048;

/// Why a string is not an acceptable absolute http(s) URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    TooLong,
    /// Control characters, backslashes, or surrounding whitespace.
    BadCharacters,
    /// Not `http://` or `https://` (relative, protocol-relative, `javascript:`, `data:` …).
    NotHttp,
    /// `user:password@` before the host.
    Credentials,
    BadHost,
    BadPort,
}

/// The parts of an absolute http(s) URL, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    pub secure: bool,
    /// Host as written; IPv6 literals keep their brackets.
    pub host: &'a str,
    /// `:port` as written, including the colon, or "".
    pub port: &'a str,
    /// Path, query and fragment as written (may be empty).
    pub rest: &'a str,
}

impl HttpUrl<'_> {
    pub fn has_query_or_fragment(&self) -> bool {
        self.rest.contains(['?', '#'])
    }

    /// Loopback hosts, where plain http is acceptable for development.
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self.host == "127.0.0.1"
            || self.host == "[::1]"
    }
}

pub fn parse_http_url(input: &str) -> Result<HttpUrl<'_>, UrlProblem> {
    if input.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if input.len() > MAX_URL_LEN {
        return Err(UrlProblem::TooLong);
    }
    if input.chars().any(|c| c.is_control() || c == '\\')
        || input.starts_with(char::is_whitespace)
        || input.ends_with(char::is_whitespace)
    {
        return Err(UrlProblem::BadCharacters);
    }
    let (secure, after_scheme) = if let Some(rest) = strip_prefix_ignore_case(input, "https://") {
        (true, rest)
    } else if let Some(rest) = strip_prefix_ignore_case(input, "http://") {
        (false, rest)
    } else {
        return Err(UrlProblem::NotHttp);
    };
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at(authority_end);
    if authority.contains('@') {
        return Err(UrlProblem::Credentials);
    }
    let (host, port) = split_host_port(authority)?;
    Ok(HttpUrl {
        secure,
        host,
        port,
        rest,
    })
}

fn strip_prefix_ignore_case<'a>(input: &'a str, prefix: &str) -> Option<&'a str> {
    let head = input.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        input.get(prefix.len()..)
    } else {
        None
    }
}

fn split_host_port(authority: &str) -> Result<(&str, &str), UrlProblem> {
    let host_end = if authority.starts_with('[') {
        match authority.find(']') {
            Some(close) => close + 1,
            None => return Err(UrlProblem::BadHost),
        }
    } else {
        authority.find(':').unwrap_or(authority.len())
    };
    let (host, port) = authority.split_at(host_end);
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && host.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '-' | '.' | '_')
                    || !c.is_ascii() && !c.is_whitespace()
            })
    };
    if !host_ok {
        return Err(UrlProblem::BadHost);
    }
    if let Some(digits) = port.strip_prefix(':') {
        let valid = digits.len() <= 5 && parse_decimal(digits).is_some_and(|p| p > 0 && p <= 65535);
        if !valid {
            return Err(UrlProblem::BadPort);
        }
    } else if !port.is_empty() {
        return Err(UrlProblem::BadHost);
    }
    Ok((host, port))
}

/// A non-empty run of ASCII digits as a number (saturating: huge means huge).
/// Hand-rolled because `str::parse` links integer-parsing code the SDK does not need.
pub fn parse_decimal(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.bytes().fold(0u64, |value, digit| {
        value
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    }))
}

/// Appends `value` percent-encoded for a query component: every byte outside
/// RFC 3986's unreserved set is encoded, so `&`, `=`, `#`, `+`, spaces and
/// non-ASCII can never change the meaning of the URL.
pub fn push_encoded(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
    }
}

/// The uppercase hex digit of a nibble (`0..=15`).
fn hex_digit(nibble: u8) -> char {
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        b'A' + nibble - 10
    })
}

/// Builds `base + path` followed by `?k=v&k=v` for the present parameters.
pub fn build(base: &str, path: &str, params: &[(&str, Option<&str>)]) -> String {
    let mut url = String::with_capacity(base.len() + path.len() + 64);
    url.push_str(base);
    url.push_str(path);
    let mut separator = '?';
    for (key, value) in params {
        if let Some(value) = value {
            url.push(separator);
            url.push_str(key);
            url.push('=');
            push_encoded(&mut url, value);
            separator = '&';
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(value: &str) -> String {
        let mut out = String::new();
        push_encoded(&mut out, value);
        out
    }

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encoded("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encoded("a&b=c#d+e f"), "a%26b%3Dc%23d%2Be%20f");
        assert_eq!(encoded("blåbær/?"), "bl%C3%A5b%C3%A6r%2F%3F");
    }

    #[test]
    fn builds_query_skipping_absent_values() {
        let url = build(
            "https://x.example",
            "/logout",
            &[
                ("client_id", Some("c 1")),
                ("redirect_uri", None),
                ("oauth_token", Some("t")),
            ],
        );
        assert_eq!(
            url,
            "https://x.example/logout?client_id=c%201&oauth_token=t"
        );
    }

    #[test]
    fn parses_decimals() {
        assert_eq!(parse_decimal("0"), Some(0));
        assert_eq!(parse_decimal("65535"), Some(65535));
        assert_eq!(parse_decimal("99999999999999999999999"), Some(u64::MAX));
        for bad in ["", "-1", "1a", " 1", "+1"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn parses_parts() {
        let url = parse_http_url("HTTPS://login.example:8443/prefix/?q#f").unwrap();
        assert!(url.secure);
        assert_eq!(
            (url.host, url.port, url.rest),
            ("login.example", ":8443", "/prefix/?q#f")
        );
        let url = parse_http_url("http://[::1]:9000").unwrap();
        assert_eq!((url.host, url.port, url.rest), ("[::1]", ":9000", ""));
        assert!(url.is_loopback());
    }

    #[test]
    fn refuses_what_a_browser_could_read_differently() {
        let cases = [
            ("", UrlProblem::Empty),
            (" https://a.example/", UrlProblem::BadCharacters),
            ("https://a.example/\n", UrlProblem::BadCharacters),
            ("https://a.example\\@b.example/", UrlProblem::BadCharacters),
            ("javascript:alert(1)", UrlProblem::NotHttp),
            ("data:text/html,x", UrlProblem::NotHttp),
            ("//a.example/", UrlProblem::NotHttp),
            ("/relative", UrlProblem::NotHttp),
            ("ftp://a.example/", UrlProblem::NotHttp),
            ("https://u:p@a.example/", UrlProblem::Credentials),
            ("https:///path", UrlProblem::BadHost),
            ("https://a b.example/", UrlProblem::BadHost),
            ("https://[::1/", UrlProblem::BadHost),
            ("https://a.example:/", UrlProblem::BadPort),
            ("https://a.example:0/", UrlProblem::BadPort),
            ("https://a.example:65536/", UrlProblem::BadPort),
            ("https://a.example:80a/", UrlProblem::BadPort),
        ];
        for (input, problem) in cases {
            assert_eq!(parse_http_url(input), Err(problem), "{input:?}");
        }
        let long = "https://a.example/".to_string() + &"a".repeat(MAX_URL_LEN);
        assert_eq!(parse_http_url(&long), Err(UrlProblem::TooLong));
    }
}
