// Private: RDF text bound for a named graph, and its parsing into an Oxigraph
// store (on the main thread or in the query worker).

import oxigraph from "npm:oxigraph@0.5.11";

/** RDF text to load into one named graph. */
export interface RdfText {
  readonly text: string;
  readonly format: "text/turtle" | "application/rdf+xml";
  readonly graph: string;
}

/** Parses RDF text into a store. */
export function loadInto(store: oxigraph.Store, s: RdfText): void {
  store.load(s.text, {
    format: s.format,
    to_graph_name: oxigraph.namedNode(s.graph),
    base_iri: s.graph,
  });
}
