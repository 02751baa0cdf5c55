//! The browser shell in headless Chromium (wasm-bindgen-test), talking to a
//! real emulator whose URL `scripts/test.mjs` passes in `SCHACC_EMULATOR_URL`.
//! This browser profile blocks third-party cookies, so these tests cover what
//! needs no cookie; the Playwright tests cover the cookie flows.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect};
use schacc_sdk::browser::client::Operation;
use schacc_sdk::core::session::Event;
use schacc_sdk::{call, create_client, free_client};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = env!("SCHACC_EMULATOR_URL");
const CLIENT_ID: &str = "wasm-test";

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

/// The options of a test client: without the session cache (`cacheTtl: 0`), as these tests count requests and
/// promises per call (tests/e2e/cache.test.mjs tests the cache), unless `pairs` say otherwise.
fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    Reflect::set(&object, &"clientId".into(), &CLIENT_ID.into()).unwrap();
    Reflect::set(&object, &"server".into(), &SERVER.into()).unwrap();
    Reflect::set(&object, &"cacheTtl".into(), &0.into()).unwrap();
    for (key, value) in pairs {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

/// An `emit` that records nothing.
fn ignore() -> Function {
    Function::new_no_args("")
}

/// The client's operations, called as `index.js` calls them: `call(number, argument)`.
trait Operations {
    fn run(&self, operation: Operation, arg: JsValue) -> Result<JsValue, JsValue>;
    fn has_session(&self) -> Promise {
        self.run(Operation::HasSession, JsValue::UNDEFINED)
            .unwrap()
            .into()
    }
    fn logout(&self) -> Promise {
        self.run(Operation::Logout, JsValue::UNDEFINED)
            .unwrap()
            .into()
    }
    fn api_logout(&self, token: JsValue) -> Promise {
        self.run(Operation::ApiLogout, token).unwrap().into()
    }
    fn logout_url(&self, args: JsValue) -> Result<String, JsValue> {
        self.run(Operation::LogoutUrl, args)
            .map(|url| url.as_string().unwrap())
    }
    fn session(&self) -> JsValue {
        self.run(Operation::Session, JsValue::UNDEFINED).unwrap()
    }
    fn destroy(&self) {
        self.run(Operation::Destroy, JsValue::UNDEFINED).unwrap();
    }
}

/// A client by its handle, as `index.js` holds it.
struct Client(u32);

impl Client {
    fn new(options: JsValue, emit: Function) -> Result<Client, JsValue> {
        create_client(options, emit).map(Client)
    }
}

impl Operations for Client {
    fn run(&self, operation: Operation, arg: JsValue) -> Result<JsValue, JsValue> {
        call(self.0, operation as u8, arg)
    }
}

fn client(pairs: &[(&str, JsValue)]) -> Client {
    Client::new(options(pairs), ignore()).unwrap()
}

/// A client whose events are recorded by name into a JS array, as the loader's
/// dispatcher would receive them.
fn recorded(pairs: &[(&str, JsValue)]) -> (Client, Array) {
    let log = Array::new();
    let names: Array = Event::ALL
        .iter()
        .map(|event| JsValue::from(event.name()))
        .collect();
    let emit = Function::new_with_args(
        "log, names",
        "return (events) => names.forEach((name, index) => events & (1 << index) && log.push(name))",
    )
        .call2(&JsValue::NULL, &log, &names)
        .unwrap();
    (Client::new(options(pairs), emit.into()).unwrap(), log)
}

fn names(log: &Array) -> Vec<String> {
    log.iter().map(|v| v.as_string().unwrap()).collect()
}

async fn control(path: &str, method: &str, body: Option<&str>) -> JsValue {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&body.into());
    }
    let window = web_sys::window().unwrap();
    let url = format!("{SERVER}/__emulator/{path}");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .unwrap()
        .into();
    JsFuture::from(response.json().unwrap())
        .await
        .unwrap_or(JsValue::NULL)
}

async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

/// Injects a fault at the emulator (`POST /__emulator/fault`).
async fn fault(spec: &str) {
    control("fault", "POST", Some(spec)).await;
}

fn code(error: &JsValue) -> String {
    get(error, "code").as_string().unwrap()
}

#[wasm_bindgen_test]
fn bad_options_are_invalid_config_errors() {
    for bad in [
        JsValue::NULL,
        "x".into(),
        options(&[("clientId", "".into())]),
        options(&[("server", "ftp://x".into())]),
        options(&[("timeout", (-1).into())]),
    ] {
        let error = Client::new(bad, ignore()).err().unwrap();
        assert_eq!(code(&error), "invalid_config");
        assert_eq!(get(&error, "name"), "SdkError");
        assert!(error.is_instance_of::<js_sys::Error>());
    }
}

#[wasm_bindgen_test]
fn initial_session_and_logout_url() {
    let client = client(&[("redirectUri", "https://news.example/a b".into())]);
    let session = client.session();
    assert_eq!(get(&session, "userStatus"), "unknown");
    assert_eq!(get(&session, "result"), false);
    assert!(get(&session, "userId").is_null());
    let url = client.logout_url(JsValue::UNDEFINED).unwrap();
    assert_eq!(
        url,
        format!(
            "{SERVER}/logout?client_id=wasm-test&redirect_uri=https%3A%2F%2Fnews.example%2Fa%20b"
        )
    );
    let error = client.logout_url("not an object".into()).err().unwrap();
    assert_eq!(code(&error), "invalid_argument");
}

#[wasm_bindgen_test]
async fn has_session_without_cookie_is_logged_out_not_an_error() {
    let (client, log) = recorded(&[]);
    let session = settle(client.has_session()).await.unwrap();
    assert_eq!(get(&session, "result"), false);
    assert_eq!(get(&session, "userStatus"), "notConnected");
    assert_eq!(names(&log), ["SPiD.statusChange", "SPiD.notLoggedin"]);
}

#[wasm_bindgen_test]
async fn concurrent_has_session_calls_share_one_promise() {
    let client = client(&[]);
    let first = client.has_session();
    let second = client.has_session();
    assert!(JsValue::from(&first) == JsValue::from(&second));
    settle(first).await.unwrap();
    let third = client.has_session();
    assert!(
        JsValue::from(&third) != JsValue::from(&second),
        "a finished call is not reused"
    );
    settle(third).await.unwrap();
}

#[wasm_bindgen_test]
async fn api_logout_revokes_a_token() {
    let token = control("token?user_id=7&client_id=wasm-test", "POST", None).await;
    let token = get(&token, "access_token");
    let client = client(&[]);
    settle(client.api_logout(token.clone())).await.unwrap();
    let again = settle(client.api_logout(token)).await.err().unwrap();
    assert_eq!(code(&again), "http");
    assert_eq!(get(&again, "status"), 401);
}

#[wasm_bindgen_test]
async fn timeout_aborts_the_request() {
    fault(r#"{"path":"/ajax/hasSession.json","delayMs":2000,"times":1}"#).await;
    let (client, log) = recorded(&[("timeout", 300.into())]);
    let error = settle(client.has_session()).await.err().unwrap();
    assert_eq!(code(&error), "timeout");
    assert_eq!(names(&log), ["SPiD.error"]);
    assert_eq!(
        get(&client.session(), "userStatus"),
        "unknown",
        "a failure leaves the session unchanged"
    );
}

#[wasm_bindgen_test]
async fn oversized_and_malformed_answers_are_invalid_response() {
    let client = client(&[]);
    fault(r#"{"path":"/ajax/logout.json","bodySize":5000000,"times":1}"#).await;
    assert_eq!(
        code(&settle(client.logout()).await.err().unwrap()),
        "invalid_response"
    );
    fault(r#"{"path":"/ajax/logout.json","body":"[1,2]","times":1}"#).await;
    assert_eq!(
        code(&settle(client.logout()).await.err().unwrap()),
        "invalid_response"
    );
    // The client still works: the logout resolves with the logged-out session.
    let session = settle(client.logout()).await.unwrap();
    assert_eq!(get(&session, "result"), false);
    assert_eq!(get(&session, "reason"), "no_session");
}

#[wasm_bindgen_test]
async fn unreachable_server_is_a_network_error() {
    let client = client(&[("server", "http://127.0.0.1:9".into())]);
    assert_eq!(
        code(&settle(client.logout()).await.err().unwrap()),
        "network"
    );
}

#[wasm_bindgen_test]
async fn destroy_silences_listeners_of_a_request_in_flight() {
    fault(r#"{"path":"/ajax/hasSession.json","delayMs":300,"times":1}"#).await;
    let (client, log) = recorded(&[]);
    let pending = client.has_session();
    client.destroy();
    // It settles (index.js turns the outcome into an error for the page), and fires nothing.
    settle(pending).await.unwrap();
    assert_eq!(log.length(), 0);
}

#[wasm_bindgen_test]
async fn a_freed_client_finishes_its_request_and_its_handle_is_refused() {
    fault(r#"{"path":"/ajax/hasSession.json","delayMs":200,"times":1}"#).await;
    let client = client(&[]);
    let pending = client.has_session();
    free_client(client.0);
    // The request runs to its end: the running operation holds the client.
    let session = settle(pending).await.unwrap();
    assert_eq!(get(&session, "userStatus"), "notConnected");
    let error = client
        .run(Operation::Session, JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert_eq!(code(&error), "invalid_argument");
    // A wrong operation number is an error too, never another operation.
    let other = self::client(&[]);
    let error = call(other.0, 200, JsValue::UNDEFINED).err().unwrap();
    assert_eq!(code(&error), "invalid_argument");
}

/// The SDK's allocator (`src/browser/alloc.rs`): blocks are aligned and keep
/// their bytes, and freed blocks are reused, so repeating work never grows
/// the page's wasm memory.
#[wasm_bindgen_test]
fn allocator_keeps_bytes_and_reuses_freed_blocks() {
    use std::alloc::{alloc, dealloc, Layout};
    use std::arch::wasm32::memory_size;

    let churn = || {
        let blocks: Vec<Vec<u64>> = (0..200u64)
            .map(|i| vec![i; 1 + (i as usize * 37) % 3000])
            .collect();
        for (i, block) in blocks.iter().enumerate() {
            assert_eq!(block.as_ptr() as usize % 8, 0);
            assert!(block.iter().all(|&word| word == i as u64));
        }
        // A block of several pages, and one aligned to a page.
        let big = vec![7u8; 300_000];
        assert!(big.iter().all(|&byte| byte == 7));
        let layout = Layout::from_size_align(100, 65_536).unwrap();
        // SAFETY: a layout of non-zero size; the block is handed back once, with it.
        unsafe {
            let block = alloc(layout);
            assert!(!block.is_null());
            assert_eq!(block as usize % 65_536, 0);
            dealloc(block, layout);
        }
        // A freed block of the same size class, reused for a request with a
        // larger alignment, must still meet it. The small boxes shift where
        // fresh blocks start.
        let plain = Layout::from_size_align(64, 8).unwrap();
        let over = Layout::from_size_align(40, 64).unwrap();
        let shifts: Vec<Box<u64>> = (0..16)
            .map(|i| {
                // SAFETY: `plain` has a non-zero size.
                let block = unsafe { alloc(plain) };
                // SAFETY: `block` was made for `plain` and is handed back once.
                unsafe { dealloc(block, plain) };
                // SAFETY: `over` has a non-zero size.
                let aligned = unsafe { alloc(over) };
                assert_eq!(aligned as usize % 64, 0);
                // SAFETY: `aligned` was made for `over` and is handed back once.
                unsafe { dealloc(aligned, over) };
                Box::new(i)
            })
            .collect();
        drop(shifts);
    };
    churn();
    let pages = memory_size(0);
    for _ in 0..50 {
        churn();
    }
    assert_eq!(
        memory_size(0),
        pages,
        "wasm memory grew while repeating the same work"
    );
}
