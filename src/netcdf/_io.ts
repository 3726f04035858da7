// Private: byte sources and the wasm handle's "load these bytes and call
// again" loop. The inflate backends are in _inflate.ts, a read plan's chunks
// and the box copy that assembles them in _chunk_plan.ts.

import { NeedBytes, NetcdfHandle } from "../_wasm/gen/icoscp_decoder.js";
import { callWasm, initNetcdf, trackWasmObject, wasmGeneration } from "../_wasm/decoder.ts";
import { CorruptDataError, InvalidArgumentError, TruncatedDataError } from "../errors.ts";

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
