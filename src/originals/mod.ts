/**
 * Parsers of the portal's original files — ICOS atmosphere time series
 * (with the `#` header: MEASUREMENT SCALE, units, station, and every column,
 * LTR, CMR and STTB included), ecosystem CSV tables and archives, ObsPack
 * and other NetCDF — each into typed columns (time as time) with the header
 * metadata. `Dobj.readFile()` picks the parser from the object's format.
 *
 * @example
 * ```ts
 * import { parseAtcCsv } from "@icoscp/icoscp/originals";
 * import assert from "node:assert/strict";
 *
 * const f = parseAtcCsv("# STATION CODE: HTM\n#Site;Year;Month;Day;Hour;Minute;ch4\nHTM;2022;6;1;0;0;1990.2\n");
 * assert.equal(f.header["STATION CODE"], "HTM");
 * assert.equal(f.rows, 1);
 * ```
 *
 * @module
 */

export { type AtcCsvOptions, parseAtcCsv } from "./atc_csv.ts";
export { type EtcCsvOptions, parseEtcCsv } from "./etc_csv.ts";
export { type NetCDFTableOptions, parseNetCDFTable } from "./netcdf_table.ts";
export { NoParserError } from "../errors.ts";
export { PARSED_FORMATS, readOriginal, type ReadOriginalOptions } from "./read_original.ts";
export type { HeaderValue, OriginalColumn, OriginalFormat, OriginalTable } from "./types.ts";
