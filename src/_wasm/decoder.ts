// Private: the loader of the two wasm decoders, with the typed errors of
// their calls. The cpb kernel (byte swapping, string dictionaries; a few KB)
// is inlined as base64 and compiled synchronously on first use by every
// import of the library. The full decoder (NetCDF-3/4, HDF5 and its filters;
// `src/netcdf/_io.ts`) is imported lazily, on the first NetCDF read, so a
// program that reads tables never loads it. Runtimes that forbid compiling
// wasm at run time (Cloudflare Workers, Vercel Edge) hand over the full
// module their `.wasm` import gives through `initDecoder`, which then serves
// cpb too; without it, cpb falls back to the TypeScript engine and NetCDF
// throws a WasmUnavailableError that says so. Bulk data never crosses the
// boundary as JS values: blocks are copied into a fixed staging buffer in
// wasm memory, swapped there by the simd128 kernel while hot in cache, and
// copied out into the destination typed array. Wasm memory therefore never
// grows with the size of a table.

import * as core from "./gen/icoscp_core.js";
import * as full from "./gen/icoscp_decoder.js";
import { wasmBase64 as coreBase64 } from "./gen/icoscp_core_bytes.js";
import { decodeBase64 } from "../_util/base64.ts";
import {
  CorruptDataError,
  DecodeError,
  HttpError,
  InvalidArgumentError,
  LimitExceededError,
  NetworkError,
  TruncatedDataError,
  UnsupportedFormatError,
  WasmUnavailableError,
} from "../errors.ts";

/** Bytes swapped per wasm call: fits L2 with room to spare. */
export const STAGE_BYTES = 128 * 1024;

/** The staging buffer in wasm memory. */
export interface Staging {
  ptr: number;
  memory: WebAssembly.Memory;
  view: Uint8Array;
}

/** What both glues have: the cpb kernel's calls. */
interface Kernel {
  initSync(module: WebAssembly.Module): unknown;
  alloc(len: number): number;
  swap(ptr: number, len: number, width: number): void;
  stringDictionary(bytes: Uint8Array, base: number): core.StringDictionary;
  simdEnabled(): boolean;
  wasmMemory(): unknown;
}

/** The glue whose instance holds the staging buffer (the core's, or the full one's after initDecoder). */
let kernel: Kernel | undefined;
let staging: Staging | undefined;
let simd: boolean | undefined;
let compiles: boolean | undefined;
/** The full module handed over by {@linkcode initDecoder}. */
let provided: WebAssembly.Module | undefined;
/** The full module compiled here from the lazily imported bytes. */
let compiled: Promise<WebAssembly.Module> | undefined;
/** The full module, once {@linkcode loadNetcdfDecoder} has it. */
let fullModule: WebAssembly.Module | undefined;
/** Whether the full glue has a live instance. */
let fullLive = false;

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

/** What to do where wasm cannot be compiled at run time. */
const ADVICE = "call initDecoder with the imported .wasm module " +
  '(`import wasm from "…/icoscp_decoder.wasm"; await initDecoder(wasm)`, see docs/runtimes.md)';

/** Whether WebAssembly with simd128 exists here (validation compiles nothing). */
function simdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
  }
  return simd;
}

/**
 * Whether this runtime may compile wasm from bytes at run time (Cloudflare
 * Workers and Vercel Edge may not: "Wasm code generation disallowed by
 * embedder"). One feature test, once.
 */
function compileAllowed(): boolean {
  if (compiles === undefined) {
    try {
      new WebAssembly.Module(SIMD_PROBE);
      compiles = true;
    } catch {
      compiles = false;
    }
  }
  return compiles;
}

/**
 * Whether this runtime can run the wasm engine: WebAssembly with simd128, and
 * either a module from {@linkcode initDecoder} or leave to compile one.
 */
export function wasmAvailable(): boolean {
  return simdSupported() && (provided !== undefined || compileAllowed());
}

/** `bytes` compiled here, or a typed error saying why they cannot be. */
function compileHere(bytes: Uint8Array): WebAssembly.Module {
  if (!simdSupported()) {
    throw new WasmUnavailableError("WebAssembly with simd128 is not available in this runtime");
  }
  try {
    return new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new WasmUnavailableError(
      `This runtime does not compile WebAssembly at run time (${(e as Error).message}): ${ADVICE}`,
      { cause: e },
    );
  }
}

/** Instantiates `module` with `glue`, turning a mismatch into a typed error. */
function instantiate(
  glue: { initSync(m: WebAssembly.Module): unknown },
  module: WebAssembly.Module,
) {
  try {
    glue.initSync(module);
  } catch (e) {
    throw new WasmUnavailableError(
      `The wasm decoder could not be instantiated (${(e as Error).message}): ` +
        "was initDecoder given another version's .wasm?",
      { cause: e },
    );
  }
}

/** Loads the cpb kernel (once) and returns the staging buffer. */
export function init(): Staging {
  if (staging && staging.view.byteLength !== 0) return staging;
  if (!staging) {
    let glue: Kernel;
    if (provided) {
      glue = full as unknown as Kernel;
      initNetcdf();
    } else {
      const bytes = decodeBase64(coreBase64);
      if (!bytes) throw new WasmUnavailableError("The inlined wasm module is not valid base64");
      glue = core as unknown as Kernel;
      instantiate(glue, compileHere(bytes));
    }
    const ptr = glue.alloc(STAGE_BYTES);
    const memory = glue.wasmMemory() as WebAssembly.Memory;
    kernel = glue;
    staging = { ptr, memory, view: new Uint8Array(memory.buffer, ptr, STAGE_BYTES) };
  } else {
    // The memory grew (another allocation) and detached the old view.
    staging.view = new Uint8Array(staging.memory.buffer, staging.ptr, STAGE_BYTES);
  }
  return staging;
}

/**
 * Makes the full decoder ready (once): the module from {@linkcode initDecoder},
 * else the bytes imported lazily and compiled here. Call before
 * {@linkcode initNetcdf}.
 */
export async function loadNetcdfDecoder(): Promise<void> {
  if (provided || fullModule) return;
  if (!simdSupported() || !compileAllowed()) {
    // the typed error, with the runtime's own as its cause
    compileHere(new Uint8Array(SIMD_PROBE));
  }
  compiled ??= (async () => {
    const { wasmBase64 } = await import("./gen/icoscp_decoder_bytes.js");
    const bytes = decodeBase64(wasmBase64);
    if (!bytes) throw new WasmUnavailableError("The inlined wasm module is not valid base64");
    return compileHere(bytes);
  })();
  try {
    fullModule = await compiled;
  } catch (e) {
    compiled = undefined;
    throw e;
  }
}

/** Instantiates the full decoder (once; after {@linkcode loadNetcdfDecoder}). */
export function initNetcdf(): void {
  if (fullLive) return;
  const module = provided ?? fullModule;
  if (!module) {
    throw new WasmUnavailableError("The NetCDF decoder is not loaded (loadNetcdfDecoder first)");
  }
  instantiate(full, module);
  fullLive = true;
}

/** What {@linkcode initDecoder} accepts. */
export type DecoderSource =
  | WebAssembly.Module
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | URL
  | string;

/** Exports the full decoder has (the cpb kernel's and the NetCDF reader's). */
const REQUIRED_EXPORTS = ["memory", "alloc", "swap", "stringDictionary", "netcdfhandle_new"];

/**
 * Hands the library its wasm decoder, for runtimes that forbid compiling
 * WebAssembly at run time: Cloudflare Workers (workerd) and Vercel Edge load
 * wasm only through an `import` of a `.wasm` file, which gives a compiled
 * `WebAssembly.Module`. Pass that module (or, where compiling is allowed,
 * the file's bytes, a `Response` or its URL). Elsewhere it is optional: the
 * inlined copy is compiled on first use. Without it on such a runtime, cpb
 * tables still decode (with the TypeScript engine) but NetCDF reads throw a
 * {@linkcode WasmUnavailableError} saying to call this. Call it once,
 * before the first read; later calls replace nothing already loaded.
 *
 * The file ships in the package as `src/_wasm/gen/icoscp_decoder.wasm`.
 *
 * @param source A `WebAssembly.Module`, the `.wasm` bytes, a `Response` or a URL of the file.
 * @returns When the module is ready.
 * @throws {WasmUnavailableError} The bytes cannot be compiled here, or the module is not this library's decoder.
 * @throws {HttpError} The URL answered with an error status.
 * @throws {NetworkError} The URL could not be fetched.
 *
 * @example A Cloudflare Worker (the `.wasm` import gives a compiled module)
 * ```ts ignore
 * import { CarbonPortal, initDecoder } from "@icoscp/icoscp";
 * import wasm from "@icoscp/icoscp/src/_wasm/gen/icoscp_decoder.wasm";
 *
 * await initDecoder(wasm);
 * ```
 *
 * @example From the file's URL (where compiling is allowed)
 * ```ts
 * import { initDecoder, openNetCDF } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * await initDecoder(new URL("./src/_wasm/gen/icoscp_decoder.wasm", import.meta.resolve("@icoscp/icoscp")));
 * // CDF-1: one dimension x = 3, one variable `short v(x)` = 1, 2, 3.
 * const file = new Uint8Array([
 *   67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0,
 *   0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1,
 *   118, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
 *   0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0, 0,
 * ]);
 * assert.deepEqual(await (await openNetCDF(file)).read("v"), new Int16Array([1, 2, 3]));
 * ```
 */
export async function initDecoder(source: DecoderSource): Promise<void> {
  const module = source instanceof WebAssembly.Module ? source : await compile(source);
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = REQUIRED_EXPORTS.filter((n) => !names.has(n));
  if (missing.length) {
    throw new WasmUnavailableError(
      `initDecoder was given a wasm module that is not icoscp's decoder (it lacks ${
        missing.join(", ")
      }): pass the package's icoscp_decoder.wasm`,
    );
  }
  provided ??= module;
}

async function compile(source: unknown): Promise<WebAssembly.Module> {
  let bytes: ArrayBuffer | ArrayBufferView;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    bytes = source;
  } else if (source instanceof Response || source instanceof URL || typeof source === "string") {
    const url = source instanceof Response ? source.url : String(source);
    let res: Response;
    try {
      res = source instanceof Response ? source : await fetch(source);
    } catch (e) {
      throw new NetworkError(`Fetching the wasm decoder failed at ${url}`, { cause: e });
    }
    if (!res.ok) {
      throw new HttpError("Fetching the wasm decoder", { status: res.status, url });
    }
    bytes = await res.arrayBuffer();
  } else {
    throw new InvalidArgumentError(
      "initDecoder expects a WebAssembly.Module, the .wasm bytes, a Response or a URL",
    );
  }
  try {
    return await WebAssembly.compile(bytes as BufferSource);
  } catch (e) {
    throw new WasmUnavailableError(
      `initDecoder could not compile the bytes it was given (${(e as Error).message}); ` +
        `on a runtime that forbids it, ${ADVICE}`,
      { cause: e },
    );
  }
}

/** Whether the loaded wasm swaps with simd128 (loads the module). */
export function wasmSimd(): boolean {
  init();
  return kernel!.simdEnabled();
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
    callWasm(() => kernel!.swap(st.ptr, n, width));
    dst.set(n === STAGE_BYTES ? st.view : st.view.subarray(0, n), p);
  }
}

/** Parses a `.cpb` string dictionary in wasm. */
export function parseDictionaryWasm(bytes: Uint8Array, base: number): string[] {
  init();
  return stringsOf(callWasm(() => kernel!.stringDictionary(bytes, base)));
}

/** The strings of a wasm {@linkcode StringDictionary}, which it frees. */
export function stringsOf(dict: core.StringDictionary | full.StringDictionary): string[] {
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
  // Without WeakRef (workerd before its `enable_weak_ref` date) there is no
  // FinalizationRegistry either: no finalizer can reach the new instance.
  if (typeof WeakRef === "undefined") return;
  objects.add(new WeakRef(o as { __destroy_into_raw(): number }));
  if (objects.size > 1024) { for (const r of objects) if (!r.deref()) objects.delete(r); }
}

/** Drops the instance after a trap: the next {@linkcode init} loads a fresh one. */
function resetAfterTrap(): void {
  for (const r of objects) r.deref()?.__destroy_into_raw();
  objects.clear();
  core.resetInstance();
  full.resetInstance();
  fullLive = false;
  staging = undefined;
  kernel = undefined;
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
    if (!(e instanceof core.WasmError || e instanceof full.WasmError)) throw e;
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
        throw new InvalidArgumentError(message.replace(/^Invalid argument: /, ""), { cause });
      default:
        throw new DecodeError(message, { kind: "corrupt", ...options });
    }
  }
}
