//! HTTP-level tests: the fault fields for hostile-server tests — extra
//! response `headers` and a chunked `streamSize` body generated lazily.

mod common;

use std::net::SocketAddr;

use bytes::Bytes;
use common::*;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpStream;

#[tokio::test]
async fn fault_headers_with_a_redirect_status() {
    let s = server().await;
    let r = post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/ajax/logout.json","status":302,"body":"",
               "headers":{"location":"http://evil.example/","X-Extra":"1"}}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["fault"]["headers"],
        json!({"X-Extra":"1","location":"http://evil.example/"})
    );
    let r = get(
        s.addr,
        "/ajax/logout.json?client_id=demo",
        &[("Origin", APP)],
    )
    .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("http://evil.example/"));
    assert_eq!(r.header("x-extra"), Some("1"));
    assert_eq!(r.body, b"");
    // CORS as usual.
    assert_eq!(r.header("access-control-allow-origin"), Some(APP));
    assert_eq!(r.header("vary"), Some("Origin"));
    // The state lists the fault with its headers.
    let state = get(s.addr, "/__emulator/state", &[]).await.json();
    assert_eq!(
        state["faults"][0]["headers"]["location"],
        "http://evil.example/"
    );
}

#[tokio::test]
async fn fault_headers_alone_decorate_the_normal_response_and_win() {
    let s = server().await;
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/ajax/hasSession.json","times":1,
               "headers":{"set-cookie":"planted=1","access-control-allow-origin":"*","cache-control":"max-age=60"}}),
    )
    .await;
    let r = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Origin", APP)],
    )
    .await;
    // The normal answer…
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["type"], "UserException");
    // …with the fault's headers set over the emulator's own.
    assert_eq!(r.all("set-cookie"), vec!["planted=1"]);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(r.header("cache-control"), Some("max-age=60"));
    // times: 1 — the next answer is plain again.
    let r = get(
        s.addr,
        "/ajax/hasSession.json?client_id=demo",
        &[("Origin", APP)],
    )
    .await;
    assert_eq!(r.header("set-cookie"), None);
    assert_eq!(r.header("access-control-allow-origin"), Some(APP));
}

#[tokio::test]
async fn fault_headers_and_stream_size_validation() {
    let s = server().await;
    let many: serde_json::Map<String, serde_json::Value> =
        (0..33).map(|i| (format!("x-h{i}"), json!("v"))).collect();
    for body in [
        json!({"path":"/x","headers":{"bad name":"v"}}),
        json!({"path":"/x","headers":{"x-a":"line\nbreak"}}),
        json!({"path":"/x","headers":{"x-a":1}}),
        json!({"path":"/x","headers":["x-a"]}),
        json!({"path":"/x","headers":{"Content-Length":"5"}}),
        json!({"path":"/x","headers":{"transfer-encoding":"chunked"}}),
        json!({"path":"/x","headers":{"connection":"close"}}),
        json!({"path":"/x","headers":many}),
        json!({"path":"/x","streamSize":(1u64 << 30) + 1}),
        json!({"path":"/x","streamSize":-1}),
        json!({"path":"/x","streamSize":10,"body":"x"}),
        json!({"path":"/x","streamSize":10,"bodySize":10}),
    ] {
        let r = post_json(s.addr, "/__emulator/fault", body.clone()).await;
        assert_eq!(r.status, 400, "{body}");
    }
    let r = post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/x","streamSize":1u64 << 30}),
    )
    .await;
    assert_eq!(r.status, 200);
}

/// GET `target`, reading the body frame by frame without keeping it: the
/// status, the headers, the number of body bytes, the first and last 64 bytes.
async fn stream_get(addr: SocketAddr, target: &str) -> (Resp, u64, Vec<u8>, Vec<u8>) {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
        .await
        .unwrap();
    tokio::spawn(conn);
    let req = hyper::Request::get(target)
        .header("host", addr.to_string())
        .header("origin", APP)
        .body(Empty::<Bytes>::new())
        .unwrap();
    let resp = sender.send_request(req).await.unwrap();
    let head = Resp {
        status: resp.status().as_u16(),
        headers: resp
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect(),
        body: Vec::new(),
    };
    let mut body = resp.into_body();
    let (mut total, mut first, mut last) = (0u64, Vec::new(), Vec::new());
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.unwrap().into_data() else {
            continue;
        };
        total += data.len() as u64;
        if first.len() < 64 {
            first.extend_from_slice(&data[..data.len().min(64 - first.len())]);
        }
        last.extend_from_slice(&data[data.len().saturating_sub(64)..]);
        last.drain(..last.len().saturating_sub(64));
    }
    (head, total, first, last)
}

#[tokio::test]
async fn fault_stream_size_is_chunked_without_content_length() {
    let s = server().await;
    for n in [5_000_000u64, 25, 3] {
        let r = post_json(
            s.addr,
            "/__emulator/fault",
            json!({"path":"/ajax/hasSession.json","streamSize":n,"status":200}),
        )
        .await;
        assert_eq!(r.status, 200);
        let (head, total, first, last) =
            stream_get(s.addr, "/ajax/hasSession.json?client_id=demo").await;
        assert_eq!(head.status, 200);
        assert_eq!(head.header("content-length"), None);
        assert_eq!(head.header("transfer-encoding"), Some("chunked"));
        assert_eq!(head.header("content-type"), Some("application/json"));
        assert_eq!(head.header("access-control-allow-origin"), Some(APP));
        assert_eq!(total, n);
        let expected_first = br#"{"result":true,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#;
        let k = (n as usize).min(64);
        if n >= 64 {
            assert_eq!(first, expected_first[..k].to_vec());
            assert!(last.ends_with(br#"xxx"}"#));
        } else if n == 25 {
            assert_eq!(first, br#"{"result":true,"pad":"x"}"#.to_vec());
        } else {
            assert_eq!(first, b"{\"r".to_vec());
        }
    }
    // Collected whole by the ordinary client, it is the filler JSON.
    post_json(
        s.addr,
        "/__emulator/fault",
        json!({"path":"/api/2/me","streamSize":300_000}),
    )
    .await;
    let r = get(s.addr, "/api/2/me", &[]).await;
    assert_eq!(r.body.len(), 300_000);
    let j = r.json();
    assert_eq!(j["result"], true);
    assert!(j["pad"].as_str().unwrap().bytes().all(|b| b == b'x'));
}

/// The binary streams a 1 GiB body without holding it: its peak RSS stays small.
#[test]
fn fault_stream_of_one_gib_is_generated_lazily() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_schacc-emulator"))
        .args(["--listen", "127.0.0.1:0", "--quiet"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port: u16 = first
        .trim_end()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let size = 1u64 << 30;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (total, last) = rt.block_on(async {
        let r = post_json(
            addr,
            "/__emulator/fault",
            json!({"path":"/ajax/logout.json","streamSize":size}),
        )
        .await;
        assert_eq!(r.status, 200);
        let (head, total, _, last) = stream_get(addr, "/ajax/logout.json?client_id=demo").await;
        assert_eq!(head.header("content-length"), None);
        (total, last)
    });
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    eprintln!(
        "stream: {size} bytes streamed; emulator peak RSS {} MB",
        peak_kb / 1024
    );
    assert_eq!(total, size);
    assert!(last.ends_with(br#"xx"}"#));
    assert!(peak_kb < 64 * 1024, "peak RSS {peak_kb} kB");
}
