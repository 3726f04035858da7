/**
 * One search over every data object, as the portal's search page does and
 * more: {@linkcode search} (as `cp.search(filters, options)`) resolves typed
 * filters, asks the portal for one page of objects and for facet counts
 * (SPARQL `group by`, computed by the server), pages through every match,
 * stays within the portal's SPARQL quotas and answers a repeated search from
 * a small local cache.
 *
 * @module
 */

import { type ColumnTable, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { UnknownValueError } from "../errors.ts";
import { checkOptions as checkArgs, client } from "../_util/args.ts";
import { PREFIXES } from "../sparql/queries.ts";
import type { RawTerm } from "../sparql/result.ts";
import {
  FILTER_NAMES,
  type ResolvedFilters,
  resolveFilters,
  type SearchFilters,
  wherePattern,
} from "./_filters.ts";
import { PORTAL_LIMITS, QuotaGate, type SparqlLimits } from "./_quota.ts";
import type { Vocabulary } from "./_vocabulary.ts";
import { cached, collectionUri, stateOf, vocabulary, VOCABULARY_TTL } from "./_state.ts";
export type { SearchFilters } from "./_filters.ts";
export type { SparqlLimits } from "./_quota.ts";
export { FILTER_NAMES, PORTAL_LIMITS };

/**
 * The facets every search counts. `year` counts an object in every year its
 * coverage touches (an object of 2019–2021 counts in 2019, 2020 and 2021; a
 * coverage ending at New Year's midnight does not touch the new year), so a
 * year's count is what `from`/`to` over that year find.
 */
export const FACET_NAMES = [
  "spec",
  "station",
  "country",
  "level",
  "project",
  "theme",
  "samplingHeight",
  "year",
] as const;

/** A facet's name. */
export type FacetName = typeof FACET_NAMES[number];

/** One value of a facet and how many matching objects have it. */
export interface FacetCount {
  /** The value, as the filter of the same name takes it (spec short name, station id, `DE`, 2, …). */
  readonly value: string | number;
  /** Matching objects with that value. */
  readonly count: number;
}

/** Sort keys of a search. */
export type SearchOrder = "submTime" | "timeStart" | "timeEnd" | "size" | "fileName";

/** Options of {@linkcode search}. */
export interface SearchOptions {
  /** Matches to skip. Default 0. */
  offset?: number;
  /** Objects in the page, at most 10 000. Default 20. */
  limit?: number;
  /** Sort key. Default `submTime` (newest first), then the object URI. */
  orderBy?: SearchOrder;
  /** Descending order. Default true for `submTime`, false for the others. */
  descending?: boolean;
  /** Count the facets and the total (one more query). Default true. */
  facets?: boolean;
  /**
   * How long answers are reused without asking the portal, in ms; after that
   * one cheap query (the newest submission time) tells whether anything
   * changed. 0 turns the cache off. Default 600 000 (10 minutes).
   */
  cacheTtl?: number;
  /**
   * The SPARQL limits the client keeps to (from then on, for this client's
   * searches). Default {@linkcode PORTAL_LIMITS}, the ICOS portal's.
   */
  limits?: Partial<SparqlLimits>;
  /** Aborts the queries. */
  signal?: AbortSignal;
}

/** Options of {@linkcode SearchResult.pages}. */
export interface PagesOptions {
  /** Objects per page (one query each). Default 1000, at most 10 000. */
  pageSize?: number;
  /** Aborts the paging. */
  signal?: AbortSignal;
}

const OPTION_NAMES = [
  "offset",
  "limit",
  "orderBy",
  "descending",
  "facets",
  "cacheTtl",
  "limits",
  "signal",
];
const ORDERS: readonly SearchOrder[] = ["submTime", "timeStart", "timeEnd", "size", "fileName"];

/**
 * How many SPARQL queries the searches of a client have sent (the cache
 * answers the others), and the client's own account of its SPARQL quota.
 *
 * @param cp The client.
 * @returns Queries sent, query seconds spent in the last minute and hour, and the limits.
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { searchStats } from "./search.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(searchStats(new CarbonPortal()).queries, 0);
 * ```
 */
export function searchStats(
  cp: CarbonPortal,
): { queries: number; minute: number; hour: number; limits: SparqlLimits } {
  client("searchStats", cp);
  const s = stateOf(cp);
  return {
    queries: s.queries,
    minute: s.gate.spent(60_000),
    hour: s.gate.spent(3_600_000),
    limits: s.gate.limits,
  };
}

const localName = (uri: string) => uri.replace(/^.*[/#]/, "");

/** One page of a search: objects, the total, the facets, and the way to the next pages. */
export class SearchResult {
  /** One row per object (see {@linkcode search} for the columns). */
  readonly objects: ColumnTable;
  /** Every match, not just this page (`undefined` when `facets: false`). */
  readonly total: number | undefined;
  /** Facet name → values, largest count first (empty when `facets: false`). */
  readonly facets: Readonly<Record<FacetName, readonly FacetCount[]>>;
  /** Matches skipped before this page. */
  readonly offset: number;
  /** The page size asked for. */
  readonly limit: number;
  #next: (offset: number, limit: number, signal?: AbortSignal) => Promise<SearchResult>;

  /** @internal Built by {@linkcode search}. */
  constructor(
    init: {
      objects: ColumnTable;
      total: number | undefined;
      facets: Record<FacetName, FacetCount[]>;
      offset: number;
      limit: number;
    },
    next: (offset: number, limit: number, signal?: AbortSignal) => Promise<SearchResult>,
  ) {
    this.objects = init.objects;
    this.total = init.total;
    this.facets = init.facets;
    this.offset = init.offset;
    this.limit = init.limit;
    this.#next = next;
  }

  /**
   * Every match from this page's offset on, a page at a time (one query per
   * page, no facets); ends after the first page shorter than `pageSize`.
   *
   * @param options Page size and abort signal.
   * @returns The pages, each a result with its own `objects`.
   */
  async *pages(options: PagesOptions = {}): AsyncGenerator<SearchResult> {
    const size = options.pageSize ?? 1000;
    if (!Number.isInteger(size) || size < 1 || size > 10_000) {
      throw new UnknownValueError("pageSize", size, { valid: ["a whole number from 1 to 10000"] });
    }
    let offset = this.offset;
    while (true) {
      const page = await this.#next(offset, size, options.signal);
      if (page.objects.numRows() > 0) yield page;
      if (page.objects.numRows() < size) return;
      offset += size;
    }
  }
}

function checkOptions(
  options: SearchOptions,
): Required<Omit<SearchOptions, "signal" | "limits">> {
  options = checkArgs("search", options, OPTION_NAMES, { order_by: "orderBy" });
  const offset = options.offset ?? 0;
  const limit = options.limit ?? 20;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new UnknownValueError("offset", offset, { valid: ["a whole number ≥ 0"] });
  }
  if (!Number.isInteger(limit) || limit < 0 || limit > 10_000) {
    throw new UnknownValueError("limit", limit, { valid: ["a whole number from 0 to 10000"] });
  }
  const orderBy = options.orderBy ?? "submTime";
  if (!ORDERS.includes(orderBy)) throw new UnknownValueError("orderBy", orderBy, { valid: ORDERS });
  const cacheTtl = options.cacheTtl ?? 600_000;
  if (!(cacheTtl >= 0)) throw new UnknownValueError("cacheTtl", cacheTtl, { valid: ["ms ≥ 0"] });
  return {
    offset,
    limit,
    orderBy,
    descending: options.descending ?? orderBy === "submTime",
    facets: options.facets ?? true,
    cacheTtl,
  };
}

function pageQuery(
  where: string,
  o: { orderBy: SearchOrder; descending: boolean; offset: number; limit: number },
): string {
  const order = o.descending ? `desc(?${o.orderBy})` : `?${o.orderBy}`;
  return `${PREFIXES}prefix cc: <http://creativecommons.org/ns#>
select ?dobj ?spec ?station ?samplingHeight ?fileName ?size ?submTime ?timeStart ?timeEnd ?rows ?doi ?licence ?next
where {
  {
    select ?dobj ?spec ?station ?samplingHeight ?fileName ?size ?submTime ?timeStart ?timeEnd
    where {
${where.replaceAll("\n", "\n    ").replace(/^/, "    ")}
    }
    order by ${order} ?dobj
    offset ${o.offset} limit ${o.limit}
  }
  optional { ?dobj cpmeta:hasNumberOfRows ?rows }
  optional { ?dobj cpmeta:hasDoi ?doi }
  optional { ?dobj cc:license ?licence }
  optional { ?next cpmeta:isNextVersionOf ?dobj }
}
order by ${order} ?dobj`;
}

function facetsQuery(where: string): string {
  return `${PREFIXES}select ?facet ?value (count(?dobj) as ?count)
where {
  {
    select ?dobj ?spec (coalesce(?station, <urn:icoscp:no-station>) as ?st) ?samplingHeight ?timeStart ?timeEnd
    where {
${where.replaceAll("\n", "\n    ").replace(/^/, "    ")}
    }
  }
  { bind("total" as ?facet) } union { bind("spec" as ?facet) } union { bind("station" as ?facet) }
  union { bind("level" as ?facet) ?spec cpmeta:hasDataLevel ?level }
  union { bind("project" as ?facet) ?spec cpmeta:hasAssociatedProject ?project }
  union { bind("theme" as ?facet) ?spec cpmeta:hasDataTheme ?theme }
  union { bind("country" as ?facet) ?st cpmeta:countryCode ?country }
  union { bind("samplingHeight" as ?facet) } union { bind("year" as ?facet) }
  bind(if(?facet = "spec", ?spec, if(?facet = "station" && ?st != <urn:icoscp:no-station>, ?st,
    if(?facet = "level", ?level, if(?facet = "project", ?project,
    if(?facet = "theme", ?theme, if(?facet = "country", ?country,
    if(?facet = "samplingHeight", ?samplingHeight, if(?facet = "year", concat(str(year(?timeStart)), " ",
    str(year(?timeEnd) - if(month(?timeEnd) = 1 && day(?timeEnd) = 1 && hours(?timeEnd) = 0 &&
    minutes(?timeEnd) = 0 && seconds(?timeEnd) = 0, 1, 0))),
    "")))))))) as ?value)
}
group by ?facet ?value`;
}

function facetsOf(
  rows: Record<string, RawTerm>[],
  vocab: Vocabulary,
): { total: number; facets: Record<FacetName, FacetCount[]> } {
  const facets = Object.fromEntries(FACET_NAMES.map((f) => [f, [] as FacetCount[]])) as Record<
    FacetName,
    FacetCount[]
  >;
  let total = 0;
  const merged = new Map<string, Map<string | number, number>>();
  for (const r of rows) {
    const name = r.facet?.value;
    const count = Number(r.count?.value ?? 0);
    if (name === "total") {
      total = count;
      continue;
    }
    if (!r.value || !(FACET_NAMES as readonly string[]).includes(name)) continue;
    const raw = r.value.value;
    let value: string | number;
    if (name === "spec") value = localName(raw);
    else if (name === "station") value = vocab.stationByUri.get(raw)?.id ?? localName(raw);
    else if (name === "project" || name === "theme") value = localName(raw);
    else if (name === "level" || name === "samplingHeight") value = Number(raw);
    else if (name === "year") {
      // "first last": the object counts in every year its coverage touches
      const [first, last] = raw.split(" ").map(Number);
      const m = merged.get(name) ?? new Map();
      for (let y = first; y <= Math.max(first, last); y++) m.set(y, (m.get(y) ?? 0) + count);
      merged.set(name, m);
      continue;
    } else value = raw.toUpperCase();
    const m = merged.get(name) ?? new Map();
    m.set(value, (m.get(value) ?? 0) + count);
    merged.set(name, m);
  }
  for (const [name, m] of merged) {
    facets[name as FacetName] = [...m].map(([value, count]) => ({ value, count })).sort((a, b) =>
      b.count - a.count || (String(a.value) < String(b.value) ? -1 : 1)
    );
  }
  return { total, facets };
}

function objectsTable(
  rows: Record<string, RawTerm>[],
  vocab: Vocabulary,
): ColumnTable {
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.dobj.value) && seen.add(r.dobj.value));
  const v = (r: Record<string, RawTerm>, k: string) => r[k]?.value;
  const num = (r: Record<string, RawTerm>, k: string) =>
    r[k] === undefined ? undefined : Number(r[k].value);
  const date = (r: Record<string, RawTerm>, k: string) =>
    r[k] === undefined ? undefined : new Date(r[k].value);
  const pid = (uri: string | undefined) =>
    uri === undefined ? undefined : `11676/${localName(uri)}`;
  const col = <T>(f: (r: Record<string, RawTerm>) => T) => unique.map(f);
  const spec = (r: Record<string, RawTerm>) => vocab.specByUri.get(r.spec.value);
  const st = (r: Record<string, RawTerm>) =>
    r.station ? vocab.stationByUri.get(r.station.value) : undefined;
  return table({
    pid: col((r) => pid(r.dobj.value)),
    uri: col((r) => r.dobj.value),
    fileName: col((r) => v(r, "fileName")),
    spec: col((r) => localName(r.spec.value)),
    specLabel: col((r) => spec(r)?.label),
    specUri: col((r) => r.spec.value),
    level: col((r) => spec(r)?.level),
    project: col((r) => spec(r) ? localName(spec(r)!.project) : undefined),
    theme: col((r) => spec(r) ? localName(spec(r)!.theme) : undefined),
    station: col((r) => st(r)?.id),
    stationName: col((r) => st(r)?.name),
    country: col((r) => st(r)?.country),
    stationClass: col((r) => st(r)?.stationClass),
    lat: col((r) => st(r)?.lat),
    lon: col((r) => st(r)?.lon),
    samplingHeight: col((r) => num(r, "samplingHeight")),
    timeStart: col((r) => date(r, "timeStart")),
    timeEnd: col((r) => date(r, "timeEnd")),
    submTime: col((r) => date(r, "submTime")),
    size: col((r) => num(r, "size")),
    rows: col((r) => num(r, "rows")),
    doi: col((r) => v(r, "doi")),
    licence: col((r) => v(r, "licence") ?? spec(r)?.licence),
    latest: col((r) => r.next === undefined),
    nextVersion: col((r) => pid(v(r, "next"))),
  });
}

/**
 * Searches every data object of the portal (`cp.search(filters, options)`).
 * Filter values are checked against the portal's own lists (specs, levels,
 * projects, themes, variables, stations, countries, classes): a value that
 * matches nothing is an {@linkcode UnknownValueError} naming the valid ones,
 * never an empty result. The page's objects and the facet counts come from
 * two SPARQL queries (the facets by `group by` on the server); the portal's
 * spec and station lists from two more, once per client and cache period.
 *
 * `objects` columns: `pid`, `uri`, `fileName`, `spec` (short name),
 * `specLabel`, `specUri`, `level`, `project`, `theme`, `station` (id),
 * `stationName`, `country`, `stationClass`, `lat`, `lon`, `samplingHeight`,
 * `timeStart`, `timeEnd`, `submTime` (Dates), `size`, `rows` (where known),
 * `doi`, `licence`, `latest`, `nextVersion` (the PID of the newer version of
 * a deprecated object).
 *
 * @param cp The client.
 * @param filters What to find (see {@linkcode SearchFilters}).
 * @param options Paging, order, facets, cache.
 * @returns The first page, the total and the facets.
 * @throws {UnknownValueError} For an unknown filter, option or value.
 * @throws {QuotaExceededError} When the portal's SPARQL quota is spent (or would be).
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { startEmulator } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * await using emu = await startEmulator();
 * const cp = new CarbonPortal({ portal: emu.endpoints });
 * const r = await cp.search({ station: "gat", variable: "CO2", level: 2 });
 * assert.equal(r.total, r.objects.numRows());
 * assert.deepEqual(r.facets.station, [{ value: "GAT", count: r.total }]);
 * ```
 */
export async function search(
  cp: CarbonPortal,
  filters: SearchFilters = {},
  options: SearchOptions = {},
): Promise<SearchResult> {
  client("search", cp);
  const o = checkOptions(options);
  const signal = options.signal;
  if (options.limits !== undefined) {
    const limits = { ...stateOf(cp).gate.limits, ...options.limits };
    for (const [k, v] of Object.entries(limits)) {
      if (!(typeof v === "number" && v > 0)) {
        throw new UnknownValueError(`limits.${k}`, v, { valid: ["a number > 0"] });
      }
    }
    stateOf(cp).gate = new QuotaGate(limits);
  }
  const vocab = await vocabulary(cp, VOCABULARY_TTL, signal);
  const resolved: ResolvedFilters = await resolveFilters(
    filters,
    vocab,
    (ref) => collectionUri(cp, ref, o.cacheTtl),
  );
  const objectPrefix = `${cp.endpoints.meta}/objects/`;
  const where = wherePattern(resolved, objectPrefix);
  const page = async (offset: number, limit: number, sig?: AbortSignal) => {
    const rows = await cached(
      cp,
      pageQuery(where, { ...o, offset, limit }),
      o.cacheTtl,
      sig ?? signal,
    );
    return objectsTable(rows, vocab);
  };
  const next = async (offset: number, limit: number, sig?: AbortSignal): Promise<SearchResult> =>
    new SearchResult({
      objects: await page(offset, limit, sig),
      total: undefined,
      facets: Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as unknown as Record<
        FacetName,
        FacetCount[]
      >,
      offset,
      limit,
    }, next);
  const [objects, counted] = await Promise.all([
    page(o.offset, o.limit),
    o.facets ? cached(cp, facetsQuery(where), o.cacheTtl, signal) : Promise.resolve(undefined),
  ]);
  const f = counted ? facetsOf(counted, vocab) : undefined;
  return new SearchResult({
    objects,
    total: f?.total,
    facets: f?.facets ??
      Object.fromEntries(FACET_NAMES.map((n) => [n, []])) as unknown as Record<
        FacetName,
        FacetCount[]
      >,
    offset: o.offset,
    limit: o.limit,
  }, next);
}
