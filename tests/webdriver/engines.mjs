// The two non-Chromium engines the cross-engine tests drive over W3C
// WebDriver, shared by every file in tests/webdriver: WebKit (WebKitGTK's
// MiniBrowser under Xvfb, ITP on as in Safari) and Firefox ESR (headless,
// its default Total Cookie Protection). Each entry says how to start its
// driver and browser; `locate(engine)` finds the driver or says why the
// engine is skipped.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startWorld } from '../e2e/harness.mjs';
import { startDriver, which } from './webdriver.mjs';

const MINIBROWSER = process.env.MINIBROWSER_BIN
  ?? ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/libexec/webkit2gtk-4.1/MiniBrowser']
    .find((path) => existsSync(path))
  ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

function webkitCapabilities(args) {
  return {
    browserName: 'MiniBrowser',
    acceptInsecureCerts: true,
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args },
  };
}

export const ENGINES = [
  {
    name: 'WebKit (WebKitGTK MiniBrowser)',
    driverName: 'WebKitWebDriver',
    driver: process.env.WEBKIT_WEBDRIVER_BIN ?? 'WebKitWebDriver',
    // Xvfb for the whole driver process group: MiniBrowser inherits DISPLAY.
    wrap: ['xvfb-run', '-a', '-s', '-screen 0 1280x800x24'],
    args: (port) => [`--port=${port}`],
    tls: true,
    // Intelligent Tracking Prevention on, as in Safari: the third-party cookie is withheld.
    capabilities: webkitCapabilities(['--automation', '--enable-itp']),
    // WebKitGTK's own default (ITP off, cookie policy no-third-party) sends the
    // cookie set first-party at login: the logout fetch is confirmed.
    cookieSentCapabilities: webkitCapabilities(['--automation']),
    needs: [['xvfb-run', 'apt-get install xvfb'], [MINIBROWSER, 'apt-get install libwebkit2gtk-4.1-0']],
    // Safari's rule: the SDK redirects on the user agent alone.
    expectedReason: 'user_agent',
  },
  {
    name: 'Firefox ESR (headless)',
    driverName: 'geckodriver',
    // `cargo install` puts it in ~/.cargo/bin, which may not be on PATH.
    driver: process.env.GECKODRIVER_BIN ?? (which('geckodriver') ? 'geckodriver' : join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'geckodriver')),
    wrap: [],
    args: (port) => ['--port', String(port), '--host', '127.0.0.1', '--log', 'warn'],
    tls: false,
    capabilities: {
      browserName: 'firefox',
      acceptInsecureCerts: true,
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX_BIN ?? which('firefox-esr') ?? which('firefox') ?? '/usr/bin/firefox-esr',
        args: ['-headless'],
        prefs: {
          // Quiet and quick start-up; cookie settings stay Firefox's defaults on purpose.
          'browser.shell.checkDefaultBrowser': false,
          'app.update.disabledForTesting': true,
          'datareporting.policy.dataSubmissionEnabled': false,
          'toolkit.telemetry.reportingpolicy.firstRun': false,
          'network.captive-portal-service.enabled': false,
          'network.connectivity-service.enabled': false,
        },
      },
    },
    needs: [[process.env.FIREFOX_BIN ?? 'firefox-esr', 'apt-get install firefox-esr']],
    // Firefox is not Safari: the fallback is taken on the evidence.
    expectedReason: 'no_session',
  },
];

/**
 * The engine's driver path, or why it is skipped (printed to stderr once per file):
 * { driverPath, skip } where skip is false or the reason.
 */
export function locate(engine) {
  const driverPath = which(engine.driver);
  const skip = driverPath ? false : `${engine.driverName} not found (${engine.driver}): run scripts/setup-browsers.sh as root`;
  if (skip) process.stderr.write(`SKIP ${engine.name}: ${skip}\n`);
  return { driverPath, skip };
}

/**
 * Inside a describe: before its tests, the engine's needs checked, a world (startWorld with `worldOptions`)
 * started, the driver started and a session opened; after them, all of it stopped and the time printed
 * under `label`. `ready({ world, session, reopen })` runs each time a session opens; `reopen(capabilities)`
 * replaces the session with a new one (the old one is deleted, the new one is deleted at the end).
 */
export function withEngine(engine, { driverPath, label, worldOptions = {} }, ready) {
  let world;
  let driver;
  let session;
  const startedAt = Date.now();
  const reopen = async (capabilities) => {
    await session?.delete();
    session = await driver.newSession(capabilities);
    await session.setTimeouts({ script: 20_000, pageLoad: 20_000 });
    ready({ world, session, reopen });
  };
  before(async () => {
    for (const [binary, install] of engine.needs) {
      assert.ok(which(binary), `${binary} is missing (${install}, or scripts/setup-browsers.sh)`);
    }
    world = await startWorld({ tls: engine.tls, ...worldOptions });
    driver = await startDriver({ binary: driverPath, args: engine.args, wrap: engine.wrap, name: engine.driverName });
    await reopen(engine.capabilities);
  });
  after(async () => {
    await session?.delete();
    await driver?.stop();
    await world?.stop();
    process.stderr.write(`${label}: ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  });
}

/**
 * The dev login at SchAcc by top-level navigation, landing on `landing`: SchAcc sets its cookie, the hand-over
 * goes through the other door and comes back to SchAcc's confirm, which needs that cookie. Once in a while
 * WebKitGTK reaches the confirm step without the cookie the login's own response just set (the chain is three
 * redirects in a few milliseconds; a user never moves that fast), and the emulator refuses the hand-over. The
 * login is then made once more, from a clean emulator. Either way the chain must end on `landing`.
 */
export async function logInAtSchAcc(session, world, landing) {
  for (let attempt = 1; ; attempt += 1) {
    await session.navigate(world.emulator.loginUrl(landing));
    const at = await session.currentUrl();
    if (at === landing || attempt === 2) {
      assert.equal(at, landing, 'the login returned to the SDK page');
      return;
    }
    await world.emulator.reset();
  }
}
