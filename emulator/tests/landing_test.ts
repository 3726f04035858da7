import assert from "node:assert/strict";
import { startEmulator } from "../mod.ts";
import { gatCo2 } from "./_helpers.ts";

// One emulator for the file: no test here changes its state.
const emu = await startEmulator();
globalThis.addEventListener("unload", () => void emu.close());

const JSON_ACCEPT = { headers: { accept: "application/json" } };

function hasNull(x: unknown): boolean {
  if (x === null) return true;
  if (typeof x === "object") return Object.values(x as object).some(hasNull);
  return false;
}

Deno.test("startEmulator() serves a data object's landing page as JSON with the portal's fields", async () => {
  const o = gatCo2(emu);
  const uri = `${emu.endpoints.meta}/objects/${o.id}`;
  const res = await fetch(uri, JSON_ACCEPT);
  assert.equal(res.headers.get("content-type"), "application/json");
  const j = await res.json();
  assert.equal(hasNull(j), false);
  assert.equal(j.hash.length, 43);
  assert.equal(j.hash.slice(0, 24), o.id);
  assert.equal(j.pid, `11676/${o.id}`);
  assert.equal(j.accessUrl, `${emu.endpoints.data}/objects/${o.id}`);
  assert.equal(j.fileName, o.fileName);
  assert.equal(j.size, o.size);
  assert.equal(
    j.specification.format.uri,
    "http://meta.icos-cp.eu/ontologies/cpmeta/asciiAtcProductTimeSer",
  );
  assert.deepEqual(j.specification.format.goodFlagValues, ["O", "R", "U"]);
  assert.equal(j.specification.specificDatasetType, "StationTimeSeries");
  assert.equal(j.specificInfo.nRows, 8760);
  assert.equal(
    j.specificInfo.acquisition.station.org.self.uri,
    `${emu.endpoints.meta}/resources/stations/AS_GAT`,
  );
  assert.equal(j.specificInfo.acquisition.station.specificInfo._type, "atc");
  assert.equal(j.specificInfo.acquisition.samplingHeight, 341);
  const flag = j.specificInfo.columns.find((c: { label: string }) => c.label === "Flag");
  assert.equal(flag.valueFormat, "http://meta.icos-cp.eu/ontologies/cpmeta/bmpChar");
  assert.equal(flag.isFlagFor.length, 6);
  assert.equal(j.previousVersion, `${emu.endpoints.meta}/objects/${o.previousVersion}`);
  assert.equal(j.nextVersion, undefined);
  assert.equal(j.latestVersion, uri);
  assert.equal(j.parentCollections.length, 1);
  assert.match(
    j.references.citationString,
    /^Example, A\., Model, R\. \(2024\)\. ICOS ATC CO2 Release, Gartow \(341\.0 m\)/,
  );
  assert.equal(j.references.licence.name, "ICOS CCBY4 Data Licence");
  assert.deepEqual(j.coverageGeo.geometry.coordinates, [11.4429, 53.0657, 70]);
});

Deno.test("startEmulator() links a deprecated version to its successor", async () => {
  const o = gatCo2(emu);
  const old = await (await fetch(`${emu.endpoints.meta}/objects/${o.previousVersion}`, JSON_ACCEPT))
    .json();
  assert.equal(old.nextVersion, `${emu.endpoints.meta}/objects/${o.id}`);
  assert.equal(old.latestVersion, `${emu.endpoints.meta}/objects/${o.id}`);
  assert.equal(old.previousVersion, undefined);
});

Deno.test("startEmulator() serves meta.json, Turtle and HTML variants of a landing page", async () => {
  const o = gatCo2(emu);
  const base = `${emu.endpoints.meta}/objects/${o.id}`;
  const mj = await fetch(`${base}/meta.json`);
  assert.equal(mj.headers.get("content-disposition"), "attachment; filename=meta.json");
  assert.equal((await mj.json()).fileName, o.fileName);
  const ttl = await fetch(base, { headers: { accept: "text/turtle" } });
  assert.match(await ttl.text(), /hasSizeInBytes/);
  const html = await fetch(base);
  assert.equal(html.headers.get("content-type"), "text/html;charset=UTF-8");
  assert.match(await html.text(), /hdl\.handle\.net\/11676\//);
  const byHash = await fetch(`${emu.endpoints.meta}/objects/${o.hash}`, JSON_ACCEPT);
  assert.equal((await byHash.json()).pid, `11676/${o.id}`);
});

Deno.test("startEmulator() answers unknown objects with 500 for JSON and 404 for HTML, like the portal", async () => {
  const uri = `${emu.endpoints.meta}/objects/AAAAAAAAAAAAAAAAAAAAAAAA`;
  const j = await fetch(uri, JSON_ACCEPT);
  assert.equal(j.status, 500);
  assert.match(await j.text(), /^Expected exactly one values of property .*hasObjectSpec/);
  const h = await fetch(uri);
  assert.equal(h.status, 404);
  await h.body?.cancel();
  const c = await fetch(`${emu.endpoints.meta}/collections/AAAAAAAAAAAAAAAAAAAAAAAA`, JSON_ACCEPT);
  assert.equal(c.status, 404);
  assert.equal(await c.text(), "");
  const s = await fetch(`${emu.endpoints.meta}/resources/stations/AS_XXX`, JSON_ACCEPT);
  assert.equal(s.status, 404);
  assert.equal(await s.text(), "");
});

Deno.test("startEmulator() serves collections with members, sub-collections and DOI citations", async () => {
  const parent = emu.dataset.collections.find((c) => !c.doi)!;
  const j = await (await fetch(`${emu.endpoints.meta}/collections/${parent.id}`, JSON_ACCEPT))
    .json();
  assert.equal(j.res, `${emu.endpoints.meta}/collections/${parent.id}`);
  assert.equal(j.members.length, 2);
  for (const m of j.members) assert.equal(m.title, m.name);
  const child = emu.dataset.collections.find((c) => c.doi === "10.18160/EMU1-ATMO")!;
  const cj = await (await fetch(`${emu.endpoints.meta}/collections/${child.id}`, JSON_ACCEPT))
    .json();
  assert.equal(cj.doi, "10.18160/EMU1-ATMO");
  assert.match(cj.references.citationString, /https:\/\/doi\.org\/10\.18160\/EMU1-ATMO$/);
  assert.equal(cj.members.length, 5);
  assert.equal(cj.members[0].title, undefined);
  assert.equal(cj.parentCollections[0].uri, j.res);
});

Deno.test("startEmulator() serves station landing pages with staff and specifics", async () => {
  const j = await (await fetch(`${emu.endpoints.meta}/resources/stations/AS_ZSF`, JSON_ACCEPT))
    .json();
  assert.equal(j.id, "ZSF");
  assert.equal(j.org.name, "Zugspitze");
  assert.deepEqual(j.location, { lat: 47.4165, lon: 10.9796, alt: 2666, label: "ZSF" });
  assert.equal(j.specificInfo.stationClass, "2");
  assert.equal(j.specificInfo.wigosId, "0-20008-0-ZSF");
  assert.equal(j.countryCode, "DE");
  assert.equal(j.staff[0].role.role.label, "Principal Investigator");
  const es = await (await fetch(`${emu.endpoints.meta}/resources/stations/ES_SE-Htm`, JSON_ACCEPT))
    .json();
  assert.equal(es.specificInfo._type, "etc");
  assert.deepEqual(es.specificInfo.stationDocs, []);
});

Deno.test("startEmulator() describes spatial and document objects", async () => {
  const nc = emu.dataset.objects.find((o) => o.spec === "inversionModelingSpatial")!;
  const j = await (await fetch(`${emu.endpoints.meta}/objects/${nc.id}`, JSON_ACCEPT)).json();
  assert.equal(j.specificInfo.spatial._type, "LatLonBox");
  assert.equal(j.specificInfo.spatial.geo.type, "Polygon");
  assert.equal(j.specificInfo.temporal.resolution, "monthly");
  assert.equal(j.specificInfo.columns, undefined);
  assert.equal(j.references.licence.url, "https://creativecommons.org/publicdomain/zero/1.0/");
  assert.equal(j.coverageGeo.type, "Polygon");
  const doc = emu.dataset.objects.find((o) => o.kind === "document")!;
  const d = await (await fetch(`${emu.endpoints.meta}/objects/${doc.id}`, JSON_ACCEPT)).json();
  assert.equal(d.specification, undefined);
  assert.equal(d.description, "How the emulator's synthetic data are made");
});
