// The JavaScript half of the browser shell: the few browser calls the wasm
// imports (src/browser/), plainer here than through bindings. What an answer
// means, which URL is acceptable, which events fire and when are the wasm's;
// what is decided here is how each call is made: the fetch's options (no
// cache, no redirect followed, the cookie sent only without a token), reading
// the body up to its cap, the top-level page as what navigates, which traces
// of SPiD 2.x a logout clears, and the shapes of the objects the page sees
// (sessions frozen, server fields copied as own data). The words for the
// wasm's numbers come from names.js, which the build writes from the Rust
// lists. The glue and index.js share this module (the build points the glue's
// import at it); it is one file (plus names.js, data only) because
// wasm-bindgen's test runner hung at load with five.

import { CODES, MESSAGES, REASONS } from './names.js';

// --- request ------------------------------------------------------------
// The transport under every request the SDK sends: one fetch that follows no
// redirect, with a timeout that covers the body, whose body is read only while
// it stays within `max` bytes. What the answer means: crates/core/src/response.rs.

/**
 * Resolves `[status, redirected, contentType, text]`, `text` being `null` once
 * the body passed `max` bytes (the rest is not downloaded). Rejects with `true`
 * where fetch or the body's read rejected with a `TypeError` (the network:
 * offline, refused, CORS, a dropped connection), else `false` (the time ran
 * out: the only abort is the timeout's, a `TimeoutError`, or an `AbortError`
 * in Chrome 103–123).
 */
export const request = (url, post, token, timeout, max) => fetchText(url, post, token, timeout, max).catch((error) => {
  throw error instanceof TypeError;
});

async function fetchText(url, post, token, timeout, max) {
  const init = { cache: 'no-store', redirect: 'manual', signal: AbortSignal.timeout(timeout), credentials: token ? 'omit' : 'include' };
  if (post) init.method = 'POST';
  if (token) init.headers = { Authorization: `Bearer ${token}` };
  const response = await fetch(url, init);
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (let step; reader && !(step = await reader.read()).done; ) {
    size += step.value.length;
    if (size > max) {
      reader.cancel().catch(() => {});
      text = null;
      break;
    }
    text += decoder.decode(step.value, { stream: true });
  }
  return [response.status, response.type === 'opaqueredirect', response.headers.get('content-type'), text && text + decoder.decode()];
}

// --- fields -------------------------------------------------------------
// What a property whose reading throws reads as: a value of no type the wasm accepts.
const UNREADABLE = Symbol('unreadable');

/** `object[key]`, or `UNREADABLE` where reading throws (a getter, a proxy, no object at all). */
export function get(object, key) {
  try {
    return object[key];
  } catch {
    return UNREADABLE;
  }
}

/** An object that is not `null`, an array or a function (nor a revoked Proxy): what options arguments and answers must be. */
export function isPlainObject(value) {
  try {
    return typeof value == 'object' && value !== null && !Array.isArray(value);
  } catch {} // a revoked Proxy (Array.isArray throws): undefined, which reads as false
}

// --- url ----------------------------------------------------------------
// How the browser's own URL parser reads a string: the authority on what a URL
// means. The SDK's rules on these fields: crates/core/src/url.rs.

/**
 * `[protocol, hasCredentials, hostname, origin, pathname, hasQueryOrFragment]` of `input` (resolved against `base`
 * when given), or `null` where `URL` throws.
 */
export function readUrl(input, base) {
  try {
    const url = new URL(input, base);
    return [url.protocol, !!(url.username || url.password), url.hostname, url.origin, url.pathname, !!(url.search || url.hash)];
  } catch {
    return null;
  }
}

// --- page ---------------------------------------------------------------
// The few things the SDK does to the page itself, with what the core decided.

/**
 * Sends the top-level page to `url`: only a top-level navigation is first party at SchAcc, so a frame's own
 * navigation would carry no cookie and prove nothing. `false` where the browser refuses (a frame whose top page
 * is of another origin, a sandboxed frame) or there is no page (a worker).
 */
export function navigate(url) {
  try {
    top.location.assign(url);
    return true;
  } catch {
    return false;
  }
}

/** The browser's user agent, for the core's rule on who withholds third-party cookies. */
export const userAgent = () => globalThis.navigator?.userAgent ?? '';

/**
 * Clears what SPiD 2.x kept: expires its `SP_ID` cookie on this host and, when the core passed one (a plain
 * host name, crates/core/src/legacy.rs), on `.domain`; removes `spid_js_<clientId>` from localStorage. Quietly
 * nothing where the page has no cookies or storage (workers, sandboxed frames, storage disabled).
 */
export function forget(domain, clientId) {
  const expired = 'SP_ID=; Max-Age=0; Path=/';
  try {
    document.cookie = expired;
    if (domain) document.cookie = `${expired}; Domain=.${domain}`;
  } catch {}
  try {
    localStorage.removeItem(`spid_js_${clientId}`);
  } catch {}
}

/**
 * `[page, tab]` for the session service's request: the page's URL without its fragment, and this tab's id — one
 * random number per tab, kept in sessionStorage so the tab's page views share it (per page where storage is blocked).
 */
export function whereAmI() {
  const key = 'schacc-sdk:tab-id';
  let tab = pageTab;
  try {
    const kept = sessionStorage.getItem(key);
    if (kept) tab = kept;
    else sessionStorage.setItem(key, tab);
  } catch {}
  return [location.href.split('#')[0], tab];
}
const pageTab = String(globalThis.crypto?.getRandomValues(new Uint32Array(1))[0]);

// When the session service last sent a page of this site to renew its cookie, in localStorage: where it is
// blocked no renewal can be guarded, and none is made (-1, false).
const RENEWAL_KEY = 'schacc-sdk:session-renewal';

/** When a page of this site last went to renew (ms since the epoch), 0 for never, -1 where storage is blocked. */
export function renewedAt() {
  try {
    return +localStorage.getItem(RENEWAL_KEY) || 0;
  } catch {
    return -1;
  }
}

/** Records a renewal visit at `now`; `false` where it cannot be recorded. */
export function recordRenewal(now) {
  try {
    localStorage.setItem(RENEWAL_KEY, String(now));
    return true;
  } catch {
    return false;
  }
}

// --- session cache -------------------------------------------------------
// The entries of the session cache the site's tabs share (crates/core/src/cache.rs decides what is kept, for how
// long, and when a page must ask anyway): `{ at, until, text }` in localStorage, `text` the server's answer as it
// came. Quietly nothing where storage is blocked or full.

/** `[at, until, text]` of the entry `key`, or `null`. */
export function cacheRead(key) {
  try {
    const entry = JSON.parse(localStorage.getItem(key));
    if (typeof entry.at == 'number' && typeof entry.until == 'number' && typeof entry.text == 'string') return [entry.at, entry.until, entry.text];
  } catch {}
  return null;
}

/** Keeps `text` (an answer) as entry `key` from `at` until `until` (ms); with no `text`, removes the entry. */
export function cacheWrite(key, at, until, text) {
  try {
    if (text === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ at, until, text }));
  } catch {}
}

// Set by login() in its tab, for the page views after it: removed once a client there has asked.
const LOGIN_KEY = 'schacc-sdk:login';

/**
 * Marks this tab (`on`): its page views follow a login through the SDK's door until a client has asked SchAcc
 * (then `on` is false and the mark goes).
 */
export function markLogin(on) {
  try {
    if (on) sessionStorage.setItem(LOGIN_KEY, '1');
    else sessionStorage.removeItem(LOGIN_KEY);
  } catch {}
}

/** `[referrer's origin or '', whether the URL has a \`code\`, whether a login marked this tab]`. */
export function arrival() {
  let marked = false;
  try {
    marked = !!sessionStorage.getItem(LOGIN_KEY);
  } catch {}
  if (typeof document != 'object') return ['', false, marked];
  let referrer = '';
  try {
    referrer = new URL(document.referrer).origin;
  } catch {}
  return [referrer, new URLSearchParams(location.search).has('code'), marked];
}

// --- cross-tab ----------------------------------------------------------
// What a tab tells the others of its origin, and the page's listeners for coming back
// (src/browser/cross_tab.rs decides what each means).
const LOGOUT_MESSAGE = 'logout';

/**
 * Opens the channel `name` and listens: `on(0)` when another tab announces a logout, `on(1)` when the page is
 * restored from the back/forward cache or shown again. Where there is no `BroadcastChannel` or no page (a worker),
 * that part is left out. Returns what `announce` and `closeCrossTab` take.
 */
export function crossTab(name, on) {
  const listening = new AbortController();
  const options = { signal: listening.signal };
  let channel;
  try {
    channel = new BroadcastChannel(name);
    channel.addEventListener('message', (event) => event.data === LOGOUT_MESSAGE && on(0), options);
  } catch {}
  if (typeof document == 'object') {
    addEventListener('pageshow', (event) => event.persisted && on(1), options);
    document.addEventListener('visibilitychange', () => document.visibilityState == 'visible' && on(1), options);
  }
  return [channel, listening];
}

/** Tells the other tabs of the origin that the user logged out; never throws. */
export function announce([channel]) {
  try {
    channel?.postMessage(LOGOUT_MESSAGE);
  } catch {}
}

/** Closes the channel and removes the listeners. */
export function closeCrossTab([channel, listening]) {
  listening.abort();
  channel?.close();
}

// --- session ------------------------------------------------------------
// The objects the page sees: sessions and results. Server fields are copied with object
// spread, which defines own data properties: a `"__proto__"` key stays a plain
// field and never reaches the prototype, and no setter runs. Every session
// object is frozen; results are plain objects, the page's to keep.

/**
 * Frozen, and read as a primitive like any plain object (`String(session)`, template literals) even where the
 * server sent fields named `toString` or `valueOf`: a non-enumerable own `Symbol.toPrimitive`, which JSON cannot
 * name, decides first. Spread, `JSON.stringify` and `structuredClone` do not see it.
 */
const sessionData = (object, age) => Object.freeze(Object.defineProperties(object, {
  [Symbol.toPrimitive]: { value: asPlainObject },
  // Where the answer came from: the session cache (how old it is, in ms), or the server now.
  fromCache: { value: age > 0 },
  age: { value: age > 0 ? age : 0 },
}));
function asPlainObject() {
  return '[object Object]';
}

/** The server's session, with `userId: null` where it sent none; `age`: ms since the server gave it (a cached one). */
export const sessionObject = (json, age) => sessionData({ userId: null, ...json }, age);

/** `{ ...base, result: false, userStatus: status, userId: null }`; `base` is an object or `undefined`. */
export const loggedOutObject = (base, status, age) => sessionData({ ...base, result: false, userStatus: status, userId: null }, age);

/**
 * Calls `resume(task, fulfilled, value)` once `value` (a promise, or any value) settles: how a task of the wasm
 * waits (src/browser/executor.rs). Never throws: `Promise.resolve` would, for a promise whose `constructor` getter
 * throws (a page's hook may return anything); a new promise resolved with `value` rejects instead.
 */
export const wait = (value, task, resume) =>
  new Promise((resolve) => resolve(value)).then((value) => resume(task, true, value), (error) => resume(task, false, error));

/**
 * `f(a, b)`, or `f(a)` where `b` is `undefined`, for the wasm, which a throw must never cross (it would leave the
 * wasm's state half-changed): what `f` returns, or `undefined` if it throws. How the wasm calls page code (the
 * dispatcher, the renewal hook).
 */
export function callSafely(f, a, b) {
  try {
    return b === undefined ? f(a) : f(a, b);
  } catch {}
}

/** How many own enumerable keys `object` has. */
export const keyCount = (object) => Object.keys(object).length;

/** `text` parsed as JSON, or `undefined` where it is not JSON (JSON never parses to `undefined`). */
export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {}
}

// Where a promise of `deferred()` keeps its settle function (the page never sees these promises: index.js
// hands it one derived from each).
const SETTLE = Symbol();

/** A new promise, for an operation the wasm runs, which `settle` resolves or rejects. */
export function deferred() {
  let settle;
  const promise = new Promise((resolve, reject) => (settle = (fulfilled, value) => (fulfilled ? resolve : reject)(value)));
  promise[SETTLE] = settle;
  // Marked handled: the page sees a failure through the promise index.js derives from this one (and SPiD.error),
  // so one that only the wasm waits for, or nothing does (the re-check when a page comes back), is not reported
  // as an unhandled rejection.
  promise.catch(() => {});
  return promise;
}

/** Resolves (`fulfilled`) or rejects a promise of `deferred()` with `value`. */
export const settle = (promise, fulfilled, value) => promise[SETTLE](fulfilled, value);

/** `reason` by number: a fallback reason, or from the last reason's number on a failure's code (names.js). */
const REASONS_AND_CODES = [...REASONS, ...CODES];

/** What `logoutWithFallback()` resolves with. */
export const fallbackResult = (session, redirected, confirmed, tokenRevoked, reason) =>
  ({ session, redirected, confirmed, tokenRevoked, reason: REASONS_AND_CODES[reason] });

// --- error ---------------------------------------------------------------
// The SDK's errors, the public `SdkError` class (index.js exports it; the build has the glue and index.js
// share this module). The wasm names the code and the message by number (`ErrorCode`, `Message` of
// crates/core/src/error.rs); names.js holds their words.

/**
 * Every failure of the SDK: `code` says what went wrong, `status` holds an HTTP status, `url` where a
 * `session_renewal` goes (or would go).
 */
export class SdkError extends Error {
  constructor(code, message, status, url) {
    super(message);
    this.name = 'SdkError';
    this.code = code;
    if (status !== undefined) this.status = status;
    if (url !== undefined) this.url = url;
  }
}
// The class keeps its public name through minification.
Object.defineProperty(SdkError, 'name', { value: 'SdkError' });

/** The `SdkError` of code number `codeNumber` and message number `messageNumber`. */
export const sdkError = (codeNumber, messageNumber, status, url) => new SdkError(CODES[codeNumber], MESSAGES[messageNumber], status, url);
