// Private: an object's rows read back from the parts that hold them, so a
// rerun that must rewrite a part makes no data request for objects it has.

import { asyncBufferFromFile, parquetReadObjects } from "npm:hyparquet@1.31.5";
import { join } from "node:path";
import type { PartColumn } from "./_part_writer.ts";
import type { PartRecord } from "./_manifest.ts";
import type { MirrorCompression } from "./_part_writer.ts";

async function decompressors(compression: MirrorCompression) {
  if (compression !== "zstd") return undefined;
  const zlib = await import("node:zlib");
  // deno-lint-ignore no-explicit-any
  const zstd = (zlib as any).zstdDecompressSync as (b: Uint8Array) => Uint8Array;
  return { ZSTD: (input: Uint8Array) => new Uint8Array(zstd(input)) };
}

/** The stored values of `pid`'s rows in `parts`, by column name (plus `pid`). */
export async function readPartRows(
  out: string,
  parts: readonly PartRecord[],
  pid: string,
  columns: readonly PartColumn[],
  compression: MirrorCompression,
): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = Object.create(null);
  for (const c of columns) result[c.name] = [];
  result.pid = [];
  const compressors = await decompressors(compression);
  for (const part of parts) {
    if (!part.pids.includes(pid)) continue;
    const file = await asyncBufferFromFile(join(out, part.path));
    // only the row groups (station-height-years) that hold the object
    let at = 0;
    for (const g of part.rowGroups) {
      const start = at;
      at += g.rows;
      if (!g.pids.includes(pid)) continue;
      const rows = await parquetReadObjects(
        {
          file,
          rowStart: start,
          rowEnd: start + g.rows,
          columns: [...columns.map((c) => c.name), "pid"],
          compressors,
          utf8: true,
        } as Parameters<typeof parquetReadObjects>[0],
      ) as Record<string, unknown>[];
      for (const r of rows) {
        if (r.pid !== pid) continue;
        for (const c of columns) {
          const v = r[c.name];
          result[c.name].push(
            v === undefined || v === null
              ? null
              : v instanceof Date
              ? v.getTime()
              : typeof v === "bigint"
              ? Number(v)
              : v,
          );
        }
        result.pid.push(pid);
      }
    }
  }
  return result;
}
