//! HTTP-level tests: the dev login is no login CSRF. Nothing another site
//! can make a browser send — a link or image (`GET`), a form or a fetch
//! without CORS (`POST` with its own `Origin`, or none) — logs the browser
//! in at either door or ends its session, and a hand-over code works only
//! for the browser that made the login, at the door it was made for, and is
//! used up only there.

mod common;

use std::net::SocketAddr;

use common::*;
use schacc_emulator::Server;

/// Both doors of `s`, each with the name of its session cookie.
fn doors(s: &Server) -> [(SocketAddr, &'static str); 2] {
    [
        (s.addr, "schacc_session"),
        (s.session_addr.unwrap(), "schacc_site_session"),
    ]
}

/// A browser's session at `door`: its `Cookie` header (user `user_id`).
async fn logged_in(door: SocketAddr, cookie_name: &str, user_id: u64) -> String {
    let r = post_login(door, &format!("user_id={user_id}&format=json"), &[]).await;
    assert_eq!(r.status, 200);
    format!(
        "{cookie_name}={}",
        set_cookie_value(&r, cookie_name).unwrap()
    )
}

/// The user the door sees behind `cookie` (`None`: nobody).
async fn user_at(s: &Server, door: SocketAddr, cookie: &str) -> Option<u64> {
    let path = if door == s.addr {
        "/ajax/hasSession.json?client_id=demo"
    } else {
        "/v2/session?client_id=demo"
    };
    get(door, path, &[("Cookie", cookie)]).await.json()["userId"].as_u64()
}

async fn session_count(s: &Server) -> usize {
    let state = get(s.addr, "/__emulator/state", &[]).await.json();
    state["sessions"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_get_login_shows_a_button_and_changes_nothing() {
    let s = session_server().await;
    for (door, name) in doors(&s) {
        let victim = logged_in(door, name, 1).await;
        let before = session_count(&s).await;
        let query = format!("user_id=666&display_name=Mallory&return_to={}", enc(APP));
        let r = get(
            door,
            &format!("/__emulator/login?{query}&format=json"),
            &[("Cookie", &victim)],
        )
        .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("set-cookie"), None, "no cookie set");
        assert_eq!(r.header("location"), None, "no hand-over");
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(
            r.header("content-security-policy"),
            Some("frame-ancestors 'none'")
        );
        let page = r.text();
        assert!(
            page.contains(&format!(
                "<form method=\"post\" action=\"/__emulator/login?{}\"><button type=\"submit\">Log in as Mallory (user 666)</button></form>",
                format!("{query}&format=json").replace('&', "&amp;")
            )),
            "{page}"
        );
        assert_eq!(
            user_at(&s, door, &victim).await,
            Some(1),
            "the session survives"
        );
        assert_eq!(session_count(&s).await, before, "no session made");
    }
}

#[tokio::test]
async fn a_post_login_from_a_foreign_or_missing_origin_is_refused() {
    let s = session_server().await;
    for (door, name) in doors(&s) {
        let other = doors(&s).into_iter().find(|(d, _)| *d != door).unwrap().0;
        let victim = logged_in(door, name, 1).await;
        let before = session_count(&s).await;
        let p = door.port();
        let login = "/__emulator/login?user_id=666&format=json";
        let own_port_rebound = format!("http://evil.example:{p}");
        for (origin, host) in [
            (None, None),
            (Some("null"), None),
            (Some("http://evil.example"), None),
            (Some("http://127.0.0.1:8081"), None), // an unregistered port
            (Some("https://127.0.0.1:8080"), None), // another scheme
            (Some(&*format!("http://127.0.0.1:{}", other.port())), None), // the other door
            (
                Some(&*own_port_rebound),
                Some(&*format!("evil.example:{p}")),
            ), // DNS rebinding
        ] {
            let mut headers = vec![("Cookie", victim.as_str())];
            headers.extend(origin.map(|o| ("Origin", o)));
            headers.extend(host.map(|h| ("Host", h)));
            let r = request(door, "POST", login, &headers, b"").await;
            assert_eq!(r.status, 403, "{origin:?} {host:?}");
            assert_eq!(r.json()["error"]["type"], "ApiException");
            assert_eq!(r.header("set-cookie"), None, "{origin:?}");
            assert_eq!(r.header("location"), None);
        }
        assert_eq!(
            user_at(&s, door, &victim).await,
            Some(1),
            "the session survives"
        );
        assert_eq!(session_count(&s).await, before, "no session made");
        // Allowed: a registered redirect URI's origin, and the door's own page.
        for (origin, host) in [
            (APP.to_string(), door.to_string()),
            (format!("http://127.0.0.1:{p}"), format!("127.0.0.1:{p}")),
            (format!("http://localhost:{p}"), format!("localhost:{p}")),
        ] {
            let headers = [("Origin", origin.as_str()), ("Host", host.as_str())];
            let r = request(door, "POST", login, &headers, b"").await;
            assert_eq!(r.status, 200, "{origin}");
            assert!(set_cookie_value(&r, name).is_some());
        }
    }
}

#[tokio::test]
async fn a_login_from_the_doors_own_page_is_one_click() {
    let s = server().await;
    let page = get(s.addr, "/__emulator/login?user_id=7", &[]).await.text();
    let action = page
        .split("action=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let own = format!("http://{}", s.addr);
    let r = request(s.addr, "POST", &action, &[("Origin", &own)], b"").await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Logged in as Test User 7"));
    let cookie = format!("schacc_session={}", r.session_id());
    assert_eq!(has_session(s.addr, &cookie).await, 200);
}

#[tokio::test]
async fn someone_elses_code_is_refused_without_the_browsers_binding_and_kept() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let victim_schacc = logged_in(s.addr, "schacc_session", 1).await;
    let victim_site = logged_in(svc, "schacc_site_session", 1).await;

    // The attacker logs in as 666 and follows the hand-over up to its end.
    let r = post_login(s.addr, "user_id=666&format=json", &[]).await;
    let attacker = format!("schacc_session={}", r.session_id());
    let adopt = r.json()["adopt"].as_str().unwrap().to_string();
    let (_, target) = door_target(&s, &adopt);
    let claim = get(svc, &target, &[]).await;
    let nonce = set_cookie_value(&claim, "schacc_adopt_nonce").unwrap();
    let (_, confirm) = door_target(&s, claim.header("location").unwrap());
    assert_eq!(
        get(s.addr, &confirm, &[("Cookie", &attacker)]).await.status,
        303
    );

    // The victim's browser gets the link: without the nonce, or another one, nothing.
    for cookie in [
        victim_site.clone(),
        format!("{victim_site}; schacc_adopt_nonce=0123456789abcdef0123456789abcdef"),
    ] {
        let r = get(svc, &target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 403, "{}", r.text());
        assert_eq!(r.header("set-cookie"), None);
        assert_eq!(r.header("location"), None);
    }
    // Nor can it confirm the code: it does not hold the attacker's session.
    for cookie in [victim_schacc.as_str(), ""] {
        let r = get(s.addr, &confirm, &[("Cookie", cookie)]).await;
        assert_eq!(r.status, 403);
        assert_eq!(r.header("set-cookie"), None);
    }
    assert_eq!(
        user_at(&s, svc, &victim_site).await,
        Some(1),
        "the victim's session survives"
    );
    assert_eq!(user_at(&s, s.addr, &victim_schacc).await, Some(1));

    // The code was not used up: the attacker's own browser still adopts it.
    let r = get(
        svc,
        &target,
        &[("Cookie", &format!("schacc_adopt_nonce={nonce}"))],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(set_cookie_value(&r, "schacc_site_session").is_some());
}

#[tokio::test]
async fn an_unconfirmed_code_claimed_by_another_browser_adopts_nothing() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let victim_schacc = logged_in(s.addr, "schacc_session", 1).await;
    let r = post_login(s.addr, "user_id=666&format=json", &[]).await;
    let (_, target) = door_target(&s, r.json()["adopt"].as_str().unwrap());
    // The victim's browser is the first at the adopt URL: it claims the code …
    let claim = get(svc, &target, &[]).await;
    assert_eq!(claim.status, 303);
    assert_eq!(claim.all("set-cookie").len(), 1, "only the nonce");
    let nonce = format!(
        "schacc_adopt_nonce={}",
        set_cookie_value(&claim, "schacc_adopt_nonce").unwrap()
    );
    // … but SchAcc, seeing the victim's own session, does not confirm it.
    let (_, confirm) = door_target(&s, claim.header("location").unwrap());
    let r = get(s.addr, &confirm, &[("Cookie", &victim_schacc)]).await;
    assert_eq!(r.status, 403);
    let r = get(svc, &target, &[("Cookie", &nonce)]).await;
    assert_eq!(r.status, 303, "back to confirm, no cookie");
    assert_eq!(r.header("set-cookie"), None);
    assert_eq!(user_at(&s, s.addr, &victim_schacc).await, Some(1));
}

#[tokio::test]
async fn a_code_at_the_wrong_door_is_refused_and_kept() {
    let s = session_server().await;
    for (door, name) in doors(&s) {
        let other = doors(&s).into_iter().find(|(d, _)| *d != door).unwrap().0;
        let r = post_login(door, "user_id=4&format=json", &[]).await;
        let cookie = format!("{name}={}", set_cookie_value(&r, name).unwrap());
        let adopt = r.json()["adopt"].as_str().unwrap().to_string();
        let code = adopt.split("code=").nth(1).unwrap();
        for (addr, path) in [
            (door, format!("/__emulator/adopt?code={code}")),
            (other, format!("/__emulator/confirm?code={code}")),
        ] {
            let r = get(addr, &path, &[("Cookie", &cookie)]).await;
            assert_eq!(r.status, 400, "{path}");
            assert_eq!(
                r.json()["error"]["description"],
                "This code is for the other listener"
            );
            assert_eq!(r.header("set-cookie"), None);
        }
        let r = hand_over(&s, &adopt, &cookie).await;
        assert_eq!(r.status, 200, "the code still works at its door");
        assert!(r.text().contains("Logged in as Test User 4"));
    }
}

#[tokio::test]
async fn another_sites_form_cannot_reset_fault_or_mint_through_the_controls() {
    let s = session_server().await;
    let victim = logged_in(s.addr, "schacc_session", 1).await;
    for (method, target) in [
        ("POST", "/__emulator/reset"),
        ("POST", "/__emulator/fault"),
        ("DELETE", "/__emulator/fault"),
        ("POST", "/__emulator/token?user_id=1&client_id=demo"),
    ] {
        for origin in ["https://evil.example", "null"] {
            let r = request(
                s.addr,
                method,
                target,
                &[("Origin", origin)],
                br#"{"path":"/ajax/hasSession.json","status":500}"#,
            )
            .await;
            assert_eq!(r.status, 403, "{method} {target} from {origin}");
        }
    }
    assert_eq!(
        user_at(&s, s.addr, &victim).await,
        Some(1),
        "the session survived, and no fault was set"
    );
    // The tests' own calls (no page, no Origin) and the emulator's registered pages still work.
    assert_eq!(
        request(
            s.addr,
            "POST",
            "/__emulator/token?user_id=1&client_id=demo",
            &[("Origin", APP)],
            b""
        )
        .await
        .status,
        200
    );
    assert_eq!(
        request(s.addr, "POST", "/__emulator/reset", &[], b"")
            .await
            .status,
        200
    );
    assert_eq!(user_at(&s, s.addr, &victim).await, None);
}
