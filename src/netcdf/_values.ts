// Private: typed arrays of NetCDF values: the array type of each NetCDF
// type, little-endian bytes to a typed array (float16 widened), and the
// member arrays of compound values.

import type { NetCDFCompoundValues, NetCDFMember, NetCDFType, NetCDFTypedArray } from "./types.ts";
import { swapIntoWasm } from "../_wasm/decoder.ts";
import { setOwn } from "../_util/own.ts";

/** The types whose values read as one typed array (`float16` as a Float32Array). */
export type ArrayType = Exclude<
  NetCDFType,
  | "string"
  | "float16"
  | "compound"
  | "vlen"
  | "opaque"
  | "reference"
  | "bitfield"
  | "time"
  | "unknown"
>;

export type ArrayCtor = {
  new (buffer: ArrayBuffer, offset?: number, length?: number): NetCDFTypedArray;
  new (length: number): NetCDFTypedArray;
  BYTES_PER_ELEMENT: number;
};

export const CTORS: Record<ArrayType, ArrayCtor> = {
  byte: Int8Array,
  char: Uint8Array,
  short: Int16Array,
  int: Int32Array,
  float: Float32Array,
  double: Float64Array,
  ubyte: Uint8Array,
  ushort: Uint16Array,
  uint: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

/** A compound member with its byte layout in an element. */
export interface Member extends NetCDFMember {
  offset: number;
  be: boolean;
}

/**
 * A typed array over little-endian `bytes` of a numeric `type` (`float16`
 * widened to a Float32Array; types without one read as bytes).
 */
export function typedFrom(type: NetCDFType, bytes: Uint8Array): NetCDFTypedArray {
  if (type === "float16") return halfToFloat32(bytes);
  const C = CTORS[type as ArrayType] ?? Uint8Array;
  if (bytes.byteOffset % C.BYTES_PER_ELEMENT !== 0) bytes = bytes.slice();
  return new C(
    bytes.buffer as ArrayBuffer,
    bytes.byteOffset,
    Math.floor(bytes.byteLength / C.BYTES_PER_ELEMENT),
  );
}

/** IEEE binary16 (little-endian) to float32. */
function halfToFloat32(b: Uint8Array): Float32Array {
  const n = b.byteLength >> 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = b[2 * i] | (b[2 * i + 1] << 8);
    const sign = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 31, m = h & 1023;
    out[i] = e === 0
      ? sign * m * 2 ** -24
      : e === 31
      ? (m ? NaN : sign * Infinity)
      : sign * (1 + m / 1024) * 2 ** (e - 15);
  }
  return out;
}

/** One typed array per compound member from `n` elements of `bytes`. */
export function splitMembers(
  bytes: Uint8Array,
  members: Member[],
  n: number,
): NetCDFCompoundValues {
  const size = n > 0 ? bytes.byteLength / n : 0;
  const out: Record<string, NetCDFTypedArray> = {};
  for (const m of members) {
    const w = m.type === "float16" ? 2 : CTORS[m.type as ArrayType]?.BYTES_PER_ELEMENT ?? 1;
    const run = w * m.count;
    const b = new Uint8Array(n * run);
    for (let i = 0; i < n; i++) {
      b.set(bytes.subarray(i * size + m.offset, i * size + m.offset + run), i * run);
    }
    if (m.be && w > 1) swapIntoWasm(b, b, w);
    setOwn(out, m.name, typedFrom(m.type, b));
  }
  return out;
}
