// Test helper: an in-process SPARQL endpoint (Oxigraph) behind an injected
// fetch, loaded with the real RDF exports of ../shared/fixtures/real/meta
// (each file into its named graph) and/or Turtle given by the test.

import oxigraph from "../emulator/_oxigraph.ts";
import type { FetchFn } from "../src/client/client.ts";
import { realFixture } from "./_fixtures.ts";

/** Files of meta/sparqlDbInit and their graphs (fixtures README table). */
export const REAL_GRAPHS: Record<string, string> = {
  "cpmeta.owl": "http://meta.icos-cp.eu/ontologies/cpmeta/",
  "stationEntry.owl": "http://meta.icos-cp.eu/ontologies/stationentry/",
  "cpmeta.rdf": "http://meta.icos-cp.eu/resources/cpmeta/",
  "icos.rdf": "http://meta.icos-cp.eu/resources/icos/",
  "extrastations.rdf": "http://meta.icos-cp.eu/resources/extrastations/",
  "stationentry.rdf": "http://meta.icos-cp.eu/resources/stationentry/",
  "etcprodcsv.rdf": "http://meta.icos-cp.eu/resources/etcprodcsv/",
  "ecocsv.rdf": "http://meta.icos-cp.eu/resources/ecocsv/",
  "etcbin.rdf": "http://meta.icos-cp.eu/resources/etcbin/",
  "excel.rdf": "http://meta.icos-cp.eu/resources/excel/",
  "collections.rdf": "http://meta.icos-cp.eu/collections/",
  "icosdocs.rdf": "http://meta.icos-cp.eu/documents/",
};

// deno-lint-ignore no-explicit-any
type Store = any;

/** A store with the real exports loaded. */
export async function realStore(): Promise<Store> {
  const store = new oxigraph.Store();
  for (const [file, graph] of Object.entries(REAL_GRAPHS)) {
    const text = await Deno.readTextFile(realFixture(`meta/sparqlDbInit/${file}`));
    store.load(text, {
      format: "application/rdf+xml",
      base_iri: graph,
      to_graph_name: oxigraph.namedNode(graph),
    });
  }
  return store;
}

/** A store with Turtle loaded into named graphs. */
export function turtleStore(graphs: Record<string, string>): Store {
  const store = new oxigraph.Store();
  for (const [graph, ttl] of Object.entries(graphs)) {
    store.load(ttl, { format: "text/turtle", to_graph_name: oxigraph.namedNode(graph) });
  }
  return store;
}

/** A fetch that answers SPARQL POSTs from the store (default graph = union of all graphs). */
export function sparqlFetch(store: Store): { fetch: FetchFn; queries: string[] } {
  const queries: string[] = [];
  const fetch: FetchFn = (_input, init) => {
    const query = String(init?.body ?? "");
    queries.push(query);
    try {
      const json = store.query(query, {
        results_format: "application/sparql-results+json",
        use_default_graph_as_union: true,
      });
      return Promise.resolve(
        new Response(json, { headers: { "content-type": "application/sparql-results+json" } }),
      );
    } catch (e) {
      return Promise.resolve(new Response(String(e), { status: 400 }));
    }
  };
  return { fetch, queries };
}

/** The real exports as `RdfSource`s for `startEmulator({ rdf })`. */
export async function realRdfSources(): Promise<
  { graph: string; format: "application/rdf+xml"; data: string }[]
> {
  return await Promise.all(
    Object.entries(REAL_GRAPHS).map(async ([file, graph]) => ({
      graph,
      format: "application/rdf+xml" as const,
      data: await Deno.readTextFile(realFixture(`meta/sparqlDbInit/${file}`)),
    })),
  );
}
