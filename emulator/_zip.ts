// Private: a minimal ZIP archive writer (PKWARE APPNOTE 6.3: local headers,
// central directory, end record; no ZIP64, so archives stay below 4 GiB).
// Entries are stored or raw-deflated with node:zlib; times are DOS times of
// the given UTC instant.

import { deflateRawSync } from "node:zlib";
import { crc32 } from "@icoscp/icoscp/codecs";

export { crc32 };

/** One file of the archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  name: string;
  /** Content. */
  data: Uint8Array;
  /** Modification time (written as a DOS date-time in UTC). */
  modified: Date;
}

/** How entries are compressed: stored as is, or deflated at a zlib level (0–9). */
export type ZipMethod = { kind: "store" } | { kind: "deflate"; level: number };

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** Builds a ZIP archive of the entries, in order. */
export function zipArchive(
  entries: readonly ZipEntry[],
  method: ZipMethod,
): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = encoder.encode(e.name);
    const utf8Flag = /^[\x20-\x7e]*$/.test(e.name) ? 0 : 0x0800;
    const body = method.kind === "store"
      ? e.data
      : new Uint8Array(deflateRawSync(e.data, { level: method.level }));
    const methodId = method.kind === "store" ? 0 : 8;
    const crc = crc32(e.data);
    const { time, date } = dosTime(e.modified);
    if (body.length >= 0xffffffff || e.data.length >= 0xffffffff) {
      throw new RangeError(`Zip entry ${e.name} is too large for a non-ZIP64 archive`);
    }
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, utf8Flag, true);
    lv.setUint16(8, methodId, true);
    lv.setUint16(10, time, true);
    lv.setUint16(12, date, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, 0, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, utf8Flag, true);
    cv.setUint16(10, methodId, true);
    cv.setUint16(12, time, true);
    cv.setUint16(14, date, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + end.length);
  let pos = 0;
  for (const p of [...parts, ...central, end]) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** A stored (uncompressed) archive; `time` is each entry's modification time (used by dataset.ts). */
export function zipStored(
  entries: readonly { name: string; data: Uint8Array; time: Date }[],
): Uint8Array<ArrayBuffer> {
  return zipArchive(entries.map((e) => ({ name: e.name, data: e.data, modified: e.time })), {
    kind: "store",
  });
}
