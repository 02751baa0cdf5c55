// Chrome 103–123 (inside the support floor, README "Browser support") abort a fetch whose
// `AbortSignal.timeout()` fired with an `AbortError`, where later engines reject with the signal's
// `TimeoutError`. Both are a timeout (src/browser/http.rs): `timeout`, never `network`, in the
// rejection, in SPiD.error and in the fallback's `reason`. Here in Chromium, with AbortSignal.timeout
// replaced before any script runs by one that aborts the old way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID, LOGOUT_EVENTS, createClient, events, withWorldAndBrowser } from './harness.mjs';

const TIMEOUT = 400; // ms: the client's timeout
const LATE = { delayMs: 1500, status: 500 }; // a 500 after the timeout: `http` would mean the timeout did not fire

let world;
let browser;
withWorldAndBrowser({ thirdPartyCookies: 'allow' }, (w, b) => ([world, browser] = [w, b]));

/** AbortSignal.timeout as Chrome 103–123 behave: the fetch is aborted with a DOMException named 'AbortError'. */
function abortTheOldWay() {
  window.oldTimeouts = 0;
  AbortSignal.timeout = (ms) => {
    window.oldTimeouts += 1;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('The user aborted a request.', 'AbortError')), ms);
    return controller.signal;
  };
}

describe('AbortSignal.timeout() aborting with AbortError (Chrome 103–123) is a timeout', () => {
  let page;
  before(async () => {
    page = await browser.newPage();
    await page.addInitScript(abortTheOldWay);
    await page.goto(world.sdkPage);
    await page.waitForFunction(() => window.sdkReady === true);
  });
  after(() => page?.close());

  /** A fresh emulator and client on the page, user 1001 logged in and known. */
  async function prepare(options = {}) {
    await world.emulator.reset();
    await world.emulator.clearFaults();
    await page.evaluate(() => window.client?.destroy());
    await page.evaluate(() => {
      window.events.length = 0;
      sessionStorage.removeItem('events');
    });
    const loggedIn = await page.evaluate(async (server) => {
      const response = await fetch(`${server}/__emulator/login?user_id=1001&format=json`, { method: 'POST', credentials: 'include', mode: 'no-cors' }).catch((e) => e);
      return response?.type === 'opaque';
    }, world.emulator.url);
    assert.equal(loggedIn, true);
    await createClient(page, world, { timeout: TIMEOUT, redirectUri: world.landingPage, ...options });
    assert.equal((await page.evaluate(() => window.client.hasSession())).userId, 1001);
    await page.evaluate(() => (window.events.length = 0));
  }

  test('the stub is in force: the signal aborts with AbortError', async () => {
    const reason = await page.evaluate(async () => {
      const signal = AbortSignal.timeout(10);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return signal.reason?.name;
    });
    assert.equal(reason, 'AbortError');
  });

  for (const [operation, path] of [['hasSession', '/ajax/hasSession.json'], ['logout', '/ajax/logout.json'], ['apiLogout', '/api/2/logout']]) {
    test(`${operation}() × an answer later than the timeout → timeout, not network`, async () => {
      await prepare();
      const token = operation === 'apiLogout' ? (await world.emulator.token()).access_token : undefined;
      const timeoutsBefore = await page.evaluate(() => window.oldTimeouts);
      await world.emulator.fault({ path, times: 1, ...LATE });
      const outcome = await page.evaluate(({ operation, token }) => window.attempt((client) => client[operation](token)), { operation, token });
      assert.equal(outcome.ok, false, JSON.stringify(outcome));
      assert.equal(outcome.error.code, 'timeout', JSON.stringify(outcome));
      assert.ok(await page.evaluate(() => window.oldTimeouts) > timeoutsBefore, 'the SDK used the stubbed AbortSignal.timeout');
      const fired = await page.evaluate(() => window.events);
      assert.deepEqual(fired.map((e) => e.name), ['SPiD.error']);
      assert.equal(fired[0].payload.code, 'timeout');
    });
  }

  test("logoutWithFallback() × a late answer: the redirect flow runs with reason 'timeout'", async () => {
    await prepare();
    await world.emulator.fault({ path: '/ajax/logout.json', times: 1, ...LATE });
    // A 204 stands in for SchAcc's /logout: the page stays, so the promise settles and its reason can be read.
    const logoutPage = `${world.emulator.url}/logout?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(world.landingPage)}`;
    const isLogoutPage = (url) => url.href === logoutPage;
    await page.route(isLogoutPage, (route) => route.fulfill({ status: 204 }));
    try {
      const outcome = await page.evaluate(() => window.attempt((client) => client.logoutWithFallback()));
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.equal(outcome.value.redirected, true);
      assert.equal(outcome.value.reason, 'timeout');
      assert.deepEqual(await events(page), ['SPiD.error', ...LOGOUT_EVENTS]);
    } finally {
      await page.unroute(isLogoutPage);
    }
  });

  test("fallback: 'never' rejects with timeout", async () => {
    await prepare({ fallback: 'never' });
    await world.emulator.fault({ path: '/ajax/logout.json', times: 1, ...LATE });
    const outcome = await page.evaluate(() => window.attempt((client) => client.logoutWithFallback()));
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    assert.equal(outcome.error.code, 'timeout');
  });
});
