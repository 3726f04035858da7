/**
 * STILT from anywhere: stations, concentration time series and footprints
 * over HTTP (icoscp_stilt reads footprints only on the portal's own servers).
 * Reached as `cp.stilt`.
 *
 * @module
 */

import type { CarbonPortal } from "../client/client.ts";
import { CarbonPortalError, InvalidArgumentError, NotFoundError } from "../errors.ts";
import type { BatchItem } from "../dobj/dobj.ts";
import { objectId } from "../client/ids.ts";
import { listDataObjectsQuery, listStationsQuery } from "../sparql/queries.ts";
import { stiltCountryName } from "./_country_names.ts";
import { applyFilters } from "./_find_filters.ts";
import type { FindOptions, StiltFilters } from "./filters.ts";
import { StiltSelection, type StiltStationRefs } from "./selection.ts";
import { type StiltIcosInfo, StiltStation, type StiltStationInfo } from "./station.ts";
import { checkOptions, text } from "../_util/args.ts";

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
      throw new CarbonPortalError(
        `Portal ${this.#cp.endpoints.envri} has no STILT service (STILT runs on the ICOS portal)`,
      );
    }
    const [infos, icos] = await Promise.all([
      this.#cp.fetchJson(`${stilt}/stationinfo`, "Fetching STILT stations") as Promise<
        StiltStationInfo[]
      >,
      this.#cp.sparql.select(
        listStationsQuery("AS", { prefix: this.#cp.endpoints.metaInstancePrefix }),
      ),
    ]);
    const byId = new Map(icos.rows.map((r) => [r.string("stId"), r]));
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
      return new StiltStation(this.#cp, {
        info,
        icos: facts,
        country: stiltCountryName(info.countryCode),
      });
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
    if (ids === undefined || ids === null || ids === "") {
      throw new InvalidArgumentError(
        "stilt.get",
        "ids",
        ids,
        "a STILT station id or a list of them",
      );
    }
    if (ids instanceof StiltSelection) return [...ids.stations];
    if (ids instanceof StiltStation) return ids;
    const all = await this.list();
    const one = (ref: unknown) => {
      if (ref instanceof StiltStation) return ref;
      const id = typeof ref === "string" ? ref : (ref as { id?: unknown } | null)?.id;
      if (typeof id !== "string") {
        throw new InvalidArgumentError(`Not a STILT station id or record: ${JSON.stringify(ref)}`);
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
    options = checkOptions("fetchObservations", options, ["columns", "concurrency", "signal"]);
    text("fetchObservations", "spec", spec);
    const got = await this.get(stations);
    const list = Array.isArray(got) ? got : [got];
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
    const at = {
      list: () => this.list(),
      get: (refs: StiltStationRefs) => this.get(refs),
      stationinfoUrl: `${this.#cp.endpoints.stilt}/stationinfo`,
    };
    return new StiltSelection(await applyFilters(at, filters, options), options);
  }
}
