// `npm run bench`: measures pkg/ in headless Chromium against the emulator,
// next to its peers (installed as exact devDependencies) in the same run.
// Prints one table, writes bench/results.json, and always exits 0: it is a
// report. Timings are medians and are judged only as ratios.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { CLIENT_ID as TEST_CLIENT_ID, bundleOfficialClient, clearLocalStorage, launch, moveClock, root, startEmulator, startWorld } from '../tests/e2e/harness.mjs';
import { serveStatic } from './static-server.mjs';
import { buildWasm } from './wasm-pipeline.mjs';

const CLIENT_ID = 'bench-client';
const PAGE = '/bench/pages/bench.html';
const N = {
  memoryCycles: 1000, memoryWarmup: 10,
  fetchPairs: 300, redirects: 25, coldSamples: 30,
  emits: 100_000, emitReps: 15, emitRuns: 5,
  pageViews: 10, tabSwitches: 100,
};

const KiB = 1024;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(2)} ms`;
const bytes = (x) => `${Math.round(x).toLocaleString('en-US')} B`;
const fixed = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const version = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

const rows = [];
const row = (r) => { rows.push(r); console.error(`bench: ${r.what}: ${r.ours}${r.peer ? ` vs ${r.peer}` : ''} → ${r.verdict}`); };
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

function compressed(buffer) {
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: buffer.length },
    }).length,
  };
}
const sum = (list) => list.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const minify = (file) => execFileSync(join(root, 'node_modules/.bin/esbuild'), [file, '--bundle', '--minify', '--format=esm', '--log-level=error'], { maxBuffer: 64 << 20 });

function machine() {
  const list = cpus();
  let chromium = 'unknown';
  try {
    chromium = execFileSync(process.env.CHROMIUM_BIN ?? '/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch { /* reported as unknown */ }
  return { cpu: list[0]?.model ?? 'unknown', cores: list.length, memoryBytes: totalmem(), node: process.version, chromium };
}

async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

// Besides `rows`, what the measurements leave for bench/results.json: their samples, and problems met on the way.
const samples = {};
const problems = [];

/** The pure core alone, built like the SDK: the size floor (bench/core-floor). */
function buildCoreFloor() {
  const floorDir = join(root, 'target/core-floor');
  buildWasm({
    cargoArgs: ['--manifest-path', join(root, 'bench/core-floor/Cargo.toml')], crate: 'schacc_core_floor', name: 'schacc-core-floor',
    targetDir: floorDir, workDir: join(floorDir, 'bindgen'), outDir: floorDir,
  });
  return floorDir;
}

/**
 * index.js as the package has it, plus the dispatch hook `__emit` that the package leaves out
 * (SCHACC_BENCH, pkg-template/index.js), bundled from the sources `npm run build` left in target/pkg-src,
 * next to the package's wasm and chunks: bench.js times dispatch through it.
 */
function buildBenchEntry() {
  const dir = join(root, 'target/bench-pkg');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync(join(root, 'node_modules/.bin/esbuild'), [
    join(root, 'target/pkg-src/index.js'), '--bundle', '--minify', '--format=esm', '--log-level=warning',
    '--define:SCHACC_INLINE=false', '--define:SCHACC_ASSET_CHUNKS=false', '--define:SCHACC_BENCH=true',
    '--external:./schacc_sdk_inline.js', '--external:./load-error.js', `--outfile=${join(dir, 'index.js')}`,
  ], { stdio: 'inherit' });
  for (const file of ['schacc_sdk_bg.wasm', 'schacc_sdk_inline.js', 'load-error.js']) cpSync(join(root, 'pkg', file), join(dir, file));
}

/** The emulator, the pages, Chromium, and a way to open the bench page with a client made. */
async function setUp() {
  const pages = await serveStatic({ root, mounts: {} });
  const emulator = await startEmulator(['--client', CLIENT_ID, '--redirect-uri', `${pages.origin}${PAGE}`]);
  const context = await launch({ thirdPartyCookies: 'allow' });
  const config = { clientId: CLIENT_ID, server: emulator.url };
  const openBench = async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    await page.goto(pages.origin + PAGE);
    await page.waitForFunction(() => window.benchReady === true);
    await page.evaluate((options) => window.setup(options), config);
    return page;
  };
  const tearDown = async () => {
    await context.close();
    await emulator.stop();
    await new Promise((resolve) => pages.server.close(resolve));
    pages.server.closeAllConnections?.();
  };
  return { pages, emulator, context, openBench, tearDown, browserVersion: context.browser()?.version() };
}

/** Shipped bytes: what a page actually loads from pkg/, next to what the peers ship. */
async function measureShippedBytes({ pages, emulator, context }) {
  const loaded = new Set();
  const page = await context.newPage();
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pkg/') && /\.(js|wasm)$/.test(path)) loaded.add(path);
  });
  await page.goto(`${pages.origin}/bench/pages/cold.html?lib=ours&server=${encodeURIComponent(emulator.url)}&client=${CLIENT_ID}`);
  await page.waitForFunction(() => window.coldResult !== undefined);
  const result = await page.evaluate(() => window.coldResult);
  if (result.error) throw new Error(`our cold page failed: ${result.error}`);
  await page.close();

  const files = [...loaded].sort().map((path) => ({ path, ...compressed(readFileSync(join(root, path))) }));
  const ours = sum(files);
  const peerFiles = {
    '@schibsted/account-sdk-browser': { file: 'es5/identity.min.js', how: 'shipped minified (es5 UMD/CommonJS bundle)', ...compressed(readFileSync(join(root, 'node_modules/@schibsted/account-sdk-browser/es5/identity.min.js'))) },
    'oidc-client-ts': { file: 'dist/browser/oidc-client-ts.min.js', how: 'shipped minified browser bundle', ...compressed(readFileSync(join(root, 'node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js'))) },
    'keycloak-js': { file: 'lib/keycloak.js', how: 'esbuild --bundle --minify --format=esm', ...compressed(minify(join(root, 'node_modules/keycloak-js/lib/keycloak.js'))) },
  };
  for (const [name, info] of Object.entries(peerFiles)) info.version = version(name);
  samples.bytes = { files, ours, peers: peerFiles };
  const account = peerFiles['@schibsted/account-sdk-browser'];
  row({
    id: 'bytes.gzip', what: `shipped bytes, gzip -9 (${files.map((f) => f.path.replace('/pkg/', '')).join(' + ')})`,
    ours: bytes(ours.gzip), peer: `${bytes(account.gzip)} account-sdk-browser`, ratio: fixed(ours.gzip / account.gzip, 3),
    target: '≤ 20,480 B (aim ≤ 16,384 B)',
    verdict: ours.gzip <= 20480 ? (ours.gzip <= 16384 ? 'PASS (aim met)' : 'PASS (aim missed)') : 'FAIL',
    value: ours.gzip, peerValue: account.gzip,
  });
  row({ id: 'bytes.raw', what: 'shipped bytes, raw', ours: bytes(ours.raw), peer: `${bytes(account.raw)} account-sdk-browser`, ratio: fixed(ours.raw / account.raw, 3), target: 'info', verdict: 'info', value: ours.raw, peerValue: account.raw });
  row({ id: 'bytes.brotli', what: 'shipped bytes, brotli q11', ours: bytes(ours.brotli), peer: `${bytes(account.brotli)} account-sdk-browser`, ratio: fixed(ours.brotli / account.brotli, 3), target: 'info', verdict: 'info', value: ours.brotli, peerValue: account.brotli });
  for (const name of ['oidc-client-ts', 'keycloak-js']) {
    const p = peerFiles[name];
    row({ id: `bytes.gzip.${name}`, what: 'shipped bytes, gzip -9', ours: bytes(ours.gzip), peer: `${bytes(p.gzip)} ${name}`, ratio: fixed(ours.gzip / p.gzip, 3), target: 'info', verdict: 'info', value: ours.gzip, peerValue: p.gzip });
  }
}

/** What each way of loading ships (pkg-template/load.js); measureShippedBytes' page took the first. */
function measureLoadingPaths() {
  const paths = {
    file: ['the file, the default (Vite, webpack, Parcel, Next.js, pages)', ['index.js', 'schacc_sdk_bg.wasm']],
    inline: ['the inlined copy (inline.js: esbuild, Rollup)', ['inline.js']],
    fallback: ['the fallback after the file failed', ['index.js', 'schacc_sdk_inline.js']],
    global: ['global.js, the SPiD 2.x drop-in, self-contained', ['global.js']],
  };
  samples.bytes.paths = {};
  for (const [id, [what, list]] of Object.entries(paths)) {
    const size = sum(list.map((file) => compressed(readFileSync(join(root, 'pkg', file)))));
    samples.bytes.paths[id] = { files: list, ...size };
    row({ id: `bytes.path.${id}`, what: `shipped bytes, gzip -9 (raw, brotli): ${what}: ${list.join(' + ')}`, ours: `${bytes(size.gzip)} (${bytes(size.raw)}, ${bytes(size.brotli)})`, peer: '', ratio: '', target: 'info', verdict: 'info', value: size.gzip });
  }
}

/** The floor under any architecture that keeps the core's decisions in wasm (buildCoreFloor). */
function measureCoreFloor(floorDir) {
  const floor = sum(['schacc_core_floor_bg.wasm', 'schacc_core_floor.js'].map((file) => compressed(readFileSync(join(floorDir, file)))));
  samples.bytes.coreFloor = floor;
  row({ id: 'bytes.floor', what: 'size floor: the pure core alone, no browser code (bench/core-floor, wasm + glue), gzip -9', ours: bytes(floor.gzip), peer: '', ratio: '', target: 'info (shipped target ≤ 20,480 B)', verdict: 'info', value: floor.gzip });
}

/** Wasm linear memory after createClient. */
async function measureInitialMemory({ openBench }) {
  const page = await openBench();
  const [memory, instances] = await page.evaluate(() => [window.wasmMemory(), window.wasmInstanceCount()]);
  if (instances < 1) throw new Error('the bench page captured no wasm instance');
  row({ id: 'memory.initial', what: 'wasm linear memory after createClient', ours: bytes(memory), peer: '', ratio: '', target: '≤ 262,144 B (256 KiB)', verdict: verdict(memory <= 256 * KiB), value: memory });
  await page.close();
}

/**
 * Runs the bench page's `window[cycles](n)` for a warm-up, then again, in a
 * fresh page; returns what the second run returned and how much the wasm
 * memory and the JS heap (after GC) grew across it.
 */
async function memoryGrowth({ context, openBench }, cycles, warmup, measured) {
  const page = await openBench();
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const runCycles = (n) => page.evaluate(([name, count]) => window[name](count), [cycles, n]);
  const measure = async () => ({ wasm: await page.evaluate(() => window.wasmMemory()), heap: await heap(cdp) });
  await runCycles(warmup);
  const before = await measure();
  const result = await runCycles(measured);
  const after = await measure();
  await cdp.detach();
  await page.close();
  return { before, after, result, wasm: after.wasm - before.wasm, heap: after.heap - before.heap };
}

function growthRows(id, label, growth) {
  row({ id: `${id}.wasm`, what: `wasm memory growth, ${label}`, ours: bytes(growth.wasm), peer: '', ratio: '', target: '0 B (no growth)', verdict: verdict(growth.wasm <= 0), value: growth.wasm });
  row({ id: `${id}.heap`, what: `JS heap growth, ${label}`, ours: bytes(growth.heap), peer: '', ratio: '', target: '≤ 1,048,576 B (1 MiB)', verdict: verdict(growth.heap <= 1024 * KiB), value: growth.heap });
}

/** Memory after N login + logout() cycles vs after 10. */
async function measureLogoutCycles(world) {
  const growth = await memoryGrowth(world, 'logoutCycles', N.memoryWarmup, N.memoryCycles - N.memoryWarmup);
  const fired = growth.result;
  samples.logoutCycles = { before: growth.before, after: growth.after, eventsFired: fired };
  if (fired !== 3 * N.memoryCycles) problems.push(`logout cycles fired ${fired} events, expected ${3 * N.memoryCycles} (3 per confirmed logout)`);
  growthRows('memory.logout', `${N.memoryCycles} vs ${N.memoryWarmup} login+logout() cycles`, growth);
}

/** Memory across N createClient + destroy() cycles. */
async function measureCreateDestroy(world) {
  const growth = await memoryGrowth(world, 'createDestroyCycles', N.memoryWarmup, N.memoryCycles);
  samples.createDestroy = { before: growth.before, after: growth.after };
  growthRows('memory.create', `${N.memoryCycles} createClient+destroy() (after ${N.memoryWarmup} warm-up)`, growth);
}

/** logout() vs a raw fetch + json of the same endpoint, alternated. */
async function measureLogoutVsFetch({ openBench }) {
  const page = await openBench();
  await page.evaluate(() => window.logoutVsFetch(10)); // warm-up: connections, JIT
  const result = await page.evaluate((n) => window.logoutVsFetch(n), N.fetchPairs);
  const [o, r] = [median(result.ours), median(result.raw)];
  samples.logoutVsFetch = { ...result, medianOurs: o, medianRaw: r };
  for (const side of ['Raw', 'Ours']) {
    if (result[`confirmed${side}`] !== N.fetchPairs) problems.push(`${side.toLowerCase()} side confirmed ${result[`confirmed${side}`]}/${N.fetchPairs} logouts (cookie not sent?)`);
  }
  row({ id: 'time.logout-vs-fetch', what: `logout() vs raw fetch+json of logout.json (median of ${N.fetchPairs} each, alternated)`, ours: `median ${ms(o)}`, peer: `median ${ms(r)} raw fetch`, ratio: fixed(o / r, 3), target: 'ratio ≤ 1.10', verdict: verdict(o / r <= 1.1), value: o / r });
  await page.close();
}

/** Logged out and the page usable again: the fetch flow vs the redirect flow. */
async function measureFlows({ openBench, emulator }) {
  const page = await openBench();
  const fetchFlow = [];
  const redirectFlow = [];
  await page.evaluate(() => window.fetchFlowOnce()); // warm-up
  for (let i = 0; i < N.redirects; i += 1) {
    fetchFlow.push(await page.evaluate(() => window.fetchFlowOnce()));
    const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 });
    await page.evaluate(() => { void window.startRedirect(); });
    await navigated;
    await page.waitForFunction(() => window.redirectResult !== undefined, null, { timeout: 30_000 });
    redirectFlow.push(await page.evaluate(() => window.redirectResult));
  }
  const [f, r] = [median(fetchFlow), median(redirectFlow)];
  samples.flows = { fetchFlow, redirectFlow, medianFetch: f, medianRedirect: r };
  const state = await emulator.state();
  if (state.sessions.length) problems.push(`${state.sessions.length} emulator session(s) survived the flows`);
  row({ id: 'time.fetch-vs-redirect', what: `logged out + page usable: fetch flow vs redirect flow (median of ${N.redirects} each)`, ours: `median ${ms(f)} fetch flow`, peer: `median ${ms(r)} redirect flow`, ratio: fixed(f / r, 3), target: 'ratio ≤ 0.25', verdict: verdict(f / r <= 0.25), value: f / r });
  await page.close();
}

/** Cold start, ours vs account-sdk-browser: a fresh page with the HTTP cache disabled, alternated. */
async function measureColdStart({ pages, emulator, context }) {
  const cold = async (lib) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(String(error)));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(`${pages.origin}/bench/pages/cold.html?lib=${lib}&server=${encodeURIComponent(emulator.url)}&client=${CLIENT_ID}`);
    await page.waitForFunction(() => window.coldResult !== undefined);
    const result = await page.evaluate(() => window.coldResult);
    await cdp.detach();
    await page.close();
    if (result.error) throw new Error(`cold start (${lib}) failed: ${result.error}`);
    return result.ms;
  };
  await cold('ours');
  await cold('peer'); // warm-up: the browser process, not the cache
  const oursCold = [];
  const peerCold = [];
  for (let i = 0; i < N.coldSamples; i += 1) {
    if (i % 2 === 0) { oursCold.push(await cold('ours')); peerCold.push(await cold('peer')); } else { peerCold.push(await cold('peer')); oursCold.push(await cold('ours')); }
  }
  const [o, p] = [median(oursCold), median(peerCold)];
  samples.coldStart = { ours: oursCold, peer: peerCold, medianOurs: o, medianPeer: p };
  row({ id: 'time.cold-start', what: `cold start: load+instantiate+createClient vs load+eval identity.min.js+new Identity (median of ${N.coldSamples})`, ours: `median ${ms(o)}`, peer: `median ${ms(p)} account-sdk-browser`, ratio: fixed(o / p, 3), target: 'ratio ≤ 1.0', verdict: verdict(o / p <= 1.0), value: o / p });
}

/**
 * Event dispatch, ours (the bench's index.js, buildBenchEntry) vs tiny-emitter: the median of
 * N.emitRuns fresh pages (each the median of its reps), so one noisy page cannot flip the verdict.
 */
async function measureEmit({ openBench }) {
  const runs = [];
  for (let run = 0; run < N.emitRuns; run += 1) {
    const page = await openBench();
    const result = await page.evaluate((args) => window.emitBench(args), { emits: N.emits, reps: N.emitReps });
    await page.close();
    const tinyRate = N.emits / (median(result.tiny) / 1000);
    const oursRate = N.emits / (median(result.ours) / 1000);
    runs.push({ ...result, tinyEmitsPerSecond: tinyRate, oursEmitsPerSecond: oursRate, ratio: oursRate / tinyRate });
  }
  const ratio = median(runs.map((run) => run.ratio));
  const [oursRate, tinyRate] = [median(runs.map((run) => run.oursEmitsPerSecond)), median(runs.map((run) => run.tinyEmitsPerSecond))];
  const { mode } = runs[0];
  samples.emit = { runs, ratio };
  const rate = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
  row({
    id: 'time.emit', what: `event dispatch: ${N.emits.toLocaleString('en-US')} emits to 3 listeners, median of ${N.emitRuns} runs (${mode.split(':')[0]})`,
    ours: `median ${rate(oursRate)}`, peer: `median ${rate(tinyRate)} tiny-emitter`, ratio: fixed(ratio, 3),
    target: 'throughput ratio ≥ 0.5', verdict: verdict(ratio >= 0.5), value: ratio,
    mode, runs: runs.map((run) => Number(run.ratio.toFixed(3))),
  });
}

/**
 * Requests to the site's session service, ours vs account-sdk-browser's, counted in the emulator's log (ours carry
 * `client_id`, the official client's do not), both clients on one page of one site (official.html), logged in,
 * third-party cookies blocked, each with its defaults: N.pageViews page views in one tab; the same number of page
 * views each in a tab of its own; N.tabSwitches times the tab shown again a minute or more after the last check
 * (ours re-checks by itself; account-sdk-browser has no re-check, so the page calls its `hasSession()` on each
 * `visibilitychange`, as a site wanting one would).
 */
async function measureRequests() {
  bundleOfficialClient();
  const world = await startWorld({ sessionService: true });
  const browser = await launch({ thirdPartyCookies: 'block' });
  const pageUrl = `${world.pages.origin}/tests/e2e/pages/official.html`;
  const counts = async () => {
    const asked = (await world.emulator.state()).requests.filter((r) => r.listener === 'session' && r.method === 'GET' && /\/session$/.test(r.path));
    const ours = asked.filter((r) => new URLSearchParams(r.query).has('client_id')).length;
    return { ours, peer: asked.length - ours };
  };
  const counted = async (act) => {
    const before = await counts();
    await act();
    const after = await counts();
    return { ours: after.ours - before.ours, peer: after.peer - before.peer };
  };
  // One page view: both clients made, as a site would, and asked who is logged in.
  const view = async (page) => {
    await page.waitForFunction(() => window.ready === true);
    await page.evaluate(async (o) => {
      window.identity = new window.Identity({ env: 'LOCAL', clientId: o.clientId, sessionDomain: o.sessionDomain, redirectUri: o.page });
      window.client = await window.sdk.createClient({ clientId: o.clientId, server: o.server, sessionDomain: o.sessionDomain, redirectUri: o.page, sdrnNamespace: 'id.localhost' });
      await Promise.all([window.identity.hasSession(), window.client.hasSession()]);
    }, { clientId: TEST_CLIENT_ID, server: world.emulator.url, sessionDomain: world.sessionUrl, page: pageUrl });
  };
  const fresh = async () => {
    await world.emulator.reset();
    await browser.clearCookies();
    for (const page of browser.pages()) await page.close();
    const page = await browser.newPage();
    await clearLocalStorage(browser, world.pages.origin);
    await page.goto(world.emulator.loginUrl(pageUrl));
    return page;
  };
  const requestRow = (id, what, n) => row({ id, what, ours: `${n.ours}`, peer: `${n.peer} account-sdk-browser`, ratio: n.peer ? fixed(n.ours / n.peer, 2) : '', target: 'report', verdict: 'info', value: n.ours, peerValue: n.peer });
  try {
    let page = await fresh();
    requestRow('requests.page-views', `requests per ${N.pageViews} page views in one tab, logged in`, await counted(async () => {
      for (let i = 0; i < N.pageViews; i += 1) {
        if (i) await page.reload();
        await view(page);
      }
    }));
    await fresh();
    requestRow('requests.page-views-tabs', `requests per ${N.pageViews} page views, each in a new tab, logged in`, await counted(async () => {
      for (let i = 0; i < N.pageViews; i += 1) {
        const tab = await browser.newPage();
        await tab.goto(pageUrl);
        await view(tab);
      }
    }));
    page = await fresh();
    await view(page);
    await page.evaluate(() => document.addEventListener('visibilitychange', () => window.identity.hasSession().catch(() => {})));
    requestRow('requests.tab-switches', `requests per ${N.tabSwitches} tab switches within a minute, a minute after the last check (ours notices a session ended elsewhere within 60 s; account-sdk-browser when its cache expires, expiresIn or 5 min)`, await counted(async () => {
      await moveClock(page, 61_000);
      for (let i = 0; i < N.tabSwitches; i += 1) {
        await page.evaluate(() => {
          Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
          document.dispatchEvent(new Event('visibilitychange'));
        });
      }
      await page.waitForTimeout(500);
    }));
  } finally {
    await browser.close();
    await world.stop();
  }
}

/** Prints the table and writes bench/results.json. */
function report({ started, host, browserVersion }) {
  const header = ['what', 'ours', 'peer', 'ratio', 'target', 'pass/fail'];
  const table = rows.map((r) => [r.what, r.ours, r.peer || '—', r.ratio || '—', r.target, r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const peers = ['@schibsted/account-sdk-browser', 'oidc-client-ts', 'keycloak-js', 'tiny-emitter'];
  console.log('');
  console.log(`schacc-sdk bench — ${new Date().toISOString()}`);
  console.log(`machine: ${host.cpu}, ${host.cores} cores, ${(host.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM; ${host.chromium}${browserVersion ? ` (CDP ${browserVersion})` : ''}, headless; Node ${host.node}`);
  console.log(`peers: ${peers.map((n) => `${n}@${version(n)}`).join(', ')}`);
  console.log('');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const t of table) console.log(line(t));
  const failed = rows.filter((r) => r.verdict.startsWith('FAIL'));
  console.log('');
  if (problems.length) for (const p of problems) console.log(`PROBLEM: ${p}`);
  console.log(failed.length
    ? `FAIL: ${failed.length} row(s) missed their target: ${failed.map((r) => r.id).join(', ')}`
    : 'all rows with a target passed');
  console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s; details in bench/results.json`);

  writeFileSync(join(root, 'bench/results.json'), JSON.stringify({
    date: new Date().toISOString(), machine: { ...host, chromiumCdp: browserVersion ?? null },
    peers: Object.fromEntries(peers.map((n) => [n, version(n)])),
    settings: N, rows, samples, problems,
  }, null, 2) + '\n');
}

async function main() {
  const started = Date.now();
  const host = machine();
  const floorDir = buildCoreFloor();
  buildBenchEntry();
  const world = await setUp();
  try {
    await measureShippedBytes(world);
    measureLoadingPaths();
    measureCoreFloor(floorDir);
    await measureInitialMemory(world);
    await measureLogoutCycles(world);
    await measureCreateDestroy(world);
    await measureLogoutVsFetch(world);
    await measureFlows(world);
    await measureColdStart(world);
    await measureEmit(world);
    await measureRequests();
  } catch (error) {
    problems.push(`bench aborted: ${error.stack ?? error}`);
  } finally {
    await world.tearDown();
  }
  report({ started, host, browserVersion: world.browserVersion });
}

await main();
process.exit(0);
