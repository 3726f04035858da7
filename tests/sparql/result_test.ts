import assert from "node:assert/strict";
import { SparqlError } from "../../mod.ts";
import { type RawResults, SparqlResult, SparqlRow } from "../../src/sparql/mod.ts";

const XSD = "http://www.w3.org/2001/XMLSchema#";
const raw: RawResults = {
  head: { vars: ["station", "id", "lat", "elevation", "n", "ok", "t", "label", "b"] },
  results: {
    bindings: [
      {
        station: { type: "uri", value: "http://meta.icos-cp.eu/resources/stations/AS_GAT" },
        id: { type: "literal", value: "GAT" },
        lat: { type: "literal", value: "53.0657", datatype: `${XSD}double` },
        elevation: { type: "literal", value: "70.0", datatype: `${XSD}float` },
        n: { type: "literal", value: "70128", datatype: `${XSD}integer` },
        ok: { type: "literal", value: "TRUE", datatype: `${XSD}boolean` },
        t: { type: "literal", value: "2017-12-31T23:00:00Z", datatype: `${XSD}dateTime` },
        label: { type: "literal", value: 'Gartow, "GAT"', "xml:lang": "en" },
        b: { type: "bnode", value: "b0" },
      },
      { id: { type: "literal", value: "HTM" } },
    ],
  },
};

Deno.test("SparqlRow accessors convert by datatype and check the kind of term", () => {
  const [row, sparse] = new SparqlResult(raw).rows;
  assert.equal(row.iri("station"), "http://meta.icos-cp.eu/resources/stations/AS_GAT");
  assert.equal(row.string("id"), "GAT");
  assert.equal(row.number("lat"), 53.0657);
  assert.equal(row.number("elevation"), 70);
  assert.equal(row.int("n"), 70128);
  assert.equal(row.bool("ok"), true);
  assert.equal(row.date("t").toISOString(), "2017-12-31T23:00:00.000Z");
  assert.equal(row.lang("label"), "en");
  assert.equal(row.datatype("lat"), `${XSD}double`);
  assert.throws(() => row.iri("id"), SparqlError);
  assert.throws(() => row.int("lat"), /is not an integer: literal "53.0657"/);
  assert.throws(() => row.number("id"), SparqlError);
  assert.throws(() => row.string("b"), /blank node/);
  assert.throws(() => sparse.string("lat"), /unbound/);
  assert.equal(sparse.optNumber("lat"), undefined);
  assert.equal(sparse.optIri("station"), undefined);
  assert.equal(row.optInt("n"), 70128);
});

Deno.test("SparqlResult renders CSV, TSV, JSON, HTML, arrays and tables", () => {
  const r = new SparqlResult(raw);
  assert.equal(r.length, 2);
  const csv = r.toCsv().split("\r\n");
  assert.equal(csv[0], "station,id,lat,elevation,n,ok,t,label,b");
  assert.equal(
    csv[1],
    'http://meta.icos-cp.eu/resources/stations/AS_GAT,GAT,53.0657,70.0,70128,TRUE,2017-12-31T23:00:00Z,"Gartow, ""GAT""",b0',
  );
  assert.equal(csv[2], ",HTM,,,,,,,");
  assert.equal(r.toTsv().split("\n")[2], "\tHTM\t\t\t\t\t\t\t");
  assert.deepEqual(JSON.parse(r.toJson()), raw);
  assert.match(r.toHtml(), /<td>Gartow, &#34;GAT&#34;<\/td>/);
  const [vars, rows] = r.toArray();
  assert.deepEqual(vars, raw.head.vars);
  assert.equal(rows[1][1], "HTM");
  assert.equal(rows[1][0], undefined);
  assert.deepEqual(r.toColumns().id, ["GAT", "HTM"]);
  const t = r.toTable();
  assert.equal(t.get("n", 0), 70128);
  assert.equal(t.get("ok", 0), true);
  assert.equal((t.get("t", 0) as Date).getUTCFullYear(), 2017);
  assert.equal(t.get("lat", 1), undefined);
  assert.deepEqual(r.toRecords()[1], { id: "HTM" });
  assert.throws(() => new SparqlResult({} as RawResults), SparqlError);
  assert.equal(new SparqlRow({}).has("x"), false);
});
