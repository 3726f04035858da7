import assert from "node:assert/strict";
import { createStiltService, type StiltService } from "../stilt/service.ts";
import { realFixture, withRealFixtures } from "../../tests/_fixtures.ts";

const BASE = "http://127.0.0.1:8080/stilt/viewer/";
const anonymous = () => Promise.resolve(undefined);

function service(seed?: number): StiltService {
  return createStiltService({
    seed,
    userOf: (req) => {
      const m = /cpauthToken=([^;]+)/.exec(req.headers.get("cookie") ?? "");
      return Promise.resolve(m ? decodeURIComponent(m[1]) : undefined);
    },
  });
}

async function get(
  s: StiltService,
  subpath: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const res = await s.handle(new Request(BASE + subpath, { headers }), subpath);
  assert.ok(res, `${subpath} is handled`);
  return res;
}

async function post(
  s: StiltService,
  subpath: string,
  body: unknown,
  contentType = "application/json",
): Promise<Response> {
  const res = await s.handle(
    new Request(BASE + subpath, {
      method: "POST",
      headers: { "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    subpath,
  );
  assert.ok(res, `${subpath} is handled`);
  return res;
}

const CO2_SUM = [
  "isodate",
  "co2.stilt",
  "co2.background",
  "co2.bio",
  "co2.fuel",
  "co2.cement",
  "co2.non_fuel",
];
const STATION_LINES = [
  "STILT id,STILT name,ICOS id,ICOS height,Country,STILT lat,STILT lon,STILT alt",
  "GAT344,Gartow,GAT,341.0,DE,53.07,11.44,344",
  "HHHH,,,,IE,54.15,-10.07,100",
  "HTM150,Hyltemossa,HTM,150.0,SE,56.1,13.42,150",
  "JFJ,Jungfraujoch,JFJ,13.9,CH,46.55,7.98,720",
  "ZSF,Zugspitze,ZSF,3.0,DE,47.42,10.98,730",
];

Deno.test("createStiltService() answers stationinfo as text/plain CSV by default, lines joined by \\n", async () => {
  const res = await get(service(), "stationinfo");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=UTF-8");
  assert.equal(await res.text(), STATION_LINES.join("\n"));
});

Deno.test("createStiltService() answers stationinfo as text/csv when asked for CSV", async () => {
  const res = await get(service(), "stationinfo", { accept: "text/csv" });
  assert.equal(res.headers.get("content-type"), "text/csv; charset=UTF-8");
  assert.equal((await res.text()).split("\n")[3], "HTM150,Hyltemossa,HTM,150.0,SE,56.1,13.42,150");
});

Deno.test("createStiltService() answers stationinfo as JSON with omitted absent fields and a Float icosHeight", async () => {
  const res = await get(service(), "stationinfo", { accept: "application/json" });
  assert.equal(res.headers.get("content-type"), "application/json");
  const text = await res.text();
  const list = JSON.parse(text);
  assert.equal(list.length, 5);
  assert.deepEqual(list[0], {
    id: "GAT344",
    name: "Gartow",
    icosId: "GAT",
    icosHeight: 341,
    countryCode: "DE",
    lat: 53.07,
    lon: 11.44,
    alt: 344,
    years: [2016, 2017, 2018, 2019, 2020, 2021, 2022],
  });
  assert.deepEqual(list[1], {
    id: "HHHH",
    countryCode: "IE",
    lat: 54.15,
    lon: -10.07,
    alt: 100,
    years: [2006],
  });
  // spray-json writes the Java Float 13.9f widened to a Double, and 341.0 with its ".0"
  assert.match(text, /"icosHeight":13\.899999618530273/);
  assert.match(text, /"icosHeight":341\.0,/);
  for (const s of list) assert.match(s.countryCode, /^[A-Z]{2}$/);
});

Deno.test("createStiltService() refuses stationinfo with 406 when no offered type is acceptable", async () => {
  const res = await get(service(), "stationinfo", { accept: "image/png" });
  assert.equal(res.status, 406);
  assert.match(await res.text(), /only available with these types/);
});

Deno.test("createStiltService() lists available meteorology months as sorted YYYY-MM strings", async () => {
  const months: string[] = await (await get(service(), "availablemonths")).json();
  assert.ok(months.every((m) => /^\d{4}-\d{2}$/.test(m)));
  assert.deepEqual([...months].sort(), months);
  assert.equal(months[0], "2006-01");
  for (const m of ["2012-12", "2016-05", "2020-12"]) assert.ok(months.includes(m));
});

Deno.test("createStiltService() lists footprints as ISO minutes, 3-hourly, both dates inclusive", async () => {
  const s = service();
  const list: string[] = await (await get(
    s,
    "listfootprints?stationId=GAT344&fromDate=2018-03-01&toDate=2018-03-10",
  )).json();
  assert.ok(list.length > 70 && list.length <= 80, `${list.length} slots of 80`);
  assert.equal(list[0].slice(0, 10), "2018-03-01");
  assert.equal(list.at(-1)!.slice(0, 10), "2018-03-10");
  for (const t of list) assert.match(t, /^2018-03-\d\dT(00|03|06|09|12|15|18|21):00$/);
  assert.deepEqual([...list].sort(), list);
});

Deno.test("createStiltService() answers listfootprints errors like the real service", async () => {
  const s = service();
  for (
    const q of [
      "stationId=GAT344&fromDate=2018-03-01",
      "stationId=GAT344&fromDate=2018-3-1&toDate=2018-03-02",
    ]
  ) {
    const res = await get(s, `listfootprints?${q}`);
    assert.equal(res.status, 400);
    assert.equal(await res.text(), "Expected 'stationId', 'fromDate', and 'toDate' URL parameters");
  }
  const unknown = await get(
    s,
    "listfootprints?stationId=NOPE&fromDate=2018-03-01&toDate=2018-03-02",
  );
  assert.deepEqual(await unknown.json(), []);
  const reversed = await get(
    s,
    "listfootprints?stationId=GAT344&fromDate=2018-03-02&toDate=2018-03-01",
  );
  assert.deepEqual(await reversed.json(), []);
  const noData = await get(
    s,
    "listfootprints?stationId=GAT344&fromDate=2012-01-01&toDate=2012-01-31",
  );
  assert.deepEqual(await noData.json(), []);
});

Deno.test("createStiltService() serves the notebook's GAT344 stiltresult request as 11864 rows", async () => {
  const res = await post(service(), "stiltresult", {
    stationId: "GAT344",
    fromDate: "2016-05-10",
    toDate: "2020-05-31",
    columns: CO2_SUM,
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  const rows: (number | null)[][] = await res.json();
  assert.equal(rows.length, 11864);
  assert.equal(rows[0][0], 1462838400); // 2016-05-10T00:00Z
  assert.equal(rows.at(-1)![0], 1590958800); // 2020-05-31T21:00Z
  rows.forEach((r, i) => assert.equal(r[0], 1462838400 + 10800 * i));
  for (const [, total, bg, bio, fuel, cement, nonFuel] of rows) {
    if (total === null) continue;
    assert.ok(Math.abs(total - (bg! + bio! + fuel! + cement! + nonFuel!)) < 1e-9);
    assert.ok(bg! > 395 && bg! < 425, `background ${bg}`);
    assert.ok(fuel! >= 0 && fuel! < 40, `fuel ${fuel}`);
  }
});

Deno.test("createStiltService() gives null rows in stiltresult exactly where listfootprints has no slot", async () => {
  const s = service();
  const slots: string[] = await (await get(
    s,
    "listfootprints?stationId=HTM150&fromDate=2018-06-20&toDate=2018-08-05",
  )).json();
  const rows: (number | null)[][] = await (await post(s, "stiltresult", {
    stationId: "HTM150",
    fromDate: "2018-06-20",
    toDate: "2018-08-05",
    columns: ["isodate", "co2.stilt"],
  })).json();
  assert.equal(rows.length, 47 * 8);
  const present = rows.filter((r) => r[1] !== null).map((r) =>
    new Date(r[0]! * 1000).toISOString().slice(0, 16)
  );
  assert.deepEqual(present, slots);
  // HTM150 has no results for July 2018: a month of nulls
  const july = rows.filter((r) => new Date(r[0]! * 1000).getUTCMonth() === 6);
  assert.equal(july.length, 31 * 8);
  assert.ok(july.every((r) => r[1] === null));
});

Deno.test("createStiltService() derives every processed component by the protocol's sums", async () => {
  const rows: Record<string, number | string>[] = await (await post(service(), "stiltresult", {
    stationId: "ZSF",
    fromDate: "2019-07-01",
    toDate: "2019-07-02",
  })).json();
  const full = rows.filter((r) => !("errorReadingSlotCache" in r));
  assert.ok(full.length >= 14);
  const n = (r: Record<string, number | string>, k: string) => r[k] as number;
  const close = (a: number, b: number) =>
    assert.ok(Math.abs(a - b) < 1e-6 * Math.max(1, Math.abs(a)), `${a} vs ${b}`);
  for (const r of full) {
    assert.equal(Object.keys(r).length, 61, "60 processed keys plus isodate");
    close(n(r, "co2.bio"), n(r, "co2.bio.gee") + n(r, "co2.bio.resp"));
    close(
      n(r, "co2.stilt"),
      n(r, "co2.background") + n(r, "co2.bio") + n(r, "co2.fuel") + n(r, "co2.cement") +
        n(r, "co2.non_fuel"),
    );
    close(
      n(r, "co2.fuel"),
      ["coal", "oil", "gas", "bio", "otherfuel"].reduce((a, f) => a + n(r, `co2.fuel.${f}`), 0),
    );
    close(
      n(r, "co2.energy") + n(r, "co2.transport") + n(r, "co2.industry") + n(r, "co2.residential") +
        n(r, "co2.other_categories"),
      n(r, "co2.fuel") + n(r, "co2.cement") + n(r, "co2.non_fuel"),
    );
    close(
      n(r, "co.stilt"),
      n(r, "co.background") + n(r, "co.fuel") + n(r, "co.cement") + n(r, "co.non_fuel"),
    );
    close(
      n(r, "ch4.anthropogenic"),
      n(r, "ch4.agriculture") + n(r, "ch4.waste") + n(r, "ch4.energy") +
        n(r, "ch4.other_categories"),
    );
    close(
      n(r, "ch4.natural"),
      n(r, "ch4.wetlands") + n(r, "ch4.soil_uptake") + n(r, "ch4.wildfire") +
        n(r, "ch4.other_natural"),
    );
    close(
      n(r, "ch4.stilt"),
      n(r, "ch4.background") + n(r, "ch4.anthropogenic") + n(r, "ch4.natural"),
    );
    assert.ok(n(r, "ch4.background") > 1850 && n(r, "ch4.background") < 2000, "CH4 in ppb");
    assert.equal(r.latstart, 47.42);
    assert.equal(r.aglstart, 730);
    assert.ok(n(r, "co2.bio.gee") <= 0);
    assert.ok(n(r, "wind.dir") >= 0 && n(r, "wind.dir") < 360);
    assert.match(r.metadata as string, /^https:\/\/meta\.icos-cp\.eu\/objects\//);
    assert.equal(typeof r.isodate, "number");
  }
  for (const r of rows.filter((r) => "errorReadingSlotCache" in r)) {
    assert.deepEqual(Object.keys(r), ["errorReadingSlotCache", "isodate"]);
  }
});

Deno.test("createStiltService() writes numbers in stiltresult the way spray-json does", async () => {
  const text = await (await post(service(), "stiltresult", {
    stationId: "HTM150",
    fromDate: "2018-01-01",
    toDate: "2018-01-01",
    columns: ["isodate", "aglstart", "latstart", "nosuchcolumn", "metadata", "isodate"],
  })).text();
  const first = JSON.parse(text)[0];
  assert.equal(first.length, 6);
  assert.equal(first[3], null, "unknown column");
  assert.equal(first[0], first[5], "a repeated isodate column");
  assert.match(text, /^\[\[1514764800,150\.0,56\.1,null,"https?:\/\/[^"]+",1514764800\]/);
});

Deno.test("createStiltService() rejects bad stiltresult payloads with 400 and other POST paths with 404", async () => {
  const s = service();
  const good = { stationId: "GAT344", fromDate: "2018-01-01", toDate: "2018-01-02" };
  for (
    const [body, type] of [
      ["not json", "application/json"],
      [{ ...good, fromDate: "2018-1-1" }, "application/json"],
      [{ ...good, stationId: 5 }, "application/json"],
      [{ ...good, columns: "co2.stilt" }, "application/json"],
      [good, "text/plain"],
    ] as const
  ) {
    const res = await post(s, "stiltresult", body, type);
    assert.equal(res.status, 400);
    assert.equal(await res.text(), "Expected a correct stilt result request JSON payload");
  }
  assert.equal((await post(s, "stiltsomething", good)).status, 404);
  assert.deepEqual(
    await (await post(s, "stiltresult", { ...good, fromDate: "2018-01-03" })).json(),
    [],
  );
  assert.equal((await post(s, "stiltresult", { ...good, columns: null })).status, 200);
});

Deno.test("createStiltService() fails stiltresult with 500 for a year without results", async () => {
  const s = service();
  const res = await post(s, "stiltresult", {
    stationId: "GAT344",
    fromDate: "2015-12-31",
    toDate: "2016-01-01",
  });
  assert.equal(res.status, 500);
  assert.equal(await res.text(), "There was an internal server error.");
  assert.equal(
    (await post(s, "stiltresult", {
      stationId: "NOPE",
      fromDate: "2018-01-01",
      toDate: "2018-01-01",
    })).status,
    500,
  );
});

Deno.test("createStiltService() serves raw rows only for existing slots, with metadata and isodate", async () => {
  const s = service();
  const slots: string[] =
    await (await get(s, "listfootprints?stationId=JFJ&fromDate=2012-12-08&toDate=2012-12-09"))
      .json();
  const raw: Record<string, number | string | null>[] = await (await post(s, "stiltrawresult", {
    stationId: "JFJ",
    fromDate: "2012-12-08",
    toDate: "2012-12-09",
  })).json();
  assert.deepEqual(
    raw.map((r) => new Date((r.isodate as number) * 1000).toISOString().slice(0, 16)),
    slots,
  );
  const processed: Record<string, number>[] = await (await post(s, "stiltresult", {
    stationId: "JFJ",
    fromDate: "2012-12-08",
    toDate: "2012-12-09",
  })).json();
  for (const r of raw) {
    assert.ok(Object.keys(r).length > 150);
    assert.ok(Object.keys(r).every((k) => !k.includes("ffm")));
    assert.equal(typeof r.metadata, "string");
    const p = processed.find((x) => x.isodate === r.isodate)!;
    assert.equal(p["co2.background"], r.co2ini);
    assert.equal(p["ch4.background"], 1000 * (r.ch4ini as number));
    assert.equal(p["wind.u"], r.ubar);
    assert.equal(p["rn.era"], (r.rn_eraini as number) + (r.rn_era as number));
    assert.equal(p.rn, (r.rnini as number) + (r.rn as number));
  }
  const cols: unknown[][] = await (await post(s, "stiltrawresult", {
    stationId: "JFJ",
    fromDate: "2012-12-08",
    toDate: "2012-12-08",
    columns: ["isodate", "co2ini", "zz"],
  })).json();
  assert.ok(cols.every((r) => r.length === 3 && r[2] === null));
  assert.deepEqual(
    await (await post(s, "stiltrawresult", {
      stationId: "JFJ",
      fromDate: "2015-01-01",
      toDate: "2015-01-02",
    })).json(),
    [],
  );
});

Deno.test("createStiltService() serves a footprint as a big-endian raster on the STILT grid", async () => {
  const s = service();
  const res = await get(s, "footprint?stationId=GAT344&footprint=2018-03-01T12:00", {
    accept: "application/octet-stream",
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/octet-stream");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(bytes.length, 64 + 8 * 480 * 400);
  assert.equal(res.headers.get("content-length"), String(bytes.length));
  const view = new DataView(bytes.buffer);
  const header = Array.from({ length: 8 }, (_, i) => view.getFloat64(8 * i));
  assert.deepEqual([header[0], header[1], header[4], header[6], header[7]], [
    480,
    400,
    33,
    -15,
    34.875,
  ]);
  assert.ok(Math.abs(header[5] - (33 + 479 / 12)) < 1e-12);
  let min = Infinity, max = -Infinity, sum = 0, nonZero = 0;
  for (let k = 0; k < 480 * 400; k++) {
    const v = view.getFloat64(64 + 8 * k);
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    if (v !== 0) nonZero++;
  }
  assert.equal(header[2], min);
  assert.equal(header[3], max);
  assert.equal(min, 0);
  assert.ok(sum > 0.05 && sum < 3, `footprint sum ${sum}`);
  assert.ok(nonZero > 1000 && nonZero < 120000, `${nonZero} non-zero cells`);
  // the maximum sits next to the station (53.07 N, 11.44 E): row 0 is the south
  let best = 0;
  for (let k = 1; k < 480 * 400; k++) {
    if (view.getFloat64(64 + 8 * k) > view.getFloat64(64 + 8 * best)) best = k;
  }
  const lat = 33 + Math.floor(best / 400) / 12;
  const lon = -15 + (best % 400) / 8;
  assert.ok(Math.abs(lat - 53.07) < 0.3 && Math.abs(lon - 11.44) < 0.3, `max at ${lat}, ${lon}`);
});

Deno.test("createStiltService() puts the footprint upwind, where the slot's wind.dir comes from", async () => {
  const s = service();
  const slots: string[] =
    await (await get(s, "listfootprints?stationId=HTM150&fromDate=2019-02-01&toDate=2019-02-02"))
      .json();
  const rows: number[][] = await (await post(s, "stiltresult", {
    stationId: "HTM150",
    fromDate: "2019-02-01",
    toDate: "2019-02-02",
    columns: ["isodate", "wind.dir", "wind.u", "wind.v"],
  })).json();
  for (const slot of slots.slice(0, 6)) {
    const sec = Date.parse(`${slot}:00Z`) / 1000;
    const [, dir, u, v] = rows.find((r) => r[0] === sec)!;
    assert.ok(Math.abs(((Math.atan2(-u, -v) * 180) / Math.PI + 360) % 360 - dir) < 1e-9);
    const res = await get(s, `footprint?stationId=HTM150&footprint=${slot}`, {
      accept: "application/octet-stream",
    });
    const view = new DataView(await res.arrayBuffer());
    let sx = 0, sy = 0, w = 0;
    for (let k = 0; k < 480 * 400; k++) {
      const f = view.getFloat64(64 + 8 * k);
      if (f === 0) continue;
      const dy = (33 + Math.floor(k / 400) / 12 - 56.1) * 110.57;
      const dx = (-15 + (k % 400) / 8 - 13.42) * 111.32 * Math.cos((56.1 * Math.PI) / 180);
      sx += f * dx;
      sy += f * dy;
      w += f;
    }
    const bearing = ((Math.atan2(sx / w, sy / w) * 180) / Math.PI + 360) % 360;
    const diff = Math.abs(((bearing - dir + 540) % 360) - 180);
    assert.ok(
      diff < 45,
      `${slot}: footprint centroid at ${bearing.toFixed(0)}°, wind from ${dir.toFixed(0)}°`,
    );
  }
});

Deno.test("createStiltService() serves the JSON raster with the real service's index mix-up", async () => {
  const s = service();
  const q = "footprint?stationId=ZSF&footprint=2019-07-01T06:00";
  const bin = new DataView(
    await (await get(s, q, { accept: "application/octet-stream" })).arrayBuffer(),
  );
  const res = await get(s, q); // no Accept: JSON comes first in the real marshaller
  assert.equal(res.headers.get("content-type"), "application/json");
  const text = await res.text();
  assert.match(text, /^\{\n {2}"stats": \{\n {4}"min": 0\.0,\n {4}"max": /);
  const js = JSON.parse(text);
  assert.deepEqual(Object.keys(js), ["stats", "boundingBox", "array"]);
  assert.equal(js.stats.max, bin.getFloat64(24));
  assert.deepEqual(js.boundingBox, {
    latMin: 33,
    latMax: bin.getFloat64(40),
    lonMin: -15,
    lonMax: 34.875,
  });
  assert.equal(js.array.length, 480);
  assert.equal(js.array[0].length, 400);
  for (const [a, b] of [[0, 0], [5, 17], [479, 399], [400, 3], [123, 321]]) {
    assert.equal(js.array[a][b], bin.getFloat64(64 + 8 * (b * 400 + a)));
  }
});

Deno.test("createStiltService() answers footprint errors like akka-http: 404 missing parameter, 500 missing slot", async () => {
  const s = service();
  const missing = await get(s, "footprint?stationId=ZSF");
  assert.equal(missing.status, 404);
  assert.equal(await missing.text(), "Request is missing required query parameter 'footprint'");
  for (
    const q of [
      "stationId=ZSF&footprint=2019-07-01T07:00",
      "stationId=ZSF&footprint=2015-07-01T06:00",
      "stationId=NOPE&footprint=2019-07-01T06:00",
      "stationId=ZSF&footprint=yesterday",
    ]
  ) {
    const res = await get(s, `footprint?${q}`, { accept: "application/octet-stream" });
    assert.equal(res.status, 500, q);
    await res.body?.cancel();
  }
});

Deno.test("createStiltService() requires a login for joinfootprints and downloadresults", async () => {
  const s = service();
  const res = await get(s, "joinfootprints?stationId=HTM150&fromDate=2018-01-01&toDate=2018-01-01");
  assert.equal(res.status, 401);
  assert.equal(await res.text(), "Please log in with Carbon Portal");
  const dl = await get(s, "downloadresults/HTM150/HTM150_2018-01-01_2018-01-01_x.zip");
  assert.equal(dl.status, 401);
  await dl.body?.cancel();
  const noParams = await get(s, "joinfootprints?stationId=HTM150", {
    cookie: "cpauthToken=a%40b.c",
  });
  assert.equal(noParams.status, 400);
  await noParams.body?.cancel();
});

Deno.test("createStiltService() packages results, lists them newest first and serves the zip", async () => {
  const s = service();
  const cookie = { cookie: "cpauthToken=user%40example.org" };
  const q = "stationId=HTM150&fromDate=2018-01-01&toDate=2018-01-01";
  assert.deepEqual(await (await get(s, `listresultpackages?${q}`)).json(), []);
  const first: string[] = await (await get(s, `joinfootprints?${q}`, cookie)).json();
  assert.equal(first.length, 1);
  assert.match(first[0], /^HTM150\/HTM150_2018-01-01_2018-01-01_[0-9a-f]{32}\.zip$/);
  const again: string[] = await (await get(s, `joinfootprints?${q}`, cookie)).json();
  assert.deepEqual(again, first, "same content, same md5, same name");
  const longer: string[] = await (await get(
    s,
    "joinfootprints?stationId=HTM150&fromDate=2018-01-01&toDate=2018-01-02",
    cookie,
  )).json();
  assert.equal(longer.length, 1);
  assert.deepEqual(await (await get(s, `listresultpackages?${q}`)).json(), first);
  const zip = await get(s, `downloadresults/${first[0]}`, cookie);
  assert.equal(zip.status, 200);
  assert.equal(zip.headers.get("content-type"), "application/zip");
  const bytes = new Uint8Array(await zip.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
  const missing = await get(s, "downloadresults/HTM150/nothing.zip", cookie);
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  const unknown = await get(
    s,
    "listresultpackages?stationId=NOPE&fromDate=2018-01-01&toDate=2018-01-01",
  );
  assert.equal(unknown.status, 500);
  await unknown.body?.cancel();
  const empty = await get(
    s,
    "joinfootprints?stationId=HTM150&fromDate=2018-07-01&toDate=2018-07-02",
    cookie,
  );
  assert.equal(empty.status, 500, "no footprints available");
  await empty.body?.cancel();
});

Deno.test("createStiltService() throttles packaging to one job per user and per station (503)", async () => {
  const s = service();
  const q = "stationId=GAT344&fromDate=2018-01-01&toDate=2018-01-01";
  const running = get(s, `joinfootprints?${q}`, { cookie: "cpauthToken=one%40example.org" });
  const sameUser = await get(
    s,
    "joinfootprints?stationId=HTM150&fromDate=2018-01-01&toDate=2018-01-01",
    {
      cookie: "cpauthToken=one%40example.org",
    },
  );
  const sameStation = await get(s, `joinfootprints?${q}`, {
    cookie: "cpauthToken=two%40example.org",
  });
  assert.equal(sameUser.status, 503);
  assert.equal(
    await sameUser.text(),
    "You are already running a packaging job at the moment. Please wait a minute and try again.",
  );
  assert.equal(sameStation.status, 503);
  assert.equal(
    await sameStation.text(),
    "Someone else is packaging results for station GAT344 at the moment. Please wait a minute and try again.",
  );
  assert.equal((await running).status, 200);
  await (await running).body?.cancel();
  const after = await get(s, `joinfootprints?${q}`, { cookie: "cpauthToken=two%40example.org" });
  assert.equal(after.status, 200, "free again once the job is done");
  await after.body?.cancel();
});

Deno.test("createStiltService() is deterministic for a seed and changes with it", async () => {
  const body = { stationId: "GAT344", fromDate: "2017-06-01", toDate: "2017-06-03" };
  const a = await (await post(service(), "stiltresult", body)).text();
  const b = await (await post(service(42), "stiltresult", body)).text();
  const c = await (await post(service(7), "stiltresult", body)).text();
  assert.equal(a, b, "default seed is 42");
  assert.notEqual(a, c);
  const q = "footprint?stationId=GAT344&footprint=2017-06-02T12:00";
  const h = { accept: "application/octet-stream" };
  assert.deepEqual(
    new Uint8Array(await (await get(service(), q, h)).arrayBuffer()),
    new Uint8Array(await (await get(service(), q, h)).arrayBuffer()),
  );
});

Deno.test("createStiltService().rdf() describes the inputs object that the metadata column names", async () => {
  const s = service();
  const prefix = "http://127.0.0.1:8080/meta/";
  const ttl = s.rdf(prefix);
  const m = /^<([^>]+)>/.exec(ttl);
  assert.ok(m);
  assert.ok(m[1].startsWith(`${prefix}objects/`));
  assert.match(ttl, /rdf-schema#label> "STILT model inputs \(emulated\)"/);
  const rows: string[][] = await (await post(s, "stiltresult", {
    stationId: "GAT344",
    fromDate: "2018-01-01",
    toDate: "2018-01-01",
    columns: ["metadata"],
  })).json();
  assert.ok(rows.some((r) => r[0] === m[1]));
});

Deno.test("createStiltService() leaves unknown paths and methods to the server (undefined)", async () => {
  const s = createStiltService({ userOf: anonymous });
  for (const p of ["", "viewer.js", "stationinfo/", "nothing"]) {
    assert.equal(await s.handle(new Request(BASE + p), p), undefined);
  }
  assert.equal(
    await s.handle(new Request(BASE + "stationinfo", { method: "DELETE" }), "stationinfo"),
    undefined,
  );
});

Deno.test("createStiltService() reads the query from the subpath when it carries one", async () => {
  const s = createStiltService({ userOf: anonymous });
  const sub = "listfootprints?stationId=ZSF&fromDate=2006-01-01&toDate=2006-01-01";
  const res = await s.handle(new Request(BASE + "listfootprints"), sub);
  const list: string[] = await res!.json();
  assert.ok(list.length >= 6 && list.every((t) => t.startsWith("2006-01-01T")));
});

Deno.test(
  withRealFixtures(
    "createStiltService() lists its stations exactly as the real station_info.csv has them",
  ),
  async () => {
    const real = (await Deno.readTextFile(
      realFixture("pylib/stiltstation-mock-data/stiltweb/station_info.csv"),
    )).split("\n");
    const ours = (await (await get(service(), "stationinfo")).text()).split("\n");
    assert.equal(ours[0], real[0], "same header");
    for (const line of ours.slice(1)) assert.ok(real.includes(line), `${line} is a real row`);
  },
);
