// What the library makes of names that are not safe object keys (issue 22):
// shared by tests/names_not_keys_test.ts (Deno) and names_check.mjs (Node).

/** What the library makes of names like `__proto__`, as plain JSON. */
export async function namesReport(icos, bytes) {
  const f = await icos.openNetCDF(bytes);
  const out = {};
  const g = f.attributes;
  out.globalKeys = Object.keys(g);
  out.globalProto = g.__proto__ === "global" && Object.getPrototypeOf(g) === Object.prototype;
  const v = f.variable("v");
  out.varKeys = Object.keys(v.attributes);
  out.varProto = Array.from(v.attributes.__proto__ ?? []);
  const c = await f.readCompound("c");
  out.members = Object.keys(c);
  out.proto = Array.from(c.__proto__ ?? []);
  out.toString = Array.from(c.toString ?? []);
  f.close();
  // the portal's JSON, as text: JSON.parse makes `__proto__` an own key
  const answer = '{"head":{"vars":["__proto__","id"]},"results":{"bindings":' +
    '[{"__proto__":{"type":"literal","value":"P"},"id":{"type":"literal","value":"GAT"}}]}}';
  const cp = new icos.CarbonPortal({
    fetch: () =>
      Promise.resolve(
        new Response(answer, { headers: { "content-type": "application/sparql-results+json" } }),
      ),
  });
  const r = await cp.sparql.select("select ?__proto__ ?id where {}");
  const row = r.rows[0];
  out.sparqlHas = [row.has("__proto__"), row.has("constructor"), row.has("id")];
  out.sparqlGet = row.string("__proto__");
  out.sparqlRecords = r.toRecords().map((x) => Object.keys(x));
  out.sparqlColumns = Object.keys(r.toColumns());
  return out;
}
