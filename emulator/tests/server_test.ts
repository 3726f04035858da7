import assert from "node:assert/strict";
import { CarbonPortal } from "../../src/client/client.ts";
import { startEmulator } from "../mod.ts";

Deno.test("startEmulator() listens on a free loopback port and gives complete endpoints", async () => {
  await using emu = await startEmulator();
  assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const e = emu.endpoints;
  assert.equal(e.sparql, `${emu.url}/meta/sparql`);
  assert.equal(e.meta, `${emu.url}/meta`);
  assert.equal(e.metaInstancePrefix, `${emu.url}/meta/`);
  assert.equal(e.data, `${emu.url}/data`);
  assert.equal(e.auth, `${emu.url}/auth`);
  assert.equal(e.stilt, `${emu.url}/stilt/viewer`);
  assert.equal(e.tokenName, "cpauthToken");
  const cp = new CarbonPortal({ portal: e });
  assert.deepEqual(cp.endpoints, e);
  const page = await fetch(`${emu.url}/`);
  assert.match(await page.text(), /Carbon Portal emulator/);
});

Deno.test("startEmulator() answers unknown paths with 404 and can be closed twice", async () => {
  const emu = await startEmulator();
  const res = await fetch(`${emu.url}/nothing/here`);
  assert.equal(res.status, 404);
  assert.equal(await res.text(), "Not found: /nothing/here");
  await emu.close();
  await emu.close();
  await assert.rejects(fetch(`${emu.url}/`));
});

Deno.test("startEmulator() sends CORS headers that echo the Origin and answers preflights", async () => {
  await using emu = await startEmulator();
  const origin = "http://127.0.0.1:9999";
  const res = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: "select * where {?s ?p ?o} limit 1",
    headers: { origin },
  });
  await res.body?.cancel();
  assert.equal(res.headers.get("access-control-allow-origin"), origin);
  assert.equal(res.headers.get("access-control-allow-credentials"), "true");
  const pre = await fetch(`${emu.endpoints.data}/cpb`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
  await pre.body?.cancel();
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), origin);
  assert.match(pre.headers.get("access-control-allow-methods") ?? "", /POST/);
  assert.equal(pre.headers.get("access-control-allow-headers"), "content-type");
  const anon = await fetch(`${emu.url}/data/whoami`);
  await anon.body?.cancel();
  assert.equal(anon.headers.get("access-control-allow-origin"), "*");
});

Deno.test("startEmulator() rejects a bad port", async () => {
  await assert.rejects(startEmulator({ port: 70000 }), RangeError);
});

Deno.test("startEmulator() mounts the STILT viewer under /stilt/viewer/", async () => {
  await using emu = await startEmulator();
  const res = await fetch(`${emu.endpoints.stilt}/stationinfo`, {
    headers: { accept: "application/json" },
  });
  assert.equal(res.status, 200);
  const stations: { id: string }[] = await res.json();
  assert.ok(stations.some((s) => s.id === "GAT344"));
  const none = await fetch(`${emu.endpoints.stilt}/no-such-thing`);
  assert.equal(none.status, 404);
  await none.body?.cancel();
});
