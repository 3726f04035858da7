//! Chunk indices: every chunk of a chunked dataset, whatever the index
//! (v1 B-tree, single chunk, implicit, fixed array, extensible array, v2
//! B-tree).

use super::btree::{v1_chunks, v2_records, ChunkRec};
use super::io::{corrupt, limit, log2, unsupported, Cur, UNDEF};
use super::messages::ChunkIndex;
use super::Hdf5;
use crate::DecodeError;

/// What the chunk lookup needs to know about a dataset.
pub struct ChunkedDataset<'a> {
    /// Current dimension sizes.
    pub dims: &'a [u64],
    /// Maximum sizes (`u64::MAX`: unlimited), when known.
    pub max: Option<&'a [u64]>,
    /// Chunk dimensions.
    pub chunk: &'a [u64],
    /// Bytes per element.
    pub elem: u64,
    /// Whether the dataset has a filter pipeline.
    pub filtered: bool,
}

impl ChunkedDataset<'_> {
    fn chunk_bytes(&self) -> u64 {
        self.chunk
            .iter()
            .fold(self.elem, |a, &d| a.saturating_mul(d))
    }

    fn grid(&self, dims_from_max: bool) -> Vec<u64> {
        (0..self.dims.len())
            .map(|i| {
                let mut d = self.dims[i];
                if dims_from_max {
                    if let Some(m) = self.max.and_then(|m| m.get(i)) {
                        if *m != u64::MAX {
                            d = *m;
                        }
                    }
                }
                let c = self.chunk.get(i).copied().unwrap_or(1).max(1);
                (d + c - 1) / c
            })
            .collect()
    }

    /// Whether a chunk at `scaled` lies inside the current extent.
    fn inside(&self, scaled: &[u64]) -> bool {
        scaled
            .iter()
            .zip(self.dims)
            .zip(self.chunk)
            .all(|((&s, &d), &c)| s.saturating_mul(c) < d)
    }

    fn rec(&self, scaled: &[u64], addr: u64, size: u64, mask: u32) -> ChunkRec {
        let mut offset = [0u64; 33];
        for (i, &s) in scaled.iter().enumerate().take(32) {
            offset[i] = s.saturating_mul(self.chunk.get(i).copied().unwrap_or(1));
        }
        ChunkRec {
            offset,
            addr,
            size,
            mask,
        }
    }
}

fn unlinear(mut idx: u64, grid: &[u64], out: &mut [u64]) {
    for i in (0..grid.len()).rev() {
        let g = grid[i].max(1);
        out[i] = idx % g;
        idx /= g;
    }
}

/// Every allocated chunk of a dataset.
pub fn chunk_list(
    h: &Hdf5,
    ds: &ChunkedDataset,
    index: &ChunkIndex,
    addr: u64,
) -> Result<Vec<ChunkRec>, DecodeError> {
    let rank = ds.dims.len();
    if addr == UNDEF {
        return Ok(Vec::new());
    }
    let at = h.abs(addr, 0)?;
    let cb = ds.chunk_bytes();
    let list = match index {
        ChunkIndex::BtreeV1 => v1_chunks(h, addr, rank)?,
        ChunkIndex::Single(f) => {
            let (size, mask) = f.unwrap_or((cb, 0));
            vec![ds.rec(&vec![0; rank], addr, size, mask)]
        }
        ChunkIndex::Implicit => {
            let grid = ds.grid(true);
            let n = grid.iter().try_fold(1u64, |a, &g| a.checked_mul(g));
            let n = match n {
                Some(n) if n <= h.limits.max_nodes as u64 => n,
                _ => return limit("implicit chunk index size", at),
            };
            let mut s = vec![0; rank];
            let mut out = Vec::new();
            for i in 0..n {
                unlinear(i, &grid, &mut s);
                if ds.inside(&s) {
                    out.push(ds.rec(&s, addr.saturating_add(i.saturating_mul(cb)), cb, 0));
                }
            }
            out
        }
        ChunkIndex::FixedArray => fixed_array(h, ds, addr)?,
        ChunkIndex::ExtensibleArray => extensible_array(h, ds, addr)?,
        ChunkIndex::BtreeV2 => {
            let mut out = Vec::new();
            let mut s = vec![0; rank];
            for r in v2_records(h, addr)? {
                let mut c = Cur::new(&r, at);
                let a = h.addr(&mut c)?;
                let (size, mask) = if ds.filtered {
                    let w = r
                        .len()
                        .checked_sub(h.g.so + 4 + 8 * rank)
                        .filter(|w| (1..=8).contains(w));
                    let w = match w {
                        Some(w) => w,
                        None => return corrupt("v2 B-tree chunk record size", at),
                    };
                    (c.uint(w)?, c.u32()?)
                } else {
                    (cb, 0)
                };
                for v in s.iter_mut() {
                    *v = c.u64()?;
                }
                if a != UNDEF {
                    out.push(ds.rec(&s, a, size, mask));
                }
            }
            out
        }
    };
    refuse_overlaps(&list, at)?;
    Ok(list)
}

/// Refuses chunk records whose bytes overlap in the file: libhdf5 never
/// writes them, and many records pointing at one small stream would make
/// one read decode it again and again (a 70 KB file inflating 256 GiB).
fn refuse_overlaps(list: &[ChunkRec], at: u64) -> Result<(), DecodeError> {
    let mut spans: Vec<(u64, u64)> = list
        .iter()
        .filter(|c| c.size > 0)
        .map(|c| (c.addr, c.addr.saturating_add(c.size)))
        .collect();
    spans.sort_unstable();
    if spans.windows(2).any(|w| w[1].0 < w[0].1) {
        return corrupt("chunk records that overlap in the file", at);
    }
    Ok(())
}

fn element(
    h: &Hdf5,
    ds: &ChunkedDataset,
    c: &mut Cur,
    esize: usize,
) -> Result<(u64, u64, u32), DecodeError> {
    let a = h.addr(c)?;
    if ds.filtered {
        let w = esize.saturating_sub(h.g.so + 4);
        let size = c.uint(w)?;
        let mask = c.u32()?;
        Ok((a, size, mask))
    } else {
        c.skip(esize.saturating_sub(h.g.so))?;
        Ok((a, ds.chunk_bytes(), 0))
    }
}

fn fixed_array(h: &Hdf5, ds: &ChunkedDataset, a: u64) -> Result<Vec<ChunkRec>, DecodeError> {
    let at = h.abs(a, 0)?;
    let b = h.read(
        a,
        4 + 4 + (h.g.sl + h.g.so) as u64 + 4,
        "fixed array header",
    )?;
    let mut c = Cur::new(&b, at);
    c.magic(b"FAHD", "fixed array header")?;
    c.skip(2)?;
    let esize = c.u8()? as usize;
    let page_bits = c.u8()? as u32;
    let n = h.length(&mut c)?;
    let db = h.addr(&mut c)?;
    if esize < h.g.so || page_bits > 31 || n > h.limits.max_nodes as u64 {
        return corrupt("fixed array parameters", at);
    }
    if db == UNDEF {
        return Ok(Vec::new());
    }
    let grid = ds.grid(true);
    let page = 1u64 << page_bits;
    let prefix = 4 + 2 + h.g.so as u64;
    let mut entries: Vec<(u64, u64, u32)> = Vec::with_capacity(n as usize);
    if n > page {
        let npages = (n + page - 1) / page;
        let bitmap = (npages + 7) / 8;
        let mut off = prefix + bitmap + 4;
        for p in 0..npages {
            let k = page.min(n - p * page);
            let bytes = h.read(db.saturating_add(off), k * esize as u64, "fixed array page")?;
            let mut c = Cur::new(&bytes, h.abs(db, 0)? + off);
            for _ in 0..k {
                entries.push(element(h, ds, &mut c, esize)?);
            }
            off += k * esize as u64 + 4;
        }
    } else {
        let bytes = h.read(db, prefix + n * esize as u64, "fixed array data block")?;
        let mut c = Cur::new(&bytes, h.abs(db, 0)?);
        c.magic(b"FADB", "fixed array data block")?;
        c.seek(prefix as usize)?;
        for _ in 0..n {
            entries.push(element(h, ds, &mut c, esize)?);
        }
    }
    let mut s = vec![0; ds.dims.len()];
    let mut out = Vec::new();
    for (i, (ea, size, mask)) in entries.into_iter().enumerate() {
        if ea == UNDEF {
            continue;
        }
        unlinear(i as u64, &grid, &mut s);
        if ds.inside(&s) {
            out.push(ds.rec(&s, ea, size, mask));
        }
    }
    Ok(out)
}

fn extensible_array(h: &Hdf5, ds: &ChunkedDataset, a: u64) -> Result<Vec<ChunkRec>, DecodeError> {
    let at = h.abs(a, 0)?;
    let b = h.read(
        a,
        12 + 6 * h.g.sl as u64 + h.g.so as u64 + 4,
        "extensible array header",
    )?;
    let mut c = Cur::new(&b, at);
    c.magic(b"EAHD", "extensible array header")?;
    c.skip(2)?;
    let esize = c.u8()? as u64;
    let max_bits = c.u8()? as u32;
    let iblk_elmts = c.u8()? as u64;
    let dblk_min = c.u8()? as u64;
    let sblk_min_ptrs = c.u8()? as u64;
    let page_bits = c.u8()? as u32;
    c.skip(4 * h.g.sl)?;
    let max_idx = h.length(&mut c)?;
    c.skip(h.g.sl)?;
    let iblock = h.addr(&mut c)?;
    if esize < h.g.so as u64
        || max_bits == 0
        || max_bits > 64
        || !dblk_min.is_power_of_two()
        || !sblk_min_ptrs.is_power_of_two()
        || page_bits > 31
        || log2(dblk_min) > max_bits
    {
        return corrupt("extensible array parameters", at);
    }
    if max_idx > h.limits.max_nodes as u64 {
        return limit("extensible array size", at);
    }
    if iblock == UNDEF {
        return Ok(Vec::new());
    }
    let nsblks = 1 + (max_bits - log2(dblk_min)) as u64;
    let iblk_sblks = 2 * log2(sblk_min_ptrs) as u64;
    let ndblk_addrs = 2 * (sblk_min_ptrs - 1);
    let nsblk_addrs = nsblks.saturating_sub(iblk_sblks);
    let off_size = ((max_bits + 7) / 8) as u64;
    let so = h.g.so as u64;
    let ib_size = 4 + 2 + so + iblk_elmts * esize + (ndblk_addrs + nsblk_addrs) * so;
    let ib = h.read(iblock, ib_size, "extensible array index block")?;
    let mut c = Cur::new(&ib, h.abs(iblock, 0)?);
    c.magic(b"EAIB", "extensible array index block")?;
    c.skip(2 + so as usize)?;
    let mut entries: Vec<(u64, u64, u32)> = Vec::new();
    for _ in 0..iblk_elmts {
        entries.push(element(h, ds, &mut c, esize as usize)?);
    }
    let mut dblk_addrs = Vec::with_capacity(ndblk_addrs as usize);
    for _ in 0..ndblk_addrs {
        dblk_addrs.push(h.addr(&mut c)?);
    }
    let mut sblk_addrs = Vec::with_capacity(nsblk_addrs as usize);
    for _ in 0..nsblk_addrs {
        sblk_addrs.push(h.addr(&mut c)?);
    }
    let page = 1u64 << page_bits;
    let mut next = iblk_elmts;
    let mut dblk_no = 0usize;
    'outer: for u in 0..nsblks {
        if next >= max_idx {
            break;
        }
        let ndblks = 1u64 << (u / 2);
        let dn = (1u64 << ((u + 1) / 2)).saturating_mul(dblk_min);
        let paged = dn > page;
        let addrs: Vec<u64> = if u < iblk_sblks {
            let v = dblk_addrs
                .get(dblk_no..(dblk_no + ndblks as usize).min(dblk_addrs.len()))
                .unwrap_or(&[])
                .to_vec();
            dblk_no += ndblks as usize;
            v
        } else {
            let sa = match sblk_addrs.get((u - iblk_sblks) as usize) {
                Some(&x) => x,
                None => break,
            };
            if sa == UNDEF {
                vec![UNDEF; ndblks as usize]
            } else {
                let npages = if paged { dn / page } else { 0 };
                let bitmap = if paged {
                    ndblks * ((npages + 7) / 8)
                } else {
                    0
                };
                let pre = 4 + 2 + so + off_size + bitmap;
                let sb = h.read(sa, pre + ndblks * so, "extensible array secondary block")?;
                let mut c = Cur::new(&sb, h.abs(sa, 0)?);
                c.magic(b"EASB", "extensible array secondary block")?;
                c.seek(pre as usize)?;
                let mut v = Vec::with_capacity(ndblks as usize);
                for _ in 0..ndblks {
                    v.push(h.addr(&mut c)?);
                }
                v
            }
        };
        for da in addrs {
            if next >= max_idx {
                break 'outer;
            }
            let take = dn.min(max_idx - next);
            if da == UNDEF {
                entries.extend(std::iter::repeat((UNDEF, 0, 0)).take(take as usize));
            } else {
                let pre = 4 + 2 + so + off_size;
                if paged {
                    let mut off = pre + 4;
                    let mut left = take;
                    while left > 0 {
                        let k = page.min(left);
                        let bytes =
                            h.read(da.saturating_add(off), k * esize, "extensible array page")?;
                        let mut c = Cur::new(&bytes, h.abs(da, 0)? + off);
                        for _ in 0..k {
                            entries.push(element(h, ds, &mut c, esize as usize)?);
                        }
                        off += page * esize + 4;
                        left -= k;
                    }
                } else {
                    let bytes = h.read(da, pre + take * esize, "extensible array data block")?;
                    let mut c = Cur::new(&bytes, h.abs(da, 0)?);
                    c.magic(b"EADB", "extensible array data block")?;
                    c.seek(pre as usize)?;
                    for _ in 0..take {
                        entries.push(element(h, ds, &mut c, esize as usize)?);
                    }
                }
            }
            next += dn;
        }
    }
    // Linear index: the unlimited dimension first, the others by max size.
    let rank = ds.dims.len();
    let unlim = ds
        .max
        .and_then(|m| m.iter().position(|&x| x == u64::MAX))
        .unwrap_or(0);
    let full = ds.grid(true);
    let mut grid = Vec::with_capacity(rank);
    grid.push(u64::MAX);
    for (i, &g) in full.iter().enumerate() {
        if i != unlim {
            grid.push(g);
        }
    }
    let mut sw = vec![0; rank];
    let mut s = vec![0; rank];
    let mut out = Vec::new();
    for (i, (ea, size, mask)) in entries.into_iter().enumerate() {
        if ea == UNDEF {
            continue;
        }
        if rank == 0 {
            return unsupported("extensible array index on a scalar", at);
        }
        unlinear(i as u64, &grid, &mut sw);
        // Un-swizzle: sw[0] is the unlimited dimension.
        let mut k = 1;
        for (d, v) in s.iter_mut().enumerate() {
            if d == unlim {
                *v = sw[0];
            } else {
                *v = sw[k];
                k += 1;
            }
        }
        if ds.inside(&s) {
            out.push(ds.rec(&s, ea, size, mask));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(addr: u64, size: u64) -> ChunkRec {
        ChunkRec {
            offset: [0; 33],
            addr,
            size,
            mask: 0,
        }
    }

    #[test]
    fn overlapping_chunk_records_are_refused() {
        assert!(refuse_overlaps(&[rec(100, 50), rec(150, 10), rec(0, 100)], 0).is_ok());
        assert!(refuse_overlaps(&[rec(100, 50), rec(100, 50)], 0).is_err());
        assert!(refuse_overlaps(&[rec(160, 10), rec(100, 61)], 0).is_err());
        assert!(refuse_overlaps(&[rec(100, 0), rec(100, 10)], 0).is_ok());
    }
}
