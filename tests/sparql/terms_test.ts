import assert from "node:assert/strict";
import { escapeString, iri, literal, sparql, term } from "../../src/sparql/mod.ts";
import { turtleStore } from "../_rdf_store.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const HOSTILE = [
  'x" } ; DROP ALL ; { "',
  "x' . ?s ?p ?o . '",
  "line\nbreak\r\ttab",
  "back\\slash\\",
  '"""triple"""',
  "#comment } }",
  "\u0000nul",
  "𝄞 unicode ünïcødé",
];

Deno.test("sparql`` keeps hostile strings inside one literal", () => {
  const store = turtleStore({
    "http://g/": HOSTILE.map((h, i) => `<http://s/${i}> <http://p/name> ${JSON.stringify(h)} .`)
      .join("\n"),
  });
  for (const [i, h] of HOSTILE.entries()) {
    const q = sparql`select ?s where { ?s <http://p/name> ${h} }`;
    const out = JSON.parse(
      store.query(q, {
        results_format: "application/sparql-results+json",
        use_default_graph_as_union: true,
      }),
    );
    assert.deepEqual(out.results.bindings.map((b: { s: { value: string } }) => b.s.value), [
      `http://s/${i}`,
    ], h);
  }
});

Deno.test("iri() rejects strings that could break out of <…>", () => {
  for (
    const bad of [
      "http://x/> . ?s ?p ?o",
      "http://x/ y",
      "relative/path",
      'http://x/"',
      "http://x/{a}",
      "javascript",
      "http://x/\\u003e",
    ]
  ) {
    assert.throws(() => iri(bad), InvalidArgumentError, bad);
  }
  assert.equal(
    String(iri("https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_")),
    "<https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_>",
  );
});

Deno.test("literal() escapes text and validates datatypes and language tags", () => {
  assert.equal(escapeString("a\"b'c\\d\ne"), "a\\\"b\\'c\\\\d\\ne");
  assert.equal(
    String(literal("1", { datatype: "http://www.w3.org/2001/XMLSchema#integer" })),
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
  );
  assert.throws(() => literal("x", { lang: 'en" } ;' }), InvalidArgumentError);
  assert.throws(() => literal("x", { datatype: "not an iri>" }), InvalidArgumentError);
});

Deno.test("term() types numbers, booleans and dates and refuses the rest", () => {
  assert.equal(String(term(2.5)), '"2.5"^^<http://www.w3.org/2001/XMLSchema#double>');
  assert.equal(String(term(true)), '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>');
  assert.throws(() => term(NaN), InvalidArgumentError);
  assert.throws(() => term(new Date("nope")), InvalidArgumentError);
  assert.throws(() => term({ toString: () => "} DROP ALL {" }), InvalidArgumentError);
  assert.equal(
    sparql`values ?x { ${["a", 1]} }`,
    'values ?x { "a" "1"^^<http://www.w3.org/2001/XMLSchema#integer> }',
  );
});
