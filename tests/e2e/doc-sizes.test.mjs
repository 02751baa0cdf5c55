// Every size the READMEs state about pkg/'s ways of loading is what the last build gives: measured here
// from pkg/ exactly as scripts/build.mjs prints it (tests/e2e/sizes.mjs has the rounding). The package
// README's bundler table is checked against the packaging matrix's own run (tests/packaging/matrix.test.mjs);
// any other KB figure in either README is an unchecked claim and fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSize, kb, statedSizes } from './sizes.mjs';

const root = new URL('../..', import.meta.url).pathname;
const measure = (...files) => files.reduce((sum, file) => sum + gzipSize(readFileSync(join(root, 'pkg', file))), 0);
const size = {
  file: measure('index.js', 'schacc_sdk_bg.wasm'),
  inline: measure('inline.js'),
  fallback: measure('index.js', 'schacc_sdk_inline.js'),
  global: measure('global.js'),
};
const KB = (bytes) => `${kb(bytes)} KB`;

/** The text of the section `## title` of `file`. */
function section(file, title) {
  const text = readFileSync(join(root, file), 'utf8');
  const from = text.indexOf(`\n## ${title}\n`);
  assert.ok(from >= 0, `${file} has no section "${title}"`);
  const end = text.indexOf('\n## ', from + 1);
  return text.slice(from, end < 0 ? undefined : end);
}

// [file, section, what, where the figure is stated (its first group), the figure]
const CLAIMS = [
  ['README.md', 'Size', 'the file path', /`schacc_sdk_bg\.wasm`:\s+(\S+ KB)\s+gzipped/, KB(size.file)],
  ['README.md', 'Size', 'inline.js', /\(`inline\.js`:\s+(\S+ KB)\)/, KB(size.inline)],
  ['README.md', 'Size', 'global.js', /`global\.js`\s+\((\S+ KB)\)/, KB(size.global)],
  ['pkg-template/README.md', 'Size', 'the file path', /`schacc_sdk_bg\.wasm`\)\s+(\S+ KB)/, KB(size.file)],
  ['pkg-template/README.md', 'Size', 'inline.js', /\(`inline\.js`\)\s+(\S+ KB)/, KB(size.inline)],
  ['pkg-template/README.md', 'Size', 'the fallback', /`schacc_sdk_inline\.js`\)\s+(\S+ KB)/, KB(size.fallback)],
  ['pkg-template/README.md', 'Size', 'global.js', /`global\.js`\s+(\S+ KB)/, KB(size.global)],
  ['pkg-template/README.md', 'Bundlers and pages', "schacc-sdk/inline's extra bytes", /(\S+ KB)\s+more\s+gzipped/, KB(size.inline - size.file)],
];

test('pkg/ measured (gzip -9 per file, summed)', () => {
  console.log(`pkg/: the file ${size.file} B, inline.js ${size.inline} B, the fallback ${size.fallback} B, global.js ${size.global} B`);
  for (const bytes of Object.values(size)) assert.ok(bytes > 1000);
});

for (const [file, title, what, where, figure] of CLAIMS) {
  test(`${file} (${title}) states ${what} as measured: ${figure}`, () => {
    const stated = section(file, title).match(where);
    assert.ok(stated, `${file}, section "${title}": no figure for ${what} (${where})`);
    assert.equal(stated[1], figure, `${file} states ${what} as ${stated[1]}; the build gives ${figure}: write that`);
  });
}

test('no other size is stated in either README (the bundler table is the matrix\'s)', () => {
  for (const file of ['README.md', 'pkg-template/README.md']) {
    const text = readFileSync(join(root, file), 'utf8');
    const outsideTable = text.split('\n').filter((line) => !(file === 'pkg-template/README.md' && line.startsWith('|'))).join('\n');
    const checked = CLAIMS.filter(([claimed]) => claimed === file).length;
    assert.equal(statedSizes(outsideTable).length, checked, `${file} states ${statedSizes(outsideTable).join(', ')}; only ${checked} are checked`);
  }
});
