// `npm start`'s demo, as a person would use it, in Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { launch, root } from './harness.mjs';

let demo;
let demoUrl;
let schaccUrl;
let browser;

before(async () => {
  demo = spawn('node', ['scripts/start.mjs'], { cwd: root, env: { ...process.env, DEMO_PORT: '0', SCHACC_PORT: '0' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: demo.stdout });
  demoUrl = await new Promise((resolve, reject) => {
    demo.once('exit', (code) => reject(new Error(`start.mjs exited with ${code}`)));
    lines.on('line', (line) => {
      const open = line.match(/^Open (\S+)/);
      if (open) resolve(open[1]);
    });
  });
  schaccUrl = new URL(demoUrl).searchParams.get('server');
  browser = await launch({ thirdPartyCookies: 'allow' });
});

after(async () => {
  await browser?.close();
  demo?.kill();
});

async function openDemo(url) {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  return { page, consoleErrors };
}

test('the demo loads the wasm package, initialises the SDK and logs no console error', async () => {
  const returnTo = encodeURIComponent(demoUrl);
  const { page, consoleErrors } = await openDemo(`${schaccUrl}/__emulator/login?user_id=1001&return_to=${returnTo}`);
  assert.match(await page.textContent('#who'), /Logged in as .* \(userId 1001\)/);
  assert.deepEqual(consoleErrors, []);
  const log = await page.locator('#log li').allTextContents();
  assert.ok(log.some((line) => line.includes('SPiD.login')), log.join('\n'));
  await page.screenshot({ path: `${root}/target/demo-logged-in.png` });
  await page.close();
});

test('the JS SDK logout button logs out and the event log shows the three events with payloads', async () => {
  const { page } = await openDemo(`${schaccUrl}/__emulator/login?user_id=1001&return_to=${encodeURIComponent(demoUrl)}`);
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
