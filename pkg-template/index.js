// schacc-sdk: the public API. See index.d.ts for the documented surface. The
// wasm decides what the SDK does (options, URLs, what answers mean, which
// events fire); this file owns the rest of the surface: loading the wasm once
// per page, the clients' lifetime (handles, destroy), the listeners (on, once,
// off) and the page-wide order in which events reach them, and the length
// check on string arguments. Every name it shares with the wasm (operation
// numbers, event names, error codes and messages) comes from names.js, which
// the build writes from the Rust lists.
import init, { call, createClient as createWasmClient, freeClient } from './schacc_sdk.js';
import { isPlainObject, SdkError, sdkError } from './shell.js';
import {
  API_LOGOUT, CODE_INVALID_ARGUMENT, CODE_INVALID_CONFIG, CODE_LOAD, CODES, DESTROY, EVENTS, HAS_SESSION, LOGIN,
  LOGIN_OPTIONS, LOGIN_URL, LOGOUT, LOGOUT_URL, LOGOUT_WITH_FALLBACK, MAX_TEXT, MESSAGE_DESTROYED, MESSAGE_LISTENER_NOT_FUNCTION, MESSAGE_TOO_LONG,
  MESSAGE_UNKNOWN_EVENT, MESSAGE_UNREADABLE, OPTIONS, REDIRECT_LOGOUT, REDIRECT_OPTIONS, SESSION,
} from './names.js';
import { loadWasm, quietOnServer } from './load.js';
/* global SCHACC_BENCH */

export { SdkError };

/** `value`, unless it is a string no option or argument may be (`MAX_TEXT`): refused before it is copied into wasm memory. */
function checkedText(value, code) {
  if (typeof value === 'string' && value.length > MAX_TEXT) throw sdkError(code, MESSAGE_TOO_LONG);
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
      throw sdkError(code, MESSAGE_UNREADABLE);
    }
    copy[key] = checkedText(value, code);
  }
  return copy;
}

const redirectOptions = (options) => snapshot(options, REDIRECT_OPTIONS, CODE_INVALID_ARGUMENT);
const loginOptions = (options) => snapshot(options, LOGIN_OPTIONS, CODE_INVALID_ARGUMENT);

let loading;

/**
 * Loads and instantiates the wasm, once per page. Call it first only to load
 * the wasm from somewhere else (a URL, Response, or WebAssembly.Module).
 */
export function load(input) {
  loading ??= loadWasm(init, input).catch((problem) => {
    loading = undefined;
    const error = new SdkError(CODES[CODE_LOAD], problem.message);
    error.cause = problem.cause;
    throw error;
  });
  return quietOnServer(loading);
}

export function createClient(options) {
  return quietOnServer(createLoaded(options));
}

async function createLoaded(options) {
  const copy = snapshot(options, OPTIONS, CODE_INVALID_CONFIG);
  await load();
  return newClient(copy);
}

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
  if (!EVENTS.includes(name)) throw sdkError(CODE_INVALID_ARGUMENT, MESSAGE_UNKNOWN_EVENT);
  if (typeof listener !== 'function') throw sdkError(CODE_INVALID_ARGUMENT, MESSAGE_LISTENER_NOT_FUNCTION);
}

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
  // The wasm fires the events of one change in one call: bit `i` of `events` is `EVENTS[i]`, in that order.
  const emit = (events, payload) => EVENTS.forEach((name, index) => events & (1 << index) && dispatch(listeners, name, payload));
  let handle = createWasmClient(options, emit); // undefined once destroyed

  const live = () => {
    if (handle === undefined) throw sdkError(CODE_INVALID_ARGUMENT, MESSAGE_DESTROYED);
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
    hasSession: (options) => later(() => run(HAS_SESSION, options)),
    logout: () => later(() => run(LOGOUT)),
    logoutUrl: (options) => run(LOGOUT_URL, redirectOptions(options)),
    redirectLogout: (options) => {
      run(REDIRECT_LOGOUT, redirectOptions(options));
    },
    apiLogout: (oauthToken) => later(() => run(API_LOGOUT, checkedText(oauthToken, CODE_INVALID_ARGUMENT))),
    logoutWithFallback: (options) => later(() => run(LOGOUT_WITH_FALLBACK, redirectOptions(options))),
    loginUrl: (options) => run(LOGIN_URL, loginOptions(options)),
    login: (options) => {
      run(LOGIN, loginOptions(options));
    },
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
