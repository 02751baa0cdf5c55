// Shared set-up for the browser end-to-end tests: the emulator as a real
// process, a static server for pages on another site, and Debian's Chromium
// with third-party cookies allowed or blocked.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { buildEmulator } from '../../scripts/emulator.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
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

/**
 * Starts the emulator on a free port; resolves with { url, origin, stop, state, fault, ... }. Builds it first
 * (scripts/emulator.mjs: `npm run build` builds only the SDK).
 * `{ sessionService: true }` also starts the site's first-party session service
 * (`--session-listen 127.0.0.1:0`) and adds `sessionUrl` (its printed URL,
 * `http(s)://127.0.0.1:S`), `sessionPort` and `sessionLoginUrl()`. Without it the
 * session service stays off even if SCHACC_SESSION_LISTEN is set in the environment,
 * so existing callers see the emulator they always had.
 * `{ loginPage }` is the site's page that posts the dev login (pages/login.html on a
 * registered origin, as startWorld passes it): `loginUrl()` and `sessionLoginUrl()` need it.
 */
export async function startEmulator(args, { sessionService = false, loginPage = null } = {}) {
  const env = { ...process.env };
  delete env.SCHACC_SESSION_LISTEN;
  const child = spawn(buildEmulator(), [
    '--listen', '127.0.0.1:0', '--quiet',
    ...(sessionService ? ['--session-listen', '127.0.0.1:0'] : []),
    ...args,
  ], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const lines = createInterface({ input: child.stdout });
  // The banner's first lines are read in order; the rest of stdout is drained and dropped.
  const waiting = [];
  const buffered = [];
  let reading = true;
  lines.on('line', (line) => {
    if (!reading) return;
    if (waiting.length) waiting.shift()(line);
    else buffered.push(line);
  });
  const nextLine = () => new Promise((resolve) => (buffered.length ? resolve(buffered.shift()) : waiting.push(resolve)));
  const failed = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  failed.catch(() => {});
  const first = await Promise.race([nextLine(), failed]);
  const match = first.match(/listening on (https?):\/\/127\.0\.0\.1:(\d+)/);
  if (!match) throw new Error(`unexpected emulator output: ${first}`);
  let session = null;
  if (sessionService) {
    // The second stdout line, right after the first (docs/PROTOCOL.md, CLI).
    const second = await Promise.race([nextLine(), failed]);
    session = second.match(/^session service listening on ((https?):\/\/127\.0\.0\.1:(\d+))$/);
    if (!session) throw new Error(`unexpected emulator output (second line): ${second}`);
  }
  reading = false;
  buffered.length = 0;
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
  // A GET logs nobody in: the login is a POST from a registered origin, so a URL to navigate to
  // is the site's login page, which posts it to `door` at once (docs/PROTOCOL.md, dev controls).
  const viaLoginPage = (door, returnTo, userId) => {
    if (!loginPage) throw new Error('loginUrl() needs the site\'s login page: use startWorld()');
    const login = `${door}/__emulator/login?user_id=${userId}&return_to=${encodeURIComponent(returnTo)}`;
    return `${loginPage}?to=${encodeURIComponent(login)}`;
  };
  return {
    url,
    port: Number(match[2]),
    sessionUrl: session?.[1] ?? null,
    sessionPort: session ? Number(session[3]) : null,
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
    /** The session service answers its next `times` session requests with `{"redirectURL": to}` (default /v2/refresh). */
    async sessionRenewal({ times = 1, to } = {}) {
      const query = new URLSearchParams({ times: String(times), ...(to ? { to } : {}) });
      const response = await control(`session-renewal?${query}`, { method: 'POST' });
      if (!response.ok) throw new Error(`session-renewal refused: ${response.status}`);
    },
    async token(userId = 1001, clientId = CLIENT_ID) {
      const issued = await (await control(`token?user_id=${userId}&client_id=${encodeURIComponent(clientId)}`, { method: 'POST' })).json();
      recordHygiene({ kind: 'token', emulator: url, access_token: issued.access_token ?? null, refresh_token: issued.refresh_token ?? null });
      return issued;
    },
    async me(token) {
      return direct(`${match[1]}://127.0.0.1:${match[2]}/api/2/me`, { headers: { authorization: `Bearer ${token}` } });
    },
    /** Navigate here to log `userId` in at SchAcc (and, with the session service, there too) and land on `returnTo`. */
    loginUrl(returnTo, userId = 1001) {
      return viaLoginPage(url, returnTo, userId);
    },
    /** The session service's own dev login (sets its cookie, then SchAcc's through the hand-over). */
    sessionLoginUrl(returnTo, userId = 1001) {
      if (!session) throw new Error('the emulator was started without the session service');
      return viaLoginPage(session[1], returnTo, userId);
    },
    /**
     * SchAcc's own answer to `GET /ajax/hasSession.json`, asked from the test with the
     * SchAcc cookie value `sessionCookie` (as the browser holds it): { status, body }.
     */
    async schaccHasSession(sessionCookie, clientId = CLIENT_ID) {
      const response = await direct(`${match[1]}://127.0.0.1:${match[2]}/ajax/hasSession.json?client_id=${encodeURIComponent(clientId)}`, {
        headers: { cookie: `schacc_session=${sessionCookie}` },
      });
      return { status: response.status, body: await response.json() };
    },
  };
}

/**
 * A throw-away self-signed certificate for 127.0.0.1 and localhost (PEM
 * { key, cert }), made with the openssl command line (Debian's `openssl`, which
 * `ca-certificates` depends on), for the test pages served over HTTPS.
 */
export function selfSignedCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'schacc-cert-'));
  try {
    const result = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      throw new Error(`openssl could not make a test certificate (apt-get install openssl): ${result.error?.message ?? result.stderr}`);
    }
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The page server (127.0.0.1, plain HTTP) and an emulator that registers its
 * pages. `{ tls: true }` serves SchAcc over HTTPS (https://localhost:Q).
 *
 * `{ sessionService: true }` also starts the site's first-party session service
 * (`world.sessionUrl`). The arrangement, in every engine, is
 *
 *   page             http(s)://127.0.0.1:P    the site
 *   session service  http(s)://127.0.0.1:S    the same site (a site ignores ports)
 *   SchAcc           http(s)://localhost:Q    another site
 *
 * with ONE scheme for all three: SameSite is schemeful (Chromium; the HTML
 * standard's "same site" compares schemes), so an http page and an https service
 * would be cross-site and the service's `SameSite=Lax` cookie would stay home.
 * With `tls` (WebKit stores `Secure` cookies only over HTTPS, and SchAcc's cookie
 * is `SameSite=None; Secure`) the emulator serves both listeners over HTTPS, so the
 * pages are served over HTTPS too, with a self-signed certificate (which the
 * WebDriver sessions accept: `acceptInsecureCerts`). Without `tls` (Chromium,
 * Firefox: both keep a `Secure` cookie from http://localhost) all three are http.
 * Loopback names rather than real-looking ones (www.news.test / id.news.test /
 * login.schacc.test) because WebKit and Firefox have no host-resolver flag, and
 * one arrangement for all three engines keeps the tests comparable; the SDK
 * allows plain http for these hosts only (`localhost`, `127.0.0.1`).
 */
export async function startWorld({ tls = false, sessionService = false } = {}) {
  const pagesTls = tls && sessionService ? selfSignedCertificate() : null;
  const pages = await serveStatic({ root, mounts: {}, tls: pagesTls });
  const emulator = await startEmulator([
    ...(tls ? ['--tls'] : []),
    '--client', CLIENT_ID,
    '--redirect-uri', `${pages.origin}/tests/e2e/pages/landing.html`,
    '--redirect-uri', `${pages.origin}/tests/e2e/pages/sdk.html`,
    // account-sdk-browser's page (session-service-official.test.mjs), where its logout comes back.
    '--redirect-uri', `${pages.origin}/tests/e2e/pages/official.html`,
    '--client', OTHER_CLIENT_ID,
    '--redirect-uri', 'http://127.0.0.1:1/unused',
  ], { sessionService, loginPage: `${pages.origin}/tests/e2e/pages/login.html` });
  return {
    pages,
    emulator,
    sessionUrl: emulator.sessionUrl,
    sdkPage: `${pages.origin}/tests/e2e/pages/sdk.html`,
    landingPage: `${pages.origin}/tests/e2e/pages/landing.html`,
    async stop() {
      await emulator.stop();
      await new Promise((resolve) => pages.server.close(resolve));
      pages.server.closeAllConnections?.();
    },
  };
}

/**
 * Bundles account-sdk-browser's `Identity` from npm, unmodified, into target/e2e/account-sdk-browser.js
 * (`window.Identity`), which tests/e2e/pages/official.html loads: the official client as the oracle
 * (session-service-official.test.mjs) and the peer of `npm run bench`'s request counts.
 */
export function bundleOfficialClient() {
  const dir = join(root, 'target/e2e');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'account-sdk-browser-entry.mjs'), "import { Identity } from '@schibsted/account-sdk-browser';\nwindow.Identity = Identity;\n");
  execFileSync(join(root, 'node_modules/.bin/esbuild'), [
    join(dir, 'account-sdk-browser-entry.mjs'), '--bundle', '--format=iife', '--log-level=warning',
    `--outfile=${join(dir, 'account-sdk-browser.js')}`,
  ], { cwd: root, stdio: 'inherit' });
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

/**
 * Creates `window.client` on the page (events recorded in `window.events`). Without the session cache
 * (`cacheTtl: 0`) unless `options` says otherwise: the tests written before it count a request per
 * `hasSession()`; tests/e2e/cache.test.mjs tests the cache as the SDK's default has it.
 */
export async function createClient(page, world, options = {}) {
  return page.evaluate(
    (options) => window.makeClient(options),
    { clientId: CLIENT_ID, server: world.emulator.url, cacheTtl: 0, ...options },
  );
}

/** What every logout fires, in this order. */
export const LOGOUT_EVENTS = ['SPiD.logout', 'SPiD.statusChange', 'SPiD.sessionChange'];

/**
 * Registers node:test hooks that start the world (`startWorld(worldOptions)`) and a browser for the calling
 * suite and stop them after it; `ready(world, browser)` receives them.
 */
export function withWorldAndBrowser(launchOptions, ready, worldOptions) {
  let world;
  let browser;
  before(async () => {
    world = await startWorld(worldOptions);
    browser = await launch(launchOptions);
    ready(world, browser);
  });
  after(async () => {
    await browser?.close();
    await world?.stop();
  });
}

/**
 * Moves the page's clock (`Date.now`, which the SDK reads) `ms` ahead, for the once-a-minute rules such as the
 * re-check when a page comes back.
 */
export const moveClock = (page, ms) => page.evaluate((ms) => {
  const now = Date.now.bind(Date);
  Date.now = () => now() + ms;
}, ms);

/**
 * A blank slate for the next test: no session at the emulator, no cookie, no page but one blank tab (with none,
 * Chromium ends the browsing session and drops session cookies), the pages' localStorage cleared (the session
 * cache, the renewal guard).
 */
export async function blankSlate(world, browser) {
  await world.emulator.reset();
  await browser.clearCookies();
  for (const page of browser.pages()) await page.close();
  await browser.newPage();
  await clearLocalStorage(browser, world.pages.origin);
}

/** Clears `origin`'s localStorage in `browser` (SPiD 2.x's session cache lives there, across tests too). */
export async function clearLocalStorage(browser, origin) {
  const blank = await browser.newPage();
  await blank.goto(`${origin}/tests/e2e/pages/login.html`);
  await blank.evaluate(() => localStorage.clear());
  await blank.close();
}

export const events = (page) => page.evaluate(() => window.events.map((event) => event.name));

/**
 * After a logout the session service confirmed, in any engine: one POST to the service with its cookie,
 * answered 200; no SchAcc fetch and no redirect flow; and the session gone at both doors (SchAcc, asked with the
 * browser's own SchAcc cookie, answers 401 UserException).
 */
export async function assertLoggedOutAtBothDoors(emulator, schaccCookie) {
  const { requests, sessions } = await emulator.state();
  const at = (path) => requests.filter((r) => r.path === path);
  const [posted] = at('/v2/logout');
  assert.equal(posted.method, 'POST');
  assert.equal(posted.cookie, true);
  assert.equal(posted.status, 200);
  assert.deepEqual(at('/ajax/logout.json'), [], 'no SchAcc fetch');
  assert.deepEqual(at('/logout'), [], 'no redirect flow');
  assert.deepEqual(sessions, [], 'one session, two doors: gone');
  const schacc = await emulator.schaccHasSession(schaccCookie);
  assert.equal(schacc.status, 401, 'SchAcc, asked with its own cookie, has no session');
  assert.equal(schacc.body.error.type, 'UserException');
  return posted;
}
