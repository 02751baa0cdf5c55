//! Redaction of secrets (access and refresh tokens, session ids) wherever
//! the emulator logs or reports a request: a secret is shown as at most its
//! first 4 characters (never more than a quarter of it) and its length,
//! e.g. `3f1c…(64)`.

use crate::request::encode_component;

/// `abcd…(64)`: the first `min(4, len / 4)` characters and the length in characters.
pub(crate) fn redact(secret: &str) -> String {
    let len = secret.chars().count();
    let shown: String = secret.chars().take((len / 4).min(4)).collect();
    format!("{shown}…({len})")
}

/// Whether a query parameter of that name carries a secret: any name with
/// `token`, `secret`, `password` or `session` in it (`oauth_token`,
/// `access_token`, `refresh_token`, `id_token`, `session_id`, …), and
/// `code`, `sid`, `key`, `api_key`, `apikey`, `auth`, `authorization`.
pub(crate) fn is_secret_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["token", "secret", "password", "session"]
        .iter()
        .any(|w| name.contains(w))
        || matches!(
            name.as_str(),
            "code" | "sid" | "key" | "api_key" | "apikey" | "auth" | "authorization"
        )
}

/// A query string (or fragment) with the value of every secret parameter
/// redacted; everything else is kept byte for byte. The shown characters
/// are percent-encoded, so the result still parses as a query.
pub(crate) fn redact_query(query: &str) -> String {
    let mut out = String::with_capacity(query.len().min(1024));
    for (i, part) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match part.split_once('=') {
            Some((name, value)) if is_secret_param(&lenient_decode(name)) => {
                out.push_str(name);
                out.push('=');
                let value = lenient_decode(value);
                let len = value.chars().count();
                let shown: String = value.chars().take((len / 4).min(4)).collect();
                out.push_str(&encode_component(&shown));
                out.push_str(&format!("…({len})"));
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// A URL (a `Referer`) with secret parameters redacted in its query and fragment.
pub(crate) fn redact_url(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let mut out = match before_fragment.split_once('?') {
        Some((base, query)) => format!("{base}?{}", redact_query(query)),
        None => before_fragment.to_string(),
    };
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(&redact_query(fragment));
    }
    out
}

/// `Authorization` shown as its scheme and the redacted credentials.
pub(crate) fn redact_authorization(value: &str) -> String {
    match value.trim().split_once(' ') {
        Some((scheme, credentials)) => format!("{scheme} {}", redact(credentials.trim())),
        None => redact(value.trim()),
    }
}

/// Percent-decoding that never fails (`+` is a space; bad escapes and
/// non-UTF-8 bytes are kept as they are, lossily).
fn lenient_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    i += 2;
                }
                _ => out.push(b),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_to_prefix_and_length() {
        let token = "0123456789abcdef".repeat(4);
        assert_eq!(redact(&token), "0123…(64)");
        assert_eq!(redact("3f1c0d9e5b7a4c2e8d6f0a1b2c3d4e5f"), "3f1c…(32)");
        assert_eq!(redact("abcdefgh"), "ab…(8)");
        assert_eq!(redact("x"), "…(1)");
        assert_eq!(redact(""), "…(0)");
    }

    #[test]
    fn redacts_secret_query_parameters_only() {
        let t = "a".repeat(64);
        assert_eq!(
            redact_query(&format!(
                "client_id=demo&redirect_uri=http%3A%2F%2Fx%2F&oauth_token={t}"
            )),
            "client_id=demo&redirect_uri=http%3A%2F%2Fx%2F&oauth_token=aaaa…(64)"
        );
        assert_eq!(
            redact_query("access_token=tok%2Ben%3D%26%23xyzw&Refresh_Token=r&code=12345678&x"),
            "access_token=tok…(13)&Refresh_Token=…(1)&code=12…(8)&x"
        );
        assert_eq!(redact_query("client_id=demo"), "client_id=demo");
        assert_eq!(redact_query(""), "");
        assert_eq!(
            redact_query("oauth%5Ftoken=%zzsecret"),
            "oauth%5Ftoken=%25z…(9)"
        );
    }

    #[test]
    fn redacts_urls_and_authorization() {
        let t = "b".repeat(64);
        assert_eq!(
            redact_url(&format!(
                "http://a.test/p?x=1&oauth_token={t}#access_token={t}"
            )),
            "http://a.test/p?x=1&oauth_token=bbbb…(64)#access_token=bbbb…(64)"
        );
        assert_eq!(redact_url("http://a.test/p"), "http://a.test/p");
        assert_eq!(
            redact_authorization(&format!("Bearer {t}")),
            "Bearer bbbb…(64)"
        );
        assert_eq!(redact_authorization("Basic dXNlcjpwdw=="), "Basic dXN…(12)");
        assert_eq!(redact_authorization("opaque"), "o…(6)");
    }
}
