//! NetCDF files: the classic formats (CDF-1, CDF-2, CDF-5) and NetCDF-4
//! (HDF5, through [`crate::hdf5`]), reduced to one model: groups with
//! dimensions, attributes and variables, plus where each variable's bytes
//! live ([`Storage`]).
//!
//! [`open`] parses the metadata; [`NcFile::chunks`] lists the chunks a
//! hyperslab touches and [`NcFile::plan`] where each lands in the result. Values are read by the caller (TypeScript) from the
//! storage description: the bulk bytes never need to pass through here.

pub mod classic;
pub mod nc4;
pub mod plan;

use crate::hdf5::btree::ChunkRec;
use crate::hdf5::chunks::{chunk_list, ChunkedDataset};
use crate::hdf5::io::{corrupt, Source};
use crate::hdf5::messages::{ChunkIndex, Filter};
use crate::hdf5::{Geometry, Hdf5};
use crate::DecodeError;

/// The on-disk format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CDF-1.
    Classic,
    /// CDF-2.
    Offset64,
    /// CDF-5.
    Cdf5,
    /// HDF5.
    Netcdf4,
}

impl Format {
    /// Code across the wasm boundary (index in `["classic", "64bit-offset", "cdf5", "netcdf4"]`).
    pub fn code(self) -> u8 {
        match self {
            Format::Classic => 0,
            Format::Offset64 => 1,
            Format::Cdf5 => 2,
            Format::Netcdf4 => 3,
        }
    }
}

/// NetCDF external types, numbered as `nc_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NcType {
    /// 1: int8
    Byte,
    /// 2: char (one byte)
    Char,
    /// 3: int16
    Short,
    /// 4: int32
    Int,
    /// 5: float32
    Float,
    /// 6: float64
    Double,
    /// 7: uint8
    UByte,
    /// 8: uint16
    UShort,
    /// 9: uint32
    UInt,
    /// 10: int64
    Int64,
    /// 11: uint64
    UInt64,
    /// 12: string
    String,
    /// 13: variable-length sequence (not read)
    Vlen,
    /// 14: opaque (not read)
    Opaque,
    /// 16: compound (read as one array per member)
    Compound,
    /// 20: IEEE half-precision float (read as float32; HDF5 only)
    Float16,
    /// 21: HDF5 object or region reference (not read)
    Reference,
    /// 22: HDF5 bitfield (not read)
    Bitfield,
    /// 23: HDF5 time (not read)
    Time,
    /// 24: an HDF5 array of a type that is not read, or another class
    Unknown,
}

impl NcType {
    /// The `nc_type` number.
    pub fn code(self) -> u8 {
        match self {
            NcType::Byte => 1,
            NcType::Char => 2,
            NcType::Short => 3,
            NcType::Int => 4,
            NcType::Float => 5,
            NcType::Double => 6,
            NcType::UByte => 7,
            NcType::UShort => 8,
            NcType::UInt => 9,
            NcType::Int64 => 10,
            NcType::UInt64 => 11,
            NcType::String => 12,
            NcType::Vlen => 13,
            NcType::Opaque => 14,
            NcType::Compound => 16,
            NcType::Float16 => 20,
            NcType::Reference => 21,
            NcType::Bitfield => 22,
            NcType::Time => 23,
            NcType::Unknown => 24,
        }
    }

    /// The type for an `nc_type` number.
    pub fn from_code(c: u32) -> Option<NcType> {
        Some(match c {
            1 => NcType::Byte,
            2 => NcType::Char,
            3 => NcType::Short,
            4 => NcType::Int,
            5 => NcType::Float,
            6 => NcType::Double,
            7 => NcType::UByte,
            8 => NcType::UShort,
            9 => NcType::UInt,
            10 => NcType::Int64,
            11 => NcType::UInt64,
            12 => NcType::String,
            _ => return None,
        })
    }

    /// Bytes per value in the classic formats (and in memory).
    pub fn size(self) -> u64 {
        match self {
            NcType::Byte | NcType::Char | NcType::UByte => 1,
            NcType::Short | NcType::UShort => 2,
            NcType::Int | NcType::UInt | NcType::Float => 4,
            NcType::Double | NcType::Int64 | NcType::UInt64 | NcType::String => 8,
            NcType::Float16 => 2,
            NcType::Vlen
            | NcType::Opaque
            | NcType::Compound
            | NcType::Reference
            | NcType::Bitfield
            | NcType::Time
            | NcType::Unknown => 1,
        }
    }
}

/// An attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Numbers, little-endian.
    Num(NcType, Vec<u8>),
    /// One string (char attributes, single strings).
    Text(String),
    /// Several strings.
    Strings(Vec<String>),
    /// Values of a compound (16) or variable-length (13) type: the type and
    /// the column packed by [`crate::hdf5::values::encode`].
    Tree(NcType, Vec<u8>),
}

/// A named attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Name.
    pub name: String,
    /// Value.
    pub value: Value,
}

/// A dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dim {
    /// Name.
    pub name: String,
    /// Current length.
    pub size: u64,
    /// Whether it is unlimited.
    pub unlimited: bool,
}

/// A variable's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// Name.
    pub name: String,
    /// Type.
    pub ty: NcType,
    /// Dimension names.
    pub dims: Vec<String>,
    /// Shape.
    pub shape: Vec<u64>,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Index into [`NcFile::storage`].
    pub id: usize,
    /// How many trailing dimensions come from an HDF5 array datatype.
    pub array_dims: usize,
    /// Members of a compound variable.
    pub members: Vec<MemberInfo>,
    /// Reduced precision of an integer type: `(offset, precision, signed)`.
    pub bits: Option<(u8, u8, bool)>,
}

/// A member of a compound variable, read as its own array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberInfo {
    /// Name.
    pub name: String,
    /// Type (numeric).
    pub ty: NcType,
    /// Byte offset in the element.
    pub offset: u32,
    /// Values per element (an array member has several).
    pub count: u32,
    /// Big-endian.
    pub be: bool,
    /// Reduced precision of an integer type: `(offset, precision, signed)`.
    pub bits: Option<(u8, u8, bool)>,
}

/// A group (the root group holds the whole file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Group {
    /// Name (`"/"` for the root).
    pub name: String,
    /// Dimensions defined here.
    pub dims: Vec<Dim>,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Variables.
    pub vars: Vec<Var>,
    /// Subgroups.
    pub groups: Vec<Group>,
}

/// How element strings are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringKind {
    /// Not strings.
    None,
    /// Fixed-length, `elem` bytes each, NUL-padded.
    Fixed,
    /// Variable-length: global heap references.
    Vlen,
    /// Any other type read by [`crate::hdf5::values`]: variable-length
    /// sequences, compounds with strings or sequences, arrays of strings.
    Tree,
}

/// Where a variable's values live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Nothing written: all fill.
    Empty,
    /// One block at an absolute offset; for classic record variables,
    /// record `r` starts at `addr + r × rec_size`.
    Contiguous {
        /// Absolute offset.
        addr: u64,
        /// Bytes.
        size: u64,
        /// Record stride (0: not a record variable).
        rec_size: u64,
    },
    /// Inside the metadata.
    Compact(Vec<u8>),
    /// Chunks.
    Chunked {
        /// Chunk dimensions.
        chunk: Vec<u64>,
        /// Index kind.
        index: ChunkIndex,
        /// Index address (relative).
        addr: u64,
        /// Filters (id and client data), in pipeline order.
        filters: Vec<Filter>,
        /// Maximum dimension sizes.
        max: Option<Vec<u64>>,
    },
    /// What the header declares cannot be read (too large, inconsistent,
    /// unsupported type): the variable is listed, reading it fails with this.
    Invalid(DecodeError),
}

/// A variable's storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    /// Element size in bytes as stored.
    pub elem: u64,
    /// Big-endian values.
    pub be: bool,
    /// String storage.
    pub strings: StringKind,
    /// Shape.
    pub shape: Vec<u64>,
    /// Where.
    pub place: Place,
    /// Fill value bytes (file byte order), if defined.
    pub fill: Option<Vec<u8>>,
    /// The HDF5 datatype of a [`StringKind::Tree`] variable.
    pub tree: Option<crate::hdf5::messages::Dtype>,
}

/// A parsed NetCDF file.
pub struct NcFile {
    /// Format.
    pub format: Format,
    /// The root group.
    pub root: Group,
    /// Storage of every variable, by [`Var::id`].
    pub storage: Vec<Storage>,
    /// HDF5 superblock facts (NetCDF-4 only).
    pub geometry: Option<Geometry>,
    /// Chunk lists already read, by variable id.
    cache: Vec<Option<Vec<ChunkRec>>>,
}

/// Parses a NetCDF file's metadata.
pub fn open(src: &Source) -> Result<NcFile, DecodeError> {
    let head = src.get(0, src.len().min(8), "file signature")?;
    let (format, root, storage, geometry) = if head.get(..3) == Some(b"CDF") {
        let (f, g, s) = classic::parse(src)?;
        (f, g, s, None)
    } else if head.as_ref() == crate::hdf5::SIGNATURE || src.len() > 512 {
        let h = Hdf5::open(src)?;
        let (g, s) = nc4::parse(&h)?;
        (Format::Netcdf4, g, s, Some(h.g))
    } else {
        return corrupt("neither a NetCDF classic nor an HDF5 file", 0);
    };
    let n = storage.len();
    Ok(NcFile {
        format,
        root,
        storage,
        geometry,
        cache: vec![None; n],
    })
}

impl NcFile {
    /// The chunks of variable `id` that intersect the box `start`/`count`.
    pub fn chunks(
        &mut self,
        src: &Source,
        id: usize,
        start: &[u64],
        count: &[u64],
    ) -> Result<Vec<ChunkRec>, DecodeError> {
        let st = match self.storage.get(id) {
            Some(s) => s,
            None => return Err(DecodeError::InvalidArgument("no such variable".into())),
        };
        let (chunk, index, addr, filters, max) = match &st.place {
            Place::Chunked {
                chunk,
                index,
                addr,
                filters,
                max,
            } => (chunk, index, *addr, filters, max),
            _ => return Ok(Vec::new()),
        };
        if self.cache[id].is_none() {
            let g = match self.geometry {
                Some(g) => g,
                None => return corrupt("chunked variable in a classic file", 0),
            };
            let h = Hdf5 {
                src,
                g,
                limits: crate::hdf5::io::Limits::for_file_size(src.len()),
            };
            let ds = ChunkedDataset {
                dims: &st.shape,
                max: max.as_deref(),
                chunk,
                elem: st.elem,
                filtered: !filters.is_empty(),
            };
            let mut list = chunk_list(&h, &ds, index, addr)?;
            for c in list.iter_mut() {
                c.addr = h.abs(c.addr, 0)?;
            }
            self.cache[id] = Some(list);
        }
        let rank = st.shape.len();
        let list = self.cache[id].as_deref().unwrap_or(&[]);
        Ok(list
            .iter()
            .filter(|c| {
                (0..rank).all(|i| {
                    let lo = c.offset[i];
                    let hi = lo.saturating_add(chunk[i]);
                    let s = start.get(i).copied().unwrap_or(0);
                    let e = s.saturating_add(count.get(i).copied().unwrap_or(0));
                    lo < e && s < hi
                })
            })
            .copied()
            .collect())
    }

    /// The read plan of the box `start`/`count` of a chunked variable
    /// ([`plan::plan`] over its chunks touching the box and its stored extent).
    pub fn plan(
        &mut self,
        src: &Source,
        id: usize,
        start: &[u64],
        count: &[u64],
    ) -> Result<plan::ChunkPlan, DecodeError> {
        let list = self.chunks(src, id, start, count)?;
        let st = &self.storage[id];
        match &st.place {
            Place::Chunked { chunk, .. } => plan::plan(&list, chunk, &st.shape, start, count),
            _ => Err(DecodeError::InvalidArgument(
                "not a chunked variable".into(),
            )),
        }
    }

    /// Finds a variable by id anywhere in the tree.
    pub fn var(&self, id: usize) -> Option<&Var> {
        fn find(g: &Group, id: usize) -> Option<&Var> {
            g.vars
                .iter()
                .find(|v| v.id == id)
                .or_else(|| g.groups.iter().find_map(|s| find(s, id)))
        }
        find(&self.root, id)
    }
}

/// Packs the metadata for the TypeScript side (little-endian):
/// `u8 format`, then the root group. A group is `str name, u32 n, dim…,
/// u32 n, attr…, u32 n, var…, u32 n, group…`; a dim `str name, f64 size,
/// u8 unlimited`; an attr `str name, u8 type, value` where the value is a
/// `str` (char), `u32 n, str…` (string) or `u32 nbytes, bytes` (numbers,
/// or for types 13 and 16 a column packed by [`crate::hdf5::values::encode`]); a var
/// `str name, u8 type, u32 id, u32 rank, (str dim, f64 size)…, u32 n,
/// attr…, u32 n, f64 chunk…, u32 n, u16 filter…, u32 array dims, u32 n,
/// member…, bits`; a member `str name, u8 type, u32 offset, u32 count, u8 be,
/// bits`; bits `u8 offset, u8 precision` of a reduced-precision integer
/// (`0, 0`: full precision);
/// a str `u32 len, utf8`.
pub fn encode(f: &NcFile) -> Vec<u8> {
    let mut o = vec![f.format.code()];
    group(&mut o, f, &f.root);
    o
}

fn put_str(o: &mut Vec<u8>, s: &str) {
    o.extend_from_slice(&(s.len() as u32).to_le_bytes());
    o.extend_from_slice(s.as_bytes());
}

/// `u8 offset, u8 precision` of a reduced-precision integer, `0, 0` else.
fn put_bits(o: &mut Vec<u8>, b: Option<(u8, u8, bool)>) {
    let (off, prec) = b.map_or((0, 0), |(o, p, _)| (o, p));
    o.push(off);
    o.push(prec);
}

fn put_u32(o: &mut Vec<u8>, v: usize) {
    o.extend_from_slice(&(v as u32).to_le_bytes());
}

fn attrs(o: &mut Vec<u8>, a: &[Attr]) {
    put_u32(o, a.len());
    for at in a {
        put_str(o, &at.name);
        match &at.value {
            Value::Text(s) => {
                o.push(2);
                put_str(o, s);
            }
            Value::Strings(v) => {
                o.push(12);
                put_u32(o, v.len());
                for s in v {
                    put_str(o, s);
                }
            }
            Value::Num(t, b) | Value::Tree(t, b) => {
                o.push(t.code());
                put_u32(o, b.len());
                o.extend_from_slice(b);
            }
        }
    }
}

fn group(o: &mut Vec<u8>, f: &NcFile, g: &Group) {
    put_str(o, &g.name);
    put_u32(o, g.dims.len());
    for d in &g.dims {
        put_str(o, &d.name);
        o.extend_from_slice(&(d.size as f64).to_le_bytes());
        o.push(d.unlimited as u8);
    }
    attrs(o, &g.attrs);
    put_u32(o, g.vars.len());
    for v in &g.vars {
        put_str(o, &v.name);
        o.push(v.ty.code());
        put_u32(o, v.id);
        put_u32(o, v.dims.len());
        for (d, s) in v.dims.iter().zip(&v.shape) {
            put_str(o, d);
            o.extend_from_slice(&(*s as f64).to_le_bytes());
        }
        attrs(o, &v.attrs);
        match f.storage.get(v.id).map(|s| &s.place) {
            Some(Place::Chunked { chunk, filters, .. }) => {
                put_u32(o, chunk.len());
                for c in chunk {
                    o.extend_from_slice(&(*c as f64).to_le_bytes());
                }
                put_u32(o, filters.len());
                for x in filters {
                    o.extend_from_slice(&x.id.to_le_bytes());
                }
            }
            _ => {
                put_u32(o, 0);
                put_u32(o, 0);
            }
        }
        put_u32(o, v.array_dims);
        put_u32(o, v.members.len());
        for m in &v.members {
            put_str(o, &m.name);
            o.push(m.ty.code());
            o.extend_from_slice(&m.offset.to_le_bytes());
            o.extend_from_slice(&m.count.to_le_bytes());
            o.push(m.be as u8);
            put_bits(o, m.bits);
        }
        put_bits(o, v.bits);
    }
    put_u32(o, g.groups.len());
    for s in &g.groups {
        group(o, f, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CDF-1: dimension x = 3, variable v(x) short = [1, 2, 3] at byte 80
    /// (the file of `openNetCDF`'s documentation example).
    const V3: [u8; 88] = [
        67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0, 0, 0, 0, 3,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1, 118, 0, 0, 0, 0, 0, 0, 1, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0,
        0,
    ];

    #[test]
    fn nc_type_codes_round_trip() {
        for c in 1..=12u32 {
            let t = NcType::from_code(c).unwrap();
            assert_eq!(t.code() as u32, c);
        }
        assert_eq!(NcType::from_code(0), None);
        assert_eq!(NcType::from_code(13), None);
        assert_eq!(
            [NcType::Short, NcType::Double, NcType::Int64].map(NcType::size),
            [2, 8, 8]
        );
    }

    #[test]
    fn open_reads_a_classic_file_into_the_one_model() {
        let src = Source::from_bytes(V3.to_vec());
        let mut f = open(&src).unwrap();
        assert_eq!(f.format, Format::Classic);
        assert!(f.geometry.is_none());
        let v = f.var(0).unwrap();
        assert_eq!(
            (v.name.as_str(), v.ty, v.shape.clone()),
            ("v", NcType::Short, vec![3])
        );
        assert_eq!(
            f.storage[0].place,
            Place::Contiguous {
                addr: 80,
                size: 6,
                rec_size: 0
            }
        );
        // The packed metadata starts with the format code.
        assert_eq!(encode(&f)[0], Format::Classic.code());
        // Contiguous: no chunks, and no plan.
        assert!(f.chunks(&src, 0, &[0], &[3]).unwrap().is_empty());
        assert!(matches!(
            f.plan(&src, 0, &[0], &[3]),
            Err(DecodeError::InvalidArgument(_))
        ));
        assert!(matches!(
            f.chunks(&src, 5, &[0], &[3]),
            Err(DecodeError::InvalidArgument(_))
        ));
        assert!(f.var(5).is_none());
    }

    #[test]
    fn open_refuses_what_is_neither_classic_nor_hdf5() {
        let mut b = V3.to_vec();
        b[3] = 9;
        assert!(matches!(
            open(&Source::from_bytes(b)),
            Err(DecodeError::Unsupported { .. })
        ));
        assert!(open(&Source::from_bytes(b"PK\x03\x04 a zip".to_vec())).is_err());
        assert!(open(&Source::from_bytes(Vec::new())).is_err());
    }
}
