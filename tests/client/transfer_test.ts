// Transfers through the public API under network faults: timeouts that
// bound stalls but never progress, bodies dropped mid-way, bodies cut short
// with valid framing.

import assert from "node:assert/strict";
import {
  CarbonPortal,
  CarbonPortalError,
  NetworkError,
  TimeoutError,
  TruncatedDataError,
} from "../../mod.ts";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

function client(emu: Emulator, extra: Record<string, unknown> = {}) {
  const u = emu.users[0];
  return new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: u.email, password: u.password },
    retry: { minDelay: 1 },
    ...extra,
  });
}
const gat = (emu: Emulator) =>
  emu.dataset.objects.find((o) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!;

/** A response whose body sends `chunks` pieces `gap` ms apart, then stalls when `stall`. */
function trickle(text: string, chunks: number, gap: number, stall = false): Response {
  const bytes = new TextEncoder().encode(text);
  let k = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(c) {
        if (k === chunks) {
          if (stall) return new Promise(() => {}); // never answers
          c.close();
          return;
        }
        if (k > 0) await new Promise((r) => setTimeout(r, gap));
        const size = Math.ceil(bytes.length / chunks);
        c.enqueue(bytes.subarray(k * size, (k + 1) * size));
        k++;
      },
    }),
  );
}

Deno.test("timeout bounds the wait for headers and stalls, never a body that keeps arriving", async () => {
  const json = JSON.stringify({ values: Array.from({ length: 100 }, (_, i) => i) });
  // 12 chunks 25 ms apart: 275 ms of progress with a 100 ms timeout
  const slow = new CarbonPortal({
    timeout: 100,
    fetch: () => Promise.resolve(trickle(json, 12, 25)),
  });
  assert.deepEqual(await slow.fetchJson("http://127.0.0.1:1/x", "Slow JSON"), JSON.parse(json));

  let calls = 0;
  const stalled = new CarbonPortal({
    timeout: 60,
    retry: { minDelay: 1, retries: 2 },
    fetch: () => (calls++, Promise.resolve(trickle(json, 2, 5, true))),
  });
  const err = await stalled.fetchJson("http://127.0.0.1:1/x", "Stalled JSON").catch((e) => e);
  assert.ok(err instanceof TimeoutError, String(err));
  assert.match(err.message, /stalled: no data for 60 ms/);
  assert.equal(calls, 3, "a stalled idempotent body is tried again");

  // timeout 0: headers may take forever, but a stalled body still ends
  const zero = new CarbonPortal({ timeout: 0 });
  assert.equal(zero.idleTimeout, 60_000);
  const zeroStalled = new CarbonPortal({
    timeout: 0,
    idleTimeout: 40,
    retry: { retries: 0 },
    fetch: () => Promise.resolve(trickle(json, 1, 0, true)),
  });
  await assert.rejects(zeroStalled.fetchJson("http://127.0.0.1:1/x", "Stalled"), TimeoutError);
  assert.throws(() => new CarbonPortal({ idleTimeout: -1 }), InvalidArgumentError);
});

Deno.test("a body dropped mid-way is fetched again; when drops persist, a NetworkError", async () => {
  await using emu = await startEmulator();
  const cp = client(emu);
  const o = gat(emu);
  emu.faults.add({ path: `/meta/objects/${o.id}`, dropAfterBytes: 200, times: 1 });
  const d = await cp.dobj(o.id);
  assert.equal(d.id, o.id);
  emu.faults.add({ path: `/meta/objects/${o.id}`, dropAfterBytes: 200 });
  const err = await cp.dobj(o.id).catch((e) => e);
  assert.ok(err instanceof NetworkError, String(err));
  assert.match(err.message, /connection lost after \d+ bytes/);
  emu.faults.clear();

  // cpb: resumed by row offset, the values equal an undisturbed read
  const whole = await d.getColumns(["co2", "TIMESTAMP"]);
  const sent: { columnNumbers: number[]; slice?: { offset: number; length: number } }[] = [];
  const watched = await client(emu, {
    fetch: (input: string, init?: RequestInit) => {
      if (String(input).endsWith("/cpb")) sent.push(JSON.parse(String(init?.body)));
      return fetch(input, init);
    },
  }).dobj(o.id);
  emu.faults.add({ path: "/data/cpb", dropAfterBytes: 10_000, times: 2 });
  const resumed = await watched.getColumns(["co2", "TIMESTAMP"]);
  for (const k of Object.keys(whole)) {
    assert.deepEqual(
      Array.from(resumed[k] as ArrayLike<unknown>),
      Array.from(whole[k] as ArrayLike<unknown>),
      k,
    );
  }
  // resumed from the row where the body broke off, not from the start
  assert.ok(sent.length >= 3, JSON.stringify(sent));
  assert.equal(sent[0].slice, undefined);
  assert.ok(sent[1].slice!.offset > 0, JSON.stringify(sent[1]));
  emu.faults.clear();
  emu.faults.add({ path: "/data/cpb", dropAfterBytes: 0 });
  const lost = await d.getColumns(["co2"]).catch((e) => e);
  assert.ok(lost instanceof NetworkError, String(lost));
  emu.faults.clear();

  // CSV: fetched again
  const csv = await d.getCsv({ columns: ["co2"], limit: 500 });
  emu.faults.add({ path: `/data/csv/${o.id}`, dropAfterBytes: 300, times: 1 });
  assert.equal(await d.getCsv({ columns: ["co2"], limit: 500 }), csv);
  emu.faults.clear();
  emu.faults.add({ path: `/data/csv/${o.id}`, dropAfterBytes: 300 });
  await assert.rejects(d.getCsv({ columns: ["co2"], limit: 500 }), NetworkError);
});

Deno.test("getCsv never returns a short table: cut bodies with valid framing are TruncatedDataError", async () => {
  await using emu = await startEmulator();
  const cp = client(emu);
  const o = gat(emu);
  const d = await cp.dobj(o.id);
  const full = await d.getCsv({ columns: ["co2"], offset: 10, limit: 200 });
  assert.equal(full.split("\n").length, 202);
  const lineEnd = full.indexOf("\n", 1000) + 1; // a cut at a line end looks complete
  for (
    const rule of [
      { truncateToBytes: lineEnd },
      { truncateToBytes: 1000 },
      { contentLengthDelta: -(full.length - lineEnd) },
    ]
  ) {
    emu.faults.clear();
    emu.faults.add({ path: `/data/csv/${o.id}`, ...rule });
    const err = await d.getCsv({ columns: ["co2"], offset: 10, limit: 200 }).catch((e) => e);
    assert.ok(err instanceof TruncatedDataError, `${JSON.stringify(rule)}: ${err}`);
    // once is retried
    emu.faults.clear();
    emu.faults.add({ path: `/data/csv/${o.id}`, ...rule, times: 1 });
    assert.equal(await d.getCsv({ columns: ["co2"], offset: 10, limit: 200 }), full);
  }
  // the stream reports it too
  emu.faults.clear();
  emu.faults.add({ path: `/data/csv/${o.id}`, truncateToBytes: lineEnd });
  const stream = await d.csvStream({ columns: ["co2"], offset: 10, limit: 200 });
  await assert.rejects(new Response(stream).text(), TruncatedDataError);
  assert.ok(CarbonPortalError);
});

Deno.test("a URL's user:password@ never appears in an error", async () => {
  await using emu = await startEmulator();
  const secret = "s3cr3t-pa55";
  const withCreds = (u: string) => u.replace("://", `://alice:${secret}@`);
  const seen: string[] = [];
  const record = (e: unknown) => {
    let x: unknown = e;
    while (x instanceof Error) {
      seen.push(
        `${x.name}: ${x.message} ${(x as { url?: string }).url ?? ""} ${
          (x as { body?: string }).body ?? ""
        }`,
      );
      x = x.cause;
    }
    return e;
  };
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    endpoints: { meta: withCreds(emu.endpoints.meta), data: withCreds(emu.endpoints.data) },
    retry: { retries: 0 },
    // a proxy that echoes the URL, in its failures and in its error pages
    fetch: async (input, init) => {
      const url = String(input);
      if (url.includes("echo")) throw new TypeError(`cannot reach ${url}`);
      if (url.includes("page")) return new Response(`No page at ${url}`, { status: 500 });
      return await fetch(url.replace(`alice:${secret}@`, ""), init);
    },
  });
  const o = gat(emu);
  const errors = [
    await cp.dobj("AAAAAAAAAAAAAAAAAAAAAAAA").catch(record),
    await cp.fetchJson(withCreds("http://127.0.0.1:1/echo"), "Echo").catch(record),
    await cp.fetchJson(withCreds("http://127.0.0.1:1/page"), "Page").catch(record),
    await (await cp.dobj(o.id)).getCsv().catch(record), // no login: 401
  ];
  assert.ok(errors.every((e) => e instanceof CarbonPortalError), String(errors));
  assert.ok(seen.length >= 5);
  for (const s of seen) assert.ok(!s.includes(secret), s);
  assert.ok(seen.some((s) => s.includes("alice") === false && s.includes("***@")), seen.join("\n"));
  assert.throws(
    () => new CarbonPortal({ endpoints: { meta: `ht tp://alice:${secret}@x` } }),
    (e: Error) => !e.message.includes(secret),
  );
});

Deno.test("a stalled error page does not hang: its body is read under the idle timeout too", async () => {
  let cancelled = false;
  const stalled = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode("Internal"));
    },
    pull: () => new Promise(() => {}),
    cancel: () => void (cancelled = true),
  });
  const cp = new CarbonPortal({
    timeout: 50,
    retry: { retries: 0 },
    fetch: () => Promise.resolve(new Response(stalled, { status: 500 })),
  });
  // the event: the client gives up on the body (cancels it) and answers; the
  // timer only keeps a regression from hanging the run, it asserts no speed
  let guard: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<string>((r) => (guard = setTimeout(() => r("hung"), 120_000)));
  const err = await Promise.race([
    cp.fetchJson("http://127.0.0.1:1/x", "Error page").catch((e) => e),
    hung,
  ]);
  clearTimeout(guard);
  assert.ok(err instanceof CarbonPortalError, String(err));
  assert.ok(cancelled, "the stalled body was cancelled");
});

/**
 * A fetch whose `/cpb` bodies stop sending after `after` bytes, for the first
 * `times` responses. A stalled body gives up with an error after 5 s, so a
 * client that does not notice the stall fails the test instead of hanging it.
 */
function stallingCpb(after: number, times: number) {
  let n = 0;
  return async (input: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(input, init);
    if (!String(input).endsWith("/cpb") || n++ >= times) return res;
    const bytes = new Uint8Array(await res.arrayBuffer());
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Response(
      new ReadableStream<Uint8Array>({
        start(c) {
          if (after > 0) c.enqueue(bytes.slice(0, after));
        },
        pull: () =>
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("the stalled body gave up after 5 s")), 5000);
          }),
        cancel: () => clearTimeout(timer),
      }),
      { status: res.status, headers: res.headers },
    );
  };
}

Deno.test("a /cpb body that stalls is resumed; when it keeps stalling, a TimeoutError, never a hang", async () => {
  await using emu = await startEmulator();
  const o = gat(emu);
  const whole = await (await client(emu).dobj(o.id)).getColumns(["co2", "TIMESTAMP"]);
  const once = await client(emu, { idleTimeout: 100, fetch: stallingCpb(5000, 1) }).dobj(o.id);
  const resumed = await once.getColumns(["co2", "TIMESTAMP"]);
  for (const k of Object.keys(whole)) {
    assert.deepEqual(
      Array.from(resumed[k] as Float64Array),
      Array.from(whole[k] as Float64Array),
      k,
    );
  }
  const always = await client(emu, { idleTimeout: 50, fetch: stallingCpb(0, Infinity) })
    .dobj(o.id);
  const err = await always.getColumns(["co2"]).catch((e) => e);
  assert.ok(err instanceof TimeoutError, String(err));
  assert.match(err.message, /stalled: no data for 50 ms after 0 bytes/);
});
