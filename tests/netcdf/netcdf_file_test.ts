// openNetCDF on local files (a path, a file: URL, a Deno.FsFile, a Node
// FileHandle): the same values as from the bytes in memory, for every
// variable and for hyperslabs of record variables; and a record variable
// costs a few reads, not one per record.

import assert from "node:assert/strict";
import { open as nodeOpen } from "node:fs/promises";
import { CarbonPortalError, openNetCDF, TruncatedDataError } from "../../mod.ts";
import { realFixture, withRealFixtures } from "../_fixtures.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const FILES = [
  "data/co2_con_aircraft-insitu_42_allvalid_small.nc",
  "data/co2_htm_tower-insitu_424_allvalid-150magl_small.nc",
  "data/co2_ssl_tower-insitu_23_allvalid-12magl_small.nc",
  "data/GCP2019_regions_MASK11.nc",
  "data/amazon_mask.nc",
  "stiltweb/foot2012x12x08x18x46.55Nx007.98Ex00720_aggreg.nc",
];

async function everything(
  nc: Awaited<ReturnType<typeof openNetCDF>>,
): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const v of nc.variables) {
    out.set(v.path, await nc.read(v.path));
    if (v.shape.length >= 1 && v.shape[0] > 3) {
      // A hyperslab: records 2.. of the first dimension, inner dimensions cut.
      const start = v.shape.map((s, i) => (i === 0 ? 2 : Math.min(1, s - 1)));
      const count = v.shape.map((s, i) => (i === 0 ? s - 3 : Math.max(1, s - 2)));
      out.set(`${v.path}[box]`, await nc.read(v.path, { start, count }));
    }
  }
  return out;
}

Deno.test(
  withRealFixtures(
    "openNetCDF reads a path, a file URL, an FsFile and a FileHandle like the bytes",
  ),
  async () => {
    for (const f of FILES) {
      const url = realFixture(f);
      const bytes = await Deno.readFile(url);
      let want: Map<string, unknown>;
      {
        using nc = await openNetCDF(bytes);
        want = await everything(nc);
      }
      const inputs: [string, () => Promise<Parameters<typeof openNetCDF>[0]>][] = [
        ["path", () => Promise.resolve(url.pathname)],
        ["URL", () => Promise.resolve(url)],
        ["FsFile", () => Deno.open(url)],
        ["FileHandle", () => nodeOpen(url)],
      ];
      for (const [kind, make] of inputs) {
        const input = await make();
        try {
          using nc = await openNetCDF(input);
          assert.deepEqual(await everything(nc), want, `${f} by ${kind}`);
        } finally {
          if (kind === "FsFile") (input as Deno.FsFile).close();
          if (kind === "FileHandle") await (input as Awaited<ReturnType<typeof nodeOpen>>).close();
        }
      }
    }
  },
);

Deno.test(
  withRealFixtures("a record variable costs a few reads through a byte source"),
  async () => {
    // 318 records; the whole file used to cost one read per record and variable.
    const bytes = await Deno.readFile(realFixture(FILES[0]));
    let reads = 0;
    const source = {
      byteLength: bytes.byteLength,
      slice: (a: number, b: number) => (reads++, Promise.resolve(bytes.slice(a, b))),
    };
    using nc = await openNetCDF(source);
    const records = nc.variables.filter((v) => v.dimensions[0] === "time");
    assert.ok(records.length > 20);
    const before = reads;
    for (const v of records) await nc.read(v.path);
    assert.ok(reads - before <= records.length, `${reads - before} reads`);
  },
);

Deno.test("openNetCDF of a missing file is a typed error with the cause", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(openNetCDF(`${dir}/absent.nc`), (e) => {
      assert.ok(e instanceof CarbonPortalError);
      assert.ok((e as Error).cause instanceof Deno.errors.NotFound);
      assert.match((e as Error).message, /absent\.nc/);
      return true;
    });
    await assert.rejects(openNetCDF(new URL("https://example.org/x.nc")), InvalidArgumentError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  withRealFixtures("a file that shrinks after opening is a typed truncation error"),
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const bytes = await Deno.readFile(realFixture(FILES[0]));
      const path = `${dir}/f.nc`;
      await Deno.writeFile(path, bytes);
      using nc = await openNetCDF(path);
      await Deno.truncate(path, 40_000);
      await assert.rejects(nc.read("value"), TruncatedDataError);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
