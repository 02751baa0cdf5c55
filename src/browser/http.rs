//! One GET to SchAcc: fetch with a timeout signal that covers the body too,
//! then the answer read into the core's `Reply`.

use js_sys::{JsString, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCache, RequestCredentials, RequestInit, Response};

use super::js;
use crate::core::error::{ErrorCode, SdkError};
use crate::core::response::{Body, Fields, Reply, MAX_BODY_CHARS};
use crate::core::url::parse_decimal;

#[wasm_bindgen]
extern "C" {
    // The globals, so the SDK also works where there is no `window` (workers).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
    /// `AbortSignal.timeout(ms)`: aborts with a `TimeoutError`, no timer of ours to clear.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn timeout_signal(ms: u32) -> AbortSignal;
    type BodyStream;
    #[wasm_bindgen(method)]
    fn cancel(this: &BodyStream) -> Promise;
    // Takes the JS string as is: the body is never copied into wasm memory.
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

pub async fn get(
    url: &str,
    credentials: Credentials<'_>,
    timeout_ms: u32,
) -> Result<Answer, SdkError> {
    // Method GET and mode 'cors' are fetch's defaults.
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(&timeout_signal(timeout_ms)));
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
    let response: Response = JsFuture::from(global_fetch(url, &init))
        .await
        .map_err(failure)?
        .unchecked_into();
    let status = response.status();
    let declared_length = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| parse_decimal(&length));
    if declared_length.is_some_and(|length| length > MAX_BODY_CHARS as u64) {
        // Stop the download: nothing of it will be read.
        let body = js::get(&response, "body");
        if !body.is_null() {
            let _ = body.unchecked_into::<BodyStream>().cancel();
        }
        return Ok(Answer {
            reply: Reply {
                status,
                body: Body::TooLarge,
            },
            json: JsValue::UNDEFINED,
        });
    }
    let text_promise = response.text().map_err(failure)?;
    let text = JsFuture::from(text_promise).await.map_err(failure)?;
    Ok(read_body(status, &text))
}

fn read_body(status: u16, text: &JsValue) -> Answer {
    let too_large = text
        .dyn_ref::<JsString>()
        .map_or(true, |text| text.length() as usize > MAX_BODY_CHARS);
    let parsed = if too_large {
        None
    } else {
        json_parse(text).ok()
    };
    let body = match &parsed {
        _ if too_large => Body::TooLarge,
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
    Answer {
        reply: Reply { status, body },
        json: parsed.unwrap_or(JsValue::UNDEFINED),
    }
}
