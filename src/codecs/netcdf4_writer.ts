/**
 * A NetCDF-4 writer in plain TypeScript: footprint files (`Footprints.toNetCDF()`,
 * `icoscp stilt fp --nc`, and the emulator's STILT service, docs/protocol.md
 * §7.5) written the way netCDF-C lays them out in HDF5, so `ncdump`,
 * `h5dump`, netCDF4-python, h5py and xarray read them as ordinary NetCDF-4
 * files.
 *
 * Scope: one (root) group; dimensions, each backed by a coordinate variable
 * of the same name (netCDF-4 dimension scales with `CLASS`, `NAME`,
 * `REFERENCE_LIST`, `_Netcdf4Dimid`, and `DIMENSION_LIST` on the other
 * variables); unlimited dimensions; `double`, `float` and `int` variables,
 * contiguous or chunked, optionally deflated; text, double and int
 * attributes; `_FillValue`.
 *
 * @module
 */

import { encodeHdf5, type H5Attribute, type H5Dataset, type H5NumberType } from "./_hdf5_writer.ts";
import { InvalidArgumentError } from "../errors.ts";
import { checkOptions, list } from "../_util/args.ts";

/** A dimension of a NetCDF-4 file. */
export interface Netcdf4Dimension {
  /** Name; a variable of the same name with this single dimension must exist. */
  name: string;
  /** Current length. */
  size: number;
  /** Whether the dimension is unlimited (record dimension). */
  unlimited?: boolean;
}

/**
 * An attribute value: a string is a text (`char`) attribute, a number or
 * number array a `double` attribute, an `Int32Array` an `int` attribute.
 */
export type Netcdf4AttributeValue = string | number | readonly number[] | Int32Array;

/** A variable of a NetCDF-4 file. */
export interface Netcdf4Variable {
  /** Name. */
  name: string;
  /** NetCDF type. */
  type: "double" | "float" | "int";
  /** Dimension names, slowest first. */
  dimensions: readonly string[];
  /** All values in C order (length = product of the dimension sizes). */
  data: ArrayLike<number>;
  /** Attributes in definition order; `_FillValue` also sets the HDF5 fill value. */
  attributes?: Readonly<Record<string, Netcdf4AttributeValue>>;
  /**
   * Chunk shape. Default: contiguous, unless the variable uses an unlimited
   * dimension (then 1 along unlimited dimensions, full length along the
   * others, and 4096 bytes for one-dimensional record variables) or is deflated.
   */
  chunkSizes?: readonly number[];
  /** zlib level 1–9 of the deflate filter; absent = not compressed. */
  deflateLevel?: number;
}

/** The content of a NetCDF-4 file. */
export interface Netcdf4File {
  /** Dimensions; their order gives the dimension ids. */
  dimensions: readonly Netcdf4Dimension[];
  /** Variables; their order gives the variable ids. */
  variables: readonly Netcdf4Variable[];
  /** Global attributes in definition order. */
  attributes?: Readonly<Record<string, Netcdf4AttributeValue>>;
}

const TYPES: Record<Netcdf4Variable["type"], H5NumberType> = {
  double: "f64",
  float: "f32",
  int: "i32",
};

// netCDF-C's default fill values (NC_FILL_DOUBLE, NC_FILL_FLOAT, NC_FILL_INT).
const DEFAULT_FILL: Record<Netcdf4Variable["type"], number> = {
  double: 9.969209968386869e36,
  float: 9.969209968386869e36,
  int: -2147483647,
};

function toH5Attribute(name: string, value: Netcdf4AttributeValue): H5Attribute {
  if (typeof value === "string") return { name, value: { kind: "string", text: value } };
  if (typeof value === "number") {
    return { name, value: { kind: "number", type: "f64", values: [value] } };
  }
  if (value instanceof Int32Array) {
    return { name, value: { kind: "number", type: "i32", values: Array.from(value) } };
  }
  return { name, value: { kind: "number", type: "f64", values: [...value] } };
}

function ascii(name: string, text: string, nullTerminated: boolean): H5Attribute {
  return { name, value: { kind: "string", text, charset: "ascii", nullTerminated } };
}

/**
 * Encodes a NetCDF-4 file (HDF5 superblock version 0, netCDF-4 dimension
 * scales) as bytes.
 *
 * @param file Dimensions, variables and global attributes.
 * @returns The bytes of the `.nc` file.
 * @throws {InvalidArgumentError} When a dimension has no coordinate variable, a variable
 * names an unknown dimension, or its data length does not match its shape.
 *
 * @example A one-variable file starts with the HDF5 signature
 * ```ts
 * import { encodeNetcdf4 } from "./netcdf4_writer.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeNetcdf4({
 *   dimensions: [{ name: "time", size: 2, unlimited: true }],
 *   variables: [{
 *     name: "time",
 *     type: "double",
 *     dimensions: ["time"],
 *     data: [4725.75, 4725.875],
 *     attributes: { units: "days since 2000-01-01 00:00:00 UTC" },
 *   }],
 *   attributes: { backtime: "240 hours" },
 * });
 * assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x48, 0x44, 0x46]); // "\x89HDF"
 * ```
 */
export function encodeNetcdf4(file: Netcdf4File): Uint8Array {
  file = checkOptions("encodeNetcdf4", file, {
    dimensions: true,
    variables: true,
    attributes: true,
  });
  list("encodeNetcdf4", "dimensions", file.dimensions);
  list("encodeNetcdf4", "variables", file.variables);
  const dims = new Map(file.dimensions.map((d, i) => [d.name, { ...d, id: i }]));
  const varIndex = new Map(file.variables.map((v, i) => [v.name, i]));
  for (const d of file.dimensions) {
    const v = file.variables[varIndex.get(d.name) ?? -1];
    if (!v || v.dimensions.length !== 1 || v.dimensions[0] !== d.name) {
      throw new InvalidArgumentError(
        `Dimension ${d.name} needs a coordinate variable ${d.name}(${d.name}); this writer writes no bare dimensions`,
      );
    }
  }
  const datasets: H5Dataset[] = file.variables.map((v, vi) => {
    const shape = v.dimensions.map((name) => {
      const d = dims.get(name);
      if (!d) throw new InvalidArgumentError(`Variable ${v.name} uses unknown dimension ${name}`);
      return d;
    });
    const sizes = shape.map((d) => d.size);
    const expected = sizes.reduce((a, b) => a * b, 1);
    if (v.data.length !== expected) {
      throw new InvalidArgumentError(
        `Variable ${v.name} has ${v.data.length} values, its shape [${
          sizes.join(", ")
        }] needs ${expected}`,
      );
    }
    const hasUnlimited = shape.some((d) => d.unlimited);
    let chunks = v.chunkSizes;
    if (!chunks && (hasUnlimited || v.deflateLevel !== undefined)) {
      chunks = shape.length === 1 && hasUnlimited
        ? [Math.max(1, Math.floor(4096 / (v.type === "double" ? 8 : 4)))]
        : shape.map((d) => (d.unlimited ? 1 : Math.max(1, d.size)));
    }
    if (chunks && chunks.length !== shape.length) {
      throw new InvalidArgumentError(
        `Variable ${v.name}: chunkSizes must have ${shape.length} entries`,
      );
    }
    const attributes: H5Attribute[] = Object.entries(v.attributes ?? {}).map(([n, value]) =>
      toH5Attribute(n, value)
    );
    const fillAttr = v.attributes?.["_FillValue"];
    const fillValue = typeof fillAttr === "number"
      ? fillAttr
      : fillAttr instanceof Int32Array || Array.isArray(fillAttr)
      ? (fillAttr as ArrayLike<number>)[0]
      : DEFAULT_FILL[v.type];
    if (fillAttr !== undefined && v.type === "int") {
      attributes[Object.keys(v.attributes!).indexOf("_FillValue")] = {
        name: "_FillValue",
        value: { kind: "number", type: "i32", values: [fillValue] },
      };
    } else if (fillAttr !== undefined && v.type === "float") {
      attributes[Object.keys(v.attributes!).indexOf("_FillValue")] = {
        name: "_FillValue",
        value: { kind: "number", type: "f32", values: [fillValue] },
      };
    }
    const isScale = dims.has(v.name);
    if (isScale) {
      const users = file.variables.flatMap((u, ui) =>
        ui === vi
          ? []
          : u.dimensions.flatMap((dn, k) =>
            dn === v.name ? [{ dataset: { dataset: ui }, dimension: k }] : []
          )
      );
      attributes.push(ascii("CLASS", "DIMENSION_SCALE", true));
      attributes.push(ascii("NAME", v.name, true));
      attributes.push({
        name: "_Netcdf4Dimid",
        value: { kind: "number", type: "i32", values: [dims.get(v.name)!.id], scalar: true },
      });
      if (users.length > 0) {
        attributes.push({
          name: "REFERENCE_LIST",
          value: { kind: "referenceList", entries: users },
        });
      }
    } else if (shape.length > 0) {
      attributes.push({
        name: "DIMENSION_LIST",
        value: {
          kind: "dimensionList",
          scales: v.dimensions.map((dn) => [{ dataset: varIndex.get(dn)! }]),
        },
      });
    }
    return {
      name: v.name,
      type: TYPES[v.type],
      dims: sizes,
      maxDims: shape.map((d) => (d.unlimited ? null : d.size)),
      data: v.data,
      chunks,
      deflateLevel: v.deflateLevel,
      fillValue,
      attributes,
    };
  });
  const attributes = Object.entries(file.attributes ?? {}).map(([n, value]) =>
    toH5Attribute(n, value)
  );
  return encodeHdf5({ attributes, datasets });
}
