// The mirror at its limit: the emulator (in this process) answers every
// request after 50 ms, as a distant portal would; the mirror runs in a child
// process. Printed as one markdown table:
// - throughput against the pipeline's own limit: latency x requests /
//   concurrency (the run can not be faster than its round trips allow). On a
//   small loaded machine the emulator's answers take longer than the latency
//   (CPU), so the table also gives the same run's fetch-only floor: the same
//   requests at the same concurrency, nothing decoded into Parquet;
// - against the loop a Python user writes today (icoscp_core's
//   get_columns_as_arrays per object, then pandas to_parquet), same objects;
// - peak RSS for 300 and 3,000 objects (rows stream into row groups, so it
//   stays flat), beside the fetch-only floor's and that of the runtime alone
//   (plain `fetch` and `json()` of each object's metadata, twice: the
//   mirror's number of requests, no library code): the growth a mirror in
//   this runtime cannot go below.
// Usage: deno task bench:mirror [--latency 50] [--concurrency 16] [--sizes 300,3000] [--python-objects 300]
// Env: ICOSCP_PYTHON with icoscp_core, pandas and pyarrow.

import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : fallback;
}
const latency = Number(flag("--latency", "50"));
const concurrency = Number(flag("--concurrency", "16"));
const sizes = flag("--sizes", "300,3000").split(",").map(Number);
const pythonObjects = Number(flag("--python-objects", "300"));
const python = Deno.env.get("ICOSCP_PYTHON") ?? "python3";

interface ChildResult {
  seconds: number;
  objects: number;
  fetched: number;
  requests: number;
  bytes: number;
  rss: number;
  rows: number;
  cpu: number;
  phases: Record<string, number>;
  meanInflight: number;
  meanResponseMs: number;
}

/**
 * User + system CPU seconds of this process (the emulator's), from /proc (0
 * elsewhere). Deno reads /proc/<pid> only with --allow-all: `cat` reads it.
 */
async function cpuSeconds(): Promise<number> {
  const out = await new Deno.Command("cat", { args: [`/proc/${Deno.pid}/stat`], stdout: "piped" })
    .output().catch(() => undefined);
  const stat = out?.success ? new TextDecoder().decode(out.stdout) : "";
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11] ?? 0) + Number(f[12] ?? 0)) / 100; // clock ticks (USER_HZ 100)
}
const load = () => Deno.loadavg()[0].toFixed(1);

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args[0]}: ${new TextDecoder().decode(out.stderr).slice(-2000)}`);
  }
  return new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
}

const rows: string[] = [];
const fmt = (v: number, d = 2) => v.toFixed(d);
const rss: Record<number, { mirror: number; floor: number; plain: number }> = {};
const notes: string[] = [];
for (const n of sizes) {
  await using emu = await startEmulator({ objects: n, latency });
  const dir = await Deno.makeTempDir({ prefix: "icoscp-bench-mirror-" });
  try {
    const objs = emu.dataset.objects.filter((o) => o.kind === "data" && o.columns);
    const pids = objs.map((o) => `11676/${o.id}`);
    const emuFile = join(dir, "emu.json");
    await Deno.writeTextFile(
      emuFile,
      JSON.stringify({ endpoints: emu.endpoints, user: emu.user, password: emu.password }),
    );
    await Deno.writeTextFile(join(dir, "pids.json"), JSON.stringify(pids));
    /** One run of mirror_child.ts into `folder`: the mirror, or a floor (`fetch`, `plain`). */
    const child = async (folder: string, mode?: string) =>
      JSON.parse(
        await run(Deno.execPath(), [
          "run",
          "-A",
          new URL("./mirror_child.ts", import.meta.url).pathname,
          emuFile,
          join(dir, "pids.json"),
          join(dir, folder),
          String(concurrency),
          ...(mode ? [mode] : []),
        ]),
      ) as ChildResult;
    const emuCpu0 = await cpuSeconds();
    const ours = await child("out");
    const emuCpu = await cpuSeconds() - emuCpu0;
    notes.push(
      `${n} objects: load ${load()}; mirror CPU ${fmt(ours.cpu)} s, emulator CPU ${
        fmt(emuCpu)
      } s (of ${fmt(ours.seconds)} s); requests in flight ${
        fmt(ours.meanInflight, 1)
      } on average, response headers after ${
        fmt(ours.meanResponseMs, 0)
      } ms on average; phases began at ${
        Object.entries(ours.phases).map(([k, v]) => `${k} ${fmt(v)} s`).join(", ")
      }`,
    );
    const floor = await child("fetch-only", "fetch");
    const plain = await child("plain", "plain");
    rss[n] = { mirror: ours.rss, floor: floor.rss, plain: plain.rss };
    const limit = latency / 1000 * ours.requests / concurrency;
    let peer = "";
    let ratio = "";
    if (n <= pythonObjects) {
      const uris = objs.map((o) => `${emu.endpoints.metaInstancePrefix}objects/${o.id}`);
      await Deno.writeTextFile(join(dir, "uris.json"), JSON.stringify(uris));
      const py = JSON.parse(
        await run(python, [
          new URL("./mirror_peer.py", import.meta.url).pathname,
          emuFile,
          join(dir, "uris.json"),
          join(dir, "py"),
        ]),
      ) as { seconds: number; rows: number; cpu: number };
      notes.push(
        `${n} objects, icoscp_core loop: its CPU ${fmt(py.cpu)} s of ${fmt(py.seconds)} s`,
      );
      peer = fmt(py.seconds);
      ratio = fmt(ours.seconds / py.seconds, 3);
    }
    rows.push(
      `| ${n} objects | ${ours.objects} | ${fmt(ours.seconds)} | ${
        fmt(ours.objects / ours.seconds, 1)
      } | ${fmt(ours.bytes / 1e6 / ours.seconds, 2)} | ${ours.requests} | ${fmt(limit)} | ${
        fmt(ours.seconds / limit)
      } | ${fmt(floor.seconds)} | ${fmt(ours.seconds / floor.seconds)} | ${peer} | ${ratio} | ${
        fmt(ours.rss / 2 ** 20, 0)
      } | ${fmt(floor.rss / 2 ** 20, 0)} | ${fmt(plain.rss / 2 ** 20, 0)} |`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
console.log(`Mirror, emulator latency ${latency} ms per request, concurrency ${concurrency}\n`);
console.log(
  "| case | objects | seconds | objects/s | MB/s | requests | limit s | x limit | fetch-only s | x fetch-only | icoscp_core loop s | ours / icoscp_core loop | peak RSS MB | fetch-only peak RSS MB | plain fetch peak RSS MB |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
if (sizes.length >= 2) {
  const [a, b] = [sizes[0], sizes.at(-1)!];
  const r = (k: "mirror" | "floor" | "plain") => fmt(rss[b][k] / rss[a][k], 3);
  console.log(
    `\nPeak RSS ${b} / ${a} objects: ${r("mirror")} (fetch-only ${r("floor")}, plain fetch ${
      r("plain")
    }); mirror / fetch-only: ${fmt(rss[a].mirror / rss[a].floor, 2)} at ${a}, ${
      fmt(rss[b].mirror / rss[b].floor, 2)
    } at ${b}`,
  );
}
console.log("");
for (const n of notes) console.log(`- ${n}`);
