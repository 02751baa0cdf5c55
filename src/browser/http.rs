//! One request to SchAcc (or the site's session service) through the JS
//! transport (`pkg-template/shell.js`: fetch, no redirect followed, a
//! timeout that covers the body, the body read up to the cap), then the
//! answer read into the core's `Reply`.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use super::executor::settled;
use super::js;
use crate::core::config::Method;
use crate::core::error::{ErrorCode, Message, SdkError};
use crate::core::response::{is_json_media_type, Body, Fields, Reply, MAX_BODY_BYTES};

#[wasm_bindgen(module = "/pkg-template/shell.js")]
extern "C" {
    /// The fetch itself: `[status, redirected, contentType, text | null]`
    /// (`null`: over `max` bytes). Kept in JS, where it is a few lines.
    #[wasm_bindgen(js_name = request)]
    fn transport(url: &str, post: bool, token: &str, timeout: u32, max: u32) -> Promise;
}

pub enum Credentials<'a> {
    /// The SchAcc session cookie goes along (`credentials: 'include'`).
    Cookie,
    /// No cookie; the token goes in `Authorization: Bearer` only.
    Bearer(&'a str),
}

/// The answer: the core's view, the parsed JSON body for the page, and the
/// body's text (for the session cache).
pub struct Answer {
    pub reply: Reply,
    pub json: JsValue,
    pub text: JsValue,
}

/// Why the transport rejected: `true` for the network (fetch's `TypeError`:
/// offline, refused, CORS, a dropped connection), anything else for the time
/// running out (its timeout is its only abort).
fn failure(network: JsValue) -> SdkError {
    if network == JsValue::TRUE {
        SdkError::new(ErrorCode::Network, Message::NoAnswer)
    } else {
        SdkError::new(ErrorCode::Timeout, Message::NoAnswerInTime)
    }
}

/// One request; `Credentials::Bearer` sends no cookie, `Credentials::Cookie`
/// sends it. A redirect is never followed: another origin's answer is no
/// evidence, and a followed redirect would lose the `Authorization` header.
pub async fn request(
    method: Method,
    url: &str,
    credentials: Credentials<'_>,
    timeout_ms: u32,
) -> Result<Answer, SdkError> {
    let token = match credentials {
        Credentials::Cookie => "",
        // The core let only printable ASCII through: always a valid header value.
        Credentials::Bearer(token) => token,
    };
    let post = method == Method::Post;
    let reply: Array =
        settled(transport(url, post, token, timeout_ms, MAX_BODY_BYTES as u32).into())
            .await
            .map_err(failure)?
            .unchecked_into();
    if reply.get(1) == JsValue::TRUE {
        return Err(SdkError::redirect());
    }
    let status = reply.get(0).as_f64().map_or(0, |status| status as u16);
    if (300..400).contains(&status) {
        return Err(SdkError::redirect());
    }
    let text = reply.get(3);
    Ok(
        if !is_json_media_type(reply.get(2).as_string().as_deref()) {
            answer(status, Body::NotJson, JsValue::UNDEFINED)
        } else if text.is_null() {
            answer(status, Body::TooLarge, JsValue::UNDEFINED)
        } else {
            read_json(status, &text)
        },
    )
}

fn answer(status: u16, body: Body, json: JsValue) -> Answer {
    Answer {
        reply: Reply { status, body },
        json,
        text: JsValue::UNDEFINED,
    }
}

/// A `200` answer whose body is `text` (JSON), as the session cache keeps it.
pub fn read_json(status: u16, text: &JsValue) -> Answer {
    // `text` is the transport's string (never `null` here).
    let parsed = Some(js::parse_json(text)).filter(|json| !json.is_undefined());
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
    let mut answer = answer(status, body, parsed.unwrap_or(JsValue::UNDEFINED));
    answer.text = text.clone();
    answer
}
