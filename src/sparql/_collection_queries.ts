// Private: queries about collections and their members.

import { PREFIXES } from "./_query_base.ts";
import { iri, literal } from "./terms.ts";

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
