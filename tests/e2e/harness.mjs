// Shared set-up for the browser end-to-end tests: the emulator as a real
// process, a static server for pages on another site, and Debian's Chromium
// with third-party cookies allowed or blocked.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../scripts/static-server.mjs';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const emulatorBinary = process.env.SCHACC_EMULATOR_BIN ?? join(root, 'target/debug/schacc-emulator');
export const CLIENT_ID = 'e2e-client';

/**
 * Token hygiene records (see hygiene.mjs): with SCHACC_HYGIENE_DIR set, every
 * token `token()` issues, every request a browser from `launch()` makes (URL,
 * all headers incl. Referer, body) and every console message and page error of
 * its pages are appended as JSON lines to one file per process in that directory.
 */
export const hygieneFile = process.env.SCHACC_HYGIENE_DIR
  ? join(process.env.SCHACC_HYGIENE_DIR, `hygiene-${process.pid}-${Date.now()}.jsonl`)
  : null;
if (hygieneFile) mkdirSync(process.env.SCHACC_HYGIENE_DIR, { recursive: true });

/** Appends one hygiene record (no-op unless SCHACC_HYGIENE_DIR is set). */
export function recordHygiene(record) {
  if (!hygieneFile) return;
  appendFileSync(hygieneFile, JSON.stringify({ ...record, file: process.argv[1] ?? null }) + '\n');
}

/** Records every request, navigation, console message and page error of `context`. */
function recordContext(context) {
  if (!hygieneFile) return;
  context.on('request', (request) => {
    const base = { kind: 'request', url: request.url(), method: request.method(), postData: request.postData() ?? null };
    recordHygiene({ ...base, headers: request.headers() });
    // allHeaders() adds what headers() leaves out (cookies, some set by the network stack).
    request.allHeaders().then((headers) => recordHygiene({ ...base, headers }), () => {});
  });
  const watch = (page) => {
    page.on('console', (message) => recordHygiene({ kind: 'console', type: message.type(), text: message.text(), page: page.url() }));
    page.on('pageerror', (error) => recordHygiene({ kind: 'console', type: 'pageerror', text: String(error?.stack ?? error), page: page.url() }));
    page.on('framenavigated', (frame) => recordHygiene({ kind: 'navigation', url: frame.url() }));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
}
export const OTHER_CLIENT_ID = 'other-client';

/** Starts the emulator on a free port; resolves with { url, origin, stop, state, fault, ... }. */
export async function startEmulator(args) {
  const child = spawn(emulatorBinary, ['--listen', '127.0.0.1:0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    lines.once('line', resolve);
  });
  const match = first.match(/listening on (https?):\/\/127\.0\.0\.1:(\d+)/);
  if (!match) throw new Error(`unexpected emulator output: ${first}`);
  lines.on('line', () => {});
  // SchAcc on "localhost", pages on "127.0.0.1": two different sites.
  const url = `${match[1]}://localhost:${match[2]}`;
  // With --tls the certificate is self-signed and made at start: the test's own
  // calls skip its check (a fetch subset over node:https: method, headers, string body).
  const { request: httpsRequest } = await import('node:https');
  const insecureFetch = (target, { method = 'GET', headers = {}, body } = {}) => new Promise((resolve, reject) => {
    const req = httpsRequest(target, { method, headers, rejectUnauthorized: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode;
        const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        const flat = Object.entries(res.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));
        resolve(new Response(payload, { status, headers: flat }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  const direct = match[1] === 'https' ? insecureFetch : fetch;
  const control = (path, init) => direct(`${match[1]}://127.0.0.1:${match[2]}/__emulator/${path}`, init);
  return {
    url,
    port: Number(match[2]),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async state() {
      return (await control('state')).json();
    },
    async reset() {
      await control('reset', { method: 'POST' });
    },
    async fault(spec) {
      const response = await control('fault', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
      if (!response.ok) throw new Error(`fault refused: ${response.status}`);
    },
    async clearFaults() {
      await control('fault', { method: 'DELETE' });
    },
    async token(userId = 1001, clientId = CLIENT_ID) {
      const issued = await (await control(`token?user_id=${userId}&client_id=${encodeURIComponent(clientId)}`, { method: 'POST' })).json();
      recordHygiene({ kind: 'token', emulator: url, access_token: issued.access_token ?? null, refresh_token: issued.refresh_token ?? null });
      return issued;
    },
    async me(token) {
      return direct(`${match[1]}://127.0.0.1:${match[2]}/api/2/me`, { headers: { authorization: `Bearer ${token}` } });
    },
    loginUrl(returnTo, userId = 1001) {
      return `${url}/__emulator/login?user_id=${userId}&return_to=${encodeURIComponent(returnTo)}`;
    },
  };
}

/**
 * The page server (127.0.0.1, plain HTTP) and an emulator that registers its
 * pages. `{ tls: true }` serves SchAcc over HTTPS (https://localhost:Q).
 */
export async function startWorld({ tls = false } = {}) {
  const pages = await serveStatic({ root, mounts: {} });
  const emulator = await startEmulator([
    ...(tls ? ['--tls'] : []),
    '--client', CLIENT_ID,
    '--redirect-uri', `${pages.origin}/tests/e2e/pages/landing.html`,
    '--redirect-uri', `${pages.origin}/tests/e2e/pages/sdk.html`,
    '--client', OTHER_CLIENT_ID,
    '--redirect-uri', 'http://127.0.0.1:1/unused',
  ]);
  return {
    pages,
    emulator,
    sdkPage: `${pages.origin}/tests/e2e/pages/sdk.html`,
    landingPage: `${pages.origin}/tests/e2e/pages/landing.html`,
    async stop() {
      await emulator.stop();
      await new Promise((resolve) => pages.server.close(resolve));
      pages.server.closeAllConnections?.();
    },
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/**
 * Debian's Chromium on a fresh profile. `thirdPartyCookies: 'allow'` is a
 * normal browser; 'block' behaves like Safari's ITP for our cookie.
 */
export async function launch({ thirdPartyCookies = 'allow', userAgent, backForwardCache = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'schacc-e2e-'));
  mkdirSync(join(dir, 'Default'));
  const mode = thirdPartyCookies === 'allow' ? 0 : 1;
  writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: mode } }));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    userAgent,
    // Playwright turns the back/forward cache off unless asked not to.
    ignoreDefaultArgs: backForwardCache ? ['--disable-back-forward-cache'] : [],
  });
  recordContext(context);
  const closeContext = context.close.bind(context);
  context.close = async () => {
    await closeContext();
    rmSync(dir, { recursive: true, force: true });
  };
  return context;
}

/** Opens the SDK test page; collects console errors and page errors in `page.problems`. */
export async function openSdkPage(context, world, { login = false, userId = 1001 } = {}) {
  const page = await context.newPage();
  page.problems = [];
  page.networkErrors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser's own log line for a 4xx/5xx answer (hasSession's 401 is the protocol's "logged out").
    if (message.text().startsWith('Failed to load resource')) page.networkErrors.push(message.text());
    else page.problems.push(message.text());
  });
  page.on('pageerror', (error) => page.problems.push(String(error)));
  await page.goto(login ? world.emulator.loginUrl(world.sdkPage, userId) : world.sdkPage);
  await page.waitForFunction(() => window.sdkReady === true);
  return page;
}

/** Creates `window.client` on the page (events recorded in `window.events`). */
export async function createClient(page, world, options = {}) {
  return page.evaluate(
    (options) => window.makeClient(options),
    { clientId: CLIENT_ID, server: world.emulator.url, ...options },
  );
}

/** What every logout fires, in this order. */
export const LOGOUT_EVENTS = ['SPiD.logout', 'SPiD.statusChange', 'SPiD.sessionChange'];

/**
 * Registers node:test hooks that start the world and a browser for the calling
 * suite and stop them after it; `ready(world, browser)` receives them.
 */
export function withWorldAndBrowser(launchOptions, ready) {
  let world;
  let browser;
  before(async () => {
    world = await startWorld();
    browser = await launch(launchOptions);
    ready(world, browser);
  });
  after(async () => {
    await browser?.close();
    await world?.stop();
  });
}

export const events = (page) => page.evaluate(() => window.events.map((event) => event.name));
