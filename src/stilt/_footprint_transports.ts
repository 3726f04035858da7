// Private: the two ways a station's footprints come over HTTP — the
// viewer's per-slot rasters (no login) and the zipped NetCDF package (login
// needed) — and the hour selection applied to the package's slots.

import type { CarbonPortal } from "../client/client.ts";
import { UnsupportedFormatError } from "../errors.ts";
import { openNetCDF } from "../netcdf/netcdf_file.ts";
import { mapPool } from "../_util/pool.ts";
import { zipEntries, zipRead } from "../_util/zip_reader.ts";
import { axis, decodeRaster, Footprints } from "./footprints.ts";
import { isoDay, type StiltDate } from "./_hours.ts";
import type { FootprintOptions } from "./station.ts";

const DAY = 86_400_000;

/** A station of a STILT service: the client, the service's base URL and the station id. */
export interface StationService {
  /** The client. */
  cp: CarbonPortal;
  /** The STILT service's base URL. */
  stilt: string;
  /** STILT station id. */
  id: string;
}

/** The slots of `fp` whose hour of the day is in `hours` (`fp` itself when all are). */
export function selectHours(fp: Footprints, hours: Set<number>): Footprints {
  const keep = Array.from(fp.time.keys()).filter((i) =>
    hours.has(new Date(fp.time[i]).getUTCHours())
  );
  if (keep.length === fp.time.length) return fp;
  const n = fp.lat.length * fp.lon.length;
  const values = new Float64Array(keep.length * n);
  keep.forEach((i, k) => values.set(fp.values.subarray(i * n, (i + 1) * n), k * n));
  return new Footprints({
    lat: fp.lat,
    lon: fp.lon,
    time: Float64Array.from(keep, (i) => fp.time[i]),
    values,
  });
}

/**
 * The footprints of the given slots, one raster request per slot (no login).
 * The first failure (or the caller's abort) cancels the requests in flight;
 * it is thrown once they have all ended.
 *
 * @param at The station and its service.
 * @param slots Slot times, `YYYY-MM-DDTHH:MMZ`, at least one.
 * @param options Concurrency, progress and abort signal.
 * @returns The footprints on the first raster's grid.
 */
export async function footprintsFromRasters(
  at: StationService,
  slots: readonly string[],
  options: Pick<FootprintOptions, "concurrency" | "onProgress" | "signal">,
): Promise<Footprints> {
  let done = 0;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const rasters = await mapPool(slots, options.concurrency ?? 4, async (s) => {
    try {
      const q = new URLSearchParams({ stationId: at.id, footprint: s.replace(/Z$/, "") });
      const res = await at.cp.request(`${at.stilt}/footprint?${q}`, {
        hint: "Fetching STILT footprint",
        headers: { accept: "application/octet-stream" },
        signal,
      });
      const r = decodeRaster(new Uint8Array(await res.arrayBuffer()));
      options.onProgress?.(++done, slots.length);
      return r;
    } catch (e) {
      stop.abort(e); // the other slots in flight stop too
      throw e;
    }
  });
  const { nLat, nLon } = rasters[0];
  const values = new Float64Array(rasters.length * nLat * nLon);
  rasters.forEach((r, t) => values.set(r.values, t * nLat * nLon));
  return new Footprints({
    lat: axis(rasters[0].latMin, rasters[0].latMax, nLat),
    lon: axis(rasters[0].lonMin, rasters[0].lonMax, nLon),
    time: Float64Array.from(slots, (s) => Date.parse(s)),
    values,
  });
}

/**
 * The footprints of a period from the zipped NetCDF package (login needed).
 *
 * @param at The station and its service.
 * @param period First and last day (inclusive).
 * @param signal Aborts the requests.
 * @returns The footprints, or `undefined` when the service has no package for the period.
 */
export async function footprintsFromPackage(
  at: StationService,
  period: { start: StiltDate; end: StiltDate },
  signal?: AbortSignal,
): Promise<Footprints | undefined> {
  const { start, end } = period;
  const q = new URLSearchParams({
    stationId: at.id,
    fromDate: isoDay(start),
    toDate: isoDay(end),
  });
  const packages = await at.cp.fetchJson(
    `${at.stilt}/joinfootprints?${q}`,
    "Packaging STILT results",
    { auth: true, signal },
  ) as string[];
  if (!packages.length) return undefined;
  const res = await at.cp.request(`${at.stilt}/downloadresults/${packages[0]}`, {
    hint: "Downloading STILT results",
    auth: true,
    signal,
  });
  const zip = new Uint8Array(await res.arrayBuffer());
  const entry = zipEntries(zip).find((e) => e.name.endsWith("_footprint.nc"));
  if (!entry) {
    throw new UnsupportedFormatError(`STILT package ${packages[0]} has no footprint file`);
  }
  const nc = await openNetCDF(await zipRead(zip, entry));
  // try/finally rather than `using`: Node 20 and older browsers cannot parse `using`
  try {
    const units = String(nc.variables.find((v) => v.name === "time")?.attributes.units ?? "");
    const epoch = /since (\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?/.exec(units);
    const base = epoch
      ? Date.parse(`${epoch[1]}T${epoch[2] ?? "00:00:00"}Z`)
      : Date.UTC(2000, 0, 1);
    const days = await nc.read("time") as Float64Array;
    return new Footprints({
      lat: Float64Array.from(await nc.read("lat") as Float64Array),
      lon: Float64Array.from(await nc.read("lon") as Float64Array),
      time: Float64Array.from(days, (d) => Math.round(base + d * DAY)),
      values: Float64Array.from(await nc.read("foot") as Float64Array),
    });
  } finally {
    nc.close();
  }
}
