//! HTTP-level tests: SchAcc's login door, `GET /oauth/authorize` (a dev
//! login page) and its form's `POST` (the dev login's session and cookies,
//! the hand-over to the session service, then `R?code=…&state=…`), and what
//! it refuses: no redirect to an unregistered URI, no login without an
//! allowed `Origin`.

mod common;

use std::net::SocketAddr;

use common::*;
use schacc_emulator::{start, ClientConfig, Server};

const R: &str = "http://127.0.0.1:8080/";
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

fn authorize_query(redirect_uri: &str, state: &str) -> String {
    format!(
        "client_id=demo&redirect_uri={}&response_type=code&scope=openid+profile&state={}&nonce=n1&prompt=select_account",
        enc(redirect_uri),
        enc(state)
    )
}

async fn post_authorize(
    addr: SocketAddr,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    request(
        addr,
        "POST",
        &format!("/oauth/authorize?{query}"),
        headers,
        body,
    )
    .await
}

async fn state(s: &Server) -> serde_json::Value {
    get(s.addr, "/__emulator/state", &[]).await.json()
}

/// SchAcc's `hasSession.json` answer for client `client` with `cookie`.
async fn has_session_json(addr: SocketAddr, client: &str, cookie: &str) -> serde_json::Value {
    get(
        addr,
        &format!("/ajax/hasSession.json?client_id={client}"),
        &[("Cookie", cookie)],
    )
    .await
    .json()
}

/// The session service's answer for the site cookie `id`.
async fn site_session(svc: SocketAddr, id: &str) -> serde_json::Value {
    get(
        svc,
        "/v2/session?client_id=demo",
        &[("Cookie", &format!("schacc_site_session={id}"))],
    )
    .await
    .json()
}

/// The code of `location` = `prefix` + `code=<32 hex>` + `suffix`.
fn code_between<'a>(location: &'a str, prefix: &str, suffix: &str) -> &'a str {
    let code = location
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix("code="))
        .and_then(|rest| rest.strip_suffix(suffix))
        .unwrap_or_else(|| panic!("{location}"));
    assert!(
        code.len() == 32
            && code
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{location}"
    );
    code
}

#[tokio::test]
async fn bad_authorization_requests_are_400_pages_without_a_redirect() {
    let s = session_server().await;
    let good = authorize_query(R, "st");
    let cases = [
        ("no client", good.replace("client_id=demo&", "")),
        (
            "unknown client",
            good.replace("client_id=demo", "client_id=nope"),
        ),
        ("empty client", good.replace("client_id=demo", "client_id=")),
        (
            "client case",
            good.replace("client_id=demo", "client_id=DEMO"),
        ),
        (
            "no redirect_uri",
            "client_id=demo&response_type=code&state=st".to_string(),
        ),
        ("unregistered", authorize_query("http://evil.test/", "st")),
        ("near miss", authorize_query("http://127.0.0.1:8080", "st")),
        (
            "added query",
            authorize_query("http://127.0.0.1:8080/?x=1", "st"),
        ),
        (
            "another client's",
            authorize_query("https://other.test/cb", "st"),
        ),
        ("empty redirect_uri", authorize_query("", "st")),
        (
            "token",
            good.replace("response_type=code", "response_type=token"),
        ),
        (
            "CODE",
            good.replace("response_type=code", "response_type=CODE"),
        ),
        (
            "code id_token",
            good.replace("response_type=code", "response_type=code+id_token"),
        ),
        ("no response_type", good.replace("response_type=code&", "")),
        ("long state", authorize_query(R, &"s".repeat(1025))),
        ("malformed", format!("{good}&x=%zz")),
    ];
    for (name, query) in &cases {
        let page = get(s.addr, &format!("/oauth/authorize?{query}"), &[]).await;
        let post = post_authorize(s.addr, query, &[("Origin", APP), FORM], b"user_id=5").await;
        for r in [page, post] {
            assert_eq!(r.status, 400, "{name}: {query}");
            assert_eq!(r.header("location"), None, "{name}");
            assert_eq!(r.header("set-cookie"), None, "{name}");
            assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
            assert_eq!(r.header("x-frame-options"), Some("DENY"));
        }
    }
    let st = state(&s).await;
    assert_eq!(st["sessions"].as_array().unwrap().len(), 0);
    assert_eq!(st["authorizationCodes"], 0);
    // Other methods; the login door is a navigation: no CORS, no preflight.
    for method in ["PUT", "DELETE", "OPTIONS"] {
        let r = request(
            s.addr,
            method,
            &format!("/oauth/authorize?{good}"),
            &[("Origin", APP)],
            b"",
        )
        .await;
        assert_eq!(r.status, 405, "{method}");
        r.assert_no_cors();
    }
    // SchAcc's only: the session service has no login door.
    let svc = s.session_addr.unwrap();
    assert_eq!(
        get(svc, &format!("/oauth/authorize?{good}"), &[])
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_page_shows_a_login_form_and_changes_nothing() {
    let s = session_server().await;
    let query = authorize_query(R, "a b/c");
    let r = get(s.addr, &format!("/oauth/authorize?{query}"), &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("set-cookie"), None);
    assert_eq!(r.header("location"), None);
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert_eq!(
        r.header("content-security-policy"),
        Some("frame-ancestors 'none'")
    );
    let page = r.text();
    assert!(page.contains("<form method=\"post\" action=\"/oauth/authorize?client_id=demo&amp;redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&amp;response_type=code&amp;scope=openid%20profile&amp;state=a%20b%2Fc&amp;"), "{page}");
    assert!(
        page.contains("<input name=\"user_id\" value=\"1001\""),
        "{page}"
    );
    assert_eq!(state(&s).await["sessions"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_login_without_an_allowed_origin_is_refused() {
    let s = session_server().await;
    let p = s.addr.port();
    let query = authorize_query(R, "st");
    for origin in [
        None,
        Some("null"),
        Some("http://evil.test"),
        Some("https://other.test.evil"),
    ] {
        let mut headers = vec![FORM];
        headers.extend(origin.map(|o| ("Origin", o)));
        let r = post_authorize(s.addr, &query, &headers, b"user_id=5").await;
        assert_eq!(r.status, 403, "{origin:?}");
        assert_eq!(r.header("location"), None);
        assert_eq!(r.header("set-cookie"), None);
    }
    // A rebindable name for the emulator's own page is not its page.
    let evil_host = format!("evil.test:{p}");
    let evil_origin = format!("http://evil.test:{p}");
    let r = post_authorize(
        s.addr,
        &query,
        &[FORM, ("Host", &evil_host), ("Origin", &evil_origin)],
        b"",
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(state(&s).await["sessions"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_login_ends_at_the_redirect_uri_with_a_code_and_the_state_and_both_cookies() {
    let s = session_server().await;
    let (p, svc) = (s.addr.port(), s.session_addr.unwrap());
    let mut b = Browser::default();
    // An old SchAcc session of this browser is replaced.
    let old = login(s.addr, 1).await;
    let old_id = old.strip_prefix("schacc_session=").unwrap().to_string();
    b.set_cookie(s.addr, "schacc_session", &old_id);
    // From the login page itself: its origin as the browser reached it.
    let own = format!("http://127.0.0.1:{p}");
    let url = format!("{own}/oauth/authorize?{}", authorize_query(R, "xyz /&ü"));
    let first = b
        .send_body(&s, "POST", &url, &[("Origin", &own), FORM], b"user_id=42")
        .await;
    assert_eq!(first.status, 303, "{}", first.text());
    let adopt = first.header("location").unwrap().to_string();
    assert!(
        adopt.starts_with(&format!(
            "http://127.0.0.1:{}/__emulator/adopt?code=",
            svc.port()
        )),
        "{adopt}"
    );
    let (last, visited) = b.follow(&s, first).await;
    assert_eq!(visited.len(), 3, "adopt, confirm, adopt: {visited:#?}");
    assert_eq!(last.status, 302);
    let location = last.header("location").unwrap();
    let first_code =
        code_between(location, &format!("{R}?"), "&state=xyz%20%2F%26%C3%BC").to_string();
    // Both cookies, one session, user 42.
    let id = b.cookie(s.addr, "schacc_session").unwrap();
    assert_eq!(b.cookie(svc, "schacc_site_session"), Some(id.clone()));
    let j = has_session_json(s.addr, "demo", &format!("schacc_session={id}")).await;
    assert_eq!(
        (j["userId"].as_u64(), j["displayName"].as_str()),
        (Some(42), Some("Test User 42"))
    );
    let j = site_session(svc, &id).await;
    assert_eq!(j["userId"], 42);
    assert_eq!(
        has_session(s.addr, &old).await,
        401,
        "the old session was replaced"
    );
    let st = state(&s).await;
    assert_eq!(st["authorizationCodes"], 1);
    assert_eq!(st["sessions"].as_array().unwrap().len(), 1);
    // The login was logged (the code never is: it is in no request).
    let log = st["requests"].as_array().unwrap();
    assert!(log
        .iter()
        .any(|e| e["method"] == "POST" && e["path"] == "/oauth/authorize" && e["status"] == 303));

    // From a registered site's origin; no state; the user id in the query;
    // a registered URI with a query of its own.
    let mut b = Browser::default();
    let url = format!(
        "http://localhost:{p}/oauth/authorize?client_id=demo&response_type=code&user_id=7&redirect_uri={}",
        enc("http://localhost:8080/cb")
    );
    let (last, _) = {
        let r = b.send(&s, "POST", &url, &[("Origin", APP)]).await;
        b.follow(&s, r).await
    };
    let second_code = code_between(
        last.header("location").unwrap(),
        "http://localhost:8080/cb?",
        "",
    );
    assert_ne!(second_code, first_code, "a new code per login");
    let id = b.cookie(svc, "schacc_site_session").unwrap();
    let j = site_session(svc, &id).await;
    assert_eq!(j["userId"], 7);
    assert_eq!(state(&s).await["authorizationCodes"], 2);

    // A bad form or user id: 400, nothing set.
    for body in [&b"user_id=abc"[..], b"user_id=%zz", &[b'a'; 17 * 1024][..]] {
        let r = post_authorize(
            s.addr,
            &authorize_query(R, "s"),
            &[("Origin", APP), FORM],
            body,
        )
        .await;
        assert_eq!(r.status, 400);
        assert_eq!(r.header("set-cookie"), None);
        assert_eq!(r.header("location"), None);
    }
}

#[tokio::test]
async fn without_the_service_the_login_goes_straight_back_with_the_code() {
    let mut config = test_config();
    config.clients.push(ClientConfig {
        id: "q".into(),
        redirect_uris: vec!["http://127.0.0.1:8080/cb?x=1".into()],
    });
    let s = start(config).await.unwrap();
    let query = format!(
        "client_id=q&redirect_uri={}&response_type=code&state=S1",
        enc("http://127.0.0.1:8080/cb?x=1")
    );
    let r = post_authorize(s.addr, &query, &[("Origin", APP), FORM], b"user_id=9").await;
    assert_eq!(r.status, 303);
    code_between(
        r.header("location").unwrap(),
        "http://127.0.0.1:8080/cb?x=1&",
        "&state=S1",
    );
    let cookie = format!("schacc_session={}", r.session_id());
    assert_eq!(
        r.header("set-cookie"),
        Some(format!("{cookie}; HttpOnly; Secure; SameSite=None; Path=/").as_str())
    );
    let j = has_session_json(s.addr, "q", &cookie).await;
    assert_eq!(j["userId"], 9);
    // Without a body: user 1001.
    let r = post_authorize(s.addr, &query, &[("Origin", APP)], b"").await;
    let cookie = format!("schacc_session={}", r.session_id());
    let j = has_session_json(s.addr, "q", &cookie).await;
    assert_eq!(j["userId"], 1001);
    // The client's own redirect URI only: demo's is not q's.
    let query = format!("client_id=q&redirect_uri={}&response_type=code", enc(R));
    let r = post_authorize(s.addr, &query, &[("Origin", APP), FORM], b"").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("location"), None);
}
