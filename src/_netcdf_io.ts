// Private: byte sources, the wasm handle's "load these bytes and call again"
// loop, inflate backends (node:zlib, DecompressionStream, wasm) and the
// C-order box copy used to assemble chunks into one array.

import { inflateZlib, NetcdfHandle, unfilter } from "./_wasm/icoscp_decoder.js";
import { callWasm, init } from "./_cpb_wasm.ts";
import { CorruptDataError, TruncatedDataError } from "./errors.ts";

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
      throw new TypeError(
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
  async readInto(start: number, dst: Uint8Array): Promise<void> {
    const src = this.#src as { readInto?: (s: number, d: Uint8Array) => Promise<void> };
    if (!this.#mem && typeof src.readInto === "function" && start + dst.byteLength <= this.length) {
      await src.readInto(start, dst);
      return;
    }
    dst.set(await this.read(start, dst.byteLength));
  }
}

const NEED = /^need\|(\d+)\|(\d+)$/;

/** The wasm handle of one file plus the loop that feeds it bytes on demand. */
export class Parser {
  readonly handle: NetcdfHandle;
  readonly #reader: Reader;

  constructor(reader: Reader) {
    init();
    this.#reader = reader;
    this.handle = callWasm(() => new NetcdfHandle(reader.length));
  }

  /** Hands the first bytes (or the whole file) to the parser. */
  async prime(): Promise<void> {
    const n = Math.min(this.#reader.length, this.#reader.inMemory ? WHOLE : BLOCK);
    if (n > 0) this.handle.add(0, await this.#reader.read(0, n));
  }

  /** Runs `f`, loading what it asks for, until it answers. */
  async call<T>(f: (h: NetcdfHandle) => T): Promise<T> {
    let last = "";
    for (let round = 0;; round++) {
      let need: RegExpExecArray | null = null;
      try {
        return callWasm(() => {
          try {
            return f(this.handle);
          } catch (e) {
            need = NEED.exec(e instanceof Error ? e.message : String(e));
            throw e;
          }
        });
      } catch (e) {
        if (!need) throw e;
      }
      const [, o, n] = need as RegExpExecArray;
      const off = Number(o), len = Number(n);
      const key = `${off}+${len}`;
      if (key === last || round > 1_000_000) {
        throw new CorruptDataError(`Parser asked twice for bytes ${key}`, { byteOffset: off });
      }
      last = key;
      const lo = Math.floor(off / BLOCK) * BLOCK;
      const hi = Math.min(this.#reader.length, Math.ceil((off + len) / BLOCK) * BLOCK);
      this.handle.add(lo, await this.#reader.read(lo, hi - lo));
    }
  }
}

interface NodeZlib {
  inflateSync(buf: Uint8Array): Uint8Array;
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

/** An inflate function for the chosen backend. */
export async function inflater(
  backend: InflateBackend,
): Promise<(raw: Uint8Array, size: number, at: number) => Promise<Uint8Array> | Uint8Array> {
  const wasm = (raw: Uint8Array, size: number): Uint8Array =>
    callWasm(() => inflateZlib(raw, size, Math.max(size, raw.byteLength * 1032 + 64)));
  const bad = (e: unknown, at: number): never => {
    throw new CorruptDataError(
      `Corrupt deflated chunk at byte ${at}: ${e instanceof Error ? e.message : e}`,
      { byteOffset: at, cause: e },
    );
  };
  if (backend === "wasm") return wasm;
  if (backend === "node" || backend === "auto") {
    const z = await loadNodeZlib();
    if (z) {
      return (raw, _size, at) => {
        try {
          return z.inflateSync(raw);
        } catch (e) {
          return bad(e, at);
        }
      };
    }
    if (backend === "node") throw new TypeError("node:zlib is not available in this runtime");
  }
  if (typeof DecompressionStream === "function") {
    return async (raw, _size, at) => {
      try {
        const s = new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
          new DecompressionStream("deflate"),
        );
        return new Uint8Array(await new Response(s).arrayBuffer());
      } catch (e) {
        return bad(e, at);
      }
    };
  }
  if (backend === "stream") throw new TypeError("DecompressionStream is not available");
  return wasm;
}

/** Undoes one non-deflate filter in wasm (shuffle, Fletcher-32). */
export function unfilterWasm(data: Uint8Array, filter: number, elem: number): Uint8Array {
  return callWasm(() => unfilter(data, filter, elem, data.byteLength));
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
