//! HTTP-level tests: the dev login with the session service on — each
//! door's `/__emulator/login` hands the new session to the other door
//! through `/__emulator/adopt` with a one-time code — and the service over TLS.

mod common;

use std::net::SocketAddr;

use common::*;
use schacc_emulator::{start, Config, Server};
use serde_json::json;

const RETURN: &str = "http://127.0.0.1:8080/logged-out.html";

/// The listener and path+query of a `Location` on either door of `s`.
fn follow(s: &Server, location: &str) -> (SocketAddr, String) {
    let svc = s.session_addr.unwrap();
    for (origin, addr) in [
        (format!("http://localhost:{}", s.addr.port()), s.addr),
        (format!("http://127.0.0.1:{}", s.addr.port()), s.addr),
        (format!("http://127.0.0.1:{}", svc.port()), svc),
    ] {
        if let Some(target) = location.strip_prefix(&origin) {
            return (addr, target.to_string());
        }
    }
    panic!("{location} is on neither door");
}

#[tokio::test]
async fn schacc_login_sets_both_cookies_through_the_service_adopt() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let r = get(
        s.addr,
        &format!("/__emulator/login?user_id=9&return_to={}", enc(RETURN)),
        &[],
    )
    .await;
    assert_eq!(r.status, 302);
    let schacc = r.session_id();
    let location = r.header("location").unwrap().to_string();
    let prefix = format!("http://127.0.0.1:{}/__emulator/adopt?code=", svc.port());
    assert!(location.starts_with(&prefix), "{location}");
    assert!(
        location.ends_with(&format!("&return_to={}", enc(RETURN))),
        "{location}"
    );
    assert!(
        !location.contains(&schacc),
        "the session id is not in the URL"
    );
    let code = location[prefix.len()..]
        .split('&')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 32);

    let (addr, target) = follow(&s, &location);
    assert_eq!(addr, svc);
    let r = get(addr, &target, &[]).await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some(RETURN));
    assert_eq!(
        set_cookie_value(&r, "schacc_site_session"),
        Some(schacc.clone())
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let site = format!("schacc_site_session={schacc}");
    let j = get(svc, "/v2/session?client_id=demo", &[("Cookie", &site)])
        .await
        .json();
    assert_eq!(j["userId"], 9);
    // The code was used up.
    let r = get(addr, &target, &[]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("set-cookie"), None);
    // No return_to: the adopt shows the logged-in page.
    let r = get(s.addr, "/__emulator/login?user_id=3", &[]).await;
    let (addr, target) = follow(&s, r.header("location").unwrap());
    let r = get(addr, &target, &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Logged in as Test User 3"));
    assert!(set_cookie_value(&r, "schacc_site_session").is_some());
}

#[tokio::test]
async fn service_login_sets_both_cookies_through_schacc_adopt() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let r = get(
        svc,
        &format!(
            "/__emulator/login?user_id=8&display_name=Kari&return_to={}",
            enc(RETURN)
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 302);
    let site = set_cookie_value(&r, "schacc_site_session").unwrap();
    let location = r.header("location").unwrap().to_string();
    // SchAcc is reached as localhost by default (another site than 127.0.0.1).
    let prefix = format!("http://localhost:{}/__emulator/adopt?code=", s.addr.port());
    assert!(location.starts_with(&prefix), "{location}");
    let (addr, target) = follow(&s, &location);
    assert_eq!(addr, s.addr);
    let r = get(addr, &target, &[]).await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some(RETURN));
    assert_eq!(r.session_id(), site);
    assert_eq!(
        r.header("set-cookie"),
        Some(format!("schacc_session={site}; HttpOnly; Secure; SameSite=None; Path=/").as_str())
    );
    let j = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Cookie", &format!("schacc_session={site}"))],
    )
    .await
    .json();
    assert_eq!(
        (j["userId"].clone(), j["displayName"].clone()),
        (json!(8), json!("Kari"))
    );
    // A code for the SchAcc door is refused by the service door (and used up).
    let r = get(svc, "/__emulator/login?user_id=2", &[]).await;
    let (_, target) = follow(&s, r.header("location").unwrap());
    assert_eq!(get(svc, &target, &[]).await.status, 400);
    assert_eq!(get(s.addr, &target, &[]).await.status, 400);
}

#[tokio::test]
async fn json_logins_return_the_other_doors_adopt_url() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    for (door, other) in [(s.addr, svc), (svc, s.addr)] {
        let r = get(door, "/__emulator/login?user_id=5&format=json", &[]).await;
        assert_eq!(r.status, 200);
        let own = set_cookie_value(&r, "schacc_session")
            .or_else(|| set_cookie_value(&r, "schacc_site_session"))
            .unwrap();
        let j = r.json();
        assert_eq!(
            (j["userId"].clone(), j["expiresIn"].clone()),
            (json!(5), json!(7200))
        );
        let (addr, target) = follow(&s, j["adopt"].as_str().unwrap());
        assert_eq!(addr, other);
        let r = get(addr, &format!("{target}&format=json"), &[]).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["userId"], 5);
        let adopted = set_cookie_value(&r, "schacc_session")
            .or_else(|| set_cookie_value(&r, "schacc_site_session"))
            .unwrap();
        assert_eq!(adopted, own, "the same session id at both doors");
    }
    // A login with the door's old cookie replaces that session; an adopt too.
    let (schacc, site) = {
        let r = get(s.addr, "/__emulator/login?format=json", &[]).await;
        let (addr, target) = follow(&s, r.json()["adopt"].as_str().unwrap());
        let a = get(addr, &target, &[]).await;
        (
            r.session_id(),
            set_cookie_value(&a, "schacc_site_session").unwrap(),
        )
    };
    let r = get(
        svc,
        "/__emulator/login?format=json",
        &[("Cookie", &format!("schacc_site_session={site}"))],
    )
    .await;
    assert_eq!(
        has_session(s.addr, &format!("schacc_session={schacc}")).await,
        401
    );
    let (addr, target) = follow(&s, r.json()["adopt"].as_str().unwrap());
    get(addr, &target, &[]).await;
    let state = get(s.addr, "/__emulator/state", &[]).await.json();
    // The two JSON logins above, and this one.
    assert_eq!(state["sessions"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn return_to_and_origin_overrides_are_restricted() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let p = s.addr.port();
    for (addr, query) in [
        (s.addr, format!("return_to={}", enc("http://evil.example/"))),
        (svc, format!("return_to={}", enc("http://evil.example/"))),
        (
            s.addr,
            format!("return_to={}", enc("http://127.0.0.1@evil.example/")),
        ),
        (s.addr, format!("return_to={}", enc("javascript:alert(1)"))),
        (
            svc,
            format!("schacc_origin={}", enc("http://evil.example:1")),
        ),
        (
            svc,
            format!("schacc_origin={}", enc(&format!("http://evil.example:{p}"))),
        ),
        (
            svc,
            format!("schacc_origin={}", enc(&format!("https://localhost:{p}"))),
        ),
        (
            svc,
            format!(
                "schacc_origin={}",
                enc(&format!("http://localhost:{}", p.wrapping_add(1)))
            ),
        ),
        (
            svc,
            format!(
                "schacc_origin={}",
                enc(&format!("http://localhost:{p}/path"))
            ),
        ),
        (
            s.addr,
            format!("session_origin={}", enc("http://evil.example/")),
        ),
    ] {
        let r = get(addr, &format!("/__emulator/login?{query}"), &[]).await;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(r.header("set-cookie"), None, "{query}");
        assert_eq!(r.header("location"), None);
    }
    // Allowed: registered URIs of any client, loopback URLs, loopback overrides.
    for (addr, query) in [
        (
            s.addr,
            format!("return_to={}", enc("https://other.test/cb")),
        ),
        (
            svc,
            format!("return_to={}", enc("http://localhost:3000/x?y=1")),
        ),
        (
            svc,
            format!("schacc_origin={}", enc(&format!("http://127.0.0.1:{p}"))),
        ),
        (
            s.addr,
            format!(
                "session_origin={}",
                enc(&format!("http://localhost:{}/", svc.port()))
            ),
        ),
    ] {
        let r = get(addr, &format!("/__emulator/login?{query}"), &[]).await;
        assert_eq!(r.status, 302, "{query}");
    }
    let r = get(
        svc,
        &format!(
            "/__emulator/login?schacc_origin={}",
            enc(&format!("http://127.0.0.1:{p}"))
        ),
        &[],
    )
    .await;
    assert!(r
        .header("location")
        .unwrap()
        .starts_with(&format!("http://127.0.0.1:{p}/__emulator/adopt?code=")));
    // adopt checks return_to too.
    let r = get(s.addr, "/__emulator/login?format=json", &[]).await;
    let (addr, target) = follow(&s, r.json()["adopt"].as_str().unwrap());
    let r = get(
        addr,
        &format!("{target}&return_to={}", enc("http://evil.example/")),
        &[],
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("set-cookie"), None);
    assert_eq!(get(addr, "/__emulator/adopt", &[]).await.status, 400);
    assert_eq!(get(addr, "/__emulator/state", &[]).await.status, 404);
    assert_eq!(
        request(addr, "POST", "/__emulator/login", &[], b"")
            .await
            .status,
        405
    );
}

#[tokio::test]
async fn without_the_service_the_login_is_unchanged() {
    let s = server().await;
    let r = get(
        s.addr,
        &format!(
            "/__emulator/login?return_to={}",
            enc("http://evil.example/x")
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("http://evil.example/x"));
    let j = get(s.addr, "/__emulator/login?format=json", &[])
        .await
        .json();
    assert_eq!(j.get("adopt"), None);
    assert_eq!(
        get(s.addr, "/__emulator/adopt?code=x", &[]).await.status,
        400
    );
    assert_eq!(
        get(s.addr, "/v2/session?client_id=demo", &[]).await.status,
        404
    );
}

#[cfg(feature = "tls")]
#[tokio::test]
async fn tls_serves_the_session_service_over_https_with_a_secure_cookie() {
    use tokio_rustls::rustls;

    let s = start(Config {
        tls: true,
        session_listen: Some("127.0.0.1:0".into()),
        ..test_config()
    })
    .await
    .unwrap();
    let url = s.session_url().unwrap();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let connector = tls_connector(s.certificate_der.as_deref().unwrap());
    let https = |target: String, headers: Vec<(String, String)>, method: &'static str| {
        let connector = connector.clone();
        let addr = s.session_addr.unwrap();
        async move {
            let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
            let name = rustls::pki_types::ServerName::try_from("127.0.0.1".to_string()).unwrap();
            let tls = connector.connect(name, tcp).await.unwrap();
            let h: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            send_over(tls, "127.0.0.1", method, &target, &h, b"")
                .await
                .unwrap()
        }
    };
    let r = https("/__emulator/login?format=json".into(), vec![], "GET").await;
    let id = set_cookie_value(&r, "schacc_site_session").unwrap();
    assert_eq!(
        r.header("set-cookie"),
        Some(format!("schacc_site_session={id}; HttpOnly; Secure; SameSite=Lax; Path=/").as_str())
    );
    assert!(r.json()["adopt"]
        .as_str()
        .unwrap()
        .starts_with(&format!("https://localhost:{}/", s.addr.port())));
    let cookie = vec![("Cookie".to_string(), format!("schacc_site_session={id}"))];
    let r = https("/v2/session?client_id=demo".into(), cookie.clone(), "GET").await;
    assert_eq!(r.json()["result"], true);
    let r = https("/v2/logout?client_id=demo".into(), cookie, "POST").await;
    assert_eq!(r.json()["result"], true);
    assert_eq!(
        r.header("set-cookie"),
        Some("schacc_site_session=; Max-Age=0; HttpOnly; Secure; SameSite=Lax; Path=/")
    );
}
