// Private: `cp.stations`: station lists (icoscp's `getIdList`), filtered by
// theme, class, country and project, as records, tables, GeoJSON or a map.

import {
  checkOptions,
  noExtraArguments,
  optionalStringList,
  type OptionKeys,
  text,
} from "../_util/args.ts";
import { type ColumnTable, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { InvalidArgumentError, NotFoundError, UnknownValueError } from "../errors.ts";
import { CPMETA, ICOS_THEMES, stationQuery } from "../sparql/queries.ts";
import type { SparqlRow } from "../sparql/result.ts";
import { loadCountries } from "./country.ts";
import {
  mapHtml,
  type MapMarker,
  type MapOptions,
  markersToGeoJson,
  type PointCollection,
} from "./map.ts";
import {
  Station,
  type StationLandingPage,
  type StationListOptions,
  type StationRecord,
} from "./station.ts";

export const LIST_KEYS: OptionKeys<StationListOptions> = {
  project: true,
  theme: true,
  ids: true,
  countries: true,
  sort: true,
};

export const MAP_KEYS: OptionKeys<StationListOptions & MapOptions> = {
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
export function listOptions<T extends StationListOptions>(
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

export const COLUMNS: readonly (keyof StationRecord)[] = [
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

export function projectOf(uri: string): string {
  const local = uri.slice(uri.lastIndexOf("/") + 1);
  if (/^(AS|ES|OS)_/.test(local)) return "ICOS";
  for (const p of ["NEON", "INGOS", "FLUXNET"]) if (local.toUpperCase().startsWith(p)) return p;
  return "other";
}

export function record(r: SparqlRow): StationRecord {
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

export function sortRecords(
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

export function list(v: string | readonly string[] | undefined): string[] {
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

export function projectOption(p: string | undefined): "ICOS" | "ALL" {
  const v = String(p ?? "ICOS").toUpperCase();
  if (v !== "ICOS" && v !== "ALL") {
    throw new UnknownValueError("project", p, { valid: ["ICOS", "ALL"] });
  }
  return v;
}

export async function countryCodes(codes: string[]): Promise<string[]> {
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

export function markers(list: StationRecord[]): MapMarker[] {
  return list.map((s) => ({
    lat: s.lat,
    lon: s.lon,
    title: `${s.name} (${s.id})`,
    theme: s.theme,
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
