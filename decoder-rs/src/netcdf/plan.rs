//! The read plan of a hyperslab of a chunked variable: which chunks to
//! fetch, which part of each lands where in the result, and whether any part
//! of the result is left to the fill value. Computed once per read, so the
//! caller crosses into the crate once for the plan and once per chunk to
//! decode it (see [`crate::filters::pipeline::unfilter_into`]).

use crate::hdf5::btree::ChunkRec;
use crate::DecodeError;

/// Where one chunk's decoded elements go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedChunk {
    /// File offset of its stored bytes.
    pub addr: u64,
    /// Stored (filtered) size in bytes.
    pub size: u64,
    /// Filters skipped for this chunk (bit `i`: filter `i`).
    pub mask: u32,
    /// The corner of the part read, in the chunk (elements, per dimension).
    pub from: Vec<u64>,
    /// Where that part lands in the result box.
    pub to: Vec<u64>,
    /// Its size along each dimension.
    pub count: Vec<u64>,
    /// When the whole chunk is one run of the C-order result, the element
    /// where that run starts (the chunk can be written there whole).
    pub run: Option<u64>,
}

/// The chunks a read touches and where they land.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkPlan {
    /// The chunk's shape, in elements.
    pub chunk: Vec<u64>,
    /// One entry per chunk touched, in the index's order.
    pub chunks: Vec<PlannedChunk>,
    /// Whether some elements of the result lie in no stored chunk (never
    /// written, or past the stored extent) and so read as the fill value.
    pub needs_fill: bool,
}

/// Plans the read of the box `start`/`count` from the chunks `list` (those
/// that touch it) of a variable with chunks of shape `chunk` and stored
/// extent `extent`: past the extent (a variable shorter than its unlimited
/// dimension) chunks are clipped and the result shows the fill value, as in
/// netCDF-C.
pub fn plan(
    list: &[ChunkRec],
    chunk: &[u64],
    extent: &[u64],
    start: &[u64],
    count: &[u64],
) -> Result<ChunkPlan, DecodeError> {
    let rank = chunk.len();
    if extent.len() != rank || start.len() != rank || count.len() != rank || rank > 32 {
        return Err(DecodeError::InvalidArgument(format!(
            "a box of rank {}/{} for a variable of rank {}",
            start.len(),
            count.len(),
            rank
        )));
    }
    let total = count.iter().try_fold(1u64, |a, &c| a.checked_mul(c));
    let mut covered = 0u64;
    let mut chunks = Vec::with_capacity(list.len());
    for rec in list {
        let mut p = PlannedChunk {
            addr: rec.addr,
            size: rec.size,
            mask: rec.mask,
            from: vec![0; rank],
            to: vec![0; rank],
            count: vec![0; rank],
            run: None,
        };
        let mut vol = 1u64;
        for i in 0..rank {
            let off = rec.offset[i];
            let end = start[i].saturating_add(count[i]);
            let hi = off.saturating_add(chunk[i]).min(end).min(extent[i]);
            let lo = off.max(start[i]);
            p.from[i] = lo.saturating_sub(off);
            p.to[i] = lo.saturating_sub(start[i]);
            p.count[i] = hi.saturating_sub(lo);
            vol = vol.saturating_mul(p.count[i]);
        }
        if vol == 0 {
            continue;
        }
        covered = covered.saturating_add(vol);
        p.run = run_of(&rec.offset[..rank], chunk, start, count, extent);
        chunks.push(p);
    }
    Ok(ChunkPlan {
        chunk: chunk.to_vec(),
        chunks,
        needs_fill: total.map_or(true, |t| covered < t),
    })
}

/// Where (in elements) a chunk at `offset` starts in the C-order box
/// `start`/`count` when all of it lies in the box (and the extent) as one
/// run: its leading sizes 1, then any size, then the box's whole trailing
/// dimensions.
fn run_of(offset: &[u64], chunk: &[u64], start: &[u64], count: &[u64], ext: &[u64]) -> Option<u64> {
    let mut pos = 0u64;
    let mut lead = true;
    for i in 0..chunk.len() {
        let off = offset[i];
        let end = start[i].saturating_add(count[i]).min(ext[i]);
        if off < start[i] || off.saturating_add(chunk[i]) > end {
            return None;
        }
        if !lead && chunk[i] != count[i] {
            return None;
        }
        if chunk[i] != 1 {
            lead = false;
        }
        pos = pos.checked_mul(count[i])?.checked_add(off - start[i])?;
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(offset: &[u64], addr: u64) -> ChunkRec {
        let mut o = [0u64; 33];
        o[..offset.len()].copy_from_slice(offset);
        ChunkRec {
            offset: o,
            addr,
            size: 10,
            mask: 0,
        }
    }

    #[test]
    fn a_time_step_chunk_read_whole_is_one_run() {
        // foot(time, lat, lon) in chunks (1, 480, 400): step t starts at t × 192000.
        let list = [rec(&[0, 0, 0], 100), rec(&[1, 0, 0], 200)];
        let p = plan(
            &list,
            &[1, 480, 400],
            &[2, 480, 400],
            &[0, 0, 0],
            &[2, 480, 400],
        )
        .unwrap();
        assert!(!p.needs_fill);
        assert_eq!(p.chunks[0].run, Some(0));
        assert_eq!(p.chunks[1].run, Some(192_000));
        assert_eq!(p.chunks[1].to, vec![1, 0, 0]);
        assert_eq!(p.chunks[1].count, vec![1, 480, 400]);
    }

    #[test]
    fn a_partial_box_clips_chunks_and_is_no_run() {
        // 1-D, chunks of 4, box 2..7: chunk 0 gives 2..4, chunk 4 gives 4..7.
        let list = [rec(&[0], 1), rec(&[4], 2)];
        let p = plan(&list, &[4], &[8], &[2], &[5]).unwrap();
        assert!(!p.needs_fill);
        assert_eq!(
            (
                p.chunks[0].from.clone(),
                p.chunks[0].to.clone(),
                p.chunks[0].count.clone()
            ),
            (vec![2], vec![0], vec![2])
        );
        assert_eq!(
            (
                p.chunks[1].from.clone(),
                p.chunks[1].to.clone(),
                p.chunks[1].count.clone()
            ),
            (vec![0], vec![2], vec![3])
        );
        assert_eq!(p.chunks[0].run, None);
        assert_eq!(p.chunks[1].run, None);
    }

    #[test]
    fn a_chunk_narrower_than_the_box_is_no_run() {
        // Chunks (2, 2) in a box (2, 4): each row of a chunk is half a row.
        let list = [rec(&[0, 0], 1), rec(&[0, 2], 2)];
        let p = plan(&list, &[2, 2], &[2, 4], &[0, 0], &[2, 4]).unwrap();
        assert!(p.chunks.iter().all(|c| c.run.is_none()));
        assert_eq!(p.chunks[1].to, vec![0, 2]);
        // Chunks (1, 2): leading sizes 1, so each is one run of its row.
        let list = [rec(&[0, 0], 1), rec(&[1, 2], 2)];
        let p = plan(&list, &[1, 2], &[2, 4], &[0, 0], &[2, 4]).unwrap();
        assert_eq!(p.chunks[1].run, Some(6));
    }

    #[test]
    fn a_missing_chunk_or_a_short_extent_needs_the_fill_value() {
        let p = plan(&[rec(&[0], 1)], &[4], &[8], &[0], &[8]).unwrap();
        assert!(p.needs_fill);
        // Stored extent 6 of a dimension of 8: the chunk at 4 is cut to 4..6.
        let p = plan(&[rec(&[0], 1), rec(&[4], 2)], &[4], &[6], &[0], &[8]).unwrap();
        assert!(p.needs_fill);
        assert_eq!(p.chunks[1].count, vec![2]);
        assert_eq!(p.chunks[1].run, None);
        // A chunk wholly past the extent is left out.
        let p = plan(&[rec(&[0], 1), rec(&[4], 2)], &[4], &[4], &[0], &[8]).unwrap();
        assert_eq!(p.chunks.len(), 1);
    }

    #[test]
    fn a_box_of_another_rank_is_an_argument_error() {
        let e = plan(&[], &[4, 4], &[8, 8], &[0], &[8]).unwrap_err();
        assert!(matches!(e, DecodeError::InvalidArgument(_)));
    }
}
