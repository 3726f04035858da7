// Private: the search's vocabulary look-ups (every spec with its level,
// project, theme, columns and keywords; every station with its country,
// class and position) answered from a small store of the dataset without
// its objects. Both queries reach only specs, projects, themes, columns and
// stations (their patterns start from `hasDataLevel` and `hasStationId`,
// which no object has), so the answer is the full store's; the differential
// test checks it. A large catalogue answers them at once this way, while its
// full store is still being parsed. Anything else goes to the full store.

import { normaliseQuery, prologue } from "./_index_query.ts";
import { type SparqlAnswer, SparqlStore } from "./_sparql.ts";
import type { RdfText } from "./_rdf_load.ts";

/** The search's two vocabulary queries, after their prefixes (icoscp's `src/search/_vocabulary.ts`). */
const KNOWN = [
  `select ?spec ?label ?level ?project ?projectLabel ?theme ?themeLabel
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
group by ?spec ?label ?level ?project ?projectLabel ?theme ?themeLabel ?licence ?specKw ?projKw`,
  `select ?station ?id ?name ?country ?class ?lat ?lon
where {
  ?station cpmeta:hasStationId ?id .
  optional { ?station cpmeta:hasName ?name }
  optional { ?station cpmeta:countryCode ?country }
  optional { ?station cpmeta:hasStationClass ?class }
  optional { ?station cpmeta:hasLatitude ?lat }
  optional { ?station cpmeta:hasLongitude ?lon }
}`,
].map((q) => normaliseQuery(q)!);

/** Whether a query is one of the vocabulary look-ups. */
export function isCoreQuery(query: string): boolean {
  const norm = normaliseQuery(query);
  const body = norm === undefined ? undefined : prologue(norm)?.body;
  return body !== undefined && KNOWN.includes(body);
}

/** The store of the dataset without its objects, made on first use. */
export class CoreQueries {
  #store: SparqlStore | undefined;
  readonly #make: () => RdfText[];

  /** @param make The RDF of everything but the objects. */
  constructor(make: () => RdfText[]) {
    this.#make = make;
  }

  /** The answer of a vocabulary look-up, else undefined. */
  answer(query: string, accept: string | null): SparqlAnswer | undefined {
    if (!isCoreQuery(query)) return undefined;
    if (!this.#store) {
      this.#store = new SparqlStore();
      for (const r of this.#make()) this.#store.loadTurtle(r.text, r.graph);
    }
    return this.#store.query(query, accept);
  }
}
