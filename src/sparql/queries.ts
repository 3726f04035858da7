/**
 * The queries the Python libraries send (docs/protocol.md §5.4), as named
 * builders that return query text. Every value a caller passes is written as
 * a validated IRI or an escaped literal. Resource IRIs (stations, specs,
 * roles, graphs) are built from `prefix`, the portal's metadata instance
 * prefix. Without an explicit `prefix` a builder writes ICOS's
 * (`http://meta.icos-cp.eu/`) and marks the text as portal-relative (a first
 * comment line): run through a client (`cp.sparql.select`, `RunSparql`) it is
 * retargeted to that client's portal (emulator, SITES, ICOS Cities), see
 * {@linkcode forPortal}.
 *
 * @module
 */

import { InvalidArgumentError, UnknownValueError } from "../errors.ts";
import { iri, literal, type SparqlTerm, term } from "./terms.ts";

/** Options shared by the builders. */
export interface QueryContext {
  /** The metadata instance prefix. Default `http://meta.icos-cp.eu/`. */
  prefix?: string;
}

/** The ontology namespace (the same on every portal). */
export const CPMETA = "http://meta.icos-cp.eu/ontologies/cpmeta/";

/** Prefix declarations used by the built-in queries. */
export const PREFIXES: string = [
  `prefix cpmeta: <${CPMETA}>`,
  "prefix prov: <http://www.w3.org/ns/prov#>",
  "prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
  "prefix xsd: <http://www.w3.org/2001/XMLSchema#>",
  "prefix dcterms: <http://purl.org/dc/terms/>",
  "prefix cpst: <http://meta.icos-cp.eu/ontologies/stationentry/>",
  "prefix geo: <http://www.opengis.net/ont/geosparql#>",
].join("\n") + "\n";

/** The instance prefix the builders write when none is given. */
export const ICOS_INSTANCE_PREFIX = "http://meta.icos-cp.eu/";
import {
  boolean,
  checkOptions,
  finiteNumber,
  integer,
  optionalInteger,
  optionalStringList,
  type OptionKeys,
  stringList,
  text,
} from "../_util/args.ts";

/** First line of a query built without an explicit prefix (a SPARQL comment). */
const PORTAL_RELATIVE = `# icoscp-ts: portal-relative <${ICOS_INSTANCE_PREFIX}>\n`;

/** Second line of {@linkcode listStationsQuery} text built without a class. */
const DEFAULT_CLASS = `# icoscp-ts: default station class <${CPMETA}IcosStation>\n`;

function relative(ctx: QueryContext | undefined, text: string): string {
  return ctx?.prefix === undefined ? PORTAL_RELATIVE + text : text;
}

/**
 * Retargets a built-in query written for ICOS (built without an explicit
 * `prefix`) to another portal's metadata instance prefix: its resource IRIs
 * (`<http://meta.icos-cp.eu/resources/…>`) and the prefix literal become the
 * portal's. Queries not built that way (a user's own text, a builder given
 * a `prefix`) come back unchanged. `cp.sparql.select` calls this with the
 * client's `endpoints.metaInstancePrefix`, so built-in queries need no
 * extra argument.
 *
 * @param query The query text.
 * @param prefix The portal's instance prefix, e.g. `https://meta.fieldsites.se/`.
 * @param options `defaultStationClass`: the portal's default station class IRI, put in
 *   place of `IcosStation` in a {@linkcode listStationsQuery} built without a class.
 * @returns The query for that portal.
 *
 * @example
 * ```ts
 * import { forPortal, stationQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * const q = forPortal(stationQuery(), "http://127.0.0.1:8080/meta/");
 * assert.match(q, /<http:\/\/127\.0\.0\.1:8080\/meta\/resources\/roles\/PI>/);
 * assert.doesNotMatch(q, /meta\.icos-cp\.eu\/resources/);
 * assert.equal(forPortal("select * where { <http://meta.icos-cp.eu/resources/x> ?p ?o }", "http://h/"),
 *   "select * where { <http://meta.icos-cp.eu/resources/x> ?p ?o }");
 * ```
 */
export function forPortal(
  query: string,
  prefix: string,
  options: { defaultStationClass?: string } = {},
): string {
  text("forPortal", "query", query);
  text("forPortal", "prefix", prefix);
  options = checkOptions("forPortal", options, { defaultStationClass: true });
  const { defaultStationClass } = options;
  if (!query.startsWith(PORTAL_RELATIVE)) return query;
  iri(prefix); // validates
  if (defaultStationClass !== undefined && query.startsWith(PORTAL_RELATIVE + DEFAULT_CLASS)) {
    query = query.replace(
      `rdfs:subClassOf* <${CPMETA}IcosStation>`,
      `rdfs:subClassOf* ${iri(defaultStationClass)}`,
    );
  }
  const p = prefix.endsWith("/") ? prefix : `${prefix}/`;
  if (p === ICOS_INSTANCE_PREFIX) return query;
  return query
    .replaceAll(`<${ICOS_INSTANCE_PREFIX}resources/`, `<${p}resources/`)
    .replaceAll(`"${ICOS_INSTANCE_PREFIX}"`, JSON.stringify(p));
}

/** A query context option, checked. */
function queryContext(where: string, ctx: QueryContext | undefined): QueryContext | undefined {
  return ctx === undefined ? undefined : checkOptions(where, ctx, { prefix: true });
}

const DATA_OBJECT_FILTER_KEYS: OptionKeys<DataObjectFilters> = {
  specs: true,
  stations: true,
  filters: true,
  geoPolygon: true,
  includeDeprecated: true,
  orderBy: true,
  descending: true,
  offset: true,
  limit: true,
};
const STATION_FILTER_KEYS: OptionKeys<StationQueryFilter> = {
  ids: true,
  themes: true,
  countries: true,
  project: true,
};

function base(ctx: QueryContext = {}): string {
  const p = ctx.prefix ?? ICOS_INSTANCE_PREFIX;
  iri(p); // validates
  return p.endsWith("/") ? p : `${p}/`;
}

function res(ctx: QueryContext | undefined, path: string): SparqlTerm {
  return iri(`${base(ctx)}resources/${path}`);
}

function limitClause(limit: number | undefined): string {
  if (limit === undefined || limit === 0) return "";
  if (!Number.isInteger(limit) || limit < 0) {
    throw new InvalidArgumentError(`Limit must be a whole number, not ${limit}`);
  }
  return `\nlimit ${limit}`;
}

const NOT_DEPRECATED = "filter not exists {[] cpmeta:isNextVersionOf ?dobj}";

/**
 * Q1: the data types (object specs) with level, project, theme, format and
 * dataset spec, hiding specs of hidden projects (icoscp_core `list_datatypes`).
 *
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { listDatatypesQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(listDatatypesQuery(), /order by \?specLabel/);
 * ```
 */
export function listDatatypesQuery(ctx?: QueryContext): string {
  ctx = queryContext("listDatatypesQuery", ctx);
  const prefix = literal(base(ctx));
  return relative(
    ctx,
    `${PREFIXES}select ?spec ?level ?project ?format ?dsType ?specLabel ?theme ?themeLabel ?projectLabel ?formatLabel ?ds_spec_uri
where {
  ?spec cpmeta:hasDataLevel ?level ; cpmeta:hasAssociatedProject ?project ;
    cpmeta:hasFormat ?format ; cpmeta:hasSpecificDatasetType ?dsType ;
    rdfs:label ?specLabel ; cpmeta:hasDataTheme ?theme .
  filter(strstarts(str(?spec), ${prefix}))
  filter not exists { ?project cpmeta:hasHideFromSearchPolicy "true"^^xsd:boolean }
  ?theme rdfs:label ?themeLabel .
  ?project rdfs:label ?projectLabel .
  ?format rdfs:label ?formatLabel .
  optional { ?spec cpmeta:containsDataset ?ds_spec_uri }
}
order by ?specLabel`,
  );
}

/** Station classes of {@linkcode listStationsQuery}. */
export type StationClass = "IcosStation" | "AS" | "ES" | "OS" | "Station" | string;

/**
 * Q2: stations of a class and its subclasses, with id, name, country and
 * optional position, elevation and coverage (icoscp_core `list_stations`).
 *
 * @param stationClass `IcosStation` (default; run through a client, that portal's default
 *   class: SITES stations, ICOS Cities stations), `AS`, `ES`, `OS`, `Station` (all), or a class IRI.
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { listStationsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(listStationsQuery("AS"), /rdfs:subClassOf\* <http:\/\/meta\.icos-cp\.eu\/ontologies\/cpmeta\/AS>/);
 * ```
 */
export function listStationsQuery(
  stationClass?: StationClass,
  ctx?: QueryContext,
): string {
  ctx = queryContext("listStationsQuery", ctx);
  const c = stationClass ?? "IcosStation";
  const cls = c.includes(":") ? iri(c) : iri(CPMETA + c);
  // without an explicit class, a client's portal puts its own default class (SITES, ICOS Cities)
  const mark = stationClass === undefined && ctx?.prefix === undefined ? DEFAULT_CLASS : "";
  return relative(
    ctx,
    `${mark}${PREFIXES}select ?stType ?station ?stId ?stationName ?cCode ?lat ?lon ?elevation ?geoJson
where {
  ?stType rdfs:subClassOf* ${cls} .
  ?station a ?stType ; cpmeta:hasStationId ?stId ; cpmeta:hasName ?stationName ; cpmeta:countryCode ?cCode .
  filter(strstarts(str(?station), ${literal(base(ctx))}))
  optional { ?station cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon }
  optional { ?station cpmeta:hasElevation ?elevation }
  optional { ?station cpmeta:hasSpatialCoverage/cpmeta:asGeoJSON ?geoJson }
}
order by ?stId`,
  );
}

/** A comparison in {@linkcode DataObjectFilters.filters}. */
export interface PropertyFilter {
  /** The property compared. */
  prop: "submTime" | "timeStart" | "timeEnd" | "size" | "samplingHeight";
  /** The operator. */
  op: "<" | ">" | "<=" | ">=" | "=";
  /** The value: a Date (or ISO text) for times, a number for size and height. */
  value: Date | string | number;
}

/** Filters of {@linkcode listDataObjectsQuery}. */
export interface DataObjectFilters {
  /** Spec IRIs (any of). */
  specs?: readonly string[];
  /** Station IRIs (any of). */
  stations?: readonly string[];
  /** Comparisons, all of which must hold. */
  filters?: readonly PropertyFilter[];
  /** A WKT polygon the object's coverage must intersect. */
  geoPolygon?: string;
  /** Include objects that have newer versions. Default false. */
  includeDeprecated?: boolean;
  /** Sort key. Default `submTime`. */
  orderBy?: "submTime" | "timeStart" | "timeEnd" | "size" | "fileName";
  /** Descending (default true for the default sort). */
  descending?: boolean;
  /** Rows to skip. */
  offset?: number;
  /** Rows at most (capped at 10000). Default 100. */
  limit?: number;
}

/** ICOS resource IRIs are http; `https://meta.icos-cp.eu/resources/…` (as users copy them) is normalised. */
function https2http(u: string): string {
  return u.replace(
    /^https:\/\/meta\.icos-cp\.eu\/resources\//,
    "http://meta.icos-cp.eu/resources/",
  );
}

function wktLiteral(wkt: string): string {
  if (typeof wkt !== "string" || !/^\s*POLYGON\s*\(\(/i.test(wkt)) {
    throw new InvalidArgumentError(
      `geoPolygon must be a WKT POLYGON((lon lat, …)), not ${String(wkt)}`,
    );
  }
  return `${literal(wkt.trim())}^^geo:wktLiteral`;
}

/**
 * Q3: data objects by spec, station, time, size, sampling height and area,
 * newest submission first (icoscp_core `list_data_objects`).
 *
 * @param filters What to select.
 * @returns The query.
 * @throws {InvalidArgumentError} For IRIs or values that cannot be written safely.
 *
 * @example
 * ```ts
 * import { listDataObjectsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * const q = listDataObjectsQuery({
 *   specs: ["http://meta.icos-cp.eu/resources/cpmeta/etcL2Fluxes"],
 *   filters: [{ prop: "samplingHeight", op: "=", value: 341 }],
 * });
 * assert.match(q, /\?samplingHeight = "341"\^\^<http:\/\/www\.w3\.org\/2001\/XMLSchema#float>/);
 * ```
 */
export function listDataObjectsQuery(filters: DataObjectFilters = {}): string {
  filters = checkOptions("listDataObjectsQuery", filters, DATA_OBJECT_FILTER_KEYS, {
    datatype: "specs",
    data_type: "specs",
    station: "stations",
    order_by: "orderBy",
    include_deprecated: "includeDeprecated",
  });
  filters = {
    ...filters,
    specs: optionalStringList("listDataObjectsQuery", "specs", filters.specs),
    stations: optionalStringList("listDataObjectsQuery", "stations", filters.stations),
    offset: optionalInteger("listDataObjectsQuery", "offset", filters.offset),
    limit: optionalInteger("listDataObjectsQuery", "limit", filters.limit),
    includeDeprecated: filters.includeDeprecated === undefined
      ? undefined
      : boolean("listDataObjectsQuery", "includeDeprecated", filters.includeDeprecated, false),
    descending: filters.descending === undefined
      ? undefined
      : boolean("listDataObjectsQuery", "descending", filters.descending, false),
  };
  const specs = (filters.specs ?? []).map((s) => iri(https2http(s)));
  const stations = (filters.stations ?? []).map((s) => iri(https2http(s)));
  const conds = (filters.filters ?? []).map((f) => {
    if (!["<", ">", "<=", ">=", "="].includes(f.op)) {
      throw new InvalidArgumentError(`Unknown operator ${f.op}`);
    }
    let v: SparqlTerm;
    if (f.prop === "size") v = literal(String(Number(f.value)), { datatype: "integer" });
    else if (f.prop === "samplingHeight") {
      v = literal(String(Number(f.value)), { datatype: "float" });
    } else if (["submTime", "timeStart", "timeEnd"].includes(f.prop)) {
      v = term(f.value instanceof Date ? f.value : new Date(String(f.value)));
    } else throw new InvalidArgumentError(`Unknown property ${f.prop}`);
    if (v.text.includes("NaN")) {
      throw new InvalidArgumentError(`Not a valid value for ${f.prop}: ${f.value}`);
    }
    return `?${f.prop} ${f.op} ${v}`;
  });
  const order = filters.orderBy ?? "submTime";
  if (!["submTime", "timeStart", "timeEnd", "size", "fileName"].includes(order)) {
    throw new InvalidArgumentError(`Cannot order by ${order}`);
  }
  const desc = filters.descending ?? filters.orderBy === undefined;
  const limit = Math.min(filters.limit ?? 100, 10000);
  const offset = filters.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0) {
    throw new InvalidArgumentError("Offset and limit must be whole numbers");
  }
  const stationPart = stations.length
    ? `values ?station { ${
      stations.join(" ")
    } }\n  ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?station .`
    : "optional { ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?station }";
  // The portal's geo index recognises `?dobj geo:sfIntersects/geo:asWKT "<WKT>"^^geo:wktLiteral`
  // (docs/protocol.md §5.1; the form of the portal's own sparqlclient and icoscp_core).
  const geo = filters.geoPolygon
    ? `\n  ?dobj geo:sfIntersects/geo:asWKT ${wktLiteral(filters.geoPolygon)} .`
    : "";
  return `${PREFIXES}select ?dobj ?spec ?station ?samplingHeight ?fileName ?size ?submTime ?timeStart ?timeEnd
where {
  ${specs.length ? `values ?spec { ${specs.join(" ")} }\n  ` : ""}?dobj cpmeta:hasObjectSpec ?spec .
  ${stationPart}
  optional { ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?samplingHeight }
  ?dobj cpmeta:hasSizeInBytes ?size ; cpmeta:hasName ?fileName ;
    cpmeta:wasSubmittedBy/prov:endedAtTime ?submTime ;
    cpmeta:hasStartTime | (cpmeta:wasAcquiredBy/prov:startedAtTime) ?timeStart ;
    cpmeta:hasEndTime | (cpmeta:wasAcquiredBy/prov:endedAtTime) ?timeEnd .${geo}
  ${filters.includeDeprecated ? "" : NOT_DEPRECATED}
  ${conds.length ? `filter(${conds.join(" && ")})` : ""}
}
order by ${desc ? `desc(?${order})` : `?${order}`}
offset ${offset} limit ${limit}`;
}

/**
 * Q4: every station's ICOS class (`1`, `2`, `Associated`) (icoscp_core `station_class_lookup`).
 *
 * @returns The query.
 *
 * @example
 * ```ts
 * import { stationClassLookupQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(stationClassLookupQuery(), /hasStationClass \?class/);
 * ```
 */
export function stationClassLookupQuery(): string {
  return `${PREFIXES}select ?station ?class where { ?station cpmeta:hasStationClass ?class }`;
}

/**
 * Q5: what the binary service needs for many objects at once: spec, dataset
 * spec, format, row count and actual column names (icoscp_core batch).
 *
 * @param dobjs Object landing-page URIs.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { cpbMetaQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(cpbMetaQuery(["https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_"]), /values \?dobj \{ <https:/);
 * ```
 */
export function cpbMetaQuery(dobjs: readonly string[]): string {
  dobjs = stringList("cpbMetaQuery", "dobjs", dobjs);
  return `${PREFIXES}select ?dobj ?objSpec ?nRows ?dsSpec ?objFormat ?colNames
where {
  values ?dobj { ${dobjs.map((d) => iri(d)).join(" ")} }
  ?dobj cpmeta:hasObjectSpec ?objSpec ; cpmeta:hasNumberOfRows ?nRows .
  ?objSpec cpmeta:containsDataset ?dsSpec ; cpmeta:hasFormat ?objFormat .
  optional { ?dobj cpmeta:hasActualColumnNames ?colNames }
}`;
}

/**
 * Q6: the columns of a dataset spec with value format, optional/regex flags
 * and the title of their flag column (icoscp_core batch).
 *
 * @param datasetSpec The dataset spec IRI.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { datasetColumnsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(datasetColumnsQuery("http://meta.icos-cp.eu/resources/cpmeta/etcFluxesDataset"), /isQualityFlagFor/);
 * ```
 */
export function datasetColumnsQuery(datasetSpec: string): string {
  const ds = iri(datasetSpec);
  return `${PREFIXES}select ?colTitle ?valFormat ?isOptional ?isRegex ?flagColTitle
where {
  ${ds} cpmeta:hasColumn ?col .
  ?col cpmeta:hasColumnTitle ?colTitle ; cpmeta:hasValueFormat ?valFormat .
  optional { ?col cpmeta:isOptionalColumn ?isOptional }
  optional { ?col cpmeta:isRegexColumn ?isRegex }
  optional {
    ?flagCol cpmeta:isQualityFlagFor ?col ; cpmeta:hasColumnTitle ?flagColTitle .
    ${ds} cpmeta:hasColumn ?flagCol .
  }
}`;
}

/**
 * Q7: the good flag values of the formats of some specs, `;`-joined (icoscp_core batch).
 *
 * @param specs Spec IRIs.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { goodFlagsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(goodFlagsQuery(["http://meta.icos-cp.eu/resources/cpmeta/atcCo2L2DataObject"]), /group_concat/);
 * ```
 */
export function goodFlagsQuery(specs: readonly string[]): string {
  specs = stringList("goodFlagsQuery", "specs", specs);
  return `${PREFIXES}select ?objFormat (group_concat(?goodFlag; separator=";") as ?goodFlags)
where {
  values ?spec { ${specs.map((s) => iri(s)).join(" ")} }
  ?spec cpmeta:hasFormat ?objFormat .
  optional { ?objFormat cpmeta:hasGoodFlagValue ?goodFlag }
}
group by ?objFormat`;
}

/** Filters of {@linkcode stationQuery}. */
export interface StationQueryFilter {
  /** Station ids (`GAT`, `SE-Htm`). */
  ids?: readonly string[];
  /** Themes: `AS`, `ES`, `OS` (or other station class local names). */
  themes?: readonly string[];
  /** ISO alpha-2 country codes. */
  countries?: readonly string[];
  /** `ICOS` (default: stations with an ICOS class, themes AS/ES/OS) or `ALL`, any case. */
  project?: "ICOS" | "ALL" | "all" | (string & Record<never, never>);
}

/** The themes of ICOS stations. */
export const ICOS_THEMES: readonly string[] = ["AS", "ES", "OS"];

/**
 * Q8: icoscp's station list with the current PI, country, position,
 * elevation, theme and site type (icoscp `station.getIdList` / `sparqls.station_query`).
 *
 * @param filter Ids, themes (`AS`, `ES`, `OS` in any case, or other station class names),
 *   countries (any case) and project (`ICOS` or `ALL`, any case).
 * @param ctx The instance prefix.
 * @returns The query.
 * @throws {UnknownValueError} For another project, or project ICOS with only non-ICOS themes.
 *
 * @example
 * ```ts
 * import { stationQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * const q = stationQuery({ ids: ["GAT"], themes: ["AS"] });
 * assert.match(q, /values \?id \{ "GAT" \}/);
 * assert.match(q, /values \?stationTheme \{ <http:\/\/meta\.icos-cp\.eu\/ontologies\/cpmeta\/AS> \}/);
 * ```
 */
export function stationQuery(filter: StationQueryFilter = {}, ctx?: QueryContext): string {
  ctx = queryContext("stationQuery", ctx);
  filter = checkOptions("stationQuery", filter, STATION_FILTER_KEYS);
  filter = {
    ...filter,
    ids: optionalStringList("stationQuery", "ids", filter.ids),
    themes: optionalStringList("stationQuery", "themes", filter.themes),
    countries: optionalStringList("stationQuery", "countries", filter.countries),
  };
  const project = String(filter.project ?? "ICOS").toUpperCase();
  if (project !== "ICOS" && project !== "ALL") {
    throw new UnknownValueError("project", filter.project, { valid: ["ICOS", "ALL"] });
  }
  const icos = project === "ICOS";
  // ICOS themes in any case; other station classes as given (class names are case-sensitive IRIs)
  const given = (filter.themes ?? []).map((t) =>
    ICOS_THEMES.includes(t.toUpperCase()) ? t.toUpperCase() : t
  );
  let themes = given;
  if (icos) {
    themes = given.length ? given.filter((t) => ICOS_THEMES.includes(t)) : [...ICOS_THEMES];
    if (!themes.length) {
      throw new UnknownValueError("theme of ICOS stations", given, { valid: ICOS_THEMES });
    }
  }
  const themeValues = themes.length
    ? `values ?stationTheme { ${themes.map((t) => iri(CPMETA + t)).join(" ")} }`
    : "";
  const ids = filter.ids?.length
    ? `values ?id { ${filter.ids.map((i) => literal(i)).join(" ")} }`
    : "";
  const country = filter.countries?.length
    ? `values ?country { ${
      filter.countries.map((c) => literal(c.toUpperCase())).join(" ")
    } }\n  ?uri cpmeta:countryCode ?country .`
    : "optional { ?uri cpmeta:countryCode ?country }";
  const cls = icos
    ? `values ?icosClass { "1" "2" "Associated" }\n  ?uri cpmeta:hasStationClass ?icosClass .`
    : "optional { ?uri cpmeta:hasStationClass ?icosClass }";
  const g = (name: string) => `from ${res(ctx, `${name}/`)}`;
  return relative(
    ctx,
    `${PREFIXES}select distinct ?uri ?id ?name ?icosClass ?country ?lat ?lon ?elevation ?stationTheme ?firstName ?lastName ?email ?siteType
${g("icos")}
${g("extrastations")}
${g("cpmeta")}
${g("stationentry")}
where {
  {
    select ?uri ?id ?stationTheme (sample(?person) as ?pi)
    where {
      ${ids}
      ${themeValues}
      ?uri cpmeta:hasStationId ?id ; a ?stationTheme .
      optional {
        ?memb cpmeta:atOrganization ?uri ; cpmeta:hasRole ${res(ctx, "roles/PI")} .
        optional { ?memb cpmeta:hasEndTime ?membEnd }
        filter(!bound(?membEnd) || ?membEnd > now())
        ?person cpmeta:hasMembership ?memb .
      }
    }
    group by ?uri ?id ?stationTheme
  }
  ${cls}
  ${country}
  optional {
    ?person cpmeta:hasFirstName ?firstName ; cpmeta:hasLastName ?lastName .
    optional { ?person cpmeta:hasEmail ?email }
    filter(?person = ?pi)
  }
  optional { ?entry cpst:hasProductionCounterpart ?counterpart ; cpst:hasSiteType ?siteType . filter(iri(str(?counterpart)) = ?uri) }
  optional { ?uri cpmeta:hasName ?name }
  optional { ?uri cpmeta:hasLatitude ?lat }
  optional { ?uri cpmeta:hasLongitude ?lon }
  optional { ?uri cpmeta:hasElevation ?elevation }
}
order by ?stationTheme ?id`,
  );
}

/**
 * Q9: a station's data objects with spec, level, time range, size and
 * sampling height (icoscp `Station.data()` / `sparqls.stationData`).
 *
 * @param stations Station IRIs.
 * @param level Data level `1`, `2`, `3` or `all` (level > 0). Default `2` (level > 1, like icoscp).
 * @returns The query.
 *
 * @example
 * ```ts
 * import { stationDataQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(stationDataQuery(["http://meta.icos-cp.eu/resources/stations/AS_GAT"], "all"), /\?datalevel > 0/);
 * ```
 */
export function stationDataQuery(
  stations: readonly string[],
  level: 1 | 2 | 3 | "all" | "1" | "2" | "3" = 2,
): string {
  stations = stringList("stationDataQuery", "stations", stations);
  const lv = String(level);
  const cond = lv === "all"
    ? "?datalevel > 0"
    : lv === "2"
    ? "?datalevel > 1"
    : `?datalevel = ${term(Number(lv))}`;
  if (!["all", "1", "2", "3"].includes(lv)) throw new InvalidArgumentError(`Unknown level ${lv}`);
  return `${PREFIXES}select *
where {
  ?spec cpmeta:hasDataLevel ?datalevel ; rdfs:label ?specLabel .
  filter(${cond})
  filter not exists { ?spec cpmeta:hasAssociatedProject/cpmeta:hasHideFromSearchPolicy "true"^^xsd:boolean }
  values ?station { ${stations.map((s) => iri(https2http(s))).join(" ")} }
  ?dobj cpmeta:hasObjectSpec ?spec .
  ${NOT_DEPRECATED}
  ?dobj cpmeta:wasAcquiredBy [ prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd ; prov:wasAssociatedWith ?station ] .
  ?dobj cpmeta:hasSizeInBytes ?bytes .
  optional { ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?samplingheight }
}`;
}

/**
 * Q10: collections (latest versions) with DOI, title and description; with
 * `id`, only the collection whose URI or DOI it is (icoscp `sparqls.collections`).
 *
 * @param id A collection URI or DOI.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { collectionsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(collectionsQuery("10.18160/P7E9-EKEA"), /\?doi = "10\.18160\/P7E9-EKEA"/);
 * ```
 */
export function collectionsQuery(id?: string): string {
  const filter = id ? `filter(str(?collection) = ${literal(id)} || ?doi = ${literal(id)})` : "";
  return `${PREFIXES}select ?collection ?doi ?title ?description
where {
  ?collection a cpmeta:Collection .
  optional { ?collection cpmeta:hasDoi ?doi }
  ?collection dcterms:title ?title .
  optional { ?collection dcterms:description ?description }
  filter not exists { [] cpmeta:isNextVersionOf ?collection }
  ${filter}
}
order by ?title`;
}

/**
 * Q11: the members of a collection (icoscp `sparqls.collection_items`).
 *
 * @param collection The collection URI.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { collectionItemsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(collectionItemsQuery("https://meta.icos-cp.eu/collections/WM5ShdLFqPSI0coyVa57G1_Z"), /dcterms:hasPart \?dobj/);
 * ```
 */
export function collectionItemsQuery(collection: string): string {
  return `${PREFIXES}select ?dobj where { ${iri(collection)} dcterms:hasPart ?dobj }`;
}

/**
 * Q12: ICOS observations at a STILT station: the ObsPack objects of an ICOS
 * station at a sampling height (icoscp_stilt `get_dobj_list`).
 *
 * @param station The ICOS station id (`GAT`) and sampling height (m).
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { stiltObservationsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(stiltObservationsQuery({ icosId: "GAT", height: 341 }), /AS_GAT/);
 * ```
 */
export function stiltObservationsQuery(
  station: { icosId: string; height: number },
  ctx?: QueryContext,
): string {
  ctx = queryContext("stiltObservationsQuery", ctx);
  station = checkOptions("stiltObservationsQuery", station, { icosId: true, height: true }, {
    icos_id: "icosId",
  });
  station = {
    icosId: text("stiltObservationsQuery", "icosId", station.icosId),
    height: finiteNumber("stiltObservationsQuery", "height", station.height),
  };
  return relative(
    ctx,
    listDataObjectsQuery({
      specs: [
        `${base(ctx)}resources/cpmeta/ObspackTimeSerieResult`,
        `${base(ctx)}resources/cpmeta/ObspackCH4TimeSeriesResult`,
      ],
      stations: [`${base(ctx)}resources/stations/AS_${station.icosId}`],
      filters: [{ prop: "samplingHeight", op: "=", value: station.height }],
      limit: 10000,
    }),
  );
}

function atcObjects(
  specs: SparqlTerm[],
  graph: SparqlTerm,
  limit?: number,
  stations?: SparqlTerm[],
): string {
  const st = stations?.length
    ? `values ?station { ${
      stations.join(" ")
    } }\n  ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?station .`
    : "";
  return `${PREFIXES}select ?dobj ?spec ?fileName ?size ?submTime ?timeStart ?timeEnd
from ${graph}
where {
  values ?spec { ${specs.join(" ")} }
  ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasSizeInBytes ?size ; cpmeta:hasName ?fileName ;
    cpmeta:wasSubmittedBy/prov:endedAtTime ?submTime ;
    cpmeta:wasAcquiredBy [ prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd ] .
  ${st}
  ${NOT_DEPRECATED}
}
order by desc(?submTime)${limitClause(limit)}`;
}

/** Tracers of the ATC queries. */
export type Tracer = "co2" | "ch4" | "co" | "mto";

const TRACER_SPEC: Record<Tracer, string> = { co2: "Co2", ch4: "Ch4", co: "Co", mto: "Meteo" };

function atcSpec(tracer: Tracer, level: 1 | 2, ctx?: QueryContext): SparqlTerm {
  const t = TRACER_SPEC[tracer];
  if (!t) throw new InvalidArgumentError(`Unknown tracer ${tracer} (co2, ch4, co, mto)`);
  const name = level === 2
    ? `atc${t}L2DataObject`
    : tracer === "mto"
    ? "atcMeteoGrowingNrtDataObject"
    : `atc${t}NrtGrowingDataObject`;
  return res(ctx, `cpmeta/${name}`);
}

/**
 * Level-2 ATC data objects of one tracer, optionally at some stations
 * (icoscp `atc_co2_level2`, `atc_ch4_level2`, `atc_co_level2`, `atc_query`, `atc_stationlist`).
 *
 * @param tracer `co2`, `ch4`, `co` or `mto` (meteo).
 * @param options Level (1 = near-real-time growing objects, 2 = release; default 2), stations (ICOS ids), limit, prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { atcQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(atcQuery("co2"), /atcCo2L2DataObject/);
 * assert.match(atcQuery("ch4", { level: 1, stations: ["GAT"] }), /atcCh4NrtGrowingDataObject[\s\S]*AS_GAT/);
 * ```
 */
export function atcQuery(
  tracer: Tracer,
  options: { level?: 1 | 2; stations?: readonly string[]; limit?: number } & QueryContext = {},
): string {
  options = checkOptions("atcQuery", options, {
    level: true,
    stations: true,
    limit: true,
    prefix: true,
  });
  options = {
    ...options,
    level: integer("atcQuery", "level", options.level ?? 2, { min: 1, max: 2 }) as 1 | 2,
    stations: optionalStringList("atcQuery", "stations", options.stations),
    limit: optionalInteger("atcQuery", "limit", options.limit),
  };
  const level = options.level ?? 2;
  const specs = level === 1 && tracer !== "mto"
    ? [atcSpec(tracer, 1, options), atcSpec("mto", 1, options)]
    : [atcSpec(tracer, level, options)];
  return relative(
    options,
    atcObjects(
      specs,
      res(options, "atmprodcsv/"),
      options.limit,
      options.stations?.map((s) => res(options, `stations/AS_${s}`)),
    ),
  );
}

/**
 * Data objects of one spec with their station name and sampling height
 * (icoscp `sparqls.objectSpec`).
 *
 * @param spec Spec local name (default `atcCo2L2DataObject`).
 * @param options Station name substring filter, limit, prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { objectSpecQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(objectSpecQuery("etcL2Fluxes", { limit: 5 }), /limit 5$/);
 * ```
 */
export function objectSpecQuery(
  spec = "atcCo2L2DataObject",
  options: { station?: string; limit?: number } & QueryContext = {},
): string {
  options = checkOptions("objectSpecQuery", options, { station: true, limit: true, prefix: true });
  options = { ...options, limit: optionalInteger("objectSpecQuery", "limit", options.limit) };
  text("objectSpecQuery", "spec", spec);
  const filter = options.station
    ? `filter(contains(lcase(str(?station)), lcase(${literal(options.station)})))`
    : "";
  return relative(
    options,
    `${PREFIXES}select ?dobj ?station ?samplingHeight
where {
  ?dobj cpmeta:hasObjectSpec ${res(options, `cpmeta/${encodeURIComponent(spec)}`)} .
  ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith/cpmeta:hasName ?station .
  optional { ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?samplingHeight }
  ${NOT_DEPRECATED}
  ${filter}
}
order by ?station ?samplingHeight${limitClause(options.limit)}`,
  );
}

/**
 * Station and sampling facts of one object: station name, id, position,
 * elevation, height, theme and actual column names (icoscp `sparqls.dobjStation`).
 *
 * @param dobj The object URI.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { dobjStationQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(dobjStationQuery("https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_"), /hasActualColumnNames/);
 * ```
 */
export function dobjStationQuery(dobj: string): string {
  const d = iri(dobj);
  return `${PREFIXES}select ?dobj ?stationName ?stationId ?lon ?lat ?elevation ?samplingHeight ?theme ?columnNames
where {
  bind(${d} as ?dobj)
  ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?station .
  ?station cpmeta:hasName ?stationName ; cpmeta:hasStationId ?stationId .
  optional { ?station cpmeta:hasLongitude ?lon ; cpmeta:hasLatitude ?lat }
  optional { ?station cpmeta:hasElevation ?elevation }
  optional { ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?samplingHeight }
  optional { ?dobj cpmeta:hasObjectSpec/cpmeta:hasDataTheme/rdfs:label ?theme }
  optional { ?dobj cpmeta:hasActualColumnNames ?columnNames }
}`;
}

/**
 * Atmosphere stations with the last names of their current PIs, country and
 * position (icoscp `sparqls.get_coords_icos_stations_atc`).
 *
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { atcStationCoordsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(atcStationCoordsQuery(), /\?PI_names/);
 * ```
 */
export function atcStationCoordsQuery(ctx?: QueryContext): string {
  ctx = queryContext("atcStationCoordsQuery", ctx);
  return relative(
    ctx,
    `${PREFIXES}select ?uri ?Short_name ?Long_name ?Country ?lat ?lon (group_concat(?lastName; separator=";") as ?PI_names)
from ${res(ctx, "icos/")}
where {
  ?uri a cpmeta:AS ; cpmeta:hasStationId ?Short_name ; cpmeta:hasName ?Long_name ; cpmeta:countryCode ?Country .
  optional { ?uri cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon }
  optional {
    ?memb cpmeta:atOrganization ?uri ; cpmeta:hasRole ${res(ctx, "roles/PI")} .
    optional { ?memb cpmeta:hasEndTime ?membEnd }
    filter(!bound(?membEnd) || ?membEnd > now())
    ?person cpmeta:hasMembership ?memb ; cpmeta:hasLastName ?lastName .
  }
}
group by ?uri ?Short_name ?Long_name ?Country ?lat ?lon
order by ?Short_name`,
  );
}

/**
 * ICOS-project data objects of a level whose dataset has a CO2, CO or CH4
 * mole-fraction column (icoscp `get_icos_stations_atc_L1` / `_L2`).
 *
 * @param level 1 or 2.
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { atcStationsLevelQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(atcStationsLevelQuery(1), /hasDataLevel "1"/);
 * ```
 */
export function atcStationsLevelQuery(level: 1 | 2, ctx?: QueryContext): string {
  ctx = queryContext("atcStationsLevelQuery", ctx);
  level = integer("atcStationsLevelQuery", "level", level, { min: 1, max: 2 }) as 1 | 2;
  if (level !== 1 && level !== 2) {
    throw new InvalidArgumentError(`Level must be 1 or 2, not ${level}`);
  }
  const vts = ["co2MixingRatio", "coMixingRatioPpb", "ch4MixingRatioPpb"].map((v) =>
    res(ctx, `cpmeta/${v}`)
  );
  return relative(
    ctx,
    `${PREFIXES}select distinct ?dobj ?fileName ?variable ?stationName ?height ?timeStart ?timeEnd
where {
  values ?vtype { ${vts.join(" ")} }
  ?spec cpmeta:hasDataLevel "${level}"^^xsd:integer ; cpmeta:hasAssociatedProject ${
      res(ctx, "projects/icos")
    } ;
    cpmeta:containsDataset/cpmeta:hasColumn ?column .
  ?column cpmeta:hasValueType ?vtype .
  ?vtype rdfs:label ?variable .
  ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasName ?fileName .
  ${NOT_DEPRECATED}
  ?dobj cpmeta:wasAcquiredBy ?acq .
  ?acq prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd ; prov:wasAssociatedWith/cpmeta:hasName ?stationName .
  optional { ?acq cpmeta:hasSamplingHeight ?height }
}
order by ?stationName ?height`,
  );
}

/**
 * Labelling class of atmosphere station entries (icoscp `sparqls.get_station_class`).
 *
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { stationEntryClassQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(stationEntryClassQuery(), /cpst:hasStationClass/);
 * ```
 */
export function stationEntryClassQuery(ctx?: QueryContext): string {
  ctx = queryContext("stationEntryClassQuery", ctx);
  return relative(
    ctx,
    `${PREFIXES}select ?s ?Short_name ?Station_class ?Country ?Long_name
from ${res(ctx, "stationentry/")}
where {
  ?s a cpst:AS ; cpst:hasShortName ?Short_name ; cpst:hasStationClass ?Station_class ;
    cpst:hasCountry ?Country ; cpst:hasLongName ?Long_name .
  filter(?Station_class = "1" || ?Station_class = "2")
}
order by ?Short_name`,
  );
}

/**
 * The citation string of one object (icoscp `sparqls.get_icos_citation`).
 *
 * @param dobj The object URI.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { citationQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(citationQuery("https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_"), /hasCitationString \?cit/);
 * ```
 */
export function citationQuery(dobj: string): string {
  return `${PREFIXES}select ?cit where { optional { ${iri(dobj)} cpmeta:hasCitationString ?cit } }`;
}

/**
 * Level 1–2 products of one domain with at least one object (icoscp `sparqls.icos_prods_per_domain`).
 *
 * @param domain `atmosphere` (default), `ecosystem` or `ocean` (any case).
 * @param ctx The instance prefix.
 * @returns The query.
 * @throws {UnknownValueError} For another domain.
 *
 * @example
 * ```ts
 * import { productsPerDomainQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(productsPerDomainQuery("ecosystem"), /themes\/ecosystem/);
 * ```
 */
export function productsPerDomainQuery(
  domain: "atmosphere" | "ecosystem" | "ocean" = "atmosphere",
  ctx?: QueryContext,
): string {
  const domains = ["atmosphere", "ecosystem", "ocean"] as const;
  const d = domains.find((x) => x === String(domain).toLowerCase());
  if (!d) throw new UnknownValueError("domain", domain, { valid: domains });
  domain = d;
  // ICOS specs, or specs whose project (or the spec itself) has a "pre-ICOS" keyword
  // (InGOS, Drought 2018), with a dataset and at least one object.
  return relative(
    ctx,
    `${PREFIXES}select ?specLabel ?spec
where {
  ?spec cpmeta:hasDataTheme ${res(ctx, `themes/${domain}`)} ; cpmeta:hasDataLevel ?level .
  filter(?level > 0 && ?level < 3)
  {
    { ?spec cpmeta:hasAssociatedProject ${res(ctx, "projects/icos")} }
    union
    { ?spec cpmeta:hasAssociatedProject?/cpmeta:hasKeywords ?keywords . filter(contains(?keywords, "pre-ICOS")) }
  }
  filter exists { ?spec cpmeta:containsDataset [] }
  filter exists { [] cpmeta:hasObjectSpec ?spec }
  ?spec rdfs:label ?specLabel .
}
order by ?specLabel`,
  );
}

/**
 * Time coverage, station and sampling height of every object of some specs
 * (icoscp `sparqls.prod_availability`).
 *
 * @param specs Spec IRIs.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { productAvailabilityQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(productAvailabilityQuery(["http://meta.icos-cp.eu/resources/cpmeta/etcL2Fluxes"]), /\?stationId/);
 * ```
 */
export function productAvailabilityQuery(specs: readonly string[]): string {
  return `${PREFIXES}select ?dobj ?samplingHeight ?specLabel ?timeStart ?timeEnd ?stationId
where {
  values ?spec { ${specs.map((s) => iri(https2http(s))).join(" ")} }
  ?dobj cpmeta:hasObjectSpec ?spec .
  ?spec rdfs:label ?specLabel .
  ${NOT_DEPRECATED}
  ?dobj cpmeta:wasAcquiredBy ?acq .
  ?acq prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd ; prov:wasAssociatedWith/cpmeta:hasStationId ?stationId .
  optional { ?acq cpmeta:hasSamplingHeight ?samplingHeight }
}
order by ?stationId ?specLabel`;
}

/**
 * Objects of visible, levelled specs at an atmosphere station and sampling
 * height, with whether a newer version exists (icoscp `sparqls.dobj_for_samplingheight`).
 *
 * @param station ICOS id (`GAT`) and sampling height (m).
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { objectsAtHeightQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(objectsAtHeightQuery({ icosId: "GAT", height: 341 }), /\?hasNextVersion/);
 * ```
 */
export function objectsAtHeightQuery(
  station: { icosId: string; height: number },
  ctx?: QueryContext,
): string {
  const h = literal(String(Number(station.height)), { datatype: "float" });
  return relative(
    ctx,
    `${PREFIXES}select ?dobj ?hasNextVersion ?spec ?fileName ?size ?submTime ?timeStart ?timeEnd
where {
  ?spec cpmeta:hasDataLevel [] .
  filter not exists { ?spec cpmeta:hasAssociatedProject/cpmeta:hasHideFromSearchPolicy "true"^^xsd:boolean }
  ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasSizeInBytes ?size ; cpmeta:hasName ?fileName ;
    cpmeta:wasSubmittedBy/prov:endedAtTime ?submTime .
  ?dobj cpmeta:wasAcquiredBy ?acq .
  ?acq prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd ;
    prov:wasAssociatedWith ${
      res(ctx, `stations/AS_${station.icosId}`)
    } ; cpmeta:hasSamplingHeight ?samplingHeight .
  filter(?samplingHeight = ${h})
  bind(exists { [] cpmeta:isNextVersionOf ?dobj } as ?hasNextVersion)
}
order by ?spec desc(?submTime)`,
  );
}

/**
 * Historical CO2 observations of an atmosphere station: objects of the
 * drought-2018 atmosphere product and the ATC CO2 release at the ICOS station
 * (`AS_<code>`) or the pre-ICOS one (`ATMO_<code>`), with station facts
 * (icoscp `sparqls.icos_hist_L1_L2_sparql` and `icos_hist_sparql`).
 *
 * @param station Station code (`GAT`); `icos: false` for the pre-ICOS station.
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { historicalObservationsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(historicalObservationsQuery({ code: "HTM", icos: false }), /stations\/ATMO_HTM/);
 * ```
 */
export function historicalObservationsQuery(
  station: { code: string; icos?: boolean },
  ctx?: QueryContext,
): string {
  const st = res(ctx, `stations/${station.icos === false ? "ATMO" : "AS"}_${station.code}`);
  const specs = [res(ctx, "cpmeta/drought2018AtmoProduct"), res(ctx, "cpmeta/atcCo2L2DataObject")];
  return relative(
    ctx,
    `${PREFIXES}select ?dobj ?spec ?fileName ?samplingHeight ?timeStart ?timeEnd ?Short_name ?Country ?lat ?lon ?Long_name ?height
where {
  values ?spec { ${specs.join(" ")} }
  ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasName ?fileName ; cpmeta:wasAcquiredBy ?acq .
  ${NOT_DEPRECATED}
  ?acq prov:wasAssociatedWith ${st} ; prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd .
  optional { ?acq cpmeta:hasSamplingHeight ?samplingHeight }
  ${st} cpmeta:hasStationId ?Short_name ; cpmeta:hasName ?Long_name .
  optional { ${st} cpmeta:countryCode ?Country }
  optional { ${st} cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon }
  optional { ${st} cpmeta:hasElevation ?height }
}
order by ?spec ?samplingHeight`,
  );
}

/**
 * The stations of the drought-2018 atmosphere product with their sampling
 * heights: columns `Short_name`, `Country`, `lat`, `lon`, `Long_name`,
 * `height`, one row per station and height (icoscp `sparqls.icos_hist_sparql()`).
 *
 * @param ctx The instance prefix (run through a client, its portal's).
 * @returns The query.
 *
 * @example
 * ```ts
 * import { historicalStationsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(historicalStationsQuery(), /drought2018AtmoProduct/);
 * ```
 */
export function historicalStationsQuery(ctx?: QueryContext): string {
  return relative(
    ctx,
    `${PREFIXES}select (str(?sName) as ?Short_name) ?Country ?lat ?lon (str(?lName) as ?Long_name) ?height
where {
  {
    select distinct ?s ?height
    where {
      ?dobj cpmeta:hasObjectSpec ${res(ctx, "cpmeta/drought2018AtmoProduct")} ;
        cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?s ; cpmeta:hasSizeInBytes ?size .
      optional { ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?height }
      ${NOT_DEPRECATED}
    }
  }
  ?s cpmeta:hasStationId ?sName ; cpmeta:hasName ?lName ; cpmeta:countryCode ?Country ;
    cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon .
}
order by ?Short_name ?height`,
  );
}

/**
 * Members of every current collection in one query (what icoscp's
 * `collection.getIdList` gathers with one query per collection).
 *
 * @returns The query.
 *
 * @example
 * ```ts
 * import { collectionMembersQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(collectionMembersQuery(), /dcterms:hasPart \?member/);
 * ```
 */
export function collectionMembersQuery(): string {
  return `${PREFIXES}select ?collection ?member
where {
  ?collection a cpmeta:Collection ; dcterms:hasPart ?member .
  filter not exists { [] cpmeta:isNextVersionOf ?collection }
}`;
}
