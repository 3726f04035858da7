/**
 * Handing tables over to bigger tools: Apache Arrow IPC (through arquero)
 * and Parquet (through `hyparquet-writer`, loaded on first use), so that
 * DuckDB, Polars or Spark can take the analysis further.
 *
 * @module
 */

import { type ColumnTable, table, toArrowIPC } from "../_util/arquero.ts";
import {
  type DataType,
  dateDay,
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  nullType,
  timeMillisecond,
  timestamp,
  TimeUnit,
  uint16,
  uint32,
  uint64,
  uint8,
} from "npm:@uwdata/flechette@2.6.0";
import { InvalidArgumentError } from "../errors.ts";
import { checkOptions, oneOf } from "../_util/args.ts";
import {
  type ParquetColumn,
  type ParquetColumnKind,
  parquetSchema,
  parquetTimeValues,
} from "../_util/parquet_schema.ts";
import type { TimeKind } from "../_util/time_columns.ts";
import { asTable, type TableLike, timeColumns, type TimesOption } from "./_times.ts";

export type { TableLike, TimeKind, TimesOption };

/** Options of {@linkcode toArrow}. */
export interface ToArrowOptions {
  /** `file` (default, `.arrow`) or `stream`. */
  format?: "file" | "stream";
  /**
   * Columns of times besides those the library marks and columns of Dates:
   * names (date-times, milliseconds since the epoch) or kinds by name.
   */
  times?: TimesOption;
}

/** Options of {@linkcode toParquet}. */
export interface ToParquetOptions {
  /** As for {@linkcode toArrow}. */
  times?: TimesOption;
}

/**
 * Encodes a table as Apache Arrow IPC. Time columns are Arrow times:
 * date-times (and months) `timestamp[ms, UTC]`, dates `date32`, times of day
 * `time32[ms]`. Time columns are those of a data object's table (its
 * date-time, date, month and time-of-day columns, also after `select` or
 * `filter`), columns of Dates, and those named in `times`.
 *
 * @param data An arquero table or a record of columns.
 * @param options `format`: `file` (default, `.arrow`) or `stream`; `times`.
 * @returns The IPC bytes.
 * @throws {UnknownColumnError} For a name in `times` that is no column.
 *
 * @example
 * ```ts
 * import { toArrow } from "@icoscp/icoscp/export";
 * import assert from "node:assert/strict";
 *
 * const bytes = toArrow(
 *   { TIMESTAMP: new Float64Array([Date.UTC(2016, 4, 10)]), co2: new Float64Array([410.2]) },
 *   { times: ["TIMESTAMP"] },
 * );
 * assert.equal(new TextDecoder().decode(bytes.subarray(0, 6)), "ARROW1");
 * ```
 */
export function toArrow(data: TableLike, options: ToArrowOptions = {}): Uint8Array {
  options = checkOptions("toArrow", options, { format: true, times: true });
  const format = oneOf("toArrow", "format", options.format ?? "file", ["file", "stream"] as const);
  let t = asTable("toArrow", data);
  const times = timeColumns("toArrow", t, options.times);
  const types = emptyColumnTypes(t);
  if (Object.keys(times).length) {
    const base = t.isFiltered() || t.isOrdered() ? t.reify() : t;
    const cols: Record<string, ArrayLike<unknown>> = {};
    for (const name of base.columnNames()) {
      const column = base.column(name) as unknown as ArrayLike<unknown>;
      const kind = times[name];
      if (kind) types[name] = arrowTimeType(kind);
      cols[name] = kind ? arrowTimeValues(column, kind) : column;
    }
    t = table(cols);
  }
  const bytes = toArrowIPC(t, { format, types });
  if (!bytes) throw new InvalidArgumentError("The table could not be encoded as Arrow");
  return bytes;
}

function arrowTimeType(kind: TimeKind): DataType {
  return kind === "date"
    ? dateDay()
    : kind === "timeOfDay"
    ? timeMillisecond()
    : timestamp(TimeUnit.MILLISECOND, "UTC");
}

/** Milliseconds (null where missing) as flechette's time builders take them. */
function arrowTimeValues(values: ArrayLike<unknown>, kind: TimeKind): (number | null)[] {
  return Array.from(values, (v) => {
    const ms = v instanceof Date ? v.getTime() : typeof v === "number" ? v : NaN;
    return Number.isFinite(ms) ? (kind === "date" ? ms : Math.round(ms)) : null;
  });
}

/**
 * Arrow types of the columns of an empty table, where there is no value to
 * infer them from: a typed array's own type, else the null type.
 */
function emptyColumnTypes(t: ColumnTable): Record<string, DataType> {
  if (t.numRows() > 0) return {};
  const types: Record<string, DataType> = {};
  for (const name of t.columnNames()) {
    const data: unknown = t.column(name);
    types[name] = data instanceof Float64Array
      ? float64()
      : data instanceof Float32Array
      ? float32()
      : data instanceof Int8Array
      ? int8()
      : data instanceof Int16Array
      ? int16()
      : data instanceof Int32Array
      ? int32()
      : data instanceof BigInt64Array
      ? int64()
      : data instanceof Uint8Array
      ? uint8()
      : data instanceof Uint16Array
      ? uint16()
      : data instanceof Uint32Array
      ? uint32()
      : data instanceof BigUint64Array
      ? uint64()
      : nullType();
  }
  return types;
}

const PARQUET_TIME: Record<TimeKind, ParquetColumnKind> = {
  dateTime: "time",
  month: "time",
  date: "date",
  timeOfDay: "timeOfDay",
};

function parquetColumn(
  name: string,
  column: unknown,
  values: ArrayLike<unknown>,
  time: TimeKind | undefined,
): { column: ParquetColumn; data: ArrayLike<unknown> } {
  const col = (kind: ParquetColumnKind, data: ArrayLike<unknown>) => ({
    column: { name, kind, nullable: true },
    data,
  });
  if (time) {
    const kind = PARQUET_TIME[time] as "time" | "date" | "timeOfDay";
    return col(kind, parquetTimeValues(values, kind));
  }
  if (column instanceof Float64Array) return col("double", Float64Array.from(values as number[]));
  if (column instanceof Float32Array) return col("float", Float32Array.from(values as number[]));
  if (
    column instanceof Int32Array || column instanceof Int16Array ||
    column instanceof Int8Array || column instanceof Uint16Array || column instanceof Uint8Array
  ) {
    return col("int", Int32Array.from(values as number[]));
  }
  const arr = Array.from(values);
  const kinds = new Set(arr.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
  if (kinds.size === 0 || (kinds.size === 1 && kinds.has("string"))) {
    return col("string", arr.map((v) => (v === undefined ? null : v)));
  }
  if (kinds.size === 1 && kinds.has("number")) {
    return col("double", Float64Array.from(arr as number[], (v) => v ?? NaN));
  }
  if (kinds.size === 1 && kinds.has("boolean")) {
    return col("bool", arr.map((v) => (v === undefined ? null : v)));
  }
  return col("string", arr.map((v) => (v === null || v === undefined ? null : String(v))));
}

/**
 * Encodes a table as Parquet. Time columns (as for {@linkcode toArrow}) are
 * Parquet times: date-times and months `TIMESTAMP(MILLIS)` adjusted to UTC,
 * dates `DATE`, times of day `TIME(MILLIS)` — the schema the mirror writes.
 * Typed arrays keep their type (8- and 16-bit integers widen to int32),
 * other numbers become doubles, anything else strings.
 *
 * @param data An arquero table or a record of columns.
 * @param options `times`: columns of times besides those the library marks.
 * @returns The Parquet file bytes.
 * @throws {UnknownColumnError} For a name in `times` that is no column.
 *
 * @example
 * ```ts
 * import { toParquet } from "@icoscp/icoscp/export";
 * import assert from "node:assert/strict";
 *
 * const bytes = await toParquet({ id: ["GAT", "HTM"], lat: new Float64Array([53.0657, 56.0976]) });
 * assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "PAR1");
 * ```
 */
export async function toParquet(
  data: TableLike,
  options: ToParquetOptions = {},
): Promise<Uint8Array> {
  options = checkOptions("toParquet", options, { times: true });
  const t = asTable("toParquet", data);
  const times = timeColumns("toParquet", t, options.times);
  const cols = t.columnNames().map((n) =>
    parquetColumn(n, t.column(n), t.array(n) as ArrayLike<unknown>, times[n])
  );
  const { parquetWriteBuffer } = await import("npm:hyparquet-writer@0.17.0");
  return new Uint8Array(
    parquetWriteBuffer(
      {
        schema: parquetSchema(cols.map((c) => c.column)),
        columnData: cols.map((c) => ({ name: c.column.name, data: c.data })),
      } as Parameters<typeof parquetWriteBuffer>[0],
    ),
  );
}
