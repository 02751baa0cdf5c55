// The deterministic rows of `npm run bench`, checked on every test run so
// they cannot creep back: shipped bytes and wasm memory after createClient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createClient, openSdkPage, root, withWorldAndBrowser } from './harness.mjs';

// Issue 15's target is 20,480 bytes (aim 16,384); not reached yet
// (docs/PERFORMANCE.md has the measured steps). This budget is the figure
// reached, rounded up: the release toolchain is pinned, so the same sources
// give the same bytes and no margin for codegen drift is needed. Lower it as
// the size goes down. It rose once, from 19,110 to 19,710 B, for issue 19's
// fixes (the wasm naming itself, load deadlines, top-level-only navigation,
// shared double clicks, nothing after destroy(), the re-check throttle),
// after the cuts that paid for part of them (docs/PERFORMANCE.md); issue 20's
// names module and crossing cuts took it to 19,548 B. It rose again, to
// 24,980 B, for issue 22's features before their cuts (the official session
// service's protocol and renewal visit, the login door, the session cache,
// 2.x's LoginException; docs/PERFORMANCE.md): issue 22 asks for at most
// 19,456 B (Vite) once it is done, so this must come down; one forward pass
// for every character check and the cache's rule for an answer without
// expiresIn took it to 24,905 B; each client taking no entry older than its
// own cacheTtl cost 7 B; one origin check for the renewal and the cache
// saved 62 B (24,850 B); the SDK's own executor and cross-tab listeners in
// shell.js (no wasm-bindgen-futures, gloo-events or web-sys) took it to
// 22,760 B, the function table's dead entries pruned to 22,375 B, shell.js
// catching for the wasm (no catching imports) to 22,174 B, strings passed
// with encodeInto alone to 22,098 B, one slot-table helper for the clients
// and the tasks to 22,067 B, LLVM's inline threshold at 13 to 21,787 B, terser after esbuild to 21,564 B.
// It is the default
// path, what a Vite or webpack production build ships (tests/packaging/ checks
// those builds load just these).
const GZIP_BUDGET = 21_570;
const WASM_MEMORY_LIMIT = 256 * 1024;

let world;
let browser;
withWorldAndBrowser({}, (w, b) => ([world, browser] = [w, b]));

test(`what a page loads from pkg/ stays within ${GZIP_BUDGET} bytes gzip -9`, async () => {
  const page = await browser.newPage();
  const loaded = new Set();
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pkg/')) loaded.add(path.slice('/pkg/'.length));
  });
  await page.goto(world.sdkPage);
  await page.waitForFunction(() => window.sdkReady === true);
  await createClient(page, world);
  // Not the inlined copy (schacc_sdk_inline.js) nor the load errors' sentences (load-error.js).
  assert.deepEqual([...loaded].sort(), ['index.js', 'schacc_sdk_bg.wasm']);
  const gzipped = [...loaded].reduce((sum, file) => sum + gzipSync(readFileSync(join(root, 'pkg', file)), { level: 9 }).length, 0);
  console.log(`shipped bytes: ${gzipped} gzip -9`);
  assert.ok(gzipped <= GZIP_BUDGET, `${gzipped} > ${GZIP_BUDGET}`);
  await page.close();
});

test('wasm linear memory after createClient is at most 256 KiB', async () => {
  const page = await browser.newPage();
  // Catch the instance as the loader creates it: there is no public accessor.
  await page.addInitScript(() => {
    const original = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (...args) => {
      const result = await original(...args);
      // Export names are minified by the build: find the memory by type.
      window.wasmMemory = Object.values(result.instance.exports).find((value) => value instanceof WebAssembly.Memory);
      return result;
    };
  });
  await page.goto(world.sdkPage);
  await page.waitForFunction(() => window.sdkReady === true);
  await createClient(page, world);
  const bytes = await page.evaluate(() => window.wasmMemory.buffer.byteLength);
  console.log(`wasm memory after createClient: ${bytes} bytes`);
  assert.ok(bytes <= WASM_MEMORY_LIMIT, `${bytes} > ${WASM_MEMORY_LIMIT}`);
  await page.close();
});
