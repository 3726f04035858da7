// Child of bench/mirror_peer.ts: mirrors the pids of a JSON file from an
// emulator into a folder, counting requests and body bytes, and prints one
// JSON line: seconds, objects, fetched, requests, bytes, peak RSS (VmHWM).
// Usage: mirror_child.ts <emulator.json> <pids.json> <out> <concurrency>
import { CarbonPortal } from "../mod.ts";

const [emuFile, pidsFile, out, concurrency] = Deno.args;
const emu = JSON.parse(await Deno.readTextFile(emuFile));
const pids = JSON.parse(await Deno.readTextFile(pidsFile)) as string[];
let requests = 0;
let bytes = 0;
const cp = new CarbonPortal({
  portal: emu.endpoints,
  auth: { user: emu.user, password: emu.password },
  fetch: async (input, init) => {
    requests++;
    const res = await fetch(input, init);
    bytes += Number(res.headers.get("content-length") ?? 0);
    return res;
  },
});
const t0 = performance.now();
const r = await cp.mirror(pids, { out, concurrency: Number(concurrency) });
const seconds = (performance.now() - t0) / 1000;
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
  }),
);
