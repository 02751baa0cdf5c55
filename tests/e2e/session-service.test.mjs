// The site's first-party session service (`sessionDomain`, issue 13) in
// Chromium with third-party cookies BLOCKED, against the emulator's second
// listener. The page (http://127.0.0.1:P) and the session service
// (http://127.0.0.1:S) are one site, SchAcc (http://localhost:Q) another
// (startWorld explains the arrangement). SchAcc's cookie is withheld from the
// page's fetches; the service's is not, so with sessionDomain the
// page-preserving logout works where without it only the redirect can.
// The same scenarios without sessionDomain are the control: today's behaviour.
// WebKit and Firefox: tests/webdriver/session-service.test.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID, LOGOUT_EVENTS, assertLoggedOutAtBothDoors, createClient, events, launch, openSdkPage, startWorld } from './harness.mjs';

let world;
let browser;
before(async () => {
  world = await startWorld({ sessionService: true });
  browser = await launch({ thirdPartyCookies: 'block' });
});
after(async () => {
  await browser?.close();
  await world?.stop();
});

const withService = (options = {}) => ({ sessionDomain: world.sessionUrl, ...options });
const requests = async (path, method) => (await world.emulator.state()).requests
  .filter((r) => r.path === path && (!method || r.method === method));
const liveSessions = async () => (await world.emulator.state()).sessions;
/** The SchAcc cookie as the browser holds it (set first-party at the login). */
const schaccCookie = async () => (await browser.cookies(world.emulator.url)).find((c) => c.name === 'schacc_session')?.value;

/** A clean slate, a login (SchAcc and the service, one session), the SDK page with `window.client`. */
async function loggedIn(options) {
  await world.emulator.reset();
  await browser.clearCookies();
  const page = await openSdkPage(browser, world, { login: true });
  assert.equal((await liveSessions()).length, 1, 'logged in');
  await createClient(page, world, options);
  return page;
}

describe('Chromium, third-party cookies blocked, with sessionDomain', () => {
  test('hasSession() sees the user through the session service, with its cookie', async () => {
    const page = await loggedIn(withService());
    const session = await page.evaluate(() => window.client.hasSession());
    assert.equal(session.result, true);
    assert.equal(session.userId, 1001);
    assert.equal(session.userStatus, 'connected');
    assert.deepEqual(await events(page), ['SPiD.login', 'SPiD.statusChange', 'SPiD.sessionChange', 'SPiD.sessionInit']);
    const [asked] = await requests('/v2/session');
    assert.equal(asked.method, 'GET');
    assert.equal(asked.listener, 'session');
    // As account-sdk-browser asks it (tests/e2e/session-service-official.test.mjs), plus client_id.
    assert.deepEqual([...new URLSearchParams(asked.query).keys()], ['client_sdrn', 'redirect_uri', 'sdk_version', 'tabId', 'client_id']);
    assert.equal(new URLSearchParams(asked.query).get('client_id'), CLIENT_ID);
    assert.equal(asked.cookie, true, 'the first-party cookie went along');
    assert.equal(asked.origin, world.pages.origin);
    assert.deepEqual(await requests('/ajax/hasSession.json'), [], 'SchAcc was not asked');
    assert.deepEqual([page.problems, page.networkErrors], [[], []]);
    await page.close();
  });

  test('logout() is confirmed: three events in order, no navigation, the session gone at SchAcc too, other tabs told', async () => {
    const page = await loggedIn(withService());
    const otherTab = await openSdkPage(browser, world);
    await createClient(otherTab, world, withService());
    const cookie = await schaccCookie();
    assert.ok(cookie, 'the browser holds the SchAcc cookie');
    assert.equal((await world.emulator.schaccHasSession(cookie)).body.result, true, 'SchAcc sees the session before');

    const session = await page.evaluate(() => window.client.logout());
    assert.equal(session.result, false);
    assert.equal(session.userStatus, 'notConnected');
    assert.equal(session.reason, undefined, 'not no_session: the service found and deleted the session');
    assert.deepEqual(await events(page), LOGOUT_EVENTS);
    assert.equal(page.url(), world.sdkPage, 'no navigation');
    await otherTab.waitForFunction(() => window.events.length >= 3, null, { timeout: 2000 });
    assert.deepEqual(await events(otherTab), LOGOUT_EVENTS, 'cross-tab as without sessionDomain');

    const posted = await assertLoggedOutAtBothDoors(world.emulator, cookie);
    assert.equal(posted.listener, 'session');

    // The page view after it: logged out, quietly.
    const again = await page.evaluate(() => window.client.hasSession());
    assert.equal(again.result, false);
    assert.deepEqual([page.problems, page.networkErrors], [[], []]);
    await page.close();
    await otherTab.close();
  });

  test("logoutWithFallback() resolves { redirected: false, confirmed: true, reason: 'confirmed' } and revokes the token", async () => {
    const page = await loggedIn(withService());
    const { access_token: token } = await world.emulator.token();
    const result = await page.evaluate(
      ({ redirectUri, oauthToken }) => window.client.logoutWithFallback({ redirectUri, oauthToken }),
      { redirectUri: world.landingPage, oauthToken: token },
    );
    assert.equal(result.redirected, false);
    assert.equal(result.confirmed, true);
    assert.equal(result.reason, 'confirmed');
    assert.equal(result.tokenRevoked, true);
    assert.equal(result.session.userStatus, 'notConnected');
    assert.deepEqual(await events(page), LOGOUT_EVENTS);
    await page.waitForTimeout(300); // a navigation, had one started, would show by now
    assert.equal(page.url(), world.sdkPage);
    assert.deepEqual(await requests('/logout'), []);
    assert.deepEqual(await liveSessions(), []);
    assert.equal((await world.emulator.me(token)).status, 401, 'the token is revoked');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a logout the service cannot confirm still redirects: its cookie gone (no_session), or an error', async () => {
    for (const [spoil, reason, fired] of [
      [() => browser.clearCookies({ name: 'schacc_site_session' }), 'no_session', LOGOUT_EVENTS],
      [() => world.emulator.fault({ path: '/v2/logout', status: 503, times: 1 }), 'http', ['SPiD.error', ...LOGOUT_EVENTS]],
    ]) {
      const page = await loggedIn(withService());
      await spoil();
      await page.evaluate(() => {
        window.client.logoutWithFallback({ redirectUri: window.location.href.replace('sdk.html', 'landing.html') })
          .then((r) => sessionStorage.setItem('fallback', JSON.stringify(r)));
      });
      await page.waitForURL(world.landingPage);
      const outcome = JSON.parse(await page.evaluate(() => sessionStorage.getItem('fallback') ?? 'null'));
      if (outcome) assert.deepEqual([outcome.redirected, outcome.reason], [true, reason]);
      const names = await page.evaluate(() => JSON.parse(sessionStorage.getItem('events') ?? '[]').map((e) => e.name));
      assert.deepEqual(names, fired, reason);
      assert.equal((await requests('/logout')).length, 1, 'the redirect flow at SchAcc');
      assert.deepEqual(await liveSessions(), [], `${reason}: the redirect ended the session`);
      await page.close();
    }
  });

  test('a logged-out page view: hasSession() answers logged out with a 200, so the console stays empty', async () => {
    await world.emulator.reset();
    await browser.clearCookies();
    const page = await openSdkPage(browser, world);
    await createClient(page, world, withService());
    const session = await page.evaluate(() => window.client.hasSession());
    assert.equal(session.result, false);
    assert.equal(session.userStatus, 'notConnected');
    assert.deepEqual(await events(page), ['SPiD.statusChange', 'SPiD.notLoggedin']);
    assert.equal((await requests('/v2/session'))[0].status, 200);
    assert.deepEqual(page.problems, [], 'no console error');
    assert.deepEqual(page.networkErrors, [], 'no "Failed to load resource" line either');
    await page.close();
  });

  test('the SPiD 2.x global passes SPiD.init({ sessionDomain }) through', async () => {
    const page = await loggedIn(withService());
    await page.addScriptTag({ url: '/pkg/global.js' });
    const host = new URL(world.emulator.url).host;
    const answers = await page.evaluate(({ host, sessionDomain }) => new Promise((resolve) => {
      SPiD.init({ client_id: 'e2e-client', server: host, https: false, sessionDomain });
      SPiD.hasSession((err, has) => SPiD.logout((err2, out) => resolve({ has, out, err: err || err2 })));
    }), { host, sessionDomain: world.sessionUrl });
    assert.equal(answers.err, null);
    assert.equal(answers.has.result, true);
    assert.equal(answers.has.userId, 1001);
    // 2.x's logout callback gets the answer: the service deleted the session.
    assert.equal(answers.out.result, true);
    assert.equal(answers.out.reason, undefined);
    assert.equal((await requests('/v2/session')).length, 1);
    assert.equal((await requests('/v2/logout', 'POST')).length, 1);
    assert.deepEqual(await liveSessions(), []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});

describe('control: the same browser and login without sessionDomain (today: SchAcc direct)', () => {
  test('hasSession() does not see the user: the third-party cookie is withheld, and the 401 logs a console line', async () => {
    const page = await loggedIn();
    const session = await page.evaluate(() => window.client.hasSession());
    assert.equal(session.result, false);
    assert.equal(session.userStatus, 'notConnected');
    const [asked] = await requests('/ajax/hasSession.json');
    assert.equal(asked.cookie, false, 'withheld');
    assert.equal(asked.status, 401);
    assert.equal((await liveSessions()).length, 1, 'yet the user is logged in at SchAcc');
    assert.equal(page.networkErrors.length, 1, 'the browser logs the 401 ("Failed to load resource")');
    await page.close();
  });

  test("logout() finds no session (reason 'no_session', no event); logoutWithFallback() redirects", async () => {
    const page = await loggedIn();
    const session = await page.evaluate(() => window.client.logout());
    assert.equal(session.reason, 'no_session');
    assert.deepEqual(await events(page), []);
    assert.equal((await liveSessions()).length, 1, 'the session survived the fetch');
    await Promise.all([
      page.waitForURL(world.landingPage),
      page.evaluate((redirectUri) => { window.client.logoutWithFallback({ redirectUri }); }, world.landingPage),
    ]);
    const fired = await page.evaluate(() => JSON.parse(sessionStorage.getItem('events') ?? '[]').map((e) => e.name));
    assert.deepEqual(fired, LOGOUT_EVENTS);
    assert.equal((await requests('/logout')).length, 1, 'the redirect flow finished it');
    assert.deepEqual(await liveSessions(), []);
    await page.close();
  });
});
