import assert from "node:assert/strict";
import { CarbonPortal, SparqlError } from "../../mod.ts";
import { RunSparql } from "../../src/sparql/mod.ts";
import { sparqlFetch, turtleStore } from "../_rdf_store.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const store = turtleStore({
  "http://meta.icos-cp.eu/resources/icos/": `
    <http://meta.icos-cp.eu/resources/stations/AS_GAT> <http://meta.icos-cp.eu/ontologies/cpmeta/hasStationId> "GAT" ;
      <http://meta.icos-cp.eu/ontologies/cpmeta/hasLatitude> "53.0657"^^<http://www.w3.org/2001/XMLSchema#double> .`,
});

Deno.test("SparqlApi.select() posts the raw query and parses typed bindings", async () => {
  const { fetch } = sparqlFetch(store);
  const calls: RequestInit[] = [];
  const cp = new CarbonPortal({ fetch: (i, init) => (calls.push(init!), fetch(i, init)) });
  const r = await cp.sparql.select(
    "select ?s ?lat where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasLatitude> ?lat }",
    { disableCache: true },
  );
  assert.equal(r.rows[0].number("lat"), 53.0657);
  const h = new Headers(calls[0].headers);
  assert.equal(calls[0].method, "POST");
  assert.equal(h.get("content-type"), "text/plain");
  assert.equal(h.get("cache-control"), "no-cache");
  assert.match(h.get("accept")!, /application\/sparql-results\+json/);
});

Deno.test("SparqlApi.select() reports a rejected query as a SparqlError with the query", async () => {
  const cp = new CarbonPortal({ fetch: sparqlFetch(store).fetch });
  await assert.rejects(cp.sparql.select("select ?s where {"), (e) => {
    assert.ok(e instanceof SparqlError);
    assert.equal(e.query, "select ?s where {");
    assert.match(e.message, /^SPARQL SELECT failed: /);
    return true;
  });
  await assert.rejects(cp.sparql.select("  "), InvalidArgumentError);
  const notJson = new CarbonPortal({ fetch: () => Promise.resolve(new Response("<html>")) });
  await assert.rejects(notJson.sparql.select("select * {}"), /not SPARQL JSON/);
});

Deno.test("RunSparql returns each icoscp format", async () => {
  const cp = new CarbonPortal({ fetch: sparqlFetch(store).fetch });
  const q = "select ?id where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasStationId> ?id }";
  assert.equal(JSON.parse(await new RunSparql(cp, q).run()).results.bindings[0].id.value, "GAT");
  assert.equal(await new RunSparql(cp, q, { format: "csv" }).run(), "id\r\nGAT\r\n");
  assert.equal((await new RunSparql(cp, q, { format: "dict" }).run()).head.vars[0], "id");
  assert.equal((await new RunSparql(cp, q, { format: "pandas" }).run()).get("id", 0), "GAT");
  assert.equal((await cp.sparql.runSparql(q, "table").run()).numRows(), 1);
  assert.deepEqual(await new RunSparql(cp, q, { format: "array" }).run(), [["id"], [["GAT"]]]);
  assert.match(await new RunSparql(cp, q, { format: "html" }).run(), /<td>GAT<\/td>/);
  assert.throws(() => new RunSparql(cp, q, { format: "xml" as "json" }), /Unknown format xml/);
});
