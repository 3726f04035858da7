// Private: what the search resolves typed filter values against — every
// data object specification (label, level, project, theme, column titles,
// keywords) and every station (id, name, country, class, position) — read
// with two SPARQL queries and kept by the client for a while.

import type { CarbonPortal } from "../client/client.ts";
import { PREFIXES } from "../sparql/queries.ts";
import type { RawTerm } from "../sparql/result.ts";

/** A data object specification as the search knows it. */
export interface SpecInfo {
  readonly uri: string;
  /** Local name, e.g. `atcCo2L2DataObject`. */
  readonly name: string;
  readonly label: string;
  readonly level: number;
  readonly project: string;
  readonly projectLabel: string;
  readonly theme: string;
  readonly themeLabel: string;
  /** Column titles of its dataset, lower case. */
  readonly columns: readonly string[];
  /** Keywords of the spec and its project, lower case. */
  readonly keywords: readonly string[];
  /** Licence its project implies, when it names one. */
  readonly licence?: string;
}

/** A station as the search knows it. */
export interface StationInfo {
  readonly uri: string;
  readonly id: string;
  readonly name?: string;
  readonly country?: string;
  readonly stationClass?: string;
  readonly lat?: number;
  readonly lon?: number;
}

/** Both lists, with lookups. */
export interface Vocabulary {
  readonly specs: readonly SpecInfo[];
  readonly stations: readonly StationInfo[];
  readonly specByUri: ReadonlyMap<string, SpecInfo>;
  readonly stationByUri: ReadonlyMap<string, StationInfo>;
}

const localName = (uri: string) => uri.replace(/^.*[/#]/, "");

const SPECS_QUERY = `${PREFIXES}select ?spec ?label ?level ?project ?projectLabel ?theme ?themeLabel
  ?licence ?specKw ?projKw (group_concat(distinct ?colTitle; separator="\\u0001") as ?cols)
where {
  ?spec cpmeta:hasDataLevel ?level ; rdfs:label ?label ;
    cpmeta:hasAssociatedProject ?project ; cpmeta:hasDataTheme ?theme .
  filter not exists { ?project cpmeta:hasHideFromSearchPolicy "true"^^xsd:boolean }
  optional { ?project rdfs:label ?projectLabel }
  optional { ?theme rdfs:label ?themeLabel }
  optional { ?project cpmeta:impliesDefaultLicence ?licence }
  optional { ?spec cpmeta:hasKeywords ?specKw }
  optional { ?project cpmeta:hasKeywords ?projKw }
  optional { ?spec cpmeta:containsDataset/cpmeta:hasColumn/cpmeta:hasColumnTitle ?colTitle }
}
group by ?spec ?label ?level ?project ?projectLabel ?theme ?themeLabel ?licence ?specKw ?projKw`;

const STATIONS_QUERY = `${PREFIXES}select ?station ?id ?name ?country ?class ?lat ?lon
where {
  ?station cpmeta:hasStationId ?id .
  optional { ?station cpmeta:hasName ?name }
  optional { ?station cpmeta:countryCode ?country }
  optional { ?station cpmeta:hasStationClass ?class }
  optional { ?station cpmeta:hasLatitude ?lat }
  optional { ?station cpmeta:hasLongitude ?lon }
}`;

type Row = Record<string, RawTerm>;
const v = (r: Row, k: string) => r[k]?.value;
const words = (s: string | undefined) =>
  (s ?? "").split(",").map((w) => w.trim().toLowerCase()).filter((w) => w);

/** Reads the vocabulary of a portal (two queries, sent together). */
export async function loadVocabulary(
  cp: CarbonPortal,
  run: (query: string) => Promise<Row[]>,
): Promise<Vocabulary> {
  void cp;
  const [specRows, stationRows] = await Promise.all([run(SPECS_QUERY), run(STATIONS_QUERY)]);
  const specs = new Map<string, SpecInfo>();
  for (const r of specRows) {
    const uri = v(r, "spec")!;
    const prev = specs.get(uri);
    const spec: SpecInfo = {
      uri,
      name: localName(uri),
      label: v(r, "label") ?? localName(uri),
      level: Number(v(r, "level")),
      project: v(r, "project")!,
      projectLabel: v(r, "projectLabel") ?? localName(v(r, "project")!),
      theme: v(r, "theme")!,
      themeLabel: v(r, "themeLabel") ?? localName(v(r, "theme")!),
      columns: [
        ...new Set([
          ...(prev?.columns ?? []),
          ...(v(r, "cols") ?? "").split("\u0001").filter((c) => c).map((c) => c.toLowerCase()),
        ]),
      ],
      keywords: [
        ...new Set([...(prev?.keywords ?? []), ...words(v(r, "specKw")), ...words(v(r, "projKw"))]),
      ],
      licence: v(r, "licence") ?? prev?.licence,
    };
    specs.set(uri, spec);
  }
  const stations = new Map<string, StationInfo>();
  for (const r of stationRows) {
    const uri = v(r, "station")!;
    if (stations.has(uri)) continue;
    const num = (k: string) => (r[k] === undefined ? undefined : Number(v(r, k)));
    stations.set(uri, {
      uri,
      id: v(r, "id")!,
      name: v(r, "name"),
      country: v(r, "country")?.toUpperCase(),
      stationClass: v(r, "class"),
      lat: num("lat"),
      lon: num("lon"),
    });
  }
  return {
    specs: [...specs.values()],
    stations: [...stations.values()],
    specByUri: specs,
    stationByUri: stations,
  };
}
