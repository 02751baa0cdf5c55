// SPiD JS SDK 2.x's rules, for global.js: what a 2.x callback gets from an answer, what is cached and for how
// long, when the Varnish cookie SP_ID is set and on which domain, which events a change of session fires. The
// core decides (crates/core/src/spid2.rs, the session-diff rule of session.rs) through global.js's own wasm,
// built with the `spid2` feature (src/spid2.rs); this file reads what the wasm needs and shapes what 2.x's
// callbacks get. Everything but the first four is called only once the wasm is there (a client exists).
//
// What 2.x answers synchronously, before any wasm can be there (SPiD.options(), SPiD.sessionCache), takes the
// core's lists from names.js and compares an entry's expiry here. tests/spid2-rules.json holds the cases both
// faces must answer alike: `cargo test` runs them through the core, tests/e2e/spid2-conformance.test.mjs
// through this file and the wasm.

import { EVENTS, MESSAGES, MESSAGE_NO_ANSWER, MESSAGE_NO_ANSWER_IN_TIME, SPID2_DEFAULTS, SPID2_KEY_PREFIX, SPID2_NO_STATUS_CODE, SPID2_STORAGES } from './names.js';
import * as rules from './schacc_sdk.js';

/** `SPiD.options()`: a copy of the page's options, each one it left `undefined` at 2.6.0's default. */
export function options(given) {
  const copy = { ...given };
  for (const key in SPID2_DEFAULTS) if (copy[key] === undefined) copy[key] = SPID2_DEFAULTS[key];
  copy.storage = given.storage || SPID2_DEFAULTS.storage;
  return copy;
}

/** Where the session cache lives: one of SPID2_STORAGES; a name 2.x did not know is the first (`'localstorage'`). */
export const storage = (options) => (SPID2_STORAGES.includes(options.storage) ? options.storage : SPID2_STORAGES[0]);

/** The cache entry's name: `spid_js_<client_id>`, or `spid_js_<client_id>_<suffix>` (`prd<P>`, `sub<P>`). */
export const cacheKey = (clientId, suffix) => SPID2_KEY_PREFIX + clientId + (suffix ? '_' + suffix : '');

/** Whether a cache entry (with 2.x's `_expires`, a date) is still good at `now` (ms); one without `_expires` is. */
export const fresh = (entry, now) => !entry._expires || !(new Date(entry._expires).getTime() < now);

/** A failure with no answer of SchAcc's to show, as 2.x reported it: `{ type: 'communication', code, description }`. */
export const communication = (description, code) => ({ type: 'communication', code: code || SPID2_NO_STATUS_CODE, description });

/** SchAcc's `error` object in an answer (`{ code, type, description }`): a 2.x callback's `err`; else `null`. */
export const errorOf = (data) => (data && typeof data.error == 'object' && !Array.isArray(data.error) && data.error) || null;

/** Seconds to keep a `hasSession` answer, 0 for not at all. */
export const sessionTtl = (options, err, data) => rules.sessionTtl(options, !!err, data);

/** Seconds to keep a `hasProduct`/`hasSubscription` answer. */
export const assetTtl = rules.assetTtl;

/** Whether a logged-in answer sets the Varnish cookie `SP_ID`. */
export const varnish = rules.varnish;

/** Seconds `SP_ID` lives (0: the cookie is expired). */
export const varnishTtl = rules.varnishTtl;

/** The `Domain` of 2.x's cookies (`SP_ID`, `spid_js_<client_id>`) on a page of `host`, or `null` (the host alone). */
export const cookieDomain = (baseDomain, host) => rules.cookieDomain(baseDomain, String(host)) ?? null;

/** The user an answer names: its `userId` when `result` is `true`, else `null`. */
export const userOf = rules.userOf;

/** A request that got no answer (its rejection's `name`): no answer in time, or none at all. */
export const unreachable = (name) => communication(MESSAGES[rules.unansweredInTime(String(name)) ? MESSAGE_NO_ANSWER_IN_TIME : MESSAGE_NO_ANSWER]);

/**
 * What a 2.x callback gets, `[err, data]`, from SchAcc's answer to `hasproduct.json`, `hassubscription.json` or
 * `acceptAgreement.json`: its `status` (0 for a redirect, which is not followed), `contentType` and body `text`
 * (`null` when not read: over 64 KiB). An answer with an `error` object is `[error, answer]`; a 200 with a
 * boolean `result` is `[null, answer]`; anything else is a communication error and `{}`.
 */
export function answer(status, contentType, text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {}
  if (!data || typeof data != 'object' || Array.isArray(data)) data = undefined;
  const kind = rules.answer(status, contentType ?? undefined, data);
  return kind == 1 ? [data.error, data] : kind ? [communication('Unexpected answer from SchAcc', kind), {}] : [null, data];
}

/** The events a change of session fires, in order: `previous` and `next` are `{ user, status }`, `seen` whether a user was ever seen. */
export function events(previous, next, seen) {
  const text = (status) => (status == null ? undefined : String(status));
  const bits = rules.events(previous.user, text(previous.status), next.user, text(next.status), seen);
  return EVENTS.filter((name, i) => bits & (1 << i));
}

/** The session to diff a logout SchAcc confirmed against: it had a user, even one this page never saw. */
export const beforeLogout = (state) => (state.user != null && state.status != 'notConnected' ? state : { user: {}, status: 'connected' });
