// Private: files written atomically, and the temporaries a killed run left
// removed.

import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { wrapIo } from "./_part_writer.ts";

/** Removes temporary files a killed run left (they are never part of the dataset). */
export function removeTemporaries(dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) removeTemporaries(p);
    else if (e.name.endsWith(".tmp")) rmSync(p, { force: true });
  }
}

/**
 * Writes the concatenated `pieces` (text, or UTF-8 bytes) to `path` atomically (temporary
 * name, then rename), encoded into one reused megabyte: a large text is
 * never held whole in memory, nor copied.
 */
export function writeAtomic(path: string, pieces: Iterable<string | Uint8Array>): void {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  const enc = new TextEncoder();
  const buf = new Uint8Array(1 << 20);
  let fd: number | undefined;
  let used = 0;
  const write = (bytes: Uint8Array) => {
    for (let off = 0; off < bytes.length;) off += writeSync(fd!, bytes, off, bytes.length - off);
  };
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(tmp, "w");
    for (const piece of pieces) {
      // a UTF-16 code unit is at most 3 bytes of UTF-8
      const most = typeof piece === "string" ? piece.length * 3 : piece.length;
      if (used + most > buf.length) {
        write(buf.subarray(0, used));
        used = 0;
      }
      if (most > buf.length) write(typeof piece === "string" ? enc.encode(piece) : piece);
      else if (typeof piece === "string") used += enc.encodeInto(piece, buf.subarray(used)).written;
      else {
        buf.set(piece, used);
        used += piece.length;
      }
    }
    write(buf.subarray(0, used));
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw wrapIo(e, `writing ${path}`);
  }
}
