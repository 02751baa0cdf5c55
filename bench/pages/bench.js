// The in-page half of `npm run bench`: scripts/bench.mjs calls these
// functions with page.evaluate and does the statistics in Node.
import * as sdk from '/pkg/index.js';

const EVENTS_OF_A_LOGOUT = ['SPiD.logout', 'SPiD.statusChange', 'SPiD.sessionChange'];
const config = () => JSON.parse(sessionStorage.getItem('bench-config'));
const now = () => performance.now();
let counted = 0;
const count = () => { counted += 1; };

window.sdk = sdk;

/** Bytes of every captured wasm instance's linear memory. */
window.wasmMemory = () => window.__wasmInstances.reduce((sum, instance) => {
  const memory = Object.values(instance.exports).find((value) => value instanceof WebAssembly.Memory);
  return sum + (memory ? memory.buffer.byteLength : 0);
}, 0);
window.wasmInstanceCount = () => window.__wasmInstances.length;

/** Creates `window.client` with a listener on each logout event (as an app would). */
window.makeClient = async () => {
  window.client = await sdk.createClient(config());
  for (const name of EVENTS_OF_A_LOGOUT) window.client.on(name, count);
  return window.client.session;
};

window.setup = async (options) => {
  sessionStorage.setItem('bench-config', JSON.stringify(options));
  return window.makeClient();
};

/** Logs user 1001 in at the emulator: a cross-site POST from this registered origin that sets the third-party cookie. */
const login = () => fetch(`${config().server}/__emulator/login?user_id=1001&format=json`, { method: 'POST', credentials: 'include', mode: 'no-cors', cache: 'no-store' });
window.login = login;

window.logoutCycles = async (n) => {
  for (let i = 0; i < n; i += 1) {
    await login();
    await window.client.logout();
  }
  // A confirmed logout fires 3 events, each counted once by makeClient's listeners.
  return counted;
};

window.createDestroyCycles = async (n) => {
  for (let i = 0; i < n; i += 1) {
    const client = await sdk.createClient(config());
    client.on('SPiD.logout', count);
    client.destroy();
  }
};

/** `client.logout()` vs a raw fetch + json of the same endpoint, alternated, each after a fresh login. */
window.logoutVsFetch = async (n) => {
  const { server, clientId } = config();
  const url = `${server}/ajax/logout.json?client_id=${encodeURIComponent(clientId)}`;
  const ours = [];
  const raw = [];
  const confirmed = { ours: 0, raw: 0 };
  const runOurs = async () => {
    await login();
    const t0 = now();
    await window.client.logout();
    ours.push(now() - t0);
  };
  const runRaw = async () => {
    await login();
    const t0 = now();
    const body = await (await fetch(url, { credentials: 'include' })).json();
    raw.push(now() - t0);
    if (body.result === true) confirmed.raw += 1;
  };
  const countedBefore = counted;
  for (let i = 0; i < n; i += 1) {
    if (i % 2 === 0) { await runOurs(); await runRaw(); } else { await runRaw(); await runOurs(); }
  }
  return { ours, raw, confirmedRaw: confirmed.raw, confirmedOurs: (counted - countedBefore) / EVENTS_OF_A_LOGOUT.length };
};

/** Fetch flow: logged in, then `await client.logout()`; the page never leaves. */
window.fetchFlowOnce = async () => {
  await login();
  const t0 = now();
  await window.client.logout();
  return now() - t0;
};

/** Redirect flow: logged in, then the SDK's redirect logout; the reloaded page reports the time. */
window.startRedirect = async () => {
  await login();
  sessionStorage.setItem('redirect-start', String(performance.timeOrigin + now()));
  window.client.redirectLogout({ redirectUri: location.origin + location.pathname });
};

/**
 * Event dispatch: `emits` emits to 3 listeners, `reps` times; tiny-emitter, and ours through the hook
 * `__emit(name, payload)` of the bench's own index.js (scripts/bench.mjs builds it; the package has no hook).
 */
window.emitBench = async ({ emits, reps }) => {
  const payload = { result: false, userStatus: 'notConnected', userId: null };
  let hits = 0;
  const hit = () => { hits += 1; };
  const listeners = [() => hit(), () => hit(), () => hit()];

  const tiny = [];
  for (let r = 0; r < reps; r += 1) {
    const emitter = new window.TinyEmitter();
    for (const fn of listeners) emitter.on('logout', fn);
    hits = 0;
    const t0 = now();
    for (let i = 0; i < emits; i += 1) emitter.emit('logout', payload);
    tiny.push(now() - t0);
    if (hits !== emits * 3) throw new Error(`tiny-emitter delivered ${hits}`);
  }

  const bench = await import('/target/bench-pkg/index.js');
  const client = await bench.createClient({ ...config(), crossTab: false });
  if (typeof client.__emit !== 'function') throw new Error("the bench's index.js has no __emit");
  for (const fn of listeners) client.on('SPiD.logout', fn);
  const ours = [];
  for (let r = 0; r < reps; r += 1) {
    hits = 0;
    const t0 = now();
    for (let i = 0; i < emits; i += 1) client.__emit('SPiD.logout', payload);
    ours.push(now() - t0);
    if (hits !== emits * 3) throw new Error(`__emit delivered ${hits}`);
  }
  client.destroy();
  return { tiny, ours, mode: "hook __emit(name, payload): the loader's dispatcher, one call per emit" };
};

// Back from the redirect flow: time until the SDK is ready again on the reloaded page.
const start = sessionStorage.getItem('redirect-start');
if (start !== null && sessionStorage.getItem('bench-config')) {
  sessionStorage.removeItem('redirect-start');
  await window.makeClient();
  window.redirectResult = performance.timeOrigin + now() - Number(start);
}
window.benchReady = true;
