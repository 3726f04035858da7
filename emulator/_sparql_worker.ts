// Private: a Worker that holds a copy of the emulator's SPARQL store and runs
// queries off the main thread, so that a query that runs too long can be
// stopped (by terminating the worker) without blocking other requests.

import { parentPort } from "node:worker_threads";
import oxigraph from "npm:oxigraph@0.5.11";
import { loadInto, type RdfText } from "./_rdf_load.ts";

/** A message to the worker; `store` tells the stores of several emulators apart. */
export type ToWorker =
  | { kind: "load"; store: number; sources: readonly RdfText[] }
  | { kind: "drop"; store: number }
  | { kind: "query"; store: number; id: number; query: string; options: Record<string, unknown> };

/** A message from the worker. */
export type FromWorker =
  | { kind: "loaded"; store: number }
  | { kind: "answer"; id: number; body?: string; error?: string };

const scope = {
  postMessage: (m: FromWorker) => parentPort!.postMessage(m),
};

const stores = new Map<number, oxigraph.Store>();

parentPort?.on("message", (m: ToWorker) => {
  if (m.kind === "load") {
    const store = new oxigraph.Store();
    for (const s of m.sources) loadInto(store, s);
    stores.set(m.store, store);
    scope.postMessage({ kind: "loaded", store: m.store });
    return;
  }
  if (m.kind === "drop") {
    stores.delete(m.store);
    return;
  }
  try {
    const body = stores.get(m.store)!.query(m.query, m.options) as string;
    scope.postMessage({ kind: "answer", id: m.id, body });
  } catch (err) {
    const error = String((err as Error)?.message ?? err);
    scope.postMessage({ kind: "answer", id: m.id, error });
  }
});
