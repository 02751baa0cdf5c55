// Load through the SDK: one page, one client, 1,000 log-in/logout cycles in
// Chromium against the emulator (page on 127.0.0.1, SchAcc on localhost).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGOUT_EVENTS, createClient, openSdkPage, withWorldAndBrowser } from './harness.mjs';

const CYCLES = 1000;
const THREE = LOGOUT_EVENTS;

let world;
let browser;
withWorldAndBrowser({ thirdPartyCookies: 'allow' }, (w, b) => ([world, browser] = [w, b]));

test(`${CYCLES} log-in/logout cycles: each fires exactly logout, statusChange, sessionChange with the logged-out session`, async () => {
  const page = await openSdkPage(browser, world);
  await createClient(page, world);
  const started = Date.now();
  const report = await page.evaluate(async ({ server, cycles }) => {
    const bad = [];
    for (let n = 1; n <= cycles; n += 1) {
      window.events.length = 0;
      // The controls answer `Access-Control-Allow-Origin: *`, which a credentialed
      // CORS fetch may not read: no-cors, the cookie is set all the same.
      await fetch(`${server}/__emulator/login?user_id=${n}&format=json`, { method: 'POST', credentials: 'include', mode: 'no-cors' });
      const session = await window.client.logout();
      const names = window.events.map((e) => e.name);
      const payloadsOk = window.events.every((e) => e.payload.result === false && e.payload.userStatus === 'notConnected' && e.payload.userId === null);
      const ok = names.join() === 'SPiD.logout,SPiD.statusChange,SPiD.sessionChange' && payloadsOk
        && session.result === false && session.userStatus === 'notConnected' && session.userId === null
        && window.client.session.userStatus === 'notConnected';
      if (!ok && bad.length < 5) bad.push({ n, names, session });
    }
    sessionStorage.removeItem('events');
    return { bad };
  }, { server: world.emulator.url, cycles: CYCLES });
  const seconds = (Date.now() - started) / 1000;
  console.log(`load: ${CYCLES} cycles through the SDK in ${seconds.toFixed(1)} s`);
  assert.deepEqual(report.bad, [], 'every cycle fired exactly the three events with the logged-out session');
  const state = await world.emulator.state();
  assert.deepEqual(state.sessions, [], 'the emulator has no session at the end');
  const logouts = state.requests.filter((r) => r.path === '/ajax/logout.json');
  assert.equal(logouts.length, CYCLES, 'one logout request per cycle');
  assert.ok(logouts.every((r) => r.status === 200 && r.cookie === true), 'each sent the cookie and was answered 200');
  assert.deepEqual(page.problems, []);
  await page.close();
});
