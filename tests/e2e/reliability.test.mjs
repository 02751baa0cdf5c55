// Reliability in Chromium against the emulator: bad input to every option and
// argument of the public API, every fault the emulator can inject for every
// request the SDK makes, and races. Page on 127.0.0.1, SchAcc on localhost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID, LOGOUT_EVENTS, createClient, events, openSdkPage, startEmulator, withWorldAndBrowser } from './harness.mjs';

const THREE = LOGOUT_EVENTS;
const TIMEOUT = 400; // ms: the client's timeout in the fault matrix

let world;
let browser;
withWorldAndBrowser({ thirdPartyCookies: 'allow' }, (w, b) => ([world, browser] = [w, b]));

/**
 * Logs user `userId` in from the page (third-party cookies are allowed). The
 * emulator's controls answer `Access-Control-Allow-Origin: *`, which a
 * credentialed CORS fetch may not read, so this is a `no-cors` fetch: the
 * answer is opaque but the cookie is set. A POST, from the page's registered
 * origin: the only login the emulator takes from a browser.
 */
const logIn = (page, userId = 1001, server = world.emulator.url) => page.evaluate(async ({ server, userId }) => {
  const response = await fetch(`${server}/__emulator/login?user_id=${userId}&format=json`, { method: 'POST', credentials: 'include', mode: 'no-cors' }).catch((e) => e);
  return response?.type === 'opaque' ? true : String(response);
}, { server, userId });

/** Clears the recorded events, in memory and in sessionStorage. */
const clearEvents = (page) => page.evaluate(() => {
  window.events.length = 0;
  sessionStorage.removeItem('events');
});

/** On the SDK page: a fresh emulator, the old client destroyed, user 1001 logged in, a new client made. */
async function freshLoggedInClient(page, options = {}) {
  await world.emulator.reset();
  if (page.url() !== world.sdkPage) {
    await page.goto(world.sdkPage);
    await page.waitForFunction(() => window.sdkReady === true);
  }
  await page.evaluate(() => window.client?.destroy());
  await clearEvents(page);
  assert.equal(await logIn(page, 1001, options.server), true);
  await createClient(page, world, options);
}

/**
 * Each row: [what is wrong, expected code, 'throw' (synchronous) or 'reject'
 * (a promise), the call as source run in the page with (sdk, client, server, big)].
 * `big` is a 1 MiB string of 'a'.
 */
const cfg = (options) => `(sdk, client, server, big) => sdk.createClient(${options})`;
const BAD_INPUT = [
  // createClient: the options object itself
  ['options missing', 'invalid_config', 'reject', '(sdk) => sdk.createClient()'],
  ['options null', 'invalid_config', 'reject', '(sdk) => sdk.createClient(null)'],
  ['options a string', 'invalid_config', 'reject', '(sdk, c, server) => sdk.createClient(server)'],
  ['options an array', 'invalid_config', 'reject', "(sdk) => sdk.createClient(['e2e-client'])"],
  ['options a function', 'invalid_config', 'reject', '(sdk) => sdk.createClient(() => {})'],
  ['options a number', 'invalid_config', 'reject', '(sdk) => sdk.createClient(42)'],
  // A revoked Proxy throws at every question asked of it, even Array.isArray.
  ['options a revoked Proxy', 'invalid_config', 'reject', '(sdk) => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return sdk.createClient(proxy); }'],
  ['hasSession(a revoked Proxy)', 'invalid_argument', 'reject', '(sdk, client) => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return client.hasSession(proxy); }'],
  ['logoutUrl(a revoked Proxy)', 'invalid_argument', 'throw', '(sdk, client) => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return client.logoutUrl(proxy); }'],
  ['loginUrl(a revoked Proxy)', 'invalid_argument', 'throw', '(sdk, client) => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return client.loginUrl(proxy); }'],
  ['options with a throwing getter', 'invalid_config', 'reject', cfg("{ get clientId() { throw new Error('getter'); }, server }")],
  // clientId
  ['clientId missing', 'invalid_config', 'reject', cfg('{ server }')],
  ['clientId a number', 'invalid_config', 'reject', cfg('{ clientId: 123, server }')],
  ['clientId an object', 'invalid_config', 'reject', cfg("{ clientId: { toString: () => 'e2e-client' }, server }")],
  ['clientId empty', 'invalid_config', 'reject', cfg("{ clientId: '', server }")],
  ['clientId whitespace', 'invalid_config', 'reject', cfg("{ clientId: '   ', server }")],
  ['clientId with a space', 'invalid_config', 'reject', cfg("{ clientId: 'e2e client', server }")],
  ['clientId with NUL', 'invalid_config', 'reject', cfg("{ clientId: 'e2e\\u0000client', server }")],
  ['clientId with a newline', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client\\n', server }")],
  ['clientId 1 MiB', 'invalid_config', 'reject', cfg('{ clientId: big, server }')],
  // server
  ['server missing', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client' }")],
  ['server a number', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: 9000 }")],
  ['server a URL object', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: new URL(server) }")],
  ['server empty', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: '' }")],
  ['server whitespace', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: '  ' }")],
  ['server with surrounding whitespace', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: ` ${server} ` }")],
  ['server with a control character', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: server + '/\\u0007' }")],
  ['server javascript:', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: 'javascript:alert(1)' }")],
  ['server data:', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: 'data:text/html,<p>x' }")],
  ['server relative', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: '/schacc' }")],
  ['server protocol-relative', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: server.replace(/^https?:/, '') }")],
  ['server ftp:', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: 'ftp://localhost/' }")],
  ['server with credentials', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: server.replace('//', '//u:p@') }")],
  ['server plain http off loopback', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: 'http://login.schacc.example' }")],
  ['server with a query', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: server + '/?a=1' }")],
  ['server with a fragment', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: server + '#f' }")],
  ['server with a backslash', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: server + '\\\\@evil.example' }")],
  ['server 1 MiB', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server: server + '/' + big }")],
  // redirectUri option
  ['redirectUri option javascript:', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: 'javascript:alert(1)' }")],
  ['redirectUri option data:', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: 'data:text/html,x' }")],
  ['redirectUri option relative', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: '/landing.html' }")],
  ['redirectUri option protocol-relative', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: '//evil.example/' }")],
  ['redirectUri option with credentials', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: 'https://u:p@news.example/' }")],
  ['redirectUri option with CR LF', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: 'https://news.example/\\r\\nSet-Cookie: x=1' }")],
  ['redirectUri option empty', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: '' }")],
  ['redirectUri option a number', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: 1 }")],
  ['redirectUri option 1 MiB', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, redirectUri: 'https://news.example/' + big }")],
  // timeout
  ['timeout NaN', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: NaN }")],
  ['timeout Infinity', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: Infinity }")],
  ['timeout -Infinity', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: -Infinity }")],
  ['timeout negative', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: -1 }")],
  ['timeout zero', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: 0 }")],
  ['timeout just over the maximum', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: 300001 }")],
  ['timeout huge', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: 5e9 }")],
  ['timeout a numeric string', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: '5000' }")],
  ['timeout a BigInt', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, timeout: 5000n }")],
  // fallback
  ['fallback unknown', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, fallback: 'sometimes' }")],
  ['fallback upper case', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, fallback: 'AUTO' }")],
  ['fallback empty', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, fallback: '' }")],
  ['fallback a boolean', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, fallback: true }")],
  // crossTab
  ['crossTab a string', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, crossTab: 'false' }")],
  ['crossTab a number', 'invalid_config', 'reject', cfg("{ clientId: 'e2e-client', server, crossTab: 0 }")],
  // logoutUrl / redirectLogout / logoutWithFallback arguments
  ['logoutUrl(a string)', 'invalid_argument', 'throw', '(sdk, client, server) => client.logoutUrl(server)'],
  ['logoutUrl(a number)', 'invalid_argument', 'throw', '(sdk, client) => client.logoutUrl(1)'],
  ['logoutUrl(an array)', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl(['https://news.example/'])"],
  ['logoutUrl javascript: redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: 'javascript:alert(document.cookie)' })"],
  ['logoutUrl JAVASCRIPT: with spaces', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: '  JaVaScRiPt:alert(1)' })"],
  ['logoutUrl data: redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: 'data:text/html;base64,PHNjcmlwdD4=' })"],
  ['logoutUrl relative redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: 'landing.html' })"],
  ['logoutUrl protocol-relative redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: '//evil.example/' })"],
  ['logoutUrl backslash redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: 'https:\\\\\\\\evil.example/' })"],
  ['logoutUrl mailto: redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: 'mailto:a@b.example' })"],
  ['logoutUrl redirectUri with credentials', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: 'https://news.example@evil.example/' })"],
  ['logoutUrl redirectUri with a tab', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: 'https://news.example/\\t' })"],
  ['logoutUrl empty redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: '' })"],
  ['logoutUrl 1 MiB redirectUri', 'invalid_argument', 'throw', "(sdk, client, server, big) => client.logoutUrl({ redirectUri: 'https://news.example/' + big })"],
  ['logoutUrl redirectUri an object', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ redirectUri: new URL('https://news.example/') })"],
  ['logoutUrl empty oauthToken', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ oauthToken: '' })"],
  ['logoutUrl whitespace oauthToken', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ oauthToken: ' ' })"],
  ['logoutUrl oauthToken with CR LF', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ oauthToken: 'abc\\r\\ndef' })"],
  ['logoutUrl non-ASCII oauthToken', 'invalid_argument', 'throw', "(sdk, client) => client.logoutUrl({ oauthToken: 'tøken' })"],
  ['logoutUrl 1 MiB oauthToken', 'invalid_argument', 'throw', '(sdk, client, server, big) => client.logoutUrl({ oauthToken: big })'],
  ['logoutUrl oauthToken a number', 'invalid_argument', 'throw', '(sdk, client) => client.logoutUrl({ oauthToken: 12345 })'],
  ['redirectLogout(a string)', 'invalid_argument', 'throw', "(sdk, client) => client.redirectLogout('https://news.example/')"],
  ['redirectLogout javascript: redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.redirectLogout({ redirectUri: 'javascript:alert(1)' })"],
  ['redirectLogout data: redirectUri', 'invalid_argument', 'throw', "(sdk, client) => client.redirectLogout({ redirectUri: 'data:text/html,x' })"],
  ['redirectLogout control character in oauthToken', 'invalid_argument', 'throw', "(sdk, client) => client.redirectLogout({ oauthToken: 'a\\u0000b' })"],
  ['logoutWithFallback(a number)', 'invalid_argument', 'reject', '(sdk, client) => client.logoutWithFallback(7)'],
  ['logoutWithFallback relative redirectUri', 'invalid_argument', 'reject', "(sdk, client) => client.logoutWithFallback({ redirectUri: '../' })"],
  ['logoutWithFallback redirectUri with credentials', 'invalid_argument', 'reject', "(sdk, client) => client.logoutWithFallback({ redirectUri: 'http://u:p@127.0.0.1/' })"],
  ['logoutWithFallback 1 MiB oauthToken', 'invalid_argument', 'reject', '(sdk, client, server, big) => client.logoutWithFallback({ oauthToken: big })'],
  // apiLogout(token)
  ['apiLogout()', 'invalid_argument', 'reject', '(sdk, client) => client.apiLogout()'],
  ['apiLogout(null)', 'invalid_argument', 'reject', '(sdk, client) => client.apiLogout(null)'],
  ["apiLogout('')", 'invalid_argument', 'reject', "(sdk, client) => client.apiLogout('')"],
  ['apiLogout(whitespace)', 'invalid_argument', 'reject', "(sdk, client) => client.apiLogout('   ')"],
  ['apiLogout(token with a space)', 'invalid_argument', 'reject', "(sdk, client) => client.apiLogout('abc def')"],
  ['apiLogout(header injection)', 'invalid_argument', 'reject', "(sdk, client) => client.apiLogout('abc\\r\\nX-Evil: 1')"],
  ['apiLogout(non-ASCII)', 'invalid_argument', 'reject', "(sdk, client) => client.apiLogout('tøken')"],
  ['apiLogout(a number)', 'invalid_argument', 'reject', '(sdk, client) => client.apiLogout(123)'],
  ['apiLogout(an object)', 'invalid_argument', 'reject', "(sdk, client) => client.apiLogout({ access_token: 'abc' })"],
  ['apiLogout(1 MiB)', 'invalid_argument', 'reject', '(sdk, client, server, big) => client.apiLogout(big)'],
  // on / once / off / event.subscribe / event.unsubscribe
  ['on(unknown name)', 'invalid_argument', 'throw', "(sdk, client) => client.on('SPiD.logut', () => {})"],
  ['on(name without prefix)', 'invalid_argument', 'throw', "(sdk, client) => client.on('logout', () => {})"],
  ['on(wrong case)', 'invalid_argument', 'throw', "(sdk, client) => client.on('spid.logout', () => {})"],
  ['on(empty name)', 'invalid_argument', 'throw', "(sdk, client) => client.on('', () => {})"],
  ['on(a number name)', 'invalid_argument', 'throw', '(sdk, client) => client.on(1, () => {})'],
  ['on(a Symbol name)', 'invalid_argument', 'throw', "(sdk, client) => client.on(Symbol('SPiD.logout'), () => {})"],
  ['on(1 MiB name)', 'invalid_argument', 'throw', '(sdk, client, server, big) => client.on(big, () => {})'],
  ['on(listener missing)', 'invalid_argument', 'throw', "(sdk, client) => client.on('SPiD.logout')"],
  ['on(listener a string)', 'invalid_argument', 'throw', "(sdk, client) => client.on('SPiD.logout', 'alert(1)')"],
  ['on(listener an object)', 'invalid_argument', 'throw', "(sdk, client) => client.on('SPiD.logout', { handleEvent() {} })"],
  ['once(listener null)', 'invalid_argument', 'throw', "(sdk, client) => client.once('SPiD.login', null)"],
  ['once(unknown name)', 'invalid_argument', 'throw', "(sdk, client) => client.once('SPiD.logout ', () => {})"],
  ['off(unknown name)', 'invalid_argument', 'throw', "(sdk, client) => client.off('SPiD.nope', () => {})"],
  ['off(listener a number)', 'invalid_argument', 'throw', "(sdk, client) => client.off('SPiD.logout', 42)"],
  ['event.subscribe(unknown name)', 'invalid_argument', 'throw', "(sdk, client) => client.event.subscribe('auth.logout', () => {})"],
  ['event.subscribe(listener a string)', 'invalid_argument', 'throw', "(sdk, client) => client.event.subscribe('SPiD.logout', 'x')"],
  ['event.unsubscribe(unknown name)', 'invalid_argument', 'throw', "(sdk, client) => client.event.unsubscribe('SPiD.x', () => {})"],
];

describe('bad input: every option and argument, wrong in every way', () => {
  let page;
  before(async () => {
    await world.emulator.reset();
    page = await openSdkPage(browser, world);
    await page.evaluate(() => { window.big = 'a'.repeat(1 << 20); });
    await createClient(page, world, { redirectUri: world.landingPage });
  });
  after(() => page?.close());

  test(`the table has at least 40 cases (${BAD_INPUT.length})`, () => {
    assert.ok(BAD_INPUT.length >= 40);
  });

  for (const [what, code, how, source] of BAD_INPUT) {
    test(`${what} → ${how === 'throw' ? 'throws' : 'rejects with'} SdkError ${code}`, async () => {
      const outcome = await page.evaluate(async ({ source, server }) => {
        const call = (0, eval)(`(${source})`);
        let value;
        try {
          value = call(window.sdk, window.client, server, window.big);
        } catch (error) {
          return { how: 'throw', code: error?.code, isSdkError: error instanceof window.sdk.SdkError, name: error?.name, messageLength: String(error?.message).length };
        }
        if (!(value instanceof Promise)) return { how: 'return', value: String(value).slice(0, 200) };
        try {
          return { how: 'resolve', value: String(await value).slice(0, 200) };
        } catch (error) {
          return { how: 'reject', code: error?.code, isSdkError: error instanceof window.sdk.SdkError, name: error?.name, messageLength: String(error?.message).length };
        }
      }, { source, server: world.emulator.url });
      assert.equal(outcome.how, how, JSON.stringify(outcome));
      assert.equal(outcome.isSdkError, true);
      assert.equal(outcome.name, 'SdkError');
      assert.equal(outcome.code, code);
      assert.ok(outcome.messageLength < 200, 'the message never echoes the input');
    });
  }

  test('nothing was sent, nothing navigated, no event fired, and the same client still logs out', async () => {
    assert.equal(page.url(), world.sdkPage, 'nothing navigated');
    assert.deepEqual((await world.emulator.state()).requests, [], 'nothing reached SchAcc');
    assert.deepEqual(await events(page), []);
    assert.deepEqual(page.problems, []);
    assert.equal(await logIn(page), true);
    const outcome = await page.evaluate(() => window.attempt((client) => client.logout()));
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(await events(page), THREE);
    assert.deepEqual((await world.emulator.state()).sessions, []);
    assert.equal(await page.evaluate(() => window.client.logoutUrl()), `${world.emulator.url}/logout?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(world.landingPage)}`);
  });
});

// ---------------------------------------------------------------------------
// Faults: every request × every failure the emulator (or its absence) can produce.

const FAULTS = [
  ['400', { status: 400 }, 'http', 400],
  ['401', { status: 401 }, 'http', 401], // body {}: not a UserException, so not "logged out"
  ['403', { status: 403 }, 'http', 403],
  ['404', { status: 404 }, 'http', 404],
  ['500', { status: 500 }, 'http', 500],
  ['502', { status: 502 }, 'http', 502],
  ['503', { status: 503 }, 'http', 503],
  ['a body that is not JSON', { status: 200, body: '<html>Service unavailable</html>', contentType: 'text/html' }, 'invalid_response'],
  ['an empty body', { status: 200, body: '' }, 'invalid_response'],
  ['JSON of the wrong shape', { status: 200, body: '{"result":"yes","userStatus":7,"code":"200"}' }, 'invalid_response'],
  ['a JSON array', { status: 200, body: '[true]' }, 'invalid_response'],
  ['a 5 MiB body', { status: 200, bodySize: 5 * 1024 * 1024 }, 'invalid_response'],
  // The delayed answer would be a 500: getting `http` would mean the timeout did not fire.
  ['a delay past the timeout', { delayMs: 1500, status: 500 }, 'timeout'],
  // Not `times: 1`: Chromium transparently retries a GET whose reused connection closed without a byte.
  ['a dropped connection', { drop: true, times: 5 }, 'network'],
  ['missing CORS headers', { noCors: true }, 'network'],
  ['the server stopped', 'stopped', 'network'],
];

const PATHS = { hasSession: '/ajax/hasSession.json', logout: '/ajax/logout.json', apiLogout: '/api/2/logout', logoutWithFallback: '/ajax/logout.json' };

describe('faults: the right code, SPiD.error, no logout, session unchanged, the next call works', () => {
  let page;
  let doomed; // an emulator that is stopped for the 'server stopped' rows

  before(async () => {
    page = await openSdkPage(browser, world);
  });
  after(async () => {
    await page?.close();
    await stopDoomed();
  });

  // harness stop() awaits an 'exit' that already happened when called twice
  // (a SIGKILLed child has exitCode null), so stop each emulator once.
  async function stopDoomed() {
    const running = doomed;
    doomed = undefined;
    await running?.stop();
  }

  /** A fresh client (the old one destroyed) on the SDK page, with user 1001 logged in and known. */
  async function prepare(server, options = {}) {
    await freshLoggedInClient(page, { server, timeout: TIMEOUT, redirectUri: world.landingPage, ...options });
    const session = await page.evaluate(() => window.client.hasSession());
    assert.equal(session.userId, 1001);
    await clearEvents(page);
    return page.evaluate(() => window.client.session);
  }

  /** Starts (or restarts on the same port) the emulator for the 'server stopped' rows. */
  async function startDoomed(port = 0) {
    doomed = await startEmulator(['--listen', `127.0.0.1:${port}`, '--client', CLIENT_ID,
      '--redirect-uri', world.sdkPage, '--redirect-uri', world.landingPage]);
    return doomed;
  }

  const call = (operation, token) => page.evaluate(({ operation, token }) => window.attempt((client) => {
    if (operation === 'apiLogout') return client.apiLogout(token);
    if (operation === 'logoutWithFallback') return client.logoutWithFallback();
    return client[operation]();
  }), { operation, token });

  for (const operation of ['hasSession', 'logout', 'apiLogout']) {
    for (const [what, fault, code, status] of FAULTS) {
      test(`${operation}() × ${what} → ${code}${status ? ` ${status}` : ''}`, async () => {
        const stopped = fault === 'stopped';
        const server = stopped ? (await startDoomed()).url : world.emulator.url;
        const before = await prepare(server);
        const emulator = stopped ? doomed : world.emulator;
        const token = operation === 'apiLogout' ? (await emulator.token()).access_token : undefined;
        if (stopped) await stopDoomed();
        else await world.emulator.fault({ path: PATHS[operation], times: 1, ...fault });

        const outcome = await call(operation, token);
        assert.equal(outcome.ok, false, JSON.stringify(outcome));
        assert.equal(outcome.isSdkError, true);
        assert.equal(outcome.error.code, code, JSON.stringify(outcome));
        if (status) assert.equal(outcome.error.status, status);
        const fired = await page.evaluate(() => window.events);
        assert.deepEqual(fired.map((e) => e.name), ['SPiD.error'], 'SPiD.error and nothing else');
        assert.equal(fired[0].payload.code, code);
        assert.deepEqual(await page.evaluate(() => window.client.session), before, 'client.session unchanged');

        // The next normal call works.
        await world.emulator.clearFaults();
        if (stopped) {
          await startDoomed(new URL(server).port);
          assert.equal(await logIn(page, 1001, server), true);
        }
        await clearEvents(page);
        const retryToken = operation === 'apiLogout' ? (await (stopped ? doomed : world.emulator).token()).access_token : undefined;
        const retry = await call(operation, retryToken);
        assert.equal(retry.ok, true, JSON.stringify(retry));
        if (operation === 'hasSession') assert.equal(retry.value.userId, 1001);
        if (operation === 'logout') {
          assert.equal(retry.value.userStatus, 'notConnected');
          assert.deepEqual(await events(page), THREE);
        }
        if (operation === 'apiLogout') assert.equal((await (stopped ? doomed : world.emulator).me(retryToken)).status, 401);
        if (stopped) await stopDoomed();
      });
    }
  }

  for (const fallback of ['never', 'auto']) {
    for (const [what, fault, code, status] of FAULTS) {
      const title = fallback === 'never'
        ? `logoutWithFallback() (fallback: 'never') × ${what} → rejects with ${code}`
        : `logoutWithFallback() (fallback: 'auto') × ${what} → the redirect flow finishes the logout`;
      test(title, async () => {
        const stopped = fault === 'stopped';
        const server = stopped ? (await startDoomed()).url : world.emulator.url;
        const before = await prepare(server, { fallback });
        if (stopped) await stopDoomed();
        else await world.emulator.fault({ path: PATHS.logoutWithFallback, times: 1, ...fault });

        if (fallback === 'never') {
          const outcome = await call('logoutWithFallback');
          assert.equal(outcome.ok, false, JSON.stringify(outcome));
          assert.equal(outcome.error.code, code);
          if (status) assert.equal(outcome.error.status, status);
          assert.deepEqual(await events(page), ['SPiD.error']);
          assert.deepEqual(await page.evaluate(() => window.client.session), before);
          assert.equal(page.url(), world.sdkPage, 'no redirect');
          await world.emulator.clearFaults();
          if (stopped) {
            await startDoomed(new URL(server).port);
            assert.equal(await logIn(page, 1001, server), true);
          }
          await clearEvents(page);
          const retry = await call('logoutWithFallback');
          assert.equal(retry.ok, true, JSON.stringify(retry));
          // Without CORS headers the browser hid a logout the server did perform.
          assert.equal(retry.value.reason, fault.noCors ? 'no_session' : 'confirmed');
          assert.deepEqual(await events(page), THREE);
          if (stopped) await stopDoomed();
          return;
        }

        // 'auto': the session could not be proven gone, so the redirect flow runs.
        const logoutPage = `${server}/logout?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(world.landingPage)}`;
        const isLogoutPage = (url) => url.href === logoutPage;
        // The stopped server cannot answer the navigation: a 204 stands in, which keeps the page where it is.
        if (stopped) await page.route(isLogoutPage, (route) => route.fulfill({ status: 204 }));
        const navigation = page.waitForRequest((request) => request.url() === logoutPage && request.isNavigationRequest());
        await page.evaluate(() => { window.client.logoutWithFallback(); });
        await navigation;
        if (!stopped) {
          await page.waitForURL(world.landingPage);
          assert.deepEqual((await world.emulator.state()).sessions, [], 'the redirect flow deleted the session');
        } else {
          await page.waitForFunction(() => window.events.length >= 4, null, { timeout: 3000 });
          await page.unroute(isLogoutPage);
        }
        const fired = await page.evaluate(() => JSON.parse(sessionStorage.getItem('events') ?? '[]'));
        assert.deepEqual(fired.map((e) => e.name), ['SPiD.error', ...THREE], 'the error, then the local logout');
        assert.equal(fired[0].payload.code, code);
        assert.equal(fired[3].payload.userStatus, 'notConnected');
      });
    }
  }
});

// ---------------------------------------------------------------------------

describe('races', () => {
  let page;
  before(async () => {
    page = await openSdkPage(browser, world);
  });
  after(() => page?.close());

  const fresh = (options = {}) => freshLoggedInClient(page, options);
  const requests = async (path) => (await world.emulator.state()).requests.filter((r) => r.path === path && r.method === 'GET');

  test('logout() ×10 at once: one request, one set of events, ten equal results', async () => {
    await fresh();
    await page.evaluate(() => window.client.hasSession());
    await clearEvents(page);
    const results = await page.evaluate(() => Promise.all(Array.from({ length: 10 }, () => window.client.logout())));
    assert.equal(new Set(results.map((r) => JSON.stringify(r))).size, 1);
    assert.equal((await requests('/ajax/logout.json')).length, 1);
    assert.deepEqual(await events(page), THREE);
  });

  test('a stale logged-in hasSession() answer arriving after logout() does not log the user back in', async () => {
    await fresh();
    await page.evaluate(() => window.client.hasSession());
    await clearEvents(page);
    // hasSession answers "logged in" — but only after the logout has finished.
    await world.emulator.fault({
      path: '/ajax/hasSession.json', times: 1, delayMs: 800, status: 200,
      body: '{"result":true,"userId":1001,"userStatus":"connected","expiresIn":7000}',
    });
    const result = await page.evaluate(async () => {
      const check = window.client.hasSession();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const logout = await window.client.logout();
      const checked = await check;
      return { logout, checked, session: window.client.session };
    });
    assert.equal(result.logout.userStatus, 'notConnected');
    assert.equal(result.session.userStatus, 'notConnected', 'the final state is logged out');
    assert.equal(result.session.userId, null);
    assert.equal(result.checked.userStatus, 'notConnected', 'the stale answer resolves with the current session');
    const fired = await events(page);
    assert.deepEqual(fired, THREE, 'no SPiD.login after the logout');
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.client.session.userStatus), 'notConnected');
  });

  test('hasSession() started during a slow logout() resolves without logging the user back in', async () => {
    await fresh();
    await page.evaluate(() => window.client.hasSession());
    await clearEvents(page);
    await world.emulator.fault({ path: '/ajax/logout.json', times: 1, delayMs: 600 }); // handled normally after the delay
    const result = await page.evaluate(async () => {
      const logout = window.client.logout();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const checked = await window.client.hasSession(); // answered "logged in" before the logout lands
      await logout;
      return { checked, session: window.client.session };
    });
    assert.equal(result.session.userStatus, 'notConnected');
    // The check may land first (a true "logged in" at that moment: the same user, so only
    // SPiD.sessionChange) — but never a login, and the logout's three events come last.
    const fired = await events(page);
    assert.ok(!fired.includes('SPiD.login'), fired.join());
    assert.deepEqual(fired.slice(-3), THREE);
    assert.ok(fired.length === 3 || (fired.length === 4 && fired[0] === 'SPiD.sessionChange'), fired.join());
    assert.deepEqual((await world.emulator.state()).sessions, []);
  });

  test('cross-tab: only the exact "logout" message on this server + clientId channel logs the tab out', async () => {
    await fresh();
    await page.evaluate(() => window.client.hasSession());
    await clearEvents(page);
    const name = `schacc-sdk:${world.emulator.url}?client_id=${CLIENT_ID}`;
    await page.evaluate(async ({ name, server }) => {
      const post = (channel, message) => { const c = new BroadcastChannel(channel); c.postMessage(message); c.close(); };
      post(name, { type: 'logout' });
      post(name, 'LOGOUT');
      post(name, 'logout ');
      post(name, ['logout']);
      post(`schacc-sdk:${server}?client_id=other-client`, 'logout');
      post(`schacc-sdk:https://evil.example?client_id=e2e-client`, 'logout');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }, { name, server: world.emulator.url });
    assert.deepEqual(await events(page), [], 'look-alike messages and other channels are ignored');
    assert.equal(await page.evaluate(() => window.client.session.userId), 1001);
    await page.evaluate((name) => { const c = new BroadcastChannel(name); c.postMessage('logout'); c.close(); }, name);
    await page.waitForFunction(() => window.events.length >= 3, null, { timeout: 2000 });
    assert.deepEqual(await events(page), THREE);
    assert.equal((await world.emulator.state()).requests.filter((r) => r.path === '/ajax/logout.json').length, 0, 'a cross-tab message sends nothing');
  });

  for (const operation of ['logout', 'hasSession', 'apiLogout', 'logoutWithFallback']) {
    test(`destroy() while ${operation}() is in flight: no event after destroy, no page error, no unhandled rejection`, async () => {
      await fresh({ fallback: 'never' });
      const token = operation === 'apiLogout' ? (await world.emulator.token()).access_token : undefined;
      await page.evaluate(() => {
        window.rejections = [];
        window.onunhandledrejection = (event) => window.rejections.push(String(event.reason));
      });
      await world.emulator.fault({ path: PATHS[operation], times: 1, delayMs: 500 });
      const outcome = await page.evaluate(async ({ operation, token }) => {
        const client = window.client;
        const pending = operation === 'apiLogout' ? client.apiLogout(token) : client[operation]();
        client.destroy();
        const settled = await pending.then((value) => ({ ok: true, status: value?.userStatus ?? value?.session?.userStatus ?? null }), (error) => ({ ok: false, code: error?.code }));
        // Later calls refuse with invalid_argument; the last session stays readable.
        let later;
        try {
          await client.hasSession();
          later = 'resolved';
        } catch (error) {
          later = error.code;
        }
        let laterSync;
        try {
          client.on('SPiD.logout', () => {});
          laterSync = 'returned';
        } catch (error) {
          laterSync = error.code;
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { settled, later, laterSync, session: client.session?.userStatus };
      }, { operation, token });
      // The promise in flight settles, with the typed error of a destroyed client, not with an outcome.
      assert.deepEqual(outcome.settled, { ok: false, code: 'invalid_argument' }, JSON.stringify(outcome));
      assert.equal(outcome.later, 'invalid_argument');
      assert.equal(outcome.laterSync, 'invalid_argument');
      assert.equal(typeof outcome.session, 'string');
      assert.deepEqual(await events(page), [], 'no event after destroy()');
      assert.deepEqual(await page.evaluate(() => window.rejections), []);
      assert.deepEqual(page.problems, []);
      assert.equal(page.url(), world.sdkPage);
    });
  }
});
