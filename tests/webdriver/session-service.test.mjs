// The site's first-party session service (`sessionDomain`, issue 13) in WebKit
// (ITP on, as in Safari) and Firefox ESR (default Total Cookie Protection),
// driven over W3C WebDriver, against the emulator's second listener. In each
// engine the page and the session service are one site and SchAcc another
// (startWorld in tests/e2e/harness.mjs explains the arrangement):
//
//   WebKit:   page https://127.0.0.1:P, service https://127.0.0.1:S, SchAcc https://localhost:Q
//   Firefox:  page http://127.0.0.1:P,  service http://127.0.0.1:S,  SchAcc http://localhost:Q
//
// (WebKit keeps a `Secure` cookie only over HTTPS, so there everything is
// HTTPS: an http page and an https service would be cross-site, SameSite
// being schemeful.) SchAcc's cookie is withheld from the page's fetches in
// both engines; the service's first-party cookie is not. The same scenarios
// without sessionDomain are the control: today's behaviour.
//
// Neither driver hands out the browser's console log, so "no console error"
// is checked in the page (console.error, error and unhandledrejection hooks)
// and by the status the browser got: 200, where browsers print their
// "Failed to load resource" line only for 4xx/5xx answers.
//
// Needs what tests/webdriver/fallback.test.mjs needs; an engine whose driver
// is absent is skipped with the reason printed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID, LOGOUT_EVENTS, assertLoggedOutAtBothDoors } from '../e2e/harness.mjs';
import { ENGINES, locate, logInAtSchAcc, withEngine } from './engines.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of ENGINES) {
  const { driverPath, skip } = locate(engine);

  describe(`sessionDomain in ${engine.name}`, { skip, timeout: 110_000 }, () => {
    let world;
    let session;
    withEngine(engine, { driverPath, label: `${engine.name} (sessionDomain)`, worldOptions: { sessionService: true } }, (rig) => ({ world, session } = rig));

    const state = () => world.emulator.state();
    const requests = async (path) => (await state()).requests.filter((r) => r.path === path);
    const liveSessions = async () => (await state()).sessions;
    const withService = (options = {}) => ({ sessionDomain: world.sessionUrl, ...options });
    const names = () => session.evaluate(() => window.events.map((event) => event.name));
    const problems = () => session.evaluate(() => window.problems);

    /** On the SDK page: forget the previous test's events, watch for errors, make `window.client`. */
    async function prepare(options) {
      await session.waitFor(() => window.sdkReady === true, { message: 'the SDK page' });
      await session.executeScript(`
        sessionStorage.clear();
        window.events.length = 0;
        window.problems = [];
        const original = console.error;
        console.error = function (...args) { window.problems.push(args.map(String).join(' ')); return original.apply(this, args); };
        addEventListener('error', (event) => window.problems.push(String(event.message)));
        addEventListener('unhandledrejection', (event) => window.problems.push(String(event.reason)));
        return true;`);
      const initial = await session.evaluate((options) => window.makeClient(options), { clientId: CLIENT_ID, server: world.emulator.url, ...options });
      assert.equal(initial.userStatus, 'unknown');
    }

    /**
     * A clean slate, then the dev login by top-level navigation: SchAcc sets its
     * cookie and hands the session to the service (its cookie), landing on the SDK
     * page. `schaccCookie` also reads SchAcc's cookie, first party at SchAcc.
     */
    async function loginAndOpenSdkPage(options, { schaccCookie = false } = {}) {
      await world.emulator.reset();
      await logInAtSchAcc(session, world, world.sdkPage);
      assert.equal((await liveSessions()).length, 1, 'logged in: one session, two doors');
      let cookie = null;
      if (schaccCookie) {
        await session.navigate(`${world.emulator.url}/__emulator/state`);
        cookie = (await session.command('GET', '/cookie/schacc_session')).value;
        await session.navigate(world.sdkPage);
      }
      await prepare(options);
      return cookie;
    }

    test('hasSession() sees the user through the session service, with its cookie', async () => {
      await loginAndOpenSdkPage(withService());
      const has = await session.evaluate(() => window.attempt((client) => client.hasSession()));
      assert.equal(has.ok, true, JSON.stringify(has));
      assert.equal(has.value.result, true, JSON.stringify(has.value));
      assert.equal(has.value.userId, 1001);
      assert.equal(has.value.userStatus, 'connected');
      const [asked] = await requests('/v2/session');
      assert.equal(asked.method, 'GET');
      assert.equal(asked.listener, 'session');
      assert.equal(asked.cookie, true, 'the first-party cookie went along');
      assert.equal(asked.origin, world.pages.origin);
      assert.deepEqual(await requests('/ajax/hasSession.json'), [], 'SchAcc was not asked');
      assert.deepEqual(await problems(), []);
    });

    test('logout() is confirmed: three events in order, no navigation, the session gone at SchAcc too', async () => {
      const cookie = await loginAndOpenSdkPage(withService(), { schaccCookie: true });
      assert.ok(cookie, 'the browser holds the SchAcc cookie');
      assert.equal((await world.emulator.schaccHasSession(cookie)).body.result, true, 'SchAcc sees the session before');

      const logout = await session.evaluate(() => window.attempt((client) => client.logout()));
      assert.equal(logout.ok, true, JSON.stringify(logout));
      assert.equal(logout.value.result, false);
      assert.equal(logout.value.userStatus, 'notConnected');
      assert.equal(logout.value.reason, undefined, `not no_session: ${JSON.stringify(logout.value)}`);
      assert.deepEqual(await names(), LOGOUT_EVENTS);
      assert.equal(await session.currentUrl(), world.sdkPage, 'no navigation');

      await assertLoggedOutAtBothDoors(world.emulator, cookie);

      const again = await session.evaluate(() => window.attempt((client) => client.hasSession()));
      assert.equal(again.value.result, false);
      assert.deepEqual(await problems(), []);
    });

    test("logoutWithFallback() resolves { redirected: false, confirmed: true, reason: 'confirmed' }, even in WebKit", async () => {
      await loginAndOpenSdkPage(withService());
      const { access_token: token } = await world.emulator.token();
      const outcome = await session.evaluate(
        (redirectUri, oauthToken) => window.attempt((client) => client.logoutWithFallback({ redirectUri, oauthToken })),
        world.landingPage, token,
      );
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      const { redirected, confirmed, reason, tokenRevoked } = outcome.value;
      assert.deepEqual({ redirected, confirmed, reason, tokenRevoked }, { redirected: false, confirmed: true, reason: 'confirmed', tokenRevoked: true });
      assert.deepEqual(await names(), LOGOUT_EVENTS);
      await sleep(300); // a navigation, had one started, would show by now
      assert.equal(await session.currentUrl(), world.sdkPage);
      assert.deepEqual(await requests('/logout'), [], 'no redirect flow');
      assert.deepEqual(await liveSessions(), []);
      assert.equal((await world.emulator.me(token)).status, 401, 'the token is revoked');
      assert.deepEqual(await problems(), []);
    });

    test('the service\'s {redirectURL} (issue 22): one top-level visit through SchAcc renews its cookie, and the page comes back logged in', async () => {
      await loginAndOpenSdkPage(withService());
      await session.executeScript(`localStorage.removeItem('schacc-sdk:session-renewal'); return true;`);
      await world.emulator.sessionRenewal();
      await session.executeScript(`window.client.hasSession().catch(() => {}); return true;`);
      // Gone to the service's renewal target, through SchAcc's hand-over, and back to the page.
      const deadline = Date.now() + 15_000;
      while ((await requests('/v2/refresh')).length === 0 && Date.now() < deadline) await sleep(100);
      assert.equal((await requests('/v2/refresh')).length, 1, 'the page went to the service\'s renewal');
      await session.waitForUrl((url) => url === world.sdkPage);
      await prepare(withService());
      const has = await session.evaluate(() => window.attempt((client) => client.hasSession({ fresh: true })));
      assert.equal(has.value.result, true, JSON.stringify(has));
      assert.equal((await state()).renewalsDone, 1, 'renewed through SchAcc');
      // A second renewal answer within 5 minutes: no second visit.
      await world.emulator.sessionRenewal();
      const again = await session.evaluate(() => window.attempt((client) => client.hasSession({ fresh: true })));
      assert.equal(again.error.code, 'session_renewal', JSON.stringify(again));
      assert.equal(await session.currentUrl(), world.sdkPage);
      assert.equal((await requests('/v2/refresh')).length, 1);
      await session.executeScript(`localStorage.clear(); return true;`);
    });

    test('the session cache (issue 22): a second page view answers from it (localStorage, which the site\'s tabs share); a logout drops it', async () => {
      await loginAndOpenSdkPage(withService());
      await session.executeScript(`localStorage.clear(); return true;`);
      const first = await session.evaluate(() => window.attempt((client) => client.hasSession().then((s) => ({ result: s.result, fromCache: s.fromCache }))));
      assert.deepEqual(first.value, { result: true, fromCache: false });
      await session.navigate(world.sdkPage);
      await prepare(withService());
      const second = await session.evaluate(() => window.attempt((client) => client.hasSession().then((s) => ({ result: s.result, fromCache: s.fromCache }))));
      assert.deepEqual(second.value, { result: true, fromCache: true });
      assert.equal((await requests('/v2/session')).length, 1, 'one request for two page views');
      await session.evaluate(() => window.attempt((client) => client.logout()));
      await session.navigate(world.sdkPage);
      await prepare(withService());
      const after = await session.evaluate(() => window.attempt((client) => client.hasSession().then((s) => ({ result: s.result, fromCache: s.fromCache }))));
      assert.deepEqual(after.value, { result: false, fromCache: false });
      // The next tests count their own requests.
      await session.executeScript(`localStorage.clear(); return true;`);
    });

    test('the session cache across two tabs open at once (issue 22): the second tab answers from the first one\'s entry; a logout in the second reaches the first', async () => {
      await loginAndOpenSdkPage(withService());
      await session.executeScript(`localStorage.clear(); return true;`);
      const ask = () => session.evaluate(() => window.attempt((client) => client.hasSession().then((s) => ({ result: s.result, fromCache: s.fromCache }))));
      assert.deepEqual((await ask()).value, { result: true, fromCache: false });
      const first = await session.command('GET', '/window');
      const second = (await session.command('POST', '/window/new', { type: 'tab' })).handle;
      await session.command('POST', '/window', { handle: second });
      try {
        await session.navigate(world.sdkPage);
        await prepare(withService());
        assert.deepEqual((await ask()).value, { result: true, fromCache: true }, 'the first tab\'s answer');
        assert.equal((await requests('/v2/session')).length, 1, 'one request for two tabs');
        const logout = await session.evaluate(() => window.attempt((client) => client.logout()));
        assert.equal(logout.ok, true, JSON.stringify(logout));
      } finally {
        await session.command('DELETE', '/window');
        await session.command('POST', '/window', { handle: first });
      }
      await session.waitFor(() => window.events.some((event) => event.name === 'SPiD.logout'), { message: 'the first tab heard the logout' });
      assert.deepEqual((await ask()).value, { result: false, fromCache: false }, 'no tab answers "logged in" from the cache');
      await session.executeScript(`localStorage.clear(); return true;`);
    });

    test('a logged-out page view: hasSession() answers logged out with a 200 and no error', async () => {
      await world.emulator.reset();
      await session.navigate(world.sdkPage);
      await session.command('DELETE', '/cookie'); // this host's cookies: the service's among them
      await prepare(withService());
      const has = await session.evaluate(() => window.attempt((client) => client.hasSession()));
      assert.equal(has.ok, true, JSON.stringify(has));
      assert.equal(has.value.result, false);
      assert.equal(has.value.userStatus, 'notConnected');
      assert.deepEqual(await names(), ['SPiD.statusChange', 'SPiD.notLoggedin']);
      const [asked] = await requests('/v2/session');
      assert.equal(asked.cookie, false);
      assert.equal(asked.status, 200, 'a 200: no "Failed to load resource" line');
      assert.deepEqual(await problems(), [], 'no console error, page error or rejection');
    });

    test('control, without sessionDomain: hasSession() does not see the user and logoutWithFallback() redirects', async () => {
      await loginAndOpenSdkPage();
      const has = await session.evaluate(() => window.attempt((client) => client.hasSession()));
      assert.equal(has.value.result, false, 'the third-party cookie was withheld');
      const [asked] = await requests('/ajax/hasSession.json');
      assert.equal(asked.cookie, false);
      assert.equal(asked.status, 401);
      assert.equal((await liveSessions()).length, 1, 'yet the user is logged in at SchAcc');

      await session.executeScript(`
        sessionStorage.clear();
        window.events.length = 0;
        window.client.logoutWithFallback({ redirectUri: arguments[0] })
          .then((r) => sessionStorage.setItem('fallback', JSON.stringify(r)));
        return true;`, [world.landingPage]);
      await session.waitForUrl((url) => url === world.landingPage);
      await session.waitFor(() => !!document.querySelector('#landed'), { message: 'the landing page' });
      const recorded = JSON.parse(await session.executeScript('return sessionStorage.getItem("events") || "[]";'));
      assert.deepEqual(recorded.map((event) => event.name), LOGOUT_EVENTS);
      const outcome = JSON.parse(await session.executeScript('return sessionStorage.getItem("fallback") || "null";'));
      if (outcome) assert.deepEqual([outcome.redirected, outcome.reason], [true, engine.expectedReason]);
      assert.equal((await requests('/logout')).length, 1, 'the redirect flow finished it');
      assert.deepEqual(await liveSessions(), []);
    });
  });
}
