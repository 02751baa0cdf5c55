// `npm start`'s demo, as a person would use it, in Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { launch, root } from './harness.mjs';

let demo;
let demoUrl;
let schaccUrl;
let sessionUrl;
let browser;

before(async () => {
  demo = spawn('node', ['scripts/start.mjs'], { cwd: root, env: { ...process.env, DEMO_PORT: '0', SCHACC_PORT: '0', SESSION_PORT: '0' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: demo.stdout });
  demoUrl = await new Promise((resolve, reject) => {
    demo.once('exit', (code) => reject(new Error(`start.mjs exited with ${code}`)));
    lines.on('line', (line) => {
      const open = line.match(/^Open (\S+)/);
      if (open) resolve(open[1]);
    });
  });
  schaccUrl = new URL(demoUrl).searchParams.get('server');
  sessionUrl = new URL(demoUrl).searchParams.get('session');
  browser = await launch({ thirdPartyCookies: 'allow' });
});

after(async () => {
  await browser?.close();
  demo?.kill();
});

// The emulator's controls, from Node (which may resolve "localhost" to ::1, where it does not listen).
const emulatorState = async () => (await fetch(`${schaccUrl.replace('//localhost:', '//127.0.0.1:')}/__emulator/state`)).json();

async function openDemo(url, on = browser) {
  const page = await on.newPage();
  const consoleErrors = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  return { page, consoleErrors };
}

/** The demo, logged in with one click on its login button (the dev login of the door its mode asks). */
async function openDemoLoggedIn() {
  const opened = await openDemo(demoUrl);
  await opened.page.click('#login');
  await opened.page.waitForSelector('body[data-ready="true"]');
  await opened.page.waitForFunction(() => document.getElementById('who').textContent.startsWith('Logged in as'));
  return opened;
}

test('the demo loads the wasm package, initialises the SDK and logs no console error', async () => {
  const { page, consoleErrors } = await openDemoLoggedIn();
  assert.match(await page.textContent('#who'), /Logged in as .* \(userId 1001\)/);
  assert.deepEqual(consoleErrors, []);
  const log = await page.locator('#log li').allTextContents();
  assert.ok(log.some((line) => line.includes('SPiD.login')), log.join('\n'));
  await page.screenshot({ path: `${root}/target/demo-logged-in.png` });
  await page.close();
});

test('the JS SDK logout button logs out and the event log shows the three events with payloads', async () => {
  const { page } = await openDemoLoggedIn();
  await page.click('#logout');
  await page.waitForFunction(() => document.getElementById('who').textContent.startsWith('Nobody'));
  const log = (await page.locator('#log li').allTextContents()).reverse();
  const names = log.map((line) => line.split(' ')[1]);
  const start = names.indexOf('SPiD.logout');
  assert.deepEqual(names.slice(start, start + 3), ['SPiD.logout', 'SPiD.statusChange', 'SPiD.sessionChange']);
  assert.match(log[start], /^\d\d:\d\d:\d\d\.\d{3} SPiD\.logout \{.*"userStatus":"notConnected".*\}$/);
  await page.screenshot({ path: `${root}/target/demo-logged-out.png` });
  await page.close();
});

test('with third-party cookies blocked, the switch shows the difference; logging in and out through the session service', async () => {
  assert.match(sessionUrl, /^http:\/\/127\.0\.0\.1:\d+$/, 'start.mjs printed the session service');
  const blocked = await launch({ thirdPartyCookies: 'block' });
  try {
    // The first-party session service is the default: a logged-out view asks it and gets a quiet 200.
    const { page, consoleErrors } = await openDemo(demoUrl, blocked);
    assert.equal(await page.isChecked('input[value="service"]'), true);
    assert.match(await page.textContent('#options'), /"sessionDomain": "http:\/\/127\.0\.0\.1:\d+"/);
    assert.equal(await page.textContent('#who'), 'Nobody is logged in, says the session service');
    assert.deepEqual(consoleErrors, []);

    // Its login button posts the session service's dev login (both cookies: one session, two doors).
    assert.ok((await page.getAttribute('#login-form', 'action')).startsWith(`${sessionUrl}/__emulator/login?`));
    assert.equal(await page.getAttribute('#login-form', 'method'), 'post');
    await page.click('#login');
    await page.waitForSelector('body[data-ready="true"]');
    assert.match(await page.textContent('#who'), /^Logged in as Test User 1001 \(userId 1001\), says the session service$/);
    assert.equal((await emulatorState()).sessions.length, 1);

    // SchAcc direct: the third-party cookie is withheld, so the page sees nobody.
    await page.click('input[value="direct"]');
    await page.waitForFunction(() => document.getElementById('outcome').textContent === 'Switch to SchAcc direct: done');
    assert.equal(await page.textContent('#who'), 'Nobody is logged in, says SchAcc, asked directly');
    assert.doesNotMatch(await page.textContent('#options'), /sessionDomain/);
    assert.match(page.url(), /[?&]mode=direct(&|$)/);
    assert.equal((await emulatorState()).sessions.length, 1, 'yet the session is alive');
    assert.deepEqual(consoleErrors, ['Failed to load resource: the server responded with a status of 401 (Unauthorized)'],
      "SchAcc's 401 (logged out, as far as it can see) is the browser's one console line");
    consoleErrors.length = 0;
    await page.screenshot({ path: `${root}/target/demo-direct-blocked.png`, fullPage: true });

    // Back to the session service, and the JS SDK logout: confirmed, the three events, the session gone.
    await page.click('input[value="service"]');
    await page.waitForFunction(() => document.getElementById('who').textContent.startsWith('Logged in as'));
    await page.screenshot({ path: `${root}/target/demo-service-blocked.png`, fullPage: true });
    await page.evaluate(() => (document.getElementById('log').textContent = ''));
    await page.click('#logout');
    await page.waitForFunction(() => document.getElementById('who').textContent.startsWith('Nobody'));
    const names = (await page.locator('#log li').allTextContents()).reverse().map((line) => line.split(' ')[1]);
    assert.deepEqual(names, ['SPiD.logout', 'SPiD.statusChange', 'SPiD.sessionChange']);
    assert.deepEqual((await emulatorState()).sessions, [], 'logged out at SchAcc too');

    // Log out everywhere: confirmed by the session service, no redirect.
    await page.click('#login');
    await page.waitForSelector('body[data-ready="true"]');
    const before = page.url();
    await page.click('#fallback');
    await page.waitForFunction(() => document.getElementById('outcome').textContent.startsWith('Log out everywhere: done'));
    assert.equal(await page.textContent('#outcome'), 'Log out everywhere: done without a redirect (reason: confirmed)');
    assert.equal(page.url(), before);
    assert.deepEqual((await emulatorState()).sessions, []);
    assert.deepEqual(consoleErrors, [], 'the session service answers 200 either way');
    await page.close();
  } finally {
    await blocked.close();
  }
});

test('the SPiD 2.x paywall page (global.js) shows the has-product check: the demo\'s login grants premium', async () => {
  const { page, consoleErrors } = await openDemoLoggedIn();
  await page.click('#paywall');
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent('#who'), 'Logged in as Test User 1001');
  assert.equal(await page.textContent('#product'), 'Yes: has product premium — the whole article.');
  await page.click('#logout');
  await page.waitForFunction(() => document.getElementById('product').textContent.startsWith('Log in'));
  assert.match(await page.textContent('#who'), /^Nobody is logged in \(UserException 401\)/);
  assert.deepEqual(consoleErrors.filter((line) => !/status of 401/.test(line)), []);
  await page.close();
});

test('the "Log in" button of SchAcc\'s login door: /oauth/authorize, one click there, back logged in with the state checked', async () => {
  const { page, consoleErrors } = await openDemo(demoUrl);
  await Promise.all([page.waitForURL((url) => url.pathname === '/oauth/authorize'), page.click('#door')]);
  await Promise.all([
    page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 }),
    page.click('button, input[type=submit]'),
  ]);
  await page.waitForFunction(() => document.getElementById('who').textContent.startsWith('Logged in as'));
  const log = await page.locator('#log li').allTextContents();
  assert.ok(log.some((line) => line.includes('Back from the login door')), log.join('\n'));
  assert.equal(new URL(page.url()).searchParams.has('code'), false, 'the code is dropped from the address bar');
  assert.deepEqual(consoleErrors, []);
  await page.close();
});
