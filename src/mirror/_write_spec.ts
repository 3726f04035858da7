// Private: writing one specification's Parquet parts: objects grouped by
// station and height, rows in order, parts rolled over by size.

import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CarbonPortal } from "../client/client.ts";
import type { DataColumn } from "../cpb/_columns.ts";
import type { Dobj } from "../dobj/dobj.ts";
import { CarbonPortalError, MirrorError } from "../errors.ts";
import { partPath, yearOf } from "./_layout.ts";
import type { Manifest, PartRecord } from "./_manifest.ts";
import { type PackedInfo, storedValue } from "./_objects.ts";
import {
  type MirrorCompression,
  type PartColumn,
  type PartColumnKind,
  PartWriter,
  wrapIo,
} from "./_part_writer.ts";
import type { StoredColumn, StoredValues } from "./_pages.ts";
import { readPartRows } from "./_read_part.ts";
import type { MirrorProgress } from "./mirror.ts";

/** How far {@linkcode ordered} reads ahead of its consumer. */
export interface Ahead<T> {
  /** Most results waiting, settled or not. */
  count: number;
  /** About the bytes an item's result takes. */
  weight: (item: T) => number;
  /** Past `limit` waiting results, more start only while their weights fit in this many bytes. */
  bytes: number;
}

/**
 * Ordered prefetch: yields `fn(item)` in input order with up to `limit` in
 * flight. A new call starts as soon as any one settles (not only the oldest),
 * so a slow answer or a busy consumer does not empty the pipeline. Up to
 * `limit` results always wait; more (up to `ahead.count`) only while their
 * weights fit in `ahead.bytes`, so large tables are not held many at once.
 */
export async function* ordered<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  ahead: Ahead<T> = { count: limit, weight: () => 0, bytes: 0 },
): AsyncGenerator<R> {
  const started: { p: Promise<R>; w: number }[] = [];
  let next = 0;
  let running = 0;
  let waiting = 0; // weight of the started results not yet yielded
  let stopped = false;
  const fill = () => {
    while (!stopped && running < limit && next < items.length) {
      const w = ahead.weight(items[next]);
      if (
        started.length >= limit && (started.length >= ahead.count || waiting + w > ahead.bytes)
      ) break;
      running++;
      waiting += w;
      const p = fn(items[next++]).finally(() => {
        running--;
        fill();
      });
      p.catch(() => {}); // surfaced when its turn comes
      started.push({ p, w });
    }
  };
  try {
    fill();
    while (started.length) {
      const { p, w } = started.shift()!;
      const r = await p;
      waiting -= w;
      fill();
      yield r;
    }
  } finally {
    stopped = true;
  }
}

export interface GroupRows {
  /** Values of each data column, in the order of the data columns. */
  columns: StoredValues[];
  /** The object (its index in the group) of each row. */
  objectOf: Uint32Array;
  count: number;
}

export function timeColumnOf(columns: readonly PartColumn[]): string | undefined {
  return columns.find((c) => c.kind === "time" && /^TIMESTAMP$/i.test(c.name))?.name ??
    columns.find((c) => c.kind === "time")?.name;
}

/** The union of the objects' columns, in order of first appearance (one kind per name). */
export function unionColumns(infos: readonly PackedInfo[]): PartColumn[] {
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

/** An object's rows, fetched or read back from the dataset's parts. */
export interface LoadedObject {
  o: PackedInfo;
  cols: Record<string, ArrayLike<unknown>>;
  n: number;
}

/** What loading an object needs. */
export interface LoadContext {
  cp: CarbonPortal;
  out: string;
  manifest: Manifest;
  /** The objects the selection gave as `Dobj`s (the others' requests are made from their packed facts). */
  dobjs: Map<string, Dobj>;
  compression: MirrorCompression;
  signal: AbortSignal | undefined;
  progress: MirrorProgress;
}

/**
 * An object's rows: read back from the parts of `spec` that hold them when it
 * is mirrored already (no data request), else fetched.
 */
export async function loadObject(
  ctx: LoadContext,
  spec: string,
  dataColumns: readonly PartColumn[],
  o: PackedInfo,
): Promise<LoadedObject> {
  const { manifest, out, signal } = ctx;
  signal?.throwIfAborted();
  const entry = manifest.objects[o.pid];
  const oldParts = (manifest.specs[spec]?.parts ?? []).filter((p) => entry?.parts.includes(p.path));
  if (
    entry?.state === "fetched" && oldParts.length === entry.parts.length &&
    oldParts.every((p) => existsSync(join(out, p.path)))
  ) {
    const cols = await readPartRows(out, oldParts, o.pid, dataColumns, ctx.compression);
    return { o, cols, n: cols.pid?.length ?? 0 };
  }
  const d = ctx.dobjs.get(o.pid) ?? o.slimDobj(ctx.cp) ?? await ctx.cp.dobj(o.pid);
  const cols = await d.getColumns(undefined, { signal }) as Record<string, DataColumn>;
  ctx.progress.fetched++;
  const n = Object.values(cols)[0]?.length ?? 0;
  return { o, cols, n };
}

export interface SpecJob {
  out: string;
  spec: string;
  objs: PackedInfo[];
  /** The union of the objects' columns ({@linkcode unionColumns}). */
  dataColumns: PartColumn[];
  /** The objects' rows, in the order of `objs` (shared by the specs of a run: only `objs.length` are taken). */
  items: AsyncIterator<LoadedObject>;
  manifest: Manifest;
  compression: MirrorCompression;
  maxRowGroupRows: number;
  maxPartBytes: number;
  signal: AbortSignal | undefined;
  progress: MirrorProgress;
  report: () => void;
}

export interface OpenPart {
  writer: PartWriter;
  year: number;
  seq: number;
  tmp: string;
  pids: Set<string>;
  rowsByPid: Record<string, number>;
  rowGroups: PartRecord["rowGroups"];
}

/** Writes every part of one spec; returns their records (nothing is in the manifest yet). */
export async function writeSpec(job: SpecJob): Promise<PartRecord[]> {
  const { out, spec, objs, manifest, signal, progress, report, dataColumns } = job;
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
        value: JSON.stringify(list.map((p) => {
          const o = by.get(p)?.full();
          return { pid: p, citation: o?.citation ?? null, licence: o?.licence ?? null };
        })),
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
  const close = async (p: OpenPart) => {
    const kv = (p as OpenPart & { kv: { key: string; value: string }[] }).kv;
    kv.push(...provenance(p.pids));
    const path = partPath(spec, p.year, p.seq, [...p.pids], job.compression);
    await p.writer.finish(join(out, path));
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
    let group: {
      station: string;
      height: number | null;
      items: LoadedObject[];
    } | undefined;
    const flushGroup = async () => {
      if (!group) return;
      const g = group;
      group = undefined;
      await writeGroup(g.items, g.station, g.height);
    };
    const timeAt = timeCol === undefined ? -1 : dataColumns.findIndex((c) => c.name === timeCol);
    const writeGroup = async (items: LoadedObject[], station: string, height: number | null) => {
      const rows = toGroupRows(items, dataColumns);
      if (rows.count === 0) return;
      const time = timeAt >= 0 ? rows.columns[timeAt] as Float64Array : undefined;
      // sort by time (object order breaks ties); rows without a time go last
      const order = sortedOrder(rows.count, time);
      const first = items[0].o.full();
      const fallbackYear = first.timeStart ? yearOf(Date.parse(first.timeStart)) : 1970;
      const timeOf = (k: number) => (time ? time[order ? order[k] : k] : NaN);
      // split into years, then into row groups of at most maxRowGroupRows
      let start = 0;
      while (start < rows.count) {
        const t0 = timeOf(start);
        const year = Number.isNaN(t0) ? fallbackYear : yearOf(t0);
        const from = Date.UTC(year, 0, 1), to = Date.UTC(year + 1, 0, 1);
        const inYear = (k: number) => {
          const t = timeOf(k);
          return Number.isNaN(t) ? fallbackYear === year : t >= from && t < to;
        };
        let end = start + 1;
        while (end < rows.count && end - start < job.maxRowGroupRows && inYear(end)) end++;
        const n = end - start;
        const data: StoredColumn[] = dataColumns.map((c, j) => ({
          ...c,
          values: pick(rows.columns[j], order, start, end),
        }));
        const perObject = new Uint32Array(items.length);
        const pidCol = new Array<string>(n);
        for (let k = 0; k < n; k++) {
          const i = rows.objectOf[order ? order[start + k] : start + k];
          perObject[i]++;
          pidCol[k] = items[i].o.pid;
        }
        data.push(
          { ...columns[dataColumns.length], values: new Array<string>(n).fill(station) },
          {
            ...columns[dataColumns.length + 1],
            values: new Float64Array(n).fill(height ?? NaN),
          },
          { ...columns[dataColumns.length + 2], values: pidCol },
        );
        const part = await partFor(year);
        await part.writer.writeColumns(data);
        const pids: string[] = [];
        perObject.forEach((count, i) => {
          if (count === 0) return;
          const pid = items[i].o.pid;
          pids.push(pid);
          part.pids.add(pid);
          part.rowsByPid[pid] = (part.rowsByPid[pid] ?? 0) + count;
        });
        part.rowGroups.push({
          station,
          samplingHeight: height,
          year,
          rows: n,
          pids: [...new Set(pids)].sort(),
        });
        progress.rows += n;
        if (part.writer.bytes >= job.maxPartBytes) {
          progress.bytes += part.writer.bytes;
          await close(part);
        }
        start = end;
      }
    };

    for (let k = 0; k < objs.length; k++) {
      const next = await job.items.next();
      if (next.done) throw new MirrorError(`Mirror lost objects of spec ${spec}`);
      const item = next.value;
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
      await close(p);
    }
    return done.sort((a, b) => (a.path < b.path ? -1 : 1));
  } catch (e) {
    for (const p of open.values()) await p.writer.abandon();
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

/** The rows of a station-height group: each object's columns in stored form, one after another. */
export function toGroupRows(
  items: readonly LoadedObject[],
  dataColumns: readonly PartColumn[],
): GroupRows {
  let count = 0;
  for (const it of items) count += it.n;
  const columns: StoredValues[] = dataColumns.map((c) =>
    c.kind === "string"
      ? new Array<string | null>(count).fill(null)
      : c.kind === "float"
      ? new Float32Array(count)
      : new Float64Array(count)
  );
  const objectOf = new Uint32Array(count);
  let at = 0;
  items.forEach(({ cols, n }, i) => {
    dataColumns.forEach((c, j) => {
      const src = cols[c.name] ?? cols[c.name.replace(/_data$/, "")];
      storeInto(columns[j], at, src, n, c.kind);
    });
    objectOf.fill(i, at, at + n);
    at += n;
  });
  return { columns, objectOf, count };
}

/** Copies `n` values of a returned (or read back) column into stored form at `at`. */
function storeInto(
  dst: StoredValues,
  at: number,
  src: ArrayLike<unknown> | undefined,
  n: number,
  kind: PartColumnKind,
): void {
  if (Array.isArray(dst)) {
    // strings: "" and missing values are null
    if (!src) return;
    for (let i = 0; i < n; i++) dst[at + i] = storedValue(src, i, "string") as string | null;
    return;
  }
  if (!src) {
    dst.fill(NaN, at, at + n);
    return;
  }
  if (ArrayBuffer.isView(src) && !(src instanceof BigInt64Array || src instanceof BigUint64Array)) {
    const nums = src as unknown as ArrayLike<number>;
    if (kind === "time") { for (let i = 0; i < n; i++) dst[at + i] = Math.round(nums[i]); }
    else if (kind === "int") { for (let i = 0; i < n; i++) dst[at + i] = Math.trunc(nums[i]); }
    else dst.set(nums.length === n ? nums : (src as Float64Array).subarray(0, n), at);
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = storedValue(src, i, kind);
    dst[at + i] = v === null ? NaN : Number(v);
  }
}

/**
 * The order of rows by time (NaN last, ties in row order), or undefined when
 * they are in order already (files of a station follow each other).
 */
export function sortedOrder(
  count: number,
  time: Float64Array | undefined,
): Uint32Array | undefined {
  if (!time) return undefined;
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) {
    const a = time[i - 1], b = time[i];
    sorted = Number.isNaN(a) ? Number.isNaN(b) : Number.isNaN(b) || a <= b;
  }
  if (sorted) return undefined;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order.sort((a, b) => {
    const ta = time[a], tb = time[b];
    const na = Number.isNaN(ta), nb = Number.isNaN(tb);
    if (na || nb) return na && nb ? a - b : na ? 1 : -1;
    return ta - tb || a - b;
  });
}

/** Rows `start`…`end` of a stored column in `order` (a view when there is no order). */
function pick(
  src: StoredValues,
  order: Uint32Array | undefined,
  start: number,
  end: number,
): StoredValues {
  if (!order) return Array.isArray(src) ? src.slice(start, end) : src.subarray(start, end);
  const n = end - start;
  const out: StoredValues = Array.isArray(src)
    ? new Array<string | null>(n)
    : src instanceof Float32Array
    ? new Float32Array(n)
    : new Float64Array(n);
  for (let k = 0; k < n; k++) (out as unknown[])[k] = src[order[start + k]];
  return out;
}
