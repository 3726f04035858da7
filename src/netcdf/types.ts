/**
 * The public types of the NetCDF reader: formats, types, values, metadata
 * and options. Re-exported by `netcdf.ts` (`@icoscp/icoscp/netcdf`).
 *
 * @module
 */

import type { InflateBackend } from "./_io.ts";

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
 * Values of one member of a compound (and of the elements of a
 * variable-length sequence), one per element in C order: numbers (a typed
 * array; float16 as a Float32Array; char as a Uint8Array of bytes), strings
 * (fixed-length strings cut at the first NUL), variable-length sequences
 * (an array holding each element's values), or a nested compound (its
 * members). A member that is an HDF5 array has its values per element
 * consecutive.
 */
export type NetCDFColumn =
  | NetCDFTypedArray
  | string[]
  | NetCDFColumn[]
  | NetCDFCompoundValues;

/**
 * Values of a compound variable or attribute: one column per member, by
 * member name (a member that is itself an array has its values per element
 * consecutive), as netCDF4-python's and h5py's structured arrays hold them
 * field by field. A numeric member is a typed array, a string member
 * `string[]`, a variable-length member one array per element.
 */
export type NetCDFCompoundValues = { readonly [member: string]: NetCDFColumn };

/**
 * What {@linkcode NetCDFFile.read} returns: a typed array, strings, or for a
 * variable-length sequence variable (type `"vlen"`) one value per element —
 * a typed array of that element's numbers (what netCDF4-python and h5py give
 * as an object array of arrays), or its strings or compound members.
 */
export type NetCDFValues = NetCDFTypedArray | string[] | NetCDFColumn[];

/** A member of a compound variable. */
export interface NetCDFMember {
  /** Name. */
  readonly name: string;
  /** Type (numeric, char, `"string"`, `"vlen"` or a nested `"compound"`). */
  readonly type: NetCDFType;
  /** Values per element (more than 1 for an array member). */
  readonly count: number;
}

/**
 * An attribute value: text, several strings, or numbers; an attribute of a
 * compound type has one column per member ({@linkcode NetCDFCompoundValues},
 * also for a single value), one of a variable-length type one array per
 * element (as h5py gives them).
 */
export type NetCDFAttributeValue =
  | string
  | string[]
  | NetCDFTypedArray
  | NetCDFColumn[]
  | NetCDFCompoundValues;

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
   * Which inflate decompresses deflated chunks: `"auto"` (default) and
   * `"wasm"` use the decoder's own, which inflates straight into the chunk
   * and undoes the shuffle and the byte swap in the same wasm call (the
   * fastest in the footprint benchmark, and the same in every runtime);
   * `"node"` (`node:zlib`) and `"stream"` (`DecompressionStream`) force a
   * platform inflate.
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
   * Apply CF decoding (default false) as netCDF4-python's default
   * mask-and-scale mode: `_Unsigned = "true"` reads signed integers as
   * unsigned; values equal to `_FillValue` (or the type's default fill),
   * `missing_value` (one or several), or outside `valid_range` (else
   * `valid_min`/`valid_max`) become NaN — attributes that do not fit the
   * variable's type are ignored — then `value × scale_factor + add_offset`.
   * Numeric variables then read as a Float32Array where numpy's result is
   * float32 (a float, or a byte or short scaled by a float), else a
   * Float64Array.
   */
  decoded?: boolean;
  /**
   * Most bytes a read may decode (default 2^31): the result plus the
   * decoded chunk held while it is copied, and the total of all chunks the
   * read decodes (or 64 times the result, when that is more); a
   * {@linkcode LimitExceededError} beyond.
   */
  maxBytes?: number;
  /**
   * Stops the read (between chunks) with the signal's reason; a time budget
   * is `AbortSignal.timeout(ms)`. One chunk's decode is not interrupted: its
   * work is linear in its decoded size, at most `maxBytes`, 4 GiB, and 1100
   * times the file's size (64 MiB for smaller files) — about 0.8 s per 64
   * MiB of deflated chunk in the wasm inflate — so a lower `maxBytes` bounds
   * the longest step. Variable-length values decode in one step of at most
   * `maxBytes`.
   */
  signal?: AbortSignal;
}
