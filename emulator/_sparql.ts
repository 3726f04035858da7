// Private: the emulator's SPARQL endpoint on an Oxigraph store, with the
// RDF4J behaviour the portal's clients rely on (docs/protocol.md §5.1):
// undeclared default prefixes, the union of all graphs as default graph
// unless the query has FROM, the geo "magic" intersection pattern, and
// literal datatypes that Oxigraph would otherwise normalise (xsd:long is
// stored as xsd:integer; icoscp_core insists on xsd:long for sizes).

import oxigraph from "npm:oxigraph@0.5.11";
import { Worker } from "node:worker_threads";
import type { FromWorker } from "./_sparql_worker.ts";
import { loadInto, type RdfText } from "./_rdf_load.ts";

const DEFAULT_PREFIXES: Record<string, string> = {
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  owl: "http://www.w3.org/2002/07/owl#",
  fn: "http://www.w3.org/2005/xpath-functions#",
  sesame: "http://www.openrdf.org/schema/sesame#",
  rdf4j: "http://rdf4j.org/schema/rdf4j#",
};

const XSD = "http://www.w3.org/2001/XMLSchema#";
/** Derived integer types that Oxigraph stores as xsd:integer. */
const NORMALISED = [
  "long",
  "int",
  "short",
  "byte",
  "nonNegativeInteger",
  "unsignedLong",
  "unsignedInt",
  "positiveInteger",
];

/** A geometry of the geo index: a point or a lat/lon box. */
export type Geometry =
  | { readonly kind: "point"; readonly lat: number; readonly lon: number }
  | {
    readonly kind: "box";
    readonly minLat: number;
    readonly minLon: number;
    readonly maxLat: number;
    readonly maxLon: number;
  };

/** The answer of the endpoint. */
export interface SparqlAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** A query ready to run: the text sent to Oxigraph and how to serialise its answer. */
interface Prepared {
  bare: string;
  text: string;
  /** Prefix lines added above the user's query. */
  added: number;
  options: Record<string, unknown>;
  format: string;
  contentType: string;
}

/**
 * An Oxigraph store with the portal's SPARQL semantics. The RDF is kept as
 * text and parsed where it is queried: in the query worker (once), and on
 * this thread only when a query must run here (`query`, for landing pages),
 * so that a large catalogue is parsed once and never copied between them.
 */
export class SparqlStore {
  #store: oxigraph.Store | undefined;
  readonly #sources: RdfText[] = [];
  /** Predicate local name → original xsd datatype local name. */
  readonly #typedPredicates = new Map<string, string>();
  readonly #geo = new Map<string, Geometry>();

  /** RDF to be made when first needed (a large catalogue's, after the emulator has started). */
  #pending: (() => RdfText[])[] = [];

  /** The RDF loaded so far, in order (making what was left for later). */
  get sources(): readonly RdfText[] {
    for (const make of this.#pending.splice(0)) for (const s of make()) this.#add(s);
    return this.#sources;
  }

  /** Loads RDF made by `make` when a query first needs it (in order with the rest). */
  loadLater(make: () => RdfText[], typed: Record<string, string> = {}): void {
    this.#pending.push(make);
    for (const [p, t] of Object.entries(typed)) this.#typedPredicates.set(p, t);
  }

  /** Loads Turtle into a named graph; `typed` names predicates whose literals Oxigraph normalises. */
  loadTurtle(text: string, graph: string, typed: Record<string, string> = {}): void {
    void this.sources;
    this.#add({ text, format: "text/turtle", graph });
    for (const [p, t] of Object.entries(typed)) this.#typedPredicates.set(p, t);
  }

  /** Loads RDF/XML into a named graph, remembering predicates with normalised datatypes. */
  loadRdfXml(text: string, graph: string): void {
    void this.sources;
    this.#add({ text, format: "application/rdf+xml", graph });
    const re = new RegExp(
      `<[\\w.-]+:([\\w.-]+)[^>]*rdf:datatype="${XSD.replaceAll(".", "\\.")}(${
        NORMALISED.join("|")
      })"`,
      "g",
    );
    for (const m of text.matchAll(re)) this.#typedPredicates.set(m[1], m[2]);
  }

  #add(source: RdfText): void {
    this.#sources.push(source);
    if (this.#store) loadInto(this.#store, source);
  }

  /** Registers the coverage of a resource for the geo intersection pattern. */
  addGeometry(uri: string, g: Geometry): void {
    this.#geo.set(uri, g);
  }

  /** The resources whose coverage intersects a WKT `POLYGON((lon lat, …))` (the geo index). */
  intersecting(wkt: string): Set<string> {
    const inner = /POLYGON\s*\(\(([^"]*)\)\)/i.exec(wkt)?.[1] ?? "";
    const ring = inner.split(",").map((p) => p.trim().split(/\s+/).map(Number))
      .map(([lon, lat]) => ({ lon, lat }));
    return new Set([...this.#geo].filter(([, g]) => intersects(g, ring)).map(([u]) => u));
  }

  /** Runs a query on this thread and serialises the answer for an `Accept` header. */
  query(query: string, accept: string | null): SparqlAnswer {
    const p = this.#prepare(query, accept);
    if ("status" in p) return p;
    if (!this.#store) {
      const sources = this.sources;
      this.#store = new oxigraph.Store();
      for (const s of sources) loadInto(this.#store, s);
    }
    let body: string;
    try {
      body = this.#store.query(p.text, p.options) as string;
    } catch (e) {
      return this.#failed(p, String((e as Error)?.message ?? e));
    }
    return this.#finish(p, body);
  }

  /**
   * Runs a query in a worker, stopped after `limit` ms as the portal stops
   * queries that run longer than `maxQueryRuntimeSec` (400, `SPARQL
   * execution timeout`). Other requests are served meanwhile; queries run
   * one at a time. The worker's parsing of the RDF does not count.
   */
  async queryLimited(query: string, accept: string | null, limit: number): Promise<SparqlAnswer> {
    const p = this.#prepare(query, accept);
    if ("status" in p) return p;
    const result = await QUERY_WORKER.run(this, p.text, p.options, limit);
    if (result.timedOut) {
      return { status: 400, contentType: "text/plain", body: "SPARQL execution timeout" };
    }
    if (result.error !== undefined) return this.#failed(p, result.error);
    return this.#finish(p, result.body!);
  }

  /** Starts the query worker early (it takes a while to load). */
  warmUp(): void {
    QUERY_WORKER.retain(this);
  }

  /** Has the worker parse the RDF loaded so far now, in the background. */
  preload(): void {
    QUERY_WORKER.preload(this);
  }

  /** Drops this store from the worker (which stops when no store is left). */
  close(): void {
    QUERY_WORKER.release(this);
  }

  #prepare(query: string, accept: string | null): SparqlAnswer | Prepared {
    const bare = stripLiteralsAndComments(query);
    const form = /\b(select|construct|describe|ask)\b/i.exec(bare)?.[1]?.toLowerCase();
    if (!form) {
      return {
        status: 400,
        contentType: "text/plain",
        body: "Not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK",
      };
    }
    if (form === "ask") {
      return { status: 501, contentType: "text/plain", body: "ASK queries are not supported" };
    }
    const declared = new Set([...bare.matchAll(/\bprefix\s+([\w.-]*):/gi)].map((m) => m[1]));
    const prologue = Object.entries(DEFAULT_PREFIXES)
      .filter(([p]) => !declared.has(p))
      .map(([p, iri]) => `PREFIX ${p}: <${iri}>\n`)
      .join("");
    const rewritten = this.#rewriteGeo(query);
    const hasFrom = /\bfrom\s+(named\s+)?</i.test(bare);
    const a = (accept ?? "").toLowerCase();
    const graphQuery = form === "construct" || form === "describe";
    const [format, contentType] = graphQuery
      ? a.includes("application/rdf+xml") || a.includes("application/xml")
        ? ["application/rdf+xml", "application/rdf+xml"]
        : ["text/turtle", "text/plain;charset=UTF-8"]
      : a.includes("application/sparql-results+json") || a.includes("application/json")
      ? ["application/sparql-results+json", "application/sparql-results+json;charset=UTF-8"]
      : a.includes("text/csv")
      ? ["text/csv", "text/csv;charset=UTF-8"]
      : a.includes("text/plain") || a.includes("text/tab-separated-values")
      ? ["text/tab-separated-values", "text/tab-separated-values;charset=UTF-8"]
      : a.includes("xml")
      ? ["application/sparql-results+xml", "application/sparql-results+xml;charset=UTF-8"]
      : ["application/sparql-results+json", "application/sparql-results+json;charset=UTF-8"];
    return {
      bare,
      text: prologue + rewritten,
      added: prologue.split("\n").length - 1,
      options: {
        results_format: format,
        ...(hasFrom ? {} : { use_default_graph_as_union: true }),
      },
      format,
      contentType,
    };
  }

  /** A query the store rejects; positions refer to the user's lines, not the added prefixes. */
  #failed(p: Prepared, message: string): SparqlAnswer {
    const body = message.replace(
      /\b(\d+):(\d+)\b/,
      (m, line, col) => (Number(line) > p.added ? `${Number(line) - p.added}:${col}` : m),
    );
    return { status: 400, contentType: "text/plain", body };
  }

  #finish(p: Prepared, body: string): SparqlAnswer {
    if (p.format === "application/sparql-results+json") body = this.#restoreDatatypes(p.bare, body);
    return { status: 200, contentType: p.contentType, body };
  }

  /** Retypes xsd:integer results bound by predicates whose data were xsd:long (etc.). */
  #restoreDatatypes(bare: string, body: string): string {
    if (!this.#typedPredicates.size) return body;
    const names = [...this.#typedPredicates.keys()].map((n) =>
      n.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")
    );
    const re = new RegExp(`[:/#](${names.join("|")})>?\\s+\\?(\\w+)`, "g");
    const vars = new Map<string, string>();
    for (const m of bare.matchAll(re)) vars.set(m[2], this.#typedPredicates.get(m[1])!);
    if (!vars.size) return body;
    const json = JSON.parse(body);
    for (const b of json.results?.bindings ?? []) {
      for (const [v, t] of vars) {
        const term = b[v];
        if (term?.type === "literal" && term.datatype === `${XSD}integer`) term.datatype = XSD + t;
      }
    }
    return JSON.stringify(json);
  }

  /**
   * Replaces the portal's geo pattern by `VALUES ?x {…}` of the intersecting
   * resources. Accepted as RDF4J parses it (names are resolved before the
   * portal's index sees them): `?x geo:sfIntersects/geo:asWKT "POLYGON((…))"^^geo:wktLiteral`
   * with any prefix bound to the GeoSPARQL namespace or full IRIs for the
   * two properties and the datatype, and the blank-node form
   * `?x geo:sfIntersects [ geo:asWKT "…"^^geo:wktLiteral ]`.
   */
  #rewriteGeo(query: string): string {
    const bare = stripLiteralsAndComments(query);
    const geoPrefixes = [...bare.matchAll(/\bprefix\s+([\w.-]*):\s*<([^>]*)>/gi)]
      .filter((m) => m[2] === GEO).map((m) => m[1].replace(/[.-]/g, "\\$&"));
    const name = (local: string) =>
      `(?:<${GEO.replaceAll(".", "\\.")}${local}>${
        geoPrefixes.map((p) => `|${p}:${local}`).join("")
      })`;
    const wkt = `"\\s*POLYGON\\s*\\(\\(([^"]*)\\)\\)\\s*"\\^\\^${name("wktLiteral")}`;
    const path = new RegExp(
      `(\\?\\w+)\\s+(?:${name("sfIntersects")}\\s*/\\s*${name("asWKT")}\\s+${wkt}|` +
        `${name("sfIntersects")}\\s*\\[\\s*${name("asWKT")}\\s+${wkt}\\s*\\])\\s*\\.?`,
      "gi",
    );
    return query.replace(path, (_m, v: string, c1?: string, c2?: string) => {
      const ring = (c1 ?? c2 ?? "").split(",").map((p) => p.trim().split(/\s+/).map(Number))
        .map(([lon, lat]) => ({ lon, lat }));
      const hits = [...this.#geo].filter(([, g]) => intersects(g, ring)).map(([u]) => `<${u}>`);
      return `VALUES ${v} { ${hits.join(" ")} }`;
    });
  }
}

const GEO = "http://www.opengis.net/ont/geosparql#";

/** The query without comments and string literals (for sniffing its shape). */
function stripLiteralsAndComments(q: string): string {
  return q.replace(
    /("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"\s]*>|#[^\n]*)/g,
    (m) => m.startsWith("<") ? m : m.startsWith("#") ? " " : '""',
  );
}

type Pt = { lat: number; lon: number };

function inPolygon(p: Pt, ring: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (
      (a.lat > p.lat) !== (b.lat > p.lat) &&
      p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon
    ) {
      inside = !inside;
    }
  }
  return inside;
}

function segmentsCross(p1: Pt, p2: Pt, p3: Pt, p4: Pt): boolean {
  const d = (a: Pt, b: Pt, c: Pt) =>
    (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon);
  const d1 = d(p3, p4, p1);
  const d2 = d(p3, p4, p2);
  const d3 = d(p1, p2, p3);
  const d4 = d(p1, p2, p4);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

function intersects(g: Geometry, ring: Pt[]): boolean {
  if (g.kind === "point") return inPolygon(g, ring);
  const box: Pt[] = [
    { lat: g.minLat, lon: g.minLon },
    { lat: g.minLat, lon: g.maxLon },
    { lat: g.maxLat, lon: g.maxLon },
    { lat: g.maxLat, lon: g.minLon },
  ];
  if (box.some((c) => inPolygon(c, ring))) return true;
  if (
    ring.some((p) =>
      p.lat >= g.minLat && p.lat <= g.maxLat && p.lon >= g.minLon && p.lon <= g.maxLon
    )
  ) return true;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j + 1 < ring.length; j++) {
      if (segmentsCross(box[i], box[(i + 1) % 4], ring[j], ring[j + 1])) return true;
    }
  }
  return false;
}

/**
 * One worker per process holds a copy of every open emulator's store and
 * runs their queries one at a time. A query past its limit is stopped the
 * only way a running wasm call can be: the worker is terminated, and the
 * next query starts a new one and loads its store again. The worker is kept
 * between emulators (its start costs ~0.5 s) but does not keep the process
 * alive while it is idle.
 */
class QueryWorker {
  #worker: Worker | undefined;
  #ids = new WeakMap<SparqlStore, number>();
  #nextStore = 0;
  #loaded = new Map<number, Promise<void>>();
  #onLoaded = new Map<number, () => void>();
  #answers = new Map<number, (m: FromWorker & { kind: "answer" }) => void>();
  #nextId = 0;
  #busy = 0;
  #turn: Promise<unknown> = Promise.resolve();

  retain(_store: SparqlStore): void {
    this.#spawn();
  }

  release(store: SparqlStore): void {
    const id = this.#ids.get(store);
    if (id !== undefined && this.#loaded.delete(id)) {
      this.#worker?.postMessage({ kind: "drop", store: id });
    }
  }

  run(
    store: SparqlStore,
    query: string,
    options: Record<string, unknown>,
    limit: number,
  ): Promise<{ body?: string; error?: string; timedOut?: boolean }> {
    const turn = this.#turn.then(() => this.#run(store, query, options, limit));
    this.#turn = turn.catch(() => {});
    return turn;
  }

  /** Sends the store's RDF to the worker, once (again after a restart). */
  #load(w: Worker, store: SparqlStore): Promise<void> {
    if (!this.#ids.has(store)) this.#ids.set(store, this.#nextStore++);
    const sid = this.#ids.get(store)!;
    let loaded = this.#loaded.get(sid);
    if (!loaded) {
      loaded = new Promise<void>((resolve) => this.#onLoaded.set(sid, resolve));
      this.#loaded.set(sid, loaded);
      w.postMessage({ kind: "load", store: sid, sources: store.sources });
    }
    return loaded;
  }

  preload(store: SparqlStore): void {
    const w = this.#spawn();
    void this.#hold(() => this.#load(w, store));
  }

  #spawn(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(new URL("./_sparql_worker.ts", import.meta.url));
    w.unref();
    w.on("message", (m: FromWorker) => {
      if (m.kind === "loaded") this.#onLoaded.get(m.store)?.();
      else {
        this.#answers.get(m.id)?.(m);
        this.#answers.delete(m.id);
      }
    });
    this.#worker = w;
    return w;
  }

  /** Keeps the process alive while the worker has work. */
  async #hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.#busy++ === 0) this.#worker?.ref();
    try {
      return await work();
    } finally {
      if (--this.#busy === 0) this.#worker?.unref();
    }
  }

  #run(
    store: SparqlStore,
    query: string,
    options: Record<string, unknown>,
    limit: number,
  ): Promise<{ body?: string; error?: string; timedOut?: boolean }> {
    const w = this.#spawn();
    return this.#hold(async () => {
      await this.#load(w, store);
      const sid = this.#ids.get(store)!;
      const id = this.#nextId++;
      const answer = new Promise<FromWorker & { kind: "answer" }>((resolve) => {
        this.#answers.set(id, resolve);
      });
      w.postMessage({ kind: "query", store: sid, id, query, options });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), limit);
      });
      const m = await Promise.race([answer, timeout]);
      clearTimeout(timer);
      if (m === "timeout") {
        this.#worker = undefined;
        this.#loaded.clear();
        this.#onLoaded.clear();
        this.#answers.clear();
        await w.terminate();
        return { timedOut: true };
      }
      return m;
    });
  }
}

const QUERY_WORKER = new QueryWorker();
