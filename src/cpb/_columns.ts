// Private: from decoded cpb columns to data columns. Value formats (portal-
// protocol §4.4) decide the stored type and the meaning; flag columns and the
// format's good flags decide which values are masked (§4.5).

import type { CpbColumn, CpbColumns, CpbType } from "./cpb.ts";
import { UnsupportedFormatError } from "../errors.ts";
import { setOwn } from "../_util/own.ts";
import { markTime, TIME_FORMATS } from "../_util/time_columns.ts";

/** A column of data as the library returns it. */
export type DataColumn =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint16Array
  | string[];

/** Stored cpb type of each value format the portal uses. */
export const FORMAT_TYPES: Readonly<Record<string, CpbType>> = Object.freeze({
  int32: "INT",
  float32: "FLOAT",
  float64: "DOUBLE",
  int16: "SHORT",
  bmpChar: "CHAR",
  string: "STRING",
  boolean: "BYTE",
  iso8601date: "INT",
  etcDate: "INT",
  iso8601month: "INT",
  iso8601timeOfDay: "INT",
  iso8601dateTime: "DOUBLE",
  isoLikeLocalDateTime: "DOUBLE",
  etcLocalDateTime: "DOUBLE",
});

const INT_NULL = -2147483648;
const DAY = 86_400_000;

/** The last path segment of a value-format URI. */
export function formatName(uri: string): string {
  return uri.slice(uri.lastIndexOf("/") + 1);
}

/** The stored type of a value format, or an error for one the portal cannot serve. */
export function storedType(format: string, column: string): CpbType {
  const t = FORMAT_TYPES[format];
  if (!t) {
    throw new UnsupportedFormatError(`Column ${column} has an unknown value format ${format}`);
  }
  if (t === "STRING") {
    throw new UnsupportedFormatError(
      `Column ${column} holds strings, which the portal's binary service cannot serve (use getCsv)`,
    );
  }
  return t;
}

/** One returned column: its label, value format and the label of its flag column. */
export interface ColumnSpec {
  readonly label: string;
  readonly format: string;
  readonly flag?: string;
}

function intToMs(src: Int32Array, scale: number): Float64Array {
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] === INT_NULL ? NaN : src[i] * scale;
  return out;
}

function monthToMs(src: Int32Array): Float64Array {
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[i] = v === INT_NULL ? NaN : Date.UTC(Math.floor(v / 12), v % 12, 1);
  }
  return out;
}

function charsToStrings(src: Uint16Array, out: string[] = new Array(src.length)): string[] {
  // Flag columns hold long runs of a few characters: convert at each change.
  let code = -1;
  let text = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c !== code) {
      code = c;
      text = c === 0 ? "" : String.fromCharCode(c);
    }
    out[i] = text;
  }
  return out;
}

/**
 * Sets to NaN the values whose code is bad: each value is multiplied by its
 * code's factor, 1 or NaN (no branch to mispredict; x * 1 keeps every value,
 * -0 included).
 */
function maskInPlace(
  col: Float64Array | Float32Array,
  codes: ArrayLike<number>,
  factor: Float64Array,
): void {
  const last = factor.length - 1;
  for (let i = 0; i < col.length; i++) col[i] *= factor[Math.min(codes[i], last)];
}

/** The factor of a 0/1 mask: 0 good, 1 bad (shared, never written). */
const MASK_FACTOR = new Float64Array([1, NaN]);

/** Factor tables by good-flag set (a handful per portal); cleared past 64. */
const FACTORS = new Map<string, Float64Array>();

/**
 * The factor per character code for a set of good flags: 1 for a good flag,
 * NaN for any other code. The table ends one past the largest good code, with
 * NaN there, so `factor[Math.min(code, length - 1)]` covers every code. It is
 * built once per set and shared (never written after): a full 65,536-entry
 * table per read was 512 KiB of ArrayBuffer per object, most of a mirror's
 * external memory.
 */
function factorFor(goodFlags: readonly string[]): Float64Array {
  const key = goodFlags.join("\u0000");
  let factor = FACTORS.get(key);
  if (factor) return factor;
  let max = -1;
  for (const f of goodFlags) if (f.length === 1) max = Math.max(max, f.charCodeAt(0));
  factor = new Float64Array(max + 2).fill(NaN);
  for (const f of goodFlags) if (f.length === 1) factor[f.charCodeAt(0)] = 1;
  if (FACTORS.size >= 64) FACTORS.clear();
  FACTORS.set(key, factor);
  return factor;
}

/**
 * Turns decoded cpb columns into data columns: dates and date-times become
 * milliseconds since the epoch (Float64Array, NaN for null), time of day
 * milliseconds since midnight, `bmpChar` one-character strings (`""` for
 * null), and unless `keepBadData`, values whose flag is not good become NaN
 * (an int32 column that needs masking becomes a Float64Array). With
 * `flags` "codes", `bmpChar` columns stay `Uint16Array`s of character codes;
 * `prepared` may hold their string arrays, allocated beforehand, by label.
 */
export function toDataColumns(
  decoded: CpbColumns,
  specs: readonly ColumnSpec[],
  goodFlags: readonly string[] | undefined,
  keepBadData: boolean,
  flags: "strings" | "codes" = "strings",
  prepared?: ReadonlyMap<string, string[]>,
): Record<string, DataColumn> {
  // per flag column, each row's code and a factor per code: 1 for a good
  // flag, NaN for a bad one (character codes; else a 0/1 mask per row)
  const bad = new Map<string, { codes: ArrayLike<number>; factor: Float64Array }>();
  if (!keepBadData && goodFlags && goodFlags.length > 0) {
    const factor = factorFor(goodFlags);
    for (const s of specs) {
      if (!s.flag || bad.has(s.flag)) continue;
      const column = decoded[s.flag] as CpbColumn;
      if (column instanceof Uint16Array) {
        bad.set(s.flag, { codes: column, factor });
      } else {
        const goodText = new Set(goodFlags);
        const mask = new Uint8Array(column.length);
        for (let i = 0; i < column.length; i++) mask[i] = goodText.has(String(column[i])) ? 0 : 1;
        bad.set(s.flag, { codes: mask, factor: MASK_FACTOR });
      }
    }
  }
  const out: Record<string, DataColumn> = {};
  for (const s of specs) {
    const raw = decoded[s.label];
    let col: DataColumn;
    switch (s.format) {
      case "iso8601date":
      case "etcDate":
        col = intToMs(raw as Int32Array, DAY);
        break;
      case "iso8601month":
        col = monthToMs(raw as Int32Array);
        break;
      case "iso8601timeOfDay":
        col = intToMs(raw as Int32Array, 1000);
        break;
      case "bmpChar":
        if (flags === "codes") col = raw as Uint16Array;
        else {
          const out = prepared?.get(s.label);
          col = charsToStrings(raw as Uint16Array, out?.length === raw.length ? out : undefined);
        }
        break;
      default:
        col = raw as DataColumn;
    }
    const flagged = s.flag ? bad.get(s.flag) : undefined;
    if (flagged) {
      const { codes, factor } = flagged;
      if (col instanceof Int32Array || col instanceof Int16Array || col instanceof Int8Array) {
        const f = new Float64Array(col.length);
        const isInt = col instanceof Int32Array;
        for (let i = 0; i < col.length; i++) {
          f[i] = isInt && col[i] === INT_NULL
            ? NaN
            : col[i] * factor[Math.min(codes[i], factor.length - 1)];
        }
        col = f;
      } else if (col instanceof Float64Array || col instanceof Float32Array) {
        maskInPlace(col, codes, factor);
      }
    }
    const time = TIME_FORMATS[s.format];
    setOwn(out, s.label, time ? markTime(col, time) : col);
  }
  return out;
}
