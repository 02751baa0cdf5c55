//! HTTP-level tests: Unknown paths and methods, malformed queries and requests (raw sockets), concurrency, TLS.

mod common;

use common::*;
use schacc_emulator::{start, Config};
use tokio::net::TcpStream;

#[tokio::test]
async fn unknown_path_404_and_wrong_method_405() {
    let s = server().await;
    let r = get(s.addr, "/nope", &[]).await;
    assert_eq!(r.status, 404);
    assert_json_headers(&r);
    assert_eq!(r.json()["error"]["code"], 404);
    let r = request(s.addr, "POST", "/ajax/logout.json?client_id=demo", &[], b"").await;
    assert_eq!(r.status, 405);
    assert_json_headers(&r);
    let r = request(s.addr, "DELETE", "/api/2/logout", &[], b"").await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn malformed_queries_are_400() {
    let s = server().await;
    for target in [
        "/ajax/hasSession.json?client_id=%zz",
        "/ajax/hasSession.json?client_id=demo%",
        "/ajax/hasSession.json?client_id=demo&x=%4",
        "/ajax/logout.json?client_id=%ff%fe",
        "/api/2/logout?oauth_token=%c3%28",
        "/__emulator/login?user_id=%",
    ] {
        let r = get(s.addr, target, &[]).await;
        assert_eq!(r.status, 400, "{target}");
        assert_eq!(r.json()["error"]["code"], 400);
    }
    for target in [
        "/logout?client_id=demo&redirect_uri=%ff",
        "/logout?client_id=de%mo",
    ] {
        let r = get(s.addr, target, &[]).await;
        assert_eq!(r.status, 400, "{target}");
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert_eq!(r.header("location"), None);
    }
    still_alive(s.addr).await;
}

#[tokio::test]
async fn malformed_requests_do_not_crash_the_server() {
    let s = server().await;
    let big = "a".repeat(100 * 1024);
    let inputs: Vec<Vec<u8>> = vec![
        b"garbage\r\n\r\n".to_vec(),
        b"\x00\x01\x02\xff\xfe\r\n\r\n".to_vec(),
        b"GET /ajax/hasSession.json?client_id=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\nCookie: schacc_session=\xff\xfe\r\nConnection: close\r\n\r\n"
            .to_vec(),
        format!("GET /ajax/hasSession.json?client_id=demo HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n")
            .into_bytes(),
        format!("GET /{big} HTTP/1.1\r\nHost: x\r\n\r\n").into_bytes(),
        b"GET /ajax/hasSession.json HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n".to_vec(),
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(), // a TLS ClientHello start
        b"GET /ajax/hasSession.json?client_id=demo HTTP/1.1\r\nHost: x\r\nCookie: \x80\x81\r\nConnection: close\r\n\r\n".to_vec(),
    ];
    for input in inputs {
        let bytes = raw(s.addr, &input).await;
        if !bytes.is_empty() {
            let r = parse(&bytes);
            assert!(
                (400..500).contains(&r.status),
                "{} for {:?}",
                r.status,
                String::from_utf8_lossy(&input[..input.len().min(60)])
            );
        }
    }
    // The 100 KB header specifically gets 431 (or 400).
    let r = parse(
        &raw(
            s.addr,
            format!("GET /ajax/hasSession.json?client_id=demo HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await,
    );
    assert!(r.status == 431 || r.status == 400, "{}", r.status);
    still_alive(s.addr).await;
}

#[tokio::test]
async fn poisoned_or_concurrent_use_keeps_serving() {
    let s = server().await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let addr = s.addr;
        tasks.push(tokio::spawn(async move {
            let cookie = login(addr, i).await;
            assert_eq!(has_session(addr, &cookie).await, 200);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let j = get(s.addr, "/__emulator/state", &[]).await.json();
    assert_eq!(j["sessions"].as_array().unwrap().len(), 20);
}

#[cfg(feature = "tls")]
#[tokio::test]
async fn tls_serves_https_with_self_signed_certificate() {
    use tokio_rustls::rustls;

    let s = start(Config {
        tls: true,
        ..test_config()
    })
    .await
    .unwrap();
    assert!(s.url().starts_with("https://127.0.0.1:"));
    let der = s.certificate_der.clone().unwrap();
    for name in ["localhost", "127.0.0.1"] {
        let connector = tls_connector(&der);
        let tcp = TcpStream::connect(s.addr).await.unwrap();
        let server_name = rustls::pki_types::ServerName::try_from(name.to_string()).unwrap();
        let tls = connector.connect(server_name, tcp).await.unwrap();
        let r = send_over(
            tls,
            "localhost",
            "GET",
            "/ajax/hasSession.json?client_id=demo",
            &[],
            b"",
        )
        .await
        .unwrap();
        assert_eq!(r.status, 401);
    }
    // Plain HTTP to the TLS port does not crash it.
    let _ = raw(s.addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
}
