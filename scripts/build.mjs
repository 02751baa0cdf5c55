// Builds pkg/, exactly what `npm publish` would ship:
// cargo (wasm32, release) → wasm-bindgen --target web → wasm-opt -Oz → the
// entries of pkg-template/ bundled by esbuild and minified by esbuild, then terser.
//
// pkg/ holds three ways to load the same wasm (see pkg-template/load.js); each entry carries the
// wasm-bindgen glue bundled in (one file fewer to fetch, and minified together with the loader):
//   index.js + schacc_sdk_bg.wasm         the file, next to the loader (Vite, webpack, Parcel, Next.js, browsers)
//            (+ schacc_sdk_inline.js if fetching the file fails, + load-error.js if loading fails)
//   inline.js                             the wasm inlined: tools that copy no files (esbuild, Rollup, Node)
//   global.js                             one classic script with everything, for SPiD 2.x pages, with a wasm
//                                         of its own (+ SPiD 2.x's rules: the `spid2` feature), inlined;
//                                         global.wasm is that wasm, for pages that name it with data-wasm
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { buildWasm, esbuild, root, run } from './wasm-pipeline.mjs';

const pkg = join(root, 'pkg');
// The sources the entries are bundled from: pkg-template/ plus the generated glue, wasm and inlined wasm.
const src = join(root, 'target/pkg-src');
// The same for global.js, whose wasm carries SPiD 2.x's rules too (the `spid2` feature, src/spid2.rs).
const srcGlobal = join(root, 'target/pkg-src-global');

rmSync(pkg, { recursive: true, force: true });
rmSync(src, { recursive: true, force: true });
rmSync(srcGlobal, { recursive: true, force: true });
mkdirSync(pkg);
cpSync(join(root, 'pkg-template'), src, { recursive: true });
// Every name the wasm and the JavaScript share (event names, error codes and messages, operation numbers, option
// keys, limits), written from the Rust lists (src/names.rs) over the checked-in copy, which tests/contract.rs
// keeps fresh for the wasm-bindgen test runner.
run('cargo', ['run', '-q', '-p', 'schacc-sdk', '--example', 'emit-names', '--', join(src, 'names.js')]);
// The version, for the manifest and for the name the wasm gives itself.
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
cpSync(src, srcGlobal, { recursive: true });
const { inflate } = await import(join(src, 'inflate.js'));

/** Builds the wasm (with `features`) and its glue into `dir`, and its inlined copy: the wasm deflated, in base64
 * (pkg-template/inflate.js), loaded only where the file cannot be. Returns the wasm. */
function wasmWithInlinedCopy(dir, features, workDir) {
  buildWasm({
    cargoArgs: ['-p', 'schacc-sdk', '--lib', ...features], crate: 'schacc_sdk', name: `schacc-sdk ${version}`,
    targetDir: join(root, 'target/pkg'), workDir, outDir: dir,
  });
  const wasm = readFileSync(join(dir, 'schacc_sdk_bg.wasm'));
  const deflated = deflateRawSync(wasm, { level: 9 });
  writeFileSync(join(dir, 'schacc_sdk_inline.js'), "import { inflated } from './inflate.js';\n\n"
    + `export default () => inflated(${JSON.stringify(deflated.toString('base64'))}, ${wasm.length});\n`);
  if (!Buffer.from(inflate(deflated, wasm.length)).equals(wasm)) throw new Error('build: inflate() does not give back the wasm');
  return wasm;
}
// Each in a work dir of its own: target/bindgen keeps the module API's glue before and after renaming, which
// tests/e2e/crossings.test.mjs reads for its report.
const wasm = wasmWithInlinedCopy(src, [], join(root, 'target/bindgen'));
wasmWithInlinedCopy(srcGlobal, ['--features', 'spid2'], join(root, 'target/bindgen-global'));

// Shipped as they are: the manifest (with the crate's version), docs, types and the wasm.
const manifest = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
manifest.version = version;
// Where the project lives comes from one place too, Cargo.toml's [package], and only where it names it:
// pkg-template/package.json names no repository, so nothing unvouched-for reaches npm.
const cratePackage = readFileSync(join(root, 'Cargo.toml'), 'utf8').split(/^\[/m).find((table) => table.startsWith('package]')) ?? '';
for (const key of ['repository', 'homepage']) {
  const value = cratePackage.match(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, 'm'))?.[1];
  if (value) manifest[key] = value;
}
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
for (const file of ['README.md', 'LICENSE', 'index.d.ts', 'global.d.ts', 'schacc_sdk_bg.wasm']) {
  cpSync(join(src, file), join(pkg, file));
}
cpSync(join(srcGlobal, 'schacc_sdk_bg.wasm'), join(pkg, 'global.wasm'));

// The entries, minified; pkg-template/ keeps the readable source. SCHACC_BENCH false leaves the bench's
// dispatch hook out of every entry (the bench builds its own index.js: scripts/bench.mjs); SCHACC_GLOBAL is
// true for global.js alone, whose load errors name its own wasm.
// Then terser over esbuild's output: its compression (three passes) and mangling take 223 B (3.7 %) more off
// index.js gzipped, 735 B off global.js. A tool that minifies the package again keeps part of that or none
// (docs/PERFORMANCE.md has each one's figure). `preamble` is written before terser's output as it is.
async function bundle(entry, out, args, from = src, preamble = undefined) {
  const file = join(pkg, out);
  run(esbuild, [
    join(from, entry), '--bundle', '--minify', '--target=chrome103,safari16,firefox100', '--log-level=warning',
    '--define:SCHACC_BENCH=false', `--define:SCHACC_GLOBAL=${from === srcGlobal}`, `--outfile=${file}`, ...args,
  ]);
  const { code } = await minify(readFileSync(file, 'utf8'), {
    module: args.includes('--format=esm'), ecma: 2020, compress: { passes: 3 }, mangle: true, format: { preamble },
  });
  writeFileSync(file, code);
}
/** `--define`s of SCHACC_INLINE and SCHACC_ASSET_CHUNKS (pkg-template/load.js). */
const loading = (inline, assetChunks = false) => [`--define:SCHACC_INLINE=${inline}`, `--define:SCHACC_ASSET_CHUNKS=${assetChunks}`];
// index.js leaves the inlined wasm and the load errors' sentences to chunks fetched only when needed.
await bundle('index.js', 'index.js', [
  '--format=esm', ...loading(false), '--external:./schacc_sdk_inline.js', '--external:./load-error.js',
]);
// The same for production builds of Vite and webpack (the `production` condition): its chunks one file the tool
// copies and the browser imports as it is (pkg-template/fallback.js). Minifying drops the comments that keep the
// tools from bundling those imports, so they are put back, and the build fails if they cannot be.
await bundle('index.js', 'index.production.js', ['--format=esm', ...loading(false, true)]);
await bundle('fallback.js', 'schacc_sdk_fallback.js', ['--format=esm']);
{
  const file = join(pkg, 'index.production.js');
  const code = readFileSync(file, 'utf8');
  const unbundled = code.replaceAll('import(new URL(', 'import(/* webpackIgnore: true */ /* @vite-ignore */ new URL(');
  if (unbundled.split('webpackIgnore').length !== 3 || /import\(["'`]/.test(unbundled)) {
    throw new Error('build: index.production.js must import schacc_sdk_fallback.js by URL, twice, and nothing else');
  }
  writeFileSync(file, unbundled);
}
await bundle('load-error.js', 'load-error.js', ['--format=esm']);
await bundle('schacc_sdk_inline.js', 'schacc_sdk_inline.js', ['--format=esm']);
const { default: inlined } = await import(join(pkg, 'schacc_sdk_inline.js'));
if (!Buffer.from(await inlined()).equals(wasm)) throw new Error('build: the inlined copy does not give back the wasm');
await bundle('index.js', 'inline.js', ['--format=esm', ...loading(true)]);
// global.js, the SPiD 2.x drop-in: one classic script (an IIFE) that knows the version and needs no other file.
// The leading `;` keeps it whole when concatenated after a file that does not end its last statement.
await bundle('global.js', 'global.js', [
  '--format=iife', ...loading(true), `--define:SCHACC_VERSION=${JSON.stringify(version)}`,
], srcGlobal, `/*! schacc-sdk ${version} global.js, MIT */;`);

// What each way of loading ships (each file gzipped on its own, as a server sends it).
const measure = (files) => files.reduce(([raw, gz], file) => {
  const bytes = readFileSync(join(pkg, file));
  return [raw + bytes.length, gz + gzipSync(bytes, { level: 9 }).length];
}, [0, 0]);
const paths = {
  'the file (default)': ['index.js', 'schacc_sdk_bg.wasm'],
  'inline.js (esbuild, Rollup)': ['inline.js'],
  'fallback (the file failed)': ['index.js', 'schacc_sdk_inline.js'],
  'global.js': ['global.js'],
};
for (const [name, files] of Object.entries(paths)) {
  const [raw, gz] = measure(files);
  console.log(`build: ${name}: ${files.join(' + ')} = ${raw} bytes raw, ${gz} gzip -9`);
}

