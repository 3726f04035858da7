/**
 * The STILT viewer service of the local Carbon Portal emulator
 * (`https://stilt.icos-cp.eu/viewer/…`, docs/protocol.md §7): station list,
 * processed and raw time series, footprint lists and rasters, result
 * packages (zip with a NetCDF-4 file), available meteorology months.
 *
 * The data are synthetic and deterministic: a handful of real STILT stations
 * (GAT344, HHHH, HTM150, JFJ, ZSF) with made-up availability, time series and
 * footprints generated on request from a seed. All endpoints agree: the slot
 * lists, the time series rows, the raster and the packaged NetCDF files are
 * computed from the same per-slot state.
 *
 * @module
 */

import { INTERNAL_ERROR, jsonText, negotiate, NOT_FOUND, notAcceptable, text } from "./_http.ts";
import { footprintGrid, gridLats, gridLons, gridStats, N_LAT, N_LON } from "./_footprint.ts";
import { javaDouble, sprayNumber } from "./_java_numbers.ts";
import { buildPackage } from "./_package.ts";
import {
  DAY_SECONDS,
  existingSlots,
  hasYear,
  isoMinute,
  parseLocalDateTime,
  slotExists,
} from "./_slots.ts";
import { type ProcessedRow, processRow, rawRow, stiltMetadataUrl } from "./_concentration_rows.ts";
import { builtInStations, type StiltStationDef } from "./_stations.ts";
import { allSlots, readBatch, readResultRequest, type ResultRequest, years } from "./_requests.ts";
import { renderRow } from "./_result_rows.ts";

/** Options of {@linkcode createStiltService}. */
export interface StiltServiceOptions {
  /** Seed of the synthetic data; the same seed gives the same bytes. Default 42. */
  seed?: number;
  /** The logged-in user's email from the request's auth cookie, or undefined. */
  userOf(req: Request): Promise<string | undefined>;
}

/** The STILT viewer as the emulator mounts it under `<url>/stilt/viewer/`. */
export interface StiltService {
  /**
   * Answers a request; `subpath` is what follows `/stilt/viewer/` (query
   * string included or not). Resolves to undefined for paths that are not
   * STILT's (the server answers 404).
   */
  handle(req: Request, subpath: string): Promise<Response | undefined>;
  /**
   * Turtle for the metadata store (may be empty). `prefix` is the
   * emulator's meta instance prefix (`http://127.0.0.1:PORT/meta/`); it is
   * also used from then on in the `metadata` column of the time series.
   */
  rdf(prefix: string): string;
}

const DEFAULT_SEED = 42;
const DEFAULT_META_PREFIX = "https://meta.icos-cp.eu/";
const BATCH_PARAMS_MESSAGE = "Expected 'stationId', 'fromDate', and 'toDate' URL parameters";
const BAD_PAYLOAD_MESSAGE = "Expected a correct stilt result request JSON payload";
const LOGIN_MESSAGE = "Please log in with Carbon Portal";
const STATIONINFO_TYPES = ["text/plain", "text/csv", "application/json"] as const;
const RASTER_TYPES = ["application/json", "application/octet-stream"] as const;
const FIRST_MET_MONTH = "2006-01";
const LAST_MET_MONTH = "2024-12";

interface StoredPackage {
  bytes: Uint8Array<ArrayBuffer>;
  stationId: string;
  fileName: string;
  stamp: number;
}

/**
 * Creates the STILT viewer service of the emulator.
 *
 * @param options Seed of the synthetic data and the cookie-to-user lookup.
 * @returns The service: `handle` answers requests, `rdf` gives metadata.
 *
 * @example Listing the STILT stations as CSV, as `pandas.read_csv` gets them
 * ```ts
 * import { createStiltService } from "./service.ts";
 * import assert from "node:assert/strict";
 *
 * const stilt = createStiltService({ userOf: () => Promise.resolve(undefined) });
 * const res = await stilt.handle(new Request("http://127.0.0.1/stilt/viewer/stationinfo"), "stationinfo");
 * const lines = (await res!.text()).split("\n");
 * assert.equal(lines[0], "STILT id,STILT name,ICOS id,ICOS height,Country,STILT lat,STILT lon,STILT alt");
 * assert.ok(lines.includes("GAT344,Gartow,GAT,341.0,DE,53.07,11.44,344"));
 * ```
 *
 * @example A day of processed time series: 8 rows, components add up
 * ```ts
 * import { createStiltService } from "./service.ts";
 * import assert from "node:assert/strict";
 *
 * const stilt = createStiltService({ userOf: () => Promise.resolve(undefined) });
 * const req = new Request("http://127.0.0.1/stilt/viewer/stiltresult", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({
 *     stationId: "HTM150", fromDate: "2018-01-01", toDate: "2018-01-01",
 *     columns: ["isodate", "co2.stilt", "co2.background", "co2.bio", "co2.fuel", "co2.cement", "co2.non_fuel"],
 *   }),
 * });
 * const rows: (number | null)[][] = await (await stilt.handle(req, "stiltresult"))!.json();
 * assert.equal(rows.length, 8);
 * assert.equal(rows[0][0], Date.UTC(2018, 0, 1) / 1000);
 * for (const [, stilt_, bg, bio, fuel, cement, nonFuel] of rows.filter((r) => r[1] !== null)) {
 *   assert.ok(Math.abs(stilt_! - (bg! + bio! + fuel! + cement! + nonFuel!)) < 1e-9);
 * }
 * ```
 */
export function createStiltService(options: StiltServiceOptions): StiltService {
  const seed = options.seed ?? DEFAULT_SEED;
  const stations = builtInStations();
  const byId = new Map(stations.map((s) => [s.id, s]));
  const packages = new Map<string, StoredPackage>(); // relative path -> package
  const busy = new Set<string>();
  let metaPrefix = DEFAULT_META_PREFIX;
  let stamp = 0;

  const processed = (station: StiltStationDef, sec: number): ProcessedRow =>
    processRow(rawRow(station, sec, seed, stiltMetadataUrl(metaPrefix)));

  function stationInfo(req: Request): Response {
    const media = negotiate(req.headers.get("accept"), STATIONINFO_TYPES);
    if (media === undefined) {
      return notAcceptable([
        "text/plain; charset=UTF-8",
        "text/csv; charset=UTF-8",
        "application/json",
      ]);
    }
    const yearsOf = (
      s: StiltStationDef,
    ) => [...new Set(s.months.map((m) => Number(m.slice(0, 4))))];
    if (media === "application/json") {
      const items = stations.map((s) => {
        const fields: string[] = [`"id":${JSON.stringify(s.id)}`];
        if (s.name !== undefined) fields.push(`"name":${JSON.stringify(s.name)}`);
        if (s.icosId !== undefined) fields.push(`"icosId":${JSON.stringify(s.icosId)}`);
        if (s.icosHeight !== undefined) {
          // a Java Float widened to Double by spray-json: 13.9 -> 13.899999618530273
          fields.push(`"icosHeight":${sprayNumber(Math.fround(s.icosHeight))}`);
        }
        if (s.countryCode !== undefined) {
          fields.push(`"countryCode":${JSON.stringify(s.countryCode)}`);
        }
        fields.push(`"lat":${sprayNumber(s.lat)}`, `"lon":${sprayNumber(s.lon)}`);
        fields.push(`"alt":${s.alt}`, `"years":[${yearsOf(s).join(",")}]`);
        return `{${fields.join(",")}}`;
      });
      return jsonText(`[${items.join(",")}]`);
    }
    const lines = ["STILT id,STILT name,ICOS id,ICOS height,Country,STILT lat,STILT lon,STILT alt"];
    for (const s of stations) {
      lines.push([
        s.id,
        s.name ?? "",
        s.icosId ?? "",
        s.icosHeight === undefined ? "" : javaDouble(s.icosHeight),
        s.countryCode ?? "",
        javaDouble(s.lat),
        javaDouble(s.lon),
        String(s.alt),
      ].join(","));
    }
    return new Response(lines.join("\n"), {
      headers: { "content-type": `${media}; charset=UTF-8` },
    });
  }

  function availableMonths(): Response {
    const months: string[] = [];
    let [y, m] = FIRST_MET_MONTH.split("-").map(Number);
    const [ly, lm] = LAST_MET_MONTH.split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      months.push(`"${y}-${String(m).padStart(2, "0")}"`);
      if (++m === 13) [y, m] = [y + 1, 1];
    }
    return jsonText(`[${months.join(",")}]`);
  }

  function listFootprints(params: URLSearchParams): Response {
    const batch = readBatch(params, byId);
    if (!batch) return text(400, BATCH_PARAMS_MESSAGE);
    if (!batch.station || batch.fromSec > batch.toSec) return jsonText("[]");
    const slots = existingSlots(batch.station, batch.fromSec, batch.toSec + DAY_SECONDS, seed);
    return jsonText(JSON.stringify(slots.map(isoMinute)));
  }

  function footprint(req: Request, params: URLSearchParams): Response {
    for (const name of ["stationId", "footprint"]) {
      if (params.get(name) === null) {
        return text(404, `Request is missing required query parameter '${name}'`);
      }
    }
    const station = byId.get(params.get("stationId")!);
    const sec = parseLocalDateTime(params.get("footprint")!);
    // The real service fails opening the missing NetCDF file: an unhandled error.
    if (!station || sec === undefined || !slotExists(station, sec, seed)) {
      return text(500, INTERNAL_ERROR);
    }
    const media = negotiate(req.headers.get("accept"), RASTER_TYPES);
    if (media === undefined) return notAcceptable([...RASTER_TYPES]);
    const grid = footprintGrid(station, sec, seed);
    const { min, max } = gridStats(grid);
    const lats = gridLats();
    const lons = gridLons();
    const box = [lats[0], lats[N_LAT - 1], lons[0], lons[N_LON - 1]];
    if (media === "application/octet-stream") {
      const bytes = new Uint8Array(64 + 8 * grid.length);
      const view = new DataView(bytes.buffer);
      [N_LAT, N_LON, min, max, ...box].forEach((v, i) => view.setFloat64(8 * i, v));
      for (let k = 0; k < grid.length; k++) view.setFloat64(64 + 8 * k, grid[k]);
      return new Response(bytes, {
        headers: {
          "content-type": "application/octet-stream",
          "content-length": String(bytes.length),
        },
      });
    }
    // JSON variant, pretty-printed by spray-json. The real service fills it
    // with Array.tabulate(nLat, nLon)((a, b) => raster.get(a, b)) where get
    // takes (lon, lat): element [a][b] is the value at flat (lat-major) index
    // b * nLon + a. Reproduced as is (docs/protocol.md §11).
    const rows: string[] = [];
    for (let a = 0; a < N_LAT; a++) {
      const cells: string[] = [];
      for (let b = 0; b < N_LON; b++) cells.push(sprayNumber(grid[b * N_LON + a]));
      rows.push(`[${cells.join(", ")}]`);
    }
    const body = [
      "{",
      '  "stats": {',
      `    "min": ${sprayNumber(min)},`,
      `    "max": ${sprayNumber(max)}`,
      "  },",
      '  "boundingBox": {',
      `    "latMin": ${sprayNumber(box[0])},`,
      `    "latMax": ${sprayNumber(box[1])},`,
      `    "lonMin": ${sprayNumber(box[2])},`,
      `    "lonMax": ${sprayNumber(box[3])}`,
      "  },",
      `  "array": [${rows.join(", ")}]`,
      "}",
    ].join("\n");
    return jsonText(body);
  }

  function stiltResult(r: ResultRequest): Response {
    const station = byId.get(r.stationId);
    if (r.fromSec > r.toSec) return jsonText("[]");
    // The row cache of a year that has no folder fails ("There appears to be no results for year …").
    if (!station || years(r.fromSec, r.toSec).some((y) => !hasYear(station, y))) {
      return text(500, INTERNAL_ERROR);
    }
    const rows = allSlots(r.fromSec, r.toSec).map((sec) => {
      if (!slotExists(station, sec, seed)) {
        // an empty 4096-byte record of the cache file does not parse as JSON
        const message =
          "Unexpected end-of-input at input index 4096 (line 2, position 1), expected JSON Value:\n\n^\n";
        return renderRow(sec, [["errorReadingSlotCache", message]], r.columns);
      }
      return renderRow(sec, [...processed(station, sec)], r.columns);
    });
    return jsonText(`[${rows.join(",")}]`);
  }

  function stiltRawResult(r: ResultRequest): Response {
    const station = byId.get(r.stationId);
    if (!station || r.fromSec > r.toSec) return jsonText("[]");
    const slots = existingSlots(station, r.fromSec, r.toSec + DAY_SECONDS, seed);
    const rows = slots.map((sec) => {
      const raw = rawRow(station, sec, seed, stiltMetadataUrl(metaPrefix));
      const fields: [string, number | string][] = raw.names.map((n, i) => [n, raw.values[i]]);
      fields.push(["metadata", raw.metadata]);
      return renderRow(sec, fields, r.columns);
    });
    return jsonText(`[${rows.join(",")}]`);
  }

  function packageList(stationId: string, prefix: string): string[] {
    return [...packages.entries()]
      .filter(([, p]) => p.stationId === stationId && p.fileName.startsWith(prefix))
      .sort((a, b) => b[1].stamp - a[1].stamp)
      .map(([path]) => path);
  }

  function listResultPackages(params: URLSearchParams): Response {
    const batch = readBatch(params, byId);
    if (!batch) return text(400, BATCH_PARAMS_MESSAGE);
    // Listing a station folder that does not exist fails on the real server.
    if (!batch.station) return text(500, INTERNAL_ERROR);
    const list = packageList(batch.stationId, `${batch.stationId}_${batch.from}_${batch.to}`);
    return jsonText(JSON.stringify(list));
  }

  async function joinFootprints(req: Request, params: URLSearchParams): Promise<Response> {
    const user = await options.userOf(req);
    if (user === undefined) return text(401, LOGIN_MESSAGE);
    const batch = readBatch(params, byId);
    if (!batch) return text(400, BATCH_PARAMS_MESSAGE);
    const userKey = `user:${user}`;
    const stationKey = `station:${batch.stationId}`;
    if (busy.has(userKey)) {
      return text(
        503,
        "You are already running a packaging job at the moment. Please wait a minute and try again.",
      );
    }
    if (busy.has(stationKey)) {
      return text(
        503,
        `Someone else is packaging results for station ${batch.stationId} at the moment. Please wait a minute and try again.`,
      );
    }
    busy.add(userKey);
    busy.add(stationKey);
    try {
      const station = batch.station;
      if (!station || batch.fromSec > batch.toSec) return text(500, INTERNAL_ERROR);
      const slots = existingSlots(station, batch.fromSec, batch.toSec + DAY_SECONDS, seed);
      // "No footprints available", or a year without results in the CSV part
      if (
        slots.length === 0 || years(batch.fromSec, batch.toSec).some((y) => !hasYear(station, y))
      ) {
        return text(500, INTERNAL_ERROR);
      }
      const rows = allSlots(batch.fromSec, batch.toSec).map((sec): [
        number,
        ProcessedRow | undefined,
      ] => [sec, slotExists(station, sec, seed) ? processed(station, sec) : undefined]);
      const pkg = await buildPackage(
        station,
        batch.from,
        batch.to,
        slots,
        rows,
        seed,
        () => new Promise((resolve) => setTimeout(resolve, 0)),
      );
      packages.set(`${station.id}/${pkg.fileName}`, {
        bytes: pkg.bytes,
        stationId: station.id,
        fileName: pkg.fileName,
        stamp: ++stamp,
      });
      return jsonText(
        JSON.stringify(packageList(station.id, `${station.id}_${batch.from}_${batch.to}`)),
      );
    } finally {
      busy.delete(userKey);
      busy.delete(stationKey);
    }
  }

  async function downloadResults(req: Request, relPath: string): Promise<Response> {
    if ((await options.userOf(req)) === undefined) return text(401, LOGIN_MESSAGE);
    const pkg = packages.get(relPath);
    if (!pkg) return text(404, NOT_FOUND);
    return new Response(pkg.bytes, {
      headers: {
        "content-type": "application/zip",
        "content-length": String(pkg.bytes.length),
      },
    });
  }

  async function handle(req: Request, subpath: string): Promise<Response | undefined> {
    const q = subpath.indexOf("?");
    const path = q >= 0 ? subpath.slice(0, q) : subpath;
    const params = q >= 0
      ? new URLSearchParams(subpath.slice(q + 1))
      : new URL(req.url).searchParams;
    if (req.method === "GET") {
      switch (path) {
        case "stationinfo":
          return stationInfo(req);
        case "availablemonths":
          return availableMonths();
        case "listfootprints":
          return listFootprints(params);
        case "footprint":
          return footprint(req, params);
        case "joinfootprints":
          return await joinFootprints(req, params);
        case "listresultpackages":
          return listResultPackages(params);
      }
      if (path.startsWith("downloadresults/")) {
        let rel: string;
        try {
          rel = decodeURIComponent(path.slice("downloadresults/".length));
        } catch {
          return undefined;
        }
        return await downloadResults(req, rel);
      }
      return undefined;
    }
    if (req.method === "POST") {
      const r = await readResultRequest(req);
      if (!r) return text(400, BAD_PAYLOAD_MESSAGE);
      if (path === "stiltresult") return stiltResult(r);
      if (path === "stiltrawresult") return stiltRawResult(r);
      return text(404, NOT_FOUND);
    }
    return undefined;
  }

  function rdf(prefix: string): string {
    metaPrefix = prefix;
    const subject = `<${stiltMetadataUrl(prefix)}>`;
    const rdfs = "http://www.w3.org/2000/01/rdf-schema#";
    return [
      `${subject} <${rdfs}label> "STILT model inputs (emulated)" ;`,
      `  <${rdfs}comment> "Emission, biosphere and meteorology inputs named in the metadata column of the emulator's STILT time series; synthetic." .`,
      "",
    ].join("\n");
  }

  return { handle, rdf };
}
