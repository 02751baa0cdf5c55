// What index.production.js fetches when a load goes wrong (pkg-template/load.js): the inlined wasm and the
// sentences that explain a failure, in one file of over 4 KB. A production build of Vite copies it as it is; Vite
// 5 would inline a smaller file (load-error.js alone) into every page as a data: URL. Only a page whose policy
// refuses WebAssembly fetches the inlined copy without using it, to say so.
export { default } from './schacc_sdk_inline.js';
export { explain } from './load-error.js';
