//! What SPiD JS SDK 2.x kept in the page, which a logout must clear: the
//! `SP_ID` cookie and the `spid_js_<client_id>` entry in localStorage.

pub const COOKIE: &str = "SP_ID";

/// `document.cookie` assignment that expires `SP_ID` on the current host, or
/// on `.domain` when given. `None` when the domain is not a plain host name
/// (a server-sent `;` must not smuggle cookie attributes in).
pub fn expired_cookie(domain: Option<&str>) -> Option<String> {
    let mut cookie = String::from("SP_ID=; Max-Age=0; Path=/");
    if let Some(domain) = domain {
        let dots = domain.bytes().take_while(|&byte| byte == b'.').count();
        let domain = domain.get(dots..).unwrap_or_default();
        let plain = !domain.is_empty()
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !plain {
            return None;
        }
        cookie.push_str("; Domain=.");
        cookie.push_str(domain);
    }
    Some(cookie)
}

pub fn storage_key(client_id: &str) -> String {
    let mut key = String::from("spid_js_");
    key.push_str(client_id);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies() {
        assert_eq!(expired_cookie(None).unwrap(), "SP_ID=; Max-Age=0; Path=/");
        assert_eq!(
            expired_cookie(Some("schibsted.no")).unwrap(),
            "SP_ID=; Max-Age=0; Path=/; Domain=.schibsted.no"
        );
        assert_eq!(
            expired_cookie(Some(".vg.no")).unwrap(),
            "SP_ID=; Max-Age=0; Path=/; Domain=.vg.no"
        );
        for bad in ["", ".", "a.no; Secure", "a b", "a.no\n"] {
            assert_eq!(expired_cookie(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(storage_key("abc"), "spid_js_abc");
    }
}
