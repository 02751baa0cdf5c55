// A minimal W3C WebDriver client on Node's global fetch: starts a driver
// process (WebKitWebDriver, geckodriver) on a free port, opens sessions and
// runs the few commands the cross-engine tests need. Every driver is started
// in its own process group, so stopping it also ends the browser (and Xvfb
// under xvfb-run), including when the test process exits early.
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** The absolute path of an executable (a path or a name looked up on PATH), or null. */
export function which(command) {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return null;
}

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The ids of the live processes in process group `pgid` (Linux /proc). */
function groupMembers(pgid) {
  const members = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return members;
}

/** Process groups still running, killed when this process exits whatever the reason. */
const running = new Set();
process.once('exit', () => {
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export class WebDriverError extends Error {
  constructor(command, status, value) {
    super(`${command}: ${value?.error ?? `HTTP ${status}`}: ${value?.message ?? JSON.stringify(value)}`);
    this.name = 'WebDriverError';
    this.error = value?.error;
    this.status = status;
  }
}

/**
 * Starts a driver. `args(port)` gives its command-line arguments; `wrap`
 * (e.g. ['xvfb-run', '-a']) is put in front of the whole command line.
 */
export async function startDriver({ binary, args, wrap = [], env = {}, readyTimeoutMs = 30_000, name = binary }) {
  const port = await freePort();
  const argv = [...wrap, binary, ...args(port)];
  const child = spawn(argv[0], argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: the browser and Xvfb are in it too
    env: { ...process.env, ...env },
  });
  running.add(child.pid);
  const log = [];
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.once('error', (error) => log.push(`spawn error: ${error.message}\n`));
  let dead = null;
  exited.then((how) => (dead = how));

  const driver = new Driver(`http://127.0.0.1:${port}`, name, log);
  driver.stop = async () => {
    running.delete(child.pid);
    if (dead) return;
    const signal = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    if (wrap.length > 0) {
      // Spare the wrapper (xvfb-run): once the driver is gone it stops Xvfb and removes its temporary directory.
      for (const pid of groupMembers(child.pid)) {
        if (pid === child.pid) continue;
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    } else {
      signal('SIGTERM');
    }
    const ended = await Promise.race([exited, sleep(5000).then(() => null)]);
    if (!ended) {
      signal('SIGKILL');
      await exited;
    }
    // Anything left in the group (a browser that outlived its driver).
    signal('SIGKILL');
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (dead) throw new Error(`${name} exited (${JSON.stringify(dead)}) before it was ready:\n${log.join('')}`);
    try {
      const status = await driver.command('GET', '/status', undefined, 2000);
      if (status?.ready !== false) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await driver.stop();
      throw new Error(`${name} was not ready within ${readyTimeoutMs} ms:\n${log.join('')}`);
    }
    await sleep(100);
  }
  return driver;
}

class Driver {
  constructor(base, name, log) {
    this.base = base;
    this.name = name;
    this.log = log;
  }

  /** One WebDriver command; resolves with its `value` or throws a WebDriverError. */
  async command(method, path, body, timeoutMs = 60_000) {
    const response = await fetch(this.base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WebDriverError(`${method} ${path}`, response.status, { error: 'invalid response', message: text.slice(0, 500) });
    }
    if (!response.ok || json?.value?.error) throw new WebDriverError(`${method} ${path}`, response.status, json?.value);
    return json?.value;
  }

  /** A new session with `capabilities` (put under alwaysMatch). */
  async newSession(capabilities, { timeoutMs = 60_000 } = {}) {
    const value = await this.command('POST', '/session', { capabilities: { alwaysMatch: capabilities } }, timeoutMs);
    return new Session(this, value.sessionId, value.capabilities);
  }
}

export class Session {
  constructor(driver, id, capabilities) {
    this.driver = driver;
    this.id = id;
    this.capabilities = capabilities;
  }

  command(method, path, body, timeoutMs) {
    return this.driver.command(method, `/session/${this.id}${path}`, body, timeoutMs);
  }

  setTimeouts({ script = 30_000, pageLoad = 30_000, implicit = 0 } = {}) {
    return this.command('POST', '/timeouts', { script, pageLoad, implicit });
  }

  /** Navigates and waits for the page load (the driver's page-load strategy). */
  navigate(url) {
    return this.command('POST', '/url', { url });
  }

  currentUrl() {
    return this.command('GET', '/url');
  }

  /** Runs `script` (a function body) synchronously in the page; `arguments` are `args`. */
  executeScript(script, args = []) {
    return this.command('POST', '/execute/sync', { script, args });
  }

  /** Runs `script` (a function body); it ends by calling `arguments[arguments.length - 1](value)`. */
  executeAsyncScript(script, args = []) {
    return this.command('POST', '/execute/async', { script, args });
  }

  /**
   * Calls `fn(...args)` in the page and waits for its (possibly async) result,
   * which must be JSON-serialisable. A rejection becomes an Error here.
   */
  async evaluate(fn, ...args) {
    const outcome = await this.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       const args = Array.prototype.slice.call(arguments, 0, -1);
       Promise.resolve().then(() => (${fn}).apply(null, args)).then(
         (value) => done({ ok: true, value: value === undefined ? null : value }),
         (error) => done({ ok: false, error: String(error && error.stack || error) }));`,
      args,
    );
    if (!outcome?.ok) throw new Error(`in the page: ${outcome?.error ?? JSON.stringify(outcome)}`);
    return outcome.value;
  }

  /** Polls `fn(...args)` in the page until it returns something truthy. */
  async waitFor(fn, { timeoutMs = 15_000, intervalMs = 100, message = String(fn) } = {}, ...args) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        last = await this.evaluate(fn, ...args);
        if (last) return last;
      } catch (error) {
        // The page may be between documents.
        last = error;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${message} (last: ${last})`);
      await sleep(intervalMs);
    }
  }

  /** Polls the current URL until `predicate(url)` holds; resolves with the URL. */
  async waitForUrl(predicate, { timeoutMs = 15_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let url;
    for (;;) {
      try {
        url = await this.currentUrl();
        if (predicate(url)) return url;
      } catch {
        // mid-navigation
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the URL (last: ${url})`);
      await sleep(100);
    }
  }

  /** Ends the session (closes the browser); never throws. */
  async delete({ timeoutMs = 15_000 } = {}) {
    try {
      await this.driver.command('DELETE', `/session/${this.id}`, undefined, timeoutMs);
    } catch {
      // the driver's process group is killed afterwards anyway
    }
  }
}
