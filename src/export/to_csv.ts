/**
 * Tables as CSV text with their times as times.
 *
 * @module
 */

import { checkOptions } from "../_util/args.ts";
import { tableCsv } from "./_table_text.ts";
import { asTable, type TableLike, timeColumns, type TimesOption } from "./_times.ts";

/** Options of {@linkcode toCsv}. */
export interface ToCsvOptions {
  /** As for `toArrow`: columns of times besides those the library marks. */
  times?: TimesOption;
}

/**
 * Writes a table as CSV (RFC 4180 quoting, a header line, `\n` line ends).
 * Time columns (as for `toArrow`: a data object's time columns, columns of
 * Dates, those named in `times`) are ISO 8601 with one format per column:
 * date-times `2016-05-10T01:00:00Z` (with milliseconds in every row when one
 * row has them), dates `2016-05-10`, months `2016-05`, times of day
 * `01:00:00`. Float32 values are written at float32 precision, missing
 * values and NaN empty. (arquero's own `toCSV` writes a date-time at
 * midnight as a date, so one column can mix two formats: use this.)
 *
 * @param data An arquero table or a record of columns.
 * @param options `times`.
 * @returns The CSV text.
 * @throws {UnknownColumnError} For a name in `times` that is no column.
 *
 * @example
 * ```ts
 * import { toCsv } from "@icoscp/icoscp/export";
 * import assert from "node:assert/strict";
 *
 * const csv = toCsv({
 *   TIMESTAMP: [new Date("2016-05-10T00:00:00Z"), new Date("2016-05-10T01:00:00Z")],
 *   co2: new Float32Array([405.5, 406.25]),
 * });
 * assert.equal(csv, "TIMESTAMP,co2\n2016-05-10T00:00:00Z,405.5\n2016-05-10T01:00:00Z,406.25\n");
 * ```
 */
export function toCsv(data: TableLike, options: ToCsvOptions = {}): string {
  options = checkOptions("toCsv", options, { times: true });
  const t = asTable("toCsv", data);
  return tableCsv(t, timeColumns("toCsv", t, options.times));
}
