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

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { CarbonPortal } from "../client/client.ts";
import type { Dobj } from "../dobj/dobj.ts";
import type { SearchFilters } from "../search/mod.ts";
import type { DataColumn } from "../cpb/_columns.ts";
import { CarbonPortalError, MirrorError } from "../errors.ts";
import { mapPool } from "../_util/pool.ts";
import { digestOf, indexSuffix, manifestName, partPath, shardOf, yearOf } from "./_layout.ts";
import { type ObjectInfo, objectInfo, storedValue } from "./_objects.ts";
import { type MirrorCompression, type PartColumn, PartWriter, wrapIo } from "./_part_writer.ts";
import { writeIndex } from "./_index.ts";
import { type Manifest, type PartRecord, readManifest, writeManifest } from "./_manifest.ts";
import { readPartRows } from "./_read_part.ts";

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

/** Metadata documents kept from the planning pass for the data pass (more are fetched again). */
const KEPT_METADATA = 256;

const OPTION_NAMES = [
  "out",
  "concurrency",
  "signal",
  "onProgress",
  "originals",
  "compression",
  "shard",
  "latestOnly",
  "maxRowGroupRows",
  "maxPartBytes",
];

/** The options, checked: a misspelt or mistyped one is an error, never ignored. */
function checkOptions(options: MirrorOptions): Required<
  Pick<MirrorOptions, "concurrency" | "compression" | "maxRowGroupRows" | "maxPartBytes">
> {
  if (options === null || typeof options !== "object") {
    throw new MirrorError("mirror() needs options with `out`, the dataset's folder");
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      const near = OPTION_NAMES.find((n) =>
        n.toLowerCase() === key.replace(/_/g, "").toLowerCase()
      );
      throw new MirrorError(
        `Unknown mirror option ${key}${near ? `: did you mean ${near}?` : ""} (options: ${
          OPTION_NAMES.join(", ")
        })`,
      );
    }
  }
  if (typeof options.out !== "string" || options.out === "") {
    throw new MirrorError("mirror() needs `out`, the dataset's folder");
  }
  const concurrency = options.concurrency ?? 6;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new MirrorError(`concurrency must be a whole number from 1 to 64, not ${concurrency}`);
  }
  const compression = options.compression ?? "zstd";
  if (compression !== "zstd" && compression !== "snappy") {
    throw new MirrorError(`compression must be "zstd" or "snappy", not ${String(compression)}`);
  }
  if (options.shard !== undefined) {
    const [i, n] = options.shard;
    if (!Number.isInteger(i) || !Number.isInteger(n) || n < 1 || i < 0 || i >= n) {
      throw new MirrorError(`shard must be [i, n] with 0 <= i < n, not [${options.shard}]`);
    }
  }
  const maxRowGroupRows = options.maxRowGroupRows ?? 1_000_000;
  const maxPartBytes = options.maxPartBytes ?? 2 ** 30;
  if (!(Number.isInteger(maxRowGroupRows) && maxRowGroupRows > 0)) {
    throw new MirrorError(`maxRowGroupRows must be a positive whole number`);
  }
  if (!(maxPartBytes > 0)) throw new MirrorError(`maxPartBytes must be positive`);
  return { concurrency, compression, maxRowGroupRows, maxPartBytes };
}

/** The pids of a selection, in order, once each. */
async function selectionPids(
  cp: CarbonPortal,
  selection: MirrorSelection,
  signal: AbortSignal | undefined,
): Promise<{ pids: string[]; dobjs: Map<string, Dobj> }> {
  const dobjs = new Map<string, Dobj>();
  if (Array.isArray(selection)) {
    const pids: string[] = [];
    for (const item of selection as readonly (string | Dobj)[]) {
      if (typeof item === "string") {
        const id = item.trim().replace(/\/+$/, "");
        pids.push(`11676/${id.slice(id.lastIndexOf("/") + 1)}`);
      } else if (item && typeof item === "object" && "uri" in item) {
        const pid = objectInfo(item as Dobj).pid;
        dobjs.set(pid, item as Dobj);
        pids.push(pid);
      } else {
        throw new MirrorError(`Not an object: ${String(item)} (give pids, URIs, ids or Dobjs)`);
      }
    }
    return { pids: [...new Set(pids)], dobjs };
  }
  if (selection === null || typeof selection !== "object") {
    throw new MirrorError("A selection is the filters of cp.search or a list of objects");
  }
  // every match, a page of 5000 per query (no facets), in a stable order
  const first = await cp.search(selection as SearchFilters, {
    limit: 0,
    facets: false,
    orderBy: "fileName",
    signal,
  });
  const pids: string[] = [];
  for await (const page of first.pages({ pageSize: 5000, signal })) {
    for (const pid of Array.from(page.objects.array("pid") as ArrayLike<string>)) pids.push(pid);
  }
  return { pids: [...new Set(pids)], dobjs };
}

/** Ordered prefetch: yields `fn(item)` in input order with up to `limit` in flight. */
async function* ordered<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const inflight: Promise<R>[] = [];
  let next = 0;
  const fill = () => {
    while (inflight.length < limit && next < items.length) {
      const p = fn(items[next++]);
      p.catch(() => {}); // surfaced when its turn comes
      inflight.push(p);
    }
  };
  fill();
  while (inflight.length) {
    const r = await inflight.shift()!;
    fill();
    yield r;
  }
}

interface GroupRows {
  /** Column values by column name (stored values: null where missing). */
  columns: Map<string, unknown[]>;
  pid: string[];
  count: number;
}

function timeColumnOf(columns: readonly PartColumn[]): string | undefined {
  return columns.find((c) => c.kind === "time" && /^TIMESTAMP$/i.test(c.name))?.name ??
    columns.find((c) => c.kind === "time")?.name;
}

/** The union of the objects' columns, in order of first appearance (one kind per name). */
function unionColumns(infos: readonly ObjectInfo[]): PartColumn[] {
  const seen = new Map<string, PartColumn>();
  for (const o of infos) {
    for (const c of o.columns) {
      const name = c.name === "station" || c.name === "samplingHeight" || c.name === "pid"
        ? `${c.name}_data`
        : c.name;
      if (!seen.has(name)) seen.set(name, { name, kind: c.kind, nullable: true });
    }
  }
  return [...seen.values()];
}

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
 * @throws {MirrorError} For a bad option, a full disk or an unreadable manifest.
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
  const fresh = new Map<string, ObjectInfo>();
  await mapPool(needMeta, concurrency, async (pid) => {
    signal?.throwIfAborted();
    const d = dobjs.get(pid) ?? await cp.dobj(pid);
    // keep a bounded number of metadata documents for the data pass: memory
    // stays flat in the number of objects (the others' metadata is asked again)
    if (dobjs.size < KEPT_METADATA) dobjs.set(pid, d);
    fresh.set(pid, objectInfo(d));
  });
  let infos = pids.map((p) => fresh.get(p) ?? manifest.objects[p].info);
  if (Array.isArray(selection) && options.latestOnly) {
    infos = infos.filter((o) => o.next.length === 0);
  }

  // 2. per spec: skip it when its objects are the ones already mirrored
  // objects without columns (NetCDF, spatial, documents) have no rows: their
  // original files are the copy (with `originals`), they are in the index
  const bySpec = new Map<string, ObjectInfo[]>();
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
  for (const spec of specNames) {
    signal?.throwIfAborted();
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
    const written = await writeSpec({
      cp,
      out,
      spec,
      objs,
      manifest,
      dobjs,
      concurrency,
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

  // 3. specs and objects no longer selected leave the dataset
  const selected = new Set(infos.map((o) => o.pid));
  let dropped = false; // (the manifest is written below in any case)
  for (const spec of Object.keys(manifest.specs)) {
    if (bySpec.has(spec)) continue;
    for (const p of manifest.specs[spec].parts) {
      rmSync(join(out, p.path), { force: true });
      removed.push(p.path);
    }
    delete manifest.specs[spec];
    dropped = true;
  }
  for (const pid of Object.keys(manifest.objects)) {
    if (!selected.has(pid)) {
      delete manifest.objects[pid];
      dropped = true;
    }
  }
  void dropped;
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
      entry.original = join("originals", `spec=${o.spec}`, path.slice(path.lastIndexOf("/") + 1));
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

/** Removes temporary files a killed run left (they are never part of the dataset). */
function removeTemporaries(dir: string): void {
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

interface SpecJob {
  cp: CarbonPortal;
  out: string;
  spec: string;
  objs: ObjectInfo[];
  manifest: Manifest;
  dobjs: Map<string, Dobj>;
  concurrency: number;
  compression: MirrorCompression;
  maxRowGroupRows: number;
  maxPartBytes: number;
  signal: AbortSignal | undefined;
  progress: MirrorProgress;
  report: () => void;
}

interface OpenPart {
  writer: PartWriter;
  year: number;
  seq: number;
  tmp: string;
  pids: Set<string>;
  rowsByPid: Record<string, number>;
  rowGroups: PartRecord["rowGroups"];
}

/** Writes every part of one spec; returns their records (nothing is in the manifest yet). */
async function writeSpec(job: SpecJob): Promise<PartRecord[]> {
  const { out, spec, objs, manifest, signal, progress, report } = job;
  const dataColumns = unionColumns(objs);
  const columns: PartColumn[] = [
    ...dataColumns,
    { name: "station", kind: "string", nullable: false },
    { name: "samplingHeight", kind: "double", nullable: true },
    { name: "pid", kind: "string", nullable: false },
  ];
  const timeCol = timeColumnOf(dataColumns);
  const open = new Map<number, OpenPart>();
  const seqOf = new Map<number, number>();
  const done: PartRecord[] = [];

  const provenance = (pids: Iterable<string>) => {
    const list = [...pids].sort();
    const by = new Map(objs.map((o) => [o.pid, o]));
    return [
      { key: "icoscp.spec", value: spec },
      {
        key: "icoscp.provenance",
        value: JSON.stringify(list.map((p) => ({
          pid: p,
          citation: by.get(p)?.citation ?? null,
          licence: by.get(p)?.licence ?? null,
        }))),
      },
    ];
  };

  // The provenance of a part is known only when it is closed, but Parquet
  // metadata is written at the end: parts are opened per year, and their
  // key-value metadata is filled at finish (ParquetWriter reads it then).
  const partFor = async (year: number): Promise<OpenPart> => {
    let p = open.get(year);
    if (p) return p;
    const seq = seqOf.get(year) ?? 0;
    seqOf.set(year, seq + 1);
    const dir = join(out, `spec=${spec}`, `year=${year}`);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.part-${seq}.tmp`);
    const kv: { key: string; value: string }[] = [];
    const writer = await PartWriter.open(tmp, columns, job.compression, kv);
    p = { writer, year, seq, tmp, pids: new Set(), rowsByPid: {}, rowGroups: [] };
    (p as OpenPart & { kv: typeof kv }).kv = kv;
    open.set(year, p);
    return p;
  };
  const close = (p: OpenPart) => {
    const kv = (p as OpenPart & { kv: { key: string; value: string }[] }).kv;
    kv.push(...provenance(p.pids));
    const path = partPath(spec, p.year, p.seq, [...p.pids], job.compression);
    p.writer.finish(join(out, path));
    done.push({
      path,
      rows: p.writer.rows,
      bytes: p.writer.bytes,
      pids: [...p.pids].sort(),
      rowsByPid: p.rowsByPid,
      rowGroups: p.rowGroups,
    });
    open.delete(p.year);
  };

  try {
    // objects already mirrored are read back from their parts, the others fetched
    const load = async (
      o: ObjectInfo,
    ): Promise<{ o: ObjectInfo; cols: Record<string, ArrayLike<unknown>>; n: number }> => {
      signal?.throwIfAborted();
      const entry = manifest.objects[o.pid];
      const oldParts = (manifest.specs[spec]?.parts ?? []).filter((p) =>
        entry?.parts.includes(p.path)
      );
      if (
        entry?.state === "fetched" && oldParts.length === entry.parts.length &&
        oldParts.every((p) => existsSync(join(out, p.path)))
      ) {
        const cols = await readPartRows(out, oldParts, o.pid, dataColumns, job.compression);
        return { o, cols, n: cols.pid?.length ?? 0 };
      }
      const d = job.dobjs.get(o.pid) ?? await job.cp.dobj(o.pid);
      const cols = await d.getColumns(undefined, { signal }) as Record<string, DataColumn>;
      progress.fetched++;
      const n = Object.values(cols)[0]?.length ?? 0;
      return { o, cols, n };
    };

    let group: {
      station: string;
      height: number | null;
      items: { o: ObjectInfo; cols: Record<string, ArrayLike<unknown>>; n: number }[];
    } | undefined;
    const flushGroup = async () => {
      if (!group) return;
      const g = group;
      group = undefined;
      const rows = toGroupRows(g.items, dataColumns);
      await writeGroup(rows, g.station, g.height, g.items[0]?.o);
    };
    const writeGroup = async (
      rows: GroupRows,
      station: string,
      height: number | null,
      first: ObjectInfo | undefined,
    ) => {
      if (rows.count === 0) return;
      const time = timeCol ? rows.columns.get(timeCol)! : undefined;
      // sort by time (stable: object order breaks ties); rows without a time go last
      const order = Array.from({ length: rows.count }, (_, i) => i);
      if (time) {
        order.sort((a, b) => {
          const ta = time[a] as number | null, tb = time[b] as number | null;
          if (ta === tb) return a - b;
          if (ta === null) return 1;
          if (tb === null) return -1;
          return ta - tb;
        });
      }
      const fallbackYear = first?.timeStart ? yearOf(Date.parse(first.timeStart)) : 1970;
      // split into years, then into row groups of at most maxRowGroupRows
      let start = 0;
      while (start < order.length) {
        const year = time && time[order[start]] !== null
          ? yearOf(time[order[start]] as number)
          : fallbackYear;
        let end = start + 1;
        while (
          end < order.length && end - start < job.maxRowGroupRows &&
          (time && time[order[end]] !== null
              ? yearOf(time[order[end]] as number)
              : fallbackYear) === year
        ) end++;
        const idx = order.slice(start, end);
        const data: unknown[][] = dataColumns.map((c) => {
          const src = rows.columns.get(c.name)!;
          return idx.map((i) => src[i]);
        });
        data.push(idx.map(() => station));
        data.push(idx.map(() => height));
        const pidCol = idx.map((i) => rows.pid[i]);
        data.push(pidCol);
        const part = await partFor(year);
        part.writer.writeRowGroup(data);
        part.rowGroups.push({
          station,
          samplingHeight: height,
          year,
          rows: idx.length,
          pids: [...new Set(pidCol)].sort(),
        });
        for (const p of pidCol) {
          part.pids.add(p);
          part.rowsByPid[p] = (part.rowsByPid[p] ?? 0) + 1;
        }
        progress.rows += idx.length;
        if (part.writer.bytes >= job.maxPartBytes) {
          progress.bytes += part.writer.bytes;
          close(part);
        }
        start = end;
      }
    };

    for await (const item of ordered(objs, job.concurrency, load)) {
      signal?.throwIfAborted();
      if (!group || group.station !== item.o.station || group.height !== item.o.samplingHeight) {
        await flushGroup();
        group = { station: item.o.station, height: item.o.samplingHeight, items: [] };
      }
      group.items.push(item);
      progress.done++;
      report();
    }
    await flushGroup();
    for (const p of [...open.values()].sort((a, b) => a.year - b.year)) {
      progress.bytes += p.writer.bytes;
      close(p);
    }
    return done.sort((a, b) => (a.path < b.path ? -1 : 1));
  } catch (e) {
    for (const p of open.values()) p.writer.abandon();
    // parts this spec finished are not in the manifest: they go too
    for (const p of done) {
      if (!manifest.specs[spec]?.parts.some((q) => q.path === p.path)) {
        rmSync(join(out, p.path), { force: true });
      }
    }
    if (e instanceof CarbonPortalError || (e as Error)?.name === "AbortError") throw e;
    throw wrapIo(e, `mirroring spec ${spec}`);
  }
}

/** The rows of a station-height group: each object's columns in stored form. */
function toGroupRows(
  items: readonly { o: ObjectInfo; cols: Record<string, ArrayLike<unknown>>; n: number }[],
  dataColumns: readonly PartColumn[],
): GroupRows {
  const columns = new Map<string, unknown[]>(dataColumns.map((c) => [c.name, []]));
  const pid: string[] = [];
  let count = 0;
  for (const { o, cols, n } of items) {
    for (const c of dataColumns) {
      const src = cols[c.name] ?? cols[c.name.replace(/_data$/, "")];
      const dst = columns.get(c.name)!;
      for (let i = 0; i < n; i++) dst.push(src ? storedValue(src, i, c.kind) : null);
    }
    for (let i = 0; i < n; i++) pid.push(o.pid);
    count += n;
  }
  return { columns, pid, count };
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

/** Reads a JSON file, or undefined when there is none. */
export function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8"));
}
