// Private: tables as text for people and spreadsheets (the command line, the
// demo). Times as ISO 8601, float32 values at float32 precision (412.755, not
// 412.7550048828125), missing values empty, CSV quoting per RFC 4180.

/** How a time column is stored: ms since the epoch, or ms since midnight. */
export type TimeKind = "dateTime" | "date" | "month" | "timeOfDay";

/** A table as the command line sees it: arquero's column access. */
export interface TextTable {
  columnNames(): string[];
  numRows(): number;
  column(name: string): { at(row: number): unknown } | undefined;
  getter?(name: string): (row: number) => unknown;
}

/** The value formats of the portal whose columns hold times, by kind. */
export const TIME_FORMATS: Readonly<Record<string, TimeKind>> = {
  iso8601dateTime: "dateTime",
  iso8601date: "date",
  etcDate: "date",
  iso8601month: "month",
  iso8601timeOfDay: "timeOfDay",
};

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
  opts: { float32?: boolean; time?: TimeKind } = {},
): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? "" : value.toISOString().replace(".000Z", "Z");
  }
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "";
    if (opts.time) return timeText(value, opts.time);
    return opts.float32 ? float32Text(value) : String(value);
  }
  if (typeof value === "bigint") return String(value);
  return String(value);
}

function timeText(ms: number, kind: TimeKind): string {
  if (!Number.isFinite(ms)) return "";
  const iso = new Date(ms).toISOString();
  switch (kind) {
    case "date":
      return iso.slice(0, 10);
    case "month":
      return iso.slice(0, 7);
    case "timeOfDay":
      return iso.slice(11, 19);
    default:
      return iso.replace(".000Z", "Z");
  }
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
    const time = times[name];
    return { name, at: (row: number) => cellText(get(row), { float32, time }) };
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
    if (times[name]) return false;
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
    const time = times[name];
    return (row: number): unknown => {
      const v = get(row);
      if (v === undefined || v === null) return null;
      if (v instanceof Date) return cellText(v) || null;
      if (typeof v === "number") {
        if (Number.isNaN(v)) return null;
        if (time) return cellText(v, { time }) || null;
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
