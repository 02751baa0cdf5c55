// Builds pkg/, exactly what `npm publish` would ship:
// cargo (wasm32, release) → wasm-bindgen --target web → wasm-opt -Oz → pkg-template.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

const bindgenDir = join(root, 'target/bindgen');
const pkg = join(root, 'pkg');

// The emulator serves the demo and the tests.
run('cargo', ['build', '-p', 'schacc-emulator']);
// Size is a feature: nightly rebuilds std with `panic=immediate-abort`, so no
// panic message or `core::fmt` machinery is linked in, and a 64 KiB stack
// replaces the default 1 MiB (see docs/PERFORMANCE.md).
run('cargo', [
  '+nightly', 'build', '-p', 'schacc-sdk', '--lib', '--target', 'wasm32-unknown-unknown', '--release',
  '-Zbuild-std=std,panic_abort', '--target-dir', join(root, 'target/pkg'),
], { env: { ...process.env, RUSTFLAGS: '-Zunstable-options -Cpanic=immediate-abort -Clink-arg=-zstack-size=65536' } });
rmSync(bindgenDir, { recursive: true, force: true });
run('wasm-bindgen', [
  '--target', 'web', '--no-typescript', '--out-dir', bindgenDir,
  join(root, 'target/pkg/wasm32-unknown-unknown/release/schacc_sdk.wasm'),
]);

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
cpSync(join(root, 'pkg-template'), pkg, { recursive: true });
// The shipped JavaScript is minified; pkg-template/ keeps the readable source.
for (const [from, to] of [[join(bindgenDir, 'schacc_sdk.js'), 'schacc_sdk.js'], [join(root, 'pkg-template/index.js'), 'index.js']]) {
  run(join(root, 'node_modules/.bin/esbuild'), [from, '--minify', '--keep-names', '--format=esm', '--target=es2020', '--log-level=warning', `--outfile=${join(pkg, to)}`]);
}
run(join(root, 'node_modules/.bin/wasm-opt'), [
  '-Oz', '--strip-debug', '--strip-producers', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
  join(bindgenDir, 'schacc_sdk_bg.wasm'), '-o', join(pkg, 'schacc_sdk_bg.wasm'),
]);

// The version the package reports is the crate's.
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
// global.js, the SPiD 2.x drop-in, is a classic script: an IIFE that knows the version.
run(join(root, 'node_modules/.bin/esbuild'), [
  join(root, 'pkg-template/global.js'), '--minify', '--format=iife', '--target=es2020', '--log-level=warning',
  `--define:SCHACC_VERSION=${JSON.stringify(manifest.version)}`, `--outfile=${join(pkg, 'global.js')}`,
]);

// What a page loads: the ESM entry (index.js + glue + wasm), or global.js on top of it for 2.x pages.
const measure = (files) => files.reduce(([raw, gz], file) => {
  const bytes = readFileSync(join(pkg, file));
  return [raw + bytes.length, gz + gzipSync(bytes, { level: 9 }).length];
}, [0, 0]);
const esm = ['index.js', 'schacc_sdk.js', 'schacc_sdk_bg.wasm'];
const [raw, gz] = measure(esm);
const [globalRaw, globalGz] = measure(['global.js']);
console.log(`build: pkg/ ${esm.join(' + ')} = ${raw} bytes raw, ${gz} bytes gzip -9 (each file gzipped); global.js adds ${globalRaw} raw, ${globalGz} gzip`);
