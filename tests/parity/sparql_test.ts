// Parity with the Python `icoscp.sparql` modules: `RunSparql` in every
// format of the Python class and the built-in queries of `sparqls`, run
// against the emulator through a client (so they address the emulator's
// resources with no extra argument). Each step names the Python call it mirrors.

import assert from "node:assert/strict";
import { CarbonPortal, SparqlError, UnknownValueError } from "../../mod.ts";
import { RunSparql } from "../../src/sparql/mod.ts";
import * as Q from "../../src/sparql/mod.ts";
import { DROUGHT_OBJECTS, emulatorWithExtras } from "./_emulator_extra.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const STATIONS = `prefix cpmeta: <http://meta.icos-cp.eu/ontologies/cpmeta/>
select ?id ?lat where { ?s cpmeta:hasStationId ?id ; cpmeta:hasLatitude ?lat ; cpmeta:hasStationClass [] } order by ?id`;
const IDS = ["1199", "GAT", "HTM", "NOR", "SE-Htm", "ZSF"];

Deno.test("Python RunSparql: every output format of the class", async (t) => {
  await using x = await emulatorWithExtras();
  const { cp } = x;

  await t.step(
    "RunSparql(query) / RunSparql(query, 'txt') → the JSON text (Python's default)",
    async () => {
      for (const fmt of [undefined, "json", "txt", "JSON"] as const) {
        const out = await new RunSparql(cp, STATIONS, { format: fmt as "json" }).run();
        assert.equal(typeof out, "string");
        const parsed = JSON.parse(out);
        assert.deepEqual(parsed.head.vars, ["id", "lat"]);
        assert.deepEqual(
          parsed.results.bindings.map((b: { id: { value: string } }) => b.id.value),
          IDS,
        );
      }
    },
  );

  await t.step("RunSparql(query, 'dict').run() → the parsed JSON", async () => {
    const d = await new RunSparql(cp, STATIONS, { format: "dict" }).run();
    assert.deepEqual(d.head.vars, ["id", "lat"]);
    assert.equal(d.results.bindings.length, 6);
  });

  await t.step("RunSparql(query, 'csv').run() → text with the column names first", async () => {
    const csv = await new RunSparql(cp, STATIONS, { format: "csv" }).run();
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines[0], "id,lat");
    assert.deepEqual(lines.slice(1).map((l) => l.split(",")[0]), IDS);
  });

  await t.step("RunSparql(query, 'pandas').run() → a table with the query's columns", async () => {
    const df = await new RunSparql(cp, STATIONS, { format: "pandas" }).run();
    assert.deepEqual(df.columnNames(), ["id", "lat"]);
    assert.deepEqual(df.array("id"), IDS);
    assert.equal(typeof df.array("lat")[0], "number");
    assert.deepEqual(
      (await new RunSparql(cp, STATIONS, { format: "table" }).run()).objects(),
      df.objects(),
    );
  });

  await t.step("RunSparql(query, 'array').run() → (headers, rows of values)", async () => {
    const [head, rows] = await new RunSparql(cp, STATIONS, { format: "array" }).run();
    assert.deepEqual(head, ["id", "lat"]);
    assert.deepEqual(rows.map((r) => r[0]), IDS);
    assert.equal(rows[1][1], "53.0657");
  });

  await t.step("RunSparql(query, 'html').run() → an HTML table", async () => {
    const html = await new RunSparql(cp, STATIONS, { format: "html" }).run();
    assert.match(html, /^<table class="table table-striped table-hover">/);
    assert.equal(html.match(/<tr>/g)!.length, 7);
  });

  await t.step(
    "RunSparql.query / .format are settable, .data() gives the last result",
    async () => {
      const rs = new RunSparql(cp, "select * where { ?s ?p ?o } limit 1", { format: "json" });
      assert.equal(rs.data(), undefined);
      rs.query = STATIONS;
      (rs as unknown as RunSparql<"csv">).format = "CSV" as "csv";
      assert.equal(rs.format, "csv");
      const out = await rs.run();
      assert.equal(rs.data(), out);
      assert.match(String(out), /^id,lat/);
    },
  );

  await t.step(
    "an unknown format names the valid ones (Python silently falls back to json)",
    () => {
      assert.throws(
        () => new RunSparql(cp, STATIONS, { format: "xml" as "json" }),
        (e: unknown) => {
          assert.ok(e instanceof UnknownValueError);
          for (const f of ["json", "csv", "dict", "pandas", "array", "html", "txt"]) {
            assert.ok(e.valid.includes(f), f);
          }
          return true;
        },
      );
      const rs = new RunSparql(cp, STATIONS);
      assert.throws(() => (rs.format = "list" as "json"), UnknownValueError);
    },
  );

  await t.step(
    "a query the endpoint rejects → SparqlError (Python returns (False, 'Bad Request'))",
    async () => {
      await assert.rejects(
        new RunSparql(cp, "select ?x where {", { format: "pandas" }).run(),
        SparqlError,
      );
    },
  );

  await t.step("cp.sparql.runSparql(query, fmt) is the same runner", async () => {
    const [head] = await cp.sparql.runSparql(STATIONS, "array").run();
    assert.deepEqual(head, ["id", "lat"]);
  });
});

Deno.test("Python sparqls built-in queries, run through a client against the emulator", async (t) => {
  await using x = await emulatorWithExtras();
  const { cp, emu } = x;
  const R = `${emu.endpoints.meta}/resources/`;
  const run = (q: string) => new RunSparql(cp, q, { format: "pandas" }).run();
  const rows = (df: { objects(): object[] }) => df.objects() as Record<string, unknown>[];

  await t.step(
    "sparqls.icos_hist_sparql() → Short_name, Country, lat, lon, Long_name, height",
    async () => {
      const df = await run(Q.historicalStationsQuery());
      assert.deepEqual(df.columnNames(), [
        "Short_name",
        "Country",
        "lat",
        "lon",
        "Long_name",
        "height",
      ]);
      assert.deepEqual(rows(df).map((r) => [r.Short_name, r.Country, r.height]), [
        ["GAT", "DE", 30],
        ["GAT", "DE", 341],
        ["PUY", "FR", 10],
      ]);
      assert.equal(rows(df)[2].Long_name, "Puy de Dôme");
    },
  );

  await t.step(
    "sparqls.icos_hist_L1_L2_sparql(code, icos_label) → a station's historical objects",
    async () => {
      const icos = await run(Q.historicalObservationsQuery({ code: "GAT" }));
      const dobjs = icos.array("dobj") as string[];
      assert.ok(dobjs.some((d) => d.endsWith(DROUGHT_OBJECTS.gat341)));
      assert.ok((icos.array("spec") as string[]).some((s) => s.endsWith("/atcCo2L2DataObject")));
      const pre = await run(Q.historicalObservationsQuery({ code: "PUY", icos: false }));
      assert.deepEqual((pre.array("dobj") as string[]).map((d) => d.split("/").pop()), [
        DROUGHT_OBJECTS.puy,
      ]);
    },
  );

  await t.step(
    "sparqls.icos_prods_per_domain(domain) → ICOS and pre-ICOS level 1–2 products",
    async () => {
      const atm = await run(Q.productsPerDomainQuery());
      assert.deepEqual(atm.columnNames(), ["specLabel", "spec"]);
      const specs = (atm.array("spec") as string[]).map((s) => s.slice(R.length)).sort();
      assert.deepEqual(specs, [
        "cpmeta/atcCh4L2DataObject",
        "cpmeta/atcCo2L2DataObject",
        "cpmeta/atcCo2NrtGrowingDataObject",
        "cpmeta/drought2018AtmoProduct",
        "cpmeta/icosObspackCo2",
      ]);
      const eco = await run(Q.productsPerDomainQuery("Ecosystem" as "ecosystem"));
      assert.deepEqual([...eco.array("spec") as string[]].sort(), [
        `${R}cpmeta/etcArchiveProduct`,
        `${R}cpmeta/etcFluxnetProduct`,
      ]);
      assert.equal((await run(Q.productsPerDomainQuery("ocean"))).numRows(), 0);
      assert.throws(() => Q.productsPerDomainQuery("space" as "ocean"), UnknownValueError);
    },
  );

  await t.step("sparqls.station_query() → the station list of getIdList", async () => {
    const df = await run(Q.stationQuery());
    assert.deepEqual([...df.array("id") as string[]].sort(), IDS);
    assert.ok((df.array("uri") as string[]).every((u) => u.startsWith(R)));
    assert.equal((await run(Q.stationQuery({ project: "all" }))).numRows(), 8);
    assert.equal((await run(Q.stationQuery({ themes: ["as"], countries: ["se"] }))).numRows(), 2);
  });

  await t.step(
    "sparqls.get_coords_icos_stations_atc() → atmosphere stations with PI names",
    async () => {
      const df = await run(Q.atcStationCoordsQuery());
      assert.deepEqual(df.array("Short_name"), ["GAT", "HTM", "NOR", "ZSF"]);
      assert.equal(rows(df)[0].PI_names, "Example");
    },
  );

  await t.step(
    "sparqls.atc_co2_level2() / atc_ch4_level2() / atc_query / atc_stationlist",
    async () => {
      const co2 = await run(Q.atcQuery("co2"));
      assert.deepEqual(co2.columnNames(), [
        "dobj",
        "spec",
        "fileName",
        "size",
        "submTime",
        "timeStart",
        "timeEnd",
      ]);
      assert.equal(co2.numRows(), 4);
      assert.equal((await run(Q.atcQuery("ch4"))).numRows(), 2); // GAT, and HTM in the full layout
      assert.equal((await run(Q.atcQuery("co2", { stations: ["GAT", "HTM"] }))).numRows(), 2);
    },
  );

  await t.step(
    "sparqls.objectSpec(), dobj_for_samplingheight(), get_icos_stations_atc_L2()",
    async () => {
      assert.deepEqual((await run(Q.objectSpecQuery())).columnNames(), [
        "dobj",
        "station",
        "samplingHeight",
      ]);
      assert.equal((await run(Q.objectSpecQuery())).numRows(), 4);
      const atH = await run(Q.objectsAtHeightQuery({ icosId: "GAT", height: 341 }));
      assert.ok(atH.numRows() >= 2);
      assert.ok((await run(Q.atcStationsLevelQuery(2))).numRows() > 0);
    },
  );

  await t.step(
    "sparqls.collections() / collection_items(id) / get_icos_citation(dobj)",
    async () => {
      const colls = await run(Q.collectionsQuery());
      assert.deepEqual(colls.columnNames(), ["collection", "doi", "title", "description"]);
      assert.equal(colls.numRows(), 4);
      const htm = emu.dataset.collections.find((c) => c.doi === "10.18160/EMU2-HTMX")!;
      const items = await run(
        Q.collectionItemsQuery(`${emu.endpoints.meta}/collections/${htm.id}`),
      );
      assert.equal(items.numRows(), htm.members.length);
      const one = await run(Q.collectionsQuery("10.18160/EMU2-HTMX"));
      assert.equal(one.numRows(), 1);
      const gat = emu.dataset.objects.find((o) => o.spec === "atcCo2L2DataObject" && o.citation)!;
      const cit = await run(Q.citationQuery(`${emu.endpoints.meta}/objects/${gat.id}`));
      assert.equal(rows(cit)[0].cit, gat.citation);
    },
  );

  await t.step(
    "icoscp_core list_stations / list_datatypes / list_data_objects with a geo filter",
    async () => {
      assert.equal((await run(Q.listStationsQuery())).numRows(), 6);
      assert.equal((await run(Q.listStationsQuery("Station"))).numRows(), 8);
      assert.ok((await run(Q.listDatatypesQuery())).numRows() >= 5);
      const box = "POLYGON((10 47, 12 47, 12 54, 10 54, 10 47))"; // Gartow and Zugspitze
      const geo = await run(Q.listDataObjectsQuery({ geoPolygon: box, limit: 1000 }));
      const stations = new Set(
        (geo.array("station") as (string | undefined)[]).filter((s) => s).map((s) =>
          s!.slice(R.length)
        ),
      );
      assert.deepEqual([...stations].sort(), ["stations/AS_GAT", "stations/AS_ZSF"]);
      const far = "POLYGON((-30 -60, -20 -60, -20 -50, -30 -50, -30 -60))"; // South Atlantic
      assert.equal((await run(Q.listDataObjectsQuery({ geoPolygon: far }))).numRows(), 0);
      assert.throws(
        () => Q.listDataObjectsQuery({ geoPolygon: "BOX(1 2, 3 4)" }),
        InvalidArgumentError,
      );
    },
  );
});

Deno.test("built-in queries address the client's portal: ICOS, SITES, ICOS Cities", async () => {
  const sent: string[] = [];
  const capture = (_input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(String(init?.body));
    return Promise.resolve(Response.json({ head: { vars: [] }, results: { bindings: [] } }));
  };
  for (
    const [portal, prefix] of [
      ["icos", "http://meta.icos-cp.eu/"],
      ["sites", "https://meta.fieldsites.se/"],
      ["cities", "https://citymeta.icos-cp.eu/"],
    ] as const
  ) {
    const cp = new CarbonPortal({ portal, fetch: capture });
    sent.length = 0;
    await cp.sparql.select(Q.stationQuery());
    await new RunSparql(cp, Q.atcStationCoordsQuery()).run();
    await cp.sparql.select(Q.listStationsQuery());
    for (const q of sent.slice(0, 2)) {
      assert.ok(q.includes(`<${prefix}resources/`), `${portal}: ${q.slice(0, 80)}`);
      if (prefix !== "http://meta.icos-cp.eu/") {
        assert.ok(!q.includes("//meta.icos-cp.eu/resources"), portal);
      }
    }
    assert.ok(sent[2].includes(`"${prefix}"`), portal);
    if (portal !== "icos") assert.ok(!sent[2].includes('"http://meta.icos-cp.eu/"'), portal);
  }
  // list_stations() without a type lists the portal's own default station class
  const classes: Record<string, string> = {};
  for (const portal of ["icos", "sites", "cities"] as const) {
    sent.length = 0;
    await new CarbonPortal({ portal, fetch: capture }).sparql.select(Q.listStationsQuery());
    classes[portal] = /rdfs:subClassOf\* <([^>]+)>/.exec(sent[0])![1];
  }
  assert.deepEqual(classes, {
    icos: "http://meta.icos-cp.eu/ontologies/cpmeta/IcosStation",
    sites: "https://meta.fieldsites.se/ontologies/sites/Station",
    cities: "http://meta.icos-cp.eu/ontologies/cpmeta/IcosCitiesStation",
  });
  sent.length = 0;
  await new CarbonPortal({ portal: "sites", fetch: capture }).sparql.select(
    Q.listStationsQuery("AS"),
  );
  assert.match(sent[0], /rdfs:subClassOf\* <http:\/\/meta\.icos-cp\.eu\/ontologies\/cpmeta\/AS>/);
  // a user's own query and a builder given an explicit prefix are sent as written
  const cp = new CarbonPortal({ portal: "sites", fetch: capture });
  sent.length = 0;
  const own = "select * where { <http://meta.icos-cp.eu/resources/stations/AS_GAT> ?p ?o }";
  await cp.sparql.select(own);
  await cp.sparql.select(Q.stationQuery({}, { prefix: "http://meta.icos-cp.eu/" }));
  assert.equal(sent[0], own);
  assert.ok(sent[1].includes("<http://meta.icos-cp.eu/resources/roles/PI>"));
});
