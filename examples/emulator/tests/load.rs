//! Load: the emulator in-process under 50 concurrent connections and 20,000
//! requests that mix every endpoint the SDK and the tests use — log in,
//! hasSession, logout.json, token + /api/2/logout — within a hard time limit.
//! Half of the workers keep one connection alive for all their requests, half
//! open a fresh connection per request. Every answer is checked, and the
//! emulator's state afterwards must match exactly what the workers did.
//!
//! Memory: the emulator binary gets 20,000 requests with 60 KB query strings
//! (logged requests, logins and tokens with 60 KB display names, 60 KB
//! tokens); its peak RSS and the size of `/__emulator/state` must stay small.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

mod common;

use common::conn::Conn;
use schacc_emulator::{start, ClientConfig, Config};

const WORKERS: usize = 50;
const REQUESTS_PER_WORKER: usize = 400; // 50 × 400 = 20,000
const HARD_LIMIT: Duration = Duration::from_secs(120);
const ORIGIN: &str = common::APP;

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
    let mut conn = Conn::new(addr, keep_alive);
    let mut tally = Tally::default();
    let has_session = "/ajax/hasSession.json?client_id=demo";
    while conn.sent < REQUESTS_PER_WORKER {
        let last = REQUESTS_PER_WORKER - conn.sent <= 6;
        // Log in.
        let login = conn
            .send(
                "POST",
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
        session_listen: None,
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
    let mut conn = Conn::new(addr, true);
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
    // The request log keeps the last 2,000 non-control requests: all answered as planned.
    let log = state["requests"].as_array().expect("requests");
    assert_eq!(log.len(), 2_000);
    assert!(log
        .iter()
        .all(|r| matches!(r["status"].as_u64(), Some(200) | Some(401))));
    server.shutdown();
}

const BIG_REQUESTS: usize = 20_000;
const BIG_CONNECTIONS: usize = 8;
const QUERY_BYTES: usize = 60 * 1024;
/// Peak RSS allowed for the emulator process (debug build) after the big requests.
const MAX_RSS_KB: u64 = 64 * 1024;
/// Largest `/__emulator/state` answer allowed.
const MAX_STATE_BYTES: usize = 2 * 1024 * 1024;

/// `VmRSS` and `VmHWM` (peak) of a process, in kB.
fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// One of the big requests: mostly logged protocol requests, some logins
/// and tokens with huge display names, some huge tokens.
async fn big_request(conn: &mut Conn, n: usize, pad: &str) {
    let referer = format!("{ORIGIN}/page?oauth_token={}", &pad[..2048]);
    let (method, target, expected) = match n % 20 {
        0 => (
            "POST",
            format!("/__emulator/login?format=json&user_id={n}&display_name={pad}"),
            200,
        ),
        1 => (
            "POST",
            format!("/__emulator/token?client_id=demo&user_id={n}&display_name={pad}"),
            200,
        ),
        2 => (
            "GET",
            format!("/logout?client_id=demo&oauth_token={pad}"),
            200,
        ),
        3 => ("GET", format!("/api/2/logout?oauth_token={pad}"), 401),
        _ => (
            "GET",
            format!("/ajax/hasSession.json?client_id=demo&n={n}&pad={pad}"),
            401,
        ),
    };
    let reply = conn.send(method, &target, &[("Referer", &referer)]).await;
    assert_eq!(reply.status, expected, "{method} {}", &target[..40]);
}

#[test]
fn big_queries_keep_memory_and_state_bounded() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    struct KillOnDrop(std::process::Child);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_schacc-emulator"))
        .args(["--listen", "127.0.0.1:0", "--quiet", "--client", "demo"])
        .args(["--redirect-uri", &format!("{ORIGIN}/")])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the emulator starts");
    let stdout = child.stdout.take().expect("stdout");
    let child = KillOnDrop(child);
    let pid = child.0.id();
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first line");
    let port: u16 = first
        .trim_end()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let (rss_start, _) = rss_kb(pid);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let state = runtime.block_on(async move {
        let pad = "x".repeat(QUERY_BYTES);
        let workers: Vec<_> = (0..BIG_CONNECTIONS)
            .map(|w| {
                let pad = pad.clone();
                tokio::spawn(async move {
                    let mut conn = Conn::new(addr, true);
                    for i in 0..BIG_REQUESTS / BIG_CONNECTIONS {
                        big_request(&mut conn, i * BIG_CONNECTIONS + w, &pad).await;
                    }
                })
            })
            .collect();
        let all = async {
            for worker in workers {
                worker.await.expect("a worker failed");
            }
        };
        tokio::time::timeout(HARD_LIMIT, all)
            .await
            .expect("the big requests finished within the hard time limit");
        Conn::new(addr, true)
            .send("GET", "/__emulator/state", &[])
            .await
    });
    let elapsed = started.elapsed();
    let (rss_end, rss_peak) = rss_kb(pid);
    let state_bytes = state.body.len();
    eprintln!(
        "memory: {BIG_REQUESTS} requests with {} KB queries in {elapsed:.2?}; emulator RSS {} MB at start, {} MB at the end, {} MB peak; /__emulator/state {} KB",
        QUERY_BYTES / 1024,
        rss_start / 1024,
        rss_end / 1024,
        rss_peak / 1024,
        state_bytes / 1024
    );
    assert_eq!(state.status, 200);
    let state = state.json();
    for list in ["requests", "sessions", "tokens"] {
        eprintln!(
            "memory: state.{list}: {} entries",
            state[list].as_array().map_or(0, Vec::len)
        );
    }
    assert!(
        state_bytes < MAX_STATE_BYTES,
        "/__emulator/state is {state_bytes} bytes"
    );
    assert!(
        rss_peak < MAX_RSS_KB,
        "the emulator's peak RSS was {rss_peak} kB"
    );
    drop(child);
}
