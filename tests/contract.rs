//! One source for the JavaScript contract. Every name that crosses the
//! boundary (event names, error codes and messages, fallback reasons,
//! operation numbers, option keys, length limits) is a Rust list, written as
//! one module, `names.js` (`schacc_sdk::names`), which the JavaScript
//! imports. These tests check that the checked-in copy is fresh, that the
//! numbers the wasm passes are the lists' indices, that no JavaScript file
//! spells a name of the lists itself, and that the type declarations name the
//! same sets.

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
    quoted(body)
}

/// Every string literal (single or double quotes) of `source`, comments left out.
fn quoted(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in source.lines() {
        let code = line.trim_start();
        if code.starts_with("//") || code.starts_with('*') || code.starts_with("/*") {
            continue;
        }
        let mut rest = code;
        while let Some(open) = rest.find(['\'', '"']) {
            let quote = &rest[open..=open];
            let after = &rest[open + 1..];
            let Some(close) = after.find(quote) else {
                break;
            };
            out.push(after[..close].to_owned());
            rest = &after[close + 1..];
        }
    }
    out
}

fn set<S: Into<String>>(items: impl IntoIterator<Item = S>) -> BTreeSet<String> {
    items.into_iter().map(Into::into).collect()
}

#[test]
fn names_js_is_written_from_the_rust_lists() {
    assert!(
        template("names.js") == schacc_sdk::names::javascript(),
        "pkg-template/names.js is stale: run `cargo run -p schacc-sdk --example emit-names -- pkg-template/names.js`"
    );
}

#[test]
fn the_wasm_passes_each_name_by_its_index_in_the_list() {
    for (index, code) in ErrorCode::ALL.into_iter().enumerate() {
        assert_eq!(code as usize, index, "ErrorCode::ALL is in number order");
    }
    for (index, message) in Message::ALL.into_iter().enumerate() {
        assert_eq!(message as usize, index, "Message::ALL is in number order");
    }
    for (index, event) in Event::ALL.into_iter().enumerate() {
        assert_eq!(event as usize, index, "Event::ALL is in number order");
    }
    for (index, operation) in Operation::ALL.into_iter().enumerate() {
        assert_eq!(
            operation as usize, index,
            "Operation::ALL is in number order"
        );
        assert_eq!(Operation::try_from(index as u8), Ok(operation));
    }
    assert!(Operation::try_from(Operation::ALL.len() as u8).is_err());
    // `REASONS` holds the reasons with words; `Failed`, the last, reads as an error code.
    for (index, reason) in Reason::ALL.into_iter().enumerate() {
        assert_eq!(reason as usize, index, "Reason::ALL is in number order");
        assert_eq!(reason.as_str().is_none(), reason == Reason::Failed);
    }
    assert_eq!(Reason::ALL.last(), Some(&Reason::Failed));
}

#[test]
fn no_javascript_file_spells_a_name_of_the_lists() {
    let names = set(Event::ALL.map(Event::name))
        .into_iter()
        .chain(set(ErrorCode::ALL.map(ErrorCode::as_str)))
        .chain(set(Message::ALL.map(Message::text)))
        .chain(set(Reason::ALL.into_iter().filter_map(Reason::as_str)))
        .collect::<BTreeSet<_>>();
    for file in ["shell.js", "index.js", "global.js"] {
        let spelled: BTreeSet<String> = quoted(&template(file))
            .into_iter()
            .filter(|literal| names.contains(literal))
            .collect();
        assert!(
            spelled.is_empty(),
            "{file} spells {spelled:?}: import the names from names.js (EVENTS[EVENT_…], CODES[CODE_…], MESSAGES[MESSAGE_…])"
        );
    }
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
    assert_eq!(set(declared), set(Event::ALL.map(Event::name)));
}

#[test]
fn declared_error_codes_are_the_core_codes() {
    let types = template("index.d.ts");
    assert_eq!(
        set(quoted_between(&types, "export type SdkErrorCode =", ";")),
        set(ErrorCode::ALL.map(ErrorCode::as_str))
    );
}

#[test]
fn declared_fallback_reasons_are_the_core_reasons() {
    let types = template("index.d.ts");
    assert_eq!(
        set(quoted_between(&types, "reason:", ";")),
        set(Reason::ALL.into_iter().filter_map(Reason::as_str)),
        "the reasons besides a failed fetch's SdkErrorCode"
    );
}
