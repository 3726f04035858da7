/**
 * Reading NetCDF files: the classic formats (CDF-1, CDF-2 / 64-bit offset,
 * CDF-5) and NetCDF-4 (HDF5), such as STILT footprints, ObsPack files and
 * the portal's NetCDF data objects.
 *
 * The file structure is parsed by the library's Rust decoder compiled to
 * WebAssembly; deflated chunks are inflated by the platform's zlib
 * (`node:zlib` in Deno and Node, `DecompressionStream` in browsers) or by
 * the decoder's own inflate. The other HDF5 filters real files use (shuffle,
 * Fletcher-32, szip, N-bit, scale-offset, the zstd, bzip2 and Blosc
 * plugins netCDF-C writes, and h5py's LZF) are undone in WebAssembly. Only the chunks a read touches are fetched and
 * inflated, so a `{ byteLength, slice }` source backed by HTTP range
 * requests reads a hyperslab of a remote file without downloading it. A
 * chunk that fills one run of the result (a time step of a footprint read
 * whole) is inflated by `node:zlib` or `DecompressionStream` straight into
 * its place, never to more than the size the chunk declares.
 *
 * @example Reading a small classic file
 * ```ts
 * import { openNetCDF } from "@icoscp/icoscp/netcdf";
 * import assert from "node:assert/strict";
 *
 * // CDF-1: one dimension x = 3, one variable `short v(x)` = 1, 2, 3.
 * const file = new Uint8Array([
 *   67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0,
 *   0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1,
 *   118, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
 *   0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0, 0,
 * ]);
 * const nc = await openNetCDF(file);
 * assert.equal(nc.format, "classic");
 * assert.deepEqual(await nc.read("v"), new Int16Array([1, 2, 3]));
 * ```
 *
 * @module
 */

import {
  type ByteSource,
  chunkTable,
  copyBox,
  type InflateBackend,
  inflatedInto,
  inflater,
  Parser,
  Reader,
  type StorageLayout,
  storageLayout,
  unfilterWasm,
  WASM_FILTERS,
} from "./_netcdf_io.ts";
import { swapIntoWasm } from "./_wasm_decoder.ts";
import {
  type FileInput,
  fileSource,
  isFileInput,
  type PositionalFile,
  type SeekableFile,
} from "./_file_source.ts";
import { CorruptDataError, LimitExceededError, UnsupportedFormatError } from "./errors.ts";

export {
  type HttpByteSource,
  httpByteSource,
  type HttpByteSourceOptions,
  type HttpByteSourceStats,
} from "./http_byte_source.ts";
export type { ByteSource, FileInput, InflateBackend, PositionalFile, SeekableFile };

/** The on-disk format of a NetCDF file. */
export type NetCDFFormat = "classic" | "64bit-offset" | "cdf5" | "netcdf4";

/** NetCDF external types. */
export type NetCDFType =
  | "byte"
  | "char"
  | "short"
  | "int"
  | "float"
  | "double"
  | "ubyte"
  | "ushort"
  | "uint"
  | "int64"
  | "uint64"
  | "string"
  | "float16"
  | "compound"
  | "vlen"
  | "opaque"
  | "reference"
  | "bitfield"
  | "time"
  | "unknown";

/** The types whose values read as one typed array (`float16` as a Float32Array). */
type ArrayType = Exclude<
  NetCDFType,
  | "string"
  | "float16"
  | "compound"
  | "vlen"
  | "opaque"
  | "reference"
  | "bitfield"
  | "time"
  | "unknown"
>;

/** Values of a numeric or char variable (char: one byte per value). */
export type NetCDFTypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/**
 * Values of a compound variable: one array per member, by member name (a
 * member that is itself an array has its values per element consecutive).
 */
export type NetCDFCompoundValues = { readonly [member: string]: NetCDFTypedArray };

/** What {@linkcode NetCDFFile.read} returns: a typed array, or strings. */
export type NetCDFValues = NetCDFTypedArray | string[];

/** A member of a compound variable. */
export interface NetCDFMember {
  /** Name. */
  readonly name: string;
  /** Type (numeric or char). */
  readonly type: NetCDFType;
  /** Values per element (more than 1 for an array member). */
  readonly count: number;
}

/** An attribute value: text, several strings, or numbers. */
export type NetCDFAttributeValue = string | string[] | NetCDFTypedArray;

/** A dimension. */
export interface NetCDFDimension {
  /** Name. */
  readonly name: string;
  /** Current length. */
  readonly size: number;
  /** Whether the dimension is unlimited (record dimension). */
  readonly unlimited: boolean;
}

/** A variable's metadata. */
export interface NetCDFVariable {
  /** Name (without the group path). */
  readonly name: string;
  /** Path from the root group, e.g. `"foot"` or `"grp/sub/var"`. */
  readonly path: string;
  /** Type. */
  readonly type: NetCDFType;
  /** Dimension names, slowest-varying first. */
  readonly dimensions: readonly string[];
  /** Dimension lengths. */
  readonly shape: readonly number[];
  /** Attributes, as stored (`_FillValue`, `scale_factor`, … are not applied). */
  readonly attributes: Readonly<Record<string, NetCDFAttributeValue>>;
  /** Chunk shape (NetCDF-4 chunked variables), else undefined. */
  readonly chunks: readonly number[] | undefined;
  /** HDF5 filters of a chunked variable, in pipeline order. */
  readonly filters: readonly string[];
  /** Members of a compound variable (type `"compound"`), else undefined. */
  readonly members?: readonly NetCDFMember[];
}

/** A group: the root group is the file itself. */
export interface NetCDFGroup {
  /** Name (`"/"` for the root). */
  readonly name: string;
  /** Dimensions defined in this group. */
  readonly dimensions: readonly NetCDFDimension[];
  /** Attributes of the group (global attributes for the root). */
  readonly attributes: Readonly<Record<string, NetCDFAttributeValue>>;
  /** Variables of this group. */
  readonly variables: readonly NetCDFVariable[];
  /** Subgroups (NetCDF-4). */
  readonly groups: readonly NetCDFGroup[];
}

/** Options of {@linkcode openNetCDF}. */
export interface OpenNetCDFOptions {
  /**
   * Which inflate decompresses deflated chunks: `"auto"` (default) uses
   * `node:zlib` when the runtime has it, else `DecompressionStream`, else
   * the decoder's own inflate; `"node"`, `"stream"` and `"wasm"` force one.
   */
  inflate?: InflateBackend;
}

/** Options of {@linkcode NetCDFFile.read}. */
export interface ReadOptions {
  /** First index along each dimension (default all 0). */
  start?: readonly number[];
  /** Number of values along each dimension (default: to the end). */
  count?: readonly number[];
  /**
   * Apply CF decoding (default false): values equal to `_FillValue` (or the
   * type's default fill), `missing_value`, or outside
   * `valid_min`/`valid_max`/`valid_range` become NaN, then
   * `value × scale_factor + add_offset`. Numeric variables then read as a
   * Float64Array (Float32Array for unscaled floats).
   */
  decoded?: boolean;
  /**
   * Most bytes a read may decode (default 2^31): the result plus the
   * decoded chunk held while it is copied; a {@linkcode LimitExceededError}
   * beyond.
   */
  maxBytes?: number;
}

const FORMATS: NetCDFFormat[] = ["classic", "64bit-offset", "cdf5", "netcdf4"];
const TYPES: (NetCDFType | undefined)[] = [
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
const FILTERS: Record<number, string> = {
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

type ArrayCtor = {
  new (buffer: ArrayBuffer, offset?: number, length?: number): NetCDFTypedArray;
  new (length: number): NetCDFTypedArray;
  BYTES_PER_ELEMENT: number;
};

const CTORS: Record<ArrayType, ArrayCtor> = {
  byte: Int8Array,
  char: Uint8Array,
  short: Int16Array,
  int: Int32Array,
  float: Float32Array,
  double: Float64Array,
  ubyte: Uint8Array,
  ushort: Uint16Array,
  uint: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

/** netCDF-C's default fill values (used for CF masking when `_FillValue` is absent). */
const DEFAULT_FILL: Partial<Record<NetCDFType, number | bigint>> = {
  short: -32767,
  int: -2147483647,
  float: 9.969209968386869e36,
  double: 9.969209968386869e36,
  ushort: 65535,
  uint: 4294967295,
  int64: -9223372036854775806n,
  uint64: 18446744073709551614n,
};

/** Decodes the packed metadata the wasm parser returns. */
class Unpack {
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

interface VarEntry {
  variable: NetCDFVariable;
  id: number;
  /** Trailing dimensions that come from an HDF5 array datatype. */
  arrayDims: number;
  /** Compound members with their byte layout. */
  members: Member[];
}

interface Member extends NetCDFMember {
  offset: number;
  be: boolean;
}

/**
 * A typed array over little-endian `bytes` of a numeric `type` (`float16`
 * widened to a Float32Array; types without one read as bytes).
 */
function typedFrom(type: NetCDFType, bytes: Uint8Array): NetCDFTypedArray {
  if (type === "float16") return halfToFloat32(bytes);
  const C = CTORS[type as ArrayType] ?? Uint8Array;
  if (bytes.byteOffset % C.BYTES_PER_ELEMENT !== 0) bytes = bytes.slice();
  return new C(
    bytes.buffer as ArrayBuffer,
    bytes.byteOffset,
    Math.floor(bytes.byteLength / C.BYTES_PER_ELEMENT),
  );
}

/** IEEE binary16 (little-endian) to float32. */
function halfToFloat32(b: Uint8Array): Float32Array {
  const n = b.byteLength >> 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = b[2 * i] | (b[2 * i + 1] << 8);
    const sign = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 31, m = h & 1023;
    out[i] = e === 0
      ? sign * m * 2 ** -24
      : e === 31
      ? (m ? NaN : sign * Infinity)
      : sign * (1 + m / 1024) * 2 ** (e - 15);
  }
  return out;
}

function attrs(u: Unpack): Record<string, NetCDFAttributeValue> {
  const out: Record<string, NetCDFAttributeValue> = {};
  const n = u.u32();
  for (let i = 0; i < n; i++) {
    const name = u.str();
    const t = u.u8();
    if (t === 2) {
      out[name] = u.str();
    } else if (t === 12) {
      const k = u.u32();
      const list: string[] = [];
      for (let j = 0; j < k; j++) list.push(u.str());
      out[name] = list;
    } else {
      const bytes = u.bytes(u.u32());
      out[name] = typedFrom(TYPES[t] ?? "ubyte", bytes);
    }
  }
  return out;
}

/**
 * Decodes one group; `parent` is the path of the enclosing group (`""` for
 * the root's parent and the root itself), so every variable is indexed by its
 * full path and same names at several depths never collide.
 */
function group(
  u: Unpack,
  parent: string | undefined,
  index: Map<string, VarEntry>,
): NetCDFGroup {
  const name = u.str();
  const path = parent === undefined ? "" : `${parent}${name}/`;
  const dimensions: NetCDFDimension[] = [];
  for (let i = u.u32(); i > 0; i--) {
    dimensions.push({ name: u.str(), size: u.f64(), unlimited: u.u8() === 1 });
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
      dims.push(u.str());
      shape.push(u.f64());
    }
    const a = attrs(u);
    const chunks: number[] = [];
    for (let k = u.u32(); k > 0; k--) chunks.push(u.f64());
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
      });
    }
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
    index.set(variable.path, { variable, id, arrayDims, members });
  }
  const groups: NetCDFGroup[] = [];
  for (let i = u.u32(); i > 0; i--) {
    groups.push(group(u, path, index));
  }
  return { name, dimensions, attributes, variables, groups };
}

/**
 * An open NetCDF file: its metadata, and {@linkcode NetCDFFile.read} for
 * values. Frees its wasm memory on {@linkcode NetCDFFile.close} (or with
 * `using`).
 *
 * @example Metadata and a hyperslab
 * ```ts
 * import { openNetCDF } from "@icoscp/icoscp/netcdf";
 * import assert from "node:assert/strict";
 *
 * // CDF-1: dims y = 2, x = 3; `short v(y, x)` = 1..6.
 * const file = new Uint8Array([
 *   67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0, 0, 1, 121, 0, 0, 0, 0, 0, 0, 2,
 *   0, 0, 0, 1, 120, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1,
 *   0, 0, 0, 1, 118, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
 *   0, 0, 0, 3, 0, 0, 0, 12, 0, 0, 0, 96, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6,
 * ]);
 * using nc = await openNetCDF(file);
 * assert.deepEqual(nc.variables[0].dimensions, ["y", "x"]);
 * assert.deepEqual(await nc.read("v", { start: [1, 1], count: [1, 2] }), new Int16Array([5, 6]));
 * ```
 */
export class NetCDFFile implements NetCDFGroup {
  /** The on-disk format. */
  readonly format: NetCDFFormat;
  /** `"/"`. */
  readonly name: string;
  /** Dimensions of the root group. */
  readonly dimensions: readonly NetCDFDimension[];
  /** Global attributes. */
  readonly attributes: Readonly<Record<string, NetCDFAttributeValue>>;
  /** Variables of the root group. */
  readonly variables: readonly NetCDFVariable[];
  /** Subgroups (NetCDF-4). */
  readonly groups: readonly NetCDFGroup[];
  readonly #parser: Parser;
  readonly #reader: Reader;
  readonly #index: Map<string, VarEntry>;
  readonly #inflate: InflateBackend;
  /** Whether a variable's values are stored big-endian, by id (known after a read). */
  readonly #be = new Map<number, boolean>();
  #closed = false;
  #onClose: (() => void) | undefined;

  /** Use {@linkcode openNetCDF}. */
  private constructor(
    format: NetCDFFormat,
    root: NetCDFGroup,
    parser: Parser,
    reader: Reader,
    index: Map<string, VarEntry>,
    inflate: InflateBackend,
  ) {
    this.format = format;
    this.name = root.name;
    this.dimensions = root.dimensions;
    this.attributes = root.attributes;
    this.variables = root.variables;
    this.groups = root.groups;
    this.#parser = parser;
    this.#reader = reader;
    this.#index = index;
    this.#inflate = inflate;
  }

  /** @internal */
  static async open(
    input: Uint8Array | ArrayBuffer | ByteSource | FileInput,
    options: OpenNetCDFOptions,
  ): Promise<NetCDFFile> {
    if (isFileInput(input)) {
      const file = await fileSource(input);
      try {
        const nc = await NetCDFFile.open(file.source, options);
        nc.#onClose = file.close;
        return nc;
      } catch (e) {
        file.close();
        throw e;
      }
    }
    const source = input;
    const reader = new Reader(source);
    const parser = new Parser(reader);
    try {
      await parser.prime();
      const packed = await parser.parse();
      const u = new Unpack(packed);
      const format = FORMATS[u.u8()] ?? "netcdf4";
      const index = new Map<string, VarEntry>();
      const root = group(u, undefined, index);
      return new NetCDFFile(format, root, parser, reader, index, options.inflate ?? "auto");
    } catch (e) {
      parser.free();
      throw e;
    }
  }

  /**
   * The variable at `path` (`"name"` in the root group, `"grp/name"` below).
   *
   * @param path Variable path.
   * @returns Its metadata.
   * @throws {RangeError} When there is no such variable.
   */
  variable(path: string): NetCDFVariable {
    const e = this.#index.get(path.replace(/^\//, ""));
    if (!e) throw new RangeError(`No variable ${JSON.stringify(path)} in this file`);
    return e.variable;
  }

  /**
   * Reads a variable, or a hyperslab of it, in C order.
   *
   * @param path Variable path (see {@linkcode NetCDFFile.variable}).
   * @param options `start`, `count`, `decoded`, `maxBytes`.
   * @returns A typed array of the variable's type (char: Uint8Array;
   *   string: `string[]`), or CF-decoded floats with `decoded: true`.
   * @throws {RangeError} For an unknown variable or a box outside it.
   * @throws {DecodeError} When the file is corrupt, truncated or uses an unsupported feature;
   *   an `UnsupportedFormatError` for a compound variable (use {@linkcode NetCDFFile.readCompound}).
   */
  async read(path: string, options: ReadOptions = {}): Promise<NetCDFValues> {
    const v = this.variable(path);
    if (v.type === "compound") {
      throw new UnsupportedFormatError(
        `${v.path} is a compound variable: read() returns one array; readCompound() returns one array per member`,
      );
    }
    return await this.#read(path, options) as NetCDFValues;
  }

  /**
   * Reads a compound variable (an HDF5 compound type, such as h5py's complex
   * numbers): one typed array per member, in C order, each value of a member
   * that is an array taking `count` consecutive places.
   *
   * h5py's complex numbers read as `{ r: Float64Array, i: Float64Array }`.
   *
   * @param path Variable path (see {@linkcode NetCDFFile.variable}).
   * @param options `start`, `count`, `maxBytes` (`decoded` does not apply).
   * @returns The members' values, by member name.
   * @throws {RangeError} For an unknown or non-compound variable or a box outside it.
   * @throws {DecodeError} When the file is corrupt or a member type is not read.
   */
  async readCompound(
    path: string,
    options: Omit<ReadOptions, "decoded"> = {},
  ): Promise<NetCDFCompoundValues> {
    const v = this.variable(path);
    if (v.type !== "compound") {
      throw new RangeError(`${v.path} is not a compound variable (type ${v.type}): use read()`);
    }
    return await this.#read(path, { ...options, decoded: false }) as NetCDFCompoundValues;
  }

  async #read(
    path: string,
    options: ReadOptions,
  ): Promise<NetCDFValues | NetCDFCompoundValues> {
    if (this.#closed) throw new TypeError("The NetCDF file is closed");
    const entry = this.#index.get(path.replace(/^\//, ""));
    if (!entry) this.variable(path);
    const { variable: v, id, arrayDims, members } = entry!;
    const rank = v.shape.length;
    const start = options.start ? [...options.start] : new Array<number>(rank).fill(0);
    const count = options.count ? [...options.count] : v.shape.map((s, i) => s - (start[i] ?? 0));
    if (start.length !== rank || count.length !== rank) {
      throw new RangeError(`start and count need ${rank} values for ${v.path}`);
    }
    for (let i = 0; i < rank; i++) {
      if (
        !Number.isSafeInteger(start[i]) || !Number.isSafeInteger(count[i]) || start[i] < 0 ||
        count[i] < 0 || start[i] + count[i] > v.shape[i]
      ) {
        throw new RangeError(
          `Box start ${start} count ${count} is outside ${v.path} of shape ${v.shape}`,
        );
      }
    }
    // An HDF5 array datatype: whole elements of the outer box are read, then
    // the box of the trailing (array) dimensions is cut out.
    const r = rank - arrayDims;
    const direct = arrayDims === 0 && v.type in CTORS ? CTORS[v.type as ArrayType] : undefined;
    const raw = await this.#readRaw(
      v,
      id,
      v.shape.slice(0, r),
      start.slice(0, r),
      count.slice(0, r),
      options.maxBytes ?? 2 ** 31,
      direct,
    );
    if (Array.isArray(raw)) return raw;
    let values: NetCDFTypedArray | NetCDFCompoundValues;
    if (direct) {
      values = typedFrom(v.type, raw);
    } else if (v.type === "compound") {
      values = splitMembers(raw, members, count.reduce((a, b) => a * b, 1));
    } else {
      const base = v.type === "float16" ? 2 : CTORS[v.type as ArrayType]?.BYTES_PER_ELEMENT ?? 1;
      let bytes = raw;
      const inner = v.shape.slice(r);
      if (inner.some((n, i) => start[r + i] !== 0 || count[r + i] !== n)) {
        bytes = new Uint8Array(count.reduce((a, b) => a * b, base));
        copyBox(
          raw,
          [...count.slice(0, r), ...inner],
          [...zeros(r), ...start.slice(r)],
          bytes,
          count,
          zeros(rank),
          count,
          base,
        );
      }
      if (this.#be.get(id) && base > 1) swapIntoWasm(bytes, bytes, base);
      values = typedFrom(v.type, bytes);
    }
    if (!options.decoded || v.type === "char" || !ArrayBuffer.isView(values)) return values;
    return cfDecode(v, values);
  }

  /**
   * The box `start`/`count` of a variable of `shape` (outer dimensions for an
   * HDF5 array type): strings, or element bytes — little-endian in the
   * buffer of a `direct` typed array, else as stored (see `#be`).
   */
  async #readRaw(
    v: NetCDFVariable,
    id: number,
    shape: number[],
    start: number[],
    count: number[],
    maxBytes: number,
    direct: ArrayCtor | undefined,
  ): Promise<Uint8Array | string[]> {
    const p = this.#parser;
    const lay = await p.call((h) => storageLayout(h.layout(id)));
    const { kind, elem, be, strings } = lay;
    this.#be.set(id, be);
    const total = count.reduce((a, b) => a * b, 1);
    const nbytes = total * elem;
    // The result, plus the decoded chunk held while it is copied in.
    const chunkBytes = kind === "chunked" && v.chunks ? v.chunks.reduce((a, b) => a * b, elem) : 0;
    if (nbytes + chunkBytes > maxBytes) {
      throw new LimitExceededError(
        `Reading ${v.path} needs ${nbytes + chunkBytes} bytes (result ${nbytes}, decoded ` +
          `chunk ${chunkBytes}), more than maxBytes ${maxBytes}`,
      );
    }
    let bytes: Uint8Array;
    if (direct && strings === "none") {
      if (direct.BYTES_PER_ELEMENT !== elem) {
        throw new UnsupportedFormatError(`Element size ${elem} of ${v.path} for type ${v.type}`);
      }
      bytes = new Uint8Array(new direct(total).buffer, 0, nbytes);
    } else {
      bytes = new Uint8Array(nbytes);
    }
    const rank = shape.length;
    const fill = async () => {
      if (strings === "vlen") return;
      const f = await p.call((h) => h.fill(id));
      if (f.byteLength === elem) {
        for (let i = 0; i < nbytes; i += elem) bytes.set(f, i);
      }
    };
    // Element size to byte-swap by (0: none), unless a read path does it.
    // Compound values (no `direct` array) are swapped member by member later.
    let swap = direct && be && elem > 1 && strings === "none" ? elem : 0;
    if (kind === "contiguous") {
      const { addr, size, recSize } = lay;
      if (recSize === 0) {
        const need = shape.reduce((a, b) => a * b, 1) * elem;
        if (size < need) {
          throw new CorruptDataError(`Data of ${v.path} is shorter than its shape`, {
            byteOffset: addr,
          });
        }
        if (total > 0) {
          // Only the span from the first to the last element of the box.
          const strides = stridesOf(shape);
          let first = 0, last = 0;
          for (let i = 0; i < shape.length; i++) {
            first += start[i] * strides[i];
            last += (start[i] + count[i] - 1) * strides[i];
          }
          if (last - first + 1 === total) {
            // One run in the file: straight into the result (swapped on the way).
            await readSwapped(this.#reader, addr + first * elem, bytes, swap);
            swap = 0;
          } else {
            const region = await this.#reader.read(addr + first * elem, (last - first + 1) * elem);
            copyBox(region, shape, start, bytes, count, zeros(rank), count, elem, first * elem);
          }
        }
      } else if (total > 0) {
        await readRecords(this.#reader, addr, recSize, shape, start, count, bytes, elem, swap);
        swap = 0;
      }
    } else if (kind === "compact") {
      const b = await p.call((h) => h.compact(id));
      if (b.byteLength < shape.reduce((a, c) => a * c, 1) * elem) {
        throw new CorruptDataError(`Compact data of ${v.path} is shorter than its shape`);
      }
      copyBox(b, shape, start, bytes, count, zeros(rank), count, elem);
    } else if (kind === "chunked" && total > 0) {
      await this.#readChunks(v, id, lay, start, count, bytes, elem, fill);
    } else {
      await fill();
    }
    if (swap) swapIntoWasm(bytes, bytes, swap);
    if (strings === "fixed") {
      const d = new TextDecoder();
      const s: string[] = new Array(total);
      for (let i = 0; i < total; i++) {
        const e = bytes.subarray(i * elem, (i + 1) * elem);
        const z = e.indexOf(0);
        s[i] = d.decode(z < 0 ? e : e.subarray(0, z));
      }
      return s;
    }
    if (strings === "vlen") {
      return unpackStrings(await p.call((h) => h.vlenStrings(bytes)));
    }
    return bytes;
  }

  async #readChunks(
    v: NetCDFVariable,
    id: number,
    lay: StorageLayout,
    start: number[],
    count: number[],
    out: Uint8Array,
    elem: number,
    fill: () => Promise<void>,
  ): Promise<void> {
    const chunk = v.chunks as number[];
    const r = chunk.length;
    const { filters, params } = lay;
    for (const f of filters) {
      if (!WASM_FILTERS.has(f)) {
        throw new UnsupportedFormatError(
          `HDF5 filter ${FILTERS[f] ?? f} of ${v.path} is not supported`,
        );
      }
    }
    const list = await this.#parser.call((h) =>
      chunkTable(h.chunks(id, new Float64Array(start), new Float64Array(count)))
    );
    const offsets = list.offsets;
    // Past its HDF5 extent (a variable shorter than its unlimited dimension)
    // a variable reads as its fill value, as in netCDF-C: chunks are clipped.
    const ext = Array.from(await this.#parser.call((h) => h.extent(id)));
    const inflate = filters.includes(1) ? await inflater(this.#inflate) : undefined;
    const cbytes = chunk.reduce((a, b) => a * b, 1) * elem;
    const from = new Array<number>(r), to = new Array<number>(r), cnt = new Array<number>(r);
    // Where chunks leave gaps (never written), the fill value shows.
    let covered = 0;
    for (let k = 0; k < list.addrs.length; k++) {
      let vol = 1;
      for (let i = 0; i < r; i++) {
        const off = offsets[k * r + i];
        const hi = Math.min(off + chunk[i], start[i] + count[i], ext[i]);
        vol *= Math.max(0, hi - Math.max(off, start[i]));
      }
      covered += vol;
    }
    if (covered < count.reduce((a, b) => a * b, 1)) await fill();
    // A chunk whose last filter step is deflate and whose elements lie in one
    // run of the result inflates straight into its place (`into`).
    const direct = filters[0] === 1;
    for (let k = 0; k < list.addrs.length; k++) {
      const addr = list.addrs[k], size = list.sizes[k], mask = list.masks[k];
      const at = direct && !(mask & 1) ? runOf(offsets, k * r, chunk, start, count, ext) : -1;
      const into = at < 0 ? undefined : out.subarray(at * elem, at * elem + cbytes);
      let data = await this.#reader.read(addr, size);
      for (let i = filters.length - 1; i >= 0; i--) {
        if (mask & (1 << i)) continue;
        data = filters[i] === 1
          ? await inflate!(data, inflatedMax(filters, i, cbytes), addr, i === 0 ? into : undefined)
          : unfilterWasm(data, filters[i], elem, inflatedMax(filters, i, cbytes), params[i]);
      }
      if (data.byteLength < cbytes) {
        throw new CorruptDataError(
          `Chunk at byte ${addr} of ${v.path} holds ${data.byteLength} bytes, not ${cbytes}`,
          { byteOffset: addr },
        );
      }
      for (let i = 0; i < r; i++) {
        const off = offsets[k * r + i];
        const lo = Math.max(off, start[i]);
        const hi = Math.min(off + chunk[i], start[i] + count[i], ext[i]);
        from[i] = lo - off;
        to[i] = lo - start[i];
        cnt[i] = Math.max(0, hi - lo);
      }
      if (!inflatedInto(data, into)) copyBox(data, chunk, from, out, count, to, cnt, elem);
    }
  }

  /** Frees the parser's wasm memory. Reads fail afterwards. */
  close(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#parser.free();
      this.#onClose?.();
    }
  }

  /** Same as {@linkcode NetCDFFile.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** One typed array per compound member from `n` elements of `bytes`. */
function splitMembers(bytes: Uint8Array, members: Member[], n: number): NetCDFCompoundValues {
  const size = n > 0 ? bytes.byteLength / n : 0;
  const out: Record<string, NetCDFTypedArray> = {};
  for (const m of members) {
    const w = m.type === "float16" ? 2 : CTORS[m.type as ArrayType]?.BYTES_PER_ELEMENT ?? 1;
    const run = w * m.count;
    const b = new Uint8Array(n * run);
    for (let i = 0; i < n; i++) {
      b.set(bytes.subarray(i * size + m.offset, i * size + m.offset + run), i * run);
    }
    if (m.be && w > 1) swapIntoWasm(b, b, w);
    out[m.name] = typedFrom(m.type, b);
  }
  return out;
}

/**
 * The most bytes the deflate filter at pipeline position `i` may produce:
 * the chunk's size, plus the 4-byte checksum of each Fletcher-32 applied
 * before it, plus slack for other size-changing filters applied before it.
 */
function inflatedMax(filters: readonly number[], i: number, cbytes: number): number {
  let max = cbytes;
  for (const f of filters.slice(0, i)) {
    if (f === 3) max += 4;
    else if (f !== 2) max += Math.ceil(cbytes / 16) + 4096;
  }
  return max;
}

/** Pieces a big read is split into when its elements need swapping. */
const SWAP_PIECE = 1 << 20;

/**
 * Reads `dst.byteLength` bytes at `pos` into `dst`, swapping elements of
 * `swap` bytes (0: none) piece by piece while each is in cache, when the
 * bytes come from a file rather than memory.
 */
async function readSwapped(reader: Reader, pos: number, dst: Uint8Array, swap: number) {
  if (!swap || reader.inMemory || dst.byteLength <= SWAP_PIECE) {
    await reader.readInto(pos, dst);
    if (swap) swapIntoWasm(dst, dst, swap);
    return;
  }
  const scratch = new Uint8Array(SWAP_PIECE);
  for (let o = 0; o < dst.byteLength; o += SWAP_PIECE) {
    const n = Math.min(SWAP_PIECE, dst.byteLength - o);
    const piece = scratch.subarray(0, n);
    await reader.readInto(pos + o, piece);
    swapIntoWasm(piece, dst.subarray(o, o + n), swap);
  }
}

/** Records read per request while they are small: spans of about this many bytes. */
const RECORD_SPAN = 4 << 20;

/**
 * Reads the box `start`/`count` of a record variable (records `recSize`
 * bytes apart from `addr`) into `out`: small records many at a time, one
 * span of the file per batch, big records (or few of them) one by one.
 */
async function readRecords(
  reader: Reader,
  addr: number,
  recSize: number,
  shape: readonly number[],
  start: readonly number[],
  count: readonly number[],
  out: Uint8Array,
  elem: number,
  swap: number,
): Promise<void> {
  const inner = shape.slice(1);
  const per = inner.reduce((a, b) => a * b, 1) * elem;
  const sub = count.slice(1);
  const from = start.slice(1);
  const rowBytes = sub.reduce((a, b) => a * b, 1) * elem;
  const whole = rowBytes === per;
  // Spans only while records are small: else a span would mostly hold other variables.
  const batch = recSize >= 64 * 1024 ? 1 : Math.max(1, Math.floor(RECORD_SPAN / recSize));
  const z = zeros(sub.length);
  // One scratch buffer for all batches (fresh memory costs page faults).
  let scratch: Uint8Array | undefined;
  for (let r0 = 0; r0 < count[0]; r0 += batch) {
    const n = Math.min(batch, count[0] - r0);
    const base = addr + (start[0] + r0) * recSize;
    const len = (n - 1) * recSize + per;
    if (n === 1 && whole) {
      await readSwapped(reader, base, out.subarray(r0 * rowBytes, r0 * rowBytes + per), swap);
      continue;
    }
    let span: Uint8Array;
    if (reader.inMemory) {
      span = await reader.read(base, len);
    } else {
      scratch ??= new Uint8Array(len);
      span = scratch.subarray(0, len);
      await reader.readInto(base, span);
    }
    if (whole) {
      gather(span, recSize, per, n, out, r0 * rowBytes);
    } else {
      for (let r = 0; r < n; r++) {
        const o = r * recSize;
        const d = (r0 + r) * rowBytes;
        const rec = span.subarray(o, o + per);
        copyBox(rec, inner, from, out.subarray(d, d + rowBytes), sub, z, sub, elem);
      }
    }
    if (swap) {
      // While the batch is still in cache.
      const done = out.subarray(r0 * rowBytes, (r0 + n) * rowBytes);
      swapIntoWasm(done, done, swap);
    }
  }
}

/** Copies `n` runs of `per` bytes, `stride` apart in `src`, one after another into `dst` at `d`. */
function gather(
  src: Uint8Array,
  stride: number,
  per: number,
  n: number,
  dst: Uint8Array,
  d: number,
): void {
  if (per > 16) {
    for (let r = 0, o = 0; r < n; r++, o += stride, d += per) {
      dst.set(src.subarray(o, o + per), d);
    }
    return;
  }
  if ((src.byteOffset & 3) === 0 && (dst.byteOffset & 3) === 0 && ((stride | per | d) & 3) === 0) {
    // Word-aligned: 4 bytes per move.
    const s32 = new Uint32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
    const d32 = new Uint32Array(dst.buffer, dst.byteOffset, dst.byteLength >> 2);
    const w = per >> 2, st = stride >> 2;
    let q = d >> 2;
    if (w === 1) {
      for (let r = 0, o = 0; r < n; r++, o += st) d32[q++] = s32[o];
    } else {
      for (let r = 0, o = 0; r < n; r++, o += st) {
        for (let i = 0; i < w; i++) d32[q++] = s32[o + i];
      }
    }
    return;
  }
  for (let r = 0, o = 0; r < n; r++, o += stride) {
    for (let i = 0; i < per; i++) dst[d++] = src[o + i];
  }
}

/**
 * Where (in elements) the chunk whose offsets are `offsets[k..k + rank]` starts in the C-order box
 * `start`/`count`, when all of it lies in the box (and the extent `ext`) as
 * one run: its leading sizes 1, then any size, then the box's whole trailing
 * dimensions. Otherwise -1.
 */
function runOf(
  offsets: Float64Array,
  k: number,
  chunk: readonly number[],
  start: readonly number[],
  count: readonly number[],
  ext: readonly number[],
): number {
  let pos = 0, lead = true;
  for (let i = 0; i < chunk.length; i++) {
    const off = offsets[k + i];
    if (off < start[i] || off + chunk[i] > Math.min(start[i] + count[i], ext[i])) return -1;
    if (!lead && chunk[i] !== count[i]) return -1;
    if (chunk[i] !== 1) lead = false;
    pos = pos * count[i] + off - start[i];
  }
  return pos;
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = k;
    k *= shape[i];
  }
  return s;
}

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

function unpackStrings(b: Uint8Array): string[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = v.getUint32(0, true);
  const base = 4 + 4 * (n + 1);
  const d = new TextDecoder();
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = v.getUint32(4 + 4 * i, true), z = v.getUint32(8 + 4 * i, true);
    out[i] = d.decode(b.subarray(base + a, base + z));
  }
  return out;
}

function num(a: NetCDFAttributeValue | undefined): number[] | undefined {
  if (a === undefined || typeof a === "string" || Array.isArray(a)) return undefined;
  return Array.from(a as ArrayLike<number | bigint>, Number);
}

function cfDecode(v: NetCDFVariable, raw: NetCDFTypedArray): Float32Array | Float64Array {
  const at = v.attributes;
  const scale = num(at.scale_factor)?.[0];
  const offset = num(at.add_offset)?.[0];
  const fillAttr = num(at._FillValue);
  const fill = fillAttr?.[0] ??
    (v.type === "byte" || v.type === "ubyte" ? undefined : Number(DEFAULT_FILL[v.type] ?? NaN));
  const missing = num(at.missing_value) ?? [];
  const range = num(at.valid_range);
  const vmin = range?.[0] ?? num(at.valid_min)?.[0];
  const vmax = range?.[1] ?? num(at.valid_max)?.[0];
  const floatOut = v.type === "float" &&
    (scale === undefined || at.scale_factor instanceof Float32Array) &&
    (offset === undefined || at.add_offset instanceof Float32Array);
  const out = floatOut ? new Float32Array(raw.length) : new Float64Array(raw.length);
  const s = scale ?? 1, o = offset ?? 0;
  const f = fill === undefined ? NaN : v.type === "float" ? Math.fround(fill) : fill;
  for (let i = 0; i < raw.length; i++) {
    const x = Number(raw[i]);
    if (
      x === f || Number.isNaN(x) || missing.includes(x) || (vmin !== undefined && x < vmin) ||
      (vmax !== undefined && x > vmax)
    ) {
      out[i] = NaN;
    } else {
      out[i] = x * s + o;
    }
  }
  return out;
}

/**
 * Opens a NetCDF file (classic CDF-1, CDF-2, CDF-5, or NetCDF-4/HDF5) and
 * parses its metadata. Values are read on demand with
 * {@linkcode NetCDFFile.read}.
 *
 * @param source The file: bytes; a `{ byteLength, slice(start, end) }`
 *   source whose `slice` may answer asynchronously (HTTP range requests,
 *   see {@linkcode httpByteSource}); or, in Deno and Node, a local file — a
 *   path, a `file:` URL or an open `Deno.FsFile` / `FileHandle` — read by
 *   position, only what is needed (a file opened here is closed by
 *   {@linkcode NetCDFFile.close}).
 * @param options Inflate backend.
 * @returns The open file.
 * @throws {TypeError} When `source` is neither bytes, a byte source nor a file.
 * @throws {CarbonPortalError} When a file cannot be opened (with the cause).
 * @throws {DecodeError} When the file is corrupt, truncated, exceeds a
 *   safety limit, or uses an unsupported feature (with its byte offset).
 *
 * @example A byte source reading ranges on demand
 * ```ts
 * import { openNetCDF } from "@icoscp/icoscp/netcdf";
 * import assert from "node:assert/strict";
 *
 * const file = new Uint8Array([
 *   67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0,
 *   0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1,
 *   118, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
 *   0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0, 0,
 * ]);
 * const ranges: string[] = [];
 * const source = {
 *   byteLength: file.byteLength,
 *   slice: (a: number, b: number) => (ranges.push(`${a}-${b}`), Promise.resolve(file.slice(a, b))),
 * };
 * const nc = await openNetCDF(source);
 * assert.deepEqual(await nc.read("v", { start: [2], count: [1] }), new Int16Array([3]));
 * assert.ok(ranges.includes("84-86"));
 * ```
 *
 * @example A file by path, read by position (Deno and Node)
 * ```ts
 * import { openNetCDF } from "@icoscp/icoscp/netcdf";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/v.nc`, new Uint8Array([
 *   67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0,
 *   0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1,
 *   118, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
 *   0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0, 0,
 * ]));
 * {
 *   using nc = await openNetCDF(`${dir}/v.nc`); // closes the file at the end of the block
 *   assert.deepEqual(await nc.read("v"), new Int16Array([1, 2, 3]));
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openNetCDF(
  source: Uint8Array | ArrayBuffer | ByteSource | FileInput,
  options: OpenNetCDFOptions = {},
): Promise<NetCDFFile> {
  return await (NetCDFFile as unknown as {
    open(s: typeof source, o: OpenNetCDFOptions): Promise<NetCDFFile>;
  }).open(source, options);
}
