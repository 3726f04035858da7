import assert from "node:assert/strict";
import { createStiltService } from "../stilt/service.ts";
import { javaDecimal3, javaDouble, sprayNumber } from "../stilt/_java_numbers.ts";
import { crc32, zipArchive } from "../_zip.ts";
import { peerTest, python } from "../../tests/_peers.ts";

// The result package read back by the peers: Python's zipfile for the
// archive, netCDF4-python + h5py for the joined footprints. Skipped with a
// reason when the Python packages are missing, unless ICOSCP_REQUIRE_PEERS=1.

const PACKAGE_SCRIPT = new URL("./stilt_package_check.py", import.meta.url).pathname;
const NETCDF_SCRIPT = new URL("./netcdf4_check.py", import.meta.url).pathname;

function pythonTest(name: string, fn: () => Promise<void>): void {
  Deno.test(peerTest(name, { python: ["netCDF4", "h5py", "numpy", "zipfile"] }, fn));
}

async function runPython(args: string[]): Promise<string> {
  const out = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
  const td = new TextDecoder();
  if (!out.success) throw new Error(`python ${args.join(" ")} failed: ${td.decode(out.stderr)}`);
  return td.decode(out.stdout);
}

Deno.test("sprayNumber() prints Doubles as spray-json's BigDecimal does", () => {
  assert.equal(sprayNumber(150), "150.0");
  assert.equal(sprayNumber(17898), "17898.0");
  assert.equal(sprayNumber(415.833743872125), "415.833743872125");
  assert.equal(sprayNumber(-0.36642190189607), "-0.36642190189607");
  assert.equal(sprayNumber(0), "0.0");
  assert.equal(sprayNumber(1e-5), "0.000010");
  assert.equal(sprayNumber(0.000203543835779968), "0.000203543835779968");
  assert.equal(sprayNumber(1.2e-7), "1.2E-7");
  assert.equal(sprayNumber(1e10), "1.0E+10");
  assert.equal(sprayNumber(123456789), "123456789");
  assert.equal(sprayNumber(Math.fround(13.9)), "13.899999618530273");
  assert.equal(sprayNumber(NaN), "null");
  assert.equal(sprayNumber(Infinity), "null");
});

Deno.test("javaDouble() prints like Java's Double.toString", () => {
  assert.equal(javaDouble(56.1), "56.1");
  assert.equal(javaDouble(-10.07), "-10.07");
  assert.equal(javaDouble(11), "11.0");
  assert.equal(javaDouble(0.001), "0.001");
  assert.equal(javaDouble(0.0001), "1.0E-4");
  assert.equal(javaDouble(1.5e7), "1.5E7");
  assert.equal(javaDouble(-0), "-0.0");
});

Deno.test("javaDecimal3() rounds to 3 decimals HALF_EVEN and keeps Java's -0", () => {
  assert.equal(javaDecimal3(415.833743872125), "415.834");
  assert.equal(javaDecimal3(2), "2");
  assert.equal(javaDecimal3(0.5), "0.5");
  assert.equal(javaDecimal3(0.0625), "0.062", "exact tie goes to the even digit");
  assert.equal(javaDecimal3(0.1875), "0.188");
  assert.equal(javaDecimal3(-0.0001), "-0");
  assert.equal(javaDecimal3(-1.2345), "-1.234");
  assert.equal(javaDecimal3(1234567.891), "1234567.891");
});

Deno.test("crc32() matches the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

pythonTest("zipArchive() output reads in Python's zipfile, stored and deflated", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const enc = new TextEncoder();
    for (const method of [{ kind: "store" as const }, { kind: "deflate" as const, level: 6 }]) {
      const path = `${dir}/a.zip`;
      await Deno.writeFile(
        path,
        zipArchive([
          {
            name: "a.txt",
            data: enc.encode("hello\n".repeat(100)),
            modified: new Date("2020-02-29T13:14:16Z"),
          },
          {
            name: "dir/é.json",
            data: enc.encode('{"x":1}'),
            modified: new Date("2020-02-29T13:14:16Z"),
          },
        ], method),
      );
      const out = JSON.parse(await runPython([PACKAGE_SCRIPT, path, `${dir}/none.nc`]));
      assert.equal(out.bad, null);
      assert.deepEqual(out.entries.map((e: { name: string }) => e.name), ["a.txt", "dir/é.json"]);
      assert.equal(out.entries[0].method, method.kind === "store" ? 0 : 8);
      assert.deepEqual(out.entries[0].date_time, [2020, 2, 29, 13, 14, 16]);
      assert.equal(out.texts["a.txt"], "hello\n".repeat(100));
      assert.equal(out.texts["dir/é.json"], '{"x":1}');
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

pythonTest(
  "createStiltService() packages footprints, time series and model metadata that agree with the other endpoints",
  async () => {
    const s = createStiltService({ userOf: () => Promise.resolve("user@example.org") });
    const base = "http://127.0.0.1/stilt/viewer/";
    const get = async (p: string, headers: Record<string, string> = {}) =>
      (await s.handle(new Request(base + p, { headers }), p))!;
    const q = "stationId=HTM150&fromDate=2018-01-01&toDate=2018-01-02";
    const slots: string[] = await (await get(`listfootprints?${q}`)).json();
    assert.ok(slots.length < 16, "the range has a gap");
    const [rel]: string[] = await (await get(`joinfootprints?${q}`)).json();
    const zip = new Uint8Array(await (await get(`downloadresults/${rel}`)).arrayBuffer());
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeFile(`${dir}/p.zip`, zip);
      const pkg = JSON.parse(await runPython([PACKAGE_SCRIPT, `${dir}/p.zip`, `${dir}/foot.nc`]));
      assert.equal(pkg.bad, null, "every CRC checks");
      const prefix = "HTM150_2018-01-01_2018-01-02";
      assert.deepEqual(pkg.entries.map((e: { name: string }) => e.name), [
        `${prefix}_footprint.nc`,
        `${prefix}_timeseries.csv`,
        "stilt_model_metadata.json",
      ]);

      // The CSV: every slot of the two days, empty cells at the gap, values as Java prints them.
      const csv: string = pkg.texts[`${prefix}_timeseries.csv`];
      assert.ok(csv.endsWith("\n"));
      const lines = csv.slice(0, -1).split("\n");
      assert.equal(lines.length, 17);
      const header = lines[0].split(",");
      assert.equal(header.length, 31);
      assert.deepEqual(header.slice(0, 3), ["isodate", "co2.stilt", "co2.background"]);
      const rows: (number | null)[][] = await (await s.handle(
        new Request(base + "stiltresult", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            stationId: "HTM150",
            fromDate: "2018-01-01",
            toDate: "2018-01-02",
            columns: header,
          }),
        }),
        "stiltresult",
      ))!.json();
      lines.slice(1).forEach((line, i) => {
        const cells = line.split(",");
        const sec = rows[i][0]!;
        assert.equal(cells[0], new Date(sec * 1000).toISOString().slice(0, 16));
        const present = slots.includes(cells[0]);
        cells.slice(1).forEach((cell, j) => {
          const v = rows[i][j + 1];
          assert.equal(cell, present ? javaDecimal3(v!) : "", `${cells[0]} ${header[j + 1]}`);
        });
      });

      const meta = JSON.parse(pkg.texts["stilt_model_metadata.json"]);
      assert.equal(meta.model.name, "STILT");
      assert.equal(meta.model.temporal.resolution, "3-hourly");

      // The NetCDF: slot times of listfootprints and the very rasters of the footprint endpoint.
      const cells = 480 * 400;
      const expectedFoot = new Uint8Array(slots.length * cells * 8);
      const fv = new DataView(expectedFoot.buffer);
      for (const [k, slot] of slots.entries()) {
        const res = await get(`footprint?stationId=HTM150&footprint=${slot}`, {
          accept: "application/octet-stream",
        });
        const raster = new DataView(await res.arrayBuffer());
        for (let c = 0; c < cells; c++) {
          fv.setFloat64(8 * (k * cells + c), raster.getFloat64(64 + 8 * c), true);
        }
      }
      const times = new Uint8Array(slots.length * 8);
      slots.forEach((slot, k) =>
        new DataView(times.buffer).setFloat64(
          8 * k,
          (Date.parse(`${slot}:00Z`) - Date.UTC(2000, 0, 1)) / 86400000,
          true,
        )
      );
      await Deno.writeFile(`${dir}/foot.f64`, expectedFoot);
      await Deno.writeFile(`${dir}/time.f64`, times);
      const nc = JSON.parse(
        await runPython([
          NETCDF_SCRIPT,
          `${dir}/foot.nc`,
          `foot=${dir}/foot.f64`,
          `time=${dir}/time.f64`,
        ]),
      );
      assert.deepEqual(nc.dimensions.time, { size: slots.length, unlimited: true });
      assert.deepEqual(nc.dimensions.lat, { size: 480, unlimited: false });
      assert.deepEqual(nc.dimensions.lon, { size: 400, unlimited: false });
      assert.equal(nc.compare.time.equal, true, "time = listfootprints");
      assert.equal(nc.compare.foot.equal, true, "foot = the footprint rasters, value by value");
      assert.equal(nc.variables.foot.attributes.units, "ppm per (micromol m-2 s-1)");
      assert.equal(nc.variables.time.attributes.units, "days since 2000-01-01 00:00:00 UTC");
      assert.equal(nc.attributes.backtime, "240 hours");
      assert.deepEqual(nc.attributes.latstart, { dtype: "float64", values: [56.1] });
      assert.deepEqual(nc.attributes.aglstart, { dtype: "int32", values: [150] });
      assert.equal(nc.attributes.Conventions, "CF-1.6");
      assert.equal(nc.attributes.frequency, "3hr");
      assert.match(nc.attributes.title, /station HTM150 from 2018-01-01 to 2018-01-02/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
