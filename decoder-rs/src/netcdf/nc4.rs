//! NetCDF-4 on HDF5: groups, dimension scales (`CLASS`, `DIMENSION_LIST`,
//! `_Netcdf4Dimid`), variables and attributes mapped to the NetCDF model,
//! the way netCDF-C does it (phony dimensions for plain HDF5 datasets).

use std::collections::{HashMap, HashSet};

use super::{Attr, Dim, Group, MemberInfo, NcType, Place, Storage, StringKind, Value, Var};
use crate::hdf5::io::{corrupt, is_not_loaded, limit, Cur, UNDEF};
use crate::hdf5::messages::{Attribute, Dtype, Layout, LinkTarget};
use crate::hdf5::values::{decodable, decode, encode, unpack_bits, Budget, Column, HeapCache};
use crate::hdf5::{Hdf5, Object};
use crate::DecodeError;

const HIDDEN: [&str; 10] = [
    "CLASS",
    "NAME",
    "REFERENCE_LIST",
    "DIMENSION_LIST",
    "_Netcdf4Dimid",
    "_Netcdf4Coordinates",
    "_nc3_strict",
    "_NCProperties",
    "_IsNetcdf4",
    "_SuperblockVersion",
];
const PURE_DIM: &str = "This is a netCDF dimension but not a netCDF variable";

/// Maps an HDF5 datatype to a NetCDF type and string storage.
pub fn nc_type_of(d: &Dtype) -> Option<(NcType, StringKind)> {
    Some(match d {
        Dtype::Int { size, signed, .. } => (
            match (size, signed) {
                (1, true) => NcType::Byte,
                (1, false) => NcType::UByte,
                (2, true) => NcType::Short,
                (2, false) => NcType::UShort,
                (4, true) => NcType::Int,
                (4, false) => NcType::UInt,
                (8, true) => NcType::Int64,
                (8, false) => NcType::UInt64,
                _ => return None,
            },
            StringKind::None,
        ),
        Dtype::Float { size: 2, .. } => (NcType::Float16, StringKind::None),
        Dtype::Float { size: 4, .. } => (NcType::Float, StringKind::None),
        Dtype::Float { size: 8, .. } => (NcType::Double, StringKind::None),
        Dtype::FixedString { size: 1 } => (NcType::Char, StringKind::None),
        Dtype::FixedString { .. } => (NcType::String, StringKind::Fixed),
        Dtype::VlenString => (NcType::String, StringKind::Vlen),
        Dtype::Enum(b) => return nc_type_of(b),
        _ => return None,
    })
}

/// Whether values of `t` are numbers read into a typed array.
fn is_numeric(t: NcType) -> bool {
    !matches!(
        t,
        NcType::Char
            | NcType::String
            | NcType::Vlen
            | NcType::Opaque
            | NcType::Compound
            | NcType::Reference
            | NcType::Bitfield
            | NcType::Time
            | NcType::Unknown
    )
}

/// How a dataset's datatype is presented: its type, string storage, the
/// extra trailing dimensions of an HDF5 array type, the members of a
/// compound, or why it is not read (the variable is still listed).
struct Shown {
    ty: NcType,
    strings: StringKind,
    array_dims: Vec<u64>,
    members: Vec<MemberInfo>,
    unsupported: Option<String>,
}

fn shown(d: &Dtype) -> Shown {
    let plain = |ty, strings| Shown {
        ty,
        strings,
        array_dims: Vec::new(),
        members: Vec::new(),
        unsupported: None,
    };
    let not_read = |ty, what: &str| Shown {
        unsupported: Some(format!("HDF5 {} datatype", what)),
        ..plain(ty, StringKind::None)
    };
    if let Some((t, k)) = nc_type_of(d) {
        return plain(t, k);
    }
    match d {
        Dtype::Array { dims, base } => match nc_type_of(base) {
            Some((t, StringKind::None)) if is_numeric(t) || t == NcType::Char => Shown {
                array_dims: dims.iter().map(|&x| x as u64).collect(),
                ..plain(t, StringKind::None)
            },
            // Strings or sequences per array element: decoded by `values`.
            _ if decodable(base)
                && matches!(
                    base.as_ref(),
                    Dtype::FixedString { .. } | Dtype::VlenString | Dtype::Vlen(_)
                ) =>
            {
                Shown {
                    array_dims: dims.iter().map(|&x| x as u64).collect(),
                    ..plain(tree_type(base), StringKind::Tree)
                }
            }
            _ => not_read(NcType::Unknown, "array of a non-numeric"),
        },
        Dtype::Compound { members, .. } => {
            let mut out = Vec::with_capacity(members.len());
            let mut numeric = true;
            for m in members {
                let (base, count) = match &m.dtype {
                    Dtype::Array { dims, base } => (
                        base.as_ref(),
                        dims.iter().fold(1u32, |a, &x| a.saturating_mul(x)),
                    ),
                    t => (t, 1),
                };
                let ty = match nc_type_of(base) {
                    Some((t, StringKind::None)) if is_numeric(t) || t == NcType::Char => t,
                    _ => {
                        numeric = false;
                        tree_type(base)
                    }
                };
                out.push(MemberInfo {
                    name: m.name.clone(),
                    ty,
                    offset: m.offset,
                    count,
                    be: is_be(base),
                    bits: bits_of(base),
                });
            }
            if numeric {
                Shown {
                    members: out,
                    ..plain(NcType::Compound, StringKind::None)
                }
            } else if decodable(d) {
                Shown {
                    members: out,
                    ..plain(NcType::Compound, StringKind::Tree)
                }
            } else {
                not_read(
                    NcType::Compound,
                    "compound (a member of a type that is not read)",
                )
            }
        }
        Dtype::Vlen(b) if decodable(b) => plain(NcType::Vlen, StringKind::Tree),
        Dtype::Vlen(_) => not_read(
            NcType::Vlen,
            "variable-length sequence of a type that is not read",
        ),
        Dtype::Reference { .. } => not_read(NcType::Reference, "reference"),
        Dtype::Unknown { class: 2, .. } => not_read(NcType::Time, "time"),
        Dtype::Unknown { class: 4, .. } => not_read(NcType::Bitfield, "bitfield"),
        Dtype::Unknown { class: 5, .. } => not_read(NcType::Opaque, "opaque"),
        Dtype::Unknown { class, size } => not_read(
            NcType::Unknown,
            &format!("class {} ({} bytes)", class, size),
        ),
        _ => not_read(NcType::Unknown, "unknown"),
    }
}

/// The type a value of `d` shows as when `values` decodes it.
fn tree_type(d: &Dtype) -> NcType {
    match d {
        Dtype::FixedString { size: 1 } => NcType::Char,
        Dtype::FixedString { .. } | Dtype::VlenString => NcType::String,
        Dtype::Vlen(_) => NcType::Vlen,
        Dtype::Compound { .. } => NcType::Compound,
        Dtype::Enum(b) | Dtype::Array { base: b, .. } => tree_type(b),
        d => nc_type_of(d).map_or(NcType::Unknown, |(t, _)| t),
    }
}

/// Reduced precision of an integer type: `(offset, precision, signed)`.
pub fn bits_of(d: &Dtype) -> Option<(u8, u8, bool)> {
    match d {
        Dtype::Int {
            bits: Some((o, p)),
            signed,
            ..
        } => Some((*o, *p, *signed)),
        Dtype::Enum(b) | Dtype::Array { base: b, .. } => bits_of(b),
        _ => None,
    }
}

fn is_be(d: &Dtype) -> bool {
    match d {
        Dtype::Int { be, .. } | Dtype::Float { be, .. } => *be,
        Dtype::Enum(b) => is_be(b),
        Dtype::Array { base, .. } => is_be(base),
        _ => false,
    }
}

fn trim_nul(b: &[u8]) -> String {
    let end = b.iter().position(|&x| x == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Resolves variable-length elements (`u32 length, address, u32 index`)
/// to their global heap objects.
pub fn vlen_objects(h: &Hdf5, data: &[u8], at: u64) -> Result<Vec<Vec<u8>>, DecodeError> {
    let esize = 8 + h.g.so;
    let mut out = Vec::with_capacity(data.len() / esize);
    let mut heap = HeapCache::new(h.limits.max_decoded);
    for e in data.chunks_exact(esize) {
        let mut c = Cur::new(e, at);
        let n = c.u32()? as usize;
        let a = h.addr(&mut c)?;
        let idx = c.u32()?;
        if n == 0 || a == 0 || a == UNDEF {
            out.push(Vec::new());
            continue;
        }
        out.push(heap.object(h, a, idx)?.to_vec());
    }
    Ok(out)
}

/// Resolves variable-length strings to their text.
pub fn vlen_strings(h: &Hdf5, data: &[u8], at: u64) -> Result<Vec<String>, DecodeError> {
    let esize = 8 + h.g.so;
    let lens: Vec<usize> = data
        .chunks_exact(esize)
        .map(|e| u32::from_le_bytes([e[0], e[1], e[2], e[3]]) as usize)
        .collect();
    Ok(vlen_objects(h, data, at)?
        .into_iter()
        .zip(lens)
        .map(|(o, n)| trim_nul(o.get(..n).unwrap_or(&o)))
        .collect())
}

fn attr_value(h: &Hdf5, a: &Attribute) -> Result<Option<Value>, DecodeError> {
    let n = a.space.count(a.at)? as usize;
    Ok(Some(match &a.dtype {
        Dtype::FixedString { size } => {
            let size = (*size as usize).max(1);
            if n <= 1 || size == 1 {
                let end = a.data.iter().rposition(|&x| x != 0).map_or(0, |p| p + 1);
                Value::Text(String::from_utf8_lossy(&a.data[..end]).into_owned())
            } else {
                Value::Strings(a.data.chunks(size).map(trim_nul).collect())
            }
        }
        Dtype::VlenString => {
            let mut s = vlen_strings(h, &a.data, a.at)?;
            if s.len() == 1 {
                Value::Text(s.pop().unwrap_or_default())
            } else {
                Value::Strings(s)
            }
        }
        d => match nc_type_of(d) {
            Some((t, StringKind::None)) if is_numeric(t) || t == NcType::Char => {
                let mut b = a.data.clone();
                if is_be(d) {
                    super::classic::be_to_le(&mut b, t.size() as usize);
                }
                if let Some((off, prec, signed)) = bits_of(d) {
                    unpack_bits(&mut b, t.size() as usize, signed, off, prec);
                }
                Value::Num(t, b)
            }
            _ if decodable(d) => return tree_value(h, d, &a.data, n, a.at),
            _ => return Ok(None),
        },
    }))
}

/// Most bytes the values of one attribute may decode to.
const ATTR_BYTES: u64 = 64 << 20;

/// An attribute of a type only `values` reads: numbers (an HDF5 array of
/// numbers), strings (an array of strings), or a packed column (compounds
/// and variable-length sequences).
fn tree_value(
    h: &Hdf5,
    d: &Dtype,
    data: &[u8],
    n: usize,
    at: u64,
) -> Result<Option<Value>, DecodeError> {
    let mut heap = HeapCache::new(ATTR_BYTES);
    let mut budget = Budget::new(ATTR_BYTES);
    let col = decode(h, &mut heap, d, data, n, &mut budget, at)?;
    Ok(Some(match col {
        Column::Num(20, b) => Value::Num(NcType::Float16, b),
        Column::Num(code, b) => match NcType::from_code(code as u32) {
            Some(t) => Value::Num(t, b),
            None => return Ok(None),
        },
        Column::Strings(s) => Value::Strings(s),
        c => {
            let t = if matches!(c, Column::Members(_)) {
                NcType::Compound
            } else {
                NcType::Vlen
            };
            let mut o = Vec::new();
            encode(&c, &mut o);
            Value::Tree(t, o)
        }
    }))
}

fn find<'a>(o: &'a Object, name: &str) -> Option<&'a Attribute> {
    o.attrs.iter().find(|a| a.name == name)
}

fn attr_text(o: &Object, name: &str) -> Option<String> {
    find(o, name).and_then(|a| match a.dtype {
        Dtype::FixedString { .. } => Some(trim_nul(&a.data)),
        _ => None,
    })
}

fn attr_int(o: &Object, name: &str) -> Option<i64> {
    find(o, name).and_then(|a| match a.dtype {
        Dtype::Int { size: 4, be, .. } => a.data.get(..4).map(|b| {
            let x = [b[0], b[1], b[2], b[3]];
            (if be {
                i32::from_be_bytes(x)
            } else {
                i32::from_le_bytes(x)
            }) as i64
        }),
        _ => None,
    })
}

fn attr_ints(o: &Object, name: &str) -> Option<Vec<i64>> {
    find(o, name).and_then(|a| match a.dtype {
        Dtype::Int { size: 4, be, .. } => Some(
            a.data
                .chunks_exact(4)
                .map(|b| {
                    let x = [b[0], b[1], b[2], b[3]];
                    (if be {
                        i32::from_be_bytes(x)
                    } else {
                        i32::from_le_bytes(x)
                    }) as i64
                })
                .collect(),
        ),
        _ => None,
    })
}

struct RawGroup {
    name: String,
    obj: Object,
    datasets: Vec<(String, Object)>,
    groups: Vec<RawGroup>,
}

fn walk(
    h: &Hdf5,
    name: String,
    obj: Object,
    seen: &mut HashSet<u64>,
    count: &mut usize,
    depth: u32,
) -> Result<RawGroup, DecodeError> {
    if depth > 64 {
        return corrupt("groups nested too deeply", h.abs(obj.addr, 0)?);
    }
    let mut links = h.group_links(&obj)?;
    if links.iter().all(|l| l.corder.is_some()) {
        links.sort_by_key(|l| l.corder);
    }
    let mut g = RawGroup {
        name,
        obj,
        datasets: Vec::new(),
        groups: Vec::new(),
    };
    for l in links {
        let a = match l.target {
            LinkTarget::Hard(a) if a != UNDEF => a,
            _ => continue,
        };
        *count += 1;
        if *count > h.limits.max_objects {
            return limit("too many objects", h.abs(a, 0)?);
        }
        if !seen.insert(a) {
            continue;
        }
        let o = h.object(a)?;
        if o.is_group {
            g.groups.push(walk(h, l.name, o, seen, count, depth + 1)?);
        } else if o.dtype.is_some() && o.space.is_some() {
            g.datasets.push((l.name, o));
        }
    }
    Ok(g)
}

struct DimInfo {
    name: String,
    size: u64,
    unlimited: bool,
    dimid: Option<i64>,
}

/// Parses the NetCDF-4 model of an HDF5 file.
pub fn parse(h: &Hdf5) -> Result<(Group, Vec<Storage>), DecodeError> {
    let root_obj = h.object(h.g.root)?;
    let mut seen = HashSet::new();
    seen.insert(h.g.root);
    let mut count = 0;
    let raw = walk(h, "/".into(), root_obj, &mut seen, &mut count, 0)?;
    // Every dimension scale, by object address.
    let mut dims_by_addr: HashMap<u64, DimInfo> = HashMap::new();
    collect_dims(&raw, &mut dims_by_addr);
    let by_id: HashMap<i64, String> = dims_by_addr
        .values()
        .filter_map(|d| d.dimid.map(|i| (i, d.name.clone())))
        .collect();
    let mut storage = Vec::new();
    let mut phony = 0usize;
    let mut root = build(h, &raw, &dims_by_addr, &by_id, &mut storage, &mut phony)?;
    fix_unlimited(&mut root, &mut HashMap::new());
    Ok((root, storage))
}

fn collect_dims(g: &RawGroup, out: &mut HashMap<u64, DimInfo>) {
    for (name, o) in &g.datasets {
        if attr_text(o, "CLASS").as_deref() == Some("DIMENSION_SCALE") {
            let sp = o.space.clone().unwrap_or_default();
            let size = sp.dims.first().copied().unwrap_or(0);
            let unlimited = sp
                .max
                .as_ref()
                .and_then(|m| m.first())
                .map_or(false, |&m| m == u64::MAX);
            out.insert(
                o.addr,
                DimInfo {
                    name: name.clone(),
                    size,
                    unlimited,
                    dimid: attr_int(o, "_Netcdf4Dimid"),
                },
            );
        }
    }
    for s in &g.groups {
        collect_dims(s, out);
    }
}

fn build(
    h: &Hdf5,
    g: &RawGroup,
    dims_by_addr: &HashMap<u64, DimInfo>,
    by_id: &HashMap<i64, String>,
    storage: &mut Vec<Storage>,
    phony: &mut usize,
) -> Result<Group, DecodeError> {
    let mut out = Group {
        name: g.name.clone(),
        ..Group::default()
    };
    out.attrs = attrs_of(h, &g.obj)?;
    let mut own_dims: Vec<(Option<i64>, Dim)> = Vec::new();
    for (_, o) in &g.datasets {
        if let Some(d) = dims_by_addr.get(&o.addr) {
            own_dims.push((
                d.dimid,
                Dim {
                    name: d.name.clone(),
                    size: d.size,
                    unlimited: d.unlimited,
                },
            ));
        }
    }
    own_dims.sort_by_key(|(id, _)| id.unwrap_or(i64::MAX));
    out.dims = own_dims.into_iter().map(|(_, d)| d).collect();
    for (name, o) in &g.datasets {
        let pure = attr_text(o, "NAME").map_or(false, |n| n.starts_with(PURE_DIM));
        if pure {
            continue;
        }
        let dtype = o
            .dtype
            .clone()
            .unwrap_or(Dtype::Unknown { class: 0, size: 0 });
        let sh = shown(&dtype);
        let (ty, strings) = (sh.ty, sh.strings);
        let space = o.space.clone().unwrap_or_default();
        // A null dataspace holds no values: an empty variable.
        let mut shape = if space.null {
            vec![0]
        } else {
            space.dims.clone()
        };
        let at = h.abs(o.addr, 0)?;
        // Dimension names.
        let mut dnames: Vec<String> = Vec::new();
        if let Some(dl) = find(o, "DIMENSION_LIST") {
            let refs = match vlen_objects(h, &dl.data, dl.at) {
                Ok(r) => r,
                Err(e) if is_not_loaded(&e) => return Err(e),
                Err(_) => Vec::new(),
            };
            for r in refs {
                let a = r
                    .get(..8)
                    .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]));
                match a.and_then(|a| dims_by_addr.get(&a)) {
                    Some(d) => dnames.push(d.name.clone()),
                    None => break,
                }
            }
        } else if dims_by_addr.contains_key(&o.addr) {
            dnames.push(name.clone());
            if shape.len() > 1 {
                if let Some(ids) = attr_ints(o, "_Netcdf4Coordinates") {
                    for id in ids.iter().skip(1) {
                        match by_id.get(id) {
                            Some(n) => dnames.push(n.clone()),
                            None => break,
                        }
                    }
                }
            }
        }
        if dnames.len() != shape.len() {
            // Phony dimensions, as netCDF-C names them.
            dnames.clear();
            for &len in &shape {
                let n = phony_dim(&mut out, len, &dnames, phony);
                dnames.push(n);
            }
        }
        let extent = shape.clone();
        // An HDF5 array datatype adds trailing dimensions.
        for &len in &sh.array_dims {
            let n = phony_dim(&mut out, len, &dnames, phony);
            dnames.push(n);
            shape.push(len);
        }
        let place = match (&sh.unsupported, space.null) {
            (Some(what), _) => Place::Invalid(DecodeError::Unsupported {
                reason: format!("{} of variable {}", what, name),
                byte_offset: at,
            }),
            (None, true) => Place::Empty,
            (None, false) => match place_of(h, o, &dtype, &space, at) {
                Ok(p) => p,
                Err(e) if is_not_loaded(&e) => return Err(e),
                Err(e) => Place::Invalid(e),
            },
        };
        let id = storage.len();
        storage.push(Storage {
            elem: dtype.size(),
            be: is_be(&dtype),
            strings,
            shape: extent,
            place,
            fill: if matches!(strings, StringKind::Vlen | StringKind::Tree) {
                None
            } else {
                o.fill.clone().filter(|f| f.len() as u64 == dtype.size())
            },
            tree: if strings == StringKind::Tree {
                Some(dtype.clone())
            } else {
                None
            },
        });
        out.vars.push(Var {
            name: name.clone(),
            ty,
            dims: dnames,
            shape,
            attrs: attrs_of(h, o)?,
            id,
            array_dims: sh.array_dims.len(),
            members: sh.members,
            bits: bits_of(&dtype),
        });
    }
    for s in &g.groups {
        out.groups
            .push(build(h, s, dims_by_addr, by_id, storage, phony)?);
    }
    Ok(out)
}

/// A phony dimension of `len` for a dataset without dimension scales, as
/// netCDF-C names them: one of this group's of that length not yet `taken`
/// by the dataset, else a new one.
fn phony_dim(out: &mut Group, len: u64, taken: &[String], phony: &mut usize) -> String {
    if let Some(d) = out
        .dims
        .iter()
        .find(|d| d.name.starts_with("phony_dim_") && d.size == len && !taken.contains(&d.name))
    {
        return d.name.clone();
    }
    let n = format!("phony_dim_{}", *phony);
    *phony += 1;
    out.dims.push(Dim {
        name: n.clone(),
        size: len,
        unlimited: false,
    });
    n
}

/// The largest dimension a JavaScript number holds exactly.
const MAX_DIM: u64 = (1 << 53) - 1;

/// Where a dataset's values live, after checking what its header declares:
/// dimensions up to 2^53 - 1, and chunks no larger than the dataspace's
/// maximum along fixed dimensions (HDF5 forbids more) and within the decoded
/// size limit. A dataset that fails gets [`Place::Invalid`]: it is still
/// listed, and reading it reports the error.
fn place_of(
    h: &Hdf5,
    o: &Object,
    dtype: &Dtype,
    space: &crate::hdf5::messages::Dataspace,
    at: u64,
) -> Result<Place, DecodeError> {
    if let Some(&d) = space.dims.iter().find(|&&d| d > MAX_DIM) {
        return limit(
            format!("dimension of {} elements (more than 2^53 - 1)", d),
            at,
        );
    }
    let n = space.count(at)?;
    if n.checked_mul(dtype.size()).map_or(true, |b| b > MAX_DIM) {
        return limit("dataset of more than 2^53 - 1 bytes", at);
    }
    Ok(match &o.layout {
        None => Place::Empty,
        Some(Layout::Compact(b)) => Place::Compact(b.clone()),
        Some(Layout::Contiguous { addr, .. }) if *addr == UNDEF => Place::Empty,
        Some(Layout::Contiguous { addr, size }) => Place::Contiguous {
            addr: h.abs(*addr, at)?,
            size: *size,
            rec_size: 0,
        },
        Some(Layout::Chunked {
            dims,
            addr,
            index,
            flags: _,
        }) => {
            if dims.len() != space.dims.len() || dims.contains(&0) {
                return corrupt("chunk rank does not match the dataspace", at);
            }
            for (i, &c) in dims.iter().enumerate() {
                let max = space
                    .max
                    .as_ref()
                    .and_then(|m| m.get(i).copied())
                    .unwrap_or(space.dims[i]);
                if max != u64::MAX && c > max.max(1) {
                    return corrupt(
                        format!(
                            "chunk dimension {} is larger than the dataspace's maximum {}",
                            c, max
                        ),
                        at,
                    );
                }
            }
            let bytes = dims
                .iter()
                .try_fold(dtype.size().max(1), |a, &c| a.checked_mul(c));
            match bytes {
                Some(b) if b <= h.limits.max_decoded && b < 1 << 32 => {}
                _ => return limit("chunk larger than the decoded size limit", at),
            }
            Place::Chunked {
                chunk: dims.clone(),
                index: index.clone(),
                addr: *addr,
                filters: o.filters.clone(),
                max: space.max.clone(),
            }
        }
    })
}

fn attrs_of(h: &Hdf5, o: &Object) -> Result<Vec<Attr>, DecodeError> {
    let mut out = Vec::new();
    for a in &o.attrs {
        if HIDDEN.contains(&a.name.as_str()) {
            continue;
        }
        match attr_value(h, a) {
            Ok(Some(value)) => out.push(Attr {
                name: a.name.clone(),
                value,
            }),
            Ok(None) => {}
            Err(e) if is_not_loaded(&e) => return Err(e),
            Err(_) => {}
        }
    }
    Ok(out)
}

/// An unlimited dimension is as long as the longest variable along it, and
/// every variable along it has its length (netCDF-C reads the part past a
/// variable's HDF5 extent as its fill value; [`Storage::shape`] keeps the
/// extent).
fn fix_unlimited(g: &mut Group, _visible: &mut HashMap<String, u64>) {
    fn scan(g: &Group, longest: &mut HashMap<String, u64>) {
        for v in &g.vars {
            for (d, &s) in v.dims.iter().zip(&v.shape) {
                let e = longest.entry(d.clone()).or_insert(0);
                *e = (*e).max(s);
            }
        }
        for s in &g.groups {
            scan(s, longest);
        }
    }
    fn apply(g: &mut Group, longest: &HashMap<String, u64>, outer: &HashMap<String, u64>) {
        for d in g.dims.iter_mut().filter(|d| d.unlimited) {
            if let Some(&n) = longest.get(&d.name) {
                d.size = d.size.max(n);
            }
        }
        // Unlimited dimensions visible here: this group's, then its ancestors'.
        let mut visible = outer.clone();
        for d in &g.dims {
            if d.unlimited {
                visible.insert(d.name.clone(), d.size);
            } else {
                visible.remove(&d.name);
            }
        }
        for v in g.vars.iter_mut() {
            for (d, s) in v.dims.iter().zip(v.shape.iter_mut()) {
                if let Some(&n) = visible.get(d) {
                    *s = (*s).max(n);
                }
            }
        }
        for s in g.groups.iter_mut() {
            apply(s, longest, &visible);
        }
    }
    let mut longest: HashMap<String, u64> = HashMap::new();
    scan(g, &mut longest);
    apply(g, &longest, &HashMap::new());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hdf5_datatypes_map_to_netcdf_types() {
        let int = |size, signed| Dtype::Int {
            size,
            signed,
            be: false,
            bits: None,
        };
        assert_eq!(nc_type_of(&int(1, true)).unwrap().0, NcType::Byte);
        assert_eq!(nc_type_of(&int(2, false)).unwrap().0, NcType::UShort);
        assert_eq!(nc_type_of(&int(8, true)).unwrap().0, NcType::Int64);
        assert_eq!(
            nc_type_of(&Dtype::Float { size: 2, be: true }).unwrap().0,
            NcType::Float16
        );
        assert_eq!(
            nc_type_of(&Dtype::FixedString { size: 1 }),
            Some((NcType::Char, StringKind::None))
        );
        assert_eq!(
            nc_type_of(&Dtype::FixedString { size: 8 }),
            Some((NcType::String, StringKind::Fixed))
        );
        assert_eq!(
            nc_type_of(&Dtype::VlenString),
            Some((NcType::String, StringKind::Vlen))
        );
        // An enum reads as its base type.
        assert_eq!(
            nc_type_of(&Dtype::Enum(Box::new(int(4, true)))).unwrap().0,
            NcType::Int
        );
        assert_eq!(nc_type_of(&int(3, true)), None);
        assert_eq!(nc_type_of(&Dtype::Reference { size: 8 }), None);
    }
}
