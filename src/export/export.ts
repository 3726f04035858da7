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
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  nullType,
  uint16,
  uint32,
  uint64,
  uint8,
} from "npm:@uwdata/flechette@2.6.0";
import { InvalidArgumentError } from "../errors.ts";
import { checkOptions, oneOf } from "../_util/args.ts";

/** A table or a record of columns (typed arrays, number or string arrays). */
export type TableLike = ColumnTable | Record<string, ArrayLike<unknown>>;

function asTable(t: TableLike): ColumnTable {
  if (typeof t !== "object" || t === null) {
    throw new InvalidArgumentError("export", "data", t, "an arquero table or a record of columns");
  }
  return typeof (t as ColumnTable).columnNames === "function"
    ? t as ColumnTable
    : table(t as Record<string, ArrayLike<unknown>>);
}

/**
 * Encodes a table as Apache Arrow IPC.
 *
 * @param data An arquero table or a record of columns.
 * @param options `format`: `file` (default, `.arrow`) or `stream`.
 * @returns The IPC bytes.
 *
 * @example
 * ```ts
 * import { toArrow } from "@icoscp/icoscp/export";
 * import assert from "node:assert/strict";
 *
 * const bytes = toArrow({ co2: new Float64Array([410.2, 411.7]) });
 * assert.equal(new TextDecoder().decode(bytes.subarray(0, 6)), "ARROW1");
 * ```
 */
export function toArrow(data: TableLike, options: { format?: "file" | "stream" } = {}): Uint8Array {
  options = checkOptions("toArrow", options, { format: true });
  const format = oneOf("toArrow", "format", options.format ?? "file", ["file", "stream"] as const);
  options = { format };
  const t = asTable(data);
  const bytes = toArrowIPC(t, { format: options.format ?? "file", types: emptyColumnTypes(t) });
  if (!bytes) throw new InvalidArgumentError("The table could not be encoded as Arrow");
  return bytes;
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

type ParquetType = "DOUBLE" | "FLOAT" | "INT32" | "STRING" | "BOOLEAN";

function parquetColumn(
  name: string,
  values: ArrayLike<unknown>,
): { name: string; data: ArrayLike<unknown>; type: ParquetType } {
  if (values instanceof Float64Array) return { name, data: values, type: "DOUBLE" };
  if (values instanceof Float32Array) return { name, data: values, type: "FLOAT" };
  if (values instanceof Int32Array) return { name, data: values, type: "INT32" };
  if (
    values instanceof Int16Array || values instanceof Int8Array || values instanceof Uint16Array
  ) {
    return { name, data: Int32Array.from(values), type: "INT32" };
  }
  const arr = Array.from(values);
  const kinds = new Set(arr.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
  if (kinds.size === 0 || (kinds.size === 1 && kinds.has("string"))) {
    return { name, data: arr as string[], type: "STRING" };
  }
  if (kinds.size === 1 && kinds.has("number")) {
    return {
      name,
      data: Float64Array.from(arr as number[], (v) => v ?? NaN),
      type: "DOUBLE",
    };
  }
  if (kinds.size === 1 && kinds.has("boolean")) {
    return { name, data: arr as boolean[], type: "BOOLEAN" };
  }
  if (arr.every((v) => v === null || v === undefined || v instanceof Date)) {
    return {
      name,
      data: Float64Array.from(arr as (Date | null)[], (d) => (d ? d.getTime() : NaN)),
      type: "DOUBLE",
    };
  }
  return {
    name,
    data: arr.map((v) => (v === null || v === undefined ? "" : String(v))),
    type: "STRING",
  };
}

/**
 * Encodes a table as Parquet: typed arrays keep their type (int8/16 widen to
 * int32), numbers become doubles, Dates milliseconds since the epoch,
 * anything else strings.
 *
 * @param data An arquero table or a record of columns.
 * @returns The Parquet file bytes.
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
export async function toParquet(data: TableLike): Promise<Uint8Array> {
  const t = asTable(data);
  const columnData = t.columnNames().map((n) => parquetColumn(n, t.array(n) as ArrayLike<unknown>));
  const { parquetWriteBuffer } = await import("npm:hyparquet-writer@0.17.0");
  return new Uint8Array(
    parquetWriteBuffer({ columnData } as Parameters<typeof parquetWriteBuffer>[0]),
  );
}
