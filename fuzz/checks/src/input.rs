//! The byte decoding shared by every target: length-prefixed UTF-8 strings,
//! tagged `Raw` values, numbers from a table of edge cases or 8 raw bytes
//! (`fuzz/make_seeds.py` writes seeds in the same encoding).

use schacc_core::config::MAX_TIMEOUT_MS;
use schacc_core::raw::Raw;

pub struct Input<'a> {
    data: &'a [u8],
}

/// Numbers a fuzzer rarely finds by chance, picked by a tag byte < 24.
const NUMBERS: [f64; 24] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    MAX_TIMEOUT_MS,
    MAX_TIMEOUT_MS + 0.5,
    MAX_TIMEOUT_MS + 1.0,
    0.5,
    0.999_999,
    1e12,
    f64::MAX,
    f64::MIN_POSITIVE,
    5000.0,
    200.0,
    200.000_000_1,
    1001.0,
    4_294_967_296.0,
    -300_000.0,
    1.5,
    f64::EPSILON,
    9_007_199_254_740_993.0,
];

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        head
    }

    /// A length byte (0xFF: two more bytes, big-endian, for long strings),
    /// then that many bytes read as UTF-8 (invalid sequences become U+FFFD).
    pub fn string(&mut self) -> String {
        let mut len = usize::from(self.byte());
        if len == 0xFF {
            len = usize::from(self.byte()) << 8 | usize::from(self.byte());
        }
        String::from_utf8_lossy(self.bytes(len)).into_owned()
    }

    pub fn number(&mut self) -> f64 {
        let tag = self.byte();
        if usize::from(tag) < NUMBERS.len() {
            NUMBERS[usize::from(tag)]
        } else {
            let mut bits = [0u8; 8];
            let got = self.bytes(8);
            bits[..got.len()].copy_from_slice(got);
            f64::from_le_bytes(bits)
        }
    }

    pub fn raw(&mut self) -> Raw {
        match self.byte() % 5 {
            0 => Raw::Absent,
            1 => Raw::Text(self.string()),
            2 => Raw::Number(self.number()),
            3 => Raw::Bool(self.byte() & 1 == 1),
            _ => Raw::Other,
        }
    }
}
