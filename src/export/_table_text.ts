// Private: tables as text for people and spreadsheets (the command line, the
// demo). Times as ISO 8601, float32 values at float32 precision (412.755, not
// 412.7550048828125), missing values empty, CSV quoting per RFC 4180.

import { TIME_FORMATS, type TimeKind, timeKindOf } from "../_util/time_columns.ts";

export { TIME_FORMATS, type TimeKind };

/** A table as the command line sees it: arquero's column access. */
export interface TextTable {
  columnNames(): string[];
  numRows(): number;
  column(name: string): { at(row: number): unknown } | undefined;
  getter?(name: string): (row: number) => unknown;
}

/** The shortest decimal that reads back as the same float32. */
export function float32Text(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "" : String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/** One cell as text: "" for null, undefined and NaN. */
export function cellText(
  value: unknown,
  opts: { float32?: boolean; time?: TimeKind; ms?: boolean } = {},
): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return timeText(value.getTime(), opts.time ?? "dateTime", opts.ms);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "";
    if (opts.time) return timeText(value, opts.time, opts.ms);
    return opts.float32 ? float32Text(value) : String(value);
  }
  if (typeof value === "bigint") return String(value);
  return String(value);
}

/**
 * A time as ISO 8601 text of its kind; `ms` writes milliseconds (the whole
 * column does when one of its values has them, so each column has one format).
 */
function timeText(ms: number, kind: TimeKind, withMs = false): string {
  if (!Number.isFinite(ms)) return "";
  const iso = new Date(ms).toISOString();
  switch (kind) {
    case "date":
      return iso.slice(0, 10);
    case "month":
      return iso.slice(0, 7);
    case "timeOfDay":
      return withMs ? iso.slice(11, 23) : iso.slice(11, 19);
    default:
      return withMs ? iso : iso.slice(0, 19) + "Z";
  }
}

/** Whether a time column has a value with milliseconds (then all its values show them). */
function hasMs(get: (row: number) => unknown, n: number): boolean {
  for (let r = 0; r < n; r++) {
    const v = get(r);
    const ms = v instanceof Date ? v.getTime() : typeof v === "number" ? v : NaN;
    if (Number.isFinite(ms) && ((ms % 1000) + 1000) % 1000 !== 0) return true;
  }
  return false;
}

/**
 * The kind of times a column holds: as the caller says, else as the library
 * marked the column, else `dateTime` for a column of Dates.
 */
export function timeKindOfColumn(
  t: TextTable,
  name: string,
  times: Readonly<Record<string, TimeKind>>,
): TimeKind | undefined {
  if (Object.hasOwn(times, name)) return times[name];
  const col = t.column(name) as unknown;
  const marked = timeKindOf(col) ?? timeKindOf((col as { data?: unknown } | undefined)?.data);
  if (marked) return marked;
  const get = t.getter ? t.getter(name) : (row: number) => t.column(name)?.at(row);
  let dates = false;
  for (let r = 0, n = t.numRows(); r < n; r++) {
    const v = get(r);
    if (v === null || v === undefined) continue;
    if (!(v instanceof Date)) return undefined;
    dates = true;
  }
  return dates ? "dateTime" : undefined;
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

interface ColumnText {
  name: string;
  at: (row: number) => string;
}

function columnTexts(t: TextTable, times: Readonly<Record<string, TimeKind>>): ColumnText[] {
  return t.columnNames().map((name) => {
    const col = t.column(name) as unknown;
    const data = (col as { data?: unknown } | undefined)?.data;
    const float32 = data instanceof Float32Array || col instanceof Float32Array;
    const get = t.getter ? t.getter(name) : (row: number) => t.column(name)?.at(row);
    const time = timeKindOfColumn(t, name, times);
    const ms = time ? hasMs(get, t.numRows()) : false;
    return { name, at: (row: number) => cellText(get(row), { float32, time, ms }) };
  });
}

/**
 * A table as CSV text (header line, then one line a row, ending in a newline).
 *
 * @param t The table (arquero).
 * @param times Time columns by name and how they are stored.
 */
export function tableCsv(t: TextTable, times: Readonly<Record<string, TimeKind>> = {}): string {
  const cols = columnTexts(t, times);
  const lines = [cols.map((c) => csvCell(c.name)).join(",")];
  const n = t.numRows();
  for (let r = 0; r < n; r++) lines.push(cols.map((c) => csvCell(c.at(r))).join(","));
  return lines.join("\n") + "\n";
}

/**
 * Rows of objects as aligned columns for a terminal (numbers right-aligned).
 *
 * @param rows Cells already as text, one array a row; the first row is the header.
 * @param numeric Which columns are numbers (right-aligned).
 */
export function alignedText(
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[] = [],
): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")
      .trimEnd()
  ).join("\n") + "\n";
}

/**
 * A table as aligned columns for a terminal: the same cells as the CSV
 * (ISO times, float32 values at their precision, missing values empty),
 * numbers right-aligned.
 *
 * @param t The table (arquero).
 * @param times Time columns by name and how they are stored.
 */
export function tableText(t: TextTable, times: Readonly<Record<string, TimeKind>> = {}): string {
  const cols = columnTexts(t, times);
  const n = t.numRows();
  const rows: string[][] = [cols.map((c) => c.name)];
  for (let r = 0; r < n; r++) rows.push(cols.map((c) => c.at(r)));
  const numeric = t.columnNames().map((name) => {
    if (timeKindOfColumn(t, name, times)) return false;
    const get = t.getter ? t.getter(name) : (row: number) => t.column(name)?.at(row);
    for (let r = 0; r < n; r++) {
      const v = get(r);
      if (v !== null && v !== undefined) return typeof v === "number" || typeof v === "bigint";
    }
    return false;
  });
  return alignedText(rows, numeric);
}

/**
 * A table as JSON-ready rows: times as ISO text, float32 values as the
 * shortest decimal of their float32 (0.156, not 0.15600000321865082),
 * NaN and missing values as null, 64-bit integers as numbers when exact.
 *
 * @param t The table (arquero).
 * @param times Time columns by name and how they are stored.
 */
export function tableRows(
  t: TextTable,
  times: Readonly<Record<string, TimeKind>> = {},
): Record<string, unknown>[] {
  const names = t.columnNames();
  const cols = names.map((name) => {
    const col = t.column(name) as unknown;
    const data = (col as { data?: unknown } | undefined)?.data;
    const float32 = data instanceof Float32Array || col instanceof Float32Array;
    const get = t.getter ? t.getter(name) : (row: number) => t.column(name)?.at(row);
    const time = timeKindOfColumn(t, name, times);
    const ms = time ? hasMs(get, t.numRows()) : false;
    return (row: number): unknown => {
      const v = get(row);
      if (v === undefined || v === null) return null;
      if (v instanceof Date) return cellText(v, { time, ms }) || null;
      if (typeof v === "number") {
        if (Number.isNaN(v)) return null;
        if (time) return cellText(v, { time, ms }) || null;
        if (!Number.isFinite(v)) return String(v);
        return float32 ? Number(float32Text(v)) : v;
      }
      if (typeof v === "bigint") {
        return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(v)
          : String(v);
      }
      return v;
    };
  });
  const n = t.numRows();
  const out: Record<string, unknown>[] = [];
  for (let r = 0; r < n; r++) {
    const row: Record<string, unknown> = {};
    names.forEach((name, i) => (row[name] = cols[i](r)));
    out.push(row);
  }
  return out;
}
