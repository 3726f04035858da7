import assert from "node:assert/strict";
import { decodeCpb } from "../../src/cpb/cpb.ts";
import { TruncatedDataError } from "../../src/errors.ts";
import { startEmulator } from "../mod.ts";
import { cpbBody, gatCo2, login } from "./_helpers.ts";

Deno.test("startEmulator() answers the 2nd request to /data/cpb with an injected 503", async () => {
  await using emu = await startEmulator({ faults: [{ path: "/data/cpb", nth: 2, status: 503 }] });
  const o = gatCo2(emu);
  const cookie = await login(emu);
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${emu.endpoints.data}/cpb`, {
      method: "POST",
      headers: { cookie },
      body: JSON.stringify(cpbBody(o, [4], { offset: 0, length: 2 })),
    });
    statuses.push(res.status);
    if (res.status === 503) assert.equal(await res.text(), "Injected fault: HTTP 503");
    else await res.body?.cancel();
  }
  assert.deepEqual(statuses, [200, 503, 200]);
});

Deno.test("startEmulator() delays responses by the injected latency", async () => {
  await using emu = await startEmulator();
  emu.faults.add({ path: /^\/meta\/sparql$/, method: "GET", latency: 40, times: 1 });
  const t0 = performance.now();
  const res = await fetch(
    `${emu.endpoints.sparql}?query=${encodeURIComponent("select * where {} limit 1")}`,
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.ok(performance.now() - t0 >= 40);
});

Deno.test("startEmulator() drops the connection mid-body when told to", async () => {
  await using emu = await startEmulator();
  const doc = emu.dataset.objects.find((o) => o.kind === "document")!;
  emu.faults.add({ path: "/data/objects/", dropAfterBytes: 10 });
  const res = await fetch(`${emu.endpoints.data}/objects/${doc.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), String(doc.size));
  await assert.rejects(res.arrayBuffer());
});

Deno.test("startEmulator() truncates bodies, which the cpb decoder reports as truncated", async () => {
  await using emu = await startEmulator({ faults: [{ path: "/data/cpb", truncateToBytes: 100 }] });
  const o = gatCo2(emu);
  const cookie = await login(emu);
  const res = await fetch(`${emu.endpoints.data}/cpb`, {
    method: "POST",
    headers: { cookie },
    body: JSON.stringify(cpbBody(o, [4])),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(bytes.length, 100);
  assert.throws(
    () =>
      decodeCpb(bytes, { columns: o.columns!.map((c) => c.type), size: o.nRows! }, {
        columnNumbers: [4],
      }),
    TruncatedDataError,
  );
});

Deno.test("startEmulator() sends a wrong Content-Length when told to", async () => {
  await using emu = await startEmulator();
  const doc = emu.dataset.objects.find((o) => o.kind === "document")!;
  const url = `${emu.endpoints.data}/objects/${doc.id}`;
  emu.faults.add({ path: "/data/objects/", nth: 1, contentLengthDelta: 25 });
  emu.faults.add({ path: "/data/objects/", nth: 2, contentLengthDelta: -6 });
  const longer = await fetch(url);
  assert.equal(longer.headers.get("content-length"), String(doc.size + 25));
  await assert.rejects(longer.arrayBuffer());
  const shorter = await fetch(url);
  assert.equal(shorter.headers.get("content-length"), String(doc.size - 6));
  assert.equal((await shorter.arrayBuffer()).byteLength, doc.size - 6);
  const fine = await fetch(url);
  assert.equal((await fine.arrayBuffer()).byteLength, doc.size);
});

Deno.test("startEmulator() lets faults be added and cleared at runtime", async () => {
  await using emu = await startEmulator();
  const url = `${emu.endpoints.data}/whoami`;
  emu.faults.add({ status: 500, body: "boom" });
  const bad = await fetch(url);
  assert.equal(bad.status, 500);
  assert.equal(await bad.text(), "boom");
  assert.equal(emu.faults.rules.length, 1);
  emu.faults.clear();
  const good = await fetch(url);
  assert.equal(good.status, 200);
  await good.body?.cancel();
  emu.faults.add({ method: "POST", status: 502 });
  const get = await fetch(url);
  assert.equal(get.status, 200);
  await get.body?.cancel();
  assert.throws(() => emu.faults.add({ latency: -1 }), RangeError);
});

Deno.test("startEmulator() corrupts bytes of a body, keeping its length, when told to", async () => {
  await using emu = await startEmulator({
    faults: [{ path: "/data/objects/", corruptBytes: 3, times: 1 }],
  });
  const doc = emu.dataset.objects.find((o) => o.kind === "document")!;
  const bad = new Uint8Array(
    await (await fetch(`${emu.endpoints.data}/objects/${doc.id}`)).arrayBuffer(),
  );
  const good = new Uint8Array(
    await (await fetch(`${emu.endpoints.data}/objects/${doc.id}`)).arrayBuffer(),
  );
  assert.equal(bad.length, good.length);
  assert.equal(good.length, doc.size);
  assert.equal(bad.filter((b, i) => b !== good[i]).length, 3);
});
