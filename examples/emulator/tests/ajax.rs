//! HTTP-level tests: `/ajax/hasSession.json` and `/ajax/logout.json`.

mod common;

use common::*;
use serde_json::json;

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

    let r = post_login(
        s.addr,
        "user_id=42&display_name=Kari+Nordmann&format=json",
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
