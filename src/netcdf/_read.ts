// Private: the byte-level steps of a read: contiguous spans swapped on the
// way in, record variables in batches, the chunks of a read plan decoded
// into the result, and the most a deflate step may yield.

import type { InflateBackend, Reader } from "./_io.ts";
import { type ChunkPlan, copyBox, type StorageLayout, unfilterWasm } from "./_chunk_plan.ts";
import { inflater } from "./_inflate.ts";
import { swapIntoWasm } from "../_wasm/decoder.ts";

/**
 * The most bytes the deflate filter at pipeline position `i` may produce:
 * the chunk's size, plus the 4-byte checksum of each Fletcher-32 applied
 * before it, plus slack for other size-changing filters applied before it.
 */
export function inflatedMax(filters: readonly number[], i: number, cbytes: number): number {
  let max = cbytes;
  for (const f of filters.slice(0, i)) {
    if (f === 3) max += 4;
    else if (f !== 2) max += Math.ceil(cbytes / 16) + 4096;
  }
  return max;
}

/** Pieces a big read is split into when its elements need swapping. */
const SWAP_PIECE = 1 << 20;

/**
 * Reads `dst.byteLength` bytes at `pos` into `dst`, swapping elements of
 * `swap` bytes (0: none) piece by piece while each is in cache, when the
 * bytes come from a file rather than memory.
 */
export async function readSwapped(reader: Reader, pos: number, dst: Uint8Array, swap: number) {
  if (!swap || reader.inMemory || dst.byteLength <= SWAP_PIECE) {
    await reader.readInto(pos, dst);
    if (swap) swapIntoWasm(dst, dst, swap);
    return;
  }
  const scratch = new Uint8Array(SWAP_PIECE);
  for (let o = 0; o < dst.byteLength; o += SWAP_PIECE) {
    const n = Math.min(SWAP_PIECE, dst.byteLength - o);
    const piece = scratch.subarray(0, n);
    await reader.readInto(pos + o, piece);
    swapIntoWasm(piece, dst.subarray(o, o + n), swap);
  }
}

/** Records read per request while they are small: spans of about this many bytes. */
const RECORD_SPAN = 4 << 20;

/**
 * Reads the box `start`/`count` of a record variable (records `recSize`
 * bytes apart from `addr`) into `out`: small records many at a time, one
 * span of the file per batch, big records (or few of them) one by one.
 */
export async function readRecords(
  reader: Reader,
  addr: number,
  recSize: number,
  shape: readonly number[],
  start: readonly number[],
  count: readonly number[],
  out: Uint8Array,
  elem: number,
  swap: number,
): Promise<void> {
  const inner = shape.slice(1);
  const per = inner.reduce((a, b) => a * b, 1) * elem;
  const sub = count.slice(1);
  const from = start.slice(1);
  const rowBytes = sub.reduce((a, b) => a * b, 1) * elem;
  const whole = rowBytes === per;
  // Spans only while records are small: else a span would mostly hold other variables.
  const batch = recSize >= 64 * 1024 ? 1 : Math.max(1, Math.floor(RECORD_SPAN / recSize));
  const z = zeros(sub.length);
  // One scratch buffer for all batches (fresh memory costs page faults).
  let scratch: Uint8Array | undefined;
  for (let r0 = 0; r0 < count[0]; r0 += batch) {
    const n = Math.min(batch, count[0] - r0);
    const base = addr + (start[0] + r0) * recSize;
    const len = (n - 1) * recSize + per;
    if (n === 1 && whole) {
      await readSwapped(reader, base, out.subarray(r0 * rowBytes, r0 * rowBytes + per), swap);
      continue;
    }
    let span: Uint8Array;
    if (reader.inMemory) {
      span = await reader.read(base, len);
    } else {
      scratch ??= new Uint8Array(len);
      span = scratch.subarray(0, len);
      await reader.readInto(base, span);
    }
    if (whole) {
      gather(span, recSize, per, n, out, r0 * rowBytes);
    } else {
      for (let r = 0; r < n; r++) {
        const o = r * recSize;
        const d = (r0 + r) * rowBytes;
        const rec = span.subarray(o, o + per);
        copyBox(rec, inner, from, out.subarray(d, d + rowBytes), sub, z, sub, elem);
      }
    }
    if (swap) {
      // While the batch is still in cache.
      const done = out.subarray(r0 * rowBytes, (r0 + n) * rowBytes);
      swapIntoWasm(done, done, swap);
    }
  }
}

/** Copies `n` runs of `per` bytes, `stride` apart in `src`, one after another into `dst` at `d`. */
function gather(
  src: Uint8Array,
  stride: number,
  per: number,
  n: number,
  dst: Uint8Array,
  d: number,
): void {
  if (per > 16) {
    for (let r = 0, o = 0; r < n; r++, o += stride, d += per) {
      dst.set(src.subarray(o, o + per), d);
    }
    return;
  }
  if ((src.byteOffset & 3) === 0 && (dst.byteOffset & 3) === 0 && ((stride | per | d) & 3) === 0) {
    // Word-aligned: 4 bytes per move.
    const s32 = new Uint32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
    const d32 = new Uint32Array(dst.buffer, dst.byteOffset, dst.byteLength >> 2);
    const w = per >> 2, st = stride >> 2;
    let q = d >> 2;
    if (w === 1) {
      for (let r = 0, o = 0; r < n; r++, o += st) d32[q++] = s32[o];
    } else {
      for (let r = 0, o = 0; r < n; r++, o += st) {
        for (let i = 0; i < w; i++) d32[q++] = s32[o + i];
      }
    }
    return;
  }
  for (let r = 0, o = 0; r < n; r++, o += stride) {
    for (let i = 0; i < per; i++) dst[d++] = src[o + i];
  }
}

/**
 * Reads the chunks of `plan` into `out` (the C-order box of `count`
 * elements of `elem` bytes). With the `"auto"` and `"wasm"` backends each
 * chunk is one wasm call: the deflate inflates straight into the chunk (or
 * into a scratch buffer its shuffle is undone from, swapped in the same
 * pass), and the chunk is copied into its place in one run where it fills
 * one. With `"node"` and `"stream"` the deflate steps run in that inflate,
 * the rest (shuffle, checksums, the byte swap) in one wasm call; a chunk with
 * only the shuffle left that fills one run is unshuffled and swapped (`swap`:
 * big-endian elements) in one pass straight into its place.
 */
export async function readChunks(
  plan: ChunkPlan,
  reader: Reader,
  lay: StorageLayout,
  count: readonly number[],
  out: Uint8Array,
  elem: number,
  inflate: InflateBackend,
  swap: boolean,
  signal?: AbortSignal,
): Promise<void> {
  const { filters, params } = lay;
  const { chunk, addrs, sizes, masks, runs, boxes } = plan;
  const r = chunk.length;
  const cbytes = chunk.reduce((a, b) => a * b, elem);
  const inWasm = inflate === "auto" || inflate === "wasm";
  const inflateFn = filters.includes(1) && !inWasm
    ? await inflater(inflate as "node" | "stream")
    : undefined;
  // the shuffle's width is its client data, as libhdf5 reads it (PyTables
  // wrote 8 for 16-byte variable-length elements), else the element size
  const shuffleWidth = params[0]?.[0] || elem;
  const from = new Array<number>(r), to = new Array<number>(r), cnt = new Array<number>(r);
  // a remote source fetches close chunks together (HttpByteSource.prefetch)
  reader.prefetch(addrs, sizes);
  for (let k = 0; k < addrs.length; k++) {
    // between chunks (each a bounded piece of wasm work) a read can be stopped
    signal?.throwIfAborted();
    const addr = addrs[k], mask = masks[k];
    let data = await reader.read(addr, sizes[k]);
    // The steps down to the last deflate run here; the rest in `decode`.
    let steps = filters.length;
    for (let i = 0; i < filters.length && inflateFn; i++) {
      if (filters[i] === 1 && !(mask & (1 << i))) {
        for (let j = filters.length - 1; j >= i; j--) {
          if (mask & (1 << j)) continue;
          const max = inflatedMax(filters, j, cbytes);
          data = filters[j] === 1
            ? await inflateFn!(data, max, addr)
            : unfilterWasm(data, filters[j], elem, max, params[j]);
        }
        steps = i;
        break;
      }
    }
    // Nothing left but the swap and the chunk one run of the result: swapped
    // on its way into its place.
    if (runs[k] >= 0 && steps === 0 && data.byteLength === cbytes) {
      const place = out.subarray(runs[k] * elem, runs[k] * elem + cbytes);
      if (swap) swapIntoWasm(data, place, elem);
      else place.set(data);
      continue;
    }
    // Only the shuffle left and the chunk one run of the result: undone and
    // swapped in one pass straight into its place.
    if (
      runs[k] >= 0 && steps === 1 && filters[0] === 2 && !(mask & 1) && shuffleWidth === elem &&
      data.byteLength === cbytes && unshuffleInto(data, elem, swap, out, runs[k] * elem)
    ) {
      continue;
    }
    const chunkBytes = plan.decode(k, data, steps);
    if (runs[k] >= 0) {
      out.set(chunkBytes, runs[k] * elem);
      continue;
    }
    const b = k * 3 * r;
    for (let i = 0; i < r; i++) {
      from[i] = boxes[b + i];
      to[i] = boxes[b + r + i];
      cnt[i] = boxes[b + 2 * r + i];
    }
    copyBox(chunkBytes, chunk, from, out, count, to, cnt, elem);
  }
}

/**
 * Undoes the HDF5 shuffle of `src` (planes of `width` bytes) straight into
 * `dst` at byte `at`, reversing each element's bytes when `swap`, in one
 * pass of word writes: false (nothing written) unless the width is 2, 4 or
 * 8 and the place is aligned to it.
 */
export function unshuffleInto(
  src: Uint8Array,
  width: number,
  swap: boolean,
  dst: Uint8Array,
  at: number,
): boolean {
  const n = src.byteLength / width;
  const o = dst.byteOffset + at;
  if (!Number.isInteger(n) || o % width !== 0 || (width !== 2 && width !== 4 && width !== 8)) {
    return false;
  }
  const b = src.byteOffset;
  const p = (k: number) => new Uint8Array(src.buffer, b + k * n, n);
  if (width === 2) {
    const d = new Uint16Array(dst.buffer, o, n);
    const [a0, a1] = swap ? [p(1), p(0)] : [p(0), p(1)];
    for (let i = 0; i < n; i++) d[i] = a0[i] | (a1[i] << 8);
    return true;
  }
  const d = new Uint32Array(dst.buffer, o, n * (width >> 2));
  if (width === 4) {
    const [a0, a1, a2, a3] = swap ? [p(3), p(2), p(1), p(0)] : [p(0), p(1), p(2), p(3)];
    for (let i = 0; i < n; i++) d[i] = a0[i] | (a1[i] << 8) | (a2[i] << 16) | (a3[i] << 24);
    return true;
  }
  // width 8: native byte j of the element is plane j, or plane 7 - j when swapped
  const q = swap ? [7, 6, 5, 4, 3, 2, 1, 0].map(p) : [0, 1, 2, 3, 4, 5, 6, 7].map(p);
  const [a0, a1, a2, a3, a4, a5, a6, a7] = q;
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    d[j] = a0[i] | (a1[i] << 8) | (a2[i] << 16) | (a3[i] << 24);
    d[j + 1] = a4[i] | (a5[i] << 8) | (a6[i] << 16) | (a7[i] << 24);
  }
  return true;
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = k;
    k *= shape[i];
  }
  return s;
}

export function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}
