//! HTTP-level tests: The `schacc-emulator` binary: its first stdout line, bad arguments, `--help`.

mod common;

use common::*;

#[test]
fn binary_prints_listening_line_with_real_port() {
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
        let out = Command::new(bin).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let out = Command::new(bin).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--redirect-uri"));
}
