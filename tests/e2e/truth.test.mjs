// "A logout the SDK reports is a logout that happened", tried as an attacker
// and a careless integrator would: tokens that must die, stale answers,
// redirects, hostile bodies and headers, URLs the browser reads its own way,
// deep re-entrancy, oversized input, invisible characters and cross-tab
// bursts. Chromium with third-party cookies allowed (the fetch logout can
// succeed, so every false success would show), page on 127.0.0.1, SchAcc on
// localhost. Hostile answers the emulator cannot give come from a small
// server in this file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { CLIENT_ID, LOGOUT_EVENTS, createClient, events, openSdkPage, withWorldAndBrowser } from './harness.mjs';

const THREE = LOGOUT_EVENTS;

let world;
let browser;
withWorldAndBrowser({ thirdPartyCookies: 'allow' }, (w, b) => ([world, browser] = [w, b]));

/** Logs user 1001 in at SchAcc from the page (a no-cors fetch: the cookie is set, the answer opaque). */
const logIn = (page, userId = 1001) => page.evaluate(async ({ server, userId }) => {
  const response = await fetch(`${server}/__emulator/login?user_id=${userId}&format=json`, { method: 'POST', credentials: 'include', mode: 'no-cors' });
  return response.type === 'opaque';
}, { server: world.emulator.url, userId });

/** The SDK page with a fresh emulator, user 1001 logged in and known to a new client. */
async function loggedInPage(options = {}) {
  await world.emulator.reset();
  const page = await openSdkPage(browser, world);
  assert.equal(await logIn(page), true);
  await createClient(page, world, options);
  assert.equal((await page.evaluate(() => window.client.hasSession())).userId, 1001);
  await page.evaluate(() => { window.events.length = 0; sessionStorage.removeItem('events'); });
  return page;
}

const attempt = (page, source, arg) => page.evaluate(({ source, arg }) => {
  const call = (0, eval)(`(${source})`);
  return window.attempt((client) => call(client, arg));
}, { source, arg });
const logoutNavigations = (page) => {
  const seen = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && new URL(request.url()).pathname === '/logout') seen.push(request.url());
  });
  return seen;
};

/**
 * A server the page may talk to (CORS for the page's origin, with
 * credentials) whose every answer is `answer(request, response)`. Counts the
 * bytes it managed to send.
 */
async function hostileServer(answer) {
  const server = createServer((request, response) => {
    response.setHeader('access-control-allow-origin', request.headers.origin ?? '*');
    response.setHeader('access-control-allow-credentials', 'true');
    response.setHeader('access-control-allow-headers', 'authorization');
    if (request.method === 'OPTIONS') return response.writeHead(204).end();
    server.requests.push({ path: new URL(request.url, 'http://x').pathname, authorization: request.headers.authorization ?? null });
    answer(request, response);
  });
  server.requests = [];
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  // SchAcc on "localhost": another site than the page, as in production.
  server.url = `http://localhost:${server.address().port}`;
  server.stop = () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
  return server;
}

const json = (response, status, body, contentType = 'application/json') => {
  if (contentType) response.setHeader('content-type', contentType);
  response.writeHead(status).end(typeof body === 'string' ? body : JSON.stringify(body));
};

describe('1. a token given to logoutWithFallback() never survives it', () => {
  test('confirmed fetch logout: the token is revoked by the API logout before the promise settles', async () => {
    const page = await loggedInPage({ redirectUri: world.landingPage });
    const { access_token: token } = await world.emulator.token();
    const outcome = await attempt(page, '(client, token) => client.logoutWithFallback({ oauthToken: token })', token);
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(
      { redirected: outcome.value.redirected, confirmed: outcome.value.confirmed, tokenRevoked: outcome.value.tokenRevoked, reason: outcome.value.reason },
      { redirected: false, confirmed: true, tokenRevoked: true, reason: 'confirmed' },
    );
    assert.equal((await world.emulator.me(token)).status, 401, 'the token is dead');
    assert.deepEqual(await events(page), THREE);
    await page.close();
  });

  test("'auto': a revocation that cannot be confirmed takes the redirect flow with oauth_token, which revokes it", async () => {
    const page = await loggedInPage({ redirectUri: world.landingPage });
    const navigations = logoutNavigations(page);
    const { access_token: token } = await world.emulator.token();
    await world.emulator.fault({ path: '/api/2/logout', times: 1, status: 503 });
    await Promise.all([
      page.waitForURL(world.landingPage),
      page.evaluate((token) => { window.client.logoutWithFallback({ oauthToken: token }); }, token),
    ]);
    assert.equal(navigations.length, 1);
    assert.equal(new URL(navigations[0]).searchParams.get('oauth_token'), token);
    assert.equal((await world.emulator.me(token)).status, 401, 'the redirect flow revoked it');
    const fired = await page.evaluate(() => JSON.parse(sessionStorage.getItem('events')).map((e) => e.name));
    assert.deepEqual(fired, [...THREE, 'SPiD.error'], 'one logout, then the failed revocation');
    await page.close();
  });

  test("'never': no redirect, and the result says the token was not revoked", async () => {
    const page = await loggedInPage({ fallback: 'never' });
    const { access_token: token } = await world.emulator.token();
    await world.emulator.fault({ path: '/api/2/logout', times: 1, status: 500 });
    const outcome = await attempt(page, '(client, token) => client.logoutWithFallback({ oauthToken: token })', token);
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(outcome.value.redirected, false);
    assert.equal(outcome.value.confirmed, true);
    assert.equal(outcome.value.tokenRevoked, false);
    assert.equal((await world.emulator.me(token)).status, 200, 'reported honestly: it is alive');
    await page.close();
  });

  test('without a token nothing is revoked and tokenRevoked is false', async () => {
    const page = await loggedInPage();
    const outcome = await attempt(page, '(client) => client.logoutWithFallback()');
    assert.equal(outcome.value.tokenRevoked, false);
    assert.equal((await world.emulator.state()).requests.filter((r) => r.path === '/api/2/logout').length, 0);
    await page.close();
  });
});

describe('2. a stale hasSession() answer never logs a tab back in', () => {
  test('asked before another tab logged out, answered after: discarded, no SPiD.login', async () => {
    const tabA = await loggedInPage();
    const tabB = await openSdkPage(browser, world);
    await createClient(tabB, world);
    // A's next hasSession answers "logged in", but only after B's logout reached A.
    await world.emulator.fault({
      path: '/ajax/hasSession.json', times: 1, delayMs: 1000, status: 200,
      body: '{"result":true,"userId":1001,"userStatus":"connected"}',
    });
    await tabA.evaluate(() => { window.stale = window.client.hasSession(); });
    await tabA.waitForTimeout(100);
    assert.equal((await attempt(tabB, '(client) => client.logout()')).value.userStatus, 'notConnected');
    await tabA.waitForFunction(() => window.events.length >= 3, null, { timeout: 2000 });
    const settled = await tabA.evaluate(() => window.stale);
    assert.equal(settled.userStatus, 'notConnected', 'the stale answer resolves with the current session');
    await tabA.waitForTimeout(200);
    assert.deepEqual(await events(tabA), THREE, 'the logout, and no SPiD.login after it');
    assert.equal(await tabA.evaluate(() => window.client.session.userId), null);
    // A hasSession() asked after the logout is a new request, not the stale one.
    await tabA.evaluate(() => window.client.hasSession());
    assert.equal((await world.emulator.state()).requests.filter((r) => r.path === '/ajax/hasSession.json').length, 3);
    await tabA.close();
    await tabB.close();
  });
});

describe('3. no SDK request follows a redirect', () => {
  let hostile;
  before(async () => {
    hostile = await hostileServer((request, response) => {
      // To a place that would answer "yes": the real emulator.
      const target = `${world.emulator.url}${request.url.startsWith('/api/') ? '/api/2/logout' : request.url}`;
      response.writeHead(request.url.includes('hasSession') ? 307 : 302, { location: target }).end();
    });
  });
  after(() => hostile?.stop());

  for (const [what, source] of [
    ['hasSession()', '(client) => client.hasSession()'],
    ['logout()', '(client) => client.logout()'],
    ['apiLogout()', '(client, token) => client.apiLogout(token)'],
    ["logoutWithFallback() under 'never'", '(client) => client.logoutWithFallback()'],
  ]) {
    test(`${what}: a 3xx is an http error, never evidence; the other origin hears nothing`, async () => {
      const page = await loggedInPage();
      await page.evaluate(() => window.client.destroy());
      await createClient(page, world, { server: hostile.url, fallback: 'never' });
      await page.evaluate(() => { window.events.length = 0; });
      const before = (await world.emulator.state()).requests.length;
      // Not one of the emulator's tokens: the hostile server receives it.
      const outcome = await attempt(page, source, 'token-for-the-hostile-server');
      assert.equal(outcome.ok, false, JSON.stringify(outcome));
      assert.equal(outcome.error.code, 'http');
      assert.equal(outcome.error.status, undefined);
      assert.deepEqual(await events(page), ['SPiD.error'], 'no SPiD.login or SPiD.logout');
      assert.equal((await world.emulator.state()).requests.length, before, 'the redirect target was never asked');
      assert.equal((await world.emulator.state()).sessions.length, 1, 'the session is alive and was not reported gone');
      await page.close();
    });
  }
});

describe('4. the browser URL parser is the authority on server and redirectUri', () => {
  let page;
  before(async () => {
    page = await openSdkPage(browser, world);
  });
  after(() => page?.close());

  for (const server of ['https://1.2.3.999', 'https://[::1::2]/', 'http://[::g]:9000', 'https://a\uFF0Fb.example', 'https://exa mple.test']) {
    test(`createClient({ server: ${JSON.stringify(server)} }) → invalid_config`, async () => {
      const outcome = await page.evaluate(async (server) => {
        try {
          await window.sdk.createClient({ clientId: 'e2e-client', server });
          return 'created';
        } catch (error) {
          return error.code;
        }
      }, server);
      assert.equal(outcome, 'invalid_config');
    });
  }

  test('a redirectUri the browser cannot parse throws before any event or navigation', async () => {
    await createClient(page, world);
    await page.evaluate(() => { window.events.length = 0; });
    const outcome = await attempt(page, "(client) => client.redirectLogout({ redirectUri: 'https://1.2.3.999/' })");
    assert.equal(outcome.error.code, 'invalid_argument');
    assert.deepEqual(await events(page), []);
    assert.equal(page.url(), world.sdkPage);
  });

  test('every spelling of one origin is one server: requests go where the browser reads it', async () => {
    const port = new URL(world.emulator.url).port;
    await createClient(page, world, { server: `HTTP://LocalHost:${port}/` });
    assert.equal(await page.evaluate(() => window.client.logoutUrl()), `http://localhost:${port}/logout?client_id=${CLIENT_ID}`);
    const outcome = await attempt(page, '(client) => client.hasSession()');
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
  });
});

describe('5–7. re-entrant listeners: no trap, no wedge, no silently skipped events', () => {
  let page;
  before(async () => {
    page = await openSdkPage(browser, world);
    // The redirect flow's navigations are answered with 204: the page stays.
    await page.route((url) => url.pathname === '/logout', (route) => route.fulfill({ status: 204 }));
  });
  after(() => page?.close());

  test('a chain of 1,000 clients, each SPiD.logout listener calling the next redirectLogout()', async () => {
    const outcome = await page.evaluate(async (server) => {
      const clients = [];
      for (let i = 0; i < 1000; i += 1) clients.push(await window.sdk.createClient({ clientId: 'e2e-client', server, crossTab: false }));
      let heard = 0;
      clients.forEach((client, i) => client.on('SPiD.logout', () => {
        heard += 1;
        clients[i + 1]?.redirectLogout();
      }));
      let error = null;
      try {
        clients[0].redirectLogout();
      } catch (e) {
        error = String(e);
      }
      const statuses = new Set(clients.map((client) => client.session.userStatus));
      let destroyError = null;
      try {
        clients.forEach((client) => client.destroy());
      } catch (e) {
        destroyError = String(e);
      }
      // The instance still works afterwards.
      const next = await window.sdk.createClient({ clientId: 'e2e-client', server });
      const url = next.logoutUrl();
      next.destroy();
      return { heard, error, destroyError, statuses: [...statuses], url };
    }, world.emulator.url);
    assert.deepEqual(outcome, { heard: 1000, error: null, destroyError: null, statuses: ['notConnected'], url: `${world.emulator.url}/logout?client_id=${CLIENT_ID}` });
    assert.deepEqual(page.problems, []);
  });

  test('a listener that calls its own redirectLogout() 1,000 times: every logout fires its three events', async () => {
    const outcome = await page.evaluate(async (server) => {
      const client = await window.sdk.createClient({ clientId: 'e2e-client', server, crossTab: false });
      const fired = [];
      for (const name of ['SPiD.logout', 'SPiD.statusChange', 'SPiD.sessionChange']) client.on(name, () => fired.push(name));
      let depth = 0;
      client.on('SPiD.logout', () => {
        depth += 1;
        if (depth < 1000) client.redirectLogout();
      });
      client.redirectLogout();
      client.destroy();
      return { depth, logouts: fired.filter((name) => name === 'SPiD.logout').length, total: fired.length };
    }, world.emulator.url);
    assert.deepEqual(outcome, { depth: 1000, logouts: 1000, total: 3000 });
    assert.deepEqual(page.problems, []);
  });

  test('destroy() inside a listener during redirectLogout(): no throw, and nothing of that client runs after it', async () => {
    const outcome = await page.evaluate(async (server) => {
      const client = await window.sdk.createClient({ clientId: 'e2e-client', server, crossTab: false });
      const ran = [];
      let thrown = null;
      client.on('SPiD.logout', () => {
        ran.push('first');
        try {
          client.destroy();
          client.destroy(); // idempotent
        } catch (error) {
          thrown = String(error);
        }
      });
      client.on('SPiD.logout', () => ran.push('second'));
      client.on('SPiD.statusChange', () => ran.push('statusChange'));
      let redirectError = null;
      try {
        client.redirectLogout();
      } catch (error) {
        redirectError = String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      let later;
      try {
        client.logoutUrl();
        later = 'returned';
      } catch (error) {
        later = error.code;
      }
      return { ran, thrown, redirectError, later, status: client.session.userStatus };
    }, world.emulator.url);
    assert.deepEqual(outcome, { ran: ['first'], thrown: null, redirectError: null, later: 'invalid_argument', status: 'notConnected' });
    assert.deepEqual(page.problems, []);
  });
});

describe('8–11. hostile bodies and headers', () => {
  test('8. an endless chunked body is not read past the 64 KiB cap', async () => {
    let sent = 0;
    let closed;
    const done = new Promise((resolve) => { closed = resolve; });
    const hostile = await hostileServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }); // no Content-Length: chunked
      const chunk = Buffer.from(`{"result":true,"pad":"${'x'.repeat(64 * 1024)}`);
      const pump = () => {
        while (sent < 512 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) return response.once('drain', pump);
        }
        response.end();
      };
      response.on('close', closed);
      pump();
    });
    const page = await openSdkPage(browser, world);
    await createClient(page, world, { server: hostile.url, timeout: 20000 });
    const started = Date.now();
    const outcome = await attempt(page, '(client) => client.hasSession()');
    assert.equal(outcome.error?.code, 'invalid_response', JSON.stringify(outcome));
    await done;
    assert.ok(sent < 32 * 1024 * 1024, `the SDK stopped the download (${sent} bytes sent)`);
    assert.ok(Date.now() - started < 10000);
    await page.close();
    await hostile.stop();
  });

  test('9. server JSON cannot touch the session object’s prototype; session objects are frozen', async () => {
    const answers = {
      '/ajax/hasSession.json': '{"result":false,"userStatus":"notConnected","__proto__":{"injected":true,"userId":7}}',
      '/ajax/logout.json': '{"result":true,"__proto__":null}',
    };
    const hostile = await hostileServer((request, response) => json(response, 200, answers[new URL(request.url, 'http://x').pathname] ?? '{}'));
    const page = await openSdkPage(browser, world);
    await createClient(page, world, { server: hostile.url });
    const outcome = await page.evaluate(async () => {
      const look = (session) => ({
        string: String(session),
        plainPrototype: Object.getPrototypeOf(session) === Object.prototype,
        injected: 'injected' in session,
        userId: session.userId,
        frozen: Object.isFrozen(session),
      });
      const checked = look(await window.client.hasSession());
      const loggedOut = look(await window.client.logout());
      return { checked, loggedOut, current: look(window.client.session) };
    });
    const safe = { string: '[object Object]', plainPrototype: true, injected: false, userId: null, frozen: true };
    assert.deepEqual(outcome, { checked: safe, loggedOut: safe, current: safe });
    await page.close();
    await hostile.stop();
  });

  test('10. oversized arguments are refused before they reach wasm: its memory does not grow', async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      window.__wasmInstances = [];
      const keep = (result) => {
        window.__wasmInstances.push(result instanceof WebAssembly.Instance ? result : result.instance);
        return result;
      };
      const streaming = WebAssembly.instantiateStreaming;
      const plain = WebAssembly.instantiate;
      WebAssembly.instantiateStreaming = function (...args) { return streaming.apply(this, args).then(keep); };
      WebAssembly.instantiate = function (...args) { return plain.apply(this, args).then(keep); };
    });
    await page.goto(world.sdkPage);
    await page.waitForFunction(() => window.sdkReady === true);
    await createClient(page, world);
    const outcome = await page.evaluate(async (server) => {
      const memory = () => window.__wasmInstances.reduce((sum, instance) => sum
        + (Object.values(instance.exports).find((value) => value instanceof WebAssembly.Memory)?.buffer.byteLength ?? 0), 0);
      const huge = 'a'.repeat(64 << 20);
      const before = memory();
      const codes = [];
      const record = async (call) => {
        try {
          await call();
          codes.push('ok');
        } catch (error) {
          codes.push(error.code);
        }
      };
      await record(() => window.client.apiLogout(huge));
      await record(() => window.client.logoutUrl({ oauthToken: huge }));
      await record(() => window.client.logoutUrl({ redirectUri: `https://news.example/${huge}` }));
      await record(() => window.client.logoutWithFallback({ oauthToken: huge }));
      await record(() => window.client.on(huge, () => {}));
      await record(() => window.sdk.createClient({ clientId: huge, server }));
      await record(() => window.sdk.createClient({ clientId: 'e2e-client', server: `${server}/${huge}` }));
      return { codes, grew: memory() - before, instances: window.__wasmInstances.length };
    }, world.emulator.url);
    assert.equal(outcome.instances, 1);
    assert.deepEqual(outcome.codes, ['invalid_argument', 'invalid_argument', 'invalid_argument', 'invalid_argument', 'invalid_argument', 'invalid_config', 'invalid_config']);
    assert.equal(outcome.grew, 0, 'wasm memory did not grow');
    await page.close();
  });

  for (const [what, contentType] of [['text/html', 'text/html'], ['no Content-Type', null], ['text/plain', 'text/plain; charset=utf-8']]) {
    test(`11. a JSON answer labelled ${what} is invalid_response, never a logout`, async () => {
      const hostile = await hostileServer((request, response) => json(response, 200, '{"result":true,"userId":1001,"userStatus":"connected","code":200}', contentType));
      const page = await openSdkPage(browser, world);
      await createClient(page, world, { server: hostile.url, fallback: 'never' });
      for (const source of ['(client) => client.hasSession()', '(client) => client.logout()', "(client) => client.apiLogout('token')", '(client) => client.logoutWithFallback()']) {
        const outcome = await attempt(page, source);
        assert.equal(outcome.error?.code, 'invalid_response', `${source}: ${JSON.stringify(outcome)}`);
      }
      assert.deepEqual([...new Set(await events(page))], ['SPiD.error']);
      await page.close();
      await hostile.stop();
    });
  }

  test('11. the same answer labelled application/json; charset=utf-8 is accepted', async () => {
    const hostile = await hostileServer((request, response) => json(response, 200, '{"result":true}', 'application/json; charset=utf-8'));
    const page = await openSdkPage(browser, world);
    await createClient(page, world, { server: hostile.url });
    const outcome = await attempt(page, '(client) => client.logout()');
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(await events(page), THREE);
    await page.close();
    await hostile.stop();
  });
});

describe('12. invisible characters in string options are refused', () => {
  let page;
  before(async () => {
    page = await openSdkPage(browser, world);
  });
  after(() => page?.close());

  for (const [what, clientId] of [
    ['a zero-width space', 'e2e\u200Bclient'],
    ['a zero-width joiner', 'e2e-client\u200D'],
    ['a right-to-left override', '\u202Ee2e-client'],
    ['a byte order mark', '\uFEFFe2e-client'],
    ['a lone surrogate', 'e2e-client\uD800'],
    ['a soft hyphen', 'e2e\u00ADclient'],
  ]) {
    test(`clientId with ${what} → invalid_config`, async () => {
      const code = await page.evaluate(async ({ clientId, server }) => {
        try {
          await window.sdk.createClient({ clientId, server });
          return 'created';
        } catch (error) {
          return error.code;
        }
      }, { clientId, server: world.emulator.url });
      assert.equal(code, 'invalid_config');
    });
  }

  test('a redirectUri with a zero-width space → invalid_argument', async () => {
    await createClient(page, world);
    const outcome = await attempt(page, "(client) => client.logoutUrl({ redirectUri: 'https://news.example/\\u200B' })");
    assert.equal(outcome.error.code, 'invalid_argument');
  });
});

describe('13–14. cross-tab', () => {
  test('13. tabs that spell one server differently hear each other', async () => {
    await world.emulator.reset();
    const port = new URL(world.emulator.url).port;
    const spellings = [`http://localhost:${port}`, `HTTP://LOCALHOST:${port}`, `http://LocalHost:${port}/`];
    const tabs = [];
    for (const server of spellings) {
      const tab = await openSdkPage(browser, world);
      await createClient(tab, world, { server });
      tabs.push(tab);
    }
    assert.equal(await logIn(tabs[0]), true);
    assert.equal((await attempt(tabs[0], '(client) => client.logout()')).ok, true);
    for (const tab of tabs.slice(1)) {
      await tab.waitForFunction(() => window.events.length >= 3, null, { timeout: 2000 });
      assert.deepEqual(await events(tab), THREE);
    }
    for (const tab of tabs) await tab.close();
  });

  test('14. a burst of 5,000 logout messages is one logout: one set of events', async () => {
    const page = await loggedInPage();
    const other = await openSdkPage(browser, world);
    await other.evaluate((name) => {
      const channel = new BroadcastChannel(name);
      for (let i = 0; i < 5000; i += 1) channel.postMessage('logout');
      channel.close();
    }, `schacc-sdk:${world.emulator.url}?client_id=${CLIENT_ID}`);
    await page.waitForFunction(() => window.events.length >= 3, null, { timeout: 3000 });
    await page.waitForTimeout(500);
    assert.deepEqual(await events(page), THREE);
    await page.close();
    await other.close();
  });
});

test('SdkError keeps its public name through minification', async () => {
  const page = await openSdkPage(browser, world);
  assert.deepEqual(await page.evaluate(() => [window.sdk.SdkError.name, new window.sdk.SdkError('http', 'x').name]), ['SdkError', 'SdkError']);
  await page.close();
});
