// The STILT client against the emulator's STILT service.

import assert from "node:assert/strict";
import { CarbonPortal } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { realFixture, withRealFixtures } from "../_fixtures.ts";
import { InvalidArgumentError, TruncatedDataError } from "../../src/errors.ts";

// One emulator for the file: no test here changes its state.
const emu = await startEmulator();
globalThis.addEventListener("unload", () => void emu.close());

// deno-lint-ignore require-await
async function setup(auth = false) {
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    ...(auth ? { auth: { user: emu.user, password: emu.password } } : {}),
  });
  return { emu, cp };
}

Deno.test("StiltApi.list() joins stationinfo with ICOS station facts", async () => {
  const { cp } = await setup();
  const all = await cp.stilt.list();
  assert.deepEqual(all.map((s) => s.id), ["GAT344", "HHHH", "HTM150", "JFJ", "ZSF"]);
  const gat = await cp.stilt.get("GAT344");
  assert.deepEqual([gat.name, gat.lat, gat.lon, gat.alt, gat.locIdent, gat.country], [
    "Gartow 344m",
    53.07,
    11.44,
    344,
    "53.07Nx011.44Ex00344",
    "DE",
  ]);
  assert.deepEqual(
    { ...gat.icos, uri: gat.icos!.uri.replace(emu.endpoints.metaInstancePrefix, "") },
    {
      stationId: "GAT",
      name: "Gartow",
      country: "DE",
      lat: 53.0657,
      lon: 11.4429,
      eas: 70,
      uri: "resources/stations/AS_GAT",
      SamplingHeight: 341,
    },
  );
  assert.equal((await cp.stilt.get("HHHH")).icos, undefined);
  assert.deepEqual((await cp.stilt.get(["zsf", "HTM"])).map((s) => s.id), ["ZSF", "HTM150"]);
  await assert.rejects(cp.stilt.get("XXX123"), /No STILT station XXX123/);
});

Deno.test(
  withRealFixtures("StiltStation.toDict() gives icoscp_stilt's dictionaries for HHHH and ZSF"),
  async () => {
    const { cp } = await setup();
    const expected = async (id: string) =>
      JSON.parse(
        await Deno.readTextFile(
          realFixture(`pylib/stiltstation-mock-data/station-metadata/${id}.json`),
        ),
      )[id];
    assert.deepEqual(await (await cp.stilt.get("HHHH")).toDict(), await expected("HHHH"));
    const zsf = await (await cp.stilt.get("ZSF")).toDict();
    const want = await expected("ZSF");
    for (const k of ["alt", "country", "geoinfo", "id", "lat", "locIdent", "lon", "name", "2006"]) {
      assert.deepEqual(zsf[k], want[k], k);
    }
    const icos = zsf.icos as Record<string, unknown>;
    assert.deepEqual(
      {
        ...icos,
        uri: (icos.uri as string[]).map((u) =>
          u.replace(emu.endpoints.metaInstancePrefix, "http://meta.icos-cp.eu/")
        ),
      },
      want.icos,
    );
  },
);

Deno.test("StiltApi.find() applies icoscp_stilt's filters in the order given", async () => {
  const { cp } = await setup();
  const ids = async (f: Parameters<typeof cp.stilt.find>[0]) => (await cp.stilt.find(f)).ids;
  assert.deepEqual(await ids({ id: ["ZSF", "htm"] }), ["HTM150", "ZSF"]);
  assert.deepEqual(await ids({ search: "zugspitze" }), ["ZSF"]);
  for (const country of ["DE", "deu", "Germany", "Deutschland", "Allemagne", "Alemania"]) {
    assert.deepEqual(await ids({ country }), ["GAT344", "ZSF"], country);
  }
  assert.deepEqual(await ids({ country: "IE" }), ["HHHH"]);
  assert.deepEqual(await ids({ icos: true }), ["GAT344", "HTM150", "ZSF"]);
  assert.deepEqual(await ids({ icos: false }), ["HHHH", "JFJ"]);
  assert.deepEqual(await ids({ project: "icos" }), ["GAT344", "HTM150", "ZSF"]);
  assert.deepEqual(await ids({ bbox: [[60, 5], [50, 15]] }), ["GAT344", "HTM150"]);
  assert.deepEqual(await ids({ pinpoint: [47, 9] }), ["JFJ", "ZSF"]);
  assert.deepEqual(await ids({ pinpoint: [47.4, 10.9, 50] }), ["ZSF"]);
  const de = await cp.stilt.find({ country: "DE" });
  assert.deepEqual(await ids({ stations: de, icos: true }), ["GAT344", "ZSF"]);
  assert.deepEqual(await ids({ stations: ["HHHH", "JFJ"], country: "CH" }), ["JFJ"]);
  const progress: number[] = [];
  const dated = await cp.stilt.find({ sdate: "2006-02", edate: "2006-02" }, {
    onProgress: (d) => progress.push(d),
  });
  assert.deepEqual(dated.ids, []);
  assert.ok(progress.length > 0);
  assert.deepEqual(await ids({ dates: ["2006-03-15"] }), ["HHHH", "ZSF"]);
  assert.deepEqual(await ids({ country: "IE", sdate: "2006-08" }), ["HHHH"]);
  assert.deepEqual(await ids({ edate: "2006-01-31", country: "DE" }), ["ZSF"]);
  await assert.rejects(cp.stilt.find({ sdate: "2020-01", edate: "2019-01" }), InvalidArgumentError);
});

Deno.test("StiltSelection renders records, a table, a map and the yearly availability", async () => {
  const { cp } = await setup();
  const sel = await cp.stilt.find({ country: "IE" });
  assert.equal(sel.records()[0].name, "HHHH 100m");
  assert.deepEqual(sel.toTable().columnNames(), [
    "id",
    "name",
    "lat",
    "lon",
    "alt",
    "country",
    "locIdent",
    "icosId",
    "icosHeight",
    "years",
  ]);
  assert.match(sel.toMap(), /"title":"HHHH 100m \(HHHH\)"/);
  const avail = (await sel.availability()).objects() as Record<string, unknown>[];
  assert.deepEqual(avail, [{ id: "HHHH", "ICOS id": "", alt: 100, "2006": 7 }]);
});

Deno.test("StiltStation.getTs() returns 3-hourly series with column groups and the hour rule", async () => {
  const { cp } = await setup();
  const gat = await cp.stilt.get("GAT344");
  const t = await gat.getTs("2016-05-10", "2016-05-11");
  assert.equal(t.numRows(), 16);
  assert.deepEqual(t.columnNames(), [
    "isodate",
    "co2.stilt",
    "co2.bio",
    "co2.fuel",
    "co2.cement",
    "co2.non_fuel",
    "co2.background",
  ]);
  const rows = t.objects() as Record<string, number>[];
  assert.equal(new Date(rows[0].isodate).toISOString(), "2016-05-10T00:00:00.000Z");
  for (const r of rows.filter((x) => !Number.isNaN(x["co2.stilt"]))) {
    const sum = r["co2.background"] + r["co2.bio"] + r["co2.fuel"] + r["co2.cement"] +
      r["co2.non_fuel"];
    assert.ok(Math.abs(sum - r["co2.stilt"]) < 1e-9);
  }
  const two = await gat.getTs("2016-05-10", "2016-05-11", { hours: ["02:00", 3, 4] });
  assert.deepEqual((two.array("isodate") as number[]).map((x) => new Date(x).getUTCHours()), [
    0,
    3,
    0,
    3,
  ]);
  const nine = await gat.getTs("2016-05-10", "2016-05-10", {
    hours: ["10", "10:00", 10],
    columns: "ch4",
  });
  assert.equal(nine.numRows(), 1);
  assert.equal(new Date(nine.get("isodate", 0) as number).getUTCHours(), 9);
  assert.equal(nine.columnNames().length, 13);
  const all = await gat.getTs("2016-05-10", "2016-05-10", { columns: "ALL" });
  assert.equal(new Set(all.columnNames()).size, all.columnNames().length);
});

Deno.test("StiltStation.getFp() gives the same grid through rasters and the NetCDF package", async () => {
  const { cp } = await setup(true);
  const gat = await cp.stilt.get("GAT344");
  const slots = await gat.listFootprints("2016-05-10", "2016-05-10");
  assert.equal(slots.length, 8);
  assert.equal(slots[0], "2016-05-10T00:00Z");
  const raster = await gat.getFp("2016-05-10", "2016-05-10", { via: "raster", hours: [0, 12] });
  const netcdf = await gat.getFp("2016-05-10", "2016-05-10", { via: "netcdf", hours: [0, 12] });
  assert.deepEqual(raster.shape, [2, 480, 400]);
  assert.deepEqual(netcdf.shape, raster.shape);
  assert.deepEqual(Array.from(netcdf.time), Array.from(raster.time));
  assert.ok(raster.lat.every((v, i) => Math.abs(v - netcdf.lat[i]) < 1e-9));
  assert.ok(raster.lon.every((v, i) => Math.abs(v - netcdf.lon[i]) < 1e-9));
  assert.ok(raster.values.every((v, i) => v === netcdf.values[i]));
  assert.equal(netcdf.lat[0], 33);
  assert.equal(netcdf.lon[399], 34.875);
  assert.ok(raster.total() > 0);
  const noon = raster.sel(new Date(Date.UTC(2016, 4, 10, 12)));
  assert.equal(noon.length, 480 * 400);
  assert.ok(Math.abs(raster.sum().reduce((a, b) => a + b, 0) - raster.total()) < 1e-9);
  const png = await raster.toPng();
  assert.equal(png[1], 80);
  await assert.rejects(gat.getFp("1990-01-01", "1990-01-01", { via: "raster" }), /No footprints/);
});

Deno.test("StiltStation.getObspackList() asks for ICOS ObsPack observations at the station and height", async () => {
  const { cp } = await setup();
  const t = await (await cp.stilt.get("GAT344")).getObspackList();
  assert.deepEqual(t.columnNames(), [
    "dobj",
    "spec",
    "fileName",
    "samplingHeight",
    "timeStart",
    "timeEnd",
  ]);
  assert.equal((await (await cp.stilt.get("HHHH")).getObspackList()).numRows(), 0);
});

Deno.test("StiltStation.getRawTs() returns the raw STILT output of the existing slots", async () => {
  const { cp } = await setup();
  const gat = await cp.stilt.get("GAT344");
  const slots = await gat.listFootprints("2016-05-10", "2016-05-10");
  const raw = await gat.getRawTs("2016-05-10", "2016-05-10");
  assert.equal(raw.numRows(), slots.length);
  assert.ok(raw.columnNames().length > 100);
  assert.ok(raw.columnNames().includes("co2ini") && raw.columnNames().includes("metadata"));
  assert.equal(typeof raw.get("metadata", 0), "string");
  assert.deepEqual(
    (raw.array("isodate") as number[]).map((t) => new Date(t).toISOString().slice(0, 16) + "Z"),
    slots,
  );
  const some = await gat.getRawTs("2016-05-10", "2016-05-10", { columns: ["co2ini", "rn"] });
  assert.deepEqual(some.columnNames(), ["isodate", "co2ini", "rn"]);
  assert.deepEqual(
    Array.from(some.array("co2ini") as ArrayLike<number>),
    Array.from(raw.array("co2ini") as ArrayLike<number>),
  );
});

/** A fetch to the emulator whose answers to URLs ending in `path` break as `how` says, `times` times. */
function breaking(path: string, how: "drop" | "truncate", times: number) {
  let broken = 0, calls = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const res = await globalThis.fetch(input, init);
    if (!new URL(String(input)).pathname.endsWith(path)) return res;
    calls++;
    if (broken >= times) return res;
    broken++;
    const bytes = new Uint8Array(await res.arrayBuffer());
    const half = bytes.subarray(0, bytes.length >> 1);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(half);
        if (how === "drop") c.error(new TypeError("connection reset"));
        else c.close();
      },
    });
    return new Response(body, {
      status: res.status,
      headers: { "content-type": "application/json" },
    });
  };
  return { fetch, calls: () => calls };
}

Deno.test("StiltStation.getTs() fetches a results body dropped once or cut short again (issue 22)", async () => {
  await using emu = await startEmulator();
  for (const how of ["drop", "truncate"] as const) {
    const b = breaking("/stiltresult", how, 1);
    const cp = new CarbonPortal({ portal: emu.endpoints, fetch: b.fetch, retry: { minDelay: 1 } });
    const t = await (await cp.stilt.get("GAT344")).getTs("2016-05-10", "2016-05-11");
    assert.equal(t.numRows(), 16, how);
    assert.equal(b.calls(), 2, how);
  }
  // cut short every time: a typed error, never a raw SyntaxError
  const b = breaking("/stiltresult", "truncate", 100);
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    fetch: b.fetch,
    retry: { minDelay: 1, retries: 2 },
  });
  await assert.rejects(
    (await cp.stilt.get("GAT344")).getTs("2016-05-10", "2016-05-11"),
    (e) => e instanceof TruncatedDataError && /not complete JSON/.test((e as Error).message),
  );
  assert.equal(b.calls(), 3);
});

Deno.test("sparql.select() fetches a body dropped once again (issue 22)", async () => {
  await using emu = await startEmulator();
  const b = breaking("/sparql", "drop", 1);
  const cp = new CarbonPortal({ portal: emu.endpoints, fetch: b.fetch, retry: { minDelay: 1 } });
  const r = await cp.sparql.select("select ?s where { ?s ?p ?o } limit 3");
  assert.equal(r.rows.length, 3);
  assert.equal(b.calls(), 2);
});
