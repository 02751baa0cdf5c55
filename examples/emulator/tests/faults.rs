//! HTTP-level tests: Injected faults (`/__emulator/fault`).

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

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
    // A keep-alive connection: the server must actively close it, before
    // sending a single byte (hyper reports an incomplete message, not a parse error).
    let err = try_request(
        s.addr,
        "GET",
        "/ajax/logout.json?client_id=demo",
        &[("Cookie", &cookie)],
        b"",
    )
    .await
    .expect_err("the connection is dropped");
    assert!(err.is_incomplete_message(), "got {err:?}");
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
