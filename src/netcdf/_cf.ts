// Private: CF decoding of a variable's values (scale_factor, add_offset,
// _FillValue or netCDF-C's default fill, missing_value, valid_range /
// valid_min / valid_max), for `read(path, { decoded: true })`.

import type {
  NetCDFAttributeValue,
  NetCDFType,
  NetCDFTypedArray,
  NetCDFVariable,
} from "./types.ts";

/** netCDF-C's default fill values (used for CF masking when `_FillValue` is absent). */
const DEFAULT_FILL: Partial<Record<NetCDFType, number | bigint>> = {
  short: -32767,
  int: -2147483647,
  float: 9.969209968386869e36,
  double: 9.969209968386869e36,
  ushort: 65535,
  uint: 4294967295,
  int64: -9223372036854775806n,
  uint64: 18446744073709551614n,
};

function num(a: NetCDFAttributeValue | undefined): number[] | undefined {
  if (a === undefined || typeof a === "string" || Array.isArray(a)) return undefined;
  return Array.from(a as ArrayLike<number | bigint>, Number);
}

export function cfDecode(v: NetCDFVariable, raw: NetCDFTypedArray): Float32Array | Float64Array {
  const at = v.attributes;
  const scale = num(at.scale_factor)?.[0];
  const offset = num(at.add_offset)?.[0];
  const fillAttr = num(at._FillValue);
  const fill = fillAttr?.[0] ??
    (v.type === "byte" || v.type === "ubyte" ? undefined : Number(DEFAULT_FILL[v.type] ?? NaN));
  const missing = num(at.missing_value) ?? [];
  const range = num(at.valid_range);
  const vmin = range?.[0] ?? num(at.valid_min)?.[0];
  const vmax = range?.[1] ?? num(at.valid_max)?.[0];
  const floatOut = v.type === "float" &&
    (scale === undefined || at.scale_factor instanceof Float32Array) &&
    (offset === undefined || at.add_offset instanceof Float32Array);
  const out = floatOut ? new Float32Array(raw.length) : new Float64Array(raw.length);
  const s = scale ?? 1, o = offset ?? 0;
  const f = fill === undefined ? NaN : v.type === "float" ? Math.fround(fill) : fill;
  for (let i = 0; i < raw.length; i++) {
    const x = Number(raw[i]);
    if (
      x === f || Number.isNaN(x) || missing.includes(x) || (vmin !== undefined && x < vmin) ||
      (vmax !== undefined && x > vmax)
    ) {
      out[i] = NaN;
    } else {
      out[i] = x * s + o;
    }
  }
  return out;
}
