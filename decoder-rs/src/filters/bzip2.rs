//! A bzip2 decoder (HDF5 filter 307 as netCDF-C's plugin writes it: one
//! `BZ2_bzBuffToBuffCompress` stream per chunk): blocks of Huffman-coded
//! move-to-front symbols with zero-run codes, the inverse Burrows–Wheeler
//! transform, then the initial run-length step; block and stream CRCs are
//! checked. Output is capped at `max` bytes.

use super::bits::Bits;
use crate::hdf5::io::{corrupt, limit, unsupported};
use crate::DecodeError;

const BLOCK_MAGIC: u64 = 0x3141_5926_5359;
const END_MAGIC: u64 = 0x1772_4538_5090;
const MAX_GROUPS: usize = 6;
const MAX_LEN: usize = 20;
const MAX_SELECTORS: usize = 18002;

fn crc_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    for (i, e) in t.iter_mut().enumerate() {
        let mut c = (i as u32) << 24;
        for _ in 0..8 {
            c = if c & 0x8000_0000 != 0 {
                (c << 1) ^ 0x04c1_1db7
            } else {
                c << 1
            };
        }
        *e = c;
    }
    t
}

/// A canonical Huffman code: counts per length and symbols in code order.
struct Huff {
    count: [u16; MAX_LEN + 1],
    syms: Vec<u16>,
}

impl Huff {
    fn new(lens: &[u8]) -> Huff {
        let mut count = [0u16; MAX_LEN + 1];
        for &l in lens {
            count[l as usize] += 1;
        }
        let mut syms = Vec::with_capacity(lens.len());
        for l in 1..=MAX_LEN as u8 {
            for (s, &x) in lens.iter().enumerate() {
                if x == l {
                    syms.push(s as u16);
                }
            }
        }
        Huff { count, syms }
    }

    fn decode(&self, r: &mut Bits, at: u64) -> Result<u16, DecodeError> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..=MAX_LEN {
            code |= r.get(1)? as i32;
            let c = self.count[len] as i32;
            if code - first < c {
                return Ok(self.syms[(index + code - first) as usize]);
            }
            index += c;
            first = (first + c) << 1;
            code <<= 1;
        }
        corrupt("bzip2 Huffman code not in its table", at)
    }
}

struct Out<'a> {
    out: &'a mut Vec<u8>,
    max: usize,
    at: u64,
}

impl Out<'_> {
    fn push_n(&mut self, b: u8, n: usize) -> Result<(), DecodeError> {
        if self.out.len() + n > self.max {
            return limit(
                format!("bzip2 stream decodes to more than {} bytes", self.max),
                self.at,
            );
        }
        self.out.extend(core::iter::repeat(b).take(n));
        Ok(())
    }
}

fn corrupt_or_limit<T>(room: bool, at: u64) -> Result<T, DecodeError> {
    if room {
        limit("bzip2 block longer than the chunk", at)
    } else {
        corrupt("bzip2 block longer than its declared size", at)
    }
}

/// One block after its magic: appends its bytes, returns its CRC.
fn block(r: &mut Bits, level: usize, o: &mut Out, crc: &[u32; 256]) -> Result<u32, DecodeError> {
    let at = o.at;
    let want_crc = r.get(32)?;
    if r.get(1)? != 0 {
        return unsupported("randomised bzip2 block (bzip2 0.9.0)", at);
    }
    let orig = r.get(24)? as usize;
    // Symbols in use.
    let used16 = r.get(16)?;
    let mut seq = Vec::with_capacity(256);
    for i in 0..16 {
        if used16 & (0x8000 >> i) != 0 {
            let bits = r.get(16)?;
            for j in 0..16 {
                if bits & (0x8000 >> j) != 0 {
                    seq.push((i * 16 + j) as u8);
                }
            }
        }
    }
    if seq.is_empty() {
        return corrupt("bzip2 block uses no symbols", at);
    }
    let alpha = seq.len() + 2;
    let groups = r.get(3)? as usize;
    if !(2..=MAX_GROUPS).contains(&groups) {
        return corrupt(format!("bzip2 block with {} Huffman groups", groups), at);
    }
    let nsel = r.get(15)? as usize;
    if nsel == 0 {
        return corrupt("bzip2 block without selectors", at);
    }
    let mut mtf: Vec<u8> = (0..groups as u8).collect();
    let mut selectors = Vec::with_capacity(nsel.min(MAX_SELECTORS));
    for _ in 0..nsel {
        let mut j = 0usize;
        while r.get(1)? == 1 {
            j += 1;
            if j >= groups {
                return corrupt("bzip2 selector out of range", at);
            }
        }
        let g = mtf.remove(j);
        mtf.insert(0, g);
        if selectors.len() < MAX_SELECTORS {
            selectors.push(g);
        }
    }
    let mut tables = Vec::with_capacity(groups);
    for _ in 0..groups {
        let mut len = r.get(5)? as i32;
        let mut lens = vec![0u8; alpha];
        for l in lens.iter_mut() {
            loop {
                if !(1..=MAX_LEN as i32).contains(&len) {
                    return corrupt("bzip2 code length out of range", at);
                }
                if r.get(1)? == 0 {
                    break;
                }
                len += if r.get(1)? == 0 { 1 } else { -1 };
            }
            *l = len as u8;
        }
        tables.push(Huff::new(&lens));
    }
    // Move-to-front symbols with RUNA/RUNB zero runs, up to end of block.
    // A block longer than 5/4 of the room left cannot fit once its runs
    // are expanded (4 equal bytes and a count make at least 4): refused
    // before its arrays grow.
    let room = (o.max - o.out.len()).saturating_mul(5) / 4 + 8;
    let cap = (level * 100_000).min(room);
    let eob = (alpha - 1) as u16;
    let mut front: Vec<u8> = (0..seq.len()).map(|x| x as u8).collect();
    let mut ll: Vec<u8> = Vec::with_capacity(cap.min(1 << 16));
    let mut counts = [0u32; 256];
    let (mut run, mut weight) = (0usize, 1usize);
    let mut n = 0usize;
    loop {
        let sel = match selectors.get(n / 50) {
            Some(&s) => s as usize,
            None => return corrupt("bzip2 block runs past its selectors", at),
        };
        let sym = tables[sel].decode(r, at)?;
        n += 1;
        if sym <= 1 {
            run += weight << sym;
            weight <<= 1;
            if run > cap {
                return corrupt_or_limit(cap == room, at);
            }
            continue;
        }
        if run > 0 {
            let b = seq[front[0] as usize];
            if ll.len() + run > cap {
                return corrupt_or_limit(cap == room, at);
            }
            counts[b as usize] += run as u32;
            ll.extend(core::iter::repeat(b).take(run));
            run = 0;
            weight = 1;
        }
        if sym == eob {
            break;
        }
        let k = (sym - 1) as usize;
        let v = front.remove(k);
        front.insert(0, v);
        let b = seq[v as usize];
        if ll.len() + 1 > cap {
            return corrupt_or_limit(cap == room, at);
        }
        counts[b as usize] += 1;
        ll.push(b);
    }
    if orig >= ll.len() {
        return corrupt("bzip2 origin pointer outside its block", at);
    }
    // Inverse Burrows–Wheeler.
    let mut start = [0u32; 256];
    let mut sum = 0u32;
    for (s, c) in start.iter_mut().zip(counts.iter()) {
        *s = sum;
        sum += c;
    }
    let mut next = vec![0u32; ll.len()];
    for (i, &b) in ll.iter().enumerate() {
        next[start[b as usize] as usize] = i as u32;
        start[b as usize] += 1;
    }
    // Undo the initial run-length step while walking; compute the CRC.
    let mut block_crc = 0xffff_ffffu32;
    let mut pos = next[orig] as usize;
    let (mut last, mut same) = (0u16, 0usize);
    let mut emit = |o: &mut Out, b: u8, k: usize| -> Result<(), DecodeError> {
        for _ in 0..k {
            block_crc = (block_crc << 8) ^ crc[((block_crc >> 24) as u8 ^ b) as usize];
        }
        o.push_n(b, k)
    };
    for _ in 0..ll.len() {
        let b = ll[pos];
        pos = next[pos] as usize;
        if same == 4 {
            emit(o, last as u8, b as usize)?;
            same = 0;
            last = 256;
            continue;
        }
        if b as u16 == last {
            same += 1;
        } else {
            last = b as u16;
            same = 1;
        }
        emit(o, b, 1)?;
    }
    let block_crc = !block_crc;
    if block_crc != want_crc {
        return corrupt("bzip2 block CRC mismatch", at);
    }
    Ok(block_crc)
}

/// Decodes the bzip2 stream(s) of one chunk, at most `max` bytes.
pub fn decode(data: &[u8], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    let crc = crc_table();
    let mut out = Vec::new();
    let mut rest = data;
    loop {
        if rest.len() < 4 || &rest[..3] != b"BZh" || !(b'1'..=b'9').contains(&rest[3]) {
            return corrupt("bzip2 stream without its BZh signature", at);
        }
        let level = (rest[3] - b'0') as usize;
        let mut r = Bits::new(&rest[4..], at, "bzip2 stream");
        let mut combined = 0u32;
        let mut o = Out {
            out: &mut out,
            max,
            at,
        };
        loop {
            let magic = ((r.get(24)? as u64) << 24) | r.get(24)? as u64;
            if magic == BLOCK_MAGIC {
                let c = block(&mut r, level, &mut o, &crc)?;
                combined = combined.rotate_left(1) ^ c;
            } else if magic == END_MAGIC {
                if r.get(32)? != combined {
                    return corrupt("bzip2 stream CRC mismatch", at);
                }
                break;
            } else {
                return corrupt("bzip2 block magic", at);
            }
        }
        let used = r.consumed();
        rest = &rest[4 + used..];
        if rest.is_empty() {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SINE: &[u8] = include_bytes!("../../tests/data/sine.bz2");
    /// `bzip2 -1` of 260 000 bytes: three 100 k blocks.
    const BLOCKS: &[u8] = include_bytes!("../../tests/data/three_blocks.bz2");

    fn blocks_plain() -> Vec<u8> {
        let mut x = 12345u32;
        (0..260_000)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345) & 0x7fff_ffff;
                if i % 1000 < 20 {
                    97 + ((x >> 16) % 4) as u8
                } else {
                    65 + (i % 7) as u8
                }
            })
            .collect()
    }

    #[test]
    fn decodes_several_blocks_and_concatenated_streams() {
        assert_eq!(decode(BLOCKS, 260_000, 0).unwrap(), blocks_plain());
        let mut two = SINE.to_vec();
        two.extend_from_slice(SINE);
        assert_eq!(decode(&two, 24_000, 0).unwrap().len(), 24_000);
    }

    #[test]
    fn checks_crcs_and_caps() {
        assert!(matches!(
            decode(BLOCKS, 259_999, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        // The stored block CRC (bytes 10..14) no longer matches.
        let mut d = SINE.to_vec();
        d[12] ^= 1;
        assert!(matches!(
            decode(&d, 12_000, 0),
            Err(DecodeError::Corrupt { .. })
        ));
        assert!(decode(b"BZh9", 10, 0).is_err());
        assert!(decode(b"BZx9", 10, 0).is_err());
    }
}
