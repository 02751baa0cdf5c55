// SPiD JS SDK 2.x's rules, for global.js: 2.6.0's options and their defaults, what a 2.x callback gets from an
// answer, what is cached and for how long, when the Varnish cookie SP_ID is set and on which domain, which
// events a change of session fires. Pure functions of their arguments: global.js does what they decide.
//
// They are the core's rules (crates/core/src/spid2.rs, with the session-diff rule of session.rs), written
// again here so that global.js needs nothing in the wasm that the module API's pages would carry for nothing
// (the module API's size budget, tests/e2e/budget.test.mjs). tests/spid2-rules.json holds the cases both must
// answer alike: `cargo test` runs them through the core, tests/e2e/spid2-conformance.test.mjs through this file.
// Event names and messages come from names.js, as everywhere.

import { EVENTS, MESSAGES, MESSAGE_NO_ANSWER, MESSAGE_NO_ANSWER_IN_TIME } from './names.js';

/** 2.6.0's defaults (spid-config.js); `refresh_timeout`, `varnish_expiration` and `cache_time_no_asset` in seconds. */
export const DEFAULTS = {
  server: null, client_id: null, cache: {}, logging: false, useSessionCluster: true, https: true,
  setVarnishCookie: null, storage: 'localstorage', timeout: 5000, refresh_timeout: 43200,
  varnish_expiration: 43200, cache_time_no_asset: 10,
};

const STORAGES = ['localstorage', 'cookie', 'cache', 'standard'];

/** A number above 0 (and finite), else 0. */
const positive = (value) => (typeof value == 'number' && value > 0 && value < Infinity ? value : 0);

/** `SPiD.options()`: a copy of the page's options, each one it left `undefined` at 2.6.0's default. */
export function options(given) {
  const copy = { ...given };
  for (const key in DEFAULTS) if (copy[key] === undefined) copy[key] = DEFAULTS[key];
  copy.storage = given.storage || DEFAULTS.storage;
  return copy;
}

/** Where the session cache lives: `'localstorage'` (also for a name 2.x did not know), `'cookie'`, `'cache'` (memory) or `'standard'` (nowhere). */
export const storage = (options) => (STORAGES.includes(options.storage) ? options.storage : STORAGES[0]);

/** The cache entry's name: `spid_js_<client_id>`, or `spid_js_<client_id>_<suffix>` (`prd<P>`, `sub<P>`). */
export const cacheKey = (clientId, suffix) => `spid_js_${clientId}${suffix ? '_' + suffix : ''}`;

/**
 * Seconds to keep a `hasSession` answer, 0 for not at all: a logged-in one for `cache.hasSession.ttlSeconds`,
 * else its `expiresIn`; any other only when the page set `cache.hasSession`, for `ttlSeconds` (or `expiresIn`).
 * Never an answer without a positive lifetime (2.x kept it for ever).
 */
export function sessionTtl(options, err, data) {
  const rule = options.cache && options.cache.hasSession;
  if (!rule && (err || data.result !== true)) return 0;
  return positive(rule && rule.ttlSeconds) || positive(data.expiresIn);
}

/**
 * Seconds to keep a `hasProduct`/`hasSubscription` answer: `refresh_timeout` when granted, else
 * `cache_time_no_asset`. A `refresh_timeout` of 60000 or more is milliseconds (2.0–2.5 pages wrote 900000 for
 * 15 minutes), a smaller one seconds (2.6.0's default, 43200, is 12 hours); never under 60 seconds.
 */
export function assetTtl(options, data) {
  if (data.result !== true) return positive(options.cache_time_no_asset);
  const refresh = positive(options.refresh_timeout) || DEFAULTS.refresh_timeout;
  return Math.max(refresh >= 60000 ? refresh / 1000 : refresh, 60);
}

/** Whether a cache entry (with 2.x's `_expires`, a date) is still good at `now` (ms); one without `_expires` is. */
export const fresh = (entry, now) => !entry._expires || !(new Date(entry._expires).getTime() < now);

/**
 * Whether a logged-in answer sets the Varnish cookie `SP_ID`: it has an `sp_id` (letters, digits, `.`, `_`, `-`:
 * nothing that could end the cookie's value), and `setVarnishCookie: true`, or `storage: 'cookie'` unless
 * `setVarnishCookie: false`.
 */
export const varnish = (options, data) => typeof data.sp_id == 'string' && /^[\w.-]{1,256}$/.test(data.sp_id) &&
  (options.setVarnishCookie === true || (options.storage === 'cookie' && options.setVarnishCookie !== false));

/** Seconds `SP_ID` lives: `varnish_expiration`, else the session's `expiresIn` (0: the cookie is expired). */
export const varnishTtl = (options, data) => positive(options.varnish_expiration) || positive(data.expiresIn);

/**
 * The `Domain` of 2.x's cookies (`SP_ID`, `spid_js_<client_id>`): the answer's `baseDomain` without leading
 * dots when it is a plain host name (so no `;` smuggles attributes in) that the page's `host` is or is under;
 * else `null`, a cookie of the page's host alone (a browser refuses another domain's).
 */
export function cookieDomain(baseDomain, host) {
  const domain = typeof baseDomain == 'string' ? baseDomain.replace(/^\.+/, '').toLowerCase() : '';
  host = String(host).toLowerCase();
  return /^[a-z0-9.-]+$/.test(domain) && (host === domain || host.endsWith('.' + domain)) ? domain : null;
}

/** The user an answer names: its `userId` (a finite number or non-empty text) when `result` is `true`, else `null`. */
export function userOf(data) {
  const id = data.result === true ? data.userId : null;
  return (typeof id == 'number' && isFinite(id)) || (typeof id == 'string' && id) ? id : null;
}

/** SchAcc's `error` object in an answer (`{ code, type, description }`): a 2.x callback's `err`; else `null`. */
export const errorOf = (data) => (data && typeof data.error == 'object' && !Array.isArray(data.error) && data.error) || null;

/** A failure with no answer of SchAcc's to show, as 2.x reported it: `{ type: 'communication', code, description }`; `code` is the HTTP status where there was one, else 503. */
export const communication = (description, status) => ({ type: 'communication', code: status || 503, description });

/** A request that got no answer: `'TimeoutError'` or `'AbortError'` (the timeout's abort) is no answer in time, anything else none at all. */
export const unreachable = (name) => communication(MESSAGES[name == 'TimeoutError' || name == 'AbortError' ? MESSAGE_NO_ANSWER_IN_TIME : MESSAGE_NO_ANSWER]);

/**
 * What a 2.x callback gets, `[err, data]`, from SchAcc's answer to `hasproduct.json`, `hassubscription.json` or
 * `acceptAgreement.json`: its `status` (0 for a redirect, which is not followed), `contentType` and body `text`
 * (`null` when not read: over 64 KiB). An answer with an `error` object is `[error, answer]` (the 401 of no
 * session); a 200 with a boolean `result` is `[null, answer]`; anything else is a communication error and `{}`.
 * Only a body labelled `application/json` is read, as for every answer (the core's response rules).
 */
export function answer(status, contentType, text) {
  let data = null;
  if (/^\s*application\/json\s*(;|$)/i.test(contentType || '') && text != null) {
    try {
      data = JSON.parse(text);
    } catch {}
  }
  if (!data || typeof data != 'object' || Array.isArray(data)) data = null;
  const err = errorOf(data);
  if (err) return [err, data];
  if (status == 200 && data && typeof data.result == 'boolean') return [null, data];
  return [communication('Unexpected answer from SchAcc', status >= 300 && status < 400 ? 0 : status), {}];
}

/**
 * The events a change of session fires, in order (the core's session-diff rule, session.rs; EVENTS is in
 * that order): `previous` and `next` are `{ user, status }`, `seen` whether a user was ever seen.
 */
export function events(previous, next, seen) {
  const had = previous.user != null;
  const has = next.user != null;
  const differ = previous.user !== next.user;
  const when = [has && differ, had && !has, had && has && differ, previous.status !== next.status, had || has, !(had || has), has && !seen];
  return EVENTS.filter((name, i) => when[i]);
}

/** The session to diff a logout SchAcc confirmed against: it had a user, even one this page never saw. */
export const beforeLogout = (state) => (state.user != null && state.status != 'notConnected' ? state : { user: {}, status: 'connected' });
