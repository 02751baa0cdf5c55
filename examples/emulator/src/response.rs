//! Response builders shared by the protocol handlers and the controls.

use hyper::header::{
    HeaderValue, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_MAX_AGE, CACHE_CONTROL, CONTENT_TYPE, LOCATION,
};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::request::{COOKIE_NAME, SITE_COOKIE_NAME};

pub(crate) use crate::body::Body;

pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `Set-Cookie` that expires the `schacc_session` cookie.
pub(crate) fn expired_cookie() -> HeaderValue {
    HeaderValue::from_static("schacc_session=; Max-Age=0; HttpOnly; Secure; SameSite=None; Path=/")
}

/// `Set-Cookie` of the session service's first-party cookie (`Secure` over https).
pub(crate) fn site_cookie(id: &str, https: bool) -> Option<HeaderValue> {
    let secure = if https { "Secure; " } else { "" };
    HeaderValue::from_str(&format!(
        "{SITE_COOKIE_NAME}={id}; HttpOnly; {secure}SameSite=Lax; Path=/"
    ))
    .ok()
}

/// `Set-Cookie` that expires the session service's cookie.
pub(crate) fn expired_site_cookie(https: bool) -> HeaderValue {
    if https {
        HeaderValue::from_static(
            "schacc_site_session=; Max-Age=0; HttpOnly; Secure; SameSite=Lax; Path=/",
        )
    } else {
        HeaderValue::from_static("schacc_site_session=; Max-Age=0; HttpOnly; SameSite=Lax; Path=/")
    }
}

/// `Set-Cookie` of SchAcc's session cookie.
pub(crate) fn schacc_cookie(id: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={id}; HttpOnly; Secure; SameSite=None; Path=/"
    ))
    .ok()
}

pub(crate) fn empty(status: StatusCode) -> Response<Body> {
    let mut r = Response::new(Body::full(Vec::new()));
    *r.status_mut() = status;
    r
}

/// `302 Found` to `location`, not cached.
pub(crate) fn found(location: HeaderValue) -> Response<Body> {
    redirect(StatusCode::FOUND, location)
}

/// `303 See Other` to `location` (the answer to a `POST`), not cached.
pub(crate) fn see_other(location: HeaderValue) -> Response<Body> {
    redirect(StatusCode::SEE_OTHER, location)
}

fn redirect(status: StatusCode, location: HeaderValue) -> Response<Body> {
    let mut r = empty(status);
    r.headers_mut().insert(LOCATION, location);
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub(crate) fn json_resp(status: StatusCode, v: Value) -> Response<Body> {
    let mut r = Response::new(Body::full(v.to_string()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub(crate) fn html(status: StatusCode, title: &str, body: &str) -> Response<Body> {
    let page = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{t} - SchAcc emulator</title><link rel=\"icon\" href=\"data:,\"></head>\n<body><h1>{t}</h1>\n{body}\n</body></html>\n",
        t = escape_html(title)
    );
    let mut r = Response::new(Body::full(page));
    *r.status_mut() = status;
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub(crate) fn error_json(status: StatusCode, kind: &str, description: &str) -> Response<Body> {
    json_resp(
        status,
        json!({"error": {"code": status.as_u16(), "type": kind, "description": description}}),
    )
}

pub(crate) fn bad_request_json(description: &str) -> Response<Body> {
    error_json(StatusCode::BAD_REQUEST, "ApiException", description)
}

pub(crate) fn malformed_query_json() -> Response<Body> {
    bad_request_json("Malformed query string")
}

pub(crate) fn server_error_json() -> Response<Body> {
    error_json(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ServerException",
        "Random number generator failed",
    )
}

pub(crate) fn invalid_token() -> Response<Body> {
    error_json(
        StatusCode::UNAUTHORIZED,
        "OAuthException",
        "Invalid or revoked token",
    )
}

pub(crate) fn not_found() -> Response<Body> {
    error_json(
        StatusCode::NOT_FOUND,
        "NotFoundException",
        "No such endpoint",
    )
}

pub(crate) fn method_not_allowed() -> Response<Body> {
    error_json(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowedException",
        "Method not allowed",
    )
}

/// The headers that let a preflighted request through (cached for 10 minutes).
pub(crate) fn allow_preflight(
    response: &mut Response<Body>,
    methods: &'static str,
    headers: &'static str,
) {
    let h = response.headers_mut();
    h.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
    );
    h.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(headers),
    );
    h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
}
