// pkg/global.js, the SPiD JS SDK 2.x drop-in: pages written the 2.x way
// (tests/e2e/pages/spid2/: a script tag, inline SPiD.init, SPiD.event.subscribe,
// onclick="SPiD.logout()", SPiD_Uri links, a jQuery-style ready) work unchanged
// in Chromium against the emulator.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_ID, clearLocalStorage, launch, root, startWorld } from './harness.mjs';

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
    await clearLocalStorage(browser, world.pages.origin);
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
    return { err: err && { ...err }, data: data && { ...data } };
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

  test('SPiD.logout(function (err, data) {…}) gets (null, SchAcc\'s answer: result true) after the subscribers ran', async () => {
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
    assert.equal(data.result, true, '2.x answered SchAcc\'s {result: true}');
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

  test('SPiD.hasSession(cb) when logged out: (SchAcc\'s 401 UserException error, a notConnected session) and SPiD.notLoggedin', async () => {
    await open('index.html');
    await page.waitForFunction(() => window.firstCheck);
    const { err, data } = await plainCallback('firstCheck');
    // 2.x's err: a page written `if (err) showLogin(); else showUser(data)` greets nobody.
    assert.deepEqual(err, { code: 401, type: 'UserException', description: 'No session found' });
    assert.equal(data.result, false);
    assert.equal(data.userStatus, 'notConnected');
    assert.equal(await page.textContent('#user'), 'SchAcc is unreachable', 'the page\'s own words for any err');
    assert.deepEqual((await page.evaluate(() => window.fired)).map((e) => e.name), ['SPiD.statusChange', 'SPiD.notLoggedin']);
  });

  test('a failed request calls back with 2.x\'s communication error and {}', async () => {
    await world.emulator.fault({ path: '/ajax/hasSession.json', status: 500 });
    await open('index.html');
    await page.waitForFunction(() => window.firstCheck);
    const { err, data } = await plainCallback('firstCheck');
    assert.deepEqual(err, { type: 'communication', code: 500, description: 'Unexpected HTTP status from SchAcc' });
    assert.deepEqual(data, {});
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
    // 2.x's SPiD_Uri.logout also sent response_type=code, which /logout ignores: the link is now exactly the
    // module API's logoutUrl().
    assert.equal(await page.getAttribute('#logout-redirect-link', 'href'), `${server}/logout?${q}`);

    const built = await page.evaluate(() => ({
      auth: SPiD_Uri.auth('https://news.example/back?a=1&b=2'),
      purchaseHistory: SPiD_Uri.purchaseHistory('https://news.example/'),
      subscriptions: SPiD_Uri.subscriptions('https://news.example/', 'other-client'),
      products: SPiD_Uri.products(),
      redeem: SPiD_Uri.redeem('CODE 1', 'https://news.example/'),
      purchaseProduct: SPiD_Uri.purchaseProduct('42', 'https://news.example/'),
      alias: SPiD.Uri === SPiD_Uri,
    }));
    const news = encodeURIComponent('https://news.example/');
    assert.equal(built.auth, `${server}/flow/auth?response_type=code&client_id=${CLIENT_ID}&redirect_uri=https%3A%2F%2Fnews.example%2Fback%3Fa%3D1%26b%3D2`);
    assert.equal(built.purchaseHistory, `${server}/account/purchasehistory?client_id=${CLIENT_ID}&redirect_uri=${news}`);
    assert.equal(built.subscriptions, `${server}/account/subscriptions?client_id=other-client&redirect_uri=${news}`);
    assert.equal(built.products, `${server}/account/products?${q}`);
    assert.equal(built.redeem, `${server}/account/redeem?client_id=${CLIENT_ID}&redirect_uri=${news}&voucher_code=CODE%201`);
    assert.equal(built.purchaseProduct, `${server}/flow/checkout?response_type=code&flow=payment&client_id=${CLIENT_ID}&redirect_uri=${news}&product_id=42`);
    assert.equal(built.alias, true);

    // https (the default) gives https://; SPiD_Uri works before the wasm has loaded (it is plain JS).
    const secure = await page.evaluate(() => {
      SPiD_Uri.init({ client_id: 'abc123', server: 'login.schacc.example' });
      return SPiD_Uri.logout('https://news.example/');
    });
    assert.equal(secure, `https://login.schacc.example/logout?client_id=abc123&redirect_uri=${news}`);
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
      'hasSession 2: 401', // 2.x's err: SchAcc's 401 UserException
    ]);
    assert.deepEqual((await world.emulator.state()).sessions, []);
  });

  test('the asynchronous loading hook window.asyncSPiD is called once the script has loaded', async () => {
    await open('async.html', { login: true });
    await page.waitForFunction(() => window.session);
    assert.equal(await page.evaluate(() => window.session.userId), 1001);
  });

  test('bad options and link arguments throw a typed SdkError (invalid_config, invalid_argument), never a plain URIError or TypeError', async () => {
    await open('bare.html');
    const thrown = await page.evaluate(() => {
      const code = (call) => {
        try {
          call();
          return 'no throw';
        } catch (error) {
          return `${error.name} ${error.code} ${error instanceof Error}`;
        }
      };
      const lone = '\ud800';
      return {
        // Nothing configured yet.
        before: code(() => SPiD_Uri.login('https://news.example/')),
        init: [{}, { client_id: 'abc123' }, { server: 'login.schacc.example' }, { client_id: '', server: 'x' }, undefined, 'abc123',
          { client_id: 'abc123', server: 'login.schacc.example', https: false }, { client_id: 'a b', server: 'login.schacc.example' },
          { client_id: 'abc123', server: 'login.schacc.example/#' }, { client_id: 'abc123', server: 'login.schacc.example', timeout: '5000' },
          { client_id: 'abc123', server: 'login.schacc.example', redirect_uri: '/relative' },
          { client_id: 'abc123', server: 'login.schacc.example', sessionDomain: 'http://id.news.example' }]
          .map((options) => code(() => SPiD.init(options))),
        uriInit: [{ server: 'x' }, { client_id: 'abc123', server: 'login.schacc.example', https: false }, { client_id: 'a' + lone, server: 'x.example' }]
          .map((options) => code(() => SPiD_Uri.init(options))),
        subscribe: code(() => SPiD.event.subscribe('SPiD.logout', 'not a function')),
        links: (SPiD_Uri.init({ client_id: 'abc123', server: 'login.schacc.example' }), [
          () => SPiD_Uri.logout('https://news.example/' + lone),
          () => SPiD_Uri.logout(lone),
          () => SPiD_Uri.login('javascript:alert(1)'),
          () => SPiD_Uri.logout('//evil.example/'),
          () => SPiD_Uri.logout('https://news.example@evil.example/'),
          () => SPiD_Uri.logout('https://news.example/\n'),
          () => SPiD_Uri.logout('https://news.example/', 'bad client'),
          () => SPiD_Uri.logout('https://news.example/', 'abc' + lone),
          () => SPiD_Uri.redeem('CODE' + lone, 'https://news.example/'),
          () => SPiD_Uri.build('logout', { client_id: 'abc123', redirect_uri: 'data:text/html,x' }),
          () => SPiD_Uri.build('logout', { ['x' + lone]: '1' }),
        ].map(code)),
        // What is left of a path or a parameter the page passes to build() is percent-encoded.
        built: SPiD_Uri.build('/a\nb?c#d/e', { 'k\t&': 'v\u0000#' }),
      };
    });
    const config = 'SdkError invalid_config true';
    const argument = 'SdkError invalid_argument true';
    assert.equal(thrown.before, config);
    assert.deepEqual(thrown.init, Array(12).fill(config));
    assert.deepEqual(thrown.uriInit, Array(3).fill(config));
    assert.equal(thrown.subscribe, argument);
    assert.deepEqual(thrown.links, Array(11).fill(argument));
    assert.equal(thrown.built, 'https://login.schacc.example/a%0Ab%3Fc%23d/e?k%09%26=v%00%23');
  });

  // A page's own window.BroadcastChannel, installed before global.js runs: every client opens one channel
  // (`schacc-sdk:{server}?client_id=…`) and its destroy() closes it, so window.channels tells which clients
  // were made and destroyed how often, and window.log when, among the calls' callbacks.
  function spyOnClients() {
    window.log = [];
    window.channels = [];
    const Native = BroadcastChannel;
    window.NativeBroadcastChannel = Native;
    window.BroadcastChannel = class extends Native {
      constructor(name) {
        super(name);
        this.index = window.channels.length;
        window.channels.push({ name, closed: 0 });
      }
      close() {
        window.channels[this.index].closed += 1;
        window.log.push(`destroyed ${this.index}`);
        super.close();
      }
    };
    window.fired = [];
    window.note = (label, last) => (err, data) => {
      window.log.push(`${label}: ${err ? `${err.type} ${err.code}` : data.userStatus}`);
      if (last) window.done = true;
    };
  }

  function holdWasm() {
    const instantiate = WebAssembly.instantiate;
    const held = new Promise((resolve) => (window.releaseWasm = resolve));
    WebAssembly.instantiate = (...args) => held.then(() => instantiate.apply(WebAssembly, args));
  }

  async function openSpied(name, { login = false, before = [] } = {}) {
    page = await browser.newPage();
    page.problems = [];
    page.on('pageerror', (error) => page.problems.push(String(error)));
    for (const script of [spyOnClients, ...before]) await page.addInitScript(script);
    const url = pageUrl(name);
    await page.goto(login ? world.emulator.loginUrl(url) : url);
    await page.evaluate(() => ['SPiD.login', 'SPiD.logout', 'SPiD.userChange', 'SPiD.statusChange', 'SPiD.sessionChange',
      'SPiD.notLoggedin', 'SPiD.sessionInit', 'SPiD.error'].forEach((name) => SPiD.event.subscribe(name, () => window.fired.push(name))));
  }

  /** The client_id of every request to `path` the emulator saw, in order. */
  const clientIds = async (path) => (await world.emulator.state()).requests
    .filter((r) => r.path === path).map((r) => new URLSearchParams(r.query).get('client_id'));

  const FOUR = ['SPiD.login', 'SPiD.statusChange', 'SPiD.sessionChange', 'SPiD.sessionInit'];

  test('SPiD.init A, B, C in quick succession: each call runs on the client it was made under; A and B are destroyed once, each after its own calls; only C\'s events reach the listeners', async () => {
    await openSpied('bare.html', { login: true, before: [holdWasm] });
    await page.evaluate((host) => {
      // storage: 'standard' (no session cache): every call is a request the emulator logs, on its client's id.
      SPiD.init({ client_id: 'e2e-client', server: host, https: false, storage: 'standard' });
      SPiD.hasSession(note('A'));
      SPiD.init({ client_id: 'other-client', server: host, https: false, storage: 'standard' });
      SPiD.hasSession(note('B'));
      SPiD.init({ client_id: 'e2e-client', server: host, https: false, timeout: 4000, storage: 'standard' });
      SPiD.hasSession(note('C', true));
      window.releaseWasm();
    }, host);
    await page.waitForFunction(() => window.done);
    assert.deepEqual(await clientIds('/ajax/hasSession.json'), ['e2e-client', 'other-client', 'e2e-client']);
    const { log, channels, fired } = await page.evaluate(() => ({ log: window.log, channels: window.channels, fired: window.fired }));
    // other-client has no redirect URI on the pages' origin: SchAcc's answer has no CORS headers.
    assert.deepEqual(log, ['A: connected', 'destroyed 0', 'B: communication 503', 'destroyed 1', 'C: connected']);
    assert.deepEqual(channels.map((c) => [new URL(c.name.slice('schacc-sdk:'.length)).searchParams.get('client_id'), c.closed]),
      [['e2e-client', 1], ['other-client', 1], ['e2e-client', 0]]);
    assert.deepEqual(fired, FOUR, 'A\'s login and B\'s error did not reach the listeners; C\'s login did, once');
    assert.deepEqual(page.problems, []);
  });

  test('SPiD.init during a pending call: the call in flight and the one queued behind it run on the old client, then it is destroyed; its late events are not the new one\'s', async () => {
    await openSpied('bare.html', { login: true });
    await page.evaluate((host) => new Promise((resolve) => {
      SPiD.init({ client_id: 'e2e-client', server: host, https: false, storage: 'standard' });
      SPiD.hasSession(resolve);
    }), host);
    await world.emulator.fault({ path: '/ajax/hasSession.json', delayMs: 500, times: 1 });
    await page.evaluate(async (host) => {
      window.fired.length = 0;
      SPiD.hasSession(note('A1'));
      SPiD.hasSession(note('A2'));
      await new Promise((resolve) => setTimeout(resolve, 150)); // A1 is in flight, A2 queued behind it
      SPiD.init({ client_id: 'other-client', server: host, https: false });
      SPiD.hasSession(note('B', true));
    }, host);
    await page.waitForFunction(() => window.done);
    // A2, made while A1 was in flight with nothing between them, joined it: one request (2.x's spid-callbacks).
    assert.deepEqual(await clientIds('/ajax/hasSession.json'), ['e2e-client', 'e2e-client', 'other-client']);
    const { log, channels, fired } = await page.evaluate(() => ({ log: window.log, channels: window.channels, fired: window.fired }));
    assert.deepEqual(log, ['A1: connected', 'A2: connected', 'destroyed 0', 'B: communication 503']);
    assert.deepEqual(channels.map((c) => c.closed), [1, 0]);
    assert.deepEqual(fired, ['SPiD.error'], 'only B\'s failure reached the listeners');
  });

  test('a bad SPiD.init fails alone: it throws invalid_config and changes nothing (the current client keeps its calls, events, options and links, and is not destroyed)', async () => {
    await openSpied('bare.html', { login: true });
    const result = await page.evaluate((host) => {
      SPiD.init({ client_id: 'e2e-client', server: host, https: false, storage: 'standard' });
      SPiD.hasSession(note('A1'));
      const thrown = [
        { client_id: 'other-client', server: 'login.schacc.example', https: false }, // http off loopback
        { client_id: 'other-client', server: host, https: false, timeout: -1 },
        { client_id: 'other-client', server: host, https: false, sessionDomain: 'http://id.news.example' },
        { client_id: 'other-client', server: host, https: false, redirect_uri: 'javascript:alert(1)' },
        { client_id: 'other client', server: host, https: false },
        { client_id: 'other-client', server: host + '/#', https: false },
      ].map((options) => {
        try {
          SPiD.init(options);
          return 'no throw';
        } catch (error) {
          return `${error.name} ${error.code}`;
        }
      });
      SPiD.hasSession(note('A2', true));
      return { thrown, clientId: SPiD.options().client_id, link: SPiD_Uri.logout('https://news.example/') };
    }, host);
    await page.waitForFunction(() => window.done);
    assert.deepEqual(result.thrown, Array(6).fill('SdkError invalid_config'));
    assert.equal(result.clientId, 'e2e-client');
    assert.equal(result.link, `http://${host}/logout?client_id=e2e-client&redirect_uri=https%3A%2F%2Fnews.example%2F`);
    // A2 joined A1 (the same call, with nothing but refused inits between): one request.
    assert.deepEqual(await clientIds('/ajax/hasSession.json'), ['e2e-client']);
    const { log, channels, fired } = await page.evaluate(() => ({ log: window.log, channels: window.channels, fired: window.fired }));
    assert.deepEqual(log, ['A1: connected', 'A2: connected']);
    assert.deepEqual(channels.map((c) => c.closed), [0]);
    // The current client's events still reach the listeners (a second answer may change the session's expiry).
    assert.deepEqual(fired.slice(0, 4), FOUR);
    assert.deepEqual(fired.slice(4).filter((name) => name !== 'SPiD.sessionChange'), []);
    // And it still logs out, with the three events.
    await page.evaluate(() => new Promise((resolve) => SPiD.logout(resolve)));
    assert.deepEqual((await page.evaluate(() => window.fired)).slice(fired.length), THREE);
    assert.deepEqual((await world.emulator.state()).sessions, []);
  });

  test('an init whose client cannot be made fails its own calls with its error; the next init starts afresh', async () => {
    await openSpied('bare.html', {
      login: true,
      before: [() => {
        const instantiate = WebAssembly.instantiate;
        let failures = 1;
        WebAssembly.instantiate = (...args) => (failures-- > 0 ? Promise.reject(new Error('test: no wasm')) : instantiate.apply(WebAssembly, args));
      }],
    });
    await page.evaluate((host) => new Promise((resolve) => {
      SPiD.init({ client_id: 'e2e-client', server: host, https: false });
      SPiD.hasSession((err, data) => resolve(note('A')(err, data)));
    }), host);
    await page.evaluate((host) => {
      SPiD.init({ client_id: 'e2e-client', server: host, https: false });
      SPiD.hasSession(note('B', true));
    }, host);
    await page.waitForFunction(() => window.done);
    const { log, channels, fired } = await page.evaluate(() => ({ log: window.log, channels: window.channels, fired: window.fired }));
    assert.deepEqual(log, ['A: communication 503', 'B: connected']);
    assert.deepEqual(channels.map((c) => c.closed), [0]);
    // A's failure is SPiD.error, as 2.x fired every failed hasSession.
    assert.deepEqual(fired, ['SPiD.error', ...FOUR]);
  });

  test('SPiD.init twice with the same options: a fresh client replaces the first, which is destroyed once; every event fires once', async () => {
    await openSpied('bare.html', { login: true });
    await page.evaluate((host) => {
      const options = { client_id: 'e2e-client', server: host, https: false };
      SPiD.init(options);
      SPiD.init(options);
      SPiD.hasSession(note('second', true));
    }, host);
    await page.waitForFunction(() => window.done);
    // Another tab's logout arrives on the channel of both: only the live client hears it.
    await page.evaluate(() => new window.NativeBroadcastChannel(window.channels[0].name).postMessage('logout'));
    await page.waitForFunction(() => window.fired.length >= 7);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { log, channels, fired } = await page.evaluate(() => ({ log: window.log, channels: window.channels, fired: window.fired }));
    assert.deepEqual(log, ['destroyed 0', 'second: connected']);
    assert.deepEqual(channels.map((c) => c.closed), [1, 0]);
    assert.deepEqual(fired, [...FOUR, ...THREE]);
  });

  // ---- One set of URL rules for both faces (the core's, crates/core/src/url.rs and config.rs) ----
  // SPiD_Uri must answer synchronously, before the wasm exists, so global.js applies the core's rules in
  // JavaScript on the same URL parser. These tests run hostile inputs through both faces in one page:
  // the module API (createClient, client.logoutUrl) and the 2.x one (SPiD_Uri.init, SPiD_Uri.logout).

  /** In the page: `{ ok }` or `{ error: 'SdkError <code>' }` of `call()` (awaited). */
  const OUTCOME = `window.outcome = async (call) => {
    try {
      return { ok: await call() };
    } catch (error) {
      return { error: error.name + ' ' + error.code };
    }
  };`;

  // Redirect URIs: every one goes through client.logoutUrl({ redirectUri }) and SPiD_Uri.logout(redirectUri).
  const lone = ['\ud800', '\udbff', '\udc00', '\udfff'];
  const invisible = ['\t', '\n', '\r', '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u009f', '\u00ad', '\u061c', '\u180e',
    '\u200b', '\u200d', '\u200e', '\u202e', '\u2028', '\u2029', '\u2066', '\ufeff', '\ufff9', '\ufffd', '\u{110bd}', '\u{1d173}', '\u{e0001}', '\u{e0041}'];
  const spaces = [' ', '\u000b', '\u000c', '\u00a0', '\u1680', '\u2000', '\u200a', '\u202f', '\u205f', '\u3000'];
  const REDIRECTS = [
    'https://news.example/', 'http://news.example/', 'HTTPS://NEWS.EXAMPLE/A', 'hTtP://news.example', 'https://news.example',
    'https://news.example:8443/x?y=1&z=2#frag', 'https://news.example/a b', 'https://news.example/æøå?q=😀', 'https://blåbær.no/',
    'https://xn--blbr-roa1a.no/', 'https://😀.example/', 'https://news.example./', 'https://NEWS.example:443/', 'https://news.example/%0a',
    'https://news.example/%zz', 'https://news.example/?redirect_uri=javascript:alert(1)', 'https://news.example/#@evil.example',
    // Not http(s).
    'javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'javascript://news.example/%0aalert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>',
    'data:,x', 'vbscript:msgbox(1)', 'file:///etc/passwd', 'blob:https://news.example/1', 'about:blank', 'mailto:a@news.example', 'ftp://news.example/',
    'ws://news.example/', 'httpx://news.example/', 'https', 'https:', 'https:/', 'https://', 'https:///', 'https:///news.example/',
    // Protocol-relative, relative, slashes and backslashes.
    '//evil.example/', '///evil.example/', '/\\evil.example', '\\\\evil.example', 'https:\\\\evil.example', 'https:/\\evil.example',
    'https:/evil.example', 'https:evil.example', 'http:/\\/evil.example', 'https://news.example\\@evil.example/', 'https://news.example/\\..\\x',
    'news.example', '/path', 'path', '?q=1', '#f', '.', '..', './x',
    // Credentials.
    'https://user:pass@evil.example/', 'https://user@evil.example/', 'https://:pass@evil.example/', 'https://@evil.example/',
    'https://news.example@evil.example/', 'https://news.example:443@evil.example/', 'https://a:b:c@evil.example/', 'https://news.example%40evil.example/',
    'https://evil.example/@news.example', 'https://evil.example?@news.example', 'https://evil.example#@news.example',
    // Hosts the browser reads differently or not at all.
    'https://1.2.3.999/', 'https://0x7f.1/', 'https://127.1/', 'https://[::1]/', 'https://[0:0::1]:8080/', 'http://[::1/', 'https://[::g]/',
    'https://a\uff0fb.example/', 'https://login\u3002schacc\u3002example/', 'https://a..b/', 'https://exa%41mple.com/', 'https://ex%00ample.com/',
    'https://news.example:65536/', 'https://news.example:0x1/', 'https://news.example:/', 'https://:443/', 'https://%20/', 'https://a b.example/',
    'https://xn--/', 'https://news.example:8080:90/', 'https://news.example:0/', 'http://127.0.0.1:00/', 'https://news.example:080/',
    // Lone surrogates, control, invisible and space characters: inside, around, in the host.
    ...[...lone, ...invisible, ...spaces].flatMap((c) => [`https://news.example/a${c}b`, `https://news.example/${c}`, `${c}https://news.example/`, `https://news${c}.example/`]),
    // Long: the core's limit is 2048 bytes of UTF-8; index.js refuses more than 8192 characters before the wasm.
    'https://news.example/' + 'a'.repeat(2048 - 21), 'https://news.example/' + 'a'.repeat(2048 - 20), 'https://news.example/' + 'é'.repeat(1013),
    'https://news.example/' + 'é'.repeat(1014), 'https://news.example/' + '😀'.repeat(506), 'https://news.example/' + '😀'.repeat(507),
    'https://news.example/' + 'a'.repeat(9000), 'https://news.example/' + 'a'.repeat(1 << 20), 'https://' + 'a'.repeat(300) + '.example/',
  ];

  test('the URL rules agree: every hostile redirect URI gives the same link from client.logoutUrl() and SPiD_Uri.logout(), or invalid_argument from both', async () => {
    await open('bare.html');
    const { rows, sweeps } = await page.evaluate(async ({ OUTCOME, REDIRECTS }) => {
      eval(OUTCOME);
      const sdk = await import('/pkg/index.js');
      const rows = [];
      for (const [server, url] of [['login.schacc.example', 'https://login.schacc.example'], ['localhost:9000/sso/', 'http://localhost:9000/sso/']]) {
        const client = await sdk.createClient({ clientId: 'abc123', server: url, crossTab: false });
        SPiD_Uri.init({ client_id: 'abc123', server, https: url.startsWith('https') });
        for (const redirectUri of REDIRECTS) {
          const module = await outcome(() => client.logoutUrl({ redirectUri }));
          // Where the link sends the user after SchAcc, as this browser reads it.
          const then = module.ok && new URL(new URL(module.ok).searchParams.get('redirect_uri'));
          rows.push([redirectUri, module, await outcome(() => SPiD_Uri.logout(redirectUri)), then && [then.protocol, then.username + then.password]]);
        }
        client.destroy();
      }
      // Every code point but the surrogates (planes 0, 1 and 14, where every control and format character is)
      // inside a path, and every one of the Basic Multilingual Plane at its end (surrounding whitespace).
      const client = await sdk.createClient({ clientId: 'abc123', server: 'https://login.schacc.example', crossTab: false });
      SPiD_Uri.init({ client_id: 'abc123', server: 'login.schacc.example' });
      const verdict = (call) => {
        try {
          return call();
        } catch (error) {
          return error.name + ' ' + error.code;
        }
      };
      const sweeps = { checked: 0, refused: 0, disagree: [] };
      const sweep = (from, to, url) => {
        for (let point = from; point <= to; point++) {
          if (point >= 0xd800 && point <= 0xdfff) continue;
          const redirectUri = url(String.fromCodePoint(point));
          const module = verdict(() => client.logoutUrl({ redirectUri }));
          const spid2 = verdict(() => SPiD_Uri.logout(redirectUri));
          sweeps.checked += 1;
          if (module.startsWith('SdkError')) sweeps.refused += 1;
          if (module !== spid2) sweeps.disagree.push([point.toString(16), module, spid2]);
        }
      };
      sweep(0, 0x1ffff, (c) => `https://news.example/a${c}b`);
      sweep(0xe0000, 0xe0fff, (c) => `https://news.example/a${c}b`);
      sweep(0, 0xffff, (c) => `https://news.example/a${c}`);
      sweep(0, 0x7f, (c) => `https://news${c}example/`);
      client.destroy();
      return { rows, sweeps };
    }, { OUTCOME, REDIRECTS });
    let accepted = 0;
    for (const [input, module, spid2, then] of rows) {
      assert.deepEqual(spid2, module, `SPiD_Uri.logout and client.logoutUrl disagree on ${JSON.stringify(input.slice(0, 80))}`);
      if (module.error) {
        assert.equal(module.error, 'SdkError invalid_argument', JSON.stringify(input.slice(0, 80)));
        continue;
      }
      accepted += 1;
      // What a link built from an accepted input carries: no control character, and a redirect_uri that is an
      // http(s) URL without credentials.
      assert.doesNotMatch(module.ok, /[\u0000-\u0020\u007f-\u009f]/);
      assert.match(then[0], /^https?:$/);
      assert.equal(then[1], '');
    }
    assert.ok(accepted >= 20 && accepted < rows.length / 2, `${accepted} of ${rows.length} accepted`);
    assert.deepEqual(sweeps.disagree, []);
    assert.ok(sweeps.checked > 190000 && sweeps.refused > 300, JSON.stringify(sweeps));
  });

  test('the URL rules agree on server and https: createClient and SPiD_Uri.init accept the same servers with the same base, or both refuse with invalid_config', async () => {
    await open('bare.html');
    const L = '\ud800';
    const SERVERS = [
      // [2.x server, https]
      ['localhost:9000', false], ['localhost:9000', true], ['localhost:9000', undefined], ['LOCALHOST:9000', false], ['localhost', false],
      ['127.0.0.1:9000', false], ['[::1]:9000', false], ['[0:0::1]', false], ['localhost.', false], ['127.0.0.2', false], ['127.1', false],
      ['[::2]', false], ['login.schacc.example', true], ['login.schacc.example', false], ['login.schacc.example', undefined],
      ['Login.Schacc.Example:443', true], ['login.schacc.example:8443', true], ['login.schacc.example/', true], ['login.schacc.example///', true],
      ['login.schacc.example/sso/', true], ['login.schacc.example/sso//', true], ['login.schacc.example/#', true], ['login.schacc.example/?', true],
      ['login.schacc.example?x=1', true], ['login.schacc.example#f', true], ['login.schacc.example/%23', true],
      ['user:pass@login.schacc.example', true], ['@login.schacc.example', true], ['evil.example\\@login.schacc.example', true],
      ['//evil.example', true], ['\\\\evil.example', true], ['javascript:alert(1)', true], ['data:text/html,x', true],
      ['https://login.schacc.example', false], ['https://login.schacc.example/', true], ['HTTPS://LOGIN.SCHACC.EXAMPLE', true],
      ['http://login.schacc.example', true], ['HTTP://localhost:9000/', true], ['http://localhost:9000', false], ['https:login.schacc.example', true],
      ['', true], [' login.schacc.example', true], ['login.schacc.example ', true], ['login .schacc.example', true], ['login\t.schacc.example', true],
      ['login.schacc.example\n', true], ['login\u200b.schacc.example', true], ['login.schacc.example/\u202e', true], ['login.schacc.example' + L, true],
      ['blåbær.no', true], ['xn--blbr-roa1a.no', true], ['login\u3002schacc\u3002example', true], ['a\uff0fb.example', true],
      ['1.2.3.999', true], ['[::1', false], ['login.schacc.example:65536', true], ['login.schacc.example:0x1', true],
      ['login.schacc.example:0', true], ['localhost:00', false], ['login.schacc.example:443/', true],
      ['login.schacc.example/' + 'a'.repeat(2000), true], ['login.schacc.example/' + 'a'.repeat(2100), true],
      // 1,420 bytes as written, but 4,200 once the browser has percent-encoded the path: over the core's 2048.
      ['login.schacc.example/' + 'é'.repeat(700), true],
    ];
    const rows = await page.evaluate(async ({ OUTCOME, SERVERS }) => {
      eval(OUTCOME);
      const sdk = await import('/pkg/index.js');
      const rows = [];
      for (const [server, https] of SERVERS) {
        // 2.x's server is a host; the scheme comes from https (default true); a full http(s) URL is taken as it is.
        const url = /^https?:\/\//i.test(server) ? server : (https === false ? 'http://' : 'https://') + server;
        const module = await outcome(async () => {
          const client = await sdk.createClient({ clientId: 'abc123', server: url, crossTab: false });
          const link = client.logoutUrl({ redirectUri: 'https://news.example/' });
          client.destroy();
          return link;
        });
        const spid2 = await outcome(() => {
          SPiD_Uri.init({ client_id: 'abc123', server, https });
          return SPiD_Uri.logout('https://news.example/');
        });
        rows.push([server, https, module, spid2]);
      }
      return rows;
    }, { OUTCOME, SERVERS });
    const accepted = [];
    for (const [server, https, module, spid2] of rows) {
      const what = `server ${JSON.stringify(server.slice(0, 60))}, https ${https}`;
      assert.deepEqual(spid2, module, what);
      if (module.error) assert.equal(module.error, 'SdkError invalid_config', what);
      else accepted.push(module.ok.replace(/\/logout\?.*/, ''));
    }
    assert.deepEqual(accepted, [
      'http://localhost:9000', 'https://localhost:9000', 'https://localhost:9000', 'http://localhost:9000', 'http://localhost',
      'http://127.0.0.1:9000', 'http://[::1]:9000', 'http://[::1]', 'http://127.0.0.1', // 127.1 is 127.0.0.1 to the browser
      'https://login.schacc.example', 'https://login.schacc.example', 'https://login.schacc.example', 'https://login.schacc.example:8443',
      'https://login.schacc.example', 'https://login.schacc.example', 'https://login.schacc.example/sso', 'https://login.schacc.example/sso',
      'https://login.schacc.example/%23', 'https://login.schacc.example', 'https://login.schacc.example', 'https://login.schacc.example',
      'http://localhost:9000', 'http://localhost:9000', 'https://xn--blbr-roah.no', 'https://xn--blbr-roa1a.no', 'https://login.schacc.example',
      'https://login.schacc.example', // :443/
      'https://login.schacc.example/' + 'a'.repeat(2000),
    ]);
  });

  test('the URL rules agree on SPiD.init\'s other options (redirect_uri, timeout, sessionDomain) and on client ids', async () => {
    await open('bare.html');
    const { options, ids } = await page.evaluate(async ({ OUTCOME, host }) => {
      eval(OUTCOME);
      const sdk = await import('/pkg/index.js');
      const base = { clientId: 'abc123', server: `http://${host}` };
      const OPTIONS = [
        ['redirect_uri', 'redirectUri', ['https://news.example/', 'javascript:alert(1)', '//evil.example', 'https://u:p@news.example/', 'https://news.example/\n', '\ud800']],
        ['timeout', 'timeout', [1, 300000, 4999.5, 0, -1, 300001, NaN, Infinity, '5000', true, null]],
        ['sessionDomain', 'sessionDomain', ['https://id.news.example', 'http://127.0.0.1:9001/', 'http://id.news.example', 'https://id.news.example/?q',
          'https://id.news.example/#', '/session', 'https://u:p@id.news.example', true, 42, null]],
      ];
      const options = [];
      for (const [spid2Name, moduleName, values] of OPTIONS) {
        for (const value of values) {
          const module = await outcome(async () => (await sdk.createClient({ ...base, crossTab: false, [moduleName]: value })).destroy());
          const spid2 = await outcome(() => void SPiD.init({ client_id: 'abc123', server: host, https: false, [spid2Name]: value }));
          options.push([spid2Name, String(value), module, spid2]);
        }
      }
      const ids = [];
      for (const id of ['abc123', 'e2e-client', 'a'.repeat(256), 'a'.repeat(257), 'é'.repeat(128), 'é'.repeat(129), 'a b', ' a', 'a\t', 'a\n',
        'a\u0000', 'a\u200b', 'a\u202e', 'a\ufeff', 'a\u00a0', 'a\u3000', 'a\ufffd', 'a\ud800', 'a\udc00', '😀', 'a&b=c#d', 'a/b?c', 'ab\\c']) {
        const module = await outcome(async () => (await sdk.createClient({ ...base, clientId: id, crossTab: false })).destroy());
        const init = await outcome(() => void SPiD_Uri.init({ client_id: id, server: host, https: false }));
        SPiD_Uri.init({ client_id: 'abc123', server: host, https: false });
        const argument = await outcome(() => void SPiD_Uri.logout('https://news.example/', id));
        ids.push([id, module, init, argument]);
      }
      return { options, ids };
    }, { OUTCOME, host });
    for (const [name, value, module, spid2] of options) {
      assert.deepEqual(spid2, module, `${name}: ${value}`);
      if (module.error) assert.equal(module.error, 'SdkError invalid_config');
    }
    assert.equal(options.filter(([, , module]) => module.error).length, 19);
    for (const [id, module, init, argument] of ids) {
      assert.deepEqual(init, module, JSON.stringify(id));
      assert.deepEqual(argument, module.error ? { error: 'SdkError invalid_argument' } : module, JSON.stringify(id));
    }
    assert.equal(ids.filter(([, module]) => module.error).length, 15);
    await page.waitForTimeout(100);
  });

  test('the redirect URI default: SPiD_Uri.logout() is client.logoutUrl({ redirectUri: location.href }), or invalid_argument where the page\'s own URL breaks the rules', async () => {
    await open('bare.html');
    const rows = await page.evaluate(async ({ OUTCOME, host }) => {
      eval(OUTCOME);
      const sdk = await import('/pkg/index.js');
      const client = await sdk.createClient({ clientId: 'abc123', server: `http://${host}`, crossTab: false });
      SPiD_Uri.init({ client_id: 'abc123', server: host, https: false });
      const rows = [];
      for (const at of [location.pathname, '?q=a b&x=%0a', '#frag ment', '/tests/e2e/pages/spid2/bare.html?q=æ😀#ø', '?' + 'a'.repeat(2100), '?u=https://user:pass@evil.example/']) {
        history.replaceState(null, '', at);
        rows.push([location.href, await outcome(() => client.logoutUrl({ redirectUri: location.href })), await outcome(() => SPiD_Uri.logout()),
          await outcome(() => SPiD_Uri.logout(''))]); // 2.x: an empty redirect_uri means the default
      }
      client.destroy();
      return rows;
    }, { OUTCOME, host });
    for (const [href, module, spid2, empty] of rows) {
      assert.deepEqual(spid2, module, href.slice(0, 80));
      assert.deepEqual(empty, module, href.slice(0, 80));
    }
    assert.deepEqual(rows.map(([, module]) => module.error ?? 'ok'), ['ok', 'ok', 'ok', 'ok', 'SdkError invalid_argument', 'ok']);
    // A page whose own URL is not http(s) (here about:blank) gets invalid_argument rather than a link back to it.
    await page.goto('about:blank');
    await page.addScriptTag({ content: readFileSync(join(root, 'pkg/global.js'), 'utf8') });
    const fromBlank = await page.evaluate(() => {
      SPiD_Uri.init({ client_id: 'abc123', server: 'login.schacc.example' });
      try {
        return SPiD_Uri.logout();
      } catch (error) {
        return `${error.name} ${error.code}`;
      }
    });
    assert.equal(fromBlank, 'SdkError invalid_argument');
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
