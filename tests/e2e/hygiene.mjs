// Token hygiene over the whole end-to-end suite. harness.mjs (with
// SCHACC_HYGIENE_DIR set) records every token the emulator issued to a test,
// every request the browsers made, every navigation and every console message
// and page error. This checker asserts that each issued access token appears
// only where the protocol puts it:
//   - in the query (`oauth_token`) of a request to `/logout` on the emulator that issued it, or
//   - in the `Authorization: Bearer` header of a request to `/api/2/logout` on that emulator;
// never in any other URL, any other header (Referer included), any request body,
// any console message or page error. Refresh tokens never reach the browser at all.
//
//   node tests/e2e/hygiene.mjs <dir>    exits 1 and lists the leaks, if any
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Reads every `*.jsonl` record file of `dir`. */
export function readHygieneDir(dir) {
  const records = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line.trim()) records.push(JSON.parse(line));
    }
  }
  return records;
}

const parse = (url) => {
  try {
    return new URL(url);
  } catch {
    return null;
  }
};

// A token may also appear percent-encoded (it is hex, but be safe) or in either case.
const containsToken = (text, token) => {
  if (typeof text !== 'string' || !text) return false;
  if (text.includes(token)) return true;
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {}
  return decoded.toLowerCase().includes(token.toLowerCase());
};

/**
 * Checks a record set; returns { tokens, requests, consoles, allowedUses, leaks }
 * where `leaks` lists every place a token showed up where it must not.
 */
export function checkHygiene(records) {
  const tokens = [];
  for (const record of records.filter((r) => r.kind === 'token')) {
    if (record.access_token) tokens.push({ value: record.access_token, kind: 'access', emulator: record.emulator });
    if (record.refresh_token) tokens.push({ value: record.refresh_token, kind: 'refresh', emulator: record.emulator });
  }
  const leaks = [];
  let allowedUses = 0;
  const leak = (token, where, detail) => leaks.push({ token: `${token.value.slice(0, 8)}… (${token.kind})`, where, detail });
  const counts = { requests: 0, consoles: 0, navigations: 0 };

  for (const record of records) {
    if (record.kind === 'request') {
      counts.requests += 1;
      const url = parse(record.url);
      const headers = Object.fromEntries(Object.entries(record.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
      for (const token of tokens) {
        const own = token.kind === 'access' && url && parse(token.emulator)?.origin === url.origin;
        if (containsToken(record.url, token.value)) {
          const allowed = own && url.pathname === '/logout' && url.searchParams.get('oauth_token') === token.value;
          if (allowed) allowedUses += 1;
          else leak(token, 'request URL', record.url);
        }
        for (const [name, value] of Object.entries(headers)) {
          if (!containsToken(value, token.value)) continue;
          const allowed = own && name === 'authorization' && url.pathname === '/api/2/logout' && value === `Bearer ${token.value}`;
          if (allowed) allowedUses += 1;
          else leak(token, `${name} header`, `${record.method} ${record.url}: ${value}`);
        }
        if (containsToken(record.postData, token.value)) leak(token, 'request body', record.url);
      }
    } else if (record.kind === 'navigation') {
      counts.navigations += 1;
      const url = parse(record.url);
      for (const token of tokens) {
        if (!containsToken(record.url, token.value)) continue;
        const own = token.kind === 'access' && url && parse(token.emulator)?.origin === url.origin;
        // The /logout page itself (e.g. its 400 page) is the one place a token URL may be shown.
        if (!(own && url.pathname === '/logout' && url.searchParams.get('oauth_token') === token.value)) {
          leak(token, 'navigation URL', record.url);
        }
      }
    } else if (record.kind === 'console') {
      counts.consoles += 1;
      for (const token of tokens) {
        if (containsToken(record.text, token.value)) leak(token, `console ${record.type}`, `${record.page}: ${record.text}`);
      }
    }
  }
  return { tokens: tokens.length, ...counts, allowedUses, leaks };
}

/**
 * Throws an AssertionError-like Error listing the leaks. With `requireUse`,
 * also fails unless tokens were issued and seen in their allowed places (so a
 * recorder that silently recorded nothing cannot pass).
 */
export function assertHygiene(records, { requireUse = true } = {}) {
  const report = checkHygiene(records);
  const problems = report.leaks.map((l) => `token ${l.token} leaked in ${l.where}: ${l.detail}`);
  if (requireUse && (report.tokens === 0 || report.requests === 0 || report.allowedUses === 0)) {
    problems.push(`nothing to check: ${report.tokens} tokens, ${report.requests} requests, ${report.allowedUses} allowed uses seen`);
  }
  if (problems.length) {
    const error = new Error(`token hygiene: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    error.report = report;
    throw error;
  }
  return report;
}

export function checkHygieneDir(dir, options) {
  return assertHygiene(readHygieneDir(dir), options);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? process.env.SCHACC_HYGIENE_DIR;
  if (!dir) {
    console.error('usage: node tests/e2e/hygiene.mjs <SCHACC_HYGIENE_DIR>');
    process.exit(2);
  }
  try {
    const report = checkHygieneDir(dir);
    console.log(`token hygiene: ${report.tokens} tokens, ${report.requests} requests, ${report.navigations} navigations, ${report.consoles} console messages checked; ${report.allowedUses} allowed uses; no leaks`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
