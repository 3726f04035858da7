//! Object-header message bodies: dataspace, datatype, fill value, layout,
//! filter pipeline, attribute and link.

use super::io::{corrupt, limit, unsupported, Cur, UNDEF};
use super::Hdf5;
use crate::DecodeError;

/// A dataspace: current and maximum dimension sizes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataspace {
    /// Current sizes (empty: scalar).
    pub dims: Vec<u64>,
    /// Maximum sizes (`u64::MAX`: unlimited), when given.
    pub max: Option<Vec<u64>>,
    /// A null dataspace (no elements).
    pub null: bool,
}

impl Dataspace {
    /// Number of elements (checked).
    pub fn count(&self, at: u64) -> Result<u64, DecodeError> {
        if self.null {
            return Ok(0);
        }
        self.dims
            .iter()
            .try_fold(1u64, |a, &d| a.checked_mul(d))
            .map_or_else(|| limit("dataspace size overflows", at), Ok)
    }
}

/// Parses a dataspace message (versions 1 and 2).
pub fn parse_dataspace(h: &Hdf5, c: &mut Cur) -> Result<Dataspace, DecodeError> {
    let at = c.at();
    let version = c.u8()?;
    let rank = c.u8()? as usize;
    let flags = c.u8()?;
    if rank > h.limits.max_rank {
        return limit(format!("rank {}", rank), at);
    }
    let mut null = false;
    match version {
        1 => c.skip(5)?,
        2 => null = c.u8()? == 2,
        v => return unsupported(format!("dataspace version {}", v), at),
    }
    let mut dims = Vec::with_capacity(rank);
    for _ in 0..rank {
        dims.push(h.length(c)?);
    }
    let max = if flags & 1 != 0 {
        let mut m = Vec::with_capacity(rank);
        for _ in 0..rank {
            let v = c.uint(h.g.sl)?;
            m.push(if v == (u64::MAX >> (64 - 8 * h.g.sl as u32)) {
                u64::MAX
            } else {
                v
            });
        }
        Some(m)
    } else {
        None
    };
    Ok(Dataspace { dims, max, null })
}

/// A datatype, reduced to what NetCDF needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dtype {
    /// Integer of 1, 2, 4 or 8 bytes.
    Int {
        /// Bytes.
        size: u8,
        /// Signed.
        signed: bool,
        /// Big-endian.
        be: bool,
        /// Reduced precision: the value is in bits `offset..offset + precision`
        /// of the element (`(offset, precision)`), else None.
        bits: Option<(u8, u8)>,
    },
    /// IEEE float of 4 or 8 bytes.
    Float {
        /// Bytes.
        size: u8,
        /// Big-endian.
        be: bool,
    },
    /// Fixed-length string.
    FixedString {
        /// Bytes.
        size: u32,
    },
    /// Variable-length string (global heap).
    VlenString,
    /// Variable-length sequence of a base type (global heap).
    Vlen(Box<Dtype>),
    /// Object reference (address).
    Reference {
        /// Bytes.
        size: u32,
    },
    /// An enumeration over an integer base type.
    Enum(Box<Dtype>),
    /// A compound: named members at byte offsets.
    Compound {
        /// Bytes per element.
        size: u32,
        /// Members in declaration order.
        members: Vec<Member>,
    },
    /// A fixed-size array of a base type per element.
    Array {
        /// Array dimensions.
        dims: Vec<u32>,
        /// Element type.
        base: Box<Dtype>,
    },
    /// Anything else: class and size.
    Unknown {
        /// Datatype class.
        class: u8,
        /// Bytes.
        size: u32,
    },
}

impl Dtype {
    /// Bytes per element as stored in a dataset or attribute.
    pub fn size(&self) -> u64 {
        match self {
            Dtype::Int { size, .. } | Dtype::Float { size, .. } => *size as u64,
            Dtype::FixedString { size } | Dtype::Reference { size } => *size as u64,
            Dtype::VlenString | Dtype::Vlen(_) => 16,
            Dtype::Enum(b) => b.size(),
            Dtype::Compound { size, .. } => *size as u64,
            Dtype::Array { dims, base } => dims
                .iter()
                .fold(base.size(), |a, &d| a.saturating_mul(d as u64)),
            Dtype::Unknown { size, .. } => *size as u64,
        }
    }
}

/// A member of a compound datatype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Name.
    pub name: String,
    /// Byte offset in the compound element.
    pub offset: u32,
    /// Type.
    pub dtype: Dtype,
}

/// Parses a datatype message.
pub fn parse_dtype(c: &mut Cur, depth: u32) -> Result<Dtype, DecodeError> {
    let at = c.at();
    if depth > 8 {
        return corrupt("datatype nested too deeply", at);
    }
    let b0 = c.u8()?;
    let class = b0 & 15;
    let bits = c.uint(3)? as u32;
    let size = c.u32()?;
    Ok(match class {
        0 => {
            let (offset, precision) = (c.u16()?, c.u16()?);
            let width = size.saturating_mul(8);
            if matches!(size, 1 | 2 | 4 | 8)
                && precision > 0
                && offset as u32 + precision as u32 <= width
            {
                Dtype::Int {
                    size: size as u8,
                    signed: bits & 8 != 0,
                    be: bits & 1 != 0,
                    // reduced precision (the value in bits offset..offset+precision)
                    bits: if offset == 0 && precision as u32 == width {
                        None
                    } else {
                        Some((offset as u8, precision as u8))
                    },
                }
            } else {
                Dtype::Unknown { class, size }
            }
        }
        1 => {
            let (offset, precision) = (c.u16()?, c.u16()?);
            let (exp_at, exp_bits, mant_at, mant_bits) = (c.u8()?, c.u8()?, c.u8()?, c.u8()?);
            c.skip(4)?; // exponent bias
                        // only IEEE layouts at full precision: anything else would read wrong
            let layout = (exp_at, exp_bits, mant_at, mant_bits);
            let ieee = offset == 0
                && precision as u32 == size.saturating_mul(8)
                && match size {
                    2 => layout == (10, 5, 0, 10),
                    4 => layout == (23, 8, 0, 23),
                    8 => layout == (52, 11, 0, 52),
                    _ => false,
                };
            if ieee && bits & 0x40 == 0 {
                Dtype::Float {
                    size: size as u8,
                    be: bits & 1 != 0,
                }
            } else {
                Dtype::Unknown { class, size }
            }
        }
        6 => {
            let version = b0 >> 4;
            let n = (bits & 0xffff) as usize;
            if n > 4096 {
                return corrupt(format!("compound of {} members", n), at);
            }
            let mut members = Vec::with_capacity(n);
            for _ in 0..n {
                let start = c.pos();
                let mut name = Vec::new();
                loop {
                    let b = c.u8()?;
                    if b == 0 {
                        break;
                    }
                    name.push(b);
                }
                if version < 3 {
                    let used = c.pos() - start;
                    c.skip((used + 7) / 8 * 8 - used)?;
                }
                let offset = if version < 3 {
                    c.u32()?
                } else {
                    c.uint(crate::hdf5::io::enc_size(size as u64).max(1))? as u32
                };
                let mut dims = Vec::new();
                if version == 1 {
                    let rank = c.u8()? as usize;
                    c.skip(3 + 4 + 4)?;
                    for k in 0..4 {
                        let d = c.u32()?;
                        if k < rank {
                            dims.push(d);
                        }
                    }
                }
                let mut dtype = parse_dtype(c, depth + 1)?;
                if !dims.is_empty() {
                    dtype = Dtype::Array {
                        dims,
                        base: Box::new(dtype),
                    };
                }
                if offset as u64 + dtype.size() > size as u64 {
                    return corrupt("compound member outside its element", at);
                }
                members.push(Member {
                    name: String::from_utf8_lossy(&name).into_owned(),
                    offset,
                    dtype,
                });
            }
            Dtype::Compound { size, members }
        }
        10 => {
            let version = b0 >> 4;
            let rank = c.u8()? as usize;
            if rank == 0 || rank > 32 {
                return corrupt(format!("array datatype of rank {}", rank), at);
            }
            if version < 3 {
                c.skip(3)?;
            }
            let mut dims = Vec::with_capacity(rank);
            for _ in 0..rank {
                dims.push(c.u32()?);
            }
            if version < 3 {
                c.skip(4 * rank)?;
            }
            let base = Box::new(parse_dtype(c, depth + 1)?);
            let t = Dtype::Array { dims, base };
            if t.size() != size as u64 {
                return corrupt("array datatype size does not match its dimensions", at);
            }
            t
        }
        3 => Dtype::FixedString { size },
        7 => Dtype::Reference { size },
        8 => Dtype::Enum(Box::new(parse_dtype(c, depth + 1)?)),
        9 => {
            let base = parse_dtype(c, depth + 1)?;
            if bits & 15 == 1 {
                Dtype::VlenString
            } else {
                Dtype::Vlen(Box::new(base))
            }
        }
        _ => Dtype::Unknown { class, size },
    })
}

/// Parses a fill value message (versions 1 to 3): the value, if defined.
pub fn parse_fill(c: &mut Cur) -> Result<Option<Vec<u8>>, DecodeError> {
    let at = c.at();
    let version = c.u8()?;
    match version {
        1 | 2 => {
            c.skip(2)?;
            let defined = c.u8()?;
            if version == 1 || defined != 0 {
                if c.left() < 4 {
                    return Ok(None);
                }
                let n = c.u32()? as usize;
                if n == 0 {
                    return Ok(None);
                }
                return Ok(Some(c.bytes(n)?.to_vec()));
            }
            Ok(None)
        }
        3 => {
            let flags = c.u8()?;
            if flags & 0x20 != 0 {
                let n = c.u32()? as usize;
                return Ok(Some(c.bytes(n)?.to_vec()));
            }
            Ok(None)
        }
        v => unsupported(format!("fill value message version {}", v), at),
    }
}

/// How a chunked dataset finds its chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkIndex {
    /// Version 1 B-tree (layout messages 1 to 3).
    BtreeV1,
    /// One chunk; its filtered size and filter mask when filtered.
    Single(Option<(u64, u32)>),
    /// Chunks stored in order, unfiltered.
    Implicit,
    /// Fixed array.
    FixedArray,
    /// Extensible array.
    ExtensibleArray,
    /// Version 2 B-tree.
    BtreeV2,
}

/// A storage layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// Data inside the object header.
    Compact(Vec<u8>),
    /// One block.
    Contiguous {
        /// Address (UNDEF: not written).
        addr: u64,
        /// Bytes.
        size: u64,
    },
    /// Chunks.
    Chunked {
        /// Chunk dimensions (the dataset's rank).
        dims: Vec<u64>,
        /// Index address.
        addr: u64,
        /// Index kind.
        index: ChunkIndex,
        /// Layout v4 flags (bit 0: partial edge chunks not filtered).
        flags: u8,
    },
}

/// Parses a data layout message (versions 1 to 5; HDF5 2.0 writes version
/// 5, encoded like version 4).
pub fn parse_layout(h: &Hdf5, c: &mut Cur) -> Result<Layout, DecodeError> {
    let at = c.at();
    let version = c.u8()?;
    match version {
        1 | 2 => {
            let nd = c.u8()? as usize;
            let class = c.u8()?;
            c.skip(5)?;
            let a = if class != 0 { h.addr(c)? } else { UNDEF };
            if nd > h.limits.max_rank + 1 {
                return limit(format!("layout rank {}", nd), at);
            }
            let mut dims = Vec::with_capacity(nd);
            for _ in 0..nd {
                dims.push(c.u32()? as u64);
            }
            match class {
                0 => {
                    let n = c.u32()? as usize;
                    Ok(Layout::Compact(c.bytes(n)?.to_vec()))
                }
                1 => {
                    let size = dims.iter().product();
                    Ok(Layout::Contiguous { addr: a, size })
                }
                2 => {
                    dims.pop();
                    Ok(Layout::Chunked {
                        dims,
                        addr: a,
                        index: ChunkIndex::BtreeV1,
                        flags: 0,
                    })
                }
                k => unsupported(format!("layout class {}", k), at),
            }
        }
        3..=5 => {
            let class = c.u8()?;
            match class {
                0 => {
                    let n = c.u16()? as usize;
                    Ok(Layout::Compact(c.bytes(n)?.to_vec()))
                }
                1 => {
                    let a = h.addr(c)?;
                    let size = h.length(c)?;
                    Ok(Layout::Contiguous { addr: a, size })
                }
                2 if version == 3 => {
                    let nd = c.u8()? as usize;
                    if nd == 0 || nd > h.limits.max_rank + 1 {
                        return limit(format!("layout rank {}", nd), at);
                    }
                    let a = h.addr(c)?;
                    let mut dims = Vec::with_capacity(nd);
                    for _ in 0..nd {
                        dims.push(c.u32()? as u64);
                    }
                    dims.pop();
                    Ok(Layout::Chunked {
                        dims,
                        addr: a,
                        index: ChunkIndex::BtreeV1,
                        flags: 0,
                    })
                }
                2 => {
                    let flags = c.u8()?;
                    let nd = c.u8()? as usize;
                    if nd == 0 || nd > h.limits.max_rank + 1 {
                        return limit(format!("layout rank {}", nd), at);
                    }
                    let w = c.u8()? as usize;
                    let mut dims = Vec::with_capacity(nd);
                    for _ in 0..nd {
                        dims.push(c.uint(w)?);
                    }
                    dims.pop();
                    let kind = c.u8()?;
                    let index = match kind {
                        1 => {
                            if flags & 2 != 0 {
                                let size = h.length(c)?;
                                let mask = c.u32()?;
                                ChunkIndex::Single(Some((size, mask)))
                            } else {
                                ChunkIndex::Single(None)
                            }
                        }
                        2 => ChunkIndex::Implicit,
                        3 => {
                            c.skip(1)?;
                            ChunkIndex::FixedArray
                        }
                        4 => {
                            c.skip(5)?;
                            ChunkIndex::ExtensibleArray
                        }
                        5 => {
                            c.skip(6)?;
                            ChunkIndex::BtreeV2
                        }
                        k => return unsupported(format!("chunk index type {}", k), c.at()),
                    };
                    let a = h.addr(c)?;
                    Ok(Layout::Chunked {
                        dims,
                        addr: a,
                        index,
                        flags,
                    })
                }
                3 => unsupported("virtual dataset layout", at),
                k => corrupt(format!("layout class {}", k), at),
            }
        }
        v => unsupported(format!("layout message version {}", v), at),
    }
}

/// One filter of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Filter id (1 deflate, 2 shuffle, 3 fletcher32, …).
    pub id: u16,
    /// Flags (bit 0: optional).
    pub flags: u16,
    /// Client data.
    pub params: Vec<u32>,
}

/// Parses a filter pipeline message (versions 1 and 2).
pub fn parse_filters(c: &mut Cur) -> Result<Vec<Filter>, DecodeError> {
    let at = c.at();
    let version = c.u8()?;
    let n = c.u8()? as usize;
    if version == 1 {
        c.skip(6)?;
    } else if version != 2 {
        return unsupported(format!("filter pipeline version {}", version), at);
    }
    if n > 32 {
        return corrupt(format!("{} filters", n), at);
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = c.u16()?;
        let name_len = if version == 1 || id >= 256 {
            c.u16()? as usize
        } else {
            0
        };
        let flags = c.u16()?;
        let nv = c.u16()? as usize;
        if version == 1 {
            c.skip((name_len + 7) / 8 * 8)?;
        } else {
            c.skip(name_len)?;
        }
        if nv > c.left() / 4 {
            return corrupt("filter parameters run past the message", c.at());
        }
        let mut params = Vec::with_capacity(nv);
        for _ in 0..nv {
            params.push(c.u32()?);
        }
        if version == 1 && nv % 2 == 1 {
            c.skip(4)?;
        }
        out.push(Filter { id, flags, params });
    }
    Ok(out)
}

/// An attribute: name, type, shape and raw value bytes.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// Name.
    pub name: String,
    /// Datatype.
    pub dtype: Dtype,
    /// Dataspace.
    pub space: Dataspace,
    /// Raw data (`count × dtype.size()` bytes).
    pub data: Vec<u8>,
    /// File offset of the data.
    pub at: u64,
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|&x| x == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Parses an attribute message (versions 1 to 3).
pub fn parse_attribute(h: &Hdf5, c: &mut Cur) -> Result<Attribute, DecodeError> {
    let at = c.at();
    let version = c.u8()?;
    if !(1..=3).contains(&version) {
        return unsupported(format!("attribute message version {}", version), at);
    }
    c.skip(1)?;
    let nl = c.u16()? as usize;
    let dl = c.u16()? as usize;
    let sl = c.u16()? as usize;
    if version == 3 {
        c.skip(1)?;
    }
    let pad = |n: usize| if version == 1 { (n + 7) / 8 * 8 } else { n };
    let name = cstr(c.bytes(nl)?);
    c.skip(pad(nl) - nl)?;
    let dbytes = c.bytes(dl)?;
    let dtype = parse_dtype(&mut Cur::new(dbytes, c.at()), 0)?;
    c.skip(pad(dl) - dl)?;
    let sbytes = c.bytes(sl)?;
    let space = parse_dataspace(h, &mut Cur::new(sbytes, c.at()))?;
    c.skip((pad(sl) - sl).min(c.left()))?;
    let n = space.count(at)?.checked_mul(dtype.size());
    let n = match n {
        Some(n) if n <= c.left() as u64 => n as usize,
        _ => return corrupt(format!("attribute {} data runs past its message", name), at),
    };
    let dat = c.at();
    Ok(Attribute {
        name,
        dtype,
        space,
        data: c.bytes(n)?.to_vec(),
        at: dat,
    })
}

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// An object header address.
    Hard(u64),
    /// A soft or external link (not followed).
    Other,
}

/// A link of a group.
#[derive(Debug, Clone)]
pub struct Link {
    /// Link name.
    pub name: String,
    /// Target.
    pub target: LinkTarget,
    /// Creation order, when tracked.
    pub corder: Option<u64>,
}

/// Parses a link message.
pub fn parse_link(h: &Hdf5, c: &mut Cur) -> Result<Link, DecodeError> {
    let at = c.at();
    let version = c.u8()?;
    if version != 1 {
        return unsupported(format!("link message version {}", version), at);
    }
    let flags = c.u8()?;
    let kind = if flags & 8 != 0 { c.u8()? } else { 0 };
    let corder = if flags & 4 != 0 { Some(c.u64()?) } else { None };
    if flags & 0x10 != 0 {
        c.skip(1)?;
    }
    let nl = c.uint(1 << (flags & 3))? as usize;
    let name = String::from_utf8_lossy(c.bytes(nl)?).into_owned();
    let target = if kind == 0 {
        LinkTarget::Hard(h.addr(c)?)
    } else {
        LinkTarget::Other
    };
    Ok(Link {
        name,
        target,
        corder,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hdf5::io::Source;

    /// Parses `body` with `f` in a file of 8-byte addresses and lengths.
    fn with<T>(body: &[u8], f: impl FnOnce(&Hdf5, &mut Cur) -> T) -> T {
        let src = Source::from_bytes(Vec::new());
        let h = crate::hdf5::test_file(&src);
        f(&h, &mut Cur::new(body, 1000))
    }

    fn le64(v: u64) -> [u8; 8] {
        v.to_le_bytes()
    }

    #[test]
    fn a_dataspace_with_an_unlimited_dimension() {
        // Version 1, rank 2, max dims present; 5 reserved bytes.
        let mut b = vec![1u8, 2, 1, 0, 0, 0, 0, 0];
        b.extend(le64(3));
        b.extend(le64(4));
        b.extend(le64(u64::MAX));
        b.extend(le64(4));
        let s = with(&b, parse_dataspace).unwrap();
        assert_eq!(s.dims, vec![3, 4]);
        assert_eq!(s.max, Some(vec![u64::MAX, 4]));
        assert_eq!(s.count(0).unwrap(), 12);
    }

    #[test]
    fn a_null_dataspace_has_no_elements_and_odd_ones_are_refused() {
        let s = with(&[2, 0, 0, 2], parse_dataspace).unwrap();
        assert!(s.null);
        assert_eq!(s.count(0).unwrap(), 0);
        assert!(matches!(
            with(&[3, 0, 0, 0], parse_dataspace),
            Err(DecodeError::Unsupported {
                byte_offset: 1000,
                ..
            })
        ));
        assert!(matches!(
            with(&[2, 33, 0, 0], parse_dataspace),
            Err(DecodeError::LimitExceeded { .. })
        ));
        let huge = Dataspace {
            dims: vec![u64::MAX, 2],
            max: None,
            null: false,
        };
        assert!(huge.count(7).is_err());
    }

    /// A datatype message header: class and version, 3 bytes of bits, size.
    fn dt(class: u8, version: u8, bits: [u8; 3], size: u32) -> Vec<u8> {
        let mut b = vec![class | (version << 4)];
        b.extend(bits);
        b.extend(size.to_le_bytes());
        b
    }

    #[test]
    fn integer_and_float_datatypes() {
        let mut i = dt(0, 1, [0x08, 0, 0], 4);
        i.extend([0, 0, 32, 0]); // offset, precision
        assert_eq!(
            parse_dtype(&mut Cur::new(&i, 0), 0).unwrap(),
            Dtype::Int {
                size: 4,
                signed: true,
                be: false,
                bits: None
            }
        );
        // 12 bits at offset 2 of a short: reduced precision
        let mut r = dt(0, 1, [0x08, 0, 0], 2);
        r.extend([2, 0, 12, 0]);
        assert_eq!(
            parse_dtype(&mut Cur::new(&r, 0), 0).unwrap(),
            Dtype::Int {
                size: 2,
                signed: true,
                be: false,
                bits: Some((2, 12))
            }
        );
        // more bits than the element has: not read
        let mut r = dt(0, 1, [0x08, 0, 0], 2);
        r.extend([8, 0, 12, 0]);
        assert!(matches!(
            parse_dtype(&mut Cur::new(&r, 0), 0).unwrap(),
            Dtype::Unknown { .. }
        ));
        let mut f = dt(1, 1, [0x21, 0x3f, 0], 8); // big-endian
        f.extend([0, 0, 64, 0, 52, 11, 0, 52, 0xff, 3, 0, 0]);
        assert_eq!(
            parse_dtype(&mut Cur::new(&f, 0), 0).unwrap(),
            Dtype::Float { size: 8, be: true }
        );
        // A 2-byte float that is not IEEE half precision is not read.
        let mut h = dt(1, 1, [0x20, 0x0f, 0], 2);
        h.extend([0, 0, 16, 0, 8, 7, 0, 8, 0, 0, 0, 0]);
        assert_eq!(
            parse_dtype(&mut Cur::new(&h, 0), 0).unwrap(),
            Dtype::Unknown { class: 1, size: 2 }
        );
        // float32 at full precision reads; one of reduced precision (libhdf5's
        // H5Tset_precision, or a moved exponent) would read wrong: refused
        let f32_ = |offset: u8, precision: u8, exp_at: u8| {
            let mut f = dt(1, 1, [0x20, 0x1f, 0], 4);
            f.extend([offset, 0, precision, 0, exp_at, 8, 0, 23, 127, 0, 0, 0]);
            parse_dtype(&mut Cur::new(&f, 0), 0).unwrap()
        };
        assert_eq!(f32_(0, 32, 23), Dtype::Float { size: 4, be: false });
        assert_eq!(f32_(0, 24, 23), Dtype::Unknown { class: 1, size: 4 });
        assert_eq!(f32_(8, 24, 23), Dtype::Unknown { class: 1, size: 4 });
        assert_eq!(f32_(0, 32, 22), Dtype::Unknown { class: 1, size: 4 });
    }

    #[test]
    fn string_datatypes_fixed_and_variable_length() {
        assert_eq!(
            parse_dtype(&mut Cur::new(&dt(3, 1, [0, 0, 0], 10), 0), 0).unwrap(),
            Dtype::FixedString { size: 10 }
        );
        // Variable-length string (type 1) of 1-byte characters.
        let mut v = dt(9, 1, [0x01, 0, 0], 16);
        v.extend(dt(0, 1, [0, 0, 0], 1));
        v.extend([0, 0, 8, 0]);
        assert_eq!(
            parse_dtype(&mut Cur::new(&v, 0), 0).unwrap(),
            Dtype::VlenString
        );
    }

    #[test]
    fn a_compound_of_version_3_with_an_int_and_a_double() {
        let mut b = dt(6, 3, [2, 0, 0], 16);
        b.extend(b"a\0");
        b.push(0); // offset 0, 1 byte (the element is 16 bytes)
        b.extend(dt(0, 1, [0x08, 0, 0], 4));
        b.extend([0, 0, 32, 0]);
        b.extend(b"b\0");
        b.push(8);
        b.extend(dt(1, 1, [0x20, 0x3f, 0], 8));
        b.extend([0, 0, 64, 0, 52, 11, 0, 52, 0xff, 3, 0, 0]);
        match parse_dtype(&mut Cur::new(&b, 0), 0).unwrap() {
            Dtype::Compound { size, members } => {
                assert_eq!(size, 16);
                let names: Vec<_> = members
                    .iter()
                    .map(|m| (m.name.as_str(), m.offset))
                    .collect();
                assert_eq!(names, vec![("a", 0), ("b", 8)]);
            }
            d => panic!("{:?}", d),
        }
        // A member past the end of the element is corrupt.
        let mut bad = dt(6, 3, [1, 0, 0], 4);
        bad.extend(b"x\0");
        bad.push(2);
        bad.extend(dt(0, 1, [0, 0, 0], 4));
        bad.extend([0, 0, 32, 0]);
        assert!(matches!(
            parse_dtype(&mut Cur::new(&bad, 0), 0),
            Err(DecodeError::Corrupt { .. })
        ));
    }

    #[test]
    fn an_array_datatype_must_match_its_size_and_nesting_is_bounded() {
        let mut a = dt(10, 3, [0, 0, 0], 12);
        a.push(1);
        a.extend(3u32.to_le_bytes());
        a.extend(dt(0, 1, [0, 0, 0], 4));
        a.extend([0, 0, 32, 0]);
        assert!(matches!(
            parse_dtype(&mut Cur::new(&a, 0), 0).unwrap(),
            Dtype::Array { ref dims, .. } if dims == &[3]
        ));
        a[4] = 13; // declared size 13 ≠ 3 × 4
        assert!(parse_dtype(&mut Cur::new(&a, 0), 0).is_err());
        // Enums of enums of …: refused past 8 levels, never a stack overflow.
        let deep: Vec<u8> = (0..20).flat_map(|_| dt(8, 1, [0, 0, 0], 4)).collect();
        assert!(matches!(
            parse_dtype(&mut Cur::new(&deep, 0), 0),
            Err(DecodeError::Corrupt { .. })
        ));
    }

    #[test]
    fn fill_values_of_versions_2_and_3() {
        let mut v2 = vec![2, 1, 1, 1];
        v2.extend(4u32.to_le_bytes());
        v2.extend([1, 2, 3, 4]);
        assert_eq!(
            parse_fill(&mut Cur::new(&v2, 0)).unwrap(),
            Some(vec![1, 2, 3, 4])
        );
        v2[3] = 0; // not defined
        assert_eq!(parse_fill(&mut Cur::new(&v2, 0)).unwrap(), None);
        let mut v3 = vec![3, 0x20];
        v3.extend(2u32.to_le_bytes());
        v3.extend([9, 8]);
        assert_eq!(parse_fill(&mut Cur::new(&v3, 0)).unwrap(), Some(vec![9, 8]));
        assert_eq!(parse_fill(&mut Cur::new(&[3, 0], 0)).unwrap(), None);
        assert!(parse_fill(&mut Cur::new(&[4, 0], 0)).is_err());
    }

    #[test]
    fn layouts_contiguous_chunked_and_compact() {
        let mut c = vec![3u8, 1];
        c.extend(le64(4096));
        c.extend(le64(800));
        assert_eq!(
            with(&c, parse_layout).unwrap(),
            Layout::Contiguous {
                addr: 4096,
                size: 800
            }
        );
        // Version 3 chunked: rank + 1 dims, the last one the element size.
        let mut k = vec![3u8, 2, 3];
        k.extend(le64(512));
        for d in [1u32, 480, 8] {
            k.extend(d.to_le_bytes());
        }
        assert_eq!(
            with(&k, parse_layout).unwrap(),
            Layout::Chunked {
                dims: vec![1, 480],
                addr: 512,
                index: ChunkIndex::BtreeV1,
                flags: 0
            }
        );
        // Version 4, one filtered chunk: its size and mask in the message.
        // Flags 2 (single chunk filtered), rank + 1 dims of 2 bytes.
        let mut s = vec![4u8, 2, 2, 3, 2];
        for d in [10u16, 20, 4] {
            s.extend(d.to_le_bytes());
        }
        s.push(1);
        s.extend(le64(77));
        s.extend(5u32.to_le_bytes());
        s.extend(le64(2048));
        assert_eq!(
            with(&s, parse_layout).unwrap(),
            Layout::Chunked {
                dims: vec![10, 20],
                addr: 2048,
                index: ChunkIndex::Single(Some((77, 5))),
                flags: 2
            }
        );
        let mut m = vec![3u8, 0, 3, 0];
        m.extend([1, 2, 3]);
        assert_eq!(
            with(&m, parse_layout).unwrap(),
            Layout::Compact(vec![1, 2, 3])
        );
        assert!(matches!(
            with(&[4, 3], parse_layout),
            Err(DecodeError::Unsupported { .. })
        ));
        assert!(matches!(
            with(&[6, 1], parse_layout),
            Err(DecodeError::Unsupported { .. })
        ));
    }

    #[test]
    fn filter_pipelines_of_versions_1_and_2() {
        // Version 2: shuffle (elem 8), deflate level 4; ids < 256 carry no name.
        let mut v2 = vec![2u8, 2];
        v2.extend([2, 0, 1, 0, 1, 0]);
        v2.extend(8u32.to_le_bytes());
        v2.extend([1, 0, 0, 0, 1, 0]);
        v2.extend(4u32.to_le_bytes());
        let f = parse_filters(&mut Cur::new(&v2, 0)).unwrap();
        assert_eq!(
            f,
            vec![
                Filter {
                    id: 2,
                    flags: 1,
                    params: vec![8]
                },
                Filter {
                    id: 1,
                    flags: 0,
                    params: vec![4]
                },
            ]
        );
        // Version 1: names padded to 8 bytes, odd parameter counts to an
        // even one: "zip\0" (4 bytes + 4 of padding), one parameter + 4 bytes.
        let mut v1 = vec![1u8, 2, 0, 0, 0, 0, 0, 0];
        v1.extend([1, 0, 4, 0, 0, 0, 1, 0]);
        v1.extend(b"zip\0\0\0\0\0");
        v1.extend(6u32.to_le_bytes());
        v1.extend([0, 0, 0, 0]);
        v1.extend([2, 0, 0, 0, 0, 0, 0, 0]); // shuffle, no name, no parameters
        let f = parse_filters(&mut Cur::new(&v1, 0)).unwrap();
        assert_eq!(f.iter().map(|f| f.id).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(f[0].params, vec![6]);
        // Parameters that run past the message are corrupt, not an allocation.
        let bad = [2u8, 1, 1, 0, 0, 0, 0xff, 0xff];
        assert!(matches!(
            parse_filters(&mut Cur::new(&bad, 0)),
            Err(DecodeError::Corrupt { .. })
        ));
        assert!(parse_filters(&mut Cur::new(&[2, 40], 0)).is_err());
        assert!(parse_filters(&mut Cur::new(&[3, 0], 0)).is_err());
    }
}
