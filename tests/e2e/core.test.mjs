// The SDK core in Chromium against the emulator over HTTP: page on
// 127.0.0.1, SchAcc on localhost (different sites), third-party cookies allowed.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGOUT_EVENTS, createClient, events, openSdkPage, withWorldAndBrowser } from './harness.mjs';

const THREE = LOGOUT_EVENTS;

describe('SDK core in Chromium', () => {
  let world;
  let browser;
  let page;
  withWorldAndBrowser({ thirdPartyCookies: 'allow' }, (w, b) => ([world, browser] = [w, b]));
  beforeEach(async () => {
    await world.emulator.reset();
    await browser.clearCookies();
    await page?.close();
  });

  const requestsTo = async (path) => (await world.emulator.state()).requests.filter((r) => r.path === path && r.method === 'GET');

  test('hasSession() after logging in resolves with the user and fires login, statusChange, sessionChange, sessionInit', async () => {
    page = await openSdkPage(browser, world, { login: true });
    const initial = await createClient(page, world);
    assert.deepEqual(initial, { result: false, userStatus: 'unknown', userId: null });
    const outcome = await page.evaluate(() => window.attempt((client) => client.hasSession()));
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(outcome.value.result, true);
    assert.equal(outcome.value.userId, 1001);
    assert.equal(outcome.value.userStatus, 'connected');
    assert.equal(typeof outcome.value.displayName, 'string', 'every field the server sent is kept');
    assert.deepEqual(await events(page), ['SPiD.login', 'SPiD.statusChange', 'SPiD.sessionChange', 'SPiD.sessionInit']);
    assert.equal(await page.evaluate(() => window.client.session.userId), 1001);
    assert.deepEqual(page.problems, []);
  });

  test('logout() sends the cookie, deletes the session and fires logout, statusChange, sessionChange in order', async () => {
    page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    await page.evaluate(() => window.client.hasSession());
    await page.evaluate(() => (window.events.length = 0));
    const outcome = await page.evaluate(() => window.attempt((client) => client.logout()));
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(outcome.value, { ...outcome.value, result: false, userStatus: 'notConnected', userId: null });
    const fired = await page.evaluate(() => window.events);
    assert.deepEqual(fired.map((e) => e.name), THREE);
    for (const event of fired) assert.deepEqual(event.payload, outcome.value, 'each event carries the logged-out session');
    const [logoutRequest] = await requestsTo('/ajax/logout.json');
    assert.equal(logoutRequest.cookie, true, 'the session cookie was sent');
    assert.deepEqual((await world.emulator.state()).sessions, []);
    const after = await page.evaluate(() => window.attempt((client) => client.hasSession()));
    assert.equal(after.value.result, false);
    assert.equal(after.value.userStatus, 'notConnected');
    assert.deepEqual(page.problems, []);
  });

  test('the wasm is fetched once per page however many clients are made', async () => {
    page = await openSdkPage(browser, world);
    const wasmFetches = [];
    page.on('request', (request) => request.url().endsWith('.wasm') && wasmFetches.push(request.url()));
    await page.reload();
    await page.waitForFunction(() => window.sdkReady === true);
    const sessions = await page.evaluate(async (server) => {
      const clients = await Promise.all([1, 2, 3].map(() => window.sdk.createClient({ clientId: 'e2e-client', server })));
      return clients.map((client) => client.session.userStatus);
    }, world.emulator.url);
    assert.deepEqual(sessions, ['unknown', 'unknown', 'unknown']);
    assert.equal(wasmFetches.length, 1);
  });

  test('events are dispatched before the returned promise settles', async () => {
    page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    const order = await page.evaluate(async () => {
      const order = [];
      window.client.on('SPiD.logout', () => order.push('event'));
      await window.client.logout().then(() => order.push('resolved'));
      return order;
    });
    assert.deepEqual(order, ['event', 'resolved']);
  });

  test('a confirmed logout fires the three events even when hasSession() was never called', async () => {
    page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    await page.evaluate(() => window.client.logout());
    assert.deepEqual(await events(page), THREE);
    assert.deepEqual((await world.emulator.state()).sessions, []);
  });

  test('a logout() that finds no session and knew no user fires no event', async () => {
    page = await openSdkPage(browser, world);
    await createClient(page, world);
    const session = await page.evaluate(() => window.client.logout());
    assert.equal(session.userStatus, 'notConnected');
    assert.equal(session.reason, 'no_session');
    assert.deepEqual(await events(page), []);
  });

  test("a logout clears SPiD 2.x's SP_ID cookie and stored session; other storage stays", async () => {
    page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    await page.evaluate(() => {
      document.cookie = 'SP_ID=legacy; path=/';
      document.cookie = 'other=kept; path=/';
      localStorage.setItem('spid_js_e2e-client', '{"userId":1001}');
      localStorage.setItem('spid_js_other-client', 'kept');
    });
    await page.evaluate(() => window.client.logout());
    const left = await page.evaluate(() => ({ cookie: document.cookie, mine: localStorage.getItem('spid_js_e2e-client'), other: localStorage.getItem('spid_js_other-client') }));
    assert.deepEqual(left, { cookie: 'other=kept', mine: null, other: 'kept' });
  });

  test('ten concurrent logout() calls share one request and one set of events', async () => {
    page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    const results = await page.evaluate(() => Promise.all(Array.from({ length: 10 }, () => window.client.logout())));
    assert.equal(new Set(results.map((r) => JSON.stringify(r))).size, 1);
    assert.equal((await requestsTo('/ajax/logout.json')).length, 1);
    assert.deepEqual(await events(page), THREE);
  });

  test('redirectLogout() lands on the registered redirect URI with the session deleted and the token revoked', async () => {
    page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    const { access_token: token } = await world.emulator.token();
    assert.equal((await world.emulator.me(token)).status, 200);
    await Promise.all([
      page.waitForURL(world.landingPage),
      page.evaluate(({ landing, token }) => window.client.redirectLogout({ redirectUri: landing, oauthToken: token }), { landing: world.landingPage, token }),
    ]);
    assert.equal(await page.textContent('#landed'), 'You are back on the site after logging out.');
    assert.deepEqual((await world.emulator.state()).sessions, []);
    assert.equal((await world.emulator.me(token)).status, 401);
  });

  test('logoutUrl() percent-encodes &, =, #, +, spaces and non-ASCII in both values', async () => {
    page = await openSdkPage(browser, world);
    await createClient(page, world);
    const redirectUri = 'http://127.0.0.1:8080/bl\u00e5 b\u00e6r?a=1&b=2+3#frag';
    const oauthToken = 'tok+en=&#x';
    const url = await page.evaluate((args) => window.client.logoutUrl(args), { redirectUri, oauthToken });
    const parsed = new URL(url);
    assert.equal(parsed.origin + parsed.pathname, `${world.emulator.url}/logout`);
    assert.deepEqual([...parsed.searchParams.keys()], ['client_id', 'redirect_uri', 'oauth_token']);
    assert.equal(parsed.searchParams.get('redirect_uri'), redirectUri);
    assert.equal(parsed.searchParams.get('oauth_token'), oauthToken);
    assert.equal(parsed.hash, '', 'no # survives unencoded');
    assert.doesNotMatch(parsed.search, /[ +]/, 'spaces and plus signs are percent-encoded');
    assert.equal(await page.evaluate(() => window.client.logoutUrl()), `${world.emulator.url}/logout?client_id=e2e-client`);
    // Strings reach the wasm as UTF-8 (the glue's passStringToWasm0): ASCII first, then the rest with room to grow.
    for (const text of [`http://127.0.0.1:8080/${'\u00e9'.repeat(300)}\u{1f600}`, 'http://127.0.0.1:8080/\u{1f600}a\u00e9', 'http://127.0.0.1:8080/a']) {
      const built = await page.evaluate((redirectUri) => window.client.logoutUrl({ redirectUri }), text);
      assert.equal(new URL(built).searchParams.get('redirect_uri'), text);
    }
  });

  test('apiLogout() revokes the token and leaves the cookie session alive', async () => {
    page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    const { access_token: token } = await world.emulator.token();
    const outcome = await page.evaluate((token) => window.attempt((client) => client.apiLogout(token)), token);
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal((await world.emulator.me(token)).status, 401);
    const [request] = await requestsTo('/api/2/logout');
    assert.equal(request.authorization, true);
    assert.equal(request.cookie, false, 'credentials: omit');
    assert.equal((await world.emulator.state()).sessions.length, 1);
    const session = await page.evaluate(() => window.client.hasSession());
    assert.equal(session.userId, 1001);
    assert.ok(!(await events(page)).includes('SPiD.logout'));
  });

  test('a listener that throws does not stop the others, the promise or the SDK', async () => {
    page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    const calls = await page.evaluate(async () => {
      const calls = [];
      window.client.on('SPiD.logout', () => { throw new Error('listener bug'); });
      window.client.on('SPiD.logout', () => calls.push('second'));
      window.client.once('SPiD.statusChange', () => calls.push('once'));
      const unsubscribe = window.client.on('SPiD.sessionChange', () => calls.push('removed'));
      unsubscribe();
      await window.client.logout();
      return calls;
    });
    assert.deepEqual(calls, ['second', 'once']);
    assert.ok(page.problems.some((p) => p.includes('listener threw')), 'reported with console.error');
    assert.deepEqual(await events(page), THREE);
  });

  describe('every error code from a real cause', () => {
    const expectFailure = async (call, code, extra = {}) => {
      const outcome = await page.evaluate(call);
      assert.equal(outcome.ok, false, JSON.stringify(outcome));
      assert.equal(outcome.isSdkError, true);
      assert.equal(outcome.isError, true);
      assert.equal(outcome.error.name, 'SdkError');
      assert.equal(outcome.error.code, code);
      for (const [key, value] of Object.entries(extra)) assert.equal(outcome.error[key], value);
      return outcome;
    };

    test('invalid_config from createClient', async () => {
      page = await openSdkPage(browser, world);
      const outcome = await page.evaluate(async (server) => {
        try {
          await window.sdk.createClient({ clientId: 'has space', server });
          return { ok: true };
        } catch (error) {
          return { ok: false, code: error.code, isSdkError: error instanceof window.sdk.SdkError };
        }
      }, world.emulator.url);
      assert.deepEqual(outcome, { ok: false, code: 'invalid_config', isSdkError: true });
    });

    test('invalid_argument from a javascript: redirectUri and an empty token, nothing sent', async () => {
      page = await openSdkPage(browser, world);
      await createClient(page, world);
      await expectFailure(() => window.attempt((c) => c.logoutUrl({ redirectUri: 'javascript:alert(1)' })), 'invalid_argument');
      await expectFailure(() => window.attempt((c) => c.redirectLogout({ redirectUri: '/relative' })), 'invalid_argument');
      await expectFailure(() => window.attempt((c) => c.apiLogout('')), 'invalid_argument');
      await expectFailure(() => window.attempt((c) => c.on('SPiD.logut', () => {})), 'invalid_argument');
      assert.equal(page.url(), world.sdkPage, 'nothing navigated');
      assert.deepEqual((await world.emulator.state()).requests, [], 'nothing was sent');
    });

    const faults = [
      ['http on 500', { status: 500, body: '{"error":"boom"}' }, 'http', { status: 500 }],
      ['invalid_response on malformed JSON', { status: 200, body: '{"result": tru' }, 'invalid_response'],
      ['timeout on a delay past the timeout', { delayMs: 3000 }, 'timeout'],
      ['network on missing CORS headers', { noCors: true }, 'network'],
    ];
    for (const [name, fault, code, extra] of faults) {
      test(`${name}: SPiD.error fires, no SPiD.logout, session unchanged, the next call works`, async () => {
        page = await openSdkPage(browser, world, { login: true });
        await createClient(page, world, { timeout: 800 });
        await page.evaluate(() => window.client.hasSession());
        const before = await page.evaluate(() => window.client.session);
        await page.evaluate(() => (window.events.length = 0));
        await world.emulator.fault({ path: '/ajax/logout.json', times: 1, ...fault });
        await expectFailure(() => window.attempt((c) => c.logout()), code, extra);
        assert.deepEqual(await events(page), ['SPiD.error']);
        const payload = await page.evaluate(() => window.events[0].payload);
        assert.equal(payload.code, code);
        assert.deepEqual(await page.evaluate(() => window.client.session), before);
        const retry = await page.evaluate(() => window.attempt((c) => c.logout()));
        assert.equal(retry.ok, true, JSON.stringify(retry));
        assert.deepEqual((await events(page)).slice(1), THREE);
      });
    }

    test('network when the server is stopped', async () => {
      const { startEmulator, CLIENT_ID } = await import('./harness.mjs');
      const doomed = await startEmulator(['--client', CLIENT_ID, '--redirect-uri', world.sdkPage]);
      page = await openSdkPage(browser, world);
      await createClient(page, world, { server: doomed.url });
      await doomed.stop();
      await expectFailure(() => window.attempt((c) => c.hasSession()), 'network');
      await expectFailure(() => window.attempt((c) => c.logout()), 'network');
      assert.deepEqual(await events(page), ['SPiD.error', 'SPiD.error']);
    });
  });
});
