// Private: typed arrays of NetCDF values: the array type of each NetCDF
// type, little-endian bytes to a typed array (float16 widened), and the
// member arrays of compound values.

import type {
  NetCDFColumn,
  NetCDFCompoundValues,
  NetCDFMember,
  NetCDFType,
  NetCDFTypedArray,
} from "./types.ts";
import { CorruptDataError } from "../errors.ts";
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
  /** Reduced precision: the value is in bits `[offset, offset + precision)`. */
  bits?: readonly [number, number];
}

/**
 * Integers of reduced precision to their values, in place, as libhdf5
 * converts them: bits `off` to `off + prec` of each element, sign-extended
 * for a signed array.
 */
export function unpackBits(a: NetCDFTypedArray, off: number, prec: number): NetCDFTypedArray {
  if (a instanceof Float32Array || a instanceof Float64Array) return a;
  const signed = a instanceof Int8Array || a instanceof Int16Array || a instanceof Int32Array ||
    a instanceof BigInt64Array;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) {
    const u = new BigUint64Array(a.buffer, a.byteOffset, a.length);
    const mask = (1n << BigInt(prec)) - 1n;
    for (let i = 0; i < u.length; i++) {
      const m = (u[i] >> BigInt(off)) & mask;
      a[i] = signed && prec < 64 && m >> BigInt(prec - 1) ? m - (1n << BigInt(prec)) : m;
    }
    return a;
  }
  const U = a.BYTES_PER_ELEMENT === 1
    ? Uint8Array
    : a.BYTES_PER_ELEMENT === 2
    ? Uint16Array
    : Uint32Array;
  const u = new U(a.buffer as ArrayBuffer, a.byteOffset, a.length);
  const span = 2 ** prec;
  for (let i = 0; i < u.length; i++) {
    const m = (u[i] >>> off) % span;
    (a as Int32Array)[i] = signed && m >= span / 2 ? m - span : m;
  }
  return a;
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
    const t = typedFrom(m.type, b);
    setOwn(out, m.name, m.bits ? unpackBits(t, m.bits[0], m.bits[1]) : t);
  }
  return out;
}

/** `nc_type` codes of the numbers in a packed column. */
const NUM_TYPES: Record<number, NetCDFType> = {
  1: "byte",
  2: "char",
  3: "short",
  4: "int",
  5: "float",
  6: "double",
  7: "ubyte",
  8: "ushort",
  9: "uint",
  10: "int64",
  11: "uint64",
  20: "float16",
};

/**
 * Unpacks a column the decoder packed (`hdf5::values::encode`): numbers as
 * a typed array, strings, sequences as one value per element, a compound as
 * its members.
 */
export function unpackColumn(b: Uint8Array): NetCDFColumn {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const text = new TextDecoder();
  let p = 0;
  const u32 = () => {
    if (p + 4 > b.byteLength) throw new CorruptDataError("Packed values end early");
    const x = v.getUint32(p, true);
    p += 4;
    return x;
  };
  const bytes = (n: number) => {
    if (p + n > b.byteLength) throw new CorruptDataError("Packed values end early");
    const s = b.subarray(p, p + n);
    p += n;
    return s;
  };
  const column = (): NetCDFColumn => {
    const tag = bytes(1)[0];
    if (tag === 0) {
      const type = NUM_TYPES[bytes(1)[0]] ?? "ubyte";
      return typedFrom(type, bytes(u32()).slice());
    }
    if (tag === 1) {
      const n = u32();
      const out: string[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = text.decode(bytes(u32()));
      return out;
    }
    if (tag === 2) {
      const n = u32();
      const lens = new Array<number>(n);
      for (let i = 0; i < n; i++) lens[i] = u32();
      const inner = column();
      const out: NetCDFColumn[] = new Array(n);
      for (let i = 0, at = 0; i < n; at += lens[i], i++) {
        out[i] = sliceColumn(inner, at, at + lens[i]);
      }
      return out;
    }
    if (tag === 3) {
      const out: Record<string, NetCDFColumn> = {};
      for (let n = u32(); n > 0; n--) setOwn(out, text.decode(bytes(u32())), column());
      return out;
    }
    throw new CorruptDataError(`Packed values of unknown kind ${tag}`);
  };
  return column();
}

/** Values `a` to `b` of a column (every member of a compound). */
export function sliceColumn(c: NetCDFColumn, a: number, b: number): NetCDFColumn {
  if (ArrayBuffer.isView(c) || Array.isArray(c)) return c.slice(a, b) as NetCDFColumn;
  const out: Record<string, NetCDFColumn> = {};
  for (const [k, m] of Object.entries(c)) setOwn(out, k, sliceColumn(m, a, b));
  return out;
}
