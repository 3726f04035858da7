// Every peer comparison in one command, as one table of time ratios (ours /
// peer's, measured in the same run; < 1 is faster), with the date and the
// machine; optionally written into docs/performance.md.
//
//   deno task bench:all                      # every bench once, print the table
//   deno task bench:all --runs 2 --write     # twice, and write docs/performance.md
//   deno task bench:all --only classic,foot  # some of them
//
// Benches: cpb (bench/cpb_numpy_peer.ts, numpy), e2e (bench/dobj_e2e_peer.ts,
// icoscp_core against the emulator), foot (bench/foot_peer.ts,
// netCDF4-python), classic (bench/classic_peer.ts, netCDF4-python, files by
// path), mirror (bench/mirror_peer.ts: the pipeline's own limit, the icoscp_core
// + pandas loop, peak RSS for 300 and 3000 objects). Each runs in its own process; its full output goes to stderr and
// into the written file; the ratios are read from its markdown table (a
// bench whose table changed shape shows as "no ratios found", never as a
// made-up number). Generated inputs are cached in bench/.data/.
// Env: ICOSCP_PYTHON (default python3) with numpy, netCDF4, icoscp_core, pandas.

interface Ratio {
  bench: string;
  case: string;
  peer: string;
  /** Our time / the peer's time, one per run. */
  ratios: number[];
}

/** One ratio read from a bench's output. */
interface Parsed {
  case: string;
  peer: string;
  ratio: number;
}

interface Bench {
  name: string;
  args: string[];
  /** Ratios from the bench's stdout. */
  parse(out: string): Parsed[];
}

const root = new URL("../", import.meta.url);
const data = new URL("./.data/", import.meta.url);
const python = Deno.env.get("ICOSCP_PYTHON") ?? "python3";

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}
const runs = Number(flag("--runs") ?? 1);
const only = flag("--only")?.split(",");
const write = Deno.args.includes("--write");

/** The markdown tables of `out`: header cells and rows of cells. */
function tables(out: string): { head: string[]; rows: string[][] }[] {
  const found: { head: string[]; rows: string[][] }[] = [];
  let cur: { head: string[]; rows: string[][] } | undefined;
  for (const line of out.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("|")) {
      cur = undefined;
      continue;
    }
    const cells = t.replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
    if (!cur) {
      cur = { head: cells, rows: [] };
      found.push(cur);
    } else if (!cells.every((c) => /^:?-+:?$/.test(c))) cur.rows.push(cells);
  }
  return found;
}

/** The first number in `cell`, or NaN. */
function num(cell: string | undefined): number {
  const m = /-?\d+(\.\d+)?(e[-+]?\d+)?/i.exec(cell ?? "");
  return m ? Number(m[0]) : NaN;
}

const benches: Bench[] = [
  {
    name: "cpb",
    args: ["task", "bench:numpy"], // the same permissions and flags as the task
    parse(out) {
      const r: Parsed[] = [];
      for (const t of tables(out)) {
        const c = t.head.findIndex((h) => /case/i.test(h));
        const x = t.head.findIndex((h) => /x numpy/i.test(h));
        const rows = t.head.findIndex((h) => /rows/i.test(h));
        if (c < 0 || x < 0) continue;
        for (const row of t.rows) {
          // Ours are the wasm / JS cases; the ratio is throughput (x faster).
          if (/numpy|icoscp_core/i.test(row[c])) continue;
          const v = num(row[x]);
          if (v > 0) {
            r.push({
              case: `cpb decode ${row[rows]} rows: ${row[c]}`,
              peer: "numpy",
              ratio: 1 / v,
            });
          }
        }
      }
      return r;
    },
  },
  {
    name: "e2e",
    args: ["task", "bench:e2e"],
    parse(out) {
      const r: Parsed[] = [];
      for (const t of tables(out)) {
        const c = t.head.findIndex((h) => /case/i.test(h));
        const rows = t.head.findIndex((h) => /rows/i.test(h));
        t.head.forEach((h, i) => {
          const m = /ours vs (.+)/i.exec(h);
          if (!m || c < 0) return;
          for (const row of t.rows) {
            const v = num(row[i]);
            if (v > 0) {
              r.push({ case: `getColumns ${row[rows]} rows: ${row[c]}`, peer: m[1], ratio: 1 / v });
            }
          }
        });
        // memory, not time: peak RSS growth over the decoded arrays' bytes
        // (as sent) and over the bytes the returned arrays occupy
        for (const peer of ["array bytes", "returned bytes"]) {
          const mem = t.head.findIndex((h) => h.trim().toLowerCase() === `rss / ${peer}`);
          for (const row of mem >= 0 ? t.rows : []) {
            const v = num(row[mem]);
            if (v > 0) {
              r.push({
                case: `getColumns ${row[rows]} rows: ${row[c]}, peak RSS growth`,
                peer,
                ratio: v,
              });
            }
          }
        }
      }
      return r;
    },
  },
  {
    name: "foot",
    args: [
      "run",
      "-A",
      "--no-lock",
      "--v8-flags=--max-old-space-size=8192,--expose-gc",
      "bench/foot_peer.ts",
      new URL("foot/", data).pathname,
    ],
    parse(out) {
      const r: Parsed[] = [];
      for (const t of tables(out)) {
        const peer = t.head.findIndex((h) => /netCDF4-python/i.test(h));
        if (peer < 0) continue;
        t.head.forEach((h, i) => {
          if (!/openNetCDF/i.test(h)) return;
          for (const row of t.rows) {
            // "seconds (ratio)"
            const v = num(/\(([^)]*)\)/.exec(row[i] ?? "")?.[1]);
            if (v > 0) r.push({ case: `foot ${row[0]}: ${h}`, peer: "netCDF4-python", ratio: v });
          }
        });
      }
      return r;
    },
  },
  {
    name: "mirror",
    args: ["task", "bench:mirror"], // emulator latency 50 ms, concurrency 16, 300 and 3000 objects
    parse(out) {
      const r: Parsed[] = [];
      for (const t of tables(out)) {
        const c = t.head.findIndex((h) => /^case$/i.test(h));
        const lim = t.head.findIndex((h) => /^x limit$/i.test(h));
        const py = t.head.findIndex((h) => /ours \/ icoscp_core loop/i.test(h));
        const floor = t.head.findIndex((h) => /^x fetch-only$/i.test(h));
        if (c < 0 || lim < 0) continue;
        for (const row of t.rows) {
          const v = num(row[lim]);
          if (v > 0) r.push({ case: `mirror ${row[c]}`, peer: "pipeline limit", ratio: v });
          const f = floor >= 0 ? num(row[floor]) : 0;
          if (f > 0) r.push({ case: `mirror ${row[c]}`, peer: "fetch-only floor", ratio: f });
          const p = py >= 0 ? num(row[py]) : 0;
          if (p > 0) {
            r.push({ case: `mirror ${row[c]}`, peer: "icoscp_core + pandas loop", ratio: p });
          }
        }
      }
      const rss = /Peak RSS (\d+) \/ (\d+) objects: ([\d.]+)/.exec(out);
      if (rss) {
        r.push({
          case: `mirror peak RSS, ${rss[1]} objects`,
          peer: `${rss[2]} objects`,
          ratio: Number(rss[3]),
        });
      }
      return r;
    },
  },
  {
    name: "classic",
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      "bench/classic_peer.ts",
      new URL("classic/", data).pathname,
      "9",
      "--json",
    ],
    parse(out) {
      const line = out.trim().split("\n").findLast((l) => l.startsWith("["));
      if (!line) return [];
      return (JSON.parse(line) as { name: string; ratio: number; peerName: string }[]).map((
        x,
      ) => ({ case: x.name, peer: x.peerName, ratio: x.ratio }));
    },
  },
];

async function prepare(name: string): Promise<void> {
  // Inputs generated once and kept in bench/.data/ (not committed).
  if (name === "foot") {
    const dir = new URL("foot/", data);
    if (await Deno.stat(new URL("foot240_smooth_shuffle.nc", dir)).catch(() => null)) return;
    await Deno.mkdir(dir, { recursive: true });
    const real = new URL(
      "../shared/fixtures/real/stiltweb/foot2012x12x08x18x46.55Nx007.98Ex00720_aggreg.nc",
      root,
    );
    await sh(python, [
      new URL("./foot_gen.py", import.meta.url).pathname,
      real.pathname,
      dir.pathname,
    ]);
  }
  if (name === "classic") {
    const dir = new URL("classic/", data);
    if (await Deno.stat(new URL("slabs.nc", dir)).catch(() => null)) return;
    await sh(python, [new URL("./classic_gen.py", import.meta.url).pathname, dir.pathname]);
  }
}

async function sh(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: root.pathname,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed:\n${text}`);
  return text;
}

async function machine(): Promise<string> {
  // Deno reads /proc only with --allow-all: ask cat.
  const read = (p: string) => sh("cat", [p]).catch(() => "");
  const cpu = /model name\s*:\s*(.+)/.exec(await read("/proc/cpuinfo"))?.[1] ?? Deno.build.arch;
  const mem = Number(/MemTotal:\s*(\d+)/.exec(await read("/proc/meminfo"))?.[1] ?? NaN) / 1048576;
  const load = (await read("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  const py = await sh(python, [
    "-c",
    "import sys, importlib.metadata as m\n" +
    "out = ['python ' + sys.version.split()[0]]\n" +
    "for p in ['numpy', 'netCDF4', 'icoscp_core', 'pandas']:\n" +
    "    try: out.append(p + ' ' + m.version(p))\n" +
    "    except Exception: pass\nprint(', '.join(out))",
  ]).catch(() => "python: not available");
  return [
    `${navigator.hardwareConcurrency} cores, ${cpu.trim()}, ${mem.toFixed(1)} GiB, ` +
    `${Deno.build.os} ${Deno.build.arch}${load ? `, load average at start ${load}` : ""}`,
    `deno ${Deno.version.deno}, v8 ${Deno.version.v8}; ${py.trim()}`,
  ].join("\n");
}

const chosen = benches.filter((b) => !only || only.includes(b.name));
const results = new Map<string, Ratio>();
const raw: string[] = [];
const failed: string[] = [];
const started = new Date();
const desc = await machine();
for (let run = 0; run < runs; run++) {
  for (const b of chosen) {
    console.error(`# run ${run + 1}/${runs}: ${b.name}`);
    let out = "";
    try {
      await prepare(b.name);
      out = await sh(Deno.execPath(), b.args);
    } catch (e) {
      failed.push(`${b.name} (run ${run + 1}): ${(e as Error).message.split("\n")[0]}`);
      continue;
    }
    console.error(out);
    raw.push(`#### ${b.name}, run ${run + 1}\n\n${out.trim()}\n`);
    const parsed = b.parse(out);
    if (!parsed.length) failed.push(`${b.name} (run ${run + 1}): no ratios found in its output`);
    for (const p of parsed) {
      const key = `${b.name}\u0000${p.case}\u0000${p.peer}`;
      const r = results.get(key) ?? { bench: b.name, case: p.case, peer: p.peer, ratios: [] };
      r.ratios[run] = p.ratio;
      results.set(key, r);
    }
  }
}

const head = `| bench | case | peer | ${
  Array.from({ length: runs }, (_, i) => `run ${i + 1}`).join(" | ")
} |`;
const table = [
  head,
  `|${"---|".repeat(3 + runs)}`,
  ...[...results.values()].map((r) =>
    `| ${r.bench} | ${r.case} | ${r.peer} | ${
      Array.from({ length: runs }, (_, i) => r.ratios[i]?.toFixed(2) ?? "–").join(" | ")
    } |`
  ),
].join("\n");
const summary =
  `Time ratios, ours / peer's in the same run (< 1 is faster); ${started.toISOString()}\n` +
  `${desc}\n\n${table}\n${failed.length ? `\nNot measured: ${failed.join("; ")}\n` : ""}`;
console.log(summary);

if (write) {
  const path = new URL("docs/performance.md", root);
  const begin = "<!-- bench:all begin (generated by `deno task bench:all --write`) -->";
  const end = "<!-- bench:all end -->";
  const section = `${begin}\n\n## All peer comparisons\n\n` +
    `Generated by \`deno task bench:all --runs ${runs} --write\` on ${
      started.toISOString().slice(0, 10)
    }.\n\n${summary.replace(desc, desc.split("\n").map((l) => `- ${l}`).join("\n"))}\n` +
    `<details><summary>Full output of each bench</summary>\n\n${
      raw.join("\n")
    }\n</details>\n\n${end}`;
  let doc = await Deno.readTextFile(path).catch(() => "# Performance\n");
  const i = doc.indexOf(begin), j = doc.indexOf(end);
  doc = i >= 0 && j > i
    ? doc.slice(0, i) + section + doc.slice(j + end.length)
    : `${doc.trimEnd()}\n\n${section}\n`;
  await Deno.mkdir(new URL("docs/", root), { recursive: true });
  await Deno.writeTextFile(path, doc);
  // As `deno fmt --check` wants it (tables aligned).
  await sh(Deno.execPath(), ["fmt", "--quiet", path.pathname]);
  console.error(`wrote ${path.pathname}`);
}
if (failed.length) Deno.exitCode = 1;
