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
  assert.deepEqual(shipped, [
    'LICENSE', 'README.md', 'global.d.ts', 'global.js', 'global.wasm', 'index.d.ts', 'index.js', 'index.production.js', 'inline.js',
    'load-error.js', 'package.json', 'schacc_sdk_bg.wasm', 'schacc_sdk_fallback.js', 'schacc_sdk_inline.js',
  ]);
  assert.equal(packed.name, 'schacc-sdk');
});

test('no entry carries the bench hook __emit (only the bench builds an index.js with it: scripts/bench.mjs)', () => {
  for (const file of ['index.js', 'index.production.js', 'inline.js', 'global.js']) {
    // (assert.doesNotMatch would print the whole minified file)
    assert.ok(!readFileSync(join(pkg, file), 'utf8').includes('__emit'), `${file} has __emit`);
  }
});

test('the manifest: ESM, types first in exports, side effects only in global.js, the crate version', () => {
  assert.equal(manifest.type, 'module');
  for (const entry of ['.', './inline', './global.js', './global']) assert.equal(Object.keys(manifest.exports[entry])[0], 'types', entry);
  assert.deepEqual(manifest.sideEffects, ['./global.js']);
  const crateVersion = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
  assert.equal(manifest.version, crateVersion);
});

test('the entries: app bundlers (browser + development/production conditions) get the file, all others the inlined wasm', async () => {
  assert.deepEqual(manifest.exports['.'], {
    types: './index.d.ts',
    browser: { development: './index.js', production: './index.production.js', default: './inline.js' },
    default: './inline.js',
  });
  assert.equal(manifest.main, './index.js');
  const index = readFileSync(join(pkg, 'index.js'), 'utf8');
  assert.match(index, /new URL\("\.\/schacc_sdk_bg\.wasm",import\.meta\.url\)/, 'the one reference bundlers follow');
  assert.match(index, /import\("\.\/schacc_sdk_inline\.js"\)/, 'the fallback, a chunk of its own');
  assert.match(index, /import\("\.\/load-error\.js"\)/, 'the load errors\' sentences, a chunk of their own');
  // Production builds: the same, with one fallback file the tool copies as it is and the browser imports itself,
  // and no import a tool would bundle as a chunk (with its loader).
  const production = readFileSync(join(pkg, 'index.production.js'), 'utf8');
  assert.match(production, /new URL\("\.\/schacc_sdk_bg\.wasm",import\.meta\.url\)/);
  const imports = [...production.matchAll(/\bimport\(([^)]*\))/g)].map((m) => m[1]);
  assert.deepEqual(imports, Array(2).fill('/* webpackIgnore: true */ /* @vite-ignore */ new URL("./schacc_sdk_fallback.js",import.meta.url)'));
  const { default: inlined, explain } = await import(join(pkg, 'schacc_sdk_fallback.js'));
  assert.ok(Buffer.from(await inlined()).equals(readFileSync(join(pkg, 'schacc_sdk_bg.wasm'))), 'the fallback file inflates to the wasm');
  assert.match(explain({ kind: 'csp' }), /wasm-unsafe-eval/);
  // inline.js and global.js: nothing a bundler must copy, no dynamic import (Rollup's output.file), no import.meta (IIFE).
  for (const file of ['inline.js', 'global.js']) {
    const code = readFileSync(join(pkg, file), 'utf8');
    // (assert.doesNotMatch would print the whole minified file)
    assert.ok(!/import\.meta\.url|\bimport\("|new URL\("[^"]*\.wasm"/.test(code), `${file} has import.meta, import() or a wasm URL`);
  }
  assert.ok(!/^\s*(import|export)\b/m.test(readFileSync(join(pkg, "global.js"), "utf8")), "global.js is a classic script");
});

test('package.json has what npm shows: engines, keywords, license, description, and a LICENSE file', () => {
  for (const field of ['engines', 'keywords', 'license', 'description']) assert.ok(manifest[field], field);
  assert.equal(manifest.license, 'MIT');
  assert.match(readFileSync(join(pkg, 'LICENSE'), 'utf8'), /^MIT License/);
});

test('where the project lives comes only from Cargo.toml\'s [package], and only where it names it', () => {
  const template = JSON.parse(readFileSync(join(root, 'pkg-template/package.json'), 'utf8'));
  for (const field of ['repository', 'homepage', 'bugs']) assert.equal(template[field], undefined, `pkg-template/package.json names a ${field}`);
  const cratePackage = readFileSync(join(root, 'Cargo.toml'), 'utf8').split(/^\[/m).find((table) => table.startsWith('package]'));
  for (const field of ['repository', 'homepage']) {
    assert.equal(manifest[field], cratePackage.match(new RegExp(`^${field}\\s*=\\s*"([^"]+)"`, 'm'))?.[1], field);
  }
  assert.equal(manifest.bugs, undefined);
});

test('SPiD 2.x\'s rules are in global.js\'s wasm alone: the module API\'s wasm exports none of them', () => {
  const exports = (file) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(pkg, file)))).length;
  // wasm-opt shortens the export names, so the counts tell: the 2.x rules are exports of their own (src/spid2.rs).
  assert.ok(exports('global.wasm') > exports('schacc_sdk_bg.wasm'), 'global.wasm has the 2.x rules');
  // Nor does index.js carry 2.x's option defaults (names.js's SPID2_ lists).
  assert.ok(readFileSync(join(pkg, 'global.js'), 'utf8').includes('cache_time_no_asset'), 'global.js has 2.x\'s options');
  assert.ok(!readFileSync(join(pkg, 'index.js'), 'utf8').includes('cache_time_no_asset'), 'index.js has none of them');
});
