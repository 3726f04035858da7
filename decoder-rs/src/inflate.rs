//! A DEFLATE / zlib decoder (RFC 1950, RFC 1951) that writes into a given
//! buffer: the inflate of HDF5 chunks in the wasm (straight into the chunk's
//! place, no intermediate copy) and of the native tests.
//!
//! Two-level Huffman tables (10 bits for literals/lengths, 8 for distances,
//! then a subtable) whose entries carry the base value and the count of
//! extra bits, so one lookup decodes a length or a distance; a 64-bit bit
//! buffer refilled 8 bytes at a time; matches copied 16 or 8 bytes at a time
//! where they do not overlap that closely, runs of one byte as a fill. Every
//! read is bounds-checked; output never passes the end of the buffer; the
//! Adler-32 runs 16 bytes at a time on simd128.

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

/// Bits of the first-level literal/length table.
const LIT_BITS: u32 = 11;
/// Bits of the first-level distance table.
const DIST_BITS: u32 = 8;

// A table entry (u32): bits 0-3 the bits it consumes (0: no such code),
// 4-7 the extra bits that follow, 8-10 its kind, 12-15 a subtable's index
// bits, 16-31 its value (literal byte, base length or distance, or where the
// subtable starts).
const LIT: u32 = 0;
const BASE: u32 = 1;
const END: u32 = 2;
const SUB: u32 = 3;
const BAD: u32 = 4;
/// Set in a literal's entry of the literal/length table (for a quick test).
const LITF: u32 = 1 << 31;

#[inline(always)]
fn entry(kind: u32, value: u32, extra: u32, len: u32) -> u32 {
    (value << 16) | (kind << 8) | (extra << 4) | len
}

#[inline(always)]
fn kind_of(e: u32) -> u32 {
    (e >> 8) & 7
}

fn corrupt(reason: &str, at: u64) -> DecodeError {
    DecodeError::Corrupt {
        reason: reason.into(),
        byte_offset: at,
    }
}

fn limit_err(limit: usize, at: u64) -> DecodeError {
    DecodeError::LimitExceeded {
        reason: format!("inflated data exceeds {} bytes", limit),
        byte_offset: at,
    }
}

/// Builds the canonical Huffman table of `lengths` into `table` (first
/// level `bits` wide, subtables after it); `make(symbol)` gives a symbol's
/// entry without its length. An over-subscribed code is corrupt; an
/// incomplete one leaves entries that decode as "no such code".
fn build(
    table: &mut Vec<u32>,
    lengths: &[u8],
    bits: u32,
    make: impl Fn(usize) -> u32,
    at: u64,
) -> Result<(), DecodeError> {
    let mut count = [0u16; 16];
    for &l in lengths {
        count[l as usize & 15] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    let (mut code, mut left) = (0u32, 1i32);
    for len in 1..16 {
        left = (left << 1) - count[len] as i32;
        if left < 0 {
            return Err(corrupt("over-subscribed Huffman code", at));
        }
        code = (code + count[len - 1] as u32) << 1;
        next[len] = code;
    }
    let max = (1..16u32)
        .rev()
        .find(|&k| count[k as usize] > 0)
        .unwrap_or(0);
    let sub = max.saturating_sub(bits);
    let size = 1usize << bits;
    table.clear();
    table.resize(size, 0);
    for (sym, &l) in lengths.iter().enumerate() {
        let l = l as u32 & 15;
        if l == 0 {
            continue;
        }
        let c = next[l as usize];
        next[l as usize] += 1;
        // DEFLATE sends Huffman codes most significant bit first.
        let r = (c.reverse_bits() >> (32 - l)) as usize;
        let e = make(sym);
        if l <= bits {
            let mut i = r;
            while i < size {
                table[i] = e | l;
                i += 1 << l;
            }
        } else {
            let prefix = r & (size - 1);
            if kind_of(table[prefix]) != SUB || table[prefix] & 15 == 0 {
                let start = table.len();
                table.resize(start + (1 << sub), 0);
                table[prefix] = ((start as u32) << 16) | (SUB << 8) | (sub << 12) | bits;
            }
            let start = (table[prefix] >> 16) as usize;
            let rest = l - bits;
            let mut i = r >> bits;
            while i < 1 << sub {
                table[start + i] = e | rest;
                i += 1 << rest;
            }
        }
    }
    Ok(())
}

fn lit_entry(sym: usize) -> u32 {
    match sym {
        0..=255 => entry(LIT, sym as u32, 0, 0) | LITF,
        256 => entry(END, 0, 0, 0),
        257..=285 => entry(
            BASE,
            LEN_BASE[sym - 257] as u32,
            LEN_EXTRA[sym - 257] as u32,
            0,
        ),
        _ => entry(BAD, 0, 0, 0),
    }
}

fn dist_entry(sym: usize) -> u32 {
    match sym {
        0..=29 => entry(BASE, DIST_BASE[sym] as u32, DIST_EXTRA[sym] as u32, 0),
        _ => entry(BAD, 0, 0, 0),
    }
}

/// The bit reader: `buf` holds `n` unread bits (bits above them are either
/// zero or the input's next bits, so a refill may OR over them).
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u64,
    n: u32,
    base: u64,
}

impl<'a> Bits<'a> {
    /// Tops the buffer up to at least 56 bits while 8 input bytes remain,
    /// else byte by byte as far as the input goes.
    #[inline(always)]
    fn refill(&mut self) {
        if let Some(w) = self.data.get(self.pos..self.pos + 8) {
            let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            self.buf |= w << self.n;
            self.pos += ((63 - self.n) >> 3) as usize;
            self.n |= 56;
        } else {
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
    }

    fn err(&self) -> DecodeError {
        DecodeError::Truncated {
            what: "deflate stream",
            byte_offset: self.base + self.data.len() as u64,
            expected: self.data.len() as u64 + 1,
            actual: self.data.len() as u64,
        }
    }

    /// Drops `k` bits (the caller checked `k <= n`).
    #[inline(always)]
    fn drop_bits(&mut self, k: u32) {
        self.buf >>= k;
        self.n -= k;
    }

    /// The next `k` (at most 32) bits.
    #[inline(always)]
    fn bits(&mut self, k: u32) -> Result<u32, DecodeError> {
        if self.n < k {
            self.refill();
            if self.n < k {
                return Err(self.err());
            }
        }
        let v = (self.buf & ((1u64 << k) - 1)) as u32;
        self.drop_bits(k);
        Ok(v)
    }

    /// Byte offset of the next unread bit, for errors.
    fn offset(&self) -> u64 {
        self.base + self.pos as u64 - (self.n / 8) as u64
    }

    fn align(&mut self) {
        let r = self.n % 8;
        self.drop_bits(r);
    }

    /// Decodes one symbol's entry of `table` (first level `bits` wide),
    /// its code dropped; the caller has refilled when it could.
    #[inline(always)]
    fn decode(&mut self, table: &[u32], bits: u32) -> Result<u32, DecodeError> {
        let mut e = table[(self.buf & ((1u64 << bits) - 1)) as usize];
        let mut l = e & 15;
        if kind_of(e) == SUB && l != 0 {
            if l > self.n {
                return Err(self.err());
            }
            self.drop_bits(l);
            let sub = (e >> 12) & 15;
            let i = (e >> 16) as usize + (self.buf & ((1u64 << sub) - 1)) as usize;
            e = table.get(i).copied().unwrap_or(0);
            l = e & 15;
        }
        if l == 0 {
            return Err(corrupt("invalid Huffman code", self.offset()));
        }
        if l > self.n {
            return Err(self.err());
        }
        self.drop_bits(l);
        Ok(e)
    }

    /// The value of a base entry plus its extra bits.
    #[inline(always)]
    fn value(&mut self, e: u32) -> Result<usize, DecodeError> {
        let extra = (e >> 4) & 15;
        Ok((e >> 16) as usize + self.bits(extra)? as usize)
    }
}

/// Tables reused from block to block.
struct Tables {
    lit: Vec<u32>,
    dist: Vec<u32>,
    cl: Vec<u32>,
}

/// Inflates a raw DEFLATE stream starting at `data` into `out` from byte 0.
/// Returns the input bytes consumed and the output bytes written; output
/// that would pass the end of `out` is a `LimitExceeded` error. `base` is
/// the stream's offset in the file, for errors.
pub fn inflate_raw_into(
    data: &[u8],
    out: &mut [u8],
    base: u64,
) -> Result<(usize, usize), DecodeError> {
    let mut b = Bits {
        data,
        pos: 0,
        buf: 0,
        n: 0,
        base,
    };
    let mut t = Tables {
        lit: Vec::new(),
        dist: Vec::new(),
        cl: Vec::new(),
    };
    let mut o = 0usize;
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
                // Whole bytes still held in the bit buffer come first.
                let mut len = len as usize;
                while len > 0 && b.n >= 8 {
                    let v = b.bits(8)? as u8;
                    if o >= out.len() {
                        return Err(limit_err(out.len(), b.offset()));
                    }
                    out[o] = v;
                    o += 1;
                    len -= 1;
                }
                // Once the buffer is empty the bytes are taken from the
                // input; bits above it (input read ahead) go.
                if b.n == 0 {
                    b.buf = 0;
                }
                let start = b.pos;
                let end = start
                    .checked_add(len)
                    .filter(|&e| e <= data.len())
                    .ok_or_else(|| b.err())?;
                if o + len > out.len() {
                    return Err(limit_err(out.len(), b.offset()));
                }
                out[o..o + len].copy_from_slice(&data[start..end]);
                o += len;
                b.pos = end;
            }
            1 => {
                let mut l = [8u8; 288];
                l[144..256].fill(9);
                l[256..280].fill(7);
                build(&mut t.lit, &l, LIT_BITS, lit_entry, b.offset())?;
                build(&mut t.dist, &[5u8; 30], DIST_BITS, dist_entry, b.offset())?;
                o = codes(&mut b, out, o, &t.lit, &t.dist)?;
            }
            2 => {
                let hlit = b.bits(5)? as usize + 257;
                let hdist = b.bits(5)? as usize + 1;
                let hclen = b.bits(4)? as usize + 4;
                let mut cl = [0u8; 19];
                for &i in CL_ORDER.iter().take(hclen) {
                    cl[i] = b.bits(3)? as u8;
                }
                build(
                    &mut t.cl,
                    &cl,
                    7,
                    |s| entry(LIT, s as u32, 0, 0),
                    b.offset(),
                )?;
                let mut lens = [0u8; 320];
                let mut i = 0;
                while i < hlit + hdist {
                    if b.n < 7 {
                        b.refill();
                    }
                    let sym = b.decode(&t.cl, 7)? >> 16;
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
                    lens[i..i + rep].fill(val);
                    i += rep;
                }
                if lens[256] == 0 {
                    return Err(corrupt("no end-of-block code", b.offset()));
                }
                build(&mut t.lit, &lens[..hlit], LIT_BITS, lit_entry, b.offset())?;
                build(
                    &mut t.dist,
                    &lens[hlit..hlit + hdist],
                    DIST_BITS,
                    dist_entry,
                    b.offset(),
                )?;
                o = codes(&mut b, out, o, &t.lit, &t.dist)?;
            }
            _ => return Err(corrupt("invalid deflate block type 3", b.offset())),
        }
        if last == 1 {
            break;
        }
    }
    b.align();
    Ok((b.pos - (b.n / 8) as usize, o))
}

/// Decodes one Huffman-coded block into `out` from `o`; answers where the
/// output ends.
#[inline(never)]
fn codes(
    b: &mut Bits,
    out: &mut [u8],
    mut o: usize,
    lit: &[u32],
    dist: &[u32],
) -> Result<usize, DecodeError> {
    let end = out.len();
    // While 16 input bytes and room for a long match remain, the bit
    // buffer lives in locals: a refill needs no bounds and leaves at least
    // 56 bits, enough for a length, a distance and their extra bits (15 + 5
    // + 15 + 13), so no decode checks for bits; literals go on while 15
    // bits are left.
    let data = b.data;
    let (mut buf, mut n, mut pos) = (b.buf, b.n, b.pos);
    let lmask = (1u64 << LIT_BITS) - 1;
    let dmask = (1u64 << DIST_BITS) - 1;
    macro_rules! take {
        ($k:expr) => {{
            let k = $k;
            let v = (buf & ((1u64 << k) - 1)) as usize;
            buf >>= k;
            n -= k;
            v
        }};
    }
    macro_rules! fail {
        ($e:expr) => {{
            b.buf = buf;
            b.n = n;
            b.pos = pos;
            return Err(corrupt($e, b.offset()));
        }};
    }
    while pos + 16 <= data.len() && end - o >= 3 + 258 + 16 {
        let w = &data[pos..pos + 8];
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        buf |= w << n;
        pos += ((63 - n) >> 3) as usize;
        n |= 56;
        // SAFETY (the unchecked reads and writes below): the first level of
        // `lit` has 2^LIT_BITS entries (see `build`) and the index is masked
        // to LIT_BITS bits; a burst of literals writes at most one per bit
        // above 15 of the 63 a refill leaves at most, 48, and `o` starts it
        // at least 277 below `end` (the loop's condition).
        let mut e = unsafe { *lit.get_unchecked((buf & lmask) as usize) };
        if e & LITF != 0 {
            // Literals while the buffer holds a whole code (15 bits).
            loop {
                take!(e & 15);
                unsafe { *out.get_unchecked_mut(o) = (e >> 16) as u8 };
                o += 1;
                if n < 15 {
                    break;
                }
                e = unsafe { *lit.get_unchecked((buf & lmask) as usize) };
                if e & LITF == 0 {
                    break;
                }
            }
            continue;
        }
        if kind_of(e) == SUB {
            take!(LIT_BITS);
            let sub = (e >> 12) & 15;
            e = lit[(e >> 16) as usize + (buf & ((1u64 << sub) - 1)) as usize];
        }
        if e & 15 == 0 {
            fail!("invalid Huffman code");
        }
        take!(e & 15);
        match kind_of(e) {
            LIT => {
                out[o] = (e >> 16) as u8;
                o += 1;
            }
            BASE => {
                let len = (e >> 16) as usize + take!((e >> 4) & 15);
                let mut de = dist[(buf & dmask) as usize];
                if kind_of(de) == SUB {
                    take!(DIST_BITS);
                    let sub = (de >> 12) & 15;
                    de = dist[(de >> 16) as usize + (buf & ((1u64 << sub) - 1)) as usize];
                }
                if de & 15 == 0 {
                    fail!("invalid Huffman code");
                }
                take!(de & 15);
                if kind_of(de) != BASE {
                    fail!("invalid distance symbol");
                }
                let d = (de >> 16) as usize + take!((de >> 4) & 15);
                if d > o {
                    fail!("distance before start of output");
                }
                copy_match(out, o, d, len);
                o += len;
            }
            END => {
                b.buf = buf;
                b.n = n;
                b.pos = pos;
                return Ok(o);
            }
            _ => fail!("invalid length symbol"),
        }
    }
    b.buf = buf;
    b.n = n;
    b.pos = pos;
    loop {
        // 48 bits cover a length code, its extra bits, a distance code and
        // its extra bits (15 + 5 + 15 + 13).
        if b.n < 48 {
            b.refill();
        }
        let e = b.decode(lit, LIT_BITS)?;
        match kind_of(e) {
            LIT => {
                if o >= end {
                    return Err(limit_err(end, b.offset()));
                }
                out[o] = (e >> 16) as u8;
                o += 1;
            }
            BASE => {
                let len = b.value(e)?;
                let de = b.decode(dist, DIST_BITS)?;
                if kind_of(de) != BASE {
                    return Err(corrupt("invalid distance symbol", b.offset()));
                }
                let d = b.value(de)?;
                if d > o {
                    return Err(corrupt("distance before start of output", b.offset()));
                }
                if len > end - o {
                    return Err(limit_err(end, b.offset()));
                }
                copy_match(out, o, d, len);
                o += len;
            }
            END => return Ok(o),
            _ => return Err(corrupt("invalid length symbol", b.offset())),
        }
    }
}

/// Copies `len` bytes from `d` bytes back to `o` (`d <= o`, `o + len <=
/// out.len()`), repeating the pattern when they overlap.
#[inline(always)]
fn copy_match(out: &mut [u8], o: usize, d: usize, len: usize) {
    let s = o - d;
    // With room to write 16 bytes past the match (bytes there are
    // overwritten by the output that follows), 16 bytes at a time.
    if o + len + 16 <= out.len() {
        let p = out.as_mut_ptr();
        // SAFETY (every copy16 below): reads start at or after `s` and
        // writes at or after `o`, both fewer than `len` bytes in, so every
        // 16 bytes touched lie below o + len + 16 <= out.len().
        if d >= 16 {
            let mut i = 0;
            while i < len {
                unsafe { copy16(p, s + i, o + i) };
                i += 16;
            }
            return;
        }
        // A shorter period: its first 16 bytes, then copies of `step` bytes
        // (a whole number of periods) from `step` back.
        let step = STEP[d] as usize;
        // SAFETY: s + 16 <= o + 16 <= out.len().
        let pat = unsafe { pattern(p, s, d) };
        if step == 16 {
            // 1, 2, 4 or 8: the same 16 bytes over and over.
            let mut i = 0;
            while i < len {
                // SAFETY: as copy16's writes.
                unsafe { core::ptr::write_unaligned(p.add(o + i) as *mut [u8; 16], pat) };
                i += 16;
            }
            return;
        }
        out[o..o + 16].copy_from_slice(&pat);
        let mut i = step;
        while i < len {
            unsafe { copy16(p, o + i - step, o + i) };
            i += step;
        }
        return;
    }
    if d >= len {
        out.copy_within(s..s + len, o);
        return;
    }
    // Overlapping: the pattern doubles with every copy.
    let mut done = 0;
    while done < len {
        let n = (len - done).min(o + done - s);
        out.copy_within(s..s + n, o + done);
        done += n;
    }
}

/// Copies the 16 bytes at `from` to `to` (the two may overlap: all are
/// read first).
///
/// # Safety
/// Both ranges must lie in the buffer at `p`.
#[inline(always)]
unsafe fn copy16(p: *mut u8, from: usize, to: usize) {
    let w = core::ptr::read_unaligned(p.add(from) as *const [u8; 16]);
    core::ptr::write_unaligned(p.add(to) as *mut [u8; 16], w);
}

/// The first 16 bytes of the pattern of period `d` (below 16) that starts
/// at `s`: `pattern[j] = p[s + j % d]`.
///
/// # Safety
/// The 16 bytes at `s` must lie in the buffer at `p`.
#[inline(always)]
unsafe fn pattern(p: *mut u8, s: usize, d: usize) -> [u8; 16] {
    let w = core::ptr::read_unaligned(p.add(s) as *const [u8; 16]);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{i8x16_swizzle, v128};
        let idx: v128 = core::mem::transmute(MODS[d]);
        core::mem::transmute(i8x16_swizzle(core::mem::transmute(w), idx))
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        let mut pat = [0u8; 16];
        for (j, v) in pat.iter_mut().enumerate() {
            *v = w[MODS[d][j] as usize];
        }
        pat
    }
}

/// For a period `d` below 16: the most bytes, a whole number of periods,
/// that fit in 16.
const STEP: [u8; 16] = [
    16, 16, 16, 15, 16, 15, 12, 14, 16, 9, 10, 11, 12, 13, 14, 15,
];

/// `MODS[d][j] = j % d`.
const MODS: [[u8; 16]; 16] = {
    let mut m = [[0u8; 16]; 16];
    let mut d = 1;
    while d < 16 {
        let mut j = 0;
        while j < 16 {
            m[d][j] = (j % d) as u8;
            j += 1;
        }
        d += 1;
    }
    m
};

/// Adler-32 of `data` (RFC 1950).
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    // The most bytes before the sums must be reduced (zlib's NMAX), a
    // multiple of 16.
    const NMAX: usize = 5552;
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(NMAX) {
        let whole = block.len() / 16 * 16;
        let (sa, sb) = sums16(&block[..whole]);
        // b grows by a for each byte, then by what the block adds.
        b = ((b as u64 + a as u64 * whole as u64 + sb) % MOD as u64) as u32;
        a = ((a as u64 + sa) % MOD as u64) as u32;
        for &x in &block[whole..] {
            a += x as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// For `data` (a multiple of 16 bytes, at most 5552): the sum of its bytes
/// and the sum of each byte times its distance from the end (1 for the
/// last), the two sums Adler-32 adds for a block starting from a = 0, b = 0.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn sums16(data: &[u8]) -> (u64, u64) {
    use core::arch::wasm32::*;
    let w_lo = i16x8(16, 15, 14, 13, 12, 11, 10, 9);
    let w_hi = i16x8(8, 7, 6, 5, 4, 3, 2, 1);
    let (mut s1, mut s2, mut ps) = (i32x4_splat(0), i32x4_splat(0), i32x4_splat(0));
    for c in data.chunks_exact(16) {
        // SAFETY: `c` is 16 bytes; v128_load allows unaligned addresses.
        let x = unsafe { v128_load(c.as_ptr() as *const v128) };
        let lo = u16x8_extend_low_u8x16(x);
        let hi = u16x8_extend_high_u8x16(x);
        // Each earlier block's bytes count 16 more times for every block after.
        ps = i32x4_add(ps, s1);
        s1 = i32x4_add(s1, u32x4_extadd_pairwise_u16x8(i16x8_add(lo, hi)));
        s2 = i32x4_add(
            s2,
            i32x4_add(i32x4_dot_i16x8(lo, w_lo), i32x4_dot_i16x8(hi, w_hi)),
        );
    }
    let lanes = |v: v128| -> u64 {
        (u32x4_extract_lane::<0>(v) as u64)
            + (u32x4_extract_lane::<1>(v) as u64)
            + (u32x4_extract_lane::<2>(v) as u64)
            + (u32x4_extract_lane::<3>(v) as u64)
    };
    (lanes(s1), 16 * lanes(ps) + lanes(s2))
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn sums16(data: &[u8]) -> (u64, u64) {
    let (mut a, mut b) = (0u64, 0u64);
    for &x in data {
        a += x as u64;
        b += a;
    }
    (a, b)
}

/// Checks a zlib header (2 bytes at `data`) and answers where the DEFLATE
/// data starts.
fn zlib_header(data: &[u8], base: u64) -> Result<usize, DecodeError> {
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
    Ok(2)
}

/// Inflates the zlib stream `data` (2-byte header, DEFLATE data, Adler-32)
/// into `out`, answering the bytes written; a stream that inflates to more
/// than `out` holds is a `LimitExceeded` error.
pub fn zlib_into(data: &[u8], out: &mut [u8], base: u64) -> Result<usize, DecodeError> {
    let h = zlib_header(data, base)?;
    let (used, n) = inflate_raw_into(&data[h..], out, base + h as u64)?;
    let tail = h + used;
    match data.get(tail..tail + 4) {
        Some(c) => {
            let want = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
            if want != adler32(&out[..n]) {
                return Err(corrupt("zlib Adler-32 mismatch", base + tail as u64));
            }
            Ok(n)
        }
        None => Err(DecodeError::Truncated {
            what: "zlib Adler-32",
            byte_offset: base + tail as u64,
            expected: tail as u64 + 4,
            actual: data.len() as u64,
        }),
    }
}

/// Inflates a zlib stream, never producing more than `limit` bytes.
/// `size_hint` is the expected size: the output starts that big and grows
/// (the stream decoded again) only when the stream is longer.
pub fn zlib_decompress(
    data: &[u8],
    size_hint: usize,
    limit: usize,
    base: u64,
) -> Result<Vec<u8>, DecodeError> {
    zlib_header(data, base)?;
    let mut size = if size_hint > 0 {
        size_hint.min(limit)
    } else {
        data.len().saturating_mul(4).max(1024).min(limit)
    };
    loop {
        let mut out = Vec::new();
        if out.try_reserve_exact(size).is_err() {
            return Err(DecodeError::LimitExceeded {
                reason: format!("cannot allocate {} bytes for inflated data", size),
                byte_offset: base,
            });
        }
        out.resize(size, 0);
        match zlib_into(data, &mut out, base) {
            Ok(n) => {
                out.truncate(n);
                return Ok(out);
            }
            Err(DecodeError::LimitExceeded { .. }) if size < limit => {
                size = size.saturating_mul(2).min(limit);
            }
            Err(e) => return Err(e),
        }
    }
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

    /// A small DEFLATE encoder for the tests: one fixed-Huffman block,
    /// greedy matches at distances 1-40 and a few far ones, as a zlib
    /// stream. It reaches every copy kernel (periods below 16, overlapping
    /// copies, far ones) and the careful loop at the end of the output.
    fn deflate_fixed(data: &[u8]) -> Vec<u8> {
        struct W {
            out: Vec<u8>,
            acc: u64,
            n: u32,
        }
        impl W {
            fn put(&mut self, v: u32, k: u32) {
                self.acc |= (v as u64) << self.n;
                self.n += k;
                while self.n >= 8 {
                    self.out.push(self.acc as u8);
                    self.acc >>= 8;
                    self.n -= 8;
                }
            }
            fn code(&mut self, c: u32, len: u32) {
                self.put(c.reverse_bits() >> (32 - len), len);
            }
            fn sym(&mut self, s: u32) {
                match s {
                    0..=143 => self.code(0x30 + s, 8),
                    144..=255 => self.code(0x190 + s - 144, 9),
                    256..=279 => self.code(s - 256, 7),
                    _ => self.code(0xc0 + s - 280, 8),
                }
            }
        }
        let mut w = W {
            out: vec![0x78, 0x01],
            acc: 0,
            n: 0,
        };
        w.put(1, 1);
        w.put(1, 2);
        let far = [100usize, 1000, 3200, 20_000, 32_768];
        let mut i = 0;
        while i < data.len() {
            let (mut best, mut bd) = (0usize, 0usize);
            for d in (1..=40usize).chain(far.iter().copied()) {
                if d > i {
                    continue;
                }
                let mut l = 0;
                while l < 258 && i + l < data.len() && data[i + l] == data[i + l - d] {
                    l += 1;
                }
                if l > best {
                    best = l;
                    bd = d;
                }
            }
            if best >= 3 {
                let li = (0..29)
                    .rev()
                    .find(|&k| LEN_BASE[k] as usize <= best)
                    .unwrap();
                w.sym(257 + li as u32);
                w.put((best - LEN_BASE[li] as usize) as u32, LEN_EXTRA[li] as u32);
                let di = (0..30)
                    .rev()
                    .find(|&k| DIST_BASE[k] as usize <= bd)
                    .unwrap();
                w.code(di as u32, 5);
                w.put((bd - DIST_BASE[di] as usize) as u32, DIST_EXTRA[di] as u32);
                i += best;
            } else {
                w.sym(data[i] as u32);
                i += 1;
            }
        }
        w.sym(256);
        w.put(0, 7);
        let mut z = w.out;
        z.extend(adler32(data).to_be_bytes());
        z
    }

    /// Runs of one byte, doubles repeated, periods 2-15, overlapping copies
    /// 16-40 back, far copies and noise.
    fn mixed(n: usize) -> Vec<u8> {
        let mut x = 12345u32;
        let mut rnd = move || {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as usize
        };
        let mut v: Vec<u8> = Vec::new();
        while v.len() < n {
            let len = 3 + rnd() % 300;
            match rnd() % 6 {
                0 => v.extend(std::iter::repeat(rnd() as u8).take(len)),
                1 | 2 => {
                    let d = 1 + rnd() % 40;
                    for _ in 0..d {
                        v.push(rnd() as u8);
                    }
                    for _ in 0..len {
                        v.push(v[v.len() - d]);
                    }
                }
                3 if v.len() > 32_768 => {
                    let s = v.len() - [1000, 3200, 20_000, 32_768][rnd() % 4];
                    for k in 0..len {
                        v.push(v[s + k]);
                    }
                }
                _ => {
                    for _ in 0..len % 40 {
                        v.push(rnd() as u8);
                    }
                }
            }
        }
        v.truncate(n);
        v
    }

    #[test]
    fn every_copy_kernel_and_the_careful_tail_give_the_encoded_bytes() {
        for n in [0usize, 1, 17, 300, 5000, 70_000] {
            let data = mixed(n);
            let z = deflate_fixed(&data);
            assert_eq!(zlib_decompress(&z, n, n, 0).unwrap(), data, "n {}", n);
            // Into a buffer of exactly its size, and into a bigger one.
            let mut out = vec![0u8; n + 1000];
            assert_eq!(zlib_into(&z, &mut out[..n], 0).unwrap(), n);
            assert_eq!(&out[..n], &data[..]);
            assert_eq!(zlib_into(&z, &mut out, 0).unwrap(), n);
            assert_eq!(&out[..n], &data[..]);
            // One byte short: a limit, never a write past the buffer.
            if n > 0 {
                assert!(matches!(
                    zlib_into(&z, &mut out[..n - 1], 0),
                    Err(DecodeError::LimitExceeded { .. })
                ));
            }
            // Growing from a wrong size hint.
            assert_eq!(zlib_decompress(&z, 1, usize::MAX, 0).unwrap(), data);
        }
    }

    #[test]
    fn adler32_of_long_inputs_matches_the_byte_by_byte_sum() {
        let data = mixed(100_000);
        for n in [0usize, 15, 16, 5551, 5552, 5553, 100_000] {
            let (mut a, mut b) = (1u64, 0u64);
            for &x in &data[..n] {
                a = (a + x as u64) % 65521;
                b = (b + a) % 65521;
            }
            assert_eq!(adler32(&data[..n]), ((b << 16) | a) as u32, "n {}", n);
        }
    }
}
