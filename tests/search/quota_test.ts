// The portal's SPARQL quotas: the emulator refuses as the portal does, the
// client turns the refusal into a QuotaExceededError with the wait (without
// retrying it), holds back a query that would spend its own account, and a
// repeated search costs no query at all.

import assert from "node:assert/strict";
import { CarbonPortal, QuotaExceededError, searchStats } from "../../mod.ts";
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

Deno.test("quota: too many queries at once are refused with the portal's message", async () => {
  await using emu = await startEmulator({ sparqlQuota: { parallel: 1 } });
  const q = "select (count(*) as ?n) where { ?s ?p ?o . ?s2 ?p ?o2 } ";
  const answers = await Promise.all(
    [1, 2, 3].map((i) =>
      fetch(emu.endpoints.sparql, { method: "POST", body: q + "#" + i }).then(async (r) => ({
        status: r.status,
        text: await r.text(),
      }))
    ),
  );
  const refused = answers.filter((a) => a.status === 503);
  assert.ok(refused.length >= 1, JSON.stringify(answers.map((a) => a.status)));
  assert.match(refused[0].text, /You have \d+ running queries/);
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
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const first = await cp.search({ theme: "atmosphere" }, { limit: 10 });
  const sent = searchStats(cp).queries;
  const again = await cp.search({ theme: "AS" }, { limit: 10 });
  assert.equal(searchStats(cp).queries, sent);
  assert.deepEqual(again.objects.array("uri"), first.objects.array("uri"));
  let n = 0;
  for await (const page of first.pages({ pageSize: 50 })) n += page.objects.numRows();
  assert.equal(n, first.total);
  assert.ok(searchStats(cp).minute < PORTAL_LIMITS.quotaPerMinute);
});
