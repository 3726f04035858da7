// Private: icoscp_stilt's find filters (ids, search, stations, country,
// ICOS, bbox, pinpoint and the date filters), applied in the order given.

import { InvalidArgumentError, NotFoundError } from "../errors.ts";
import { mapPool } from "../_util/pool.ts";
import { countryCodes } from "./_countries.ts";
import type { FindOptions, StiltFilters } from "./filters.ts";
import { type StiltDate, toMs } from "./_hours.ts";
import type { StiltStationRefs } from "./selection.ts";
import type { StiltStation } from "./station.ts";

/** What the filters need from the API: every station, id resolution, and the URL errors name. */
export interface FilterContext {
  /** Every station (cached by the API). */
  list(): Promise<StiltStation[]>;
  /** Stations by reference, as `StiltApi.get`. */
  get(refs: StiltStationRefs): Promise<StiltStation[]>;
  /** The stationinfo URL that unknown ids are reported against. */
  stationinfoUrl: string;
}

/**
 * The stations that pass the filters, applied in the order given.
 *
 * @param at The API's stations.
 * @param filters The filters.
 * @param options Progress callback and concurrency of month listings.
 * @returns The stations, in list order.
 */
export async function applyFilters(
  at: FilterContext,
  filters: StiltFilters,
  options: FindOptions,
): Promise<StiltStation[]> {
  let list = await at.list();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    list = await applyOne(at, list, { key: key as keyof StiltFilters, value, filters, options });
  }
  return list;
}

function monthIndex(d: StiltDate): number {
  const t = new Date(toMs(d));
  return t.getUTCFullYear() * 12 + t.getUTCMonth();
}

async function applyOne(
  at: FilterContext,
  list: StiltStation[],
  step: { key: keyof StiltFilters; value: unknown; filters: StiltFilters; options: FindOptions },
): Promise<StiltStation[]> {
  const { key, value, filters, options } = step;
  switch (key) {
    case "id": {
      const wanted = (typeof value === "string" ? [value] : value as string[]).map(String);
      const keys = (s: StiltStation) =>
        [s.id, s.icos?.stationId, s.info.icosId].filter((k): k is string => !!k).map((k) =>
          k.toUpperCase()
        );
      const all = await at.list();
      const unknown = wanted.filter((i) => !all.some((s) => keys(s).includes(i.toUpperCase())));
      if (unknown.length) {
        throw new NotFoundError("Finding STILT stations", {
          status: 404,
          url: at.stationinfoUrl,
          body: `No STILT station ${unknown.join(", ")} (stations: ${
            all.map((s) => s.id).join(", ")
          })`,
        });
      }
      const ids = new Set(wanted.map((i) => i.toUpperCase()));
      return list.filter((s) => keys(s).some((k) => ids.has(k)));
    }
    case "search": {
      const q = String(value).toLowerCase();
      return list.filter((s) => JSON.stringify(s.toRecord()).toLowerCase().includes(q));
    }
    case "stations": {
      const src = await at.get(value as StiltStationRefs);
      const ids = new Set(src.map((s) => s.id.toUpperCase()));
      return list.filter((s) => ids.has(s.id.toUpperCase()));
    }
    case "country": {
      const codes = new Set<string>();
      for (const c of typeof value === "string" ? [value] : value as string[]) {
        const found = await countryCodes(String(c));
        if (found.size === 0) {
          throw new NotFoundError("Finding STILT stations", {
            status: 404,
            url: "countries",
            body: `Unknown country ${c}: use an ISO 3166 alpha-2 or alpha-3 code or a name`,
          });
        }
        for (const code of found) codes.add(code);
      }
      return list.filter((s) => codes.has(s.country.toUpperCase()));
    }
    case "icos":
      return list.filter((s) => (s.icos !== undefined) === value);
    case "project":
      if (String(value).toLowerCase() !== "icos") {
        throw new InvalidArgumentError(`Unknown project ${value} (only "icos")`);
      }
      return list.filter((s) => s.icos !== undefined);
    case "bbox": {
      const [[latN, lonW], [latS, lonE]] = value as [[number, number], [number, number]];
      return list.filter((s) => s.lat >= latS && s.lat <= latN && s.lon >= lonW && s.lon <= lonE);
    }
    case "pinpoint": {
      const [lat, lon, km = 200] = value as number[];
      const d = km * 0.01;
      return list.filter((s) =>
        s.lat >= lat - d && s.lat <= lat + d && s.lon >= lon - d && s.lon <= lon + d
      );
    }
    case "sdate":
    case "edate": {
      if (key === "edate" && filters.sdate !== undefined) return list; // handled as a range with sdate
      const lo = key === "sdate" ? monthIndex(value as StiltDate) : -Infinity;
      const hiSrc = key === "sdate" ? filters.edate : value;
      const hi = hiSrc === undefined ? Infinity : monthIndex(hiSrc as StiltDate);
      if (hi < lo) throw new InvalidArgumentError("The start date is after the end date");
      return await byMonths(list, (m) => m >= lo && m <= hi, options);
    }
    case "dates": {
      const wanted = new Set((value as StiltDate[]).map(monthIndex));
      return await byMonths(list, (m) => wanted.has(m), options);
    }
    default:
      throw new InvalidArgumentError(`Unknown STILT filter ${key}`);
  }
}

/** Keeps stations with a month that passes `ok`, listing months only for the years that decide. */
async function byMonths(
  list: StiltStation[],
  ok: (m: number) => boolean,
  options: FindOptions,
): Promise<StiltStation[]> {
  const candidates = list.map((s) => ({
    s,
    years: s.years.filter((y) => Array.from({ length: 12 }, (_, k) => y * 12 + k).some(ok)),
  }));
  const jobs = candidates.flatMap((c) => c.years.map((y) => ({ s: c.s, y })));
  let done = 0;
  const hits = await mapPool(jobs, options.concurrency ?? 4, async ({ s, y }) => {
    const months = await s.months(y);
    options.onProgress?.(++done, jobs.length);
    return months.some((m) => ok(y * 12 + m - 1));
  });
  const keep = new Set(jobs.filter((_, k) => hits[k]).map((j) => j.s));
  return list.filter((s) => keep.has(s));
}
