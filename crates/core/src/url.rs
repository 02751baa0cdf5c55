//! URL rules for the SDK. The browser's own URL parser (WHATWG) is the
//! authority on what a string means: the shell reads it into `BrowserUrl`
//! (native tests and the fuzzer use the `url` crate, which implements the same
//! standard). On top of the browser's reading the core keeps stricter rules:
//! http(s) only, no credentials, plain http only on loopback, and no
//! backslashes, control or invisible (format) characters in what was written.

/// Longest URL the SDK accepts (server or redirect URI), in bytes.
pub const MAX_URL_LEN: usize = 2048;

/// How the browser's URL parser reads a string (the fields of `URL`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrowserUrl {
    /// `"https:"`, `"http:"`, …
    pub protocol: String,
    /// A username or password is present.
    pub has_credentials: bool,
    /// Normalised host; IPv6 literals keep their brackets.
    pub hostname: String,
    /// `"https://login.example:8443"`: scheme, host and non-default port, normalised.
    pub origin: String,
    pub pathname: String,
    /// A query (`search`) or fragment (`hash`) is present.
    pub has_query_or_fragment: bool,
}

/// Reads a string with the browser's URL parser; `None` where it throws.
pub type ReadUrl<'a> = &'a dyn Fn(&str) -> Option<BrowserUrl>;

/// Why a string is not an acceptable absolute http(s) URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    TooLong,
    /// Control, format (invisible) or replacement characters, backslashes,
    /// or surrounding whitespace.
    BadCharacters,
    /// Not `http://` or `https://` (relative, protocol-relative, `javascript:`, `data:` …).
    NotHttp,
    /// `user:password@` before the host.
    Credentials,
    /// The browser cannot parse it, or reads no host.
    BadHost,
}

/// An absolute http(s) URL as the browser reads it, checked by the core's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl(pub BrowserUrl);

impl HttpUrl {
    pub fn secure(&self) -> bool {
        self.0.protocol == "https:"
    }

    /// Loopback hosts, where plain http is acceptable for development.
    pub fn is_loopback(&self) -> bool {
        matches!(
            self.0.hostname.as_str(),
            "localhost" | "127.0.0.1" | "[::1]"
        )
    }

    /// Origin and path without trailing slashes: the normalised base that
    /// endpoint paths are appended to.
    pub fn base(&self) -> String {
        let mut base = self.0.origin.clone();
        // Without trailing slashes; by byte, which links no reverse char search.
        let path = self.0.pathname.as_bytes();
        let end = path
            .iter()
            .rposition(|&byte| byte != b'/')
            .map_or(0, |last| last + 1);
        base.push_str(self.0.pathname.get(..end).unwrap_or_default());
        base
    }
}

/// A character a person cannot see or that changes how text around it is
/// shown: controls, Unicode format characters (zero-width, bidi controls,
/// BOM, soft hyphen, tags …) and U+FFFD, which stands for a lone surrogate
/// the page sent.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{AD}' | '\u{600}'..='\u{605}' | '\u{61C}' | '\u{6DD}' | '\u{70F}'
            | '\u{890}'..='\u{891}' | '\u{8E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{FFFD}' | '\u{110BD}' | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// Unicode's `White_Space` characters, spelled out: the same verdict as
/// `char::is_whitespace` for every code point (tested), without linking
/// core's lookup table.
pub fn is_space(c: char) -> bool {
    matches!(c,
        '\t'..='\r' | ' ' | '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}'
        | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// Whether `base` (an origin and path, as `HttpUrl::base` gives it) lies at
/// `origin`: the same origin, not a longer host that starts alike
/// (`https://a.example` is not the origin of `https://a.example.evil`). An
/// empty origin is no one's.
pub fn is_at_origin(base: &str, origin: &str) -> bool {
    !origin.is_empty()
        && base
            .strip_prefix(origin)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// What `scan` found in a text, as bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marks(u8);

impl Marks {
    /// A character of `is_invisible`.
    pub const INVISIBLE: u8 = 1;
    /// A character of `is_space`.
    pub const SPACE: u8 = 2;
    /// An `is_space` character first or last.
    pub const EDGE_SPACE: u8 = 4;
    pub const BACKSLASH: u8 = 8;

    pub fn any(self, bits: u8) -> bool {
        self.0 & bits != 0
    }
}

/// Every rule on a text's characters in one forward pass: the one place
/// that decodes UTF-8 (each `chars()` loop inlined a decoder of its own;
/// decoding by hand measured larger still).
#[inline(never)]
pub fn scan(text: &str) -> Marks {
    let mut marks = 0;
    let mut first = true;
    let mut last_is_space = false;
    for c in text.chars() {
        let space = is_space(c);
        if space {
            marks |= Marks::SPACE | if first { Marks::EDGE_SPACE } else { 0 };
        }
        if is_invisible(c) {
            marks |= Marks::INVISIBLE;
        }
        if c == '\\' {
            marks |= Marks::BACKSLASH;
        }
        first = false;
        last_is_space = space;
    }
    if last_is_space {
        marks |= Marks::EDGE_SPACE;
    }
    Marks(marks)
}

/// Checks `input` as written, then as the browser reads it.
pub fn check_http_url(input: &str, read: ReadUrl) -> Result<HttpUrl, UrlProblem> {
    if input.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if input.len() > MAX_URL_LEN {
        return Err(UrlProblem::TooLong);
    }
    if scan(input).any(Marks::INVISIBLE | Marks::EDGE_SPACE | Marks::BACKSLASH) {
        return Err(UrlProblem::BadCharacters);
    }
    // As written: `http://` or `https://` and then a host, not a third slash
    // the browser would quietly skip.
    let after_scheme = strip_prefix_ignore_case(input, "https://")
        .or_else(|| strip_prefix_ignore_case(input, "http://"))
        .ok_or(UrlProblem::NotHttp)?;
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    if authority.bytes().any(|byte| byte == b'@') {
        return Err(UrlProblem::Credentials);
    }
    let url = HttpUrl(read(input).ok_or(UrlProblem::BadHost)?);
    if !matches!(url.0.protocol.as_str(), "http:" | "https:") {
        return Err(UrlProblem::NotHttp);
    }
    if url.0.has_credentials {
        return Err(UrlProblem::Credentials);
    }
    // Port 0 parses, but no browser fetches or navigates there.
    if authority.is_empty() || url.0.hostname.is_empty() || url.0.origin.ends_with(":0") {
        return Err(UrlProblem::BadHost);
    }
    Ok(url)
}

fn strip_prefix_ignore_case<'a>(input: &'a str, prefix: &str) -> Option<&'a str> {
    let head = input.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        input.get(prefix.len()..)
    } else {
        None
    }
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

/// The WHATWG reading of the `url` crate: the browser's stand-in for native
/// tests and the fuzzer.
#[cfg(feature = "native-url")]
pub fn read_like_a_browser(input: &str) -> Option<BrowserUrl> {
    let url = ::url::Url::parse(input).ok()?;
    let hostname = match url.host()? {
        ::url::Host::Ipv6(address) => {
            let mut bracketed = String::from("[");
            bracketed.push_str(&address.to_string());
            bracketed.push(']');
            bracketed
        }
        host => host.to_string(),
    };
    Some(BrowserUrl {
        protocol: [url.scheme(), ":"].concat(),
        has_credentials: !url.username().is_empty() || url.password().is_some(),
        hostname,
        origin: url.origin().ascii_serialization(),
        pathname: url.path().to_owned(),
        has_query_or_fragment: url.query().is_some_and(|q| !q.is_empty())
            || url.fragment().is_some_and(|f| !f.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_space_is_unicode_white_space() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_space(c), c.is_whitespace(), "{:?}", c);
        }
    }

    fn encoded(value: &str) -> String {
        let mut out = String::new();
        push_encoded(&mut out, value);
        out
    }

    fn check(input: &str) -> Result<HttpUrl, UrlProblem> {
        check_http_url(input, &read_like_a_browser)
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
    fn the_browser_reading_is_normalised() {
        let url = check("HTTPS://Login.Example:443/prefix/").unwrap();
        assert!(url.secure());
        assert_eq!(url.base(), "https://login.example/prefix");
        let url = check("http://[0:0::1]:9000").unwrap();
        assert_eq!(url.base(), "http://[::1]:9000");
        assert!(url.is_loopback());
        for same in [
            "http://localhost:9",
            "HTTP://LOCALHOST:9",
            "http://LocalHost:9/",
        ] {
            assert_eq!(check(same).unwrap().base(), "http://localhost:9", "{same}");
        }
        // Full-width dots are dots to the browser, so they are to us.
        assert_eq!(
            check("https://login\u{3002}schacc\u{3002}example")
                .unwrap()
                .base(),
            "https://login.schacc.example"
        );
    }

    #[test]
    fn refuses_what_a_browser_could_read_differently() {
        let cases = [
            ("", UrlProblem::Empty),
            (" https://a.example/", UrlProblem::BadCharacters),
            ("https://a.example/\n", UrlProblem::BadCharacters),
            ("https://a.example\\@b.example/", UrlProblem::BadCharacters),
            ("https://a\u{200B}.example/", UrlProblem::BadCharacters),
            ("https://a.example/\u{202E}", UrlProblem::BadCharacters),
            ("https://a.example/\u{FFFD}", UrlProblem::BadCharacters),
            ("javascript:alert(1)", UrlProblem::NotHttp),
            ("data:text/html,x", UrlProblem::NotHttp),
            ("//a.example/", UrlProblem::NotHttp),
            ("/relative", UrlProblem::NotHttp),
            ("ftp://a.example/", UrlProblem::NotHttp),
            ("http:/a.example/", UrlProblem::NotHttp),
            ("https://u:p@a.example/", UrlProblem::Credentials),
            ("https://@a.example/", UrlProblem::Credentials),
            ("https:///path", UrlProblem::BadHost),
            ("https://a b.example/", UrlProblem::BadHost),
            ("https://[::1/", UrlProblem::BadHost),
            ("https://[::g]/", UrlProblem::BadHost),
            ("https://1.2.3.999/", UrlProblem::BadHost),
            ("https://a.example:0x1/", UrlProblem::BadHost),
            ("https://a.example:65536/", UrlProblem::BadHost),
            ("https://a.example:0/", UrlProblem::BadHost),
            ("http://127.0.0.1:00/", UrlProblem::BadHost),
            ("https://a\u{FF0F}b.example/", UrlProblem::BadHost),
        ];
        for (input, problem) in cases {
            assert_eq!(check(input).map(|_| ()), Err(problem), "{input:?}");
        }
        let long = "https://a.example/".to_string() + &"a".repeat(MAX_URL_LEN);
        assert_eq!(check(&long).map(|_| ()), Err(UrlProblem::TooLong));
    }

    #[test]
    fn a_base_lies_at_its_own_origin_only() {
        assert!(is_at_origin("https://a.example", "https://a.example"));
        assert!(is_at_origin("https://a.example/sso", "https://a.example"));
        assert!(!is_at_origin(
            "https://a.example.evil/sso",
            "https://a.example"
        ));
        assert!(!is_at_origin("https://a.example:8443", "https://a.example"));
        assert!(!is_at_origin("https://a.example", "http://a.example"));
        assert!(!is_at_origin("https://a.example", ""));
    }

    #[test]
    fn scan_marks_every_code_point_as_the_character_rules_do() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let alone = c.to_string();
            assert_eq!(scan(&alone).any(Marks::SPACE), is_space(c), "{c:?}");
            assert_eq!(scan(&alone).any(Marks::EDGE_SPACE), is_space(c), "{c:?}");
            assert_eq!(scan(&alone).any(Marks::INVISIBLE), is_invisible(c), "{c:?}");
            assert_eq!(scan(&alone).any(Marks::BACKSLASH), c == '\\', "{c:?}");
            let inside = format!("a{c}b");
            assert_eq!(scan(&inside).any(Marks::SPACE), is_space(c), "{c:?}");
            assert!(!scan(&inside).any(Marks::EDGE_SPACE), "{c:?}");
        }
        assert_eq!(scan(""), Marks(0));
        assert!(scan("a b ").any(Marks::EDGE_SPACE));
    }

    #[test]
    fn invisible_characters() {
        for c in [
            '\u{0}',
            '\u{7F}',
            '\u{85}',
            '\u{AD}',
            '\u{200D}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{FFFD}',
            '\u{E0041}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        for c in ['a', ' ', 'æ', '\u{3002}', '-', '\u{1F600}'] {
            assert!(!is_invisible(c), "{c:?}");
        }
    }
}
