// pkg/global.js, the SPiD JS SDK 2.x drop-in: pages written the 2.x way
// (tests/e2e/pages/spid2/: a script tag, inline SPiD.init, SPiD.event.subscribe,
// onclick="SPiD.logout()", SPiD_Uri links, a jQuery-style ready) work unchanged
// in Chromium against the emulator.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_ID, launch, root, startWorld } from './harness.mjs';

const THREE = ['SPiD.logout', 'SPiD.statusChange', 'SPiD.sessionChange'];

describe('SPiD 2.x drop-in (pkg/global.js) in Chromium', () => {
  let world;
  let browser;
  let page;
  let host; // the emulator as 2.x's `server` option: host:port

  before(async () => {
    world = await startWorld();
    browser = await launch({ thirdPartyCookies: 'allow' });
    host = new URL(world.emulator.url).host;
  });
  after(async () => {
    await browser?.close();
    await world?.stop();
  });
  beforeEach(async () => {
    await world.emulator.reset();
    await browser.clearCookies();
    await page?.close();
    page = undefined;
  });

  const pageUrl = (name, extra = '') => `${world.pages.origin}/tests/e2e/pages/spid2/${name}?server=${encodeURIComponent(host)}&https=0${extra}`;

  async function open(name, { login = false, extra = '' } = {}) {
    page = await browser.newPage();
    page.problems = [];
    page.logs = [];
    page.on('console', (message) => {
      if (message.type() === 'log') page.logs.push(message.text());
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) page.problems.push(message.text());
    });
    page.on('pageerror', (error) => page.problems.push(String(error)));
    const url = pageUrl(name, extra);
    await page.goto(login ? world.emulator.loginUrl(url) : url);
    return page;
  }

  const plainCallback = (key) => page.evaluate((key) => {
    const { err, data } = window[key];
    return { err: err && { name: err.name, code: err.code }, data: data && { ...data } };
  }, key);

  test('a logged-in 2.x page: hasSession callback, events to early subscribers, ignored 2.x options accepted', async () => {
    await open('index.html', { login: true });
    await page.waitForFunction(() => window.firstCheck);
    const { err, data } = await plainCallback('firstCheck');
    assert.equal(err, null);
    assert.equal(data.result, true);
    assert.equal(data.userId, 1001);
    assert.equal(await page.textContent('#user'), 'Hello Test User 1001');
    assert.deepEqual((await page.evaluate(() => window.fired)).map((e) => e.name),
      ['SPiD.login', 'SPiD.statusChange', 'SPiD.sessionChange', 'SPiD.sessionInit']);
    assert.deepEqual(page.problems, []);
  });

  test('the onclick="SPiD.logout(); return false;" link deletes the SchAcc session and fires SPiD.logout', async () => {
    await open('index.html', { login: true });
    await page.waitForFunction(() => window.firstCheck);
    await page.evaluate(() => (window.fired.length = 0));
    const before = page.url();
    await page.click('#logout-link');
    await page.waitForFunction(() => window.fired.length >= 3);
    assert.equal(page.url(), before, 'return false kept the page where it was');
    assert.deepEqual((await page.evaluate(() => window.fired)).map((e) => e.name), THREE);
    assert.equal(await page.textContent('#user'), 'Goodbye', 'the 2.x subscriber ran');
    assert.deepEqual((await world.emulator.state()).sessions, []);
    const logoutRequests = (await world.emulator.state()).requests.filter((r) => r.path === '/ajax/logout.json');
    assert.equal(logoutRequests.length, 1);
    assert.equal(logoutRequests[0].query, `client_id=${CLIENT_ID}`);
    assert.equal(logoutRequests[0].cookie, true);
    assert.deepEqual(page.problems, []);
  });

  test('SPiD.logout(function (err, data) {…}) gets (null, the logged-out session) after the subscribers ran', async () => {
    await open('index.html', { login: true });
    await page.waitForFunction(() => window.firstCheck);
    await page.evaluate(() => {
      window.order = [];
      SPiD.event.subscribe('SPiD.logout', () => window.order.push('subscriber'));
      SPiD.logout(() => window.order.push('callback'));
    });
    await page.waitForFunction(() => window.order.length === 2);
    assert.deepEqual(await page.evaluate(() => window.order), ['subscriber', 'callback']);
    // The link's own callback, on a fresh login.
    await page.goto(world.emulator.loginUrl(pageUrl('index.html')));
    await page.waitForFunction(() => window.firstCheck);
    await page.click('#logout-callback-link');
    await page.waitForFunction(() => window.logoutCallback);
    const { err, data } = await plainCallback('logoutCallback');
    assert.equal(err, null);
    assert.equal(data.result, false);
    assert.equal(data.userStatus, 'notConnected');
    assert.equal(data.userId, null);
    assert.equal(await page.textContent('#user'), 'Logged out');
    assert.deepEqual((await world.emulator.state()).sessions, []);
  });

  test('SPiD.logout() clears 2.x\'s client-side state: the SP_ID cookie and localStorage spid_js_<client_id>', async () => {
    await open('index.html', { login: true });
    await page.waitForFunction(() => window.firstCheck);
    await page.evaluate(() => {
      document.cookie = 'SP_ID=x; path=/';
      localStorage.setItem('spid_js_e2e-client', '{}');
    });
    assert.match(await page.evaluate(() => document.cookie), /SP_ID=x/);
    await page.evaluate(() => new Promise((resolve) => SPiD.logout(resolve)));
    const left = await page.evaluate(() => ({ cookie: document.cookie, stored: localStorage.getItem('spid_js_e2e-client') }));
    assert.doesNotMatch(left.cookie, /SP_ID=/, 'the SP_ID cookie is gone');
    assert.equal(left.stored, null, 'localStorage spid_js_e2e-client is gone');
  });

  test('SPiD.hasSession(cb) when logged out: (null, a notConnected session) and SPiD.notLoggedin', async () => {
    await open('index.html');
    await page.waitForFunction(() => window.firstCheck);
    const { err, data } = await plainCallback('firstCheck');
    assert.equal(err, null);
    assert.equal(data.result, false);
    assert.equal(data.userStatus, 'notConnected');
    assert.equal(await page.textContent('#user'), 'Not logged in');
    assert.deepEqual((await page.evaluate(() => window.fired)).map((e) => e.name), ['SPiD.statusChange', 'SPiD.notLoggedin']);
  });

  test('a failed request calls back with the SdkError', async () => {
    await world.emulator.fault({ path: '/ajax/hasSession.json', status: 500 });
    await open('index.html');
    await page.waitForFunction(() => window.firstCheck);
    const { err, data } = await plainCallback('firstCheck');
    assert.deepEqual(err, { name: 'SdkError', code: 'http' });
    assert.equal(data, undefined);
    assert.equal(await page.textContent('#user'), 'SchAcc is unreachable');
  });

  test('SPiD_Uri links written into hrefs have 2.x\'s paths and parameters, percent-encoded', async () => {
    await open('index.html');
    await page.waitForFunction(() => window.firstCheck);
    const here = page.url();
    const server = `http://${host}`;
    const q = `client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(here)}`;
    assert.equal(await page.getAttribute('#login-link', 'href'), `${server}/flow/login?response_type=code&${q}`);
    assert.equal(await page.getAttribute('#signup-link', 'href'), `${server}/flow/signup?response_type=code&${q}`);
    assert.equal(await page.getAttribute('#account-link', 'href'), `${server}/account/summary?response_type=code&${q}`);
    // 2.x's SPiD_Uri.logout sent response_type=code too; /logout ignores it.
    assert.equal(await page.getAttribute('#logout-redirect-link', 'href'), `${server}/logout?response_type=code&${q}`);

    const built = await page.evaluate(() => ({
      auth: SPiD_Uri.auth('https://news.example/back?a=1&b=2'),
      purchaseHistory: SPiD_Uri.purchaseHistory('https://news.example/'),
      subscriptions: SPiD_Uri.subscriptions('https://news.example/', 'other client'),
      products: SPiD_Uri.products(),
      redeem: SPiD_Uri.redeem('CODE 1', 'https://news.example/'),
      purchaseProduct: SPiD_Uri.purchaseProduct('42', 'https://news.example/'),
      alias: SPiD.Uri === SPiD_Uri,
    }));
    const news = encodeURIComponent('https://news.example/');
    assert.equal(built.auth, `${server}/flow/auth?response_type=code&client_id=${CLIENT_ID}&redirect_uri=https%3A%2F%2Fnews.example%2Fback%3Fa%3D1%26b%3D2`);
    assert.equal(built.purchaseHistory, `${server}/account/purchasehistory?client_id=${CLIENT_ID}&redirect_uri=${news}`);
    assert.equal(built.subscriptions, `${server}/account/subscriptions?client_id=other%20client&redirect_uri=${news}`);
    assert.equal(built.products, `${server}/account/products?${q}`);
    assert.equal(built.redeem, `${server}/account/redeem?client_id=${CLIENT_ID}&redirect_uri=${news}&voucher_code=CODE%201`);
    assert.equal(built.purchaseProduct, `${server}/flow/checkout?response_type=code&flow=payment&client_id=${CLIENT_ID}&redirect_uri=${news}&product_id=42`);
    assert.equal(built.alias, true);

    // https (the default) gives https://; SPiD_Uri works before the wasm has loaded (it is plain JS).
    const secure = await page.evaluate(() => {
      SPiD_Uri.init({ client_id: 'abc123', server: 'login.schacc.example' });
      return SPiD_Uri.logout('https://news.example/');
    });
    assert.equal(secure, `https://login.schacc.example/logout?response_type=code&client_id=abc123&redirect_uri=${news}`);
  });

  test("SPiD_Uri's encoder (plain JS, for links before the wasm loads) encodes exactly as the wasm's", async () => {
    await open('index.html');
    const pairs = await page.evaluate(async () => {
      const sdk = await import('/pkg/index.js');
      const client = await sdk.createClient({ clientId: 'abc123', server: 'https://login.schacc.example' });
      SPiD_Uri.init({ client_id: 'abc123', server: 'login.schacc.example' });
      const uris = ["https://news.example/a b?x=1&y=æ#f+", "https://news.example/!'()*~-._", 'https://news.example/%41/😀?q=a/b:c@d', 'https://news.example/[]{}|^`"<>'];
      const value = (url) => new URL(url).search.match(/[?&]redirect_uri=([^&]*)/)[1];
      return uris.map((uri) => [value(SPiD_Uri.logout(uri)), value(client.logoutUrl({ redirectUri: uri }))]);
    });
    for (const [plain, wasm] of pairs) assert.equal(plain, wasm);
  });

  test('the SPiD_Uri.logout link is a working redirect logout', async () => {
    await open('index.html', { login: true });
    await page.waitForFunction(() => window.firstCheck);
    const landing = world.landingPage;
    await page.evaluate((landing) => { location.href = SPiD_Uri.logout(landing); }, landing);
    await page.waitForURL(landing);
    assert.deepEqual((await world.emulator.state()).sessions, []);
  });

  test('calls made before the wasm is ready (even before SPiD.init) are queued and run in order', async () => {
    await world.emulator.reset();
    await page?.close();
    page = await browser.newPage();
    // Hold the wasm's instantiation (global.js carries it inlined) so the page's inline calls
    // certainly precede readiness.
    await page.addInitScript(() => {
      const instantiate = WebAssembly.instantiate;
      const held = new Promise((resolve) => (window.releaseWasm = resolve));
      WebAssembly.instantiate = (...args) => held.then(() => instantiate.apply(WebAssembly, args));
    });
    await page.goto(world.emulator.loginUrl(pageUrl('queued.html')), { waitUntil: 'domcontentloaded' });
    assert.equal(await page.evaluate(() => window.readyAtEnd), true, 'nothing ran synchronously');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await page.evaluate(() => window.calls), [], 'nothing ran before the wasm');
    await page.evaluate(() => window.releaseWasm());
    await page.waitForFunction(() => window.done === true);
    assert.deepEqual(await page.evaluate(() => window.calls), [
      'event SPiD.login',
      'hasSession 1: connected',
      'event SPiD.logout',
      'logout: notConnected',
      'hasSession 2: notConnected',
    ]);
    assert.deepEqual((await world.emulator.state()).sessions, []);
  });

  test('the asynchronous loading hook window.asyncSPiD is called once the script has loaded', async () => {
    await open('async.html', { login: true });
    await page.waitForFunction(() => window.session);
    assert.equal(await page.evaluate(() => window.session.userId), 1001);
  });

  test('SPiD.init without client_id or server throws TypeError synchronously', async () => {
    await open('index.html');
    const thrown = await page.evaluate(() => [
      {}, { client_id: 'abc123' }, { server: 'login.schacc.example' }, { client_id: '', server: 'x' }, undefined,
    ].map((options) => {
      try {
        SPiD.init(options);
        return 'no throw';
      } catch (error) {
        return error instanceof TypeError ? 'TypeError' : String(error);
      }
    }));
    assert.deepEqual(thrown, ['TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError']);
    const uri = await page.evaluate(() => {
      try {
        SPiD_Uri.init({ server: 'x' });
        return 'no throw';
      } catch (error) {
        return error instanceof TypeError ? 'TypeError' : String(error);
      }
    });
    assert.equal(uri, 'TypeError');
  });

  test('SPiD.version() returns the package version; global.js fetches no other file, and a module on the page works beside it', async () => {
    const expected = JSON.parse(readFileSync(join(root, 'pkg/package.json'), 'utf8')).version;
    const fetched = [];
    page = await browser.newPage();
    page.on('request', (request) => request.url().includes('/pkg/') && fetched.push(new URL(request.url()).pathname));
    await page.goto(pageUrl('index.html'));
    await page.waitForFunction(() => window.firstCheck);
    assert.equal(await page.evaluate(() => SPiD.version()), expected);
    assert.match(expected, /^\d+\.\d+\.\d+/);
    assert.deepEqual(fetched, ['/pkg/global.js'], 'global.js carries the SDK and its wasm');
    // An ES module import on the same page is a second copy of the SDK (its own wasm) and works alongside.
    const session = await page.evaluate(async (server) => {
      const sdk = await import('/pkg/index.js');
      const client = await sdk.createClient({ clientId: 'e2e-client', server });
      return (await client.hasSession()).userStatus;
    }, world.emulator.url);
    assert.equal(session, 'notConnected');
    assert.deepEqual(fetched, ['/pkg/global.js', '/pkg/index.js', '/pkg/schacc_sdk_bg.wasm']);
  });

  test('logging: true logs every event with console.log', async () => {
    await open('index.html', { login: true, extra: '&logging=1' });
    await page.waitForFunction(() => window.firstCheck);
    for (const name of ['SPiD.login', 'SPiD.statusChange', 'SPiD.sessionChange', 'SPiD.sessionInit']) {
      assert.ok(page.logs.some((line) => line.startsWith(`[SPiD] ${name}`)), `${name} logged: ${page.logs.join(' | ')}`);
    }
  });
});
