// The emulator's dev login is no login CSRF, in Chromium with third-party cookies allowed (the
// worst case: SchAcc's SameSite=None cookie goes along with every cross-site request). A victim is
// logged in at both doors (SchAcc on localhost, the session service on 127.0.0.1); a page on
// another site (127.0.0.2, neither of them) embeds, fetches, frames, posts and links the dev login
// of both doors, and hands the victim the attacker's own hand-over codes. Every one of those
// requests reaches the emulator, none sets a session cookie, the victim's session survives at both
// doors and the browser is never logged in as the attacker; the attacker's code still works for
// the attacker (a refusal uses nothing up).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { CLIENT_ID, launch, startWorld } from './harness.mjs';

const ATTACKER = 666;
let world;
let browser;
let evil;

/** The attacker's site: http://127.0.0.2:E, serving the HTML registered with `page(path, html)`. */
async function attackerSite() {
  const pages = new Map();
  const server = createServer((request, response) => {
    const html = pages.get(new URL(request.url, 'http://x').pathname);
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html ?? 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.2', resolve));
  const origin = `http://127.0.0.2:${server.address().port}`;
  return {
    origin,
    server,
    page(path, html) {
      pages.set(path, `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${html}`);
      return `${origin}${path}`;
    },
  };
}

before(async () => {
  world = await startWorld({ sessionService: true });
  browser = await launch({ thirdPartyCookies: 'allow' });
  evil = await attackerSite();
});

after(async () => {
  await browser?.close();
  await world?.stop();
  evil?.server.close();
});

// ---- the attacker's own requests, from Node (a browser of theirs would do the same) ----------

/** Node reaches SchAcc as 127.0.0.1 (it may resolve "localhost" to ::1, where nothing listens). */
const direct = (url) => url.replace('//localhost:', '//127.0.0.1:');
const cookieOf = (response, name) => response.headers.getSetCookie()
  .map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1) ?? null;

/** The attacker logs in at `door` (a JSON login from a registered origin): their cookie and the other door's adopt URL. */
async function attackerLogin(door, cookieName) {
  const response = await fetch(direct(`${door}/__emulator/login?user_id=${ATTACKER}&format=json`), {
    method: 'POST', headers: { origin: world.pages.origin },
  });
  assert.equal(response.status, 200, await response.clone().text());
  return { cookie: cookieOf(response, cookieName), adopt: (await response.json()).adopt };
}

/** The attacker claims and confirms their code in their own "browser": the nonce cookie that uses it up. */
async function attackerClaims({ cookie, adopt }) {
  const claim = await fetch(direct(adopt), { redirect: 'manual' });
  assert.equal(claim.status, 303);
  const nonce = cookieOf(claim, 'schacc_adopt_nonce');
  const confirm = await fetch(direct(claim.headers.get('location')), { redirect: 'manual', headers: { cookie } });
  assert.equal(confirm.status, 303);
  return nonce;
}

// ---- the test ----------------------------------------------------------------------------------

test('no page of another site can log the browser in through the dev login or end its session', async () => {
  const schacc = world.emulator.url;
  const service = world.sessionUrl;
  const page = await browser.newPage();
  await page.goto(world.emulator.loginUrl(world.sdkPage));
  assert.equal(page.url(), world.sdkPage);
  const sessionCookies = async () => Object.fromEntries((await browser.cookies())
    .filter((c) => c.name === 'schacc_session' || c.name === 'schacc_site_session').map((c) => [c.name, c.value]));
  const victim = await sessionCookies();
  assert.ok(victim.schacc_session, 'the victim is logged in at SchAcc');
  assert.equal(victim.schacc_site_session, victim.schacc_session, 'and at the service: one session');

  // The attacker's codes: one claimed and confirmed by the attacker (for the service's door),
  // two fresh ones (one for each door).
  const confirmed = await attackerLogin(schacc, 'schacc_session');
  const nonce = await attackerClaims(confirmed);
  const freshForService = await attackerLogin(schacc, 'schacc_session');
  const freshForSchAcc = await attackerLogin(service, 'schacc_site_session');
  const attackerLogins = 3;

  // Every request of the attacker's page to the emulator: its answer's status (or "blocked": the
  // browser withheld an answer from the page, e.g. JSON for an image) and the cookies it set.
  const traffic = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (!path.startsWith('/__emulator/')) return;
    traffic.push(request.response().then(async (response) => {
      const failure = request.failure()?.errorText ?? 'no answer';
      const status = response ? response.status() : /BLOCKED/.test(failure) ? 'blocked' : failure;
      const setCookie = response ? (await response.allHeaders())['set-cookie'] ?? '' : '';
      return { what: `${request.method()} ${path} ${status}`, setCookie };
    }));
  });

  // 1. The page itself: images, fetches without CORS (GET and POST), a frame.
  const login = (door) => `${door}/__emulator/login?user_id=${ATTACKER}&format=json`;
  const subresources = evil.page('/page.html', `
    <img src="${login(schacc)}"><img src="${login(service)}"><img src="${confirmed.adopt}">
    <iframe src="${schacc}/__emulator/login?user_id=${ATTACKER}"></iframe>
    <script>
      window.done = Promise.allSettled(${JSON.stringify([login(schacc), login(service)])}.flatMap((url) => [
        fetch(url, { mode: 'no-cors', credentials: 'include' }),
        fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include' }),
        fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', body: new URLSearchParams({ user_id: '${ATTACKER}' }) }),
      ]));
    </script>`);
  await page.goto(subresources);
  await page.evaluate(() => window.done);
  await page.waitForLoadState('load');
  const framed = page.frames().find((frame) => frame !== page.mainFrame());
  assert.equal(await framed.evaluate(() => document.querySelector('form') === null), true, 'the login page is not shown in a frame');

  // 2. Top-level navigations the victim starts on the attacker's page: forms posting the login,
  // links to the login and to the attacker's codes.
  const navigations = [
    ['form', `${schacc}/__emulator/login?user_id=${ATTACKER}&return_to=${encodeURIComponent(world.sdkPage)}`],
    ['form', `${service}/__emulator/login?user_id=${ATTACKER}&return_to=${encodeURIComponent(world.sdkPage)}`],
    ['link', `${schacc}/__emulator/login?user_id=${ATTACKER}&return_to=${encodeURIComponent(world.sdkPage)}`],
    ['link', `${service}/__emulator/login?user_id=${ATTACKER}&format=json`],
    ['link', confirmed.adopt],
    ['link', freshForService.adopt],
    ['link', freshForSchAcc.adopt],
  ];
  for (const [i, [kind, url]] of navigations.entries()) {
    const html = kind === 'form'
      ? `<form method="post" action="${url}"><button id="go">Win a prize</button></form>`
      : `<a id="go" href="${url}">Win a prize</a>`;
    await page.goto(evil.page(`/nav-${i}.html`, html));
    await page.click('#go');
    await page.waitForURL((at) => at.origin !== evil.origin);
  }
  await page.goto(world.sdkPage);
  const seen = await Promise.all(traffic);

  // Every request reached the emulator, which refused it or changed nothing. (Chromium withholds
  // the answers to the images — the login page, the adopt's 403 — from the page: "blocked".)
  const times = (n, what) => Array(n).fill(what);
  const unblocked = (what) => what.replace('login blocked', 'login 200').replace('adopt blocked', 'adopt 403');
  assert.deepEqual(seen.map((s) => unblocked(s.what)).sort(), [
    ...times(2, 'GET /__emulator/adopt 303'), // a fresh code claimed by the victim's browser …
    ...times(2, 'GET /__emulator/adopt 403'), // the attacker's claimed code: image, link
    ...times(2, 'GET /__emulator/confirm 403'), // … is not confirmed: the victim did not make that login
    ...times(7, 'GET /__emulator/login 200'), // images, fetches, frame, links: the page with the button
    ...times(6, 'POST /__emulator/login 403'), // fetches and forms from another origin
  ]);
  const sessionSet = seen.filter((s) => /(^|\n)schacc_(site_)?session=[^;]/.test(s.setCookie));
  assert.deepEqual(sessionSet, [], 'no answer set a session cookie');
  assert.deepEqual(await sessionCookies(), victim, "the browser still holds the victim's session at both doors");

  // The victim's session is alive at both doors, and still the victim's.
  const atSchAcc = await world.emulator.schaccHasSession(victim.schacc_session);
  assert.equal(atSchAcc.body.userId, 1001);
  const atService = await (await fetch(`${service}/v2/session?client_id=${CLIENT_ID}`, {
    headers: { cookie: `schacc_site_session=${victim.schacc_site_session}` },
  })).json();
  assert.equal(atService.userId, 1001);
  const { sessions } = await world.emulator.state();
  assert.equal(sessions.filter((s) => s.userId === ATTACKER).length, attackerLogins, 'no login but the attacker\'s own');

  // Nothing was used up: the attacker's own browser still adopts the confirmed code.
  const adopted = await fetch(direct(confirmed.adopt), { redirect: 'manual', headers: { cookie: nonce } });
  assert.equal(adopted.status, 200);
  assert.ok(cookieOf(adopted, 'schacc_site_session'));
  await page.close();
});
