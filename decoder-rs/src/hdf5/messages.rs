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
            c.skip(4)?;
            if matches!(size, 1 | 2 | 4 | 8) {
                Dtype::Int {
                    size: size as u8,
                    signed: bits & 8 != 0,
                    be: bits & 1 != 0,
                }
            } else {
                Dtype::Unknown { class, size }
            }
        }
        1 => {
            c.skip(4)?; // bit offset, precision
            let (exp_at, exp_bits, mant_at, mant_bits) = (c.u8()?, c.u8()?, c.u8()?, c.u8()?);
            c.skip(4)?; // exponent bias
            let ieee = match size {
                2 => (exp_at, exp_bits, mant_at, mant_bits) == (10, 5, 0, 10),
                4 | 8 => true,
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
