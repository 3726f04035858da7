// Private: HDF5 messages as the writer encodes them: number and reference
// datatypes, dataspaces, attributes, version-2 object headers.

import { InvalidArgumentError } from "../errors.ts";
import { ByteWriter, lookup3, UNDEF, utf8 } from "./_hdf5_bytes.ts";
import type { H5Attribute, H5NumberType } from "./_hdf5_writer.ts";

export function typeSize(t: H5NumberType): number {
  return t === "f64" ? 8 : 4;
}

export function encodeNumberType(w: ByteWriter, t: H5NumberType): void {
  if (t === "i32") {
    w.u8(0x10).u8(0x08).u8(0).u8(0).u32(4).u16(0).u16(32);
  } else if (t === "f32") {
    w.u8(0x11).u8(0x20).u8(31).u8(0).u32(4).u16(0).u16(32).u8(23).u8(8).u8(0).u8(23).u32(127);
  } else {
    w.u8(0x11).u8(0x20).u8(63).u8(0).u32(8).u16(0).u16(64).u8(52).u8(11).u8(0).u8(52).u32(1023);
  }
}

export function encodeReferenceType(w: ByteWriter): void {
  w.u8(0x17).u8(0).u8(0).u8(0).u32(8);
}

export function writeNumbers(w: ByteWriter, t: H5NumberType, values: ArrayLike<number>): void {
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
export function encodeDataspace(
  w: ByteWriter,
  dims: readonly number[],
  maxDims?: readonly (number | null)[],
) {
  w.u8(1).u8(dims.length).u8(maxDims ? 1 : 0).u8(0).u32(0);
  for (const d of dims) w.u64(d);
  if (maxDims) { for (const d of maxDims) w.u64(d === null ? UNDEF : d); }
}

export interface Addresses {
  datasets: number[];
  heap: number;
}

/** Attribute message, version 1 (name, datatype and dataspace padded to 8 bytes). */
export function encodeAttribute(
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

export interface Message {
  type: number;
  flags?: number;
  order?: number;
  body: Uint8Array;
}

/** Version-2 object header with attribute creation order tracked and indexed, one chunk. */
export function encodeObjectHeader(messages: Message[]): Uint8Array {
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

export function attributeMessages(
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
