// The emulator as a local service others can reach: CORS for loopback pages
// only, a time limit on SPARQL queries that does not block other requests,
// and a bounded anonymous usage log.

import assert from "node:assert/strict";
import { startEmulator } from "../mod.ts";

Deno.test("startEmulator() allows CORS with credentials for loopback origins only", async () => {
  await using emu = await startEmulator();
  const ask = async (origin: string, method = "GET") => {
    const res = await fetch(`${emu.endpoints.auth}/whoami`, {
      method,
      headers: {
        origin,
        ...(method === "OPTIONS" ? { "access-control-request-method": "GET" } : {}),
      },
    });
    await res.body?.cancel();
    return [
      res.headers.get("access-control-allow-origin"),
      res.headers.get("access-control-allow-credentials"),
    ];
  };
  for (const origin of ["http://127.0.0.1:9999", "http://localhost:8000", "http://[::1]:3000"]) {
    assert.deepEqual(await ask(origin), [origin, "true"], origin);
    assert.deepEqual(await ask(origin, "OPTIONS"), [origin, "true"], origin);
  }
  for (
    const origin of [
      "https://evil.example",
      "http://127.0.0.1.evil.example",
      "http://localhost.evil.example:8000",
      "null",
      "file://",
    ]
  ) {
    assert.deepEqual(await ask(origin), [null, null], origin);
    assert.deepEqual(await ask(origin, "OPTIONS"), [null, null], origin);
  }
});

Deno.test("startEmulator() stops a SPARQL query past its time limit, serving other requests meanwhile", async () => {
  await using emu = await startEmulator({ sparqlTimeout: 1000 });
  const sparql = (query: string) =>
    fetch(emu.endpoints.sparql, {
      method: "POST",
      body: query,
      headers: { accept: "application/json" },
    });
  // warm: the store is in the worker
  const warm = await sparql("select ?s where { ?s ?p ?o } limit 1");
  assert.equal(warm.status, 200);
  await warm.body?.cancel();
  const order: string[] = [];
  const heavy = sparql(
    "select (count(*) as ?n) where { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
  ).then((r) => (order.push("heavy"), r));
  // another request while the heavy query runs: answered first, whatever the load
  const landing = await fetch(`${emu.endpoints.meta}/objects/${emu.dataset.objects[0].id}`, {
    headers: { accept: "application/json" },
  });
  order.push("landing");
  assert.equal(landing.status, 200);
  await landing.body?.cancel();
  const res = await heavy;
  // stopped at its limit (a query left to finish would answer 200 with its count)
  assert.equal(res.status, 400);
  assert.equal(await res.text(), "SPARQL execution timeout");
  assert.deepEqual(order, ["landing", "heavy"]);
  // the endpoint works after the stop
  const after = await sparql("select ?s where { ?s ?p ?o } limit 1");
  assert.equal(after.status, 200);
  assert.equal((await after.json()).results.bindings.length, 1);
});

Deno.test("startEmulator() keeps a bounded usage log", async () => {
  await using emu = await startEmulator();
  const post = async (k: number) => {
    const res = await fetch(`${emu.endpoints.auth}/logs/portaluse`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ k }),
    });
    assert.equal(await res.text(), "OK");
  };
  for (let k = 0; k < 1010; k += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, i) => post(k + i)));
  }
  assert.equal(emu.portalUse.length, 1000);
  assert.ok(emu.portalUse.some((e) => (e as { k: number }).k === 1009));
  assert.ok(!emu.portalUse.some((e) => (e as { k: number }).k === 0), "the oldest go");
  await using small = await startEmulator({ portalUseLimit: 3 });
  for (let k = 0; k < 5; k++) {
    await (await fetch(`${small.endpoints.auth}/logs/portaluse`, {
      method: "POST",
      body: JSON.stringify({ k }),
    })).body?.cancel();
  }
  assert.deepEqual(small.portalUse, [{ k: 2 }, { k: 3 }, { k: 4 }]);
});

/** Bytes written to the emulator by a raw HTTP/1.1 request, and the status line it answered. */
async function rawPost(
  url: string,
  headers: Record<string, string>,
  body: (write: (b: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<{ status: number; sent: number }> {
  const u = new URL(url);
  const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port) });
  const enc = new TextEncoder();
  let sent = 0;
  let answered = false;
  const reply = (async () => {
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf).catch(() => null);
    answered = true;
    return new TextDecoder().decode(buf.subarray(0, n ?? 0));
  })();
  const head = Object.entries({ host: u.host, connection: "close", ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`).join("");
  await conn.write(enc.encode(`POST ${u.pathname} HTTP/1.1\r\n${head}\r\n`));
  try {
    await body(async (b) => {
      if (answered) throw new Error("answered");
      await conn.write(b);
      sent += b.byteLength;
    });
  } catch { /* the server answered or closed: stop sending */ }
  const text = await reply;
  conn.close();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), sent };
}

Deno.test("startEmulator() caps every request body before reading it (issue 22)", async () => {
  await using emu = await startEmulator();
  const targets = [
    { url: `${emu.endpoints.auth}/logs/portaluse`, type: "application/json" },
    { url: `${emu.endpoints.auth}/password/login`, type: "application/x-www-form-urlencoded" },
    { url: emu.endpoints.sparql, type: "text/plain" },
  ];
  const MiB = new Uint8Array(1 << 20).fill(0x20);
  for (const t of targets) {
    // a declared 1 GB: refused before a byte is read
    const declared = await rawPost(t.url, {
      "content-type": t.type,
      "content-length": String(1e9),
    }, async (write) => {
      for (let i = 0; i < 4; i++) await write(MiB);
    });
    assert.equal(declared.status, 413, `${t.url} (Content-Length)`);
    // chunked, no length: refused once past the cap, the rest never read
    const chunked = await rawPost(t.url, {
      "content-type": t.type,
      "transfer-encoding": "chunked",
    }, async (write) => {
      const size = new TextEncoder().encode(`${MiB.byteLength.toString(16)}\r\n`);
      for (let i = 0; i < 64; i++) {
        await write(size);
        await write(MiB);
        await write(new TextEncoder().encode("\r\n"));
        await new Promise((r) => setTimeout(r, 5));
      }
      await write(new TextEncoder().encode("0\r\n\r\n"));
    });
    assert.equal(chunked.status, 413, `${t.url} (chunked)`);
    assert.ok(chunked.sent < 32 << 20, `${t.url}: ${chunked.sent} bytes sent before the answer`);
  }
  // small bodies still work
  const ok = await fetch(emu.endpoints.sparql, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "select ?s where { ?s ?p ?o } limit 1",
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});
