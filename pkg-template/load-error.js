// What to say when the wasm cannot be loaded: the message of SdkError 'load'
// for each cause pkg-template/load.js tells apart. A chunk of its own, fetched
// only after a failure, so its sentences cost the default path nothing
// (inline.js and global.js carry it bundled).
/* global SCHACC_GLOBAL */
// global.js (built with SCHACC_GLOBAL) has a wasm of its own, which a 2.x page names with data-wasm.
const GLOBAL = typeof SCHACC_GLOBAL != 'undefined' && SCHACC_GLOBAL;
const ADVICE = GLOBAL ? 'serve global.wasm there, or point data-wasm at it'
  : 'serve schacc_sdk_bg.wasm there, or pass its URL to load(url) before createClient()';

const TEXT = {
  ssr: () => 'this is not a browser (no document). createClient() belongs in the browser, not in server-side rendering: '
    + 'call it in an effect or an event handler. To use the SDK in Node, load the wasm first: '
    + "load(readFileSync(new URL(import.meta.resolve('schacc-sdk/schacc_sdk_bg.wasm')))).",
  fetch: (p) => `fetching ${p.where} failed (${p.detail}): the browser is offline, or CORS or the page's connect-src refused it.`,
  status: (p) => `${p.where} answered ${p.detail}: the file is not there; ${ADVICE}.`,
  html: (p) => `${p.where} is an HTML page, not wasm (it starts "${p.detail}"), as a dev server answers for a file it lacks. `
    + "With Vite 5 to 7's dev server (its pre-bundling moves the package away from its wasm), add "
    + `optimizeDeps: { exclude: ['schacc-sdk'] } to vite.config; elsewhere, ${ADVICE}.`,
  bytes: (p) => `${p.where} is not wasm (it starts "${p.detail}"); ${ADVICE}.`,
  csp: () => "the page's Content Security Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to its script-src "
    + "(script-src 'self' 'wasm-unsafe-eval').",
  timeout: (p) => `${p.where} did not arrive within 10 seconds: the server stalled; ${ADVICE}.`,
  mismatch: (p) => `${p.where} is not this version's wasm (it names itself ${p.detail || 'nothing'}): serve the `
    + (GLOBAL ? 'global.wasm of the same schacc-sdk version as global.js.' : 'schacc_sdk_bg.wasm of the same schacc-sdk version as index.js.'),
  instantiate: (p) => `${p.where} did not instantiate (${p.detail}): it must be the `
    + (GLOBAL ? 'global.wasm of this version.' : 'schacc_sdk_bg.wasm of this version.'),
  inline: (p) => (p.previous ? `${explain(p.previous)} Its inlined copy did not load either` : 'its inlined copy did not load')
    + ` (${p.detail}).`,
};

/** The sentence that follows "schacc-sdk could not load its WebAssembly: ". */
export function explain(problem) {
  return TEXT[problem.kind](problem);
}
