//! HTTP-level tests: `/api/2/logout` and `/api/2/me`.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn api_logout_revokes_token_and_leaves_session_alive() {
    let s = server().await;
    let cookie = login(s.addr, 21).await;
    let (access, refresh) = token(s.addr, 21).await;
    let (other, other_refresh) = token(s.addr, 22).await;
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
        tokens_without_expiry(&state),
        json!([
            {"accessToken":redacted(&access),"refreshToken":redacted(&refresh),"userId":21,"clientId":"demo","revoked":true},
            {"accessToken":redacted(&other),"refreshToken":redacted(&other_refresh),"userId":22,"clientId":"demo","revoked":false},
        ])
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
