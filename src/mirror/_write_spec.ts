// Private: writing one specification's Parquet parts: objects grouped by
// station and height, rows in order, parts rolled over by size.

import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CarbonPortal } from "../client/client.ts";
import type { DataColumn } from "../cpb/_columns.ts";
import type { Dobj } from "../dobj/dobj.ts";
import { CarbonPortalError } from "../errors.ts";
import { partPath, yearOf } from "./_layout.ts";
import type { Manifest, PartRecord } from "./_manifest.ts";
import { type ObjectInfo, storedValue } from "./_objects.ts";
import { type MirrorCompression, type PartColumn, PartWriter, wrapIo } from "./_part_writer.ts";
import { readPartRows } from "./_read_part.ts";
import type { MirrorProgress } from "./mirror.ts";

/** Ordered prefetch: yields `fn(item)` in input order with up to `limit` in flight. */
export async function* ordered<T, R>(
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

export interface GroupRows {
  /** Column values by column name (stored values: null where missing). */
  columns: Map<string, unknown[]>;
  pid: string[];
  count: number;
}

export function timeColumnOf(columns: readonly PartColumn[]): string | undefined {
  return columns.find((c) => c.kind === "time" && /^TIMESTAMP$/i.test(c.name))?.name ??
    columns.find((c) => c.kind === "time")?.name;
}

/** The union of the objects' columns, in order of first appearance (one kind per name). */
export function unionColumns(infos: readonly ObjectInfo[]): PartColumn[] {
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

export interface SpecJob {
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
export function toGroupRows(
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
