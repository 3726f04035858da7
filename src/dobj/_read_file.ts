// Private: `Dobj.readFile`: the original file parsed by its format's parser
// (a large NetCDF object read in place).

import { checkOptions } from "../_util/args.ts";
import { READ_FILE_KEYS, type ReadFileOptions } from "./_options.ts";
import type { Dobj } from "./dobj.ts";
import type { ObjectRef } from "./_originals.ts";
import { NoParserError } from "../errors.ts";
import type { OriginalTable } from "../originals/types.ts";

/** NetCDF objects larger than this are read in place by `readFile` (not downloaded whole). */
export const IN_PLACE_BYTES = 16 * 1024 * 1024;

/** Implementation of `Dobj.readFile` (`ref`: what the original-file helpers need to know of `d`). */
export async function readFileOf(
  d: Dobj,
  ref: ObjectRef,
  options: ReadFileOptions,
): Promise<OriginalTable> {
  options = checkOptions("readFile", options, READ_FILE_KEYS);
  const { readOriginal, PARSED_FORMATS } = await import("../originals/read_original.ts");
  if (!PARSED_FORMATS.includes(ref.format)) throw new NoParserError(ref.format, ref.fileName);
  if (/^netcdf/.test(ref.format) && (d.size ?? 0) > IN_PLACE_BYTES) {
    // a large NetCDF object: only its one-dimensional variables, read in place
    const { parseNetCDFTable } = await import("../originals/netcdf_table.ts");
    const source = await d.byteSource({
      acceptLicence: options.acceptLicence,
      signal: options.signal,
    });
    return await parseNetCDFTable(source, { fileName: ref.fileName });
  }
  const bytes = new Uint8Array(
    await new Response(
      d.fileStream({ acceptLicence: options.acceptLicence, signal: options.signal }),
    ).arrayBuffer(),
  );
  return await readOriginal(bytes, {
    format: ref.format,
    fileName: ref.fileName,
    utcOffsetHours: options.utcOffsetHours,
  });
}
