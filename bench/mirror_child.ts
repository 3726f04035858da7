// Child of bench/mirror_peer.ts: mirrors the pids of a JSON file from an
// emulator into a folder, counting requests and body bytes, and prints one
// JSON line: seconds, objects, fetched, requests, bytes, peak RSS (VmHWM),
// CPU seconds of this process, and when each phase began (seconds).
// With `fetch` as fifth argument it only fetches what the mirror fetches
// (each object's metadata, then its columns; `concurrency` objects at once)
// and writes nothing: the same run's floor for the mirror. With `plain` it
// runs no library code: the runtime's `fetch` and `json()` of each object's
// metadata document, twice (as many requests as the mirror makes: two an
// object), the runtime's own memory floor.
// Usage: mirror_child.ts <emulator.json> <pids.json> <out> <concurrency> [fetch|plain]
import { CarbonPortal } from "../mod.ts";

const [emuFile, pidsFile, out, concurrency, mode] = Deno.args;
const emu = JSON.parse(await Deno.readTextFile(emuFile));
const pids = JSON.parse(await Deno.readTextFile(pidsFile)) as string[];
let requests = 0;
let bytes = 0;
// requests in flight over time, and the time to each response's headers:
// `x limit` = (mean response time / latency) x (concurrency / mean in flight)
let inflight = 0;
let inflightArea = 0; // in-flight requests x ms
let lastChange = performance.now();
let waited = 0; // ms from request to headers, summed
const change = (d: number) => {
  const now = performance.now();
  inflightArea += inflight * (now - lastChange);
  lastChange = now;
  inflight += d;
};
const cp = new CarbonPortal({
  portal: emu.endpoints,
  auth: { user: emu.user, password: emu.password },
  fetch: async (input, init) => {
    requests++;
    const t = performance.now();
    change(+1);
    try {
      const res = await fetch(input, init);
      bytes += Number(res.headers.get("content-length") ?? 0);
      return res;
    } finally {
      waited += performance.now() - t;
      change(-1);
    }
  },
});
/** User + system CPU seconds of this process (from /proc; 0 elsewhere). */
async function cpuSeconds(): Promise<number> {
  const stat = await Deno.readTextFile("/proc/self/stat").catch(() => "");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11] ?? 0) + Number(f[12] ?? 0)) / 100; // clock ticks (USER_HZ 100)
}
const cpu0 = await cpuSeconds();
const t0 = performance.now();
const phases: Record<string, number> = {};
async function fetchOnly(): Promise<
  { objects: number; fetched: number; rows: number; bytes: number }
> {
  let next = 0;
  let rows = 0;
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (next < pids.length) {
        const d = await cp.dobj(pids[next++]);
        const cols = await d.getColumns();
        rows += Object.values(cols)[0]?.length ?? 0;
      }
    }),
  );
  return { objects: pids.length, fetched: pids.length, rows, bytes: 0 };
}
/** The runtime alone: plain `fetch` and `json()` of each metadata document, twice. */
async function plainFetch(): Promise<
  { objects: number; fetched: number; rows: number; bytes: number }
> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (next < pids.length) {
        const id = pids[next++].split("/").at(-1);
        for (let k = 0; k < 2; k++) {
          const res = await fetch(`${emu.endpoints.meta}/objects/${id}`, {
            headers: { accept: "application/json" },
          });
          if (!res.ok) throw new Error(`metadata of ${id}: HTTP ${res.status}`);
          requests++;
          await res.json();
        }
      }
    }),
  );
  return { objects: pids.length, fetched: pids.length, rows: 0, bytes: 0 };
}
const r = mode === "fetch"
  ? await fetchOnly()
  : mode === "plain"
  ? await plainFetch()
  : await cp.mirror(pids, {
    out,
    concurrency: Number(concurrency),
    onProgress: (p) => phases[p.phase] ??= (performance.now() - t0) / 1000,
  });
const seconds = (performance.now() - t0) / 1000;
change(0);
const cpu = await cpuSeconds() - cpu0;
const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
console.log(
  JSON.stringify({
    seconds,
    objects: r.objects,
    fetched: r.fetched,
    requests,
    bytes,
    rss: hwm,
    rows: r.rows,
    parquet: r.bytes,
    cpu,
    phases,
    meanInflight: inflightArea / (seconds * 1000),
    meanResponseMs: waited / requests,
  }),
);
