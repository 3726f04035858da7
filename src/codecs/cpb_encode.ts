/**
 * Writing cpb tables: the inverse of {@linkcode decodeCpb}, for tests,
 * fixtures and the emulator.
 *
 * @module
 */

import { BYTE_SIZE, CPB_TYPES, type CpbType } from "../cpb/_layout.ts";
import { encodeDictionary } from "../cpb/_java_strings.ts";
import { InvalidArgumentError } from "../errors.ts";
import { checkOptions, list } from "../_util/args.ts";

/** One column to encode: its type and values (numbers, or strings for STRING). */
export interface CpbInputColumn {
  /** The stored type. */
  readonly type: CpbType;
  /** The values: numbers for numeric types (CHAR as UTF-16 code units), strings for STRING. */
  readonly values: ArrayLike<number> | readonly string[];
}

/** Options of {@linkcode encodeCpb}. */
export interface EncodeCpbOptions {
  /** Append the string dictionary, as a `.cpb` file has (a `/cpb` response has none). Default true. */
  dictionary?: boolean;
}

/**
 * Encodes columns as a cpb table: column after column, big-endian, then (for
 * a file) the string dictionary of the STRING columns, with indices assigned
 * in order of first appearance like the portal does.
 *
 * @param columns The columns, all of the same length.
 * @param options Whether to append the dictionary.
 * @returns The encoded bytes.
 * @throws {InvalidArgumentError} When types are unknown, lengths differ or values do not fit their type.
 *
 * @example The empty dictionary of a table without strings
 * ```ts
 * import { encodeCpb } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const file = encodeCpb([{ type: "INT", values: [1, 2] }]);
 * assert.deepEqual(Array.from(file.subarray(8)), [0xAC, 0xED, 0x00, 0x05, 0x77, 0x04, 0, 0, 0, 0]);
 * ```
 */
export function encodeCpb(
  columns: readonly CpbInputColumn[],
  options: EncodeCpbOptions = {},
): Uint8Array {
  options = checkOptions("encodeCpb", options, { dictionary: true });
  columns = list("encodeCpb", "columns", columns);
  const rows = columns.length ? columns[0].values.length : 0;
  let size = 0;
  for (const [i, c] of columns.entries()) {
    if (!(CPB_TYPES as readonly string[]).includes(c.type)) {
      throw new InvalidArgumentError(`Column ${i} has unknown type ${String(c.type)}`);
    }
    if (c.values.length !== rows) {
      throw new InvalidArgumentError(
        `Column ${i} has ${c.values.length} values, column 0 has ${rows}`,
      );
    }
    size += rows * BYTE_SIZE[c.type];
  }
  const strings: string[] = [];
  const index = new Map<string, number>();
  const data = new Uint8Array(size);
  const dv = new DataView(data.buffer);
  let pos = 0;
  for (const [i, c] of columns.entries()) {
    const v = c.values;
    for (let r = 0; r < rows; r++) {
      const x = v[r];
      if (c.type === "STRING") {
        if (typeof x !== "string") {
          throw new InvalidArgumentError(`Column ${i} row ${r} is not a string`);
        }
        let k = index.get(x);
        if (k === undefined) {
          k = strings.length;
          index.set(x, k);
          strings.push(x);
        }
        dv.setInt32(pos, k);
        pos += 4;
        continue;
      }
      if (typeof x !== "number") {
        throw new InvalidArgumentError(`Column ${i} row ${r} is not a number`);
      }
      switch (c.type) {
        case "DOUBLE":
          dv.setFloat64(pos, x);
          break;
        case "FLOAT":
          dv.setFloat32(pos, x);
          break;
        case "INT":
          dv.setInt32(pos, x);
          break;
        case "SHORT":
          dv.setInt16(pos, x);
          break;
        case "CHAR":
          dv.setUint16(pos, x);
          break;
        case "BYTE":
          dv.setInt8(pos, x);
          break;
      }
      pos += BYTE_SIZE[c.type];
    }
  }
  if (options.dictionary === false) return data;
  const trailer = encodeDictionary(strings);
  const out = new Uint8Array(size + trailer.length);
  out.set(data);
  out.set(trailer, size);
  return out;
}
