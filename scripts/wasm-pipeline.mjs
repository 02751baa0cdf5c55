// The wasm half of the build, shared by `npm run build` (the SDK) and
// `npm run bench` (the pure core alone, as a size floor): cargo on a dated nightly
// with std rebuilt for size → wasm-bindgen --target web → wasm-opt -Oz with
// short import/export names → esbuild-minified glue.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
export const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
export const esbuild = join(root, 'node_modules/.bin/esbuild');
// The dated nightly the release build uses (linked or installed by scripts/setup.sh).
export const releaseToolchain = `schacc-${readFileSync(join(root, 'scripts/release-toolchain'), 'utf8').trim()}`;

// Size is a feature: nightly rebuilds std with `panic=immediate-abort`, so no
// panic message or `core::fmt` machinery is linked in; a 64 KiB stack replaces
// the default 1 MiB; without reference types wasm-bindgen keeps JS values in a
// JS array and needs no wasm shims; every function may be inlined across
// crates (by default only tiny ones are): the many one-line wrappers of
// wasm-bindgen, js-sys and std then fold into their callers, which takes
// 1.6 KB gzip off the wasm (see docs/PERFORMANCE.md). LLVM's inliner weighs calls against a threshold of 13
// instead of opt-level "z"'s 5: measured, 280 B gzip less (11 to 15 give the same bytes; 10 and below, 16 and up
// give more; docs/PERFORMANCE.md).
const RUSTFLAGS = [
  '-Zunstable-options', '-Cpanic=immediate-abort', '-Clink-arg=-zstack-size=65536',
  '-Ctarget-feature=-reference-types', '-Zfmt-debug=none', '-Zlocation-detail=none',
  '-Zcross-crate-inline-threshold=always', '-Cllvm-args=-inline-threshold=13',
].join(' ');

/**
 * What the wasm steps need that scripts/setup.sh installs and a fresh clone lacks: the npm packages' esbuild
 * and wasm-opt, the wasm-bindgen CLI, the dated nightly. Their names, or none.
 */
export function needsSetup() {
  const missing = [esbuild, join(root, 'node_modules/.bin/wasm-opt')].filter((tool) => !existsSync(tool)).map((tool) => tool.slice(root.length));
  if (spawnSync('wasm-bindgen', ['--version'], { stdio: 'ignore' }).status !== 0) missing.push('the wasm-bindgen CLI');
  if (spawnSync('rustup', ['run', releaseToolchain, 'rustc', '--version'], { stdio: 'ignore' }).status !== 0) missing.push(`the ${releaseToolchain} toolchain`);
  return missing;
}

/** The custom section in which the wasm names itself; the glue refuses a wasm that names another. */
const ID_SECTION = 'schacc-sdk';

/**
 * Builds the cdylib `crate` (its cargo selection in `cargoArgs`) into
 * `outDir/<crate>_bg.wasm` and `outDir/<crate>.js`; `workDir` holds the
 * intermediate files. The wasm names itself `name` plus a hash of its code
 * (`ID_SECTION`), and the glue instantiates no wasm that names itself
 * otherwise: another version's, or another module that happens to link.
 */
export function buildWasm({ cargoArgs, crate, name, targetDir, workDir, outDir }) {
  const missing = needsSetup();
  if (missing.length) {
    console.error(`build: ${missing.join(', ')} missing: run \`bash scripts/setup.sh\` first (npm run build, start, test and bench do)`);
    process.exit(1);
  }
  run('cargo', [
    `+${releaseToolchain}`, 'build', ...cargoArgs, '--target', 'wasm32-unknown-unknown', '--release',
    '-Zbuild-std=std,panic_abort', '--target-dir', targetDir,
  ], { env: { ...process.env, RUSTFLAGS } });
  rmSync(workDir, { recursive: true, force: true });
  run('wasm-bindgen', [
    '--target', 'web', '--no-typescript', '--encode-into', 'always', '--out-dir', workDir,
    join(targetDir, `wasm32-unknown-unknown/release/${crate}.wasm`),
  ]);
  // wasm-opt three times: optimise for size until nothing changes (--converge), again after re-relooping,
  // then once more while shortening the names. wasm-bindgen names every import and export after its
  // Rust path plus a hash (up to 250 characters, and the hashes do not
  // compress); both the wasm and the glue carry each name. The second run
  // prints the mapping (once: under --converge it would print one per round),
  // which is then applied to the glue.
  const wasmOpt = (args) => execFileSync(join(root, 'node_modules/.bin/wasm-opt'), [
    '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals',
    '--enable-reference-types', '--enable-multivalue', ...args,
  ], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const optimized = join(workDir, `${crate}_bg.opt.wasm`);
  const pruned = join(workDir, `${crate}_bg.pruned.wat`);
  writeFileSync(pruned, withoutDeadTableEntries(execFileSync(join(root, 'node_modules/.bin/wasm-dis'), [join(workDir, `${crate}_bg.wasm`)], { encoding: 'utf8', maxBuffer: 1 << 28 })));
  wasmOpt(['-Oz', '--converge', '--strip-debug', '--strip-producers', '--strip-target-features', pruned, '-o', optimized]);
  // Then once more from a flattened, re-relooped form: the control flow rustc and LLVM left is rebuilt, and
  // -Oz finds more to fold (136 B gzip off the SDK's wasm, docs/PERFORMANCE.md).
  wasmOpt(['--flatten', '--rereloop', '-Oz', '--converge', optimized, '-o', optimized]);
  const wasm = join(outDir, `${crate}_bg.wasm`);
  const mapping = JSON.parse(wasmOpt(['-Oz', '--minify-imports-and-exports-and-modules', optimized, '-o', wasm]));
  const code = readFileSync(wasm);
  const id = `${name} ${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
  writeFileSync(wasm, Buffer.concat([code, customSection(ID_SECTION, id)]));
  checkFeatures(wasm);
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasm))).map((i) => i.module));
  if (modules.size > 1 || (modules.size === 1 && !modules.has('a'))) {
    throw new Error(`build: wasm-opt named the import modules ${[...modules]}, the glue expects "a"`);
  }
  const glue = join(workDir, `${crate}.min-names.js`);
  writeFileSync(glue, withSharedShell(withLoaderInit(id, withEncodeIntoOnly(renameWasmNames(readFileSync(join(workDir, `${crate}.js`), 'utf8'), mapping)))));
  const bundled = join(outDir, `${crate}.js`);
  // The JS the wasm imports (pkg-template/shell.js) stays a module of its own, next to the glue in `outDir`:
  // the entries bundle it once, for the glue and for the loader, which takes `SdkError` from it.
  run(esbuild, [glue, '--bundle', '--minify', '--format=esm', '--target=chrome103,safari16,firefox100', '--log-level=warning', '--external:./shell.js', `--outfile=${bundled}`]);
  // Loud, not silent: the glue the entries bundle must instantiate the shipped wasm (a
  // renamed import that no longer matches is a LinkError here, not in a page).
  run(process.execPath, ['--input-type=module', '-e', `
    import { readFileSync } from 'node:fs';
    const { default: init } = await import(${JSON.stringify(new URL(`file://${bundled}`).href)});
    await init(readFileSync(${JSON.stringify(wasm)}));
  `]);
}

/**
 * `wat` (wasm-dis's text of wasm-bindgen's output, names included) with the function table's dead entries pointing
 * at one function that traps instead. The linker puts every function whose address is taken into the table, and
 * wasm-opt keeps whatever the table holds (an index may be computed). Two kinds are dead here: wasm-bindgen's
 * closure shims for the closure types js-sys's bindings name (`Array.forEach`'s, the typed arrays', …), which JS
 * calls through an export, and only for closures the wasm makes (so a shim that is not exported is never called);
 * and js-sys's own task waker (`js_sys::futures`, which the SDK's executor replaces; src/browser/executor.rs).
 * About 1 KB of code, 0.4 KB gzipped (docs/PERFORMANCE.md). Table indices stay as they are.
 */
export function withoutDeadTableEntries(wat) {
  const name = String.raw`\$(?:"(?:[^"\\]|\\.)*"|[^\s()]+)`;
  const exported = new Set([...wat.matchAll(new RegExp(String.raw`^ \(export "[^"]*" \(func (${name})\)\)$`, 'gm'))].map((m) => m[1]));
  // Never blind: closure shims the glue calls are exported, so if some are but none was read, the text changed.
  if (/^ \(export "[^"]*closures[^"]*"/m.test(wat) && ![...exported].some((entry) => entry.includes('::convert::closures::'))) {
    throw new Error("build: wasm-dis's exports are not written as they were; no table entry is pruned without them");
  }
  const dead = (entry) => /js_sys\[[0-9a-f]+\]::futures::/.test(entry)
    || (/::convert::closures::_::invoke::</.test(entry) && !exported.has(entry));
  let pruned = 0;
  const text = wat.replace(/^ \(elem .*$/gm, (segment) => segment.replace(new RegExp(name, 'g'), (entry) => {
    if (!dead(entry)) return entry;
    pruned += 1;
    return '$__dead_table_entry';
  }));
  if (!pruned) return wat;
  return text.replace(/^ \(elem /m, ' (func $__dead_table_entry\n  (unreachable)\n )\n (elem ');
}

/**
 * The wasm features every browser of the support floor (Chrome 103, Safari 16.0, Firefox 100) has, beyond
 * the MVP: a wasm that needs any other (SIMD, tail calls, extended-const, reference types, …, which a
 * toolchain update may turn on) would not compile in Safari 16. wasm-opt's flags for them.
 */
export const FLOOR_FEATURES = ['--enable-bulk-memory', '--enable-multivalue', '--enable-nontrapping-float-to-int', '--enable-sign-ext'];

/**
 * Fails the build if the wasm at `file` uses any feature beyond the MVP and FLOOR_FEATURES: wasm-opt
 * validates it with just those enabled. A target_features section would enable what it names (wasm-opt
 * trusts it over its flags), so a copy without one is validated; the build strips it anyway.
 */
export function checkFeatures(file) {
  const copy = `${file}.features-check.wasm`;
  writeFileSync(copy, withoutSection(readFileSync(file), 'target_features'));
  try {
    execFileSync(join(root, 'node_modules/.bin/wasm-opt'), ['--mvp-features', ...FLOOR_FEATURES, copy], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const said = `${error.stderr ?? ''}${error.stdout ?? ''}`.split('\n').filter((line) => /\S/.test(line)).slice(0, 12).join('\n');
    throw new Error(`build: ${file} needs a wasm feature beyond the support floor (Chrome 103, Safari 16.0, Firefox 100: MVP, `
      + `bulk memory, multi-value, non-trapping float-to-int, sign extension); wasm-opt says:\n${said || error.message}`);
  } finally {
    rmSync(copy, { force: true });
  }
}

/** The wasm module `bytes` without its custom sections called `name`. */
function withoutSection(bytes, name) {
  /** The LEB128 number at `at`: `[value, where the next byte is]`. */
  const readLeb = (at) => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error('build: the wasm ends inside a section');
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return [value, at];
    }
  };
  const kept = [bytes.subarray(0, 8)];
  for (let at = 8; at < bytes.length;) {
    const [size, content] = readLeb(at + 1);
    const end = content + size;
    const [length, start] = bytes[at] === 0 ? readLeb(content) : [0, 0];
    if (!(bytes[at] === 0 && bytes.subarray(start, start + length).toString() === name)) kept.push(bytes.subarray(at, end));
    at = end;
  }
  return Buffer.concat(kept);
}

/**
 * wasm-bindgen's `init` and `initSync` find, fetch and check the wasm
 * themselves; the loader (pkg-template/load.js) already does all of that and
 * hands over a Response, bytes or a compiled Module. Their code (a second
 * fetch path, a default URL that bundlers would see as a second reference to
 * the file and that an IIFE cannot have) is replaced by the one step left:
 * instantiate, once.
 */
function withLoaderInit(id, source) {
  const from = source.indexOf('async function __wbg_load(');
  const tail = 'export { initSync, __wbg_init as default };';
  if (from < 0 || !source.trimEnd().endsWith(tail) || !source.includes('function __wbg_finalize_init(instance, module)')) {
    throw new Error("build: the glue's init functions are not where they were; wasm-bindgen's output changed");
  }
  return `${source.slice(0, from)}
/** Instantiates \`source\` (a Response, bytes or a WebAssembly.Module), once per page. */
async function __wbg_init(source) {
    if (wasm !== undefined) return;
    const imports = __wbg_get_imports();
    const result = await (source instanceof Response ? WebAssembly.instantiateStreaming(source, imports) : WebAssembly.instantiate(source, imports));
    const module = result.module ?? source;
    const [named] = WebAssembly.Module.customSections(module, ${JSON.stringify(ID_SECTION)});
    const wasmId = named ? new TextDecoder().decode(named) : '';
    if (wasmId !== ${JSON.stringify(id)}) throw { wasmId };
    __wbg_finalize_init(result.instance ?? result, module);
}
export { __wbg_init as default };
`;
}

/**
 * The glue's `passStringToWasm0` (a JS string into wasm memory) with `TextEncoder.encodeInto` alone, which every
 * browser the SDK supports has: a byte per UTF-16 unit, as for ASCII; where that is not room enough, three per unit
 * left, then the block shrunk to what was written. wasm-bindgen writes an ASCII loop and a second path besides,
 * `--encode-into always` notwithstanding. An empty string is never reallocated (no `realloc` of size 0).
 */
function withEncodeIntoOnly(source) {
  const start = source.indexOf('function passStringToWasm0(arg, malloc, realloc) {');
  const end = source.indexOf('\n}\n', start);
  if (start < 0 || end < 0 || !source.includes('const cachedTextEncoder = new TextEncoder();')) {
    throw new Error("build: the glue's passStringToWasm0 is not what it was; wasm-bindgen's output changed");
  }
  return `${source.slice(0, start)}function passStringToWasm0(arg, malloc, realloc) {
    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;
    let { read, written } = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + len));
    if (read < arg.length) {
        ptr = realloc(ptr, len, len = written + (arg.length - read) * 3, 1) >>> 0;
        written += cachedTextEncoder.encodeInto(arg.slice(read), getUint8ArrayMemory0().subarray(ptr + written, ptr + len)).written;
        ptr = realloc(ptr, len, written, 1) >>> 0;
    }
    WASM_VECTOR_LEN = written;
    return ptr;${source.slice(end)}`;
}

/** `n` as an unsigned LEB128, the bytes wasm writes every size and count in. */
export function leb(n) {
  const bytes = [];
  do {
    bytes.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n);
  return bytes;
}

/** A wasm custom section `name` holding the UTF-8 `text`. */
function customSection(name, text) {
  const body = Buffer.concat([Buffer.from(leb(Buffer.byteLength(name))), Buffer.from(name), Buffer.from(text)]);
  return Buffer.concat([Buffer.from([0, ...leb(body.length)]), body]);
}

/**
 * wasm-bindgen imports a snippet from its own copy (`./snippets/<crate>-<hash>/pkg-template/shell.js`); the glue
 * is pointed at `./shell.js` instead, the file the loader imports too, so the two share one module (one
 * `SdkError` class). A crate without snippets (the core floor) is left as it is.
 */
function withSharedShell(source) {
  return source.replace(/from '\.\/snippets\/[^']*\/pkg-template\/shell\.js';/, "from './shell.js';");
}

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
