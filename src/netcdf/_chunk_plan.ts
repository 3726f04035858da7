// Private: the chunks of a read plan: storage layout, which chunks to
// fetch, the wasm filters, and the C-order box copy that assembles them.

import { callWasm, initNetcdf, trackWasmObject, wasmGeneration } from "../_wasm/decoder.ts";
import {
  type ReadPlan,
  unfilter,
  type VarLayout,
  wasmMemory,
} from "../_wasm/gen/icoscp_decoder.js";
import { DecodeError } from "../errors.ts";

/** HDF5 filters decoded in wasm (deflate, 1, has faster native backends). */
export const WASM_FILTERS: ReadonlySet<number> = new Set([
  1,
  2,
  3,
  4,
  5,
  6,
  307,
  32000,
  32001,
  32015,
]);

/** Where and how a variable's values are stored (a copy of the wasm `VarLayout`). */
export interface StorageLayout {
  /** `empty` (never written), `contiguous`, `compact` or `chunked`. */
  readonly kind: "empty" | "contiguous" | "compact" | "chunked";
  /** Bytes per element as stored. */
  readonly elem: number;
  /** Whether elements are stored big-endian. */
  readonly be: boolean;
  /** `none`, `fixed` (fixed-length strings), `vlen` (variable-length strings) or `tree` (decoded by `decodeValues`). */
  readonly strings: "none" | "fixed" | "vlen" | "tree";
  /** Contiguous: file offset of the data. */
  readonly addr: number;
  /** Contiguous: bytes stored; compact: bytes in the header. */
  readonly size: number;
  /** NetCDF-3 record variables: bytes per record (else 0). */
  readonly recSize: number;
  /** Chunked: HDF5 filter ids, in write order. */
  readonly filters: readonly number[];
  /** Chunked: each filter's client data (cd_values). */
  readonly params: readonly Uint32Array[];
}

/** Copies a wasm `VarLayout` into a {@linkcode StorageLayout} and frees it. */
export function storageLayout(l: VarLayout): StorageLayout {
  try {
    const filters = Array.from(l.filters);
    return {
      kind: l.kind as StorageLayout["kind"],
      elem: l.elem,
      be: l.be,
      strings: l.strings as StorageLayout["strings"],
      addr: l.addr,
      size: l.size,
      recSize: l.recSize,
      filters,
      params: filters.map((_, i) => l.params(i)),
    };
  } finally {
    l.free();
  }
}

/** The read plan of a box of a chunked variable (a copy of the wasm `ReadPlan`'s tables). */
export interface ChunkPlan {
  /** File offset of each chunk's stored bytes. */
  readonly addrs: Float64Array;
  /** Stored size of each chunk in bytes. */
  readonly sizes: Float64Array;
  /** Filter mask of each chunk: bit `i` set when filter `i` was skipped. */
  readonly masks: Uint32Array;
  /** Where each chunk starts in the result (elements) when it is one run of it, else -1. */
  readonly runs: Float64Array;
  /** Per chunk, `3 × rank` numbers: corner in the chunk, corner in the result, size. */
  readonly boxes: Float64Array;
  /** The chunk shape. */
  readonly chunk: number[];
  /** Whether some of the result lies in no chunk (it shows the fill value). */
  readonly needsFill: boolean;
  /**
   * Decodes chunk `k` from `data` (its stored bytes with filters `steps..`
   * already undone) and answers it, byte-swapped if the plan says so, as a
   * view of wasm memory valid until the next wasm call.
   */
  decode(k: number, data: Uint8Array, steps: number): Uint8Array;
  /** Frees the plan's wasm memory. */
  free(): void;
}

/**
 * Wraps a wasm `ReadPlan` of elements of `elem` bytes (tracked, so a
 * restarted instance never reaches it).
 */
export function chunkPlan(p: ReadPlan, elem: number): ChunkPlan {
  trackWasmObject(p as unknown as { __destroy_into_raw?(): number });
  const gen = wasmGeneration();
  const chunk = Array.from(p.chunk);
  const cbytes = chunk.reduce((a, b) => a * b, elem);
  let freed = false;
  try {
    return {
      addrs: p.addrs,
      sizes: p.sizes,
      masks: p.masks,
      runs: p.runs,
      boxes: p.boxes,
      chunk,
      needsFill: p.needsFill,
      decode(k, data, steps) {
        if (gen !== wasmGeneration()) {
          throw new DecodeError("The wasm decoder was restarted during this read; read again", {
            kind: "limit",
          });
        }
        callWasm(() => p.decode(k, data, steps));
        const memory = (wasmMemory() as WebAssembly.Memory).buffer as ArrayBuffer;
        return new Uint8Array(memory, p.staging, cbytes);
      },
      free() {
        if (freed) return;
        freed = true;
        if (gen === wasmGeneration()) p.free();
      },
    };
  } catch (e) {
    p.free();
    throw e;
  }
}

/**
 * Undoes one non-deflate filter in wasm; `expect` is the chunk's declared
 * size in bytes (no filter yields more), `params` the filter's client data.
 */
export function unfilterWasm(
  data: Uint8Array,
  filter: number,
  elem: number,
  expect: number,
  params: Uint32Array,
): Uint8Array {
  initNetcdf();
  return callWasm(() => unfilter(data, filter, elem, expect, params));
}

/**
 * Copies the box `count` at `from` of a C-order array `src` of shape
 * `shape` into the C-order array `dst` of shape `dshape` at `to`, `elem`
 * bytes per element; `src` may hold only the part of the array from byte
 * `srcBase` on. Trailing dimensions copied whole merge into one run.
 */
export function copyBox(
  src: Uint8Array,
  shape: readonly number[],
  from: readonly number[],
  dst: Uint8Array,
  dshape: readonly number[],
  to: readonly number[],
  count: readonly number[],
  elem: number,
  srcBase = 0,
): void {
  const rank = shape.length;
  if (rank === 0) {
    dst.set(src.subarray(0, elem));
    return;
  }
  for (const c of count) if (c === 0) return;
  // Merge trailing dimensions that are copied whole in both arrays.
  let k = rank - 1;
  let run = count[k] * elem;
  while (
    k > 0 && count[k] === shape[k] && count[k] === dshape[k] && from[k] === 0 && to[k] === 0
  ) {
    k--;
    run *= count[k];
  }
  // Strides (bytes) of the outer dimensions.
  const ss = new Array<number>(rank), ds = new Array<number>(rank);
  let s = elem, d = elem;
  for (let i = rank - 1; i >= 0; i--) {
    ss[i] = s;
    ds[i] = d;
    s *= shape[i];
    d *= dshape[i];
  }
  let sOff = -srcBase, dOff = 0;
  for (let i = 0; i < rank; i++) {
    sOff += from[i] * ss[i];
    dOff += to[i] * ds[i];
  }
  if (k === 0) {
    dst.set(src.subarray(sOff, sOff + run), dOff);
    return;
  }
  const idx = new Array<number>(k).fill(0);
  for (;;) {
    dst.set(src.subarray(sOff, sOff + run), dOff);
    let j = k - 1;
    for (;;) {
      idx[j]++;
      sOff += ss[j];
      dOff += ds[j];
      if (idx[j] < count[j]) break;
      sOff -= count[j] * ss[j];
      dOff -= count[j] * ds[j];
      idx[j] = 0;
      if (j === 0) return;
      j--;
    }
  }
}
