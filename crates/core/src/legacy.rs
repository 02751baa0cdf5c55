//! What SPiD JS SDK 2.x kept in the page, which a logout must clear: the
//! `SP_ID` cookie (on the page's host, and on the base domain SchAcc named)
//! and the `spid_js_<client_id>` entry in localStorage. The shell writes the
//! expired cookies and removes the entry (`forget` in `pkg-template/shell.js`);
//! the core decides which base domain may be written into a cookie.

/// The base domain for `SP_ID`'s `Domain=` attribute, without leading dots;
/// `None` unless it is a plain host name (a server-sent `;` must not smuggle
/// cookie attributes in).
pub fn cookie_domain(domain: &str) -> Option<&str> {
    let dots = domain.bytes().take_while(|&byte| byte == b'.').count();
    let domain = domain.get(dots..).unwrap_or_default();
    let plain = !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    plain.then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_domains() {
        assert_eq!(cookie_domain("schibsted.no"), Some("schibsted.no"));
        assert_eq!(cookie_domain(".vg.no"), Some("vg.no"));
        for bad in ["", ".", "a.no; Secure", "a b", "a.no\n"] {
            assert_eq!(cookie_domain(bad), None, "{bad:?}");
        }
    }
}
