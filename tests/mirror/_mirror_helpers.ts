// Test helpers of the mirror tests: engines run over a mirror folder, the
// same answer computed from the library's own arrays, file snapshots, and
// the facts of made-up objects.

import { join, relative } from "node:path";
import type { CarbonPortal } from "../../mod.ts";
import { python } from "../_peers.ts";
import type { ObjectInfo } from "../../src/mirror/_objects.ts";

/** One row of the per-station monthly co2 answer. */
export type MonthlyRow = [
  station: string,
  height: number,
  month: string,
  mean: number,
  count: number,
];

/** Runs tests/mirror/mirror_engines.py with an engine over a folder (or an emulator JSON). */
export async function engine<T>(name: string, arg: string): Promise<T> {
  const out = await new Deno.Command(python, {
    args: [new URL("./mirror_engines.py", import.meta.url).pathname, name, arg],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`${name} failed: ${new TextDecoder().decode(out.stderr).slice(-3000)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as T;
}

/** The per-station monthly co2 means from `getColumns` (the library's arrays). */
export async function monthlyFromLibrary(
  cp: CarbonPortal,
  pids: readonly string[],
): Promise<MonthlyRow[]> {
  const sums = new Map<string, [number, number]>();
  for (const pid of pids) {
    const d = await cp.dobj(pid);
    if (!d.meta.specification.self.uri.endsWith("/atcCo2L2DataObject")) continue;
    const cols = await d.getColumns(["TIMESTAMP", "co2"]);
    const t = cols.TIMESTAMP as Float64Array, v = cols.co2 as Float32Array;
    for (let i = 0; i < t.length; i++) {
      if (Number.isNaN(v[i])) continue;
      const key = JSON.stringify([
        d.station!.id,
        d.samplingHeight!,
        new Date(t[i]).toISOString().slice(0, 7),
      ]);
      const s = sums.get(key) ?? [0, 0];
      s[0] += v[i];
      s[1]++;
      sums.set(key, s);
    }
  }
  return [...sums.entries()].map(([k, [sum, n]]) => [...JSON.parse(k), sum / n, n] as MonthlyRow)
    .sort((a, b) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)
    );
}

/** Compares answers: keys and counts exactly, means to 1e-9 relative (summation order differs). */
export function sameMonthly(
  a: readonly MonthlyRow[],
  b: readonly MonthlyRow[],
): string | undefined {
  if (a.length !== b.length) return `${a.length} rows vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const [s1, h1, m1, v1, n1] = a[i], [s2, h2, m2, v2, n2] = b[i];
    if (s1 !== s2 || h1 !== h2 || m1 !== m2 || n1 !== n2) {
      return `row ${i}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
    }
    if (Math.abs(v1 - v2) > 1e-9 * Math.abs(v1)) return `row ${i}: mean ${v1} vs ${v2}`;
  }
  return undefined;
}

/** Every file below a folder (relative path → bytes), temporary files included. */
export async function snapshot(dir: string, filter = (p: string) => p.endsWith(".parquet")) {
  const files = new Map<string, Uint8Array>();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (filter(p)) files.set(relative(dir, p), await Deno.readFile(p));
    }
  };
  await walk(dir);
  return files;
}

/** The facts of made-up object `k` (a CO2 release at station `S<k % 13>`), with `changes`. */
export function madeUpInfo(k: number, changes: Partial<ObjectInfo> = {}): ObjectInfo {
  return {
    pid: `11676/obj-${String(k).padStart(5, "0")}`,
    uri: `https://meta.icos-cp.eu/objects/obj-${k}`,
    fileName: `ICOS_ATC_L2_${k}.zip`,
    spec: "atcCo2L2DataObject",
    specUri: "http://meta.icos-cp.eu/resources/cpmeta/atcCo2L2DataObject",
    specLabel: "ICOS ATC CO2 Release",
    project: "ICOS",
    theme: "Atmospheric data",
    level: 2,
    station: `S${k % 13}`,
    stationName: `Station “${k % 13}” ü`,
    country: "SE",
    lat: 60 + k / 1000,
    lon: 17,
    samplingHeight: 100,
    timeStart: "2022-01-01T00:00:00Z",
    timeEnd: "2022-12-31T23:00:00Z",
    submTime: "2024-06-14T09:33:00Z",
    size: 1000 + k,
    rows: 8760,
    doi: null,
    citation: `Sample, S. (2024). ICOS ATC CO2 Release – object ${k}`,
    licence: "http://meta.icos-cp.eu/ontologies/cpmeta/icosLicence",
    next: [],
    previous: [],
    columns: [{ name: "co2", kind: "float", nullable: true }],
    ...changes,
  };
}
