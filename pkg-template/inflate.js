// The inlined copy of the wasm is deflated before base64, which gzip then
// packs to about the wasm's own gzipped size (a fifth less than base64 of
// the wasm itself). Browsers inflate it with DecompressionStream('deflate-raw'):
// every Chrome this SDK supports (from 103, which added 'deflate-raw'), Safari
// from 16.4 and Firefox from 113. The older ones it supports (Safari 16.0–16.3,
// Firefox 100–112) have no DecompressionStream and use inflate() below, after
// zlib's puff.c. Only in the inlined copy's chunk (and inline.js, global.js);
// scripts/build.mjs checks that both give back the wasm byte for byte.

const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// Length codes 257..285 and distance codes 0..29: extra bits, and the base each starts from.
const lengthExtra = (i) => (i < 8 || i > 27 ? 0 : (i >> 2) - 1);
const distanceExtra = (i) => (i < 4 ? 0 : (i >> 1) - 1);
const bases = (count, first, extra) => {
  const base = [first];
  for (let i = 1; i < count; i++) base[i] = base[i - 1] + (1 << extra(i - 1));
  return base;
};
const LENGTH_BASE = bases(29, 3, lengthExtra);
LENGTH_BASE[28] = 258;
const DISTANCE_BASE = bases(30, 1, distanceExtra);

/** A canonical Huffman code from its code lengths: how many codes of each length, and the symbols in order. */
function huffman(lengths) {
  const counts = new Uint16Array(16);
  const offsets = new Uint16Array(16);
  const symbols = new Uint16Array(lengths.length);
  for (const length of lengths) counts[length]++;
  counts[0] = 0;
  for (let i = 1; i < 16; i++) offsets[i] = offsets[i - 1] + counts[i - 1];
  lengths.forEach((length, symbol) => {
    if (length) symbols[offsets[length]++] = symbol;
  });
  return { counts, symbols };
}

/** Thrown for a stream that is cut short, corrupt, or holds other than `size` bytes. */
const invalid = () => {
  throw new Error('invalid DEFLATE data');
};

/** The `size` bytes that the raw DEFLATE stream `data` holds; throws if it is not exactly that. */
export function inflate(data, size) {
  const out = new Uint8Array(size);
  let at = 0; // output position
  let next = 0; // input position
  let buffer = 0; // input bits not used yet, `count` of them
  let count = 0;
  const bits = (n) => {
    // Past the end is an error, not zeros: zeros decode as symbols for ever.
    for (; count < n; count += 8) buffer |= (data[next++] ?? invalid()) << count;
    const value = buffer & ((1 << n) - 1);
    buffer >>>= n;
    count -= n;
    return value;
  };
  const decode = ({ counts, symbols }) => {
    for (let length = 1, code = 0, first = 0, index = 0; length < 16; length++) {
      code |= bits(1);
      if (code - counts[length] < first) return symbols[index + code - first];
      index += counts[length];
      first = (first + counts[length]) << 1;
      code <<= 1;
    }
    invalid();
  };
  let last;
  do {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      buffer = count = 0; // to the byte boundary
      const length = bits(16);
      bits(16);
      out.set(data.subarray(next, next + length), at);
      at += length;
      next += length;
      continue;
    }
    let literals;
    let distances;
    if (type === 1) {
      literals = huffman(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)));
      distances = huffman(Array(30).fill(5));
    } else {
      const literalCount = bits(5) + 257;
      const distanceCount = bits(5) + 1;
      const codeLengths = Array(19).fill(0);
      for (let i = 0, count = bits(4) + 4; i < count; i++) codeLengths[ORDER[i]] = bits(3);
      const lengthCode = huffman(codeLengths);
      const lengths = [];
      while (lengths.length < literalCount + distanceCount) {
        const symbol = decode(lengthCode);
        if (symbol < 16) lengths.push(symbol);
        else if (symbol === 16) lengths.push(...Array(3 + bits(2)).fill(lengths[lengths.length - 1]));
        else lengths.push(...Array(symbol === 17 ? 3 + bits(3) : 11 + bits(7)).fill(0));
      }
      literals = huffman(lengths.slice(0, literalCount));
      distances = huffman(lengths.slice(literalCount));
    }
    for (let symbol; (symbol = decode(literals)) !== 256;) {
      if (symbol < 256) {
        out[at++] = symbol;
        continue;
      }
      symbol -= 257;
      let length = LENGTH_BASE[symbol] + bits(lengthExtra(symbol));
      const code = decode(distances);
      const distance = DISTANCE_BASE[code] + bits(distanceExtra(code));
      for (; length > 0; length--, at++) out[at] = out[at - distance];
    }
  } while (!last);
  return at == size && next <= data.length ? out : invalid();
}

/** The `size` bytes deflated into `base64`: by the browser where it can, else by inflate(). */
export async function inflated(base64, size) {
  const deflated = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  try {
    const stream = new Blob([deflated]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    return inflate(deflated, size);
  }
}
