// Runs every test and prints one summary line "N passed, N failed":
// 1. native `cargo test` for the workspace (core, emulator HTTP tests, the fuzz corpus), then clippy and rustfmt --check,
// 2. wasm-bindgen tests of the browser shell in headless Chromium,
// 3. the end-to-end tests (node:test + playwright-core + Debian's Chromium),
// 4. the packaging tests: how pkg/ loads its wasm and fails (tests/packaging/load.test.mjs), and the
//    matrix that installs the packed tarball into fresh apps of each bundler, builds and checks them
//    in Chromium (tests/packaging/matrix.test.mjs; its apps' pinned packages come from the npm registry),
// 5. the WebDriver tests in WebKit and Firefox, where their drivers are installed.
// Expects `scripts/setup.sh --browsers` and `scripts/build.mjs` to have run (`npm test` does both); builds the
// emulator itself, once, for every step that starts it (SCHACC_EMULATOR_BIN tells the test processes where it is).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmulator } from './emulator.mjs';
import { serveStatic } from './static-server.mjs';
import { startEmulator } from '../tests/e2e/harness.mjs';

const root = new URL('..', import.meta.url).pathname;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

/** Runs a command, echoing its output; resolves with { code, output }. */
function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function countCargo(output) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const m of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/g)) {
    counts.passed += Number(m[1]);
    counts.failed += Number(m[2]);
    counts.skipped += Number(m[3]);
  }
  return counts;
}

function countTap(file) {
  const tap = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') };
}

async function step(name, action) {
  console.log(`\n=== ${name} ===`);
  const { code, counts } = await action();
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (code !== 0 || counts.failed > 0) failedSteps.push(name);
  if (code !== 0 && counts.failed === 0) totals.failed += 1; // a step that broke without a failing test still fails
  console.log(`=== ${name}: ${counts.passed} passed, ${counts.failed} failed (exit ${code}) ===`);
}

await step('the emulator binary (cargo build -p schacc-emulator)', async () => {
  try {
    process.env.SCHACC_EMULATOR_BIN = buildEmulator();
    return { code: 0, counts: { passed: 1, failed: 0, skipped: 0 } };
  } catch (error) {
    console.error(error.message);
    return { code: 1, counts: { passed: 0, failed: 1, skipped: 0 } };
  }
});

await step('native cargo tests (core, emulator)', async () => {
  const { code, output } = await run('cargo', ['test', '--workspace']);
  return { code, counts: countCargo(output) };
});

await step('clippy (no unwrap/expect/panic/indexing outside tests, no warnings) and rustfmt', async () => {
  const lints = [
    ['fmt', '--all', '--', '--check'],
    ['clippy', '-p', 'schacc-sdk', '--lib', '--target', 'wasm32-unknown-unknown', '--', '-D', 'warnings'],
    ['clippy', '-p', 'schacc-sdk', '--lib', '--target', 'wasm32-unknown-unknown', '--features', 'spid2', '--', '-D', 'warnings'],
    ['clippy', '-p', 'schacc-sdk', '--all-targets', '--', '-D', 'warnings'],
    ['clippy', '-p', 'schacc-core', '--lib', '--target', 'wasm32-unknown-unknown', '--', '-D', 'warnings'],
    ['clippy', '-p', 'schacc-core', '--all-targets', '--', '-D', 'warnings'],
    ['clippy', '-p', 'schacc-emulator', '--all-targets', '--', '-D', 'warnings'],
    ['clippy', '-p', 'schacc-fuzz-checks', '--all-targets', '--', '-D', 'warnings'],
    // The wasm-bindgen tests (the step below runs them); they name the emulator's URL at compile time.
    ['clippy', '-p', 'schacc-sdk', '--test', 'browser', '--target', 'wasm32-unknown-unknown', '--', '-D', 'warnings'],
  ];
  let failed = 0;
  for (const args of lints) if ((await run('cargo', args, { SCHACC_EMULATOR_URL: 'http://localhost:1' })).code !== 0) failed += 1;
  return { code: failed ? 1 : 0, counts: { passed: lints.length - failed, failed, skipped: 0 } };
});

await step('wasm-bindgen tests in headless Chromium', async () => {
  // The runner's page must be a registered origin of the emulator's client (CORS).
  const probe = await serveStatic({ root: tmpdir() });
  const port = Number(new URL(probe.origin).port);
  await new Promise((resolve) => probe.server.close(resolve));
  const emulator = await startEmulator(['--client', 'wasm-test', '--redirect-uri', `http://127.0.0.1:${port}/`]);
  try {
    const { code, output } = await run('cargo', ['test', '-p', 'schacc-sdk', '--target', 'wasm32-unknown-unknown', '--test', 'browser'], {
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: 'wasm-bindgen-test-runner',
      CHROMEDRIVER: process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver',
      WASM_BINDGEN_TEST_ADDRESS: `127.0.0.1:${port}`,
      WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION: '1',
      WASM_BINDGEN_TEST_TIMEOUT: '60',
      SCHACC_EMULATOR_URL: emulator.url,
    });
    return { code, counts: countCargo(output) };
  } finally {
    await emulator.stop();
  }
});

const nodeSuite = (dir) => async () => {
  const files = readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.mjs')).map((f) => join(dir, f));
  const tap = join(mkdtempSync(join(tmpdir(), 'schacc-tap-')), 'report.tap');
  const { code } = await run('node', [
    '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  return { code, counts: countTap(tap) };
};

// Every request, console message and issued token of the browser tests is recorded here (harness.mjs),
// then checked for token leaks.
process.env.SCHACC_HYGIENE_DIR ??= mkdtempSync(join(tmpdir(), 'schacc-hygiene-'));
await step('end-to-end tests in Chromium (playwright-core)', nodeSuite('tests/e2e'));
await step('packaging: loading and its failures, and the bundler matrix on the packed tarball', nodeSuite('tests/packaging'));
if (existsSync(join(root, 'tests/webdriver'))) {
  await step('WebDriver tests in WebKit and Firefox', nodeSuite('tests/webdriver'));
}

await step('token hygiene over every recorded browser test', async () => {
  const { code } = await run('node', ['tests/e2e/hygiene.mjs', process.env.SCHACC_HYGIENE_DIR]);
  return { code, counts: { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 } };
});

console.log(`\nfailed steps: ${failedSteps.length ? failedSteps.join('; ') : 'none'}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
