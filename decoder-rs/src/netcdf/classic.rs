//! The NetCDF classic formats: CDF-1, CDF-2 (64-bit offsets) and CDF-5
//! (64-bit data). Big-endian header of dimensions, global attributes and
//! variables; data contiguous per variable, record variables interleaved.

use super::{Attr, Dim, Format, Group, NcType, Place, Storage, StringKind, Value, Var};
use crate::hdf5::io::{corrupt, limit, unsupported, Limits, Source};
use crate::DecodeError;

struct SCur<'a> {
    src: &'a Source,
    pos: u64,
    wide: bool,
}

impl SCur<'_> {
    fn take(&mut self, n: u64, what: &'static str) -> Result<Vec<u8>, DecodeError> {
        let b = self.src.get(self.pos, n, what)?.into_owned();
        self.pos += n;
        Ok(b)
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4, "classic header")?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8, "classic header")?;
        let mut a = [0u8; 8];
        a.copy_from_slice(&b);
        Ok(u64::from_be_bytes(a))
    }
    /// A count: 4 bytes, 8 in CDF-5.
    fn count(&mut self) -> Result<u64, DecodeError> {
        if self.wide {
            self.u64()
        } else {
            Ok(self.u32()? as u64)
        }
    }
    fn name(&mut self) -> Result<String, DecodeError> {
        let at = self.pos;
        let n = self.count()?;
        if n > 1 << 20 {
            return limit(format!("name of {} bytes", n), at);
        }
        let b = self.take((n + 3) / 4 * 4, "name")?;
        String::from_utf8(b[..n as usize].to_vec())
            .or_else(|_| corrupt("name is not UTF-8", at + 4))
    }
}

fn nc_type(code: u32, cdf5: bool, at: u64) -> Result<NcType, DecodeError> {
    match NcType::from_code(code) {
        Some(t) if code <= 6 || (cdf5 && code <= 11) => Ok(t),
        _ => unsupported(format!("classic type code {}", code), at),
    }
}

/// Numbers big-endian → little-endian.
pub fn be_to_le(b: &mut [u8], size: usize) {
    if size > 1 {
        for c in b.chunks_exact_mut(size) {
            c.reverse();
        }
    }
}

fn attr_list(c: &mut SCur, cdf5: bool, lim: &Limits) -> Result<Vec<Attr>, DecodeError> {
    let at = c.pos;
    let tag = c.u32()?;
    let n = c.count()?;
    if tag == 0 && n == 0 {
        return Ok(Vec::new());
    }
    if tag != 0x0C {
        return corrupt("expected an attribute list", at);
    }
    if n > lim.max_objects as u64 || n > c.src.len() / 8 {
        return limit(format!("{} attributes", n), at);
    }
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let name = c.name()?;
        let tat = c.pos;
        let ty = nc_type(c.u32()?, cdf5, tat)?;
        let nat = c.pos;
        let k = c.count()?;
        let bytes = k.checked_mul(ty.size()).filter(|&b| b <= c.src.len());
        let bytes = match bytes {
            Some(b) => b,
            None => return corrupt("attribute larger than the file", nat),
        };
        let mut b = c.take((bytes + 3) / 4 * 4, "attribute value")?;
        b.truncate(bytes as usize);
        let value = if ty == NcType::Char {
            let end = b.iter().rposition(|&x| x != 0).map_or(0, |p| p + 1);
            Value::Text(String::from_utf8_lossy(&b[..end]).into_owned())
        } else {
            be_to_le(&mut b, ty.size() as usize);
            Value::Num(ty, b)
        };
        out.push(Attr { name, value });
    }
    Ok(out)
}

/// Parses a classic file: format, root group and storage.
pub fn parse(src: &Source) -> Result<(Format, Group, Vec<Storage>), DecodeError> {
    let lim = Limits::for_file_size(src.len());
    let magic = src.get(0, 4, "classic signature")?;
    let format = match magic.get(3) {
        Some(1) => Format::Classic,
        Some(2) => Format::Offset64,
        Some(5) => Format::Cdf5,
        _ => return unsupported("NetCDF classic version byte", 3),
    };
    let cdf5 = format == Format::Cdf5;
    let mut c = SCur {
        src,
        pos: 4,
        wide: cdf5,
    };
    let numrecs_raw = c.count()?;
    // Dimensions.
    let at = c.pos;
    let tag = c.u32()?;
    let nd = c.count()?;
    if !(tag == 0x0A || (tag == 0 && nd == 0)) {
        return corrupt("expected a dimension list", at);
    }
    if nd > 65536 || nd > src.len() / 8 {
        return limit(format!("{} dimensions", nd), at);
    }
    let mut dims = Vec::with_capacity(nd as usize);
    for _ in 0..nd {
        let name = c.name()?;
        let size = c.count()?;
        dims.push(Dim {
            name,
            size,
            unlimited: size == 0,
        });
    }
    if dims.iter().filter(|d| d.unlimited).count() > 1 {
        return corrupt("more than one unlimited dimension", at);
    }
    let gattrs = attr_list(&mut c, cdf5, &lim)?;
    // Variables.
    let at = c.pos;
    let tag = c.u32()?;
    let nv = c.count()?;
    if !(tag == 0x0B || (tag == 0 && nv == 0)) {
        return corrupt("expected a variable list", at);
    }
    if nv > lim.max_objects as u64 || nv > src.len() / 8 {
        return limit(format!("{} variables", nv), at);
    }
    struct Raw {
        name: String,
        dimids: Vec<usize>,
        attrs: Vec<Attr>,
        ty: NcType,
        begin: u64,
    }
    let mut raws = Vec::with_capacity(nv as usize);
    for _ in 0..nv {
        let name = c.name()?;
        let rat = c.pos;
        let rank = c.count()?;
        if rank > lim.max_rank as u64 {
            return limit(format!("rank {}", rank), rat);
        }
        let mut dimids = Vec::with_capacity(rank as usize);
        for _ in 0..rank {
            let d = c.count()?;
            if d >= dims.len() as u64 {
                return corrupt(format!("dimension id {}", d), c.pos - 4);
            }
            dimids.push(d as usize);
        }
        let attrs = attr_list(&mut c, cdf5, &lim)?;
        let tat = c.pos;
        let ty = nc_type(c.u32()?, cdf5, tat)?;
        let _vsize = c.count()?;
        let begin = if format == Format::Classic {
            c.u32()? as u64
        } else {
            c.u64()?
        };
        raws.push(Raw {
            name,
            dimids,
            attrs,
            ty,
            begin,
        });
    }
    let unlim: Vec<bool> = dims.iter().map(|d| d.unlimited).collect();
    let sizes: Vec<u64> = dims.iter().map(|d| d.size).collect();
    let is_rec = |r: &Raw| r.dimids.first().map_or(false, |&d| unlim[d]);
    let rec_bytes = |r: &Raw| -> Option<u64> {
        r.dimids
            .iter()
            .skip(if is_rec(r) { 1 } else { 0 })
            .try_fold(r.ty.size(), |a, &d| a.checked_mul(sizes[d]))
    };
    let nrec_vars = raws.iter().filter(|r| is_rec(r)).count();
    let mut rec_size = 0u64;
    for r in raws.iter().filter(|r| is_rec(r)) {
        let b = match rec_bytes(r) {
            Some(b) => b,
            None => return limit("record size overflows", c.pos),
        };
        rec_size = rec_size.saturating_add(if nrec_vars == 1 { b } else { (b + 3) / 4 * 4 });
    }
    let numrecs = if numrecs_raw == u32::MAX as u64 || (cdf5 && numrecs_raw == u64::MAX) {
        // Streaming: as many records as the file holds.
        let first = raws
            .iter()
            .filter(|r| is_rec(r))
            .map(|r| r.begin)
            .min()
            .unwrap_or(src.len());
        src.len()
            .saturating_sub(first)
            .checked_div(rec_size)
            .unwrap_or(0)
    } else {
        numrecs_raw
    };
    for d in dims.iter_mut().filter(|d| d.unlimited) {
        d.size = numrecs;
    }
    let mut storage = Vec::with_capacity(raws.len());
    let mut vars = Vec::with_capacity(raws.len());
    for (id, r) in raws.into_iter().enumerate() {
        let shape: Vec<u64> = r.dimids.iter().map(|&d| dims[d].size).collect();
        let rec = is_rec(&r);
        let per = match rec_bytes(&r) {
            Some(b) => b,
            None => return limit("variable size overflows", c.pos),
        };
        let size = if rec {
            per.saturating_mul(numrecs)
        } else {
            per
        };
        storage.push(Storage {
            elem: r.ty.size(),
            be: true,
            strings: StringKind::None,
            shape: shape.clone(),
            place: Place::Contiguous {
                addr: r.begin,
                size,
                rec_size: if rec { rec_size } else { 0 },
            },
            fill: None,
            tree: None,
        });
        vars.push(Var {
            name: r.name,
            ty: r.ty,
            dims: r.dimids.iter().map(|&d| dims[d].name.clone()).collect(),
            shape,
            attrs: r.attrs,
            id,
            array_dims: 0,
            members: Vec::new(),
            bits: None,
        });
    }
    Ok((
        format,
        Group {
            name: "/".into(),
            dims,
            attrs: gattrs,
            vars,
            groups: Vec::new(),
        },
        storage,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be(v: u32) -> [u8; 4] {
        v.to_be_bytes()
    }

    /// A classic name: length, bytes, padding to 4.
    fn name(s: &str) -> Vec<u8> {
        let mut o = be(s.len() as u32).to_vec();
        o.extend(s.as_bytes());
        while o.len() % 4 != 0 {
            o.push(0);
        }
        o
    }

    /// CDF-1 with dims time (unlimited, 2 records) and x = 3, a global
    /// `title = "hi"`, a record variable `t(time)` int with `units = "s"`
    /// and a fixed variable `v(x)` short.
    fn header(numrecs: u32) -> Vec<u8> {
        let mut o = b"CDF\x01".to_vec();
        o.extend(be(numrecs));
        o.extend(be(0x0A));
        o.extend(be(2));
        o.extend(name("time"));
        o.extend(be(0));
        o.extend(name("x"));
        o.extend(be(3));
        o.extend(be(0x0C));
        o.extend(be(1));
        o.extend(name("title"));
        o.extend(be(2)); // char
        o.extend(be(2));
        o.extend(b"hi\0\0");
        o.extend(be(0x0B));
        o.extend(be(2));
        o.extend(name("t"));
        o.extend(be(1));
        o.extend(be(0));
        o.extend(be(0x0C));
        o.extend(be(1));
        o.extend(name("units"));
        o.extend(be(2));
        o.extend(be(1));
        o.extend(b"s\0\0\0");
        o.extend(be(4)); // int
        o.extend(be(4));
        o.extend(be(200));
        o.extend(name("v"));
        o.extend(be(1));
        o.extend(be(1));
        o.extend(be(0));
        o.extend(be(0));
        o.extend(be(3)); // short
        o.extend(be(8));
        o.extend(be(180));
        o.resize(208, 0);
        o
    }

    #[test]
    fn a_classic_header_with_a_record_and_a_fixed_variable() {
        let (format, root, storage) = parse(&Source::from_bytes(header(2))).unwrap();
        assert_eq!(format, Format::Classic);
        let dims: Vec<_> = root
            .dims
            .iter()
            .map(|d| (d.name.as_str(), d.size, d.unlimited))
            .collect();
        assert_eq!(dims, vec![("time", 2, true), ("x", 3, false)]);
        assert_eq!(root.attrs[0].value, Value::Text("hi".into()));
        let t = &root.vars[0];
        assert_eq!(
            (t.name.as_str(), t.ty, t.shape.clone()),
            ("t", NcType::Int, vec![2])
        );
        assert_eq!(t.attrs[0].name, "units");
        // The only record variable: records are its 4 bytes, unpadded.
        assert_eq!(
            storage[0].place,
            Place::Contiguous {
                addr: 200,
                size: 8,
                rec_size: 4
            }
        );
        assert_eq!(
            storage[1].place,
            Place::Contiguous {
                addr: 180,
                size: 6,
                rec_size: 0
            }
        );
        assert!(storage.iter().all(|s| s.be));
    }

    #[test]
    fn a_streaming_header_counts_the_records_the_file_holds() {
        // numrecs all ones: records of 4 bytes from byte 200 to the end (208).
        let (_, root, _) = parse(&Source::from_bytes(header(u32::MAX))).unwrap();
        assert_eq!(root.dims[0].size, 2);
    }

    #[test]
    fn headers_that_lie_are_typed_errors() {
        let mut h = header(2);
        h[3] = 3;
        assert!(matches!(
            parse(&Source::from_bytes(h)),
            Err(DecodeError::Unsupported { byte_offset: 3, .. })
        ));
        // The second dimension unlimited too.
        let mut h = header(2);
        h[36..40].copy_from_slice(&be(0));
        assert!(matches!(
            parse(&Source::from_bytes(h)),
            Err(DecodeError::Corrupt { .. })
        ));
        // A variable on dimension 7 of 2.
        let mut h = header(2);
        h[152..156].copy_from_slice(&be(7));
        assert!(matches!(
            parse(&Source::from_bytes(h)),
            Err(DecodeError::Corrupt {
                byte_offset: 152,
                ..
            })
        ));
        // Cut in the middle of the variable list.
        let h = header(2)[..120].to_vec();
        assert!(matches!(
            parse(&Source::from_bytes(h)),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn be_to_le_reverses_each_element() {
        let mut b = [1u8, 2, 3, 4, 5, 6, 7, 8];
        be_to_le(&mut b, 4);
        assert_eq!(b, [4, 3, 2, 1, 8, 7, 6, 5]);
        be_to_le(&mut b, 1);
        assert_eq!(b, [4, 3, 2, 1, 8, 7, 6, 5]);
    }
}
