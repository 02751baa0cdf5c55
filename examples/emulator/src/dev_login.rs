//! The dev login of both doors (`/__emulator/login`). A login is a `POST`
//! whose `Origin` is the door's own page or a registered redirect URI's
//! origin; a `GET` only shows a page whose one button posts it. So no link,
//! image, other site's form or fetch can log a browser in (or end its
//! session). The login creates the session and sets its own door's cookie;
//! with the session service on, it hands the session to the other door
//! (see `crate::adopt`).

use hyper::body::Incoming;
use hyper::header::{
    HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_SECURITY_POLICY, HOST,
    ORIGIN, SET_COOKIE, X_FRAME_OPTIONS,
};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;

use crate::adopt::AdoptCode;
use crate::app::{App, Door};
use crate::request::{
    browsable, cookie_value, is_loopback_url, param, parse_query, path_with_query, split_host_port,
};
use crate::response::{
    allow_preflight, bad_request_json, empty, error_json, escape_html, html, json_resp,
    malformed_query_json, method_not_allowed, not_found, schacc_cookie, see_other,
    server_error_json, site_cookie, Body,
};
use crate::store::{
    now, random_hex, truncate, Grants, MAX_DISPLAY_NAME_BYTES, MAX_GRANTS, MAX_PRODUCT_ID_BYTES,
    SESSION_TTL_SECS,
};

/// Longest `return_to` (it may wait with an adopt code).
const MAX_RETURN_TO_BYTES: usize = 2048;

const RETURN_TO_RULE: &str =
    "return_to must be a registered redirect URI or an http(s) URL on a loopback host";

/// A request to the dev login, as it reads it.
pub(crate) struct Asked<'a> {
    pub(crate) door: Door,
    params: &'a [(String, String)],
    headers: &'a HeaderMap,
}

impl<'a> Asked<'a> {
    pub(crate) fn new(door: Door, params: &'a [(String, String)], headers: &'a HeaderMap) -> Self {
        Asked {
            door,
            params,
            headers,
        }
    }

    pub(crate) fn param(&self, name: &str) -> Option<&'a str> {
        param(self.params, name)
    }

    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        cookie_value(self.headers, name)
    }

    pub(crate) fn header(&self, name: HeaderName) -> Option<&'a str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What a login asks for.
pub(crate) struct Login<'a> {
    pub(crate) user_id: u64,
    pub(crate) display_name: String,
    pub(crate) return_to: Option<&'a str>,
    pub(crate) grants: Grants,
}

/// A comma-separated list of product ids (`products=P1,P2`): empty items are
/// skipped; at most [`MAX_GRANTS`] ids of at most [`MAX_PRODUCT_ID_BYTES`].
fn product_ids(list: Option<&str>) -> Result<Vec<String>, &'static str> {
    let ids: Vec<String> = list
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect();
    if ids.len() > MAX_GRANTS || ids.iter().any(|id| id.len() > MAX_PRODUCT_ID_BYTES) {
        return Err(
            "products and subscriptions: at most 64 ids of at most 128 bytes, comma-separated",
        );
    }
    Ok(ids)
}

impl App {
    /// The session service's `/__emulator/`: `login`, `adopt` and `confirm` only.
    pub(crate) async fn session_controls(&self, req: Request<Incoming>) -> Response<Body> {
        let mut resp = match parse_query(req.uri().query()) {
            Err(()) => malformed_query_json(),
            Ok(_) if req.method() == Method::OPTIONS => {
                let mut r = empty(StatusCode::NO_CONTENT);
                allow_preflight(&mut r, "GET, POST, OPTIONS", "Content-Type");
                r
            }
            Ok(params) => {
                let asked = Asked::new(Door::Session, &params, req.headers());
                self.dev_login(req.method(), req.uri().path(), &asked)
                    .unwrap_or_else(not_found)
            }
        };
        resp.headers_mut()
            .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        resp
    }

    /// `/__emulator/login`, `/adopt` and `/confirm` of either door; `None` for another path.
    pub(crate) fn dev_login(
        &self,
        method: &Method,
        path: &str,
        asked: &Asked,
    ) -> Option<Response<Body>> {
        Some(match (path, method) {
            ("/__emulator/login", &Method::GET) => self.login_page(asked),
            ("/__emulator/login", &Method::POST) => self.login(asked),
            ("/__emulator/adopt", &Method::GET) => self.adopt(asked),
            ("/__emulator/confirm", &Method::GET) => self.confirm(asked),
            ("/__emulator/login" | "/__emulator/adopt" | "/__emulator/confirm", _) => {
                method_not_allowed()
            }
            _ => return None,
        })
    }

    /// `GET /__emulator/login?…`: a page whose one button posts the same
    /// login to this door. It changes nothing and cannot be framed.
    fn login_page(&self, asked: &Asked) -> Response<Body> {
        let login = match self.login_params(asked) {
            Ok(login) => login,
            Err(msg) => return bad_request_json(msg),
        };
        let action = path_with_query("/__emulator/login", asked.params);
        let mut resp = html(
            StatusCode::OK,
            "Log in",
            &format!(
                "<form method=\"post\" action=\"{}\"><button type=\"submit\">Log in as {} (user {})</button></form>\n<p>Nothing changes until the button is pressed.</p>",
                escape_html(&action),
                escape_html(&login.display_name),
                login.user_id
            ),
        );
        let headers = resp.headers_mut();
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        );
        resp
    }

    /// `POST /__emulator/login?…` from an allowed `Origin`.
    fn login(&self, asked: &Asked) -> Response<Body> {
        if !self.login_origin_allowed(asked) {
            return error_json(
                StatusCode::FORBIDDEN,
                "ApiException",
                "A login is a POST from this door's own page or a registered redirect URI's origin",
            );
        }
        let login = match self.login_params(asked) {
            Ok(login) => login,
            Err(msg) => return bad_request_json(msg),
        };
        let handover = match self.handover_origins(asked.door, asked.params, asked.header(HOST)) {
            Ok(handover) => handover,
            Err(msg) => return bad_request_json(msg),
        };
        let old = asked.cookie(asked.door.cookie_name());
        let Some((cookie, adopt_url)) = self.start_session(asked.door, old, &login, handover)
        else {
            return server_error_json();
        };
        let mut resp = login_answer(asked, &login, adopt_url);
        resp.headers_mut().append(SET_COOKIE, cookie);
        resp
    }

    /// The session of a login at `door` (replacing `old`, the session of
    /// the door's cookie sent along) and, with `handover`, the one-time code
    /// that hands it to the other door, which then goes on to
    /// `login.return_to`. Returns the door's `Set-Cookie` and the other
    /// door's adopt URL; `None` when the CSPRNG failed.
    pub(crate) fn start_session(
        &self,
        door: Door,
        old: Option<String>,
        login: &Login,
        handover: Option<(String, String)>,
    ) -> Option<(HeaderValue, Option<String>)> {
        let (id, code, sp_id) = (random_hex(16)?, random_hex(16)?, random_hex(12)?);
        let cookie = self.door_cookie(door, &id)?;
        let now = now();
        let mut store = self.store();
        if let Some(old) = old {
            store.sessions.remove(&old);
        }
        store.insert_session(
            id.clone(),
            login.user_id,
            &login.display_name,
            login.grants.clone(),
            sp_id,
            now,
        );
        let adopt_url = handover.map(|origins| {
            let return_to = login.return_to.map(str::to_string);
            let adopt = AdoptCode::new(id, door.other(), return_to, origins, now);
            let url = adopt.adopt_url(&code);
            store.add_adopt_code(code, adopt, now);
            url
        });
        Some((cookie, adopt_url))
    }

    fn login_params<'a>(&self, asked: &Asked<'a>) -> Result<Login<'a>, &'static str> {
        let user_id = match asked.param("user_id").map(str::parse::<u64>) {
            None => 1001,
            Some(Ok(n)) => n,
            Some(Err(_)) => return Err("user_id must be a non-negative integer"),
        };
        let display_name = asked
            .param("display_name")
            .map(str::to_string)
            .unwrap_or_else(|| format!("Test User {user_id}"));
        let return_to = asked.param("return_to");
        if let Some(url) = return_to {
            if url.len() > MAX_RETURN_TO_BYTES || HeaderValue::from_str(url).is_err() {
                return Err("return_to is not a usable URL");
            }
            if self.doors.session.is_some() && !self.return_to_allowed(url) {
                return Err(RETURN_TO_RULE);
            }
        }
        let grants = Grants {
            products: product_ids(asked.param("products"))?,
            subscriptions: product_ids(asked.param("subscriptions"))?,
        };
        Ok(Login {
            user_id,
            display_name: truncate(&display_name, MAX_DISPLAY_NAME_BYTES),
            return_to,
            grants,
        })
    }

    /// A login's `Origin`: this door's own (as the browser reached it, see
    /// [`App::reached_origin`]) or the origin of a registered redirect URI.
    /// Missing, `null` or anything else is refused.
    pub(crate) fn login_origin_allowed(&self, asked: &Asked) -> bool {
        self.origin_allowed(asked.door, asked.header(ORIGIN), asked.header(HOST))
    }

    /// [`App::login_origin_allowed`] for a request to `door` with these
    /// `Origin` and `Host` headers.
    pub(crate) fn origin_allowed(
        &self,
        door: Door,
        origin: Option<&str>,
        host: Option<&str>,
    ) -> bool {
        let Some(origin) = origin else {
            return false;
        };
        self.all_origins.contains(origin)
            || self
                .reached_origin(door, host)
                .is_some_and(|own| own.eq_ignore_ascii_case(origin))
    }

    /// The origin the browser used for `door` (its `Host` header `host`),
    /// when it is one [`App::door_origin`] accepts: never a name a page
    /// could rebind.
    pub(crate) fn reached_origin(&self, door: Door, host: Option<&str>) -> Option<String> {
        let origin = format!("{}://{}", self.scheme(), host?);
        self.door_origin(door, Some(&origin)).ok()
    }

    /// With the session service on: the login's door as the browser reached
    /// it (`host`), and the other door as the browser will reach it (the
    /// query's `session_origin` on SchAcc, `schacc_origin` on the service).
    pub(crate) fn handover_origins(
        &self,
        door: Door,
        params: &[(String, String)],
        host: Option<&str>,
    ) -> Result<Option<(String, String)>, &'static str> {
        if self.doors.session.is_none() {
            return Ok(None);
        }
        let requested = match door {
            Door::SchAcc => param(params, "session_origin"),
            Door::Session => param(params, "schacc_origin"),
        };
        let adopt_origin = self.door_origin(door.other(), requested)?;
        let login_origin = match self.reached_origin(door, host) {
            Some(origin) => origin,
            None => self.door_origin(door, None)?,
        };
        Ok(Some((login_origin, adopt_origin)))
    }

    pub(crate) fn door_cookie(&self, door: Door, id: &str) -> Option<HeaderValue> {
        match door {
            Door::SchAcc => schacc_cookie(id),
            Door::Session => site_cookie(id, self.doors.https),
        }
    }

    /// A registered redirect URI of any client, or an http(s) URL on a loopback host.
    fn return_to_allowed(&self, url: &str) -> bool {
        self.clients
            .values()
            .any(|c| c.redirect_uris.iter().any(|u| u == url))
            || is_loopback_url(url)
    }

    fn scheme(&self) -> &'static str {
        if self.doors.https {
            "https"
        } else {
            "http"
        }
    }

    /// The origin of `door` as the browser should reach it: `requested` if
    /// it is that door's scheme and port on `localhost`, a loopback address
    /// or its bound address, else (none requested) SchAcc as
    /// `localhost:PORT` and the session service at its bound address
    /// (`127.0.0.1:PORT`).
    pub(crate) fn door_origin(
        &self,
        door: Door,
        requested: Option<&str>,
    ) -> Result<String, &'static str> {
        let scheme = self.scheme();
        let target = match door {
            Door::SchAcc => self.doors.schacc,
            Door::Session => self
                .doors
                .session
                .ok_or("The session service is not enabled")?,
        };
        let Some(requested) = requested else {
            let ip = target.ip();
            return Ok(match door {
                Door::SchAcc if ip.is_loopback() || ip.is_unspecified() => {
                    format!("{scheme}://localhost:{}", target.port())
                }
                _ => format!(
                    "{scheme}://{}",
                    std::net::SocketAddr::new(browsable(ip), target.port())
                ),
            });
        };
        const BAD: &str = "The other listener's origin must be its scheme, a loopback host (or its address) and its port";
        let rest = requested
            .strip_prefix(scheme)
            .and_then(|r| r.strip_prefix("://"))
            .ok_or(BAD)?;
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = split_host_port(authority).ok_or(BAD)?;
        let host_ok = host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback() || ip == target.ip());
        if port != target.port() || !host_ok {
            return Err(BAD);
        }
        Ok(format!("{scheme}://{authority}"))
    }
}

/// The answer to a login: JSON with `format=json`; else on to the other
/// door's adopt, or to `return_to`, or a page that says so.
fn login_answer(asked: &Asked, login: &Login, adopt_url: Option<String>) -> Response<Body> {
    if asked.param("format") == Some("json") {
        let mut body = json!({"userId": login.user_id, "displayName": login.display_name, "expiresIn": SESSION_TTL_SECS});
        if let Some(url) = adopt_url {
            body["adopt"] = json!(url);
        }
        return json_resp(StatusCode::OK, body);
    }
    match adopt_url
        .as_deref()
        .or(login.return_to)
        .map(HeaderValue::from_str)
    {
        Some(Ok(location)) => see_other(location),
        Some(Err(_)) => server_error_json(),
        None => logged_in_page(&login.display_name, login.user_id),
    }
}

pub(crate) fn logged_in_page(display_name: &str, user_id: u64) -> Response<Body> {
    html(
        StatusCode::OK,
        "Logged in",
        &format!(
            "<p>Logged in as {} (user {user_id}).</p>",
            escape_html(display_name)
        ),
    )
}
