import assert from "node:assert/strict";
import { type Country, countryCodeAt, lookupCountry } from "../../src/discovery/mod.ts";
import { realFixture, withRealFixtures } from "../_fixtures.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const names = (cs: Country[]) => cs.map((c) => c.name.common).sort();

Deno.test("lookupCountry() finds countries by alpha-2 or alpha-3 code, any case", async () => {
  assert.deepEqual(names(await lookupCountry({ code: "CH" })), ["Switzerland"]);
  assert.deepEqual(names(await lookupCountry({ code: "che" })), ["Switzerland"]);
  assert.deepEqual(names(await lookupCountry({ code: "SE" })), ["Sweden"]);
  assert.deepEqual(await lookupCountry({ code: "UK" }), []);
  assert.deepEqual(await lookupCountry({ code: "XZ" }), []);
});

Deno.test("lookupCountry() matches name substrings including official and native names", async () => {
  assert.deepEqual(names(await lookupCountry({ name: "greece" })), ["Greece"]);
  assert.deepEqual(names(await lookupCountry({ name: "helle" })), ["Greece", "Seychelles"]);
  assert.deepEqual(names(await lookupCountry({ name: "Sverige" })), ["Sweden"]);
});

Deno.test("lookupCountry() tries the keywords in icoscp's order and returns everything without one", async () => {
  assert.deepEqual(names(await lookupCountry({ code: "SE", name: "greece" })), ["Sweden"]);
  assert.equal((await lookupCountry()).length, 250);
  assert.ok((await lookupCountry({ search: "europe" })).length >= 50);
});

Deno.test(
  withRealFixtures(
    "lookupCountry() applied to icoscp's own country file gives the documented answers",
  ),
  async () => {
    const data = JSON.parse(
      await Deno.readTextFile(realFixture("pylib/countries.json")),
    ) as Country[];
    assert.equal((await lookupCountry({ search: "europe" }, data)).length, 53);
    assert.deepEqual(names(await lookupCountry({ name: "helle" }, data)), ["Greece", "Seychelles"]);
    assert.deepEqual(names(await lookupCountry({ code: "CHE" }, data)), ["Switzerland"]);
    assert.deepEqual(await lookupCountry({ code: "UK" }, data), []);
  },
);

Deno.test("lookupCountry() reverse-geocodes positions, also where icoscp's shapefile fails", async () => {
  const at = async (lat: number, lon: number) =>
    (await lookupCountry({ latlon: [lat, lon] })).map((c) => c.cca2);
  assert.deepEqual(await at(53.0657, 11.4429), ["DE"]);
  assert.deepEqual(await at(56.0976, 13.4189), ["SE"]);
  assert.deepEqual(await at(46.55, 7.98), ["CH"]);
  // France, Finland, Denmark, the United Kingdom and the Netherlands have SOV_A3 codes (FR1, FI1, …) that are not ISO codes
  assert.deepEqual(await at(48.85, 2.35), ["FR"]);
  assert.deepEqual(await at(60.17, 24.94), ["FI"]);
  assert.deepEqual(await at(55.67, 12.57), ["DK"]);
  assert.deepEqual(await at(51.5, -0.12), ["GB"]);
  assert.deepEqual(await at(52.37, 4.9), ["NL"]);
  assert.deepEqual(await at(54.15, -10.07), ["IE"]);
  assert.equal(await countryCodeAt(40, -40), undefined);
  await assert.rejects(countryCodeAt(91, 0), InvalidArgumentError);
});
