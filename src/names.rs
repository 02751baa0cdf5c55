//! Every name that crosses the boundary between the wasm and the JavaScript,
//! written from the Rust lists as one JavaScript module: error codes and
//! messages (`core::error`), event names (`core::session::Event`), fallback
//! reasons (`core::fallback::Reason`), operation numbers
//! (`browser::client::Operation`) and length limits. The wasm passes numbers;
//! the JavaScript (`pkg-template/shell.js`, `index.js`, `global.js`) imports
//! the names from this module and spells none of them itself.
//!
//! `scripts/build.mjs` writes it into the package's sources
//! (`examples/emit-names.rs`), and esbuild bundles it into each entry.
//! `pkg-template/names.js` is the same module checked in, for the
//! wasm-bindgen test runner (which copies `shell.js` and, because
//! `browser::js` names it, this module beside it, but runs no build) and for
//! reading; `tests/contract.rs` fails when it is stale. Native only: nothing
//! here reaches the wasm.

use std::fmt::Write;

use crate::browser::client::{Operation, OPTIONS, REDIRECT_OPTIONS};
use crate::core::config::{MAX_CLIENT_ID_LEN, MAX_TIMEOUT_MS, MAX_TOKEN_LEN};
use crate::core::error::{ErrorCode, Message};
use crate::core::fallback::Reason;
use crate::core::login::LOGIN_OPTIONS;
use crate::core::session::Event;
use crate::core::spid2::{self, DefaultValue, Storage};
use crate::core::url::MAX_URL_LEN;

/// The module's text.
pub fn javascript() -> String {
    let mut out = String::from(
        "// Every name that crosses the boundary between the wasm and the JavaScript, written from the Rust lists by\n\
         // src/names.rs: do not edit. `cargo run -p schacc-sdk --example emit-names -- pkg-template/names.js` writes\n\
         // it again; scripts/build.mjs writes the package's copy the same way, and tests/contract.rs fails when this\n\
         // one is stale. The wasm passes numbers; these are the words.\n",
    );
    section(
        &mut out,
        "`ErrorCode` (crates/core/src/error.rs): an `SdkError`'s `code`, by the number the wasm passes.",
    );
    list(&mut out, "CODES", ErrorCode::ALL.map(ErrorCode::as_str));
    numbers(
        &mut out,
        "CODE_",
        ErrorCode::ALL.map(|code| (code, code as u8)),
    );
    section(
        &mut out,
        "`Message` (crates/core/src/error.rs): an `SdkError`'s `message`, by number.",
    );
    list(&mut out, "MESSAGES", Message::ALL.map(Message::text));
    numbers(
        &mut out,
        "MESSAGE_",
        Message::ALL.map(|message| (message, message as u8)),
    );
    section(
        &mut out,
        "`Event` (crates/core/src/session.rs): the event names, by the index the wasm fires them with.",
    );
    list(&mut out, "EVENTS", Event::ALL.map(Event::name));
    numbers(
        &mut out,
        "EVENT_",
        Event::ALL.map(|event| (event, event as u8)),
    );
    section(
        &mut out,
        "`Reason` (crates/core/src/fallback.rs): `logoutWithFallback()`'s `reason`, by number. A failure (`Reason::Failed`,\n\
         // numbered right after these) is passed as that number plus its error's code: `[...REASONS, ...CODES][n]`.",
    );
    list(
        &mut out,
        "REASONS",
        Reason::ALL.into_iter().filter_map(Reason::as_str),
    );
    section(
        &mut out,
        "`Operation` (src/browser/client/operation.rs): what the wasm's `call` runs, by number.",
    );
    numbers(
        &mut out,
        "",
        Operation::ALL.map(|operation| (operation, operation as u8)),
    );
    section(
        &mut out,
        "The option keys the wasm reads (src/browser/client/operation.rs): of `createClient`'s options, and of\n\
         // `{ redirectUri, oauthToken }`. The loader copies just these.",
    );
    list(&mut out, "OPTIONS", OPTIONS);
    list(&mut out, "REDIRECT_OPTIONS", REDIRECT_OPTIONS);
    list(&mut out, "LOGIN_OPTIONS", LOGIN_OPTIONS);
    section(
        &mut out,
        "Limits (crates/core/src/config.rs, crates/core/src/url.rs), in UTF-8 bytes and milliseconds.",
    );
    for (name, value) in [
        ("MAX_URL_LEN", MAX_URL_LEN),
        ("MAX_CLIENT_ID_LEN", MAX_CLIENT_ID_LEN),
        ("MAX_TOKEN_LEN", MAX_TOKEN_LEN),
        ("MAX_TIMEOUT_MS", MAX_TIMEOUT_MS as usize),
    ] {
        let _ = writeln!(out, "export const {name} = {value};");
    }
    section(
        &mut out,
        "No string argument the SDK accepts is longer than this many UTF-8 bytes, so none longer than this many\n\
         // characters (UTF-16 units, never more than its bytes): the loader refuses longer ones before copying\n\
         // them into wasm memory, which never shrinks.",
    );
    let longest = MAX_URL_LEN.max(MAX_CLIENT_ID_LEN).max(MAX_TOKEN_LEN);
    let _ = writeln!(out, "export const MAX_TEXT = {longest};");
    section(
        &mut out,
        "SPiD JS SDK 2.x's lists (crates/core/src/spid2.rs), for what global.js answers before its wasm is there:\n\
         // 2.6.0's option defaults, the storages (the default first), the cache entries' prefix, and the `code` of a\n\
         // communication error without an HTTP status.",
    );
    let _ = writeln!(out, "export const SPID2_DEFAULTS = {{");
    for (key, value) in spid2::DEFAULTS {
        let value = match value {
            DefaultValue::Null => "null".to_string(),
            DefaultValue::Bool(flag) => flag.to_string(),
            DefaultValue::Number(n) => n.to_string(),
            DefaultValue::Text(text) => quoted(text),
            DefaultValue::EmptyObject => "{}".to_string(),
        };
        let _ = writeln!(out, "  {key}: {value},");
    }
    let _ = writeln!(out, "}};");
    list(&mut out, "SPID2_STORAGES", Storage::ALL.map(Storage::name));
    let prefix = quoted(spid2::CACHE_KEY_PREFIX);
    let _ = writeln!(out, "export const SPID2_KEY_PREFIX = {prefix};");
    let code = spid2::NO_STATUS_CODE;
    let _ = writeln!(out, "export const SPID2_NO_STATUS_CODE = {code};");
    out
}

fn section(out: &mut String, comment: &str) {
    let _ = write!(out, "\n// {comment}\n");
}

/// `export const NAME = ['…', …];`, one item a line when they are long.
fn list<'a>(out: &mut String, name: &str, items: impl IntoIterator<Item = &'a str>) {
    let items: Vec<String> = items.into_iter().map(quoted).collect();
    let one_line = format!("export const {name} = [{}];", items.join(", "));
    if one_line.len() <= 120 {
        let _ = writeln!(out, "{one_line}");
    } else {
        let _ = writeln!(out, "export const {name} = [");
        for item in items {
            let _ = writeln!(out, "  {item},");
        }
        let _ = writeln!(out, "];");
    }
}

/// `export const PREFIX_VARIANT_NAME = number;` for each item, named after
/// its Rust variant.
fn numbers<T: std::fmt::Debug>(
    out: &mut String,
    prefix: &str,
    items: impl IntoIterator<Item = (T, u8)>,
) {
    for (item, number) in items {
        let name = screaming_snake(&format!("{item:?}"));
        let _ = writeln!(out, "export const {prefix}{name} = {number};");
    }
}

/// `TooLong` → `TOO_LONG`.
fn screaming_snake(camel: &str) -> String {
    let mut out = String::new();
    for (at, c) in camel.chars().enumerate() {
        if c.is_uppercase() && at > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// A JavaScript string literal: single quotes, or double where the text has one.
fn quoted(text: &str) -> String {
    let quote = if text.contains('\'') { '"' } else { '\'' };
    let mut out = String::from(quote);
    for c in text.chars() {
        if c == quote || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_quotes() {
        assert_eq!(
            screaming_snake("LogoutWithFallback"),
            "LOGOUT_WITH_FALLBACK"
        );
        assert_eq!(quoted("it's"), "\"it's\"");
        assert_eq!(quoted("a 'b' \"c\""), "\"a 'b' \\\"c\\\"\"");
        assert_eq!(quoted("plain"), "'plain'");
    }
}
