// Builds pkg/, exactly what `npm publish` would ship:
// cargo (wasm32, release) → wasm-bindgen --target web → wasm-opt -Oz → pkg-template.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWasm, esbuild, root, run } from './wasm-pipeline.mjs';

const pkg = join(root, 'pkg');

// The emulator serves the demo and the tests.
run('cargo', ['build', '-p', 'schacc-emulator']);

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
cpSync(join(root, 'pkg-template'), pkg, { recursive: true });
buildWasm({
  cargoArgs: ['-p', 'schacc-sdk', '--lib'], crate: 'schacc_sdk',
  targetDir: join(root, 'target/pkg'), workDir: join(root, 'target/bindgen'), outDir: pkg,
});
// The shipped JavaScript is minified; pkg-template/ keeps the readable source.
run(esbuild, [join(root, 'pkg-template/index.js'), '--minify', '--format=esm', '--target=es2020', '--log-level=warning', `--outfile=${join(pkg, 'index.js')}`]);

// The version the package reports is the crate's.
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
// global.js, the SPiD 2.x drop-in, is a classic script: an IIFE that knows the version.
run(esbuild, [
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
