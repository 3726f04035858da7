// Private: icoscp_stilt's find filters (ids, search, stations, country,
// ICOS, bbox, pinpoint and the date filters), applied in the order given.

import { InvalidArgumentError, NotFoundError } from "../errors.ts";
import { mapPool } from "../_util/pool.ts";
import { countryCodes } from "./_countries.ts";
import type { FindOptions, StiltFilters } from "./filters.ts";
import { type StiltDate, toMs } from "./_hours.ts";
import type { StiltStationRefs } from "./selection.ts";
import type { StiltStation } from "./station.ts";
import {
  boolean,
  checkOptions,
  finiteNumber,
  integer,
  type OptionKeys,
  stringList,
} from "../_util/args.ts";

/** What the filters need from the API: every station, id resolution, and the URL errors name. */
export interface FilterContext {
  /** Every station (cached by the API). */
  list(): Promise<StiltStation[]>;
  /** Stations by reference, as `StiltApi.get`. */
  get(refs: StiltStationRefs): Promise<StiltStation[]>;
  /** The stationinfo URL that unknown ids are reported against. */
  stationinfoUrl: string;
}

const FILTER_KEYS: OptionKeys<StiltFilters> = {
  id: true,
  search: true,
  stations: true,
  country: true,
  icos: true,
  project: true,
  bbox: true,
  pinpoint: true,
  sdate: true,
  edate: true,
  dates: true,
};
const FIND_KEYS: OptionKeys<FindOptions> = { onProgress: true, concurrency: true };

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
  filters = checkOptions("stilt.find", filters, FILTER_KEYS, { ids: "id", countries: "country" });
  options = checkOptions("stilt.find", options, FIND_KEYS);
  if (options.concurrency !== undefined) {
    options = {
      ...options,
      concurrency: integer("stilt.find", "concurrency", options.concurrency, { min: 1 }),
    };
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new InvalidArgumentError("stilt.find", "onProgress", options.onProgress, "a function");
  }
  let list = await at.list();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    list = await applyOne(at, list, { key: key as keyof StiltFilters, value, filters, options });
  }
  return list;
}

function monthIndex(d: StiltDate): number {
  if (typeof d !== "string" && typeof d !== "number" && !(d instanceof Date)) {
    throw new InvalidArgumentError(
      "stilt.find",
      "date",
      d,
      'a day ("2018-05-01"), a Date or epoch seconds',
    );
  }
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
      const wanted = stringList("stilt.find", "id", value);
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
      for (const c of stringList("stilt.find", "country", value)) {
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
      boolean("stilt.find", "icos", value, true);
      return list.filter((s) => (s.icos !== undefined) === value);
    case "project":
      if (String(value).toLowerCase() !== "icos") {
        throw new InvalidArgumentError(`Unknown project ${value} (only "icos")`);
      }
      return list.filter((s) => s.icos !== undefined);
    case "bbox": {
      // two corners in either order (icoscp_stilt's north-west first, or south-west first)
      const box = value as unknown[];
      const corner = (c: unknown, k: number): [number, number] => {
        if (!Array.isArray(c) || c.length !== 2) {
          throw new InvalidArgumentError("stilt.find", "bbox", value, "[[lat, lon], [lat, lon]]");
        }
        return [
          finiteNumber("stilt.find", `bbox[${k}][0] (lat)`, c[0], { min: -90, max: 90 }),
          finiteNumber("stilt.find", `bbox[${k}][1] (lon)`, c[1], { min: -180, max: 180 }),
        ];
      };
      if (!Array.isArray(box) || box.length !== 2) corner(undefined, 0);
      const [[a, b], [c, d]] = [corner(box[0], 0), corner(box[1], 1)];
      const [latS, latN, lonW, lonE] = [
        Math.min(a, c),
        Math.max(a, c),
        Math.min(b, d),
        Math.max(b, d),
      ];
      return list.filter((s) => s.lat >= latS && s.lat <= latN && s.lon >= lonW && s.lon <= lonE);
    }
    case "pinpoint": {
      if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
        throw new InvalidArgumentError(
          "stilt.find",
          "pinpoint",
          value,
          "[lat, lon] or [lat, lon, km]",
        );
      }
      const lat = finiteNumber("stilt.find", "pinpoint[0] (lat)", value[0], { min: -90, max: 90 });
      const lon = finiteNumber("stilt.find", "pinpoint[1] (lon)", value[1], {
        min: -180,
        max: 180,
      });
      const km = finiteNumber("stilt.find", "pinpoint[2] (km)", value[2] ?? 200, { min: 0 });
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
      if (hi < lo) {
        throw new InvalidArgumentError(
          "stilt.find",
          "edate",
          hiSrc,
          "on or after sdate (swapped?)",
        );
      }
      return await byMonths(list, (m) => m >= lo && m <= hi, options);
    }
    case "dates": {
      if (!Array.isArray(value)) {
        throw new InvalidArgumentError("stilt.find", "dates", value, "a list of dates");
      }
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
