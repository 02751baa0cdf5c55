// Unit tests of the token-hygiene checker (hygiene.mjs): it must pass a clean
// record set and fail on every kind of leak. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertHygiene, checkHygiene, checkHygieneDir } from './hygiene.mjs';

const EMU = 'http://localhost:9000';
const A = 'a'.repeat(56) + '0123abcd';
const R = 'b'.repeat(56) + '4567cdef';
const token = { kind: 'token', emulator: EMU, access_token: A, refresh_token: R };
const page = 'http://127.0.0.1:8080/tests/e2e/pages/sdk.html';
const clean = [
  token,
  { kind: 'request', method: 'GET', url: `${EMU}/logout?client_id=c&redirect_uri=${encodeURIComponent(page)}&oauth_token=${A}`, headers: { referer: page } },
  { kind: 'request', method: 'GET', url: `${EMU}/api/2/logout`, headers: { authorization: `Bearer ${A}`, origin: 'http://127.0.0.1:8080', referer: page } },
  { kind: 'request', method: 'GET', url: page, headers: {} },
  { kind: 'navigation', url: `${EMU}/logout?client_id=c&oauth_token=${A}` },
  { kind: 'console', type: 'error', text: 'Failed to load resource: the server responded with a status of 401 (Unauthorized)', page },
];

const leaking = {
  'token in the landing URL': { kind: 'request', method: 'GET', url: `${page}?oauth_token=${A}`, headers: {} },
  'token in a Referer': { kind: 'request', method: 'GET', url: `${page}`, headers: { referer: `${EMU}/logout?client_id=c&oauth_token=${A}` } },
  'token in the hasSession URL': { kind: 'request', method: 'GET', url: `${EMU}/ajax/hasSession.json?client_id=c&t=${A}`, headers: {} },
  'token in the api logout URL': { kind: 'request', method: 'GET', url: `${EMU}/api/2/logout?oauth_token=${A}`, headers: {} },
  'token sent to another origin': { kind: 'request', method: 'GET', url: `https://evil.example/logout?oauth_token=${A}`, headers: {} },
  'Authorization to another endpoint': { kind: 'request', method: 'GET', url: `${EMU}/ajax/logout.json?client_id=c`, headers: { authorization: `Bearer ${A}` } },
  'Authorization to another origin': { kind: 'request', method: 'GET', url: `https://evil.example/api/2/logout`, headers: { authorization: `Bearer ${A}` } },
  'token in another header': { kind: 'request', method: 'GET', url: `${EMU}/api/2/logout`, headers: { 'x-debug': A } },
  'token in a request body': { kind: 'request', method: 'POST', url: `${EMU}/collect`, headers: {}, postData: `t=${A}` },
  'token in a console message': { kind: 'console', type: 'log', text: `logging out with ${A}`, page },
  'token in a page error': { kind: 'console', type: 'pageerror', text: `Error: bad token ${A}`, page },
  'percent-encoded token in a URL': { kind: 'request', method: 'GET', url: `${page}?x=${[...A].map((c) => '%' + c.charCodeAt(0).toString(16)).join('')}`, headers: {} },
  'token in a navigation URL': { kind: 'navigation', url: `${page}#${A}` },
  'refresh token at /logout': { kind: 'request', method: 'GET', url: `${EMU}/logout?client_id=c&oauth_token=${R}`, headers: {} },
  'refresh token in Authorization': { kind: 'request', method: 'GET', url: `${EMU}/api/2/logout`, headers: { authorization: `Bearer ${R}` } },
};

test('a clean record set passes and counts the allowed uses', () => {
  const report = assertHygiene(clean);
  assert.equal(report.tokens, 2);
  assert.equal(report.leaks.length, 0);
  assert.equal(report.allowedUses, 2, "the /logout query and the /api/2/logout header");
});

for (const [name, record] of Object.entries(leaking)) {
  test(`it fails on ${name}`, () => {
    const report = checkHygiene([...clean, record]);
    assert.equal(report.leaks.length, 1, JSON.stringify(report.leaks));
    assert.throws(() => assertHygiene([...clean, record]), /token hygiene: 1 problem/);
  });
}

test('it fails when nothing was recorded, so a broken recorder cannot pass', () => {
  assert.throws(() => assertHygiene([]), /nothing to check/);
  assert.throws(() => assertHygiene([token]), /nothing to check/);
  assert.doesNotThrow(() => assertHygiene([], { requireUse: false }));
});

test('it reads every .jsonl file of a directory and fails on a leak in any of them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schacc-hygiene-unit-'));
  try {
    writeFileSync(join(dir, 'one.jsonl'), clean.map((r) => JSON.stringify(r)).join('\n') + '\n');
    assert.equal(checkHygieneDir(dir).leaks.length, 0);
    writeFileSync(join(dir, 'two.jsonl'), JSON.stringify(leaking['token in a Referer']) + '\n');
    assert.throws(() => checkHygieneDir(dir), /referer header/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
