// Private: the column chunks of a part's row group encoded straight from
// typed arrays (no value is boxed): data pages v1, PLAIN values (strings
// through a dictionary), definition levels as RLE runs, statistics for the
// footer (_footer.ts). Scratch buffers are reused from chunk to chunk.

import { MirrorError } from "../errors.ts";
import type { PartColumnKind } from "./_part_writer.ts";
import { Bytes, Thrift } from "./_thrift.ts";

/**
 * The stored values of one column of a row group: numbers with NaN for
 * null (times in whole ms, ints whole), or strings with null.
 */
export type StoredValues =
  | Float64Array
  | Float32Array
  | (string | null)[]
  | (Uint8Array | null)[];

/** One column of a row group, ready to encode. */
export interface StoredColumn {
  name: string;
  kind: PartColumnKind;
  /** Whether the schema declares it OPTIONAL (definition levels written). */
  nullable: boolean;
  values: StoredValues;
}

/** The growing output (hyparquet-writer's `ByteWriter`: `offset` is the file position). */
export interface Out {
  offset: number;
  appendBytes(bytes: Uint8Array): void;
}

/** A column chunk's metadata, for the footer (Parquet's enum numbers). */
export interface ChunkMeta {
  name: string;
  /** Physical type (Parquet's `Type`). */
  type: number;
  encodings: number[];
  /** Parquet's `CompressionCodec`. */
  codec: number;
  numValues: number;
  totalCompressed: number;
  totalUncompressed: number;
  fileOffset: number;
  dataPageOffset: number;
  dictionaryPageOffset?: number;
  nullCount: number;
  /** Plain-encoded bounds (absent when every value is null). */
  min?: Uint8Array;
  max?: Uint8Array;
}

/** Rows per data page (about a megabyte of doubles). */
const PAGE_ROWS = 1 << 17;

/** Parquet's `Type` of each kind of data column. */
const TYPE_OF: Record<string, number> = {
  time: 2,
  float: 4,
  double: 5,
  int: 1,
  string: 6,
  bool: 0,
  bytes: 6,
};

/** Parquet's `CompressionCodec` of a codec name. */
export const CODEC: Record<string, number> = { SNAPPY: 1, ZSTD: 6 };

/** Bounds of string statistics longer than this are left out. */
const MAX_STAT_BYTES = 256;

const enc = new TextEncoder();
// scratch buffers, reused (a chunk is written before the next one starts)
const headerBytes = new Bytes(64);
const pageBytes = new Bytes(4096);
const levelBytes = new Bytes(256);
let indexScratch = new Uint32Array(1024);

const ENCODING = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;

function pageHeader(
  type: "data" | "dictionary",
  uncompressed: number,
  compressed: number,
  numValues: number,
  encoding: number,
): Uint8Array {
  headerBytes.length = 0;
  const t = new Thrift(headerBytes);
  t.i32(1, type === "data" ? 0 : 2);
  t.i32(2, uncompressed);
  t.i32(3, compressed);
  if (type === "data") {
    t.begin(5);
    t.i32(1, numValues);
    t.i32(2, encoding);
    t.i32(3, ENCODING.RLE);
    t.i32(4, ENCODING.RLE);
    t.end();
  } else {
    t.begin(7);
    t.i32(1, numValues);
    t.i32(2, ENCODING.PLAIN);
    t.end();
  }
  t.out.byte(0);
  return t.out.data;
}

/** The plain encoding of one value of a kind (for statistics). */
function plainOf(kind: PartColumnKind, v: number | string): Uint8Array {
  if (typeof v === "string") return enc.encode(v);
  if (kind === "bool") return new Uint8Array([v ? 1 : 0]);
  const b = new Uint8Array(kind === "time" || kind === "double" ? 8 : 4);
  const view = new DataView(b.buffer);
  if (kind === "double") view.setFloat64(0, v, true);
  else if (kind === "float") view.setFloat32(0, v, true);
  else if (kind === "int") view.setInt32(0, v, true);
  else {
    const hi = Math.floor(v / 4294967296);
    view.setUint32(0, v - hi * 4294967296, true);
    view.setInt32(4, hi, true);
  }
  return b;
}

/** RLE runs (the hybrid encoding's run-length half) of `n` values of `bitWidth` bits. */
function rleRuns(out: Bytes, n: number, at: (i: number) => number, bitWidth: number) {
  const width = Math.ceil(bitWidth / 8);
  let i = 0;
  while (i < n) {
    const v = at(i);
    let j = i + 1;
    while (j < n && at(j) === v) j++;
    out.varint((j - i) * 2);
    for (let b = 0; b < width; b++) out.byte((v >>> (8 * b)) & 0xff);
    i = j;
  }
}

const isNull = (values: StoredValues, i: number) =>
  Array.isArray(values) ? values[i] === null : Number.isNaN(values[i]);

/** UTF-8 bytes of each distinct string, in order of first appearance. */
function dictionaryOf(values: (string | null)[]): { index: Map<string, number>; list: string[] } {
  const index = new Map<string, number>();
  const list: string[] = [];
  for (const v of values) {
    if (v !== null && !index.has(v)) {
      index.set(v, list.length);
      list.push(v);
    }
  }
  return { index, list };
}

/**
 * Writes one column chunk of `values` (all rows of a row group) to `out`,
 * compressed with `compress`; returns its metadata for the footer.
 */
export function writeColumnChunk(
  out: Out,
  column: StoredColumn,
  codec: number,
  compress: (b: Uint8Array) => Uint8Array,
): ChunkMeta {
  const { values, kind, nullable } = column;
  const n = values.length;
  const type = TYPE_OF[kind];
  if (type === undefined) {
    throw new MirrorError(`A data column of kind ${kind} cannot be stored (${column.name})`);
  }
  const start = out.offset;
  let uncompressedTotal = 0;
  let nulls = 0;
  let min: number | string | undefined;
  let max: number | string | undefined;

  // strings go through a dictionary (stations, pids and flags repeat)
  let dict: { index: Map<string, number>; list: string[] } | undefined;
  let dictionaryOffset: number | undefined;
  if (kind === "string") {
    dict = dictionaryOf(values as (string | null)[]);
    const page = pageBytes;
    page.length = 0;
    for (const s of dict.list) {
      const b = enc.encode(s);
      page.u32(b.length);
      page.bytes(b);
      if (min === undefined || s < (min as string)) min = s;
      if (max === undefined || s > (max as string)) max = s;
    }
    const body = compress(page.data);
    const head = pageHeader("dictionary", page.length, body.length, dict.list.length, 0);
    dictionaryOffset = out.offset;
    out.appendBytes(head);
    out.appendBytes(body);
    uncompressedTotal += head.length + page.length;
  }
  const bitWidth = dict ? Math.max(1, Math.ceil(Math.log2(Math.max(dict.list.length, 2)))) : 0;

  const dataOffset = out.offset;
  let pages = 0;
  for (let from = 0; from < n || (n === 0 && pages === 0); from += PAGE_ROWS) {
    pages++;
    const to = Math.min(n, from + PAGE_ROWS);
    const page = pageBytes;
    page.length = 0;
    if (nullable) {
      const levels = levelBytes;
      levels.length = 0;
      rleRuns(levels, to - from, (i) => isNull(values, from + i) ? 0 : 1, 1);
      page.u32(levels.length);
      page.bytes(levels.data);
    }
    if (dict) {
      const strings = values as (string | null)[];
      if (indexScratch.length < to - from) indexScratch = new Uint32Array(to - from);
      const idx = indexScratch;
      let k = 0;
      for (let i = from; i < to; i++) {
        const s = strings[i];
        if (s === null) nulls++;
        else idx[k++] = dict.index.get(s)!;
      }
      page.byte(bitWidth);
      rleRuns(page, k, (i) => idx[i], bitWidth);
    } else if (kind === "bytes") {
      const list = values as (Uint8Array | null)[];
      for (let i = from; i < to; i++) {
        const b = list[i];
        if (b === null) {
          nulls++;
          continue;
        }
        page.u32(b.length);
        page.bytes(b);
      }
    } else if (kind === "bool") {
      // bit-packed, first value in the lowest bit
      const nums = values as Float64Array;
      let bits = 0, k = 0;
      for (let i = from; i < to; i++) {
        const v = nums[i];
        if (Number.isNaN(v)) {
          nulls++;
          continue;
        }
        if (min === undefined || v < (min as number)) min = v;
        if (max === undefined || v > (max as number)) max = v;
        if (v) bits |= 1 << (k & 7);
        if ((++k & 7) === 0) {
          page.byte(bits);
          bits = 0;
        }
      }
      if (k & 7) page.byte(bits);
    } else {
      const nums = values as Float64Array | Float32Array;
      const size = kind === "time" || kind === "double" ? 8 : 4;
      page.ensure((to - from) * size);
      const view = page.view;
      let at = page.length;
      for (let i = from; i < to; i++) {
        const v = nums[i];
        if (Number.isNaN(v)) {
          nulls++;
          continue;
        }
        if (min === undefined || v < (min as number)) min = v;
        if (max === undefined || v > (max as number)) max = v;
        if (kind === "double") view.setFloat64(at, v, true);
        else if (kind === "float") view.setFloat32(at, v, true);
        else if (kind === "int") view.setInt32(at, v, true);
        else {
          // int64: two's complement halves of a whole number of ms
          const hi = Math.floor(v / 4294967296);
          view.setUint32(at, v - hi * 4294967296, true);
          view.setInt32(at + 4, hi, true);
        }
        at += size;
      }
      page.length = at;
    }
    const body = compress(page.data);
    const head = pageHeader(
      "data",
      page.length,
      body.length,
      to - from,
      dict ? ENCODING.RLE_DICTIONARY : ENCODING.PLAIN,
    );
    out.appendBytes(head);
    out.appendBytes(body);
    uncompressedTotal += head.length + page.length;
  }
  // signed zeros: min is -0, max +0 (the spec's rule for floating statistics)
  if (min === 0) min = -0;
  if (max === 0) max = 0;
  const tooLong = typeof max === "string" &&
    (max.length > MAX_STAT_BYTES || (min as string).length > MAX_STAT_BYTES);
  return {
    name: column.name,
    type,
    encodings: dict
      ? [ENCODING.PLAIN, ENCODING.RLE, ENCODING.RLE_DICTIONARY]
      : [ENCODING.PLAIN, ENCODING.RLE],
    codec,
    numValues: n,
    totalCompressed: out.offset - start,
    totalUncompressed: uncompressedTotal,
    fileOffset: start,
    dataPageOffset: dataOffset,
    dictionaryPageOffset: dictionaryOffset,
    nullCount: nulls,
    ...(min === undefined || max === undefined || tooLong
      ? {}
      : { min: plainOf(kind, min), max: plainOf(kind, max) }),
  };
}
