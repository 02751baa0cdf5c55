//! HTTP-level tests: SPiD 2.x's questions about the logged-in user
//! (`/ajax/hasproduct.json`, `/ajax/hassubscription.json`,
//! `/ajax/acceptAgreement.json`), the dev login's `products` and
//! `subscriptions`, and `uuid`/`sp_id` in the session.

mod common;

use common::*;
use serde_json::json;

const NO_SESSION: &str = r#"{"result":false,"userStatus":"notConnected","error":{"code":401,"type":"UserException","description":"No session found"}}"#;

async fn login_with(addr: std::net::SocketAddr, query: &str) -> String {
    let r = post_login(addr, &format!("{query}&format=json"), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    format!("schacc_session={}", r.session_id())
}

#[tokio::test]
async fn products_and_subscriptions_come_from_the_dev_login() {
    let s = server().await;
    let cookie = login_with(s.addr, "user_id=42&products=P1,%20P2,,&subscriptions=S1").await;
    let ask = |path: &str, product: &str| {
        format!("/ajax/{path}.json?client_id=demo&product_id={product}&sp_id=ignored")
    };
    let headers = [("Cookie", cookie.as_str()), ("Origin", APP)];
    let uuid = "00000000-0000-4000-8000-00000000002a";
    for (product, result) in [("P1", true), ("P2", true), ("S1", true), ("P3", false)] {
        let r = get(s.addr, &ask("hasproduct", product), &headers).await;
        assert_eq!(r.status, 200);
        assert_json_headers(&r);
        r.assert_cors_for(APP);
        assert_eq!(
            r.json(),
            json!({"result": result, "productId": product, "uuid": uuid}),
            "{product}"
        );
    }
    for (product, subscription) in [("S1", json!("sub-S1")), ("P1", json!(null))] {
        let r = get(s.addr, &ask("hassubscription", product), &headers).await;
        assert_eq!(r.status, 200);
        r.assert_cors_for(APP);
        assert_eq!(
            r.json(),
            json!({"result": subscription.is_string(), "productId": product, "subscriptionId": subscription, "uuid": uuid}),
            "{product}"
        );
    }
    // Another user, with nothing granted: another uuid.
    let other = login_with(s.addr, "user_id=7").await;
    let r = get(s.addr, &ask("hasproduct", "P1"), &[("Cookie", &other)]).await;
    assert_eq!(
        r.json(),
        json!({"result": false, "productId": "P1", "uuid": "00000000-0000-4000-8000-000000000007"})
    );
}

#[tokio::test]
async fn has_session_carries_uuid_and_sp_id() {
    let s = server().await;
    let cookie = login_with(s.addr, "user_id=42").await;
    let again = login_with(s.addr, "user_id=42").await;
    let session = |cookie: String| async move {
        get(
            s.addr,
            "/ajax/hasSession.json?client_id=demo",
            &[("Cookie", &cookie)],
        )
        .await
        .json()
    };
    let (first, second) = (session(cookie).await, session(again).await);
    assert_eq!(first["uuid"], "00000000-0000-4000-8000-00000000002a");
    assert_eq!(first["uuid"], second["uuid"], "one user, one uuid");
    let sp_id = first["sp_id"].as_str().unwrap();
    assert!(sp_id.len() == 24 && sp_id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(first["sp_id"], second["sp_id"], "one sp_id per session");
}

#[tokio::test]
async fn without_a_session_every_question_is_the_401_of_has_session() {
    let s = server().await;
    for target in [
        "/ajax/hasproduct.json?client_id=demo&product_id=P1",
        "/ajax/hassubscription.json?client_id=demo&product_id=P1",
        "/ajax/acceptAgreement.json?client_id=demo",
    ] {
        let r = get(s.addr, target, &[("Origin", APP)]).await;
        assert_eq!(r.status, 401, "{target}");
        assert_json_headers(&r);
        r.assert_cors_for(APP);
        assert_eq!(
            r.json(),
            serde_json::from_str::<serde_json::Value>(NO_SESSION).unwrap()
        );
        // An unknown session id is no session either.
        let r = get(
            s.addr,
            target,
            &[("Cookie", "schacc_session=00000000000000000000000000000000")],
        )
        .await;
        assert_eq!(r.status, 401, "{target}");
    }
}

#[tokio::test]
async fn accept_agreement_answers_result_true() {
    let s = server().await;
    let cookie = login_with(s.addr, "user_id=5").await;
    let r = get(
        s.addr,
        "/ajax/acceptAgreement.json?client_id=demo",
        &[("Cookie", &cookie), ("Origin", APP)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    r.assert_cors_for(APP);
    assert_eq!(r.json(), json!({"result": true}));
    assert_eq!(has_session(s.addr, &cookie).await, 200, "the session stays");
}

#[tokio::test]
async fn validation_cors_and_methods_as_on_the_other_ajax_endpoints() {
    let s = server().await;
    let cookie = login_with(s.addr, "user_id=5&products=P1").await;
    for target in [
        "/ajax/hasproduct.json?product_id=P1",
        "/ajax/hassubscription.json?client_id=nope&product_id=P1",
        "/ajax/acceptAgreement.json?client_id=",
    ] {
        let r = get(s.addr, target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 400, "{target}");
        assert_eq!(
            r.json(),
            json!({"error":{"code":400,"type":"ApiException","description":"Unknown client_id"}})
        );
    }
    for target in [
        "/ajax/hasproduct.json?client_id=demo",
        "/ajax/hassubscription.json?client_id=demo&product_id=",
    ] {
        let r = get(s.addr, target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 400, "{target}");
        assert_eq!(
            r.json(),
            json!({"error":{"code":400,"type":"ApiException","description":"Missing product_id"}})
        );
    }
    let r = get(
        s.addr,
        "/ajax/hasproduct.json?client_id=demo&product_id=%zz",
        &[],
    )
    .await;
    assert_eq!(r.status, 400);
    // Another client's origin gets no CORS headers; a preflight from an allowed one does.
    let r = get(
        s.addr,
        "/ajax/hasproduct.json?client_id=demo&product_id=P1",
        &[("Cookie", &cookie), ("Origin", "https://other.test")],
    )
    .await;
    assert_eq!(r.status, 200);
    r.assert_no_cors();
    let r = request(
        s.addr,
        "OPTIONS",
        "/ajax/hassubscription.json?client_id=demo&product_id=P1",
        &[("Origin", APP)],
        b"",
    )
    .await;
    assert_eq!(r.status, 204);
    r.assert_cors_for(APP);
    let r = request(
        s.addr,
        "POST",
        "/ajax/acceptAgreement.json?client_id=demo",
        &[("Cookie", &cookie)],
        b"",
    )
    .await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn the_dev_login_refuses_too_many_or_too_long_product_ids() {
    let s = server().await;
    let many = (0..65)
        .map(|i| format!("P{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let long = "P".repeat(129);
    for query in [format!("products={many}"), format!("subscriptions={long}")] {
        let r = post_login(s.addr, &format!("{query}&format=json"), &[]).await;
        assert_eq!(r.status, 400, "{}", &query[..20]);
        assert_eq!(r.header("set-cookie"), None);
    }
    let r = post_login(
        s.addr,
        &format!("products={}&format=json", "P".repeat(128)),
        &[],
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn the_session_service_shares_the_grants() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let r = post_login(s.addr, "user_id=9&products=P1&format=json", &[]).await;
    let cookie = format!("schacc_site_session={}", r.session_id());
    // The same session id at the service's door: its /v2/session carries uuid and sp_id too.
    let r = get(svc, "/v2/session?client_id=demo", &[("Cookie", &cookie)]).await;
    assert_eq!(r.json()["uuid"], "00000000-0000-4000-8000-000000000009");
    assert!(r.json()["sp_id"].is_string());
}
