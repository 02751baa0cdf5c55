// Where the wasm comes from, and which cause a failure has. Bundled by
// scripts/build.mjs into each entry of the package (not shipped on its own):
//
// - index.js (SCHACC_INLINE false): the file next to it,
//   `new URL('./schacc_sdk_bg.wasm', import.meta.url)`, which Vite, webpack,
//   Parcel and Next.js copy into their output and browsers fetch as it is. If
//   that fetch fails or answers something that is not wasm (a 404, the HTML
//   page a dev server sends for a file it lacks), the inlined copy is loaded
//   instead: `import('./schacc_sdk_inline.js')`, a chunk of its own, fetched
//   only then.
// - index.production.js (SCHACC_ASSET_CHUNKS true), what production builds of
//   Vite and webpack take (the `production` condition): index.js whose chunks
//   are one file, schacc_sdk_fallback.js (the inlined copy and the sentences),
//   which the tool copies as it is (`new URL(…, import.meta.url)`) and the
//   browser imports itself, so the page carries no chunk-loading runtime of the
//   tool (Vite's preload helper, webpack's chunk loader: about 630 B gzipped on
//   every page) for a fallback it rarely needs. Their dev servers take index.js
//   (`development`): a tool that pre-bundles the package (Vite) moves it away
//   from files named by URL, but not from its own chunks.
// - inline.js and global.js (SCHACC_INLINE true): the inlined copy, bundled in:
//   nothing to copy, nothing else to fetch, no dynamic import left.
//
// A failure rejects with one Error: "schacc-sdk could not load its WebAssembly:"
// and a sentence naming the cause, written by load-error.js (a chunk fetched
// only then); `cause` holds the underlying error. Kept small: every byte here
// is shipped on the default path.
/* global SCHACC_INLINE, SCHACC_ASSET_CHUNKS */

/** A page or a worker: somewhere with cookies and a location. */
const inBrowser = () => typeof document == 'object' || typeof WorkerGlobalScope == 'function';

/**
 * Returns `promise`; outside a browser (server-side rendering, Node) it is
 * also marked as handled, so a call nobody awaits logs no unhandled rejection.
 * Awaiting it still throws.
 */
export function quietOnServer(promise) {
  if (!inBrowser()) promise.catch(() => {});
  return promise;
}

/**
 * Every step of a load settles within this many ms: a wasm server that stalls (no answer, or headers and a few
 * bytes, then nothing) makes the package's own load fall back to the inlined copy, and load(url) fail saying so.
 */
const LOAD_TIMEOUT = 10000;

/** `promise`, or a `TimeoutError` once LOAD_TIMEOUT has passed. */
function deadline(promise) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(reject, LOAD_TIMEOUT, new DOMException('The load timed out', 'TimeoutError'))));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A cause found (the `kind`s of load-error.js). */
const problem = (kind, where, detail, cause) => ({ kind, where, detail, cause });
const reason = (error) => `${error?.message ?? error}`;
const timedOut = (error) => error?.name == 'TimeoutError' || error?.name == 'AbortError';

/** The wasm behind a URL, Request or Response: the Response itself if it says application/wasm, else its checked bytes. */
async function fetched(source) {
  const where = `${source.url || (source instanceof Response ? 'the Response given to load()' : source)}`;
  let response = source;
  // Covers the body too: a stalled stream errors, and so does compiling it.
  const signal = AbortSignal.timeout(LOAD_TIMEOUT);
  let bytes;
  try {
    if (!(source instanceof Response)) response = await fetch(source, { signal });
    if (!response.ok) throw problem('status', response.url || where, response.status);
    // The usual case, compiled while it streams.
    if (/^application\/wasm\b/i.test(response.headers.get('content-type')) && WebAssembly.compileStreaming) return response;
    bytes = new Uint8Array(await deadline(response.arrayBuffer()));
  } catch (error) {
    throw error.kind ? error : problem(timedOut(error) ? 'timeout' : 'fetch', where, reason(error), error);
  }
  const start = String.fromCharCode(...bytes.subarray(0, 9));
  if (start.startsWith('\0asm')) return bytes;
  throw problem(start.trim()[0] == '<' ? 'html' : 'bytes', response.url || where, start.replace(/[^ -~]/g, '.'));
}

/**
 * Instantiates `module` with the glue's `init`, which first checks that the wasm names itself this SDK's (its
 * `wasmId`, or a mismatch error carrying the name found). A refusal by CSP, a stall and a mismatch are told apart.
 * Each engine words the CSP refusal its own way: Chromium "… violates the following Content Security policy
 * directive …" (older: "… because 'unsafe-eval' is not an allowed source of script …"), WebKit "Refused to create a
 * WebAssembly object because 'unsafe-eval' or 'wasm-unsafe-eval' is not an allowed source of script in the following
 * Content Security Policy directive …", Firefox 102+ "call to WebAssembly.instantiate() blocked by CSP" (tested in
 * WebKit and Firefox by tests/webdriver/load-csp.test.mjs, in Chromium by tests/packaging/load.test.mjs).
 */
async function instantiate(init, module, where) {
  try {
    await deadline(init(module));
  } catch (error) {
    const kind = typeof error?.wasmId == 'string' ? 'mismatch'
      : /Content.Security.Policy|unsafe-eval|blocked by CSP/i.test(reason(error)) ? 'csp'
        : timedOut(error) ? 'timeout' : 'instantiate';
    throw problem(kind, where, kind == 'mismatch' ? error.wasmId : reason(error), error);
  }
}

/** The package's own wasm: the file next to index.js, else the inlined copy. */
async function fromPackage(init) {
  if (!inBrowser()) throw problem('ssr');
  let previous;
  if (!SCHACC_INLINE) {
    try {
      return await instantiate(init, await fetched(new URL('./schacc_sdk_bg.wasm', import.meta.url)), 'schacc_sdk_bg.wasm');
    } catch (error) {
      if (error.kind == 'csp') throw error; // the inlined copy would be refused the same way
      previous = error;
    }
  }
  let bytes;
  try {
    // The comments keep webpack and Vite from bundling an import they cannot resolve; scripts/build.mjs puts them
    // back after minifying, which drops them. Written out here and in loadWasm, not in a helper: esbuild then folds
    // SCHACC_ASSET_CHUNKS before it meets import.meta (a helper warns in global.js's IIFE and costs 13 B).
    bytes = await deadline((SCHACC_ASSET_CHUNKS
      ? import(/* webpackIgnore: true */ /* @vite-ignore */ new URL('./schacc_sdk_fallback.js', import.meta.url).href)
      : import('./schacc_sdk_inline.js')).then((chunk) => chunk.default()));
  } catch (error) {
    throw { ...problem('inline', '', reason(error), error), previous };
  }
  return instantiate(init, bytes, 'the inlined wasm');
}

/**
 * Loads the wasm into the glue's `init`: from `input` as load() takes it (a
 * Module, bytes, or where to fetch them), or else the package's own. Rejects
 * with an Error whose message names the cause.
 */
export async function loadWasm(init, input) {
  try {
    await (input === undefined ? fromPackage(init)
      : instantiate(init, typeof input == 'string' || input instanceof URL || input instanceof Request || input instanceof Response
        ? await fetched(input) : input, 'the wasm given to load()'));
  } catch (error) {
    let sentence;
    try {
      sentence = error.kind ? (await (SCHACC_ASSET_CHUNKS
        ? import(/* webpackIgnore: true */ /* @vite-ignore */ new URL('./schacc_sdk_fallback.js', import.meta.url).href)
        : import('./load-error.js'))).explain(error) : reason(error);
    } catch {
      sentence = `${error.kind} ${error.where ?? ''} ${error.detail ?? ''}`; // offline: the explanation itself could not be fetched
    }
    throw Object.assign(new Error(`schacc-sdk could not load its WebAssembly: ${sentence}`), { cause: error.kind ? error.cause : error });
  }
}
