/**
 * NetCDF files as tables: ObsPack time series (`value`, `time`,
 * `qc_flag`, `latitude`, … along `time`) and, for other NetCDF objects, the
 * variables along their time (or first) dimension, with the global
 * attributes as the header.
 *
 * @module
 */

import { openNetCDF } from "../netcdf/netcdf_file.ts";
import type { NetCDFAttributeValue, NetCDFVariable } from "../netcdf/types.ts";
import type { ByteSource } from "../netcdf/_io.ts";
import { UnsupportedFormatError } from "../errors.ts";
import { originalTable } from "./_delimited.ts";
import { checkOptions } from "../_util/args.ts";
import type { HeaderValue, OriginalColumn, OriginalTable } from "./types.ts";

/** Options of {@linkcode parseNetCDFTable}. */
export interface NetCDFTableOptions {
  /** The file name, kept in the result. */
  fileName?: string;
}

const UNIT_MS: Record<string, number> = {
  second: 1000,
  seconds: 1000,
  s: 1000,
  sec: 1000,
  minute: 60_000,
  minutes: 60_000,
  min: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  h: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
  d: 86_400_000,
};

/** The ms per unit and the epoch of CF `"<unit> since <date>"`, else undefined. */
export function cfTime(units: string | undefined): { scale: number; epoch: number } | undefined {
  const m =
    /^\s*(\w+)\s+since\s+(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i
      .exec(units ?? "");
  const scale = m && UNIT_MS[m[1].toLowerCase()];
  if (!m || !scale) return undefined;
  const [y, mo, d, h, mi] = [m[2], m[3], m[4], m[5] ?? "0", m[6] ?? "0"].map(Number);
  const sec = Number(m[7] ?? 0);
  let epoch = Date.UTC(y, mo - 1, d, h, mi) + sec * 1000;
  const zone = m[8];
  if (zone && /^[+-]/.test(zone)) {
    const [zh, zm] = zone.replace(":", "").match(/^([+-]\d{1,2})(\d{2})?$/)!.slice(1);
    epoch -= (Number(zh) * 60 + Math.sign(Number(zh) || 1) * Number(zm ?? 0)) * 60_000;
  }
  return Number.isFinite(epoch) ? { scale, epoch } : undefined;
}

function headerValue(a: NetCDFAttributeValue): HeaderValue {
  if (typeof a === "string") return a;
  // sequences (one array per element) and compounds (one per member): as text
  if (Array.isArray(a)) return a.map((x) => typeof x === "string" ? x : JSON.stringify(plain(x)));
  if (!ArrayBuffer.isView(a)) return JSON.stringify(plain(a));
  const nums = Array.from(a as ArrayLike<number | bigint>, Number);
  return nums.length === 1 ? nums[0] : nums;
}

/** A sequence or compound value as plain JSON data (typed arrays as number lists). */
function plain(x: unknown): unknown {
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number | bigint>, Number);
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === "object") {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  }
  return x;
}

function text(a: NetCDFAttributeValue | undefined): string | undefined {
  return typeof a === "string" ? a : undefined;
}

/**
 * Reads a NetCDF file's one-dimensional variables along its time dimension
 * (`time`, else the first dimension of `value`, else the first dimension) as
 * a table: numbers CF-decoded (fill and missing values NaN), `char`
 * variables as one string a row (`qc_flag`, `datetime`), a CF time variable
 * (`"seconds since 1970-01-01T00:00:00Z"`) as a time column. Global
 * attributes are the header (plus `variables`: the names of the variables
 * left out, such as gridded fields); `units` come from the variables'
 * attributes. The format is `"obspack-netcdf"` when the file has ObsPack's
 * `value` and `time`, else `"netcdf"`.
 *
 * @param input The file's bytes or any byte source {@linkcode openNetCDF} takes.
 * @param options The file name.
 * @returns The table, the header metadata and the units.
 * @throws {CorruptDataError} When the file is not a readable NetCDF file.
 * @throws {UnsupportedFormatError} When it has no dimension.
 *
 * @example An ObsPack-like file
 * ```ts
 * import { parseNetCDFTable } from "@icoscp/icoscp/originals";
 * import { encodeNetcdf4 } from "@icoscp/icoscp/codecs";
 * import assert from "node:assert/strict";
 *
 * const nc = encodeNetcdf4({
 *   dimensions: [{ name: "time", size: 2 }],
 *   attributes: { site_code: "HTM" },
 *   variables: [
 *     { name: "time", type: "int", dimensions: ["time"], data: [1654041600, 1654045200], attributes: { units: "seconds since 1970-01-01T00:00:00Z" } },
 *     { name: "value", type: "float", dimensions: ["time"], data: [0.000414, 0.000415], attributes: { units: "mol mol-1" } },
 *   ],
 * });
 * const f = await parseNetCDFTable(nc);
 * assert.equal(f.format, "obspack-netcdf");
 * assert.equal(f.header.site_code, "HTM");
 * assert.equal(f.units.value, "mol mol-1");
 * assert.deepEqual(f.table.get("time", 1), new Date("2022-06-01T01:00:00Z"));
 * ```
 */
export async function parseNetCDFTable(
  input: Uint8Array | ByteSource,
  options: NetCDFTableOptions = {},
): Promise<OriginalTable> {
  options = checkOptions("parseNetCDFTable", options, ["fileName"]);
  const nc = await openNetCDF(input);
  // try/finally rather than `using`: Node 20 and older browsers cannot parse `using`
  try {
    const vars = nc.variables;
    const dimNames = nc.dimensions.map((d) => d.name);
    const value = vars.find((v) => v.name === "value");
    const dim = dimNames.includes("time") ? "time" : value?.dimensions[0] ?? dimNames[0];
    if (dim === undefined) {
      throw new UnsupportedFormatError("The NetCDF file has no dimension to make rows of", {
        byteOffset: 0,
      });
    }
    const rows = nc.dimensions.find((d) => d.name === dim)?.size ?? 0;
    const header: Record<string, HeaderValue> = {};
    for (const [k, a] of Object.entries(nc.attributes)) header[k] = headerValue(a);
    const units: Record<string, string> = {};
    const columns: Record<string, OriginalColumn> = {};
    const columnNames: string[] = [];
    const timeColumns: string[] = [];
    const other: string[] = [];
    const along = (v: NetCDFVariable) =>
      v.dimensions[0] === dim &&
      (v.dimensions.length === 1 || (v.type === "char" && v.dimensions.length === 2));
    for (const v of vars) {
      if (!along(v) || v.type === "compound" || v.type === "vlen") {
        other.push(v.name);
        continue;
      }
      const u = text(v.attributes.units);
      if (v.type === "char" || v.type === "string") {
        const raw = await nc.read(v.path);
        if (Array.isArray(raw)) {
          columns[v.name] = (raw as unknown[]).map((
            s,
          ) => (s === "" || s == null ? null : String(s)));
        } else {
          const width = v.dimensions.length === 2 ? v.shape[1] : 1;
          const bytes = raw as Uint8Array;
          const dec = new TextDecoder();
          columns[v.name] = Array.from({ length: rows }, (_, i) => {
            const s = dec.decode(bytes.subarray(i * width, (i + 1) * width)).replace(/\0+$/, "")
              .trimEnd();
            return s === "" ? null : s;
          });
        }
      } else {
        const decoded = await nc.read(v.path, { decoded: true });
        const t = cfTime(u);
        if (t) {
          columns[v.name] = Float64Array.from(
            decoded as ArrayLike<number>,
            (x) => Number.isNaN(x) ? NaN : t.epoch + x * t.scale,
          );
          timeColumns.push(v.name);
        } else {
          const isInt = ["byte", "ubyte", "short", "ushort", "int"].includes(v.type);
          const arr = decoded as Float64Array | Float32Array;
          columns[v.name] = isInt && !arr.some(Number.isNaN) ? Int32Array.from(arr) : arr;
        }
      }
      if (u) units[v.name] = u;
      columnNames.push(v.name);
    }
    if (other.length) header.variables = other;
    const obspack = value !== undefined && columnNames.includes("time");
    return originalTable(obspack ? "obspack-netcdf" : "netcdf", {
      fileName: options.fileName,
      header,
      units,
      columnNames,
      columns,
      timeColumns,
      rows,
    });
  } finally {
    nc.close();
  }
}
