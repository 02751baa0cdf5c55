//! Load: the emulator in-process under 50 concurrent connections and 20,000
//! requests that mix every endpoint the SDK and the tests use — log in,
//! hasSession, logout.json, token + /api/2/logout — within a hard time limit.
//! Half of the workers keep one connection alive for all their requests, half
//! open a fresh connection per request. Every answer is checked, and the
//! emulator's state afterwards must match exactly what the workers did.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use schacc_emulator::{start, ClientConfig, Config};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const WORKERS: usize = 50;
const REQUESTS_PER_WORKER: usize = 400; // 50 × 400 = 20,000
const HARD_LIMIT: Duration = Duration::from_secs(120);
const ORIGIN: &str = "http://127.0.0.1:8080";

struct Reply {
    status: u16,
    set_cookie: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// An HTTP/1.1 connection: kept alive, or reopened for every request.
struct Conn {
    addr: SocketAddr,
    keep_alive: bool,
    stream: Option<BufReader<TcpStream>>,
    sent: usize,
}

impl Conn {
    async fn send(&mut self, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
        if self.stream.is_none() || !self.keep_alive {
            self.stream = Some(BufReader::new(
                TcpStream::connect(self.addr).await.expect("connect"),
            ));
        }
        let mut head =
            format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nOrigin: {ORIGIN}\r\n");
        if !self.keep_alive {
            head.push_str("Connection: close\r\n");
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Content-Length: 0\r\n\r\n");
        let stream = self.stream.as_mut().unwrap();
        stream
            .get_mut()
            .write_all(head.as_bytes())
            .await
            .expect("write");
        self.sent += 1;
        read_reply(stream).await
    }
}

async fn read_reply(stream: &mut BufReader<TcpStream>) -> Reply {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = stream.read_u8().await.expect("response head");
        head.push(byte);
        assert!(head.len() < 64 * 1024, "response head too long");
    }
    let head = String::from_utf8(head).expect("UTF-8 head");
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("status line");
    let mut length = None;
    let mut set_cookie = None;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse::<usize>().expect("content-length"));
            } else if name.eq_ignore_ascii_case("set-cookie") {
                set_cookie = Some(value.to_owned());
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                panic!("unexpected transfer-encoding {value}");
            }
        }
    }
    let mut body = vec![0; length.unwrap_or(0)];
    stream.read_exact(&mut body).await.expect("body");
    Reply {
        status,
        set_cookie,
        body,
    }
}

/// What one worker did, for the consistency check afterwards.
#[derive(Default)]
struct Tally {
    requests: usize,
    logins: usize,
    logouts: usize,
    tokens: usize,
    revoked: usize,
}

/// One worker: user `user` logs in, is checked, logs out, is checked again,
/// gets a token and revokes it, over and over; its last cycle keeps the
/// session. Every answer is asserted.
async fn worker(addr: SocketAddr, user: usize, keep_alive: bool) -> Tally {
    let mut conn = Conn {
        addr,
        keep_alive,
        stream: None,
        sent: 0,
    };
    let mut tally = Tally::default();
    let has_session = "/ajax/hasSession.json?client_id=demo";
    while conn.sent < REQUESTS_PER_WORKER {
        let last = REQUESTS_PER_WORKER - conn.sent <= 6;
        // Log in.
        let login = conn
            .send(
                "GET",
                &format!("/__emulator/login?user_id={user}&format=json"),
                &[],
            )
            .await;
        assert_eq!(login.status, 200);
        assert_eq!(login.json()["userId"], user);
        let cookie = login
            .set_cookie
            .as_deref()
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_owned();
        tally.logins += 1;
        // The session is there, and it is this user's.
        let check = conn.send("GET", has_session, &[("Cookie", &cookie)]).await;
        assert_eq!(
            check.status,
            200,
            "{}",
            String::from_utf8_lossy(&check.body)
        );
        assert_eq!(check.json()["userId"], user);
        assert_eq!(check.json()["result"], true);
        if !last {
            // Log out, and the session is gone.
            let logout = conn
                .send(
                    "GET",
                    "/ajax/logout.json?client_id=demo",
                    &[("Cookie", &cookie)],
                )
                .await;
            assert_eq!(logout.status, 200);
            assert_eq!(logout.json()["result"], true);
            tally.logouts += 1;
            let gone = conn.send("GET", has_session, &[("Cookie", &cookie)]).await;
            assert_eq!(gone.status, 401);
            assert_eq!(gone.json()["error"]["type"], "UserException");
        }
        // A token, revoked through the API logout.
        let token = conn
            .send(
                "POST",
                &format!("/__emulator/token?user_id={user}&client_id=demo"),
                &[],
            )
            .await;
        assert_eq!(token.status, 200);
        let access = token.json()["access_token"]
            .as_str()
            .expect("token")
            .to_owned();
        tally.tokens += 1;
        let bearer = format!("Bearer {access}");
        let revoke = conn
            .send("GET", "/api/2/logout", &[("Authorization", &bearer)])
            .await;
        assert_eq!(revoke.status, 200);
        assert_eq!(revoke.json()["data"], "OK");
        tally.revoked += 1;
        if last {
            break;
        }
    }
    tally.requests = conn.sent;
    tally
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_requests_over_fifty_connections() {
    let server = start(Config {
        listen: "127.0.0.1:0".into(),
        base_domain: "localhost".into(),
        clients: vec![ClientConfig {
            id: "demo".into(),
            redirect_uris: vec![format!("{ORIGIN}/")],
        }],
        tls: false,
        log_requests: false,
    })
    .await
    .expect("server starts");
    let addr = server.addr;
    let started = Instant::now();
    let workers: Vec<_> = (1..=WORKERS)
        .map(|user| tokio::spawn(worker(addr, user, user % 2 == 0)))
        .collect();
    let all = async {
        let mut tallies = Vec::new();
        for worker in workers {
            tallies.push(worker.await.expect("a worker failed"));
        }
        tallies
    };
    let tallies = tokio::time::timeout(HARD_LIMIT, all)
        .await
        .expect("the load finished within the hard time limit");
    let elapsed = started.elapsed();
    let requests: usize = tallies.iter().map(|t| t.requests).sum();
    assert_eq!(requests, WORKERS * REQUESTS_PER_WORKER);
    eprintln!(
        "load: {requests} requests over {WORKERS} connections in {:.2?} ({:.0} req/s), 0 errors",
        elapsed,
        requests as f64 / elapsed.as_secs_f64()
    );

    // The state matches the operations: one live session per worker (its last
    // cycle kept it), every token minted and every one revoked.
    let mut conn = Conn {
        addr,
        keep_alive: true,
        stream: None,
        sent: 0,
    };
    let state = conn.send("GET", "/__emulator/state", &[]).await.json();
    let sessions = state["sessions"].as_array().expect("sessions");
    let mut users: Vec<u64> = sessions
        .iter()
        .map(|s| s["userId"].as_u64().expect("userId"))
        .collect();
    users.sort_unstable();
    assert_eq!(
        users,
        (1..=WORKERS as u64).collect::<Vec<_>>(),
        "one session per worker"
    );
    let tokens = state["tokens"].as_array().expect("tokens");
    let minted: usize = tallies.iter().map(|t| t.tokens).sum();
    assert_eq!(
        tokens.len(),
        minted,
        "every minted token pair is listed once"
    );
    assert!(
        tokens.iter().all(|t| t["revoked"] == true),
        "every token was revoked"
    );
    let logins: usize = tallies.iter().map(|t| t.logins).sum();
    let logouts: usize = tallies.iter().map(|t| t.logouts).sum();
    assert_eq!(logins - logouts, WORKERS);
    // The request log keeps the last 10,000 non-control requests: all answered as planned.
    let log = state["requests"].as_array().expect("requests");
    assert_eq!(log.len(), 10_000);
    assert!(log
        .iter()
        .all(|r| matches!(r["status"].as_u64(), Some(200) | Some(401))));
    server.shutdown();
}
