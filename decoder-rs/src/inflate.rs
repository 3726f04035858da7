//! A small DEFLATE / zlib decoder (RFC 1950, RFC 1951): the in-wasm
//! fallback for runtimes without a native zlib, and the inflate of the
//! native tests.
//!
//! Table-driven: each Huffman table is a flat lookup of `2^max_len` entries
//! (`symbol << 4 | length`), built per block. Every read is bounds-checked;
//! the output never grows past the caller's `limit`.

use crate::DecodeError;

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u64,
    n: u32,
    base: u64,
}

impl<'a> Bits<'a> {
    fn refill(&mut self) {
        while self.n <= 56 {
            match self.data.get(self.pos) {
                Some(&b) => {
                    self.buf |= (b as u64) << self.n;
                    self.pos += 1;
                    self.n += 8;
                }
                None => break,
            }
        }
    }

    fn err(&self) -> DecodeError {
        DecodeError::Truncated {
            what: "deflate stream",
            byte_offset: self.base + self.data.len() as u64,
            expected: self.data.len() as u64 + 1,
            actual: self.data.len() as u64,
        }
    }

    fn bits(&mut self, k: u32) -> Result<u32, DecodeError> {
        if k == 0 {
            return Ok(0);
        }
        if self.n < k {
            self.refill();
            if self.n < k {
                return Err(self.err());
            }
        }
        let v = (self.buf & ((1u64 << k) - 1)) as u32;
        self.buf >>= k;
        self.n -= k;
        Ok(v)
    }

    fn offset(&self) -> u64 {
        self.base + self.pos as u64 - (self.n / 8) as u64
    }

    fn align(&mut self) {
        let r = self.n % 8;
        self.buf >>= r;
        self.n -= r;
    }
}

struct Table {
    entries: Vec<u16>,
    max: u32,
}

fn corrupt(reason: &str, at: u64) -> DecodeError {
    DecodeError::Corrupt {
        reason: reason.into(),
        byte_offset: at,
    }
}

impl Table {
    fn new(lengths: &[u8], at: u64) -> Result<Table, DecodeError> {
        let mut count = [0u16; 16];
        for &l in lengths {
            count[l as usize & 15] += 1;
        }
        count[0] = 0;
        let max = (1..16u32)
            .rev()
            .find(|&k| count[k as usize] > 0)
            .unwrap_or(0);
        if max == 0 {
            return Ok(Table {
                entries: vec![0; 2],
                max: 1,
            });
        }
        let mut next = [0u32; 16];
        let mut code = 0u32;
        let mut left = 1i32;
        for len in 1..16 {
            left = (left << 1) - count[len] as i32;
            if left < 0 {
                return Err(corrupt("over-subscribed Huffman code", at));
            }
            code = (code + count[len - 1] as u32) << 1;
            next[len] = code;
        }
        let size = 1usize << max;
        let mut entries = vec![0u16; size];
        for (sym, &l) in lengths.iter().enumerate() {
            if l == 0 {
                continue;
            }
            let l = l as u32;
            let c = next[l as usize];
            next[l as usize] += 1;
            // Reverse the code: DEFLATE sends Huffman codes MSB first.
            let r = c.reverse_bits() >> (32 - l);
            let e = ((sym as u16) << 4) | l as u16;
            let mut i = r as usize;
            while i < size {
                entries[i] = e;
                i += 1 << l;
            }
        }
        Ok(Table { entries, max })
    }

    fn decode(&self, b: &mut Bits) -> Result<u16, DecodeError> {
        if b.n < self.max {
            b.refill();
        }
        let idx = (b.buf & ((1u64 << self.max) - 1)) as usize;
        let e = self.entries.get(idx).copied().unwrap_or(0);
        let l = (e & 15) as u32;
        if l == 0 || l > b.n {
            if l == 0 {
                return Err(corrupt("invalid Huffman code", b.offset()));
            }
            return Err(b.err());
        }
        b.buf >>= l;
        b.n -= l;
        Ok(e >> 4)
    }
}

/// Inflates a raw DEFLATE stream starting at `data`, appending to `out`
/// without ever growing it past `limit` bytes. Returns the number of input
/// bytes consumed. `base` is the stream's offset in the file, for errors.
pub fn inflate_raw(
    data: &[u8],
    out: &mut Vec<u8>,
    limit: usize,
    base: u64,
) -> Result<usize, DecodeError> {
    let mut b = Bits {
        data,
        pos: 0,
        buf: 0,
        n: 0,
        base,
    };
    loop {
        let last = b.bits(1)?;
        let kind = b.bits(2)?;
        match kind {
            0 => {
                b.align();
                let len = b.bits(16)?;
                let nlen = b.bits(16)?;
                if len != !nlen & 0xffff {
                    return Err(corrupt("stored block length check failed", b.offset()));
                }
                // Drain whole bytes still held in the bit buffer.
                let mut len = len as usize;
                while len > 0 && b.n >= 8 {
                    let v = b.bits(8)? as u8;
                    push(out, v, limit, b.offset())?;
                    len -= 1;
                }
                let start = b.pos;
                let end = start
                    .checked_add(len)
                    .filter(|&e| e <= data.len())
                    .ok_or_else(|| b.err())?;
                if out.len() + len > limit {
                    return Err(limit_err(limit, b.offset()));
                }
                out.extend_from_slice(data.get(start..end).ok_or_else(|| b.err())?);
                b.pos = end;
            }
            1 => {
                let mut l = [8u8; 288];
                l[144..256].fill(9);
                l[256..280].fill(7);
                let lit = Table::new(&l, b.offset())?;
                let dist = Table::new(&[5u8; 30], b.offset())?;
                codes(&mut b, out, &lit, &dist, limit)?;
            }
            2 => {
                let hlit = b.bits(5)? as usize + 257;
                let hdist = b.bits(5)? as usize + 1;
                let hclen = b.bits(4)? as usize + 4;
                let mut cl = [0u8; 19];
                for &i in CL_ORDER.iter().take(hclen) {
                    cl[i] = b.bits(3)? as u8;
                }
                let clt = Table::new(&cl, b.offset())?;
                let mut lens = [0u8; 320];
                let mut i = 0;
                while i < hlit + hdist {
                    let sym = clt.decode(&mut b)?;
                    let (val, rep) = match sym {
                        0..=15 => (sym as u8, 1),
                        16 => {
                            if i == 0 {
                                return Err(corrupt("repeat with no previous length", b.offset()));
                            }
                            (lens[i - 1], 3 + b.bits(2)? as usize)
                        }
                        17 => (0, 3 + b.bits(3)? as usize),
                        _ => (0, 11 + b.bits(7)? as usize),
                    };
                    if i + rep > hlit + hdist {
                        return Err(corrupt("code lengths overflow", b.offset()));
                    }
                    for v in lens.iter_mut().skip(i).take(rep) {
                        *v = val;
                    }
                    i += rep;
                }
                if lens[256] == 0 {
                    return Err(corrupt("no end-of-block code", b.offset()));
                }
                let lit = Table::new(&lens[..hlit], b.offset())?;
                let dist = Table::new(&lens[hlit..hlit + hdist], b.offset())?;
                codes(&mut b, out, &lit, &dist, limit)?;
            }
            _ => return Err(corrupt("invalid deflate block type 3", b.offset())),
        }
        if last == 1 {
            break;
        }
    }
    b.align();
    Ok(b.pos - (b.n / 8) as usize)
}

fn limit_err(limit: usize, at: u64) -> DecodeError {
    DecodeError::LimitExceeded {
        reason: format!("inflated data exceeds {} bytes", limit),
        byte_offset: at,
    }
}

#[inline]
fn push(out: &mut Vec<u8>, v: u8, limit: usize, at: u64) -> Result<(), DecodeError> {
    if out.len() >= limit {
        return Err(limit_err(limit, at));
    }
    out.push(v);
    Ok(())
}

fn codes(
    b: &mut Bits,
    out: &mut Vec<u8>,
    lit: &Table,
    dist: &Table,
    limit: usize,
) -> Result<(), DecodeError> {
    loop {
        let sym = lit.decode(b)? as usize;
        if sym < 256 {
            push(out, sym as u8, limit, b.offset())?;
            continue;
        }
        if sym == 256 {
            return Ok(());
        }
        {
            let li = sym - 257;
            let (base, extra) = match (LEN_BASE.get(li), LEN_EXTRA.get(li)) {
                (Some(&x), Some(&e)) => (x as usize, e as u32),
                _ => return Err(corrupt("invalid length symbol", b.offset())),
            };
            let len = base + b.bits(extra)? as usize;
            let ds = dist.decode(b)? as usize;
            let (dbase, dextra) = match (DIST_BASE.get(ds), DIST_EXTRA.get(ds)) {
                (Some(&x), Some(&e)) => (x as usize, e as u32),
                _ => return Err(corrupt("invalid distance symbol", b.offset())),
            };
            let d = dbase + b.bits(dextra)? as usize;
            if d > out.len() {
                return Err(corrupt("distance before start of output", b.offset()));
            }
            if out.len() + len > limit {
                return Err(limit_err(limit, b.offset()));
            }
            let start = out.len() - d;
            if d >= len {
                out.extend_from_within(start..start + len);
            } else {
                for k in 0..len {
                    let v = out[start + k];
                    out.push(v);
                }
            }
        }
    }
}

/// Adler-32 of `data` (RFC 1950).
pub fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(5552) {
        for &x in block {
            a += x as u32;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// Inflates a zlib stream (2-byte header, DEFLATE data, Adler-32), never
/// producing more than `limit` bytes. `size_hint` preallocates the output.
pub fn zlib_decompress(
    data: &[u8],
    size_hint: usize,
    limit: usize,
    base: u64,
) -> Result<Vec<u8>, DecodeError> {
    let (cmf, flg) = match (data.first(), data.get(1)) {
        (Some(&a), Some(&b)) => (a, b),
        _ => {
            return Err(DecodeError::Truncated {
                what: "zlib header",
                byte_offset: base,
                expected: 2,
                actual: data.len() as u64,
            })
        }
    };
    if cmf & 15 != 8 || (((cmf as u16) << 8) | flg as u16) % 31 != 0 {
        return Err(corrupt("not a zlib stream", base));
    }
    if flg & 0x20 != 0 {
        return Err(DecodeError::Unsupported {
            reason: "zlib preset dictionary".into(),
            byte_offset: base,
        });
    }
    let mut out = Vec::new();
    if out.try_reserve_exact(size_hint.min(limit)).is_err() {
        return Err(DecodeError::LimitExceeded {
            reason: format!(
                "cannot allocate {} bytes for inflated data",
                size_hint.min(limit)
            ),
            byte_offset: base,
        });
    }
    let used = inflate_raw(data.get(2..).unwrap_or(&[]), &mut out, limit, base + 2)?;
    let tail = 2 + used;
    if let Some(c) = data.get(tail..tail + 4) {
        let want = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        if want != adler32(&out) {
            return Err(corrupt("zlib Adler-32 mismatch", base + tail as u64));
        }
    } else {
        return Err(DecodeError::Truncated {
            what: "zlib Adler-32",
            byte_offset: base + tail as u64,
            expected: tail as u64 + 4,
            actual: data.len() as u64,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflates_stored_fixed_and_dynamic_blocks() {
        // zlib.compress(b"hello hello hello hello", 9) (fixed Huffman).
        let z = [
            0x78, 0xda, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40, 0x27, 0x01, 0x68, 0x03,
            0x08, 0xb1,
        ];
        let out = zlib_decompress(&z, 0, 100, 0).unwrap();
        assert_eq!(out, b"hello hello hello hello");
        // zlib.compress(b"abc", 0) (stored).
        let s = [
            0x78, 0x01, 0x01, 0x03, 0x00, 0xfc, 0xff, 0x61, 0x62, 0x63, 0x02, 0x4d, 0x01, 0x27,
        ];
        assert_eq!(zlib_decompress(&s, 0, 100, 0).unwrap(), b"abc");
        assert!(matches!(
            zlib_decompress(&z, 0, 5, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        for cut in 0..z.len() {
            assert!(zlib_decompress(&z[..cut], 0, 100, 0).is_err());
        }
    }

    /// The text of [`inflates_a_dynamic_huffman_block`]: 40 numbered lines.
    fn numbered_lines() -> Vec<u8> {
        let names = [
            "CO2 dry mole fraction",
            "CH4 flag",
            "time since 1970-01-01",
            "lat lon",
        ];
        (0..40)
            .flat_map(|i| format!("{}: {}\n", i, names[i % 4]).into_bytes())
            .collect()
    }

    #[test]
    fn inflates_a_dynamic_huffman_block() {
        // Python: zlib.compress(numbered_lines(), 9), one final block with
        // dynamic Huffman codes (BTYPE 2), with code-length codes, literals
        // and back-references.
        let z = [
            0x78, 0xda, 0x75, 0xd1, 0x3b, 0x0a, 0xc3, 0x30, 0x10, 0x84, 0xe1, 0xde, 0xa7, 0xd8,
            0x0b, 0x04, 0xb4, 0xbb, 0xf2, 0xb3, 0x4d, 0x93, 0x2e, 0x67, 0x30, 0x8e, 0x1c, 0x0c,
            0xb2, 0x0d, 0x8e, 0x9b, 0xdc, 0x3e, 0xea, 0x3c, 0x29, 0x06, 0xd4, 0x49, 0x7c, 0xa0,
            0xf9, 0xc3, 0x20, 0xf7, 0xa7, 0xc9, 0xeb, 0xf8, 0xca, 0xba, 0xe7, 0x24, 0xf3, 0x31,
            0x4e, 0xe7, 0xb2, 0x6f, 0x95, 0x96, 0x8b, 0x47, 0x94, 0x39, 0x8f, 0xef, 0xca, 0x06,
            0x39, 0x97, 0x35, 0xc9, 0x67, 0xd9, 0xa6, 0x24, 0xda, 0xb7, 0xe1, 0x16, 0xb4, 0x9c,
            0xca, 0x07, 0xc9, 0xe3, 0x29, 0xb9, 0xbc, 0x8f, 0x0c, 0xaa, 0x01, 0x6a, 0x18, 0xd4,
            0x5e, 0x50, 0xc7, 0xa0, 0x1e, 0x20, 0x0d, 0x4c, 0x52, 0xbd, 0x28, 0x35, 0xfa, 0x3b,
            0x47, 0x2c, 0x52, 0xac, 0x06, 0xac, 0xa1, 0x58, 0x8b, 0x58, 0x47, 0xb1, 0xfe, 0xc2,
            0x2c, 0x30, 0xcc, 0xfe, 0x86, 0xa7, 0xcb, 0x1b, 0x4c, 0x6f, 0x74, 0x7b, 0xc3, 0xf1,
            0x8d, 0xae, 0x6f, 0x30, 0xbf, 0xd1, 0xfd, 0x0d, 0x03, 0x38, 0x0d, 0xe0, 0x10, 0xc0,
            0x69, 0x00, 0xc7, 0x00, 0x4e, 0x03, 0x38, 0x04, 0x70, 0x1a, 0xc0, 0x31, 0x80, 0xd3,
            0x00, 0x0e, 0x01, 0x7e, 0x5d, 0x18, 0xd6, 0xf7,
        ];
        assert_eq!(
            (z[2] & 1, (z[2] >> 1) & 3),
            (1, 2),
            "one final dynamic block"
        );
        let text = numbered_lines();
        assert_eq!(text.len(), 760);
        assert_eq!(zlib_decompress(&z, 0, 10_000, 0).unwrap(), text);
        assert_eq!(
            zlib_decompress(&z, text.len(), text.len(), 0).unwrap(),
            text
        );
        for cut in 0..z.len() {
            assert!(
                zlib_decompress(&z[..cut], 0, 10_000, 0).is_err(),
                "cut at {}",
                cut
            );
        }
        // A flipped bit anywhere is an error or, at worst, different bytes
        // (the Adler-32 check catches what the Huffman decode does not).
        for bit in 0..z.len() * 8 {
            let mut m = z;
            m[bit / 8] ^= 1 << (bit % 8);
            if let Ok(out) = zlib_decompress(&m, 0, 10_000, 0) {
                assert_ne!(out, text, "bit {}", bit);
            }
        }
    }
}
