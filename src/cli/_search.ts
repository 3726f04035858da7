// Private: `icoscp search` — the filters of cp.search as flags, a table of
// the first page and the facets, or every match (`--all`, with a progress
// bar) as CSV, JSON or Parquet.

import type { ColumnTable } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { InvalidArgumentError } from "../errors.ts";
import { toParquet } from "../export/export.ts";
import { tableCsv, tableRows, tableText, type TimeKind } from "../export/_table_text.ts";
import type { SearchFilters, SearchOrder } from "../search/search.ts";

/** The flags of `icoscp search` (parseArgs strings and booleans). */
export const SEARCH_FLAGS = {
  station: { type: "string" },
  spec: { type: "string" },
  variable: { type: "string" },
  "station-class": { type: "string" },
  "sampling-height": { type: "string" },
  size: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "submitted-after": { type: "string" },
  "submitted-before": { type: "string" },
  keyword: { type: "string" },
  bbox: { type: "string" },
  collection: { type: "string" },
  "file-name": { type: "string" },
  pids: { type: "string" },
  "all-versions": { type: "boolean" },
  nrt: { type: "string" },
  limit: { type: "string" },
  "order-by": { type: "string" },
  all: { type: "boolean" },
} as const;

const TIMES: Record<string, TimeKind> = {
  timeStart: "dateTime",
  timeEnd: "dateTime",
  submTime: "dateTime",
};

const SHOWN = [
  "pid",
  "fileName",
  "spec",
  "level",
  "station",
  "country",
  "samplingHeight",
  "timeStart",
  "timeEnd",
  "size",
];

const list = (v: unknown) =>
  typeof v === "string" && v ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined;

function range(flag: string, v: unknown): number | [number, number] | undefined {
  if (typeof v !== "string") return undefined;
  const parts = v.split(/[:,]/).map((s) => Number(s.trim()));
  if (parts.some((n) => !Number.isFinite(n)) || parts.length > 2) {
    throw new InvalidArgumentError("search", flag, v, "a number or min:max");
  }
  return parts.length === 1 ? parts[0] : [parts[0], parts[1]];
}

/** The search's filters from the flags. */
export function searchFilters(o: Record<string, unknown>): SearchFilters {
  const f: Record<string, unknown> = {
    station: list(o.station),
    spec: list(o.spec),
    variable: list(o.variable),
    level: list(o.level)?.map(Number),
    project: list(o.project),
    theme: list(o.theme),
    country: list(o.country),
    stationClass: list(o["station-class"]),
    samplingHeight: range("--sampling-height", o["sampling-height"]),
    size: range("--size", o.size),
    from: o.from,
    to: o.to,
    submittedAfter: o["submitted-after"],
    submittedBefore: o["submitted-before"],
    keyword: list(o.keyword),
    collection: o.collection,
    fileName: o["file-name"],
    pids: list(o.pids),
    latestOnly: o["all-versions"] ? false : undefined,
  };
  if (typeof o.bbox === "string") {
    const b = o.bbox.split(",").map((s) => Number(s.trim()));
    f.bbox = /^\s*POLYGON/i.test(o.bbox) ? o.bbox : b;
  }
  if (typeof o.nrt === "string") {
    const v = o.nrt.toLowerCase();
    if (v !== "true" && v !== "false") {
      throw new InvalidArgumentError("search", "--nrt", o.nrt, "true or false");
    }
    f.nrt = v === "true";
  }
  for (const k of Object.keys(f)) if (f[k] === undefined) delete f[k];
  return f as SearchFilters;
}

/** Output of the command. */
export interface SearchIo {
  out(s: string): void;
  err(s: string): void;
  bar(label: string): (done: number, total: number | undefined) => void;
  here(path: string): string;
  stdoutTerminal: boolean;
}

/** Runs `icoscp search`. */
export async function searchCommand(
  cp: CarbonPortal,
  o: Record<string, unknown>,
  io: SearchIo,
): Promise<number> {
  const format = typeof o.format === "string" ? o.format.toLowerCase() : o.json ? "json" : "table";
  if (!["table", "csv", "json", "parquet"].includes(format)) {
    throw new InvalidArgumentError("search", "--format", o.format, "csv, json or parquet");
  }
  if (format === "parquet" && !o.out) {
    throw new InvalidArgumentError("search", "--format parquet", "stdout", "with --out FILE");
  }
  const limit = o.limit === undefined ? 20 : Number(o.limit);
  const offset = o.offset === undefined ? 0 : Number(o.offset);
  const filters = searchFilters(o);
  const orderBy = o["order-by"] as SearchOrder | undefined;
  const first = await cp.search(filters, {
    limit: o.all ? Math.min(1000, Math.max(1, limit)) : limit,
    offset,
    ...(orderBy ? { orderBy } : {}),
  });
  let t: ColumnTable = first.objects;
  if (o.all) {
    const parts: ColumnTable[] = [];
    const tick = io.bar("search");
    let done = 0;
    for await (const page of first.pages({ pageSize: 1000 })) {
      parts.push(page.objects);
      done += page.objects.numRows();
      tick(done, first.total);
    }
    t = parts.length ? parts.reduce((a, b) => a.concat(b)) : first.objects;
  }
  if (o.out) {
    const path = io.here(String(o.out));
    if (format === "parquet" || String(o.out).endsWith(".parquet")) {
      await Deno.writeFile(path, await toParquet(t));
    } else if (format === "json") {
      await Deno.writeTextFile(path, JSON.stringify(tableRows(t), null, 2) + "\n");
    } else await Deno.writeTextFile(path, tableCsv(t, TIMES));
    io.err(`wrote ${t.numRows()} of ${first.total} objects to ${o.out}\n`);
    return 0;
  }
  if (format === "json") {
    io.out(
      JSON.stringify(
        { total: first.total, facets: first.facets, objects: tableRows(t) },
        null,
        2,
      ) + "\n",
    );
    return 0;
  }
  if (format === "csv" || !io.stdoutTerminal) {
    io.out(tableCsv(t, TIMES));
    return 0;
  }
  io.out(tableText(t.select(SHOWN), TIMES));
  io.out(`\n${t.numRows()} of ${first.total} objects\n`);
  for (const [name, counts] of Object.entries(first.facets)) {
    if (!counts.length) continue;
    const top = counts.slice(0, 8).map((c) => `${c.value} (${c.count})`).join(", ");
    io.out(`${name}: ${top}${counts.length > 8 ? `, … ${counts.length - 8} more` : ""}\n`);
  }
  return 0;
}
