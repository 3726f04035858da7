// Private: chunked HDF5 datasets: chunks padded with the fill value, and
// the version-1 B-tree that indexes them.

import { deflateSync } from "node:zlib";
import { ByteWriter, utf8 } from "./_hdf5_bytes.ts";
import { typeSize, writeNumbers } from "./_hdf5_messages.ts";
import type { H5Dataset } from "./_hdf5_writer.ts";

export const BTREE_K = 32; // "indexed storage internal node 1/2 rank" default of superblock v0

export interface ChunkInfo {
  offset: number[]; // element offsets, one per dimension
  bytes: Uint8Array; // stored (filtered) bytes
  address: number;
}

export interface DatasetPlan {
  chunks: ChunkInfo[];
  contiguous?: Uint8Array;
  contiguousAddress: number;
  btreeNodes: BTreeNode[];
}

export interface BTreeNode {
  level: number;
  entries: { key: Uint8Array; child: number }[]; // child = chunk index (level 0) or node index
  finalKey: Uint8Array;
  address: number;
}

export function product(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** Splits a dataset into chunks (C order of chunk offsets), padded with the fill value. */
export function makeChunks(d: H5Dataset): ChunkInfo[] {
  const chunks = d.chunks!;
  const rank = d.dims.length;
  const counts = d.dims.map((n, i) => Math.ceil(n / chunks[i]));
  const nChunks = product(counts);
  const chunkLen = product(chunks);
  const out: ChunkInfo[] = [];
  const strides = d.dims.map((_, i) => product(d.dims.slice(i + 1)));
  const cstrides = chunks.map((_, i) => product(chunks.slice(i + 1)));
  for (let c = 0; c < nChunks; c++) {
    const idx: number[] = [];
    let rest = c;
    for (let i = rank - 1; i >= 0; i--) {
      idx[i] = rest % counts[i];
      rest = Math.floor(rest / counts[i]);
    }
    const offset = idx.map((k, i) => k * chunks[i]);
    const values = new Float64Array(chunkLen).fill(d.fillValue);
    // copy row by row along the last dimension
    const rows = chunkLen / chunks[rank - 1];
    for (let r = 0; r < rows; r++) {
      let src = 0;
      let dst = 0;
      let rr = r;
      let inside = true;
      for (let i = rank - 2; i >= 0; i--) {
        const k = rr % chunks[i];
        rr = Math.floor(rr / chunks[i]);
        const pos = offset[i] + k;
        if (pos >= d.dims[i]) inside = false;
        src += pos * strides[i];
        dst += k * cstrides[i];
      }
      if (!inside) continue;
      const last = rank - 1;
      const n = Math.min(chunks[last], d.dims[last] - offset[last]);
      src += offset[last];
      for (let j = 0; j < n; j++) values[dst + j] = d.data[src + j];
    }
    const raw = new ByteWriter();
    writeNumbers(raw, d.type, values);
    let bytes = raw.result();
    if (d.deflateLevel !== undefined) {
      bytes = new Uint8Array(deflateSync(bytes, { level: d.deflateLevel }));
    }
    out.push({ offset, bytes, address: 0 });
  }
  return out;
}

export function chunkKey(size: number, offset: readonly number[], elementSize: number): Uint8Array {
  const w = new ByteWriter().u32(size).u32(0);
  for (const o of offset) w.u64(o);
  w.u64(0);
  void elementSize;
  return w.result();
}

export function finalKey(
  offset: readonly number[],
  chunks: readonly number[],
  elementSize: number,
) {
  const w = new ByteWriter().u32(0).u32(0);
  offset.forEach((o, i) => w.u64(o + chunks[i]));
  w.u64(elementSize);
  return w.result();
}

/** Builds the v1 B-tree (type 1) over the chunks: leaves of ≤ 2K chunks, then parents. */
export function planBTree(d: H5Dataset, chunks: ChunkInfo[]): BTreeNode[] {
  if (chunks.length === 0) return [];
  const esize = typeSize(d.type);
  const nodes: BTreeNode[] = [];
  let level: BTreeNode[] = [];
  for (let i = 0; i < chunks.length; i += 2 * BTREE_K) {
    const slice = chunks.slice(i, i + 2 * BTREE_K);
    const last = slice[slice.length - 1];
    level.push({
      level: 0,
      entries: slice.map((c, j) => ({
        key: chunkKey(c.bytes.length, c.offset, esize),
        child: i + j,
      })),
      finalKey: finalKey(last.offset, d.chunks!, esize),
      address: 0,
    });
  }
  nodes.push(...level);
  let depth = 0;
  while (level.length > 1) {
    depth++;
    const parents: BTreeNode[] = [];
    const base = nodes.length - level.length;
    for (let i = 0; i < level.length; i += 2 * BTREE_K) {
      const slice = level.slice(i, i + 2 * BTREE_K);
      parents.push({
        level: depth,
        entries: slice.map((n, j) => ({ key: n.entries[0].key, child: base + i + j })),
        finalKey: slice[slice.length - 1].finalKey,
        address: 0,
      });
    }
    nodes.push(...parents);
    level = parents;
  }
  return nodes; // root is last
}

export function btreeNodeSize(rank: number): number {
  const keySize = 8 + 8 * (rank + 1);
  return 24 + 2 * BTREE_K * 8 + (2 * BTREE_K + 1) * keySize;
}

export function encodeBTreeNode(
  node: BTreeNode,
  siblings: { left: number; right: number },
  childAddress: (child: number) => number,
  rank: number,
): Uint8Array {
  const w = new ByteWriter();
  w.bytes(utf8.encode("TREE")).u8(1).u8(node.level).u16(node.entries.length);
  w.u64(siblings.left).u64(siblings.right);
  for (const e of node.entries) w.bytes(e.key).u64(childAddress(e.child));
  w.bytes(node.finalKey);
  w.zeros(btreeNodeSize(rank) - w.length);
  return w.result();
}
