//! HTTP-level tests: the session service (`--session-listen`) —
//! `GET /v2/session`, `POST /v2/logout`, its cookie, CORS, and one session
//! behind two doors.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};

const SITE_EXPIRED: &str = "schacc_site_session=; Max-Age=0; HttpOnly; SameSite=Lax; Path=/";

async fn v2_session(svc: SocketAddr, cookie: &str) -> Value {
    let r = get(svc, "/v2/session?client_id=demo", &[("Cookie", cookie)]).await;
    assert_eq!(r.status, 200);
    r.json()
}

async fn v2_logout(svc: SocketAddr, cookie: &str) -> Resp {
    request(
        svc,
        "POST",
        "/v2/logout?client_id=demo",
        &[("Cookie", cookie)],
        b"",
    )
    .await
}

#[tokio::test]
async fn v2_session_answers_the_session_or_not_connected_never_4xx() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let r = get(svc, "/v2/session?client_id=demo", &[]).await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    assert_eq!(
        r.json(),
        json!({"result":false,"userStatus":"notConnected"})
    );
    let r = get(
        svc,
        "/v2/session?client_id=demo",
        &[(
            "Cookie",
            "schacc_site_session=00000000000000000000000000000000",
        )],
    )
    .await;
    assert_eq!(
        r.json(),
        json!({"result":false,"userStatus":"notConnected"})
    );

    let (schacc, site) = login_both(&s, 42).await;
    let mine = v2_session(svc, &site).await;
    let theirs = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Cookie", &schacc)],
    )
    .await
    .json();
    for key in [
        "result",
        "userId",
        "userStatus",
        "baseDomain",
        "displayName",
    ] {
        assert_eq!(mine[key], theirs[key], "{key}");
    }
    assert_eq!(mine["userId"], 42);
    assert_eq!(
        mine.as_object().unwrap().keys().collect::<Vec<_>>(),
        theirs.as_object().unwrap().keys().collect::<Vec<_>>()
    );
    for key in ["expiresIn", "serverTime"] {
        let (a, b) = (mine[key].as_u64().unwrap(), theirs[key].as_u64().unwrap());
        assert!(a.abs_diff(b) <= 2, "{key}");
    }
    // SchAcc's cookie means nothing to the service, and the reverse.
    assert_eq!(v2_session(svc, &schacc).await["result"], false);
    let r = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Cookie", &site)],
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn v2_unknown_client_and_bad_query_are_400_like_has_session() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let (_, site) = login_both(&s, 1).await;
    for query in ["", "?client_id=nope", "?client_id=", "?client_id=DEMO"] {
        let mine = get(svc, &format!("/v2/session{query}"), &[("Cookie", &site)]).await;
        let theirs = get(s.addr, &format!("/ajax/hasSession.json{query}"), &[]).await;
        assert_eq!(mine.status, 400, "{query}");
        assert_eq!(mine.json(), theirs.json());
        let r = request(
            svc,
            "POST",
            &format!("/v2/logout{query}"),
            &[("Cookie", &site)],
            b"",
        )
        .await;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(r.header("set-cookie"), None);
    }
    let r = get(svc, "/v2/session?client_id=%zz", &[]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["description"], "Malformed query string");
    // Still logged in.
    assert_eq!(v2_session(svc, &site).await["result"], true);
    // Unknown paths, and SchAcc's endpoints are not served here.
    for path in [
        "/v2/nope",
        "/ajax/hasSession.json?client_id=demo",
        "/api/2/me",
    ] {
        assert_eq!(get(svc, path, &[]).await.status, 404, "{path}");
    }
}

#[tokio::test]
async fn v2_logout_is_post_only_and_answers_like_logout_json() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let r = v2_logout(svc, "x=1").await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    assert_eq!(
        r.json(),
        json!({"result":false,"userStatus":"notConnected","reason":"no_session"})
    );
    assert_eq!(r.header("set-cookie"), None);

    let (schacc, site) = login_both(&s, 7).await;
    // GET (CSRF by a link or an image), PUT, DELETE: 405, nothing happens.
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        let r = request(
            svc,
            method,
            "/v2/logout?client_id=demo",
            &[("Cookie", &site)],
            b"",
        )
        .await;
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.json()["error"]["type"], "MethodNotAllowedException");
        assert_eq!(r.header("set-cookie"), None);
    }
    let r = request(
        svc,
        "POST",
        "/v2/session?client_id=demo",
        &[("Cookie", &site)],
        b"",
    )
    .await;
    assert_eq!(r.status, 405);
    assert_eq!(v2_session(svc, &site).await["result"], true);
    assert_eq!(has_session(s.addr, &schacc).await, 200);

    let r = v2_logout(svc, &site).await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["result"], true);
    assert_eq!(j["userStatus"], "notConnected");
    assert!(j["serverTime"].as_u64().unwrap() > 1_600_000_000);
    assert_eq!(j.as_object().unwrap().len(), 3);
    assert_eq!(r.all("set-cookie"), vec![SITE_EXPIRED]);
    // Again: gone.
    assert_eq!(v2_logout(svc, &site).await.json()["reason"], "no_session");
}

#[tokio::test]
async fn one_session_two_doors() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let state_sessions = |addr| async move {
        get(addr, "/__emulator/state", &[]).await.json()["sessions"]
            .as_array()
            .unwrap()
            .len()
    };

    // Logged in once, seen by both doors, one session in the store.
    let (schacc, site) = login_both(&s, 1).await;
    assert_eq!(state_sessions(s.addr).await, 1);
    // Out through the service: SchAcc has no session either.
    assert_eq!(v2_logout(svc, &site).await.json()["result"], true);
    assert_eq!(has_session(s.addr, &schacc).await, 401);
    assert_eq!(state_sessions(s.addr).await, 0);

    // Out through /ajax/logout.json: the service has none either.
    let (schacc, site) = login_both(&s, 2).await;
    let r = get(
        s.addr,
        "/ajax/logout.json?client_id=demo",
        &[("Cookie", &schacc)],
    )
    .await;
    assert_eq!(r.json()["result"], true);
    assert_eq!(v2_session(svc, &site).await["result"], false);
    assert_eq!(v2_logout(svc, &site).await.json()["reason"], "no_session");

    // Out through the /logout page.
    let (schacc, site) = login_both(&s, 3).await;
    let r = get(s.addr, "/logout?client_id=demo", &[("Cookie", &schacc)]).await;
    assert_eq!(r.status, 200);
    assert_eq!(v2_session(svc, &site).await["result"], false);
    assert_eq!(state_sessions(s.addr).await, 0);

    // Two users, two sessions: ending one leaves the other.
    let (a_schacc, a_site) = login_both(&s, 4).await;
    let (_, b_site) = login_both(&s, 5).await;
    assert_eq!(v2_logout(svc, &b_site).await.json()["result"], true);
    assert_eq!(has_session(s.addr, &a_schacc).await, 200);
    assert_eq!(v2_session(svc, &a_site).await["userId"], 4);

    // The request log tells the doors apart.
    let log = get(s.addr, "/__emulator/state", &[]).await.json()["requests"].clone();
    let listeners: Vec<(&str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["listener"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    assert!(listeners.contains(&("session", "/v2/logout")));
    assert!(listeners.contains(&("schacc", "/ajax/logout.json")));
    assert!(listeners
        .iter()
        .all(|(l, p)| (*l == "session") == p.starts_with("/v2/")));
}

#[tokio::test]
async fn v2_cors_like_ajax_and_preflight() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    for (method, path) in [
        ("GET", "/v2/session?client_id=demo"),
        ("POST", "/v2/logout?client_id=demo"),
    ] {
        for origin in [APP, "http://localhost:8080"] {
            let r = request(svc, method, path, &[("Origin", origin)], b"").await;
            assert_eq!(r.status, 200);
            r.assert_cors_for(origin);
            assert_eq!(r.header("vary"), Some("Origin"));
        }
        for origin in [
            "http://evil.test",
            "https://other.test",
            "http://127.0.0.1:8081",
            "null",
        ] {
            let r = request(svc, method, path, &[("Origin", origin)], b"").await;
            r.assert_no_cors();
            assert_eq!(r.header("vary"), Some("Origin"));
        }
        let r = request(svc, method, path, &[], b"").await;
        r.assert_no_cors();

        // Preflight.
        let r = request(
            svc,
            "OPTIONS",
            path,
            &[("Origin", APP), ("Access-Control-Request-Method", method)],
            b"",
        )
        .await;
        assert_eq!(r.status, 204, "{path}");
        r.assert_cors_for(APP);
        assert_eq!(r.header("access-control-allow-methods"), Some("GET, POST"));
        assert_eq!(r.header("access-control-max-age"), Some("600"));
        let r = request(
            svc,
            "OPTIONS",
            path,
            &[
                ("Origin", "http://evil.test"),
                ("Access-Control-Request-Method", method),
            ],
            b"",
        )
        .await;
        assert_eq!(r.status, 204);
        r.assert_no_cors();
        assert_eq!(r.header("access-control-allow-methods"), None);
    }
    // The other client's origin counts for that client only.
    let r = get(
        svc,
        "/v2/session?client_id=other",
        &[("Origin", "https://other.test")],
    )
    .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://other.test")
    );
    // Faults reach the service's paths too.
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/v2/session","status":503,"times":1}),
    )
    .await;
    assert_eq!(
        get(svc, "/v2/session?client_id=demo", &[]).await.status,
        503
    );
    assert_eq!(
        get(svc, "/v2/session?client_id=demo", &[]).await.status,
        200
    );
}

#[tokio::test]
async fn site_cookie_is_first_party_lax_http_only() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let r = post_login(svc, "format=json", &[]).await;
    let cookies = r.all("set-cookie");
    assert_eq!(cookies.len(), 1);
    let id = set_cookie_value(&r, "schacc_site_session").unwrap();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        cookies[0],
        format!("schacc_site_session={id}; HttpOnly; SameSite=Lax; Path=/")
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}
