// Private: the mirror's manifest: each object's state and each spec's parts,
// written atomically (temporary name, then rename) after every finished spec.

import { existsSync, readFileSync } from "node:fs";
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
 * (their text is kept by record).
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

/**
 * The UTF-8 text of each object's and spec's record, by record (outside the
 * JavaScript heap). Records are replaced, never changed in place, so a
 * manifest rewritten after every spec serializes only the records that spec
 * changed.
 */
const recordTexts = new WeakMap<object, Uint8Array>();
const encoder = new TextEncoder();

function recordText(v: unknown): string | Uint8Array {
  if (v === null || typeof v !== "object") return JSON.stringify(v, null, 1);
  let text = recordTexts.get(v);
  if (text === undefined) {
    text = encoder.encode(JSON.stringify(v, null, 1).replaceAll("\n", "\n  "));
    recordTexts.set(v, text);
  }
  return text;
}

/**
 * The text of `JSON.stringify(m, null, 1)` with the keys of `specs` and
 * `objects` sorted, in pieces of one entry each (a manifest of many objects
 * is never one string), records as UTF-8 bytes.
 */
export function* manifestText(m: Manifest): Generator<string | Uint8Array> {
  let first = true;
  for (const [k, v] of Object.entries(m)) {
    if (v === undefined) continue;
    yield `${first ? "{\n " : ",\n "}${JSON.stringify(k)}: `;
    first = false;
    if (k === "specs" || k === "objects") {
      const entries = Object.keys(v).sort().filter((e) => v[e] !== undefined);
      let i = 0;
      for (const e of entries) {
        yield `${i++ ? ",\n  " : "{\n  "}${JSON.stringify(e)}: `;
        yield recordText(v[e]);
      }
      yield i ? "\n }" : "{}";
    } else {
      yield JSON.stringify(v, null, 1).replaceAll("\n", "\n ");
    }
  }
  yield first ? "{}\n" : "\n}\n";
}

/** Writes the manifest atomically, its keys sorted so the same state gives the same bytes. */
export function writeManifest(path: string, m: Manifest): void {
  writeAtomic(path, manifestText(m));
}
