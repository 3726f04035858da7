/**
 * SPARQL: safe query building, typed results, the portal's built-in queries.
 *
 * @example
 * ```ts
 * import { iri, sparql } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * const q = sparql`select * where { ${iri("http://meta.icos-cp.eu/resources/stations/AS_GAT")} ?p ?o }`;
 * assert.ok(q.includes("<http://meta.icos-cp.eu/resources/stations/AS_GAT>"));
 * ```
 *
 * @module
 */

export * from "./terms.ts";
export {
  type PlainValue,
  type RawResults,
  type RawTerm,
  SparqlResult,
  SparqlRow,
} from "./result.ts";
export {
  RunSparql,
  type RunSparqlOptions,
  type SelectOptions,
  type SparqlApi,
  type SparqlFormat,
  type SparqlOutputs,
} from "./api.ts";
export * from "./queries.ts";
