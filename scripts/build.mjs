// Builds pkg/, exactly what `npm publish` would ship:
// cargo (wasm32, release) → wasm-bindgen --target web → wasm-opt -Oz → pkg-template.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

const bindgenDir = join(root, 'target/bindgen');
const pkg = join(root, 'pkg');

// The emulator serves the demo and the tests.
run('cargo', ['build', '-p', 'schacc-emulator']);
run('cargo', ['build', '-p', 'schacc-sdk', '--lib', '--target', 'wasm32-unknown-unknown', '--release']);
rmSync(bindgenDir, { recursive: true, force: true });
run('wasm-bindgen', [
  '--target', 'web', '--no-typescript', '--out-dir', bindgenDir,
  join(root, 'target/wasm32-unknown-unknown/release/schacc_sdk.wasm'),
]);

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
cpSync(join(root, 'pkg-template'), pkg, { recursive: true });
cpSync(join(bindgenDir, 'schacc_sdk.js'), join(pkg, 'schacc_sdk.js'));
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

const shipped = readdirSync(pkg).filter((f) => /\.(js|wasm)$/.test(f));
let raw = 0, gz = 0;
for (const file of shipped) {
  const bytes = readFileSync(join(pkg, file));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
}
console.log(`build: pkg/ ${shipped.join(' + ')} = ${raw} bytes raw, ${gz} bytes gzip -9 (each file gzipped)`);
