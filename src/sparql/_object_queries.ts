// Private: queries about data objects, their specs and products (Q1, Q3, Q5–Q7,
// the object lookups of icoscp's sparqls).

import {
  boolean,
  checkOptions,
  optionalInteger,
  optionalStringList,
  type OptionKeys,
  stringList,
  text,
} from "../_util/args.ts";
import { InvalidArgumentError, UnknownValueError } from "../errors.ts";
import {
  base,
  https2http,
  limitClause,
  NOT_DEPRECATED,
  PREFIXES,
  type QueryContext,
  queryContext,
  relative,
  res,
} from "./_query_base.ts";
import { iri, literal, type SparqlTerm, term } from "./terms.ts";

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
