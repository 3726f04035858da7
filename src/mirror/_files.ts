// Private: files written atomically, and the temporaries a killed run left
// removed.

import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/** Writes `text` to `path` atomically (temporary name, then rename). */
export function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw wrapIo(e, `writing ${path}`);
  }
}
