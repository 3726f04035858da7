// Private: delimited text (the ATC `;` files, ETC `,` files) into typed
// columns: a column whose cells are all integers (within int32) and never
// empty is an Int32Array, one whose cells are all numbers (or empty, or a
// missing-value sentinel) a Float64Array with NaN for the missing, anything
// else text (null for an empty cell).

import { table as arqueroTable } from "../_util/arquero.ts";
import { CorruptDataError, LimitExceededError } from "../errors.ts";
import type { HeaderValue, OriginalColumn, OriginalFormat, OriginalTable } from "./types.ts";

/** Most rows a parser accepts (a guard against a runaway input). */
export const MAX_ROWS = 50_000_000;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a cell spells (NaN for `nan`/`NA`), else undefined. */
function numberOf(cell: string): number | undefined {
  const ch = cell.charCodeAt(0);
  // digits, sign or point first: anything else is text (or a NaN spelling)
  if (!((ch >= 48 && ch <= 57) || ch === 45 || ch === 43 || ch === 46)) {
    return cell === "nan" || cell === "NaN" || cell === "NA" ? NaN : undefined;
  }
  const x = Number(cell);
  if (Number.isNaN(x)) return undefined;
  // Number() also reads 0x…, 0b…, 0o…: those are text here
  const second = cell.charCodeAt(1) | 0x20;
  if (second === 0x78 || second === 0x62 || second === 0x6f) {
    return NUMBER.test(cell) ? x : undefined;
  }
  return x;
}

function isIntegerText(cell: string): boolean {
  for (let i = 0; i < cell.length; i++) {
    const ch = cell.charCodeAt(i);
    if (!((ch >= 48 && ch <= 57) || (i === 0 && (ch === 45 || ch === 43)))) return false;
  }
  return true;
}

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
  const n = rows.length;
  names.forEach((name, c) => {
    const missing = options.missing?.(name) ?? [];
    // one pass: numbers into a Float64Array while every cell is a number
    const values = new Float64Array(n);
    let integer = n > 0;
    let numeric = n > 0;
    for (let i = 0; i < n; i++) {
      const raw = rows[i][c];
      const cell = raw === undefined
        ? ""
        : raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32
        ? raw.trim()
        : raw;
      if (cell === "") {
        values[i] = NaN;
        integer = false;
        continue;
      }
      const x = numberOf(cell);
      if (x === undefined) {
        numeric = false;
        break;
      }
      if (Number.isNaN(x)) {
        values[i] = NaN;
        integer = false;
      } else if (missing.length && missing.includes(x)) {
        values[i] = NaN;
        integer = false;
      } else {
        values[i] = x;
        if (integer && !(Number.isInteger(x) && Math.abs(x) <= 2147483647 && isIntegerText(cell))) {
          integer = false;
        }
      }
    }
    if (numeric && integer) out[name] = Int32Array.from(values);
    else if (numeric) out[name] = values;
    else {
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
