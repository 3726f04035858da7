// Large classic files by path: openNetCDF(path) + read every variable
// against netCDF4-python (open + v[:] of every variable, no masking), in one
// run, I/O included (both read the same files, warm in the page cache);
// best of `reps` runs each.
//
//   deno run -A --v8-flags=--expose-gc bench/classic_peer.ts [dir] [reps] [--json]
//
// Each file is also read by a child process started with
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (glibc 2.35 and later), which lets
// large typed arrays use transparent huge pages, as numpy's own do: fresh
// memory then costs a fault per 2 MiB instead of per 4 KiB.
//
// Without `dir`, bench/classic_gen.py writes the files (grid.nc 56 MB,
// records.nc 19 MB with 600,000 records, slabs.nc 62 MB) into a temporary
// folder, removed afterwards. Env: ICOSCP_PYTHON (default python3, needs netCDF4).

import { openNetCDF } from "../src/netcdf/netcdf_file.ts";
import { time } from "./_timing.ts";

const args = Deno.args.filter((a) => !a.startsWith("--"));
const json = Deno.args.includes("--json");
/** Child mode: only our reads of the given files, best seconds as JSON. */
const oursOnly = Deno.args.includes("--ours-only");
const reps = Number(args[1] ?? 9);
const python = Deno.env.get("ICOSCP_PYTHON") ?? "python3";
const generated = args[0] === undefined;
const dir = args[0] ?? await Deno.makeTempDir({ prefix: "icoscp-classicbench-" });

async function py(script: string, a: string[]): Promise<string> {
  const out = await new Deno.Command(python, {
    args: [new URL(script, import.meta.url).pathname, ...a],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${script} failed (netCDF4 installed?)`);
  return new TextDecoder().decode(out.stdout);
}

/** Best of `reps` of opening `path` and reading every variable. */
async function ours(path: string): Promise<number> {
  return (await time(reps, async () => {
    using nc = await openNetCDF(path);
    for (const v of nc.variables) await nc.read(v.path);
  })).min;
}

if (oursOnly) {
  const out: Record<string, number> = {};
  for (const f of args.slice(2)) out[f] = await ours(f);
  console.log(JSON.stringify(out));
  Deno.exit(0);
}

/** Our best times for `files` in a child process with glibc's huge pages for large arrays. */
async function oursWithHugePages(files: string[]): Promise<Record<string, number>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--v8-flags=--expose-gc",
      new URL(import.meta.url).pathname,
      dir,
      String(reps),
      ...files,
      "--ours-only",
    ],
    env: { GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("the huge-pages child of classic_peer.ts failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

try {
  if (generated || !(await Deno.stat(`${dir}/grid.nc`).catch(() => null))) {
    await py("./classic_gen.py", [dir]);
  }
  const files = ["grid.nc", "records.nc", "slabs.nc"].map((f) => `${dir}/${f}`);
  const peer = JSON.parse(await py("./classic_peer.py", [String(reps), ...files])) as Record<
    string,
    [number, number]
  >;
  const huge = await oursWithHugePages(files);
  const rows: { name: string; ours: number; peer: number; ratio: number; mb: number }[] = [];
  for (const path of files) {
    // Best of `reps`: the machine may be shared, and the minimum is the
    // least disturbed run of either side.
    const best = await ours(path);
    const mb = (await Deno.stat(path)).size / 1e6;
    const file = path.split("/").pop();
    const name = `classic by path: ${file} (${mb.toFixed(0)} MB)`;
    rows.push({ name, ours: best, peer: peer[path][1], ratio: best / peer[path][1], mb });
    rows.push({
      name: `classic by path, glibc huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1): ${file}`,
      ours: huge[path],
      peer: peer[path][1],
      ratio: huge[path] / peer[path][1],
      mb,
    });
    // The limit: the file's bytes read into a fresh ArrayBuffer (4 KiB page
    // faults) against Python reading them into a fresh numpy array.
    const raw = (await time(reps, async () => {
      using f = await Deno.open(path);
      const b = new Uint8Array((await f.stat()).size);
      for (let o = 0; o < b.byteLength;) o += f.readSync(b.subarray(o)) ?? b.byteLength;
    })).min;
    const praw = peer[`raw:${path}`][1];
    rows.push({
      name: `limit: raw read of ${path.split("/").pop()} into fresh memory`,
      ours: raw,
      peer: praw,
      ratio: raw / praw,
      mb,
    });
  }
  if (json) {
    console.log(JSON.stringify(rows.map(({ name, ours, peer, ratio }) => ({
      name,
      ours,
      peer,
      ratio,
      peerName: "netCDF4-python",
    }))));
  } else {
    console.log("file                           ours ms   netCDF4 ms   ratio (<1 faster)");
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(30)} ${(r.ours * 1e3).toFixed(1).padStart(8)} ${
          (r.peer * 1e3).toFixed(1).padStart(12)
        } ${r.ratio.toFixed(2).padStart(8)}`,
      );
    }
  }
} finally {
  if (generated) await Deno.remove(dir, { recursive: true });
}
