// schacc-sdk: the public API. The wasm is loaded once per page; everything
// else is decided in Rust. See index.d.ts for the documented surface.
import init, { Client as WasmClient, setErrorClass } from './schacc_sdk.js';
import { loadWasm, quietOnServer } from './load.js';

/** Every failure of the SDK: `code` says what went wrong, `status` holds an HTTP status. */
export class SdkError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = 'SdkError';
    this.code = code;
    if (status !== undefined) this.status = status;
  }
}

let loading;

/**
 * Loads and instantiates the wasm, once per page. Call it first only to load
 * the wasm from somewhere else (a URL, Response, or WebAssembly.Module).
 */
export function load(input) {
  loading ??= loadWasm(init, input).then(
    () => setErrorClass(SdkError),
    (problem) => {
      loading = undefined;
      const error = new SdkError('load', problem.message);
      error.cause = problem.cause;
      throw error;
    },
  );
  return quietOnServer(loading);
}

export function createClient(options) {
  return quietOnServer(newClient(options));
}

async function newClient(options) {
  await load();
  return new Client(new WasmClient(options));
}

class Client {
  #wasm;
  #lastSession;

  constructor(wasm) {
    this.#wasm = wasm;
    /** SPiD 2.x spelling of on/off. */
    this.event = Object.freeze({
      subscribe: (name, listener) => this.on(name, listener),
      unsubscribe: (name, listener) => this.off(name, listener),
    });
  }

  #live() {
    if (!this.#wasm) throw new SdkError('invalid_argument', 'This client was destroyed');
    return this.#wasm;
  }

  #later(run) {
    try {
      return run(this.#live());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get session() {
    return this.#wasm ? this.#wasm.session : this.#lastSession;
  }

  hasSession() {
    return this.#later((wasm) => wasm.hasSession());
  }

  logout() {
    return this.#later((wasm) => wasm.logoutOutcome()).then((outcome) => outcome.session);
  }

  logoutUrl(options) {
    return this.#live().logoutUrl(options);
  }

  redirectLogout(options) {
    this.#live().redirectLogout(options);
  }

  apiLogout(oauthToken) {
    return this.#later((wasm) => wasm.apiLogout(oauthToken));
  }

  logoutWithFallback(options) {
    return this.#later((wasm) => wasm.logoutWithFallback(options));
  }

  on(name, listener) {
    return this.#subscribe(name, listener, false);
  }

  once(name, listener) {
    return this.#subscribe(name, listener, true);
  }

  #subscribe(name, listener, once) {
    const id = this.#live().on(name, listener, once);
    return () => this.#wasm?.offId(id);
  }

  off(name, listener) {
    this.#live().off(name, listener);
  }

  destroy() {
    const wasm = this.#wasm;
    if (!wasm) return;
    this.#lastSession = wasm.session;
    this.#wasm = undefined;
    wasm.destroy();
    wasm.free();
  }
}
