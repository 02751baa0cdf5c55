// The build refuses a wasm that needs a feature beyond the support floor (Chrome 103, Safari 16.0,
// Firefox 100: MVP + bulk memory, multi-value, non-trapping float-to-int, sign extension):
// scripts/wasm-pipeline.mjs's checkFeatures(), which buildWasm() runs on every wasm it ships. Fed here
// small modules written byte by byte: SIMD, tail calls and extended-const must be refused (also when a
// target_features section claims them), the floor's own features and the shipped wasm accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFeatures, leb, root } from '../../scripts/wasm-pipeline.mjs';
const vector = (items) => [...leb(items.length), ...items.flat()];
const section = (id, body) => [id, ...leb(body.length), ...body];
const name = (text) => vector([...Buffer.from(text)]);

/** A module of one function `() -> results` with `code` (instructions, without the final `end`), and other sections. */
function moduleWith({ code = null, results = [], memory = false, globals = null, custom = [] }) {
  const body = code && [0x00, ...code, 0x0b]; // no locals
  return Buffer.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...(code ? section(1, vector([[0x60, 0x00, ...vector(results)]])) : []), // type 0: () -> results
    ...(code ? section(3, vector([[0x00]])) : []), // function 0: type 0
    ...(memory ? section(5, vector([[0x00, 0x01]])) : []), // one page
    ...(globals ? section(6, vector(globals)) : []),
    ...(code ? section(10, vector([[...leb(body.length), ...body]])) : []),
    ...custom.flatMap(([title, content]) => section(0, [...name(title), ...content])),
  ]);
}

const i32 = (n) => [0x41, ...leb(n)];
const NEEDS_MORE = {
  // v128.const 0 ; drop
  SIMD: moduleWith({ code: [0xfd, 0x0c, ...Array(16).fill(0), 0x1a] }),
  // return_call 0
  'tail calls': moduleWith({ code: [0x12, 0x00] }),
  // global i32 = i32.const 1 ; i32.const 2 ; i32.add
  'extended-const': moduleWith({ globals: [[0x7f, 0x00, ...i32(1), ...i32(2), 0x6a, 0x0b]] }),
  // SIMD again, with a target_features section that claims it (+simd128): the record does not count.
  'SIMD, claimed in target_features': moduleWith({
    code: [0xfd, 0x0c, ...Array(16).fill(0), 0x1a],
    custom: [['target_features', vector([[0x2b, ...name('simd128')]])]],
  }),
};
const WITHIN_FLOOR = {
  MVP: moduleWith({ code: [...i32(1), 0x1a] }),
  // memory.fill 0 0 0 ; memory.copy 0 0 0
  'bulk memory': moduleWith({ memory: true, code: [...i32(0), ...i32(0), ...i32(0), 0xfc, 0x0b, 0x00, ...i32(0), ...i32(0), ...i32(0), 0xfc, 0x0a, 0x00, 0x00] }),
  // i32.const 1 ; i32.extend8_s ; drop
  'sign extension': moduleWith({ code: [...i32(1), 0xc0, 0x1a] }),
  // f32.const 0 ; i32.trunc_sat_f32_s ; drop
  'non-trapping float-to-int': moduleWith({ code: [0x43, 0, 0, 0, 0, 0xfc, 0x00, 0x1a] }),
  // a function () -> (i32, i32): i32.const 1 ; i32.const 2
  'multi-value': moduleWith({ results: [0x7f, 0x7f], code: [...i32(1), ...i32(2)] }),
};

const dir = mkdtempSync(join(tmpdir(), 'schacc-features-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const write = (title, bytes) => {
  const file = join(dir, `${title.replace(/\W+/g, '-')}.wasm`);
  writeFileSync(file, bytes);
  return file;
};

test('the hand-written modules are valid wasm where every feature is on', () => {
  for (const [title, bytes] of Object.entries({ ...NEEDS_MORE, ...WITHIN_FLOOR })) {
    const checked = spawnSync(join(root, 'node_modules/.bin/wasm-opt'), ['--all-features', write(title, bytes)], { encoding: 'utf8' });
    assert.equal(checked.status, 0, `${title}: ${checked.stderr}`);
  }
});

for (const [title, bytes] of Object.entries(NEEDS_MORE)) {
  test(`the build refuses a wasm that uses ${title}`, () => {
    assert.throws(() => checkFeatures(write(title, bytes)), (error) => {
      assert.match(error.message, /needs a wasm feature beyond the support floor \(Chrome 103, Safari 16\.0, Firefox 100/);
      assert.match(error.message, /wasm-opt says:\n\S/, 'it says which');
      return true;
    });
  });
}

for (const [title, bytes] of Object.entries(WITHIN_FLOOR)) {
  test(`the build accepts ${title}`, () => {
    checkFeatures(write(title, bytes));
  });
}

test('the wasm pkg/ ships is within the floor', { skip: existsSync(join(root, 'pkg/schacc_sdk_bg.wasm')) ? false : 'pkg/ not built' }, () => {
  checkFeatures(join(root, 'pkg/schacc_sdk_bg.wasm'));
});
