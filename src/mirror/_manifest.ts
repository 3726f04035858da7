// Private: the mirror's manifest: each object's state and each spec's parts,
// written atomically (temporary name, then rename) after every finished spec.

import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import { MirrorError } from "../errors.ts";
import type { ObjectInfo, PackedInfo } from "./_objects.ts";
import type { MirrorCompression } from "./_part_writer.ts";
import { writeAtomic } from "./_files.ts";

/** One row group of a part: one station-height-year. */
export interface RowGroupRecord {
  station: string;
  samplingHeight: number | null;
  year: number;
  rows: number;
  /** The objects whose rows it holds. */
  pids: string[];
}

/** A part of the dataset. */
export interface PartRecord {
  /** Path relative to the dataset's folder. */
  path: string;
  rows: number;
  bytes: number;
  /** The objects whose rows it holds. */
  pids: string[];
  rowsByPid: Record<string, number>;
  rowGroups: RowGroupRecord[];
}

/** An object's state. */
export interface ObjectRecord {
  /** `fetched`: its rows are in `parts`; `noColumns`: it has no table (NetCDF, spatial, a document). */
  state: "fetched" | "noColumns";
  rows: number;
  parts: string[];
  /** The original file, relative to the dataset's folder, once downloaded and verified. */
  original?: string;
  /** Packed while a run keeps it (written the same), as read from a manifest otherwise. */
  info: ObjectInfo | PackedInfo;
}

/**
 * The manifest of a dataset (one per shard). Its records (`specs[s]`,
 * `objects[pid]`) are replaced when they change, never changed in place
 * (a rewrite copies an unchanged record's text from the file).
 */
export interface Manifest {
  format: "icoscp-mirror/1";
  compression: MirrorCompression;
  shard: [number, number] | null;
  specs: Record<string, { key: string; parts: PartRecord[] }>;
  objects: Record<string, ObjectRecord>;
}

/** Reads the manifest, or a new one; refuses one written with other settings. */
export function readManifest(
  path: string,
  settings: { compression: MirrorCompression; shard?: readonly [number, number] },
): Manifest {
  const shard = settings.shard && settings.shard[1] > 1
    ? [settings.shard[0], settings.shard[1]] as [number, number]
    : null;
  if (!existsSync(path)) {
    return {
      format: "icoscp-mirror/1",
      compression: settings.compression,
      shard,
      specs: Object.create(null),
      objects: Object.create(null),
    };
  }
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new MirrorError(`The mirror's manifest ${path} cannot be read: remove it to start over`, {
      cause: e,
    });
  }
  if (
    m?.format !== "icoscp-mirror/1" || typeof m.specs !== "object" || typeof m.objects !== "object"
  ) {
    throw new MirrorError(`${path} is not a manifest of icoscp mirror`);
  }
  if (m.compression !== settings.compression) {
    throw new MirrorError(
      `This dataset was written with ${m.compression} compression; run with compression ${m.compression} or into another folder`,
    );
  }
  m.specs = Object.assign(Object.create(null), m.specs);
  m.objects = Object.assign(Object.create(null), m.objects);
  return m;
}

/** The manifest file a run wrote last: the same file when these are unchanged. */
interface WrittenFile {
  ino: number | null;
  size: number;
  mtimeMs: number;
}

/** By manifest: the file last written, and where each record's text lies in it. */
const written = new WeakMap<Manifest, { file: WrittenFile; at: WeakMap<object, number[]> }>();
const encoder = new TextEncoder();

function recordBytes(v: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(v, null, 1).replaceAll("\n", "\n  "));
}

/**
 * The bytes of `JSON.stringify(m, null, 1)` with the keys of `specs` and
 * `objects` sorted, in pieces of one entry each (a manifest of many objects
 * is never one string). A record placed in the file last written (`old`) is
 * copied from it (records are replaced, never changed in place); where each
 * record lands is noted in `at`.
 */
function* manifestBytes(
  m: Manifest,
  old:
    | { copy: (start: number, end: number) => Uint8Array; at: WeakMap<object, number[]> }
    | undefined,
  at: WeakMap<object, number[]>,
): Generator<Uint8Array> {
  let pos = 0;
  const out = (b: Uint8Array) => {
    pos += b.length;
    return b;
  };
  const text = (s: string) => out(encoder.encode(s));
  let first = true;
  for (const [k, v] of Object.entries(m)) {
    if (v === undefined) continue;
    yield text(`${first ? "{\n " : ",\n "}${JSON.stringify(k)}: `);
    first = false;
    if (k === "specs" || k === "objects") {
      const entries = Object.keys(v).sort().filter((e) => v[e] !== undefined);
      let i = 0;
      for (const e of entries) {
        yield text(`${i++ ? ",\n  " : "{\n  "}${JSON.stringify(e)}: `);
        const r = v[e];
        const range = old && typeof r === "object" && r !== null ? old.at.get(r) : undefined;
        const start = pos;
        yield out(range ? old!.copy(range[0], range[1]) : recordBytes(r));
        if (typeof r === "object" && r !== null) at.set(r, [start, pos]);
      }
      yield text(i ? "\n }" : "{}");
    } else {
      yield text(JSON.stringify(v, null, 1).replaceAll("\n", "\n "));
    }
  }
  yield text(first ? "{}\n" : "\n}\n");
}

function fileOf(st: { ino: number | null; size: number; mtimeMs: number }): WrittenFile {
  return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
}

/**
 * Writes the manifest atomically, its keys sorted so the same state gives
 * the same bytes. The records a run wrote before and did not replace are
 * copied from the file it wrote last (when that file is still the one at
 * `path`), so no record's text is kept in memory between writes.
 *
 * @returns The number of records copied from the file written before.
 */
export function writeManifest(path: string, m: Manifest): number {
  const last = written.get(m);
  let fd: number | undefined;
  if (last) {
    try {
      fd = openSync(path, "r");
      const now = fileOf(fstatSync(fd));
      if (
        now.ino !== last.file.ino || now.size !== last.file.size ||
        now.mtimeMs !== last.file.mtimeMs
      ) {
        closeSync(fd);
        fd = undefined;
      }
    } catch {
      // gone or unreadable: every record is written anew
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    }
  }
  let buf = new Uint8Array(1 << 12);
  let copied = 0;
  const copy = (start: number, end: number) => {
    copied++;
    if (end - start > buf.length) buf = new Uint8Array(end - start);
    const view = buf.subarray(0, end - start);
    for (let off = 0; off < view.length;) {
      const n = readSync(fd!, view, off, view.length - off, start + off);
      if (n === 0) throw new MirrorError(`The manifest ${path} changed while it was rewritten`);
      off += n;
    }
    return view;
  };
  const at = new WeakMap<object, number[]>();
  // the old file is closed as soon as every piece is read: before the rename
  // (which some systems refuse over an open file)
  const closeOld = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  function* pieces() {
    try {
      yield* manifestBytes(m, fd !== undefined && last ? { copy, at: last.at } : undefined, at);
    } finally {
      closeOld();
    }
  }
  try {
    writeAtomic(path, pieces());
  } finally {
    closeOld();
  }
  try {
    written.set(m, { file: fileOf(statSync(path)), at });
  } catch {
    written.delete(m);
  }
  return copied;
}
