// Parity with the Python docs' "STILT" section (icoscp.stilt.stiltstation),
// against the emulator's STILT service: every documented find() keyword,
// get(), the station attributes, get_ts, get_fp and get_dobj_list. Each test
// names the Python call it mirrors.
//
// The emulator's STILT stations: GAT344 (DE, ICOS GAT at 341 m, 2016–2020),
// HHHH (IE, not ICOS, 2006), HTM150 (SE, ICOS HTM at 150 m, 2017–2019),
// JFJ (CH, ICOS, 2012-12 and 2018–2019), ZSF (DE, ICOS, 2006 and 2018–2020).

import assert from "node:assert/strict";
import { CarbonPortal, NotFoundError } from "../../mod.ts";
import { stiltColumns } from "../../src/stilt/mod.ts";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";

// One emulator for the file: no test here changes its state.
const emu = await startEmulator();
globalThis.addEventListener("unload", () => void emu.close());

// deno-lint-ignore require-await
async function setup(): Promise<{ emu: Emulator; cp: CarbonPortal }> {
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
    retry: { minDelay: 1 },
  });
  return { emu, cp };
}

const ALL = ["GAT344", "HHHH", "HTM150", "JFJ", "ZSF"];

Deno.test("stiltstation.find(): every station, as a dict keyed by id", async () => {
  const { cp } = await setup();
  const sel = await cp.stilt.find();
  assert.deepEqual(sel.ids, ALL);
  const dict = sel.toDict();
  assert.deepEqual(Object.keys(dict), ALL);
  for (const k of ["id", "name", "lat", "lon", "alt", "locIdent", "country", "icos", "years"]) {
    assert.ok(k in dict.GAT344, k);
  }
});

Deno.test("stiltstation.find(id=['NOR','GAT344']): STILT and ICOS ids mixed, any case", async () => {
  const { cp } = await setup();
  assert.deepEqual((await cp.stilt.find({ id: ["htm", "GAT344"] })).ids, ["GAT344", "HTM150"]);
  assert.deepEqual((await cp.stilt.find({ id: "zsf" })).ids, ["ZSF"]);
  // an id that names no station: a typed error naming the stations, never a silent []
  await assert.rejects(cp.stilt.find({ id: ["NOR", "GAT344"] }), (e) => {
    assert.ok(e instanceof NotFoundError);
    assert.match(e.message, /No STILT station NOR \(stations: GAT344, HHHH, HTM150, JFJ, ZSF\)/);
    return true;
  });
});

Deno.test("stiltstation.find(search=...) and find(stations=myStations, country=...)", async () => {
  const { cp } = await setup();
  const mine = await cp.stilt.find({ search: "GARTOW" });
  assert.deepEqual(mine.ids, ["GAT344"]);
  const de = await cp.stilt.find({ search: "DE" });
  const refined = await cp.stilt.find({ stations: de, country: "Germany" });
  assert.deepEqual(refined.ids, ["GAT344", "ZSF"]);
  // stations= as Python passes it: the dict an earlier find() returned
  const fromDict = await cp.stilt.find({ stations: de.toDict(), country: "DEU" });
  assert.deepEqual(fromDict.ids, ["GAT344", "ZSF"]);
});

Deno.test("stiltstation.find(country=['Swe','norge','IT']): every listed country, codes and names in any case", async () => {
  const { cp } = await setup();
  assert.deepEqual((await cp.stilt.find({ country: ["SE", "DE"] })).ids, [
    "GAT344",
    "HTM150",
    "ZSF",
  ]);
  assert.deepEqual((await cp.stilt.find({ country: ["Swe", "norge", "IT"] })).ids, ["HTM150"]);
  assert.deepEqual((await cp.stilt.find({ country: "se" })).ids, ["HTM150"]);
  assert.deepEqual((await cp.stilt.find({ country: ["deu", "Schweiz"] })).ids, [
    "GAT344",
    "JFJ",
    "ZSF",
  ]);
  await assert.rejects(cp.stilt.find({ country: ["SE", "Atlantis"] }), (e) => {
    assert.ok(e instanceof NotFoundError);
    assert.match(e.message, /Unknown country Atlantis/);
    return true;
  });
});

Deno.test("stiltstation.find(project='icos'): ICOS stations only", async () => {
  const { cp } = await setup();
  const ids = (await cp.stilt.find({ project: "icos" })).ids;
  // JFJ has an ICOS id in STILT's list but is no ICOS atmosphere station in the emulator's metadata
  assert.deepEqual(ids, ["GAT344", "HTM150", "ZSF"]);
  assert.deepEqual((await cp.stilt.find({ project: "ICOS" })).ids, ids);
});

Deno.test("stiltstation.find(bbox=[(lat NW, lon NW), (lat SE, lon SE)]) and find(pinpoint=[lat, lon, km])", async () => {
  const { cp } = await setup();
  // roughly Scandinavia (as the docs' example)
  assert.deepEqual((await cp.stilt.find({ bbox: [[70, 4], [55, 32]] })).ids, ["HTM150"]);
  // pinpoint=[55.7, 13.1, 500]: ±5 degrees
  assert.deepEqual((await cp.stilt.find({ pinpoint: [55.7, 13.1, 500] })).ids, [
    "GAT344",
    "HTM150",
  ]);
  // pinpoint=[55.7, 13.1]: default 200 km, ±2 degrees
  assert.deepEqual((await cp.stilt.find({ pinpoint: [55.7, 13.1] })).ids, ["HTM150"]);
});

Deno.test("stiltstation.find(sdate=, edate=, dates=[...]) with progress", async () => {
  const { cp } = await setup();
  let calls = 0;
  const onProgress = () => void calls++;
  assert.deepEqual((await cp.stilt.find({ sdate: "2020-05-01" }, { onProgress })).ids, [
    "GAT344",
    "ZSF",
  ]);
  assert.ok(calls > 0);
  assert.deepEqual((await cp.stilt.find({ edate: "2006-12-31" })).ids, ["HHHH", "ZSF"]);
  assert.deepEqual(
    (await cp.stilt.find({ sdate: "2012-01-01", edate: "2013-06-30" })).ids,
    ["JFJ"],
  );
  // only year and month count; HTM150 has no July 2018
  assert.deepEqual(
    (await cp.stilt.find({ id: ["HTM150", "GAT344"], dates: ["2018-07-15"] })).ids,
    ["GAT344"],
  );
  assert.deepEqual(
    (await cp.stilt.find({ dates: ["2006-02-01", "2006/09/23"] })).ids,
    ["ZSF"],
  );
});

Deno.test("stiltstation.find(outfmt='pandas'|'list'|'map'|'avail')", async () => {
  const { cp } = await setup();
  const sel = await cp.stilt.find({ country: "DE" });
  // pandas: one row per station
  const t = sel.toTable();
  assert.equal(t.numRows(), 2);
  for (const c of ["id", "name", "lat", "lon", "alt", "country", "icosId", "years"]) {
    assert.ok(t.columnNames().includes(c), c);
  }
  // list: station objects
  const list = await cp.stilt.get(sel);
  assert.deepEqual(list.map((s) => s.id), ["GAT344", "ZSF"]);
  // map: a standalone page
  assert.match(sel.toMap(), /^<!DOCTYPE html>/i);
  // avail: months per year per station
  const avail = await sel.availability();
  assert.deepEqual(avail.columnNames().slice(0, 3), ["id", "ICOS id", "alt"]);
  assert.equal(avail.get("2016", 0), 12);
  assert.equal(avail.get("2006", 1), 11);
});

Deno.test("stiltstation.get(id), get(['KIT','HTM150']), get(find(...)) in each shape find() gives", async () => {
  const { cp } = await setup();
  const one = await cp.stilt.get("HTM150");
  assert.equal(one.id, "HTM150");
  assert.deepEqual((await cp.stilt.get(["ZSF", "htm150"])).map((s) => s.id), ["ZSF", "HTM150"]);
  await assert.rejects(cp.stilt.get(["KIT", "HTM150"]), NotFoundError);
  const sel = await cp.stilt.find({ country: ["SE", "DE"] });
  const expect = ["GAT344", "HTM150", "ZSF"];
  assert.deepEqual((await cp.stilt.get(sel)).map((s) => s.id), expect);
  assert.deepEqual((await cp.stilt.get(sel.toDict())).map((s) => s.id), expect);
  assert.deepEqual((await cp.stilt.get(sel.records())).map((s) => s.id), expect);
  assert.deepEqual((await cp.stilt.get(sel.stations)).map((s) => s.id), expect);
  assert.equal(await cp.stilt.get(one), one);
});

Deno.test("StiltStation .id, .locIdent, .alt, .lat, .lon, .name, .icos, .years, .info, .geoinfo", async () => {
  const { cp } = await setup();
  const s = await cp.stilt.get("GAT344");
  assert.equal(s.id, "GAT344");
  assert.equal(s.locIdent, "53.07Nx011.44Ex00344");
  assert.deepEqual([s.alt, s.lat, s.lon], [344, 53.07, 11.44]);
  assert.equal(typeof s.name, "string");
  assert.equal(s.icos?.stationId, "GAT");
  assert.equal(s.icos?.SamplingHeight, 341);
  assert.deepEqual(s.years, [2016, 2017, 2018, 2019, 2020, 2021, 2022]);
  assert.equal(s.geoinfo.name.common, "Germany");
  const info = await s.toDict();
  assert.deepEqual((info["2016"] as { nmonths: number }).nmonths, 12);
  assert.equal((await cp.stilt.get("HHHH")).icos, undefined);
});

Deno.test(".get_ts(start_date, end_date, hours, columns): every documented column set", async () => {
  const { cp } = await setup();
  const s = await cp.stilt.get("GAT344");
  for (const set of ["default", "co2", "co", "rn", "wind", "latlon", "all"] as const) {
    const t = await s.getTs("2018-01-01", "2018-01-02", { columns: set });
    assert.deepEqual(t.columnNames(), stiltColumns(set), set);
    assert.equal(t.columnNames()[0], "isodate");
    assert.equal(t.numRows(), 16, set); // two days of 3-hourly slots
  }
  // hours = ["02:00", 3, 4] → slots 0 and 3
  const h = await s.getTs("2018-01-01", "2018-01-01", { hours: ["02:00", 3, 4] });
  assert.deepEqual(
    Array.from(h.array("isodate") as Float64Array, (ms) => new Date(ms).getUTCHours()),
    [0, 3],
  );
  // hours = [] → all
  assert.equal((await s.getTs("2018-01-01", "2018-01-01", { hours: [] })).numRows(), 8);
});

Deno.test(".get_ts() for a period without STILT runs: an empty table with the columns, as in Python", async () => {
  const { cp } = await setup();
  const s = await cp.stilt.get("GAT344");
  const none = await s.getTs("2010-01-01", "2010-01-31");
  assert.equal(none.numRows(), 0);
  assert.deepEqual(none.columnNames(), stiltColumns("default"));
  // a period that reaches into a year without runs: the rows of the year with runs
  const part = await s.getTs("2015-12-31", "2016-01-01");
  assert.equal(part.numRows(), 8);
  assert.equal(
    new Date((part.array("isodate") as Float64Array)[0]).toISOString().slice(0, 10),
    "2016-01-01",
  );
  // JFJ: runs in 2012-12 and 2018, none in between
  const jfj = await cp.stilt.get("JFJ");
  const gap = await jfj.getTs("2012-12-31", "2018-01-01");
  assert.deepEqual(
    [
      ...new Set(
        Array.from(
          gap.array("isodate") as Float64Array,
          (ms) => new Date(ms).toISOString().slice(0, 10),
        ),
      ),
    ],
    ["2012-12-31", "2018-01-01"],
  );
});

Deno.test(".get_fp(start_date, end_date, hours): footprints with lat, lon, time", async () => {
  const { cp } = await setup();
  const s = await cp.stilt.get("HTM150");
  const fp = await s.getFp("2018-01-01", "2018-01-01", { hours: [0, 12] });
  assert.equal(fp.time.length, 2);
  assert.deepEqual(Array.from(fp.time, (ms) => new Date(ms).getUTCHours()), [0, 12]);
  assert.equal(fp.values.length, fp.time.length * fp.lat.length * fp.lon.length);
});

Deno.test(".get_dobj_list(): the ICOS observation objects at station and height, all levels, Python's keys", async () => {
  const { cp } = await setup();
  const t = await (await cp.stilt.get("GAT344")).getDobjList();
  assert.deepEqual(t.columnNames(), [
    "dobj",
    "hasNextVersion",
    "spec",
    "fileName",
    "size",
    "submTime",
    "timeStart",
    "timeEnd",
  ]);
  const expected = emu.dataset.objects.filter((o) =>
    o.station === "AS_GAT" && o.samplingHeight === 341 && o.kind === "data"
  );
  assert.ok(expected.length >= 2);
  assert.equal(t.numRows(), expected.length);
  const rows = t.objects() as {
    dobj: string;
    hasNextVersion: boolean;
    size: number;
    timeStart: Date;
  }[];
  for (const o of expected) {
    const r = rows.find((x) => x.dobj.endsWith(o.id))!;
    assert.ok(r, o.fileName);
    assert.equal(r.hasNextVersion, o.nextVersion !== undefined);
    assert.equal(r.size, o.size);
    assert.ok(r.timeStart instanceof Date);
  }
  const none = await (await cp.stilt.get("HHHH")).getDobjList();
  assert.equal(none.numRows(), 0);
  assert.equal(none.columnNames().length, 8);
});

Deno.test("icoscp_stilt fetch_observations(spec, stations, columns): one object's columns per STILT station", async () => {
  const { cp } = await setup();
  const spec = `${emu.endpoints.metaInstancePrefix}resources/cpmeta/atcCo2L2DataObject`;
  const stations = await cp.stilt.find({ country: ["SE", "DE", "IE"] });
  const obs = await cp.stilt.fetchObservations(spec, stations, { columns: ["TIMESTAMP", "co2"] });
  const expected = stations.stations.filter((s) =>
    emu.dataset.objects.some((o) =>
      o.spec === "atcCo2L2DataObject" && o.station === `AS_${s.icos?.stationId}` &&
      o.samplingHeight === s.icos?.SamplingHeight
    )
  ).map((s) => s.id);
  assert.ok(expected.includes("GAT344"));
  assert.deepEqual([...obs.keys()].sort(), expected.sort());
  const gat = obs.get("GAT344")!;
  assert.deepEqual(Object.keys(gat.columns).sort(), ["Flag", "TIMESTAMP", "co2"]);
  assert.equal(gat.columns.co2.length, gat.dobj.rows);
  assert.equal(gat.dobj.station?.id, "GAT");
});
