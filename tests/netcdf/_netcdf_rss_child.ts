// Child process of the deflate-bomb test: reads every variable of one file
// with one inflate backend and prints the outcome and the peak resident set
// size (VmHWM, Linux) as JSON: {"results": {path: "ok" | ErrorName}, "peakMiB": n}.
// Usage: deno run --allow-read _netcdf_rss_child.ts FILE BACKEND

import { type InflateBackend, type NetCDFGroup, openNetCDF } from "../../src/netcdf/netcdf_file.ts";

const [file, backend] = Deno.args;
const results: Record<string, string> = {};
using nc = await openNetCDF(await Deno.readFile(file), { inflate: backend as InflateBackend });
const paths: string[] = [];
const walk = (g: NetCDFGroup) => {
  for (const v of g.variables) paths.push(v.path);
  g.groups.forEach(walk);
};
walk(nc);
for (const p of paths) {
  try {
    await nc.read(p);
    results[p] = "ok";
  } catch (e) {
    results[p] = e instanceof Error ? e.constructor.name : String(e);
  }
}
let peakMiB = NaN;
try {
  const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  if (m) peakMiB = Math.round(Number(m[1]) / 1024);
} catch {
  // not Linux
}
console.log(JSON.stringify({ results, peakMiB }));
