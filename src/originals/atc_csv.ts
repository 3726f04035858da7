/**
 * ICOS atmosphere (ATC) time-series files: the `#` header of `KEY: value`
 * lines (STATION CODE, SAMPLING HEIGHTS, MEASUREMENT UNIT, MEASUREMENT
 * SCALE, TIME INTERVAL, …, the COMMENT block) ending with the column line
 * `#Site;SamplingHeight;Year;Month;Day;Hour;Minute;DecimalDate;co2;…`, then
 * `;`-separated rows. Every column is kept, including those the portal's
 * binary tables leave out (QualityId, LTR, CMR, STTB, QcBias, …).
 *
 * @module
 */

import { CorruptDataError, UnsupportedFormatError } from "../errors.ts";
import { checkOptions } from "../_util/args.ts";
import { decodeText, lines, originalTable, typedColumns, uniqueNames } from "./_delimited.ts";
import type { HeaderValue, OriginalTable } from "./types.ts";

/** Options of {@linkcode parseAtcCsv}. */
export interface AtcCsvOptions {
  /** The file name, kept in the result. */
  fileName?: string;
}

const KEY_VALUE = /^#\s?([A-Z][A-Z0-9 /()._-]*?):\s?(.*)$/;
const TIME_PARTS = ["Year", "Month", "Day", "Hour", "Minute"] as const;

/**
 * Parses an ICOS ATC time-series file (the text inside the portal's
 * `ICOS_ATC_*.zip` objects; NRT and level-2 releases).
 *
 * Numeric columns are typed arrays; the dummy values the format documents
 * (`-999.99` for a value, `-9.99` for a standard deviation) and empty cells
 * become NaN; text columns (Site, Flag) hold strings. A `TIMESTAMP` column
 * (UTC, from Year, Month, Day, Hour, Minute) is put first. The header's
 * `MEASUREMENT UNIT` is the unit of the gas column and of the columns in the
 * same unit (Stdev, LTR, CMR, STTB, QcBias, …).
 *
 * @param input The file's bytes or text.
 * @param options The file name.
 * @returns The table, the header metadata and the units.
 * @throws {UnsupportedFormatError} When the text has no `#` header ending in a `;`-separated column line.
 * @throws {CorruptDataError} When a row has more cells than the column line names.
 *
 * @example The measurement scale the binary table does not carry
 * ```ts
 * import { parseAtcCsv } from "@icoscp/icoscp/originals";
 * import assert from "node:assert/strict";
 *
 * const text = [
 *   "# STATION CODE: GAT",
 *   "# MEASUREMENT UNIT: umol.mol-¹",
 *   "# MEASUREMENT SCALE: WMOX2019",
 *   "#Site;SamplingHeight;Year;Month;Day;Hour;Minute;DecimalDate;co2;Stdev;NbPoints;Flag;LTR",
 *   "GAT;341;2022;01;01;00;00;2022.00000000;420.5;0.1;9;O;0.05",
 *   "GAT;341;2022;01;01;01;00;2022.00011416;-999.990;-9.990;0;N;",
 * ].join("\n");
 * const f = parseAtcCsv(text);
 * assert.equal(f.header["MEASUREMENT SCALE"], "WMOX2019");
 * assert.equal(f.units.co2, "umol.mol-¹");
 * assert.deepEqual([...f.columns.co2 as Float64Array], [420.5, NaN]);
 * assert.deepEqual([...f.columns.LTR as Float64Array], [0.05, NaN]);
 * assert.deepEqual(f.table.get("TIMESTAMP", 1), new Date("2022-01-01T01:00:00Z"));
 * ```
 */
export function parseAtcCsv(
  input: Uint8Array | string,
  options: AtcCsvOptions = {},
): OriginalTable {
  options = checkOptions("parseAtcCsv", options, ["fileName"]);
  const text = typeof input === "string" ? input : decodeText(input);
  const all = lines(text);
  let h = 0;
  while (h < all.length && all[h].startsWith("#")) h++;
  const columnLine = all[h - 1];
  if (h === 0 || !columnLine.includes(";")) {
    throw new UnsupportedFormatError(
      "Not an ICOS ATC time-series file: no `#` header ending in a `;`-separated column line",
      { byteOffset: 0 },
    );
  }
  const header: Record<string, HeaderValue> = {};
  const comments: string[] = [];
  let inComment = false;
  for (const line of all.slice(0, h - 1)) {
    const kv = inComment ? null : KEY_VALUE.exec(line);
    if (kv && kv[1] === "COMMENT") {
      inComment = true;
      if (kv[2].trim()) comments.push(kv[2].trim());
    } else if (kv) header[kv[1]] = kv[2].trim();
    else {
      const c = line.replace(/^#\s*/, "").replace(/^-\s*/, "").trim();
      if (c) comments.push(c);
    }
  }
  if (comments.length) header.COMMENT = comments;
  const names = uniqueNames(columnLine.slice(1).split(";"));
  const rows = all.slice(h).map((l) => l.split(";"));
  const stdev = (n: string) => /^Stdev/i.test(n);
  const columns = typedColumns(names, rows, h, {
    missing: (n) => (stdev(n) ? [-9.99, -999.99] : [-999.99]),
  });
  const columnNames = [...names];
  const timeColumns: string[] = [];
  if (TIME_PARTS.every((p) => names.includes(p)) && !names.includes("TIMESTAMP")) {
    const [y, mo, d, hh, mi] = TIME_PARTS.map((p) => columns[p] as ArrayLike<unknown>);
    const ts = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const month = Number(mo[i]), day = Number(d[i]), hour = Number(hh[i]), min = Number(mi[i]);
      ts[i] = month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 &&
          min >= 0 && min <= 59
        ? Date.UTC(Number(y[i]), month - 1, day, hour, min)
        : NaN;
    }
    columns.TIMESTAMP = ts;
    columnNames.unshift("TIMESTAMP");
    timeColumns.push("TIMESTAMP");
  }
  const unit = typeof header["MEASUREMENT UNIT"] === "string"
    ? header["MEASUREMENT UNIT"] as string
    : undefined;
  const units: Record<string, string> = {};
  if (unit) {
    // the measured gas: PARAMETER, else the column before Stdev
    const gas = typeof header.PARAMETER === "string"
      ? header.PARAMETER.toLowerCase()
      : names[names.indexOf("Stdev") - 1]?.toLowerCase();
    for (const n of names) {
      const base = n.replace(/-WithoutSpikes$/, "");
      if (
        (gas !== undefined && base.toLowerCase() === gas) || /^Stdev$/i.test(base) ||
        ["LTR", "CMR", "STTB", "QcBias", "QcBiasUncertainty"].includes(base)
      ) units[n] = unit;
    }
  }
  if (rows.some((r) => r.length < 2 && r[0]?.trim() !== "")) {
    const i = rows.findIndex((r) => r.length < 2 && r[0]?.trim() !== "");
    throw new CorruptDataError(`Line ${h + i + 1} is not a ;-separated row`);
  }
  return originalTable("atc-csv", {
    fileName: options.fileName,
    header,
    units,
    columnNames,
    columns,
    timeColumns,
    rows: rows.length,
  });
}
