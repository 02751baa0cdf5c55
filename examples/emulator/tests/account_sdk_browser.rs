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

/// A registered redirect URI of client `demo` (the site's `redirectUri`).
const R: &str = "http://127.0.0.1:8080/";

/// The query of account-sdk-browser 5.1.1's session request for client `demo`.
fn official_query() -> String {
    format!(
        "client_sdrn={DEMO_SDRN}&redirect_uri={}&sdk_version=5.1.1&tabId=12345",
        enc(R)
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
        // Logged out, asked as account-sdk-browser asks: the official service's 401, which it reads as logged
        // out (a 200 with any `result` it reads as logged in).
        let r = session_at(svc, path, &official_query(), "x=1").await;
        assert_eq!(r.status, 401, "{path}");
        assert_eq!(
            r.json(),
            json!({"result":false,"userStatus":"notConnected","error":{"code":401,"type":"UserException","description":"No session found"}})
        );
        r.assert_cors_for(APP);
        // Our SDK's form, client_id too: the same session, and this project's 200 when logged out.
        let query = format!("client_id=demo&{}", official_query());
        assert_eq!(
            session_at(svc, path, &query, &site).await.json()["userId"],
            77
        );
        let r = session_at(svc, path, &query, "x=1").await;
        assert_eq!(
            (r.status, r.json()),
            (200, json!({"result":false,"userStatus":"notConnected"}))
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

const SITE_EXPIRED: &str = "schacc_site_session=; Max-Age=0; HttpOnly; SameSite=Lax; Path=/";

/// The service's user behind `site` (`None`: nobody), and SchAcc's `hasSession` status.
async fn both_doors(s: &schacc_emulator::Server, schacc: &str, site: &str) -> (Option<u64>, u16) {
    let svc = s.session_addr.unwrap();
    let j = get(svc, "/v2/session?client_id=demo", &[("Cookie", site)])
        .await
        .json();
    (j["userId"].as_u64(), has_session(s.addr, schacc).await)
}

fn assert_html(r: &Resp) {
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn the_official_get_logout_follows_the_logout_page_rules() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let registered = "http://127.0.0.1:8080/logged-out.html";
    for path in ["/logout", "/sso/logout"] {
        for client in [format!("client_sdrn={DEMO_SDRN}"), "client_id=demo".into()] {
            // A registered redirect_uri: out at both doors, 302 there.
            let (schacc, site) = login_both(&s, 5).await;
            let (access, _) = token(s.addr, 5).await;
            let target = format!(
                "{path}?{client}&redirect_uri={}&sdk_version=5.1.1&oauth_token={access}",
                enc(registered)
            );
            let r = get(svc, &target, &[("Cookie", &site)]).await;
            assert_eq!(r.status, 302, "{target}");
            assert_eq!(r.header("location"), Some(registered));
            assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
            assert_eq!(r.all("set-cookie"), vec![SITE_EXPIRED]);
            assert_eq!(both_doors(&s, &schacc, &site).await, (None, 401));
            assert_eq!(
                me(s.addr, &access).await,
                200,
                "the service revokes no token"
            );

            // No redirect_uri: the logged-out page.
            let (schacc, site) = login_both(&s, 6).await;
            let r = get(svc, &format!("{path}?{client}"), &[("Cookie", &site)]).await;
            assert_eq!(r.status, 200);
            assert_html(&r);
            assert!(r.text().contains("You are logged out"));
            assert_eq!(r.header("location"), None);
            assert_eq!(r.all("set-cookie"), vec![SITE_EXPIRED]);
            assert_eq!(both_doors(&s, &schacc, &site).await, (None, 401));

            // An unregistered one: a 400 page, no redirect; logged out all the same.
            for bad in [
                "http://evil.test/",
                "http://127.0.0.1:8080/logged-out.html?x=1",
                "https://other.test/cb",
                "",
            ] {
                let (schacc, site) = login_both(&s, 7).await;
                let target = format!("{path}?{client}&redirect_uri={}", enc(bad));
                let r = get(svc, &target, &[("Cookie", &site)]).await;
                assert_eq!(r.status, 400, "{target}");
                assert_html(&r);
                assert_eq!(r.header("location"), None);
                assert_eq!(r.all("set-cookie"), vec![SITE_EXPIRED]);
                assert_eq!(both_doors(&s, &schacc, &site).await, (None, 401));
            }
        }
        // Without a cookie: no Set-Cookie.
        let r = get(svc, &format!("{path}?client_sdrn={DEMO_SDRN}"), &[]).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("set-cookie"), None);
        // No client, a malformed SDRN, a bad query: a 400 page, nothing done.
        let (schacc, site) = login_both(&s, 8).await;
        for query in [
            format!("redirect_uri={}", enc(registered)),
            format!(
                "client_sdrn=sdrn%3Ax%3Aclient%3Anope&redirect_uri={}",
                enc(registered)
            ),
            "client_sdrn=demo".into(),
            "client_id=&client_sdrn=sdrn%3Ax%3Aclient%3Ademo".into(),
            "client_id=%zz".into(),
        ] {
            let r = get(svc, &format!("{path}?{query}"), &[("Cookie", &site)]).await;
            assert_eq!(r.status, 400, "{query}");
            assert_html(&r);
            assert_eq!(r.header("location"), None);
            assert_eq!(r.header("set-cookie"), None);
        }
        assert_eq!(both_doors(&s, &schacc, &site).await, (Some(8), 200));
        // Only GET (and the preflight).
        let r = request(
            svc,
            "POST",
            &format!("{path}?client_id=demo"),
            &[("Cookie", &site)],
            b"",
        )
        .await;
        assert_eq!(r.status, 405);
        assert_eq!(both_doors(&s, &schacc, &site).await, (Some(8), 200));
    }
    // GET /v2/logout is still no logout (POST /v2/logout is this project's).
    let (schacc, site) = login_both(&s, 9).await;
    let r = get(svc, "/v2/logout?client_id=demo", &[("Cookie", &site)]).await;
    assert_eq!(r.status, 405);
    assert_eq!(both_doors(&s, &schacc, &site).await, (Some(9), 200));
}

async fn state(s: &schacc_emulator::Server) -> serde_json::Value {
    get(s.addr, "/__emulator/state", &[]).await.json()
}

#[tokio::test]
async fn the_session_renewal_control_answers_redirect_url_exactly_n_times() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let (_, site) = login_both(&s, 3).await;
    assert_eq!(state(&s).await["sessionRenewals"], 0);

    // Default: once, to /v2/refresh.
    let r = request(s.addr, "POST", "/__emulator/session-renewal", &[], b"").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"ok":true,"times":1,"to":"/v2/refresh"}));
    assert_eq!(state(&s).await["sessionRenewals"], 1);
    let r = session_at(svc, "/v2/session", &official_query(), &site).await;
    assert_eq!(r.status, 200);
    assert_json_headers(&r);
    r.assert_cors_for(APP);
    assert_eq!(r.json(), json!({"redirectURL":"/v2/refresh"}));
    assert_eq!(
        session_at(svc, "/v2/session", &official_query(), &site)
            .await
            .json()["userId"],
        3
    );

    // N times, to a chosen URL, on both path forms and for a logged-out browser
    // too; unknown clients and preflights use none up.
    let to = "https://id.site.example/sso/refresh?x=1";
    let r = request(
        s.addr,
        "POST",
        &format!("/__emulator/session-renewal?times=3&to={}", enc(to)),
        &[("Origin", APP)],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(state(&s).await["sessionRenewals"], 3);
    let r = get(svc, "/sso/session?client_id=nope", &[("Cookie", &site)]).await;
    assert_eq!(r.status, 400);
    let target = format!("/sso/session?{}", official_query());
    let r = request(svc, "OPTIONS", &target, &[("Origin", APP)], b"").await;
    assert_eq!(r.status, 204);
    for (path, cookie) in [
        ("/sso/session", site.as_str()),
        ("/v2/session", "x=1"),
        ("/session", site.as_str()),
    ] {
        let r = session_at(svc, path, &official_query(), cookie).await;
        assert_eq!(r.json(), json!({"redirectURL": to}), "{path}");
    }
    assert_eq!(state(&s).await["sessionRenewals"], 0);
    for path in ["/sso/session", "/v2/session"] {
        let r = session_at(svc, path, &official_query(), &site).await;
        assert_eq!(r.json()["userId"], 3, "{path}");
    }
    // Every one was logged.
    let log = state(&s).await["requests"].clone();
    let sessions = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["listener"] == "session" && e["path"].as_str().unwrap().ends_with("/session"))
        .count();
    assert_eq!(sessions, 9, "2 + the 400 + the preflight + 3 + 2");

    // A new one replaces the old; DELETE and reset clear it.
    for (method, query) in [("POST", "?times=5"), ("POST", "?times=2")] {
        request(
            s.addr,
            method,
            &format!("/__emulator/session-renewal{query}"),
            &[],
            b"",
        )
        .await;
    }
    assert_eq!(state(&s).await["sessionRenewals"], 2);
    let r = request(s.addr, "DELETE", "/__emulator/session-renewal", &[], b"").await;
    assert_eq!(r.status, 200);
    assert_eq!(state(&s).await["sessionRenewals"], 0);
    request(
        s.addr,
        "POST",
        "/__emulator/session-renewal?times=2",
        &[],
        b"",
    )
    .await;
    request(s.addr, "POST", "/__emulator/reset", &[], b"").await;
    assert_eq!(state(&s).await["sessionRenewals"], 0);
    let r = get(svc, &format!("/v2/session?{}", official_query()), &[]).await;
    assert_eq!(r.json()["result"], false);

    // Bad calls: 400 / 403 / 405, nothing pending.
    for query in ["?times=0", "?times=-1", "?times=x", "?to=", "?to=%0A"] {
        let r = request(
            s.addr,
            "POST",
            &format!("/__emulator/session-renewal{query}"),
            &[],
            b"",
        )
        .await;
        assert_eq!(r.status, 400, "{query}");
    }
    let r = request(
        s.addr,
        "POST",
        "/__emulator/session-renewal",
        &[("Origin", "http://evil.test")],
        b"",
    )
    .await;
    assert_eq!(r.status, 403);
    let r = get(s.addr, "/__emulator/session-renewal", &[]).await;
    assert_eq!(r.status, 405);
    assert_eq!(state(&s).await["sessionRenewals"], 0);
    // SchAcc's control only.
    let r = request(svc, "POST", "/__emulator/session-renewal", &[], b"").await;
    assert_eq!(r.status, 404);
}

/// A browser logged in as `user_id` at both doors (the service's login and
/// its hand-over, followed), and the session id.
async fn browser_logged_in(s: &schacc_emulator::Server, user_id: u64) -> (Browser, String) {
    let svc = s.session_addr.unwrap();
    let mut b = Browser::default();
    let url = format!(
        "http://127.0.0.1:{}/__emulator/login?user_id={user_id}",
        svc.port()
    );
    let r = b.send(s, "POST", &url, &[("Origin", APP)]).await;
    let (r, _) = b.follow(s, r).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let id = b.cookie(s.addr, "schacc_session").expect("SchAcc's cookie");
    assert_eq!(b.cookie(svc, "schacc_site_session"), Some(id.clone()));
    (b, id)
}

fn refresh_url(svc: SocketAddr, path: &str) -> String {
    format!("http://127.0.0.1:{}{path}?{}", svc.port(), official_query())
}

#[tokio::test]
async fn the_refresh_bounce_renews_the_site_cookie_through_schacc() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let (p, sp) = (s.addr.port(), svc.port());
    for (n, path) in ["/v2/refresh", "/sso/refresh"].into_iter().enumerate() {
        let (mut b, id) = browser_logged_in(&s, 31).await;
        // The site's cookie is gone (e.g. capped by ITP); SchAcc's is not.
        b.set_cookie(
            svc,
            "schacc_site_session",
            "00000000000000000000000000000000",
        );
        let url = refresh_url(svc, path);
        let first = b.send(&s, "GET", &url, &[]).await;
        assert_eq!(first.status, 302);
        let renew = format!(
            "http://localhost:{p}/__emulator/renew?client_id=demo&return_to={}&session_origin={}",
            enc(R),
            enc(&format!("http://127.0.0.1:{sp}"))
        );
        assert_eq!(first.header("location"), Some(renew.as_str()));
        let (last, visited) = b.follow(&s, first).await;
        // SchAcc → the service's adopt (claim) → SchAcc's confirm → the adopt → R.
        assert_eq!(visited.len(), 4, "{visited:#?}");
        assert!(visited[1].starts_with(&format!("http://127.0.0.1:{sp}/__emulator/adopt?code=")));
        assert!(visited[2].contains("/__emulator/confirm?code="));
        assert_eq!(visited[3], visited[1]);
        assert_eq!(last.status, 302);
        assert_eq!(last.header("location"), Some(R));
        assert_eq!(
            set_cookie_value(&last, "schacc_site_session").as_deref(),
            Some(id.as_str()),
            "the same session, set again"
        );
        assert_eq!(b.cookie(svc, "schacc_site_session"), Some(id.clone()));
        let site = format!("schacc_site_session={id}");
        let r = get(
            svc,
            &format!("/session?{}", official_query()),
            &[("Cookie", &site)],
        )
        .await;
        assert_eq!(r.json()["userId"], 31);
        assert_eq!(state(&s).await["renewalsDone"], n + 1);
    }

    // Without a SchAcc session: straight back to R, the site cookie untouched.
    let mut b = Browser::default();
    b.set_cookie(svc, "schacc_site_session", "stale");
    let (last, visited) = b.navigate(&s, &refresh_url(svc, "/v2/refresh")).await;
    assert_eq!(visited.len(), 2, "{visited:#?}");
    assert_eq!(last.status, 302);
    assert_eq!(last.header("location"), Some(R));
    assert_eq!(last.header("set-cookie"), None);
    assert_eq!(
        b.cookie(svc, "schacc_site_session").as_deref(),
        Some("stale")
    );
    // An ended SchAcc session is none.
    let (mut b, _) = browser_logged_in(&s, 32).await;
    let schacc = b.cookies(s.addr);
    get(
        s.addr,
        "/ajax/logout.json?client_id=demo",
        &[("Cookie", &schacc)],
    )
    .await;
    let (last, visited) = b.navigate(&s, &refresh_url(svc, "/refresh")).await;
    assert_eq!((visited.len(), last.header("location")), (2, Some(R)));
    assert_eq!(state(&s).await["renewalsDone"], 2);
    // Reset forgets the count.
    request(s.addr, "POST", "/__emulator/reset", &[], b"").await;
    assert_eq!(state(&s).await["renewalsDone"], 0);
}

#[tokio::test]
async fn a_renewal_answer_leads_the_official_client_through_the_bounce() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let (mut b, id) = browser_logged_in(&s, 33).await;
    b.set_cookie(svc, "schacc_site_session", "gone");
    request(s.addr, "POST", "/__emulator/session-renewal", &[], b"").await;
    let base = format!("http://127.0.0.1:{}/", svc.port());
    let r = b
        .send(
            &s,
            "GET",
            &format!("{base}v2/session?{}", official_query()),
            &[("Origin", APP)],
        )
        .await;
    let to = r.json()["redirectURL"].as_str().unwrap().to_string();
    // What account-sdk-browser does: resolve against sessionDomain, replace the query.
    let url = format!(
        "{}{}?client_sdrn={DEMO_SDRN}&redirect_uri={}&sdk_version=5.1.1&tabId=12345",
        base.trim_end_matches('/'),
        to,
        enc(R)
    );
    let (last, _) = b.navigate(&s, &url).await;
    assert_eq!(last.header("location"), Some(R));
    assert_eq!(b.cookie(svc, "schacc_site_session"), Some(id));
    let r = b
        .send(
            &s,
            "GET",
            &format!("{base}v2/session?{}", official_query()),
            &[],
        )
        .await;
    assert_eq!(r.json()["userId"], 33);
}

#[tokio::test]
async fn the_refresh_bounce_never_redirects_to_an_unregistered_uri() {
    let s = session_server().await;
    let svc = s.session_addr.unwrap();
    let (_, id) = browser_logged_in(&s, 34).await;
    let site = format!("schacc_site_session={id}");
    let schacc = format!("schacc_session={id}");
    for path in ["/v2/refresh", "/sso/refresh"] {
        for query in [
            format!("client_sdrn={DEMO_SDRN}"),
            format!("client_sdrn={DEMO_SDRN}&redirect_uri="),
            format!(
                "client_sdrn={DEMO_SDRN}&redirect_uri={}",
                enc("http://evil.test/")
            ),
            format!(
                "client_sdrn={DEMO_SDRN}&redirect_uri={}",
                enc("https://other.test/cb")
            ),
            format!(
                "client_sdrn={DEMO_SDRN}&redirect_uri={}",
                enc("http://127.0.0.1:8080")
            ),
            format!(
                "client_sdrn=sdrn%3Ax%3Aclient%3Anope&redirect_uri={}",
                enc(R)
            ),
            format!("redirect_uri={}", enc(R)),
            format!(
                "client_id=demo&redirect_uri={}&schacc_origin={}",
                enc(R),
                enc("http://evil.test:1")
            ),
            "client_id=%zz".into(),
        ] {
            let r = get(svc, &format!("{path}?{query}"), &[("Cookie", &site)]).await;
            assert_eq!(r.status, 400, "{path}?{query}");
            assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
            assert_eq!(r.header("location"), None);
            assert_eq!(r.header("set-cookie"), None);
        }
        let r = request(
            svc,
            "POST",
            &format!("{path}?client_id=demo&redirect_uri={}", enc(R)),
            &[],
            b"",
        )
        .await;
        assert_eq!(r.status, 405);
    }
    // SchAcc's renew checks again.
    let sp = svc.port();
    for query in [
        format!("client_id=demo&return_to={}", enc("http://evil.test/")),
        format!("client_id=demo&return_to={}", enc("https://other.test/cb")),
        "client_id=demo".to_string(),
        format!("client_id=nope&return_to={}", enc(R)),
        format!("return_to={}", enc(R)),
        format!(
            "client_id=demo&return_to={}&session_origin={}",
            enc(R),
            enc("http://evil.test")
        ),
        format!(
            "client_id=demo&return_to={}&session_origin={}",
            enc(R),
            enc(&format!("http://evil.test:{sp}"))
        ),
    ] {
        let r = get(
            s.addr,
            &format!("/__emulator/renew?{query}"),
            &[("Cookie", &schacc)],
        )
        .await;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(r.header("location"), None);
    }
    let r = request(
        s.addr,
        "POST",
        &format!("/__emulator/renew?client_id=demo&return_to={}", enc(R)),
        &[],
        b"",
    )
    .await;
    assert_eq!(r.status, 405);
    // The service has no renew of its own.
    let r = get(
        svc,
        &format!("/__emulator/renew?client_id=demo&return_to={}", enc(R)),
        &[],
    )
    .await;
    assert_eq!(r.status, 404);
    // Someone else's renewal code adopts nothing for this browser (it is bound).
    let r = get(
        s.addr,
        &format!("/__emulator/renew?client_id=demo&return_to={}", enc(R)),
        &[("Cookie", &schacc)],
    )
    .await;
    assert_eq!(r.status, 303);
    let mut stranger = Browser::default();
    let (last, _) = stranger.navigate(&s, r.header("location").unwrap()).await;
    assert_eq!(last.status, 403, "{}", last.text());
    assert_eq!(stranger.cookie(svc, "schacc_site_session"), None);
    assert_eq!(state(&s).await["renewalsDone"], 0);
}
