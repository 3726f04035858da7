// Private: byte sources, the wasm handle's "load these bytes and call again"
// loop, inflate backends (node:zlib, DecompressionStream, wasm), the decoder
// of a read plan's chunks and the C-order box copy used to assemble them.

import {
  inflateZlib,
  NeedBytes,
  NetcdfHandle,
  type ReadPlan,
  unfilter,
  type VarLayout,
  wasmMemory,
} from "../_wasm/gen/icoscp_decoder.js";
import {
  callWasm,
  initNetcdf,
  loadNetcdfDecoder,
  trackWasmObject,
  wasmGeneration,
} from "../_wasm/decoder.ts";
import {
  CorruptDataError,
  DecodeError,
  InvalidArgumentError,
  LimitExceededError,
  TruncatedDataError,
} from "../errors.ts";

/** Bytes that can be read by range: an in-memory file or a remote one. */
export interface ByteSource {
  /** Total length of the file in bytes. */
  readonly byteLength: number;
  /** The bytes `[start, end)`; may answer asynchronously (an HTTP range request). */
  slice(
    start: number,
    end: number,
  ): Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>;
}

/** Which inflate implementation decompresses deflated chunks. */
export type InflateBackend = "auto" | "node" | "stream" | "wasm";

/** Bytes of deflated input handed to a `DecompressionStream` at a time. */
const STREAM_PIECE = 4096;

/** Blocks handed to the wasm parser when it asks for bytes it has not seen. */
const BLOCK = 64 * 1024;
/** Files up to this size are handed to the parser whole. */
const WHOLE = 4 * 1024 * 1024;

function bytesOf(b: Uint8Array | ArrayBuffer): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}

/** A source with an in-memory fast path. */
export class Reader {
  readonly length: number;
  readonly #mem: Uint8Array | undefined;
  readonly #src: ByteSource | undefined;

  constructor(source: Uint8Array | ArrayBuffer | ByteSource) {
    if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
      this.#mem = bytesOf(source);
      this.length = this.#mem.byteLength;
    } else if (
      source && typeof source === "object" && typeof source.slice === "function" &&
      Number.isSafeInteger(source.byteLength) && source.byteLength >= 0
    ) {
      this.#src = source;
      this.length = source.byteLength;
    } else {
      throw new InvalidArgumentError(
        "Expected a Uint8Array, an ArrayBuffer or a { byteLength, slice(start, end) } source",
      );
    }
  }

  /** Whether the bytes are all in memory. */
  get inMemory(): boolean {
    return this.#mem !== undefined;
  }

  /** The bytes `[start, start + n)`. */
  async read(start: number, n: number): Promise<Uint8Array> {
    if (start < 0 || n < 0 || start + n > this.length) {
      throw new TruncatedDataError(
        `Truncated file: bytes ${start}..${start + n} are past its end (${this.length} bytes)`,
        { byteOffset: start },
      );
    }
    if (this.#mem) return this.#mem.subarray(start, start + n);
    const b = bytesOf(await this.#src!.slice(start, start + n));
    if (b.byteLength < n) {
      throw new TruncatedDataError(
        `Truncated read: expected ${n} bytes at ${start}, got ${b.byteLength}`,
        { byteOffset: start + b.byteLength },
      );
    }
    return b.byteLength === n ? b : b.subarray(0, n);
  }

  /** Reads `[start, start + dst.byteLength)` into `dst` (straight from a file where it can). */
  /**
   * Tells a remote source which ranges a read is about to ask for, one after
   * another, so that it can fetch close ones together (and at once); the
   * reads themselves follow. A no-op for bytes in memory and for sources
   * without `prefetch`.
   */
  prefetch(starts: ArrayLike<number>, sizes: ArrayLike<number>): void {
    const src = this.#src as { prefetch?: (r: [number, number][]) => void } | undefined;
    if (this.#mem || typeof src?.prefetch !== "function" || starts.length < 2) return;
    const ranges: [number, number][] = [];
    for (let k = 0; k < starts.length; k++) {
      const a = Number(starts[k]), b = a + Number(sizes[k]);
      if (a >= 0 && b > a && b <= this.length) ranges.push([a, b]);
    }
    src.prefetch(ranges);
  }

  async readInto(start: number, dst: Uint8Array): Promise<void> {
    const src = this.#src as { readInto?: (s: number, d: Uint8Array) => Promise<void> };
    if (!this.#mem && typeof src.readInto === "function" && start + dst.byteLength <= this.length) {
      await src.readInto(start, dst);
      return;
    }
    dst.set(await this.read(start, dst.byteLength));
  }
}

/**
 * The wasm handle of one file plus the loop that feeds it bytes on demand.
 * When the wasm instance was replaced after a trap (see `callWasm`), the
 * next call makes a new handle and parses the file again, so one failed call
 * never breaks the file.
 */
export class Parser {
  #handle: NetcdfHandle;
  #gen: number;
  #parsed = false;
  #freed = false;
  readonly #reader: Reader;

  constructor(reader: Reader) {
    initNetcdf();
    this.#reader = reader;
    this.#gen = wasmGeneration();
    this.#handle = this.#newHandle();
  }

  #newHandle(): NetcdfHandle {
    const h = callWasm(() => new NetcdfHandle(this.#reader.length));
    trackWasmObject(h as unknown as { __destroy_into_raw?(): number });
    return h;
  }

  /** Hands the first bytes (or the whole file) to the parser. */
  async prime(): Promise<void> {
    const n = Math.min(this.#reader.length, this.#reader.inMemory ? WHOLE : BLOCK);
    const b = n > 0 ? await this.#reader.read(0, n) : undefined;
    if (b) callWasm(() => this.#handle.add(0, b));
  }

  /** Parses the metadata (packed as the decoder's `netcdf::encode` describes). */
  async parse(): Promise<Uint8Array> {
    const packed = await this.call((h) => h.parse());
    this.#parsed = true;
    return packed;
  }

  /** Runs `f`, loading what it asks for, until it answers. */
  async call<T>(f: (h: NetcdfHandle) => T): Promise<T> {
    if (this.#gen !== wasmGeneration()) {
      initNetcdf();
      this.#gen = wasmGeneration();
      this.#handle = this.#newHandle();
      await this.prime();
      if (this.#parsed) await this.#run((h) => h.parse());
    }
    return await this.#run(f);
  }

  async #run<T>(f: (h: NetcdfHandle) => T): Promise<T> {
    let last = "";
    for (let round = 0;; round++) {
      // The wasm throws a `NeedBytes` (not an error) when it needs more of the file.
      const r = callWasm((): { value: T } | { off: number; len: number } => {
        try {
          return { value: f(this.#handle) };
        } catch (e) {
          if (!(e instanceof NeedBytes)) throw e;
          try {
            return { off: e.offset, len: e.length };
          } finally {
            e.free();
          }
        }
      });
      if ("value" in r) return r.value;
      const { off, len } = r;
      const key = `${off}+${len}`;
      if (key === last || round > 1_000_000) {
        throw new CorruptDataError(`Parser asked twice for bytes ${key}`, { byteOffset: off });
      }
      last = key;
      const lo = Math.floor(off / BLOCK) * BLOCK;
      const hi = Math.min(this.#reader.length, Math.ceil((off + len) / BLOCK) * BLOCK);
      const b = await this.#reader.read(lo, hi - lo);
      callWasm(() => this.#handle.add(lo, b));
    }
  }

  /** Frees the handle's wasm memory (unless a restarted instance already dropped it). */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    if (this.#gen === wasmGeneration()) this.#handle.free();
  }
}

interface NodeZlib {
  inflateSync(buf: Uint8Array, options?: { maxOutputLength?: number }): Uint8Array;
}

let nodeZlib: NodeZlib | null | undefined;

/** node:zlib where the runtime has it (Deno, Node, Bun), else null. */
export async function loadNodeZlib(): Promise<NodeZlib | null> {
  if (nodeZlib === undefined) {
    try {
      const spec = "node:zlib";
      nodeZlib = (await import(spec)) as NodeZlib;
      if (typeof nodeZlib.inflateSync !== "function") nodeZlib = null;
    } catch {
      nodeZlib = null;
    }
  }
  return nodeZlib;
}

/**
 * An inflate function: `(raw, max, at)` inflates the zlib stream `raw`
 * (found at byte `at`) to at most `max` bytes, the size its chunk declares; a
 * stream that inflates to more is a {@linkcode CorruptDataError}, found
 * without inflating much past `max` (a deflate bomb never gets more memory
 * than its chunk declares). Only public APIs: node:zlib cannot inflate into
 * a given buffer, so each chunk inflates into one of its own (see
 * docs/performance.md for what that costs).
 */
export type Inflate = (
  raw: Uint8Array,
  max: number,
  at: number,
) => Promise<Uint8Array> | Uint8Array;

/** The {@linkcode Inflate} of the chosen backend. */
export async function inflater(backend: InflateBackend): Promise<Inflate> {
  const tooBig = (max: number, at: number, cause?: unknown): never => {
    throw new CorruptDataError(
      `Deflated chunk at byte ${at} inflates to more than its declared ${max} bytes`,
      { byteOffset: at, cause },
    );
  };
  const wasm = (raw: Uint8Array, max: number, at: number): Uint8Array => {
    try {
      initNetcdf();
      return callWasm(() => inflateZlib(raw, max, max));
    } catch (e) {
      if (e instanceof LimitExceededError) return tooBig(max, at, e);
      if (e instanceof DecodeError) {
        throw new CorruptDataError(`Corrupt deflated chunk at byte ${at}: ${e.message}`, {
          byteOffset: at,
          cause: e,
        });
      }
      throw e;
    }
  };
  const bad = (e: unknown, at: number): never => {
    throw new CorruptDataError(
      `Corrupt deflated chunk at byte ${at}: ${e instanceof Error ? e.message : e}`,
      { byteOffset: at, cause: e },
    );
  };
  if (backend === "wasm") {
    await loadNetcdfDecoder();
    return wasm;
  }
  if (backend === "node" || backend === "auto") {
    const z = await loadNodeZlib();
    if (z) {
      return (raw, max, at) => {
        try {
          return z.inflateSync(raw, { maxOutputLength: Math.max(1, max) });
        } catch (e) {
          if ((e as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE") return tooBig(max, at, e);
          return bad(e, at);
        }
      };
    }
    if (backend === "node") {
      throw new InvalidArgumentError("node:zlib is not available in this runtime");
    }
  }
  if (typeof DecompressionStream === "function") {
    return async (raw, max, at) => {
      const out = new Uint8Array(max);
      let n = 0;
      // Fed in small pieces, pulled on demand: one piece inflates to at most
      // about 4 MiB (DEFLATE's ratio is at most 1032:1), so reading stops
      // soon after `max` instead of after the whole stream.
      let fed = 0;
      const input = new ReadableStream<Uint8Array<ArrayBuffer>>({
        pull(c) {
          if (fed >= raw.byteLength) return c.close();
          const piece = raw.slice(fed, fed + STREAM_PIECE) as Uint8Array<ArrayBuffer>;
          fed += STREAM_PIECE;
          c.enqueue(piece);
        },
      }, { highWaterMark: 0 });
      const reader = input.pipeThrough(new DecompressionStream("deflate")).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (n + value.byteLength > max) {
            await reader.cancel().catch(() => {});
            return tooBig(max, at);
          }
          out.set(value, n);
          n += value.byteLength;
        }
      } catch (e) {
        if (e instanceof CorruptDataError) throw e;
        return bad(e, at);
      }
      return out.subarray(0, n);
    };
  }
  if (backend === "stream") throw new InvalidArgumentError("DecompressionStream is not available");
  return wasm;
}

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
  /** `none`, `fixed` (fixed-length strings) or `vlen` (variable-length strings). */
  readonly strings: "none" | "fixed" | "vlen";
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
