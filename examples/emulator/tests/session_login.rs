//! HTTP-level tests: the dev login with the session service on — each
//! door's `POST /__emulator/login` hands the new session to the other door
//! through `/__emulator/adopt` (claim) → the login door's
//! `/__emulator/confirm` → `/__emulator/adopt` with a one-time code — and
//! the service over TLS. What the login refuses: `login_csrf.rs`.

mod common;

use common::*;
use schacc_emulator::{start, Config};
use serde_json::json;

const RETURN: &str = "http://127.0.0.1:8080/logged-out.html";

#[tokio::test]
async fn schacc_login_sets_both_cookies_through_the_service_adopt() {
    let s = session_server().await;
    let (p, svc) = (s.addr.port(), s.session_addr.unwrap());
    let r = post_login(s.addr, &format!("user_id=9&return_to={}", enc(RETURN)), &[]).await;
    assert_eq!(r.status, 303);
    let schacc = r.session_id();
    let adopt = r.header("location").unwrap().to_string();
    let prefix = format!("http://127.0.0.1:{}/__emulator/adopt?code=", svc.port());
    let code = adopt.strip_prefix(&prefix).expect("the service's adopt");
    assert!(
        code.len() == 32 && code.bytes().all(|b| b.is_ascii_hexdigit()),
        "{adopt}"
    );
    assert!(!adopt.contains(&schacc), "the session id is not in the URL");

    // 1. The service: the first browser claims the code with a nonce cookie.
    let target = adopt
        .strip_prefix(&format!("http://127.0.0.1:{}", svc.port()))
        .unwrap();
    let claim = get(svc, target, &[]).await;
    assert_eq!(claim.status, 303);
    assert_eq!(
        claim.header("location"),
        Some(format!("http://127.0.0.1:{p}/__emulator/confirm?code={code}").as_str()),
        "back to SchAcc as the browser reached it"
    );
    let nonce = set_cookie_value(&claim, "schacc_adopt_nonce").unwrap();
    assert_eq!(
        claim.all("set-cookie"),
        [format!(
            "schacc_adopt_nonce={nonce}; HttpOnly; SameSite=Lax; Path=/__emulator/; Max-Age=60"
        )]
    );
    // 2. SchAcc confirms the claim for the browser with its cookie of the session.
    let confirm = format!("/__emulator/confirm?code={code}");
    let r = get(
        s.addr,
        &confirm,
        &[("Cookie", &format!("schacc_session={schacc}"))],
    )
    .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some(adopt.as_str()));
    assert_eq!(r.header("set-cookie"), None);
    // 3. The service again, with the nonce: its cookie, the same session.
    let nonce = format!("schacc_adopt_nonce={nonce}");
    let r = get(svc, target, &[("Cookie", &nonce)]).await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some(RETURN));
    assert_eq!(
        set_cookie_value(&r, "schacc_site_session"),
        Some(schacc.clone())
    );
    assert!(r
        .all("set-cookie")
        .contains(&"schacc_adopt_nonce=; HttpOnly; SameSite=Lax; Path=/__emulator/; Max-Age=0"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let site = format!("schacc_site_session={schacc}");
    let j = get(svc, "/v2/session?client_id=demo", &[("Cookie", &site)])
        .await
        .json();
    assert_eq!(j["userId"], 9);
    // The code was used up.
    let r = get(svc, target, &[("Cookie", &nonce)]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("set-cookie"), None);
    // No return_to: the adopt shows the logged-in page.
    let r = post_login(s.addr, "user_id=3", &[]).await;
    let cookie = format!("schacc_session={}", r.session_id());
    let r = hand_over(&s, r.header("location").unwrap(), &cookie).await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Logged in as Test User 3"));
    assert!(set_cookie_value(&r, "schacc_site_session").is_some());
}

#[tokio::test]
async fn service_login_sets_both_cookies_through_schacc_adopt() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let query = format!("user_id=8&display_name=Kari&return_to={}", enc(RETURN));
    let r = post_login(svc, &query, &[]).await;
    assert_eq!(r.status, 303);
    let site = set_cookie_value(&r, "schacc_site_session").unwrap();
    let adopt = r.header("location").unwrap().to_string();
    // SchAcc is reached as localhost by default (another site than 127.0.0.1).
    let prefix = format!("http://localhost:{}/__emulator/adopt?code=", s.addr.port());
    assert!(adopt.starts_with(&prefix), "{adopt}");
    let r = hand_over(&s, &adopt, &format!("schacc_site_session={site}")).await;
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
}

#[tokio::test]
async fn json_logins_return_the_other_doors_adopt_url() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    for (door, other, name) in [
        (s.addr, svc, "schacc_session"),
        (svc, s.addr, "schacc_site_session"),
    ] {
        let r = post_login(door, "user_id=5&format=json", &[]).await;
        assert_eq!(r.status, 200);
        let own = set_cookie_value(&r, name).unwrap();
        let j = r.json();
        assert_eq!(
            (j["userId"].clone(), j["expiresIn"].clone()),
            (json!(5), json!(7200))
        );
        let adopt = j["adopt"].as_str().unwrap();
        assert_eq!(door_target(&s, adopt).0, other);
        let r = hand_over(&s, adopt, &format!("{name}={own}")).await;
        assert_eq!(r.status, 200);
        assert!(r.text().contains("Logged in as Test User 5"));
        let adopted = set_cookie_value(&r, "schacc_session")
            .or_else(|| set_cookie_value(&r, "schacc_site_session"))
            .unwrap();
        assert_eq!(adopted, own, "the same session id at both doors");
    }
    // A login with the door's old cookie replaces that session; an adopt too.
    let (schacc, site) = {
        let r = post_login(s.addr, "format=json", &[]).await;
        let schacc = r.session_id();
        let cookie = format!("schacc_session={schacc}");
        let a = hand_over(&s, r.json()["adopt"].as_str().unwrap(), &cookie).await;
        (schacc, set_cookie_value(&a, "schacc_site_session").unwrap())
    };
    let site_cookie = format!("schacc_site_session={site}");
    let r = post_login(svc, "format=json", &[("Cookie", &site_cookie)]).await;
    assert_eq!(
        has_session(s.addr, &format!("schacc_session={schacc}")).await,
        401
    );
    let new_site = format!(
        "schacc_site_session={}",
        set_cookie_value(&r, "schacc_site_session").unwrap()
    );
    hand_over(&s, r.json()["adopt"].as_str().unwrap(), &new_site).await;
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
            s.addr,
            format!(
                "return_to={}",
                enc(&format!("http://127.0.0.1/{}", "a".repeat(2048)))
            ),
        ),
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
        let r = post_login(addr, &query, &[]).await;
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
        let r = post_login(addr, &query, &[]).await;
        assert_eq!(r.status, 303, "{query}");
    }
    let query = format!("schacc_origin={}", enc(&format!("http://127.0.0.1:{p}")));
    let r = post_login(svc, &query, &[]).await;
    assert!(r
        .header("location")
        .unwrap()
        .starts_with(&format!("http://127.0.0.1:{p}/__emulator/adopt?code=")));
    for addr in [s.addr, svc] {
        assert_eq!(get(addr, "/__emulator/adopt", &[]).await.status, 400);
        assert_eq!(get(addr, "/__emulator/confirm", &[]).await.status, 400);
        for path in [
            "/__emulator/login",
            "/__emulator/adopt",
            "/__emulator/confirm",
        ] {
            assert_eq!(
                request(addr, "PUT", path, &[], b"").await.status,
                405,
                "{path}"
            );
        }
    }
    assert_eq!(get(svc, "/__emulator/state", &[]).await.status, 404);
    let r = request(svc, "OPTIONS", "/__emulator/login", &[], b"").await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("GET, POST, OPTIONS")
    );
}

#[tokio::test]
async fn without_the_service_the_login_is_unchanged() {
    let s = server().await;
    let query = format!("return_to={}", enc("http://evil.example/x"));
    let r = post_login(s.addr, &query, &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("http://evil.example/x"));
    let j = post_login(s.addr, "format=json", &[]).await.json();
    assert_eq!(j.get("adopt"), None);
    assert_eq!(
        get(s.addr, "/__emulator/adopt?code=x", &[]).await.status,
        400
    );
    assert_eq!(
        get(s.addr, "/__emulator/confirm?code=x", &[]).await.status,
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
    let origin = vec![("Origin".to_string(), APP.to_string())];
    let r = https("/__emulator/login?format=json".into(), origin, "POST").await;
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
