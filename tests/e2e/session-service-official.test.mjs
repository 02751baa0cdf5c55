// The session service as the site's official client asks it (issue 22, part 1), in Chromium with third-party
// cookies BLOCKED, against the emulator's service. The oracle is account-sdk-browser 5.1.1 from npm, unmodified
// (bundled by the harness's `bundleOfficialClient` into target/e2e/): on one page, on one site, it and schacc-sdk must send the
// same session request (tab ids aside; schacc-sdk adds client_id) and agree on who is logged in after every step.
import { before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID, blankSlate, bundleOfficialClient, createClient, events, openSdkPage, withWorldAndBrowser } from './harness.mjs';

let world;
let browser;
before(bundleOfficialClient);
withWorldAndBrowser({ thirdPartyCookies: 'block' }, (w, b) => ([world, browser] = [w, b]), { sessionService: true });
beforeEach(() => blankSlate(world, browser));

const officialPage = () => `${world.pages.origin}/tests/e2e/pages/official.html`;
const sessionRequests = async () => (await world.emulator.state()).requests
  .filter((r) => r.listener === 'session' && /\/session$/.test(r.path) && r.method === 'GET');
const params = (query) => [...new URLSearchParams(query)];

/**
 * Runs `act()` and waits until the page, sent away by it (through `via`, a path, when given), has come back to `to`
 * by a redirect and loaded.
 */
async function roundTrip(page, act, { via, to }) {
  const went = via && page.waitForRequest((r) => r.isNavigationRequest() && new URL(r.url()).pathname === via);
  const back = page.waitForRequest((r) => r.isNavigationRequest() && r.url() === to && r.redirectedFrom() !== null);
  // Every step between is a redirect: the next document to load is the one the page came back to.
  const loaded = page.waitForEvent('load');
  await act();
  await went;
  await back;
  await loaded;
  assert.equal(page.url(), to);
}

/** The official page, logged in first when `login`. */
async function open({ login = false } = {}) {
  const page = await browser.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(String(error)));
  await page.goto(login ? world.emulator.loginUrl(officialPage()) : officialPage());
  await page.waitForFunction(() => window.ready === true);
  return page;
}

/** account-sdk-browser's Identity on the page, as a site configures it (env LOCAL: its namespace is id.localhost). */
const official = (page, options = {}) => page.evaluate((options) => {
  window.identity = new window.Identity({ env: 'LOCAL', ...options });
}, { clientId: CLIENT_ID, sessionDomain: world.sessionUrl, redirectUri: officialPage(), ...options });

/** schacc-sdk's client on the page, configured for the same client. */
const ours = (page, options = {}) => page.evaluate(async (options) => {
  window.client = await window.sdk.createClient(options);
}, { clientId: CLIENT_ID, server: world.emulator.url, sessionDomain: world.sessionUrl, redirectUri: officialPage(), sdrnNamespace: 'id.localhost', ...options });

/** Who each client says is logged in, asked afresh in a new tab (account-sdk-browser caches per tab). */
async function whoIsLoggedIn() {
  const page = await open();
  await official(page);
  await ours(page);
  const answer = await page.evaluate(async () => ({
    official: { loggedIn: await window.identity.isLoggedIn(), userId: await window.identity.getUserId().catch(() => null) },
    // Fresh: the logins here are the emulator's dev login, posted from the page, which no SDK can see (a login at
    // SchAcc's own page or through the login door makes the cache ask: cache.test.mjs).
    ours: await window.client.hasSession({ fresh: true }).then((session) => ({ loggedIn: session.result, userId: session.userId })),
  }));
  await page.close();
  return answer;
}

describe('the session service as account-sdk-browser 5 asks it, third-party cookies blocked', () => {
  test('schacc-sdk\'s session request has account-sdk-browser\'s path, parameter names and values (tab ids aside), plus client_id', async () => {
    const page = await open({ login: true });
    await official(page);
    await ours(page);
    await page.evaluate(() => window.identity.hasSession());
    await page.evaluate(() => window.client.hasSession());
    const [theirs, mine] = await sessionRequests();
    assert.equal(theirs.path, '/v2/session');
    assert.equal(mine.path, theirs.path);
    const without = (list, ...names) => list.filter(([name]) => !names.includes(name));
    assert.deepEqual(params(theirs.query).map(([name]) => name), ['client_sdrn', 'redirect_uri', 'sdk_version', 'tabId']);
    assert.deepEqual(without(params(mine.query), 'tabId', 'client_id'), without(params(theirs.query), 'tabId'));
    assert.deepEqual(params(mine.query).map(([name]) => name), ['client_sdrn', 'redirect_uri', 'sdk_version', 'tabId', 'client_id']);
    assert.equal(new URLSearchParams(mine.query).get('client_id'), CLIENT_ID);
    assert.equal(new URLSearchParams(mine.query).get('client_sdrn'), `sdrn:id.localhost:client:${CLIENT_ID}`);
    assert.equal(mine.cookie, true, 'with the service\'s first-party cookie');
    assert.deepEqual(page.problems, []);
  });

  test('without redirectUri, redirect_uri is the page\'s URL without its fragment; the tab id is one per tab, kept across its page views', async () => {
    const page = await openSdkPage(browser, world);
    await page.evaluate(() => { location.hash = '#section'; });
    await createClient(page, world, { sessionDomain: world.sessionUrl });
    await page.evaluate(() => window.client.hasSession());
    await page.reload();
    await page.waitForFunction(() => window.sdkReady === true);
    await createClient(page, world, { sessionDomain: world.sessionUrl });
    await page.evaluate(() => window.client.hasSession());
    const other = await openSdkPage(browser, world);
    await createClient(other, world, { sessionDomain: world.sessionUrl });
    await other.evaluate(() => window.client.hasSession());
    const asked = (await sessionRequests()).map((r) => new URLSearchParams(r.query));
    assert.equal(asked.length, 3);
    assert.equal(asked[0].get('redirect_uri'), world.sdkPage);
    assert.match(asked[0].get('tabId'), /^\d+$/);
    assert.equal(asked[1].get('tabId'), asked[0].get('tabId'), 'the same tab, another page view');
    assert.notEqual(asked[2].get('tabId'), asked[0].get('tabId'), 'another tab');
    assert.equal(asked[0].get('client_sdrn'), `sdrn:localhost:client:${CLIENT_ID}`, 'the namespace of a server SchAcc does not list: its host');
  });

  test('the official service\'s logged-out answer, a 401 UserException, is logged out for schacc-sdk too', async () => {
    const page = await openSdkPage(browser, world);
    await createClient(page, world, { sessionDomain: world.sessionUrl });
    await world.emulator.fault({
      path: '/v2/session', status: 401, times: 1,
      body: JSON.stringify({ result: false, userStatus: 'notConnected', error: { code: 401, type: 'UserException', description: 'No session found' } }),
    });
    const session = await page.evaluate(() => window.client.hasSession());
    assert.deepEqual([session.result, session.userStatus, session.userId], [false, 'notConnected', null]);
    assert.deepEqual(await events(page), ['SPiD.statusChange', 'SPiD.notLoggedin']);
  });

  test('a sessionDomain with a path is asked at {sessionDomain}/session', async () => {
    const page = await openSdkPage(browser, world);
    await createClient(page, world, { sessionDomain: `${world.sessionUrl}/sso` });
    await page.evaluate(() => window.attempt((client) => client.hasSession()));
    const [asked] = await sessionRequests();
    assert.equal(asked.path, '/sso/session');
  });

  test('account-sdk-browser and schacc-sdk agree on who is logged in: after a login, a logout through schacc-sdk, a login, a logout through account-sdk-browser', async () => {
    assert.deepEqual(await whoIsLoggedIn(), { official: { loggedIn: false, userId: null }, ours: { loggedIn: false, userId: null } });
    let page = await open({ login: true });
    await page.close();
    assert.deepEqual(await whoIsLoggedIn(), { official: { loggedIn: true, userId: 1001 }, ours: { loggedIn: true, userId: 1001 } });

    page = await open();
    await ours(page);
    const session = await page.evaluate(() => window.client.logout());
    assert.equal(session.result, false);
    await page.close();
    assert.deepEqual(await whoIsLoggedIn(), { official: { loggedIn: false, userId: null }, ours: { loggedIn: false, userId: null } });

    page = await open({ login: true });
    await official(page);
    // The official logout: a top-level visit to the service's GET /logout, which comes back to redirectUri.
    await roundTrip(page, () => page.evaluate(() => { window.identity.logout(); }), { via: '/logout', to: officialPage() });
    const [logout] = (await world.emulator.state()).requests.filter((r) => r.listener === 'session' && r.path === '/logout');
    assert.ok(logout, 'account-sdk-browser went through the service\'s /logout');
    await page.close();
    assert.deepEqual(await whoIsLoggedIn(), { official: { loggedIn: false, userId: null }, ours: { loggedIn: false, userId: null } });
  });

  test('account-sdk-browser and schacc-sdk agree on who is logged in after a {redirectURL} renewal, made by either', async () => {
    const loggedIn = { official: { loggedIn: true, userId: 1001 }, ours: { loggedIn: true, userId: 1001 } };
    const renewals = async () => (await world.emulator.state()).requests.filter((r) => r.listener === 'session' && r.path === '/v2/refresh').length;
    let page = await open({ login: true });
    await official(page);
    await world.emulator.sessionRenewal();
    await roundTrip(page, () => page.evaluate(() => { window.identity.hasSession().catch(() => {}); }), { via: '/v2/refresh', to: officialPage() });
    await page.close();
    assert.equal(await renewals(), 1, 'account-sdk-browser went round');
    assert.deepEqual(await whoIsLoggedIn(), loggedIn);

    page = await open();
    await ours(page);
    await world.emulator.sessionRenewal();
    // Fresh: whoIsLoggedIn() left an answer in the session cache.
    await roundTrip(page, () => page.evaluate(() => { window.client.hasSession({ fresh: true }).catch(() => {}); }), { via: '/v2/refresh', to: officialPage() });
    await page.close();
    assert.equal(await renewals(), 2, 'schacc-sdk went round');
    assert.deepEqual(await whoIsLoggedIn(), loggedIn);
  });
});

describe('the service\'s {redirectURL}: a top-level visit renews its cookie (Chromium, third-party cookies blocked)', () => {
  const renewals = async () => (await world.emulator.state()).requests.filter((r) => r.listener === 'session' && r.path === '/v2/refresh');

  test('hasSession() sends the page there once, with the session request\'s parameters; it comes back to the page logged in, and no session event fired', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world, { sessionDomain: world.sessionUrl });
    await world.emulator.sessionRenewal();
    await page.evaluate(() => {
      window.client.hasSession().catch((error) => sessionStorage.setItem('why', error.code));
    });
    await roundTrip(page, () => {}, { via: '/v2/refresh', to: world.sdkPage });
    await page.waitForFunction(() => window.sdkReady === true);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('why')), 'session_renewal', 'the promise says why, as the page goes');
    const [visit] = await renewals();
    assert.ok(visit, 'the page went to the service\'s renewal');
    const query = new URLSearchParams(visit.query);
    assert.deepEqual([...query.keys()], ['client_sdrn', 'redirect_uri', 'sdk_version', 'tabId', 'client_id']);
    assert.equal(query.get('redirect_uri'), world.sdkPage);
    assert.equal(page.url(), world.sdkPage, 'back on the page');
    assert.deepEqual(await events(page), [], 'no session event for a renewal');
    await createClient(page, world, { sessionDomain: world.sessionUrl });
    const session = await page.evaluate(() => window.client.hasSession());
    assert.equal(session.result, true, 'still logged in, through the renewed cookie');
  });

  test('a second {redirectURL} within 5 minutes does not send the page round again: session_renewal with the url, no navigation, no event', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await page.evaluate(() => localStorage.setItem('schacc-sdk:session-renewal', String(Date.now() - 60_000)));
    await createClient(page, world, { sessionDomain: world.sessionUrl });
    await world.emulator.sessionRenewal();
    const outcome = await page.evaluate(() => window.attempt((client) => client.hasSession()));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.code, 'session_renewal');
    assert.match(outcome.error.message, /within 5 minutes/);
    assert.match(outcome.error.url, new RegExp(`^${world.sessionUrl}/v2/refresh\\?client_sdrn=`));
    assert.equal(page.url(), world.sdkPage, 'no navigation');
    assert.deepEqual(await renewals(), []);
    assert.deepEqual(await events(page), [], 'not even SPiD.error: nothing failed');
    // Five minutes later it may go again.
    await page.evaluate(() => localStorage.setItem('schacc-sdk:session-renewal', String(Date.now() - 5 * 60_000)));
    await world.emulator.sessionRenewal();
    await roundTrip(page, () => page.evaluate(() => { window.client.hasSession().catch(() => {}); }), { via: '/v2/refresh', to: world.sdkPage });
    assert.equal((await renewals()).length, 1);
  });

  test('sessionRenewal: false: no navigation; session_renewal carries the url', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world, { sessionDomain: world.sessionUrl, sessionRenewal: false });
    await world.emulator.sessionRenewal();
    const outcome = await page.evaluate(() => window.attempt((client) => client.hasSession()));
    assert.equal(outcome.error.code, 'session_renewal');
    assert.match(outcome.error.message, /sessionRenewal is off/);
    assert.ok(outcome.error.url.startsWith(`${world.sessionUrl}/v2/refresh?`));
    assert.equal(page.url(), world.sdkPage);
    assert.equal(await page.evaluate(() => localStorage.getItem('schacc-sdk:session-renewal')), null, 'nothing recorded');
  });

  /**
   * A logged-in page whose client has the hook `hookSource` (a function's source, made in the page) as
   * beforeSessionRenewal; its hasSession() meets a {redirectURL}, and the page goes round through /v2/refresh and
   * back to itself.
   */
  async function renewWithHook(hookSource) {
    const page = await openSdkPage(browser, world, { login: true });
    await page.evaluate(async ({ options, hookSource }) => {
      window.client = await window.sdk.createClient({ ...options, beforeSessionRenewal: (0, eval)(`(${hookSource})`) });
    }, { options: { clientId: CLIENT_ID, server: world.emulator.url, sessionDomain: world.sessionUrl }, hookSource });
    await world.emulator.sessionRenewal();
    await roundTrip(page, () => page.evaluate(() => { window.client.hasSession().catch(() => {}); }), { via: '/v2/refresh', to: world.sdkPage });
    return page;
  }

  test('beforeSessionRenewal(url) is awaited before the visit; a hook that throws stops nothing', async () => {
    const page = await renewWithHook(`(url) => new Promise((resolve) => {
      sessionStorage.setItem('hooked', JSON.stringify({ url, at: Date.now() }));
      setTimeout(() => { sessionStorage.setItem('hookDone', '1'); resolve(); throw new Error('ignored'); }, 200);
    })`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('hookDone')), '1', 'the hook ran to its end before the page went');
    const hooked = JSON.parse(await page.evaluate(() => sessionStorage.getItem('hooked')));
    assert.ok(hooked.url.startsWith(`${world.sessionUrl}/v2/refresh?client_sdrn=`));
    assert.equal((await renewals()).length, 1);
  });

  test('a beforeSessionRenewal that throws at once stops nothing either, and is called with the URL alone', async () => {
    const page = await renewWithHook(`(...args) => {
      sessionStorage.setItem('hookArgs', String(args.length));
      throw new Error('the hook failed');
    }`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('hookArgs')), '1');
    assert.equal((await renewals()).length, 1);
  });

  test('a beforeSessionRenewal that returns a hostile promise (its constructor getter throws) wedges nothing: the visit happens', async () => {
    await renewWithHook(`() => Object.defineProperty(Promise.resolve(), 'constructor', { get() { throw new Error('hostile'); } })`);
    assert.equal((await renewals()).length, 1);
  });

  test('a redirectURL of another origin is not followed: invalid_response, no navigation', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world, { sessionDomain: world.sessionUrl });
    await world.emulator.sessionRenewal({ to: 'https://evil.example/steal' });
    const outcome = await page.evaluate(() => window.attempt((client) => client.hasSession()));
    assert.equal(outcome.error.code, 'invalid_response');
    assert.equal(page.url(), world.sdkPage);
    assert.equal(await page.evaluate(() => localStorage.getItem('schacc-sdk:session-renewal')), null);
  });
});

describe('a service without POST /v2/logout (the official one has only GET /logout)', () => {
  test('logout() rejects typed and fires no logout event; logoutWithFallback() finishes through SchAcc\'s /logout', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world, { sessionDomain: world.sessionUrl, redirectUri: world.sdkPage });
    await page.evaluate(() => window.client.hasSession());
    await world.emulator.fault({ path: '/v2/logout', status: 404, times: 2, body: '{"error":{"code":404,"type":"NotFoundException","description":"No such endpoint"}}' });
    const outcome = await page.evaluate(() => window.attempt((client) => client.logout()));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.code, 'http');
    assert.equal(outcome.error.status, 404);
    assert.ok(!(await events(page)).includes('SPiD.logout'), 'no logout reported');
    await roundTrip(page, () => page.evaluate(() => { window.client.logoutWithFallback(); }), { via: '/logout', to: world.sdkPage });
    const [redirect] = (await world.emulator.state()).requests.filter((r) => r.listener !== 'session' && r.path === '/logout');
    assert.ok(redirect, 'through SchAcc\'s /logout');
    assert.deepEqual((await world.emulator.state()).sessions, [], 'the session is gone');
  });
});

describe('the login door: loginUrl() and login()', () => {
  test('loginUrl() is account-sdk-browser\'s loginUrl() for the same client, byte for byte, with and without options', async () => {
    const page = await open();
    // env as a URL: the official client's SchAcc is then the emulator, like ours.
    await official(page, { env: world.emulator.url });
    await ours(page);
    const cases = [
      { state: 's1' },
      { state: 'a b&c', scope: 'openid profile', acrValues: 'otp-email', loginHint: 'a@b.example', tag: 't', teaser: 'x', maxAge: 0, locale: 'nb_NO', oneStepLogin: true },
      { state: 's2', redirectUri: world.sdkPage, prompt: 'login' },
    ];
    for (const options of cases) {
      const [mine, theirs] = await page.evaluate((options) => [window.client.loginUrl(options), window.identity.loginUrl(options)], options);
      // Both percent-encode; the official client writes a space as `+`, this SDK as `%20` (both mean a space).
      assert.equal(mine.replaceAll('%20', '+'), theirs.replaceAll('%20', '+'), JSON.stringify(options));
    }
  });

  test('loginUrl() refuses what SchAcc would: no state, an unknown acrValues, a redirectUri that is not http(s)', async () => {
    const page = await open();
    await ours(page);
    const codes = await page.evaluate(() => [
      {}, { state: '' }, { state: 's', acrValues: 'magic' }, { state: 's', redirectUri: 'javascript:alert(1)' }, { state: 's', maxAge: 1.5 },
    ].map((options) => { try { return window.client.loginUrl(options); } catch (error) { return error.code; } }));
    assert.deepEqual(codes, ['invalid_argument', 'invalid_argument', 'invalid_argument', 'invalid_argument', 'invalid_argument']);
  });

  test('login() sends the page to SchAcc\'s /oauth/authorize; after the login there it comes back with code and state, logged in', async () => {
    const page = await openSdkPage(browser, world);
    await createClient(page, world, { sessionDomain: world.sessionUrl, redirectUri: world.sdkPage });
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/oauth/authorize'),
      page.evaluate(() => window.client.login({ state: 'xyz' })),
    ]);
    const authorize = new URL(page.url());
    assert.equal(authorize.origin, world.emulator.url);
    assert.equal(authorize.searchParams.get('state'), 'xyz');
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(`${world.sdkPage}?`), { waitUntil: 'load' }),
      page.click('button, input[type=submit]'),
    ]);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('state'), 'xyz');
    assert.match(back.searchParams.get('code'), /^[0-9a-f]{32}$/);
    await page.waitForFunction(() => window.sdkReady === true);
    await createClient(page, world, { sessionDomain: world.sessionUrl });
    const session = await page.evaluate(() => window.client.hasSession());
    assert.equal(session.result, true, 'logged in, as the service sees it');
  });
});
