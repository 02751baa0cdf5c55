//! HTTP-level tests: the session service as the official client
//! (`@schibsted/account-sdk-browser` 5) asks it — `GET /v2/session` and
//! `GET {path}/session` naming the client by `client_sdrn`, the `GET
//! {path}/logout` navigation, the `{"redirectURL"}` renewal answer
//! (`POST /__emulator/session-renewal`) and the `{path}/refresh` bounce
//! through SchAcc.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::json;

/// `client_sdrn` of client `demo`, percent-encoded as the client sends it.
const DEMO_SDRN: &str = "sdrn%3Aschibsted.com%3Aclient%3Ademo";

/// The query of account-sdk-browser 5.1.1's session request for client `demo`.
fn official_query() -> String {
    format!(
        "client_sdrn={DEMO_SDRN}&redirect_uri={}&sdk_version=5.1.1&tabId=12345",
        enc(APP)
    )
}

async fn session_at(svc: SocketAddr, path: &str, query: &str, cookie: &str) -> Resp {
    get(
        svc,
        &format!("{path}?{query}"),
        &[("Cookie", cookie), ("Origin", APP)],
    )
    .await
}

#[tokio::test]
async fn client_sdrn_names_the_client_on_both_path_forms_with_cors() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let (_, site) = login_both(&s, 77).await;
    for path in ["/v2/session", "/sso/session", "/session", "/a/b/session"] {
        let r = session_at(svc, path, &official_query(), &site).await;
        assert_eq!(r.status, 200, "{path}");
        assert_json_headers(&r);
        r.assert_cors_for(APP);
        assert_eq!(r.header("vary"), Some("Origin"));
        let j = r.json();
        assert_eq!(
            (j["result"].clone(), j["userId"].clone()),
            (json!(true), json!(77))
        );
        // Without redirect_uri, with unknown parameters and `+` for spaces.
        let query = format!("client_sdrn={DEMO_SDRN}&sdk_version=5.1.1&tabId=1+2&x=a+b");
        let r = session_at(svc, path, &query, &site).await;
        assert_eq!(r.json()["userId"], 77, "{path}");
        // Logged out: the usual answer.
        let r = session_at(svc, path, &official_query(), "x=1").await;
        assert_eq!(
            r.json(),
            json!({"result":false,"userStatus":"notConnected"})
        );
        r.assert_cors_for(APP);
        // Our SDK's form: client_id too.
        let query = format!("client_id=demo&{}", official_query());
        assert_eq!(
            session_at(svc, path, &query, &site).await.json()["userId"],
            77
        );

        // Preflight from the client's origin, and from another.
        let target = format!("{path}?{}", official_query());
        let r = request(svc, "OPTIONS", &target, &[("Origin", APP)], b"").await;
        assert_eq!(r.status, 204, "{path}");
        r.assert_cors_for(APP);
        assert_eq!(r.header("access-control-allow-methods"), Some("GET, POST"));
        let r = request(
            svc,
            "OPTIONS",
            &target,
            &[("Origin", "http://evil.test")],
            b"",
        )
        .await;
        assert_eq!(r.status, 204);
        r.assert_no_cors();
        // Another client's SDRN: that client's origins only.
        let query = "client_sdrn=sdrn%3Ax%3Aclient%3Aother";
        session_at(svc, path, query, &site).await.assert_no_cors();
        let r = get(
            svc,
            &format!("{path}?{query}"),
            &[("Origin", "https://other.test")],
        )
        .await;
        r.assert_cors_for("https://other.test");
        // client_id, when present, names the client.
        let query = format!("client_id=other&{}", official_query());
        let r = session_at(svc, path, &query, &site).await;
        assert_eq!(r.status, 200);
        r.assert_no_cors();
        // Other methods.
        let r = request(svc, "POST", &target, &[("Cookie", &site)], b"").await;
        assert_eq!(r.status, 405, "{path}");
    }
    // Not every path: only those ending in /session.
    for path in [
        "/sessions",
        "/session/",
        "/sso/session.json",
        "/v2/sessionx",
    ] {
        let r = session_at(svc, path, &official_query(), &site).await;
        assert_eq!(r.status, 404, "{path}");
    }
    // SchAcc's /ajax/* does not read client_sdrn.
    let r = get(
        s.addr,
        &format!("/ajax/hasSession.json?{}", official_query()),
        &[],
    )
    .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_malformed_or_unknown_sdrn_is_the_unknown_client_400() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let (_, site) = login_both(&s, 1).await;
    let expected =
        json!({"error":{"code":400,"type":"ApiException","description":"Unknown client_id"}});
    for path in ["/v2/session", "/sso/session"] {
        for sdrn in [
            "",
            "demo",
            "sdrn:schibsted.com:client:",
            "sdrn::client:demo",
            "sdrn:schibsted.com:user:demo",
            "sdrn:schibsted.com:client:nope",
            "sdrn:schibsted.com:client:DEMO",
            "SDRN:schibsted.com:client:demo",
            "sdrn:client:demo",
            "urn:schibsted.com:client:demo",
        ] {
            let query = format!("client_sdrn={}&sdk_version=5.1.1", enc(sdrn));
            let r = session_at(svc, path, &query, &site).await;
            assert_eq!(r.status, 400, "{path} {sdrn:?}");
            assert_json_headers(&r);
            assert_eq!(r.json(), expected);
            r.assert_no_cors();
        }
        // Neither client_id nor client_sdrn; an empty client_id beside a good SDRN.
        for query in [
            "sdk_version=5.1.1".to_string(),
            format!("client_id=&client_sdrn={DEMO_SDRN}"),
            format!("client_id=nope&client_sdrn={DEMO_SDRN}"),
        ] {
            let r = session_at(svc, path, &query, &site).await;
            assert_eq!(r.status, 400, "{path} {query}");
            assert_eq!(r.json(), expected);
        }
    }
}
