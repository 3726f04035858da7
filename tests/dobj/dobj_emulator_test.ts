// Data objects end to end against the local emulator.

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  AuthenticationError,
  CarbonPortal,
  IntegrityError,
  LicenceError,
  NotFoundError,
  UnknownValueError,
  UnsupportedFormatError,
} from "../../mod.ts";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";
import type { DatasetObject } from "../../emulator/mod.ts";
import { sharedEmulator } from "../_shared_emulator.ts";

function object(emu: Emulator, pred: (o: DatasetObject) => boolean): DatasetObject {
  return emu.dataset.objects.find(pred)!;
}
const gat2024 = (emu: Emulator) =>
  object(emu, (o) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2"));
const gat2023 = (emu: Emulator) =>
  object(emu, (o) => o.fileName.includes("2023.1_GAT_341.0_CTS_CO2"));
const etc = (emu: Emulator) => object(emu, (o) => o.spec === "etcFluxnetProduct");
const column = (o: DatasetObject, label: string) => o.columns!.find((c) => c.label === label)!;

function client(emu: Emulator, user = 0) {
  const u = emu.users[user];
  return new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: u.email, password: u.password },
    retry: { minDelay: 1 },
  });
}

Deno.test("Dobj getters read the emulator's landing pages, versions included", async () => {
  const emu = await sharedEmulator();
  const cp = client(emu);
  const o = gat2024(emu);
  const d = await cp.dobj(`11676/${o.id}`);
  assert.equal(d.id, o.id);
  assert.equal(d.pid, `11676/${o.id}`);
  assert.equal(d.meta.hash, o.hash);
  assert.equal(d.size, o.size);
  assert.equal(d.station?.id, "GAT");
  assert.deepEqual([d.lat, d.lon, d.samplingHeight], [53.0657, 11.4429, 341]);
  assert.deepEqual(d.colNames.sort(), ["Flag", "NbPoints", "Stdev", "TIMESTAMP", "co2"]);
  assert.equal(d.rows, 8760);
  assert.match(d.citation!, /ICOS ATC CO2 Release, Gartow \(341\.0 m\)/);
  assert.equal(d.licence?.name, "ICOS CCBY4 Data Licence");
  const old = await cp.dobj(gat2023(emu).id);
  assert.deepEqual(d.previous, [old.uri]);
  assert.deepEqual(old.next, [d.uri]);
  assert.equal(old.isDeprecated, true);
  assert.deepEqual(old.latest, [d.uri]);
  const vars = d.variables.objects() as { name: string; format: string; flagFor: string }[];
  assert.equal(vars.find((v) => v.name === "TIMESTAMP")?.format, "iso8601dateTime");
  assert.ok(vars.find((v) => v.name === "Flag")?.flagFor.length);
  await assert.rejects(cp.dobj("AAAAAAAAAAAAAAAAAAAAAAAA"), NotFoundError);
  const spatial = await cp.dobj(object(emu, (o) => o.spec === "inversionModelingSpatial").id);
  await assert.rejects(spatial.getColumns(), UnsupportedFormatError);
});

Deno.test("Dobj.getColumns() masks bad flags like icoscp_core and keeps them on request", async () => {
  const emu = await sharedEmulator();
  const o = gat2024(emu);
  const d = await client(emu).dobj(o.id);
  const masked = await d.getColumns(["co2"]);
  const kept = await d.getColumns(["co2"], { keepBadData: true });
  const flags = column(o, "Flag").values as ArrayLike<number>;
  const raw = column(o, "co2").values as ArrayLike<number>;
  let bad = 0;
  for (let i = 0; i < o.nRows!; i++) {
    const good = "ORU".includes(String.fromCharCode(flags[i]));
    const expected = Math.fround(raw[i]);
    assert.ok(Object.is((kept.co2 as Float32Array)[i], expected), `row ${i}`);
    if (good) assert.ok(Object.is((masked.co2 as Float32Array)[i], expected), `row ${i}`);
    else {
      bad++;
      assert.ok(
        Number.isNaN((masked.co2 as Float32Array)[i]),
        `row ${i} flagged ${String.fromCharCode(flags[i])}`,
      );
    }
  }
  assert.ok(bad > 0);
  assert.equal((masked.Flag as string[]).filter((f) => !"ORU".includes(f)).length, bad);
  const ts = await d.getColumns(["TIMESTAMP"]);
  assert.deepEqual(
    Array.from(ts.TIMESTAMP as Float64Array),
    Array.from(column(o, "TIMESTAMP").values as ArrayLike<number>),
  );
  assert.equal(
    new Date((ts.TIMESTAMP as Float64Array)[0]).toISOString(),
    "2022-01-01T00:00:00.000Z",
  );
});

Deno.test('Dobj.getColumns({ flags: "codes" }) returns flags as character codes, masked alike', async () => {
  const emu = await sharedEmulator();
  const o = gat2024(emu);
  const d = await client(emu).dobj(o.id);
  const strings = await d.getColumns(["co2"]);
  const codes = await d.getColumns(["co2"], { flags: "codes" });
  assert.ok(codes.Flag instanceof Uint16Array, String(codes.Flag));
  assert.deepEqual(
    Array.from(codes.Flag),
    Array.from(column(o, "Flag").values as ArrayLike<number>),
  );
  assert.deepEqual(Array.from(codes.Flag, (c) => String.fromCharCode(c)), strings.Flag);
  assert.deepEqual(Array.from(codes.co2 as Float32Array), Array.from(strings.co2 as Float32Array));
  const table = await d.get(["co2"], { flags: "codes" });
  assert.equal(table.get("Flag", 0), "O".charCodeAt(0));
  const err = await d.getColumns(["co2"], { flags: "chars" as "codes" }).catch((e) => e);
  assert.ok(err instanceof UnknownValueError, String(err));
  assert.deepEqual(err.valid, ["strings", "codes"]);
});

Deno.test("Dobj.getColumns() reads ETC half-hourly data with local date-times and QC flags", async () => {
  const emu = await sharedEmulator();
  const o = etc(emu);
  const d = await client(emu).dobj(o.id);
  const c = await d.getColumns(["NEE_VUT_REF", "TIMESTAMP_END"], { offset: 10, length: 48 });
  assert.deepEqual(Object.keys(c).sort(), ["NEE_VUT_REF", "NEE_VUT_REF_QC", "TIMESTAMP_END"]);
  const end = column(o, "TIMESTAMP_END").values as ArrayLike<number>;
  assert.deepEqual(Array.from(c.TIMESTAMP_END as Float64Array), Array.from(end).slice(10, 58));
  const qc = c.NEE_VUT_REF_QC as string[];
  const nee = c.NEE_VUT_REF as Float32Array;
  qc.forEach((q, i) =>
    assert.equal(
      Number.isNaN(nee[i]),
      !["0", "1"].includes(q) ||
        Number.isNaN(Math.fround((column(o, "NEE_VUT_REF").values as ArrayLike<number>)[10 + i])),
    )
  );
});

Deno.test("Dobj.get() slices rows and CarbonPortal.batchGetColumns() loads one spec's objects", async () => {
  const emu = await sharedEmulator();
  const cp = client(emu);
  const o = gat2024(emu);
  const t = await (await cp.dobj(o.id)).get(["NbPoints"], { offset: 100, length: 5 });
  assert.deepEqual(
    Array.from(t.array("NbPoints") as ArrayLike<number>),
    Array.from(column(o, "NbPoints").values as ArrayLike<number>).slice(100, 105),
  );
  const co2 = emu.dataset.objects.filter((x) =>
    x.spec === "atcCo2L2DataObject" && !x.fileName.includes("2023")
  );
  const progress: number[] = [];
  const batch = await cp.batchGetColumns(co2.map((x) => x.id), {
    columns: ["co2"],
    concurrency: 2,
    onProgress: (n) => progress.push(n),
  });
  assert.deepEqual(batch.map((b) => b.dobj.id), co2.map((x) => x.id));
  assert.ok(batch.every((b) => (b.columns.co2 as Float32Array).length === 8760));
  assert.deepEqual(progress, co2.map((_, i) => i + 1));
  const ch4 = object(emu, (x) => x.spec === "atcCh4L2DataObject");
  await assert.rejects(cp.batchGetColumns([co2[0].id, ch4.id]), /common dataset specification/);
});

Deno.test("Dobj.getCsv() gets the portal's CSV rendering", async () => {
  const emu = await sharedEmulator();
  const o = gat2024(emu);
  const csv = await (await client(emu).dobj(o.id)).getCsv({
    columns: ["TIMESTAMP", "co2"],
    offset: 0,
    limit: 3,
  });
  const lines = csv.trim().split("\n");
  assert.equal(lines[0], "TIMESTAMP,co2");
  assert.equal(lines.length, 4);
  assert.match(lines[1], /^2022-01-01T00:00:00Z,/);
});

Deno.test("Dobj.download() verifies the file, refuses a corrupted body and resumes a dropped one", async () => {
  await using emu = await startEmulator();
  const dir = await Deno.makeTempDir({ prefix: "icoscp-emu-dl-" });
  try {
    const o = gat2024(emu);
    const d = await client(emu).dobj(o.id);
    const path = await d.download(join(dir, "ok"));
    assert.equal(path, join(dir, "ok", o.fileName));
    assert.equal((await Deno.stat(path)).size, o.size);

    emu.faults.add({ path: `/data/objects/${o.id}`, corruptBytes: 2, times: 1 });
    await assert.rejects(d.download(join(dir, "bad")), IntegrityError);
    assert.deepEqual([...Deno.readDirSync(join(dir, "bad"))], []);

    emu.faults.add({
      path: `/data/objects/${o.id}`,
      dropAfterBytes: Math.floor(o.size / 3),
      times: 2,
    });
    const resumed = await d.download(join(dir, "resumed"));
    assert.deepEqual(await Deno.readFile(resumed), await Deno.readFile(path));
    const stream = await new Response(d.fileStream()).arrayBuffer();
    assert.equal(stream.byteLength, o.size);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Data requests fail with typed errors for no login, no licence, a wrong password and an expired token", async () => {
  await using emu = await startEmulator({ tokenLifetime: 60_000 });
  const o = gat2024(emu);
  const anonymous = new CarbonPortal({ portal: emu.endpoints });
  await assert.rejects((await anonymous.dobj(o.id)).getColumns(["co2"]), AuthenticationError);
  const bob = client(emu, 1);
  await assert.rejects((await bob.dobj(o.id)).getColumns(["co2"]), (e) => {
    assert.ok(e instanceof LicenceError);
    assert.match(e.message, /Accepting data licence in your user profile is required/);
    return true;
  });
  await assert.rejects((await bob.dobj(o.id)).download(await Deno.makeTempDir()), LicenceError);
  const wrong = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: "nope" },
  });
  await assert.rejects((await wrong.dobj(o.id)).getColumns(["co2"]), AuthenticationError);
  // a token that the emulator already considers expired
  const res = await fetch(`${emu.endpoints.auth}/password/login`, {
    method: "POST",
    body: new URLSearchParams({ mail: emu.user, password: emu.password }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  await res.body?.cancel();
  const token = new CarbonPortal({ portal: emu.endpoints, auth: { token: cookie } });
  assert.equal((await (await token.dobj(o.id)).getColumns(["NbPoints"])).NbPoints.length, 8760);
  const short = await startEmulator({ tokenLifetime: 1 });
  try {
    const r = await fetch(`${short.endpoints.auth}/password/login`, {
      method: "POST",
      body: new URLSearchParams({ mail: short.user, password: short.password }),
    });
    const c = (r.headers.get("set-cookie") ?? "").split(";")[0];
    await r.body?.cancel();
    await new Promise((ok) => setTimeout(ok, 20));
    const expired = new CarbonPortal({ portal: short.endpoints, auth: { token: c } });
    await assert.rejects((await expired.dobj(o.id)).getColumns(["NbPoints"]), /expired/);
    const relogin = new CarbonPortal({
      portal: short.endpoints,
      auth: { user: short.user, password: short.password },
    });
    await assert.rejects((await relogin.dobj(o.id)).getColumns(["NbPoints"]), AuthenticationError);
  } finally {
    await short.close();
  }
});

Deno.test("Dobj.getColumns() with concurrency fetches row slices at once into the same arrays", async () => {
  await using emu = await startEmulator({ benchmarkRows: [1e6] });
  const o = object(emu, (x) => x.nRows === 1e6);
  const cp = client(emu);
  const d = await cp.dobj(o.id);
  const requests: number[] = [];
  const counting = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
    fetch: (input, init) => {
      if (String(input).endsWith("/cpb")) requests.push(1);
      return fetch(input, init);
    },
  });
  const one = await d.getColumns(undefined, { keepBadData: true });
  const parts = await (await counting.dobj(o.id)).getColumns(undefined, {
    keepBadData: true,
    concurrency: 3,
  });
  assert.equal(requests.length, 3);
  // element by element: assert.deepEqual is far too slow for a million rows
  const same = (a: ArrayLike<unknown>, b: ArrayLike<unknown>) =>
    a.length === b.length && Array.prototype.every.call(a, (v, i) => Object.is(v, b[i]));
  assert.deepEqual(Object.keys(parts), Object.keys(one));
  for (const k of Object.keys(one)) assert.ok(same(parts[k], one[k]), k);
  const sliced = await d.getColumns(["co2"], {
    offset: 1000,
    length: 600_000,
    concurrency: 2,
    keepBadData: true,
  });
  assert.ok(same(sliced.co2, (one.co2 as Float32Array).subarray(1000, 601_000)));
});

Deno.test("Dobj.getColumns({ onProgress }) counts the bytes as they arrive, row slices and a resumed body included", async () => {
  await using emu = await startEmulator({ benchmarkRows: [1e6] });
  const o = object(emu, (x) => x.nRows === 1e6);
  const d = await client(emu).dobj(o.id);
  const expected = 1e6 * (8 + 4 + 2); // TIMESTAMP double, co2 float, Flag char
  for (const concurrency of [1, 3]) {
    // the first /cpb answer breaks after a third of its bytes: only the rest is asked again
    emu.faults.add({ path: "/data/cpb", dropAfterBytes: 1_000_000, times: 1 });
    const seen: { received: number; total: number | undefined }[] = [];
    const cols = await d.getColumns(undefined, {
      keepBadData: true,
      concurrency,
      onProgress: (p) => seen.push({ ...p }),
    });
    assert.equal(cols.co2.length, 1e6);
    assert.ok(seen.length > 3, `${seen.length} reports`);
    assert.ok(seen.every((p) => p.total === expected), "the total is known from the start");
    assert.ok(seen.every((p, i) => i === 0 || p.received >= seen[i - 1].received), "never back");
    assert.equal(seen.at(-1)!.received, expected, `concurrency ${concurrency}`);
  }
  // co2 brings its flag column: 10 rows × (4 + 2) bytes
  const t = await d.get(["co2"], { length: 10, onProgress: (p) => assert.equal(p.total, 60) });
  assert.equal(t.numRows(), 10);
});
