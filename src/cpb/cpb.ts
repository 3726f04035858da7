/**
 * Decoding the portal's binary tables ("cpb"): the response of
 * `POST /cpb` and the `.cpb` files of the data store (docs/protocol.md §4).
 *
 * Values are big-endian and column-major. The decoder turns them into native
 * typed arrays with a Rust kernel compiled to WebAssembly (simd128), and
 * falls back to a plain TypeScript decoder where WebAssembly is unavailable.
 *
 * @example Decoding a two-column response
 * ```ts
 * import { decodeCpb, encodeCpb } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeCpb([
 *   { type: "INT", values: [6466, 6467] },
 *   { type: "DOUBLE", values: [419.2594, 413.7135] },
 * ], { dictionary: false });
 * const cols = decodeCpb(bytes, { columns: ["INT", "DOUBLE"], size: 2, labels: ["RECORD", "Rnet"] });
 * assert.deepEqual(cols.RECORD, new Int32Array([6466, 6467]));
 * assert.equal(cols.Rnet[1], 413.7135);
 * ```
 *
 * @module
 */

import {
  ARRAY_OF,
  asBytes,
  BYTE_SIZE,
  type ColumnPlan,
  type CpbColumn,
  type CpbColumns,
  type CpbSchema,
  type CpbSlice,
  type Plan,
  planFile,
  planResponse,
  requireLength,
} from "./_layout.ts";
import { swapIntoTs } from "./_ts_engine.ts";
import { parseDictionaryWasm, swapIntoWasm, wasmAvailable } from "../_wasm/decoder.ts";
import { parseDictionaryTs } from "./_java_strings.ts";
import { CorruptDataError, InvalidArgumentError, TruncatedDataError } from "../errors.ts";

export type { CpbColumn, CpbColumns, CpbSchema, CpbSlice, CpbType } from "./_layout.ts";
export { type CpbInputColumn, encodeCpb, type EncodeCpbOptions } from "../codecs/cpb_encode.ts";
import { checkOptions, type OptionKeys } from "../_util/args.ts";

/** Which decoder runs: the wasm kernel, the TypeScript reference, or the best available. */
export type CpbEngine = "auto" | "wasm" | "ts";

/** Options of {@linkcode decodeCpb}, {@linkcode decodeCpbFile} and {@linkcode decodeCpbStream}. */
export interface DecodeCpbOptions {
  /** Indices into `schema.columns` of the columns requested, in the order returned. Default: all. */
  columnNumbers?: readonly number[];
  /** The rows requested. Default: all. */
  slice?: CpbSlice;
  /** The string dictionary for STRING columns of a response (a file carries its own). */
  strings?: readonly string[];
  /** Typed arrays to decode into instead of allocating, by label; reuse them across calls to avoid page faults on large tables. */
  into?: Readonly<Record<string, CpbColumn>>;
  /** Decoder engine. Default `"auto"`: wasm where available, else TypeScript. */
  engine?: CpbEngine;
}

const DECODE_KEYS: OptionKeys<DecodeCpbOptions> = {
  columnNumbers: true,
  slice: true,
  strings: true,
  into: true,
  engine: true,
};

interface Engine {
  swapInto(src: Uint8Array, dst: Uint8Array, width: number): void;
  parseDictionary(bytes: Uint8Array, base: number): string[];
  name: "wasm" | "ts";
}

const TS_ENGINE: Engine = {
  swapInto: swapIntoTs,
  parseDictionary: parseDictionaryTs,
  name: "ts",
};
const WASM_ENGINE: Engine = {
  swapInto: swapIntoWasm,
  parseDictionary: parseDictionaryWasm,
  name: "wasm",
};

function pickEngine(engine: CpbEngine = "auto"): Engine {
  if (engine === "ts") return TS_ENGINE;
  if (engine === "wasm") return WASM_ENGINE;
  if (engine !== "auto") throw new InvalidArgumentError(`Unknown engine ${String(engine)}`);
  return wasmAvailable() ? WASM_ENGINE : TS_ENGINE;
}

/**
 * Which engine `engine: "auto"` picks in this runtime.
 *
 * @returns `"wasm"` where WebAssembly with simd128 runs, else `"ts"`.
 *
 * @example
 * ```ts
 * import { cpbEngine } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(cpbEngine(), "wasm");
 * ```
 */
export function cpbEngine(): "wasm" | "ts" {
  return pickEngine("auto").name;
}

/** Allocates (or takes from `into`) the output of one column. */
function outputFor(
  c: ColumnPlan,
  rows: number,
  into: DecodeCpbOptions["into"],
): Exclude<CpbColumn, string[]> {
  const Ctor = ARRAY_OF[c.type];
  const given = into?.[c.label];
  if (given === undefined || c.type === "STRING") return new Ctor(rows);
  if (!(given instanceof Ctor) || given.length !== rows) {
    throw new InvalidArgumentError(
      `into.${c.label} must be a ${Ctor.name} of ${rows} elements for a ${c.type} column`,
    );
  }
  return given;
}

function bytesOf(a: Exclude<CpbColumn, string[]>): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function resolveStrings(
  indices: Int32Array,
  dictionary: readonly string[] | undefined,
  c: ColumnPlan,
): string[] {
  if (!dictionary) {
    throw new InvalidArgumentError(
      `Column ${c.label} is STRING: pass options.strings (a /cpb response has no dictionary)`,
    );
  }
  const out: string[] = new Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const s = dictionary[indices[i]];
    if (s === undefined) {
      throw new CorruptDataError(
        `Column ${c.label} row ${i} refers to string ${indices[i]} of ${dictionary.length}`,
        { byteOffset: c.byteOffset + 4 * i },
      );
    }
    out[i] = s;
  }
  return out;
}

function decodePlanned(
  bytes: Uint8Array,
  p: Plan,
  engine: Engine,
  dictionary: readonly string[] | undefined,
  into: DecodeCpbOptions["into"],
): CpbColumns {
  const result: CpbColumns = {};
  for (const c of p.columns) {
    const out = outputFor(c, p.rows, into);
    engine.swapInto(
      bytes.subarray(c.byteOffset, c.byteOffset + c.byteLength),
      bytesOf(out),
      BYTE_SIZE[c.type],
    );
    result[c.label] = c.type === "STRING" ? resolveStrings(out as Int32Array, dictionary, c) : out;
  }
  return result;
}

/**
 * Decodes the body of a `/cpb` response: the requested columns one after the
 * other, big-endian, nothing else.
 *
 * @param bytes The response body.
 * @param schema The request's `schema` (all stored columns, in stored order) plus optional labels.
 * @param options The requested `columnNumbers` and `slice`, a dictionary for STRING columns, reusable outputs, the engine.
 * @returns Columns by label, in the order requested (integer-like labels such as the default
 * `"0"`, `"1"` enumerate in ascending order, as JavaScript objects do): `Float64Array` (DOUBLE), `Float32Array` (FLOAT), `Int32Array` (INT), `Int16Array` (SHORT), `Uint16Array` (CHAR, UTF-16 code units), `Int8Array` (BYTE), `string[]` (STRING).
 * @throws {TruncatedDataError} When the body is shorter than the layout (a short body is never a short table).
 * @throws {CorruptDataError} When bytes follow the columns, or a STRING index is out of range.
 * @throws {InvalidArgumentError} When a column number or the slice is outside the table.
 * @throws {InvalidArgumentError} When the schema is malformed or `into` does not fit.
 *
 * @example A slice of two columns out of three
 * ```ts
 * import { decodeCpb, encodeCpb } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const schema = { columns: ["INT", "FLOAT", "CHAR"] as const, size: 4, labels: ["n", "co2", "Flag"] };
 * // the portal answers {columnNumbers: [2, 0], slice: {offset: 1, length: 2}} with:
 * const body = encodeCpb([
 *   { type: "CHAR", values: [..."OU"].map((c) => c.charCodeAt(0)) },
 *   { type: "INT", values: [11, 12] },
 * ], { dictionary: false });
 * const cols = decodeCpb(body, schema, { columnNumbers: [2, 0], slice: { offset: 1, length: 2 } });
 * assert.deepEqual(Object.keys(cols), ["Flag", "n"]);
 * assert.equal(String.fromCharCode(...cols.Flag as Uint16Array), "OU");
 * assert.deepEqual(cols.n, new Int32Array([11, 12]));
 * ```
 */
export function decodeCpb(
  bytes: Uint8Array | ArrayBuffer,
  schema: CpbSchema,
  options: DecodeCpbOptions = {},
): CpbColumns {
  options = checkOptions("decodeCpb", options, DECODE_KEYS);
  const u8 = asBytes(bytes);
  const engine = pickEngine(options.engine);
  const p = planResponse(schema, options.columnNumbers, options.slice);
  requireLength(p, u8.length, "cpb response");
  if (u8.length > p.dataLength) {
    throw new CorruptDataError(
      `Cpb response has ${
        u8.length - p.dataLength
      } bytes more than its ${p.dataLength}-byte layout`,
      { byteOffset: p.dataLength },
    );
  }
  return decodePlanned(u8, p, engine, options.strings, options.into);
}

/**
 * Decodes columns of a whole `.cpb` file as the data store keeps it: every
 * column for all rows, then the string dictionary that STRING columns refer
 * to. This is what a client with direct access to the store reads.
 *
 * @param bytes The whole file.
 * @param schema All stored columns, in stored order, and the row count.
 * @param options The columns and rows to read (default all), reusable outputs, the engine.
 * @returns Columns by label, as {@linkcode decodeCpb}; STRING columns resolved through the file's dictionary.
 * @throws {TruncatedDataError} When the file is shorter than the schema says, or its dictionary is cut.
 * @throws {CorruptDataError} When the dictionary is malformed.
 *
 * @example Reading a file with a STRING column
 * ```ts
 * import { encodeCpb } from "@icoscp/icoscp";
 * import { decodeCpbFile } from "@icoscp/icoscp/cpb";
 * import assert from "node:assert/strict";
 *
 * const file = encodeCpb([
 *   { type: "STRING", values: ["GAT", "HTM", "GAT"] },
 *   { type: "FLOAT", values: [1.5, 2.5, 3.5] },
 * ]);
 * const cols = decodeCpbFile(file, { columns: ["STRING", "FLOAT"], size: 3, labels: ["site", "v"] });
 * assert.deepEqual(cols.site, ["GAT", "HTM", "GAT"]);
 * const tail = decodeCpbFile(file, { columns: ["STRING", "FLOAT"], size: 3 }, { columnNumbers: [1], slice: { offset: 2, length: 1 } });
 * assert.deepEqual(tail["1"], new Float32Array([3.5]));
 * ```
 */
export function decodeCpbFile(
  bytes: Uint8Array | ArrayBuffer,
  schema: CpbSchema,
  options: Omit<DecodeCpbOptions, "strings"> = {},
): CpbColumns {
  const u8 = asBytes(bytes);
  const engine = pickEngine(options.engine);
  const p = planFile(schema, options.columnNumbers, options.slice);
  requireLength(p, u8.length, "cpb file");
  const needsStrings = p.columns.some((c) => c.type === "STRING");
  const dictionary = needsStrings || u8.length > p.dataLength
    ? engine.parseDictionary(u8.subarray(p.dataLength), p.dataLength)
    : undefined;
  return decodePlanned(u8, p, engine, dictionary, options.into);
}

/** What the stream decoder needs of a reader: a BYOB reader, or one that ignores `view`. */
interface ChunkReader {
  read(view: Uint8Array): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason: unknown): Promise<void>;
  releaseLock?(): void;
}

/** A BYOB reader for a fetch body that is a byte stream, else a default reader. */
function readerOf(stream: ReadableStream<Uint8Array>, fetched: boolean): ChunkReader {
  if (fetched && typeof ReadableStreamBYOBReader === "function") {
    try {
      return stream.getReader({ mode: "byob" });
    } catch {
      // not a byte stream
    }
  }
  return stream.getReader();
}

/**
 * Decodes a `/cpb` response while it streams in: each chunk is swapped into
 * its column as it arrives, so the whole body is never held twice.
 *
 * @param stream The response (read with a BYOB reader into one reused buffer) or any stream of its body.
 * @param schema The request's schema plus optional labels.
 * @param options As {@linkcode decodeCpb}.
 * @returns Columns by label, in the order requested.
 * @throws {TruncatedDataError} When the stream ends before the layout is complete.
 * @throws {CorruptDataError} When the stream carries more bytes than the layout.
 *
 * @example Decoding a body that arrives in odd-sized chunks
 * ```ts
 * import { encodeCpb } from "@icoscp/icoscp";
 * import { decodeCpbStream } from "@icoscp/icoscp/cpb";
 * import assert from "node:assert/strict";
 *
 * const body = encodeCpb([{ type: "DOUBLE", values: [1.25, -2, 1e300] }], { dictionary: false });
 * const stream = new ReadableStream<Uint8Array>({
 *   start(c) { c.enqueue(body.subarray(0, 5)); c.enqueue(body.subarray(5, 19)); c.enqueue(body.subarray(19)); c.close(); },
 * });
 * const cols = await decodeCpbStream(stream, { columns: ["DOUBLE"], size: 3 });
 * assert.deepEqual(cols["0"], new Float64Array([1.25, -2, 1e300]));
 * ```
 */
export async function decodeCpbStream(
  stream: ReadableStream<Uint8Array> | Response,
  schema: CpbSchema,
  options: DecodeCpbOptions = {},
): Promise<CpbColumns> {
  return await decodeCpbCounted(stream, schema, options, { bytes: 0 });
}

/**
 * {@linkcode decodeCpbStream}, counting in `received.bytes` the body bytes
 * that arrived, also when the body breaks: a resumed read (`_fetch.ts`) asks
 * only for the rest.
 */
export async function decodeCpbCounted(
  stream: ReadableStream<Uint8Array> | Response,
  schema: CpbSchema,
  options: DecodeCpbOptions,
  received: { bytes: number },
): Promise<CpbColumns> {
  const engine = pickEngine(options.engine);
  const p = planResponse(schema, options.columnNumbers, options.slice);
  const outputs = p.columns.map((c) => outputFor(c, p.rows, options.into));
  // A fetch body is read into one reused buffer (BYOB); other streams chunk by
  // chunk, since a byte stream that closes without answering a pending BYOB
  // read would hang.
  const body = stream instanceof Response ? stream.body : stream;
  if (!body) throw new TruncatedDataError("The response has no body", { byteOffset: 0 });
  const reader = readerOf(body, stream instanceof Response);
  // as large as the answer, up to a megabyte: a small table's read does not
  // allocate (and count as external memory) a megabyte
  let buffer = new Uint8Array(Math.min(1 << 20, Math.max(4096, p.dataLength)));
  let col = 0; // column being filled
  let colPos = 0; // bytes of it received
  let total = 0;
  const carry = new Uint8Array(8);
  let carried = 0;
  try {
    while (true) {
      const { done, value } = await reader.read(buffer);
      if (done || !value) break;
      let chunk = value;
      // a BYOB read detaches the buffer and hands it back: read into it again
      if (buffer.byteLength === 0) {
        buffer = new Uint8Array(value.buffer as ArrayBuffer);
      }
      total += chunk.length;
      received.bytes = total;
      while (chunk.length > 0) {
        if (col >= p.columns.length) {
          throw new CorruptDataError(
            `Cpb response is longer than its ${p.dataLength}-byte layout`,
            { byteOffset: p.dataLength },
          );
        }
        const c = p.columns[col];
        const width = BYTE_SIZE[c.type];
        const out = bytesOf(outputs[col]);
        const take = Math.min(chunk.length, c.byteLength - colPos - carried);
        let piece = chunk.subarray(0, take);
        chunk = chunk.subarray(take);
        if (carried > 0) {
          const fill = Math.min(width - carried, piece.length);
          carry.set(piece.subarray(0, fill), carried);
          carried += fill;
          piece = piece.subarray(fill);
          if (carried === width) {
            engine.swapInto(carry.subarray(0, width), out.subarray(colPos, colPos + width), width);
            colPos += width;
            carried = 0;
          }
        }
        const whole = piece.length - (piece.length % width);
        if (whole > 0) {
          engine.swapInto(piece.subarray(0, whole), out.subarray(colPos, colPos + whole), width);
          colPos += whole;
        }
        if (whole < piece.length) {
          carry.set(piece.subarray(whole), 0);
          carried = piece.length - whole;
        }
        if (colPos === c.byteLength) {
          col++;
          colPos = 0;
        }
      }
    }
  } catch (e) {
    await reader.cancel(e).catch(() => {});
    throw e;
  } finally {
    reader.releaseLock?.();
  }
  while (col < p.columns.length && p.columns[col].byteLength === 0) col++;
  if (col < p.columns.length) {
    throw new TruncatedDataError(
      `Truncated cpb response: expected ${p.dataLength} bytes, got ${total}`,
      { byteOffset: total },
    );
  }
  const result: CpbColumns = {};
  p.columns.forEach((c, i) => {
    result[c.label] = c.type === "STRING"
      ? resolveStrings(outputs[i] as Int32Array, options.strings, c)
      : outputs[i];
  });
  return result;
}
