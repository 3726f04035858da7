// Private: the footer of a part (Parquet's FileMetaData in the Thrift compact
// protocol) from the metadata of the column chunks _pages.ts wrote.

import type { ChunkMeta } from "./_pages.ts";
import { Bytes, Thrift } from "./_thrift.ts";

/** One row group's column chunks and sizes. */
export interface RowGroupMeta {
  chunks: ChunkMeta[];
  numRows: number;
  /** Uncompressed bytes of its chunks. */
  totalByteSize: number;
  /** Bytes of its chunks in the file. */
  totalCompressed: number;
}

/** A schema element as `parquetSchema` gives it. */
export interface SchemaElement {
  name: string;
  type?: string;
  repetition_type?: string;
  num_children?: number;
  converted_type?: string;
  logical_type?: { type: string; isAdjustedToUTC?: boolean; unit?: string };
}

const TYPES: Record<string, number> = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
};
const REPETITION: Record<string, number> = { REQUIRED: 0, OPTIONAL: 1 };
const CONVERTED: Record<string, number> = {
  UTF8: 0,
  DATE: 6,
  TIME_MILLIS: 7,
  TIMESTAMP_MILLIS: 9,
};
const UNIT: Record<string, number> = { MILLIS: 1, MICROS: 2, NANOS: 3 };
/** LogicalType union members: STRING 1, DATE 6, TIME 7, TIMESTAMP 8. */
const LOGICAL: Record<string, number> = { STRING: 1, DATE: 6, TIME: 7, TIMESTAMP: 8 };

/**
 * The footer's bytes: FileMetaData (version 2), its length and `PAR1`.
 * `schema` is the root element followed by one element per column.
 */
export function footerBytes(
  schema: readonly SchemaElement[],
  groups: readonly RowGroupMeta[],
  kv: readonly { key: string; value: string }[],
  createdBy: string,
): Uint8Array {
  const t = new Thrift(new Bytes(4096));
  t.i32(1, 2);
  t.listStruct(2, schema, (e) => {
    if (e.type !== undefined) t.i32(1, TYPES[e.type]);
    if (e.repetition_type !== undefined) t.i32(3, REPETITION[e.repetition_type]);
    t.string(4, e.name);
    if (e.num_children !== undefined) t.i32(5, e.num_children);
    if (e.converted_type !== undefined) t.i32(6, CONVERTED[e.converted_type]);
    const lt = e.logical_type;
    if (lt) {
      t.begin(10);
      t.begin(LOGICAL[lt.type]);
      if (lt.type === "TIME" || lt.type === "TIMESTAMP") {
        t.bool(1, lt.isAdjustedToUTC ?? true);
        t.begin(2);
        t.begin(UNIT[lt.unit ?? "MILLIS"]);
        t.end();
        t.end();
      }
      t.end();
      t.end();
    }
  });
  t.i64(3, groups.reduce((s, g) => s + g.numRows, 0));
  t.listStruct(4, groups, (g) => {
    t.listStruct(1, g.chunks, (c) => {
      t.i64(2, c.fileOffset);
      t.begin(3);
      t.i32(1, c.type);
      t.listI32(2, c.encodings);
      t.listString(3, [c.name]);
      t.i32(4, c.codec);
      t.i64(5, c.numValues);
      t.i64(6, c.totalUncompressed);
      t.i64(7, c.totalCompressed);
      t.i64(9, c.dataPageOffset);
      if (c.dictionaryPageOffset !== undefined) t.i64(11, c.dictionaryPageOffset);
      t.begin(12);
      t.i64(3, c.nullCount);
      if (c.max && c.min) {
        t.binary(5, c.max);
        t.binary(6, c.min);
        t.bool(7, true);
        t.bool(8, true);
      }
      t.end();
      t.end();
    });
    t.i64(2, g.totalByteSize);
    t.i64(3, g.numRows);
    t.i64(6, g.totalCompressed);
  });
  if (kv.length) {
    t.listStruct(5, kv, (k) => {
      t.string(1, k.key);
      t.string(2, k.value);
    });
  }
  t.string(6, createdBy);
  // column orders: the type-defined order of each leaf
  t.listStruct(7, schema.slice(1), () => {
    t.begin(1);
    t.end();
  });
  t.end();
  const length = t.out.length;
  t.out.u32(length);
  t.out.u32(0x31524150); // PAR1
  return t.out.data;
}
