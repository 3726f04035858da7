/**
 * ICOS ecosystem (ETC) CSV tables: the half-hourly products
 * (`TIMESTAMP_START,TIMESTAMP_END,…`, local standard time as
 * `yyyyMMddHHmm`, `-9999` for missing) and the older eddy-flux files with a
 * units row (`date,time,…` then `dd/mm/yyyy,HH:MM (CET),…`).
 *
 * @module
 */

import { UnsupportedFormatError } from "../errors.ts";
import { checkOptions } from "../_util/args.ts";
import { decodeText, lines, originalTable, typedColumns, uniqueNames } from "./_delimited.ts";
import type { HeaderValue, OriginalTable } from "./types.ts";

/** Options of {@linkcode parseEtcCsv}. */
export interface EtcCsvOptions {
  /** The file name, kept in the result. */
  fileName?: string;
  /**
   * Offset of the station's local standard time from UTC, in hours: time
   * columns are then UTC instants. Default 0: times as written.
   */
  utcOffsetHours?: number;
}

const STAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** `yyyyMMddHHmm` (or a `yyyyMMdd` day) to ms, NaN when missing or malformed. */
function etcStamp(cell: string | null | number, offsetMs: number): number {
  const s = String(cell ?? "").trim();
  const m = STAMP.exec(s.length === 8 ? `${s}0000` : s);
  if (!m) return NaN;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi) - offsetMs;
}

/**
 * Parses an ETC CSV table. `TIMESTAMP*` columns of `yyyyMMddHHmm` stamps
 * become time columns (the product's local standard time; pass
 * `utcOffsetHours` for UTC); in the eddy-flux layout `date` and `time` (with
 * the units row `dd/mm/yyyy,HH:MM (…)`) become a `TIMESTAMP` column and the
 * units row fills `units`. `-9999` and empty cells are NaN in numeric
 * columns; `_QC` and other integer columns are Int32Arrays when complete.
 *
 * @param input The file's bytes or text.
 * @param options File name, UTC offset.
 * @returns The table, the header metadata and the units.
 * @throws {UnsupportedFormatError} When the text is not comma-separated with a header row.
 * @throws {CorruptDataError} When a row has more cells than the header.
 *
 * @example A half-hourly product
 * ```ts
 * import { parseEtcCsv } from "@icoscp/icoscp/originals";
 * import assert from "node:assert/strict";
 *
 * const f = parseEtcCsv(
 *   "TIMESTAMP_START,TIMESTAMP_END,TA_F,TA_F_QC\n201801010000,201801010030,-3.154,2\n201801010030,201801010100,-9999,2\n",
 *   { utcOffsetHours: 1 },
 * );
 * assert.deepEqual(f.table.get("TIMESTAMP_START", 0), new Date("2017-12-31T23:00:00Z"));
 * assert.deepEqual([...f.columns.TA_F as Float64Array], [-3.154, NaN]);
 * assert.ok(f.columns.TA_F_QC instanceof Int32Array);
 * ```
 */
export function parseEtcCsv(
  input: Uint8Array | string,
  options: EtcCsvOptions = {},
): OriginalTable {
  options = checkOptions("parseEtcCsv", options, ["fileName", "utcOffsetHours"]);
  const text = typeof input === "string" ? input : decodeText(input);
  const all = lines(text);
  if (all.length === 0 || !all[0].includes(",")) {
    throw new UnsupportedFormatError("Not an ETC CSV table: no comma-separated header row", {
      byteOffset: 0,
    });
  }
  const names = uniqueNames(all[0].split(","));
  let first = 1;
  const units: Record<string, string> = {};
  const header: Record<string, HeaderValue> = {};
  const unitRow = all[1]?.split(",");
  const eddy = unitRow !== undefined && /^dd\/mm\/yyyy$/i.test(unitRow[0]?.trim() ?? "");
  if (eddy) {
    names.forEach((n, i) => {
      const u = unitRow[i]?.trim();
      if (u) units[n] = u;
    });
    header.timeZone = /\(([^)]+)\)/.exec(unitRow[1] ?? "")?.[1] ?? "local";
    first = 2;
  }
  const rows = all.slice(first).map((l) => l.split(","));
  const columns = typedColumns(names, rows, first, { missing: () => [-9999] });
  const offset = (options.utcOffsetHours ?? 0) * 3_600_000;
  header.utcOffsetHours = options.utcOffsetHours ?? 0;
  const columnNames = [...names];
  const timeColumns: string[] = [];
  for (const n of names) {
    if (!/^TIMESTAMP/i.test(n)) continue;
    const col = columns[n];
    columns[n] = Float64Array.from({ length: rows.length }, (_, i) => etcStamp(col[i], offset));
    timeColumns.push(n);
  }
  if (eddy && names.includes("date") && names.includes("time")) {
    const d = columns.date as (string | null)[];
    const t = columns.time as (string | null)[];
    columns.TIMESTAMP = Float64Array.from({ length: rows.length }, (_, i) => {
      const dm = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(d[i] ?? "");
      const tm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t[i] ?? "");
      if (!dm || !tm) return NaN;
      return Date.UTC(+dm[3], +dm[2] - 1, +dm[1], +tm[1], +tm[2], +(tm[3] ?? 0)) - offset;
    });
    columnNames.unshift("TIMESTAMP");
    timeColumns.push("TIMESTAMP");
  }
  return originalTable("etc-csv", {
    fileName: options.fileName,
    header,
    units,
    columnNames,
    columns,
    timeColumns,
    rows: rows.length,
  });
}
