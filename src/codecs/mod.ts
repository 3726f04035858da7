/**
 * Writers of the formats the portal serves, shared by the library and its
 * emulator (`@icoscp/emulator`): the binary column format (cpb), NetCDF-4
 * files, and the small hashes and encodings both sides need. The library's
 * readers live in `./cpb` and `./netcdf`; this module only writes.
 *
 * @example
 * ```ts
 * import { decodeCpb } from "@icoscp/icoscp/cpb";
 * import { encodeCpb } from "@icoscp/icoscp/codecs";
 * import assert from "node:assert/strict";
 *
 * const body = encodeCpb([{ type: "FLOAT", values: [420.5, 421] }], { dictionary: false });
 * const cols = decodeCpb(body, { columns: ["FLOAT"], size: 2, labels: ["co2"] });
 * assert.deepEqual([...(cols.co2 as Float32Array)], [420.5, 421]);
 * ```
 *
 * @module
 */

export { type CpbInputColumn, encodeCpb, type EncodeCpbOptions } from "./cpb_encode.ts";
export {
  encodeNetcdf4,
  type Netcdf4AttributeValue,
  type Netcdf4Dimension,
  type Netcdf4File,
  type Netcdf4Variable,
} from "./netcdf4_writer.ts";
export { BYTE_SIZE, CPB_TYPES, type CpbType } from "../cpb/_layout.ts";
export { base64url, hashToId } from "../client/ids.ts";
export { decodeBase64 } from "../_util/base64.ts";
export { crc32 } from "../_util/crc32.ts";
