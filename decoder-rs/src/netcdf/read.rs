//! The HDF5 filters undone in wasm (shuffle, Fletcher-32, deflate through
//! the crate's own inflate where the runtime has no native zlib, szip, N-bit,
//! scale-offset, bzip2, LZF, Blosc, zstd). Values are assembled by one
//! hyperslab reader in TypeScript (`src/netcdf.ts`): the crate parses
//! metadata, lists chunks and undoes filters one chunk at a time.

use crate::hdf5::io::{corrupt, unsupported};
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

/// Whether `stored` (the little-endian word after the data) is the data's
/// checksum as libhdf5 accepts it: the checksum, or the checksum with the
/// bytes of each 16-bit half swapped, which HDF5 1.6.2 and earlier wrote on
/// little-endian machines. A fully byte-reversed checksum is refused, as
/// libhdf5 refuses it.
pub fn fletcher32_matches(data: &[u8], stored: u32) -> bool {
    let sum = fletcher32(data);
    let half_swapped = ((sum & 0x00ff_00ff) << 8) | ((sum >> 8) & 0x00ff_00ff);
    stored == sum || stored == half_swapped
}

#[cfg(test)]
mod fletcher32_tests {
    use super::*;

    #[test]
    fn accepts_the_half_swapped_checksum_of_hdf5_1_6_2_and_refuses_the_reversed_one() {
        let data: Vec<u8> = (0..1001u32).map(|i| (i * 37 + 11) as u8).collect();
        let sum = fletcher32(&data);
        let half = ((sum & 0x00ff_00ff) << 8) | ((sum >> 8) & 0x00ff_00ff);
        assert_ne!(half, sum);
        assert_ne!(sum.swap_bytes(), sum);
        assert_ne!(sum.swap_bytes(), half);
        let filters = [Filter {
            id: 3,
            flags: 0,
            params: vec![],
        }];
        let with = |stored: u32| {
            let mut raw = data.clone();
            raw.extend_from_slice(&stored.to_le_bytes());
            unfilter(&raw, &filters, 0, 1, data.len(), 1 << 20, 0)
        };
        assert_eq!(with(sum).unwrap(), data);
        assert_eq!(with(half).unwrap(), data);
        assert!(with(sum.swap_bytes()).is_err());
        assert!(with(sum ^ 1).is_err());
    }
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
#[cfg_attr(
    not(all(
        feature = "szip",
        feature = "nbit",
        feature = "scaleoffset",
        feature = "lzf"
    )),
    allow(unused_variables)
)]
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
            if !fletcher32_matches(&data[..n], want) {
                return corrupt("Fletcher-32 checksum mismatch", at);
            }
            data[..n].to_vec()
        }
        #[cfg(feature = "szip")]
        4 => crate::filters::szip::decode(data, params, max, at)?,
        #[cfg(feature = "nbit")]
        5 => crate::filters::nbit::decode(data, params, max, at)?,
        #[cfg(feature = "scaleoffset")]
        6 => crate::filters::scaleoffset::decode(data, params, max, at)?,
        #[cfg(feature = "bzip2")]
        307 => crate::filters::streams::bzip2(data, max, at)?,
        #[cfg(feature = "lzf")]
        32000 => match crate::filters::blosc::lzf(data, expect.min(max)) {
            Some(d) => d,
            None => return corrupt("LZF chunk does not decode to its size", at),
        },
        #[cfg(feature = "blosc")]
        32001 => crate::filters::blosc::decode(data, max, at)?,
        #[cfg(feature = "zstd")]
        32015 => crate::filters::streams::zstd(data, max, at)?,
        x => return unsupported(format!("HDF5 filter {}", x), at),
    })
}
