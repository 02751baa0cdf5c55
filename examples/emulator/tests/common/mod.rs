//! Shared by the HTTP-level test files: the server configuration, a real
//! HTTP/1.1 client (hyper's) for well-formed requests, a raw-socket client
//! for malformed ones, and helpers that log in and mint tokens.
#![allow(dead_code)] // each test file uses its own subset

pub mod conn;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use schacc_emulator::{start, ClientConfig, Config, Server};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

pub const APP: &str = "http://127.0.0.1:8080";
pub const EXPIRED: &str = "schacc_session=; Max-Age=0; HttpOnly; Secure; SameSite=None; Path=/";

pub fn test_config() -> Config {
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
        session_listen: None,
    }
}

pub async fn server() -> Server {
    start(test_config()).await.expect("server starts")
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The session id from a `Set-Cookie: schacc_session=<id>; …` header.
    pub fn session_id(&self) -> String {
        let c = self.header("set-cookie").expect("set-cookie");
        c.strip_prefix("schacc_session=")
            .and_then(|r| r.split(';').next())
            .expect("session cookie")
            .to_string()
    }
    /// A credentialed CORS read by `origin` is allowed (the origin echoed).
    pub fn assert_cors_for(&self, origin: &str) {
        assert_eq!(
            self.header("access-control-allow-origin"),
            Some(origin),
            "{self:?}"
        );
        assert_eq!(
            self.header("access-control-allow-credentials"),
            Some("true")
        );
    }

    pub fn assert_no_cors(&self) {
        assert_eq!(self.header("access-control-allow-origin"), None, "{self:?}");
        assert_eq!(self.header("access-control-allow-credentials"), None);
    }
}

// ---- hyper's client ------------------------------------------------------------------

/// One request over `io` with hyper's HTTP/1.1 client; `Err` when the
/// connection failed or closed without a (complete) response.
pub async fn send_over<IO>(
    io: IO,
    host: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Resp, hyper::Error>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io)).await?;
    let conn = tokio::spawn(conn);
    let mut req = hyper::Request::builder().method(method).uri(target);
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req = req.header("host", host);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(Bytes::copy_from_slice(body)))
        .expect("a well-formed request");
    let resp = sender.send_request(req).await?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp.into_body().collect().await?.to_bytes().to_vec();
    drop(sender);
    let _ = conn.await;
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// A request that must be answered.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    try_request(addr, method, target, headers, body)
        .await
        .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
}

/// A request that may fail (a fault dropping the connection).
pub async fn try_request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Resp, hyper::Error> {
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let host = addr.to_string();
    tokio::time::timeout(
        Duration::from_secs(10),
        send_over(tcp, &host, method, target, headers, body),
    )
    .await
    .unwrap_or_else(|_| panic!("no answer to {method} {target} within 10 s"))
}

pub async fn get(addr: SocketAddr, target: &str, headers: &[(&str, &str)]) -> Resp {
    request(addr, "GET", target, headers, b"").await
}

pub async fn post_json(addr: SocketAddr, target: &str, body: Value) -> Resp {
    request(
        addr,
        "POST",
        target,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await
}

// ---- raw sockets (malformed requests only) -----------------------------------------------

/// Send raw bytes, read until the server closes the connection.
pub async fn raw(addr: SocketAddr, bytes: &[u8]) -> Vec<u8> {
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

/// Parse a raw response (head + `Content-Length` body).
pub fn parse(bytes: &[u8]) -> Resp {
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

// ---- protocol helpers --------------------------------------------------------------------

/// The test configuration with the session service on a free port.
pub async fn session_server() -> Server {
    start(Config {
        session_listen: Some("127.0.0.1:0".into()),
        ..test_config()
    })
    .await
    .expect("server starts")
}

/// The value of cookie `name` from a response's `Set-Cookie` headers.
pub fn set_cookie_value(r: &Resp, name: &str) -> Option<String> {
    r.all("set-cookie").into_iter().find_map(|c| {
        c.strip_prefix(&format!("{name}="))
            .and_then(|rest| rest.split(';').next())
            .map(str::to_string)
    })
}

/// `POST /__emulator/login?{query}` as a registered site's page sends it
/// (`Origin: APP`), with `headers` too.
pub async fn post_login(addr: SocketAddr, query: &str, headers: &[(&str, &str)]) -> Resp {
    let mut all = vec![("Origin", APP)];
    all.extend_from_slice(headers);
    request(
        addr,
        "POST",
        &format!("/__emulator/login?{query}"),
        &all,
        b"",
    )
    .await
}

/// Log in user `user_id`; returns the `Cookie` header value.
pub async fn login(addr: SocketAddr, user_id: u64) -> String {
    let r = post_login(addr, &format!("user_id={user_id}&format=json"), &[]).await;
    assert_eq!(r.status, 200);
    format!("schacc_session={}", r.session_id())
}

/// The listener and path+query of a URL on either door of `s` (SchAcc as
/// `localhost` or `127.0.0.1`, the service as `127.0.0.1`).
pub fn door_target(s: &Server, url: &str) -> (SocketAddr, String) {
    try_door_target(s, url).unwrap_or_else(|| panic!("{url} is on neither door"))
}

/// [`door_target`], or `None` for a URL on neither door.
pub fn try_door_target(s: &Server, url: &str) -> Option<(SocketAddr, String)> {
    let svc = s.session_addr.expect("the session service");
    for (origin, addr) in [
        (format!("http://localhost:{}", s.addr.port()), s.addr),
        (format!("http://127.0.0.1:{}", s.addr.port()), s.addr),
        (format!("http://127.0.0.1:{}", svc.port()), svc),
    ] {
        if let Some(target) = url.strip_prefix(&origin) {
            if target.is_empty() || target.starts_with(['/', '?']) {
                return Some((addr, target.to_string()));
            }
        }
    }
    None
}

/// A browser of both doors: a cookie jar per door (kept by name, expired by
/// `Max-Age=0`; paths and attributes are not modelled), which follows
/// redirects among the doors by hand.
#[derive(Default)]
pub struct Browser {
    jars: std::collections::HashMap<SocketAddr, Vec<(String, String)>>,
}

impl Browser {
    /// The `Cookie` header this browser sends to `door` (empty: none).
    pub fn cookies(&self, door: SocketAddr) -> String {
        self.jars
            .get(&door)
            .map(|jar| {
                jar.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }

    /// The value of cookie `name` at `door`.
    pub fn cookie(&self, door: SocketAddr, name: &str) -> Option<String> {
        self.jars
            .get(&door)?
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn set_cookie(&mut self, door: SocketAddr, name: &str, value: &str) {
        let jar = self.jars.entry(door).or_default();
        jar.retain(|(k, _)| k != name);
        jar.push((name.to_string(), value.to_string()));
    }

    fn keep(&mut self, door: SocketAddr, r: &Resp) {
        for c in r.all("set-cookie") {
            let pair = c.split(';').next().unwrap_or_default();
            let (name, value) = pair.split_once('=').expect("name=value");
            if c.contains("Max-Age=0") {
                if let Some(jar) = self.jars.get_mut(&door) {
                    jar.retain(|(k, _)| k != name);
                }
            } else {
                self.set_cookie(door, name, value);
            }
        }
    }

    /// One request to the door of `url` with its cookies; keeps the cookies set.
    pub async fn send(
        &mut self,
        s: &Server,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Resp {
        self.send_body(s, method, url, headers, b"").await
    }

    /// [`Browser::send`] with a body.
    pub async fn send_body(
        &mut self,
        s: &Server,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        let (door, target) = door_target(s, url);
        let cookies = self.cookies(door);
        let mut all = headers.to_vec();
        if !cookies.is_empty() {
            all.push(("Cookie", &cookies));
        }
        let r = request(door, method, &target, &all, body).await;
        self.keep(door, &r);
        r
    }

    /// Follows the redirects of `r` while they stay on the doors (`GET`s);
    /// returns the last answer and every URL visited.
    pub async fn follow(&mut self, s: &Server, mut r: Resp) -> (Resp, Vec<String>) {
        let mut visited = Vec::new();
        while (300..400).contains(&r.status) {
            let location = r
                .header("location")
                .expect("a redirect's Location")
                .to_string();
            if try_door_target(s, &location).is_none() {
                break;
            }
            assert!(visited.len() < 10, "a redirect loop: {visited:?}");
            visited.push(location.clone());
            r = self.send(s, "GET", &location, &[]).await;
        }
        (r, visited)
    }

    /// A top-level navigation to `url`, redirects followed.
    pub async fn navigate(&mut self, s: &Server, url: &str) -> (Resp, Vec<String>) {
        let r = self.send(s, "GET", url, &[]).await;
        let (last, mut visited) = self.follow(s, r).await;
        visited.insert(0, url.to_string());
        (last, visited)
    }
}

/// The hand-over of a dev login as the browser that made it goes through
/// it: `adopt_url` (the other door's) claims the code and sets the nonce
/// cookie, the login's door confirms it for `login_cookie` (its own
/// `name=value`), and `adopt_url` again with the nonce answers — returned.
pub async fn hand_over(s: &Server, adopt_url: &str, login_cookie: &str) -> Resp {
    let (addr, target) = door_target(s, adopt_url);
    let claim = get(addr, &target, &[]).await;
    assert_eq!(claim.status, 303, "{}", claim.text());
    let nonce = set_cookie_value(&claim, "schacc_adopt_nonce").expect("nonce cookie");
    let (confirm_addr, confirm) = door_target(s, claim.header("location").expect("location"));
    let confirmed = get(confirm_addr, &confirm, &[("Cookie", login_cookie)]).await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    assert_eq!(confirmed.header("location"), Some(adopt_url));
    let nonce = format!("schacc_adopt_nonce={nonce}");
    get(addr, &target, &[("Cookie", &nonce)]).await
}

/// Logs user `user_id` in through the service's JSON login and the
/// hand-over to SchAcc; returns (SchAcc `Cookie`, site `Cookie`) for the one session.
pub async fn login_both(s: &Server, user_id: u64) -> (String, String) {
    let svc = s.session_addr.unwrap();
    let r = post_login(svc, &format!("user_id={user_id}&format=json"), &[]).await;
    assert_eq!(r.status, 200);
    let site = set_cookie_value(&r, "schacc_site_session").expect("site cookie");
    let adopt = r.json()["adopt"].as_str().unwrap().to_string();
    assert!(
        adopt.starts_with(&format!("http://localhost:{}/", s.addr.port())),
        "{adopt}"
    );
    let r = hand_over(s, &adopt, &format!("schacc_site_session={site}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let schacc = r.session_id();
    assert_eq!(schacc, site, "one session id behind both cookies");
    (
        format!("schacc_session={schacc}"),
        format!("schacc_site_session={site}"),
    )
}

/// Mint a token; returns (access, refresh).
pub async fn token(addr: SocketAddr, user_id: u64) -> (String, String) {
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

pub async fn has_session(addr: SocketAddr, cookie: &str) -> u16 {
    get(
        addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Cookie", cookie)],
    )
    .await
    .status
}

pub async fn me(addr: SocketAddr, access: &str) -> u16 {
    get(
        addr,
        "/api/2/me",
        &[("Authorization", &format!("Bearer {access}"))],
    )
    .await
    .status
}

/// `state.tokens` with each token's `expiresAt` checked (about 2 hours
/// from now) and removed, for exact comparisons.
pub fn tokens_without_expiry(state: &Value) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut tokens = state["tokens"].clone();
    for t in tokens.as_array_mut().expect("tokens") {
        let expires = t
            .as_object_mut()
            .unwrap()
            .remove("expiresAt")
            .and_then(|e| e.as_u64())
            .expect("expiresAt");
        assert!(expires.abs_diff(now + 7200) < 10, "{expires}");
    }
    tokens
}

/// How the emulator shows a secret: the first `min(4, len / 4)` characters and the length.
pub fn redacted(secret: &str) -> String {
    let len = secret.chars().count();
    let shown: String = secret.chars().take((len / 4).min(4)).collect();
    format!("{shown}…({len})")
}

/// Percent-encode everything but unreserved characters (like encodeURIComponent).
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn assert_json_headers(r: &Resp) {
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
}

/// The server still answers a plain hasSession.
pub async fn still_alive(addr: SocketAddr) {
    let r = get(addr, "/ajax/hasSession.json?client_id=demo", &[]).await;
    assert_eq!(r.status, 401);
}

/// A TLS client that trusts only the emulator's self-signed certificate (`der`).
#[cfg(feature = "tls")]
pub fn tls_connector(der: &[u8]) -> tokio_rustls::TlsConnector {
    use std::sync::Arc;
    use tokio_rustls::rustls;

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(der.to_vec()))
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}
