// One request per session (issue 22, part 2): hasSession() answers from a session cache the site's tabs share
// (localStorage), as the SDK's default has it, in Chromium against the emulator; requests counted in its log.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID, blankSlate, clearLocalStorage, moveClock, openSdkPage, withWorldAndBrowser } from './harness.mjs';

let world;
let browser;
withWorldAndBrowser({ thirdPartyCookies: 'block' }, (w, b) => ([world, browser] = [w, b]), { sessionService: true });
beforeEach(() => blankSlate(world, browser));

const asked = async () => (await world.emulator.state()).requests.filter((r) => r.method === 'GET' && /\/session$/.test(r.path)).length;
/** The SDK's defaults but for the site's session service (cookies blocked: SchAcc itself would see nobody). */
const options = (extra = {}) => ({ clientId: CLIENT_ID, server: world.emulator.url, sessionDomain: world.sessionUrl, ...extra });
const create = (page, extra) => page.evaluate((options) => window.makeClient(options), options(extra));
/** hasSession() as the page sees it, with where it came from. */
const has = (page, arg) => page.evaluate(async (arg) => {
  const session = await window.client.hasSession(arg);
  return { result: session.result, userId: session.userId, fromCache: session.fromCache, age: session.age };
}, arg);

/** `login()` through the SDK's door: the page goes to SchAcc's /oauth/authorize. */
const toTheLoginDoor = (page) => Promise.all([
  page.waitForURL((url) => url.pathname === '/oauth/authorize'),
  page.evaluate(() => window.client.login({ state: 'back' })),
]);
/** The login on the SchAcc page the browser is on, one click, and back on the SDK page with the code. */
const logInThere = (page) => Promise.all([
  page.waitForURL((url) => url.href.startsWith(`${world.sdkPage}?`), { waitUntil: 'load' }),
  page.click('button, input[type=submit]'),
]);

describe('the session cache (the SDK\'s defaults, the session service, third-party cookies blocked)', () => {
  test('ten page views of one visitor in one tab within the TTL cost one request, logged in or not; answers say they came from the cache and how old they are', async () => {
    for (const login of [true, false]) {
      await world.emulator.reset();
      await browser.clearCookies();
      await clearLocalStorage(browser, world.pages.origin);
      const page = await openSdkPage(browser, world, { login });
      const before = await asked();
      const seen = [];
      for (let view = 0; view < 10; view++) {
        if (view) {
          await page.reload();
          await page.waitForFunction(() => window.sdkReady === true);
        }
        await create(page);
        seen.push(await has(page));
      }
      assert.equal(await asked() - before, 1, `logged ${login ? 'in' : 'out'}: one request for ten page views`);
      assert.deepEqual(seen.map((s) => s.result), Array(10).fill(login));
      assert.equal(seen[0].fromCache, false);
      assert.equal(seen[0].age, 0);
      assert.ok(seen.slice(1).every((s) => s.fromCache && s.age > 0), 'the others came from the cache');
      await page.close();
    }
  });

  test('a logged-in answer without expiresIn is kept for cacheTtl, as account-sdk-browser keeps one for 5 minutes', async () => {
    const page = await openSdkPage(browser, world);
    await world.emulator.fault({
      path: '/ajax/hasSession.json', times: 1, status: 200, body: '{"result":true,"userId":1001,"userStatus":"connected"}',
    });
    const direct = { clientId: CLIENT_ID, server: world.emulator.url };
    await page.evaluate((options) => window.makeClient(options), direct);
    const first = await has(page);
    await page.reload();
    await page.waitForFunction(() => window.sdkReady === true);
    await page.evaluate((options) => window.makeClient(options), direct);
    const second = await has(page);
    assert.deepEqual([first.result, first.fromCache, second.result, second.fromCache], [true, false, true, true]);
    const asked = (await world.emulator.state()).requests.filter((r) => r.path === '/ajax/hasSession.json');
    assert.equal(asked.length, 1, 'one request for two page views');
  });

  test('a client takes no entry older than its own cacheTtl, whichever client of the site kept it', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await create(page, { cacheTtl: 86_400_000 });
    assert.equal((await has(page)).fromCache, false);
    await moveClock(page, 6 * 60_000);
    assert.equal((await has(page)).fromCache, true, 'a day\'s client still takes it');
    await create(page);
    const fiveMinutes = await has(page);
    assert.deepEqual([fiveMinutes.result, fiveMinutes.fromCache], [true, false], 'the default client asks');
    assert.equal(await asked(), 2);
  });

  test('hasSession({ fresh: true }) asks whatever the cache holds; a bad argument is invalid_argument', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await create(page);
    await has(page);
    await has(page);
    assert.equal(await asked(), 1);
    const fresh = await has(page, { fresh: true });
    assert.equal(fresh.fromCache, false);
    assert.equal(await asked(), 2);
    const refused = await page.evaluate(() => window.attempt((client) => client.hasSession({ fresh: 'yes' })));
    assert.equal(refused.error.code, 'invalid_argument');
  });

  test('a logout through the SDK in one tab: no tab answers "logged in" from the cache afterwards', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await create(page);
    const other = await openSdkPage(browser, world);
    await create(other);
    assert.equal((await has(other)).result, true);
    assert.equal((await has(page)).fromCache, true, 'the other tab\'s answer, shared');
    await page.evaluate(() => window.client.logout());
    const third = await openSdkPage(browser, world);
    await create(third);
    const after = await has(third);
    assert.equal(after.result, false, 'a new page view');
    assert.equal((await has(other)).result, false, 'the other open tab');
  });

  test('the page a login through the SDK\'s door comes back to asks SchAcc, whatever the cache says', async () => {
    const page = await openSdkPage(browser, world);
    await create(page, { redirectUri: world.sdkPage });
    assert.equal((await has(page)).result, false);
    const before = await asked();
    await toTheLoginDoor(page);
    await logInThere(page);
    await page.waitForFunction(() => window.sdkReady === true);
    await create(page);
    const back = await has(page);
    assert.deepEqual([back.result, back.fromCache], [true, false], 'asked, and logged in');
    assert.equal(await asked(), before + 1);
  });

  test('the login mark lasts until a client has asked: a client that never asks does not use it up for the next page view', async () => {
    const page = await openSdkPage(browser, world);
    await create(page, { redirectUri: world.sdkPage });
    await toTheLoginDoor(page);
    // While the user is at SchAcc's login, another tab of the site asks and keeps "logged out".
    const other = await openSdkPage(browser, world);
    await create(other);
    assert.equal((await has(other)).result, false);
    assert.equal((await has(other)).fromCache, true, 'kept for the site\'s tabs');
    await logInThere(page);
    // The page the login comes back to makes a client but never asks (it hands the code to its server, say);
    // the tab's next page view has no code and no referrer from SchAcc: only the mark says a login happened.
    await page.waitForFunction(() => window.sdkReady === true);
    await create(page);
    await page.goto(world.sdkPage);
    await page.waitForFunction(() => window.sdkReady === true);
    const before = await asked();
    await create(page);
    const next = await has(page);
    assert.deepEqual([next.result, next.fromCache], [true, false], 'asked SchAcc, and logged in');
    assert.equal(await asked(), before + 1);
    // Asked: the mark is gone, and the page views after it take the cache again.
    await page.reload();
    await page.waitForFunction(() => window.sdkReady === true);
    await create(page);
    const after = await has(page);
    assert.deepEqual([after.result, after.fromCache], [true, true]);
    assert.equal(await asked(), before + 1);
  });

  test('a login made through SchAcc by another route: a page arriving from SchAcc (its origin the referrer) or with a code asks', async () => {
    const page = await openSdkPage(browser, world);
    await create(page);
    assert.equal((await has(page)).result, false);
    // Logged in at SchAcc's own login page (not through the SDK's door: no mark in this tab), which sends the
    // browser back: the referrer is SchAcc's origin.
    const login = await page.evaluate(() => window.client.loginUrl({ state: 'elsewhere', redirectUri: location.href }));
    await page.goto(login);
    await logInThere(page);
    // The code and state are not what makes it ask here: drop them, keep the referrer.
    await page.evaluate(() => history.replaceState(null, '', location.pathname));
    await page.waitForFunction(() => window.sdkReady === true);
    assert.equal(await page.evaluate(() => new URL(document.referrer).origin), world.emulator.url, 'arrived from SchAcc');
    await create(page);
    assert.deepEqual((await has(page)).result, true, 'not the cached "logged out"');
    // A `code` in the URL asks too.
    await page.evaluate(() => localStorage.setItem(Object.keys(localStorage).find((k) => k.startsWith('schacc-sdk:session:')),
      JSON.stringify({ at: Date.now(), until: Date.now() + 60000, text: '{"result":false,"userStatus":"notConnected"}' })));
    await page.goto(`${world.sdkPage}?code=abc&state=s`);
    await page.waitForFunction(() => window.sdkReady === true);
    await create(page);
    const withCode = await has(page);
    assert.deepEqual([withCode.result, withCode.fromCache], [true, false]);
  });

  test('100 tab switches within a minute cost at most one request; a session ended elsewhere is noticed within 60 s of the tab being shown', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await create(page);
    await has(page);
    const before = await asked();
    const show = () => page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await moveClock(page, 61_000);
    for (let i = 0; i < 100; i++) await show();
    await page.waitForTimeout(300);
    assert.ok(await asked() - before <= 1, `${await asked() - before} requests for 100 tab switches`);
    // The session ends where the SDK cannot see it (SchAcc's own logout page); a minute on, the tab is shown.
    await world.emulator.reset();
    await moveClock(page, 61_000);
    await show();
    await page.waitForFunction(() => window.events.some((e) => e.name === 'SPiD.logout'), null, { timeout: 5000 });
  });

  test('storage blocked (localStorage throws, as where the browser blocks it): no cache, no error', async () => {
    const page = await openSdkPage(browser, world, { login: true });
    await page.evaluate(() => Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    }));
    await create(page);
    const before = await asked();
    const answers = [await has(page), await has(page)];
    assert.deepEqual(answers.map((a) => [a.result, a.fromCache]), [[true, false], [true, false]], 'both asked, neither failed');
    assert.equal(await asked() - before, 2);
    assert.deepEqual(page.problems, []);
  });
});
