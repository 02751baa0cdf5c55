// A page whose Content Security Policy lacks 'wasm-unsafe-eval', in Firefox ESR and WebKit over W3C
// WebDriver (tests/packaging/load.test.mjs has the same in Chromium). Each engine words the refusal
// its own way — Firefox "call to WebAssembly.instantiate() blocked by CSP", WebKit "Refused to create a
// WebAssembly object because 'unsafe-eval' or 'wasm-unsafe-eval' is not an allowed source of script in
// the following Content Security Policy directive", Chromium "… Content Security Policy …" — and
// pkg-template/load.js must read each as the CSP: SdkError 'load' saying to add 'wasm-unsafe-eval', and
// no fetch of the inlined copy (the page's policy would refuse that the same way). The page server's own
// log says what the browser fetched.
//
// Needs what tests/webdriver/fallback.test.mjs needs; an engine whose driver is absent is skipped.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID } from '../e2e/harness.mjs';
import { ENGINES, locate, withEngine } from './engines.mjs';

const PAGES = '/tests/packaging/pages';

for (const engine of ENGINES) {
  const { driverPath, skip } = locate(engine);

  describe(`a CSP without 'wasm-unsafe-eval' in ${engine.name}`, { skip, timeout: 110_000 }, () => {
    let world;
    let session;
    let fetched = [];
    withEngine(engine, { driverPath, label: `${engine.name} (CSP)` }, (rig) => {
      if (world !== rig.world) rig.world.pages.server.on('request', (request) => fetched.push(new URL(request.url, 'http://x').pathname));
      ({ world, session } = rig);
    });

    /** Opens `page` and runs createClient + hasSession there: the outcome as plain data, and what the browser fetched. */
    async function attempt(page) {
      fetched = [];
      await session.navigate(`${world.pages.origin}${PAGES}/${page}`);
      await session.waitFor(() => window.ready === true, { message: page });
      const outcome = await session.evaluate(async (server, clientId) => {
        try {
          const client = await window.sdk.createClient({ clientId, server });
          return { ok: true, userStatus: (await client.hasSession()).userStatus };
        } catch (error) {
          return { ok: false, name: error.name, code: error.code, message: error.message, cause: String(error.cause?.message ?? error.cause) };
        }
      }, world.emulator.url, CLIENT_ID);
      return { outcome, fetched: fetched.filter((path) => path.startsWith('/pkg/')).map((path) => path.slice('/pkg/'.length)) };
    }

    test("SdkError 'load' says to add 'wasm-unsafe-eval', and the inlined copy is not fetched", async () => {
      const { outcome, fetched } = await attempt('load-csp.html');
      assert.equal(outcome.ok, false, JSON.stringify(outcome));
      assert.equal(outcome.name, 'SdkError');
      assert.equal(outcome.code, 'load');
      assert.match(outcome.message, /Content Security Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to its script-src/, `the engine said: ${outcome.cause}`);
      assert.ok(fetched.includes('schacc_sdk_bg.wasm'), `the file was tried: ${fetched}`);
      assert.ok(!fetched.includes('schacc_sdk_inline.js'), `the inlined copy was fetched: ${fetched}`);
    });

    test('the log sees a fetch of the inlined copy where there is one (the check above can fail)', async () => {
      await attempt('load-csp.html');
      fetched = [];
      await session.evaluate(() => import('/pkg/schacc_sdk_inline.js').then(() => true));
      assert.ok(fetched.includes('/pkg/schacc_sdk_inline.js'), `${fetched}`);
    });

    test("with script-src 'self' 'wasm-unsafe-eval' it works", async () => {
      const { outcome } = await attempt('load-csp-wasm.html');
      assert.deepEqual(outcome, { ok: true, userStatus: 'notConnected' });
    });
  });
}
