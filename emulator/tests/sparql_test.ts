import assert from "node:assert/strict";
import { startEmulator } from "../mod.ts";
import { CPMETA, select } from "./_helpers.ts";

// One emulator for the file: no test here changes its state.
const emu = await startEmulator();
globalThis.addEventListener("unload", () => void emu.close());

const XSD = "http://www.w3.org/2001/XMLSchema#";
const STATIONS_Q = "select ?id where { ?s <" + CPMETA + "hasStationId> ?id } order by ?id";

Deno.test("startEmulator() serves SPARQL by GET, raw POST and form POST", async () => {
  const get = await fetch(`${emu.endpoints.sparql}?query=${encodeURIComponent(STATIONS_Q)}`);
  assert.equal(get.headers.get("content-type"), "application/sparql-results+json;charset=UTF-8");
  const ids = (await get.json()).results.bindings.map((b: { id: { value: string } }) => b.id.value);
  assert.deepEqual(ids, ["1199", "GAT", "HTM", "NOR", "SE-Htm", "ZSF"]);
  const form = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: new URLSearchParams({ query: STATIONS_Q }),
  });
  assert.equal((await form.json()).results.bindings.length, 6);
  assert.equal((await select(emu, STATIONS_Q)).length, 6);
});

Deno.test("startEmulator() serves SPARQL results as CSV and TSV by Accept header", async () => {
  const csv = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: STATIONS_Q,
    headers: { accept: "text/csv" },
  });
  assert.equal(csv.headers.get("content-type"), "text/csv;charset=UTF-8");
  assert.equal((await csv.text()).split(/\r?\n/).slice(0, 3).join("|"), "id|1199|GAT");
  const tsv = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: STATIONS_Q,
    headers: { accept: "text/plain" },
  });
  assert.equal(tsv.headers.get("content-type"), "text/tab-separated-values;charset=UTF-8");
  assert.equal((await tsv.text()).split("\n")[1], '"1199"');
});

Deno.test("startEmulator() answers bad SPARQL with 400, ASK with 501 and a missing query with 400", async () => {
  const bad = await fetch(emu.endpoints.sparql, { method: "POST", body: "select ?x where {" });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /error/i);
  const ask = await fetch(emu.endpoints.sparql, { method: "POST", body: "ask { ?s ?p ?o }" });
  assert.equal(ask.status, 501);
  await ask.body?.cancel();
  const none = await fetch(emu.endpoints.sparql);
  assert.equal(none.status, 400);
  assert.match(await none.text(), /Expected a SPARQL query/);
});

Deno.test("startEmulator() keeps the literal datatypes icoscp_core checks (long, integer, double, float, dateTime)", async () => {
  const [b] = await select(
    emu,
    `prefix cpmeta: <${CPMETA}> prefix prov: <http://www.w3.org/ns/prov#>
     select ?size ?rows ?lat ?elev ?start ?height where {
       ?o cpmeta:hasSizeInBytes ?size ; cpmeta:hasNumberOfRows ?rows ;
          cpmeta:wasAcquiredBy ?acq . ?acq prov:startedAtTime ?start ; cpmeta:hasSamplingHeight ?height ;
          prov:wasAssociatedWith ?st . ?st cpmeta:hasLatitude ?lat ; cpmeta:hasElevation ?elev ; cpmeta:hasStationId "GAT" .
       FILTER NOT EXISTS {[] cpmeta:isNextVersionOf ?o}
     } order by ?start limit 1`,
  );
  assert.equal(b.size.datatype, `${XSD}long`);
  assert.equal(b.rows.datatype, `${XSD}integer`);
  assert.equal(b.lat.datatype, `${XSD}double`);
  assert.equal(b.lat.value, "53.0657");
  assert.equal(b.elev.datatype, `${XSD}float`);
  assert.equal(Number(b.elev.value), 70);
  assert.equal(b.start.datatype, `${XSD}dateTime`);
  assert.equal(b.start.value, "2022-01-01T00:00:00Z");
  assert.equal(b.height.datatype, `${XSD}float`);
  const [lvl] = await select(emu, `select ?l where { ?s <${CPMETA}hasDataLevel> ?l } limit 1`);
  assert.equal(lvl.l.datatype, `${XSD}integer`);
});

Deno.test("startEmulator() accepts undeclared default prefixes and RDF 1.1 string equality", async () => {
  const rows = await select(
    emu,
    `prefix cpmeta: <${CPMETA}>
     select ?uri where {
       VALUES ?icosClass {"1"^^xsd:string "2"^^xsd:string}
       ?uri cpmeta:hasStationClass ?icosClass ; rdfs:label ?label .
     }`,
  );
  assert.equal(rows.length, 6);
});

Deno.test("startEmulator() restricts the default graph to the FROM graphs", async () => {
  const P = emu.endpoints.metaInstancePrefix;
  const q = (from: string) =>
    `select (count(distinct ?s) as ?n) ${from} where { ?s <${CPMETA}hasStationId> ?id }`;
  assert.equal((await select(emu, q("")))[0].n.value, "6");
  assert.equal((await select(emu, q(`from <${P}resources/icos/>`)))[0].n.value, "6");
  assert.equal((await select(emu, q(`from <${P}resources/cpmeta/>`)))[0].n.value, "0");
});

Deno.test("startEmulator() implements the geo:sfIntersects/geo:asWKT polygon filter", async () => {
  const rows = await select(
    emu,
    `prefix cpmeta: <${CPMETA}> prefix prov: <http://www.w3.org/ns/prov#>
     prefix geo: <http://www.opengis.net/ont/geosparql#>
     select ?id where {
       ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith/cpmeta:hasStationId ?id .
       ?dobj geo:sfIntersects/geo:asWKT "POLYGON((10 47, 12 47, 12 54, 10 54, 10 47))"^^geo:wktLiteral .
     }`,
  );
  assert.deepEqual([...new Set(rows.map((r) => r.id.value))].sort(), ["GAT", "ZSF"]);
  const spatial = await select(
    emu,
    `prefix cpmeta: <${CPMETA}> prefix geo: <http://www.opengis.net/ont/geosparql#>
     select ?dobj where {
       ?dobj cpmeta:hasEndTime ?end .
       ?dobj geo:sfIntersects/geo:asWKT "POLYGON((0 40, 1 40, 1 41, 0 41, 0 40))"^^geo:wktLiteral .
     }`,
  );
  assert.equal(spatial.length, 1);
});

Deno.test("startEmulator() reports X-Cache-Status BYPASS for no-cache requests", async () => {
  const res = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: STATIONS_Q,
    headers: { "cache-control": "no-cache", pragma: "no-cache" },
  });
  await res.body?.cancel();
  assert.equal(res.headers.get("x-cache-status"), "BYPASS");
});

Deno.test("startEmulator() accepts the geo filter in every form RDF4J parses to the same pattern", async () => {
  const G = "http://www.opengis.net/ont/geosparql#";
  const polygon = `"POLYGON ((10 47, 12 47, 12 54, 10 54, 10 47))"`;
  const ids = async (prologue: string, pattern: string) =>
    [
      ...new Set(
        (await select(
          emu,
          `prefix cpmeta: <${CPMETA}> prefix prov: <http://www.w3.org/ns/prov#> ${prologue}
           select ?id where {
             ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith/cpmeta:hasStationId ?id .
             ${pattern}
           }`,
        )).map((r) => r.id.value),
      ),
    ].sort();
  // full IRIs, as a client that writes the datatype as an IRI sends it
  assert.deepEqual(
    await ids("", `?dobj <${G}sfIntersects>/<${G}asWKT> ${polygon}^^<${G}wktLiteral> .`),
    ["GAT", "ZSF"],
  );
  // another prefix name for the GeoSPARQL namespace, mixed with a full IRI
  assert.deepEqual(
    await ids(`prefix gs: <${G}>`, `?dobj gs:sfIntersects/gs:asWKT ${polygon}^^<${G}wktLiteral>`),
    ["GAT", "ZSF"],
  );
  // the blank-node form of the same two-step path
  assert.deepEqual(
    await ids(
      `prefix geo: <${G}>`,
      `?dobj geo:sfIntersects [ geo:asWKT ${polygon}^^geo:wktLiteral ] .`,
    ),
    ["GAT", "ZSF"],
  );
  // a prefix bound to another namespace is not the geo filter: the store answers on its triples (none)
  assert.deepEqual(
    await ids(
      "prefix geo: <http://example.org/>",
      `?dobj geo:sfIntersects/geo:asWKT ${polygon}^^geo:wktLiteral .`,
    ),
    [],
  );
});
