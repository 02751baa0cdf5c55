// Git tracks sources, never build output: what `git ls-files` lists must hold no
// cargo target directory (at any depth: bench/core-floor once shipped 85 MiB of
// rlibs and fingerprints), no node_modules, no pkg/, no compiled objects; and
// .gitignore must ignore such output wherever a build puts it. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
const skip = existsSync(join(root, '.git')) && git('--version').status === 0 ? false : 'not a git checkout';

/** Build output: a directory a build writes, or a file a compiler writes. */
const BUILD_DIRECTORY = /(^|\/)(target|node_modules|\.fingerprint|test-results|\.cache)\//;
const ROOT_OUTPUT = /^(pkg|bench\/results\.json)(\/|$)/;
const BUILD_FILE = /(^|\/)(CACHEDIR\.TAG|\.cargo-lock|\.rustc_info\.json)$|\.(rlib|rmeta|o|a|so|dylib|dll|exe|pdb|wasm)$/;
export const isBuildOutput = (path) => BUILD_DIRECTORY.test(path) || ROOT_OUTPUT.test(path) || BUILD_FILE.test(path);

test('the rule recognises build output and leaves sources alone', () => {
  for (const path of [
    'bench/core-floor/target/debug/.fingerprint/bumpalo-805a3c72db1eb51e/lib-bumpalo',
    'bench/core-floor/target/CACHEDIR.TAG', 'target/release/libschacc_sdk.rlib', 'fuzz/target/x',
    'examples/emulator/target/debug/schacc-emulator', 'tests/packaging/vite8/node_modules/vite/package.json',
    'pkg/index.js', 'pkg/schacc_sdk_bg.wasm', 'deps/libfoo.rmeta', 'bench/results.json',
  ]) assert.equal(isBuildOutput(path), true, path);
  for (const path of [
    'Cargo.toml', 'bench/core-floor/Cargo.lock', 'pkg-template/index.js', 'pkg-template/index.d.ts', 'crates/core/src/url.rs',
    'scripts/build.mjs', 'tests/packaging/pages/load.js', 'docs/PERFORMANCE.md', 'fuzz/fuzz_targets/url.rs',
  ]) assert.equal(isBuildOutput(path), false, path);
});

test('git tracks no build output', { skip }, () => {
  const listed = git('ls-files', '-z');
  assert.equal(listed.status, 0, listed.stderr);
  const output = listed.stdout.split('\0').filter((path) => path && isBuildOutput(path));
  assert.deepEqual(output.slice(0, 20), [], `${output.length} tracked file(s) of build output: git rm -r --cached them`);
});

test('.gitignore ignores every target/ and node_modules/, at any depth', { skip }, () => {
  for (const path of ['target/x', 'bench/core-floor/target/x', 'examples/emulator/target/x', 'fuzz/target/x', 'node_modules/x', 'tests/packaging/vite8/node_modules/x', 'pkg/index.js']) {
    const checked = git('check-ignore', '-q', '--no-index', path);
    assert.equal(checked.status, 0, `${path} is not ignored (${checked.stderr.trim() || 'no rule'})`);
  }
});
