import assert from "node:assert/strict";
import {
  AuthenticationError,
  CarbonPortal,
  Dobj,
  NotFoundError,
  TruncatedDataError,
  UnsupportedFormatError,
} from "../../mod.ts";
import {
  atcObject,
  CPMETA,
  type FakeColumn,
  fakeObject,
  type FakeObjects,
  fakePortal,
} from "../_fake_portal.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const ID = "IM7PJYcuhiBpHtvEVuLhVk2M";

function client(objects: FakeObjects = { [ID]: atcObject() }, options = {}) {
  const portal = fakePortal(objects, options);
  return { cp: new CarbonPortal({ fetch: portal.fetch, retry: { minDelay: 1 } }), ...portal };
}

Deno.test("CarbonPortal.dobj() accepts an id, a PID, a landing URI and a handle URL", async () => {
  const { cp, requests } = client();
  for (
    const ref of [
      ID,
      `11676/${ID}`,
      `https://meta.icos-cp.eu/objects/${ID}`,
      `https://hdl.handle.net/11676/${ID}`,
    ]
  ) {
    const d = await cp.dobj(ref);
    assert.ok(d instanceof Dobj);
    assert.equal(d.id, ID);
  }
  assert.ok(requests.every((r) => r.url === `https://meta.icos-cp.eu/objects/${ID}`));
});

Deno.test("CarbonPortal.dobj() turns the portal's 500 for an unknown id into a NotFoundError without retrying", async () => {
  const { cp, requests } = client();
  await assert.rejects(cp.dobj("AAAAAAAAAAAAAAAAAAAAAAAA"), NotFoundError);
  assert.equal(requests.length, 1);
  await assert.rejects(cp.dobj("not an id"), InvalidArgumentError);
});

Deno.test("Dobj getters read the metadata", async () => {
  const { cp } = client();
  const d = await cp.dobj(ID);
  assert.equal(d.pid, `11676/${ID}`);
  assert.equal(d.uri, `https://meta.icos-cp.eu/objects/${ID}`);
  assert.equal(d.fileName, "ICOS_ATC_L2_GAT_341.0_CTS_CO2.zip");
  assert.equal(d.size, 1234);
  assert.equal(d.station?.id, "GAT");
  assert.equal(d.station?.org.name, "Gartow");
  assert.deepEqual([d.lat, d.lon, d.elevation, d.alt, d.samplingHeight], [
    53.0657,
    11.4429,
    70,
    70,
    341,
  ]);
  assert.equal(d.rows, 4);
  assert.deepEqual(d.colNames, ["TIMESTAMP", "co2", "Stdev", "NbPoints", "Flag"]);
  assert.deepEqual(d.previous, []);
  assert.deepEqual(d.next, []);
  assert.deepEqual(d.latest, [d.uri]);
  assert.equal(d.isDeprecated, false);
  assert.match(d.citation!, /Gartow \(341\.0 m\)/);
  assert.equal(d.getCitation("plain"), d.citation);
  assert.equal(d.getCitation("ris"), undefined);
  assert.throws(() => d.getCitation("apa" as "plain"), InvalidArgumentError);
  const v = d.variables.objects() as Record<string, string>[];
  assert.deepEqual(v[1], {
    name: "co2",
    unit: "µmol mol-1",
    type: "co2 type",
    format: "float32",
    flagFor: "",
  });
  assert.equal(v[4].format, "bmpChar");
});

Deno.test("Dobj.getColumns() requests the sorted schema and adds flag columns", async () => {
  const { cp, requests } = client();
  const d = await cp.dobj(ID);
  const cols = await d.getColumns(["co2"]);
  const req = requests.at(-1)!;
  assert.equal(req.url, "https://data.icos-cp.eu/cpb");
  assert.deepEqual(req.body, {
    tableId: ID,
    subFolder: "asciiAtcProductTimeSer",
    schema: { columns: ["CHAR", "INT", "FLOAT", "DOUBLE", "FLOAT"], size: 4 },
    columnNumbers: [0, 4],
  });
  assert.deepEqual(Object.keys(cols), ["Flag", "co2"]);
  assert.deepEqual(cols.Flag, ["N", "O", "K", "U"]);
  // N and K are not good flags (O, R, U): masked
  const co2 = cols.co2 as Float32Array;
  assert.ok(Number.isNaN(co2[0]) && Number.isNaN(co2[2]));
  assert.equal(co2[1], Math.fround(405.585));
  assert.equal(co2[3], Math.fround(407.25));
});

Deno.test("Dobj.getColumns() keeps bad data when asked and leaves unflagged columns alone", async () => {
  const { cp } = client();
  const d = await cp.dobj(ID);
  const cols = await d.getColumns(undefined, { keepBadData: true });
  assert.deepEqual(Object.keys(cols), ["Flag", "NbPoints", "Stdev", "TIMESTAMP", "co2"]);
  assert.equal((cols.co2 as Float32Array)[2], Math.fround(406.5));
  const masked = await d.getColumns();
  assert.equal((masked.Stdev as Float32Array)[0], Math.fround(-9.99));
  assert.deepEqual(masked.NbPoints, new Int32Array([0, 11, 12, 11]));
  assert.equal(
    new Date((masked.TIMESTAMP as Float64Array)[0]).toISOString(),
    "2016-05-10T00:00:00.000Z",
  );
});

Deno.test("Dobj.getColumns() sends slices and rejects rows outside the table", async () => {
  const { cp, requests } = client();
  const d = await cp.dobj(ID);
  const cols = await d.getColumns(["NbPoints"], { offset: 1, length: 2 });
  assert.deepEqual(requests.at(-1)!.body, {
    tableId: ID,
    subFolder: "asciiAtcProductTimeSer",
    schema: { columns: ["CHAR", "INT", "FLOAT", "DOUBLE", "FLOAT"], size: 4 },
    columnNumbers: [1],
    slice: { offset: 1, length: 2 },
  });
  assert.deepEqual(cols.NbPoints, new Int32Array([11, 12]));
  assert.deepEqual(
    (await d.getColumns(["NbPoints"], { offset: 3 })).NbPoints,
    new Int32Array([11]),
  );
  await assert.rejects(d.getColumns(["NbPoints"], { offset: 3, length: 2 }), InvalidArgumentError);
  await assert.rejects(d.getColumns(["ch4"]), /has no column ch4/);
});

Deno.test("Dobj.get() returns an arquero table over the columns", async () => {
  const { cp } = client();
  const t = await (await cp.dobj(ID)).get(["co2", "TIMESTAMP"], { keepBadData: true });
  assert.equal(t.numRows(), 4);
  assert.deepEqual(t.columnNames(), ["Flag", "TIMESTAMP", "co2"]);
  assert.equal(t.get("co2", 1), Math.fround(405.585));
});

Deno.test("Dobj.getColumns() turns every time format into milliseconds since the epoch", async () => {
  const NULL = -2147483648;
  const columns: FakeColumn[] = [
    { label: "a_date", format: "iso8601date", type: "INT", values: [16931, NULL] },
    { label: "b_etcdate", format: "etcDate", type: "INT", values: [16436, 0] },
    { label: "c_month", format: "iso8601month", type: "INT", values: [2016 * 12 + 4, NULL] },
    { label: "d_tod", format: "iso8601timeOfDay", type: "INT", values: [1800, 86400 + 60] },
    {
      label: "e_dt",
      format: "isoLikeLocalDateTime",
      type: "DOUBLE",
      values: [Date.UTC(2018, 0, 1), NaN],
    },
    {
      label: "f_etclocal",
      format: "etcLocalDateTime",
      type: "DOUBLE",
      values: [Date.UTC(2017, 11, 31, 22, 30), 0],
    },
    { label: "g_bool", format: "boolean", type: "BYTE", values: [1, -128] },
    { label: "h_char", format: "bmpChar", type: "CHAR", values: [0x4f, 0] },
  ];
  const id = "BBBBBBBBBBBBBBBBBBBBBBBB";
  const { cp } = client({ [id]: { meta: fakeObject(id, columns), columns } });
  const c = await (await cp.dobj(id)).getColumns();
  const iso = (x: number) => (Number.isNaN(x) ? "NaN" : new Date(x).toISOString());
  assert.deepEqual(Array.from(c.a_date as Float64Array, iso), ["2016-05-10T00:00:00.000Z", "NaN"]);
  assert.deepEqual(Array.from(c.b_etcdate as Float64Array, iso), [
    "2015-01-01T00:00:00.000Z",
    "1970-01-01T00:00:00.000Z",
  ]);
  assert.deepEqual(Array.from(c.c_month as Float64Array, iso), ["2016-05-01T00:00:00.000Z", "NaN"]);
  assert.deepEqual(Array.from(c.d_tod as Float64Array), [1_800_000, 86_460_000]);
  assert.deepEqual(Array.from(c.e_dt as Float64Array, iso), ["2018-01-01T00:00:00.000Z", "NaN"]);
  assert.equal(iso((c.f_etclocal as Float64Array)[0]), "2017-12-31T22:30:00.000Z");
  assert.deepEqual(c.g_bool, new Int8Array([1, -128]));
  assert.deepEqual(c.h_char, ["O", ""]);
});

Deno.test("Dobj.getColumns() refuses objects without a table and string columns", async () => {
  const spatialId = "CCCCCCCCCCCCCCCCCCCCCCCC";
  const spatial = fakeObject(spatialId, []);
  (spatial as Record<string, unknown>).specificInfo = {
    title: "Flux map",
    spatial: { _type: "LatLonBox" },
    temporal: { interval: { start: "2020-01-01T00:00:00Z", stop: "2020-12-31T00:00:00Z" } },
    productionInfo: {
      creator: { self: { uri: "x" }, name: "x" },
      contributors: [],
      dateTime: "2021-01-01T00:00:00Z",
    },
  };
  const strId = "DDDDDDDDDDDDDDDDDDDDDDDD";
  const strCols: FakeColumn[] = [{ label: "site", format: "string", type: "STRING", values: [] }];
  const { cp } = client({
    [spatialId]: { meta: spatial, columns: [] },
    [strId]: { meta: fakeObject(strId, strCols), columns: strCols },
  });
  const d = await cp.dobj(spatialId);
  assert.equal(d.station, undefined);
  await assert.rejects(d.getColumns(), (e) => {
    assert.ok(e instanceof UnsupportedFormatError);
    assert.match(e.message, /a spatial object/);
    return true;
  });
  await assert.rejects((await cp.dobj(strId)).getColumns(), /cannot serve/);
  assert.equal(`${CPMETA}string`.endsWith("string"), true);
});

Deno.test("Dobj.getColumns() resumes a short body by row offset instead of returning a short table", async () => {
  // 4 INT rows = 16 bytes, cut to 10: rows 0-1 arrived, rows 2-3 are asked for again
  const { cp } = client(undefined, { truncate: 10 });
  const d = await cp.dobj(ID);
  assert.deepEqual((await d.getColumns(["NbPoints"])).NbPoints, new Int32Array([0, 11, 12, 11]));
  // cut to 2 bytes: not one row arrives, and after the retries a TruncatedDataError
  const { cp: cut } = client(undefined, { truncate: 2 });
  await assert.rejects((await cut.dobj(ID)).getColumns(["NbPoints"]), (e) => {
    assert.ok(e instanceof TruncatedDataError);
    assert.equal(e.byteOffset, 2);
    return true;
  });
});

Deno.test("Dobj.getColumns() sends the auth cookie and explains a missing login", async () => {
  const token = btoa('[4102444800000,"a@b.c","Password"]\u001esig');
  const portal = fakePortal({ [ID]: atcObject() }, { cookie: `cpauthToken=${token}` });
  const anonymous = new CarbonPortal({ fetch: portal.fetch });
  await assert.rejects((await anonymous.dobj(ID)).getColumns(["NbPoints"]), (e) => {
    assert.ok(e instanceof AuthenticationError);
    assert.match(e.message, /log in: new CarbonPortal/);
    return true;
  });
  const cp = new CarbonPortal({ fetch: portal.fetch, auth: { token: `cpauthToken=${token};` } });
  assert.deepEqual(
    (await (await cp.dobj(ID)).getColumns(["NbPoints"])).NbPoints,
    new Int32Array([0, 11, 12, 11]),
  );
  assert.equal(portal.requests.at(-1)!.cookie, `cpauthToken=${token}`);
  assert.equal(
    portal.requests.filter((r) => r.method === "GET").every((r) => r.cookie === null),
    true,
  );
});
