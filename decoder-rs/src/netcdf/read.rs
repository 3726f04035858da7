//! Reading values natively (tests, fuzzing, and the in-wasm path): the
//! same steps the TypeScript side takes, with the in-crate inflate.

use super::{NcFile, Place, Storage};
use crate::hdf5::io::{corrupt, limit, unsupported, Source};
use crate::hdf5::messages::Filter;
use crate::inflate::zlib_decompress;
use crate::DecodeError;

/// Undoes the HDF5 shuffle filter: `out[i*w + k] = data[k*n + i]`.
pub fn unshuffle(data: &[u8], width: usize) -> Vec<u8> {
    if width <= 1 || data.len() < width {
        return data.to_vec();
    }
    let n = data.len() / width;
    let mut out = vec![0u8; data.len()];
    for k in 0..width {
        let plane = &data[k * n..(k + 1) * n];
        for (i, &b) in plane.iter().enumerate() {
            out[i * width + k] = b;
        }
    }
    // Trailing bytes that do not fill an element stay in place.
    let tail = n * width;
    out[tail..].copy_from_slice(&data[tail..]);
    out
}

/// Fletcher-32 as HDF5 computes it (16-bit big-endian words; odd last byte
/// padded).
pub fn fletcher32(data: &[u8]) -> u32 {
    let (mut s1, mut s2) = (0u32, 0u32);
    let mut words = data.chunks(2);
    loop {
        let mut k = 0;
        for w in words.by_ref().take(360) {
            let v = if w.len() == 2 {
                ((w[0] as u32) << 8) | w[1] as u32
            } else {
                (w[0] as u32) << 8
            };
            s1 += v;
            s2 += s1;
            k += 1;
        }
        s1 = (s1 & 0xffff) + (s1 >> 16);
        s2 = (s2 & 0xffff) + (s2 >> 16);
        if k < 360 {
            break;
        }
    }
    s1 = (s1 & 0xffff) + (s1 >> 16);
    s2 = (s2 & 0xffff) + (s2 >> 16);
    (s2 << 16) | s1
}

/// Runs the filter pipeline backwards over one stored chunk; `expect` is
/// the chunk's declared size in bytes, `max` caps what any filter may
/// produce.
pub fn unfilter(
    raw: &[u8],
    filters: &[Filter],
    mask: u32,
    elem: usize,
    expect: usize,
    max: u64,
    at: u64,
) -> Result<Vec<u8>, DecodeError> {
    let mut data = raw.to_vec();
    for (i, f) in filters.iter().enumerate().rev() {
        if mask & (1 << i) != 0 {
            continue;
        }
        data = unfilter_one(&data, f.id, &f.params, elem, expect, max, at)?;
    }
    Ok(data)
}

/// Undoes one filter of a pipeline (see [`unfilter`]).
pub fn unfilter_one(
    data: &[u8],
    id: u16,
    params: &[u32],
    elem: usize,
    expect: usize,
    max: u64,
    at: u64,
) -> Result<Vec<u8>, DecodeError> {
    let max = max.min(usize::MAX as u64) as usize;
    Ok(match id {
        1 => zlib_decompress(data, expect, max, at)?,
        2 => unshuffle(data, elem),
        3 => {
            if data.len() < 4 {
                return corrupt("chunk shorter than its Fletcher-32 checksum", at);
            }
            let n = data.len() - 4;
            let want = u32::from_le_bytes([data[n], data[n + 1], data[n + 2], data[n + 3]]);
            if fletcher32(&data[..n]) != want && fletcher32(&data[..n]).swap_bytes() != want {
                return corrupt("Fletcher-32 checksum mismatch", at);
            }
            data[..n].to_vec()
        }
        4 => crate::filters::szip::decode(data, params, max, at)?,
        5 => crate::filters::nbit::decode(data, params, max, at)?,
        6 => crate::filters::scaleoffset::decode(data, params, max, at)?,
        307 => crate::filters::streams::bzip2(data, max, at)?,
        32000 => match crate::filters::blosc::lzf(data, expect.min(max)) {
            Some(d) => d,
            None => return corrupt("LZF chunk does not decode to its size", at),
        },
        32001 => crate::filters::blosc::decode(data, max, at)?,
        32015 => crate::filters::streams::zstd(data, max, at)?,
        x => return unsupported(format!("HDF5 filter {}", x), at),
    })
}

/// Copies the box `count` at `from` of a C-order array of `shape` (`src`)
/// into a C-order array of shape `dshape` at `to` (`dst`), `elem` bytes each.
#[allow(clippy::too_many_arguments)]
pub fn copy_box(
    src: &[u8],
    shape: &[u64],
    from: &[u64],
    dst: &mut [u8],
    dshape: &[u64],
    to: &[u64],
    count: &[u64],
    elem: usize,
) {
    let rank = shape.len();
    if count.contains(&0) {
        return;
    }
    if rank == 0 {
        let n = elem.min(src.len()).min(dst.len());
        dst[..n].copy_from_slice(&src[..n]);
        return;
    }
    let row = count[rank - 1] as usize * elem;
    let mut idx = vec![0u64; rank];
    loop {
        let mut s = 0u64;
        let mut d = 0u64;
        for i in 0..rank {
            s = s * shape[i] + from[i] + idx[i];
            d = d * dshape[i] + to[i] + idx[i];
        }
        let s = s as usize * elem;
        let d = d as usize * elem;
        if let (Some(a), Some(b)) = (src.get(s..s + row), dst.get_mut(d..d + row)) {
            b.copy_from_slice(a);
        }
        // Next row.
        let mut k = rank - 1;
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            idx[k] += 1;
            if idx[k] < count[k] {
                break;
            }
            idx[k] = 0;
        }
    }
}

fn to_le(b: &mut [u8], st: &Storage) {
    if st.be {
        super::classic::be_to_le(b, st.elem as usize);
    }
}

/// Reads the box `start`/`count` of variable `id` as little-endian bytes
/// (raw element bytes for strings).
pub fn read_box(
    f: &mut NcFile,
    src: &Source,
    id: usize,
    start: &[u64],
    count: &[u64],
    max_bytes: u64,
) -> Result<Vec<u8>, DecodeError> {
    let st = match f.storage.get(id) {
        Some(s) => s.clone(),
        None => return Err(DecodeError::InvalidArgument("no such variable".into())),
    };
    let rank = st.shape.len();
    if start.len() != rank || count.len() != rank {
        return Err(DecodeError::InvalidArgument("start/count rank".into()));
    }
    for i in 0..rank {
        if start[i]
            .checked_add(count[i])
            .map_or(true, |e| e > st.shape[i])
        {
            return Err(DecodeError::InvalidArgument(
                "box outside the variable".into(),
            ));
        }
    }
    let elem = st.elem as usize;
    let n = count.iter().try_fold(st.elem, |a, &c| a.checked_mul(c));
    let n = match n {
        Some(n) if n <= max_bytes => n as usize,
        _ => return limit("read larger than the limit", 0),
    };
    let mut out = vec![0u8; n];
    if let Some(fill) = &st.fill {
        for c in out.chunks_exact_mut(elem) {
            c.copy_from_slice(fill);
        }
    }
    let zero = vec![0u64; rank];
    match &st.place {
        Place::Empty => {}
        Place::Compact(b) => {
            let need = st.shape.iter().product::<u64>() * st.elem;
            if (b.len() as u64) < need {
                return corrupt("compact data shorter than the dataspace", 0);
            }
            copy_box(b, &st.shape, start, &mut out, count, &zero, count, elem);
        }
        Place::Contiguous {
            addr,
            size,
            rec_size,
        } => {
            if *rec_size == 0 {
                let need = st.shape.iter().product::<u64>() * st.elem;
                if *size < need {
                    return corrupt("contiguous data shorter than the dataspace", *addr);
                }
                let b = src.get(*addr, need, "variable data")?;
                copy_box(&b, &st.shape, start, &mut out, count, &zero, count, elem);
            } else {
                let per: u64 = st.shape[1..].iter().product::<u64>() * st.elem;
                let mut sub = count.to_vec();
                sub[0] = 1;
                for r in 0..count[0] {
                    let rec = start[0] + r;
                    let at = addr.saturating_add(rec.saturating_mul(*rec_size));
                    let b = src.get(at, per, "record data")?;
                    let mut to = zero.clone();
                    to[0] = r;
                    let mut from = start.to_vec();
                    from[0] = 0;
                    let mut shp = st.shape.clone();
                    shp[0] = 1;
                    copy_box(&b, &shp, &from, &mut out, count, &to, &sub, elem);
                }
            }
        }
        Place::Chunked { chunk, filters, .. } => {
            let chunk = chunk.clone();
            let filters = filters.clone();
            let cbytes = chunk.iter().product::<u64>() * st.elem;
            let lim = crate::hdf5::io::Limits::for_file_size(src.len());
            if cbytes > lim.max_decoded {
                return limit("chunk size", 0);
            }
            for c in f.chunks(src, id, start, count)? {
                let raw = src.get(c.addr, c.size, "chunk")?;
                let data = if filters.is_empty() {
                    raw.into_owned()
                } else {
                    unfilter(
                        &raw,
                        &filters,
                        c.mask,
                        elem,
                        cbytes as usize,
                        cbytes,
                        c.addr,
                    )?
                };
                if (data.len() as u64) < cbytes {
                    return corrupt("chunk shorter than its dimensions", c.addr);
                }
                let mut from = vec![0u64; rank];
                let mut to = vec![0u64; rank];
                let mut cnt = vec![0u64; rank];
                for i in 0..rank {
                    let lo = c.offset[i].max(start[i]);
                    let hi = (c.offset[i] + chunk[i]).min(start[i] + count[i]);
                    from[i] = lo - c.offset[i];
                    to[i] = lo - start[i];
                    cnt[i] = hi.saturating_sub(lo);
                }
                copy_box(&data, &chunk, &from, &mut out, count, &to, &cnt, elem);
            }
        }
    }
    to_le(&mut out, &st);
    Ok(out)
}
