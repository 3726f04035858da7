// Private: CF decoding of a variable's values for `read(path, { decoded: true })`,
// as netCDF4-python's default mask-and-scale mode does it (checked against it
// on generated files: tests/testdata/netcdf/gen_cf.py):
// - `_Unsigned = "true"` (or "True") reads a signed integer variable as
//   unsigned, and its fill, missing and valid values too;
// - an attribute that does not survive a cast to the variable's type (a
//   valid_max of 100.5 on a short, a double missing_value of 1e20 on a float)
//   is ignored;
// - masked: `missing_value` (one value or a list; NaN masks NaN), `_FillValue`
//   or else netCDF-C's default fill of the type (never for an `_Unsigned`
//   view), values outside `valid_range` (when it has two values) or else
//   outside `valid_min`/`valid_max`;
// - then `value × scale_factor + add_offset` in the type numpy's promotion
//   gives (a short times a float scale is float32; an int times it float64),
//   skipped when the factor is 1 and the offset 0.

import type {
  NetCDFAttributeValue,
  NetCDFType,
  NetCDFTypedArray,
  NetCDFVariable,
} from "./types.ts";

/** netCDF-C's default fill values (used for masking when `_FillValue` is absent or unusable). */
const DEFAULT_FILL: Partial<Record<NetCDFType, number>> = {
  byte: -127,
  ubyte: 255,
  short: -32767,
  ushort: 65535,
  int: -2147483647,
  uint: 4294967295,
  int64: Number(-9223372036854775806n),
  uint64: Number(18446744073709551614n),
  float: Math.fround(9.969209968386869e36),
  double: 9.969209968386869e36,
};

/** Integer types: [bits, signed]. */
const INTS: Partial<Record<NetCDFType, [number, boolean]>> = {
  byte: [8, true],
  ubyte: [8, false],
  short: [16, true],
  ushort: [16, false],
  int: [32, true],
  uint: [32, false],
  int64: [64, true],
  uint64: [64, false],
};

const UNSIGNED_OF: Partial<Record<NetCDFType, NetCDFType>> = {
  byte: "ubyte",
  short: "ushort",
  int: "uint",
  int64: "uint64",
};

type Kind = "f32" | "f64" | "small" | "int";

/** Whether `x` survives a cast to `type` unchanged (netCDF4-python's `_check_safecast`). */
function fits(x: number, type: NetCDFType): boolean {
  if (type === "double") return true;
  if (type === "float") return Number.isNaN(x) || Math.fround(x) === x;
  const int = INTS[type];
  if (!int || !Number.isInteger(x)) return false;
  const [bits, signed] = int;
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return x >= lo && x <= hi;
}

/** An attribute's numbers when all of them survive a cast to `type`, else undefined. */
function safeCast(a: NetCDFAttributeValue | undefined, type: NetCDFType): number[] | undefined {
  if (!ArrayBuffer.isView(a)) return undefined; // text, strings, sequences, compounds
  const vals = Array.from(a as ArrayLike<number | bigint>, Number);
  return vals.length > 0 && vals.every((x) => fits(x, type)) ? vals : undefined;
}

/** The first number of a numeric attribute and its kind, else undefined. */
function numberAttr(
  a: NetCDFAttributeValue | undefined,
): { value: number; kind: Kind } | undefined {
  if (!ArrayBuffer.isView(a)) return undefined; // text, strings, sequences, compounds
  const arr = a as ArrayLike<number | bigint>;
  if (arr.length === 0) return undefined;
  const kind: Kind = a instanceof Float32Array
    ? "f32"
    : a instanceof Float64Array
    ? "f64"
    : a instanceof Int8Array || a instanceof Uint8Array || a instanceof Int16Array ||
        a instanceof Uint16Array
    ? "small"
    : "int";
  return { value: Number(arr[0]), kind };
}

/** The kind of a variable's values. */
function kindOf(type: NetCDFType): Kind {
  if (type === "float") return "f32";
  if (type === "double") return "f64";
  const int = INTS[type];
  return int && int[0] <= 16 ? "small" : "int";
}

/** numpy's result type of an array of kind `a` with a scalar of kind `b` (float32 or float64 here). */
function promote(a: Kind, b: Kind): "f32" | "f64" {
  if (a === "f64" || b === "f64") return "f64";
  if (a === "f32" && (b === "f32" || b === "small")) return "f32";
  if (b === "f32" && a === "small") return "f32";
  return "f64";
}

export function cfDecode(v: NetCDFVariable, raw: NetCDFTypedArray): Float32Array | Float64Array {
  const at = v.attributes;
  const u = at._Unsigned;
  const asUnsigned = (u === "true" || u === "True") && UNSIGNED_OF[v.type] !== undefined;
  const bits = INTS[v.type]?.[0] ?? 0;
  const view = asUnsigned ? (x: number) => (x < 0 ? x + 2 ** bits : x) : (x: number) => x;
  const dataType = asUnsigned ? UNSIGNED_OF[v.type]! : v.type;

  // masks, in the variable's own type, then seen as unsigned
  const missing = (safeCast(at.missing_value, v.type) ?? []).map(view);
  const fillAttr = safeCast(at._FillValue, v.type);
  const fills = fillAttr
    ? [view(fillAttr[0])]
    : !asUnsigned && DEFAULT_FILL[v.type] !== undefined
    ? [DEFAULT_FILL[v.type]!]
    : [];
  const masked = [...missing, ...fills];
  const maskNaN = masked.some(Number.isNaN);
  const maskValues = masked.filter((x) => !Number.isNaN(x));
  const range = safeCast(at.valid_range, v.type);
  let vmin: number | undefined, vmax: number | undefined;
  if (range && range.length === 2) {
    vmin = view(range[0]);
    vmax = view(range[1]);
  } else {
    const lo = safeCast(at.valid_min, v.type), hi = safeCast(at.valid_max, v.type);
    vmin = lo ? view(lo[0]) : undefined;
    vmax = hi ? view(hi[0]) : undefined;
  }

  // scaling, in numpy's result type
  const dk = kindOf(dataType);
  const sf = numberAttr(at.scale_factor), ao = numberAttr(at.add_offset);
  let scale = 1, offset = 0;
  let mulKind: "f32" | "f64" | undefined, addKind: "f32" | "f64" | undefined;
  let outKind: "f32" | "f64" = dk === "f32" ? "f32" : "f64";
  if (sf && ao) {
    if (ao.value !== 0 || sf.value !== 1) {
      scale = sf.value;
      offset = ao.value;
      mulKind = promote(dk, sf.kind);
      addKind = promote(mulKind, ao.kind);
      outKind = addKind;
    } else outKind = sf.kind === "f32" ? "f32" : "f64"; // astype(scale_factor's type)
  } else if (sf && sf.value !== 1) {
    scale = sf.value;
    mulKind = outKind = promote(dk, sf.kind);
  } else if (ao && ao.value !== 0) {
    offset = ao.value;
    addKind = outKind = promote(dk, ao.kind);
  }
  const r32 = Math.fround;
  const out = outKind === "f32" ? new Float32Array(raw.length) : new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = view(Number(raw[i]));
    if (
      (maskNaN && Number.isNaN(x)) || maskValues.includes(x) ||
      (vmin !== undefined && x < vmin) || (vmax !== undefined && x > vmax)
    ) {
      out[i] = NaN;
      continue;
    }
    let y = x;
    if (mulKind) y = mulKind === "f32" ? r32(y * scale) : y * scale;
    if (addKind) y = addKind === "f32" ? r32(y + offset) : y + offset;
    out[i] = y;
  }
  return out;
}
