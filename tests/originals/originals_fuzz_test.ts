// Bounded mutation run over the original-file parsers (as
// tests/netcdf/fuzz_netcdf.ts does for the NetCDF reader, here in-process
// and deterministic): real sample files and the emulator's originals,
// mutated (bytes flipped, cut, repeated, delimiters and digits put in), must
// each parse to a consistent table or fail with a typed CarbonPortalError —
// never a raw TypeError/RangeError/SyntaxError, never a table whose columns
// disagree with its row count.

import assert from "node:assert/strict";
import { CarbonPortalError } from "../../mod.ts";
import { type OriginalTable, readOriginal } from "../../src/originals/mod.ts";
import { buildDataset } from "../../emulator/mod.ts";
import { haveRealFixtures, prng, realFixture } from "../_fixtures.ts";

const MUTANTS_PER_SEED = 80;

interface Seed {
  name: string;
  format: string;
  bytes: Uint8Array;
}

async function seeds(): Promise<Seed[]> {
  const out: Seed[] = [];
  if (haveRealFixtures) {
    const real: [string, string][] = [
      ["data/ICOS_ATC_NRT_GAT_2018-04-12CO2.csv", "asciiAtcProductTimeSer"],
      ["data/fluxnet_hh.csv", "asciiEtcHalfHourlyProductTimeSer"],
      ["data/SE-Htm_fluxes_2015-01-01_CP_flag.txt", "asciiEtcTimeSer"],
      ["data/co2_ssl_tower-insitu_23_allvalid-12magl_small.nc", "netcdfTimeSeries"],
      ["data/co2_htm_tower-insitu_424_allvalid-150magl_small.nc", "netcdfTimeSeries"],
    ];
    for (const [p, format] of real) {
      out.push({ name: p, format, bytes: await Deno.readFile(realFixture(p)) });
    }
  }
  const ds = await buildDataset();
  const find = (p: string) => ds.objects.find((o) => o.fileName.includes(p))!;
  out.push({
    name: "emulator ATC L2 (zip)",
    format: "asciiAtcProductTimeSer",
    bytes: find("L2-2024.1_HTM_150.0_CTS_CH4").file(),
  });
  out.push({
    name: "emulator ObsPack",
    format: "netcdfTimeSeries",
    bytes: find("co2_htm_tower-insitu_466").file(),
  });
  out.push({
    name: "emulator ETC archive",
    format: "zipArchive",
    bytes: find("ICOSETC_SE-Htm_ARCHIVE_L2").file(),
  });
  return out;
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rnd() * n);
  let b = src.slice();
  const kind = pick(6);
  if (kind === 0) {
    for (let k = 0, n = 1 + pick(8); k < n; k++) b[pick(b.length)] = pick(256);
  } else if (kind === 1) {
    b = b.subarray(0, pick(b.length));
  } else if (kind === 2) {
    const at = pick(b.length);
    const len = pick(Math.min(4096, b.length - at));
    const out = new Uint8Array(b.length + len);
    out.set(b.subarray(0, at + len));
    out.set(b.subarray(at), at + len);
    b = out;
  } else if (kind === 3) {
    const chars = [59, 44, 10, 35, 13, 0, 45, 46];
    for (let k = 0, n = 1 + pick(16); k < n; k++) b[pick(b.length)] = chars[pick(chars.length)];
  } else if (kind === 4) {
    for (let k = 0, n = 1 + pick(32); k < n; k++) b[pick(b.length)] = 48 + pick(10);
  } else {
    const at = pick(b.length);
    b.fill(pick(2) ? 0xff : 0, at, Math.min(b.length, at + 1 + pick(64)));
  }
  return b;
}

function consistent(t: OriginalTable, name: string): void {
  for (const c of t.columnNames) {
    assert.ok(t.columns[c] !== undefined, `${name}: column ${c} named but missing`);
    assert.equal(t.columns[c].length, t.rows, `${name}: column ${c} length`);
  }
  assert.equal(t.table.numRows(), t.rows, `${name}: table rows`);
  for (const p of Object.values(t.parts ?? {})) consistent(p, name);
}

Deno.test("original-file parsers: a bounded mutation run gives consistent tables or typed errors only", async () => {
  const all = await seeds();
  assert.ok(all.length >= 3);
  const rnd = prng(24);
  let typed = 0;
  let parsed = 0;
  for (const seed of all) {
    // the unmutated seed parses
    consistent(await readOriginal(seed.bytes, { format: seed.format }), seed.name);
    for (let i = 0; i < MUTANTS_PER_SEED; i++) {
      const m = mutate(seed.bytes, rnd);
      try {
        consistent(await readOriginal(m, { format: seed.format }), `${seed.name} #${i}`);
        parsed++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        if (!(e instanceof CarbonPortalError)) {
          throw new Error(
            `${seed.name} mutant #${i} (${m.length} bytes) threw a raw ${(e as Error)?.name}: ${
              (e as Error)?.message
            }`,
            { cause: e },
          );
        }
        typed++;
      }
    }
  }
  console.log(`${all.length} seeds, ${parsed} mutants parsed, ${typed} typed errors`);
  assert.ok(typed > 0 && parsed > 0);
});
