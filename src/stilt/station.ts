/**
 * STILT stations: the model's receptor locations, some of them at ICOS
 * stations (docs/protocol.md §7.1–7.2, §7.7), and {@linkcode StiltStation}
 * with its time series and footprints.
 *
 * @module
 */

import { checkOptions, integer, noExtraArguments, oneOf, stringList } from "../_util/args.ts";
import { type ColumnTable, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { CarbonPortalError, InvalidArgumentError, NotFoundError } from "../errors.ts";
import {
  footprintsFromPackage,
  footprintsFromRasters,
  selectHours,
  type StationService,
} from "./_footprint_transports.ts";
import { isoDay, slotHours, type StiltDate } from "./_hours.ts";
import { locIdent, stationName } from "./_loc_ident.ts";
import { dobjList, obspackList } from "./_observations.ts";
import { fetchResults, periodsWithRuns, rawColumns, tsColumns } from "./_results.ts";
import {
  type FootprintOptions,
  FP_KEYS,
  period,
  positional,
  RAW_KEYS,
  type TimeSeriesOptions,
  TS_KEYS,
} from "./_options.ts";
import { stiltColumns } from "./columns.ts";
import type { Footprints } from "./footprints.ts";
export { locIdent, parseLocIdent, stationName } from "./_loc_ident.ts";
export type { FootprintOptions, TimeSeriesOptions } from "./_options.ts";
export type { StiltDate } from "./_hours.ts";

/** ICOS facts of a STILT station at an ICOS station. */
export interface StiltIcosInfo {
  /** ICOS station id. */
  stationId: string;
  /** ICOS station name. */
  name: string;
  /** Country code. */
  country: string;
  /** Latitude of the ICOS station. */
  lat: number;
  /** Longitude of the ICOS station. */
  lon: number;
  /** Elevation above sea level, metres. */
  eas: number;
  /** The ICOS station URI. */
  uri: string;
  /** The ICOS sampling height the STILT station models, metres. */
  SamplingHeight: number | undefined;
}

/** A station as the stationinfo service lists it. */
export interface StiltStationInfo {
  /** STILT id (`HTM150`, `ZSF`). */
  id: string;
  /** STILT name. */
  name?: string;
  /** ICOS station id. */
  icosId?: string;
  /** ICOS sampling height, metres. */
  icosHeight?: number;
  /** Country code (alpha-2; `XZ` for international waters). */
  countryCode?: string;
  /** Latitude. */
  lat: number;
  /** Longitude. */
  lon: number;
  /** Altitude above ground, metres. */
  alt: number;
  /** Years with results. */
  years: number[];
}

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
   * @param init `info`: the stationinfo entry; `icos`: ICOS facts, if any; `country`: the
   *   country's common name.
   */
  constructor(
    cp: CarbonPortal,
    { info, icos, country }: {
      info: StiltStationInfo;
      icos: StiltIcosInfo | undefined;
      country: string;
    },
  ) {
    this.#cp = cp;
    this.info = info;
    this.icos = icos;
    this.geoinfo = { name: { common: country } };
  }

  /** `GAT344 (Gartow 344m, 53.07N 11.44E)`: what `String(station)` shows. */
  toString(): string {
    const lat = `${Math.abs(this.lat)}${this.lat >= 0 ? "N" : "S"}`;
    const lon = `${Math.abs(this.lon)}${this.lon >= 0 ? "E" : "W"}`;
    return `${this.id} (${this.name}, ${lat} ${lon})`;
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
    year = integer("months", "year", year, { min: 1900, max: 2200 });
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

  #stilt(): string {
    const s = this.#cp.endpoints.stilt;
    if (!s) {
      throw new CarbonPortalError(
        `Portal ${this.#cp.endpoints.envri} has no STILT service (STILT runs on the ICOS portal)`,
      );
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
    options = positional("getTs", arguments, TS_KEYS, "columns");
    [start, end] = period("getTs", start, end);
    const columns = stiltColumns(options.columns);
    const hours = new Set(slotHours(options.hours));
    // The service fails (HTTP 500) for a period that reaches into a year
    // without runs: ask only for the years with runs (none: an empty table,
    // as in Python).
    const rows: (number | string | null)[][] = [];
    for (const [from, to] of periodsWithRuns(this.years, start, end)) {
      rows.push(
        ...await fetchResults(
          this.#cp,
          this.#stilt(),
          this.id,
          "stiltresult",
          from,
          to,
          columns,
          options.signal,
        ) as (number | string | null)[][],
      );
    }
    return table(tsColumns(rows, columns, hours));
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
    noExtraArguments("getRawTs", arguments, 3);
    options = checkOptions("getRawTs", options, RAW_KEYS);
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new InvalidArgumentError("getRawTs", "signal", options.signal, "an AbortSignal");
    }
    [start, end] = period("getRawTs", start, end);
    // raw variables are more than the named columns: the service decides which exist
    const columns = options.columns
      ? [
        "isodate",
        ...stringList("getRawTs", "columns", options.columns).filter((c) => c !== "isodate"),
      ]
      : null;
    const rows = await fetchResults(
      this.#cp,
      this.#stilt(),
      this.id,
      "stiltrawresult",
      start,
      end,
      columns,
      options.signal,
    ) as (unknown[] | Record<string, unknown>)[];
    return table(rawColumns(rows, columns));
  }

  /**
   * The footprint slots between two days (inclusive).
   *
   * @param start First day.
   * @param end Last day.
   * @param options Abort signal.
   * @returns Slot times as ISO strings `YYYY-MM-DDTHH:MMZ`.
   */
  async listFootprints(
    start: StiltDate,
    end: StiltDate,
    options: { signal?: AbortSignal } = {},
  ): Promise<string[]> {
    noExtraArguments("listFootprints", arguments, 3);
    [start, end] = period("listFootprints", start, end);
    options = checkOptions("listFootprints", options, { signal: true });
    const q = new URLSearchParams({
      stationId: this.id,
      fromDate: isoDay(start),
      toDate: isoDay(end),
    });
    const list = await this.#cp.fetchJson(
      `${this.#stilt()}/listfootprints?${q}`,
      "Listing STILT footprints",
      { signal: options.signal },
    ) as string[];
    return list.map((s) => (s.endsWith("Z") ? s : `${s}Z`));
  }

  /**
   * The footprints of the slots between two days, on one grid. Works
   * anywhere over HTTP: through the per-slot rasters (the default, no
   * login), or the zipped NetCDF package (`via: "netcdf"`, login needed).
   * Abort with `signal`; whether it succeeds, fails or is aborted, the call
   * settles only once every request it started has ended.
   *
   * @param start First day.
   * @param end Last day (inclusive).
   * @param options Hours, transport, concurrency, progress, abort signal.
   * @returns The footprints.
   * @throws {NotFoundError} When there are no footprints in the range.
   * @throws {UnknownValueError} When `via` is neither `raster` nor `netcdf` (in any case).
   */
  async getFp(
    start: StiltDate,
    end: StiltDate,
    options: FootprintOptions = {},
  ): Promise<Footprints> {
    options = positional("getFp", arguments, FP_KEYS);
    [start, end] = period("getFp", start, end);
    const via = oneOf("getFp", "via", options.via ?? "raster", ["raster", "netcdf"] as const);
    if (options.concurrency !== undefined) {
      options = {
        ...options,
        concurrency: integer("getFp", "concurrency", options.concurrency, { min: 1 }),
      };
    }
    if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
      throw new InvalidArgumentError("getFp", "onProgress", options.onProgress, "a function");
    }
    const useNetcdf = via === "netcdf";
    const hours = new Set(slotHours(options.hours));
    const fp = useNetcdf
      ? await this.#fpFromPackage(start, end, options.signal)
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
    const slots = (await this.listFootprints(start, end, { signal: options.signal })).filter((s) =>
      hours.has(new Date(s).getUTCHours())
    );
    if (!slots.length) throw this.#none(start, end);
    return await footprintsFromRasters(this.#service(), slots, options);
  }

  async #fpFromPackage(
    start: StiltDate,
    end: StiltDate,
    signal: AbortSignal | undefined,
  ): Promise<Footprints> {
    // a period without runs: the packaging service fails with HTTP 500, so
    // ask the list first and answer as the anonymous path does
    if (!(await this.listFootprints(start, end, { signal })).length) throw this.#none(start, end);
    const fp = await footprintsFromPackage(this.#service(), { start, end }, signal);
    if (!fp) throw this.#none(start, end);
    return fp;
  }

  #service(): StationService {
    return { cp: this.#cp, stilt: this.#stilt(), id: this.id };
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
    return await dobjList(this.#cp, this, options);
  }

  /**
   * The ObsPack observation data objects at this station's ICOS station and
   * sampling height (icoscp_stilt's `fetch_observations` looks these up).
   *
   * @param options Abort signal.
   * @returns A table of dobj, spec, fileName, samplingHeight, timeStart, timeEnd (empty for non-ICOS stations).
   */
  async getObspackList(options: { signal?: AbortSignal } = {}): Promise<ColumnTable> {
    return await obspackList(this.#cp, this, options);
  }
}
