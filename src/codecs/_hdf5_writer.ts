import { InvalidArgumentError } from "../errors.ts";
import { ByteWriter, UNDEF, utf8 } from "./_hdf5_bytes.ts";
import {
  type Addresses,
  attributeMessages,
  encodeDataspace,
  encodeNumberType,
  encodeObjectHeader,
  type Message,
  typeSize,
  writeNumbers,
} from "./_hdf5_messages.ts";
import {
  btreeNodeSize,
  type DatasetPlan,
  encodeBTreeNode,
  makeChunks,
  planBTree,
  product,
} from "./_hdf5_chunks.ts";

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

const GHEAP_MIN = 4096;

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
