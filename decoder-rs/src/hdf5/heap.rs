//! Heaps: the local heap of old-style groups (link names) and the fractal
//! heap (dense links and attributes); the global heap (variable-length data)
//! is read by [`super::values`].

use super::io::{corrupt, limit, log2, unsupported, Cur, UNDEF};
use super::Hdf5;
use crate::DecodeError;

/// Reads the data segment of the local heap at `a`.
pub fn local_heap(h: &Hdf5, a: u64) -> Result<Vec<u8>, DecodeError> {
    let hdr = h.read_upto(a, 8 + 3 * 8, "local heap")?;
    let mut c = Cur::new(&hdr, h.abs(a, 0)?);
    c.magic(b"HEAP", "local heap")?;
    c.skip(4)?;
    let size = h.length(&mut c)?;
    let _free = h.length(&mut c)?;
    let data = h.addr(&mut c)?;
    if size > h.src.len() {
        return corrupt("local heap larger than the file", c.at());
    }
    Ok(h.read(data, size, "local heap data")?.into_owned())
}

/// The NUL-terminated string at `off` in a local heap segment.
pub fn heap_string(heap: &[u8], off: u64, at: u64) -> Result<String, DecodeError> {
    let s = match heap.get(off as usize..) {
        Some(s) if off <= usize::MAX as u64 => s,
        _ => return corrupt("link name outside the local heap", at),
    };
    let end = s.iter().position(|&x| x == 0).unwrap_or(s.len());
    Ok(String::from_utf8_lossy(&s[..end]).into_owned())
}

struct Fractal {
    at: u64,
    id_len: usize,
    huge_tree: u64,
    filtered: bool,
    width: u64,
    start: u64,
    max_direct: u64,
    off_bytes: usize,
    len_bytes: usize,
    root: u64,
    root_rows: u64,
    checksummed: bool,
}

fn fractal_header(h: &Hdf5, a: u64) -> Result<Fractal, DecodeError> {
    let at = h.abs(a, 0)?;
    let b = h.read_upto(a, 256, "fractal heap header")?;
    let mut c = Cur::new(&b, at);
    c.magic(b"FRHP", "fractal heap")?;
    c.skip(1)?;
    let id_len = c.u16()? as usize;
    let filter_len = c.u16()?;
    let flags = c.u8()?;
    let max_man = c.u32()? as u64;
    c.skip(h.g.sl)?; // next huge id
    let huge_tree = h.addr(&mut c)?;
    c.skip(h.g.sl)?;
    h.addr(&mut c)?; // free space manager
    c.skip(8 * h.g.sl)?;
    let width = c.u16()? as u64;
    let start = h.length(&mut c)?;
    let max_direct = h.length(&mut c)?;
    let max_bits = c.u16()? as u64;
    let _start_rows = c.u16()?;
    let root = h.addr(&mut c)?;
    let root_rows = c.u16()? as u64;
    if width == 0
        || width > 65536
        || !start.is_power_of_two()
        || !max_direct.is_power_of_two()
        || max_direct < start
        || max_bits == 0
        || max_bits > 64
    {
        return corrupt("fractal heap parameters", at);
    }
    let off_bytes = ((max_bits + 7) / 8) as usize;
    let len_bytes = (((log2(max_direct) + 7) / 8) as usize).min(super::io::enc_size(max_man));
    Ok(Fractal {
        at,
        id_len,
        huge_tree,
        filtered: filter_len > 0,
        width,
        start,
        max_direct,
        off_bytes,
        len_bytes,
        root,
        root_rows,
        checksummed: flags & 2 != 0,
    })
}

/// A huge object: one stored outside the heap's blocks (netCDF-C's long
/// attributes in dense storage, `_NCProperties` or a long `history`). Its
/// ID holds the object's address and length when they fit, else a key into
/// the heap's huge-object v2 B-tree (records: address, length, key).
fn huge_object(h: &Hdf5, f: &Fractal, c: &mut Cur) -> Result<Vec<u8>, DecodeError> {
    if f.filtered {
        return unsupported("filtered huge fractal heap objects", f.at);
    }
    let (so, sl) = (h.g.so, h.g.sl);
    let (addr, len) = if f.id_len >= 1 + so + sl {
        (h.addr(c)?, h.length(c)?)
    } else {
        let key_len = (f.id_len - 1).min(8);
        let key = c.uint(key_len)?;
        let mut found = None;
        for rec in super::btree::v2_records(h, f.huge_tree)? {
            let mut r = Cur::new(&rec, f.at);
            let a = h.addr(&mut r)?;
            let n = h.length(&mut r)?;
            let id = r.uint(sl)?;
            if id == key {
                found = Some((a, n));
                break;
            }
        }
        match found {
            Some(x) => x,
            None => return corrupt(format!("huge fractal heap object {} not found", key), f.at),
        }
    };
    if len > h.limits.max_decoded || len > h.src.len() {
        return limit("huge fractal heap object size", f.at);
    }
    Ok(h.read(addr, len, "huge fractal heap object")?.into_owned())
}

/// The object a fractal heap ID names (managed, tiny or huge objects).
pub fn fractal_object(h: &Hdf5, heap: u64, id: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let f = fractal_header(h, heap)?;
    let mut c = Cur::new(id, f.at);
    let b0 = c.u8()?;
    match (b0 >> 4) & 3 {
        0 => {}
        2 => {
            // Tiny object: length in the low bits, data inline.
            let n = if f.id_len <= 18 {
                (b0 & 15) as usize + 1
            } else {
                (((b0 & 15) as usize) << 8 | c.u8()? as usize) + 1
            };
            return Ok(c.bytes(n)?.to_vec());
        }
        1 => return huge_object(h, &f, &mut c),
        _ => return corrupt("fractal heap ID type", f.at),
    }
    if f.filtered {
        return unsupported("filtered fractal heap", f.at);
    }
    let off = c.uint(f.off_bytes)?;
    let len = c.uint(f.len_bytes)?;
    if len > f.max_direct {
        return corrupt("fractal heap object larger than a block", f.at);
    }
    // Descend from the root to the direct block holding `off`.
    let mut block = f.root;
    let mut rows = f.root_rows;
    let mut block_off = 0u64;
    let mut depth = 0;
    while rows > 0 {
        depth += 1;
        if depth > 32 || block == UNDEF {
            return corrupt("fractal heap indirect blocks", f.at);
        }
        let rel = off - block_off;
        // Row r >= 1 starts at width * start * 2^(r-1).
        let row_block = |r: u64| -> u64 {
            if r == 0 {
                f.start
            } else {
                f.start << (r - 1)
            }
        };
        let mut r = 0u64;
        let mut row_start = 0u64;
        loop {
            let size = row_block(r);
            let span = size.saturating_mul(f.width);
            if rel < row_start.saturating_add(span) {
                break;
            }
            row_start = row_start.saturating_add(span);
            r += 1;
            if r >= rows {
                return corrupt("fractal heap offset outside the heap", f.at);
            }
        }
        let size = row_block(r);
        let col = (rel - row_start) / size;
        let max_direct_rows = log2(f.max_direct / f.start) as u64 + 2;
        let direct_rows = rows.min(max_direct_rows);
        let entry = r * f.width + col;
        // Entry addresses: direct entries then indirect entries, all addresses.
        let hdr = 4 + 1 + h.g.so as u64 + f.off_bytes as u64;
        let eat = hdr + entry * h.g.so as u64;
        let e = h.read(block, eat + h.g.so as u64, "fractal heap indirect block")?;
        let mut ec = Cur::new(&e, h.abs(block, 0)?);
        ec.magic(b"FHIB", "fractal heap indirect block")?;
        ec.seek(eat as usize)?;
        let child = h.addr(&mut ec)?;
        block_off += row_start + col * size;
        block = child;
        if r < direct_rows {
            rows = 0;
        } else {
            // An indirect child of `size` bytes has rows up to that size.
            rows = log2(size) as u64 - log2(f.start * f.width) as u64 + 1;
        }
    }
    if block == UNDEF {
        return corrupt("fractal heap object in an unallocated block", f.at);
    }
    let _ = f.checksummed;
    let pos = off - block_off;
    if pos < 5 + h.g.so as u64 + f.off_bytes as u64 {
        return corrupt("fractal heap object inside a block header", f.at);
    }
    let data = h.read(block, pos + len, "fractal heap direct block")?;
    let mut dc = Cur::new(&data, h.abs(block, 0)?);
    dc.magic(b"FHDB", "fractal heap direct block")?;
    dc.seek(pos as usize)?;
    if len > h.limits.max_decoded {
        return limit("fractal heap object size", f.at);
    }
    Ok(dc.bytes(len as usize)?.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_strings_end_at_nul_or_at_the_heap() {
        let heap = b"\0lat\0lon";
        assert_eq!(heap_string(heap, 1, 0).unwrap(), "lat");
        assert_eq!(heap_string(heap, 5, 0).unwrap(), "lon");
        assert_eq!(heap_string(heap, 0, 0).unwrap(), "");
        assert!(matches!(
            heap_string(heap, 9, 77),
            Err(DecodeError::Corrupt {
                byte_offset: 77,
                ..
            })
        ));
    }
}
