// Private: what every built-in query shares: the prefixes, the instance prefix
// a query is written for, and its retargeting to another portal (forPortal).

import { checkOptions, text } from "../_util/args.ts";
import { InvalidArgumentError } from "../errors.ts";
import { iri, type SparqlTerm } from "./terms.ts";

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

/** First line of a query built without an explicit prefix (a SPARQL comment). */
const PORTAL_RELATIVE = `# icoscp-ts: portal-relative <${ICOS_INSTANCE_PREFIX}>\n`;

/** Second line of {@linkcode listStationsQuery} text built without a class. */
export const DEFAULT_CLASS = `# icoscp-ts: default station class <${CPMETA}IcosStation>\n`;

export function relative(ctx: QueryContext | undefined, text: string): string {
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
export function queryContext(
  where: string,
  ctx: QueryContext | undefined,
): QueryContext | undefined {
  return ctx === undefined ? undefined : checkOptions(where, ctx, { prefix: true });
}

export function base(ctx: QueryContext = {}): string {
  const p = ctx.prefix ?? ICOS_INSTANCE_PREFIX;
  iri(p); // validates
  return p.endsWith("/") ? p : `${p}/`;
}

export function res(ctx: QueryContext | undefined, path: string): SparqlTerm {
  return iri(`${base(ctx)}resources/${path}`);
}

export function limitClause(limit: number | undefined): string {
  if (limit === undefined || limit === 0) return "";
  if (!Number.isInteger(limit) || limit < 0) {
    throw new InvalidArgumentError(`Limit must be a whole number, not ${limit}`);
  }
  return `\nlimit ${limit}`;
}

export const NOT_DEPRECATED = "filter not exists {[] cpmeta:isNextVersionOf ?dobj}";

/** ICOS resource IRIs are http; `https://meta.icos-cp.eu/resources/…` (as users copy them) is normalised. */
export function https2http(u: string): string {
  return u.replace(
    /^https:\/\/meta\.icos-cp\.eu\/resources\//,
    "http://meta.icos-cp.eu/resources/",
  );
}
