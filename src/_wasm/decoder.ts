// Private: the loader of the wasm decoder, shared by the cpb engine (byte
// swapping, layouts, string dictionaries) and the NetCDF / HDF5 reader
// (`src/netcdf/_io.ts`), with the typed errors of its calls. The module is compiled synchronously on first
// use from bytes inlined in src/_wasm/ (no `.wasm` fetch, so it works the
// same in Deno, Node, browsers and edge runtimes). Bulk data never crosses
// the boundary as JS values: blocks are copied into a fixed staging buffer in
// wasm memory, swapped there by the simd128 kernel while hot in cache, and
// copied out into the destination typed array. Wasm memory therefore never
// grows with the size of a table.

import {
  alloc,
  initSync,
  resetInstance,
  simdEnabled,
  type StringDictionary,
  stringDictionary,
  swap,
  WasmError,
  wasmMemory,
} from "./gen/icoscp_decoder.js";
import { wasmBase64 } from "./gen/icoscp_decoder_bytes.js";
import { decodeBase64 } from "../_util/base64.ts";
import {
  CarbonPortalError,
  CorruptDataError,
  DecodeError,
  LimitExceededError,
  TruncatedDataError,
  UnsupportedFormatError,
} from "../errors.ts";

/** Bytes swapped per wasm call: fits L2 with room to spare. */
export const STAGE_BYTES = 128 * 1024;

/** The staging buffer in wasm memory. */
export interface Staging {
  ptr: number;
  memory: WebAssembly.Memory;
  view: Uint8Array;
}

let staging: Staging | undefined;
let available: boolean | undefined;

// A module that uses one simd128 instruction: validates only where simd128 is supported.
const SIMD_PROBE = new Uint8Array([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  123,
  3,
  2,
  1,
  0,
  10,
  10,
  1,
  8,
  0,
  65,
  0,
  253,
  15,
  253,
  98,
  11,
]);

/** Whether this runtime can run the wasm engine (WebAssembly with simd128). */
export function wasmAvailable(): boolean {
  if (available === undefined) {
    try {
      available = typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
    } catch {
      available = false;
    }
  }
  return available;
}

/** Loads the wasm module (once) and returns the staging buffer. */
export function init(): Staging {
  if (staging && staging.view.byteLength !== 0) return staging;
  if (!staging) {
    if (!wasmAvailable()) {
      throw new CarbonPortalError("WebAssembly with simd128 is not available in this runtime");
    }
    const bytes = decodeBase64(wasmBase64);
    if (!bytes) throw new CarbonPortalError("The inlined wasm module is not valid base64");
    initSync(bytes);
    const ptr = alloc(STAGE_BYTES);
    const memory = wasmMemory() as WebAssembly.Memory;
    staging = { ptr, memory, view: new Uint8Array(memory.buffer, ptr, STAGE_BYTES) };
  } else {
    // The memory grew (another allocation) and detached the old view.
    staging.view = new Uint8Array(staging.memory.buffer, staging.ptr, STAGE_BYTES);
  }
  return staging;
}

/** Whether the loaded wasm swaps with simd128 (loads the module). */
export function wasmSimd(): boolean {
  init();
  return simdEnabled();
}

/** Copies `src` (big-endian elements of `width` bytes) into `dst` in native order. */
export function swapIntoWasm(src: Uint8Array, dst: Uint8Array, width: number): void {
  if (width === 1) {
    dst.set(src);
    return;
  }
  let st = init();
  for (let p = 0; p < src.length; p += STAGE_BYTES) {
    const n = Math.min(STAGE_BYTES, src.length - p);
    if (st.view.byteLength === 0) st = init();
    st.view.set(src.subarray(p, p + n));
    callWasm(() => swap(st.ptr, n, width));
    dst.set(n === STAGE_BYTES ? st.view : st.view.subarray(0, n), p);
  }
}

/** Parses a `.cpb` string dictionary in wasm. */
export function parseDictionaryWasm(bytes: Uint8Array, base: number): string[] {
  init();
  return stringsOf(callWasm(() => stringDictionary(bytes, base)));
}

/** The strings of a wasm {@linkcode StringDictionary}, which it frees. */
export function stringsOf(dict: StringDictionary): string[] {
  try {
    const utf8 = dict.utf8;
    const offsets = dict.offsets;
    const decoder = new TextDecoder();
    const out: string[] = new Array(Math.max(0, offsets.length - 1));
    for (let i = 0; i < out.length; i++) {
      out[i] = decoder.decode(utf8.subarray(offsets[i], offsets[i + 1]));
    }
    return out;
  } finally {
    dict.free();
  }
}

let generation = 0;
const objects = new Set<WeakRef<{ __destroy_into_raw(): number }>>();

/** How many times the wasm instance was replaced after a trap. */
export function wasmGeneration(): number {
  return generation;
}

/**
 * Remembers a wasm-bindgen object (a `NetcdfHandle`) so that, when the
 * instance is replaced after a trap, it is detached without touching the new
 * instance (neither its finalizer nor `free()` may then reach wasm).
 */
export function trackWasmObject(o: { __destroy_into_raw?(): number }): void {
  if (typeof o.__destroy_into_raw !== "function") return;
  objects.add(new WeakRef(o as { __destroy_into_raw(): number }));
  if (objects.size > 1024) { for (const r of objects) if (!r.deref()) objects.delete(r); }
}

/** Drops the instance after a trap: the next {@linkcode init} loads a fresh one. */
function resetAfterTrap(): void {
  for (const r of objects) r.deref()?.__destroy_into_raw();
  objects.clear();
  resetInstance();
  staging = undefined;
  generation++;
}

/**
 * Runs a wasm call and turns the {@linkcode WasmError} it throws into the
 * client's typed errors. A trap (`RuntimeError: unreachable`, out of memory)
 * becomes a {@linkcode DecodeError} and replaces the instance, so later
 * calls work.
 */
export function callWasm<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      resetAfterTrap();
      throw new DecodeError(`The wasm decoder failed (${e.message}); it was restarted`, {
        kind: "limit",
        cause: e,
      });
    }
    if (!(e instanceof WasmError)) throw e;
    let kind: string, offset: number | undefined, message: string;
    try {
      ({ kind, offset, message } = e);
    } finally {
      e.free();
    }
    // The cause: what the decoder reported, as plain data (the wasm object is freed).
    const cause = { kind, offset, message };
    const options = { byteOffset: offset, cause };
    switch (kind) {
      case "truncated":
        throw new TruncatedDataError(message, options);
      case "corrupt":
        throw new CorruptDataError(message, options);
      case "unsupported":
        throw new UnsupportedFormatError(message, options);
      case "limit":
        throw new LimitExceededError(message, options);
      case "argument":
        throw new RangeError(message.replace(/^Invalid argument: /, ""), { cause });
      default:
        throw new DecodeError(message, { kind: "corrupt", ...options });
    }
  }
}
