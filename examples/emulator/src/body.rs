//! The response body: a buffer, or the lazily generated filler of a
//! `streamSize` fault, sent chunked (no `Content-Length`) 64 KiB at a time
//! without ever being held in memory.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Frame, SizeHint};

/// Start of the filler: `{"result":true,"pad":"`.
const HEAD: &[u8] = br#"{"result":true,"pad":""#;
/// End of the filler: `"}`.
const TAIL: &[u8] = br#""}"#;
/// Size of one chunk of a streamed filler.
const CHUNK: usize = 64 * 1024;
static PAD: [u8; CHUNK] = [b'x'; CHUNK];

pub(crate) enum Body {
    Full(Full<Bytes>),
    Filler(Filler),
}

impl Body {
    pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
        Body::Full(Full::new(bytes.into()))
    }

    /// Exactly `n` bytes of `{"result":true,"pad":"xxx…"}`, generated as it is sent.
    pub(crate) fn filler_stream(n: u64) -> Body {
        Body::Filler(Filler { len: n, sent: 0 })
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(full) => Pin::new(full).poll_frame(cx),
            Body::Filler(filler) => Poll::Ready(filler.next_chunk().map(|c| Ok(Frame::data(c)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Full(full) => full.is_end_stream(),
            Body::Filler(filler) => filler.sent >= filler.len,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(full) => full.size_hint(),
            // Unknown on purpose: hyper then sends it chunked, without Content-Length.
            Body::Filler(_) => SizeHint::default(),
        }
    }
}

/// The filler `HEAD + "x" * (len - 24) + TAIL`, cut to `len` bytes.
pub(crate) struct Filler {
    len: u64,
    sent: u64,
}

impl Filler {
    fn pad_len(&self) -> u64 {
        self.len.saturating_sub((HEAD.len() + TAIL.len()) as u64)
    }

    /// Byte `i` of the filler.
    fn byte(&self, i: u64) -> u8 {
        let head = HEAD.len() as u64;
        let pad = self.pad_len();
        if i < head {
            HEAD[i as usize]
        } else if i < head + pad {
            b'x'
        } else {
            TAIL.get((i - head - pad) as usize).copied().unwrap_or(b'x')
        }
    }

    fn next_chunk(&mut self) -> Option<Bytes> {
        if self.sent >= self.len {
            return None;
        }
        let start = self.sent;
        let n = (self.len - start).min(CHUNK as u64);
        let end = start + n;
        self.sent = end;
        let head = HEAD.len() as u64;
        if start >= head && end <= head + self.pad_len() {
            // Only padding: no allocation.
            return Some(Bytes::from_static(&PAD[..n as usize]));
        }
        Some(Bytes::from(
            (start..end).map(|i| self.byte(i)).collect::<Vec<u8>>(),
        ))
    }
}

/// Exactly `n` bytes of the filler, in one buffer.
pub(crate) fn filler(n: usize) -> Vec<u8> {
    let mut f = Filler {
        len: n as u64,
        sent: 0,
    };
    let mut v = Vec::with_capacity(n);
    while let Some(chunk) = f.next_chunk() {
        v.extend_from_slice(&chunk);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_sizes() {
        for n in [0, 1, 5, 23, 24, 25, 100, 4096] {
            let f = filler(n);
            assert_eq!(f.len(), n);
        }
        assert_eq!(filler(26), br#"{"result":true,"pad":"xx"}"#.to_vec());
        assert_eq!(filler(24), br#"{"result":true,"pad":""}"#.to_vec());
        assert_eq!(filler(23), br#"{"result":true,"pad":"""#.to_vec());
    }

    #[test]
    fn streamed_filler_is_the_same_bytes_in_chunks() {
        for n in [
            0u64,
            3,
            24,
            25,
            CHUNK as u64,
            CHUNK as u64 + 1,
            3 * CHUNK as u64 + 7,
        ] {
            let mut f = Filler { len: n, sent: 0 };
            let mut all = Vec::new();
            while let Some(chunk) = f.next_chunk() {
                assert!(!chunk.is_empty() && chunk.len() <= CHUNK);
                all.extend_from_slice(&chunk);
            }
            assert_eq!(all.len() as u64, n);
            if n >= 24 {
                let v: serde_json::Value = serde_json::from_slice(&all).unwrap();
                assert_eq!(v["result"], true);
                assert_eq!(v["pad"].as_str().unwrap().len() as u64, n - 24);
            }
        }
    }
}
