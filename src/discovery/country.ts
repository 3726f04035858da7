/**
 * Country lookup with the semantics of the legacy `icoscp.countries`
 * module (docs/protocol.md §8), from the `world-countries` dataset (the
 * mledoze/countries data the Python module used, ODbL), and a reverse lookup
 * from coordinates that works everywhere (borders from
 * `@rapideditor/country-coder`, ISC), not only on the portal's servers. Both
 * datasets load on first use.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { checkOptions, finiteNumber, noExtraArguments, type OptionKeys } from "../_util/args.ts";

const QUERY_KEYS: OptionKeys<CountryQuery> = { code: true, name: true, search: true, latlon: true };

/** A country of the dataset (mledoze/countries fields). */
export interface Country {
  /** Common, official and native names. */
  name: {
    common: string;
    official: string;
    native?: Record<string, { official: string; common: string }>;
  };
  /** ISO 3166-1 alpha-2. */
  cca2: string;
  /** ISO 3166-1 alpha-3. */
  cca3: string;
  /** ISO 3166-1 numeric. */
  ccn3?: string;
  /** Alternative spellings. */
  altSpellings?: string[];
  /** Region (`Europe`, …). */
  region?: string;
  /** Subregion. */
  subregion?: string;
  /** Approximate centre `[lat, lon]`. */
  latlng?: [number, number];
  /** Translations of the name by language code. */
  translations?: Record<string, { official: string; common: string }>;
  /** Every other field of the dataset. */
  [field: string]: unknown;
}

/** What to look up; keywords are tried in this order, the first given decides. */
export interface CountryQuery {
  /** Alpha-2 or alpha-3 code, case-insensitive. */
  code?: string;
  /** Substring of any name (common, official, native) or alternative spelling, case-insensitive. */
  name?: string;
  /** Substring of anything in the entry, case-insensitive. */
  search?: string;
  /** A position `[lat, lon]`: the country (or its waters) that contains it. */
  latlon?: readonly [number, number];
}

let countries: Promise<Country[]> | undefined;

/** The dataset (loaded once). */
export function loadCountries(): Promise<Country[]> {
  countries ??= import("npm:world-countries@5.1.0").then((m) => m.default as unknown as Country[]);
  return countries;
}

/**
 * The alpha-3 code of the country whose territory or territorial waters
 * contain a position.
 *
 * @param lat Latitude, degrees north.
 * @param lon Longitude, degrees east.
 * @returns The alpha-3 code, or `undefined` in international waters.
 * @throws {InvalidArgumentError} For positions outside the globe.
 *
 * @example
 * ```ts
 * import { countryCodeAt } from "@icoscp/icoscp/discovery";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await countryCodeAt(48.85, 2.35), "FRA");
 * ```
 */
export async function countryCodeAt(lat: number, lon: number): Promise<string | undefined> {
  lat = finiteNumber("countryCodeAt", "lat", lat, { min: -90, max: 90 });
  lon = finiteNumber("countryCodeAt", "lon", lon, { min: -180, max: 180 });
  const cc = await import("npm:@rapideditor/country-coder@5.6.1");
  return cc.iso1A3Code([lon, lat]) ?? undefined;
}

/**
 * Looks countries up by code, name, free text or position. With no keyword,
 * every country. Unlike the Python module, the answer is always a list
 * (empty when nothing matches).
 *
 * @param query One of `code`, `name`, `search`, `latlon`; or a string: a code when it
 *   is two or three letters (`"SE"`, `"swe"`), else a name.
 * @param data The dataset to search. Default: `world-countries`.
 * @returns The matching countries.
 *
 * @example
 * ```ts
 * import { lookupCountry } from "@icoscp/icoscp/discovery";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual((await lookupCountry({ code: "che" })).map((c) => c.name.common), ["Switzerland"]);
 * assert.deepEqual((await lookupCountry({ name: "helle" })).map((c) => c.cca2).sort(), ["GR", "SC"]);
 * assert.deepEqual(await lookupCountry({ code: "UK" }), []);
 * ```
 */
export async function lookupCountry(
  query: CountryQuery | string = {},
  data?: readonly Country[],
): Promise<Country[]> {
  const where = "lookupCountry";
  noExtraArguments(where, arguments, 2);
  if (typeof query === "string") {
    // lookupCountry("SE"): a code when it looks like one, else a name
    query = /^\s*[A-Za-z]{2,3}\s*$/.test(query) ? { code: query.trim() } : { name: query };
  }
  query = checkOptions(where, query, QUERY_KEYS, { country: "code", cc: "code" });
  for (const key of ["code", "name", "search"] as const) {
    const v = query[key];
    if (v !== undefined && (typeof v !== "string" || v.trim() === "")) {
      throw new InvalidArgumentError(where, key, v, "a non-empty string");
    }
  }
  if (query.latlon !== undefined) {
    const ll = query.latlon as unknown;
    if (!Array.isArray(ll) || ll.length !== 2) {
      throw new InvalidArgumentError(where, "latlon", ll, "[lat, lon]");
    }
    query = {
      ...query,
      latlon: [
        finiteNumber(where, "latlon[0] (lat)", ll[0], { min: -90, max: 90 }),
        finiteNumber(where, "latlon[1] (lon)", ll[1], { min: -180, max: 180 }),
      ],
    };
  }
  if (data !== undefined && !Array.isArray(data)) {
    throw new InvalidArgumentError(where, "data", data, "a list of countries");
  }
  const all: readonly Country[] = data ?? await loadCountries();
  if (query.code !== undefined) {
    const c = query.code.trim().toUpperCase();
    return all.filter((x) => x.cca2?.toUpperCase() === c || x.cca3?.toUpperCase() === c);
  }
  if (query.name !== undefined) {
    const n = query.name.toLowerCase();
    return all.filter((x) =>
      JSON.stringify(x.name).toLowerCase().includes(n) ||
      (x.altSpellings ?? []).some((a) => a.toLowerCase().includes(n))
    );
  }
  if (query.search !== undefined) {
    const s = query.search.toLowerCase();
    return all.filter((x) => JSON.stringify(x).toLowerCase().includes(s));
  }
  if (query.latlon !== undefined) {
    const code = await countryCodeAt(query.latlon[0], query.latlon[1]);
    return code ? all.filter((x) => x.cca3 === code) : [];
  }
  return [...all];
}
