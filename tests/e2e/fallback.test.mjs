// logoutWithFallback() and cross-tab logout in Chromium, against the emulator
// over HTTP, page (127.0.0.1) and SchAcc (localhost) on different sites.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGOUT_EVENTS, createClient, events, launch, moveClock, openSdkPage, startWorld } from './harness.mjs';

const THREE = LOGOUT_EVENTS;
const SAFARI_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15';

let world;
before(async () => {
  world = await startWorld();
});
after(async () => {
  await world?.stop();
});

const logoutRequests = async () => (await world.emulator.state()).requests.filter((r) => r.path === '/ajax/logout.json' && r.method === 'GET');

/** Runs logoutWithFallback on the page and waits for it to land on `landing` (redirect) or to resolve. */
async function fallbackAndLand(page, options = {}) {
  await Promise.all([
    page.waitForURL(world.landingPage),
    page.evaluate((options) => { window.client.logoutWithFallback(options); }, { redirectUri: world.landingPage, ...options }),
  ]);
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('events') ?? '[]').map((e) => e.name));
}

describe('Chromium with third-party cookies allowed', () => {
  let browser;
  before(async () => {
    browser = await launch({ thirdPartyCookies: 'allow' });
  });
  after(() => browser?.close());

  test('logoutWithFallback() confirms by fetch and does not redirect; the session is gone', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    const result = await page.evaluate((redirectUri) => window.client.logoutWithFallback({ redirectUri }), world.landingPage);
    assert.equal(result.redirected, false);
    assert.equal(result.confirmed, true);
    assert.equal(result.reason, 'confirmed');
    assert.equal(result.session.userStatus, 'notConnected');
    assert.equal(page.url(), world.sdkPage);
    assert.deepEqual((await world.emulator.state()).sessions, []);
    assert.deepEqual(await events(page), THREE);
    await page.close();
  });

  test("fallback: 'always' redirects even after a confirmed logout; events fire once", async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world, { fallback: 'always' });
    const fired = await fallbackAndLand(page);
    assert.equal((await logoutRequests())[0].cookie, true);
    assert.deepEqual(fired, THREE);
    assert.deepEqual((await world.emulator.state()).sessions, []);
    await page.close();
  });

  test('a redirectUri that is not an absolute http(s) URL rejects with invalid_argument before anything is sent', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    for (const redirectUri of ['javascript:alert(1)', '/relative', '//evil.example/', 'https://u:p@evil.example/']) {
      const outcome = await page.evaluate((redirectUri) => window.attempt((c) => c.logoutWithFallback({ redirectUri })), redirectUri);
      assert.equal(outcome.ok, false, redirectUri);
      assert.equal(outcome.error.code, 'invalid_argument');
    }
    assert.deepEqual(await logoutRequests(), []);
    assert.equal((await world.emulator.state()).sessions.length, 1);
    await page.close();
  });

  test('a logout in one tab reaches the other tab within 1 s; crossTab: false neither sends nor receives', async () => {
    await world.emulator.reset();
    const first = await openSdkPage(browser, world, { login: true });
    const second = await openSdkPage(browser, world);
    const deaf = await openSdkPage(browser, world);
    await createClient(first, world);
    await createClient(second, world);
    await createClient(deaf, world, { crossTab: false });
    await second.evaluate(() => window.client.hasSession());
    await second.evaluate(() => (window.events.length = 0));
    const started = Date.now();
    await first.evaluate(() => window.client.logout());
    await second.waitForFunction(() => window.events.length >= 3, null, { timeout: 1000 });
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(await events(second), THREE);
    assert.equal(await second.evaluate(() => window.client.session.userStatus), 'notConnected');
    await deaf.waitForTimeout(500);
    assert.deepEqual(await events(deaf), [], 'crossTab: false does not receive');

    // A crossTab: false client does not announce its logout.
    await world.emulator.reset();
    await second.evaluate(() => (window.events.length = 0));
    await deaf.goto(world.emulator.loginUrl(world.sdkPage));
    await deaf.waitForFunction(() => window.sdkReady === true);
    await createClient(deaf, world, { crossTab: false });
    await deaf.evaluate(() => window.client.logout());
    assert.deepEqual(await events(deaf), THREE);
    await second.waitForTimeout(500);
    assert.deepEqual(await events(second), []);
    for (const page of [first, second, deaf]) await page.close();
  });

  test('a page restored from the back/forward cache re-checks with hasSession()', async () => {
    await world.emulator.reset();
    const cachingBrowser = await launch({ thirdPartyCookies: 'allow', backForwardCache: true });
    const page = await openSdkPage(cachingBrowser, world, { login: true });
    await createClient(page, world);
    await page.evaluate(() => window.client.hasSession());
    await moveClock(page, 61_000); // re-checks are at most once a minute
    await page.goto(world.landingPage);
    await world.emulator.reset(); // logged out elsewhere meanwhile
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => window.client?.session.userStatus === 'notConnected', null, { timeout: 3000 });
    const checks = (await world.emulator.state()).requests.filter((r) => r.path === '/ajax/hasSession.json');
    assert.equal(checks.length, 1, 'one re-check after the restore');
    assert.deepEqual((await events(page)).slice(-3), THREE);
    await cachingBrowser.close();
  });
});

describe('Chromium: re-checks and old browsers', () => {
  let browser;
  before(async () => {
    browser = await launch({ thirdPartyCookies: 'allow' });
  });
  after(() => browser?.close());

  test('a page shown again re-checks a session it asked about; one that never asked sends nothing', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    const show = () => page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const checks = async () => (await world.emulator.state()).requests.filter((r) => r.path === '/ajax/hasSession.json').length;
    await show();
    await page.waitForTimeout(300);
    assert.equal(await checks(), 0, 'never asked: no request');
    await page.evaluate(() => window.client.hasSession());
    await world.emulator.reset(); // the session ended elsewhere
    await moveClock(page, 61_000); // re-checks are at most once a minute
    await show();
    await page.waitForFunction(() => window.client.session.userStatus === 'notConnected', null, { timeout: 2000 });
    assert.equal(await checks(), 1);
    assert.deepEqual((await events(page)).slice(-3), THREE);
    await page.close();
  });

  test('without BroadcastChannel the SDK still logs out, quietly', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await page.evaluate(() => { delete window.BroadcastChannel; });
    await createClient(page, world);
    const result = await page.evaluate(() => window.client.logoutWithFallback());
    assert.equal(result.reason, 'confirmed');
    assert.deepEqual(await events(page), THREE);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});

describe('Chromium with third-party cookies blocked (like Safari ITP)', () => {
  let browser;
  before(async () => {
    browser = await launch({ thirdPartyCookies: 'block' });
  });
  after(() => browser?.close());

  test('the fetch arrives without cookie, the SDK redirects, the session is gone, events fired once, other tabs told', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    const otherTab = await openSdkPage(browser, world);
    await createClient(page, world);
    await createClient(otherTab, world);
    assert.equal((await world.emulator.state()).sessions.length, 1);
    const fired = await fallbackAndLand(page);
    const [request] = await logoutRequests();
    assert.equal(request.cookie, false, 'the browser withheld the third-party cookie');
    assert.deepEqual((await world.emulator.state()).sessions, [], 'the redirect deleted the session');
    assert.equal(await page.textContent('#landed'), 'You are back on the site after logging out.');
    assert.deepEqual(fired, THREE, 'the three events fired exactly once, before the redirect');
    assert.deepEqual(await events(otherTab), THREE);
    assert.deepEqual(page.problems, []);
    await page.close();
    await otherTab.close();
  });

  test("fallback: 'never' does not redirect, resolves with what happened, and the session survives", async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world, { fallback: 'never' });
    const result = await page.evaluate((redirectUri) => window.client.logoutWithFallback({ redirectUri }), world.landingPage);
    assert.deepEqual({ ...result, session: undefined }, { session: undefined, redirected: false, confirmed: false, tokenRevoked: false, reason: 'no_session' });
    assert.equal(page.url(), world.sdkPage);
    assert.equal((await world.emulator.state()).sessions.length, 1, 'the SchAcc session is still alive');
    await page.close();
  });

  test("fallback: 'auto' also redirects when the fetch fails", async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    await world.emulator.fault({ path: '/ajax/logout.json', status: 503, times: 1 });
    const fired = await fallbackAndLand(page);
    assert.deepEqual(fired, ['SPiD.error', ...THREE]);
    assert.deepEqual((await world.emulator.state()).sessions, []);
    await page.close();
  });
});

describe('Chromium with a Safari user agent and cookies allowed', () => {
  let browser;
  before(async () => {
    browser = await launch({ thirdPartyCookies: 'allow', userAgent: SAFARI_UA });
  });
  after(() => browser?.close());

  test('redirects even though the fetch confirmed the logout; events fired once', async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world);
    const { access_token: token } = await world.emulator.token();
    const fired = await fallbackAndLand(page, { oauthToken: token });
    const [request] = await logoutRequests();
    assert.equal(request.cookie, true);
    const redirects = (await world.emulator.state()).requests.filter((r) => r.path === '/logout');
    assert.equal(redirects.length, 1);
    assert.deepEqual(fired, THREE);
    assert.deepEqual((await world.emulator.state()).sessions, []);
    assert.equal((await world.emulator.me(token)).status, 401, 'the token went along and was revoked');
    await page.close();
  });

  test("fallback: 'never' does not redirect, even in Safari", async () => {
    await world.emulator.reset();
    const page = await openSdkPage(browser, world, { login: true });
    await createClient(page, world, { fallback: 'never' });
    const result = await page.evaluate(() => window.client.logoutWithFallback());
    assert.equal(result.redirected, false);
    assert.equal(result.reason, 'confirmed');
    await page.close();
  });
});
