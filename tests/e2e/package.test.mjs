// pkg/ is exactly what `npm publish` ships, and its manifest is what bundlers
// and TypeScript read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const pkg = join(root, 'pkg');
const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));

test('npm pack ships every file of pkg/ and nothing else', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkg, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const shipped = packed.files.map((file) => file.path).sort();
  assert.deepEqual(shipped, readdirSync(pkg).sort());
  assert.deepEqual(shipped, ['README.md', 'global.d.ts', 'global.js', 'index.d.ts', 'index.js', 'package.json', 'schacc_sdk.js', 'schacc_sdk_bg.wasm']);
  assert.equal(packed.name, 'schacc-sdk');
});

test('the manifest: ESM, types first in exports, side effects only in global.js, the crate version', () => {
  assert.equal(manifest.type, 'module');
  assert.deepEqual(Object.keys(manifest.exports['.']), ['types', 'default']);
  assert.deepEqual(Object.keys(manifest.exports['./global.js']), ['types', 'default']);
  assert.deepEqual(manifest.sideEffects, ['./global.js']);
  const crateVersion = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
  assert.equal(manifest.version, crateVersion);
});
