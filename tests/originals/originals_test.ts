// Parsers of the portal's original files, checked on real sample files and
// on the emulator's originals against what Python users read from the same
// bytes (pandas.read_csv with the documented header, netCDF4-python), and
// Dobj.readFile() against the emulator.

import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal, NoParserError } from "../../mod.ts";
import {
  type OriginalTable,
  parseAtcCsv,
  parseEtcCsv,
  parseNetCDFTable,
  readOriginal,
} from "../../src/originals/mod.ts";
import { sharedEmulator } from "../_shared_emulator.ts";
import { realFixture, withRealFixtures } from "../_fixtures.ts";
import { peerTest, python } from "../_peers.ts";

const PEER = new URL("./originals_peer.py", import.meta.url).pathname;

/** What the Python peer reads from a file. */
async function peer(
  kind: "atc" | "etc" | "eddy" | "netcdf",
  path: string,
): Promise<{ columns: Record<string, unknown[]>; attributes?: Record<string, unknown> }> {
  const out = await new Deno.Command(python, { args: [PEER, kind, path], stderr: "piped" })
    .output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Every column the peer read equals ours (numbers to float precision, NaN as null). */
function assertSameColumns(
  ours: OriginalTable,
  theirs: Record<string, unknown[]>,
  names: readonly string[] = Object.keys(theirs),
) {
  assert.ok(names.length > 0);
  for (const name of names) {
    const col = ours.columns[name];
    assert.ok(col !== undefined, `we lack column ${name} (have ${ours.columnNames.join(", ")})`);
    const t = theirs[name];
    assert.equal(col.length, t.length, name);
    for (let i = 0; i < t.length; i++) {
      const a = (col as ArrayLike<unknown>)[i];
      const b = t[i];
      if (typeof a === "number") {
        if (Number.isNaN(a)) assert.equal(b, null, `${name}[${i}]: NaN vs ${b}`);
        else {
          assert.equal(typeof b, "number", `${name}[${i}]: ${a} vs ${b}`);
          assert.ok(
            Math.abs(a - (b as number)) <= 1e-9 * Math.max(1, Math.abs(a)),
            `${name}[${i}]: ${a} vs ${b}`,
          );
        }
      } else assert.equal(a ?? null, b ?? null, `${name}[${i}]`);
    }
  }
}

Deno.test(
  withRealFixtures("parseAtcCsv() reads the real NRT file: header, units, every column, time"),
  async () => {
    const bytes = await Deno.readFile(realFixture("data/ICOS_ATC_NRT_GAT_2018-04-12CO2.csv"));
    const f = parseAtcCsv(bytes);
    assert.equal(f.rows, 24);
    assert.equal(f.header["MEASUREMENT SCALE"], "WMOX2007");
    assert.equal(f.header["STATION CODE"], "GAT");
    assert.equal(f.header["HEADER LINES"], "33");
    assert.deepEqual(f.header.COMMENT, [
      "Times are UTC",
      "Time-averaged values are reported at the beginning of the averaging interval.",
    ]);
    assert.equal(f.units.co2, "umol.mol-¹");
    assert.equal(f.units.Stdev, "umol.mol-¹");
    assert.deepEqual(f.timeColumns, ["TIMESTAMP"]);
    assert.equal(f.columnNames.length, 24); // TIMESTAMP + the 23 columns of the file
    assert.equal(
      new Date((f.columns.TIMESTAMP as Float64Array)[2]).toISOString(),
      "2018-04-12T02:00:00.000Z",
    );
    assert.deepEqual(f.table.get("TIMESTAMP", 2), new Date("2018-04-12T02:00:00Z"));
    assert.equal((f.columns.DecimalDate as Float64Array)[2], 2018.27694064);
    assert.equal((f.columns.co2 as Float64Array)[0], 420.828);
    assert.equal((f.columns.Stdev as Float64Array)[0], 0.066);
    assert.ok(f.columns.NbPoints instanceof Int32Array);
    assert.equal((f.columns.NbPoints as Int32Array)[0], 8);
    assert.deepEqual((f.columns.Flag as string[]).slice(0, 2), ["U", "U"]);
    assert.ok(Number.isNaN((f.columns.co2 as Float64Array)[23])); // -999.990
    assert.equal((f.columns.Stdev as Float64Array)[23], 0.55);
    // -999.990 is the documented dummy: NaN
    assert.ok(Number.isNaN((f.columns["co2Raw-Stdev"] as Float64Array)[0]));
    assert.equal((f.columns.H2O as Float64Array)[0], 1.437);
  },
);

Deno.test(
  peerTest("parsers agree with pandas and netCDF4-python on the real sample files", {
    python: ["pandas", "netCDF4"],
    fixtures: true,
  }, async () => {
    const atc = realFixture("data/ICOS_ATC_NRT_GAT_2018-04-12CO2.csv").pathname;
    assertSameColumns(parseAtcCsv(await Deno.readFile(atc)), (await peer("atc", atc)).columns);

    const hh = realFixture("data/fluxnet_hh.csv").pathname;
    const etc = parseEtcCsv(await Deno.readFile(hh));
    assert.equal(etc.rows, 29);
    assert.equal((etc.columns.TA_ERA as Float64Array)[0], -0.9154);
    assert.equal((etc.columns.TA_F as Float64Array)[0], -3.154);
    assertSameColumns(etc, (await peer("etc", hh)).columns);

    const eddyPath = realFixture("data/SE-Htm_fluxes_2015-01-01_CP_flag.txt").pathname;
    const eddy = parseEtcCsv(await Deno.readFile(eddyPath), { utcOffsetHours: 1 }); // CET
    assert.equal(eddy.rows, 48);
    assert.equal((eddy.columns.H_1_1_1 as Float64Array)[25], 3.0267);
    assert.ok(Number.isNaN((eddy.columns.H_1_1_1 as Float64Array)[1]));
    assert.equal(
      new Date((eddy.columns.TIMESTAMP as Float64Array)[10]).toISOString(),
      "2015-01-01T04:30:00.000Z",
    );
    assert.equal(eddy.units.H_1_1_1, "Wm-2");
    assert.equal(eddy.header.timeZone, "CET");
    const { columns: eddyPy } = await peer("eddy", eddyPath);
    delete eddyPy.date; // pandas keeps date and time as text, as we do
    delete eddyPy.time;
    assertSameColumns(eddy, eddyPy);

    for (
      const name of [
        "co2_con_aircraft-insitu_42_allvalid_small.nc",
        "co2_ssl_tower-insitu_23_allvalid-12magl_small.nc",
        "co2_htm_tower-insitu_424_allvalid-150magl_small.nc",
      ]
    ) {
      const path = realFixture(`data/${name}`).pathname;
      const ours = await parseNetCDFTable(await Deno.readFile(path));
      assert.equal(ours.format, "obspack-netcdf", name);
      assertSameColumns(ours, (await peer("netcdf", path)).columns);
    }
  }),
);

Deno.test(
  withRealFixtures(
    "parseNetCDFTable() reads the real ObsPack files: values, times, flags, attributes",
  ),
  async () => {
    const htm = await parseNetCDFTable(
      await Deno.readFile(realFixture("data/co2_htm_tower-insitu_424_allvalid-150magl_small.nc")),
    );
    assert.equal(htm.rows, 100);
    assert.deepEqual(
      [(htm.columns.qc_flag as string[])[0], (htm.columns.qc_flag as string[])[99]],
      ["O", "O"],
    );
    assert.equal((htm.columns.datetime as string[])[99], "2016-12-17T02:59:59."); // as stored
    assert.deepEqual(htm.table.get("time", 0), new Date("2016-12-13T00:00:00Z"));
    assert.equal((htm.columns.value as Float32Array)[0], Math.fround(0.000412447));
    assert.equal(htm.units.value, "mol mol-1");
    assert.match(String(htm.header.dataset_citation ?? htm.header.obspack_citation ?? ""), /./);
    const air = await parseNetCDFTable(
      await Deno.readFile(realFixture("data/co2_con_aircraft-insitu_42_allvalid_small.nc")),
    );
    assert.equal(air.rows, 318);
    assert.equal(
      new Date((air.columns.time as Float64Array)[317]).toISOString(),
      "2005-11-05T21:07:34.000Z",
    );
    assert.ok((air.header.variables as string[]).includes("time_components"));
  },
);

Deno.test("readOriginal() says when a format has no parser, and what to use instead", async () => {
  const e = await readOriginal(new Uint8Array([37, 80, 68, 70]), {
    format: "pdf",
    fileName: "a.pdf",
  })
    .then(() => undefined, (e) => e);
  assert.ok(e instanceof NoParserError);
  assert.equal(e.format, "pdf");
  assert.match(e.message, /fileStream\(\)/);
});

Deno.test("Dobj.readFile() against the emulator: every format it serves, with the columns the binary table lacks", async (t) => {
  const emu = await sharedEmulator();
  const u = emu.users[0];
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: u.email, password: u.password },
  });
  const anon = new CarbonPortal({ portal: emu.endpoints });
  const find = (p: string) => emu.dataset.objects.find((o) => o.fileName.includes(p))!;

  await t.step(
    "ATC level 2 (zipped): LTR, CMR, STTB and the measurement scale (pylib#195, #148)",
    async () => {
      const d = await cp.dobj(find("L2-2024.1_HTM_150.0_CTS_CH4").id);
      assert.ok(!d.colNames.includes("LTR")); // the binary table does not carry them
      const f = await d.readFile();
      assert.equal(f.format, "atc-csv");
      for (const c of ["LTR", "CMR", "STTB", "QualityId", "QcBias", "ch4-WithoutSpikes"]) {
        assert.ok(f.columnNames.includes(c), c);
      }
      assert.equal(f.header["MEASUREMENT SCALE"], "WMO CH4 X2004A");
      assert.equal(f.header["HEADER LINES"], "40");
      assert.equal(f.units.LTR, "nmol.mol-¹");
      const cols = await d.getColumns(["TIMESTAMP", "ch4"], { keepBadData: true });
      assert.equal(f.rows, cols.ch4.length);
      assert.deepEqual(f.columns.TIMESTAMP, cols.TIMESTAMP);
      const ch4 = f.columns.ch4 as Float64Array;
      for (let i = 0; i < f.rows; i++) {
        const c = (cols.ch4 as Float32Array)[i];
        if (Number.isNaN(c)) assert.ok(Number.isNaN(ch4[i]), `row ${i}`);
        else assert.equal(Math.fround(ch4[i]), c, `row ${i}`);
      }
    },
  );

  await t.step("ObsPack NetCDF, without an account on consent", async () => {
    const d = await anon.dobj(find("co2_htm_tower-insitu_466").id);
    await assert.rejects(d.readFile(), /acceptLicence/);
    const f = await d.readFile({ acceptLicence: true });
    assert.equal(f.format, "obspack-netcdf");
    assert.equal(f.rows, 720);
    assert.equal(f.header.site_code, "HTM");
    assert.equal(f.header.dataset_calibration_scale, "WMO CO2 X2019");
    assert.deepEqual(f.table.get("time", 1), new Date("2022-06-01T01:00:00Z"));
    assert.ok((f.columns.qc_flag as string[]).every((q) => q === "O" || q === "N"));
  });

  await t.step("ETC archive: each table of the zip, time as time", async () => {
    const f = await (await cp.dobj(find("ICOSETC_SE-Htm_ARCHIVE_L2").id)).readFile({
      utcOffsetHours: 1,
    });
    assert.equal(f.format, "zip");
    assert.deepEqual(Object.keys(f.parts!), [
      "ICOSETC_SE-Htm_FLUXES_L2.csv",
      "ICOSETC_SE-Htm_METEO_L2.csv",
      "ICOSETC_SE-Htm_VARINFO_FLUXES_L2.csv",
    ]);
    const fluxes = f.parts!["ICOSETC_SE-Htm_FLUXES_L2.csv"];
    assert.equal(fluxes.rows, 1440);
    assert.deepEqual(fluxes.table.get("TIMESTAMP_START", 0), new Date("2022-05-31T23:00:00Z"));
    assert.ok(fluxes.columns.FC_SSITC_TEST instanceof Int32Array);
    assert.deepEqual(f.columnNames, fluxes.columnNames);
  });

  await t.step("ETC half-hourly product, the same values as the binary table", async () => {
    const d = await cp.dobj(find("FLUXNET_HH_L2_202206").id);
    const f = await d.readFile({ utcOffsetHours: 1 });
    assert.equal(f.format, "etc-csv");
    const cols = await d.getColumns(["TIMESTAMP", "TA_F"], { keepBadData: true });
    assert.deepEqual(f.columns.TIMESTAMP_START, cols.TIMESTAMP);
    const ta = f.columns.TA_F as Float64Array;
    (cols.TA_F as Float32Array).forEach((v, i) =>
      Number.isNaN(v) ? assert.ok(Number.isNaN(ta[i])) : assert.equal(Math.fround(ta[i]), v)
    );
  });

  await t.step("spatial NetCDF and the plain benchmark-style ATC table", async () => {
    const f = await (await anon.dobj(find("flux_inversion_europe_2022").id)).readFile();
    assert.equal(f.format, "netcdf");
    assert.equal(f.rows, 12);
    assert.deepEqual(f.timeColumns, ["time"]);
    assert.ok((f.header.variables as string[]).includes("co2flux"));
  });
});

Deno.test(
  peerTest("the emulator's originals read the same in pandas and netCDF4-python", {
    python: ["pandas", "netCDF4"],
  }, async () => {
    const emu = await sharedEmulator();
    const dir = await Deno.makeTempDir({ prefix: "icoscp-originals-" });
    try {
      const find = (p: string) => emu.dataset.objects.find((o) => o.fileName.includes(p))!;
      // the ATC file inside its zip
      const atcZip = find("L2-2024.1_HTM_150.0_CTS_CH4");
      const atc = await readOriginal(atcZip.file(), { format: "asciiAtcProductTimeSer" });
      const { zipEntries, zipRead } = await import("../../src/_util/zip_reader.ts");
      const zip = atcZip.file();
      const atcPath = join(dir, "atc.csv");
      await Deno.writeFile(atcPath, await zipRead(zip, zipEntries(zip)[0]));
      assertSameColumns(atc, (await peer("atc", atcPath)).columns);

      const obs = find("co2_htm_tower-insitu_466");
      const obsPath = join(dir, "obspack.nc");
      await Deno.writeFile(obsPath, obs.file());
      const ours = await readOriginal(obs.file(), { format: "netcdfTimeSeries" });
      assertSameColumns(ours, (await peer("netcdf", obsPath)).columns);

      const arch = find("ICOSETC_SE-Htm_ARCHIVE_L2").file();
      const parsed = await readOriginal(arch, { format: "zipArchive" });
      for (const e of zipEntries(arch).filter((e) => !e.name.includes("VARINFO"))) {
        const p = join(dir, e.name);
        await Deno.writeFile(p, await zipRead(arch, e));
        assertSameColumns(parsed.parts![e.name], (await peer("etc", p)).columns);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }),
);
