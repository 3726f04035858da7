// The generated catalogue (`buildDataset({ objects: N })`): deterministic,
// varied like the portal's (countries, themes, levels, NRT, deprecated
// versions, keywords, collections), and each object's file is rendered on
// request with the id the portal would mint from its bytes.

import assert from "node:assert/strict";
import { buildDataset, objectIdOf } from "../mod.ts";
import { SPECS } from "../_catalog.ts";

Deno.test("catalogue: about N objects, deterministic, varied, files rendered on request", async () => {
  const a = await buildDataset({ objects: 3000 });
  const b = await buildDataset({ objects: 3000 });
  assert.equal(a.objects.length, 3000);
  assert.deepEqual(a.objects.map((o) => o.id), b.objects.map((o) => o.id));
  const gen = a.objects.slice(-2900);
  const stations = new Set(gen.map((o) => o.station));
  const countries = new Set(
    a.stations.filter((s) => stations.has(s.key)).map((s) => s.country),
  );
  assert.ok(stations.size >= 25, `${stations.size} stations`);
  assert.ok(countries.size >= 10, `${countries.size} countries`);
  for (const theme of ["atmosphere", "ecosystem", "ocean"]) {
    const specs = new Set(gen.filter((o) => SPECS[o.spec!].theme === theme).map((o) => o.spec));
    assert.ok(specs.size >= 3, `${theme}: ${[...specs]}`);
  }
  const levels = new Set(gen.map((o) => SPECS[o.spec!].level));
  assert.deepEqual([...levels].sort(), [0, 1, 2, 3]);
  assert.ok(gen.some((o) => o.nextVersion) && gen.some((o) => o.previousVersion));
  assert.ok(gen.some((o) => o.keywords?.length));
  const colls = a.collections.filter((c) => c.doi?.startsWith("10.18160/EMU-"));
  assert.ok(colls.length >= 5 && colls.every((c) => c.members.length >= 3));
  assert.equal(new Set(gen.map((o) => o.submitted.end)).size, gen.length);
  for (const o of [gen[0], gen[1234], gen.at(-1)!]) {
    const bytes = o.file();
    assert.equal(bytes.length, o.size);
    assert.equal(await objectIdOf(bytes), o.id);
    assert.deepEqual(o.file(), bytes);
    assert.equal(o.columns!.find((c) => c.label === "TIMESTAMP")!.values.length, o.nRows);
  }
});
