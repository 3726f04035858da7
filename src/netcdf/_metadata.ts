// Private: the metadata of a NetCDF file as the wasm parser packs it
// (`netcdf::encode` in decoder-rs), unpacked into the public groups,
// dimensions, variables and attributes, plus an index of variables by path.

import type {
  NetCDFAttributeValue,
  NetCDFDimension,
  NetCDFFormat,
  NetCDFGroup,
  NetCDFType,
  NetCDFVariable,
} from "./types.ts";
import { type Member, typedFrom, unpackColumn } from "./_values.ts";
import { CorruptDataError, UnsupportedFormatError } from "../errors.ts";
import { setOwn } from "../_util/own.ts";

export const FORMATS: NetCDFFormat[] = ["classic", "64bit-offset", "cdf5", "netcdf4"];
export const TYPES: (NetCDFType | undefined)[] = [
  undefined,
  "byte",
  "char",
  "short",
  "int",
  "float",
  "double",
  "ubyte",
  "ushort",
  "uint",
  "int64",
  "uint64",
  "string",
  "vlen",
  "opaque",
  undefined,
  "compound",
  undefined,
  undefined,
  undefined,
  "float16",
  "reference",
  "bitfield",
  "time",
  "unknown",
];
export const FILTERS: Record<number, string> = {
  1: "deflate",
  2: "shuffle",
  3: "fletcher32",
  4: "szip",
  5: "nbit",
  6: "scaleoffset",
  307: "bzip2",
  32000: "lzf",
  32001: "blosc",
  32015: "zstd",
};

/** Decodes the packed metadata the wasm parser returns. */
export class Unpack {
  #v: DataView;
  #b: Uint8Array;
  #p = 0;
  #text = new TextDecoder();
  constructor(b: Uint8Array) {
    this.#b = b;
    this.#v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u8(): number {
    return this.#v.getUint8(this.#p++);
  }
  u32(): number {
    const x = this.#v.getUint32(this.#p, true);
    this.#p += 4;
    return x;
  }
  u16(): number {
    const x = this.#v.getUint16(this.#p, true);
    this.#p += 2;
    return x;
  }
  f64(): number {
    const x = this.#v.getFloat64(this.#p, true);
    this.#p += 8;
    return x;
  }
  str(): string {
    const n = this.u32();
    const s = this.#text.decode(this.#b.subarray(this.#p, this.#p + n));
    this.#p += n;
    return s;
  }
  bytes(n: number): Uint8Array {
    const s = this.#b.slice(this.#p, this.#p + n);
    this.#p += n;
    return s;
  }
}

/** A variable of the index: its metadata and what reading it needs. */
export interface VarEntry {
  variable: NetCDFVariable;
  id: number;
  /** Trailing dimensions that come from an HDF5 array datatype. */
  arrayDims: number;
  /** Compound members with their byte layout. */
  members: Member[];
  /** Reduced precision of an integer variable: bit offset and precision. */
  bits?: readonly [number, number];
}

/** `u8 offset, u8 precision` (0, 0: full precision). */
function bitsOf(u: Unpack): readonly [number, number] | undefined {
  const off = u.u8(), prec = u.u8();
  return prec > 0 ? [off, prec] : undefined;
}

function attrs(u: Unpack): Record<string, NetCDFAttributeValue> {
  const out: Record<string, NetCDFAttributeValue> = {};
  const n = u.u32();
  for (let i = 0; i < n; i++) {
    const name = u.str();
    const t = u.u8();
    if (t === 2) {
      setOwn(out, name, u.str());
    } else if (t === 12) {
      const k = u.u32();
      const list: string[] = [];
      for (let j = 0; j < k; j++) list.push(u.str());
      setOwn(out, name, list);
    } else if (t === 13 || t === 16) {
      // a variable-length (13) or compound (16) value: a packed column
      setOwn(out, name, unpackColumn(u.bytes(u.u32())) as NetCDFAttributeValue);
    } else {
      const bytes = u.bytes(u.u32());
      setOwn(out, name, typedFrom(TYPES[t] ?? "ubyte", bytes));
    }
  }
  return out;
}

/**
 * A dimension or chunk length, refused at open when JavaScript cannot index
 * it (above 2^53 - 1) rather than failing later on read.
 */
function length(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new UnsupportedFormatError(
      `${what} has length ${n}, more than 2^53 - 1, which JavaScript cannot index`,
    );
  }
  return n;
}

/**
 * Decodes one group; `parent` is the path of the enclosing group (`""` for
 * the root's parent and the root itself), so every variable is indexed by its
 * full path and same names at several depths never collide.
 */
export function group(
  u: Unpack,
  parent: string | undefined,
  index: Map<string, VarEntry>,
): NetCDFGroup {
  const name = u.str();
  const path = parent === undefined ? "" : `${parent}${name}/`;
  const dimensions: NetCDFDimension[] = [];
  for (let i = u.u32(); i > 0; i--) {
    const dname = u.str();
    dimensions.push({
      name: dname,
      size: length(u.f64(), `Dimension ${dname}`),
      unlimited: u.u8() === 1,
    });
  }
  const attributes = attrs(u);
  const variables: NetCDFVariable[] = [];
  for (let i = u.u32(); i > 0; i--) {
    const vname = u.str();
    const type = TYPES[u.u8()] ?? "unknown";
    const id = u.u32();
    const dims: string[] = [];
    const shape: number[] = [];
    for (let r = u.u32(); r > 0; r--) {
      const d = u.str();
      dims.push(d);
      shape.push(length(u.f64(), `Dimension ${d} of ${path + vname}`));
    }
    const a = attrs(u);
    const chunks: number[] = [];
    for (let k = u.u32(); k > 0; k--) {
      chunks.push(length(u.f64(), `A chunk size of ${path + vname}`));
    }
    const filters: string[] = [];
    for (let k = u.u32(); k > 0; k--) {
      const f = u.u16();
      filters.push(FILTERS[f] ?? `filter-${f}`);
    }
    const arrayDims = u.u32();
    const members: Member[] = [];
    for (let k = u.u32(); k > 0; k--) {
      members.push({
        name: u.str(),
        type: TYPES[u.u8()] ?? "ubyte",
        offset: u.u32(),
        count: u.u32(),
        be: u.u8() === 1,
        bits: bitsOf(u),
      });
    }
    const bits = bitsOf(u);
    const variable: NetCDFVariable = {
      name: vname,
      path: path + vname,
      type,
      dimensions: dims,
      shape,
      attributes: a,
      chunks: chunks.length ? chunks : undefined,
      filters,
      ...(type === "compound"
        ? { members: members.map(({ name, type, count }) => ({ name, type, count })) }
        : {}),
    };
    variables.push(variable);
    if (index.has(variable.path)) {
      throw new CorruptDataError(`Two variables named ${JSON.stringify(variable.path)}`);
    }
    index.set(variable.path, { variable, id, arrayDims, members, bits });
  }
  const groups: NetCDFGroup[] = [];
  for (let i = u.u32(); i > 0; i--) {
    groups.push(group(u, path, index));
  }
  return { name, dimensions, attributes, variables, groups };
}
