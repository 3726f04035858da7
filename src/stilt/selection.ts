/**
 * A set of STILT stations ({@linkcode StiltApi.find}'s result) with its
 * renderings: records, a table, a map and the yearly availability.
 *
 * @module
 */

import { type ColumnTable, table } from "../_util/arquero.ts";
import { mapHtml, type MapOptions } from "../discovery/map.ts";
import { displayMarkers, tableHtml } from "../plot/_display.ts";
import { mapPool } from "../_util/pool.ts";
import type { FindOptions } from "./filters.ts";
import type { StiltStation } from "./station.ts";

export type { MapOptions } from "../discovery/map.ts";
import { checkOptions } from "../_util/args.ts";

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
    options = checkOptions("toMap", options, ["title", "leafletUrl", "tiles", "attribution"]);
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
