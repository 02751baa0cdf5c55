//! HTTP-level tests: no raw access token, refresh token or session id in
//! what the emulator reports (`/__emulator/state`: sessions, tokens, the
//! request log) or logs (stderr of the binary); `/__emulator/token-status`.

mod common;

use common::*;
use serde_json::{json, Value};

/// Every secret in `secrets` is absent from `text`.
fn assert_absent(text: &str, secrets: &[&str], what: &str) {
    for secret in secrets {
        assert!(!text.contains(secret), "{what} shows a raw secret {secret}");
    }
}

#[tokio::test]
async fn state_and_request_log_show_no_raw_secrets() {
    let s = server().await;
    let cookie = login(s.addr, 5).await;
    let session = cookie.trim_start_matches("schacc_session=").to_string();
    let (access, refresh) = token(s.addr, 5).await;
    let (bearer, bearer_refresh) = token(s.addr, 6).await;
    let (queried, queried_refresh) = token(s.addr, 7).await;

    // The redirect flow: token in the query, cookie, and a Referer carrying tokens too.
    let referer =
        format!("http://127.0.0.1:8080/app?x=1&access_token={access}#refresh_token={refresh}");
    let r = get(
        s.addr,
        &format!(
            "/logout?client_id=demo&redirect_uri={}&oauth_token={access}",
            enc("http://127.0.0.1:8080/")
        ),
        &[("Cookie", &cookie), ("Referer", &referer)],
    )
    .await;
    assert_eq!(r.status, 302);
    // The API logout: Authorization header; and through the query.
    let auth = format!("Bearer {bearer}");
    assert_eq!(
        get(s.addr, "/api/2/logout", &[("Authorization", &auth)])
            .await
            .status,
        200
    );
    let r = get(s.addr, &format!("/api/2/logout?oauth_token={queried}"), &[]).await;
    assert_eq!(r.status, 200);
    // Other token-like parameters anywhere.
    get(
        s.addr,
        &format!("/nope?refresh_token={queried_refresh}&session={session}&keep=1"),
        &[("Cookie", &format!("a=b; schacc_session={session}"))],
    )
    .await;
    let other = login(s.addr, 8).await;
    let other_session = other.trim_start_matches("schacc_session=").to_string();

    let state = get(s.addr, "/__emulator/state", &[]).await;
    let text = state.text();
    assert_absent(
        &text,
        &[
            &access,
            &refresh,
            &bearer,
            &bearer_refresh,
            &queried,
            &queried_refresh,
            &session,
            &other_session,
        ],
        "/__emulator/state",
    );
    let j = state.json();
    // Tokens: redacted, with who they belong to and whether they were revoked.
    let tokens: Vec<(Value, Value, Value)> = j["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["accessToken"].clone(),
                t["userId"].clone(),
                t["revoked"].clone(),
            )
        })
        .collect();
    assert_eq!(
        tokens,
        vec![
            (json!(redacted(&access)), json!(5), json!(true)),
            (json!(redacted(&bearer)), json!(6), json!(true)),
            (json!(redacted(&queried)), json!(7), json!(true)),
        ]
    );
    assert_eq!(j["tokens"][0]["refreshToken"], redacted(&refresh));
    assert_eq!(access.len(), 64);
    assert!(redacted(&access).ends_with("…(64)"));
    // Sessions: the live one, id redacted.
    assert_eq!(j["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(j["sessions"][0]["id"], redacted(&other_session));
    // The request log.
    let log = j["requests"].as_array().unwrap();
    assert_eq!(log.len(), 4);
    assert_eq!(
        log[0]["query"],
        format!(
            "client_id=demo&redirect_uri={}&oauth_token={}",
            enc("http://127.0.0.1:8080/"),
            redacted(&access)
        )
    );
    assert_eq!(log[0]["cookie"], true);
    assert_eq!(log[0]["sessionId"], redacted(&session));
    assert_eq!(
        log[0]["referer"],
        format!(
            "http://127.0.0.1:8080/app?x=1&access_token={}#refresh_token={}",
            redacted(&access),
            redacted(&refresh)
        )
    );
    assert_eq!(log[1]["authorization"], true);
    assert_eq!(
        log[1]["credentials"],
        format!("Bearer {}", redacted(&bearer))
    );
    assert_eq!(
        log[2]["query"],
        format!("oauth_token={}", redacted(&queried))
    );
    assert_eq!(
        log[3]["query"],
        format!(
            "refresh_token={}&session={}&keep=1",
            redacted(&queried_refresh),
            redacted(&session)
        )
    );
}

#[tokio::test]
async fn token_status_tells_active_or_revoked_to_loopback_without_cors() {
    let s = server().await;
    let (access, refresh) = token(s.addr, 3).await;
    let status = |t: String| {
        let addr = s.addr;
        async move {
            let r = get(
                addr,
                &format!("/__emulator/token-status?token={}", enc(&t)),
                &[("Origin", "http://127.0.0.1:8080")],
            )
            .await;
            assert_eq!(r.status, 200);
            assert_eq!(r.header("access-control-allow-origin"), None);
            assert_eq!(r.header("access-control-allow-credentials"), None);
            r.json()
        }
    };
    assert_eq!(status(access.clone()).await, json!({"active": true}));
    assert_eq!(status(refresh.clone()).await, json!({"active": true}));
    assert_eq!(status("nope".into()).await, json!({"active": false}));
    assert_eq!(me(s.addr, &access).await, 200);
    let r = get(
        s.addr,
        "/api/2/logout",
        &[("Authorization", &format!("Bearer {access}"))],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(status(access.clone()).await, json!({"active": false}));
    assert_eq!(status(refresh).await, json!({"active": false}));

    let r = get(s.addr, "/__emulator/token-status", &[]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("access-control-allow-origin"), None);
    let r = request(
        s.addr,
        "OPTIONS",
        "/__emulator/token-status?token=x",
        &[("Origin", "http://127.0.0.1:8080")],
        b"",
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(r.header("access-control-allow-methods"), None);
    let r = request(s.addr, "POST", "/__emulator/token-status?token=x", &[], b"").await;
    assert_eq!(r.status, 405);
    // Controls are not logged: the token never reached the request log.
    let state = get(s.addr, "/__emulator/state", &[]).await.text();
    assert!(!state.contains(&access));
}

#[test]
fn binary_stderr_shows_no_raw_secrets() {
    use std::io::Read;
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_schacc-emulator"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let first = String::from_utf8(first).unwrap();
    let port: u16 = first
        .strip_prefix("schacc-emulator listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .parse()
        .unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (cookie, access, refresh) = rt.block_on(async {
        let cookie = post_login(addr, "format=json", &[]).await.session_id();
        let t = get(addr, "/__emulator/token?client_id=demo", &[])
            .await
            .json();
        let access = t["access_token"].as_str().unwrap().to_string();
        let refresh = t["refresh_token"].as_str().unwrap().to_string();
        let r = get(
            addr,
            &format!("/logout?client_id=demo&oauth_token={access}"),
            &[("Cookie", &format!("schacc_session={cookie}"))],
        )
        .await;
        assert_eq!(r.status, 200);
        get(
            addr,
            &format!("/api/2/me?oauth_token={refresh}"),
            &[("Authorization", &format!("Bearer {access}"))],
        )
        .await;
        get(addr, &format!("/x?sid={cookie}"), &[]).await;
        (cookie, access, refresh)
    });
    let _ = child.kill();
    let _ = child.wait();
    let log = reader.join().unwrap();
    assert!(
        log.contains(&format!(
            "GET /logout?client_id=demo&oauth_token={} -> 200",
            redacted(&access)
        )),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "GET /api/2/me?oauth_token={} -> 401",
            redacted(&refresh)
        )),
        "{log}"
    );
    assert!(
        log.contains(&format!("GET /x?sid={} -> 404", redacted(&cookie))),
        "{log}"
    );
    assert_absent(&log, &[&cookie, &access, &refresh], "stderr");
}
