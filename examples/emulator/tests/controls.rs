//! HTTP-level tests: The `/__emulator/` controls: login (and its cookie), token, state, request log, reset.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn session_cookie_flags_and_ids() {
    let s = server().await;
    let mut ids = std::collections::HashSet::new();
    for i in 0..20 {
        let r = post_login(s.addr, &format!("user_id={i}&format=json"), &[]).await;
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

#[tokio::test]
async fn emulator_login_variants() {
    let s = server().await;
    let r = post_login(s.addr, "", &[]).await;
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

    let query = format!(
        "user_id=5&return_to={}",
        enc("http://127.0.0.1:8080/page?x=1")
    );
    let r = post_login(s.addr, &query, &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("http://127.0.0.1:8080/page?x=1"));
    assert_eq!(r.session_id().len(), 32);

    for r in [
        get(s.addr, "/__emulator/login?user_id=abc", &[]).await,
        post_login(s.addr, "user_id=abc", &[]).await,
    ] {
        assert_eq!(r.status, 400);
        assert_eq!(r.header("set-cookie"), None);
    }
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
    assert_eq!(
        j["sessions"][0]["id"],
        redacted(cookie.trim_start_matches("schacc_session="))
    );
    assert_eq!(j["sessions"][0]["displayName"], "Test User 78");
    assert!(j["sessions"][0]["createdAt"].as_u64().unwrap() > 1_600_000_000);
    assert_eq!(
        tokens_without_expiry(&j),
        json!([{"accessToken":redacted(&access),"refreshToken":redacted(&refresh),"userId":77,"clientId":"other","revoked":false}])
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
            {"method":"GET","path":"/ajax/logout.json","query":"client_id=demo","cookie":true,"authorization":false,"origin":APP,"referer":"http://127.0.0.1:8080/app","status":200,
             "sessionId":redacted(cookie.trim_start_matches("schacc_session=")),"credentials":null,"listener":"schacc"},
            {"method":"GET","path":"/api/2/logout","query":"","cookie":false,"authorization":true,"origin":null,"referer":null,"status":401,
             "sessionId":null,"credentials":"Bearer …(1)","listener":"schacc"},
            {"method":"GET","path":"/nope","query":"a=b","cookie":false,"authorization":false,"origin":null,"referer":null,"status":404,
             "sessionId":null,"credentials":null,"listener":"schacc"},
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
