//! Values of any readable HDF5 datatype, decoded column by column:
//! numbers (little-endian), strings (fixed-length and variable-length),
//! variable-length sequences (their data in the global heap), compounds
//! (one column per member, nested), and HDF5 arrays of these (flattened,
//! the array's values consecutive per element).
//!
//! Everything a file declares is checked before use: a sequence's length
//! against its heap object, every heap object against its collection, and
//! the total bytes decoded against a [`Budget`], so a hostile file gets a
//! typed error after bounded work. Global heap collections are parsed once
//! per decode ([`HeapCache`]), so each element costs one lookup.

use std::borrow::Cow;
use std::collections::HashMap;

use super::io::{corrupt, limit, unsupported, Cur, UNDEF};
use super::messages::Dtype;
use super::Hdf5;
use crate::DecodeError;

/// Decoded values of one datatype over many elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// Numbers or chars: an `nc_type` code (1 byte … 11 uint64, 2 char,
    /// 20 float16) and the values' little-endian bytes.
    Num(u8, Vec<u8>),
    /// Strings, NUL-terminated values cut at the first NUL.
    Strings(Vec<String>),
    /// Variable-length sequences: each element's length, then all their
    /// values one after another.
    Seqs(Vec<u32>, Box<Column>),
    /// A compound: one column per member, in declaration order.
    Members(Vec<(String, Column)>),
}

/// The most bytes one decode may produce (and heap bytes it may copy).
pub struct Budget {
    left: u64,
}

impl Budget {
    /// A budget of `bytes`.
    pub fn new(bytes: u64) -> Budget {
        Budget { left: bytes }
    }

    /// Takes `n` bytes from the budget, or fails at `at`.
    pub fn take(&mut self, n: u64, at: u64) -> Result<(), DecodeError> {
        match self.left.checked_sub(n) {
            Some(l) => {
                self.left = l;
                Ok(())
            }
            None => limit(
                "variable-length or compound values decode to more bytes than allowed",
                at,
            ),
        }
    }
}

/// One parsed global heap collection: its bytes and where each object is.
struct Collection<'a> {
    bytes: Cow<'a, [u8]>,
    objects: HashMap<u16, (usize, usize)>,
}

/// Global heap collections parsed so far, by address, and the bytes of
/// collections it may still parse (a file can point many elements at many
/// overlapping "collections": parsing is bounded too).
pub struct HeapCache<'a> {
    cols: HashMap<u64, Collection<'a>>,
    held: u64,
    parse_left: u64,
}

impl<'a> HeapCache<'a> {
    /// A cache that parses at most `bytes` of collections in all.
    pub fn new(bytes: u64) -> HeapCache<'a> {
        HeapCache {
            cols: HashMap::new(),
            held: 0,
            parse_left: bytes,
        }
    }
}

/// Most bytes of collections a cache holds before it starts over.
const CACHE_BYTES: u64 = 256 << 20;

impl<'a> HeapCache<'a> {
    /// Object `index` of the collection at `a` (relative address).
    pub fn object(&mut self, h: &Hdf5<'a>, a: u64, index: u32) -> Result<&[u8], DecodeError> {
        let at = h.abs(a, 0)?;
        if !self.cols.contains_key(&a) {
            let col = parse_collection(h, a)?;
            let n = col.bytes.len() as u64;
            self.parse_left = match self.parse_left.checked_sub(n) {
                Some(l) => l,
                None => {
                    return limit(
                        "global heap collections to parse exceed the decoded size limit",
                        at,
                    )
                }
            };
            if self.held.saturating_add(n) > CACHE_BYTES {
                self.cols.clear();
                self.held = 0;
            }
            self.held += n;
            self.cols.insert(a, col);
        }
        let col = match self.cols.get(&a) {
            Some(c) => c,
            None => return corrupt("global heap collection", at),
        };
        let idx = match u16::try_from(index) {
            Ok(i) if i != 0 => i,
            _ => return corrupt(format!("global heap object {} not found", index), at),
        };
        match col.objects.get(&idx) {
            Some(&(s, n)) => Ok(&col.bytes[s..s + n]),
            None => corrupt(format!("global heap object {} not found", index), at),
        }
    }
}

/// Parses the global heap collection at `a`: `GCOL`, version 1, its size,
/// then objects (index, reference count, size, data padded to 8 bytes)
/// until the free space (index 0) or the end.
fn parse_collection<'a>(h: &Hdf5<'a>, a: u64) -> Result<Collection<'a>, DecodeError> {
    let at = h.abs(a, 0)?;
    let head = 8 + h.g.sl as u64;
    let hdr = h.read(a, head, "global heap")?;
    let mut c = Cur::new(&hdr, at);
    c.magic(b"GCOL", "global heap")?;
    let version = c.u8()?;
    if version != 1 {
        return unsupported(format!("global heap version {}", version), at);
    }
    c.skip(3)?;
    let size = h.length(&mut c)?;
    if size > h.src.len() || size < head {
        return corrupt("global heap collection size", at);
    }
    let bytes = h.read(a, size, "global heap collection")?;
    let mut objects = HashMap::new();
    let mut c = Cur::new(&bytes, at);
    c.skip(head as usize)?;
    // Each object takes at least 8 + sl bytes: the loop ends.
    while c.left() >= 8 + h.g.sl {
        let idx = c.u16()?;
        if idx == 0 {
            break;
        }
        c.skip(6)?;
        let n = h.length(&mut c)?;
        if n > c.left() as u64 {
            return corrupt("global heap object runs past its collection", c.at());
        }
        let n = n as usize;
        objects.insert(idx, (c.pos(), n));
        c.skip(((n + 7) / 8 * 8).min(c.left()))?;
    }
    Ok(Collection { bytes, objects })
}

/// Whether values of `d` can be decoded here.
pub fn decodable(d: &Dtype) -> bool {
    match d {
        Dtype::Int { .. } | Dtype::FixedString { .. } | Dtype::VlenString => true,
        Dtype::Float { size, .. } => matches!(size, 2 | 4 | 8),
        Dtype::Enum(b) | Dtype::Vlen(b) => decodable(b),
        Dtype::Array { base, .. } => decodable(base),
        Dtype::Compound { members, .. } => {
            !members.is_empty() && members.iter().all(|m| decodable(&m.dtype))
        }
        Dtype::Reference { .. } | Dtype::Unknown { .. } => false,
    }
}

/// Whether `d` holds variable-length data (in the global heap).
pub fn has_vlen(d: &Dtype) -> bool {
    match d {
        Dtype::VlenString | Dtype::Vlen(_) => true,
        Dtype::Enum(b) | Dtype::Array { base: b, .. } => has_vlen(b),
        Dtype::Compound { members, .. } => members.iter().any(|m| has_vlen(&m.dtype)),
        _ => false,
    }
}

/// Bytes per element of `d` in a file with `so`-byte addresses.
fn stride(d: &Dtype, so: usize) -> u64 {
    match d {
        Dtype::VlenString | Dtype::Vlen(_) => 8 + so as u64,
        Dtype::Array { dims, base } => dims
            .iter()
            .fold(stride(base, so), |a, &x| a.saturating_mul(x as u64)),
        _ => d.size(),
    }
}

fn nc_code(d: &Dtype) -> Option<u8> {
    Some(match d {
        Dtype::Int { size, signed, .. } => match (size, signed) {
            (1, true) => 1,
            (2, true) => 3,
            (4, true) => 4,
            (1, false) => 7,
            (2, false) => 8,
            (4, false) => 9,
            (8, true) => 10,
            (8, false) => 11,
            _ => return None,
        },
        Dtype::Float { size: 2, .. } => 20,
        Dtype::Float { size: 4, .. } => 5,
        Dtype::Float { size: 8, .. } => 6,
        Dtype::FixedString { size: 1 } => 2,
        _ => return None,
    })
}

fn trim_nul(b: &[u8]) -> String {
    let end = b.iter().position(|&x| x == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Decodes `n` elements of `d` from `data` (their bytes as stored, `at` the
/// file offset errors report).
pub fn decode<'a>(
    h: &Hdf5<'a>,
    heap: &mut HeapCache<'a>,
    d: &Dtype,
    data: &[u8],
    n: usize,
    budget: &mut Budget,
    at: u64,
) -> Result<Column, DecodeError> {
    let size = stride(d, h.g.so);
    let need = (n as u64).checked_mul(size);
    if need.map_or(true, |b| b > data.len() as u64) {
        return corrupt("values shorter than their elements", at);
    }
    let size = size as usize;
    match d {
        Dtype::Enum(b) => decode(h, heap, b, data, n, budget, at),
        Dtype::Array { dims, base } => {
            let k = dims
                .iter()
                .fold(1usize, |a, &x| a.saturating_mul(x as usize));
            decode(h, heap, base, data, n.saturating_mul(k), budget, at)
        }
        Dtype::FixedString { size: s } if *s > 1 => {
            budget.take((n as u64).saturating_mul(*s as u64 + 16), at)?;
            Ok(Column::Strings(
                data[..n * size].chunks_exact(size).map(trim_nul).collect(),
            ))
        }
        Dtype::VlenString => {
            let mut out = Vec::with_capacity(n);
            each_vlen(h, heap, data, n, budget, at, |obj, len| {
                out.push(trim_nul(obj.get(..len).unwrap_or(obj)));
                Ok(())
            })?;
            Ok(Column::Strings(out))
        }
        Dtype::Vlen(base) => {
            let bsize = stride(base, h.g.so);
            // an array base flattens: each of its elements is `per` values
            let per = match base.as_ref() {
                Dtype::Array { dims, .. } => dims.iter().fold(1u32, |a, &x| a.saturating_mul(x)),
                _ => 1,
            };
            let mut lens = Vec::with_capacity(n);
            let mut items = Vec::new();
            let mut total = 0usize;
            each_vlen(h, heap, data, n, budget, at, |obj, len| {
                let bytes = (len as u64).checked_mul(bsize);
                match bytes {
                    Some(b) if b <= obj.len() as u64 => {
                        items.extend_from_slice(&obj[..b as usize]);
                        lens.push((len as u32).saturating_mul(per));
                        total += len;
                        Ok(())
                    }
                    _ => corrupt("variable-length sequence longer than its heap object", at),
                }
            })?;
            let inner = decode(h, heap, base, &items, total, budget, at)?;
            Ok(Column::Seqs(lens, Box::new(inner)))
        }
        Dtype::Compound { members, .. } => {
            let mut out = Vec::with_capacity(members.len());
            for m in members {
                let msize = stride(&m.dtype, h.g.so) as usize;
                let off = m.offset as usize;
                if off.saturating_add(msize) > size {
                    return corrupt("compound member outside its element", at);
                }
                budget.take((n as u64).saturating_mul(msize as u64), at)?;
                let mut b = Vec::with_capacity(n * msize);
                for e in data[..n * size].chunks_exact(size.max(1)) {
                    b.extend_from_slice(&e[off..off + msize]);
                }
                out.push((
                    m.name.clone(),
                    decode(h, heap, &m.dtype, &b, n, budget, at)?,
                ));
            }
            Ok(Column::Members(out))
        }
        _ => {
            let code = match nc_code(d) {
                Some(c) => c,
                None => return unsupported(format!("HDF5 datatype {:?}", d), at),
            };
            budget.take((n * size) as u64, at)?;
            let mut b = data[..n * size].to_vec();
            let be = matches!(
                d,
                Dtype::Int { be: true, .. } | Dtype::Float { be: true, .. }
            );
            if be && size > 1 {
                for e in b.chunks_exact_mut(size) {
                    e.reverse();
                }
            }
            if let Dtype::Int {
                signed,
                bits: Some((off, prec)),
                ..
            } = d
            {
                unpack_bits(&mut b, size, *signed, *off, *prec);
            }
            Ok(Column::Num(code, b))
        }
    }
}

/// Integers of reduced precision (little-endian, `size` bytes each) to
/// their values, as libhdf5 converts them: bits `off..off + prec` of each,
/// sign-extended when `signed`.
pub fn unpack_bits(b: &mut [u8], size: usize, signed: bool, off: u8, prec: u8) {
    if size == 0 || size > 8 || prec == 0 || off as u32 + prec as u32 > 64 {
        return;
    }
    for e in b.chunks_exact_mut(size) {
        let mut x = [0u8; 8];
        x[..size].copy_from_slice(e);
        let raw = u64::from_le_bytes(x) >> off;
        let v = if prec >= 64 {
            raw
        } else {
            let m = raw & ((1u64 << prec) - 1);
            if signed && m >> (prec - 1) & 1 == 1 {
                m | !((1u64 << prec) - 1)
            } else {
                m
            }
        };
        e.copy_from_slice(&v.to_le_bytes()[..size]);
    }
}

/// Calls `f(object, length)` for each of `n` variable-length elements
/// (`u32 length, address, u32 index`) of `data`; an element of length 0 or
/// without an address has an empty object.
fn each_vlen<'a>(
    h: &Hdf5<'a>,
    heap: &mut HeapCache<'a>,
    data: &[u8],
    n: usize,
    budget: &mut Budget,
    at: u64,
    mut f: impl FnMut(&[u8], usize) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let esize = 8 + h.g.so;
    for e in data.chunks_exact(esize).take(n) {
        let mut c = Cur::new(e, at);
        let len = c.u32()? as usize;
        let a = h.addr(&mut c)?;
        let idx = c.u32()?;
        // every element costs a little, even an empty one
        budget.take(16, at)?;
        if len == 0 || a == 0 || a == UNDEF {
            f(&[], 0)?;
            continue;
        }
        let obj = heap.object(h, a, idx)?;
        budget.take(obj.len().min(len.saturating_mul(64)) as u64, at)?;
        f(obj, len)?;
    }
    Ok(())
}

/// Packs a column for the TypeScript side (little-endian): `u8 tag`, then
/// Num (0): `u8 nc_type, u32 nbytes, bytes`; Strings (1): `u32 n, (u32 len,
/// utf8)…`; Seqs (2): `u32 n, u32 length…, column`; Members (3): `u32 n,
/// (u32 len, utf8 name, column)…`.
pub fn encode(c: &Column, o: &mut Vec<u8>) {
    let u32_ = |o: &mut Vec<u8>, v: usize| o.extend_from_slice(&(v as u32).to_le_bytes());
    match c {
        Column::Num(t, b) => {
            o.push(0);
            o.push(*t);
            u32_(o, b.len());
            o.extend_from_slice(b);
        }
        Column::Strings(s) => {
            o.push(1);
            u32_(o, s.len());
            for x in s {
                u32_(o, x.len());
                o.extend_from_slice(x.as_bytes());
            }
        }
        Column::Seqs(lens, inner) => {
            o.push(2);
            u32_(o, lens.len());
            for &l in lens {
                u32_(o, l as usize);
            }
            encode(inner, o);
        }
        Column::Members(m) => {
            o.push(3);
            u32_(o, m.len());
            for (name, col) in m {
                u32_(o, name.len());
                o.extend_from_slice(name.as_bytes());
                encode(col, o);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hdf5::io::Source;
    use crate::hdf5::messages::Member;
    use crate::hdf5::test_file;

    /// A global heap collection at `at` holding `objects` (indices from 1).
    fn collection(objects: &[&[u8]]) -> Vec<u8> {
        let mut body = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            body.extend_from_slice(&((i + 1) as u16).to_le_bytes());
            body.extend_from_slice(&[1, 0, 0, 0, 0, 0]);
            body.extend_from_slice(&(o.len() as u64).to_le_bytes());
            body.extend_from_slice(o);
            body.resize((body.len() + 7) / 8 * 8, 0);
        }
        let mut c = b"GCOL\x01\0\0\0".to_vec();
        c.extend_from_slice(&((16 + body.len()) as u64).to_le_bytes());
        c.extend_from_slice(&body);
        c
    }

    fn file(heap_at: usize, objects: &[&[u8]]) -> Source {
        let mut b = vec![0u8; heap_at];
        b.extend_from_slice(&collection(objects));
        Source::from_bytes(b)
    }

    fn elem(len: u32, addr: u64, idx: u32) -> Vec<u8> {
        let mut e = len.to_le_bytes().to_vec();
        e.extend_from_slice(&addr.to_le_bytes());
        e.extend_from_slice(&idx.to_le_bytes());
        e
    }

    fn i16s(v: &[i16]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    const I16: Dtype = Dtype::Int {
        size: 2,
        signed: true,
        be: false,
        bits: None,
    };

    fn run(
        src: &Source,
        d: &Dtype,
        data: &[u8],
        n: usize,
        budget: u64,
    ) -> Result<Column, DecodeError> {
        let h = test_file(src);
        let mut heap = HeapCache::new(1 << 20);
        decode(&h, &mut heap, d, data, n, &mut Budget::new(budget), 0)
    }

    #[test]
    fn sequences_read_their_heap_objects() {
        let src = file(64, &[&i16s(&[1, 2, 3]), b"hello\0", &i16s(&[-7])]);
        let vlen = Dtype::Vlen(Box::new(I16));
        let mut data = elem(3, 64, 1);
        data.extend(elem(0, 0, 0));
        data.extend(elem(1, 64, 3));
        data.extend(elem(2, 64, 1)); // a prefix of an object
        let c = run(&src, &vlen, &data, 4, 1 << 20).unwrap();
        assert_eq!(
            c,
            Column::Seqs(
                vec![3, 0, 1, 2],
                Box::new(Column::Num(3, i16s(&[1, 2, 3, -7, 1, 2])))
            )
        );
        let s = run(&src, &Dtype::VlenString, &elem(5, 64, 2), 1, 1 << 20).unwrap();
        assert_eq!(s, Column::Strings(vec!["hello".into()]));
    }

    #[test]
    fn compounds_split_into_member_columns() {
        let src = file(64, &[b"ab"]);
        // {a: i16 big-endian at 0, s: 3-byte string at 2, v: vlen string at 5}
        let d = Dtype::Compound {
            size: 21,
            members: vec![
                Member {
                    name: "a".into(),
                    offset: 0,
                    dtype: Dtype::Int {
                        size: 2,
                        signed: true,
                        be: true,
                        bits: None,
                    },
                },
                Member {
                    name: "s".into(),
                    offset: 2,
                    dtype: Dtype::FixedString { size: 3 },
                },
                Member {
                    name: "v".into(),
                    offset: 5,
                    dtype: Dtype::VlenString,
                },
            ],
        };
        let mut data = vec![0, 5, b'x', b'y', 0];
        data.extend(elem(2, 64, 1));
        data.extend_from_slice(&[1, 0, b'a', b'b', b'c']);
        data.extend(elem(0, 0, 0));
        let c = run(&src, &d, &data, 2, 1 << 20).unwrap();
        assert_eq!(
            c,
            Column::Members(vec![
                ("a".into(), Column::Num(3, i16s(&[5, 256]))),
                ("s".into(), Column::Strings(vec!["xy".into(), "abc".into()])),
                ("v".into(), Column::Strings(vec!["ab".into(), "".into()])),
            ])
        );
        let mut o = Vec::new();
        encode(&c, &mut o);
        assert_eq!(&o[..5], &[3, 3, 0, 0, 0]);
    }

    #[test]
    fn reduced_precision_integers_unpack() {
        // -3 in 12 bits at offset 2, padding bits set around it
        let raw = ((-3i16 as u16 & 0xfff) << 2) | 0b11 | 0xc000;
        let mut b = raw.to_le_bytes().to_vec();
        unpack_bits(&mut b, 2, true, 2, 12);
        assert_eq!(i16::from_le_bytes([b[0], b[1]]), -3);
        let mut b = raw.to_le_bytes().to_vec();
        unpack_bits(&mut b, 2, false, 2, 12);
        assert_eq!(u16::from_le_bytes([b[0], b[1]]), 4093);
        let mut b = vec![0xff; 8];
        unpack_bits(&mut b, 8, true, 0, 64);
        assert_eq!(b, vec![0xff; 8]);
        unpack_bits(&mut b, 8, true, 60, 10); // past the element: untouched
        assert_eq!(b, vec![0xff; 8]);
    }

    #[test]
    fn arrays_of_strings_flatten() {
        let src = file(64, &[b"one", b"three"]);
        let d = Dtype::Array {
            dims: vec![2],
            base: Box::new(Dtype::VlenString),
        };
        let mut data = elem(3, 64, 1);
        data.extend(elem(5, 64, 2));
        assert_eq!(
            run(&src, &d, &data, 1, 1 << 20).unwrap(),
            Column::Strings(vec!["one".into(), "three".into()])
        );
        let f = Dtype::Array {
            dims: vec![2],
            base: Box::new(Dtype::FixedString { size: 2 }),
        };
        assert_eq!(
            run(&src, &f, b"ab\0c", 1, 1 << 20).unwrap(),
            Column::Strings(vec!["ab".into(), "".into()])
        );
    }

    #[test]
    fn hostile_values_are_typed_errors() {
        let src = file(64, &[&i16s(&[1, 2])]);
        let vlen = Dtype::Vlen(Box::new(I16));
        let bad = |data: Vec<u8>, n: usize, budget: u64| {
            let e = run(&src, &vlen, &data, n, budget).unwrap_err();
            assert!(
                matches!(
                    e,
                    DecodeError::Corrupt { .. }
                        | DecodeError::LimitExceeded { .. }
                        | DecodeError::Truncated { .. }
                        | DecodeError::Unsupported { .. }
                ),
                "{:?}",
                e
            );
        };
        bad(elem(3, 64, 1), 1, 1 << 20); // longer than the object
        bad(elem(u32::MAX, 64, 1), 1, 1 << 20);
        bad(elem(1, 64, 9), 1, 1 << 20); // no such object
        bad(elem(1, 64, 0x1_0001), 1, 1 << 20); // index past u16
        bad(elem(1, 8, 1), 1, 1 << 20); // no collection there
        bad(elem(1, u64::MAX - 1, 1), 1, 1 << 20);
        bad(elem(1, 64, 1), 2, 1 << 20); // fewer bytes than elements
                                         // the same object many times: the budget ends it
        let many: Vec<u8> = (0..1000).flat_map(|_| elem(2, 64, 1)).collect();
        bad(many.clone(), 1000, 1000);
        assert!(run(&src, &vlen, &many, 1000, 1 << 20).is_ok());
        // a collection whose size runs past the file, or whose object does
        let mut b = vec![0u8; 64];
        let mut c = collection(&[b"abcd"]);
        c[8..16].copy_from_slice(&(1u64 << 40).to_le_bytes());
        b.extend_from_slice(&c);
        let src2 = Source::from_bytes(b);
        assert!(run(&src2, &vlen, &elem(1, 64, 1), 1, 1 << 20).is_err());
        let mut b = vec![0u8; 64];
        let mut c = collection(&[b"abcd"]);
        c[24..32].copy_from_slice(&(1u64 << 20).to_le_bytes());
        b.extend_from_slice(&c);
        let src3 = Source::from_bytes(b);
        assert!(run(&src3, &vlen, &elem(1, 64, 1), 1, 1 << 20).is_err());
        // many elements at many overlapping collections: parsing is bounded
        let objs: Vec<&[u8]> = vec![b"abcd"; 60];
        let one = collection(&objs);
        let mut b = vec![0u8; 64];
        for _ in 0..64 {
            b.extend_from_slice(&one);
        }
        let big = Source::from_bytes(b);
        let size = one.len() as u64;
        let spread: Vec<u8> = (0..64u64).flat_map(|k| elem(1, 64 + k * size, 1)).collect();
        let h = test_file(&big);
        let mut small = HeapCache::new(10 * size);
        let e = decode(
            &h,
            &mut small,
            &vlen,
            &spread,
            64,
            &mut Budget::new(1 << 20),
            0,
        );
        assert!(
            matches!(e, Err(DecodeError::LimitExceeded { .. })),
            "{:?}",
            e
        );
        let mut enough = HeapCache::new(64 * size);
        assert!(decode(
            &h,
            &mut enough,
            &vlen,
            &spread,
            64,
            &mut Budget::new(1 << 20),
            0
        )
        .is_ok());
        // references and unknown classes are not decoded
        assert!(!decodable(&Dtype::Reference { size: 8 }));
        assert!(run(&src, &Dtype::Reference { size: 8 }, &[0; 8], 1, 1 << 20).is_err());
    }

    #[test]
    fn every_truncation_and_byte_flip_of_a_collection_is_an_error_or_a_value() {
        let good = file(64, &[&i16s(&[1, 2, 3]), b"xyz"]);
        let all = good.get(0, good.len(), "t").unwrap().into_owned();
        let vlen = Dtype::Vlen(Box::new(I16));
        let data: Vec<u8> = [elem(3, 64, 1), elem(1, 64, 2)].concat();
        for cut in 0..all.len() {
            let s = Source::from_bytes(all[..cut].to_vec());
            let _ = run(&s, &vlen, &data, 2, 1 << 20);
        }
        for i in 64..all.len() {
            for v in [0u8, 0xff, 0x80, 1] {
                let mut b = all.clone();
                b[i] = v;
                let _ = run(&Source::from_bytes(b), &vlen, &data, 2, 1 << 20);
            }
        }
    }
}
