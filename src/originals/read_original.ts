/**
 * Picks the parser for an original file from the object's format (and the
 * file's own signature): ATC time series, ETC tables and archives, ObsPack
 * and other NetCDF, plain delimited tables. Used by `Dobj.readFile()`.
 *
 * @module
 */

import { NoParserError, UnsupportedFormatError } from "../errors.ts";
import { checkOptions } from "../_util/args.ts";
import { zipEntries, zipRead } from "../_util/zip_reader.ts";
import { parseAtcCsv } from "./atc_csv.ts";
import { parseEtcCsv } from "./etc_csv.ts";
import { parseNetCDFTable } from "./netcdf_table.ts";
import { decodeText, originalTable } from "./_delimited.ts";
import type { OriginalTable } from "./types.ts";

/** What {@linkcode readOriginal} knows of the file. */
export interface ReadOriginalOptions {
  /** The object format's local name (`asciiAtcProductTimeSer`, `netcdfTimeSeries`, …). */
  format: string;
  /** The file name. */
  fileName?: string;
  /** The station's UTC offset in hours, for ETC local times. */
  utcOffsetHours?: number;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const HDF5 = [0x89, 0x48, 0x44, 0x46];

function starts(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

/** The formats {@linkcode readOriginal} has a parser for. */
export const PARSED_FORMATS: readonly string[] = [
  "asciiAtcProductTimeSer",
  "asciiAtcTimeSer",
  "asciiAtcFlaskTimeSer",
  "asciiEtcHalfHourlyProductTimeSer",
  "asciiEtcTimeSer",
  "zipArchive",
  "netcdf",
  "netcdfTimeSeries",
];

/**
 * Parses an original file by its object format: ATC files (also zipped, as
 * the portal serves them), ETC CSV tables, ZIP archives (each CSV member
 * parsed; the result's table is the first member's, `parts` holds all),
 * NetCDF (ObsPack and others, as tables along time).
 *
 * @param bytes The file.
 * @param options The object format, file name and UTC offset.
 * @returns The parsed table and header.
 * @throws {NoParserError} When the format has no parser.
 * @throws {DecodeError} When the file does not parse.
 *
 * @example An ATC file inside a ZIP, as the portal serves it
 * ```ts
 * import { readOriginal } from "@icoscp/icoscp/originals";
 * import assert from "node:assert/strict";
 *
 * const csv = "# MEASUREMENT SCALE: WMOX2019\n#Site;co2\nGAT;420.1\n";
 * const f = await readOriginal(new TextEncoder().encode(csv), { format: "asciiAtcProductTimeSer" });
 * assert.equal(f.header["MEASUREMENT SCALE"], "WMOX2019");
 * await assert.rejects(readOriginal(new Uint8Array(4), { format: "pdf" }), { name: "NoParserError" });
 * ```
 */
export async function readOriginal(
  bytes: Uint8Array,
  options: ReadOriginalOptions,
): Promise<OriginalTable> {
  checkOptions("readOriginal", options, ["format", "fileName", "utcOffsetHours"]);
  const { format, fileName } = options;
  if (!PARSED_FORMATS.includes(format)) throw new NoParserError(format, fileName);
  if (starts(bytes, ZIP)) return await readZip(bytes, options);
  if (format.startsWith("netcdf") || starts(bytes, [0x43, 0x44, 0x46]) || starts(bytes, HDF5)) {
    return await parseNetCDFTable(bytes, { fileName });
  }
  return textTable(bytes, options);
}

function textTable(bytes: Uint8Array, options: ReadOriginalOptions): OriginalTable {
  const { format, fileName, utcOffsetHours } = options;
  if (format.startsWith("asciiAtc")) {
    // a plain comma table (the emulator's benchmark files) is read as ETC-style CSV
    if (bytes[0] !== 0x23 && /^[^\n;]*,/.test(decodeText(bytes.subarray(0, 4096)))) {
      return plain(bytes, fileName);
    }
    return parseAtcCsv(bytes, { fileName });
  }
  if (format === "zipArchive") {
    throw new UnsupportedFormatError(`${fileName ?? "The file"} is not a ZIP archive`, {
      byteOffset: 0,
    });
  }
  return parseEtcCsv(bytes, { fileName, utcOffsetHours });
}

/** A comma table with ISO 8601 time columns. */
function plain(bytes: Uint8Array, fileName: string | undefined): OriginalTable {
  const t = parseEtcCsv(bytes, { fileName });
  const columns = { ...t.columns };
  const timeColumns = [...t.timeColumns];
  for (const n of t.columnNames) {
    const col = columns[n];
    if (!Array.isArray(col) || !col.some((c) => c !== null)) continue;
    const ms = col.map((c) => (c === null ? NaN : Date.parse(c)));
    if (
      col.every((c, i) => c === null || (/^\d{4}-\d{2}-\d{2}T/.test(c) && !Number.isNaN(ms[i])))
    ) {
      columns[n] = Float64Array.from(ms);
      timeColumns.push(n);
    }
  }
  return originalTable("delimited", {
    fileName,
    header: {},
    units: { ...t.units },
    columnNames: [...t.columnNames],
    columns,
    timeColumns,
    rows: t.rows,
  });
}

async function readZip(zip: Uint8Array, options: ReadOriginalOptions): Promise<OriginalTable> {
  const entries = zipEntries(zip).filter((e) => !e.name.endsWith("/"));
  const parts: Record<string, OriginalTable> = {};
  for (const e of entries) {
    const data = await zipRead(zip, e);
    const name = e.name.split("/").pop()!;
    const sub = { ...options, fileName: name };
    if (/\.nc$/i.test(name)) parts[e.name] = await parseNetCDFTable(data, { fileName: name });
    else if (/\.(csv|txt|dat)$/i.test(name) || /\.[A-Z0-9]{2,4}$/.test(name)) {
      parts[e.name] = options.format.startsWith("asciiAtc") && data[0] === 0x23
        ? parseAtcCsv(data, { fileName: name })
        : textTable(data, {
          ...sub,
          format: sub.format === "zipArchive" ? "asciiEtcTimeSer" : sub.format,
        });
    }
  }
  const names = Object.keys(parts);
  if (names.length === 0) {
    throw new UnsupportedFormatError(
      `${options.fileName ?? "The archive"} holds no table (${
        entries.map((e) => e.name).join(", ") || "no files"
      })`,
      { byteOffset: 0 },
    );
  }
  if (names.length === 1) return parts[names[0]];
  const main = parts[names[0]];
  return originalTable("zip", {
    fileName: options.fileName,
    header: { ...main.header, members: names },
    units: { ...main.units },
    columnNames: [...main.columnNames],
    columns: { ...main.columns },
    timeColumns: [...main.timeColumns],
    rows: main.rows,
    parts,
  });
}
