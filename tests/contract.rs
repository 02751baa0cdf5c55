//! One source for the JavaScript contract: the event names, error codes and
//! fallback reasons the Rust core defines are exactly the ones the package's
//! JavaScript and type declarations spell out (`pkg-template/`).

use std::collections::BTreeSet;

use schacc_sdk::browser::client::Operation;
use schacc_sdk::core::error::{ErrorCode, Message};
use schacc_sdk::core::fallback::Reason;
use schacc_sdk::core::session::Event;

fn template(name: &str) -> String {
    let path = format!("{}/pkg-template/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The quoted strings (either quote) of `source` between `start` and the
/// first `end` after it.
fn quoted_between(source: &str, start: &str, end: &str) -> Vec<String> {
    let from = source
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found"))
        + start.len();
    let body = &source[from..];
    let body = &body[..body
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?}"))];
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find(['\'', '"']) {
        let quote = &rest[open..=open];
        let after = &rest[open + 1..];
        let close = after.find(quote).expect("closed quote");
        out.push(after[..close].to_owned());
        rest = &after[close + 1..];
    }
    out
}

fn event_names() -> Vec<String> {
    Event::ALL
        .iter()
        .map(|event| event.name().to_owned())
        .collect()
}

fn set(items: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    items.into_iter().collect()
}

#[test]
fn event_lists_follow_the_wasm_indices() {
    // index.js maps the wasm's event index to a name: order matters.
    assert_eq!(
        quoted_between(&template("index.js"), "const EVENTS = [", "]"),
        event_names()
    );
    // global.js (SPiD 2.x drop-in) lists the names it lets pages subscribe to.
    assert_eq!(
        set(quoted_between(&template("global.js"), "EVENTS = [", "]")),
        set(event_names())
    );
}

#[test]
fn declared_event_names_are_the_core_events() {
    let types = template("index.d.ts");
    let mut declared = quoted_between(&types, "export type SessionEventName =", ";");
    declared.extend(quoted_between(
        &types,
        "export type EventName = SessionEventName |",
        ";",
    ));
    assert_eq!(set(declared), set(event_names()));
}

#[test]
fn declared_error_codes_are_the_core_codes_and_the_loaders() {
    let types = template("index.d.ts");
    let declared = set(quoted_between(&types, "export type SdkErrorCode =", ";"));
    let core = set(ErrorCode::ALL.iter().map(|code| code.as_str().to_owned()));
    // Codes the loader raises itself, before anything reaches wasm.
    let loader = template("index.js");
    let thrown: BTreeSet<String> = loader
        .match_indices("new SdkError(")
        .filter_map(|(at, call)| quoted_between(&loader[at..], call, ",").into_iter().next())
        .collect();
    let expected: BTreeSet<String> = core.union(&thrown).cloned().collect();
    assert!(
        declared.is_superset(&core),
        "{declared:?} lacks some of {core:?}"
    );
    assert_eq!(
        declared, expected,
        "every declared code is raised somewhere"
    );
}

#[test]
fn declared_fallback_reasons_are_the_core_reasons() {
    let types = template("index.d.ts");
    let declared = set(quoted_between(&types, "reason:", ";"));
    let core = set(Reason::ALL
        .iter()
        .filter_map(|reason| reason.as_str())
        .map(str::to_owned));
    assert_eq!(
        declared, core,
        "the reasons besides a failed fetch's SdkErrorCode"
    );
}

#[test]
fn the_loader_numbers_the_operations_as_run_does() {
    let loader = template("index.js");
    for operation in Operation::ALL {
        let declaration = format!("const {} = {};", operation.name(), operation as u8);
        assert!(
            loader.contains(&declaration),
            "index.js lacks `{declaration}`"
        );
    }
}

#[test]
fn the_shell_spells_error_codes_and_messages_by_the_wasms_numbers() {
    let shell = template("shell.js");
    for (number, code) in ErrorCode::ALL.into_iter().enumerate() {
        assert_eq!(code as usize, number, "ErrorCode::ALL is in number order");
    }
    assert_eq!(
        quoted_between(&shell, "const CODES = [", "]"),
        ErrorCode::ALL.map(|code| code.as_str().to_owned())
    );
    for (number, message) in Message::ALL.into_iter().enumerate() {
        assert_eq!(message as usize, number, "Message::ALL is in number order");
    }
    assert_eq!(
        quoted_between(&shell, "const MESSAGES = [", "];"),
        Message::ALL.map(|message| message.text().to_owned())
    );
}
