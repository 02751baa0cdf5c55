//! `schacc-emulator`: a local HTTP server that behaves like SchAcc (Schibsted
//! account) for the browser logout SDK. See `docs/PROTOCOL.md` for the wire
//! protocol it implements and the `/__emulator/` dev controls.
//!
//! Start it in-process with [`start`]:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let server = schacc_emulator::start(schacc_emulator::Config {
//!     listen: "127.0.0.1:0".into(),
//!     ..schacc_emulator::Config::default()
//! })
//! .await?;
//! println!("{}", server.url());
//! # Ok(()) }
//! ```

mod adopt;
mod app;
mod body;
mod cli;
mod controls;
mod cors;
mod dev_login;
mod faults;
mod listener;
mod protocol;
mod redact;
mod renewal;
mod request;
mod response;
mod routes;
mod store;
mod tls;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use cli::{parse_args, parse_args_with_env, CliAction, SESSION_LISTEN_ENV};

/// Maximum size of a request head (request line + headers); bigger heads get
/// `431 Request Header Fields Too Large` from hyper.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// A registered OAuth client and its exact redirect URIs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    pub id: String,
    pub redirect_uris: Vec<String>,
}

/// Server configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to bind, e.g. `127.0.0.1:9000` (port 0 picks a free port).
    pub listen: String,
    /// Value of `baseDomain` in `hasSession.json`.
    pub base_domain: String,
    /// Registered clients.
    pub clients: Vec<ClientConfig>,
    /// Serve HTTPS with a freshly generated self-signed certificate.
    pub tls: bool,
    /// Print one line per handled request to stderr.
    pub log_requests: bool,
    /// Also serve the site's first-party session service (`/v2/session` or
    /// `{path}/session`, `/v2/logout`, `{path}/logout`, `{path}/refresh`) on
    /// this address, sharing SchAcc's sessions.
    pub session_listen: Option<String>,
}

impl Config {
    /// The client registered when none is configured.
    pub fn default_clients() -> Vec<ClientConfig> {
        vec![ClientConfig {
            id: "demo".into(),
            redirect_uris: vec![
                "http://127.0.0.1:8080/".into(),
                "http://127.0.0.1:8080/logged-out.html".into(),
            ],
        }]
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:9000".into(),
            base_domain: "localhost".into(),
            clients: Config::default_clients(),
            tls: false,
            log_requests: false,
            session_listen: None,
        }
    }
}

/// A running emulator.
#[derive(Debug)]
pub struct Server {
    /// The address actually bound (real port when port 0 was asked for).
    pub addr: SocketAddr,
    /// The accept loop; abort it (or call [`Server::shutdown`]) to stop accepting.
    pub task: JoinHandle<()>,
    /// DER of the self-signed certificate when serving TLS (both listeners).
    pub certificate_der: Option<Vec<u8>>,
    /// The session service's address, when [`Config::session_listen`] is set.
    pub session_addr: Option<SocketAddr>,
    /// The session service's accept loop.
    pub session_task: Option<JoinHandle<()>>,
}

impl Server {
    /// `http://ADDR` or `https://ADDR`.
    pub fn url(&self) -> String {
        let scheme = if self.certificate_der.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The session service's `http://ADDR` or `https://ADDR`, when enabled.
    pub fn session_url(&self) -> Option<String> {
        let scheme = if self.certificate_der.is_some() {
            "https"
        } else {
            "http"
        };
        self.session_addr.map(|a| format!("{scheme}://{a}"))
    }

    /// Stop accepting new connections (on both listeners).
    pub fn shutdown(&self) {
        self.task.abort();
        if let Some(task) = &self.session_task {
            task.abort();
        }
    }
}

/// Bind, spawn the accept loop on the current tokio runtime and return.
pub async fn start(config: Config) -> io::Result<Server> {
    validate(&config)?;
    let listener = TcpListener::bind(config.listen.as_str()).await?;
    let addr = listener.local_addr()?;
    let session_listener = match &config.session_listen {
        Some(listen) => Some(TcpListener::bind(listen.as_str()).await?),
        None => None,
    };
    let session_addr = match &session_listener {
        Some(l) => Some(l.local_addr()?),
        None => None,
    };
    let (acceptor, certificate_der) = if config.tls {
        let (a, der) = tls::acceptor()?;
        (Some(a), Some(der))
    } else {
        (None, None)
    };
    let doors = app::Doors {
        https: config.tls,
        schacc: addr,
        session: session_addr,
    };
    let app = Arc::new(app::App::new(&config, doors));
    let session_task = session_listener.map(|l| {
        #[cfg_attr(not(feature = "tls"), allow(clippy::clone_on_copy))]
        let acceptor = acceptor.clone();
        tokio::spawn(listener::accept_loop(
            l,
            app.clone(),
            acceptor,
            app::Door::Session,
        ))
    });
    let task = tokio::spawn(listener::accept_loop(
        listener,
        app,
        acceptor,
        app::Door::SchAcc,
    ));
    Ok(Server {
        addr,
        task,
        certificate_der,
        session_addr,
        session_task,
    })
}

fn validate(config: &Config) -> io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    for c in &config.clients {
        if c.id.is_empty() {
            return Err(invalid("client id must not be empty"));
        }
        if !seen.insert(c.id.as_str()) {
            return Err(invalid(&format!("client {:?} registered twice", c.id)));
        }
        for u in &c.redirect_uris {
            if hyper::header::HeaderValue::from_str(u).is_err() || u.is_empty() {
                return Err(invalid(&format!(
                    "redirect URI {u:?} of client {:?} is not usable as a Location header",
                    c.id
                )));
            }
        }
    }
    Ok(())
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}
