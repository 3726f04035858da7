//! A read-only HDF5 parser: the subset netCDF-C and h5py write.
//!
//! Superblocks v0 to v3, object headers v1 and v2 with continuation blocks,
//! groups as symbol tables and as link messages (compact and dense),
//! attributes (compact and dense), contiguous, compact and chunked layouts
//! with every chunk index of layout messages v1 to v4, and the global heap
//! for variable-length data. Everything reads through a [`io::Source`] and
//! is bounds-checked; declared sizes are checked against [`io::Limits`]
//! before anything is allocated.

pub mod btree;
pub mod chunks;
pub mod heap;
pub mod io;
pub mod messages;
pub mod values;

use std::collections::HashSet;

use crate::DecodeError;
use io::{addr, corrupt, limit, unsupported, Cur, Limits, Source, UNDEF};
use messages::{
    parse_attribute, parse_dataspace, parse_dtype, parse_fill, parse_filters, parse_layout,
    parse_link, Attribute, Dataspace, Dtype, Filter, Layout, Link,
};

/// The HDF5 signature.
pub const SIGNATURE: [u8; 8] = [0x89, b'H', b'D', b'F', b'\r', b'\n', 0x1a, b'\n'];

/// What the superblock says about the whole file.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    /// Superblock version.
    pub version: u8,
    /// Bytes per address.
    pub so: usize,
    /// Bytes per length.
    pub sl: usize,
    /// Base address (absolute offset of address 0).
    pub base: u64,
    /// Object header address of the root group.
    pub root: u64,
}

/// A file being read: its bytes, its geometry and its limits.
pub struct Hdf5<'a> {
    /// The bytes.
    pub src: &'a Source,
    /// Superblock facts.
    pub g: Geometry,
    /// Safety limits.
    pub limits: Limits,
}

/// Finds and parses the superblock (at 0, 512, 1024, 2048, …).
pub fn superblock(src: &Source) -> Result<Geometry, DecodeError> {
    let mut at = 0u64;
    loop {
        if at + 8 > src.len() {
            return corrupt("no HDF5 signature", 0);
        }
        if src.get(at, 8, "signature")?.as_ref() == SIGNATURE {
            break;
        }
        at = if at == 0 { 512 } else { at * 2 };
    }
    let n = (src.len() - at).min(128);
    let b = src.get(at, n, "superblock")?;
    let mut c = Cur::new(&b, at);
    c.skip(8)?;
    let version = c.u8()?;
    match version {
        0 | 1 => {
            c.skip(4)?; // free-space, root group, reserved, shared header versions
            let so = c.u8()? as usize;
            let sl = c.u8()? as usize;
            check_sizes(so, sl, at + 13)?;
            c.skip(1 + 2 + 2 + 4)?;
            if version == 1 {
                c.skip(4)?;
            }
            let base = addr(&mut c, so)?;
            c.skip(3 * so)?; // free space, end of file, driver info
            let _name = c.uint(sl)?;
            let root = addr(&mut c, so)?;
            Ok(Geometry {
                version,
                so,
                sl,
                base: if base == UNDEF { 0 } else { base },
                root,
            })
        }
        2 | 3 => {
            let so = c.u8()? as usize;
            let sl = c.u8()? as usize;
            check_sizes(so, sl, at + 9)?;
            c.skip(1)?;
            let base = addr(&mut c, so)?;
            c.skip(2 * so)?; // extension, end of file
            let root = addr(&mut c, so)?;
            Ok(Geometry {
                version,
                so,
                sl,
                base: if base == UNDEF { 0 } else { base },
                root,
            })
        }
        v => unsupported(format!("superblock version {}", v), at + 8),
    }
}

fn check_sizes(so: usize, sl: usize, at: u64) -> Result<(), DecodeError> {
    if !matches!(so, 2 | 4 | 8) || !matches!(sl, 2 | 4 | 8) {
        return corrupt(format!("offset/length sizes {}/{}", so, sl), at);
    }
    Ok(())
}

/// One object-header message, copied out of its block.
#[derive(Debug, Clone)]
pub struct Msg {
    /// Message type.
    pub kind: u16,
    /// Message flags (bit 1: shared).
    pub flags: u8,
    /// File offset of the message data.
    pub at: u64,
    /// Message data.
    pub data: Vec<u8>,
}

/// Link info (message 0x02): where a dense group keeps its links.
#[derive(Debug, Clone, Copy)]
pub struct DenseIndex {
    /// Fractal heap address.
    pub heap: u64,
    /// Name-index v2 B-tree address.
    pub names: u64,
}

/// What an object header says, in parsed form.
#[derive(Debug, Clone, Default)]
pub struct Object {
    /// Object header address (relative).
    pub addr: u64,
    /// Datatype (datasets).
    pub dtype: Option<Dtype>,
    /// Dataspace (datasets).
    pub space: Option<Dataspace>,
    /// Storage layout (datasets).
    pub layout: Option<Layout>,
    /// Filter pipeline (chunked datasets).
    pub filters: Vec<Filter>,
    /// Fill value bytes, when defined.
    pub fill: Option<Vec<u8>>,
    /// Attributes, compact and dense.
    pub attrs: Vec<Attribute>,
    /// Links of a new-style group (compact and dense).
    pub links: Vec<Link>,
    /// Whether this is a group.
    pub is_group: bool,
    /// Old-style group: (v1 B-tree, local heap).
    pub symbol_table: Option<(u64, u64)>,
}

impl<'a> Hdf5<'a> {
    /// Opens a file: parses the superblock.
    pub fn open(src: &'a Source) -> Result<Hdf5<'a>, DecodeError> {
        let g = superblock(src)?;
        Ok(Hdf5 {
            src,
            g,
            limits: Limits::for_file_size(src.len()),
        })
    }

    /// Absolute file offset of relative address `a`.
    pub fn abs(&self, a: u64, at: u64) -> Result<u64, DecodeError> {
        match self.g.base.checked_add(a) {
            Some(x) if a != UNDEF => Ok(x),
            _ => corrupt("undefined or overflowing address", at),
        }
    }

    /// `n` bytes at relative address `a`.
    pub fn read(
        &self,
        a: u64,
        n: u64,
        what: &'static str,
    ) -> Result<std::borrow::Cow<'a, [u8]>, DecodeError> {
        let x = self.abs(a, 0)?;
        self.src.get(x, n, what)
    }

    /// Up to `n` bytes at relative address `a` (fewer at the end of file).
    pub fn read_upto(
        &self,
        a: u64,
        n: u64,
        what: &'static str,
    ) -> Result<std::borrow::Cow<'a, [u8]>, DecodeError> {
        let x = self.abs(a, 0)?;
        let n = n.min(self.src.len().saturating_sub(x));
        self.src.get(x, n, what)
    }

    /// An address field.
    pub fn addr(&self, c: &mut Cur) -> Result<u64, DecodeError> {
        addr(c, self.g.so)
    }

    /// A length field.
    pub fn length(&self, c: &mut Cur) -> Result<u64, DecodeError> {
        c.uint(self.g.sl)
    }

    /// The messages of the object header at `a`, continuations followed.
    pub fn messages(&self, a: u64) -> Result<Vec<Msg>, DecodeError> {
        let pre = self.read_upto(a, 64, "object header")?;
        let at = self.abs(a, 0)?;
        let mut c = Cur::new(&pre, at);
        let mut out = Vec::new();
        let mut blocks: Vec<(u64, u64, bool)> = Vec::new();
        let v2 = if pre.get(..4) == Some(b"OHDR") {
            c.skip(4)?;
            let version = c.u8()?;
            if version != 2 {
                return unsupported(format!("object header version {}", version), at + 4);
            }
            let flags = c.u8()?;
            if flags & 0x20 != 0 {
                c.skip(16)?;
            }
            if flags & 0x10 != 0 {
                c.skip(4)?;
            }
            let size = c.uint(1 << (flags & 3))?;
            blocks.push((a + c.pos() as u64, size, false));
            Some(flags & 4 != 0)
        } else {
            let version = c.u8()?;
            if version != 1 {
                return corrupt(format!("object header version {}", version), at);
            }
            c.skip(1)?;
            let _n = c.u16()?;
            c.skip(4)?;
            let size = c.u32()? as u64;
            blocks.push((a + 16, size, false));
            None
        };
        let mut seen = HashSet::new();
        let mut i = 0;
        while let Some(&(ba, bsize, is_cont)) = blocks.get(i) {
            i += 1;
            if !seen.insert(ba) || blocks.len() > self.limits.max_messages {
                return corrupt("object header continuation loop", self.abs(ba, 0)?);
            }
            let bytes = self.read(ba, bsize, "object header block")?;
            let babs = self.abs(ba, 0)?;
            let mut c = Cur::new(&bytes, babs);
            let mut end = bytes.len();
            if let Some(corder) = v2 {
                if is_cont {
                    c.magic(b"OCHK", "object header continuation")?;
                    end = end.saturating_sub(4);
                }
                let hdr = if corder { 6 } else { 4 };
                while end.saturating_sub(c.pos()) >= hdr {
                    let kind = c.u8()? as u16;
                    let size = c.u16()? as usize;
                    let flags = c.u8()?;
                    if corder {
                        c.skip(2)?;
                    }
                    let mat = c.at();
                    if c.pos() + size > end {
                        return corrupt("message runs past its block", mat);
                    }
                    let data = c.bytes(size)?.to_vec();
                    self.push_msg(&mut out, &mut blocks, kind, flags, mat, data)?;
                }
            } else {
                while c.left() >= 8 {
                    let kind = c.u16()?;
                    let size = c.u16()? as usize;
                    let flags = c.u8()?;
                    c.skip(3)?;
                    let mat = c.at();
                    let data = c.bytes(size)?.to_vec();
                    self.push_msg(&mut out, &mut blocks, kind, flags, mat, data)?;
                }
            }
        }
        Ok(out)
    }

    fn push_msg(
        &self,
        out: &mut Vec<Msg>,
        blocks: &mut Vec<(u64, u64, bool)>,
        kind: u16,
        flags: u8,
        at: u64,
        data: Vec<u8>,
    ) -> Result<(), DecodeError> {
        if out.len() >= self.limits.max_messages {
            return limit("too many object header messages", at);
        }
        if kind == 0x10 {
            let mut c = Cur::new(&data, at);
            let ca = self.addr(&mut c)?;
            let cl = self.length(&mut c)?;
            blocks.push((ca, cl, true));
        } else if kind != 0 {
            out.push(Msg {
                kind,
                flags,
                at,
                data,
            });
        }
        Ok(())
    }

    /// Parses the object header at `a` into an [`Object`].
    pub fn object(&self, a: u64) -> Result<Object, DecodeError> {
        let msgs = self.messages(a)?;
        let mut o = Object {
            addr: a,
            ..Object::default()
        };
        let mut dense_attrs = None;
        let mut dense_links = None;
        let mut attr_corder = false;
        for m in &msgs {
            let mut c = Cur::new(&m.data, m.at);
            match m.kind {
                0x01 => o.space = Some(parse_dataspace(self, &mut c)?),
                0x03 => {
                    o.dtype = Some(if m.flags & 2 != 0 {
                        self.committed_dtype(&mut c, 0)?
                    } else {
                        parse_dtype(&mut c, 0)?
                    })
                }
                0x04 if o.fill.is_none() => {
                    let n = c.u32()? as usize;
                    o.fill = Some(c.bytes(n)?.to_vec());
                }
                0x05 => {
                    if let Some(f) = parse_fill(&mut c)? {
                        o.fill = Some(f);
                    }
                }
                0x08 => o.layout = Some(parse_layout(self, &mut c)?),
                0x0B => o.filters = parse_filters(&mut c)?,
                0x0C => self.push_attribute(&mut o, &mut c)?,
                0x02 => {
                    o.is_group = true;
                    dense_links = self.dense_index(&mut c, 8)?;
                }
                0x06 => {
                    o.is_group = true;
                    o.links.push(parse_link(self, &mut c)?);
                }
                0x0A => o.is_group = true,
                0x11 => {
                    o.is_group = true;
                    let bt = self.addr(&mut c)?;
                    let lh = self.addr(&mut c)?;
                    o.symbol_table = Some((bt, lh));
                }
                0x15 => {
                    attr_corder = m.data.get(1).map_or(false, |f| f & 1 != 0);
                    dense_attrs = self.dense_index(&mut c, 2)?;
                }
                _ => {}
            }
        }
        // A link name record is a 4-byte hash then the heap id.
        if let Some(d) = dense_links {
            for rec in btree::v2_records(self, d.names)? {
                let bytes = heap::fractal_object(self, d.heap, rec.get(4..).unwrap_or(&[]))?;
                o.links.push(parse_link(self, &mut Cur::new(&bytes, 0))?);
            }
        }
        if let Some(d) = dense_attrs {
            // Name record: heap id (8), flags (1), creation order (4), hash (4).
            let mut recs = btree::v2_records(self, d.names)?;
            // Creation order where the file tracks it (netCDF-C does), as
            // netCDF-C lists them; compact attributes are stored in it.
            if attr_corder {
                recs.sort_by_key(|r| {
                    r.get(9..13)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                });
            }
            for rec in recs {
                let bytes = heap::fractal_object(self, d.heap, rec.get(..8).unwrap_or(&[]))?;
                self.push_attribute(&mut o, &mut Cur::new(&bytes, 0))?;
            }
        }
        if o.attrs.len() + o.links.len() > self.limits.max_objects {
            return limit("too many attributes or links", self.abs(a, 0)?);
        }
        Ok(o)
    }

    /// Adds the attribute at `c` to `o`; an attribute we cannot read is left
    /// out, unless its bytes are not loaded yet.
    fn push_attribute(&self, o: &mut Object, c: &mut Cur) -> Result<(), DecodeError> {
        match parse_attribute(self, c) {
            Ok(at) => o.attrs.push(at),
            Err(e) if io::is_not_loaded(&e) => return Err(e),
            Err(_) => {}
        }
        Ok(())
    }

    /// Link info (0x02) and attribute info (0x15) messages: version, flags,
    /// a maximum creation index of `creation_index` bytes if flag 1 is set,
    /// then the fractal heap and name-index addresses. `None`: not dense.
    fn dense_index(
        &self,
        c: &mut Cur,
        creation_index: usize,
    ) -> Result<Option<DenseIndex>, DecodeError> {
        c.skip(1)?;
        let flags = c.u8()?;
        if flags & 1 != 0 {
            c.skip(creation_index)?;
        }
        let heap = self.addr(c)?;
        let names = self.addr(c)?;
        Ok((heap != UNDEF).then_some(DenseIndex { heap, names }))
    }

    fn committed_dtype(&self, c: &mut Cur, depth: u32) -> Result<Dtype, DecodeError> {
        let at = c.at();
        if depth > 4 {
            return corrupt("shared datatype chain too deep", at);
        }
        let version = c.u8()?;
        let target = match version {
            1 | 2 => {
                if version == 1 {
                    c.skip(7)?;
                } else {
                    c.skip(1)?;
                }
                self.addr(c)?
            }
            3 => {
                let t = c.u8()?;
                if t != 2 {
                    return unsupported("datatype in the shared-message heap", at);
                }
                self.addr(c)?
            }
            v => return unsupported(format!("shared message version {}", v), at),
        };
        for m in self.messages(target)? {
            if m.kind == 0x03 {
                let mut c2 = Cur::new(&m.data, m.at);
                return if m.flags & 2 != 0 {
                    self.committed_dtype(&mut c2, depth + 1)
                } else {
                    parse_dtype(&mut c2, 0)
                };
            }
        }
        corrupt("committed datatype without a datatype message", at)
    }

    /// The links of a group object (symbol table, compact or dense).
    pub fn group_links(&self, o: &Object) -> Result<Vec<Link>, DecodeError> {
        if let Some((bt, lh)) = o.symbol_table {
            let heap = heap::local_heap(self, lh)?;
            let mut out = Vec::new();
            for (name_off, obj) in btree::v1_group_entries(self, bt)? {
                let name = heap::heap_string(&heap, name_off, self.abs(lh, 0)?)?;
                out.push(Link {
                    name,
                    target: messages::LinkTarget::Hard(obj),
                    corder: None,
                });
            }
            return Ok(out);
        }
        Ok(o.links.clone())
    }
}

/// A file of 8-byte addresses and lengths over `src`, for the modules' tests.
#[cfg(test)]
pub(crate) fn test_file(src: &Source) -> Hdf5<'_> {
    Hdf5 {
        src,
        g: Geometry {
            version: 2,
            so: 8,
            sl: 8,
            base: 0,
            root: 0,
        },
        limits: Limits::for_file_size(src.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 2 superblock at `at` (8-byte addresses) naming `root`.
    fn v2(at: usize, root: u64) -> Vec<u8> {
        let mut b = vec![0u8; at];
        b.extend(SIGNATURE);
        b.extend([2, 8, 8, 0]);
        b.extend(0u64.to_le_bytes()); // base
        b.extend(u64::MAX.to_le_bytes()); // extension: none
        b.extend(4096u64.to_le_bytes()); // end of file
        b.extend(root.to_le_bytes());
        b.extend([0; 4]); // checksum (not checked)
        b
    }

    #[test]
    fn a_version_2_superblock_at_0_or_after_a_user_block() {
        let g = superblock(&Source::from_bytes(v2(0, 48))).unwrap();
        assert_eq!((g.version, g.so, g.sl, g.base, g.root), (2, 8, 8, 0, 48));
        // After a 512-byte user block the signature is searched for at 512.
        let g = superblock(&Source::from_bytes(v2(512, 560))).unwrap();
        assert_eq!(g.root, 560);
    }

    #[test]
    fn a_version_0_superblock_with_4_byte_addresses() {
        let mut b = SIGNATURE.to_vec();
        b.extend([0, 0, 0, 0, 0, 4, 4, 0]); // versions, sizes 4/4, reserved
        b.extend([4, 0, 16, 0]); // leaf and internal node K
        b.extend([0; 4]); // flags
        b.extend(0u32.to_le_bytes()); // base
        b.extend(u32::MAX.to_le_bytes()); // free space
        b.extend(800u32.to_le_bytes()); // end of file
        b.extend(u32::MAX.to_le_bytes()); // driver info
        b.extend(0u32.to_le_bytes()); // root entry: link name offset
        b.extend(96u32.to_le_bytes()); // root object header
        b.resize(128, 0);
        let g = superblock(&Source::from_bytes(b)).unwrap();
        assert_eq!((g.version, g.so, g.sl, g.root), (0, 4, 4, 96));
    }

    #[test]
    fn what_is_not_a_superblock_is_a_typed_error() {
        assert!(matches!(
            superblock(&Source::from_bytes(b"CDF\x01 not hdf5".to_vec())),
            Err(DecodeError::Corrupt { .. })
        ));
        let mut b = v2(0, 48);
        b[9] = 3; // 3-byte addresses
        assert!(matches!(
            superblock(&Source::from_bytes(b)),
            Err(DecodeError::Corrupt { byte_offset: 9, .. })
        ));
        let mut b = v2(0, 48);
        b[8] = 4;
        assert!(matches!(
            superblock(&Source::from_bytes(b)),
            Err(DecodeError::Unsupported { byte_offset: 8, .. })
        ));
        // The signature alone, then the end of the file.
        assert!(superblock(&Source::from_bytes(SIGNATURE.to_vec())).is_err());
    }
}
