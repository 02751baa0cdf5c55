//! Target `url`: the URL rules, redirect URIs, tokens and `url::build`.

use schacc_core::config::{checked_redirect_uri, checked_token, MAX_TOKEN_LEN};
use schacc_core::error::ErrorCode;
use schacc_core::raw::Raw;
use schacc_core::url::{self, is_invisible, read_like_a_browser as read, UrlProblem, MAX_URL_LEN};

use crate::helpers::{
    assert_safe_redirect_uri, assert_valid_token, decode_query, parse_http_url,
    starts_with_http_ignore_case,
};
use crate::input::Input;

/// `parse_http_url` against the rules it promises, `checked_redirect_uri`,
/// `checked_token` and `url::build`.
pub fn check(data: &[u8]) {
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
