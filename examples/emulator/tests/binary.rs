//! HTTP-level tests: the `schacc-emulator` binary: its first stdout lines (the
//! session service's second), bad arguments, `--help`, a taken address.

mod common;

use common::*;

#[test]
fn binary_prints_listening_line_with_real_port() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_schacc-emulator"))
        .env_remove("SCHACC_SESSION_LISTEN")
        .args([
            "--listen",
            "127.0.0.1:0",
            "--client",
            "shop",
            "--redirect-uri",
            "http://127.0.0.1:3000/bye",
            "--quiet",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = KillOnDrop(child);
    let mut stdout = BufReader::new(stdout);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    {
        let port: u16 = line
            .trim_end()
            .strip_prefix("schacc-emulator listening on http://127.0.0.1:")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        assert_ne!(port, 0);
        let mut rest = String::new();
        for _ in 0..3 {
            stdout.read_line(&mut rest).unwrap();
        }
        assert!(
            rest.contains("shop") && rest.contains("http://127.0.0.1:3000/bye"),
            "{rest}"
        );
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let r = tokio::runtime::Runtime::new().unwrap().block_on(get(
            addr,
            "/ajax/hasSession.json?client_id=shop",
            &[],
        ));
        assert_eq!(r.status, 401);
    }
}

#[test]
fn binary_rejects_bad_arguments_and_prints_help() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_schacc-emulator");
    for args in [
        &["--bogus"][..],
        &["--listen"][..],
        &["--redirect-uri", "http://x/"][..],
    ] {
        let out = Command::new(bin)
            .args(args)
            .env_remove("SCHACC_SESSION_LISTEN")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let out = Command::new(bin).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--redirect-uri"));
}

/// Starts the binary with `args` (and `env`); returns it and its first two stdout lines.
fn start_binary(args: &[&str], env: Option<(&str, &str)>) -> (KillOnDrop, String, String) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schacc-emulator"));
    cmd.args(args)
        .env_remove("SCHACC_SESSION_LISTEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let guard = KillOnDrop(child);
    let (mut first, mut second) = (String::new(), String::new());
    stdout.read_line(&mut first).unwrap();
    stdout.read_line(&mut second).unwrap();
    (guard, first, second)
}

struct KillOnDrop(std::process::Child);
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn port_of(line: &str, prefix: &str) -> u16 {
    line.trim_end()
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .parse()
        .unwrap()
}

#[test]
fn binary_prints_the_session_service_line_second() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    for env in [None, Some(("SCHACC_SESSION_LISTEN", "127.0.0.1:0"))] {
        let args: &[&str] = match env {
            None => &[
                "--listen",
                "127.0.0.1:0",
                "--quiet",
                "--session-listen",
                "127.0.0.1:0",
            ],
            Some(_) => &["--listen", "127.0.0.1:0", "--quiet"],
        };
        let (_guard, first, second) = start_binary(args, env);
        let schacc = port_of(&first, "schacc-emulator listening on http://127.0.0.1:");
        let session = port_of(&second, "session service listening on http://127.0.0.1:");
        assert_ne!(schacc, session);
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], session));
        let r = rt.block_on(get(addr, "/v2/session?client_id=demo", &[]));
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["userStatus"], "notConnected");
    }
    // Without it, the second line is what it was.
    let (_guard, _, second) = start_binary(&["--listen", "127.0.0.1:0", "--quiet"], None);
    assert_eq!(second.trim_end(), "base domain: localhost");
}

#[cfg(feature = "tls")]
#[test]
fn binary_with_tls_prints_https_for_both() {
    let (_guard, first, second) = start_binary(
        &[
            "--listen",
            "127.0.0.1:0",
            "--quiet",
            "--tls",
            "--session-listen",
            "127.0.0.1:0",
        ],
        None,
    );
    port_of(&first, "schacc-emulator listening on https://127.0.0.1:");
    port_of(&second, "session service listening on https://127.0.0.1:");
}

#[test]
fn binary_exits_1_when_the_session_address_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_schacc-emulator"))
        .args(["--listen", "127.0.0.1:0", "--session-listen", &addr])
        .env_remove("SCHACC_SESSION_LISTEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("session service"));
}
