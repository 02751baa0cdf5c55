// How the docs state a size, one rule for all of them (tests/e2e/doc-sizes.test.mjs checks the
// README figures of pkg/'s ways of loading, tests/packaging/matrix.test.mjs the package README's
// bundler table): the bytes a page loads are each file gzipped with -9, summed (as scripts/build.mjs
// prints them and a server sends them); a figure is in KB of 1,000 bytes with one decimal, rounded
// half up (19,102 B → "19.1 KB", 20,450 B → "20.5 KB"); a range "a–b KB" gives the smallest and the
// largest of the rows it stands for, one figure where both round alike.
import { gzipSync } from 'node:zlib';

export const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** `bytes` as the docs write them: "19.1" (KB). */
export const kb = (bytes) => (Math.round(bytes / 100) / 10).toFixed(1);

/** "a KB", or "a–b KB" for the smallest and the largest of `sizes` where they round differently. */
export function kbRange(sizes) {
  const [low, high] = [kb(Math.min(...sizes)), kb(Math.max(...sizes))];
  return low === high ? `${low} KB` : `${low}–${high} KB`;
}

/** Every size figure ("19.1 KB", "28.1–28.2 KB") in `text`, as written. */
export const statedSizes = (text) => [...text.matchAll(/\d+(?:\.\d+)?(?:–\d+(?:\.\d+)?)?\s+KB\b/g)].map(([figure]) => figure.replace(/\s+/, ' '));
