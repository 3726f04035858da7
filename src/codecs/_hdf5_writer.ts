// Private: a small HDF5 file writer, just enough for the NetCDF-4 files the
// library writes (see netcdf4_writer.ts). The layout copies what netCDF-C
// 4.x writes by default: superblock version 0 whose root entry points to a
// version-2 object header ("OHDR", Jenkins lookup3 checksums) holding link
// messages with creation order; datasets with version-1 dataspaces, fill
// value messages version 2, layout messages version 3 (contiguous, or chunked
// with a version-1 B-tree index), the deflate filter, version-1 attribute
// messages; variable-length attributes (DIMENSION_LIST) in one global heap
// collection. Everything is little-endian; offsets and lengths are 8 bytes.
//
// Not supported (not needed here): groups other than the root, dense
// attribute or link storage (more than a few dozen attributes still fit in one
// compact header), variable-length strings, shuffle/fletcher32 filters.

import { deflateSync } from "node:zlib";
import { InvalidArgumentError } from "../errors.ts";

/** The numeric element types the writer knows. */
export type H5NumberType = "f64" | "f32" | "i32";

/** A reference to a dataset of the same file, by its index in {@linkcode H5File.datasets}. */
export interface H5DatasetRef {
  dataset: number;
}

/** The value of an attribute. */
export type H5AttributeValue =
  | { kind: "string"; text: string; charset?: "ascii" | "utf8"; nullTerminated?: boolean }
  | { kind: "number"; type: H5NumberType; values: readonly number[]; scalar?: boolean }
  | { kind: "dimensionList"; scales: readonly H5DatasetRef[][] }
  | { kind: "referenceList"; entries: readonly { dataset: H5DatasetRef; dimension: number }[] };

/** A named attribute. */
export interface H5Attribute {
  name: string;
  value: H5AttributeValue;
}

/** A dataset in the root group. */
export interface H5Dataset {
  name: string;
  type: H5NumberType;
  /** Current extent. */
  dims: readonly number[];
  /** Maximum extent per dimension; `null` = unlimited. Defaults to `dims`. */
  maxDims?: readonly (number | null)[];
  /** All values in C order. */
  data: ArrayLike<number>;
  /** Chunk shape; absent = contiguous storage. */
  chunks?: readonly number[];
  /** zlib level 1–9 for the deflate filter (chunked datasets only). */
  deflateLevel?: number;
  /** Fill value recorded in the dataset (and used to pad partial chunks). */
  fillValue: number;
  attributes: readonly H5Attribute[];
}

/** A whole file: attributes and datasets of the root group. */
export interface H5File {
  attributes: readonly H5Attribute[];
  datasets: readonly H5Dataset[];
}

const UNDEF = -1; // written as 0xFFFFFFFFFFFFFFFF
const BTREE_K = 32; // "indexed storage internal node 1/2 rank" default of superblock v0
const GHEAP_MIN = 4096;

class ByteWriter {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  length = 0;

  #ensure(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.#ensure(1);
    this.#buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.#ensure(2);
    this.#view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.#ensure(4);
    this.#view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }
  u64(v: number): this {
    if (v === UNDEF) return this.u32(0xffffffff).u32(0xffffffff);
    return this.u32(v % 0x100000000).u32(Math.floor(v / 0x100000000));
  }
  bytes(b: Uint8Array): this {
    this.#ensure(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  zeros(n: number): this {
    this.#ensure(n);
    this.#buf.fill(0, this.length, this.length + n);
    this.length += n;
    return this;
  }
  /** Pads with zeros to a multiple of `m`. */
  align(m: number): this {
    return this.zeros((m - (this.length % m)) % m);
  }
  result(): Uint8Array {
    return this.#buf.slice(0, this.length);
  }
}

/** Jenkins' lookup3 `hashlittle`, the checksum of HDF5 metadata (H5_checksum_lookup3). */
export function lookup3(data: Uint8Array, initval = 0): number {
  let length = data.length;
  let a = (0xdeadbeef + length + initval) >>> 0;
  let b = a;
  let c = a;
  const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  let k = 0;
  while (length > 12) {
    a = (a + (data[k] | (data[k + 1] << 8) | (data[k + 2] << 16) | (data[k + 3] << 24))) >>> 0;
    b = (b + (data[k + 4] | (data[k + 5] << 8) | (data[k + 6] << 16) | (data[k + 7] << 24))) >>>
      0;
    c = (c + (data[k + 8] | (data[k + 9] << 8) | (data[k + 10] << 16) | (data[k + 11] << 24))) >>>
      0;
    // mix(a, b, c)
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    length -= 12;
    k += 12;
  }
  if (length === 0) return c;
  const tail = (i: number, shift: number) => (data[k + i] << shift) >>> 0;
  /* falls through by design: each case adds one byte */
  switch (length) {
    case 12:
      c = (c + tail(11, 24)) >>> 0;
    // falls through
    case 11:
      c = (c + tail(10, 16)) >>> 0;
    // falls through
    case 10:
      c = (c + tail(9, 8)) >>> 0;
    // falls through
    case 9:
      c = (c + data[k + 8]) >>> 0;
    // falls through
    case 8:
      b = (b + tail(7, 24)) >>> 0;
    // falls through
    case 7:
      b = (b + tail(6, 16)) >>> 0;
    // falls through
    case 6:
      b = (b + tail(5, 8)) >>> 0;
    // falls through
    case 5:
      b = (b + data[k + 4]) >>> 0;
    // falls through
    case 4:
      a = (a + tail(3, 24)) >>> 0;
    // falls through
    case 3:
      a = (a + tail(2, 16)) >>> 0;
    // falls through
    case 2:
      a = (a + tail(1, 8)) >>> 0;
    // falls through
    case 1:
      a = (a + data[k]) >>> 0;
  }
  // final(a, b, c)
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  return c;
}

const utf8 = new TextEncoder();

function typeSize(t: H5NumberType): number {
  return t === "f64" ? 8 : 4;
}

function encodeNumberType(w: ByteWriter, t: H5NumberType): void {
  if (t === "i32") {
    w.u8(0x10).u8(0x08).u8(0).u8(0).u32(4).u16(0).u16(32);
  } else if (t === "f32") {
    w.u8(0x11).u8(0x20).u8(31).u8(0).u32(4).u16(0).u16(32).u8(23).u8(8).u8(0).u8(23).u32(127);
  } else {
    w.u8(0x11).u8(0x20).u8(63).u8(0).u32(8).u16(0).u16(64).u8(52).u8(11).u8(0).u8(52).u32(1023);
  }
}

function encodeReferenceType(w: ByteWriter): void {
  w.u8(0x17).u8(0).u8(0).u8(0).u32(8);
}

function writeNumbers(w: ByteWriter, t: H5NumberType, values: ArrayLike<number>): void {
  const n = values.length;
  const size = typeSize(t);
  const bytes = new Uint8Array(n * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    if (t === "f64") view.setFloat64(i * 8, values[i], true);
    else if (t === "f32") view.setFloat32(i * 4, values[i], true);
    else view.setInt32(i * 4, values[i], true);
  }
  w.bytes(bytes);
}

/** Dataspace message, version 1 (rank 0 = scalar). */
function encodeDataspace(
  w: ByteWriter,
  dims: readonly number[],
  maxDims?: readonly (number | null)[],
) {
  w.u8(1).u8(dims.length).u8(maxDims ? 1 : 0).u8(0).u32(0);
  for (const d of dims) w.u64(d);
  if (maxDims) { for (const d of maxDims) w.u64(d === null ? UNDEF : d); }
}

interface Addresses {
  datasets: number[];
  heap: number;
}

/** Attribute message, version 1 (name, datatype and dataspace padded to 8 bytes). */
function encodeAttribute(
  attr: H5Attribute,
  addrs: Addresses,
  heapIndex: (attr: H5Attribute, element: number) => number,
): Uint8Array {
  const dt = new ByteWriter();
  const ds = new ByteWriter();
  const data = new ByteWriter();
  const v = attr.value;
  if (v.kind === "string") {
    const bytes = utf8.encode(v.text);
    const size = Math.max(1, bytes.length + (v.nullTerminated ? 1 : 0));
    const charset = v.charset === "ascii" ? 0 : 1;
    dt.u8(0x13).u8(charset << 4).u8(0).u8(0).u32(size);
    encodeDataspace(ds, []);
    data.bytes(bytes).zeros(size - bytes.length);
  } else if (v.kind === "number") {
    encodeNumberType(dt, v.type);
    if (v.scalar) encodeDataspace(ds, []);
    else encodeDataspace(ds, [v.values.length], [v.values.length]);
    writeNumbers(data, v.type, v.values);
  } else if (v.kind === "dimensionList") {
    dt.u8(0x19).u8(0).u8(0).u8(0).u32(16);
    encodeReferenceType(dt);
    encodeDataspace(ds, [v.scales.length], [v.scales.length]);
    v.scales.forEach((refs, i) => {
      data.u32(refs.length).u64(addrs.heap).u32(heapIndex(attr, i));
    });
  } else {
    // compound { reference "dataset"; int32 "dimension" } of 16 bytes, version 1
    dt.u8(0x16).u8(2).u8(0).u8(0).u32(16);
    const member = (name: string, offset: number, encodeType: () => void) => {
      dt.bytes(utf8.encode(name)).u8(0).align(8);
      dt.u32(offset).u8(0).zeros(3).u32(0).u32(0).zeros(16);
      encodeType();
    };
    member("dataset", 0, () => encodeReferenceType(dt));
    member("dimension", 8, () => dt.u8(0x10).u8(0x08).u8(0).u8(0).u32(4).u16(0).u16(32));
    encodeDataspace(ds, [v.entries.length], [v.entries.length]);
    for (const e of v.entries) {
      data.u64(addrs.datasets[e.dataset.dataset]).u32(e.dimension).u32(0);
    }
  }
  const name = utf8.encode(attr.name);
  const w = new ByteWriter();
  w.u8(1).u8(0).u16(name.length + 1).u16(dt.length).u16(ds.length);
  w.bytes(name).u8(0).align(8);
  w.bytes(dt.result()).align(8);
  w.bytes(ds.result()).align(8);
  w.bytes(data.result());
  return w.result();
}

interface Message {
  type: number;
  flags?: number;
  order?: number;
  body: Uint8Array;
}

/** Version-2 object header with attribute creation order tracked and indexed, one chunk. */
function encodeObjectHeader(messages: Message[]): Uint8Array {
  const body = new ByteWriter();
  for (const m of messages) {
    if (m.body.length > 0xffff) {
      throw new InvalidArgumentError(`HDF5 message of ${m.body.length} bytes`);
    }
    body.u8(m.type).u16(m.body.length).u8(m.flags ?? 0).u16(m.order ?? 0).bytes(m.body);
  }
  const w = new ByteWriter();
  w.bytes(utf8.encode("OHDR")).u8(2).u8(0x02 | 0x04 | 0x08).u32(body.length);
  w.bytes(body.result());
  const head = w.result();
  w.u32(lookup3(head));
  return w.result();
}

function attributeMessages(
  attrs: readonly H5Attribute[],
  addrs: Addresses,
  heapIndex: (attr: H5Attribute, element: number) => number,
): Message[] {
  const info = new ByteWriter().u8(0).u8(0x03).u16(attrs.length).u64(UNDEF).u64(UNDEF).u64(UNDEF);
  return [
    { type: 0x15, body: info.result() },
    ...attrs.map((a, i) => ({ type: 0x0c, order: i, body: encodeAttribute(a, addrs, heapIndex) })),
  ];
}

interface ChunkInfo {
  offset: number[]; // element offsets, one per dimension
  bytes: Uint8Array; // stored (filtered) bytes
  address: number;
}

interface DatasetPlan {
  chunks: ChunkInfo[];
  contiguous?: Uint8Array;
  contiguousAddress: number;
  btreeNodes: BTreeNode[];
}

interface BTreeNode {
  level: number;
  entries: { key: Uint8Array; child: number }[]; // child = chunk index (level 0) or node index
  finalKey: Uint8Array;
  address: number;
}

function product(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** Splits a dataset into chunks (C order of chunk offsets), padded with the fill value. */
function makeChunks(d: H5Dataset): ChunkInfo[] {
  const chunks = d.chunks!;
  const rank = d.dims.length;
  const counts = d.dims.map((n, i) => Math.ceil(n / chunks[i]));
  const nChunks = product(counts);
  const chunkLen = product(chunks);
  const out: ChunkInfo[] = [];
  const strides = d.dims.map((_, i) => product(d.dims.slice(i + 1)));
  const cstrides = chunks.map((_, i) => product(chunks.slice(i + 1)));
  for (let c = 0; c < nChunks; c++) {
    const idx: number[] = [];
    let rest = c;
    for (let i = rank - 1; i >= 0; i--) {
      idx[i] = rest % counts[i];
      rest = Math.floor(rest / counts[i]);
    }
    const offset = idx.map((k, i) => k * chunks[i]);
    const values = new Float64Array(chunkLen).fill(d.fillValue);
    // copy row by row along the last dimension
    const rows = chunkLen / chunks[rank - 1];
    for (let r = 0; r < rows; r++) {
      let src = 0;
      let dst = 0;
      let rr = r;
      let inside = true;
      for (let i = rank - 2; i >= 0; i--) {
        const k = rr % chunks[i];
        rr = Math.floor(rr / chunks[i]);
        const pos = offset[i] + k;
        if (pos >= d.dims[i]) inside = false;
        src += pos * strides[i];
        dst += k * cstrides[i];
      }
      if (!inside) continue;
      const last = rank - 1;
      const n = Math.min(chunks[last], d.dims[last] - offset[last]);
      src += offset[last];
      for (let j = 0; j < n; j++) values[dst + j] = d.data[src + j];
    }
    const raw = new ByteWriter();
    writeNumbers(raw, d.type, values);
    let bytes = raw.result();
    if (d.deflateLevel !== undefined) {
      bytes = new Uint8Array(deflateSync(bytes, { level: d.deflateLevel }));
    }
    out.push({ offset, bytes, address: 0 });
  }
  return out;
}

function chunkKey(size: number, offset: readonly number[], elementSize: number): Uint8Array {
  const w = new ByteWriter().u32(size).u32(0);
  for (const o of offset) w.u64(o);
  w.u64(0);
  void elementSize;
  return w.result();
}

function finalKey(offset: readonly number[], chunks: readonly number[], elementSize: number) {
  const w = new ByteWriter().u32(0).u32(0);
  offset.forEach((o, i) => w.u64(o + chunks[i]));
  w.u64(elementSize);
  return w.result();
}

/** Builds the v1 B-tree (type 1) over the chunks: leaves of ≤ 2K chunks, then parents. */
function planBTree(d: H5Dataset, chunks: ChunkInfo[]): BTreeNode[] {
  if (chunks.length === 0) return [];
  const esize = typeSize(d.type);
  const nodes: BTreeNode[] = [];
  let level: BTreeNode[] = [];
  for (let i = 0; i < chunks.length; i += 2 * BTREE_K) {
    const slice = chunks.slice(i, i + 2 * BTREE_K);
    const last = slice[slice.length - 1];
    level.push({
      level: 0,
      entries: slice.map((c, j) => ({
        key: chunkKey(c.bytes.length, c.offset, esize),
        child: i + j,
      })),
      finalKey: finalKey(last.offset, d.chunks!, esize),
      address: 0,
    });
  }
  nodes.push(...level);
  let depth = 0;
  while (level.length > 1) {
    depth++;
    const parents: BTreeNode[] = [];
    const base = nodes.length - level.length;
    for (let i = 0; i < level.length; i += 2 * BTREE_K) {
      const slice = level.slice(i, i + 2 * BTREE_K);
      parents.push({
        level: depth,
        entries: slice.map((n, j) => ({ key: n.entries[0].key, child: base + i + j })),
        finalKey: slice[slice.length - 1].finalKey,
        address: 0,
      });
    }
    nodes.push(...parents);
    level = parents;
  }
  return nodes; // root is last
}

function btreeNodeSize(rank: number): number {
  const keySize = 8 + 8 * (rank + 1);
  return 24 + 2 * BTREE_K * 8 + (2 * BTREE_K + 1) * keySize;
}

function encodeBTreeNode(
  node: BTreeNode,
  siblings: { left: number; right: number },
  childAddress: (child: number) => number,
  rank: number,
): Uint8Array {
  const w = new ByteWriter();
  w.bytes(utf8.encode("TREE")).u8(1).u8(node.level).u16(node.entries.length);
  w.u64(siblings.left).u64(siblings.right);
  for (const e of node.entries) w.bytes(e.key).u64(childAddress(e.child));
  w.bytes(node.finalKey);
  w.zeros(btreeNodeSize(rank) - w.length);
  return w.result();
}

/** Encodes a whole HDF5 file. */
export function encodeHdf5(file: H5File): Uint8Array {
  const plans: DatasetPlan[] = file.datasets.map((d) => {
    if (d.data.length !== product(d.dims)) {
      throw new InvalidArgumentError(
        `Dataset ${d.name} has ${d.data.length} values for dimensions [${d.dims.join(", ")}]`,
      );
    }
    if (d.chunks) {
      const chunks = makeChunks(d);
      return { chunks, contiguousAddress: 0, btreeNodes: planBTree(d, chunks) };
    }
    const w = new ByteWriter();
    writeNumbers(w, d.type, d.data);
    return { chunks: [], contiguous: w.result(), contiguousAddress: 0, btreeNodes: [] };
  });

  // Global heap objects: one per DIMENSION_LIST element.
  const heapObjects: Uint8Array[] = [];
  const heapIndexOf = new Map<H5Attribute, number[]>();
  const allAttrs = [file.attributes, ...file.datasets.map((d) => d.attributes)];
  for (const attrs of allAttrs) {
    for (const a of attrs) {
      if (a.value.kind !== "dimensionList") continue;
      heapIndexOf.set(
        a,
        a.value.scales.map((refs) => {
          heapObjects.push(new Uint8Array(8 * refs.length)); // filled once addresses are known
          return heapObjects.length; // 1-based index
        }),
      );
    }
  }
  const heapIndex = (a: H5Attribute, i: number) => heapIndexOf.get(a)![i];

  const addrs: Addresses = { datasets: file.datasets.map(() => 0), heap: UNDEF };
  const build = () => {
    const root: Message[] = [
      {
        type: 0x02,
        body: new ByteWriter().u8(0).u8(0x03).u64(file.datasets.length).u64(UNDEF).u64(UNDEF)
          .u64(UNDEF).result(),
      },
      { type: 0x0a, flags: 0x01, body: new ByteWriter().u8(0).u8(0).result() },
      ...file.datasets.map((d, i) => {
        const name = utf8.encode(d.name);
        if (name.length > 255) throw new InvalidArgumentError(`Dataset name too long: ${d.name}`);
        return {
          type: 0x06,
          body: new ByteWriter().u8(1).u8(0x04).u64(i).u8(name.length).bytes(name)
            .u64(addrs.datasets[i]).result(),
        };
      }),
      ...attributeMessages(file.attributes, addrs, heapIndex),
    ];
    const datasets = file.datasets.map((d, i) => {
      const plan = plans[i];
      const ms: Message[] = [];
      const space = new ByteWriter();
      encodeDataspace(space, d.dims, d.maxDims ?? d.dims);
      ms.push({ type: 0x01, body: space.result() });
      const dt = new ByteWriter();
      encodeNumberType(dt, d.type);
      ms.push({ type: 0x03, flags: 0x01, body: dt.result() });
      const fill = new ByteWriter().u8(2).u8(d.chunks ? 3 : 2).u8(2).u8(1).u32(typeSize(d.type));
      writeNumbers(fill, d.type, [d.fillValue]);
      ms.push({ type: 0x05, flags: 0x01, body: fill.result() });
      if (d.deflateLevel !== undefined) {
        const f = new ByteWriter().u8(1).u8(1).zeros(6);
        f.u16(1).u16(8).u16(1).u16(1).bytes(utf8.encode("deflate")).u8(0).u32(d.deflateLevel)
          .u32(0);
        ms.push({ type: 0x0b, flags: 0x01, body: f.result() });
      }
      const layout = new ByteWriter().u8(3);
      if (d.chunks) {
        const root = plan.btreeNodes[plan.btreeNodes.length - 1];
        layout.u8(2).u8(d.dims.length + 1).u64(root ? root.address : UNDEF);
        for (const c of d.chunks) layout.u32(c);
        layout.u32(typeSize(d.type));
      } else {
        layout.u8(1).u64(plan.contiguousAddress).u64(plan.contiguous!.length);
      }
      ms.push({ type: 0x08, body: layout.result() });
      ms.push(...attributeMessages(d.attributes, addrs, heapIndex));
      return encodeObjectHeader(ms);
    });
    return { root: encodeObjectHeader(root), datasets };
  };

  // Pass 1: sizes (independent of the address values); then lay out.
  const sized = build();
  let pos = 96;
  const rootAddress = pos;
  pos += sized.root.length;
  sized.datasets.forEach((h, i) => {
    addrs.datasets[i] = pos;
    pos += h.length;
  });
  let heapSize = 0;
  if (heapObjects.length > 0) {
    heapSize = 16 + heapObjects.reduce((s, o) => s + 16 + Math.ceil(o.length / 8) * 8, 0) + 16;
    heapSize = Math.max(GHEAP_MIN, heapSize);
    addrs.heap = pos;
    pos += heapSize;
  }
  plans.forEach((p) => {
    if (p.contiguous) {
      p.contiguousAddress = pos;
      pos += p.contiguous.length;
    }
  });
  plans.forEach((p, i) => {
    const size = btreeNodeSize(file.datasets[i].dims.length);
    for (const node of p.btreeNodes) {
      node.address = pos;
      pos += size;
    }
  });
  plans.forEach((p) => {
    for (const c of p.chunks) {
      c.address = pos;
      pos += c.bytes.length;
    }
  });
  const eof = pos;

  // Pass 2: everything with real addresses.
  const final = build();
  const out = new ByteWriter();
  out.bytes(new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]));
  out.u8(0).u8(0).u8(0).u8(0).u8(0).u8(8).u8(8).u8(0);
  out.u16(4).u16(16).u32(0);
  out.u64(0).u64(UNDEF).u64(eof).u64(UNDEF);
  out.u64(0).u64(rootAddress).u32(0).u32(0).zeros(16);
  out.bytes(final.root);
  for (const h of final.datasets) out.bytes(h);
  if (heapObjects.length > 0) {
    let k = 0;
    for (const attrs of allAttrs) {
      for (const a of attrs) {
        if (a.value.kind !== "dimensionList") continue;
        for (const refs of a.value.scales) {
          const w = new ByteWriter();
          for (const r of refs) w.u64(addrs.datasets[r.dataset]);
          heapObjects[k++] = w.result();
        }
      }
    }
    const start = out.length;
    out.bytes(utf8.encode("GCOL")).u8(1).zeros(3).u64(heapSize);
    heapObjects.forEach((o, i) => {
      out.u16(i + 1).u16(0).u32(0).u64(o.length).bytes(o).zeros((8 - (o.length % 8)) % 8);
    });
    const free = heapSize - (out.length - start);
    if (free >= 16) out.u16(0).u16(0).u32(0).u64(free).zeros(free - 16);
    else out.zeros(free);
  }
  for (const p of plans) if (p.contiguous) out.bytes(p.contiguous);
  plans.forEach((p, i) => {
    const rank = file.datasets[i].dims.length;
    const nodes = p.btreeNodes;
    nodes.forEach((node, n) => {
      const prev = nodes[n - 1];
      const next = nodes[n + 1];
      const siblings = {
        left: prev && prev.level === node.level ? prev.address : UNDEF,
        right: next && next.level === node.level ? next.address : UNDEF,
      };
      const child = (c: number) => node.level === 0 ? p.chunks[c].address : nodes[c].address;
      out.bytes(encodeBTreeNode(node, siblings, child, rank));
    });
  });
  for (const p of plans) for (const c of p.chunks) out.bytes(c.bytes);
  if (out.length !== eof) throw new Error(`HDF5 layout mismatch: ${out.length} != ${eof}`);
  return out.result();
}
