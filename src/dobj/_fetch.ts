// Private: `cp.dobj(ref)`: a data object's metadata by id, PID, landing
// page or DOI.

import type { CarbonPortal } from "../client/client.ts";
import { hashToId, objectId } from "../client/ids.ts";
import { NotFoundError, UnsupportedFormatError } from "../errors.ts";
import { PREFIXES } from "../sparql/queries.ts";
import { literal } from "../sparql/terms.ts";
import { checkDataObjectMeta } from "./_meta_check.ts";
import { doiOf } from "../_util/doi.ts";
import { dobjRef } from "./_refs.ts";
import { Dobj } from "./dobj.ts";
import type { DataObjectMeta } from "./meta_types.ts";

export const isDobj = (v: unknown): v is Dobj => v instanceof Dobj;

/**
 * Fetches a data object's landing-page metadata. Implementation of
 * {@linkcode CarbonPortal.dobj}.
 */
export async function fetchDobj(cp: CarbonPortal, given: unknown): Promise<Dobj> {
  const ref = dobjRef("cp.dobj", given, isDobj);
  if (ref instanceof Dobj) return ref;
  const doi = doiOf(ref);
  const id = doi ? await objectOfDoi(cp, doi) : objectId(ref);
  const uri = `${cp.endpoints.meta}/objects/${id}`;
  const meta = await cp.fetchJson(uri, "Fetching JSON metadata", {
    notFound: /but got 0|not found|unknown/i,
  }) as DataObjectMeta;
  checkDataObjectMeta(meta, uri);
  try {
    hashToId(meta.hash);
  } catch (cause) {
    throw new UnsupportedFormatError(`Metadata of ${uri} has no valid hash`, { cause });
  }
  return new Dobj(cp, { meta, uri });
}

/** The id of the (latest) data object with a DOI, found by SPARQL. */
export async function objectOfDoi(cp: CarbonPortal, doi: string): Promise<string> {
  const variants = [...new Set([doi, doi.toUpperCase(), doi.toLowerCase()])];
  const r = await cp.sparql.select(`${PREFIXES}select ?dobj where {
  ?dobj cpmeta:hasDoi ?doi ; cpmeta:hasObjectSpec [] .
  filter(${variants.map((v) => `?doi = ${literal(v)}`).join(" || ")})
  filter not exists { [] cpmeta:isNextVersionOf ?dobj }
}`);
  const uri = r.rows[0]?.iri("dobj");
  if (!uri) {
    throw new NotFoundError("Resolving a DOI", {
      status: 404,
      url: `https://doi.org/${doi}`,
      body:
        `No data object with DOI ${doi} at ${cp.endpoints.meta} (a collection's DOI? use cp.collection.get)`,
    });
  }
  return objectId(uri);
}
