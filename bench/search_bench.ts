// deno bench: a search over a generated catalogue of 50 000 objects (set
// ICOSCP_BENCH_OBJECTS to change it) on the emulator — the first page with
// facets and total by cp.search, next to the same answer the icoscp_core way
// (list_data_objects' query, pages of 10 000 over every match, facets counted
// on the client). Both are answered by the emulator's data-object index, as
// the portal answers both from its own. Quotas are lifted in the emulator:
// the bench measures speed, the quota tests measure manners. At the end it
// prints each way's p50 and their ratio (same run).

import { CarbonPortal } from "../mod.ts";
import { startEmulator } from "../emulator/mod.ts";
import { listDataObjectsQuery } from "../src/sparql/queries.ts";

const n = Number(Deno.env.get("ICOSCP_BENCH_OBJECTS") ?? 50_000);
const t0 = performance.now();
const emu = await startEmulator({
  objects: n,
  sparqlQuota: { perMinute: 1e9, perHour: 1e9, parallel: 100 },
  sparqlTimeout: 120_000,
});
const started = performance.now() - t0;
const cp = new CarbonPortal({ portal: emu.endpoints, timeout: 300_000 });
const filters = { theme: "AS", level: 2 } as const;
// the first search right after the start: the vocabulary (two queries, cached for the client)
const limits = { quotaPerMinute: 1e9, quotaPerHour: 1e9, maxParallelQueries: 100 };
const t1 = performance.now();
const first = await cp.search(filters, { cacheTtl: 0, limits });
const firstMs = performance.now() - t1;
// then wait for the full store (parsed by the query worker after the start), so that its
// parsing does not share the CPU with the measured runs
await cp.sparql.select("select (count(*) as ?n) where { ?s ?p ?o }", { disableCache: true });
console.error(
  `emulator with ${emu.dataset.objects.length} objects started in ${
    (started / 1000).toFixed(1)
  } s; ` +
    `first search ${firstMs.toFixed(0)} ms later (${first.total} matches); ` +
    `full store ready ${((performance.now() - t0) / 1000).toFixed(1)} s after the start call`,
);
const R = `${emu.endpoints.metaInstancePrefix}resources/cpmeta/`;
const specs = [
  "atcCo2L2DataObject",
  "atcCh4L2DataObject",
  "atcN2oL2DataObject",
  "atcCoL2DataObject",
  "atcMtoL2DataObject",
].map((s) => R + s);

/** Milliseconds of each measured run, per way (warm-up runs left out). */
const samples = new Map<string, number[]>();
function timed(name: string, warmup: number, f: () => Promise<void>): () => Promise<void> {
  let calls = 0;
  return async () => {
    const t = performance.now();
    await f();
    if (calls++ >= warmup) samples.set(name, [...(samples.get(name) ?? []), performance.now() - t]);
  };
}
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const group = `search ${n} objects: first page of 20 + total + 8 facets`;
const SEARCH = "cp.search (2 queries, facets by the server)";
const CORE = "icoscp_core way (list every match, count on the client)";
Deno.bench(
  { name: SEARCH, group, baseline: true, n: 15, warmup: 2 },
  timed(SEARCH, 2, async () => {
    const r = await cp.search(filters, { cacheTtl: 0 });
    if (!(r.total! > 0)) throw new Error("nothing found");
  }),
);
Deno.bench({ name: "cp.search, repeated (local cache)", group, n: 15, warmup: 1 }, async () => {
  const r = await cp.search(filters);
  if (!(r.total! > 0)) throw new Error("nothing found");
});
Deno.bench(
  { name: CORE, group, n: 7, warmup: 1 },
  timed(CORE, 1, async () => {
    const counts = new Map<string, number>();
    let total = 0;
    for (let offset = 0;; offset += 10_000) {
      const r = await cp.sparql.select(listDataObjectsQuery({ specs, limit: 10_000, offset }), {
        disableCache: true,
      });
      for (const row of r.rows) {
        for (const k of ["spec", "station", "samplingHeight"]) {
          const v = row.terms[k]?.value;
          if (v !== undefined) counts.set(`${k}=${v}`, (counts.get(`${k}=${v}`) ?? 0) + 1);
        }
      }
      total += r.rows.length;
      if (r.rows.length < 10_000) break;
    }
    if (!(total > 0)) throw new Error("nothing found");
  }),
);
globalThis.addEventListener("unload", () => {
  const a = samples.get(SEARCH);
  const b = samples.get(CORE);
  if (a?.length && b?.length) {
    console.error(
      `p50 over ${n} objects: cp.search ${p50(a).toFixed(0)} ms (${a.length} runs), ` +
        `icoscp_core way ${p50(b).toFixed(0)} ms (${b.length} runs): ` +
        `${(p50(b) / p50(a)).toFixed(1)}× slower than cp.search`,
    );
  }
  void emu.close();
});
