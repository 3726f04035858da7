/**
 * Types of the parsed original files.
 *
 * @module
 */

import type { ColumnTable } from "../_util/arquero.ts";

/** A column of a parsed file: numbers, integers, text (null for an empty cell) or times (ms since the epoch, NaN when missing). */
export type OriginalColumn = Float64Array | Float32Array | Int32Array | (string | null)[];

/** A header value: text, a list of lines, or numbers. */
export type HeaderValue = string | readonly string[] | number | readonly number[];

/** The layouts the parsers know. */
export type OriginalFormat =
  | "atc-csv"
  | "etc-csv"
  | "delimited"
  | "obspack-netcdf"
  | "netcdf"
  | "zip";

/**
 * An original file parsed: its columns (typed arrays; time columns as
 * milliseconds since the epoch), an arquero table of them (time columns as
 * `Date`s), the header metadata and the units.
 */
export interface OriginalTable {
  /** Which parser read it. */
  readonly format: OriginalFormat;
  /** The file (or archive member) name, when known. */
  readonly fileName?: string;
  /**
   * Header metadata: the `# KEY: value` lines of an ATC file (`"MEASUREMENT
   * SCALE"`, `"STATION CODE"`, …; the COMMENT block as a list of lines), the
   * global attributes of a NetCDF file, the member names of an archive.
   */
  readonly header: Readonly<Record<string, HeaderValue>>;
  /** Units by column, where the file gives them. */
  readonly units: Readonly<Record<string, string>>;
  /** Column names in file order (plus `TIMESTAMP` where the parser builds it). */
  readonly columnNames: readonly string[];
  /** The columns by name; time columns hold milliseconds since the epoch. */
  readonly columns: Readonly<Record<string, OriginalColumn>>;
  /** Names of the time columns. */
  readonly timeColumns: readonly string[];
  /** Number of rows. */
  readonly rows: number;
  /** The columns as an arquero table, time columns as `Date`s (null when missing). */
  readonly table: ColumnTable;
  /** For an archive: each table it holds, by member name. */
  readonly parts?: Readonly<Record<string, OriginalTable>>;
}
