//! The cases of `spid2-rules.json`, which `global.js` (its wasm through
//! `pkg-template/spid2.js`, and the few rules it answers before the wasm is
//! there) must answer alike (`tests/e2e/spid2-conformance.test.mjs`), run
//! through the core:
//! `crate::spid2` and the session-diff rule.

use schacc_core::cache::{self, Kept};
use schacc_core::error::Message;
use schacc_core::raw::Raw;
use schacc_core::session::{diff, Session, UserId};
use schacc_core::spid2::{self, Answer, Body, DefaultValue, Options, DEFAULTS};
use serde_json::{json, Map, Value};

/// A JSON value as the shell would read it into the core.
fn raw(value: Option<&Value>) -> Raw {
    match value {
        None | Some(Value::Null) => Raw::Absent,
        Some(Value::String(text)) => Raw::Text(text.clone()),
        Some(Value::Number(n)) => Raw::Number(n.as_f64().unwrap_or(f64::NAN)),
        Some(Value::Bool(flag)) => Raw::Bool(*flag),
        Some(_) => Raw::Other,
    }
}

fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(text)) => !text.is_empty(),
        Some(_) => true,
    }
}

fn options(value: &Value) -> Options {
    let has_session = value.get("cache").and_then(|cache| cache.get("hasSession"));
    Options {
        storage: raw(value.get("storage")),
        cache_has_session: truthy(has_session),
        ttl_seconds: raw(has_session.and_then(|rule| rule.get("ttlSeconds"))),
        set_varnish_cookie: raw(value.get("setVarnishCookie")),
        varnish_expiration: raw(value.get("varnish_expiration")),
        refresh_timeout: raw(value.get("refresh_timeout")),
        cache_time_no_asset: raw(value.get("cache_time_no_asset")),
    }
}

/// Whole numbers as JSON integers, as the corpus writes them (43200, not 43200.0).
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn user(value: &Value) -> Option<UserId> {
    match value {
        Value::Number(n) => Some(UserId::Number(n.as_f64().unwrap_or(f64::NAN))),
        Value::String(text) => Some(UserId::Text(text.clone())),
        _ => None,
    }
}

fn session(value: &Value) -> Session {
    Session {
        user: user(&value["user"]),
        status: value["status"].as_str().unwrap_or_default().to_string(),
    }
}

fn names(events: schacc_core::session::Events) -> Value {
    json!(events.iter().map(|event| event.name()).collect::<Vec<_>>())
}

fn communication(description: &str, code: u16) -> Value {
    json!({"type": "communication", "code": code, "description": description})
}

fn run(rule: &str, args: &[Value]) -> Value {
    let data = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    match rule {
        "options" => {
            let given = args[0].as_object().cloned().unwrap_or_default();
            let mut filled: Map<String, Value> = given.clone();
            for (name, default) in DEFAULTS {
                if !filled.contains_key(name) {
                    filled.insert(
                        name.to_string(),
                        match default {
                            DefaultValue::Null => Value::Null,
                            DefaultValue::Bool(flag) => json!(flag),
                            DefaultValue::Number(n) => number(n),
                            DefaultValue::Text(text) => json!(text),
                            DefaultValue::EmptyObject => json!({}),
                        },
                    );
                }
            }
            if !truthy(given.get("storage")) {
                filled.insert("storage".into(), json!("localstorage"));
            }
            Value::Object(filled)
        }
        "storage" => json!(spid2::storage(&raw(args[0].get("storage"))).name()),
        "cacheKey" => json!(spid2::cache_key(
            args[0].as_str().unwrap(),
            args[1].as_str().unwrap()
        )),
        "sessionTtl" => number(spid2::session_ttl(
            &options(&args[0]),
            truthy(args.get(1)),
            &raw(data(2).get("result")),
            &raw(data(2).get("expiresIn")),
        )),
        "assetTtl" => number(spid2::asset_ttl(
            &options(&args[0]),
            &raw(args[1].get("result")),
        )),
        "fresh" => {
            let kept = Kept {
                at: None,
                until: args[0].as_f64(),
            };
            json!(cache::answers(kept, args[1].as_f64().unwrap(), None))
        }
        "varnish" => json!(spid2::varnish(
            &options(&args[0]),
            &raw(args[1].get("sp_id"))
        )),
        "varnishTtl" => number(spid2::varnish_ttl(
            &options(&args[0]),
            &raw(args[1].get("expiresIn")),
        )),
        "cookieDomain" => json!(spid2::cookie_domain(
            &raw(args.first()),
            args[1].as_str().unwrap()
        )),
        "userOf" => {
            match spid2::user_of(&raw(args[0].get("result")), &raw(args[0].get("userId"))) {
                Some(UserId::Number(id)) => number(id),
                Some(UserId::Text(id)) => json!(id),
                _ => Value::Null,
            }
        }
        "communication" => {
            let status = args[1].as_u64().map(|status| status as u16);
            communication(args[0].as_str().unwrap(), spid2::communication_code(status))
        }
        "unreachable" => communication(
            if spid2::unanswered_in_time(args[0].as_str().unwrap()) {
                Message::NoAnswerInTime.text()
            } else {
                Message::NoAnswer.text()
            },
            spid2::communication_code(None),
        ),
        "answer" => {
            let status = args[0].as_u64().unwrap() as u16;
            let parsed: Option<Value> = args[2]
                .as_str()
                .and_then(|text| serde_json::from_str(text).ok())
                .filter(Value::is_object);
            let body = parsed.as_ref().map(|json| Body {
                error_object: json.get("error").is_some_and(Value::is_object),
                result: raw(json.get("result")),
            });
            match spid2::answer(status, args[1].as_str(), body.as_ref()) {
                Answer::Error => {
                    let json = parsed.unwrap();
                    json!([json["error"], json])
                }
                Answer::Data => json!([Value::Null, parsed.unwrap()]),
                Answer::Communication(code) => {
                    json!([communication("Unexpected answer from SchAcc", code), {}])
                }
            }
        }
        "events" => names(diff(
            &session(&args[0]),
            &session(&args[1]),
            args[2].as_bool().unwrap(),
        )),
        "logoutEvents" => names(diff(
            &session(&args[0]).before_confirmed_logout(),
            &Session::logged_out(),
            args[1].as_bool().unwrap(),
        )),
        other => panic!("unknown rule {other}"),
    }
}

#[test]
fn the_core_answers_every_case_of_spid2_rules_json() {
    let corpus: Value =
        serde_json::from_str(include_str!("spid2-rules.json")).expect("spid2-rules.json is JSON");
    let cases = corpus["cases"].as_array().expect("cases");
    assert!(cases.len() > 100);
    for case in cases {
        let rule = case["rule"].as_str().unwrap();
        let args = case["args"].as_array().unwrap();
        let got = run(rule, args);
        assert_eq!(got, case["expect"], "{rule}({args:?})");
    }
}
