// Private: delimited text (the ATC `;` files, ETC `,` files) into typed
// columns: a column whose cells are all integers (within int32) and never
// empty is an Int32Array, one whose cells are all numbers (or empty, or a
// missing-value sentinel) a Float64Array with NaN for the missing, anything
// else text (null for an empty cell).

import { table as arqueroTable } from "arquero";
import { CorruptDataError, LimitExceededError } from "../errors.ts";
import type { HeaderValue, OriginalColumn, OriginalFormat, OriginalTable } from "./types.ts";

/** Most rows a parser accepts (a guard against a runaway input). */
export const MAX_ROWS = 50_000_000;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** Splits text into lines (LF or CRLF), without a trailing empty line. */
export function lines(text: string): string[] {
  const out = text.split("\n");
  for (let i = 0; i < out.length; i++) if (out[i].endsWith("\r")) out[i] = out[i].slice(0, -1);
  while (out.length && out[out.length - 1] === "") out.pop();
  return out;
}

/** Decodes bytes as UTF-8 (invalid bytes become U+FFFD, as the portal's own tools read them). */
export function decodeText(bytes: Uint8Array): string {
  let text = new TextDecoder("utf-8").decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Options of {@linkcode typedColumns}. */
export interface ColumnOptions {
  /** Numbers that mean "missing" in a numeric column (they become NaN; such a column is never integer). */
  missing?: (name: string) => readonly number[];
}

/**
 * Rows of cells into typed columns, in header order. A row with fewer cells
 * than the header is padded with empty cells; one with more is an error.
 */
export function typedColumns(
  names: readonly string[],
  rows: readonly string[][],
  firstLine: number,
  options: ColumnOptions = {},
): Record<string, OriginalColumn> {
  if (rows.length > MAX_ROWS) {
    throw new LimitExceededError(`${rows.length} rows: more than ${MAX_ROWS}`);
  }
  rows.forEach((r, i) => {
    if (r.length > names.length) {
      throw new CorruptDataError(
        `Line ${firstLine + i + 1} has ${r.length} cells, the header names ${names.length}`,
      );
    }
  });
  const out: Record<string, OriginalColumn> = {};
  names.forEach((name, c) => {
    const missing = options.missing?.(name) ?? [];
    let integer = true;
    let numeric = true;
    for (const r of rows) {
      const cell = (r[c] ?? "").trim();
      if (cell === "") {
        integer = false;
        continue;
      }
      if (!NUMBER.test(cell) && !/^(?:nan|NaN|NA)$/.test(cell)) {
        numeric = false;
        break;
      }
      if (integer && (!INTEGER.test(cell) || Math.abs(Number(cell)) > 2147483647)) integer = false;
      if (integer && missing.includes(Number(cell))) integer = false;
    }
    if (numeric && integer && rows.length > 0) {
      out[name] = Int32Array.from(rows, (r) => Number(r[c]));
    } else if (numeric && rows.length > 0) {
      out[name] = Float64Array.from(rows, (r) => {
        const cell = (r[c] ?? "").trim();
        if (cell === "") return NaN;
        const x = Number(cell);
        return missing.includes(x) ? NaN : x;
      });
    } else {
      out[name] = rows.map((r) => {
        const cell = r[c] ?? "";
        return cell === "" ? null : cell;
      });
    }
  });
  return out;
}

/** Unique column names: a repeated or empty name gets a `_<n>` suffix. */
export function uniqueNames(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((r, i) => {
    let name = r.trim().replace(/^"(.*)"$/, "$1") || `column_${i}`;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    if (n > 0) name = `${name}_${n}`;
    return name;
  });
}

/** Assembles an {@linkcode OriginalTable} (the arquero table shows time columns as Dates). */
export function originalTable(
  format: OriginalFormat,
  parts: {
    fileName?: string;
    header: Record<string, HeaderValue>;
    units?: Record<string, string>;
    columnNames: string[];
    columns: Record<string, OriginalColumn>;
    timeColumns: string[];
    rows: number;
    parts?: Record<string, OriginalTable>;
  },
): OriginalTable {
  const data: Record<string, unknown> = {};
  for (const name of parts.columnNames) {
    const col = parts.columns[name];
    data[name] = parts.timeColumns.includes(name)
      ? Array.from(col as Float64Array, (ms) => Number.isNaN(ms) ? null : new Date(ms))
      : col;
  }
  return {
    format,
    ...(parts.fileName !== undefined ? { fileName: parts.fileName } : {}),
    header: parts.header,
    units: parts.units ?? {},
    columnNames: parts.columnNames,
    columns: parts.columns,
    timeColumns: parts.timeColumns,
    rows: parts.rows,
    table: arqueroTable(data),
    ...(parts.parts ? { parts: parts.parts } : {}),
  };
}
