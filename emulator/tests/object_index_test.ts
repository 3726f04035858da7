// The emulator's data-object index against its triple store (a differential
// test): every query the client's search sends for a set of searches (pages,
// facets, the newest submission) and icoscp_core-style listings is answered
// by the index, and the answer is the one Oxigraph gives for the same query
// over the same RDF — same rows, same order, same terms. The spec and station
// look-ups, answered from a store without the objects, give the full store's.

import assert from "node:assert/strict";
import { CarbonPortal } from "@icoscp/icoscp";
import { listDataObjectsQuery } from "@icoscp/icoscp/sparql";
import { type Emulator, startEmulator } from "../mod.ts";
import { datasetRdf } from "../_rdf.ts";
import { SparqlStore } from "../_sparql.ts";
import { ObjectIndex } from "../_object_index.ts";
import { recogniseQuery } from "../_index_query.ts";
import { CoreQueries, isCoreQuery } from "../_core_queries.ts";

type Row = Record<string, { type: string; value: string; datatype?: string }>;
type Answer = { head: { vars: string[] }; results: { bindings: Row[] } };

/** An Oxigraph store and an index over the emulator's dataset, as the emulator builds them. */
function reference(emu: Emulator): { store: SparqlStore; index: ObjectIndex } {
  const prefix = `${emu.url}/meta/`;
  const store = new SparqlStore();
  for (const [graph, ttl] of datasetRdf(emu.dataset, prefix)) {
    store.loadTurtle(ttl, graph, { hasSizeInBytes: "long" });
  }
  const stations = new Map(emu.dataset.stations.map((s) => [s.key, s]));
  for (const o of emu.dataset.objects) {
    const st = o.station === undefined ? undefined : stations.get(o.station);
    const uri = `${prefix}objects/${o.id}`;
    if (st) store.addGeometry(uri, { kind: "point", lat: st.lat, lon: st.lon });
    else if (o.box) store.addGeometry(uri, { kind: "box", ...o.box });
  }
  return { store, index: new ObjectIndex(emu.dataset, prefix, (w) => store.intersecting(w)) };
}

const key = (r: Row) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]));

/** Asserts two answers equal: rows in order (rows of one object in any order), facets as sets. */
function assertSame(query: string, fromIndex: Answer, fromStore: Answer): void {
  const kind = recogniseQuery(query)!.kind;
  const what = `${kind} query:\n${query}`;
  assert.deepEqual(fromIndex.head.vars, fromStore.head.vars, what);
  const a = fromIndex.results.bindings;
  const b = fromStore.results.bindings;
  if (kind === "facets" || kind === "newest") {
    assert.deepEqual(a.map(key).sort(), b.map(key).sort(), what);
    return;
  }
  // the order of the objects is fixed; the rows of one object (several next versions) are not
  assert.deepEqual(a.map((r) => r.dobj.value), b.map((r) => r.dobj.value), what);
  assert.deepEqual(a.map(key).sort(), b.map(key).sort(), what);
}

/** Runs searches against the emulator and records every SPARQL query they send. */
async function searchQueries(emu: Emulator): Promise<string[]> {
  const queries: string[] = [];
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    fetch: (input, init) => {
      if (String(input).endsWith("/sparql") && typeof init?.body === "string") {
        queries.push(init.body);
      }
      return fetch(input, init);
    },
  });
  const o = { cacheTtl: 0 };
  const obj = emu.dataset.objects.find((x) => x.nextVersion && x.station)!;
  const coll = emu.dataset.collections.find((c) => c.doi)!;
  const searches: [Parameters<typeof cp.search>[0], Parameters<typeof cp.search>[1]][] = [
    [{}, { ...o, limit: 50 }],
    [{}, { ...o, offset: 7, limit: 13, orderBy: "size" }],
    [{ latestOnly: false }, { ...o, limit: 200, orderBy: "fileName" }],
    [{ theme: "AS", level: 2 }, { ...o, limit: 30, orderBy: "timeStart", descending: true }],
    [{ station: ["GAT", "HTM"], variable: "co2" }, { ...o, orderBy: "timeEnd" }],
    [{ samplingHeight: [10, 100.5] }, { ...o, limit: 40 }],
    [{ samplingHeight: 341 }, o],
    [{ size: [1000, 50_000] }, { ...o, orderBy: "size", descending: true, limit: 100 }],
    [{ size: 3000 }, o],
    [{ from: "2021-01-01", to: "2022-06-30T12:00:00Z" }, { ...o, limit: 100 }],
    [{ submittedAfter: "2024-01-01", submittedBefore: "2025-03-01" }, o],
    [{ keyword: ["co2"] }, { ...o, limit: 100 }],
    [{ keyword: "fluxnet" }, o],
    [{ bbox: [5, 45, 20, 60] }, { ...o, limit: 100 }],
    [{ bbox: "POLYGON((-10 30, 40 30, 40 75, -10 75, -10 30))", level: [1, 2] }, o],
    [{ fileName: "ICOS_ATC_*_CO2*.zip" }, { ...o, limit: 100 }],
    [{ fileName: "*Ch4?L2*" }, o],
    [{ pids: [obj.id, obj.nextVersion!] }, { ...o, limit: 10 }],
    [{ pids: obj.id, latestOnly: false }, o],
    [{ collection: coll.doi! }, { ...o, limit: 100 }],
    [{ country: ["SE", "Germany"], nrt: false }, o],
    [{ stationClass: 1, project: "icos" }, { ...o, orderBy: "submTime", descending: false }],
    [{ nrt: true }, { ...o, limit: 100 }],
  ];
  for (const [f, opts] of searches) {
    const r = await cp.search(f, opts);
    // one more page through pages(), without facets
    for await (const _ of r.pages({ pageSize: 25 })) break;
  }
  const specs = [...new Set(emu.dataset.objects.map((x) => x.spec).filter((s) => s))].slice(0, 4)
    .map((s) => `${emu.url}/meta/resources/cpmeta/${s}`);
  const st = `${emu.url}/meta/resources/stations/${obj.station}`;
  queries.push(
    listDataObjectsQuery({ limit: 10_000 }),
    listDataObjectsQuery({ specs, limit: 10_000, offset: 0 }),
    listDataObjectsQuery({ specs, stations: [st], includeDeprecated: true, limit: 10_000 }),
    listDataObjectsQuery({
      specs,
      filters: [
        { prop: "samplingHeight", op: ">=", value: 50 },
        { prop: "timeStart", op: ">", value: new Date("2020-01-01") },
        { prop: "size", op: "<", value: 40_000 },
      ],
      limit: 10_000,
    }),
    listDataObjectsQuery({ geoPolygon: "POLYGON((0 40, 30 40, 30 70, 0 70, 0 40))", limit: 500 }),
  );
  return queries;
}

Deno.test("object index: the search's queries are answered by the index exactly as by the store", async () => {
  await using emu = await startEmulator({ objects: 600 });
  const queries = await searchQueries(emu);
  const { store, index } = reference(emu);
  const core = new CoreQueries(() =>
    [...datasetRdf(emu.dataset, `${emu.url}/meta/`, { objects: false })].map(([graph, text]) => ({
      text,
      graph,
      format: "text/turtle" as const,
    }))
  );
  const seen = new Set<string>();
  let checked = 0;
  let vocabulary = 0;
  for (const q of queries) {
    if (seen.has(q)) continue;
    seen.add(q);
    if (/cpmeta:hasDoi \?doi \. filter/.test(q)) continue; // the collection look-up is the store's
    if (isCoreQuery(q)) {
      // the vocabulary look-ups: from the store without objects, as from the full one
      const fromCore = core.answer(q, "application/sparql-results+json")!;
      const full = store.query(q, "application/sparql-results+json");
      const rows = (body: string) =>
        (JSON.parse(body) as Answer).results.bindings.map((r) =>
          key(
            r.cols
              ? { ...r, cols: { ...r.cols, value: r.cols.value.split("\u0001").sort().join() } }
              : r,
          )
        ).sort();
      assert.ok(rows(full.body).length > 0);
      assert.deepEqual(rows(fromCore.body), rows(full.body), q);
      vocabulary++;
      continue;
    }
    assert.ok(recogniseQuery(q), `not recognised:\n${q}`);
    const fromIndex = JSON.parse(index.answer(q)!) as Answer;
    const ans = store.query(q, "application/sparql-results+json");
    assert.equal(ans.status, 200, ans.body);
    assertSame(q, fromIndex, JSON.parse(ans.body) as Answer);
    checked++;
  }
  assert.ok(checked >= 60, `only ${checked} queries checked`);
  assert.equal(vocabulary, 2);
});

Deno.test("object index: a query of another shape is left to the store", async () => {
  await using emu = await startEmulator();
  const q = listDataObjectsQuery({ limit: 5 });
  assert.ok(recogniseQuery(q));
  for (
    const other of [
      q.replace(
        "?dobj cpmeta:hasObjectSpec ?spec .",
        "?dobj cpmeta:hasObjectSpec ?spec . ?dobj cpmeta:hasDoi ?d .",
      ),
      q.replace(
        "prefix cpmeta: <http://meta.icos-cp.eu/ontologies/cpmeta/>",
        "prefix cpmeta: <urn:x/>",
      ),
      q.replace("order by desc(?submTime)", "order by desc(?samplingHeight)"),
      q.replace("filter not exists", "filter exists"),
      q.replace("select ?dobj", "select distinct ?dobj"),
    ]
  ) {
    assert.notEqual(other, q);
    assert.equal(recogniseQuery(other), undefined, other);
  }
  // and the emulator still answers them (from the store)
  const res = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: q.replace(
      "?dobj cpmeta:hasObjectSpec ?spec .",
      "?dobj cpmeta:hasObjectSpec ?spec . ?dobj cpmeta:hasDoi ?d .",
    ),
    headers: { accept: "application/json" },
  });
  assert.equal(res.status, 200);
  assert.ok((await res.json()).results.bindings.length >= 1);
});

Deno.test("object index: a large catalogue's store is filled after the start and agrees with the index", async () => {
  await using emu = await startEmulator({ objects: 2500 });
  const cp = new CarbonPortal({ portal: emu.endpoints });
  // the search's own queries come from the index; the vocabulary from the store
  const r = await cp.search({ latestOnly: false }, { limit: 0, cacheTtl: 0 });
  const res = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body:
      "select (count(distinct ?o) as ?n) where { ?o <http://meta.icos-cp.eu/ontologies/cpmeta/hasObjectSpec> ?s ; <http://meta.icos-cp.eu/ontologies/cpmeta/hasSizeInBytes> ?z }",
    headers: { accept: "application/json" },
  });
  const n = Number((await res.json()).results.bindings[0].n.value);
  assert.equal(r.total, n);
  assert.ok(n > 2000, String(n));
  // a landing page's Turtle comes from the main thread's copy, made on demand
  const o = emu.dataset.objects[emu.dataset.objects.length - 1];
  const ttl = await fetch(`${emu.endpoints.meta}/objects/${o.id}`, {
    headers: { accept: "text/turtle" },
  });
  assert.match(await ttl.text(), new RegExp(o.fileName.replaceAll(".", "\\.")));
});
