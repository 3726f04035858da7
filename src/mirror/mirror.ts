/**
 * A verified, incremental mirror of portal data as a Parquet dataset that
 * DuckDB, Spark, Polars and pandas read directly:
 *
 * - `DIR/spec=<spec>/year=<YYYY>/part-<hash>.parquet`: the spec's columns
 *   plus `station`, `samplingHeight` and `pid`; times as UTC timestamps,
 *   masked values as nulls (flag columns kept), rows sorted by station,
 *   height and time, one row group per station-height-year, zstd;
 * - `DIR/index/objects.parquet`, `DIR/index/stations.parquet` (GeoParquet);
 * - `DIR/_manifest.json`: each object's state, written atomically.
 *
 * @module
 */

import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CarbonPortal } from "../client/client.ts";
import type { Dobj } from "../dobj/dobj.ts";
import type { SearchFilters } from "../search/mod.ts";
import { mapPool } from "../_util/pool.ts";
import { digestOf, indexSuffix, manifestName, shardOf } from "./_layout.ts";
import { Interner, objectInfo, packed, PackedInfo, slimRequest, TextStore } from "./_objects.ts";
import { type MirrorCompression, type PartColumn, wrapIo } from "./_part_writer.ts";
import { writeIndex } from "./_index.ts";
import { readManifest, writeManifest } from "./_manifest.ts";
import { loadObject, ordered, unionColumns, writeSpec } from "./_write_spec.ts";
import { checkOptions, selectionPids } from "./_options.ts";
import { removeTemporaries } from "./_files.ts";
export type { MirrorCompression } from "./_part_writer.ts";

/** Progress of a mirror run. */
export interface MirrorProgress {
  /** What the run is doing. */
  phase: "plan" | "data" | "originals" | "index" | "done";
  /** Objects handled so far (fetched or found done). */
  done: number;
  /** Objects in the selection (this shard's). */
  total: number;
  /** Objects whose data were requested in this run. */
  fetched: number;
  /** Rows written in this run. */
  rows: number;
  /** Bytes of parts written in this run. */
  bytes: number;
}

/** Options of {@linkcode mirror}. */
export interface MirrorOptions {
  /** The folder of the dataset (created when missing). */
  out: string;
  /** Objects fetched at once. Default 6. */
  concurrency?: number;
  /** Stops the run; the manifest stays consistent. */
  signal?: AbortSignal;
  /** Called as objects are done. */
  onProgress?: (progress: MirrorProgress) => void;
  /** Also download each original file, verified against its SHA-256, into `DIR/originals/`. */
  originals?: boolean;
  /** Compression of the parts. Default `"zstd"`. */
  compression?: MirrorCompression;
  /** `[i, n]`: only the objects whose id falls in shard i of n (0-based). */
  shard?: readonly [number, number];
  /** For a list of objects: leave out deprecated ones. Search filters have their own `latestOnly`. */
  latestOnly?: boolean;
  /** Most rows in one row group. Default 1,000,000. */
  maxRowGroupRows?: number;
  /** A part is closed and the next begun past this many bytes. Default 1 GiB. */
  maxPartBytes?: number;
}

/** What a mirror run did. */
export interface MirrorResult {
  /** The dataset's folder. */
  out: string;
  /** Objects in the selection (this shard's). */
  objects: number;
  /** Objects whose data were requested in this run. */
  fetched: number;
  /** Objects already in the dataset, not requested again. */
  skipped: number;
  /** Parts (paths relative to `out`) the dataset holds now. */
  parts: string[];
  /** Parts this run removed (replaced or no longer selected). */
  removed: string[];
  /** Rows written in this run. */
  rows: number;
  /** Bytes of parts written in this run. */
  bytes: number;
}

/** A selection: the filters of `cp.search`, or objects (pids, URIs, ids or `Dobj`s). */
export type MirrorSelection = SearchFilters | readonly (string | Dobj)[];

/** Bytes of tables read ahead of the writer beyond `concurrency` objects. */
const READ_AHEAD_BYTES = 64 * 2 ** 20;

/**
 * Mirrors a selection of the portal's data objects into a Parquet dataset
 * (see the module's documentation for the layout). Reruns skip what is done
 * without a data request, add new objects and versions, and drop the rows
 * of objects no longer selected (with `latestOnly`, deprecated versions).
 * Parts and the manifest are written to temporary names and renamed, so a
 * run killed at any moment leaves a consistent dataset and a rerun gives
 * the same bytes as an uninterrupted run.
 *
 * @param cp The client (its login is used for the data).
 * @param selection The filters of `cp.search`, or objects.
 * @param options The folder, concurrency, shard, compression, progress, signal.
 * @returns What the run did.
 * @throws {InvalidArgumentError} For a misspelt option (an `UnknownOptionError`) or a bad value.
 * @throws {MirrorError} For a full disk or an unreadable manifest.
 *
 * @example Mirroring two objects from the emulator
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { mirror } from "@icoscp/icoscp/mirror";
 * import { startEmulator } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * await using emu = await startEmulator();
 * const cp = new CarbonPortal({ portal: emu.endpoints, auth: { user: emu.user, password: emu.password } });
 * const pids = emu.dataset.objects.filter((o) => o.fileName.includes("_CTS_CO2")).slice(0, 2)
 *   .map((o) => `11676/${o.id}`);
 * const out = await Deno.makeTempDir();
 * const first = await mirror(cp, pids, { out });
 * assert.equal(first.fetched, 2);
 * const again = await mirror(cp, pids, { out }); // nothing to do: no data request
 * assert.equal(again.fetched, 0);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function mirror(
  cp: CarbonPortal,
  selection: MirrorSelection,
  options: MirrorOptions,
): Promise<MirrorResult> {
  const { concurrency, compression, maxRowGroupRows, maxPartBytes } = checkOptions(options);
  const { out, signal, onProgress, shard } = options;
  signal?.throwIfAborted();
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw wrapIo(e, `creating ${out}`);
  }
  removeTemporaries(out);
  const manifestFile = join(out, manifestName(shard));
  const manifest = readManifest(manifestFile, { compression, shard });

  const progress: MirrorProgress = {
    phase: "plan",
    done: 0,
    total: 0,
    fetched: 0,
    rows: 0,
    bytes: 0,
  };
  const report = () => onProgress?.({ ...progress });

  // 1. what is selected (this shard's), and the facts of each object
  const { pids: allPids, dobjs } = await selectionPids(cp, selection, signal);
  const pids = shard && shard[1] > 1
    ? allPids.filter((p) => shardOf(p, shard[1]) === shard[0])
    : allPids;
  progress.total = pids.length;
  report();
  const needMeta = pids.filter((p) => options.latestOnly || manifest.objects[p] === undefined);
  const fresh = new Map<string, PackedInfo>();
  // what the data requests need is kept, packed, from the planning pass for
  // every object (no metadata is fetched twice); column lists are shared
  const shared = new Interner();
  const store = new TextStore();
  await mapPool(needMeta, concurrency, async (pid) => {
    signal?.throwIfAborted();
    const given = dobjs.get(pid);
    const d = given ?? await cp.dobj(pid);
    const info = objectInfo(d, shared);
    if (info.pid === pid) info.pid = pid; // one string for both
    fresh.set(pid, new PackedInfo(info, store, given ? undefined : slimRequest(d, shared)));
  });
  let infos = pids.map((p) => fresh.get(p) ?? packed(manifest.objects[p].info, store));
  fresh.clear();
  if (Array.isArray(selection) && options.latestOnly) {
    infos = infos.filter((o) => o.latest);
  }

  // 2. per spec: skip it when its objects are the ones already mirrored
  // objects without columns (NetCDF, spatial, documents) have no rows: their
  // original files are the copy (with `originals`), they are in the index
  const bySpec = new Map<string, PackedInfo[]>();
  for (const o of infos) {
    if (o.columns.length === 0) {
      manifest.objects[o.pid] = {
        ...manifest.objects[o.pid],
        state: "noColumns",
        rows: 0,
        parts: [],
        info: o,
      };
      continue;
    }
    const list = bySpec.get(o.spec) ?? [];
    list.push(o);
    bySpec.set(o.spec, list);
  }
  const removed: string[] = [];
  const specNames = [...bySpec.keys()].sort();
  progress.phase = "data";
  const plans: { spec: string; objs: PackedInfo[]; key: string; dataColumns: PartColumn[] }[] = [];
  for (const spec of specNames) {
    const objs = bySpec.get(spec)!.sort((a, b) =>
      a.station < b.station ? -1 : a.station > b.station ? 1 : (a.samplingHeight ?? -1) -
          (b.samplingHeight ?? -1) || (a.pid < b.pid ? -1 : a.pid > b.pid ? 1 : 0)
    );
    const key = digestOf([
      spec,
      compression,
      String(maxRowGroupRows),
      ...objs.map((o) => o.pid).sort(),
    ]);
    const prev = manifest.specs[spec];
    if (prev && prev.key === key && prev.parts.every((p) => existsSync(join(out, p.path)))) {
      progress.done += objs.length;
      report();
      continue;
    }
    plans.push({ spec, objs, key, dataColumns: unionColumns(objs) });
  }
  // one stream of rows over every spec to write, `concurrency` objects ahead:
  // requests never wait for a spec's part to be written
  const stop = new AbortController();
  const loadSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const ctx = { cp, out, manifest, dobjs, compression, signal: loadSignal, progress };
  // past `concurrency` objects waiting, more only while their tables (as
  // their metadata tells) fit in READ_AHEAD_BYTES
  const items = ordered(
    plans.flatMap((p) => p.objs.map((o) => ({ p, o }))),
    concurrency,
    ({ p, o }) => loadObject(ctx, p.spec, p.dataColumns, o),
    {
      count: concurrency * 4,
      weight: ({ o }) => (o.rows ?? 0) * Math.max(1, o.columns.length) * 8,
      bytes: READ_AHEAD_BYTES,
    },
  );
  try {
    for (const { spec, objs, key, dataColumns } of plans) {
      signal?.throwIfAborted();
      const prev = manifest.specs[spec];
      const written = await writeSpec({
        out,
        spec,
        objs,
        dataColumns,
        items,
        manifest,
        compression,
        maxRowGroupRows,
        maxPartBytes,
        signal,
        progress,
        report,
      });
      const oldParts = prev?.parts.map((p) => p.path) ?? [];
      manifest.specs[spec] = { key, parts: written };
      for (const o of objs) {
        const parts = written.filter((p) => p.pids.includes(o.pid)).map((p) => p.path);
        const rows = written.reduce((s, p) => s + (p.rowsByPid[o.pid] ?? 0), 0);
        manifest.objects[o.pid] = { state: "fetched", rows, parts, info: o };
      }
      writeManifest(manifestFile, manifest);
      for (const p of oldParts) {
        if (!written.some((w) => w.path === p)) {
          rmSync(join(out, p), { force: true });
          removed.push(p);
        }
      }
    }
  } finally {
    stop.abort();
    await items.return(undefined);
  }

  // 3. specs and objects no longer selected leave the dataset
  const selected = new Set(infos.map((o) => o.pid));
  for (const spec of Object.keys(manifest.specs)) {
    if (bySpec.has(spec)) continue;
    for (const p of manifest.specs[spec].parts) {
      rmSync(join(out, p.path), { force: true });
      removed.push(p.path);
    }
    delete manifest.specs[spec];
  }
  for (const pid of Object.keys(manifest.objects)) {
    if (!selected.has(pid)) {
      delete manifest.objects[pid];
    }
  }
  writeManifest(manifestFile, manifest);

  // 4. originals, verified against their SHA-256
  if (options.originals) {
    progress.phase = "originals";
    report();
    await mapPool(infos, concurrency, async (o) => {
      signal?.throwIfAborted();
      const entry = manifest.objects[o.pid];
      const dir = join(out, "originals", `spec=${o.spec}`);
      if (entry.original && existsSync(join(out, entry.original))) return;
      const d = dobjs.get(o.pid) ?? await cp.dobj(o.pid);
      mkdirSync(dir, { recursive: true });
      const path = await d.download(dir, { signal });
      // a record is replaced, never changed (the manifest keeps its text)
      manifest.objects[o.pid] = {
        ...entry,
        original: join("originals", `spec=${o.spec}`, path.slice(path.lastIndexOf("/") + 1)),
      };
    });
    writeManifest(manifestFile, manifest);
  }

  // 5. the index
  progress.phase = "index";
  report();
  await writeIndex(out, indexSuffix(shard), infos, manifest, compression);
  progress.phase = "done";
  report();
  const parts = Object.values(manifest.specs).flatMap((s) => s.parts.map((p) => p.path)).sort();
  return {
    out,
    objects: infos.length,
    fetched: progress.fetched,
    skipped: infos.length - progress.fetched,
    parts,
    removed,
    rows: progress.rows,
    bytes: progress.bytes,
  };
}
