//! A minimal HTTP/1.1 load generator: requests written as raw bytes on a
//! kept-alive (or per-request) connection, `Content-Length` responses read
//! back. Cheaper than a full client for tens of thousands of requests.

use std::net::SocketAddr;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::APP;

pub struct Reply {
    pub status: u16,
    pub set_cookie: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// An HTTP/1.1 connection: kept alive, or reopened for every request.
pub struct Conn {
    pub addr: SocketAddr,
    pub keep_alive: bool,
    pub stream: Option<BufReader<TcpStream>>,
    pub sent: usize,
}

impl Conn {
    pub fn new(addr: SocketAddr, keep_alive: bool) -> Conn {
        Conn {
            addr,
            keep_alive,
            stream: None,
            sent: 0,
        }
    }

    pub async fn send(&mut self, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
        if self.stream.is_none() || !self.keep_alive {
            self.stream = Some(BufReader::new(
                TcpStream::connect(self.addr).await.expect("connect"),
            ));
        }
        let mut head =
            format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nOrigin: {APP}\r\n");
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
