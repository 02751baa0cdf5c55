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
], { env: { ...process.env, RUSTFLAGS: '-Zunstable-options -Cpanic=immediate-abort -Clink-arg=-zstack-size=65536 -Ctarget-feature=-reference-types -Zfmt-debug=none -Zlocation-detail=none' } });
rmSync(bindgenDir, { recursive: true, force: true });
run('wasm-bindgen', [
  '--target', 'web', '--no-typescript', '--out-dir', bindgenDir,
  join(root, 'target/pkg/wasm32-unknown-unknown/release/schacc_sdk.wasm'),
]);

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
cpSync(join(root, 'pkg-template'), pkg, { recursive: true });
// wasm-bindgen names every import and export after its Rust path plus a hash
// (up to 250 characters, and the hashes do not compress); both the wasm and
// the glue carry each name. wasm-opt shortens them and prints the mapping,
// which is then applied to the glue.
const mapping = JSON.parse(execFileSync(join(root, 'node_modules/.bin/wasm-opt'), [
  '-Oz', '--strip-debug', '--strip-producers', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', '--minify-imports-and-exports-and-modules',
  join(bindgenDir, 'schacc_sdk_bg.wasm'), '-o', join(pkg, 'schacc_sdk_bg.wasm'),
], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
const shortModules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(join(pkg, 'schacc_sdk_bg.wasm')))).map((i) => i.module));
if (shortModules.size !== 1 || !shortModules.has('a')) throw new Error(`build: wasm-opt named the import modules ${[...shortModules]}, the glue expects "a"`);
const glue = join(bindgenDir, 'schacc_sdk.min-names.js');
writeFileSync(glue, renameWasmNames(readFileSync(join(bindgenDir, 'schacc_sdk.js'), 'utf8'), mapping));

// The shipped JavaScript is minified; pkg-template/ keeps the readable source.
for (const [from, to] of [[glue, 'schacc_sdk.js'], [join(root, 'pkg-template/index.js'), 'index.js']]) {
  run(join(root, 'node_modules/.bin/esbuild'), [from, '--minify', '--format=esm', '--target=es2020', '--log-level=warning', `--outfile=${join(pkg, to)}`]);
}

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

/**
 * Applies wasm-opt's import/export renaming to wasm-bindgen's glue: the import
 * object's module and keys, and every `wasm.<export>`. Fails the build if a
 * long name survives, so a change in wasm-bindgen's output cannot ship a glue
 * that no longer matches its wasm.
 */
function renameWasmNames(source, { imports, exports }) {
  const word = (name) => name.replace(/[$.]/g, '\\$&');
  const modules = new Set(imports.map(([module]) => module));
  let out = source;
  for (const [, from, to] of imports) {
    out = out.replace(new RegExp(`(?<![\\w$.])${word(from)}(?=: function)`, 'g'), () => JSON.stringify(to));
  }
  for (const [from, to] of exports) {
    out = out.replace(new RegExp(`\\bwasm\\.${word(from)}(?![\\w$])`, 'g'), () => `wasm[${JSON.stringify(to)}]`);
  }
  for (const module of modules) {
    out = out.replaceAll(`${JSON.stringify(module)}: import0`, '"a": import0');
  }
  const leftover = [...imports.map(([, from]) => from), ...exports.map(([from]) => `wasm.${from}`)]
    .filter((name) => new RegExp(`(?<![\\w$])${word(name)}(?![\\w$])`).test(out));
  if (leftover.length || !out.includes('"a": import0')) {
    throw new Error(`build: the glue still names ${leftover.join(', ') || 'the old import module'}; wasm-bindgen's output changed`);
  }
  return out;
}
