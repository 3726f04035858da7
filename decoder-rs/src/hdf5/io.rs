//! Byte access for the parsers: a sparse, bounds-checked view of a file and
//! a little-endian cursor over one structure.
//!
//! A [`Source`] holds the blocks of the file that have been loaded so far
//! (all of it for an in-memory file). A read of bytes that exist in the file
//! but are not loaded fails with [`Source::missing`] set: the caller loads
//! them (an HTTP range request, say) and runs the operation again. Parsing is
//! deterministic, so a re-run makes the same reads.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;

use crate::DecodeError;

/// The `what` of the [`DecodeError::Truncated`] returned for bytes that are
/// in the file but not loaded yet.
pub const NOT_LOADED: &str = "bytes not loaded yet";

/// Whether `e` only says that bytes must be loaded first.
pub fn is_not_loaded(e: &DecodeError) -> bool {
    matches!(e, DecodeError::Truncated { what, .. } if *what == NOT_LOADED)
}

/// Limits checked before allocating anything whose size a file declares.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most dimensions of one variable.
    pub max_rank: usize,
    /// Most objects (groups, variables, attributes) in a file.
    pub max_objects: usize,
    /// Most object-header messages and continuation blocks in one header.
    pub max_messages: usize,
    /// Most nodes visited in one B-tree, heap or chunk index walk.
    pub max_nodes: usize,
    /// Most bytes one decoded chunk or attribute may have.
    pub max_decoded: u64,
}

impl Limits {
    /// Limits derived from the file size: nothing a file declares may need
    /// more than about 1100 times its own size (DEFLATE's ratio is at most
    /// 1032:1), with a floor of 64 MiB for small files.
    pub fn for_file_size(len: u64) -> Limits {
        Limits {
            max_rank: 32,
            max_objects: (len / 8).clamp(1024, 10_000_000) as usize,
            max_messages: 65_536,
            max_nodes: (len / 16).clamp(4096, 50_000_000) as usize,
            max_decoded: len.saturating_mul(1100).max(64 << 20),
        }
    }
}

/// A sparse view of a file of known length.
pub struct Source {
    len: u64,
    blocks: BTreeMap<u64, Vec<u8>>,
    missing: Cell<Option<(u64, u64)>>,
}

impl Source {
    /// A file held entirely in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Source {
        let len = bytes.len() as u64;
        let mut blocks = BTreeMap::new();
        blocks.insert(0, bytes);
        Source {
            len,
            blocks,
            missing: Cell::new(None),
        }
    }

    /// A file of `len` bytes of which nothing is loaded yet.
    pub fn sparse(len: u64) -> Source {
        Source {
            len,
            blocks: BTreeMap::new(),
            missing: Cell::new(None),
        }
    }

    /// Loads `bytes` at `offset` (clipped to the file length).
    pub fn add(&mut self, offset: u64, mut bytes: Vec<u8>) {
        if offset >= self.len {
            return;
        }
        let room = (self.len - offset).min(bytes.len() as u64) as usize;
        bytes.truncate(room);
        if self
            .blocks
            .get(&offset)
            .map_or(true, |b| b.len() < bytes.len())
        {
            self.blocks.insert(offset, bytes);
        }
        self.missing.set(None);
    }

    /// The file length.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forgets the range recorded as missing.
    pub fn reset_missing(&self) {
        self.missing.set(None);
    }

    /// The first range found missing since the last [`Source::add`].
    pub fn missing(&self) -> Option<(u64, u64)> {
        self.missing.get()
    }

    /// `n` bytes at `offset`.
    pub fn get(
        &self,
        offset: u64,
        n: u64,
        what: &'static str,
    ) -> Result<Cow<'_, [u8]>, DecodeError> {
        let end = match offset.checked_add(n) {
            Some(e) if e <= self.len => e,
            _ => {
                return Err(DecodeError::Truncated {
                    what,
                    byte_offset: offset,
                    expected: n,
                    actual: self.len.saturating_sub(offset),
                })
            }
        };
        if let Some((&start, b)) = self.blocks.range(..=offset).next_back() {
            let bend = start + b.len() as u64;
            if bend >= end {
                let lo = (offset - start) as usize;
                return Ok(Cow::Borrowed(&b[lo..lo + n as usize]));
            }
            // Spans several loaded blocks?
            if bend > offset {
                let mut out = Vec::with_capacity(n as usize);
                out.extend_from_slice(&b[(offset - start) as usize..]);
                let mut at = bend;
                while at < end {
                    match self.blocks.range(..=at).next_back() {
                        Some((&s, nb)) if s + nb.len() as u64 > at => {
                            let lo = (at - s) as usize;
                            let take = ((end - at) as usize).min(nb.len() - lo);
                            out.extend_from_slice(&nb[lo..lo + take]);
                            at += take as u64;
                        }
                        _ => break,
                    }
                }
                if at >= end {
                    return Ok(Cow::Owned(out));
                }
                return Err(self.miss(at, end - at));
            }
        }
        Err(self.miss(offset, n))
    }

    fn miss(&self, offset: u64, n: u64) -> DecodeError {
        if self.missing.get().is_none() {
            self.missing.set(Some((offset, n)));
        }
        DecodeError::Truncated {
            what: NOT_LOADED,
            byte_offset: offset,
            expected: n,
            actual: 0,
        }
    }
}

/// Corrupt-input error helper.
pub fn corrupt<T>(reason: impl Into<String>, at: u64) -> Result<T, DecodeError> {
    Err(DecodeError::Corrupt {
        reason: reason.into(),
        byte_offset: at,
    })
}

/// Unsupported-feature error helper.
pub fn unsupported<T>(reason: impl Into<String>, at: u64) -> Result<T, DecodeError> {
    Err(DecodeError::Unsupported {
        reason: reason.into(),
        byte_offset: at,
    })
}

/// Limit error helper.
pub fn limit<T>(reason: impl Into<String>, at: u64) -> Result<T, DecodeError> {
    Err(DecodeError::LimitExceeded {
        reason: reason.into(),
        byte_offset: at,
    })
}

/// A bounds-checked little-endian cursor over the bytes of one structure.
pub struct Cur<'a> {
    b: &'a [u8],
    p: usize,
    base: u64,
}

impl<'a> Cur<'a> {
    /// A cursor over `b`, which starts at file offset `base`.
    pub fn new(b: &'a [u8], base: u64) -> Cur<'a> {
        Cur { b, p: 0, base }
    }

    /// The file offset of the next byte.
    pub fn at(&self) -> u64 {
        self.base + self.p as u64
    }

    /// Position within the structure.
    pub fn pos(&self) -> usize {
        self.p
    }

    /// Bytes left.
    pub fn left(&self) -> usize {
        self.b.len() - self.p
    }

    /// Moves to position `p` within the structure.
    pub fn seek(&mut self, p: usize) -> Result<(), DecodeError> {
        if p > self.b.len() {
            return self.short(p - self.p);
        }
        self.p = p;
        Ok(())
    }

    fn short<T>(&self, n: usize) -> Result<T, DecodeError> {
        Err(DecodeError::Truncated {
            what: "structure",
            byte_offset: self.at(),
            expected: n as u64,
            actual: self.left() as u64,
        })
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        match self.p.checked_add(n).and_then(|e| self.b.get(self.p..e)) {
            Some(s) => {
                self.p += n;
                Ok(s)
            }
            None => self.short(n),
        }
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize) -> Result<(), DecodeError> {
        self.bytes(n).map(|_| ())
    }

    /// An unsigned little-endian integer of `n` (0 to 8) bytes.
    pub fn uint(&mut self, n: usize) -> Result<u64, DecodeError> {
        if n > 8 {
            return corrupt(format!("integer field of {} bytes", n), self.at());
        }
        let s = self.bytes(n)?;
        let mut v = 0u64;
        for (i, &x) in s.iter().enumerate() {
            v |= (x as u64) << (8 * i);
        }
        Ok(v)
    }

    /// u8.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.uint(1)? as u8)
    }
    /// u16 LE.
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(self.uint(2)? as u16)
    }
    /// u32 LE.
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(self.uint(4)? as u32)
    }
    /// u64 LE.
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        self.uint(8)
    }

    /// Checks a 4-byte signature.
    pub fn magic(&mut self, m: &[u8; 4], what: &str) -> Result<(), DecodeError> {
        let at = self.at();
        if self.bytes(4)? != m {
            return corrupt(format!("bad {} signature", what), at);
        }
        Ok(())
    }
}

/// An address field equal to all ones: "undefined".
pub const UNDEF: u64 = u64::MAX;

/// Reads an address of `size` bytes (all ones maps to [`UNDEF`]).
pub fn addr(c: &mut Cur, size: usize) -> Result<u64, DecodeError> {
    let v = c.uint(size)?;
    if size < 8 && v == (1u64 << (8 * size)) - 1 {
        return Ok(UNDEF);
    }
    Ok(v)
}

/// Bytes needed to encode `v` (at least 1).
pub fn enc_size(v: u64) -> usize {
    if v == 0 {
        1
    } else {
        (63 - v.leading_zeros() as usize) / 8 + 1
    }
}

/// `floor(log2(v))`, 0 for 0.
pub fn log2(v: u64) -> u32 {
    if v == 0 {
        0
    } else {
        63 - v.leading_zeros()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_little_endian_fields_and_reports_where_it_ran_out() {
        let b = [1u8, 2, 3, 4, 5, 6, 7, 8, 9];
        let mut c = Cur::new(&b, 100);
        assert_eq!(c.u8().unwrap(), 1);
        assert_eq!(c.u16().unwrap(), 0x0302);
        assert_eq!(c.uint(3).unwrap(), 0x06_0504);
        assert_eq!((c.at(), c.pos(), c.left()), (106, 6, 3));
        match c.u32().unwrap_err() {
            DecodeError::Truncated { byte_offset, .. } => assert_eq!(byte_offset, 106),
            e => panic!("{:?}", e),
        }
        assert!(c.seek(10).is_err());
        c.seek(0).unwrap();
        assert_eq!(c.u64().unwrap(), 0x0807_0605_0403_0201);
    }

    #[test]
    fn a_signature_that_differs_is_corrupt_at_its_offset() {
        let mut c = Cur::new(b"TREX", 40);
        match c.magic(b"TREE", "B-tree").unwrap_err() {
            DecodeError::Corrupt {
                reason,
                byte_offset,
            } => assert_eq!((reason.as_str(), byte_offset), ("bad B-tree signature", 40)),
            e => panic!("{:?}", e),
        }
    }

    #[test]
    fn all_ones_addresses_are_undefined_at_every_width() {
        for size in [2usize, 4, 8] {
            let b = vec![0xffu8; size];
            assert_eq!(addr(&mut Cur::new(&b, 0), size).unwrap(), UNDEF);
        }
        assert_eq!(addr(&mut Cur::new(&[0x10, 0], 0), 2).unwrap(), 16);
    }

    #[test]
    fn enc_size_and_log2_count_bits() {
        assert_eq!(
            [0u64, 1, 255, 256, 65_535, 65_536, u64::MAX].map(enc_size),
            [1, 1, 1, 2, 2, 3, 8]
        );
        assert_eq!(
            [0u64, 1, 2, 3, 1024, u64::MAX].map(log2),
            [0, 0, 1, 1, 10, 63]
        );
    }

    #[test]
    fn a_sparse_source_names_the_first_missing_range_until_it_is_loaded() {
        let mut s = Source::sparse(100);
        let e = s.get(10, 5, "header").unwrap_err();
        assert!(is_not_loaded(&e));
        assert_eq!(s.missing(), Some((10, 5)));
        // A later miss does not replace the first.
        assert!(s.get(50, 5, "heap").is_err());
        assert_eq!(s.missing(), Some((10, 5)));
        s.add(8, vec![7; 4]);
        assert_eq!(s.missing(), None);
        // Bytes 8..12 loaded: 10..15 still needs 12..15.
        assert!(s.get(10, 5, "header").is_err());
        assert_eq!(s.missing(), Some((12, 3)));
        s.add(12, vec![9; 8]);
        assert_eq!(s.get(10, 5, "header").unwrap().as_ref(), &[7, 7, 9, 9, 9]);
        // Past the end is a real truncation, not a load request.
        let e = s.get(98, 5, "tail").unwrap_err();
        assert!(!is_not_loaded(&e));
        // Blocks are clipped to the file length.
        s.add(96, vec![1; 10]);
        assert_eq!(s.get(96, 4, "tail").unwrap().len(), 4);
    }

    #[test]
    fn limits_grow_with_the_file_from_a_floor() {
        let small = Limits::for_file_size(10);
        assert_eq!(small.max_decoded, 64 << 20);
        assert_eq!(small.max_objects, 1024);
        let big = Limits::for_file_size(1 << 30);
        assert_eq!(big.max_decoded, (1u64 << 30) * 1100);
    }
}
