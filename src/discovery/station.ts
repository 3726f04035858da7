/**
 * Stations: lists, details, their data objects and products, maps
 * (icoscp's `station` module). Reached as `cp.station`.
 *
 * @module
 */

import { type ColumnTable, escape, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { UnknownValueError } from "../errors.ts";
import type { StationMeta, UriResource } from "../dobj/meta_types.ts";
import { displayMarkers, tableHtml } from "../plot/_display.ts";
import { stationDataQuery } from "../sparql/queries.ts";
import { checkOptions, isPlainObject, text } from "../_util/args.ts";
export { StationApi } from "./_station_api.ts";

/** One station of a station list (the columns of icoscp's `getIdList`). */
export interface StationRecord {
  /** Station URI. */
  uri: string;
  /** Station id (`GAT`, `SE-Htm`). */
  id: string;
  /** Name. */
  name: string;
  /** ICOS class: `1`, `2`, `Associated`, or empty. */
  icosClass: string;
  /** ISO alpha-2 country code. */
  country: string;
  /** Latitude (NaN when unknown, e.g. ships). */
  lat: number;
  /** Longitude (NaN when unknown). */
  lon: number;
  /** Elevation above sea level, metres (NaN when unknown). */
  elevation: number;
  /** The station class URI (`…/cpmeta/AS`). */
  stationTheme: string;
  /** The current PI's first name. */
  firstName: string;
  /** The current PI's last name. */
  lastName: string;
  /** The current PI's email. */
  email: string;
  /** Site type from the station entry (`grassland`, `tall tower`, …). */
  siteType: string;
  /** `ICOS`, `NEON`, `INGOS`, `FLUXNET` or `other`, from the station URI. */
  project: string;
  /** The last segment of `stationTheme` (`AS`, `ES`, `OS`, `AtmoStation`, …). */
  theme: string;
}

/** Options of {@linkcode StationApi.getIdList} and friends. */
export interface StationListOptions {
  /** `ICOS` (default: stations with an ICOS class) or `ALL` (non-ICOS stations too; their data may carry other licences); any case. */
  project?: "ICOS" | "ALL" | "all" | (string & Record<never, never>);
  /** Themes, one or a list: `AS`, `ES`, `OS` (default all three for ICOS) or, with project `ALL`, other station classes (`AtmoStation`, …); any case. */
  theme?: string | readonly string[];
  /** Station ids, one or a list; any case. */
  ids?: string | readonly string[];
  /** ISO alpha-2 country codes, one or a list; any case. */
  countries?: string | readonly string[];
  /** Column(s) to sort by. Default `name`. */
  sort?: keyof StationRecord | readonly (keyof StationRecord)[];
}

/** The keys of icoscp's `Station.info()` (its attribute names), as {@linkcode Station.toDict} gives them. */
export interface PythonStationDict {
  /** Station id (icoscp `stationId`). */
  stationId: string;
  /** Name. */
  name: string;
  /** `AS`, `ES`, `OS` (ICOS stations; otherwise the station class). */
  theme: string;
  /** ICOS class (icoscp `icosclass`). */
  icosclass: string;
  /** Site type. */
  siteType: string;
  /** Latitude (null when unknown). */
  lat: number | null;
  /** Longitude (null when unknown). */
  lon: number | null;
  /** Elevation above sea level (icoscp `eas`; null when unknown). */
  eas: number | null;
  /** PI first name. */
  firstName: string;
  /** PI last name. */
  lastName: string;
  /** PI e-mail. */
  email: string;
  /** Country code. */
  country: string;
  /** Project of every station entry with this id (ICOS first). */
  project: string[];
  /** URI of every station entry with this id (ICOS first). */
  uri: string[];
}

/** The data levels {@linkcode Station.data} filters on. */
export type StationDataLevel = 1 | 2 | 3 | "1" | "2" | "3" | "all";

/** A station's landing-page metadata (icoscp_core `get_station_meta`): {@linkcode StationMeta} plus its staff. */
export interface StationLandingPage extends StationMeta {
  /** Memberships (PIs, researchers …) with role and period. */
  staff?: {
    person: { self: UriResource; firstName: string; lastName: string; email?: string };
    role: { role: UriResource; start?: string; end?: string; weight?: number; extra?: string };
  }[];
}

/**
 * A station with its attributes; its data objects and products are fetched
 * by the async methods.
 */
export class Station {
  /** The station's attributes. */
  readonly record: StationRecord;
  /** Every station entry with this id (several projects may share an id); `record` is the first. */
  readonly entries: readonly StationRecord[];
  #cp: CarbonPortal;
  #data?: Promise<ColumnTable>;

  /**
   * Wraps a station record; use `cp.station.get(id)`.
   *
   * @param cp The client.
   * @param record The attributes.
   * @param options `entries`: all entries with this id, `record` first (default: just `record`).
   */
  constructor(
    cp: CarbonPortal,
    record: StationRecord,
    options: { entries?: readonly StationRecord[] } = {},
  ) {
    const { entries } = options;
    this.#cp = cp;
    this.record = record;
    this.entries = entries?.length ? entries : [record];
  }

  /** Station id (icoscp's attribute name). */
  get stationId(): string {
    return this.record.id;
  }
  /** Elevation above sea level, metres (icoscp's attribute name). */
  get eas(): number {
    return this.record.elevation;
  }
  /** ICOS class (icoscp's attribute name). */
  get icosclass(): string {
    return this.record.icosClass;
  }
  /** PI first name. */
  get firstName(): string {
    return this.record.firstName;
  }
  /** PI last name. */
  get lastName(): string {
    return this.record.lastName;
  }
  /** PI e-mail. */
  get email(): string {
    return this.record.email;
  }
  /** True: a Station object exists only for a station found (icoscp's `valid`). */
  get valid(): boolean {
    return true;
  }

  /**
   * The attributes under icoscp's names (`Station.info()` / `info('dict')`):
   * stationId, name, theme, icosclass, siteType, lat, lon, eas, firstName,
   * lastName, email, country, project (list), uri (list).
   *
   * @returns A plain object.
   */
  toDict(): PythonStationDict {
    const r = this.record;
    const num = (x: number) => Number.isFinite(x) ? x : null;
    return {
      stationId: r.id,
      name: r.name,
      theme: r.theme,
      icosclass: r.icosClass,
      siteType: r.siteType,
      lat: num(r.lat),
      lon: num(r.lon),
      eas: num(r.elevation),
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      country: r.country,
      project: this.entries.map((e) => e.project),
      uri: this.entries.map((e) => e.uri),
    };
  }

  /**
   * The station's landing-page metadata (icoscp_core's `meta.get_station_meta`):
   * id, location, responsible organisation, theme-specific info, staff …
   *
   * @returns The metadata.
   * @throws {NotFoundError} When the portal has no landing page for the station.
   */
  async meta(): Promise<StationLandingPage> {
    return await this.#cp.fetchJson(this.uri, "Fetching station metadata") as StationLandingPage;
  }

  /** Notebook rendering (Deno Jupyter kernel): the station on a map and its attributes. */
  [Symbol.for("Jupyter.display")](): Promise<Record<string, string>> {
    const r = this.record;
    return displayMarkers(
      [{ lat: r.lat, lon: r.lon, title: r.id }],
      `${r.name} (${r.id})`,
      tableHtml(
        table(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [v]]))),
      ),
    );
  }

  /** `GAT Gartow (AS, class 1, DE)`: what `String(station)` and template strings show. */
  toString(): string {
    const r = this.record;
    const what = [r.theme, r.icosClass ? `class ${r.icosClass}` : "", r.country].filter(Boolean);
    return `${r.id} ${r.name}${what.length ? ` (${what.join(", ")})` : ""}`;
  }

  /** Station id. */
  get id(): string {
    return this.record.id;
  }
  /** Name. */
  get name(): string {
    return this.record.name;
  }
  /** URI (landing page). */
  get uri(): string {
    return this.record.uri;
  }
  /** Theme: `AS`, `ES`, `OS`, … */
  get theme(): string {
    return this.record.theme;
  }
  /** ICOS class. */
  get icosClass(): string {
    return this.record.icosClass;
  }
  /** Latitude. */
  get lat(): number {
    return this.record.lat;
  }
  /** Longitude. */
  get lon(): number {
    return this.record.lon;
  }
  /** Elevation above sea level, metres (icoscp's `eas`). */
  get elevation(): number {
    return this.record.elevation;
  }
  /** Country code. */
  get country(): string {
    return this.record.country;
  }
  /** Project. */
  get project(): string {
    return this.record.project;
  }
  /** Site type. */
  get siteType(): string {
    return this.record.siteType;
  }
  /** The current PI. */
  get pi(): { firstName: string; lastName: string; email: string } {
    return {
      firstName: this.record.firstName,
      lastName: this.record.lastName,
      email: this.record.email,
    };
  }

  /**
   * The station's data objects (not deprecated) with spec, level, time range,
   * size and sampling height, as icoscp's `Station.data(level)`: every level
   * by default, exactly the level given otherwise.
   *
   * @param level `1`, `2`, `3` (exactly that level) or `all` (default).
   * @returns A table with columns dobj, spec, specLabel, datalevel, timeStart, timeEnd, bytes, samplingheight.
   * @throws {UnknownValueError} For another level.
   */
  async data(level: StationDataLevel | { level?: StationDataLevel } = "all"): Promise<ColumnTable> {
    if (isPlainObject(level)) checkOptions("Station.data", level, { level: true });
    const lv = String(
      typeof level === "object" && level !== null ? level.level ?? "all" : level ?? "all",
    ).trim().toLowerCase();
    if (!["1", "2", "3", "all"].includes(lv)) {
      throw new UnknownValueError("data level", level, { valid: ["1", "2", "3", "all"] });
    }
    this.#data ??= this.#fetchData().catch((e) => {
      this.#data = undefined;
      throw e;
    });
    const all = await this.#data;
    const n = Number(lv);
    return lv === "all" ? all : all.filter(escape((d: { datalevel: number }) => d.datalevel === n));
  }

  async #fetchData(): Promise<ColumnTable> {
    const uris = this.entries.map((e) => e.uri);
    const r = await this.#cp.sparql.select(stationDataQuery(uris, "all"));
    const rows = r.rows;
    return table({
      dobj: rows.map((x) => x.iri("dobj")),
      spec: rows.map((x) => x.iri("spec")),
      specLabel: rows.map((x) => x.string("specLabel")),
      datalevel: rows.map((x) => x.int("datalevel")),
      timeStart: rows.map((x) => x.date("timeStart")),
      timeEnd: rows.map((x) => x.date("timeEnd")),
      bytes: rows.map((x) => x.int("bytes")),
      samplingheight: rows.map((x) => x.optNumber("samplingheight") ?? NaN),
    }).orderby("specLabel", "timeStart");
  }

  /**
   * The data products (spec labels) available at the station (icoscp's `products()`).
   *
   * @param level As {@linkcode Station.data} (default all levels).
   * @returns Sorted unique labels.
   */
  async products(
    level: StationDataLevel | { level?: StationDataLevel } = "all",
  ): Promise<string[]> {
    const t = await this.data(level);
    return [...new Set(t.array("specLabel") as string[])].sort();
  }

  /**
   * Sampling heights of one product at the station (icoscp's `getSamplingHeight` / `sh`).
   *
   * @param product A spec label.
   * @param level As {@linkcode Station.data} (default all levels).
   * @returns Sorted unique heights (empty when the product has none here).
   * @throws {UnknownValueError} When the station has no such product (the message lists
   *   its products): `"co2"` is no product label.
   */
  async samplingHeights(
    product: string,
    level: StationDataLevel | { level?: StationDataLevel } = "all",
  ): Promise<number[]> {
    text("Station.samplingHeights", "product", product);
    const t = await this.data(level);
    const rows = t.objects() as { specLabel: string; samplingheight: number }[];
    const labels = [...new Set(rows.map((r) => r.specLabel))].sort();
    // a label in another case is the same product; a label that is no product is an error
    const label = labels.find((l) => l === product) ??
      labels.find((l) => l.toLowerCase() === product.trim().toLowerCase());
    if (label === undefined) {
      throw new UnknownValueError(`product of station ${this.id}`, product, { valid: labels });
    }
    const h = rows
      .filter((r) => r.specLabel === label && Number.isFinite(r.samplingheight))
      .map((r) => r.samplingheight);
    return [...new Set(h)].sort((a, b) => a - b);
  }
}
