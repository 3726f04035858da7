// Private: cpb column types, argument checks and the byte layout of a `/cpb`
// response or a `.cpb` file, shared by both decoder engines.

import { InvalidArgumentError, TruncatedDataError } from "../errors.ts";

/** A stored column type of a cpb table (docs/protocol.md §4.2). */
export type CpbType = "INT" | "FLOAT" | "DOUBLE" | "SHORT" | "CHAR" | "BYTE" | "STRING";

/** The stored column types of a cpb table, in the order of their wasm codes. */
export const CPB_TYPES: readonly CpbType[] = Object.freeze([
  "INT",
  "FLOAT",
  "DOUBLE",
  "SHORT",
  "CHAR",
  "BYTE",
  "STRING",
]);

/** Bytes per value of each type. */
export const BYTE_SIZE: Readonly<Record<CpbType, 1 | 2 | 4 | 8>> = Object.freeze({
  INT: 4,
  FLOAT: 4,
  DOUBLE: 8,
  SHORT: 2,
  CHAR: 2,
  BYTE: 1,
  STRING: 4,
});

/** The schema of a cpb table: the request's `schema` plus optional labels. */
export interface CpbSchema {
  /** One type per stored column, in stored order (columns sorted by label). */
  readonly columns: readonly CpbType[];
  /** Number of rows of the whole table. */
  readonly size: number;
  /** Column labels, one per column. Default `"0"`, `"1"`, … */
  readonly labels?: readonly string[];
}

/** A range of rows. */
export interface CpbSlice {
  /** First row. */
  readonly offset: number;
  /** Number of rows. */
  readonly length: number;
}

/** One decoded column: a typed array per numeric type, strings for STRING. */
export type CpbColumn =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | string[];

/** Decoded columns by label, in the order requested. */
export type CpbColumns = Record<string, CpbColumn>;

/** Where one requested column is, in the input. */
export interface ColumnPlan {
  readonly label: string;
  readonly type: CpbType;
  readonly columnNumber: number;
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** The layout of the input for one request. */
export interface Plan {
  readonly columns: readonly ColumnPlan[];
  readonly rows: number;
  /** Bytes of column data: for a response its whole length; for a file the offset of its string dictionary. */
  readonly dataLength: number;
}

function whole(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a whole number >= 0, not ${String(value)}`);
  }
  return value;
}

/** Checks a schema and returns its labels. */
export function checkSchema(schema: CpbSchema): string[] {
  if (!schema || !Array.isArray(schema.columns)) {
    throw new InvalidArgumentError("Schema must have a columns array");
  }
  schema.columns.forEach((t, i) => {
    if (!(CPB_TYPES as readonly string[]).includes(t)) {
      throw new InvalidArgumentError(`Schema column ${i} has unknown type ${String(t)}`);
    }
  });
  whole("Schema size", schema.size);
  const labels = schema.labels ? [...schema.labels] : schema.columns.map((_, i) => String(i));
  if (labels.length !== schema.columns.length) {
    throw new InvalidArgumentError(
      `Schema has ${schema.columns.length} columns but ${labels.length} labels`,
    );
  }
  return labels;
}

/** Checks the requested column numbers (default: all, in stored order). */
export function checkColumnNumbers(
  schema: CpbSchema,
  labels: readonly string[],
  columnNumbers: readonly number[] | undefined,
): number[] {
  const numbers = columnNumbers ? [...columnNumbers] : schema.columns.map((_, i) => i);
  const seen = new Set<string>();
  for (const n of numbers) {
    if (!Number.isInteger(n) || n < 0 || n >= schema.columns.length) {
      throw new InvalidArgumentError(
        `Column number ${n} is outside the schema's ${schema.columns.length} columns`,
      );
    }
    if (seen.has(labels[n])) {
      throw new InvalidArgumentError(`Column ${labels[n]} is requested twice`);
    }
    seen.add(labels[n]);
  }
  return numbers;
}

/** Checks a slice against the table size and returns the row range. */
export function checkSlice(size: number, slice: CpbSlice | undefined): [number, number] {
  if (!slice) return [0, size];
  const offset = whole("Slice offset", slice.offset);
  const length = whole("Slice length", slice.length);
  if (offset + length > size) {
    throw new InvalidArgumentError(
      `Slice [${offset}, ${offset + length}) is outside the table's ${size} rows`,
    );
  }
  return [offset, length];
}

/** Checks a request: labels, column numbers and the row range. */
function checkRequest(
  schema: CpbSchema,
  columnNumbers: readonly number[] | undefined,
  slice: CpbSlice | undefined,
): { labels: string[]; numbers: number[]; offset: number; rows: number } {
  const labels = checkSchema(schema);
  const numbers = checkColumnNumbers(schema, labels, columnNumbers);
  const [offset, rows] = checkSlice(schema.size, slice);
  return { labels, numbers, offset, rows };
}

/** The layout of a `/cpb` response: requested columns one after the other. */
export function planResponse(
  schema: CpbSchema,
  columnNumbers?: readonly number[],
  slice?: CpbSlice,
): Plan {
  const { labels, numbers, rows } = checkRequest(schema, columnNumbers, slice);
  let pos = 0;
  const columns = numbers.map((n) => {
    const type = schema.columns[n];
    const byteLength = rows * BYTE_SIZE[type];
    const plan = { label: labels[n], type, columnNumber: n, byteOffset: pos, byteLength };
    pos += byteLength;
    return plan;
  });
  return { columns, rows, dataLength: pos };
}

/** The layout of the requested columns inside a whole `.cpb` file. */
export function planFile(
  schema: CpbSchema,
  columnNumbers?: readonly number[],
  slice?: CpbSlice,
): Plan {
  const { labels, numbers, offset, rows } = checkRequest(schema, columnNumbers, slice);
  const starts: number[] = [];
  let pos = 0;
  for (const t of schema.columns) {
    starts.push(pos);
    pos += schema.size * BYTE_SIZE[t];
  }
  const columns = numbers.map((n) => {
    const type = schema.columns[n];
    return {
      label: labels[n],
      type,
      columnNumber: n,
      byteOffset: starts[n] + offset * BYTE_SIZE[type],
      byteLength: rows * BYTE_SIZE[type],
    };
  });
  return { columns, rows, dataLength: pos };
}

/** Throws when `available` bytes cannot hold the plan's column data. */
export function requireLength(plan: Plan, available: number, what: string): void {
  if (available < plan.dataLength) {
    throw new TruncatedDataError(
      `Truncated ${what}: expected ${plan.dataLength} bytes, got ${available}`,
      { byteOffset: available },
    );
  }
}

/** The typed array class that holds a decoded column of each numeric type. */
export const ARRAY_OF = {
  INT: Int32Array,
  FLOAT: Float32Array,
  DOUBLE: Float64Array,
  SHORT: Int16Array,
  CHAR: Uint16Array,
  BYTE: Int8Array,
  STRING: Int32Array,
} as const;

/** Turns an `ArrayBuffer` or a `Uint8Array` into a `Uint8Array` without copying. */
export function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new InvalidArgumentError("Bytes must be a Uint8Array or an ArrayBuffer");
}
