//! HTTP-level tests: CORS on `/ajax/*` and `/api/*`.

mod common;

use common::*;

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
            r.assert_cors_for(origin);
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
        r.assert_cors_for(APP);
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
