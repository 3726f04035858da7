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

import { checkOptions, text } from "../_util/args.ts";
import { loadNetcdfDecoder, swapIntoWasm } from "../_wasm/decoder.ts";
import { InvalidArgumentError, UnsupportedFormatError } from "../errors.ts";
import { cfDecode } from "./_cf.ts";
import { copyBox } from "./_chunk_plan.ts";
import {
  type FileInput,
  fileSource,
  isFileInput,
  type PositionalFile,
  type SeekableFile,
} from "./_file_source.ts";
import { type ByteSource, type InflateBackend, Parser, Reader } from "./_io.ts";
import { FORMATS, group, Unpack, type VarEntry } from "./_metadata.ts";
import { zeros } from "./_read.ts";
import { type Decoded, readRaw } from "./_read_raw.ts";
import {
  type ArrayCtor,
  type ArrayType,
  CTORS,
  splitMembers,
  typedFrom,
  unpackBits,
} from "./_values.ts";
import type {
  NetCDFAttributeValue,
  NetCDFCompoundValues,
  NetCDFDimension,
  NetCDFFormat,
  NetCDFGroup,
  NetCDFTypedArray,
  NetCDFValues,
  NetCDFVariable,
  OpenNetCDFOptions,
  ReadOptions,
} from "./types.ts";
export {
  type HttpByteSource,
  httpByteSource,
  type HttpByteSourceOptions,
  type HttpByteSourceStats,
} from "./http_byte_source.ts";
export type { ByteSource, FileInput, InflateBackend, PositionalFile, SeekableFile };
export type {
  NetCDFAttributeValue,
  NetCDFColumn,
  NetCDFCompoundValues,
  NetCDFDimension,
  NetCDFFormat,
  NetCDFGroup,
  NetCDFMember,
  NetCDFType,
  NetCDFTypedArray,
  NetCDFValues,
  NetCDFVariable,
  OpenNetCDFOptions,
  ReadOptions,
} from "./types.ts";

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
    options: OpenNetCDFOptions = {},
  ): Promise<NetCDFFile> {
    options = checkOptions("openNetCDF", options, { inflate: true });
    if (input === undefined || input === null) {
      throw new InvalidArgumentError(
        "openNetCDF",
        "source",
        input,
        "bytes, a path, a URL or a byte source",
      );
    }
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
    await loadNetcdfDecoder(); // the full wasm, imported on the first NetCDF read
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
   * @throws {InvalidArgumentError} When there is no such variable.
   */
  variable(path: string): NetCDFVariable {
    text("variable", "path", path);
    const e = this.#index.get(path.replace(/^\//, ""));
    if (!e) throw new InvalidArgumentError(`No variable ${JSON.stringify(path)} in this file`);
    return e.variable;
  }

  /**
   * Reads a variable, or a hyperslab of it, in C order.
   *
   * @param path Variable path (see {@linkcode NetCDFFile.variable}).
   * @param options `start`, `count`, `decoded`, `maxBytes`.
   * @returns A typed array of the variable's type (char: Uint8Array;
   *   string: `string[]`, also for an HDF5 array of strings, its values
   *   per element consecutive), or CF-decoded floats with `decoded: true`;
   *   for a variable-length sequence (type `"vlen"`) one value per element,
   *   as netCDF4-python and h5py give an object array: a typed array of the
   *   element's numbers (`decoded` does not apply), its strings, or its
   *   compound members.
   * @throws {InvalidArgumentError} For an unknown variable or a box outside it.
   * @throws {DecodeError} When the file is corrupt, truncated or uses an unsupported feature;
   *   an `UnsupportedFormatError` for a compound variable (use {@linkcode NetCDFFile.readCompound}).
   */
  async read(path: string, options: ReadOptions = {}): Promise<NetCDFValues> {
    options = checkOptions("read", options, {
      start: true,
      count: true,
      decoded: true,
      maxBytes: true,
      signal: true,
    });
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
   * A string member (fixed- or variable-length) reads as `string[]`, a
   * variable-length member as one array per element, a nested compound as
   * its own members (see {@linkcode NetCDFCompoundValues}).
   *
   * @param path Variable path (see {@linkcode NetCDFFile.variable}).
   * @param options `start`, `count`, `maxBytes` (`decoded` does not apply).
   * @returns The members' values, by member name.
   * @throws {InvalidArgumentError} For an unknown or non-compound variable or a box outside it.
   * @throws {DecodeError} When the file is corrupt or a member type is not read.
   */
  async readCompound(
    path: string,
    options: Omit<ReadOptions, "decoded"> = {},
  ): Promise<NetCDFCompoundValues> {
    const v = this.variable(path);
    if (v.type !== "compound") {
      throw new InvalidArgumentError(
        `${v.path} is not a compound variable (type ${v.type}): use read()`,
      );
    }
    return await this.#read(path, { ...options, decoded: false }) as NetCDFCompoundValues;
  }

  async #read(
    path: string,
    options: ReadOptions,
  ): Promise<NetCDFValues | NetCDFCompoundValues> {
    if (this.#closed) throw new InvalidArgumentError("The NetCDF file is closed");
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new InvalidArgumentError("read", "signal", options.signal, "an AbortSignal");
    }
    const entry = this.#index.get(path.replace(/^\//, ""));
    if (!entry) this.variable(path);
    const { variable: v, id, arrayDims, members, bits } = entry!;
    const rank = v.shape.length;
    const start = options.start ? [...options.start] : new Array<number>(rank).fill(0);
    const count = options.count ? [...options.count] : v.shape.map((s, i) => s - (start[i] ?? 0));
    if (start.length !== rank || count.length !== rank) {
      throw new InvalidArgumentError(`start and count need ${rank} values for ${v.path}`);
    }
    for (let i = 0; i < rank; i++) {
      if (
        !Number.isSafeInteger(start[i]) || !Number.isSafeInteger(count[i]) || start[i] < 0 ||
        count[i] < 0 || start[i] + count[i] > v.shape[i]
      ) {
        throw new InvalidArgumentError(
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
      options.signal,
    );
    if (Array.isArray(raw)) return raw;
    if (!(raw instanceof Uint8Array)) {
      // sequences, compounds with strings or sequences, arrays of strings
      const inner = v.shape.slice(r);
      if (!inner.some((n, i) => start[r + i] !== 0 || count[r + i] !== n)) {
        return raw.column as NetCDFValues | NetCDFCompoundValues;
      }
      const all = raw.column as unknown[];
      const idx = Uint32Array.from(all.keys());
      const pick = new Uint32Array(count.reduce((a, b) => a * b, 1));
      copyBox(
        new Uint8Array(idx.buffer),
        [...count.slice(0, r), ...inner],
        [...zeros(r), ...start.slice(r)],
        new Uint8Array(pick.buffer),
        count,
        zeros(rank),
        count,
        4,
      );
      return Array.from(pick, (i) => all[i]) as NetCDFValues;
    }
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
    // integers of reduced precision (H5Tset_precision/H5Tset_offset)
    if (bits && ArrayBuffer.isView(values)) values = unpackBits(values, bits[0], bits[1]);
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
    signal?: AbortSignal,
  ): Promise<Uint8Array | string[] | Decoded> {
    return await readRaw(
      { parser: this.#parser, reader: this.#reader, inflate: this.#inflate, be: this.#be },
      v,
      id,
      shape,
      start,
      count,
      maxBytes,
      direct,
      signal,
    );
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
 * @throws {InvalidArgumentError} When `source` is neither bytes, a byte source nor a file.
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
