// Private: the column chunks of a part's row group encoded straight from
// typed arrays (no value is boxed): data pages v1, PLAIN values (strings
// through a dictionary), definition levels as RLE runs, statistics for the
// footer. The footer itself is hyparquet-writer's.

import { MirrorError } from "../errors.ts";
import type { PartColumnKind } from "./_part_writer.ts";

/**
 * The stored values of one column of a row group: numbers with NaN for
 * null (times in whole ms, ints whole), or strings with null.
 */
export type StoredValues = Float64Array | Float32Array | (string | null)[];

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

/** A column chunk's metadata as hyparquet-writer's footer writer takes it. */
export interface ChunkMeta {
  meta_data: {
    type: string;
    encodings: string[];
    path_in_schema: string[];
    codec: string;
    num_values: bigint;
    total_compressed_size: bigint;
    total_uncompressed_size: bigint;
    data_page_offset: bigint;
    dictionary_page_offset?: bigint;
    statistics: {
      min_value?: number | string;
      max_value?: number | string;
      null_count: bigint;
      nan_count?: bigint;
    };
  };
  file_offset: bigint;
}

/** Rows per data page (about a megabyte of doubles). */
const PAGE_ROWS = 1 << 17;

const TYPE_OF: Record<string, string> = {
  time: "INT64",
  float: "FLOAT",
  double: "DOUBLE",
  int: "INT32",
  string: "BYTE_ARRAY",
};

/** A growable byte buffer. */
class Bytes {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  length = 0;
  ensure(n: number) {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  byte(b: number) {
    this.ensure(1);
    this.buf[this.length++] = b;
  }
  varint(v: number) {
    // unsigned LEB128 of a non-negative safe integer
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }
  u32(v: number) {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  bytes(b: Uint8Array) {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  get data(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

// Thrift compact protocol, for page headers: i32 fields (zigzag varints),
// structs, booleans.
const I32 = 5, STRUCT = 12;
class Thrift {
  readonly out = new Bytes();
  #last: number[] = [0];
  #field(id: number, type: number) {
    const delta = id - this.#last[this.#last.length - 1];
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type);
    else {
      this.out.byte(type);
      this.out.varint(((id << 1) ^ (id >> 31)) >>> 0);
    }
    this.#last[this.#last.length - 1] = id;
  }
  i32(id: number, v: number) {
    this.#field(id, I32);
    this.out.varint(((v << 1) ^ (v >> 31)) >>> 0);
  }
  bool(id: number, v: boolean) {
    this.#field(id, v ? 1 : 2);
  }
  begin(id: number) {
    this.#field(id, STRUCT);
    this.#last.push(0);
  }
  end() {
    this.out.byte(0);
    this.#last.pop();
  }
}

const ENCODING = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;

function pageHeader(
  type: "data" | "dictionary",
  uncompressed: number,
  compressed: number,
  numValues: number,
  encoding: number,
): Uint8Array {
  const t = new Thrift();
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
  codec: string,
  compress: (b: Uint8Array) => Uint8Array,
): ChunkMeta {
  const { values, kind, nullable } = column;
  const n = values.length;
  const type = TYPE_OF[kind];
  if (!type) {
    throw new MirrorError(`A data column of kind ${kind} cannot be stored (${column.name})`);
  }
  const start = out.offset;
  let uncompressedTotal = 0;
  let nulls = 0;
  let min: number | string | undefined;
  let max: number | string | undefined;
  const enc = new TextEncoder();

  // strings go through a dictionary (stations, pids and flags repeat)
  let dict: { index: Map<string, number>; list: string[] } | undefined;
  let dictionaryOffset: bigint | undefined;
  if (kind === "string") {
    dict = dictionaryOf(values as (string | null)[]);
    const page = new Bytes();
    for (const s of dict.list) {
      const b = enc.encode(s);
      page.u32(b.length);
      page.bytes(b);
      if (min === undefined || s < (min as string)) min = s;
      if (max === undefined || s > (max as string)) max = s;
    }
    const body = compress(page.data);
    const head = pageHeader("dictionary", page.length, body.length, dict.list.length, 0);
    dictionaryOffset = BigInt(out.offset);
    out.appendBytes(head);
    out.appendBytes(body);
    uncompressedTotal += head.length + page.length;
  }
  const bitWidth = dict ? Math.max(1, Math.ceil(Math.log2(Math.max(dict.list.length, 2)))) : 0;

  const dataOffset = BigInt(out.offset);
  let pages = 0;
  for (let from = 0; from < n || (n === 0 && pages === 0); from += PAGE_ROWS) {
    pages++;
    const to = Math.min(n, from + PAGE_ROWS);
    const page = new Bytes();
    if (nullable) {
      const levels = new Bytes();
      rleRuns(levels, to - from, (i) => isNull(values, from + i) ? 0 : 1, 1);
      page.u32(levels.length);
      page.bytes(levels.data);
    }
    if (dict) {
      const strings = values as (string | null)[];
      const idx: number[] = [];
      for (let i = from; i < to; i++) {
        const s = strings[i];
        if (s === null) nulls++;
        else idx.push(dict.index.get(s)!);
      }
      page.byte(bitWidth);
      rleRuns(page, idx.length, (i) => idx[i], bitWidth);
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
  const floating = kind === "float" || kind === "double";
  return {
    meta_data: {
      type,
      encodings: dict ? ["PLAIN", "RLE", "RLE_DICTIONARY"] : ["PLAIN", "RLE"],
      path_in_schema: [column.name],
      codec,
      num_values: BigInt(n),
      total_compressed_size: BigInt(out.offset - start),
      total_uncompressed_size: BigInt(uncompressedTotal),
      data_page_offset: dataOffset,
      dictionary_page_offset: dictionaryOffset,
      statistics: {
        min_value: min,
        max_value: max,
        null_count: BigInt(nulls),
        ...(floating ? { nan_count: 0n } : {}),
      },
    },
    file_offset: BigInt(start),
  };
}
