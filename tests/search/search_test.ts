// cp.search against the emulator: filters as people type them, the answer
// checked against the emulator's own dataset (not against our query builder).

import {
  CarbonPortal,
  QuotaExceededError,
  UnknownOptionError,
  UnknownValueError,
} from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { sharedEmulator } from "../_shared_emulator.ts";
import assert from "node:assert/strict";

Deno.test("search: typed filters in any case find what the dataset holds", async () => {
  const emu = await sharedEmulator();
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const r = await cp.search({ station: ["gat", "HTM"], variable: "CO2", level: 2 });
  const gat = emu.dataset.stations.filter((s) => ["GAT", "HTM"].includes(s.id)).map((s) => s.key);
  const expected = emu.dataset.objects.filter((o) =>
    o.spec === "atcCo2L2DataObject" && gat.includes(o.station!) && !o.nextVersion
  ).map((o) => o.id).sort();
  assert.deepEqual((r.objects.array("pid") as string[]).map((p) => p.slice(6)).sort(), expected);
  assert.equal(r.total, expected.length);
  assert.deepEqual(r.facets.spec, [{ value: "atcCo2L2DataObject", count: expected.length }]);
  assert.equal(r.facets.country.reduce((s, f) => s + f.count, 0), expected.length);
});

Deno.test("search: deprecated versions only with latestOnly: false, with the next version's PID", async () => {
  const emu = await sharedEmulator();
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const old = emu.dataset.objects.find((o) => o.nextVersion)!;
  const latest = await cp.search({ pids: old.id });
  assert.equal(latest.total, 0);
  const all = await cp.search({ pids: `11676/${old.id}`, latestOnly: false });
  assert.equal(all.total, 1);
  assert.equal(all.objects.get("latest", 0), false);
  assert.equal(all.objects.get("nextVersion", 0), `11676/${old.nextVersion}`);
});

Deno.test("search: unknown filter names and values are typed errors naming the valid ones", async () => {
  const emu = await sharedEmulator();
  const cp = new CarbonPortal({ portal: emu.endpoints });
  await assert.rejects(
    cp.search({ statoin: "GAT" } as never),
    (e: unknown) => e instanceof UnknownOptionError && e.suggestion === "station",
  );
  await assert.rejects(
    cp.search({ station: "XYZ" }),
    (e: unknown) => e instanceof UnknownValueError && e.valid.includes("GAT"),
  );
  await assert.rejects(
    cp.search({ theme: "space" }),
    (e: unknown) => e instanceof UnknownValueError && e.valid.includes("atmosphere"),
  );
  await assert.rejects(
    cp.search({ variable: "co3" }),
    (e: unknown) => e instanceof UnknownValueError && e.valid.includes("co2"),
  );
  await assert.rejects(cp.search({ level: 7 }), UnknownValueError);
  await assert.rejects(cp.search({ from: "yesterday-ish" }), UnknownValueError);
  await assert.rejects(cp.search({}, { limti: 3 } as never), UnknownOptionError);
  await assert.rejects(
    cp.search({ sampling_height: 100 } as never),
    (e: unknown) => e instanceof UnknownOptionError && e.suggestion === "samplingHeight",
  );
  assert.ok(QuotaExceededError);
});

Deno.test("search: the year facet counts an object in every year its coverage touches, as the from/to filters do", async () => {
  await using emu = await startEmulator({ objects: 400 });
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const r = await cp.search({ theme: ["atmosphere", "ecosystem"], latestOnly: false }, {
    limit: 0,
  });
  const specs = new Set(r.facets.spec.map((f) => f.value));
  const objs = emu.dataset.objects.filter((o) => o.spec && specs.has(o.spec));
  assert.equal(r.total, objs.length);
  // an object ending at New Year's midnight does not reach into the new year
  const years = (o: { start: string; end: string }) => {
    const first = new Date(o.start).getUTCFullYear();
    const end = new Date(Date.parse(o.end) - 1);
    return { first, last: Math.max(first, end.getUTCFullYear()) };
  };
  assert.ok(objs.some((o) => years(o).last > years(o).first), "no object spans years");
  const expected = new Map<number, number>();
  for (const o of objs) {
    const { first, last } = years(o);
    for (let y = first; y <= last; y++) expected.set(y, (expected.get(y) ?? 0) + 1);
  }
  assert.deepEqual(
    new Map(r.facets.year.map((f) => [f.value as number, f.count])),
    expected,
  );
  // the count of a year is what a search for that year finds
  const y = r.facets.year[0];
  const inYear = await cp.search({
    theme: ["atmosphere", "ecosystem"],
    latestOnly: false,
    from: `${y.value}-01-01T00:00:00.001Z`,
    to: `${y.value}-12-31T23:59:59.999Z`,
  }, { limit: 0 });
  assert.equal(inYear.total, y.count);
});
