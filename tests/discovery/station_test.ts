import assert from "node:assert/strict";
import { CarbonPortal, NotFoundError } from "../../mod.ts";
import { withRealFixtures } from "../_fixtures.ts";
import { realStore, sparqlFetch } from "../_rdf_store.ts";
import { UnknownValueError } from "../../src/errors.ts";

let cp: CarbonPortal | undefined;
async function portal(): Promise<CarbonPortal> {
  cp ??= new CarbonPortal({ fetch: sparqlFetch(await realStore()).fetch });
  return cp;
}

Deno.test(
  withRealFixtures(
    "StationApi.getIdList() lists 139 ICOS stations with icoscp's columns, sorted by name",
  ),
  async () => {
    const t = await (await portal()).station.getIdList();
    assert.equal(t.numRows(), 139);
    assert.deepEqual(t.columnNames(), [
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
    ]);
    const names = t.array("name") as string[];
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    const counts = t.groupby("theme").count().objects() as { theme: string; count: number }[];
    assert.deepEqual(Object.fromEntries(counts.map((c) => [c.theme, c.count])), {
      AS: 36,
      ES: 88,
      OS: 15,
    });
    assert.ok((t.array("project") as string[]).every((p) => p === "ICOS"));
  },
);

Deno.test(
  withRealFixtures("StationApi.getIdList() filters by theme and sorts by other columns"),
  async () => {
    const p = await portal();
    const as = await p.station.getIdList({ theme: ["AS"], sort: ["country", "id"] });
    assert.equal(as.numRows(), 36);
    const rows = as.objects() as { country: string; id: string }[];
    assert.ok(rows.every((r, i) => i === 0 || rows[i - 1].country <= r.country));
    await assert.rejects(p.station.getIdList({ sort: "height" as "id" }), UnknownValueError);
    const all = await p.station.records({ project: "all" });
    assert.ok(all.some((s) => s.project === "other" && s.theme === "AtmoStation"));
    assert.ok(all.length > 139);
  },
);

Deno.test(
  withRealFixtures("StationApi.get() gives a station's attributes, data and products"),
  async () => {
    const p = await portal();
    const gat = await p.station.get("GAT");
    assert.deepEqual(
      [
        gat.id,
        gat.name,
        gat.icosClass,
        gat.country,
        gat.lat,
        gat.lon,
        gat.elevation,
        gat.theme,
        gat.project,
        gat.uri,
      ],
      [
        "GAT",
        "Gartow",
        "1",
        "DE",
        53.0657,
        11.4429,
        70,
        "AS",
        "ICOS",
        "http://meta.icos-cp.eu/resources/stations/AS_GAT",
      ],
    );
    const htm = await p.station.get("SE-Htm");
    assert.deepEqual([htm.name, htm.icosClass, htm.lat, htm.elevation], [
      "Hyltemossa",
      "2",
      56.09763,
      115,
    ]);
    const data = await htm.data();
    assert.ok(
      (data.array("dobj") as string[]).includes(
        "https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_",
      ),
    );
    assert.ok((await htm.products()).includes("ETC L2 Fluxes"));
    assert.deepEqual(await htm.samplingHeights("ETC L2 Fluxes"), []);
    await assert.rejects(p.station.get("NOPE"), NotFoundError);
  },
);

Deno.test(
  withRealFixtures("StationApi.getList() and geoJson() cover the requested stations"),
  async () => {
    const p = await portal();
    const list = await p.station.getList({ ids: ["GAT", "HTM", "NOR"], theme: ["AS"] });
    assert.deepEqual(list.map((s) => s.id).sort(), ["GAT", "HTM", "NOR"]);
    const geo = await p.station.geoJson({ theme: ["OS"] });
    assert.ok(geo.features.length > 0 && geo.features.length <= 15);
    const html = await p.station.map({ theme: ["AS"], title: "Atmosphere" });
    const embedded = JSON.parse(
      /<script type="application\/json" id="stations">(.*?)<\/script>/s.exec(html)![1],
    );
    assert.equal(embedded.features.length, 36);
    assert.match(html, /<title>Atmosphere<\/title>/);
  },
);
