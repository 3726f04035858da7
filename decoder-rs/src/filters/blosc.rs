//! The Blosc filter (32001) as the HDF5 plugin that netCDF-C ships writes
//! it: one Blosc 1 frame per chunk. A 16-byte header (version, codec
//! version, flags, type size, decoded size, block size, frame size), the
//! offsets of the blocks, then per block one stream per byte of the type
//! ("split") or one for the block, each `u32 length, bytes` (a length equal
//! to the decoded size means stored as is). Codecs: blosclz, LZ4 (and
//! LZ4HC), zlib and zstd; then byte or bit shuffle within each block.
//!
//! Flags: 0x1 byte shuffle, 0x2 stored as is, 0x4 bit shuffle, 0x10 blocks
//! not split, bits 5–7 the codec (0 blosclz, 1 LZ4, 2 Snappy, 3 zlib,
//! 4 zstd).

// Only `lzf` is built when the `lzf` feature is on without `blosc`.
#![cfg_attr(not(feature = "blosc"), allow(dead_code, unused_imports))]

use super::shuffle::unshuffle;
#[cfg(feature = "blosc")]
use super::streams;
use crate::hdf5::io::{corrupt, limit, unsupported};
use crate::inflate::zlib_decompress;
use crate::DecodeError;

const HEADER: usize = 16;

fn u32_at(d: &[u8], i: usize) -> Option<usize> {
    d.get(i..i + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// Copies `len` bytes from `dist` back, byte by byte (overlaps repeat).
fn copy_match(out: &mut Vec<u8>, dist: usize, len: usize) -> bool {
    if dist == 0 || dist > out.len() {
        return false;
    }
    let from = out.len() - dist;
    if dist >= len {
        out.extend_from_within(from..from + len);
    } else {
        for k in 0..len {
            let b = out[from + k];
            out.push(b);
        }
    }
    true
}

/// An LZ4 block (no frame) of exactly `size` decoded bytes.
pub fn lz4_block(src: &[u8], size: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(size);
    let mut i = 0;
    loop {
        let token = *src.get(i)?;
        i += 1;
        let mut lit = (token >> 4) as usize;
        if lit == 15 {
            loop {
                let b = *src.get(i)?;
                i += 1;
                lit += b as usize;
                if b != 255 {
                    break;
                }
            }
        }
        if lit > src.len() - i || out.len() + lit > size {
            return None;
        }
        out.extend_from_slice(&src[i..i + lit]);
        i += lit;
        if i == src.len() {
            break;
        }
        let dist = u16::from_le_bytes([*src.get(i)?, *src.get(i + 1)?]) as usize;
        i += 2;
        let mut len = (token & 15) as usize;
        if len == 15 {
            loop {
                let b = *src.get(i)?;
                i += 1;
                len += b as usize;
                if b != 255 {
                    break;
                }
            }
        }
        len += 4;
        if out.len() + len > size || !copy_match(&mut out, dist, len) {
            return None;
        }
    }
    (out.len() == size).then_some(out)
}

/// A blosclz stream (FastLZ level 2 with Blosc's longer distances) of
/// exactly `size` decoded bytes.
pub fn blosclz(src: &[u8], size: usize) -> Option<Vec<u8>> {
    const MAX_DISTANCE: usize = 8191;
    let mut out = Vec::with_capacity(size);
    let mut i = 0;
    let mut ctrl = (*src.first()? & 31) as usize;
    i += 1;
    loop {
        if ctrl >= 32 {
            let mut len = (ctrl >> 5) - 1;
            let mut ofs = (ctrl & 31) << 8;
            if len == 6 {
                loop {
                    let c = *src.get(i)?;
                    i += 1;
                    len += c as usize;
                    if c != 255 {
                        break;
                    }
                }
            }
            let code = *src.get(i)? as usize;
            i += 1;
            len += 3;
            let mut dist = ofs + code + 1;
            if code == 255 && ofs == 31 << 8 {
                ofs = ((*src.get(i)? as usize) << 8) | *src.get(i + 1)? as usize;
                i += 2;
                dist = ofs + MAX_DISTANCE + 1;
            }
            if out.len() + len > size || !copy_match(&mut out, dist, len) {
                return None;
            }
        } else {
            let lit = ctrl + 1;
            if lit > src.len() - i.min(src.len()) || out.len() + lit > size {
                return None;
            }
            out.extend_from_slice(&src[i..i + lit]);
            i += lit;
        }
        if i >= src.len() {
            break;
        }
        ctrl = src[i] as usize;
        i += 1;
    }
    (out.len() == size).then_some(out)
}

/// An LZF stream (h5py's filter 32000) of exactly `size` decoded bytes:
/// control bytes below 32 start `ctrl + 1` literals, others a back
/// reference of `(ctrl >> 5) + 2` bytes (7: plus the next byte) at distance
/// `((ctrl & 31) << 8) + next + 1`.
pub fn lzf(src: &[u8], size: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(size);
    let mut i = 0;
    while i < src.len() {
        let ctrl = src[i] as usize;
        i += 1;
        if ctrl < 32 {
            let lit = ctrl + 1;
            if lit > src.len() - i || out.len() + lit > size {
                return None;
            }
            out.extend_from_slice(&src[i..i + lit]);
            i += lit;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += *src.get(i)? as usize;
                i += 1;
            }
            len += 2;
            let dist = ((ctrl & 31) << 8) + *src.get(i)? as usize + 1;
            i += 1;
            if out.len() + len > size || !copy_match(&mut out, dist, len) {
                return None;
            }
        }
    }
    (out.len() == size).then_some(out)
}

/// Undoes bitshuffle on `n` elements of `w` bytes: bit `b` of byte `j` of
/// element `i` sits in bit row `8j + b`, at bit `i` (LSB first).
fn bit_unshuffle(src: &[u8], w: usize, n: usize, dst: &mut [u8]) {
    let row = n / 8;
    for j in 0..w {
        for b in 0..8 {
            let r = &src[(j * 8 + b) * row..(j * 8 + b + 1) * row];
            for i in 0..n {
                let bit = (r[i / 8] >> (i % 8)) & 1;
                dst[i * w + j] |= bit << b;
            }
        }
    }
}

/// Undoes Blosc on one chunk of at most `max` bytes.
#[cfg(feature = "blosc")]
pub fn decode(data: &[u8], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    if data.len() < HEADER {
        return Err(DecodeError::Truncated {
            what: "Blosc header",
            byte_offset: at,
            expected: HEADER as u64,
            actual: data.len() as u64,
        });
    }
    let (version, flags, typesize) = (data[0], data[2], data[3] as usize);
    let nbytes = u32_at(data, 4).unwrap_or(0);
    let blocksize = u32_at(data, 8).unwrap_or(0);
    let ctbytes = u32_at(data, 12).unwrap_or(0);
    if nbytes > max {
        return limit(format!("Blosc frame of {} bytes", nbytes), at);
    }
    if ctbytes > data.len() {
        return Err(DecodeError::Truncated {
            what: "Blosc frame",
            byte_offset: at,
            expected: ctbytes as u64,
            actual: data.len() as u64,
        });
    }
    if flags & 0x5 == 0x5 {
        return unsupported("Blosc 2 extended header", at);
    }
    if nbytes == 0 {
        return Ok(Vec::new());
    }
    if flags & 0x2 != 0 {
        return match data.get(HEADER..HEADER + nbytes) {
            Some(b) => Ok(b.to_vec()),
            None => corrupt("stored Blosc frame shorter than its size", at),
        };
    }
    if typesize == 0 || blocksize == 0 || blocksize > max.max(1) {
        return corrupt(
            format!("Blosc type size {}, block size {}", typesize, blocksize),
            at,
        );
    }
    let codec = flags >> 5;
    let nblocks = (nbytes + blocksize - 1) / blocksize;
    let data = &data[..ctbytes];
    let mut out = Vec::with_capacity(nbytes);
    for b in 0..nblocks {
        let bsize = blocksize.min(nbytes - b * blocksize);
        let leftover = bsize < blocksize;
        let mut p = match u32_at(data, HEADER + 4 * b) {
            Some(s) => s,
            None => return corrupt("Blosc block offsets run past the frame", at),
        };
        let nsplits = if flags & 0x10 == 0 && !leftover && bsize % typesize == 0 {
            typesize
        } else {
            1
        };
        let neblock = bsize / nsplits;
        let mut block = Vec::with_capacity(bsize);
        for _ in 0..nsplits {
            let cbytes = match u32_at(data, p) {
                Some(c) if c <= data.len() - p - 4 => c,
                _ => return corrupt("Blosc stream runs past the frame", at),
            };
            let s = &data[p + 4..p + 4 + cbytes];
            p += 4 + cbytes;
            let part = if cbytes == neblock {
                Some(s.to_vec())
            } else {
                match codec {
                    0 => blosclz(s, neblock),
                    1 => lz4_block(s, neblock),
                    3 => zlib_decompress(s, neblock, neblock, at)
                        .ok()
                        .filter(|d| d.len() == neblock),
                    4 => streams::zstd(s, neblock, at)
                        .ok()
                        .filter(|d| d.len() == neblock),
                    2 => return unsupported("Blosc codec Snappy", at),
                    x => return corrupt(format!("Blosc codec {}", x), at),
                }
            };
            match part {
                Some(d) => block.extend_from_slice(&d),
                None => return corrupt(format!("Blosc block {} does not decode", b), at),
            }
        }
        if flags & 0x1 != 0 && typesize > 1 {
            block = unshuffle(&block, typesize);
        } else if flags & 0x4 != 0 && bsize >= typesize {
            let mut n = bsize / typesize;
            if version <= 2 && n % 8 != 0 {
                n = 0;
            }
            n -= n % 8;
            let mut d = vec![0u8; bsize];
            bit_unshuffle(&block, typesize, n, &mut d);
            d[n * typesize..].copy_from_slice(&block[n * typesize..]);
            block = d;
        }
        out.extend_from_slice(&block);
    }
    Ok(out)
}

#[cfg(all(test, feature = "blosc"))]
mod tests {
    use super::*;

    #[test]
    fn lz4_block_with_overlapping_match() {
        // "abc" then a match of 9 at distance 3, then literal "z".
        let src = [0x35, b'a', b'b', b'c', 3, 0, 0x10, b'z'];
        assert_eq!(lz4_block(&src, 13).unwrap(), b"abcabcabcabcz");
        assert!(lz4_block(&src, 12).is_none());
        assert!(lz4_block(&[0x35, b'a', b'b', b'c', 9, 0, 0x10, b'z'], 13).is_none());
        assert!(lz4_block(&src[..5], 13).is_none());
    }

    #[test]
    fn blosclz_literal_and_run() {
        // Literal "ab" (ctrl 1), match len 3+2=5 at distance 2 (ctrl 3<<5 | 0,
        // code 1), then literal "c".
        let src = [1, b'a', b'b', 0x60, 1, 0, b'c'];
        assert_eq!(blosclz(&src, 8).unwrap(), b"abababac");
        assert!(blosclz(&src, 7).is_none());
        assert!(blosclz(&[1, b'a', b'b', 0x60, 9, 0, b'c'], 8).is_none());
    }

    #[test]
    fn lzf_literal_and_overlapping_match() {
        // Literal "ab", then a match of 2 + 3 at distance 2, literal "c".
        let src = [1, b'a', b'b', 0x60, 1, 0, b'c'];
        assert_eq!(lzf(&src, 8).unwrap(), b"abababac");
        assert!(lzf(&src, 9).is_none());
        assert!(lzf(&[1, b'a', b'b', 0x60, 5, 0, b'c'], 8).is_none());
        assert!(lzf(&src[..4], 8).is_none());
    }

    #[test]
    fn hostile_frames_are_typed_errors() {
        let mut f = vec![2, 1, 0x21, 4];
        f.extend(64u32.to_le_bytes());
        f.extend(64u32.to_le_bytes());
        f.extend(28u32.to_le_bytes());
        f.extend(20u32.to_le_bytes());
        f.extend(4u32.to_le_bytes());
        f.extend([0, 0, 0, 0]);
        assert!(decode(&f, 64, 0).is_err());
        assert!(matches!(
            decode(&f, 63, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        assert!(matches!(
            decode(&f[..10], 64, 0),
            Err(DecodeError::Truncated { .. })
        ));
        f[12] = 200;
        assert!(matches!(
            decode(&f, 64, 0),
            Err(DecodeError::Truncated { .. })
        ));
    }
}
