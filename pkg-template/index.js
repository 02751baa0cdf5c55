// schacc-sdk: the public API. The wasm is loaded once per page; everything
// else is decided in Rust. See index.d.ts for the documented surface.
import init, { call, createClient as createWasmClient, freeClient } from './schacc_sdk.js';
import { isPlainObject, SdkError } from './shell.js';
import { loadWasm, quietOnServer } from './load.js';
/* global SCHACC_BENCH */

export { SdkError };

// No string argument the SDK accepts is longer (tokens: 8192; URLs: 2048);
// longer ones are refused here, before they are copied into wasm memory,
// which never shrinks.
const MAX_TEXT = 8192;

function checkedText(value, code) {
  if (typeof value === 'string' && value.length > MAX_TEXT) throw new SdkError(code, 'An argument is too long');
  return value;
}

/**
 * A plain copy of `object`'s `keys`, each read once and length-checked, so
 * what wasm reads cannot change between the check and the use. Anything but
 * an object goes through as it is, for wasm to refuse.
 */
function snapshot(object, keys, code) {
  if (!isPlainObject(object)) return object;
  const copy = {};
  for (const key of keys) {
    let value;
    try {
      value = object[key];
    } catch {
      throw new SdkError(code, 'An option could not be read');
    }
    copy[key] = checkedText(value, code);
  }
  return copy;
}

const OPTIONS = ['clientId', 'server', 'redirectUri', 'timeout', 'fallback', 'crossTab', 'sessionDomain'];
const REDIRECT_OPTIONS = ['redirectUri', 'oauthToken'];
const redirectOptions = (options) => snapshot(options, REDIRECT_OPTIONS, 'invalid_argument');

let loading;

/**
 * Loads and instantiates the wasm, once per page. Call it first only to load
 * the wasm from somewhere else (a URL, Response, or WebAssembly.Module).
 */
export function load(input) {
  loading ??= loadWasm(init, input).catch((problem) => {
    loading = undefined;
    const error = new SdkError('load', problem.message);
    error.cause = problem.cause;
    throw error;
  });
  return quietOnServer(loading);
}

export function createClient(options) {
  return quietOnServer(createLoaded(options));
}

async function createLoaded(options) {
  const copy = snapshot(options, OPTIONS, 'invalid_config');
  await load();
  return newClient(copy);
}

// Event names by the index the wasm fires them with (`core::session::Event`;
// tests/contract.rs checks they agree).
const EVENTS = ['SPiD.login', 'SPiD.logout', 'SPiD.userChange', 'SPiD.statusChange', 'SPiD.sessionChange', 'SPiD.notLoggedin', 'SPiD.sessionInit', 'SPiD.error'];

// One queue for the page: events caused by an SDK call made inside a listener
// fire after that listener returns, so chains of listeners calling the SDK
// never nest, however long (and never grow the wasm stack).
const queue = [];
let draining = false;

function dispatch(listeners, name, payload) {
  queue.push([listeners, name, payload]);
  if (draining) return;
  draining = true;
  try {
    for (let next; (next = queue.shift()); ) {
      const [listeners, name, payload] = next;
      for (const entry of listeners.filter((entry) => entry.name === name)) {
        // Removed meanwhile (off, once, destroy): not called, as with DOM events.
        if (entry.off) continue;
        if (entry.once) remove(listeners, entry);
        const { listener } = entry;
        try {
          listener(payload);
        } catch (error) {
          console.error('schacc-sdk: an event listener threw', error);
        }
      }
    }
  } finally {
    draining = false;
  }
}

function remove(listeners, entry) {
  entry.off = true;
  const at = listeners.indexOf(entry);
  if (at >= 0) listeners.splice(at, 1);
}

function checkedListener(name, listener) {
  if (!EVENTS.includes(name)) throw new SdkError('invalid_argument', 'Unknown event name (expected SPiD.login, SPiD.logout, …)');
  if (typeof listener !== 'function') throw new SdkError('invalid_argument', 'The listener must be a function');
}

// The wasm client's operations, by the numbers its `call` takes
// (`browser::client::Operation`; tests/contract.rs checks they agree).
const HAS_SESSION = 0;
const LOGOUT = 1;
const API_LOGOUT = 2;
const LOGOUT_WITH_FALLBACK = 3;
const LOGOUT_URL = 4;
const REDIRECT_LOGOUT = 5;
const SESSION = 6;
const DESTROY = 7;

/**
 * A client: a frozen object whose members are closures over its state, so
 * they work however they are reached — detached (`button.onclick =
 * client.logout`), through a Proxy (Vue's `reactive()`, MobX), or copied
 * into React state — and its `constructor` is `Object`, not a way around
 * `createClient`'s checks. It lives until `destroy()`: the wasm keeps its
 * `emit`, which holds it, so its listeners keep hearing logouts (from other
 * tabs too) even if the page keeps no reference to it.
 */
function newClient(options) {
  const listeners = [];
  let lastSession;
  let handle = createWasmClient(options, (index, payload) => dispatch(listeners, EVENTS[index], payload)); // undefined once destroyed

  const live = () => {
    if (handle === undefined) throw new SdkError('invalid_argument', 'This client was destroyed');
    return handle;
  };
  /** Runs wasm operation `operation` (its number) with `arg`. */
  const run = (operation, arg) => call(live(), operation, arg);
  /**
   * For the operations that return a promise: what `operation()` throws rejects it, and an outcome that arrives
   * once the client is destroyed rejects with `invalid_argument` instead of reaching the page.
   */
  const later = (operation) => {
    try {
      return operation().then((value) => (live(), value));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const subscribe = (name, listener, once) => {
    live();
    checkedListener(name, listener);
    const entry = { name, listener, once };
    listeners.push(entry);
    return () => entry.off || remove(listeners, entry);
  };
  const on = (name, listener) => subscribe(name, listener, false);
  const off = (name, listener) => {
    live();
    checkedListener(name, listener);
    const entry = listeners.find((entry) => entry.name === name && entry.listener === listener);
    if (entry) remove(listeners, entry);
  };

  return Object.freeze({
    get session() {
      return handle === undefined ? lastSession : run(SESSION);
    },
    hasSession: () => later(() => run(HAS_SESSION)),
    logout: () => later(() => run(LOGOUT)).then((outcome) => outcome.session),
    logoutUrl: (options) => run(LOGOUT_URL, redirectOptions(options)),
    redirectLogout: (options) => {
      run(REDIRECT_LOGOUT, redirectOptions(options));
    },
    apiLogout: (oauthToken) => later(() => run(API_LOGOUT, checkedText(oauthToken, 'invalid_argument'))),
    logoutWithFallback: (options) => later(() => run(LOGOUT_WITH_FALLBACK, redirectOptions(options))),
    on,
    once: (name, listener) => subscribe(name, listener, true),
    off,
    /** SPiD 2.x spelling of on/off. */
    event: Object.freeze({ subscribe: on, unsubscribe: off }),
    // Only in the bench's own build of this file (scripts/bench.mjs; SCHACC_BENCH is false in the package):
    // fires `name` to the listeners, so `npm run bench` can time dispatch.
    ...(SCHACC_BENCH && { __emit: (name, payload) => dispatch(listeners, name, payload) }),
    /** Idempotent. Once it returns, no listener of this client runs. */
    destroy: () => {
      if (handle === undefined) return;
      lastSession = run(SESSION);
      run(DESTROY);
      // Freed now: a call of this client further up the stack (a listener of its
      // own calling destroy) holds the wasm client until it returns.
      freeClient(handle);
      handle = undefined;
      for (const entry of listeners) entry.off = true;
      listeners.length = 0;
    },
  });
}
