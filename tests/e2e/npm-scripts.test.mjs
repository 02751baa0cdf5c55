// A fresh clone: every npm script installs what it needs first (scripts/setup.sh), and the build run
// without it says in one line what to run instead of crashing on a missing tool
// (`spawnSync node_modules/.bin/wasm-opt ENOENT`). No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('every npm script runs scripts/setup.sh before anything else', () => {
  assert.ok(Object.keys(manifest.scripts).length >= 4);
  for (const [name, line] of Object.entries(manifest.scripts)) {
    assert.match(line, /^bash scripts\/setup\.sh( --browsers)? && /, `npm run ${name}: ${line}`);
  }
});

test('what the build spawns from node_modules is a devDependency, which setup.sh installs (npm ci)', () => {
  for (const dependency of ['binaryen', 'esbuild']) assert.ok(manifest.devDependencies[dependency], dependency);
  assert.match(readFileSync(join(root, 'scripts/setup.sh'), 'utf8'), /npm ci\b/);
});

test('the build without node_modules (a fresh clone, setup not run) says in one line what to run', () => {
  const clone = mkdtempSync(join(tmpdir(), 'schacc-fresh-'));
  try {
    mkdirSync(join(clone, 'scripts'));
    for (const file of ['wasm-pipeline.mjs', 'release-toolchain']) cpSync(join(root, 'scripts', file), join(clone, 'scripts', file));
    const built = spawnSync(process.execPath, ['--input-type=module', '-e', `
      const { buildWasm } = await import(${JSON.stringify(join(clone, 'scripts/wasm-pipeline.mjs'))});
      buildWasm({ cargoArgs: [], crate: 'none', name: 'none', targetDir: 'target', workDir: 'target/work', outDir: 'target/out' });
    `], { cwd: clone, encoding: 'utf8', timeout: 60_000 });
    assert.equal(built.status, 1, built.stderr);
    const lines = built.stderr.trim().split('\n');
    assert.equal(lines.length, 1, built.stderr);
    assert.match(lines[0], /^build: .*node_modules\/\.bin\/esbuild, .*node_modules\/\.bin\/wasm-opt.* missing: run `bash scripts\/setup\.sh` first/);
    assert.doesNotMatch(built.stderr, /ENOENT|at /);
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
});
