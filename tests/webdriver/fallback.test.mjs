// logoutWithFallback() in real non-Chromium engines, driven over W3C WebDriver:
// WebKit (WebKitGTK's MiniBrowser under Xvfb) and Firefox ESR (headless).
// Pages on http://127.0.0.1:P, SchAcc (the emulator) on localhost:Q: two
// different sites, so the logout fetch is a third-party request, and its
// cookie is withheld: by Firefox's default Total Cookie Protection, and by
// WebKit with Intelligent Tracking Prevention on (MiniBrowser --enable-itp),
// as in Safari. WebKit gets the emulator over HTTPS (https://localhost:Q): it
// does not keep a `Secure` cookie from plain http://localhost; Firefox does,
// so it stays on plain HTTP like the Chromium tests.
//
// Needs `bash scripts/setup-browsers.sh` and `npm run build` (the harness builds
// the emulator). An engine whose driver binary is absent is
// skipped with the reason printed; anything else missing is a failure.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID } from '../e2e/harness.mjs';
import { ENGINES, locate, logInAtSchAcc, withEngine } from './engines.mjs';

const THREE = ['SPiD.logout', 'SPiD.statusChange', 'SPiD.sessionChange'];

for (const engine of ENGINES) {
  const { driverPath, skip } = locate(engine);

  // Each engine's whole run stays well under 2 minutes (a few seconds here).
  describe(`logoutWithFallback() in ${engine.name}`, { skip, timeout: 110_000 }, () => {
    let world;
    let session;
    let reopen;
    withEngine(engine, { driverPath, label: engine.name }, (rig) => ({ world, session, reopen } = rig));

    const requests = async () => (await world.emulator.state()).requests;
    const liveSessions = async () => (await world.emulator.state()).sessions;

    /** A clean slate, then a login at SchAcc by top-level navigation that lands on the SDK page. */
    async function loginAndOpenSdkPage(options = {}) {
      await world.emulator.reset();
      // Drop the previous test's first-party SchAcc cookie and the page's sessionStorage.
      await session.navigate(`${world.emulator.url}/__emulator/state`);
      await session.command('DELETE', '/cookie');
      await session.navigate(world.sdkPage);
      await session.waitFor(() => window.sdkReady === true, { message: 'the SDK page' });
      await session.executeScript('sessionStorage.clear(); window.events.length = 0;');
      await logInAtSchAcc(session, world, world.sdkPage);
      await session.waitFor(() => window.sdkReady === true, { message: 'the SDK page' });
      assert.equal((await liveSessions()).length, 1, 'logged in at SchAcc');
      const initial = await session.evaluate((options) => window.makeClient(options), { clientId: CLIENT_ID, server: world.emulator.url, ...options });
      assert.equal(initial.userStatus, 'unknown');
    }

    test('the user agent is what the SDK expects of this engine', async () => {
      await session.navigate(world.sdkPage);
      const userAgent = await session.executeScript('return navigator.userAgent;');
      if (engine.expectedReason === 'user_agent') {
        assert.match(userAgent, /AppleWebKit\//);
        assert.match(userAgent, /Safari\//);
        assert.doesNotMatch(userAgent, /Chrome\/|Chromium\/|Android/);
      } else {
        assert.match(userAgent, /Gecko\/\d+ Firefox\//);
        assert.doesNotMatch(userAgent, /AppleWebKit/);
      }
    });

    /**
     * Starts logoutWithFallback() (not awaited: the page unloads), follows the
     * redirect to the landing page and checks the events, SchAcc's state and
     * its request log. `cookieOnFetch` is whether the logout fetch carried the cookie.
     */
    async function fallbackRedirects({ cookieOnFetch, reason }) {
      // The outcome is kept when the promise settles before the page unloads.
      await session.executeScript(`
        window.client.logoutWithFallback({ redirectUri: arguments[0] })
          .then((r) => sessionStorage.setItem('fallback', JSON.stringify(r)),
                (e) => sessionStorage.setItem('fallback', JSON.stringify({ error: String(e) })));
        return true;`, [world.landingPage]);
      await session.waitForUrl((url) => url === world.landingPage);
      await session.waitFor(() => document.readyState === 'complete' && !!document.querySelector('#landed'), { message: 'the landing page' });
      assert.equal(await session.executeScript('return document.querySelector("#landed").textContent;'), 'You are back on the site after logging out.');

      // sessionStorage is per origin and tab: the landing page sees what the SDK page recorded.
      const recorded = JSON.parse(await session.executeScript('return sessionStorage.getItem("events") || "[]";'));
      assert.deepEqual(recorded.map((event) => event.name), THREE, 'the three events, each exactly once, before the redirect');
      for (const event of recorded) assert.equal(event.payload.userStatus, 'notConnected');

      const outcome = JSON.parse(await session.executeScript('return sessionStorage.getItem("fallback") || "null";'));
      if (outcome === null) {
        process.stderr.write(`${engine.name}: the page unloaded before logoutWithFallback() settled (allowed)\n`);
      } else {
        assert.equal(outcome.redirected, true, JSON.stringify(outcome));
        assert.equal(outcome.confirmed, cookieOnFetch, JSON.stringify(outcome));
        assert.equal(outcome.reason, reason, JSON.stringify(outcome));
      }

      assert.deepEqual(await liveSessions(), [], 'no session left at SchAcc');
      const log = (await requests()).filter((r) => r.method === 'GET');
      const fetches = log.filter((r) => r.path === '/ajax/logout.json');
      const redirects = log.filter((r) => r.path === '/logout');
      assert.equal(fetches.length, 1, `one logout fetch: ${JSON.stringify(log)}`);
      assert.equal(redirects.length, 1, `one /logout navigation: ${JSON.stringify(log)}`);
      assert.ok(log.indexOf(fetches[0]) < log.indexOf(redirects[0]), 'the fetch came first, then the navigation');
      const [fetched] = fetches;
      const [redirect] = redirects;
      assert.equal(fetched.origin, world.pages.origin, 'a cross-site fetch from the page');
      assert.equal(fetched.query, `client_id=${CLIENT_ID}`);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.cookie, cookieOnFetch, cookieOnFetch ? 'the cookie went with the fetch' : 'the third-party cookie was withheld from the fetch');
      assert.equal(redirect.status, 302);
      const query = new URLSearchParams(redirect.query);
      assert.equal(query.get('client_id'), CLIENT_ID);
      assert.equal(query.get('redirect_uri'), world.landingPage);
      return { fetched, redirect };
    }

    test('logoutWithFallback() redirects through SchAcc /logout to the landing page, deleting the session, after firing the three events once', async () => {
      await loginAndOpenSdkPage();
      const { redirect } = await fallbackRedirects({ cookieOnFetch: false, reason: engine.expectedReason });
      assert.equal(redirect.cookie, true, '/logout is first-party: the cookie is sent and the session deleted there');
    });

    test('logout() with the cookie withheld returns, fires no event, and hasSession() returns a session', async () => {
      await loginAndOpenSdkPage();
      const logout = await session.evaluate(() => window.attempt((client) => client.logout()));
      assert.equal(logout.ok, true, JSON.stringify(logout));
      assert.equal(logout.value.result, false);
      assert.equal(logout.value.userStatus, 'notConnected');
      assert.equal(logout.value.reason, 'no_session');
      assert.deepEqual(await session.evaluate(() => window.events.map((event) => event.name)), []);
      const [fetched] = (await requests()).filter((r) => r.path === '/ajax/logout.json');
      assert.equal(fetched.cookie, false, 'the third-party cookie was withheld');
      assert.equal((await liveSessions()).length, 1, 'so the session is still alive at SchAcc');

      const has = await session.evaluate(() => window.attempt((client) => client.hasSession()));
      assert.equal(has.ok, true, JSON.stringify(has));
      assert.equal(typeof has.value, 'object');
      assert.equal(has.value.result, false, JSON.stringify(has.value));
      assert.equal(has.value.userStatus, 'notConnected');
      assert.equal(has.value.userId, null);
      assert.equal(await session.currentUrl(), world.sdkPage, 'nothing navigated');
    });

    test("fallback: 'never' resolves { redirected: false, reason: 'no_session' } and stays on the page", async () => {
      await loginAndOpenSdkPage({ fallback: 'never' });
      const outcome = await session.evaluate((landing) => window.attempt((client) => client.logoutWithFallback({ redirectUri: landing })), world.landingPage);
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.equal(outcome.value.redirected, false);
      assert.equal(outcome.value.confirmed, false);
      assert.equal(outcome.value.reason, 'no_session');
      assert.equal(outcome.value.session.userStatus, 'notConnected');
      // Give a navigation, had one been started, time to show.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(await session.currentUrl(), world.sdkPage);
      assert.equal(await session.executeScript('return window.sdkReady === true && window.events.length;'), 0, 'same document, no event');
      assert.equal((await liveSessions()).length, 1, 'the session is still alive at SchAcc');
      assert.deepEqual((await requests()).filter((r) => r.path === '/logout'), [], 'no /logout navigation');
    });

    // Issue 19: only a top-level navigation is a first-party visit to SchAcc, so in a frame the redirect flow
    // navigates the top page; where the browser refuses (a frame of another origin) nothing is reported.
    const framePage = (top) => `${top}/tests/e2e/pages/frame.html?src=${encodeURIComponent(world.sdkPage)}`;
    async function inSdkFrame(top) {
      await session.navigate(framePage(top));
      await session.waitFor(() => !!document.querySelector('#sdk')?.src, { message: 'the frame' });
      await session.command('POST', '/frame', { id: 0 });
      // Read inside the frame: a top page of another origin cannot see into it.
      await session.waitFor(() => window.sdkReady === true, { message: 'the SDK frame' });
      await session.evaluate((options) => window.makeClient(options), { clientId: CLIENT_ID, server: world.emulator.url, redirectUri: world.landingPage });
    }

    test('in a same-origin frame, logoutWithFallback() sends the top page through SchAcc /logout: the session ends', async () => {
      await loginAndOpenSdkPage();
      await inSdkFrame(world.pages.origin);
      await session.executeScript('window.client.logoutWithFallback(); return true;');
      await session.command('POST', '/frame', { id: null });
      await session.waitForUrl((url) => url === world.landingPage);
      assert.deepEqual(await liveSessions(), [], 'a first-party visit: no session left at SchAcc');
      const [redirect] = (await requests()).filter((r) => r.method === 'GET' && r.path === '/logout');
      assert.equal(redirect.cookie, true, 'the top-level /logout carried the cookie');
    });

    test('in a frame whose top page is of another origin, the redirect is refused and only what happened is reported', async () => {
      await loginAndOpenSdkPage();
      // The top page on localhost, SchAcc's site: WebKit, which judges a request by the top page's site alone,
      // sends SchAcc's cookie with the frame's fetch and SchAcc confirms the logout; Firefox withholds it.
      const other = world.pages.origin.replace('127.0.0.1', 'localhost');
      await inSdkFrame(other);
      const outcome = await session.evaluate(() => window.attempt((client) => client.logoutWithFallback()));
      const fired = await session.evaluate(() => window.events.map((event) => event.name));
      await session.command('POST', '/frame', { id: null });
      assert.equal(await session.currentUrl(), framePage(other), 'nothing navigated');
      assert.deepEqual((await requests()).filter((r) => r.path === '/logout'), [], 'no /logout navigation');
      const [fetched] = (await requests()).filter((r) => r.path === '/ajax/logout.json');
      const live = (await liveSessions()).length;
      if (fetched.cookie) {
        // Confirmed: the logout happened and is reported; the Safari rule's redirect was refused.
        assert.equal(live, 0);
        assert.deepEqual(fired, THREE);
      } else {
        assert.equal(live, 1, 'the session lives');
        assert.deepEqual(fired, [], 'and nobody was told otherwise');
      }
      if (fetched.cookie && engine.expectedReason !== 'user_agent') {
        assert.equal(outcome.ok, true, JSON.stringify(outcome));
      } else {
        assert.equal(outcome.ok, false, JSON.stringify(outcome));
        assert.equal(outcome.error.code, 'network');
        assert.match(outcome.error.message, /top-level page/);
      }
    });

    if (engine.cookieSentCapabilities) {
      // Last in the describe: it replaces the session with one whose browser sends the cookie.
      test('with the cookie sent and the logout confirmed, it still redirects: the Safari rule by user agent alone', async () => {
        await reopen(engine.cookieSentCapabilities);
        await loginAndOpenSdkPage();
        await fallbackRedirects({ cookieOnFetch: true, reason: 'user_agent' });
      });
    }
  });
}
