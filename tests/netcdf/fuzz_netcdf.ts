// Fuzzes the production NetCDF/HDF5 read path: mutates real files and calls
// the public API (openNetCDF, read, readCompound) with every inflate backend,
// failing on any error that is not typed, on a hang and on a memory blow-up.
//
// Usage:
//   deno run -A tests/netcdf/fuzz_netcdf.ts [--iterations N] [--seconds S] [--seed K]
//     [--save DIR] [--timeout-ms T] [--max-rss-mib M] FOLDER...
//
// Seeds: every NetCDF/HDF5 file (by signature, up to 4 MiB) under the
// folders. Mutants run in a child process (so a hang or a crash is caught
// and attributed); a failing mutant is written to --save (default
// tests/testdata/netcdf/fuzz_regressions/, which tests/netcdf/netcdf_test.ts
// replays) and the run exits 1. Deterministic for a given seed and corpus.
// Stops after N mutants or S seconds, whichever comes first (defaults 2000, 300).

import { exercise } from "./_netcdf_exercise.ts";
import type { InflateBackend } from "../../src/netcdf/netcdf_file.ts";

const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_SEED = 4 << 20;
const BACKENDS: InflateBackend[] = ["node", "stream", "wasm"];

interface Options {
  iterations: number;
  seconds: number;
  seed: number;
  save: string;
  timeoutMs: number;
  maxRssMiB: number;
  folders: string[];
}

function parseArgs(args: string[]): Options {
  const o: Options = {
    iterations: 2000,
    seconds: 300,
    seed: 1,
    save: new URL("../testdata/netcdf/fuzz_regressions/", import.meta.url).pathname,
    timeoutMs: 20_000,
    maxRssMiB: 1536,
    folders: [],
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const num = () => {
      const n = Number(args[++i]);
      if (!Number.isFinite(n) || n < 0) throw new RangeError(`${a} needs a number`);
      return n;
    };
    if (a === "--iterations") o.iterations = num();
    else if (a === "--seconds") o.seconds = num();
    else if (a === "--seed") o.seed = num();
    else if (a === "--timeout-ms") o.timeoutMs = num();
    else if (a === "--max-rss-mib") o.maxRssMiB = num();
    else if (a === "--save") o.save = args[++i];
    else if (a.startsWith("--")) throw new RangeError(`Unknown option ${a}`);
    else o.folders.push(a);
  }
  return o;
}

function isNetCDF(b: Uint8Array): boolean {
  if (b[0] === 0x43 && b[1] === 0x44 && b[2] === 0x46) return true;
  for (let at = 0; at + 8 <= b.byteLength && at <= 1 << 20; at = at ? at * 2 : 512) {
    if (HDF5.every((x, k) => b[at + k] === x)) return true;
  }
  return false;
}

async function seedFiles(folders: string[]): Promise<{ path: string; bytes: Uint8Array }[]> {
  const out: { path: string; bytes: Uint8Array }[] = [];
  const walk = async (dir: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const e of entries) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile) {
        const st = await Deno.stat(p);
        if (st.size === 0 || st.size > MAX_SEED) continue;
        const bytes = await Deno.readFile(p);
        if (isNetCDF(bytes)) out.push({ path: p, bytes });
      }
    }
  };
  for (const f of folders) await walk(f.replace(/\/+$/, ""));
  return out;
}

/** xorshift32: the same mutants for the same seed. */
function rng(seed: number): () => number {
  let x = (seed >>> 0) || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** Mutant `i`: 1 to 8 edits of a seed (bit flips, bytes, boundary integers, truncation, block copies). */
function mutant(seeds: Uint8Array[], seed: number, i: number): Uint8Array {
  const r = rng(seed * 1_000_003 + i);
  const below = (n: number) => Math.floor(r() * Math.max(1, n));
  const b = seeds[i % seeds.length].slice();
  let len = b.byteLength;
  for (let n = 1 + below(8); n > 0 && len > 0; n--) {
    const at = below(len);
    switch (below(6)) {
      case 0:
        b[at] ^= 1 << below(8);
        break;
      case 1:
        b[at] = below(256);
        break;
      case 2: {
        const v = [0xff, 0x00, 0x7f, 0x80, 0x01][below(5)];
        const w = [1, 2, 4, 8][below(4)];
        for (let k = 0; k < w && at + k < len; k++) b[at + k] = k === 0 && v === 0x01 ? 1 : v;
        break;
      }
      case 3:
        len = at;
        break;
      case 4: {
        const from = below(len);
        const l = Math.min(below(64), len - from, len - at);
        b.copyWithin(at, from, from + l);
        break;
      }
      default:
        b[at] = (b[at] + 1) & 255;
    }
  }
  return b.subarray(0, len);
}

// ---------------------------------------------------------------- child

async function child(seedPaths: string[], seed: number, from: number, to: number, maxRss: number) {
  const seeds = await Promise.all(seedPaths.map((p) => Deno.readFile(p)));
  const enc = new TextEncoder();
  const say = (s: string) => Deno.stdout.writeSync(enc.encode(s + "\n"));
  let parsed = 0;
  for (let i = from; i < to; i++) {
    say(`start ${i}`);
    const m = mutant(seeds, seed, i);
    const r = await exercise(m, BACKENDS[i % BACKENDS.length], rng(i + 7));
    if (r.parsed) parsed++;
    if (r.untyped !== undefined) {
      const e = r.untyped;
      say(`fail ${i} ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
      Deno.exit(3);
    }
    const rss = Deno.memoryUsage().rss / 2 ** 20;
    if (rss > maxRss) {
      say(`fail ${i} resident memory ${Math.round(rss)} MiB > ${maxRss} MiB`);
      Deno.exit(4);
    }
    say(`done ${i} ${r.parsed ? 1 : 0}`);
  }
  say(`parsed ${parsed}`);
}

// ---------------------------------------------------------------- parent

async function parent(o: Options) {
  const seeds = await seedFiles(o.folders);
  if (seeds.length === 0) {
    console.error(
      `fuzz_netcdf: no NetCDF/HDF5 files under ${o.folders.join(", ") || "(none given)"}`,
    );
    Deno.exit(2);
  }
  const paths = seeds.map((s) => s.path);
  const listFile = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(listFile, JSON.stringify(paths));
  const started = Date.now();
  const deadline = started + o.seconds * 1000;
  const failures: string[] = [];
  let next = 0, runs = 0, parsed = 0;
  const batch = 200;
  while (next < o.iterations && Date.now() < deadline) {
    const to = Math.min(o.iterations, next + batch);
    const proc = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL(import.meta.url).pathname,
        "--child",
        listFile,
        String(o.seed),
        String(next),
        String(to),
        String(o.maxRssMiB),
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let current = next, lastProgress = Date.now(), failure: string | undefined;
    const timer = setInterval(() => {
      if (Date.now() - lastProgress > o.timeoutMs) {
        failure = `mutant ${current} hung (no progress for ${o.timeoutMs} ms)`;
        try {
          proc.kill("SIGKILL");
        } catch { /* gone */ }
      }
    }, 250);
    let pending = "";
    for await (const chunk of proc.stdout.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const [what, n, ...rest] = line.split(" ");
        lastProgress = Date.now();
        if (what === "start") current = Number(n);
        else if (what === "done") {
          runs++;
          if (rest[0] === "1") parsed++;
          if (Date.now() > deadline) {
            try {
              proc.kill("SIGKILL");
            } catch { /* gone */ }
          }
        } else if (what === "fail") failure = `mutant ${n}: ${rest.join(" ")}`;
      }
    }
    const status = await proc.status;
    clearInterval(timer);
    const stderr = new TextDecoder().decode(
      await new Response(proc.stderr).arrayBuffer().catch(() => new ArrayBuffer(0)),
    );
    if (!failure && !status.success && Date.now() <= deadline) {
      failure = `mutant ${current}: child exited with ${status.code} ${status.signal ?? ""} ${
        stderr.slice(-500)
      }`;
    }
    if (failure) {
      const bytes = mutant(seeds.map((s) => s.bytes), o.seed, current);
      await Deno.mkdir(o.save, { recursive: true });
      const name = `${o.save}/seed${o.seed}-${current}.bin`;
      await Deno.writeFile(name, bytes);
      failures.push(`${failure} (input kept in ${name})`);
      console.error(`fuzz_netcdf: ${failures.at(-1)}`);
      next = current + 1;
      runs++;
    } else {
      next = to;
    }
  }
  await Deno.remove(listFile).catch(() => {});
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `fuzz_netcdf: ${runs} mutants of ${seeds.length} files (${parsed} opened), ` +
      `${failures.length} failures, ${secs} s, seed ${o.seed}`,
  );
  if (failures.length) Deno.exit(1);
}

if (import.meta.main) {
  if (Deno.args[0] === "--child") {
    const [, list, seed, from, to, maxRss] = Deno.args;
    await child(
      JSON.parse(await Deno.readTextFile(list)),
      Number(seed),
      Number(from),
      Number(to),
      Number(maxRss),
    );
  } else {
    await parent(parseArgs(Deno.args));
  }
}
