// Private: the columns of a data object's table fetched into typed arrays
// (`Dobj.getColumns`), row slices in parallel.

import { optionalStringList } from "../_util/args.ts";
import { setOwn } from "../_util/own.ts";
import type { CarbonPortal } from "../client/client.ts";
import { type ColumnSpec, type DataColumn, formatName, toDataColumns } from "../cpb/_columns.ts";
import { fetchCpb } from "../cpb/_fetch.ts";
import { ARRAY_OF, BYTE_SIZE } from "../cpb/_layout.ts";
import { runWhileWaiting, touchJob } from "../cpb/_prefault.ts";
import type { CpbColumn, CpbSchema } from "../cpb/cpb.ts";
import type { GetColumnsOptions } from "./_options.ts";
import type { Dobj } from "./dobj.ts";
import type { VarMeta } from "./meta_types.ts";
import { InvalidArgumentError, UnknownColumnError } from "../errors.ts";

/** Rows of a large table are fetched in slices of about this many bytes (up to `concurrency` at once). */
export const PART_BYTES = 4 * 1024 * 1024;

/** Value formats whose columns are points in time (milliseconds since the epoch). */
export const DATE_FORMATS = new Set([
  "iso8601dateTime",
  "isoLikeLocalDateTime",
  "etcLocalDateTime",
  "iso8601date",
  "etcDate",
  "iso8601month",
]);

/**
 * Column numbers for names: exact first, then case-insensitive (a name that
 * matches several columns only by case is unknown); duplicates once.
 */
export function resolveColumns(
  what: string,
  labels: readonly string[],
  names: readonly string[],
  unknownColumns: "throw" | "drop" = "throw",
): number[] {
  const exact = new Map(labels.map((l, i) => [l, i]));
  const folded = new Map<string, number[]>();
  labels.forEach((l, i) =>
    folded.set(l.toLowerCase(), [...(folded.get(l.toLowerCase()) ?? []), i])
  );
  const found: number[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const i = exact.get(name) ?? (() => {
      const c = folded.get(String(name).toLowerCase());
      return c?.length === 1 ? c[0] : undefined;
    })();
    if (i === undefined) unknown.push(String(name));
    else if (!found.includes(i)) found.push(i);
  }
  if (unknown.length && (unknownColumns !== "drop" || found.length === 0)) {
    throw new UnknownColumnError(what, { unknown, columns: labels });
  }
  return found;
}

/** Fetches columns of `d`'s `table` (implementation of `Dobj.getColumns`). */
export async function fetchColumns(
  cp: CarbonPortal,
  d: Dobj,
  { stored, schema, nRows }: { stored: VarMeta[]; schema: CpbSchema; nRows: number },
  where: string,
  columnsGiven: unknown,
  options: GetColumnsOptions,
): Promise<Record<string, DataColumn>> {
  const columns = columnsGiven === null
    ? undefined
    : optionalStringList(where, "columns", columnsGiven);
  const flags = options.flags ?? "strings";
  const wanted = new Set<number>(
    columns === undefined ? stored.map((_, i) => i) : resolveColumns(
      `Data object ${d.id}`,
      stored.map((c) => c.label),
      columns,
      options.unknownColumns,
    ),
  );
  const flagOf = new Map<number, number>();
  for (const i of [...wanted]) {
    const model = stored[i].model?.uri;
    const f = stored.findIndex((c) => model !== undefined && (c.isFlagFor ?? []).includes(model));
    if (f >= 0) {
      flagOf.set(i, f);
      wanted.add(f);
    }
  }
  const columnNumbers = [...wanted].sort((a, b) => a - b);
  let slice: { offset: number; length: number } | undefined;
  if (options.offset !== undefined || options.length !== undefined) {
    const offset = options.offset ?? 0;
    const length = options.length ?? nRows - offset;
    if (!(offset >= 0 && length >= 0 && offset + length <= nRows)) {
      throw new InvalidArgumentError(
        where,
        options.offset !== undefined && options.offset > nRows ? "offset" : "length",
        options.offset !== undefined && options.offset > nRows ? offset : length,
        `within the table's ${nRows} rows (rows [${offset}, ${offset + length}) asked for)`,
      );
    }
    slice = { offset, length };
  }
  // With `concurrency` > 1 a large table comes in row slices fetched at
  // once, each decoded straight into its part of the final arrays.
  const first = slice?.offset ?? 0;
  const total = slice?.length ?? nRows;
  const rowBytes = columnNumbers.reduce((s, n) => s + BYTE_SIZE[schema.columns[n]], 0);
  const parts = Math.max(
    1,
    Math.min(options.concurrency ?? 1, Math.floor((total * rowBytes) / PART_BYTES), total),
  );
  const into: Record<string, CpbColumn> = {};
  for (const n of columnNumbers) {
    setOwn(into, schema.labels![n], new ARRAY_OF[schema.columns[n]](total) as CpbColumn);
  }
  // While the server prepares its answer, the fresh arrays' pages are
  // touched and the flag columns' string arrays allocated (_prefault.ts).
  let answered = false;
  const strings = new Map<string, string[]>();
  const jobs = [touchJob(Object.values(into).filter((a) => ArrayBuffer.isView(a)))];
  for (const n of columnNumbers) {
    if (flags === "strings" && formatName(stored[n].valueFormat!) === "bmpChar") {
      jobs.push(() => (strings.set(stored[n].label, new Array(total)), true));
    }
  }
  const prepared = runWhileWaiting(jobs, () => answered);
  const expected = total * rowBytes;
  let arrived = 0;
  const onBytes = options.onProgress
    ? (n: number) => {
      arrived += n;
      options.onProgress!({ received: arrived, total: expected });
    }
    : undefined;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal;
  const fetchPart = async (k: number) => {
    const offset = Math.floor((k * total) / parts);
    const length = Math.floor(((k + 1) * total) / parts) - offset;
    const part = parts === 1 ? slice : { offset: first + offset, length };
    const views = Object.fromEntries(
      Object.entries(into).map((
        [k, a],
      ) => [k, (a as Float64Array).subarray(offset, offset + length)]),
    );
    await fetchCpb(cp, {
      tableId: d.id,
      subFolder: formatName(d.meta.specification.format.self.uri),
      schema: { columns: schema.columns, size: nRows, labels: schema.labels! },
      columnNumbers,
      slice: part,
      into: views,
      signal,
      onResponse: () => answered = true,
      onBytes,
    });
  };
  try {
    await Promise.all(Array.from({ length: parts }, (_, k) => fetchPart(k)));
  } catch (e) {
    stop.abort(e); // the other slices are not needed any more
    throw e;
  } finally {
    answered = true;
    await prepared;
  }
  const decoded = into;
  const specs: ColumnSpec[] = columnNumbers.map((n) => ({
    label: stored[n].label,
    format: formatName(stored[n].valueFormat!),
    flag: flagOf.has(n) ? stored[flagOf.get(n)!].label : undefined,
  }));
  return toDataColumns(
    decoded,
    specs,
    d.meta.specification.format.goodFlagValues,
    options.keepBadData ?? false,
    flags,
    strings,
  );
}
