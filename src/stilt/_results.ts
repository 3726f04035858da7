// Private: the STILT results service (`stiltresult`, `stiltrawresult`): the
// request, the periods it can answer, and its rows as columns
// (`StiltStation.getTs`, `StiltStation.getRawTs`).

import type { CarbonPortal } from "../client/client.ts";
import { CorruptDataError, TruncatedDataError } from "../errors.ts";
import { isoDay, type StiltDate, toMs } from "./_hours.ts";
import { markTime } from "../_util/time_columns.ts";

/** POSTs a results request (`stiltresult` or `stiltrawresult`) for station `id` and parses the rows. */
export async function fetchResults(
  cp: CarbonPortal,
  stilt: string,
  id: string,
  endpoint: "stiltresult" | "stiltrawresult",
  start: StiltDate,
  end: StiltDate,
  columns: string[] | null,
  signal: AbortSignal | undefined,
): Promise<unknown[]> {
  const url = `${stilt}/${endpoint}`;
  // read-only: a body dropped mid-way or cut short is fetched again
  return await cp.fetchBody(url, {
    method: "POST",
    hint: endpoint === "stiltresult" ? "Fetching STILT results" : "Fetching raw STILT results",
    idempotent: true,
    signal,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({
      stationId: id,
      fromDate: isoDay(start),
      toDate: isoDay(end),
      columns,
    }),
  }, async (res) => {
    const text = await res.text();
    let rows: unknown;
    try {
      rows = JSON.parse(text);
    } catch (cause) {
      // an answer cut short (the usual way JSON from this service breaks)
      throw new TruncatedDataError(
        `STILT results for ${id} are not complete JSON (${text.length} characters)`,
        { cause },
      );
    }
    if (!Array.isArray(rows)) {
      throw new CorruptDataError(`STILT results for ${id} are not a JSON array`);
    }
    return rows;
  });
}

/** The parts of [start, end] (whole days) that lie in `years` (with runs), contiguous years merged. */
export function periodsWithRuns(
  years: readonly number[],
  start: StiltDate,
  end: StiltDate,
): [StiltDate, StiltDate][] {
  const from = toMs(start);
  const to = toMs(end);
  if (to < from) return [[start, end]]; // the service answers [] itself
  const have = new Set(years);
  const out: [StiltDate, StiltDate][] = [];
  const y1 = new Date(to).getUTCFullYear();
  for (let y = new Date(from).getUTCFullYear(); y <= y1; y++) {
    if (!have.has(y)) continue;
    let last = y;
    while (last < y1 && have.has(last + 1)) last++;
    const a = Math.max(from, Date.UTC(y, 0, 1));
    const b = Math.min(to, Date.UTC(last, 11, 31));
    out.push(a === from && b === to ? [start, end] : [new Date(a), new Date(b)]);
    y = last;
  }
  return out;
}

/** `getTs`: rows of the hours kept as Float64Array columns (`isodate` in ms, NaN for missing). */
export function tsColumns(
  rows: readonly (number | string | null)[][],
  columns: readonly string[],
  hours: ReadonlySet<number>,
): Record<string, Float64Array> {
  const keep = rows.filter((r) => hours.has(new Date(Number(r[0]) * 1000).getUTCHours()));
  const out: Record<string, Float64Array> = {};
  columns.forEach((c, k) => {
    const col = new Float64Array(keep.length);
    for (let i = 0; i < keep.length; i++) {
      const v = keep[i][k];
      col[i] = v === null || v === "null" ? NaN : Number(v) * (k === 0 ? 1000 : 1);
    }
    out[c] = k === 0 ? markTime(col, "dateTime") : col;
  });
  return out;
}

/** `getRawTs`: rows (arrays in `columns` order, or records) as columns; text stays text. */
export function rawColumns(
  rows: readonly (unknown[] | Record<string, unknown>)[],
  columns: readonly string[] | null,
): Record<string, Float64Array | string[]> {
  const names = columns ??
    [...new Set(rows.flatMap((r) => Object.keys(r as Record<string, unknown>)))];
  const value = (r: unknown[] | Record<string, unknown>, k: number) =>
    Array.isArray(r) ? r[k] : (r as Record<string, unknown>)[names[k]];
  const out: Record<string, Float64Array | string[]> = {};
  names.forEach((name, k) => {
    const values = rows.map((r) => value(r, k));
    if (values.some((v) => typeof v === "string" && v !== "null")) {
      out[name] = values.map((v) => (v === null || v === undefined ? "" : String(v)));
    } else {
      const col = Float64Array.from(
        values,
        (v) =>
          v === null || v === undefined || v === "null"
            ? NaN
            : Number(v) * (name === "isodate" ? 1000 : 1),
      );
      out[name] = name === "isodate" ? markTime(col, "dateTime") : col;
    }
  });
  return out;
}
