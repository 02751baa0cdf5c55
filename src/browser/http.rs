//! One request to SchAcc (or the site's session service): fetch with a
//! timeout signal that covers the body too,
//! no redirect followed, the body read as a stream up to the cap, then the
//! answer read into the core's `Reply`.

use js_sys::{Array, JsString, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, RequestCache, RequestCredentials, RequestInit, RequestRedirect, Response,
};

use super::js;
use crate::core::config::Method;
use crate::core::error::{ErrorCode, SdkError};
use crate::core::response::{is_json_media_type, Body, Fields, Reply, MAX_BODY_BYTES};

#[wasm_bindgen]
extern "C" {
    // The globals, so the SDK also works where there is no `window` (workers).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
    /// `AbortSignal.timeout(ms)`: aborts with a `TimeoutError`, no timer of ours to clear.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn timeout_signal(ms: u32) -> AbortSignal;
    type BodyStream;
    #[wasm_bindgen(method, js_name = getReader)]
    fn get_reader(this: &BodyStream) -> BodyReader;
    type BodyReader;
    #[wasm_bindgen(method)]
    fn read(this: &BodyReader) -> Promise;
    #[wasm_bindgen(method)]
    fn cancel(this: &BodyReader) -> Promise;
    type Blob;
    #[wasm_bindgen(constructor)]
    fn new(parts: &Array) -> Blob;
    /// Decodes the bytes as UTF-8 into a JS string, never copied into wasm memory.
    #[wasm_bindgen(method)]
    fn text(this: &Blob) -> Promise;
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

pub enum Credentials<'a> {
    /// The SchAcc session cookie goes along (`credentials: 'include'`).
    Cookie,
    /// No cookie; the token goes in `Authorization: Bearer` only.
    Bearer(&'a str),
}

/// The answer: the core's view, and the parsed JSON body for the page.
pub struct Answer {
    pub reply: Reply,
    pub json: JsValue,
}

/// Why a fetch or its body read was rejected: the timeout signal's
/// `TimeoutError`, or anything else the network layer says.
fn failure(rejection: JsValue) -> SdkError {
    if js::get(&rejection, "name").as_string().as_deref() == Some("TimeoutError") {
        SdkError::new(ErrorCode::Timeout, "SchAcc did not answer in time")
    } else {
        SdkError::new(
            ErrorCode::Network,
            "Could not reach SchAcc (network, CORS or server down)",
        )
    }
}

async fn settle(promise: Promise) -> Result<JsValue, SdkError> {
    JsFuture::from(promise).await.map_err(failure)
}

pub async fn request(
    method: Method,
    url: &str,
    credentials: Credentials<'_>,
    timeout_ms: u32,
) -> Result<Answer, SdkError> {
    // Method GET and mode 'cors' are fetch's defaults. A POST has no body: a
    // "simple" request, so no preflight.
    let init = RequestInit::new();
    if method == Method::Post {
        init.set_method("POST");
    }
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(&timeout_signal(timeout_ms)));
    // A redirect is never followed: another origin's answer is no evidence,
    // and a followed redirect would lose the `Authorization` header.
    init.set_redirect(RequestRedirect::Manual);
    match credentials {
        Credentials::Cookie => init.set_credentials(RequestCredentials::Include),
        Credentials::Bearer(token) => {
            init.set_credentials(RequestCredentials::Omit);
            // The core let only printable ASCII through: always a valid header value.
            let mut value = String::with_capacity(7 + token.len());
            value.push_str("Bearer ");
            value.push_str(token);
            let headers = js_sys::Object::new();
            js::set(&headers, "Authorization", &JsValue::from_str(&value));
            init.set_headers(&headers);
        }
    }
    let response: Response = settle(global_fetch(url, &init)).await?.unchecked_into();
    let status = response.status();
    if response.type_() == web_sys::ResponseType::Opaqueredirect || (300..400).contains(&status) {
        return Err(SdkError::redirect());
    }
    let content_type = response.headers().get("content-type").ok().flatten();
    let stream = js::get(&response, "body");
    let reader = (!stream.is_null()).then(|| stream.unchecked_into::<BodyStream>().get_reader());
    if !is_json_media_type(content_type.as_deref()) {
        stop(reader.as_ref());
        return Ok(answer(status, Body::NotJson, JsValue::UNDEFINED));
    }
    let Some(reader) = reader else {
        return Ok(answer(status, Body::NotJson, JsValue::UNDEFINED));
    };
    let Some(text) = read_capped(&reader).await? else {
        stop(Some(&reader));
        return Ok(answer(status, Body::TooLarge, JsValue::UNDEFINED));
    };
    Ok(read_json(status, &text))
}

/// Stops a download nothing will read.
fn stop(reader: Option<&BodyReader>) {
    if let Some(reader) = reader {
        // Its promise settles on its own; a failure to cancel changes nothing.
        let _ = reader.cancel();
    }
}

/// The body as text, or `None` once it grows past `MAX_BODY_BYTES`: however
/// large or endless the body, no more than the cap (plus one chunk) is read.
async fn read_capped(reader: &BodyReader) -> Result<Option<JsValue>, SdkError> {
    let chunks = Array::new();
    let mut total = 0usize;
    loop {
        let step = settle(reader.read()).await?;
        if js::get(&step, "done").is_truthy() {
            break;
        }
        let chunk: Uint8Array = js::get(&step, "value").unchecked_into();
        total = total.saturating_add(chunk.length() as usize);
        if total > MAX_BODY_BYTES {
            return Ok(None);
        }
        chunks.push(&chunk);
    }
    settle(Blob::new(&chunks).text()).await.map(Some)
}

fn answer(status: u16, body: Body, json: JsValue) -> Answer {
    Answer {
        reply: Reply { status, body },
        json,
    }
}

fn read_json(status: u16, text: &JsValue) -> Answer {
    let parsed = text
        .dyn_ref::<JsString>()
        .and_then(|text| json_parse(text).ok());
    let body = match &parsed {
        None => Body::NotJson,
        Some(json) if js::is_plain_object(json) => Body::Object(Fields {
            result: js::field(json, "result"),
            user_id: js::field(json, "userId"),
            user_status: js::field(json, "userStatus"),
            error_type: js::field(&js::get(json, "error"), "type"),
            code: js::field(json, "code"),
        }),
        Some(_) => Body::NotObject,
    };
    answer(status, body, parsed.unwrap_or(JsValue::UNDEFINED))
}
