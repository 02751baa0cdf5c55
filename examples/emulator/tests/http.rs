//! End-to-end tests: the emulator runs in-process and is spoken to with raw
//! HTTP/1.1 over TCP, so malformed requests can be sent too.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use schacc_emulator::{start, ClientConfig, Config, Server};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const APP: &str = "http://127.0.0.1:8080";
const EXPIRED: &str = "schacc_session=; Max-Age=0; HttpOnly; Secure; SameSite=None; Path=/";

fn test_config() -> Config {
    Config {
        listen: "127.0.0.1:0".into(),
        base_domain: "localhost".into(),
        clients: vec![
            ClientConfig {
                id: "demo".into(),
                redirect_uris: vec![
                    "http://127.0.0.1:8080/".into(),
                    "http://127.0.0.1:8080/logged-out.html".into(),
                    "http://localhost:8080/cb".into(),
                ],
            },
            ClientConfig {
                id: "other".into(),
                redirect_uris: vec!["https://other.test/cb".into()],
            },
        ],
        tls: false,
        log_requests: false,
    }
}

async fn server() -> Server {
    start(test_config()).await.expect("server starts")
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The session id from a `Set-Cookie: schacc_session=<id>; …` header.
    fn session_id(&self) -> String {
        let c = self.header("set-cookie").expect("set-cookie");
        c.strip_prefix("schacc_session=")
            .and_then(|r| r.split(';').next())
            .expect("session cookie")
            .to_string()
    }
    fn assert_no_cors(&self) {
        assert_eq!(self.header("access-control-allow-origin"), None, "{self:?}");
        assert_eq!(self.header("access-control-allow-credentials"), None);
    }
}

/// Send raw bytes, read until the server closes the connection.
async fn raw(addr: SocketAddr, bytes: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    // The server may reject before reading everything; ignore write errors.
    let _ = s.write_all(bytes).await;
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out)).await;
    match read {
        Ok(Ok(_)) | Ok(Err(_)) => out, // a reset counts as closed
        Err(_) => panic!("server did not close the connection"),
    }
}

fn parse(bytes: &[u8]) -> Resp {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = bytes[end + 4..].to_vec();
    if let Some(len) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        assert_eq!(body.len(), len, "body length");
        body.truncate(len);
    }
    Resp {
        status,
        headers,
        body,
    }
}

async fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    parse(&raw(addr, &bytes).await)
}

async fn get(addr: SocketAddr, target: &str, headers: &[(&str, &str)]) -> Resp {
    request(addr, "GET", target, headers, b"").await
}

async fn post_json(addr: SocketAddr, target: &str, body: Value) -> Resp {
    request(
        addr,
        "POST",
        target,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await
}

/// Log in user `user_id`; returns the `Cookie` header value.
async fn login(addr: SocketAddr, user_id: u64) -> String {
    let r = get(
        addr,
        &format!("/__emulator/login?user_id={user_id}&format=json"),
        &[],
    )
    .await;
    assert_eq!(r.status, 200);
    format!("schacc_session={}", r.session_id())
}

/// Mint a token; returns (access, refresh).
async fn token(addr: SocketAddr, user_id: u64) -> (String, String) {
    let r = get(
        addr,
        &format!("/__emulator/token?user_id={user_id}&client_id=demo"),
        &[],
    )
    .await;
    assert_eq!(r.status, 200);
    let j = r.json();
    (
        j["access_token"].as_str().unwrap().to_string(),
        j["refresh_token"].as_str().unwrap().to_string(),
    )
}

async fn has_session(addr: SocketAddr, cookie: &str) -> u16 {
    get(
        addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Cookie", cookie)],
    )
    .await
    .status
}

async fn me(addr: SocketAddr, access: &str) -> u16 {
    get(
        addr,
        "/api/2/me",
        &[("Authorization", &format!("Bearer {access}"))],
    )
    .await
    .status
}

/// Percent-encode everything but unreserved characters (like encodeURIComponent).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn assert_json_headers(r: &Resp) {
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
}

// ---- hasSession ------------------------------------------------------------------

#[tokio::test]
async fn has_session_without_and_with_cookie() {
    let s = server().await;
    let r = get(s.addr, "/ajax/hasSession.json?client_id=demo", &[]).await;
    assert_eq!(r.status, 401);
    assert_json_headers(&r);
    assert_eq!(
        r.json(),
        json!({"result":false,"userStatus":"notConnected","error":{"code":401,"type":"UserException","description":"No session found"}})
    );

    let r = get(
        s.addr,
        "/__emulator/login?user_id=42&display_name=Kari+Nordmann&format=json",
        &[],
    )
    .await;
    let cookie = format!("schacc_session={}", r.session_id());
    let r = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Cookie", &format!("foo=bar; {cookie}; x=y"))],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    let j = r.json();
    assert_eq!(j["result"], true);
    assert_eq!(j["userId"], 42);
    assert_eq!(j["userStatus"], "connected");
    assert_eq!(j["baseDomain"], "localhost");
    assert_eq!(j["displayName"], "Kari Nordmann");
    let expires = j["expiresIn"].as_u64().unwrap();
    assert!(expires > 0 && expires <= 7200);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(j["serverTime"].as_u64().unwrap().abs_diff(now) < 5);

    // An unknown session id is no session.
    let r = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Cookie", "schacc_session=00000000000000000000000000000000")],
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn unknown_or_missing_client_id_on_ajax_is_400() {
    let s = server().await;
    let cookie = login(s.addr, 1).await;
    for target in [
        "/ajax/hasSession.json",
        "/ajax/hasSession.json?client_id=nope",
        "/ajax/hasSession.json?client_id=",
        "/ajax/hasSession.json?client_id=DEMO",
        "/ajax/logout.json",
        "/ajax/logout.json?client_id=nope",
    ] {
        let r = get(s.addr, target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 400, "{target}");
        assert_json_headers(&r);
        assert_eq!(
            r.json(),
            json!({"error":{"code":400,"type":"ApiException","description":"Unknown client_id"}})
        );
    }
    // logout.json with a bad client did not log out.
    assert_eq!(has_session(s.addr, &cookie).await, 200);
}

// ---- logout.json -------------------------------------------------------------------

#[tokio::test]
async fn logout_json_with_cookie_deletes_session_and_expires_cookie() {
    let s = server().await;
    let cookie = login(s.addr, 7).await;
    let other = login(s.addr, 8).await;
    let r = get(
        s.addr,
        "/ajax/logout.json?client_id=demo",
        &[("Cookie", &cookie), ("Origin", APP)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    let j = r.json();
    assert_eq!(j["result"], true);
    assert_eq!(j["userStatus"], "notConnected");
    assert!(j["serverTime"].as_u64().unwrap() > 1_600_000_000);
    assert_eq!(r.all("set-cookie"), vec![EXPIRED]);
    assert_eq!(has_session(s.addr, &cookie).await, 401);
    assert_eq!(has_session(s.addr, &other).await, 200);

    // Again: the session is gone.
    let r = get(
        s.addr,
        "/ajax/logout.json?client_id=demo",
        &[("Cookie", &cookie)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"result":false,"userStatus":"notConnected","reason":"no_session"})
    );
}

#[tokio::test]
async fn logout_json_without_cookie_is_no_session() {
    let s = server().await;
    let r = get(s.addr, "/ajax/logout.json?client_id=demo", &[]).await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    assert_eq!(
        r.json(),
        json!({"result":false,"userStatus":"notConnected","reason":"no_session"})
    );
    assert_eq!(r.header("set-cookie"), None);
}

// ---- /logout (top-level navigation) ------------------------------------------------

#[tokio::test]
async fn logout_page_redirects_to_exact_registered_uri_and_logs_out() {
    let s = server().await;
    for uri in [
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080/logged-out.html",
        "http://localhost:8080/cb",
    ] {
        let cookie = login(s.addr, 5).await;
        let (access, _) = token(s.addr, 5).await;
        let (untouched, _) = token(s.addr, 6).await;
        let target = format!(
            "/logout?client_id=demo&redirect_uri={}&oauth_token={access}",
            enc(uri)
        );
        let r = get(s.addr, &target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 302, "{uri}");
        assert_eq!(r.header("location"), Some(uri));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(r.all("set-cookie"), vec![EXPIRED]);
        assert_eq!(has_session(s.addr, &cookie).await, 401);
        assert_eq!(me(s.addr, &access).await, 401);
        assert_eq!(me(s.addr, &untouched).await, 200);
    }
    // '+'-free, unencoded form works too.
    let r = get(
        s.addr,
        "/logout?client_id=demo&redirect_uri=http://127.0.0.1:8080/",
        &[],
    )
    .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("set-cookie"), None);
}

#[tokio::test]
async fn logout_page_refuses_near_miss_redirect_uris() {
    let s = server().await;
    let near_misses = [
        ("missing trailing slash", "http://127.0.0.1:8080"),
        (
            "trailing slash added",
            "http://127.0.0.1:8080/logged-out.html/",
        ),
        ("prefix of registered", "http://127.0.0.1:8080/logged-out"),
        (
            "prefix of registered 2",
            "http://127.0.0.1:8080/logged-out.htm",
        ),
        (
            "registered is prefix",
            "http://127.0.0.1:8080/logged-out.html.evil",
        ),
        ("extra path", "http://127.0.0.1:8080/evil"),
        (
            "extra path segment",
            "http://127.0.0.1:8080/logged-out.html/x",
        ),
        ("dot segments", "http://127.0.0.1:8080/x/../logged-out.html"),
        ("double slash", "http://127.0.0.1:8080//evil.test/"),
        ("host case", "http://LOCALHOST:8080/cb"),
        ("scheme case", "HTTP://127.0.0.1:8080/"),
        ("path case", "http://127.0.0.1:8080/Logged-Out.html"),
        ("different port", "http://127.0.0.1:8081/"),
        ("explicit default port", "http://localhost:80/cb"),
        ("https instead of http", "https://127.0.0.1:8080/"),
        ("added query", "http://127.0.0.1:8080/?next=evil"),
        ("empty query", "http://127.0.0.1:8080/?"),
        ("added fragment", "http://127.0.0.1:8080/#frag"),
        (
            "percent-encoded variant",
            "http://127.0.0.1:8080/logged%2Dout.html",
        ),
        ("encoded slash", "http://127.0.0.1:8080%2F"),
        ("userinfo trick", "http://127.0.0.1:8080@evil.test/"),
        ("userinfo prefix", "http://user@127.0.0.1:8080/"),
        ("subdomain trick", "http://127.0.0.1.evil.test:8080/"),
        ("backslash", "http://127.0.0.1:8080\\@evil.test/"),
        ("backslash path", "http://127.0.0.1:8080/\\evil.test"),
        ("leading space", " http://127.0.0.1:8080/"),
        ("trailing space", "http://127.0.0.1:8080/ "),
        ("trailing tab", "http://127.0.0.1:8080/\t"),
        ("trailing newline", "http://127.0.0.1:8080/\n"),
        ("scheme-relative", "//127.0.0.1:8080/"),
        ("localhost for 127.0.0.1", "http://localhost:8080/"),
        ("another client's uri", "https://other.test/cb"),
        ("javascript", "javascript:alert(1)"),
        ("empty", ""),
    ];
    assert!(near_misses.len() >= 15);
    let cookie = login(s.addr, 9).await;
    for (name, uri) in near_misses {
        let target = format!("/logout?client_id=demo&redirect_uri={}", enc(uri));
        let r = get(s.addr, &target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 400, "{name}: {uri:?}");
        assert_eq!(r.header("location"), None, "{name}");
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
    }
    // The refused redirect still logged the user out.
    assert_eq!(has_session(s.addr, &cookie).await, 401);
}

#[tokio::test]
async fn logout_page_with_unknown_client_is_400_and_does_nothing() {
    let s = server().await;
    let cookie = login(s.addr, 3).await;
    let (access, _) = token(s.addr, 3).await;
    for target in [
        format!("/logout?redirect_uri={}", enc("http://127.0.0.1:8080/")),
        format!(
            "/logout?client_id=evil&redirect_uri={}&oauth_token={access}",
            enc("http://127.0.0.1:8080/")
        ),
        format!("/logout?client_id=&oauth_token={access}"),
    ] {
        let r = get(s.addr, &target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 400, "{target}");
        assert_eq!(r.header("location"), None);
        assert_eq!(r.header("set-cookie"), None);
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
    }
    assert_eq!(has_session(s.addr, &cookie).await, 200);
    assert_eq!(me(s.addr, &access).await, 200);
}

#[tokio::test]
async fn logout_page_without_redirect_uri_shows_logged_out_page() {
    let s = server().await;
    let cookie = login(s.addr, 11).await;
    let r = get(s.addr, "/logout?client_id=demo", &[("Cookie", &cookie)]).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("You are logged out"));
    assert_eq!(r.all("set-cookie"), vec![EXPIRED]);
    assert_eq!(r.header("location"), None);
    assert_eq!(has_session(s.addr, &cookie).await, 401);
}

// ---- /api/2 ----------------------------------------------------------------------

#[tokio::test]
async fn api_logout_revokes_token_and_leaves_session_alive() {
    let s = server().await;
    let cookie = login(s.addr, 21).await;
    let (access, refresh) = token(s.addr, 21).await;
    let (other, _) = token(s.addr, 22).await;
    assert_ne!(access, refresh);

    let r = get(
        s.addr,
        "/api/2/me",
        &[("Authorization", &format!("Bearer {access}"))],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    assert_eq!(
        r.json(),
        json!({"data":{"userId":21,"displayName":"Test User 21"}})
    );

    let r = get(
        s.addr,
        "/api/2/logout",
        &[
            ("Authorization", &format!("Bearer {access}")),
            ("Cookie", &cookie),
        ],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    assert_eq!(r.json(), json!({"code":200,"data":"OK"}));
    assert_eq!(r.header("set-cookie"), None);

    assert_eq!(me(s.addr, &access).await, 401);
    assert_eq!(me(s.addr, &other).await, 200);
    assert_eq!(has_session(s.addr, &cookie).await, 200);

    // Revoking again fails; the refresh token is not an access token.
    let r = get(
        s.addr,
        "/api/2/logout",
        &[("Authorization", &format!("Bearer {access}"))],
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(me(s.addr, &refresh).await, 401);

    let state = get(s.addr, "/__emulator/state", &[]).await.json();
    assert_eq!(
        state["tokens"],
        json!([{"userId":21,"clientId":"demo","revoked":true},{"userId":22,"clientId":"demo","revoked":false}])
    );

    // ?oauth_token= works as well.
    let r = get(s.addr, &format!("/api/2/logout?oauth_token={other}"), &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(me(s.addr, &other).await, 401);
}

#[tokio::test]
async fn api_invalid_or_missing_token_is_401() {
    let s = server().await;
    let expected = json!({"error":{"code":401,"type":"OAuthException","description":"Invalid or revoked token"}});
    for (target, auth) in [
        ("/api/2/logout", None),
        ("/api/2/logout", Some("Bearer nope")),
        ("/api/2/logout", Some("Bearer ")),
        ("/api/2/logout", Some("Basic dXNlcjpwdw==")),
        ("/api/2/logout?oauth_token=", None),
        ("/api/2/me", None),
        ("/api/2/me", Some("Bearer 0123")),
    ] {
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", *a)).collect();
        let r = get(s.addr, target, &headers).await;
        assert_eq!(r.status, 401, "{target} {auth:?}");
        assert_json_headers(&r);
        assert_eq!(r.json(), expected);
    }
}

// ---- CORS ------------------------------------------------------------------------

#[tokio::test]
async fn cors_is_echoed_only_for_registered_origins() {
    let s = server().await;
    for path in [
        "/ajax/hasSession.json?client_id=demo",
        "/ajax/logout.json?client_id=demo",
        "/api/2/me",
        "/api/2/logout",
    ] {
        for origin in [APP, "http://localhost:8080"] {
            let r = get(s.addr, path, &[("Origin", origin)]).await;
            assert_eq!(
                r.header("access-control-allow-origin"),
                Some(origin),
                "{path}"
            );
            assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
            assert_eq!(r.header("vary"), Some("Origin"));
        }
        for origin in [
            "http://evil.test",
            "http://127.0.0.1:8081",
            "https://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "null",
        ] {
            let r = get(s.addr, path, &[("Origin", origin)]).await;
            r.assert_no_cors();
            assert_eq!(r.header("vary"), Some("Origin"), "{path}");
        }
        let r = get(s.addr, path, &[]).await;
        r.assert_no_cors();
        assert_eq!(r.header("vary"), Some("Origin"));
    }
    // /ajax: only the origins of *that* client count; /api: any client's.
    let r = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Origin", "https://other.test")],
    )
    .await;
    r.assert_no_cors();
    let r = get(
        s.addr,
        "/ajax/hasSession.json?client_id=other",
        &[("Origin", "https://other.test")],
    )
    .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://other.test")
    );
    let r = get(s.addr, "/api/2/me", &[("Origin", "https://other.test")]).await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://other.test")
    );
    // The navigation endpoint carries no CORS headers.
    let r = get(s.addr, "/logout?client_id=demo", &[("Origin", APP)]).await;
    r.assert_no_cors();
}

#[tokio::test]
async fn cors_preflight() {
    let s = server().await;
    for path in [
        "/api/2/logout",
        "/api/2/me",
        "/ajax/logout.json?client_id=demo",
        "/ajax/hasSession.json?client_id=demo",
    ] {
        let r = request(
            s.addr,
            "OPTIONS",
            path,
            &[
                ("Origin", APP),
                ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "authorization"),
            ],
            b"",
        )
        .await;
        assert_eq!(r.status, 204, "{path}");
        assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
        assert_eq!(
            r.header("access-control-allow-methods"),
            Some("GET, OPTIONS")
        );
        assert_eq!(
            r.header("access-control-allow-headers"),
            Some("Authorization")
        );
        assert_eq!(r.header("access-control-max-age"), Some("600"));
        assert_eq!(r.header("vary"), Some("Origin"));

        let r = request(
            s.addr,
            "OPTIONS",
            path,
            &[
                ("Origin", "http://evil.test"),
                ("Access-Control-Request-Method", "GET"),
            ],
            b"",
        )
        .await;
        r.assert_no_cors();
        assert_eq!(r.header("access-control-allow-methods"), None);
        assert_eq!(r.header("access-control-allow-headers"), None);
    }
}

// ---- cookies -----------------------------------------------------------------------

#[tokio::test]
async fn session_cookie_flags_and_ids() {
    let s = server().await;
    let mut ids = std::collections::HashSet::new();
    for i in 0..20 {
        let r = get(
            s.addr,
            &format!("/__emulator/login?user_id={i}&format=json"),
            &[],
        )
        .await;
        assert_eq!(r.status, 200);
        let cookie = r.header("set-cookie").unwrap().to_string();
        let id = r.session_id();
        assert_eq!(
            cookie,
            format!("schacc_session={id}; HttpOnly; Secure; SameSite=None; Path=/")
        );
        assert_eq!(id.len(), 32);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert!(ids.insert(id), "duplicate session id");
        assert_eq!(r.json()["userId"], i);
    }
}

// ---- /__emulator controls ------------------------------------------------------------

#[tokio::test]
async fn emulator_login_variants() {
    let s = server().await;
    let r = get(s.addr, "/__emulator/login", &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Logged in as Test User 1001"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-credentials"), None);
    let cookie = format!("schacc_session={}", r.session_id());
    let j = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Cookie", &cookie)],
    )
    .await
    .json();
    assert_eq!(j["userId"], 1001);
    assert_eq!(j["displayName"], "Test User 1001");

    let r = get(
        s.addr,
        &format!(
            "/__emulator/login?user_id=5&return_to={}",
            enc("http://127.0.0.1:8080/page?x=1")
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("http://127.0.0.1:8080/page?x=1"));
    assert_eq!(r.session_id().len(), 32);

    let r = get(s.addr, "/__emulator/login?user_id=abc", &[]).await;
    assert_eq!(r.status, 400);
    let r = request(s.addr, "POST", "/__emulator/state", &[], b"").await;
    assert_eq!(r.status, 405);
    let r = get(s.addr, "/__emulator/nope", &[]).await;
    assert_eq!(r.status, 404);
    let r = request(
        s.addr,
        "OPTIONS",
        "/__emulator/fault",
        &[("Origin", "http://anything.test")],
        b"",
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn emulator_token_and_state_hide_secrets() {
    let s = server().await;
    let r = request(
        s.addr,
        "POST",
        "/__emulator/token?user_id=77&client_id=other",
        &[],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["userId"], 77);
    assert_eq!(j["clientId"], "other");
    let access = j["access_token"].as_str().unwrap().to_string();
    let refresh = j["refresh_token"].as_str().unwrap().to_string();
    for t in [&access, &refresh] {
        assert_eq!(t.len(), 64);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert_eq!(
        get(s.addr, "/__emulator/token?client_id=nope", &[])
            .await
            .status,
        400
    );
    let cookie = login(s.addr, 78).await;
    let state = get(s.addr, "/__emulator/state", &[]).await;
    assert_eq!(state.status, 200);
    let text = state.text();
    assert!(!text.contains(&access) && !text.contains(&refresh));
    assert!(!text.contains(cookie.trim_start_matches("schacc_session=")));
    let j = state.json();
    assert_eq!(j["sessions"][0]["userId"], 78);
    assert_eq!(j["sessions"][0]["displayName"], "Test User 78");
    assert!(j["sessions"][0]["createdAt"].as_u64().unwrap() > 1_600_000_000);
    assert_eq!(
        j["tokens"],
        json!([{"userId":77,"clientId":"other","revoked":false}])
    );
}

#[tokio::test]
async fn request_log_records_requests() {
    let s = server().await;
    let cookie = login(s.addr, 1).await;
    get(
        s.addr,
        "/ajax/logout.json?client_id=demo",
        &[
            ("Cookie", &cookie),
            ("Origin", APP),
            ("Referer", "http://127.0.0.1:8080/app"),
        ],
    )
    .await;
    get(
        s.addr,
        "/api/2/logout",
        &[("Authorization", "Bearer x"), ("Cookie", "other=1")],
    )
    .await;
    get(s.addr, "/nope?a=b", &[]).await;
    let j = get(s.addr, "/__emulator/state", &[]).await.json();
    assert_eq!(
        j["requests"],
        json!([
            {"method":"GET","path":"/ajax/logout.json","query":"client_id=demo","cookie":true,"authorization":false,"origin":APP,"referer":"http://127.0.0.1:8080/app","status":200},
            {"method":"GET","path":"/api/2/logout","query":"","cookie":false,"authorization":true,"origin":null,"referer":null,"status":401},
            {"method":"GET","path":"/nope","query":"a=b","cookie":false,"authorization":false,"origin":null,"referer":null,"status":404},
        ])
    );
}

#[tokio::test]
async fn reset_clears_everything() {
    let s = server().await;
    let cookie = login(s.addr, 1).await;
    let (access, _) = token(s.addr, 1).await;
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/api/2/me","status":503}),
    )
    .await;
    get(s.addr, "/ajax/hasSession.json?client_id=demo", &[]).await;
    let r = request(s.addr, "POST", "/__emulator/reset", &[], b"").await;
    assert_eq!(r.status, 200);
    let j = get(s.addr, "/__emulator/state", &[]).await.json();
    assert_eq!(j["sessions"], json!([]));
    assert_eq!(j["tokens"], json!([]));
    assert_eq!(j["requests"], json!([]));
    assert_eq!(j["faults"], json!([]));
    assert_eq!(has_session(s.addr, &cookie).await, 401);
    assert_eq!(me(s.addr, &access).await, 401); // token gone, fault gone (not 503)
}

#[tokio::test]
async fn unknown_path_404_and_wrong_method_405() {
    let s = server().await;
    let r = get(s.addr, "/nope", &[]).await;
    assert_eq!(r.status, 404);
    assert_json_headers(&r);
    assert_eq!(r.json()["error"]["code"], 404);
    let r = request(s.addr, "POST", "/ajax/logout.json?client_id=demo", &[], b"").await;
    assert_eq!(r.status, 405);
    assert_json_headers(&r);
    let r = request(s.addr, "DELETE", "/api/2/logout", &[], b"").await;
    assert_eq!(r.status, 405);
}

// ---- faults ------------------------------------------------------------------------

#[tokio::test]
async fn fault_status_body_and_content_type() {
    let s = server().await;
    let r = post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/ajax/logout.json","status":500,"body":"oops","contentType":"text/plain"}),
    )
    .await;
    assert_eq!(r.status, 200);
    for client in ["demo", "other"] {
        let r = get(
            s.addr,
            &format!("/ajax/logout.json?client_id={client}"),
            &[("Origin", APP)],
        )
        .await;
        assert_eq!(r.status, 500);
        assert_eq!(r.text(), "oops");
        assert_eq!(r.header("content-type"), Some("text/plain"));
        // CORS computed as normal.
        if client == "demo" {
            assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        } else {
            r.assert_no_cors();
        }
    }
    // Other paths are unaffected; preflights are never faulted.
    assert_eq!(
        get(s.addr, "/ajax/hasSession.json?client_id=demo", &[])
            .await
            .status,
        401
    );
    let r = request(
        s.addr,
        "OPTIONS",
        "/ajax/logout.json?client_id=demo",
        &[("Origin", APP)],
        b"",
    )
    .await;
    assert_eq!(r.status, 204);

    // Defaults: status 200, body {}, application/json.
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/api/2/me","body":"{}"}),
    )
    .await;
    let r = get(s.addr, "/api/2/me", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({}));
    assert_eq!(r.header("content-type"), Some("application/json"));

    // DELETE clears all faults.
    let r = request(s.addr, "DELETE", "/__emulator/fault", &[], b"").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        get(s.addr, "/ajax/logout.json?client_id=demo", &[])
            .await
            .json()["reason"],
        "no_session"
    );
    assert_eq!(get(s.addr, "/api/2/me", &[]).await.status, 401);
}

#[tokio::test]
async fn fault_body_size() {
    let s = server().await;
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/ajax/hasSession.json","bodySize":100000}),
    )
    .await;
    let r = get(s.addr, "/ajax/hasSession.json?client_id=demo", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 100_000);
    let j = r.json();
    assert_eq!(j["result"], true);
    assert!(j["pad"].as_str().unwrap().bytes().all(|b| b == b'x'));
}

#[tokio::test]
async fn fault_delay_alone_delays_normal_response() {
    let s = server().await;
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/ajax/hasSession.json","delayMs":300}),
    )
    .await;
    let t = Instant::now();
    let r = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Origin", APP)],
    )
    .await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["userStatus"], "notConnected");
    assert_eq!(r.header("access-control-allow-origin"), Some(APP));

    // Delay combined with a status.
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/api/2/me","delayMs":200,"status":502}),
    )
    .await;
    let t = Instant::now();
    let r = get(s.addr, "/api/2/me", &[]).await;
    assert!(t.elapsed() >= Duration::from_millis(200));
    assert_eq!(r.status, 502);
}

#[tokio::test]
async fn fault_drop_closes_connection_without_response() {
    let s = server().await;
    let r = post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/ajax/logout.json","drop":true,"times":1}),
    )
    .await;
    assert_eq!(r.status, 200);
    let cookie = login(s.addr, 1).await;
    let req = format!(
        "GET /ajax/logout.json?client_id=demo HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\r\n"
    );
    // No Connection: close here: the server must actively close.
    let bytes = raw(s.addr, req.as_bytes()).await;
    assert!(
        bytes.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&bytes)
    );
    // Session untouched (the request was never processed); the fault was used up.
    assert_eq!(has_session(s.addr, &cookie).await, 200);
    let r = get(
        s.addr,
        "/ajax/logout.json?client_id=demo",
        &[("Cookie", &cookie)],
    )
    .await;
    assert_eq!(r.json()["result"], true);
    let j = get(s.addr, "/__emulator/state", &[]).await.json();
    assert_eq!(j["requests"][0]["path"], "/ajax/logout.json");
    assert_eq!(j["requests"][0]["status"], Value::Null);
    assert_eq!(j["requests"][0]["cookie"], true);
}

#[tokio::test]
async fn fault_no_cors_alone_keeps_normal_response() {
    let s = server().await;
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/ajax/logout.json","noCors":true}),
    )
    .await;
    let r = get(
        s.addr,
        "/ajax/logout.json?client_id=demo",
        &[("Origin", APP)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["reason"], "no_session");
    r.assert_no_cors();

    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/api/2/me","noCors":true,"status":500}),
    )
    .await;
    let r = get(s.addr, "/api/2/me", &[("Origin", APP)]).await;
    assert_eq!(r.status, 500);
    r.assert_no_cors();
}

#[tokio::test]
async fn fault_times_limits_affected_requests() {
    let s = server().await;
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/ajax/hasSession.json","status":503,"times":2}),
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            get(s.addr, "/ajax/hasSession.json?client_id=demo", &[])
                .await
                .status,
        );
    }
    assert_eq!(statuses, vec![503, 503, 401, 401]);
}

#[tokio::test]
async fn fault_validation() {
    let s = server().await;
    for body in [
        "not json".to_string(),
        json!({}).to_string(),
        json!({"status":500}).to_string(),
        json!({"path":"nope"}).to_string(),
        json!({"path":"/x","status":99}).to_string(),
        json!({"path":"/x","times":0}).to_string(),
        json!({"path":"/x","bodySize":1_000_000_000}).to_string(),
        json!({"path":"/x","contentType":"a\nb"}).to_string(),
        json!({"path":"/x","stauts":500}).to_string(),
    ] {
        let r = request(
            s.addr,
            "POST",
            "/__emulator/fault",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 400, "{body}");
    }
}

// ---- robustness ------------------------------------------------------------------------

async fn still_alive(addr: SocketAddr) {
    let r = get(addr, "/ajax/hasSession.json?client_id=demo", &[]).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn malformed_queries_are_400() {
    let s = server().await;
    for target in [
        "/ajax/hasSession.json?client_id=%zz",
        "/ajax/hasSession.json?client_id=demo%",
        "/ajax/hasSession.json?client_id=demo&x=%4",
        "/ajax/logout.json?client_id=%ff%fe",
        "/api/2/logout?oauth_token=%c3%28",
        "/__emulator/login?user_id=%",
    ] {
        let r = get(s.addr, target, &[]).await;
        assert_eq!(r.status, 400, "{target}");
        assert_eq!(r.json()["error"]["code"], 400);
    }
    for target in [
        "/logout?client_id=demo&redirect_uri=%ff",
        "/logout?client_id=de%mo",
    ] {
        let r = get(s.addr, target, &[]).await;
        assert_eq!(r.status, 400, "{target}");
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert_eq!(r.header("location"), None);
    }
    still_alive(s.addr).await;
}

#[tokio::test]
async fn malformed_requests_do_not_crash_the_server() {
    let s = server().await;
    let big = "a".repeat(100 * 1024);
    let inputs: Vec<Vec<u8>> = vec![
        b"garbage\r\n\r\n".to_vec(),
        b"\x00\x01\x02\xff\xfe\r\n\r\n".to_vec(),
        b"GET /ajax/hasSession.json?client_id=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\nCookie: schacc_session=\xff\xfe\r\nConnection: close\r\n\r\n"
            .to_vec(),
        format!("GET /ajax/hasSession.json?client_id=demo HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n")
            .into_bytes(),
        format!("GET /{big} HTTP/1.1\r\nHost: x\r\n\r\n").into_bytes(),
        b"GET /ajax/hasSession.json HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n".to_vec(),
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(), // a TLS ClientHello start
        b"GET /ajax/hasSession.json?client_id=demo HTTP/1.1\r\nHost: x\r\nCookie: \x80\x81\r\nConnection: close\r\n\r\n".to_vec(),
    ];
    for input in inputs {
        let bytes = raw(s.addr, &input).await;
        if !bytes.is_empty() {
            let r = parse(&bytes);
            assert!(
                (400..500).contains(&r.status),
                "{} for {:?}",
                r.status,
                String::from_utf8_lossy(&input[..input.len().min(60)])
            );
        }
    }
    // The 100 KB header specifically gets 431 (or 400).
    let r = parse(
        &raw(
            s.addr,
            format!("GET /ajax/hasSession.json?client_id=demo HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await,
    );
    assert!(r.status == 431 || r.status == 400, "{}", r.status);
    still_alive(s.addr).await;
}

#[tokio::test]
async fn poisoned_or_concurrent_use_keeps_serving() {
    let s = server().await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let addr = s.addr;
        tasks.push(tokio::spawn(async move {
            let cookie = login(addr, i).await;
            assert_eq!(has_session(addr, &cookie).await, 200);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let j = get(s.addr, "/__emulator/state", &[]).await.json();
    assert_eq!(j["sessions"].as_array().unwrap().len(), 20);
}

// ---- TLS -----------------------------------------------------------------------------

#[cfg(feature = "tls")]
#[tokio::test]
async fn tls_serves_https_with_self_signed_certificate() {
    use std::sync::Arc;
    use tokio_rustls::rustls;

    let s = start(Config {
        tls: true,
        ..test_config()
    })
    .await
    .unwrap();
    assert!(s.url().starts_with("https://127.0.0.1:"));
    let der = s.certificate_der.clone().unwrap();
    for name in ["localhost", "127.0.0.1"] {
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(rustls::pki_types::CertificateDer::from(der.clone()))
            .unwrap();
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let tcp = TcpStream::connect(s.addr).await.unwrap();
        let server_name = rustls::pki_types::ServerName::try_from(name.to_string()).unwrap();
        let mut tls = connector.connect(server_name, tcp).await.unwrap();
        tls.write_all(
            b"GET /ajax/hasSession.json?client_id=demo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
        let mut out = Vec::new();
        let _ = tls.read_to_end(&mut out).await;
        assert_eq!(parse(&out).status, 401);
    }
    // Plain HTTP to the TLS port does not crash it.
    let _ = raw(s.addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
}

// ---- the binary ------------------------------------------------------------------------

#[test]
fn binary_prints_listening_line_with_real_port() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};

    struct KillOnDrop(std::process::Child);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_schacc-emulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--client",
            "shop",
            "--redirect-uri",
            "http://127.0.0.1:3000/bye",
            "--quiet",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = KillOnDrop(child);
    let mut stdout = BufReader::new(stdout);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    {
        let port: u16 = line
            .trim_end()
            .strip_prefix("schacc-emulator listening on http://127.0.0.1:")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        assert_ne!(port, 0);
        let mut rest = String::new();
        for _ in 0..3 {
            stdout.read_line(&mut rest).unwrap();
        }
        assert!(
            rest.contains("shop") && rest.contains("http://127.0.0.1:3000/bye"),
            "{rest}"
        );
        let mut tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.write_all(b"GET /ajax/hasSession.json?client_id=shop HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut out = Vec::new();
        tcp.read_to_end(&mut out).unwrap();
        assert_eq!(parse(&out).status, 401);
    }
}

#[test]
fn binary_rejects_bad_arguments_and_prints_help() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_schacc-emulator");
    for args in [
        &["--bogus"][..],
        &["--listen"][..],
        &["--redirect-uri", "http://x/"][..],
    ] {
        let out = Command::new(bin).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let out = Command::new(bin).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--redirect-uri"));
}
