// Private: what the search keeps per client: its SPARQL answers (checked
// against the newest submission before reuse), the spec and station
// vocabulary, collections resolved, the quota account.

import type { CarbonPortal } from "../client/client.ts";
import { SparqlError, UnknownValueError } from "../errors.ts";
import { PREFIXES } from "../sparql/queries.ts";
import type { RawResults, RawTerm } from "../sparql/result.ts";
import { literal } from "../sparql/terms.ts";
import { QuotaGate } from "./_quota.ts";
import { loadVocabulary, type Vocabulary } from "./_vocabulary.ts";
import { doiOf } from "../_util/doi.ts";

/** How long the spec and station lists are kept, in ms (whatever `cacheTtl` says). */
export const VOCABULARY_TTL = 600_000;

/** What the search keeps per client: vocabulary, answers, quota account. */
export interface SearchState {
  vocabulary?: { at: number; value: Promise<Vocabulary> };
  answers: Map<string, { at: number; rows: Record<string, RawTerm>[] }>;
  /** Newest submission time seen when the cache was last checked. */
  newest?: { at: number; value: string };
  /** The newest-submission query in flight, shared by the answers that wait for it. */
  newestPending?: Promise<string>;
  gate: QuotaGate;
  queries: number;
}

export const STATES = new WeakMap<CarbonPortal, SearchState>();

export const MAX_ANSWERS = 200;

export function stateOf(cp: CarbonPortal): SearchState {
  let s = STATES.get(cp);
  if (!s) STATES.set(cp, s = { answers: new Map(), gate: new QuotaGate(), queries: 0 });
  return s;
}

export async function select(
  cp: CarbonPortal,
  query: string,
  signal: AbortSignal | undefined,
): Promise<Record<string, RawTerm>[]> {
  const s = stateOf(cp);
  const url = cp.endpoints.sparql;
  return await s.gate.run("SPARQL search", url, async () => {
    s.queries++;
    let res: Response;
    try {
      res = await cp.request(url, {
        method: "POST",
        hint: "SPARQL search",
        idempotent: true,
        headers: {
          accept: "application/sparql-results+json",
          "content-type": "text/plain",
        },
        body: query,
        signal,
      });
    } catch (e) {
      if ((e as { status?: number }).status === 400) {
        throw new SparqlError(`SPARQL search failed: ${(e as { body?: string }).body}`, {
          query,
          cause: e,
        });
      }
      throw e;
    }
    const text = await res.text();
    try {
      return (JSON.parse(text) as RawResults).results.bindings;
    } catch (cause) {
      throw new SparqlError(`SPARQL search answer is not SPARQL JSON: ${text.slice(0, 200)}`, {
        query,
        cause,
      });
    }
  });
}

export const NEWEST_QUERY =
  `${PREFIXES}select (max(?t) as ?newest) where { ?dobj cpmeta:wasSubmittedBy/prov:endedAtTime ?t }`;

/** A query's rows, from the cache while it is fresh (ETag-like check by newest submission). */
export async function cached(
  cp: CarbonPortal,
  query: string,
  ttl: number,
  signal: AbortSignal | undefined,
): Promise<Record<string, RawTerm>[]> {
  const s = stateOf(cp);
  if (ttl <= 0) return await select(cp, query, signal);
  const now = Date.now();
  const hit = s.answers.get(query);
  if (hit && now - hit.at < ttl) return hit.rows;
  if (hit && s.newest && now - s.newest.at >= ttl) {
    // stale: one cheap query tells whether anything was submitted since
    const newest = (await select(cp, NEWEST_QUERY, signal))[0]?.newest?.value ?? "";
    const unchanged = newest === s.newest.value;
    s.newest = { at: now, value: newest };
    if (unchanged) {
      for (const a of s.answers.values()) a.at = now;
      return hit.rows;
    }
    s.answers.clear();
  }
  // the first answer also needs the newest submission: asked alongside (one query for the page
  // and the facets sent together), so that it costs no extra round trip
  if (!s.newest) {
    s.newestPending ??= select(cp, NEWEST_QUERY, signal).then((r) => r[0]?.newest?.value ?? "")
      .finally(() => (s.newestPending = undefined));
  }
  const [rows, newest] = await Promise.all([select(cp, query, signal), s.newestPending]);
  if (newest !== undefined) s.newest ??= { at: now, value: newest };
  s.answers.set(query, { at: now, rows });
  while (s.answers.size > MAX_ANSWERS) s.answers.delete(s.answers.keys().next().value!);
  return rows;
}

export async function vocabulary(
  cp: CarbonPortal,
  ttl: number,
  signal?: AbortSignal,
): Promise<Vocabulary> {
  const s = stateOf(cp);
  const now = Date.now();
  if (s.vocabulary && (ttl > 0 && now - s.vocabulary.at < ttl)) return s.vocabulary.value;
  const value = loadVocabulary(cp, (q) => select(cp, q, signal));
  s.vocabulary = { at: now, value };
  value.catch(() => {
    if (s.vocabulary?.value === value) s.vocabulary = undefined;
  });
  return await value;
}

export async function collectionUri(cp: CarbonPortal, ref: string, ttl: number): Promise<string> {
  const text = typeof ref === "string" ? ref.trim() : "";
  const doi = doiOf(text);
  if (!doi) {
    const m = /\/collections\/([A-Za-z0-9_-]{24})\/?$/.exec(text);
    if (m) return `${cp.endpoints.meta}/collections/${m[1]}`;
    throw new UnknownValueError("collection", ref, {
      valid: ["a DOI such as 10.18160/XXXX-XXXX", "a collection URI …/collections/<id>"],
    });
  }
  const rows = await cached(
    cp,
    `${PREFIXES}select ?coll where { ?coll cpmeta:hasDoi ?doi . filter(lcase(str(?doi)) = ${
      literal(doi.toLowerCase()).text
    }) } limit 2`,
    ttl,
    undefined,
  );
  if (!rows.length) {
    throw new UnknownValueError("collection", ref, {
      valid: ["the DOI of a collection of this portal"],
    });
  }
  return rows[0].coll.value;
}
