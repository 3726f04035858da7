//! Version 1 B-trees (group nodes and chunk indices) and version 2 B-trees
//! (dense links and attributes, chunk indices).

use super::io::{corrupt, enc_size, limit, Cur, UNDEF};
use super::Hdf5;
use crate::DecodeError;

/// Walks a version 1 B-tree of node type `kind` (0: group, 1: chunk) whose
/// keys are `key` bytes, depth first in key order, and hands every leaf entry
/// to `leaf` as (a cursor over its left key, its child address).
fn v1_walk(
    h: &Hdf5,
    root: u64,
    kind: u8,
    key: u64,
    mut leaf: impl FnMut(Cur, u64) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let (tree, other) = if kind == 0 {
        ("group", "chunk")
    } else {
        ("chunk", "group")
    };
    let mut stack = vec![(root, 64u32)];
    let mut visited = 0usize;
    while let Some((a, max_level)) = stack.pop() {
        visited += 1;
        if visited > h.limits.max_nodes {
            return limit(format!("{tree} B-tree nodes"), h.abs(a, 0)?);
        }
        let at = h.abs(a, 0)?;
        let hdr = h.read(a, 8, "B-tree node")?;
        let mut c = Cur::new(&hdr, at);
        c.magic(b"TREE", "B-tree node")?;
        let node_kind = c.u8()?;
        let level = c.u8()? as u32;
        let n = c.u16()? as u64;
        if node_kind != kind {
            return corrupt(format!("{tree} B-tree has a {other} node"), at);
        }
        if level >= max_level {
            return corrupt("B-tree levels do not decrease", at);
        }
        let body = 8 + 2 * h.g.so as u64;
        let size = body + n * (key + h.g.so as u64) + key;
        let b = h.read(a, size, "B-tree node")?;
        let mut c = Cur::new(&b, at);
        c.seek(body as usize)?;
        let mut children = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let key_at = c.at();
            let k = Cur::new(c.bytes(key as usize)?, key_at);
            let child = h.addr(&mut c)?;
            if level > 0 {
                children.push(child);
            } else {
                leaf(k, child)?;
            }
        }
        stack.extend(children.into_iter().rev().map(|ch| (ch, level)));
    }
    Ok(())
}

/// `(link name offset in the local heap, object header address)` of every
/// entry of an old-style group, in name order.
pub fn v1_group_entries(h: &Hdf5, root: u64) -> Result<Vec<(u64, u64)>, DecodeError> {
    let mut out = Vec::new();
    v1_walk(h, root, 0, h.g.sl as u64, |_, node| {
        symbol_node(h, node, &mut out)
    })?;
    Ok(out)
}

fn symbol_node(h: &Hdf5, a: u64, out: &mut Vec<(u64, u64)>) -> Result<(), DecodeError> {
    let at = h.abs(a, 0)?;
    let hdr = h.read(a, 8, "symbol table node")?;
    let mut c = Cur::new(&hdr, at);
    c.magic(b"SNOD", "symbol table node")?;
    c.skip(2)?;
    let n = c.u16()? as u64;
    let entry = (h.g.sl + h.g.so + 24) as u64;
    let b = h.read(a, 8 + n * entry, "symbol table node")?;
    let mut c = Cur::new(&b, at);
    c.seek(8)?;
    for _ in 0..n {
        let name = h.length(&mut c)?;
        let obj = h.addr(&mut c)?;
        c.skip(24)?;
        out.push((name, obj));
    }
    Ok(())
}

/// One chunk found in an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkRec {
    /// Chunk offset in elements, per dimension (first `rank` used).
    pub offset: [u64; 33],
    /// Address.
    pub addr: u64,
    /// Stored (filtered) size.
    pub size: u64,
    /// Filters skipped for this chunk (bit i: filter i).
    pub mask: u32,
}

/// Every chunk of a version 1 B-tree chunk index (`rank` = dataset rank).
pub fn v1_chunks(h: &Hdf5, root: u64, rank: usize) -> Result<Vec<ChunkRec>, DecodeError> {
    let mut out = Vec::new();
    let key = 8 + 8 * (rank as u64 + 1);
    v1_walk(h, root, 1, key, |mut k, addr| {
        let size = k.u32()? as u64;
        let mask = k.u32()?;
        let mut offset = [0u64; 33];
        for o in offset.iter_mut().take(rank) {
            *o = k.u64()?;
        }
        out.push(ChunkRec {
            offset,
            addr,
            size,
            mask,
        });
        Ok(())
    })?;
    Ok(out)
}

/// Every record of the version 2 B-tree at `a`, raw, in key order.
pub fn v2_records(h: &Hdf5, a: u64) -> Result<Vec<Vec<u8>>, DecodeError> {
    let mut out = Vec::new();
    if a == UNDEF {
        return Ok(out);
    }
    let at = h.abs(a, 0)?;
    let b = h.read(
        a,
        16 + 2 * h.g.so as u64 + h.g.sl as u64,
        "v2 B-tree header",
    )?;
    let mut c = Cur::new(&b, at);
    c.magic(b"BTHD", "v2 B-tree header")?;
    c.skip(2)?;
    let node_size = c.u32()? as u64;
    let rec = c.u16()? as u64;
    let depth = c.u16()? as usize;
    c.skip(2)?;
    let root = h.addr(&mut c)?;
    let root_n = c.u16()? as u64;
    let total = h.length(&mut c)?;
    if rec == 0 || node_size < 16 || depth > 64 || node_size > h.src.len().max(1 << 16) {
        return corrupt("v2 B-tree parameters", at);
    }
    if total > h.limits.max_objects as u64 * 64 {
        return limit("v2 B-tree records", at);
    }
    if root == UNDEF || total == 0 {
        return Ok(out);
    }
    // Sizes of the child-pointer fields per level (H5B2hdr.c).
    let leaf_max = (node_size - 10) / rec;
    let nrec_size = enc_size(leaf_max);
    let mut max_rec = vec![leaf_max];
    let mut cum = vec![leaf_max];
    let mut cum_size = vec![enc_size(leaf_max)];
    for d in 1..=depth {
        let ptr = h.g.so as u64 + nrec_size as u64 + if d > 1 { cum_size[d - 1] as u64 } else { 0 };
        let m = (node_size - 10 - ptr) / (rec + ptr);
        let cm = (m + 1).saturating_mul(cum[d - 1]).saturating_add(m);
        max_rec.push(m);
        cum.push(cm);
        cum_size.push(enc_size(cm));
    }
    let mut stack = vec![(root, root_n, depth)];
    let mut visited = 0usize;
    while let Some((na, n, d)) = stack.pop() {
        visited += 1;
        if visited > h.limits.max_nodes || out.len() as u64 > total {
            return limit("v2 B-tree nodes", h.abs(na, 0)?);
        }
        if n > max_rec[d] {
            return corrupt("v2 B-tree node record count", h.abs(na, 0)?);
        }
        let b = h.read(na, node_size, "v2 B-tree node")?;
        let mut c = Cur::new(&b, h.abs(na, 0)?);
        c.magic(if d == 0 { b"BTLF" } else { b"BTIN" }, "v2 B-tree node")?;
        c.skip(2)?;
        let mut recs = Vec::with_capacity(n as usize);
        for _ in 0..n {
            recs.push(c.bytes(rec as usize)?.to_vec());
        }
        if d == 0 {
            out.extend(recs);
            continue;
        }
        let mut kids = Vec::with_capacity(n as usize + 1);
        for _ in 0..=n {
            let ca = h.addr(&mut c)?;
            let cn = c.uint(nrec_size)?;
            if d > 1 {
                c.skip(cum_size[d - 1])?;
            }
            kids.push((ca, cn, d - 1));
        }
        // In-order: child 0, record 0, child 1, … — records order only
        // matters for names, so push children and records.
        for (i, k) in kids.into_iter().enumerate().rev() {
            stack.push(k);
            let _ = i;
        }
        out.extend(recs);
    }
    Ok(out)
}
