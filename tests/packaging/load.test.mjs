// How pkg/ loads its wasm, and what it says when it cannot: the fallback to the
// inlined copy, and SdkError 'load' with a message naming the cause (file not
// found, an HTML page instead of wasm, CSP, not a browser), in Chromium against
// the emulator and in Node.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIENT_ID, root, startWorld, withWorldAndBrowser } from '../e2e/harness.mjs';

const PAGE = '/tests/packaging/pages/load.html';
const SHIPPED = ['index.js', 'schacc_sdk_bg.wasm', 'schacc_sdk_inline.js', 'load-error.js'];

describe('loading the wasm in Chromium: the fallback, and what a failure says', () => {
  let world;
  let browser;
  withWorldAndBrowser({}, (w, b) => ([world, browser] = [w, b]));

  /**
   * Opens the load page (or `path`). `routes` maps a pkg/ file to what is
   * answered instead (404, 'html', 'abort').
   */
  async function open({ routes = {}, path = PAGE, withoutDecompressionStream = false } = {}) {
    const page = await browser.newPage();
    if (withoutDecompressionStream) await page.addInitScript(() => delete window.DecompressionStream);
    page.problems = [];
    page.fetched = [];
    page.on('console', (message) => message.type() === 'error' && page.problems.push(message.text()));
    page.on('pageerror', (error) => page.problems.push(String(error)));
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/pkg/')) page.fetched.push(path.slice('/pkg/'.length));
    });
    for (const [file, answer] of Object.entries(routes)) {
      await page.route(`**/pkg/${file}`, (route) => {
        if (answer === 'abort') return route.abort();
        if (answer === 'html') return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>App</title><div id="root"></div>' });
        return route.fulfill({ status: answer, contentType: 'text/plain', body: 'Not found' });
      });
    }
    await page.goto(world.pages.origin + path);
    await page.waitForFunction(() => window.ready === true);
    return page;
  }

  /** Runs `load(input)` (when given) and createClient + hasSession; the outcome as plain data. */
  const attempt = (page, input) => page.evaluate(async ({ server, clientId, input }) => {
    try {
      if (input !== undefined) await window.sdk.load(input);
      const client = await window.sdk.createClient({ clientId, server });
      return { ok: true, userStatus: (await client.hasSession()).userStatus };
    } catch (error) {
      return {
        ok: false, name: error.name, code: error.code, message: error.message,
        isSdkError: error instanceof window.sdk.SdkError, hasCause: error.cause !== undefined,
      };
    }
  }, { server: world.emulator.url, clientId: CLIENT_ID, input });

  const only401 = (problems) => problems.filter((line) => !/status of 401/.test(line));

  test('the default path fetches the file next to index.js, neither the inlined copy nor the errors\' sentences', async () => {
    const page = await open();
    assert.deepEqual(await attempt(page), { ok: true, userStatus: 'notConnected' });
    assert.deepEqual(page.fetched, ['index.js', 'schacc_sdk_bg.wasm']);
    assert.deepEqual(only401(page.problems), []);
    await page.close();
  });

  test('the file answers 404: the inlined copy takes over', async () => {
    const page = await open({ routes: { 'schacc_sdk_bg.wasm': 404 } });
    assert.deepEqual(await attempt(page), { ok: true, userStatus: 'notConnected' });
    assert.deepEqual(page.fetched, ['index.js', 'schacc_sdk_bg.wasm', 'schacc_sdk_inline.js']);
    // The browser's own line for the 404 is the only other one.
    assert.deepEqual(only401(page.problems).map((line) => line.replace(/\d{3}.*/, '')), ['Failed to load resource: the server responded with a status of ']);
    await page.close();
  });

  test('the inlined copy inflates without DecompressionStream too (Safari 16.0–16.3, Firefox 100–112)', async () => {
    const page = await open({ routes: { 'schacc_sdk_bg.wasm': 404 }, withoutDecompressionStream: true });
    assert.equal(await page.evaluate(() => typeof DecompressionStream), 'undefined');
    assert.deepEqual(await attempt(page), { ok: true, userStatus: 'notConnected' });
    assert.ok(page.fetched.includes('schacc_sdk_inline.js'));
    await page.close();
  });

  test('the file\'s URL answers an HTML page (a dev server, Vite\'s pre-bundling): the inlined copy takes over, no error logged', async () => {
    const page = await open({ routes: { 'schacc_sdk_bg.wasm': 'html' } });
    assert.deepEqual(await attempt(page), { ok: true, userStatus: 'notConnected' });
    assert.ok(page.fetched.includes('schacc_sdk_inline.js'));
    assert.deepEqual(only401(page.problems), []);
    await page.close();
  });

  test('neither the file nor the inlined copy loads: SdkError \'load\' names the 404, and a later call works', async () => {
    const page = await open({ routes: { 'schacc_sdk_bg.wasm': 404, 'schacc_sdk_inline.js': 404 } });
    const failed = await attempt(page);
    assert.equal(failed.ok, false);
    assert.equal(failed.name, 'SdkError');
    assert.equal(failed.code, 'load');
    assert.equal(failed.isSdkError, true);
    assert.equal(failed.hasCause, true);
    assert.match(failed.message, /^schacc-sdk could not load its WebAssembly: http:\/\/127\.0\.0\.1:\d+\/pkg\/schacc_sdk_bg\.wasm answered 404: the file is not there; serve schacc_sdk_bg\.wasm there, or pass its URL to load\(url\) before createClient\(\)\. Its inlined copy did not load either \(.+\)\.$/);
    assert.ok(page.fetched.includes('load-error.js'), 'the sentences were fetched once needed');
    await page.unrouteAll();
    assert.deepEqual(await attempt(page), { ok: true, userStatus: 'notConnected' });
    await page.close();
  });

  test('the sentences themselves cannot be fetched (offline): the message still names the cause', async () => {
    const page = await open({ routes: { 'schacc_sdk_bg.wasm': 404, 'schacc_sdk_inline.js': 'abort', 'load-error.js': 'abort' } });
    const failed = await attempt(page);
    assert.equal(failed.code, 'load');
    assert.match(failed.message, /^schacc-sdk could not load its WebAssembly: inline .*/);
    await page.close();
  });

  test('load(url) of a file that is not there: \'load\', naming the URL and the status', async () => {
    const page = await open();
    const failed = await attempt(page, '/nowhere/schacc_sdk_bg.wasm');
    assert.equal(failed.code, 'load');
    assert.match(failed.message, /\/nowhere\/schacc_sdk_bg\.wasm answered 404: the file is not there/);
    assert.ok(!page.fetched.includes('schacc_sdk_inline.js'), 'a location the page chose has no fallback');
    await page.close();
  });

  test('load(url) answering an HTML page: \'load\' says so and what to do with Vite (optimizeDeps.exclude)', async () => {
    const page = await open();
    const failed = await attempt(page, PAGE);
    assert.equal(failed.code, 'load');
    assert.match(failed.message, /load\.html is an HTML page, not wasm \(it starts "<!doctype"\)/);
    assert.match(failed.message, /optimizeDeps: \{ exclude: \['schacc-sdk'\] \} to vite\.config/);
    await page.close();
  });

  test('load(url) answering something else: \'load\' says it is not wasm', async () => {
    const page = await open();
    const failed = await attempt(page, '/pkg/index.js');
    assert.equal(failed.code, 'load');
    assert.match(failed.message, /\/pkg\/index\.js is not wasm \(it starts "/);
    await page.close();
  });

  test('load(url) that cannot be fetched: \'load\' names the fetch failure, distinct from \'network\'', async () => {
    const page = await open();
    const failed = await attempt(page, 'http://127.0.0.1:1/schacc_sdk_bg.wasm');
    assert.equal(failed.code, 'load');
    assert.match(failed.message, /fetching http:\/\/127\.0\.0\.1:1\/schacc_sdk_bg\.wasm failed \(Failed to fetch\)/);
    await page.close();
  });

  test('a Content-Security-Policy without \'wasm-unsafe-eval\': \'load\' says to add it (and tries no fallback)', async () => {
    const page = await open({ path: '/tests/packaging/pages/load-csp.html' });
    const failed = await attempt(page);
    assert.equal(failed.code, 'load');
    assert.match(failed.message, /Content Security Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to its script-src/);
    assert.ok(!page.fetched.includes('schacc_sdk_inline.js'));
    await page.close();
  });

  test('with script-src \'self\' \'wasm-unsafe-eval\' it works', async () => {
    const page = await open({ path: '/tests/packaging/pages/load-csp-wasm.html' });
    assert.deepEqual(await attempt(page), { ok: true, userStatus: 'notConnected' });
    assert.deepEqual(only401(page.problems), []);
    await page.close();
  });
});

describe('global.js: the wasm from a URL of the page\'s own (window.SPiD_wasmUrl, like data-wasm)', () => {
  let world;
  let browser;
  withWorldAndBrowser({}, (w, b) => ([world, browser] = [w, b]));

  const open = async (wasm) => {
    const page = await browser.newPage();
    page.problems = [];
    page.fetched = [];
    page.on('console', (message) => message.type() === 'error' && page.problems.push(message.text()));
    page.on('request', (request) => page.fetched.push(new URL(request.url()).pathname));
    const query = new URLSearchParams({ server: world.emulator.url, client: CLIENT_ID, wasm });
    await page.goto(`${world.pages.origin}/tests/packaging/pages/global-wasm-url.html?${query}`);
    await page.waitForFunction(() => window.outcome !== undefined);
    return page;
  };

  test('it is fetched from there and used', async () => {
    const page = await open('/pkg/global.wasm');
    assert.deepEqual(await page.evaluate(() => window.outcome), { userStatus: 'notConnected' });
    assert.ok(page.fetched.includes('/pkg/global.wasm'));
    assert.deepEqual(page.problems.filter((line) => !/status of 401/.test(line)), []);
    await page.close();
  });

  test('the module API\'s wasm (no 2.x rules in it): refused by its name, the inlined copy is used, and why is logged', async () => {
    const page = await open('/pkg/schacc_sdk_bg.wasm');
    assert.deepEqual(await page.evaluate(() => window.outcome), { userStatus: 'notConnected' });
    assert.ok(page.fetched.includes('/pkg/schacc_sdk_bg.wasm'));
    const logged = page.problems.find((line) => line.startsWith('[SPiD] data-wasm failed, using the inlined copy:'));
    assert.match(logged ?? page.problems.join('\n'), /is not this version's wasm .*serve the global\.wasm of the same schacc-sdk version as global\.js/);
    await page.close();
  });

  test('a location that is not there: the inlined copy is used, and the failure naming it is logged', async () => {
    const page = await open('/nowhere/global.wasm');
    assert.deepEqual(await page.evaluate(() => window.outcome), { userStatus: 'notConnected' });
    const logged = page.problems.find((line) => line.startsWith('[SPiD] data-wasm failed, using the inlined copy:'));
    assert.match(logged ?? page.problems.join('\n'), /\/nowhere\/global\.wasm answered 404: the file is not there/);
    await page.close();
  });
});

describe('outside a browser (server-side rendering, Node)', () => {
  let world;
  let app;
  before(async () => {
    world = await startWorld();
    // An app with the package installed (a link to pkg/), so the message's recipe runs as written.
    app = mkdtempSync(join(tmpdir(), 'schacc-node-app-'));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(join(root, 'pkg'), join(app, 'node_modules/schacc-sdk'));
    writeFileSync(join(app, 'package.json'), '{ "type": "module" }\n');
  });
  after(async () => {
    await world?.stop();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  const node = (code, entry = 'schacc-sdk') => {
    const file = join(app, 'script.mjs');
    writeFileSync(file, code.replaceAll('ENTRY', entry));
    return spawnSync(process.execPath, [file], { cwd: app, encoding: 'utf8', timeout: 30_000 });
  };

  for (const [entry, what] of [['schacc-sdk', 'inline.js, what Node resolves'], ['schacc-sdk/index.js', 'index.js']]) {
    test(`${what}: createClient at module scope rejects with 'load' and logs no unhandled rejection`, () => {
      const target = entry === 'schacc-sdk' ? 'schacc-sdk' : './node_modules/schacc-sdk/index.js';
      const result = node(`
        import { createClient, load } from 'ENTRY';
        const early = createClient({ clientId: 'abc123', server: 'https://login.schacc.example' });
        load(); // nobody awaits either
        setTimeout(async () => {
          try { await early; console.log('resolved?'); } catch (error) { console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message })); }
        }, 200);
      `, target);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '');
      const error = JSON.parse(result.stdout);
      assert.equal(error.name, 'SdkError');
      assert.equal(error.code, 'load');
      assert.match(error.message, /this is not a browser \(no document\)\. createClient\(\) belongs in the browser, not in server-side rendering/);
    });
  }

  test('merely importing the package does nothing', () => {
    const result = node("import 'ENTRY'; import 'schacc-sdk/global.js'; console.log('ok');");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'ok');
    assert.equal(result.stderr, '');
  });

  test('the message\'s recipe for Node works: load(readFileSync(…)) and then createClient, logoutUrl(), hasSession()', () => {
    const result = node(`
      import { readFileSync } from 'node:fs';
      import { createClient, load } from 'ENTRY';
      await load(readFileSync(new URL(import.meta.resolve('schacc-sdk/schacc_sdk_bg.wasm'))));
      const client = await createClient({ clientId: '${CLIENT_ID}', server: '${world.emulator.url}' });
      console.log(JSON.stringify({ url: client.logoutUrl(), status: (await client.hasSession()).userStatus }));
      client.destroy();
    `);
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.equal(out.url, `${world.emulator.url}/logout?client_id=${CLIENT_ID}`);
    assert.equal(out.status, 'notConnected');
  });
});

test('pkg/ ships the files the default path and its fallbacks load', async () => {
  const { readdirSync } = await import('node:fs');
  const files = readdirSync(join(root, 'pkg'));
  for (const file of SHIPPED) assert.ok(files.includes(file), file);
});
