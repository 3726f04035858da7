/**
 * Stations: lists, details, their data objects and products, maps
 * (icoscp's `station` module). Reached as `cp.station`.
 *
 * @module
 */

import { type ColumnTable, table } from "arquero";
import type { CarbonPortal } from "./client.ts";
import { NotFoundError } from "./errors.ts";
import { displayMarkers, tableHtml } from "./_display.ts";
import {
  mapHtml,
  type MapMarker,
  type MapOptions,
  markersToGeoJson,
  type PointCollection,
} from "./map.ts";
import { stationDataQuery, stationQuery } from "./sparql/queries.ts";
import type { SparqlRow } from "./sparql/result.ts";

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
  /** `ICOS` (default: stations with an ICOS class) or `all` (non-ICOS stations too; their data may carry other licences). */
  project?: "ICOS" | "all";
  /** Themes: `AS`, `ES`, `OS` (default all three for ICOS). */
  theme?: readonly string[];
  /** Station ids. */
  ids?: readonly string[];
  /** ISO alpha-2 country codes. */
  countries?: readonly string[];
  /** Column(s) to sort by. Default `name`. */
  sort?: keyof StationRecord | readonly (keyof StationRecord)[];
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
      throw new TypeError(`Cannot sort by ${k} (columns: ${COLUMNS.join(", ")})`);
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

/**
 * A station with its attributes; its data objects and products are fetched
 * by the async methods.
 */
export class Station {
  /** The station's attributes. */
  readonly record: StationRecord;
  #cp: CarbonPortal;

  /**
   * Wraps a station record; use `cp.station.get(id)`.
   *
   * @param cp The client.
   * @param record The attributes.
   */
  constructor(cp: CarbonPortal, record: StationRecord) {
    this.#cp = cp;
    this.record = record;
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
   * size and sampling height.
   *
   * @param options `level`: 1, 2, 3 or `all` (level > 0). Default 2 (level 2 and up, like icoscp).
   * @returns A table with columns dobj, spec, specLabel, datalevel, timeStart, timeEnd, bytes, samplingheight.
   */
  async data(options: { level?: 1 | 2 | 3 | "all" } = {}): Promise<ColumnTable> {
    const r = await this.#cp.sparql.select(stationDataQuery([this.uri], options.level ?? 2));
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
   * The data products (spec labels) available at the station.
   *
   * @param options As {@linkcode Station.data}.
   * @returns Sorted unique labels.
   */
  async products(options: { level?: 1 | 2 | 3 | "all" } = {}): Promise<string[]> {
    const t = await this.data(options);
    return [...new Set(t.array("specLabel") as string[])].sort();
  }

  /**
   * Sampling heights of one product at the station (icoscp's `getSamplingHeight`).
   *
   * @param product A spec label.
   * @param options As {@linkcode Station.data}.
   * @returns Sorted unique heights (empty when the product has none here).
   */
  async samplingHeights(
    product: string,
    options: { level?: 1 | 2 | 3 | "all" } = {},
  ): Promise<number[]> {
    const t = await this.data(options);
    const h = (t.objects() as { specLabel: string; samplingheight: number }[])
      .filter((r) => r.specLabel === product && Number.isFinite(r.samplingheight))
      .map((r) => r.samplingheight);
    return [...new Set(h)].sort((a, b) => a - b);
  }
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
   * Stations as records, sorted.
   *
   * @param options Project, themes, ids, countries, sort.
   * @returns The records.
   */
  async records(options: StationListOptions = {}): Promise<StationRecord[]> {
    const q = stationQuery({
      ids: options.ids,
      themes: options.theme,
      countries: options.countries,
      project: options.project === "all" ? "all" : "ICOS",
    }, { prefix: this.#cp.endpoints.metaInstancePrefix });
    const r = await this.#cp.sparql.select(q);
    return sortRecords(r.rows.map(record), options.sort);
  }

  /**
   * The station list as an arquero table with icoscp's columns: uri, id,
   * name, icosClass, country, lat, lon, elevation, stationTheme, firstName,
   * lastName, email, siteType, project, theme.
   *
   * @param options Project, themes, ids, countries, sort.
   * @returns The table.
   */
  async getIdList(options: StationListOptions = {}): Promise<ColumnTable> {
    const list = await this.records(options);
    return table(Object.fromEntries(COLUMNS.map((c) => [c, list.map((s) => s[c])])));
  }

  /**
   * One station by id (any project).
   *
   * @param id The station id, e.g. `NOR` or `FR-Aur`.
   * @returns The station.
   * @throws {NotFoundError} When no station has that id.
   */
  async get(id: string): Promise<Station> {
    const list = await this.records({ ids: [id], project: "all" });
    const exact = list.find((s) => s.id === id) ?? list[0];
    if (!exact) {
      throw new NotFoundError("Fetching station", {
        status: 404,
        url: this.#cp.endpoints.sparql,
        body: `No station with id ${id}`,
      });
    }
    return new Station(this.#cp, exact);
  }

  /**
   * Several stations as {@linkcode Station} objects.
   *
   * @param options Themes and ids (and the other list options).
   * @returns The stations.
   */
  async getList(options: StationListOptions = {}): Promise<Station[]> {
    return (await this.records(options)).map((r) => new Station(this.#cp, r));
  }

  /**
   * The stations as GeoJSON points (the `outfmt: "map"` data of icoscp).
   *
   * @param options List options.
   * @returns A FeatureCollection (stations without a position are left out).
   */
  async geoJson(options: StationListOptions = {}): Promise<PointCollection> {
    return markersToGeoJson(markers(await this.records(options)));
  }

  /**
   * A standalone HTML page with a Leaflet map of the stations, a popup each
   * (icoscp's `getIdList(outfmt="map")`).
   *
   * @param options List options plus map options (title, Leaflet URL, tiles).
   * @returns The page.
   */
  async map(options: StationListOptions & MapOptions = {}): Promise<string> {
    return mapHtml(markers(await this.records(options)), options);
  }
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
