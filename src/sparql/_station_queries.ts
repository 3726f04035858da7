// Private: queries about stations (Q2, Q4, Q8 and icoscp's station lookups).

import { checkOptions, optionalStringList, type OptionKeys, stringList } from "../_util/args.ts";
import { InvalidArgumentError, UnknownValueError } from "../errors.ts";
import {
  base,
  CPMETA,
  DEFAULT_CLASS,
  https2http,
  NOT_DEPRECATED,
  PREFIXES,
  type QueryContext,
  queryContext,
  relative,
  res,
} from "./_query_base.ts";
import { iri, literal, term } from "./terms.ts";

const STATION_FILTER_KEYS: OptionKeys<StationQueryFilter> = {
  ids: true,
  themes: true,
  countries: true,
  project: true,
};

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
