// The TypeScript types of pkg/: the whole API type-checks under --strict,
// and a misspelled event name does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './harness.mjs';

// Each file has its own tsconfig (strict; `schacc-sdk` mapped to pkg/index.d.ts).
const tsc = (name) => spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', `tests/types/tsconfig.${name}.json`], { cwd: root, encoding: 'utf8' });

test('tsc --strict --noEmit accepts a file that uses the whole API', () => {
  const result = tsc('usage');
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('tsc --strict --noEmit rejects a misspelled event name', () => {
  const result = tsc('misspelled-event');
  assert.notEqual(result.status, 0);
  assert.match(result.stdout, /SPiD\.logut/);
});
