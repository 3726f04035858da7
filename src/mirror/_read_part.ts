// Private: an object's rows read back from the parts that hold them, so a
// rerun that must rewrite a part makes no data request for objects it has.

import { parquetReadObjects } from "npm:hyparquet@1.31.5";
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

/**
 * A part file as hyparquet's `AsyncBuffer`, read by position. (hyparquet's
 * `asyncBufferFromFile` is in its Node entry only: importing it broke every
 * browser bundle of the library, workerd's included.)
 */
async function fileBuffer(path: string) {
  const { open } = await import("node:fs/promises");
  const handle = await open(path);
  const { size } = await handle.stat();
  const file = {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const out = new Uint8Array(Math.max(0, end - start));
      for (let at = 0; at < out.length;) {
        const { bytesRead } = await handle.read(out, at, out.length - at, start + at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return out.buffer;
    },
  };
  return { file, close: () => handle.close() };
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
    const { file, close } = await fileBuffer(join(out, part.path));
    try {
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
    } finally {
      await close();
    }
  }
  return result;
}
