// Private: the Parquet schema of flat tables, shared by the mirror's parts
// and `toParquet`: times as TIMESTAMP(MILLIS, UTC), dates as DATE, times of
// day as TIME(MILLIS), strings as UTF-8.

/** How a column is stored in Parquet. */
export type ParquetColumnKind =
  | "time"
  | "date"
  | "timeOfDay"
  | "float"
  | "double"
  | "int"
  | "string"
  | "bool"
  | "bytes";

/** One column of a flat Parquet schema. */
export interface ParquetColumn {
  readonly name: string;
  readonly kind: ParquetColumnKind;
  /** Whether the column can hold nulls. */
  readonly nullable: boolean;
}

// deno-lint-ignore no-explicit-any
type SchemaElement = any;

function elementOf(c: ParquetColumn): SchemaElement {
  const repetition_type = c.nullable ? "OPTIONAL" : "REQUIRED";
  switch (c.kind) {
    case "time":
      return {
        name: c.name,
        type: "INT64",
        repetition_type,
        converted_type: "TIMESTAMP_MILLIS",
        logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
      };
    case "date":
      return {
        name: c.name,
        type: "INT32",
        repetition_type,
        converted_type: "DATE",
        logical_type: { type: "DATE" },
      };
    case "timeOfDay":
      return {
        name: c.name,
        type: "INT32",
        repetition_type,
        converted_type: "TIME_MILLIS",
        logical_type: { type: "TIME", isAdjustedToUTC: true, unit: "MILLIS" },
      };
    case "float":
      return { name: c.name, type: "FLOAT", repetition_type };
    case "double":
      return { name: c.name, type: "DOUBLE", repetition_type };
    case "int":
      return { name: c.name, type: "INT32", repetition_type };
    case "bool":
      return { name: c.name, type: "BOOLEAN", repetition_type };
    case "bytes":
      return { name: c.name, type: "BYTE_ARRAY", repetition_type };
    case "string":
      return {
        name: c.name,
        type: "BYTE_ARRAY",
        repetition_type,
        converted_type: "UTF8",
        logical_type: { type: "STRING" },
      };
  }
}

/** The schema elements (root first) of a flat table with these columns. */
export function parquetSchema(columns: readonly ParquetColumn[]): SchemaElement[] {
  return [{ name: "root", num_children: columns.length }, ...columns.map(elementOf)];
}

const DAY = 86_400_000;

/**
 * A time column's values as the Parquet writer takes them (nulls where
 * missing): whole milliseconds for `time`, days for `date`, ms since
 * midnight for `timeOfDay`. Accepts milliseconds (NaN missing) or Dates.
 */
export function parquetTimeValues(
  values: ArrayLike<unknown>,
  kind: "time" | "date" | "timeOfDay",
): (number | null)[] {
  return Array.from(values, (v) => {
    const ms = v instanceof Date ? v.getTime() : typeof v === "number" ? v : NaN;
    if (!Number.isFinite(ms)) return null;
    return kind === "date" ? Math.floor(ms / DAY) : Math.round(ms);
  });
}
