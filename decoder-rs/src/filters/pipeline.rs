//! The HDF5 filter pipeline of one chunk, undone backwards: deflate
//! (through the crate's own inflate, for runtimes without a native zlib),
//! shuffle, Fletcher-32, szip, N-bit, scale-offset, bzip2, LZF, Blosc and
//! zstd. [`unfilter_into`] ends in the destination: the last step writes
//! there, byte-swapping in the same pass (shuffle fused with the swap).

use std::borrow::Cow;

use super::shuffle::{unshuffle, unshuffle_into};
use crate::hdf5::io::{corrupt, limit, unsupported};
use crate::hdf5::messages::Filter;
use crate::inflate::{zlib_decompress, zlib_into};
use crate::swap::swap_in_place;
use crate::DecodeError;

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

/// The most bytes filter `i` of the pipeline may produce when undone, for a
/// chunk of `cbytes` decoded bytes: the chunk, plus the 4-byte checksum of
/// each Fletcher-32 applied before it, plus slack for other size-changing
/// filters applied before it.
pub fn step_max(filters: &[u16], i: usize, cbytes: u64) -> u64 {
    let mut max = cbytes;
    for &f in &filters[..i.min(filters.len())] {
        if f == 3 {
            max += 4;
        } else if f != 2 {
            max += (cbytes + 15) / 16 + 4096;
        }
    }
    max
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

/// Undoes filters `steps - 1` down to 0 of the pipeline (those not skipped
/// by `mask`) over `data`, where the caller already undid the later ones,
/// and writes the decoded chunk into `out` (its decoded size), each
/// `elem`-byte element reversed when `swap`. A deflate that is the last step
/// inflates straight into `out`; one followed by a shuffle into `scratch`
/// (kept by the caller from chunk to chunk), the shuffle then undone into
/// `out`, swapped in the same pass. `at` is the chunk's file offset, for
/// errors.
#[allow(clippy::too_many_arguments)]
pub fn unfilter_into(
    data: &[u8],
    filters: &[Filter],
    mask: u32,
    steps: usize,
    elem: usize,
    swap: bool,
    out: &mut [u8],
    scratch: &mut Vec<u8>,
    at: u64,
) -> Result<(), DecodeError> {
    let ids: Vec<u16> = filters.iter().map(|f| f.id).collect();
    let mut todo: &[usize] = &(0..steps.min(filters.len()))
        .rev()
        .filter(|i| mask & (1 << i) == 0)
        .collect::<Vec<_>>();
    let cbytes = out.len();
    let mut cur: Cow<[u8]> = Cow::Borrowed(data);
    if let Some((&i, rest)) = todo.split_first() {
        let max = step_max(&ids, i, cbytes as u64);
        if filters[i].id == 1 && max <= u32::MAX as u64 {
            let max = max as usize;
            if rest.is_empty() && max == cbytes {
                // Inflated straight into its place.
                let n = zlib_into(data, out, at).map_err(|e| too_big(e, max, at))?;
                return finish(out, n, elem, swap, at);
            }
            if scratch.len() < max {
                if scratch.try_reserve_exact(max - scratch.len()).is_err() {
                    return limit(format!("cannot allocate {} bytes for a chunk", max), at);
                }
                scratch.resize(max, 0);
            }
            let n = zlib_into(data, &mut scratch[..max], at).map_err(|e| too_big(e, max, at))?;
            cur = Cow::Borrowed(&scratch[..n]);
            todo = rest;
        }
    }
    for (n, &i) in todo.iter().enumerate() {
        let f = &filters[i];
        if n + 1 == todo.len()
            && f.id == 2
            && cur.len() == cbytes
            && shuffle_width(&f.params, elem) == elem
        {
            unshuffle_into(&cur, elem, swap && elem > 1, out);
            return Ok(());
        }
        let max = step_max(&ids, i, cbytes as u64);
        cur = Cow::Owned(unfilter_one(
            &cur,
            f.id,
            &f.params,
            elem,
            max as usize,
            max,
            at,
        )?);
    }
    if cur.len() < cbytes {
        return corrupt(
            format!("chunk holds {} bytes, not {}", cur.len(), cbytes),
            at,
        );
    }
    let n = cur.len().min(cbytes);
    out.copy_from_slice(&cur[..n]);
    finish(out, n, elem, swap, at)
}

/// A deflate step that yields more than its chunk declares (`max`) is a
/// corrupt chunk (a deflate bomb never gets more memory than that).
fn too_big(e: DecodeError, max: usize, at: u64) -> DecodeError {
    match e {
        DecodeError::LimitExceeded { .. } => DecodeError::Corrupt {
            reason: format!(
                "deflated chunk inflates to more than its declared {} bytes",
                max
            ),
            byte_offset: at,
        },
        e => e,
    }
}

/// Checks that `n` bytes fill the chunk `out` and swaps its elements when
/// `swap`.
fn finish(out: &mut [u8], n: usize, elem: usize, swap: bool, at: u64) -> Result<(), DecodeError> {
    if n < out.len() {
        return corrupt(format!("chunk holds {} bytes, not {}", n, out.len()), at);
    }
    if swap && elem > 1 {
        swap_in_place(out, elem).map_err(|e| match e {
            DecodeError::InvalidArgument(r) => DecodeError::Corrupt {
                reason: r,
                byte_offset: at,
            },
            e => e,
        })?;
    }
    Ok(())
}

/// The element width the shuffle filter works in: its client data (what
/// libhdf5 uses; PyTables wrote 8 for 16-byte variable-length elements),
/// else the element size.
pub fn shuffle_width(params: &[u32], elem: usize) -> usize {
    match params.first() {
        Some(&w) if w > 0 => w as usize,
        _ => elem,
    }
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
        1 => zlib_decompress(data, expect, max, at).map_err(|e| too_big(e, max, at))?,
        2 => unshuffle(data, shuffle_width(params, elem)),
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
        4 => super::szip::decode(data, params, max, at)?,
        #[cfg(feature = "nbit")]
        5 => super::nbit::decode(data, params, max, at)?,
        #[cfg(feature = "scaleoffset")]
        6 => super::scaleoffset::decode(data, params, max, at)?,
        #[cfg(feature = "bzip2")]
        307 => super::streams::bzip2(data, max, at)?,
        #[cfg(feature = "lzf")]
        32000 => match super::blosc::lzf(data, expect.min(max)) {
            Some(d) => d,
            None => return corrupt("LZF chunk does not decode to its size", at),
        },
        #[cfg(feature = "blosc")]
        32001 => super::blosc::decode(data, max, at)?,
        #[cfg(feature = "zstd")]
        32015 => super::streams::zstd(data, max, at)?,
        x => return unsupported(format!("HDF5 filter {}", x), at),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::shuffle::tests::shuffle;
    use crate::inflate::adler32;

    /// `data` as a zlib stream of stored blocks.
    fn zlib_stored(data: &[u8]) -> Vec<u8> {
        let mut z = vec![0x78, 0x01];
        let mut blocks = data.chunks(65_535).peekable();
        if blocks.peek().is_none() {
            z.extend([1, 0, 0, 0xff, 0xff]);
        }
        while let Some(b) = blocks.next() {
            z.push(if blocks.peek().is_none() { 1 } else { 0 });
            z.extend((b.len() as u16).to_le_bytes());
            z.extend((!(b.len() as u16)).to_le_bytes());
            z.extend(b);
        }
        z.extend(adler32(data).to_be_bytes());
        z
    }

    #[test]
    fn the_shuffle_works_in_the_width_its_client_data_gives() {
        // PyTables wrote shuffle width 8 for 16-byte variable-length elements
        let plain: Vec<u8> = (0..64u8).collect();
        let stored = shuffle(&plain, 8);
        assert_eq!(
            unfilter_one(&stored, 2, &[8], 16, 64, 64, 0).unwrap(),
            plain
        );
        assert_ne!(unfilter_one(&stored, 2, &[], 16, 64, 64, 0).unwrap(), plain);
        assert_eq!(shuffle_width(&[0], 4), 4);
        // a width past the chunk: bytes stay as they are, nothing panics
        assert_eq!(
            unfilter_one(&stored, 2, &[u32::MAX], 16, 64, 64, 0).unwrap(),
            stored
        );
    }

    fn filter(id: u16, params: Vec<u32>) -> Filter {
        Filter {
            id,
            flags: 0,
            params,
        }
    }

    /// `unfilter_into` for a chunk of doubles (8-byte elements), with a fresh scratch.
    fn undo(
        data: &[u8],
        filters: &[Filter],
        mask: u32,
        steps: usize,
        swap: bool,
        out: &mut [u8],
        at: u64,
    ) -> Result<(), DecodeError> {
        unfilter_into(
            data,
            filters,
            mask,
            steps,
            8,
            swap,
            out,
            &mut Vec::new(),
            at,
        )
    }

    const XS: [f64; 5] = [1.0, -2.5, 1e-30, 6.02e23, 0.0];

    fn doubles_be() -> Vec<u8> {
        XS.iter().flat_map(|x| x.to_be_bytes()).collect()
    }

    fn doubles_of(b: &[u8]) -> Vec<f64> {
        b.chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    #[test]
    fn shuffle_then_deflate_comes_out_native_in_one_call_or_after_a_native_inflate() {
        // netCDF4-python's zlib=True: shuffle (2), then deflate (1).
        let filters = [filter(2, vec![8]), filter(1, vec![4])];
        let shuffled = shuffle(&doubles_be(), 8);
        let stored = zlib_stored(&shuffled);
        let mut out = vec![0u8; 40];
        // Every step here (deflate by the crate's own inflate).
        undo(&stored, &filters, 0, 2, true, &mut out, 0).unwrap();
        assert_eq!(doubles_of(&out), XS);
        // Deflate undone by the caller (a native zlib): only the shuffle left.
        let mut out2 = vec![0u8; 40];
        undo(&shuffled, &filters, 0, 1, true, &mut out2, 0).unwrap();
        assert_eq!(out2, out);
        // Without the swap the bytes stay big-endian.
        undo(&shuffled, &filters, 0, 1, false, &mut out2, 0).unwrap();
        assert_eq!(out2, doubles_be());
    }

    #[test]
    fn a_skipped_filter_is_not_undone() {
        let filters = [filter(2, vec![8]), filter(1, vec![4])];
        // Mask bit 0: this chunk was not shuffled, only deflated.
        let stored = zlib_stored(&doubles_be());
        let mut out = vec![0u8; 40];
        undo(&stored, &filters, 1, 2, true, &mut out, 0).unwrap();
        assert_eq!(doubles_of(&out), XS);
    }

    #[test]
    fn fletcher32_is_checked_and_stripped() {
        let data = doubles_be();
        let mut with_sum = data.clone();
        with_sum.extend(fletcher32(&data).to_le_bytes());
        let filters = [filter(3, vec![])];
        let mut out = vec![0u8; 40];
        undo(&with_sum, &filters, 0, 1, false, &mut out, 0).unwrap();
        assert_eq!(out, data);
        with_sum[3] ^= 1;
        assert!(matches!(
            undo(&with_sum, &filters, 0, 1, false, &mut out, 9),
            Err(DecodeError::Corrupt { byte_offset: 9, .. })
        ));
    }

    #[test]
    fn a_chunk_shorter_than_declared_is_corrupt_at_its_offset() {
        let filters = [filter(1, vec![4])];
        let stored = zlib_stored(&doubles_be()[..32]);
        let mut out = vec![0u8; 40];
        match undo(&stored, &filters, 0, 1, true, &mut out, 4096).unwrap_err() {
            DecodeError::Corrupt {
                reason,
                byte_offset,
            } => {
                assert_eq!(byte_offset, 4096);
                assert!(reason.contains("32 bytes, not 40"), "{}", reason);
            }
            e => panic!("{:?}", e),
        }
        // A shuffled chunk too short takes the general path and is refused too.
        let filters = [filter(2, vec![8])];
        assert!(undo(&doubles_be()[..32], &filters, 0, 1, true, &mut out, 0).is_err());
    }

    #[test]
    fn an_unknown_filter_is_unsupported() {
        let mut out = vec![0u8; 4];
        assert!(matches!(
            unfilter_into(
                &[0; 4],
                &[filter(999, vec![])],
                0,
                1,
                1,
                false,
                &mut out,
                &mut Vec::new(),
                0
            ),
            Err(DecodeError::Unsupported { .. })
        ));
    }

    #[test]
    fn step_max_adds_checksums_and_slack_of_the_filters_before() {
        assert_eq!(step_max(&[2, 1], 1, 1000), 1000);
        // Deflate before a step: slack, as for any size-changing filter.
        assert_eq!(step_max(&[2, 1, 3], 2, 1000), 1000 + 63 + 4096);
        assert_eq!(step_max(&[3, 1], 1, 1000), 1004);
        assert_eq!(step_max(&[32000, 1], 1, 1600), 1600 + 100 + 4096);
    }
}
