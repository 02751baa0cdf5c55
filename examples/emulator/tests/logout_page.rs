//! HTTP-level tests: `/logout`, the redirect flow's top-level navigation.

mod common;

use common::*;

#[tokio::test]
async fn logout_page_redirects_to_exact_registered_uri_and_logs_out() {
    let s = server().await;
    for uri in [
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080/logged-out.html",
        "http://localhost:8080/cb",
    ] {
        let cookie = login(s.addr, 5).await;
        let (access, _) = token(s.addr, 5).await;
        let (untouched, _) = token(s.addr, 6).await;
        let target = format!(
            "/logout?client_id=demo&redirect_uri={}&oauth_token={access}",
            enc(uri)
        );
        let r = get(s.addr, &target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 302, "{uri}");
        assert_eq!(r.header("location"), Some(uri));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(r.all("set-cookie"), vec![EXPIRED]);
        assert_eq!(has_session(s.addr, &cookie).await, 401);
        assert_eq!(me(s.addr, &access).await, 401);
        assert_eq!(me(s.addr, &untouched).await, 200);
    }
    // '+'-free, unencoded form works too.
    let r = get(
        s.addr,
        "/logout?client_id=demo&redirect_uri=http://127.0.0.1:8080/",
        &[],
    )
    .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("set-cookie"), None);
}

#[tokio::test]
async fn logout_page_refuses_near_miss_redirect_uris() {
    let s = server().await;
    let near_misses = [
        ("missing trailing slash", "http://127.0.0.1:8080"),
        (
            "trailing slash added",
            "http://127.0.0.1:8080/logged-out.html/",
        ),
        ("prefix of registered", "http://127.0.0.1:8080/logged-out"),
        (
            "prefix of registered 2",
            "http://127.0.0.1:8080/logged-out.htm",
        ),
        (
            "registered is prefix",
            "http://127.0.0.1:8080/logged-out.html.evil",
        ),
        ("extra path", "http://127.0.0.1:8080/evil"),
        (
            "extra path segment",
            "http://127.0.0.1:8080/logged-out.html/x",
        ),
        ("dot segments", "http://127.0.0.1:8080/x/../logged-out.html"),
        ("double slash", "http://127.0.0.1:8080//evil.test/"),
        ("host case", "http://LOCALHOST:8080/cb"),
        ("scheme case", "HTTP://127.0.0.1:8080/"),
        ("path case", "http://127.0.0.1:8080/Logged-Out.html"),
        ("different port", "http://127.0.0.1:8081/"),
        ("explicit default port", "http://localhost:80/cb"),
        ("https instead of http", "https://127.0.0.1:8080/"),
        ("added query", "http://127.0.0.1:8080/?next=evil"),
        ("empty query", "http://127.0.0.1:8080/?"),
        ("added fragment", "http://127.0.0.1:8080/#frag"),
        (
            "percent-encoded variant",
            "http://127.0.0.1:8080/logged%2Dout.html",
        ),
        ("encoded slash", "http://127.0.0.1:8080%2F"),
        ("userinfo trick", "http://127.0.0.1:8080@evil.test/"),
        ("userinfo prefix", "http://user@127.0.0.1:8080/"),
        ("subdomain trick", "http://127.0.0.1.evil.test:8080/"),
        ("backslash", "http://127.0.0.1:8080\\@evil.test/"),
        ("backslash path", "http://127.0.0.1:8080/\\evil.test"),
        ("leading space", " http://127.0.0.1:8080/"),
        ("trailing space", "http://127.0.0.1:8080/ "),
        ("trailing tab", "http://127.0.0.1:8080/\t"),
        ("trailing newline", "http://127.0.0.1:8080/\n"),
        ("scheme-relative", "//127.0.0.1:8080/"),
        ("localhost for 127.0.0.1", "http://localhost:8080/"),
        ("another client's uri", "https://other.test/cb"),
        ("javascript", "javascript:alert(1)"),
        ("empty", ""),
    ];
    assert!(near_misses.len() >= 15);
    let cookie = login(s.addr, 9).await;
    for (name, uri) in near_misses {
        let target = format!("/logout?client_id=demo&redirect_uri={}", enc(uri));
        let r = get(s.addr, &target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 400, "{name}: {uri:?}");
        assert_eq!(r.header("location"), None, "{name}");
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
    }
    // The refused redirect still logged the user out.
    assert_eq!(has_session(s.addr, &cookie).await, 401);
}

#[tokio::test]
async fn logout_page_with_unknown_client_is_400_and_does_nothing() {
    let s = server().await;
    let cookie = login(s.addr, 3).await;
    let (access, _) = token(s.addr, 3).await;
    for target in [
        format!("/logout?redirect_uri={}", enc("http://127.0.0.1:8080/")),
        format!(
            "/logout?client_id=evil&redirect_uri={}&oauth_token={access}",
            enc("http://127.0.0.1:8080/")
        ),
        format!("/logout?client_id=&oauth_token={access}"),
    ] {
        let r = get(s.addr, &target, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 400, "{target}");
        assert_eq!(r.header("location"), None);
        assert_eq!(r.header("set-cookie"), None);
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
    }
    assert_eq!(has_session(s.addr, &cookie).await, 200);
    assert_eq!(me(s.addr, &access).await, 200);
}

#[tokio::test]
async fn logout_page_without_redirect_uri_shows_logged_out_page() {
    let s = server().await;
    let cookie = login(s.addr, 11).await;
    let r = get(s.addr, "/logout?client_id=demo", &[("Cookie", &cookie)]).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("You are logged out"));
    assert_eq!(r.all("set-cookie"), vec![EXPIRED]);
    assert_eq!(r.header("location"), None);
    assert_eq!(has_session(s.addr, &cookie).await, 401);
}
