// Private: the options of `Dobj`'s data methods, checked (names and
// values).

import {
  boolean,
  checkOptions,
  integer,
  oneOf,
  optionalInteger,
  optionalStringList,
  type OptionKeys,
} from "../_util/args.ts";
import type { Progress } from "../client/_object_body.ts";
import { InvalidArgumentError } from "../errors.ts";
import type { ByteSourceOptions } from "./_originals.ts";

/** Options of {@linkcode Dobj.getColumns} and {@linkcode Dobj.get}. */
export interface GetColumnsOptions {
  /** First row. Default 0. */
  offset?: number;
  /** Number of rows. Default: to the end. */
  length?: number;
  /** Keep values whose quality flag is not good. Default false: they become NaN. */
  keepBadData?: boolean;
  /**
   * How flag (`bmpChar`) columns come back: `"strings"` (default), arrays of
   * one-character strings (`""` for null), like Python's `U1` arrays; or
   * `"codes"`, a `Uint16Array` of their UTF-16 codes (0 for null), 2 bytes a
   * row instead of an 8-byte reference and no conversion: for tables of
   * millions of rows. Compare codes with `"O".charCodeAt(0)`.
   */
  flags?: "strings" | "codes";
  /**
   * What to do with a column name that matches no column (names match
   * case-insensitively, as in Python): `"throw"` (default) an
   * {@linkcode UnknownColumnError} listing the columns, or `"drop"` it as
   * Python's `get` does. Even with `"drop"`, asking only for unknown names
   * throws (Python would silently return every column).
   */
  unknownColumns?: "throw" | "drop";
  /**
   * Row slices of a large table fetched at once (each at least 4 MiB).
   * Default 1: one request. On a high-latency link 2–4 can be faster; on a
   * fast one a single stream is.
   */
  concurrency?: number;
  /**
   * Called as the data arrive: bytes received of the bytes the read brings
   * (its columns' widths times its rows). The CLI draws its bar with it.
   */
  onProgress?: (progress: Progress) => void;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of {@linkcode Dobj.get}. */
export interface GetOptions extends GetColumnsOptions {
  /** Date-time, date and month columns as `Date`s (Python's `Dobj.dateTimeConvert`). Default false: milliseconds. */
  dateTimeConvert?: boolean;
}

export const GET_COLUMNS_KEYS: OptionKeys<GetColumnsOptions> = {
  offset: true,
  length: true,
  keepBadData: true,
  flags: true,
  unknownColumns: true,
  concurrency: true,
  onProgress: true,
  signal: true,
};

export const GET_KEYS: OptionKeys<GetOptions> = { ...GET_COLUMNS_KEYS, dateTimeConvert: true };

/** Checks the options of `getColumns`/`get`, values included. */
export function getColumnsOptions<T extends GetColumnsOptions>(
  where: string,
  given: T | undefined,
  keys: OptionKeys<T>,
): T {
  const o = checkOptions(where, given, keys);
  return {
    ...o,
    offset: optionalInteger(where, "offset", o.offset),
    length: optionalInteger(where, "length", o.length),
    keepBadData: boolean(where, "keepBadData", o.keepBadData, false),
    flags: oneOf(where, "flags", o.flags ?? "strings", ["strings", "codes"] as const),
    unknownColumns: oneOf(
      where,
      "unknownColumns",
      o.unknownColumns ?? "throw",
      [
        "throw",
        "drop",
      ] as const,
    ),
    concurrency: integer(where, "concurrency", o.concurrency ?? 1, { min: 1 }),
    onProgress: progressOption(where, o.onProgress),
    signal: signalOption(where, o.signal),
  };
}

/** An `onProgress` option, or undefined. */
export function progressOption(
  where: string,
  value: unknown,
): ((progress: Progress) => void) | undefined {
  if (value === undefined || typeof value === "function") {
    return value as ((progress: Progress) => void) | undefined;
  }
  throw new InvalidArgumentError(where, "onProgress", value, "a function");
}

/** An `AbortSignal` option, or undefined. */
export function signalOption(where: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new InvalidArgumentError(where, "signal", value, "an AbortSignal");
}

/** Options of {@linkcode Dobj.getCsv} and {@linkcode Dobj.csvStream}. */
export interface CsvOptions {
  /** Column names, in the order wanted (unknown names are dropped by the portal). Default: all. */
  columns?: readonly string[];
  /** First row. */
  offset?: number;
  /** Number of rows. */
  limit?: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of {@linkcode Dobj.readFile}. */
export interface ReadFileOptions {
  /** Accept the object's data licence for this file (see {@linkcode FileStreamOptions.acceptLicence}). */
  acceptLicence?: boolean;
  /** UTC offset in hours of the local times of ETC files (default 0: times as written). */
  utcOffsetHours?: number;
  /** Aborts the transfer. */
  signal?: AbortSignal;
}

/** Options of {@linkcode Dobj.fileStream}. */
export interface FileStreamOptions {
  /**
   * Accept the object's data licence for this file at the portal (the
   * user's explicit consent), so that it comes without a login. Default
   * false: the file needs a login that accepted the licence.
   */
  acceptLicence?: boolean;
  /** Called as bytes arrive. */
  onProgress?: (progress: Progress) => void;
  /** Aborts the transfer. */
  signal?: AbortSignal;
  /** Resumptions after a dropped connection. Default 5. */
  retries?: number;
}

export const CSV_KEYS: OptionKeys<CsvOptions> = {
  columns: true,
  offset: true,
  limit: true,
  signal: true,
};

export const READ_FILE_KEYS: OptionKeys<ReadFileOptions> = {
  acceptLicence: true,
  utcOffsetHours: true,
  signal: true,
};

export const BYTE_SOURCE_KEYS: OptionKeys<ByteSourceOptions> = {
  acceptLicence: true,
  blockSize: true,
  maxReadAhead: true,
  maxCacheBytes: true,
  coalesceGap: true,
  signal: true,
};

export const FILE_STREAM_KEYS: OptionKeys<FileStreamOptions> = {
  acceptLicence: true,
  onProgress: true,
  signal: true,
  retries: true,
};

export function csvOptions(where: string, given: CsvOptions | undefined): CsvOptions {
  const o = checkOptions(where, given, CSV_KEYS);
  return {
    columns: optionalStringList(where, "columns", o.columns),
    offset: optionalInteger(where, "offset", o.offset),
    limit: optionalInteger(where, "limit", o.limit),
    signal: signalOption(where, o.signal),
  };
}

/** A callback option, or undefined. */
export function callback<F>(where: string, name: string, value: F | undefined): F | undefined {
  if (value === undefined || typeof value === "function") return value;
  throw new InvalidArgumentError(where, name, value, "a function");
}
