// pkg-template/inflate.js, the inflater of the inlined wasm where DecompressionStream is missing
// (Safari 16.0–16.3, Firefox 100–112, Chrome 103): it gives back what zlib deflated, and a stream
// that is cut short or corrupt throws at once instead of decoding zeros past its end for ever.
// Each call runs in a worker, so a call that never returns fails the test instead of hanging it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import { inflate } from '../../pkg-template/inflate.js';

const INFLATE = new URL('../../pkg-template/inflate.js', import.meta.url).href;
const QUICKLY = 2000; // ms; a correct inflate of these few KB takes well under 10

/** `inflate(data, size)` in a worker: { ok, bytes } or { ok: false, message }, or { hung } after QUICKLY ms. */
function inflateInWorker(data, size) {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.module).then(({ inflate }) => {
      try {
        parentPort.postMessage({ ok: true, bytes: inflate(workerData.data, workerData.size) });
      } catch (error) {
        parentPort.postMessage({ ok: false, message: String(error?.message ?? error) });
      }
    });`, { eval: true, workerData: { module: INFLATE, data, size } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => worker.terminate().then(() => resolve({ hung: true })), QUICKLY);
    worker.once('message', (message) => {
      clearTimeout(timer);
      worker.terminate().then(() => resolve(message));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

// Text-like bytes (dynamic Huffman blocks), random bytes (stored blocks) and a short run (a fixed block).
const text = Buffer.from(Array.from({ length: 400 }, (_, i) => `line ${i}: schacc-sdk logs people out\n`).join(''));
const random = randomBytes(3000);
const short = Buffer.from('abcabcabcabc');
const SAMPLES = [
  ['dynamic Huffman', text, deflateRawSync(text, { level: 9 })],
  ['stored', random, deflateRawSync(random, { level: 0 })],
  ['fixed Huffman', short, deflateRawSync(short, { level: 9, strategy: 4 /* Z_FIXED */ })],
];

test('gives back what zlib deflated (dynamic, fixed and stored blocks)', () => {
  for (const [name, original, deflated] of SAMPLES) {
    assert.ok(Buffer.from(inflate(deflated, original.length)).equals(original), name);
  }
});

test('truncated input throws, quickly, wherever it is cut', async () => {
  for (const [name, original, deflated] of SAMPLES) {
    for (const cut of new Set([0, 1, 2, 5, deflated.length >> 1, deflated.length - 2, deflated.length - 1])) {
      const outcome = await inflateInWorker(deflated.subarray(0, cut), original.length);
      assert.deepEqual(outcome, { ok: false, message: 'invalid DEFLATE data' }, `${name} cut at ${cut} of ${deflated.length} bytes`);
    }
  }
});

test('a stream that holds fewer or more bytes than promised throws', async () => {
  for (const [name, original, deflated] of SAMPLES) {
    for (const size of [original.length - 1, original.length + 1]) {
      const outcome = await inflateInWorker(deflated, size);
      assert.equal(outcome.ok, false, `${name}: size ${size} of ${original.length}`);
    }
  }
});
