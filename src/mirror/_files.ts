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
 * Writes the concatenated `pieces` of text to `path` atomically (temporary
 * name, then rename), about a megabyte at a time: a large text is never
 * held whole in memory.
 */
export function writeAtomic(path: string, pieces: Iterable<string>): void {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  const enc = new TextEncoder();
  let fd: number | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(tmp, "w");
    let buf: string[] = [];
    let size = 0;
    const flush = () => {
      const bytes = enc.encode(buf.join(""));
      for (let off = 0; off < bytes.length;) off += writeSync(fd!, bytes, off, bytes.length - off);
      buf = [];
      size = 0;
    };
    for (const piece of pieces) {
      buf.push(piece);
      size += piece.length;
      if (size >= 1 << 20) flush();
    }
    flush();
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw wrapIo(e, `writing ${path}`);
  }
}
