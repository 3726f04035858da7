// Parity with the Python `icoscp.countries.country.get(**kw)`: every example
// of the docs' "country" section. The counterpart is `lookupCountry`, which
// always answers with a list (Python: a dict for one match, a list for
// several, False for none). Each test names the Python call it mirrors.

import assert from "node:assert/strict";
import { type Country, lookupCountry } from "../../src/discovery/mod.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

/** Fields of a Python country dict the docs and icoscp's users rely on. */
const FIELDS = ["name", "cca2", "cca3", "ccn3", "altSpellings", "region", "subregion", "latlng"];

function assertCountryShape(c: Country) {
  for (const f of FIELDS) assert.ok(f in c, `field ${f}`);
  assert.equal(typeof c.name.common, "string");
  assert.equal(typeof c.name.official, "string");
  assert.match(c.cca2, /^[A-Z]{2}$/);
  assert.match(c.cca3, /^[A-Z]{3}$/);
  assert.equal(c.latlng!.length, 2);
}

Deno.test("country.get() → list of dict: all countries", async () => {
  const all = await lookupCountry();
  assert.equal(all.length, 250);
  all.forEach(assertCountryShape);
});

Deno.test("country.get(code='CH') → dict: Switzerland (alpha-2 or alpha-3, any case)", async () => {
  for (const code of ["CH", "ch", "CHE", "che"]) {
    const r = await lookupCountry({ code });
    assert.equal(r.length, 1, code);
    assert.equal(r[0].name.common, "Switzerland");
    assertCountryShape(r[0]);
  }
  assert.deepEqual(await lookupCountry({ code: "UK" }), []); // Python: False
});

Deno.test("country.get(name='greece') → dict: Greece (also native and partial names)", async () => {
  assert.deepEqual((await lookupCountry({ name: "greece" })).map((c) => c.cca2), ["GR"]);
  assert.deepEqual((await lookupCountry({ name: "Ελλάδα" })).map((c) => c.cca2), ["GR"]);
  assert.deepEqual((await lookupCountry({ name: "helle" })).map((c) => c.cca2).sort(), [
    "GR",
    "SC",
  ]);
});

Deno.test("country.get(latlon=[48.85, 2.35]) → dict: France", async () => {
  const r = await lookupCountry({ latlon: [48.85, 2.35] });
  assert.deepEqual(r.map((c) => c.name.common), ["France"]);
  assertCountryShape(r[0]);
  assert.deepEqual(await lookupCountry({ latlon: [-45, -30] }), []); // open ocean
  await assert.rejects(lookupCountry({ latlon: [95, 0] }), InvalidArgumentError);
});

Deno.test("country.get(search='europe') → list of dict, case-insensitive text search", async () => {
  const r = await lookupCountry({ search: "EUROPE" });
  assert.ok(r.length >= 50);
  assert.ok(r.some((c) => c.cca2 === "SE"));
});

Deno.test("country.get(code=…, name=…) → the keywords are tried in the signature's order", async () => {
  assert.deepEqual((await lookupCountry({ name: "greece", code: "SE" })).map((c) => c.cca2), [
    "SE",
  ]);
});
