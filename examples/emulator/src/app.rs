//! The application: registered clients, the shared store, and the split
//! between the `/__emulator/` controls and the logged protocol endpoints.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::{Method, Request, Response};

use crate::protocol::authorize::AUTHORIZE_PATH;
use crate::redact::{redact, redact_authorization, redact_query, redact_url};
use crate::request::{origin_of, parse_query, Info, COOKIE_NAME, SITE_COOKIE_NAME};
use crate::response::Body;
use crate::store::{truncate, LogEntry, Store, MAX_FIELD_BYTES};
use crate::Config;

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an emulator fault")
    }
}

impl std::error::Error for DropConnection {}

/// Which listener a request came in on: SchAcc itself, or the site's
/// first-party session service (`--session-listen`). Both share the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Door {
    SchAcc,
    Session,
}

impl Door {
    /// The cookie holding the session id at this door.
    pub(crate) fn cookie_name(self) -> &'static str {
        match self {
            Door::SchAcc => COOKIE_NAME,
            Door::Session => SITE_COOKIE_NAME,
        }
    }

    /// `listener` of a request log entry.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Door::SchAcc => "schacc",
            Door::Session => "session",
        }
    }

    pub(crate) fn other(self) -> Door {
        match self {
            Door::SchAcc => Door::Session,
            Door::Session => Door::SchAcc,
        }
    }
}

/// Where the listeners are bound, and their scheme.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Doors {
    pub(crate) https: bool,
    pub(crate) schacc: SocketAddr,
    pub(crate) session: Option<SocketAddr>,
}

/// A registered client: its exact redirect URIs and their origins.
pub(crate) struct Client {
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) origins: HashSet<String>,
}

pub(crate) struct App {
    pub(crate) clients: HashMap<String, Client>,
    /// Origins of every registered client's redirect URIs (CORS on `/api/*`).
    pub(crate) all_origins: HashSet<String>,
    pub(crate) base_domain: String,
    pub(crate) doors: Doors,
    log_requests: bool,
    store: Mutex<Store>,
}

impl App {
    pub(crate) fn new(config: &Config, doors: Doors) -> App {
        let mut clients = HashMap::new();
        let mut all_origins = HashSet::new();
        for c in &config.clients {
            let origins: HashSet<String> = c
                .redirect_uris
                .iter()
                .filter_map(|u| origin_of(u))
                .collect();
            all_origins.extend(origins.iter().cloned());
            clients.insert(
                c.id.clone(),
                Client {
                    redirect_uris: c.redirect_uris.clone(),
                    origins,
                },
            );
        }
        App {
            clients,
            all_origins,
            base_domain: config.base_domain.clone(),
            doors,
            log_requests: config.log_requests,
            store: Mutex::new(Store::default()),
        }
    }

    /// The store; a handler that panicked while holding it does not wedge the server.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) async fn handle(
        &self,
        req: Request<Incoming>,
        peer: SocketAddr,
        door: Door,
    ) -> Result<Response<Body>, DropConnection> {
        let path = req.uri().path();
        if path == "/__emulator" || path.starts_with("/__emulator/") {
            return Ok(match door {
                Door::SchAcc => self.controls(req, peer).await,
                Door::Session => self.session_controls(req).await,
            });
        }
        let mut info = Info::new(&req, door);
        if door == Door::SchAcc && info.method == Method::POST && info.path == AUTHORIZE_PATH {
            info.form = read_form(req).await;
        } else {
            drop(req);
        }
        let result = self.public(&info, door).await;
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        let cut = |s: &str| truncate(s, MAX_FIELD_BYTES);
        let query = info
            .query
            .as_deref()
            .map(|q| cut(&redact_query(q)))
            .unwrap_or_default();
        let path = cut(&info.path);
        if self.log_requests {
            let q = if info.query.is_some() {
                format!("?{query}")
            } else {
                String::new()
            };
            let prefix = match door {
                Door::SchAcc => "",
                Door::Session => "session service: ",
            };
            match status {
                Some(s) => eprintln!("{prefix}{} {path}{q} -> {s}", info.method),
                None => eprintln!("{prefix}{} {path}{q} -> dropped (fault)", info.method),
            }
        }
        let entry = LogEntry {
            method: cut(info.method.as_str()),
            path,
            query,
            cookie: info.cookie.is_some(),
            authorization: info.authorization.is_some(),
            origin: info.origin.as_deref().map(cut),
            referer: info.referer.as_deref().map(|r| cut(&redact_url(r))),
            status,
            session_id: info.cookie.as_deref().map(|c| cut(&redact(c))),
            credentials: info
                .authorization
                .as_deref()
                .map(|a| cut(&redact_authorization(a))),
            listener: door.name(),
        };
        self.store().log(entry);
        result
    }
}

/// Longest form body read (`POST /oauth/authorize`).
const MAX_FORM_BYTES: usize = 16 * 1024;

/// The fields of an `application/x-www-form-urlencoded` body (none for
/// another content type); `Err` when it is too large or malformed.
async fn read_form(req: Request<Incoming>) -> Result<Vec<(String, String)>, ()> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Ok(Vec::new());
    }
    let body = Limited::new(req.into_body(), MAX_FORM_BYTES)
        .collect()
        .await
        .map_err(|_| ())?
        .to_bytes();
    let text = std::str::from_utf8(&body).map_err(|_| ())?;
    parse_query(Some(text))
}
