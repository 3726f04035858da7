// Parity with the Python `icoscp.station` module: every data-returning
// example of the docs' "station" section, run against the emulator. Each
// step names the Python call it mirrors.

import assert from "node:assert/strict";
import { NotFoundError, Station, UnknownValueError } from "../../mod.ts";
import { emulatorWithExtras } from "./_emulator_extra.ts";

/** The columns the docs list for `station.getIdList()`. */
const ID_LIST_COLUMNS = [
  "uri",
  "id",
  "name",
  "icosClass",
  "country",
  "lat",
  "lon",
  "elevation",
  "stationTheme",
  "firstName",
  "lastName",
  "email",
  "siteType",
  "project",
  "theme",
];

/** The attributes of a Python `Station` (its `info()` keys). */
const STATION_KEYS = [
  "stationId",
  "name",
  "theme",
  "icosclass",
  "siteType",
  "lat",
  "lon",
  "eas",
  "firstName",
  "lastName",
  "email",
  "country",
  "project",
  "uri",
];

const ids = (t: { array(c: string): unknown }) => [...(t.array("id") as string[])].sort();

Deno.test("Python station module: getIdList, get, getList and Station attributes", async (t) => {
  await using x = await emulatorWithExtras();
  const { cp } = x;

  await t.step(
    "station.getIdList() → ICOS stations with the documented 15 columns, sorted by name",
    async () => {
      const df = await cp.station.getIdList();
      assert.deepEqual(df.columnNames(), ID_LIST_COLUMNS);
      assert.deepEqual(ids(df), ["1199", "GAT", "HTM", "NOR", "SE-Htm", "ZSF"]);
      const names = df.array("name") as string[];
      assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
      assert.ok((df.array("project") as string[]).every((p) => p === "ICOS"));
      const row = (df.objects() as Record<string, unknown>[]).find((r) => r.id === "GAT")!;
      assert.equal(typeof row.lat, "number");
      assert.equal(typeof row.elevation, "number");
      assert.equal(row.theme, "AS");
      assert.equal(row.icosClass, "1");
    },
  );

  await t.step("station.getIdList(project='ICOS', sort='name') is the default call", async () => {
    const a = await cp.station.getIdList();
    const b = await cp.station.getIdList({ project: "ICOS", sort: "name" });
    assert.deepEqual(b.objects(), a.objects());
  });

  await t.step(
    "station.getIdList(project='ALL') (any case) adds the non-ICOS stations",
    async () => {
      for (const project of ["ALL", "all", "All"]) {
        const df = await cp.station.getIdList({ project });
        assert.deepEqual(ids(df), ["1199", "GAT", "HTM", "HTM", "NOR", "PUY", "SE-Htm", "ZSF"]);
        const puy = (df.objects() as Record<string, string>[]).find((r) => r.id === "PUY")!;
        assert.deepEqual([puy.project, puy.theme, puy.icosClass], ["other", "AtmoStation", ""]);
      }
      await assert.rejects(cp.station.getIdList({ project: "NEON" }), (e: unknown) => {
        assert.ok(e instanceof UnknownValueError);
        assert.deepEqual(e.valid, ["ICOS", "ALL"]);
        return true;
      });
    },
  );

  await t.step("station.getIdList(theme='AS') — a string or a list, any case", async () => {
    const atmosphere = ["GAT", "HTM", "NOR", "ZSF"];
    for (const theme of ["AS", "as", ["AS"], ["as"], ["As"]]) {
      assert.deepEqual(ids(await cp.station.getIdList({ theme })), atmosphere, String(theme));
    }
    assert.deepEqual(ids(await cp.station.getIdList({ theme: ["AS", "os"] })), [
      "1199",
      ...atmosphere,
    ]);
  });

  await t.step(
    "station.getIdList(theme=…) with an unknown theme names the valid ones",
    async () => {
      await assert.rejects(cp.station.getIdList({ theme: "XS" }), (e: unknown) => {
        assert.ok(e instanceof UnknownValueError);
        assert.deepEqual(e.valid, ["AS", "ES", "OS"]);
        return true;
      });
      // a non-ICOS station class needs project ALL; then it is matched in any case
      await assert.rejects(cp.station.getIdList({ theme: "AtmoStation" }), UnknownValueError);
      const other = await cp.station.getIdList({ project: "ALL", theme: "atmostation" });
      assert.deepEqual(ids(other), ["HTM", "PUY"]);
      await assert.rejects(cp.station.getIdList({ project: "ALL", theme: "Xyz" }), (e: unknown) => {
        assert.ok(e instanceof UnknownValueError);
        assert.ok(e.valid.includes("AtmoStation") && e.valid.includes("AS"));
        return true;
      });
    },
  );

  await t.step("country codes filter in any case; an unknown code is an error", async () => {
    for (const countries of ["SE", "se", ["se"]]) {
      assert.deepEqual(ids(await cp.station.getIdList({ countries })), ["HTM", "NOR", "SE-Htm"]);
    }
    await assert.rejects(cp.station.getIdList({ countries: "XQ" }), UnknownValueError);
  });

  await t.step("station.get('HTM') → a Station with the documented attributes", async () => {
    const st = await cp.station.get("HTM");
    assert.ok(st instanceof Station);
    assert.equal(st.valid, true);
    const d = st.toDict();
    assert.deepEqual(Object.keys(d), STATION_KEYS);
    assert.deepEqual(
      [d.stationId, d.name, d.theme, d.icosclass, d.country, d.lat, d.lon, d.eas],
      ["HTM", "Hyltemossa", "AS", "1", "SE", 56.0976, 13.4189, 115],
    );
    assert.deepEqual([d.firstName, d.lastName], ["Sam", "Sample"]);
    assert.match(d.email, /@/);
    // a station id shared by an ICOS and a pre-ICOS station: ICOS first, both listed (Python's lists)
    assert.deepEqual(d.project, ["ICOS", "other"]);
    assert.equal(d.uri.length, 2);
    assert.match(d.uri[0], /\/resources\/stations\/AS_HTM$/);
    assert.match(d.uri[1], /\/resources\/stations\/ATMO_HTM$/);
    // the Python attribute names as properties
    assert.deepEqual([st.stationId, st.icosclass, st.eas, st.firstName], ["HTM", "1", 115, "Sam"]);
  });

  await t.step(
    "station.get() matches the id in any case and throws for an unknown one",
    async () => {
      assert.equal((await cp.station.get("se-htm")).id, "SE-Htm");
      await assert.rejects(cp.station.get("HUN"), NotFoundError);
    },
  );

  await t.step(
    "Station.data() → every level by default; data(level) → exactly that level",
    async () => {
      const gat = await cp.station.get("GAT");
      const all = await gat.data();
      assert.deepEqual(all.columnNames(), [
        "dobj",
        "spec",
        "specLabel",
        "datalevel",
        "timeStart",
        "timeEnd",
        "bytes",
        "samplingheight",
      ]);
      const levels = [...new Set(all.array("datalevel") as number[])].sort();
      assert.deepEqual(levels, [1, 2]);
      for (const level of [1, 2, "2"] as const) {
        const part = await gat.data(level);
        assert.ok(part.numRows() > 0);
        assert.ok((part.array("datalevel") as number[]).every((l) => l === Number(level)));
      }
      assert.equal((await gat.data(1)).numRows() + (await gat.data(2)).numRows(), all.numRows());
      assert.equal((await gat.data(3)).numRows(), 0);
      await assert.rejects(gat.data(4 as 1), UnknownValueError);
      assert.ok((all.array("timeStart") as Date[]).every((d) => d instanceof Date));
    },
  );

  await t.step("Station.products() and getSamplingHeight(product)", async () => {
    const gat = await cp.station.get("GAT");
    const products = await gat.products();
    assert.ok(products.length >= 2);
    assert.deepEqual(products, [...products].sort());
    const heights = await gat.samplingHeights(products.find((p) => /CO2/.test(p))!);
    assert.ok(heights.length > 0 && heights.every((h) => typeof h === "number"));
  });

  await t.step("station.getList() → all ICOS stations as Station objects", async () => {
    const list = await cp.station.getList();
    assert.ok(list.every((s) => s instanceof Station));
    assert.deepEqual(list.map((s) => s.id).sort(), ["1199", "GAT", "HTM", "NOR", "SE-Htm", "ZSF"]);
  });

  await t.step("station.getList(['as', 'os']) → atmosphere and ocean stations", async () => {
    const list = await cp.station.getList({ theme: ["as", "os"] });
    assert.deepEqual(list.map((s) => s.id).sort(), ["1199", "GAT", "HTM", "NOR", "ZSF"]);
  });

  await t.step(
    "station.getList(ids=['NOR', 'HTM', 'ZSF']) → those stations; the theme is ignored",
    async () => {
      const list = await cp.station.getList({ ids: ["NOR", "htm", "ZSF"], theme: "ES" });
      assert.deepEqual(list.map((s) => s.id), ["NOR", "HTM", "ZSF"]);
      const single = await cp.station.getList({ ids: "PUY" });
      assert.deepEqual(single.map((s) => [s.id, s.project]), [["PUY", "other"]]);
      await assert.rejects(cp.station.getList({ ids: ["NOR", "HUN"] }), NotFoundError);
    },
  );

  await t.step(
    "station.getList(theme='AtmoStation') → a non-ICOS class switches to all projects",
    async () => {
      const list = await cp.station.getList({ theme: "AtmoStation" });
      assert.deepEqual(list.map((s) => s.id).sort(), ["HTM", "PUY"]);
    },
  );

  await t.step("icoscp_core meta.get_station_meta(uri) → the station's landing page", async () => {
    const gat = await cp.station.get("GAT");
    for (const meta of [await gat.meta(), await cp.station.getStationMeta(gat.uri)]) {
      assert.equal(meta.id, "GAT");
      assert.equal(meta.org.self.uri, gat.uri);
      assert.equal(meta.countryCode, "DE");
      assert.equal(meta.location?.lat, 53.0657);
      assert.equal(meta.specificInfo._type, "atc");
      assert.deepEqual(meta.staff?.map((s) => s.person.lastName), ["Example"]);
    }
    assert.equal((await cp.station.getStationMeta("zsf")).id, "ZSF");
  });

  await t.step("station.getIdList(project='ALL', outfmt='map') → the map's stations", async () => {
    const geo = await cp.station.geoJson({ project: "ALL" });
    assert.equal(geo.features.length, 8);
    const html = await cp.station.map({ theme: "as" });
    assert.match(html, /Gartow/);
  });
});
