// The portal's SPARQL quotas: the emulator refuses as the portal does, the
// client turns the refusal into a QuotaExceededError with the wait (without
// retrying it), holds back a query that would spend its own account, and a
// repeated search costs no query at all.

import assert from "node:assert/strict";
import { CarbonPortal, QuotaExceededError } from "../../mod.ts";
import { searchStats } from "../../src/search/mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { PORTAL_LIMITS, QuotaGate } from "../../src/search/_quota.ts";

Deno.test("quota: the emulator's per-minute refusal is a QuotaExceededError, never retried", async () => {
  await using emu = await startEmulator({ sparqlQuota: { perMinute: 0.000001 } });
  let requests = 0;
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    retry: { minDelay: 1 },
    fetch: (input, init) => {
      requests++;
      return fetch(input, init);
    },
  });
  await cp.sparql.select("select ?s where { ?s ?p ?o } limit 1");
  const before = requests;
  const err = await cp.sparql.select("select ?s where { ?s ?p ?o } limit 1").then(
    () => undefined,
    (e) => e,
  );
  assert.ok(err instanceof QuotaExceededError, String(err));
  assert.equal(err.limit, "minute");
  assert.equal(err.waitMs, 60_000);
  assert.equal(requests, before + 1);
});

Deno.test("quota: an overflowing queue bans the client for 10 minutes with the portal's answer", async () => {
  // one query at a time, two may wait: the fourth at once overflows the queue
  await using emu = await startEmulator({
    sparqlQuota: { parallel: 1, queue: 2 },
    sparqlTimeout: 500,
  });
  const slow = "select (count(*) as ?n) where { ?s ?p ?o . ?s2 ?p ?o2 } ";
  const answers = await Promise.all(
    [1, 2, 3, 4, 5].map((i) =>
      fetch(emu.endpoints.sparql, { method: "POST", body: slow + "#" + i }).then(async (r) => ({
        status: r.status,
        text: await r.text(),
      }))
    ),
  );
  // the waiting ones never ran: cancelled at the time limit, as the portal cancels them
  assert.ok(
    answers.filter((a) => a.status === 400 && a.text === "SPARQL execution timeout").length >= 2,
    JSON.stringify(answers),
  );
  const banned = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: "select * { ?s ?p ?o } limit 1",
  });
  assert.equal(banned.status, 503);
  const text = await banned.text();
  const until = /^You are banned for service overuse until (\d{4}-\d\d-\d\dT[\d:.]+Z)$/.exec(text)
    ?.[1];
  assert.ok(until, text);
  const left = Date.parse(until) - Date.now();
  assert.ok(left > 9 * 60_000 && left <= 10 * 60_000, String(left));
  // the client's error carries the wait, and the refusal is not retried
  let requests = 0;
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    retry: { minDelay: 1 },
    fetch: (input, init) => {
      requests++;
      return fetch(input, init);
    },
  });
  const err = await cp.sparql.select("select ?s where { ?s ?p ?o } limit 1").catch((e) => e);
  assert.ok(err instanceof QuotaExceededError, String(err));
  assert.equal(err.limit, "ban");
  assert.ok(err.waitMs > 9 * 60_000 && err.waitMs <= 10 * 60_000, String(err.waitMs));
  assert.equal(requests, 1);
});

Deno.test("quota: concurrent searches of one client never queue at the portal (so never get banned)", async () => {
  // four at once, no queue: a fifth query in flight would ban the client
  await using emu = await startEmulator({ objects: 1200, sparqlQuota: { parallel: 4, queue: 0 } });
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const dois = emu.dataset.collections.map((c) => c.doi).filter((d) => d) as string[];
  assert.ok(dois.length >= 8, String(dois.length));
  // each search looks its collection up in the store (slow queries, one at a time there)
  const results = await Promise.all(
    dois.map((doi) => cp.search({ collection: doi }, { limit: 5, cacheTtl: 0 })),
  );
  for (const r of results) assert.ok(r.total! > 0);
  const after = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: "select * { ?s ?p ?o } limit 1",
  });
  await after.body?.cancel();
  assert.equal(after.status, 200);
});

Deno.test("quota: the client holds back a query its own account says would spend the minute", async () => {
  let t = 0;
  const gate = new QuotaGate(PORTAL_LIMITS, () => t);
  for (let i = 0; i < 2; i++) {
    await gate.run("q", "u", () => {
      t += 9_000; // two slow queries: 18 of the 20 s of the minute
      return Promise.resolve();
    });
  }
  t += 1_000;
  const err = await gate.run("q", "u", () => Promise.resolve()).catch((e) => e);
  assert.ok(err instanceof QuotaExceededError);
  assert.equal(err.limit, "minute");
  assert.equal(err.waitMs, 41_000);
  t += 41_000;
  await gate.run("q", "u", () => Promise.resolve());
});

Deno.test("quota: a repeated search costs no query; paging stays under the parallel limit", async () => {
  await using emu = await startEmulator({ objects: 400, sparqlQuota: { parallel: 4 } });
  // rounds: queries sent while none was in flight (each a round trip the search waits for)
  let inFlight = 0;
  let rounds = 0;
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    fetch: async (input, init) => {
      if (inFlight++ === 0) rounds++;
      try {
        const res = await fetch(input, init);
        return new Response(await res.arrayBuffer(), res);
      } finally {
        inFlight--;
      }
    },
  });
  const first = await cp.search({ theme: "atmosphere" }, { limit: 10 });
  // specs, stations, the page, the facets, the newest submission (for the cache), once each,
  // in two rounds: the two lists together, then the other three together
  const sent = searchStats(cp).queries;
  assert.equal(sent, 5);
  assert.equal(rounds, 2);
  const again = await cp.search({ theme: "AS" }, { limit: 10 });
  assert.equal(searchStats(cp).queries, sent);
  assert.deepEqual(again.objects.array("uri"), first.objects.array("uri"));
  let n = 0;
  for await (const page of first.pages({ pageSize: 50 })) n += page.objects.numRows();
  assert.equal(n, first.total);
  assert.ok(searchStats(cp).minute < PORTAL_LIMITS.quotaPerMinute);
});
