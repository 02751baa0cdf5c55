// How often one call of the public API crosses between JavaScript and the wasm, per operation: every call of a
// wasm import (wasm → JS: shell.js and wasm-bindgen's own helpers) and of a wasm export (JS → wasm: `call`, the
// allocator, closures the browser invokes). The page wraps the import object and the instance's exports before
// the glue sees them (`WebAssembly.instantiateStreaming`), so the build it counts is the shipped one.
// docs/PERFORMANCE.md ("Crossings") has the figures; the ceilings below are those figures, exact (the same
// build and flow cross the same number of times): lower them as the count goes down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, openSdkPage, root, withWorldAndBrowser } from './harness.mjs';

/**
 * Most crossings per operation, in the flows `measure()` runs (a logged-in user, Chromium sending the cookie):
 * the figures measured after issue 20 cut the read-backs (docs/PERFORMANCE.md, "Crossings").
 */
const CEILINGS = {
  createClient: 110,
  hasSession: 110,
  session: 3,
  logout: 92,
  logoutUrl: 40,
  destroy: 28,
  logoutWithFallback: 123,
  'logoutWithFallback (+ token)': 193,
  apiLogout: 82,
};

let world;
let browser;
withWorldAndBrowser({}, (w, b) => ([world, browser] = [w, b]));

/**
 * The build shortens every import and export name (scripts/wasm-pipeline.mjs); wasm-bindgen's glue before and
 * after the renaming (target/bindgen/) gives the short name's long one, in order. Names are only for the report;
 * the counts do not need them.
 */
function readableNames() {
  const dir = join(root, 'target/bindgen');
  const [long, short] = ['schacc_sdk.js', 'schacc_sdk.min-names.js'].map((file) => join(dir, file));
  if (!existsSync(long) || !existsSync(short)) return new Map();
  const [before, after] = [long, short].map((file) => readFileSync(file, 'utf8'));
  const names = new Map();
  // Each import with its arity (js-sys's `Array.get` and shell.js's `get` are both `get`).
  const keys = (source) => [...source.matchAll(/^ {8}("?)([\w$]+)\1: function(?:\(\) \{ return handleError\(function )?\s*\(([^)]*)\)/gm)]
    .map((m) => [m[2], m[3] ? m[3].split(',').length : 0]);
  const [longImports, shortImports] = [keys(before), keys(after)];
  if (longImports.length === shortImports.length) {
    longImports.forEach(([name, arity], at) => names.set(`import ${shortImports[at][0]}`, `import ${name.replace(/^__wbg_|_[0-9a-f]{16}$/g, '')}/${arity}`));
  }
  const uses = (source, pattern) => [...source.matchAll(pattern)].map((m) => m[1]);
  const [longExports, shortExports] = [uses(before, /\bwasm\.([\w$]+)/g), uses(after, /\bwasm\["([\w$]+)"\]/g)];
  if (longExports.length === shortExports.length) {
    const readable = (name) => (/closures/.test(name) ? 'closure' : name.replace(/_[0-9a-f]{16}$/, ''));
    longExports.forEach((name, at) => names.set(`export ${shortExports[at]}`, `export ${readable(name)}`));
  }
  return names;
}

/** Counts every crossing on the page once `window.crossings.on` is set. */
function countCrossings() {
  const counts = new Map();
  const state = { on: false, counts };
  window.crossings = state;
  const wrap = (name, fn) => function (...args) {
    if (state.on) counts.set(name, (counts.get(name) ?? 0) + 1);
    return fn.apply(this, args);
  };
  const original = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const wrapped = {};
    for (const [module, fns] of Object.entries(imports)) {
      wrapped[module] = {};
      for (const [key, value] of Object.entries(fns)) wrapped[module][key] = typeof value === 'function' ? wrap(`import ${key}`, value) : value;
    }
    const { module, instance } = await original(source, wrapped);
    const exports = {};
    for (const [key, value] of Object.entries(instance.exports)) exports[key] = typeof value === 'function' ? wrap(`export ${key}`, value) : value;
    return { module, instance: { exports } };
  };
}

/** Runs `action` (in the page, given the client) with counting on; resolves with the counts by name. */
async function counted(page, action, arg) {
  return page.evaluate(async ([source, arg]) => {
    const action = new Function('client', 'arg', `return (${source})(client, arg);`);
    window.crossings.counts.clear();
    window.crossings.on = true;
    try {
      await action(window.client, arg);
    } catch {}
    // What the settled promise still set off (the task that ran it, dropped references).
    await new Promise((resolve) => setTimeout(resolve, 50));
    window.crossings.on = false;
    return Object.fromEntries(window.crossings.counts);
  }, [action.toString(), arg]);
}

async function measure() {
  const names = readableNames();
  const results = {};
  const record = (operation, counts) => {
    const readable = Object.entries(counts).map(([name, count]) => [names.get(name) ?? name, count]);
    const sum = (entries) => entries.reduce((sum, [, count]) => sum + count, 0);
    // wasm-bindgen's own: references dropped and cloned, type checks, strings and numbers read, the allocator.
    const own = readable.filter(([name]) => /^(import (__wbindgen|_wbg_cb_unref)|export __wbindgen)/.test(name));
    results[operation] = { total: sum(readable), calls: sum(readable) - sum(own), by: Object.fromEntries(readable.sort()) };
  };
  const page = async ({ login = true } = {}) => {
    await world.emulator.reset();
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.addInitScript(countCrossings);
    await page.goto(login ? world.emulator.loginUrl(world.sdkPage, 1001) : world.sdkPage);
    await page.waitForFunction(() => window.sdkReady === true);
    return page;
  };
  // createClient, hasSession, session, logout, destroy on one page.
  let p = await page();
  await p.evaluate(() => window.sdk.load());
  await p.evaluate(() => (window.crossings.on = true));
  await createClient(p, world);
  record('createClient', await p.evaluate(() => {
    window.crossings.on = false;
    return Object.fromEntries(window.crossings.counts);
  }));
  record('hasSession', await counted(p, (client) => client.hasSession()));
  record('session', await counted(p, (client) => client.session));
  record('logout', await counted(p, (client) => client.logout()));
  record('logoutUrl', await counted(p, (client) => client.logoutUrl({ redirectUri: location.href })));
  record('destroy', await counted(p, (client) => client.destroy()));
  await p.close();
  // logoutWithFallback, without and with a token (revoked by the API logout after the fetch).
  p = await page();
  await createClient(p, world);
  await p.evaluate(() => window.client.hasSession());
  record('logoutWithFallback', await counted(p, (client) => client.logoutWithFallback()));
  await p.close();
  p = await page();
  await createClient(p, world);
  await p.evaluate(() => window.client.hasSession());
  record('logoutWithFallback (+ token)', await counted(p, (client, token) => client.logoutWithFallback({ oauthToken: token }), (await world.emulator.token()).access_token));
  await p.close();
  p = await page({ login: false });
  await createClient(p, world);
  record('apiLogout', await counted(p, (client, token) => client.apiLogout(token), (await world.emulator.token()).access_token));
  await p.close();
  return results;
}

test('crossings between JavaScript and the wasm per operation stay within their ceilings', async () => {
  const results = await measure();
  for (const [operation, { total, by }] of Object.entries(results)) {
    console.log(`crossings: ${operation}: ${total} (${results[operation].calls} calls, the rest wasm-bindgen's own) ${JSON.stringify(by)}`);
  }
  for (const [operation, ceiling] of Object.entries(CEILINGS)) {
    assert.ok(results[operation].total <= ceiling, `${operation}: ${results[operation].total} > ${ceiling}`);
  }
});
