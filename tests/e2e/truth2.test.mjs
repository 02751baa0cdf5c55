// "Truth, second round" (issue 19): the SDK in frames, loads that stall or
// bring the wrong wasm, double clicks, Vue and detached methods, the
// constructor, work after destroy(), hostile session fields and re-checks
// without a throttle. Chromium with third-party cookies blocked (Safari's
// policy) unless a test says otherwise; page on 127.0.0.1, SchAcc on localhost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_ID, LOGOUT_EVENTS, createClient, events, launch, moveClock, openSdkPage, root, withWorldAndBrowser } from './harness.mjs';

// A normal browser too, closed before the world stops (hooks run in the order they are registered): the
// world's page server waits for the browsers' open connections.
let allowing;
before(async () => {
  allowing = await launch({ thirdPartyCookies: 'allow' });
});
after(() => allowing?.close());

let world;
let blocking;
withWorldAndBrowser({ thirdPartyCookies: 'block' }, (w, b) => ([world, blocking] = [w, b]));

// Preflights (OPTIONS) aside.
const requestsTo = async (path) => (await world.emulator.state()).requests.filter((r) => r.path === path && r.method !== 'OPTIONS');
const sessionCount = async () => (await world.emulator.state()).sessions.length;
const logoutNavigations = (page) => {
  const seen = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && new URL(request.url()).pathname === '/logout') seen.push(request.url());
  });
  return seen;
};
/** Runs `source` (a function of the client) in `target` (page or frame); the outcome as plain data. */
const attempt = (target, source, arg) => target.evaluate(({ source, arg }) => {
  const call = (0, eval)(`(${source})`);
  return window.attempt((client) => call(client, arg));
}, { source, arg });

describe('1. in a frame, only a top-level navigation is evidence', () => {
  const framePage = (top, src, sandbox) => `${top}/tests/e2e/pages/frame.html?src=${encodeURIComponent(src)}${sandbox ? `&sandbox=${encodeURIComponent(sandbox)}` : ''}`;
  const sdkFrame = async (page) => {
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await frame.waitForFunction(() => window.sdkReady === true);
    return frame;
  };
  const makeClient = (frame, options = {}) => frame.evaluate(
    (options) => window.makeClient(options),
    { clientId: CLIENT_ID, server: world.emulator.url, redirectUri: world.landingPage, ...options },
  );

  test('same-origin frame: logoutWithFallback() sends the top page through /logout, and the session ends', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(blocking, world, { login: true });
    assert.equal(await sessionCount(), 1);
    await page.goto(framePage(world.pages.origin, world.sdkPage));
    const frame = await sdkFrame(page);
    await makeClient(frame);
    const navigations = logoutNavigations(page);
    await Promise.all([
      page.waitForURL(world.landingPage),
      frame.evaluate(() => { window.client.logoutWithFallback(); }),
    ]);
    assert.equal(navigations.length, 1, 'one top-level visit to /logout');
    assert.equal(await sessionCount(), 0, 'first party at SchAcc: the session is gone');
    await page.close();
  });

  for (const [what, top, sandbox] of [
    ['a frame whose top page is of another origin', () => `http://localhost:${new URL(world.pages.origin).port}`, null],
    ['a sandboxed frame without allow-top-navigation', () => world.pages.origin, 'allow-scripts allow-same-origin'],
  ]) {
    test(`${what}: typed error, no event, no announcement, the session lives`, async () => {
      await world.emulator.reset();
      const page = await openSdkPage(blocking, world, { login: true });
      const otherTab = await openSdkPage(blocking, world);
      await createClient(otherTab, world);
      await page.goto(framePage(top(), world.sdkPage, sandbox));
      const frame = await sdkFrame(page);
      await makeClient(frame);
      const navigations = logoutNavigations(page);
      const fallback = await attempt(frame, '(client) => client.logoutWithFallback()');
      assert.equal(fallback.ok, false, JSON.stringify(fallback));
      assert.equal(fallback.isSdkError, true);
      assert.equal(fallback.error.code, 'network');
      assert.match(fallback.error.message, /top-level page/);
      const redirect = await attempt(frame, '(client) => client.redirectLogout()');
      assert.equal(redirect.ok, false);
      assert.equal(redirect.error.code, 'network');
      await page.waitForTimeout(300);
      assert.deepEqual(await events(frame), [], 'no SPiD.logout for a logout that did not happen');
      assert.deepEqual(await events(otherTab), [], 'no other tab was told');
      assert.deepEqual(navigations, []);
      assert.equal(await sessionCount(), 1, 'the SchAcc session lives, and nobody was told otherwise');
      await page.close();
      await otherTab.close();
    });
  }
});

describe('2. every load settles within a bounded time', () => {
  let stalling;
  before(async () => {
    // Answers headers and a few bytes of wasm, then nothing, for every path.
    stalling = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/wasm', 'access-control-allow-origin': '*' });
      response.write(Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    });
    await new Promise((resolve) => stalling.listen(0, '127.0.0.1', resolve));
  });
  after(() => { stalling?.closeAllConnections(); stalling?.close(); });

  test('the package file never answers: createClient falls back to the inlined copy', async () => {
    const page = await blocking.newPage();
    await page.route('**/pkg/schacc_sdk_bg.wasm', () => {}); // never fulfilled
    const chunks = [];
    page.on('request', (request) => chunks.push(new URL(request.url()).pathname));
    await page.goto(world.sdkPage);
    await page.waitForFunction(() => window.sdkReady === true);
    const started = Date.now();
    const session = await createClient(page, world);
    assert.equal(session.userStatus, 'unknown');
    assert.ok(Date.now() - started < 15_000, 'settled within the load timeout and the fallback');
    assert.ok(chunks.includes('/pkg/schacc_sdk_inline.js'), 'the inlined copy was fetched');
    assert.match(await page.evaluate(() => window.client.logoutUrl()), /\/logout\?client_id=/);
    await page.close();
  });

  test('load(url) of a server that sends headers and a few bytes, then stalls: rejects load within a bounded time', async () => {
    const page = await blocking.newPage();
    await page.goto(world.sdkPage);
    await page.waitForFunction(() => window.sdkReady === true);
    const started = Date.now();
    const outcome = await page.evaluate(async (url) => {
      try {
        await window.sdk.load(url);
        return 'loaded';
      } catch (error) {
        return { code: error.code, message: error.message };
      }
    }, `http://127.0.0.1:${stalling.address().port}/stall.wasm`);
    assert.ok(Date.now() - started < 15_000);
    assert.equal(outcome.code, 'load');
    assert.match(outcome.message, /10 seconds|timed out/);
    // The instance is not wedged: the package's own wasm still loads.
    assert.equal((await createClient(page, world)).userStatus, 'unknown');
    await page.close();
  });

  test('global.js with a data-wasm that stalls: falls back to its inlined copy', async () => {
    const page = await blocking.newPage();
    const html = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
      <script src="/pkg/global.js" data-wasm="http://127.0.0.1:${stalling.address().port}/stall.wasm"></script>
      <script>SPiD.init({ client_id: ${JSON.stringify(CLIENT_ID)}, server: ${JSON.stringify(world.emulator.url)} });</script>`;
    await page.route('**/stalling-global.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(`${world.pages.origin}/stalling-global.html`);
    const answer = await page.evaluate(() => new Promise((resolve) => SPiD.hasSession((err, data) => resolve({ err: err && err.description, status: data && data.userStatus }))));
    // A load failure would call back with 2.x's communication error naming it.
    assert.doesNotMatch(answer.err ?? '', /could not load its WebAssembly/, JSON.stringify(answer));
    await page.close();
  });
});

describe('3. a double click is one outcome', () => {
  test('cookies blocked: two logoutWithFallback() → one request, one set of events, equal results', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(blocking, world);
    await page.route((url) => url.pathname === '/logout', (route) => route.fulfill({ status: 204 }));
    await createClient(page, world);
    const [first, second] = await page.evaluate(() => Promise.all([window.client.logoutWithFallback(), window.client.logoutWithFallback()]));
    assert.deepEqual(first, second);
    assert.equal(first.redirected, true);
    assert.equal((await requestsTo('/ajax/logout.json')).length, 1);
    assert.deepEqual(await events(page), LOGOUT_EVENTS, 'one set of events');
    await page.close();
  });

  test('with a token: one revocation, no SPiD.error, both told the token is revoked', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(allowing, world, { login: true });
    await createClient(page, world);
    const { access_token: token } = await world.emulator.token();
    const results = await page.evaluate((token) => Promise.all([
      window.client.logoutWithFallback({ oauthToken: token }),
      window.client.logoutWithFallback({ oauthToken: token }),
    ]), token);
    for (const result of results) {
      assert.deepEqual({ ...result, session: undefined }, { session: undefined, redirected: false, confirmed: true, tokenRevoked: true, reason: 'confirmed' });
    }
    assert.equal((await requestsTo('/api/2/logout')).length, 1, 'one revocation');
    assert.deepEqual(await events(page), LOGOUT_EVENTS, 'no SPiD.error');
    assert.equal((await world.emulator.me(token)).status, 401);
    await page.close();
  });
});

describe('4. a wasm that is not this SDK’s is recognised', () => {
  const wasm = readFileSync(join(root, 'pkg/schacc_sdk_bg.wasm'));
  // The build appends the section that names the wasm; without it, or with another name, it is another wasm.
  // Section id 0 and its size, then the name's length (10) and the name.
  const sectionStart = wasm.lastIndexOf(Buffer.concat([Buffer.from([10]), Buffer.from('schacc-sdk')])) - 2;
  const unnamed = wasm.subarray(0, sectionStart);
  const otherVersion = Buffer.concat([unnamed, (() => {
    const body = Buffer.concat([Buffer.from([10]), Buffer.from('schacc-sdk'), Buffer.from('schacc-sdk 0.0.9 0000000000000000')]);
    return Buffer.concat([Buffer.from([0, body.length]), body]);
  })()]);
  const emptyModule = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

  test('the build names the wasm in a custom section', () => {
    assert.equal(wasm[sectionStart], 0);
    assert.equal(sectionStart + 2 + wasm[sectionStart + 1], wasm.length, 'the last section');
  });

  for (const [what, bytes] of [['another version', otherVersion], ['an unnamed build', unnamed], ['another module', emptyModule]]) {
    test(`load(bytes of ${what}) → load error naming the mismatch; the instance still works`, async () => {
      const page = await blocking.newPage();
      await page.goto(world.sdkPage);
      await page.waitForFunction(() => window.sdkReady === true);
      const outcome = await page.evaluate(async (bytes) => {
        try {
          await window.sdk.load(new Uint8Array(bytes));
          return 'loaded';
        } catch (error) {
          return { code: error.code, message: error.message };
        }
      }, [...bytes]);
      assert.equal(outcome.code, 'load');
      assert.match(outcome.message, /not this version's wasm/);
      assert.equal((await createClient(page, world)).userStatus, 'unknown', 'then the package’s own wasm loads');
      assert.match(await page.evaluate(() => window.client.logoutUrl()), /client_id=/);
      await page.close();
    });
  }

  test('the package file is another version: createClient falls back to the inlined copy', async () => {
    const page = await blocking.newPage();
    await page.route('**/pkg/schacc_sdk_bg.wasm', (route) => route.fulfill({ contentType: 'application/wasm', body: otherVersion }));
    await page.goto(world.sdkPage);
    await page.waitForFunction(() => window.sdkReady === true);
    await createClient(page, world);
    const outcome = await attempt(page, '(client) => client.hasSession()');
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    await page.close();
  });
});

describe('5 and 9. Vue, Proxies, detached methods, and no constructor around the checks', () => {
  let page;
  before(async () => {
    await world.emulator.reset();
    page = await openSdkPage(allowing, world, { login: true });
    await createClient(page, world);
  });
  after(() => page?.close());

  test("through Vue 3's reactive() and ref(), every member works", async () => {
    const outcome = await page.evaluate(async () => {
      const { reactive, ref, toRaw } = await import('/node_modules/vue/dist/vue.esm-browser.prod.js');
      const state = reactive({ client: window.client });
      const held = ref(window.client);
      const heard = [];
      const off = state.client.on('SPiD.sessionChange', (session) => heard.push(session.userId));
      const session = await state.client.hasSession();
      off();
      state.client.once('SPiD.notLoggedin', () => {});
      state.client.event.subscribe('SPiD.login', () => {});
      return {
        userId: session.userId,
        getter: state.client.session.userId,
        viaRef: held.value.session.userId,
        url: held.value.logoutUrl(),
        heard,
        raw: toRaw(state.client) === window.client,
      };
    });
    assert.equal(outcome.userId, 1001);
    assert.equal(outcome.getter, 1001);
    assert.equal(outcome.viaRef, 1001);
    assert.match(outcome.url, /\/logout\?client_id=/);
    assert.deepEqual(outcome.heard, [1001]);
    assert.equal(outcome.raw, true);
  });

  test('through a plain Proxy, and as detached methods (button.onclick = client.logout)', async () => {
    const outcome = await page.evaluate(async () => {
      const proxied = new Proxy(window.client, {});
      const { hasSession, logoutUrl } = window.client;
      const first = (await proxied.hasSession()).userId;
      const getter = proxied.session.userId;
      const detached = (await hasSession()).userId;
      const url = logoutUrl.call(undefined);
      const button = document.createElement('button');
      let clicked;
      button.onclick = window.client.logout;
      const logout = new Promise((resolve) => window.client.once('SPiD.logout', resolve));
      button.click();
      clicked = (await logout).userStatus;
      return { first, getter, detached, url, clicked };
    });
    assert.deepEqual({ ...outcome, url: undefined }, { first: 1001, getter: 1001, detached: 1001, url: undefined, clicked: 'notConnected' });
    assert.match(outcome.url, /\/logout\?client_id=/);
  });

  test('client.constructor is not a way around createClient: no client, wasm memory untouched', async () => {
    const outcome = await page.evaluate(() => {
      const Constructor = window.client.constructor;
      const made = new Constructor({ clientId: 'x'.repeat(16 * 1024 * 1024), server: 'https://login.schacc.example' });
      return {
        isObject: Constructor === Object,
        hasMethods: typeof made.hasSession === 'function',
        prototype: Object.getPrototypeOf(window.client) === Object.prototype,
        frozen: Object.isFrozen(window.client),
      };
    });
    assert.deepEqual(outcome, { isObject: true, hasMethods: false, prototype: true, frozen: true });
  });
});

describe('10. nothing of a client runs after destroy()', () => {
  test('a logoutWithFallback() in flight: rejects typed, no navigation, no clean-up, no announcement', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(blocking, world);
    const otherTab = await openSdkPage(blocking, world);
    await createClient(otherTab, world);
    await createClient(page, world, { redirectUri: world.landingPage });
    await page.evaluate((clientId) => {
      document.cookie = 'SP_ID=kept; Path=/';
      localStorage.setItem(`spid_js_${clientId}`, 'kept');
    }, CLIENT_ID);
    await world.emulator.fault({ path: '/ajax/logout.json', times: 1, delayMs: 500, status: 200, body: '{"result":false,"reason":"no_session"}' });
    const navigations = logoutNavigations(page);
    const outcome = await page.evaluate(async () => {
      const running = window.client.logoutWithFallback();
      window.client.destroy();
      try {
        return { ok: true, value: await running };
      } catch (error) {
        return { ok: false, code: error.code, message: error.message };
      }
    });
    assert.deepEqual(outcome, { ok: false, code: 'invalid_argument', message: 'This client was destroyed' });
    await page.waitForTimeout(300);
    assert.deepEqual(navigations, []);
    assert.equal(page.url(), world.sdkPage);
    assert.deepEqual(await page.evaluate((clientId) => [document.cookie, localStorage.getItem(`spid_js_${clientId}`)], CLIENT_ID), ['SP_ID=kept', 'kept']);
    assert.deepEqual(await events(page), []);
    assert.deepEqual(await events(otherTab), [], 'no other tab was told');
    await page.close();
    await otherTab.close();
  });
});

describe('11. session objects are plain data whatever the server sends', () => {
  test('fields named toString and valueOf: String(), template literals and + still work', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(allowing, world);
    await createClient(page, world);
    await world.emulator.fault({
      path: '/ajax/hasSession.json', times: 1, status: 200,
      body: '{"result":true,"userId":1001,"userStatus":"connected","toString":"x","valueOf":7,"toLocaleString":null}',
    });
    const outcome = await page.evaluate(async () => {
      const session = await window.client.hasSession();
      const held = window.client.session;
      return {
        string: String(session),
        template: `${held}`,
        plus: session + '',
        json: JSON.parse(JSON.stringify(session)).toString,
        fields: [session.toString, session.valueOf],
        keys: Object.keys(session).includes('toString'),
        cloned: structuredClone(session).valueOf,
      };
    });
    assert.deepEqual(outcome, {
      string: '[object Object]', template: '[object Object]', plus: '[object Object]', json: 'x', fields: ['x', 7], keys: true, cloned: 7,
    });
    await page.close();
  });
});

describe('12. re-checks when the page comes back are throttled', () => {
  test('100 returns 30 ms apart → no new request within a minute; after it, one, which notices the ended session', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(allowing, world, { login: true });
    await createClient(page, world);
    await page.evaluate(() => window.client.hasSession());
    const show = (times) => page.evaluate(async (times) => {
      for (let i = 0; i < times; i += 1) {
        document.dispatchEvent(new Event('visibilitychange'));
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    }, times);
    await show(100);
    assert.equal((await requestsTo('/ajax/hasSession.json')).length, 1, 'only the first hasSession()');
    await world.emulator.reset(); // the session ended elsewhere
    // A minute later (the page's clock moved on).
    await moveClock(page, 61_000);
    await show(100);
    await page.waitForFunction(() => window.client.session.userStatus === 'notConnected', null, { timeout: 3000 });
    assert.equal((await requestsTo('/ajax/hasSession.json')).length, 1, 'one re-check for the 100 returns (the log was reset)');
    assert.deepEqual((await events(page)).slice(-3), LOGOUT_EVENTS);
    await page.close();
  });
});

describe('also seen', () => {
  test('a hasSession() answered during a slow logout() of a client that never saw the user fires no login', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(allowing, world, { login: true });
    await createClient(page, world);
    await world.emulator.fault({ path: '/ajax/logout.json', times: 1, delayMs: 600 }); // handled normally after the delay
    const result = await page.evaluate(async () => {
      const logout = window.client.logout();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const checked = await window.client.hasSession(); // the session still exists at SchAcc
      await logout;
      return { checked: checked.userStatus, session: window.client.session.userStatus };
    });
    assert.deepEqual(result, { checked: 'unknown', session: 'notConnected' });
    assert.deepEqual(await events(page), LOGOUT_EVENTS, 'no SPiD.login or sessionInit mid-logout');
    await page.close();
  });

  test('load(new Response(…)) errors name the Response, not an empty location', async () => {
    const page = await openSdkPage(allowing, world);
    const message = await page.evaluate(() => window.sdk.load(new Response('<!doctype html>', { status: 404 })).then(() => 'loaded', (error) => error.message));
    assert.match(message, /the Response given to load\(\) answered 404/);
    await page.close();
  });

  test('port 0 is refused for server and sessionDomain', async () => {
    const page = await openSdkPage(allowing, world);
    const codes = await page.evaluate(async () => Promise.all([
      { clientId: 'e2e-client', server: 'http://127.0.0.1:0' },
      { clientId: 'e2e-client', server: 'https://login.schacc.example', sessionDomain: 'https://id.news.example:00' },
    ].map((options) => window.sdk.createClient(options).then(() => 'created', (error) => error.code))));
    assert.deepEqual(codes, ['invalid_config', 'invalid_config']);
    await page.close();
  });
});
