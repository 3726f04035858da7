/**
 * STILT from anywhere: stations, concentration time series and footprints
 * over HTTP (icoscp_stilt reads footprints only on the portal's own servers).
 * Reached as `cp.stilt`.
 *
 * @module
 */

import { type ColumnTable, table } from "arquero";
import type { CarbonPortal } from "../client.ts";
import { lookupCountry } from "../country.ts";
import { NotFoundError, UnsupportedFormatError } from "../errors.ts";
import { mapHtml, type MapOptions } from "../map.ts";
import { displayMarkers, tableHtml } from "../_display.ts";
import { openNetCDF } from "../netcdf.ts";
import { mapPool } from "../_pool.ts";
import type { BatchItem } from "../dobj.ts";
import { objectId } from "../ids.ts";
import {
  listDataObjectsQuery,
  listStationsQuery,
  objectsAtHeightQuery,
  stiltObservationsQuery,
} from "../sparql/queries.ts";
import { zipEntries, zipRead } from "../_zip_reader.ts";
import { stiltColumns } from "./columns.ts";
import { axis, decodeRaster, Footprints } from "./footprints.ts";
import { isoDay, slotHours, type StiltDate, toMs } from "./_hours.ts";
import { locIdent, stationName, type StiltIcosInfo, type StiltStationInfo } from "./station.ts";

export type { StiltDate } from "./_hours.ts";
export type { MapOptions } from "../map.ts";

/** Options of {@linkcode StiltStation.getTs}. */
export interface TimeSeriesOptions {
  /** Hours of the day; each selects the 3-hour slot it falls in. Default all eight slots. */
  hours?: readonly (number | string)[];
  /** A column group (`default`, `co2`, `ch4`, `co`, `rn`, `wind`, `latlon`, `all`) or column names. */
  columns?: string | readonly string[];
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of {@linkcode StiltStation.getFp}. */
export interface FootprintOptions {
  /** Hours of the day, as for time series. */
  hours?: readonly (number | string)[];
  /** `raster` (the viewer's per-slot raster, no login), `netcdf` (the zipped NetCDF package, login needed), or `auto` (default: netcdf when the client can log in). */
  via?: "auto" | "raster" | "netcdf";
  /** Requests in flight at once for rasters. Default 4. */
  concurrency?: number;
  /** Called as slots arrive. */
  onProgress?: (done: number, total: number) => void;
}

const DAY = 86_400_000;

/** A STILT station. Getters are pure; data comes from the async methods. */
export class StiltStation {
  /** The stationinfo entry. */
  readonly info: StiltStationInfo;
  /** ICOS facts when the station models an ICOS station, else `undefined`. */
  readonly icos: StiltIcosInfo | undefined;
  /** The country's name (`{ name: { common } }`, as icoscp_stilt's geoinfo). */
  readonly geoinfo: { name: { common: string } };
  #cp: CarbonPortal;
  #months = new Map<number, Promise<number[]>>();

  /**
   * Wraps a station; use `cp.stilt.get(id)` or `cp.stilt.find()`.
   *
   * @param cp The client.
   * @param info The stationinfo entry.
   * @param icos ICOS facts, if any.
   * @param country The country's common name.
   */
  constructor(
    cp: CarbonPortal,
    info: StiltStationInfo,
    icos: StiltIcosInfo | undefined,
    country: string,
  ) {
    this.#cp = cp;
    this.info = info;
    this.icos = icos;
    this.geoinfo = { name: { common: country } };
  }

  /** STILT id. */
  get id(): string {
    return this.info.id;
  }
  /** Display name: STILT name (or id) and altitude, e.g. `Zugspitze 730m`. */
  get name(): string {
    return stationName(this.info.id, this.info.name, this.info.alt);
  }
  /** Latitude. */
  get lat(): number {
    return this.info.lat;
  }
  /** Longitude. */
  get lon(): number {
    return this.info.lon;
  }
  /** Altitude above ground, metres. */
  get alt(): number {
    return this.info.alt;
  }
  /** Country code. */
  get country(): string {
    return this.info.countryCode ?? "";
  }
  /** Location identifier, e.g. `47.42Nx010.98Ex00730`. */
  get locIdent(): string {
    return locIdent(this.lat, this.lon, this.alt);
  }
  /** Years with results. */
  get years(): number[] {
    return [...this.info.years];
  }

  /**
   * Months (1–12) of a year that have footprints (one listing request per
   * year, cached).
   *
   * @param year The year.
   * @returns The months.
   */
  months(year: number): Promise<number[]> {
    if (!this.info.years.includes(year)) return Promise.resolve([]);
    let p = this.#months.get(year);
    if (!p) {
      p = this.listFootprints(`${year}-01-01`, `${year}-12-31`).then((slots) =>
        [...new Set(slots.map((s) => new Date(s).getUTCMonth() + 1))].sort((a, b) => a - b)
      );
      p.catch(() => this.#months.delete(year));
      this.#months.set(year, p);
    }
    return p;
  }

  /** A plain record of the station (icoscp_stilt's dictionary shape). */
  toRecord(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.name,
      lat: this.lat,
      lon: this.lon,
      alt: this.alt,
      locIdent: this.locIdent,
      country: this.country,
      icos: this.icos ?? false,
      years: this.years.map(String),
      geoinfo: this.geoinfo,
    };
  }

  /**
   * icoscp_stilt's station dictionary: the record plus, per year,
   * `{ months: ["01", …], nmonths }` (one footprint listing per year) and
   * the ICOS facts with `uri` as a one-element list.
   *
   * @returns The dictionary.
   */
  async toDict(): Promise<Record<string, unknown>> {
    const d: Record<string, unknown> = {
      alt: this.alt,
      country: this.country,
      geoinfo: this.geoinfo,
      icos: this.icos ? { ...this.icos, uri: [this.icos.uri] } : false,
      id: this.id,
      lat: this.lat,
      locIdent: this.locIdent,
      lon: this.lon,
      name: this.name,
      years: this.years.map(String),
    };
    for (const y of this.years) {
      const months = (await this.months(y)).map((m) => String(m).padStart(2, "0"));
      d[String(y)] = { months, nmonths: months.length };
    }
    return d;
  }

  /** POSTs a results request (`stiltresult` or `stiltrawresult`) and parses the rows. */
  async #results(
    endpoint: "stiltresult" | "stiltrawresult",
    start: StiltDate,
    end: StiltDate,
    columns: string[] | null,
    signal: AbortSignal | undefined,
  ): Promise<unknown[]> {
    const res = await this.#cp.request(`${this.#stilt()}/${endpoint}`, {
      method: "POST",
      hint: endpoint === "stiltresult" ? "Fetching STILT results" : "Fetching raw STILT results",
      idempotent: true,
      signal,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        stationId: this.id,
        fromDate: isoDay(start),
        toDate: isoDay(end),
        columns,
      }),
    });
    return await res.json() as unknown[];
  }

  /** The parts of [start, end] (whole days) that lie in years with runs, contiguous years merged. */
  #periodsWithRuns(start: StiltDate, end: StiltDate): [StiltDate, StiltDate][] {
    const from = toMs(start);
    const to = toMs(end);
    if (to < from) return [[start, end]]; // the service answers [] itself
    const have = new Set(this.years);
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

  #stilt(): string {
    const s = this.#cp.endpoints.stilt;
    if (!s) {
      throw new UnsupportedFormatError(`Portal ${this.#cp.endpoints.envri} has no STILT service`);
    }
    return s;
  }

  /**
   * The modelled concentration time series, 3-hourly, as an arquero table
   * whose `isodate` column is milliseconds since the epoch; missing values
   * are NaN.
   *
   * @param start First day (`YYYY-MM-DD`, a Date, or epoch seconds).
   * @param end Last day (inclusive).
   * @param options Hours and columns.
   * @returns The table.
   */
  async getTs(
    start: StiltDate,
    end: StiltDate,
    options: TimeSeriesOptions = {},
  ): Promise<ColumnTable> {
    const columns = stiltColumns(options.columns);
    const hours = new Set(slotHours(options.hours));
    // The service fails (HTTP 500) for a period that reaches into a year
    // without runs: ask only for the years with runs (none: an empty table,
    // as in Python).
    const rows: (number | string | null)[][] = [];
    for (const [from, to] of this.#periodsWithRuns(start, end)) {
      rows.push(
        ...await this.#results(
          "stiltresult",
          from,
          to,
          columns,
          options.signal,
        ) as (number | string | null)[][],
      );
    }
    const keep = rows.filter((r) => hours.has(new Date(Number(r[0]) * 1000).getUTCHours()));
    const out: Record<string, Float64Array> = {};
    columns.forEach((c, k) => {
      const col = new Float64Array(keep.length);
      for (let i = 0; i < keep.length; i++) {
        const v = keep[i][k];
        col[i] = v === null || v === "null" ? NaN : Number(v) * (k === 0 ? 1000 : 1);
      }
      out[c] = col;
    });
    return table(out);
  }

  /**
   * The raw STILT output of the slots that exist (icoscp_stilt's `get_raw`,
   * `fetch_result_ts(raw=True)`): every raw variable, or the columns asked
   * for, numbers as Float64Array (NaN for missing), `metadata` as strings,
   * `isodate` in milliseconds since the epoch.
   *
   * @param start First day.
   * @param end Last day (inclusive).
   * @param options Column names (default all), abort signal.
   * @returns The table, one row per existing slot.
   */
  async getRawTs(
    start: StiltDate,
    end: StiltDate,
    options: { columns?: readonly string[]; signal?: AbortSignal } = {},
  ): Promise<ColumnTable> {
    const columns = options.columns ? stiltColumns(options.columns) : null;
    const rows = await this.#results(
      "stiltrawresult",
      start,
      end,
      columns,
      options.signal,
    ) as (unknown[] | Record<string, unknown>)[];
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
        out[name] = Float64Array.from(
          values,
          (v) =>
            v === null || v === undefined || v === "null"
              ? NaN
              : Number(v) * (name === "isodate" ? 1000 : 1),
        );
      }
    });
    return table(out);
  }

  /**
   * The footprint slots between two days (inclusive).
   *
   * @param start First day.
   * @param end Last day.
   * @returns Slot times as ISO strings `YYYY-MM-DDTHH:MMZ`.
   */
  async listFootprints(start: StiltDate, end: StiltDate): Promise<string[]> {
    const q = new URLSearchParams({
      stationId: this.id,
      fromDate: isoDay(start),
      toDate: isoDay(end),
    });
    const list = await this.#cp.fetchJson(
      `${this.#stilt()}/listfootprints?${q}`,
      "Listing STILT footprints",
    ) as string[];
    return list.map((s) => (s.endsWith("Z") ? s : `${s}Z`));
  }

  /**
   * The footprints of the slots between two days, on one grid. Works
   * anywhere over HTTP: through the per-slot rasters (no login), or the
   * zipped NetCDF package (login needed).
   *
   * @param start First day.
   * @param end Last day (inclusive).
   * @param options Hours, path, concurrency, progress.
   * @returns The footprints.
   * @throws {NotFoundError} When there are no footprints in the range.
   */
  async getFp(
    start: StiltDate,
    end: StiltDate,
    options: FootprintOptions = {},
  ): Promise<Footprints> {
    const via = options.via ?? "auto";
    const useNetcdf = via === "netcdf" || (via === "auto" && this.#cp.hasAuth);
    const hours = new Set(slotHours(options.hours));
    const fp = useNetcdf
      ? await this.#fpFromPackage(start, end)
      : await this.#fpFromRasters(start, end, hours, options);
    const out = useNetcdf ? selectHours(fp, hours) : fp;
    out.station = { id: this.id, name: this.name, lat: this.lat, lon: this.lon };
    return out;
  }

  async #fpFromRasters(
    start: StiltDate,
    end: StiltDate,
    hours: Set<number>,
    options: FootprintOptions,
  ): Promise<Footprints> {
    const slots = (await this.listFootprints(start, end)).filter((s) =>
      hours.has(new Date(s).getUTCHours())
    );
    if (!slots.length) throw this.#none(start, end);
    let done = 0;
    const rasters = await mapPool(slots, options.concurrency ?? 4, async (s) => {
      const q = new URLSearchParams({ stationId: this.id, footprint: s.replace(/Z$/, "") });
      const res = await this.#cp.request(`${this.#stilt()}/footprint?${q}`, {
        hint: "Fetching STILT footprint",
        headers: { accept: "application/octet-stream" },
      });
      const r = decodeRaster(new Uint8Array(await res.arrayBuffer()));
      options.onProgress?.(++done, slots.length);
      return r;
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

  async #fpFromPackage(start: StiltDate, end: StiltDate): Promise<Footprints> {
    const q = new URLSearchParams({
      stationId: this.id,
      fromDate: isoDay(start),
      toDate: isoDay(end),
    });
    const packages = await this.#cp.fetchJson(
      `${this.#stilt()}/joinfootprints?${q}`,
      "Packaging STILT results",
      {
        auth: true,
      },
    ) as string[];
    if (!packages.length) throw this.#none(start, end);
    const res = await this.#cp.request(`${this.#stilt()}/downloadresults/${packages[0]}`, {
      hint: "Downloading STILT results",
      auth: true,
    });
    const zip = new Uint8Array(await res.arrayBuffer());
    const entry = zipEntries(zip).find((e) => e.name.endsWith("_footprint.nc"));
    if (!entry) {
      throw new UnsupportedFormatError(`STILT package ${packages[0]} has no footprint file`);
    }
    const nc = await openNetCDF(await zipRead(zip, entry));
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
  }

  #none(start: StiltDate, end: StiltDate): NotFoundError {
    return new NotFoundError("Fetching STILT footprints", {
      status: 404,
      url: `${this.#stilt()}/listfootprints`,
      body: `No footprints for ${this.id} from ${isoDay(start)} to ${isoDay(end)}`,
    });
  }

  /**
   * The ICOS observation data objects at this station's ICOS station and
   * sampling height, all data levels (1, 2 and 3), as icoscp's
   * `StiltStation.get_dobj_list()` documents them: columns `dobj`,
   * `hasNextVersion`, `spec`, `fileName`, `size`, `submTime`, `timeStart`,
   * `timeEnd` (times as Dates), by spec, newest submission first. Empty (with
   * those columns) for a station that is not an ICOS station.
   *
   * @param options Abort signal.
   * @returns The table.
   */
  async getDobjList(options: { signal?: AbortSignal } = {}): Promise<ColumnTable> {
    const icos = this.icos;
    if (!icos) {
      return table(Object.fromEntries(DOBJ_LIST_COLUMNS.map((c) => [c, []])));
    }
    const r = await this.#cp.sparql.select(
      objectsAtHeightQuery(
        { icosId: icos.stationId, height: icos.SamplingHeight ?? this.alt },
        { prefix: this.#cp.endpoints.metaInstancePrefix },
      ),
      { signal: options.signal },
    );
    return table({
      dobj: r.rows.map((x) => x.iri("dobj")),
      hasNextVersion: r.rows.map((x) => x.optString("hasNextVersion") === "true"),
      spec: r.rows.map((x) => x.iri("spec")),
      fileName: r.rows.map((x) => x.string("fileName")),
      size: r.rows.map((x) => x.optNumber("size") ?? NaN),
      submTime: r.rows.map((x) => x.date("submTime")),
      timeStart: r.rows.map((x) => x.date("timeStart")),
      timeEnd: r.rows.map((x) => x.date("timeEnd")),
    });
  }

  /**
   * The ObsPack observation data objects at this station's ICOS station and
   * sampling height (icoscp_stilt's `fetch_observations` looks these up).
   *
   * @param options Abort signal.
   * @returns A table of dobj, spec, fileName, samplingHeight, timeStart, timeEnd (empty for non-ICOS stations).
   */
  async getObspackList(options: { signal?: AbortSignal } = {}): Promise<ColumnTable> {
    const icos = this.icos;
    if (!icos) {
      return table({
        dobj: [],
        spec: [],
        fileName: [],
        samplingHeight: [],
        timeStart: [],
        timeEnd: [],
      });
    }
    const r = await this.#cp.sparql.select(
      stiltObservationsQuery(
        { icosId: icos.stationId, height: icos.SamplingHeight ?? this.alt },
        { prefix: this.#cp.endpoints.metaInstancePrefix },
      ),
      { signal: options.signal },
    );
    return table({
      dobj: r.rows.map((x) => x.iri("dobj")),
      spec: r.rows.map((x) => x.iri("spec")),
      fileName: r.rows.map((x) => x.string("fileName")),
      samplingHeight: r.rows.map((x) => x.optNumber("samplingHeight") ?? NaN),
      timeStart: r.rows.map((x) => x.date("timeStart")),
      timeEnd: r.rows.map((x) => x.date("timeEnd")),
    });
  }
}

/** The columns of icoscp's `get_dobj_list()`. */
const DOBJ_LIST_COLUMNS = [
  "dobj",
  "hasNextVersion",
  "spec",
  "fileName",
  "size",
  "submTime",
  "timeStart",
  "timeEnd",
] as const;

function selectHours(fp: Footprints, hours: Set<number>): Footprints {
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

/** The filters of {@linkcode StiltApi.find}; applied in the order given. */
export interface StiltFilters {
  /** STILT or ICOS station ids (case-insensitive). */
  id?: string | readonly string[];
  /** Case-insensitive text anywhere in the station's record. */
  search?: string;
  /** Keep only these stations: an earlier result (a selection, its `toDict()` or records), stations or ids. */
  stations?: StiltStationRefs;
  /** Country or countries: alpha-2, alpha-3 or a name in any language the data has, any case. */
  country?: string | readonly string[];
  /** ICOS stations only (true) or non-ICOS only (false). */
  icos?: boolean;
  /** icoscp_stilt's `project="icos"` (any case): the same as `icos: true`. */
  project?: string;
  /** `[[latNW, lonNW], [latSE, lonSE]]`. */
  bbox?: readonly [readonly [number, number], readonly [number, number]];
  /** `[lat, lon, km = 200]`: a box of ±km × 0.01 degrees. */
  pinpoint?: readonly [number, number] | readonly [number, number, number];
  /** Stations with results in or after this month. */
  sdate?: StiltDate;
  /** Stations with results in or before this month. */
  edate?: StiltDate;
  /** Stations with results in any of these months. */
  dates?: readonly StiltDate[];
}

/** Options of {@linkcode StiltApi.find}. */
export interface FindOptions {
  /** Called as month listings arrive (date filters and availability need them). */
  onProgress?: (done: number, total: number) => void;
  /** Month listing requests in flight at once. Default 4. */
  concurrency?: number;
}

function monthIndex(d: StiltDate): number {
  const t = new Date(toMs(d));
  return t.getUTCFullYear() * 12 + t.getUTCMonth();
}

/** A set of STILT stations with its renderings. */
export class StiltSelection {
  /** The stations. */
  readonly stations: StiltStation[];
  #options: FindOptions;

  /**
   * Wraps stations.
   *
   * @param stations The stations.
   * @param options Progress callback and concurrency for the availability table.
   */
  constructor(stations: StiltStation[], options: FindOptions = {}) {
    this.stations = stations;
    this.#options = options;
  }

  /** Notebook rendering (Deno Jupyter kernel): a map and the table of the stations. */
  [Symbol.for("Jupyter.display")](): Promise<Record<string, string>> {
    return displayMarkers(
      this.stations.map((s) => ({ lat: s.lat, lon: s.lon, title: s.id })),
      `${this.stations.length} STILT station${this.stations.length === 1 ? "" : "s"}`,
      tableHtml(this.toTable()),
    );
  }

  /** Station ids. */
  get ids(): string[] {
    return this.stations.map((s) => s.id);
  }

  /** Records (icoscp_stilt's dictionary values). */
  records(): Record<string, unknown>[] {
    return this.stations.map((s) => s.toRecord());
  }

  /** Python's `find(outfmt='dict')`: records keyed by station id ({@linkcode StiltApi.get} takes it back). */
  toDict(): Record<string, Record<string, unknown>> {
    return Object.fromEntries(this.stations.map((s) => [s.id, s.toRecord()]));
  }

  /** An arquero table: id, name, lat, lon, alt, country, locIdent, icosId, icosHeight, years. */
  toTable(): ColumnTable {
    const s = this.stations;
    return table({
      id: s.map((x) => x.id),
      name: s.map((x) => x.name),
      lat: s.map((x) => x.lat),
      lon: s.map((x) => x.lon),
      alt: s.map((x) => x.alt),
      country: s.map((x) => x.country),
      locIdent: s.map((x) => x.locIdent),
      icosId: s.map((x) => x.icos?.stationId ?? ""),
      icosHeight: s.map((x) => x.icos?.SamplingHeight ?? NaN),
      years: s.map((x) => x.years.join(" ")),
    });
  }

  /**
   * A standalone HTML map of the stations.
   *
   * @param options Map options.
   * @returns The page.
   */
  toMap(options: MapOptions = {}): string {
    return mapHtml(
      this.stations.map((s) => ({
        lat: s.lat,
        lon: s.lon,
        title: `${s.name} (${s.id})`,
        details: {
          id: s.id,
          country: s.country,
          icos: s.icos?.stationId,
          years: s.years.join(", "),
        },
      })),
      { title: "STILT stations", ...options },
    );
  }

  /**
   * The yearly availability table (icoscp_stilt's `avail`): per station the
   * ICOS id and height (or altitude) and the number of months per year.
   *
   * @returns A table with a column per year.
   */
  async availability(): Promise<ColumnTable> {
    const years = [...new Set(this.stations.flatMap((s) => s.years))].sort((a, b) => a - b);
    const jobs = this.stations.flatMap((s) => s.years.map((y) => ({ s, y })));
    let done = 0;
    const counts = await mapPool(jobs, this.#options.concurrency ?? 4, async ({ s, y }) => {
      const n = (await s.months(y)).length;
      this.#options.onProgress?.(++done, jobs.length);
      return n;
    });
    const per = new Map<string, number>();
    jobs.forEach((j, k) => per.set(`${j.s.id}|${j.y}`, counts[k]));
    const cols: Record<string, unknown[]> = {
      id: this.ids,
      "ICOS id": this.stations.map((s) => s.icos?.stationId ?? ""),
      alt: this.stations.map((s) => s.icos?.SamplingHeight ?? s.alt),
    };
    for (const y of years) cols[String(y)] = this.stations.map((s) => per.get(`${s.id}|${y}`) ?? 0);
    // year keys are integer-like: JavaScript would list them before "id"
    return table(cols, ["id", "ICOS id", "alt", ...years.map(String)]);
  }
}

/** What {@linkcode StiltApi.get} takes for several stations. */
export type StiltStationRefs =
  | StiltSelection
  | readonly (string | StiltStation | { readonly id: string } | Readonly<Record<string, unknown>>)[]
  | Readonly<Record<string, unknown>>;

/**
 * STILT access of a client (`cp.stilt`).
 */
export class StiltApi {
  #cp: CarbonPortal;
  #stations: Promise<StiltStation[]> | undefined;

  /**
   * Creates the API for a client; use `cp.stilt`.
   *
   * @param cp The client.
   */
  constructor(cp: CarbonPortal) {
    this.#cp = cp;
  }

  /** Forgets the cached station list. */
  clearCache(): void {
    this.#stations = undefined;
  }

  /**
   * Every STILT station, with ICOS facts for those at ICOS stations (cached
   * per client; `clearCache()` to refresh).
   *
   * @returns The stations, sorted by id.
   */
  list(): Promise<StiltStation[]> {
    this.#stations ??= this.#load();
    this.#stations.catch(() => (this.#stations = undefined));
    return this.#stations;
  }

  async #load(): Promise<StiltStation[]> {
    const stilt = this.#cp.endpoints.stilt;
    if (!stilt) {
      throw new UnsupportedFormatError(`Portal ${this.#cp.endpoints.envri} has no STILT service`);
    }
    const [infos, icos, countries] = await Promise.all([
      this.#cp.fetchJson(`${stilt}/stationinfo`, "Fetching STILT stations") as Promise<
        StiltStationInfo[]
      >,
      this.#cp.sparql.select(
        listStationsQuery("AS", { prefix: this.#cp.endpoints.metaInstancePrefix }),
      ),
      lookupCountry(),
    ]);
    const byId = new Map(icos.rows.map((r) => [r.string("stId"), r]));
    const names = new Map(countries.map((c) => [c.cca2, c.name.common]));
    names.set("XZ", "international waters");
    return infos.map((info) => {
      const r = info.icosId ? byId.get(info.icosId) : undefined;
      const facts: StiltIcosInfo | undefined = r && {
        stationId: r.string("stId"),
        name: r.string("stationName"),
        country: r.string("cCode"),
        lat: r.optNumber("lat") ?? NaN,
        lon: r.optNumber("lon") ?? NaN,
        eas: r.optNumber("elevation") ?? NaN,
        uri: r.iri("station"),
        SamplingHeight: info.icosHeight,
      };
      return new StiltStation(
        this.#cp,
        info,
        facts,
        names.get(info.countryCode ?? "") ?? info.countryCode ?? "",
      );
    }).sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * One station by STILT id (or ICOS id when no STILT id matches), or several.
   *
   * @param ids An id or a station.
   * @returns The station.
   * @throws {NotFoundError} When an id matches no station.
   */
  async get(ids: string | StiltStation): Promise<StiltStation>;
  /**
   * Several stations: ids, stations, records (`{ id }`, e.g. from
   * `selection.records()`), what {@linkcode StiltApi.find} returns, or a
   * dictionary keyed by id as Python's `find()` returns.
   *
   * @param ids Ids, stations, records, a selection or an id-keyed dictionary.
   * @returns The stations, in the order given.
   */
  async get(ids: StiltStationRefs): Promise<StiltStation[]>;
  async get(
    ids: string | StiltStation | StiltStationRefs,
  ): Promise<StiltStation | StiltStation[]> {
    if (ids instanceof StiltSelection) return [...ids.stations];
    if (ids instanceof StiltStation) return ids;
    const all = await this.list();
    const one = (ref: unknown) => {
      if (ref instanceof StiltStation) return ref;
      const id = typeof ref === "string" ? ref : (ref as { id?: unknown } | null)?.id;
      if (typeof id !== "string") {
        throw new TypeError(`Not a STILT station id or record: ${JSON.stringify(ref)}`);
      }
      const u = id.toUpperCase();
      const s = all.find((x) => x.id.toUpperCase() === u) ??
        all.find((x) => x.icos?.stationId.toUpperCase() === u);
      if (!s) {
        throw new NotFoundError("Fetching STILT station", {
          status: 404,
          url: `${this.#cp.endpoints.stilt}/stationinfo`,
          body: `No STILT station ${id}`,
        });
      }
      return s;
    };
    if (typeof ids === "string") return one(ids);
    if (Array.isArray(ids)) return ids.map(one);
    return Object.entries(ids as Record<string, unknown>).map(([k, v]) =>
      one(v instanceof StiltStation || typeof (v as { id?: unknown })?.id === "string" ? v : k)
    );
  }

  /**
   * icoscp_stilt's `fetch_observations(spec, stations, columns)`: the
   * observation data of one data type (e.g. an ObsPack spec) at the ICOS
   * station and sampling height that each STILT station models, fetched in
   * one batch. Stations without ICOS counterpart or without such an object
   * are absent from the result.
   *
   * @param spec The data type's URI.
   * @param stations STILT stations (anything {@linkcode StiltApi.get} takes).
   * @param options Columns (default all), concurrency, abort signal.
   * @returns Per STILT station id: the data object and its columns.
   */
  async fetchObservations(
    spec: string,
    stations: StiltStationRefs,
    options: { columns?: readonly string[]; concurrency?: number; signal?: AbortSignal } = {},
  ): Promise<Map<string, BatchItem>> {
    const list = await this.get(stations);
    const prefix = this.#cp.endpoints.metaInstancePrefix.replace(/\/?$/, "/");
    const stationUri = (icosId: string) => `${prefix}resources/stations/AS_${icosId}`;
    const byKey = new Map<string, StiltStation[]>();
    for (const s of list) {
      if (!s.icos) continue;
      const key = `${stationUri(s.icos.stationId)}|${Number(s.icos.SamplingHeight ?? s.alt)}`;
      byKey.set(key, [...(byKey.get(key) ?? []), s]);
    }
    const out = new Map<string, BatchItem>();
    if (byKey.size === 0) return out;
    const uris = [...new Set([...byKey.keys()].map((k) => k.split("|")[0]))];
    const r = await this.#cp.sparql.select(
      listDataObjectsQuery({ specs: [spec], stations: uris, limit: 100_000 }),
      { signal: options.signal },
    );
    const wanted = new Map<string, StiltStation[]>();
    for (const row of r.rows) {
      const height = row.optNumber("samplingHeight");
      const st = row.optString("station");
      if (height === undefined || st === undefined) continue;
      const ss = byKey.get(`${st}|${height}`);
      if (ss) wanted.set(objectId(row.iri("dobj")), ss);
    }
    const items = await this.#cp.batchGetColumns([...wanted.keys()], {
      columns: options.columns,
      concurrency: options.concurrency,
      signal: options.signal,
    });
    for (const item of items) {
      for (const s of wanted.get(item.dobj.id) ?? []) out.set(s.id, item);
    }
    return out;
  }

  /**
   * Finds stations with icoscp_stilt's filters, applied in the order given.
   *
   * @param filters Filters (see {@linkcode StiltFilters}).
   * @param options Progress callback and concurrency of month listings.
   * @returns The selection.
   */
  async find(filters: StiltFilters = {}, options: FindOptions = {}): Promise<StiltSelection> {
    let list = await this.list();
    for (const [key, value] of Object.entries(filters)) {
      if (value === undefined) continue;
      list = await this.#apply(key as keyof StiltFilters, value, list, filters, options);
    }
    return new StiltSelection(list, options);
  }

  async #apply(
    key: keyof StiltFilters,
    value: unknown,
    list: StiltStation[],
    filters: StiltFilters,
    options: FindOptions,
  ): Promise<StiltStation[]> {
    switch (key) {
      case "id": {
        const wanted = (typeof value === "string" ? [value] : value as string[]).map(String);
        const keys = (s: StiltStation) =>
          [s.id, s.icos?.stationId, s.info.icosId].filter((k): k is string => !!k).map((k) =>
            k.toUpperCase()
          );
        const all = await this.list();
        const unknown = wanted.filter((i) => !all.some((s) => keys(s).includes(i.toUpperCase())));
        if (unknown.length) {
          throw new NotFoundError("Finding STILT stations", {
            status: 404,
            url: `${this.#cp.endpoints.stilt}/stationinfo`,
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
        const src = await this.get(value as StiltStationRefs);
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
          throw new TypeError(`Unknown project ${value} (only "icos")`);
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
        if (hi < lo) throw new RangeError("The start date is after the end date");
        return await this.#byMonths(list, (m) => m >= lo && m <= hi, options);
      }
      case "dates": {
        const wanted = new Set((value as StiltDate[]).map(monthIndex));
        return await this.#byMonths(list, (m) => wanted.has(m), options);
      }
      default:
        throw new TypeError(`Unknown STILT filter ${key}`);
    }
  }

  /** Keeps stations with a month that passes `ok`, listing months only for the years that decide. */
  async #byMonths(
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
}

async function countryCodes(value: string): Promise<Set<string>> {
  const v = value.trim();
  if (/^(xz|international waters)$/i.test(v)) return new Set(["XZ"]);
  let found = await lookupCountry({ code: v });
  if (!found.length) {
    const n = v.toLowerCase();
    found = (await lookupCountry()).filter((c) =>
      c.name.common.toLowerCase() === n || c.name.official.toLowerCase() === n ||
      Object.values(c.name.native ?? {}).some((x) => x.common.toLowerCase() === n) ||
      Object.values(c.translations ?? {}).some((x) =>
        x.common.toLowerCase() === n || x.official.toLowerCase() === n
      ) ||
      (c.altSpellings ?? []).some((a) => a.toLowerCase() === n)
    );
  }
  return new Set(found.map((c) => c.cca2.toUpperCase()));
}
