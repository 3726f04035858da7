/**
 * The portal's binary column format (cpb): decoding with the wasm or TypeScript engine, and encoding.
 *
 * @module
 */

export {
  type CpbColumn,
  type CpbColumns,
  type CpbEngine,
  cpbEngine,
  type CpbInputColumn,
  type CpbSchema,
  type CpbSlice,
  type CpbType,
  decodeCpb,
  decodeCpbFile,
  type DecodeCpbOptions,
  decodeCpbStream,
  encodeCpb,
  type EncodeCpbOptions,
} from "./cpb.ts";
