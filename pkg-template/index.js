// schacc-sdk: the public API. The wasm is loaded once per page; everything
// else is decided in Rust. See index.d.ts for the documented surface.
import init, { call, createClient as createWasmClient, freeClient } from './schacc_sdk.js';
import { SdkError } from './shell.js';
import { loadWasm, quietOnServer } from './load.js';

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
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return object;
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
  return quietOnServer(newClient(options));
}

async function newClient(options) {
  const copy = snapshot(options, OPTIONS, 'invalid_config');
  await load();
  return new Client(copy);
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

// A client lives until `destroy()`: the wasm keeps its `emit`, which holds it, so its listeners keep
// hearing logouts (from other tabs too) even if the page keeps no reference to it.
class Client {
  #handle; // the wasm client's; undefined once destroyed
  #lastSession;
  #listeners = [];

  constructor(options) {
    this.#handle = createWasmClient(options, (index, payload) => dispatch(this.#listeners, EVENTS[index], payload));
    /** SPiD 2.x spelling of on/off. */
    this.event = Object.freeze({
      subscribe: (name, listener) => this.on(name, listener),
      unsubscribe: (name, listener) => this.off(name, listener),
    });
  }

  #live() {
    if (this.#handle === undefined) throw new SdkError('invalid_argument', 'This client was destroyed');
    return this.#handle;
  }

  /** Runs wasm operation `operation` (its number) with `arg`. */
  #call(operation, arg) {
    return call(this.#live(), operation, arg);
  }

  /** For the operations that return a promise: what `run` throws rejects it. */
  #later(run) {
    try {
      return run();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get session() {
    return this.#handle === undefined ? this.#lastSession : this.#call(SESSION);
  }

  hasSession() {
    return this.#later(() => this.#call(HAS_SESSION));
  }

  logout() {
    return this.#later(() => this.#call(LOGOUT)).then((outcome) => outcome.session);
  }

  logoutUrl(options) {
    return this.#call(LOGOUT_URL, redirectOptions(options));
  }

  redirectLogout(options) {
    this.#call(REDIRECT_LOGOUT, redirectOptions(options));
  }

  apiLogout(oauthToken) {
    return this.#later(() => this.#call(API_LOGOUT, checkedText(oauthToken, 'invalid_argument')));
  }

  logoutWithFallback(options) {
    return this.#later(() => this.#call(LOGOUT_WITH_FALLBACK, redirectOptions(options)));
  }

  on(name, listener) {
    return this.#subscribe(name, listener, false);
  }

  once(name, listener) {
    return this.#subscribe(name, listener, true);
  }

  #subscribe(name, listener, once) {
    this.#live();
    checkedListener(name, listener);
    const entry = { name, listener, once };
    this.#listeners.push(entry);
    return () => entry.off || remove(this.#listeners, entry);
  }

  off(name, listener) {
    this.#live();
    checkedListener(name, listener);
    const entry = this.#listeners.find((entry) => entry.name === name && entry.listener === listener);
    if (entry) remove(this.#listeners, entry);
  }

  /** Not public API: fires `name` to the listeners, so `npm run bench` can time dispatch. */
  __emit(name, payload) {
    dispatch(this.#listeners, name, payload);
  }

  /** Idempotent. Once it returns, no listener of this client runs. */
  destroy() {
    if (this.#handle === undefined) return;
    this.#lastSession = this.#call(SESSION);
    this.#call(DESTROY);
    // Freed now: a call of this client further up the stack (a listener of its
    // own calling destroy) holds the wasm client until it returns.
    freeClient(this.#handle);
    this.#handle = undefined;
    for (const entry of this.#listeners) entry.off = true;
    this.#listeners.length = 0;
  }
}
