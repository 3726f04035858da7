import assert from "node:assert/strict";
import { decodeCpb } from "../../src/cpb/cpb.ts";
import { type Emulator, objectIdOf, startEmulator } from "../mod.ts";
import { cpbBody, gatCo2, login } from "./_helpers.ts";

const post = (url: string, body: unknown, cookie?: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/**
 * One emulator for the tests that only read (the licence test, which accepts a
 * licence, starts its own): started on first use, closed when the tests end.
 */
let shared: Promise<Emulator> | undefined;
function sharedEmulator(): Promise<Emulator> {
  if (!shared) {
    shared = startEmulator();
    globalThis.addEventListener("unload", () => void shared!.then((e) => e.close()));
  }
  return shared;
}

Deno.test("startEmulator() serves /cpb columns, in the requested order, for a slice", async () => {
  const emu = await sharedEmulator();
  const o = gatCo2(emu);
  const cookie = await login(emu);
  const labels = o.columns!.map((c) => c.label);
  assert.deepEqual(labels, ["Flag", "NbPoints", "Stdev", "TIMESTAMP", "co2"]);
  const all = await post(`${emu.endpoints.data}/cpb`, cpbBody(o), cookie);
  assert.equal(all.status, 200);
  assert.equal(all.headers.get("content-type"), "application/octet-stream");
  assert.equal(all.headers.get("content-length"), String(8760 * (2 + 4 + 4 + 8 + 4)));
  const schema = { columns: o.columns!.map((c) => c.type), size: o.nRows!, labels };
  const cols = decodeCpb(new Uint8Array(await all.arrayBuffer()), schema);
  assert.deepEqual(cols.co2, o.columns![4].values);
  assert.equal(
    new Date((cols.TIMESTAMP as Float64Array)[0]).toISOString(),
    "2022-01-01T00:00:00.000Z",
  );
  const slice = { offset: 100, length: 3 };
  const some = await post(`${emu.endpoints.data}/cpb`, cpbBody(o, [4, 0], slice), cookie);
  const part = decodeCpb(new Uint8Array(await some.arrayBuffer()), schema, {
    columnNumbers: [4, 0],
    slice,
  });
  assert.deepEqual(
    Array.from(part.co2 as Float32Array),
    Array.from(o.columns![4].values.subarray(100, 103)),
  );
  assert.deepEqual(Object.keys(part), ["co2", "Flag"]);
});

Deno.test("startEmulator() answers /cpb without login 401, without licence 403, bad bodies 400", async () => {
  const emu = await sharedEmulator();
  const o = gatCo2(emu);
  const url = `${emu.endpoints.data}/cpb`;
  const anon = await post(url, cpbBody(o));
  assert.equal(anon.status, 401);
  assert.equal(await anon.text(), "ICOS data portal login is required for binary downloads");
  const bob = await post(url, cpbBody(o), await login(emu, 1));
  assert.equal(bob.status, 403);
  assert.equal(
    await bob.text(),
    "Accepting data licence in your user profile is required for binary downloads",
  );
  const cookie = await login(emu);
  const bad = await post(url, "{not json", cookie);
  assert.equal(bad.status, 400);
  assert.equal(await bad.text(), "Expected a proper binary table request");
  const str = await post(url, { ...cpbBody(o), schema: { columns: ["STRING"], size: 1 } }, cookie);
  assert.equal(str.status, 500);
  await str.body?.cancel();
  const wrongFolder = await post(url, { ...cpbBody(o), subFolder: "netcdf" }, cookie);
  assert.equal(wrongFolder.status, 500);
  await wrongFolder.body?.cancel();
});

Deno.test("startEmulator() serves /csv with the portal's value formatting and file name", async () => {
  const emu = await sharedEmulator();
  const o = gatCo2(emu);
  const cookie = await login(emu);
  const url = `${emu.endpoints.data}/csv/${o.id}`;
  const res = await fetch(`${url}?col=TIMESTAMP&col=co2&col=Flag&offset=0&limit=3`, {
    headers: { cookie },
  });
  assert.equal(res.headers.get("content-type"), "text/csv; charset=UTF-8");
  assert.equal(
    res.headers.get("content-disposition"),
    `attachment; filename="${o.fileName.replace(/\.zip$/, "")}_3_cols_offset_0_limit_3.csv"`,
  );
  const lines = (await res.text()).trim().split("\n");
  assert.equal(lines[0], "TIMESTAMP,co2,Flag");
  assert.equal(lines.length, 4);
  const [t, v, f] = lines[1].split(",");
  assert.equal(t, "2022-01-01T00:00:00Z");
  const co2 = o.columns!.find((c) => c.label === "co2")!.values[0];
  assert.equal(Math.fround(Number(v)), co2);
  assert.equal(f, String.fromCharCode(o.columns!.find((c) => c.label === "Flag")!.values[0]));
  const all = await fetch(url, { headers: { cookie } });
  assert.equal((await all.text()).trim().split("\n").length, 8761);
  const anon = await fetch(url);
  assert.equal(anon.status, 401);
  assert.equal(await anon.text(), "ICOS data portal login is required for CSV downloads");
  const bob = await fetch(url, { headers: { cookie: await login(emu, 1) } });
  assert.equal(bob.status, 403);
  assert.equal(
    await bob.text(),
    "Accepting data licence in your user profile is required for CSV downloads",
  );
});

Deno.test("startEmulator() serves original files whose SHA-256 gives their id", async () => {
  const emu = await sharedEmulator();
  const cookie = await login(emu);
  for (const o of emu.dataset.objects) {
    const res = await fetch(`${emu.endpoints.data}/objects/${o.id}`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-disposition"), `attachment; filename="${o.fileName}"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(bytes.length, o.size);
    assert.equal(await objectIdOf(bytes), o.id);
  }
});

Deno.test("startEmulator() redirects ICOS-licensed downloads to /licence unless the licence is accepted", async () => {
  await using emu = await startEmulator();
  const o = gatCo2(emu);
  const url = `${emu.endpoints.data}/objects/${o.id}`;
  for (const cookie of [undefined, await login(emu, 1)]) {
    const res = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
    assert.equal(res.status, 302);
    const location = res.headers.get("location")!;
    assert.equal(
      location,
      `${emu.endpoints.data}/licence?ids=${encodeURIComponent(JSON.stringify([o.hash]))}`,
    );
    assert.match(await res.text(), /licence/);
  }
  const page = await fetch(`${emu.endpoints.data}/licence`);
  assert.match(await page.text(), /CC BY 4\.0/);
  const accept = await fetch(
    `${emu.endpoints.data}/licence_accept?ids=${encodeURIComponent(JSON.stringify([o.hash]))}`,
    {
      redirect: "manual",
    },
  );
  await accept.body?.cancel();
  assert.equal(accept.status, 302);
  const licenceCookie = accept.headers.get("set-cookie")!.split(";")[0];
  const ok = await fetch(url, { headers: { cookie: licenceCookie } });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("startEmulator() lets anyone download CC0 objects and documents", async () => {
  const emu = await sharedEmulator();
  for (const o of emu.dataset.objects.filter((x) => x.licence === "cc0")) {
    const res = await fetch(`${emu.endpoints.data}/objects/${o.id}`);
    assert.equal(res.status, 200);
    assert.equal((await res.arrayBuffer()).byteLength, o.size);
  }
  const nc = emu.dataset.objects.find((o) => o.fileName.endsWith(".nc"))!;
  const head = await fetch(`${emu.endpoints.data}/objects/${nc.id}`, { method: "HEAD" });
  assert.equal(head.headers.get("content-type"), "application/x-netcdf");
  assert.equal(head.headers.get("content-length"), String(nc.size));
  const bytes = nc.file();
  assert.deepEqual(Array.from(bytes.subarray(0, 4)), [0x43, 0x44, 0x46, 0x01]);
});

Deno.test("startEmulator() honours Range requests with 206 and Content-Range, 416 when unsatisfiable", async () => {
  const emu = await sharedEmulator();
  const doc = emu.dataset.objects.find((o) => o.kind === "document")!;
  const url = `${emu.endpoints.data}/objects/${doc.id}`;
  const full = doc.file();
  const part = await fetch(url, { headers: { range: "bytes=10-19" } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 10-19/${full.length}`);
  assert.deepEqual(new Uint8Array(await part.arrayBuffer()), full.subarray(10, 20));
  const tail = await fetch(url, { headers: { range: "bytes=-5" } });
  assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), full.subarray(full.length - 5));
  const open = await fetch(url, { headers: { range: `bytes=${full.length - 3}-` } });
  assert.equal(
    open.headers.get("content-range"),
    `bytes ${full.length - 3}-${full.length - 1}/${full.length}`,
  );
  await open.body?.cancel();
  const bad = await fetch(url, { headers: { range: `bytes=${full.length}-` } });
  assert.equal(bad.status, 416);
  assert.equal(bad.headers.get("content-range"), `bytes */${full.length}`);
  await bad.body?.cancel();
  assert.equal(part.headers.get("accept-ranges"), "bytes");
});

Deno.test("startEmulator() serves downloads at the landing-page path icoscp_core derives, and 404 for unknown ids", async () => {
  const emu = await sharedEmulator();
  const doc = emu.dataset.objects.find((o) => o.kind === "document")!;
  const res = await fetch(`${emu.endpoints.data}/meta/objects/${doc.id}`);
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const none = await fetch(`${emu.endpoints.data}/objects/AAAAAAAAAAAAAAAAAAAAAAAA`);
  assert.equal(none.status, 404);
  await none.body?.cancel();
  const legacy = await fetch(`${emu.endpoints.data}/portal/tabular`, { method: "POST" });
  assert.equal(legacy.status, 404);
  assert.match(await legacy.text(), /^Legacy binary access has been discontinued/);
});
