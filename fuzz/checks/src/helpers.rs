//! Assertions and decoders more than one target uses.

use schacc_core::config::MAX_TOKEN_LEN;
use schacc_core::url::{
    check_http_url, read_like_a_browser as read, HttpUrl, UrlProblem, MAX_URL_LEN,
};

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

pub fn starts_with_http_ignore_case(input: &str) -> Option<bool> {
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
pub fn assert_safe_redirect_uri(uri: &str) {
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

pub fn parse_http_url(input: &str) -> Result<HttpUrl, UrlProblem> {
    check_http_url(input, &read)
}

pub fn assert_valid_token(token: &str) {
    assert!(!token.is_empty() && token.len() <= MAX_TOKEN_LEN);
    assert!(token.bytes().all(|b| b.is_ascii_graphic()), "{token:?}");
}
