//! Accepting connections (plain or TLS) and serving HTTP/1.1 on them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use crate::app::{self, Door};
use crate::tls::Acceptor;
use crate::MAX_HEAD_BYTES;

pub(crate) async fn accept_loop(
    listener: TcpListener,
    app: Arc<app::App>,
    acceptor: Option<Acceptor>,
    door: Door,
) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(s) => s,
            Err(_) => {
                // e.g. EMFILE: back off briefly and keep serving.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        #[cfg_attr(not(feature = "tls"), allow(clippy::clone_on_copy))]
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match acceptor {
                None => serve(TokioIo::new(stream), app, peer, door).await,
                #[cfg(feature = "tls")]
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream))
                            .await;
                    if let Ok(Ok(tls_stream)) = handshake {
                        serve(TokioIo::new(tls_stream), app, peer, door).await;
                    }
                }
                #[cfg(not(feature = "tls"))]
                Some(()) => serve(TokioIo::new(stream), app, peer, door).await,
            }
        });
    }
}

async fn serve<I>(io: I, app: Arc<app::App>, peer: SocketAddr, door: Door)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |req| {
        let app = app.clone();
        async move { app.handle(req, peer, door).await }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .max_header_size(MAX_HEAD_BYTES)
        .max_buf_size(MAX_HEAD_BYTES);
    // Errors (garbage input, dropped faults, client resets) just end the connection.
    let _ = builder.serve_connection(io, service).await;
}
