/**
 * Stations: lists, details, their data objects and products, maps
 * (icoscp's `station` module). Reached as `cp.station`.
 *
 * @module
 */

import { type ColumnTable, escape, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { InvalidArgumentError, NotFoundError, UnknownValueError } from "../errors.ts";
import { loadCountries } from "./country.ts";
import type { StationMeta, UriResource } from "../dobj/meta_types.ts";
import { displayMarkers, tableHtml } from "../plot/_display.ts";
import {
  mapHtml,
  type MapMarker,
  type MapOptions,
  markersToGeoJson,
  type PointCollection,
} from "./map.ts";
import { CPMETA, ICOS_THEMES, stationDataQuery, stationQuery } from "../sparql/queries.ts";
import type { SparqlRow } from "../sparql/result.ts";
import {
  checkOptions,
  isPlainObject,
  noExtraArguments,
  optionalStringList,
  type OptionKeys,
  text,
} from "../_util/args.ts";

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

const LIST_KEYS: OptionKeys<StationListOptions> = {
  project: true,
  theme: true,
  ids: true,
  countries: true,
  sort: true,
};
const MAP_KEYS: OptionKeys<StationListOptions & MapOptions> = {
  ...LIST_KEYS,
  title: true,
  leafletUrl: true,
  tiles: true,
  attribution: true,
};

/**
 * The list options of a call, checked: Python's positional `getList(theme, ids)`
 * (a string or list first, ids second) is accepted; unknown keys, and lists
 * that are neither a string nor a list of strings, are errors.
 */
function listOptions<T extends StationListOptions>(
  where: string,
  args: ArrayLike<unknown>,
  keys: OptionKeys<T>,
): T {
  let given = args[0];
  if (typeof given === "string" || Array.isArray(given)) {
    // Python: station.getList(['as', 'os']) / getList(theme, ids)
    noExtraArguments(where, args, 2);
    given = { theme: given, ...(args[1] !== undefined ? { ids: args[1] } : {}) };
  } else noExtraArguments(where, args, 1);
  const o = checkOptions(where, given as T | undefined, keys, { id: "ids", country: "countries" });
  if (o.project !== undefined && typeof o.project !== "string") {
    throw new InvalidArgumentError(where, "project", o.project, '"ICOS" or "ALL"');
  }
  const sort = optionalStringList(where, "sort", o.sort);
  return {
    ...o,
    theme: optionalStringList(where, "theme", o.theme),
    ids: optionalStringList(where, "ids", o.ids),
    countries: optionalStringList(where, "countries", o.countries),
    sort: sort as StationListOptions["sort"],
  };
}

const COLUMNS: readonly (keyof StationRecord)[] = [
  "uri",
  "id",
  "name",
  "icosClass",
  "country",
  "lat",
  "lon",
  "elevation",
  "stationTheme",
  "firstName",
  "lastName",
  "email",
  "siteType",
  "project",
  "theme",
];

function projectOf(uri: string): string {
  const local = uri.slice(uri.lastIndexOf("/") + 1);
  if (/^(AS|ES|OS)_/.test(local)) return "ICOS";
  for (const p of ["NEON", "INGOS", "FLUXNET"]) if (local.toUpperCase().startsWith(p)) return p;
  return "other";
}

function record(r: SparqlRow): StationRecord {
  const uri = r.iri("uri");
  const theme = r.iri("stationTheme");
  return {
    uri,
    id: r.string("id"),
    name: r.optString("name") ?? "",
    icosClass: r.optString("icosClass") ?? "",
    country: r.optString("country") ?? "",
    lat: r.optNumber("lat") ?? NaN,
    lon: r.optNumber("lon") ?? NaN,
    elevation: r.optNumber("elevation") ?? NaN,
    stationTheme: theme,
    firstName: r.optString("firstName") ?? "",
    lastName: r.optString("lastName") ?? "",
    email: r.optString("email") ?? "",
    siteType: r.optString("siteType") ?? "",
    project: projectOf(uri),
    theme: theme.slice(theme.lastIndexOf("/") + 1),
  };
}

function sortRecords(
  list: StationRecord[],
  sort: StationListOptions["sort"] = "name",
): StationRecord[] {
  const keys = (typeof sort === "string" ? [sort] : [...sort]) as (keyof StationRecord)[];
  for (const k of keys) {
    if (!COLUMNS.includes(k)) {
      throw new UnknownValueError("sort column", k, { valid: COLUMNS });
    }
  }
  return list.sort((a, b) => {
    for (const k of keys) {
      const x = a[k], y = b[k];
      const c = typeof x === "number" && typeof y === "number"
        ? (Number.isNaN(x) ? 1 : Number.isNaN(y) ? -1 : x - y)
        : String(x).localeCompare(String(y));
      if (c !== 0) return c;
    }
    return 0;
  });
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

function list(v: string | readonly string[] | undefined): string[] {
  if (v === undefined || v === null) return [];
  return (typeof v === "string" ? [v] : [...v]).filter((x) => x !== "");
}

/**
 * Station access of a client (`cp.station`).
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const b = (v: string, datatype?: string) => ({ type: datatype === "uri" ? "uri" : "literal", value: v, ...(datatype && datatype !== "uri" ? { datatype } : {}) });
 * const answer = { head: { vars: [] }, results: { bindings: [{
 *   uri: b("http://meta.icos-cp.eu/resources/stations/AS_GAT", "uri"), id: b("GAT"), name: b("Gartow"),
 *   stationTheme: b("http://meta.icos-cp.eu/ontologies/cpmeta/AS", "uri"), icosClass: b("1"), country: b("DE"),
 *   lat: b("53.0657", "http://www.w3.org/2001/XMLSchema#double"),
 * }] } };
 * const cp = new CarbonPortal({ fetch: () => Promise.resolve(Response.json(answer)) });
 * const gat = await cp.station.get("GAT");
 * assert.deepEqual([gat.name, gat.theme, gat.project, gat.lat], ["Gartow", "AS", "ICOS", 53.0657]);
 * ```
 */
export class StationApi {
  #cp: CarbonPortal;

  /**
   * Creates the API for a client; use `cp.station`.
   *
   * @param cp The client.
   */
  constructor(cp: CarbonPortal) {
    this.#cp = cp;
  }

  /**
   * Stations as records, sorted. Project, themes, ids and country codes are
   * accepted in any case; ids match case-insensitively (as icoscp's `get`).
   *
   * @param options Project, themes, ids, countries, sort.
   * @returns The records.
   * @throws {UnknownValueError} For an unknown project, theme or country code, or
   *   project `ICOS` with a theme that is not `AS`, `ES` or `OS`.
   */
  async records(options: StationListOptions = {}): Promise<StationRecord[]> {
    options = listOptions("station.records", arguments, LIST_KEYS);
    return await this.#records(options);
  }

  async #records(options: StationListOptions): Promise<StationRecord[]> {
    const project = projectOption(options.project);
    const countries = await countryCodes(list(options.countries));
    const themes = await this.#themes(list(options.theme), project);
    const ids = list(options.ids).map((i) => i.toUpperCase());
    const q = stationQuery({ themes, countries, project });
    const r = await this.#cp.sparql.select(q);
    let recs = r.rows.map(record);
    if (ids.length) recs = recs.filter((s) => ids.includes(s.id.toUpperCase()));
    return sortRecords(recs, options.sort);
  }

  /** ICOS themes upper-cased; other station classes resolved case-insensitively against the portal's. */
  async #themes(given: string[], project: "ICOS" | "ALL"): Promise<string[]> {
    const out: string[] = [];
    let classes: string[] | undefined;
    for (const t of given) {
      if (ICOS_THEMES.includes(t.toUpperCase())) {
        out.push(t.toUpperCase());
        continue;
      }
      if (project === "ICOS") {
        throw new UnknownValueError(
          "theme of ICOS stations (other station classes need project ALL)",
          t,
          { valid: ICOS_THEMES },
        );
      }
      classes ??= await this.stationClasses();
      const hit = classes.find((c) => c.toUpperCase() === t.toUpperCase());
      if (!hit) {
        throw new UnknownValueError("theme", t, {
          valid: [...new Set([...ICOS_THEMES, ...classes])],
        });
      }
      out.push(hit);
    }
    return out;
  }

  /**
   * The station classes (themes) the portal's stations have: `AS`, `ES`,
   * `OS`, `AtmoStation`, `Station` …
   *
   * @returns Sorted local names.
   */
  async stationClasses(): Promise<string[]> {
    const r = await this.#cp.sparql.select(
      `select distinct ?cls where { ?s <${CPMETA}hasStationId> [] ; a ?cls . filter(strstarts(str(?cls), "${CPMETA}")) }`,
    );
    return r.rows.map((x) => x.iri("cls").slice(CPMETA.length)).sort();
  }

  /**
   * The station list as an arquero table with icoscp's columns: uri, id,
   * name, icosClass, country, lat, lon, elevation, stationTheme, firstName,
   * lastName, email, siteType, project, theme.
   *
   * @param options Project (`ICOS` default, or `ALL`), themes, ids, countries, sort.
   * @returns The table.
   * @throws {UnknownValueError} As {@linkcode StationApi.records}.
   */
  async getIdList(options: StationListOptions = {}): Promise<ColumnTable> {
    options = listOptions("station.getIdList", arguments, LIST_KEYS);
    const list = await this.#records(options);
    return table(Object.fromEntries(COLUMNS.map((c) => [c, list.map((s) => s[c])])));
  }

  /**
   * One station by id, any project, id in any case (icoscp's `station.get`).
   * When several projects have a station with that id, the ICOS one gives
   * the attributes and all of them are in `entries` (Python's `uri` and
   * `project` lists).
   *
   * @param id The station id, e.g. `NOR` or `FR-Aur`.
   * @returns The station.
   * @throws {NotFoundError} When no station has that id.
   */
  async get(id: string): Promise<Station> {
    noExtraArguments("station.get", arguments, 1);
    const [st] = await this.#byIds([text("station.get", "id", id).trim()]);
    return st;
  }

  async #byIds(ids: string[]): Promise<Station[]> {
    const all = await this.#records({ ids, project: "ALL", sort: "uri" });
    return ids.map((id) => {
      const entries = all.filter((s) => s.id.toUpperCase() === id.toUpperCase())
        .sort((a, b) => Number(b.project === "ICOS") - Number(a.project === "ICOS"));
      if (!entries.length) {
        throw new NotFoundError("Fetching station", {
          status: 404,
          url: this.#cp.endpoints.sparql,
          body: `No station with id ${id}`,
        });
      }
      return new Station(this.#cp, entries[0], { entries });
    });
  }

  /**
   * Several stations as {@linkcode Station} objects (icoscp's `getList`).
   * As in Python: with `ids`, exactly those stations (any project, any case)
   * and the theme is ignored; otherwise the ICOS stations of the themes, or,
   * when a theme is not an ICOS one and no project is given, the stations of
   * that class in any project.
   *
   * @param options Themes or ids (and the other list options).
   * @returns The stations.
   * @throws {NotFoundError} When an id matches no station.
   * @throws {UnknownValueError} As {@linkcode StationApi.records}.
   */
  async getList(options: StationListOptions = {}): Promise<Station[]> {
    options = listOptions("station.getList", arguments, LIST_KEYS);
    const ids = list(options.ids);
    if (ids.length) return await this.#byIds(ids);
    const themes = list(options.theme);
    const project = options.project ??
      (themes.some((t) => !ICOS_THEMES.includes(t.toUpperCase())) ? "ALL" : "ICOS");
    return (await this.#records({ ...options, project })).map((r) => new Station(this.#cp, r));
  }

  /**
   * A station's landing-page metadata (icoscp_core's `meta.get_station_meta`).
   *
   * @param station A station URI, or an id (looked up as {@linkcode StationApi.get}).
   * @returns The metadata.
   * @throws {NotFoundError} When there is no such station.
   */
  async getStationMeta(station: string): Promise<StationLandingPage> {
    station = text("station.getStationMeta", "station", station).trim();
    const uri = /^https?:\/\//.test(station) ? station : (await this.get(station)).uri;
    return await this.#cp.fetchJson(uri, "Fetching station metadata") as StationLandingPage;
  }

  /**
   * The stations as GeoJSON points (the `outfmt: "map"` data of icoscp).
   *
   * @param options List options.
   * @returns A FeatureCollection (stations without a position are left out).
   */
  async geoJson(options: StationListOptions = {}): Promise<PointCollection> {
    options = listOptions("station.geoJson", arguments, LIST_KEYS);
    return markersToGeoJson(markers(await this.#records(options)));
  }

  /**
   * A standalone HTML page with a Leaflet map of the stations, a popup each
   * (icoscp's `getIdList(outfmt="map")`).
   *
   * @param options List options plus map options (title, Leaflet URL, tiles).
   * @returns The page.
   */
  async map(options: StationListOptions & MapOptions = {}): Promise<string> {
    options = listOptions("station.map", arguments, MAP_KEYS);
    const { title, leafletUrl, tiles, attribution } = options;
    return mapHtml(markers(await this.#records(options)), {
      title,
      leafletUrl,
      tiles,
      attribution,
    });
  }
}

function projectOption(p: string | undefined): "ICOS" | "ALL" {
  const v = String(p ?? "ICOS").toUpperCase();
  if (v !== "ICOS" && v !== "ALL") {
    throw new UnknownValueError("project", p, { valid: ["ICOS", "ALL"] });
  }
  return v;
}

async function countryCodes(codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  const known = (await loadCountries()).map((c) => c.cca2).sort();
  return codes.map((c) => {
    const u = String(c).toUpperCase();
    if (!known.includes(u)) {
      throw new UnknownValueError("country code (ISO 3166-1 alpha-2)", c, { valid: known });
    }
    return u;
  });
}

function markers(list: StationRecord[]): MapMarker[] {
  return list.map((s) => ({
    lat: s.lat,
    lon: s.lon,
    title: `${s.name} (${s.id})`,
    details: {
      id: s.id,
      theme: s.theme,
      class: s.icosClass,
      country: s.country,
      elevation: Number.isFinite(s.elevation) ? s.elevation : undefined,
      PI: [s.firstName, s.lastName].filter(Boolean).join(" ") || undefined,
      uri: s.uri,
    },
  }));
}
