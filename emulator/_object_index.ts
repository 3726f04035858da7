// Private: the emulator's data-object index, after the portal's own (meta's
// CpIndex, which answers the data-object queries it recognises from
// in-memory arrays instead of the general SPARQL engine). It holds one
// record per data object of the dataset, with the same values the RDF
// holds, and answers the queries `recogniseQuery` reads — a page of objects
// with filters and order, the facet counts, the newest submission, the
// icoscp_core listing — with the SPARQL JSON the triple store would give
// (the differential test checks they agree). Anything else goes to the store.

import { SPECS } from "./_catalog.ts";
import type { Dataset } from "./dataset.ts";
import {
  type IndexCond,
  type IndexOrderKey,
  type IndexQuery,
  type IndexWhere,
  recogniseQuery,
} from "./_index_query.ts";

const XSD = "http://www.w3.org/2001/XMLSchema#";

type Term =
  | { type: "uri"; value: string }
  | { type: "literal"; value: string; datatype?: string };

/** One data object as the queries see it. */
interface Rec {
  readonly uri: string;
  readonly spec: string;
  readonly station?: string;
  readonly country?: string;
  readonly height?: number;
  /** Its xsd:float lexical form. */
  readonly heightLex?: string;
  /** First and last year of the coverage (`"2019 2021"`; an end at New Year's midnight is the year before). */
  readonly years: string;
  readonly fileName: string;
  readonly lowerName: string;
  readonly size: number;
  /** Lexical forms as the store prints them, and instants in ms. */
  readonly subm: string;
  readonly submMs: number;
  readonly start: string;
  readonly startMs: number;
  readonly end: string;
  readonly endMs: number;
  readonly keywords?: string;
  readonly rows?: number;
  readonly doi?: string;
  readonly licence?: string;
  readonly next: readonly string[];
  readonly deprecated: boolean;
}

/** The canonical lexical form of an xsd:dateTime (no zero fraction, `Z` for UTC). */
export function canonicalDateTime(lex: string): string {
  const m = /^(-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/.exec(lex);
  if (!m) return lex;
  const frac = (m[2] ?? "").replace(/0+$/, "");
  const tz = m[3] === "+00:00" || m[3] === "-00:00" ? "Z" : m[3] ?? "";
  return m[1] + (frac === "." ? "" : frac) + tz;
}

/** The lexical form of an xsd:float as the store prints it (shortest that reads back). */
export function floatLexical(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return f > 0 ? "INF" : f < 0 ? "-INF" : "NaN";
  for (let p = 1; p <= 9; p++) {
    const n = Number(f.toPrecision(p));
    if (Math.fround(n) === f) return String(n);
  }
  return String(f);
}

const lit = (value: string, type?: string): Term =>
  type ? { type: "literal", value, datatype: XSD + type } : { type: "literal", value };
const uri = (value: string): Term => ({ type: "uri", value });

/** `"first last"`: the years of the start and the end (an end at New Year's midnight: the year before). */
function yearsOf(start: string, end: string): string {
  const [ys] = fields(start);
  const [ye, mo, d, h, mi, s] = fields(end);
  return `${ys} ${ye - (mo === 1 && d === 1 && h === 0 && mi === 0 && s === 0 ? 1 : 0)}`;
}

/** Date fields of a lexical dateTime (as `year()`, `month()`, … read them). */
function fields(lex: string): number[] {
  const m = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d+)?)/.exec(lex)!;
  return m.slice(1).map(Number);
}

/** The data-object index of a dataset served under a meta prefix. */
export class ObjectIndex {
  readonly #recs: Rec[];
  readonly #newest: string | undefined;
  readonly #members: Map<string, Set<string>>;
  readonly #specFacts: Map<string, { level: number; project: string; theme: string }>;
  readonly #geo: (wkt: string) => ReadonlySet<string>;
  /** Each object's place in URI order, for ties. */
  readonly #rank: Uint32Array;
  /** Sorted orders computed so far. */
  readonly #orders = new Map<string, Uint32Array>();

  /**
   * @param ds The dataset.
   * @param prefix The meta prefix (`http://127.0.0.1:port/meta/`).
   * @param geo The object URIs whose coverage intersects a WKT polygon (the store's geo index).
   */
  constructor(ds: Dataset, prefix: string, geo: (wkt: string) => ReadonlySet<string>) {
    const R = `${prefix}resources/`;
    this.#geo = geo;
    const stations = new Map(ds.stations.map((s) => [s.key, s]));
    const next = new Map<string, string[]>();
    for (const o of ds.objects) {
      if (o.previousVersion) {
        const l = next.get(o.previousVersion) ?? [];
        l.push(`${prefix}objects/${o.id}`);
        next.set(o.previousVersion, l);
      }
    }
    let newest: { ms: number; lex: string } | undefined;
    this.#recs = [];
    for (const o of ds.objects) {
      const submMs = Date.parse(o.submitted.end);
      if (!newest || submMs > newest.ms) newest = { ms: submMs, lex: o.submitted.end };
      // as the RDF: a data object with a spec, its times on the acquisition or on itself
      if (!o.spec || (!o.station && o.kind !== "data")) continue;
      const st = o.station === undefined ? undefined : stations.get(o.station);
      this.#recs.push({
        uri: `${prefix}objects/${o.id}`,
        spec: `${R}cpmeta/${o.spec}`,
        ...(o.station !== undefined ? { station: `${R}stations/${o.station}` } : {}),
        ...(st ? { country: st.country } : {}),
        ...(o.station !== undefined && o.samplingHeight !== undefined
          ? { height: o.samplingHeight, heightLex: floatLexical(o.samplingHeight) }
          : {}),
        years: yearsOf(o.start, o.end),
        fileName: o.fileName,
        lowerName: o.fileName.toLowerCase(),
        size: o.size,
        subm: canonicalDateTime(o.submitted.end),
        submMs,
        start: canonicalDateTime(o.start),
        startMs: Date.parse(o.start),
        end: canonicalDateTime(o.end),
        endMs: Date.parse(o.end),
        ...(o.keywords?.length ? { keywords: o.keywords.join(", ").toLowerCase() } : {}),
        ...(o.nRows !== undefined ? { rows: o.nRows } : {}),
        ...(o.doi ? { doi: o.doi } : {}),
        ...(o.licence === "cc0" && o.kind === "data"
          ? { licence: "https://creativecommons.org/publicdomain/zero/1.0/" }
          : {}),
        next: next.get(o.id) ?? [],
        deprecated: next.has(o.id),
      });
    }
    this.#newest = newest && canonicalDateTime(newest.lex);
    const byUri = this.#recs.map((r, i) => [r.uri, i] as const).sort((a, b) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
    );
    this.#rank = new Uint32Array(this.#recs.length);
    byUri.forEach(([, i], rank) => (this.#rank[i] = rank));
    const isColl = new Set(ds.collections.map((c) => c.id));
    this.#members = new Map(
      ds.collections.map((c) => [
        `${prefix}collections/${c.id}`,
        new Set(
          c.members.map((m) => `${prefix}${isColl.has(m) ? "collections" : "objects"}/${m}`),
        ),
      ]),
    );
    this.#specFacts = new Map(
      Object.values(SPECS).map((sp) => [`${R}cpmeta/${sp.key}`, {
        level: sp.level,
        project: `${R}projects/${sp.project}`,
        theme: `${R}themes/${sp.theme}`,
      }]),
    );
  }

  /** Number of data objects indexed. */
  get size(): number {
    return this.#recs.length;
  }

  /** The SPARQL JSON answer of a query the index recognises, else undefined. */
  answer(query: string): string | undefined {
    const q = recogniseQuery(query);
    if (!q) return undefined;
    return JSON.stringify(this.#run(q));
  }

  #run(q: IndexQuery): { head: { vars: string[] }; results: { bindings: Record<string, Term>[] } } {
    if (q.kind === "newest") {
      return {
        head: { vars: ["newest"] },
        results: {
          bindings: [this.#newest ? { newest: lit(this.#newest, "dateTime") } : {}],
        },
      };
    }
    const test = this.#predicate(q.where);
    if (q.kind === "facets") {
      return {
        head: { vars: ["facet", "value", "count"] },
        ...facets(this.#recs.filter(test), this.#specFacts),
      };
    }
    // walk the objects in the asked order until the page is full
    const sorted: Rec[] = [];
    let skip = q.offset;
    for (const i of this.#order(q.key, q.descending)) {
      if (sorted.length >= q.limit) break;
      const r = this.#recs[i];
      if (!test(r)) continue;
      if (skip > 0) skip--;
      else sorted.push(r);
    }
    const vars = ["dobj", "spec", "station", "samplingHeight", "fileName", "size", "submTime"];
    vars.push("timeStart", "timeEnd");
    if (q.kind === "list") {
      return { head: { vars }, results: { bindings: sorted.map((r) => objectTerms(r)) } };
    }
    const bindings: Record<string, Term>[] = [];
    for (const r of sorted) {
      const b = objectTerms(r);
      if (r.rows !== undefined) b.rows = lit(String(r.rows), "integer");
      if (r.doi !== undefined) b.doi = lit(r.doi);
      if (r.licence !== undefined) b.licence = uri(r.licence);
      if (r.next.length === 0) bindings.push(b);
      for (const n of r.next) bindings.push({ ...b, next: uri(n) });
    }
    return { head: { vars: [...vars, "rows", "doi", "licence", "next"] }, results: { bindings } };
  }

  /** Whether an object is in the pattern. */
  #predicate(w: IndexWhere): (r: Rec) => boolean {
    const members = w.collection === undefined
      ? undefined
      : this.#members.get(w.collection) ?? new Set<string>();
    const inside = w.polygon === undefined ? undefined : this.#geo(w.polygon);
    return (r) =>
      (!w.pids || w.pids.has(r.uri)) &&
      (!members || members.has(r.uri)) &&
      (!w.specs || w.specs.has(r.spec)) &&
      (!w.stationRequired || r.station !== undefined) &&
      (!w.stations || (r.station !== undefined && w.stations.has(r.station))) &&
      (!w.heightRequired || r.height !== undefined) &&
      (!inside || inside.has(r.uri)) &&
      (!w.latestOnly || !r.deprecated) &&
      w.conds.every((c) => holds(r, c)) &&
      (!w.fileRegex || w.fileRegex.test(r.fileName)) &&
      w.keywords.every((k) =>
        r.lowerName.includes(k.word) || (r.keywords?.includes(k.word) ?? false) ||
        k.specs.has(r.spec)
      );
  }

  /** Positions of every object sorted by a key, then by URI (computed once per key and way). */
  #order(key: IndexOrderKey, descending: boolean): Uint32Array {
    const name = `${key} ${descending}`;
    const cached = this.#orders.get(name);
    if (cached) return cached;
    const value = (r: Rec): number | string =>
      key === "size"
        ? r.size
        : key === "submTime"
        ? r.submMs
        : key === "timeStart"
        ? r.startMs
        : key === "timeEnd"
        ? r.endMs
        : key === "fileName"
        ? r.fileName
        : r.height ?? NaN;
    const values = this.#recs.map(value);
    const rank = this.#rank;
    const order = Uint32Array.from(this.#recs.keys()).sort((a, b) => {
      const x = values[a];
      const y = values[b];
      const c = x < y ? -1 : x > y ? 1 : 0;
      return (descending ? -c : c) || rank[a] - rank[b];
    });
    this.#orders.set(name, order);
    return order;
  }
}

function holds(r: Rec, c: IndexCond): boolean {
  let x: number | undefined;
  let v = c.value;
  if (c.prop === "size") x = r.size;
  else if (c.prop === "submTime") x = r.submMs;
  else if (c.prop === "timeStart") x = r.startMs;
  else if (c.prop === "timeEnd") x = r.endMs;
  else {
    if (r.height === undefined) return false; // unbound: the comparison is an error
    x = Math.fround(r.height);
    if (c.asFloat) v = Math.fround(v);
  }
  switch (c.op) {
    case "<":
      return x < v;
    case ">":
      return x > v;
    case "<=":
      return x <= v;
    case ">=":
      return x >= v;
    default:
      return x === v;
  }
}

function objectTerms(r: Rec): Record<string, Term> {
  const b: Record<string, Term> = { dobj: uri(r.uri), spec: uri(r.spec) };
  if (r.station !== undefined) b.station = uri(r.station);
  if (r.heightLex !== undefined) b.samplingHeight = lit(r.heightLex, "float");
  b.fileName = lit(r.fileName);
  b.size = lit(String(r.size), "long");
  b.submTime = lit(r.subm, "dateTime");
  b.timeStart = lit(r.start, "dateTime");
  b.timeEnd = lit(r.end, "dateTime");
  return b;
}

/** The facet counts, as the union/group-by query gives them (one row per facet and value). */
function facets(
  hits: Rec[],
  specs: Map<string, { level: number; project: string; theme: string }>,
): { results: { bindings: Record<string, Term>[] } } {
  const count = <K>(key: (r: Rec) => K) => {
    const m = new Map<K, number>();
    for (const r of hits) {
      const k = key(r);
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const bySpec = count((r) => r.spec);
  const rows: Record<string, Term>[] = [];
  const row = (facet: string, value: Term | undefined, n: number) =>
    rows.push({ facet: lit(facet), ...(value ? { value } : {}), count: lit(String(n), "integer") });
  if (hits.length) row("total", lit(""), hits.length);
  for (const [spec, n] of bySpec) row("spec", uri(spec), n);
  for (const [st, n] of count((r) => r.station ?? "")) row("station", st ? uri(st) : lit(""), n);
  const perSpec = (f: (sp: { level: number; project: string; theme: string }) => string) => {
    const m = new Map<string, number>();
    for (const [spec, n] of bySpec) {
      const sp = specs.get(spec);
      if (sp) m.set(f(sp), (m.get(f(sp)) ?? 0) + n);
    }
    return m;
  };
  for (const [l, n] of perSpec((sp) => String(sp.level))) row("level", lit(l, "integer"), n);
  for (const [p, n] of perSpec((sp) => sp.project)) row("project", uri(p), n);
  for (const [t, n] of perSpec((sp) => sp.theme)) row("theme", uri(t), n);
  for (const [c, n] of count((r) => r.country)) if (c !== undefined) row("country", lit(c), n);
  for (const [h, n] of count((r) => r.heightLex)) {
    row("samplingHeight", h === undefined ? undefined : lit(h, "float"), n);
  }
  for (const [y, n] of count((r) => r.years)) row("year", lit(y), n);
  return { results: { bindings: rows } };
}
