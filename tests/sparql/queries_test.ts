import assert from "node:assert/strict";
import { CarbonPortal, UnknownValueError } from "../../mod.ts";
import * as Q from "../../src/sparql/queries.ts";
import { withRealFixtures } from "../_fixtures.ts";
import { realStore, sparqlFetch, turtleStore } from "../_rdf_store.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const R = "http://meta.icos-cp.eu/resources/";
const CP = "http://meta.icos-cp.eu/ontologies/cpmeta/";
const HTM_FLUXES = "https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_";

let real: CarbonPortal | undefined;
async function onReal(): Promise<CarbonPortal> {
  real ??= new CarbonPortal({ fetch: sparqlFetch(await realStore()).fetch });
  return real;
}

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

const local = (u: string) => u.slice(u.lastIndexOf("/") + 1);

Deno.test(
  withRealFixtures("listDatatypesQuery() lists the 74 data types of the real metadata"),
  async () => {
    const r = await (await onReal()).sparql.select(Q.listDatatypesQuery());
    assert.equal(r.length, 74);
    const fluxes = r.rows.find((x) => x.iri("spec") === `${R}cpmeta/etcL2Fluxes`)!;
    assert.equal(fluxes.int("level"), 2);
    assert.equal(fluxes.iri("dsType"), `${CP}stationTimeSeriesDataset`);
    assert.equal(fluxes.iri("ds_spec_uri"), `${R}cpmeta/etcFluxesDataset`);
  },
);

Deno.test(
  withRealFixtures("listStationsQuery() finds 141 ICOS stations: AS 36, ES 90, OS 15"),
  async () => {
    const cp = await onReal();
    const r = await cp.sparql.select(Q.listStationsQuery());
    assert.equal(r.length, 141);
    assert.deepEqual(countBy(r.rows, (x) => local(x.iri("stType"))), { OS: 15, ES: 90, AS: 36 });
    const gat = r.rows.find((x) => x.string("stId") === "GAT")!;
    assert.deepEqual([
      gat.string("stationName"),
      gat.string("cCode"),
      gat.number("lat"),
      gat.number("lon"),
      gat.number("elevation"),
    ], ["Gartow", "DE", 53.0657, 11.4429, 70]);
    assert.equal((await cp.sparql.select(Q.listStationsQuery("AS"))).length, 36);
  },
);

Deno.test(
  withRealFixtures(
    "listDataObjectsQuery() finds the one current ETC L2 fluxes object of SE-Htm, three with deprecated ones",
  ),
  async () => {
    const cp = await onReal();
    const filters = {
      specs: [`${R}cpmeta/etcL2Fluxes`],
      stations: [`https://meta.icos-cp.eu/resources/stations/ES_SE-Htm`],
    };
    const r = await cp.sparql.select(Q.listDataObjectsQuery(filters));
    assert.equal(r.length, 1);
    const o = r.rows[0];
    assert.equal(o.iri("dobj"), HTM_FLUXES);
    assert.equal(o.string("fileName"), "ICOSETC_SE-Htm_FLUXES_L2.zip");
    assert.equal(o.int("size"), 16888355);
    // (the RDF says xsd:long; Oxigraph canonicalises derived integer types to xsd:integer)
    assert.equal(o.date("timeStart").toISOString(), "2017-12-31T23:00:00.000Z");
    assert.equal(o.date("timeEnd").toISOString(), "2021-12-31T23:00:00.000Z");
    assert.equal(o.has("samplingHeight"), false);
    assert.equal(
      (await cp.sparql.select(Q.listDataObjectsQuery({ ...filters, includeDeprecated: true })))
        .length,
      3,
    );
    const big = await cp.sparql.select(Q.listDataObjectsQuery({
      specs: [`${R}cpmeta/etcL2Fluxes`],
      filters: [{ prop: "size", op: ">", value: 16888354 }, {
        prop: "timeEnd",
        op: ">=",
        value: "2021-12-31T23:00:00Z",
      }],
      orderBy: "size",
      limit: 1000,
    }));
    assert.ok(big.rows.every((x) => x.int("size") > 16888354));
    assert.ok(big.rows.some((x) => x.iri("dobj") === HTM_FLUXES));
    assert.throws(
      () => Q.listDataObjectsQuery({ orderBy: "name" as "size" }),
      InvalidArgumentError,
    );
    assert.throws(
      () => Q.listDataObjectsQuery({ filters: [{ prop: "size", op: "<>" as "<", value: 1 }] }),
      InvalidArgumentError,
    );
  },
);

Deno.test(
  withRealFixtures("stationClassLookupQuery() maps 139 stations to their class"),
  async () => {
    const r = await (await onReal()).sparql.select(Q.stationClassLookupQuery());
    assert.equal(r.length, 139);
    assert.deepEqual(countBy(r.rows, (x) => x.string("class")), {
      "1": 48,
      "2": 46,
      Associated: 45,
    });
  },
);

Deno.test(
  withRealFixtures("cpbMetaQuery() gives rows, dataset spec and format of an object"),
  async () => {
    const r = await (await onReal()).sparql.select(Q.cpbMetaQuery([HTM_FLUXES]));
    assert.equal(r.length, 1);
    assert.equal(r.rows[0].int("nRows"), 70128);
    assert.equal(r.rows[0].datatype("nRows"), "http://www.w3.org/2001/XMLSchema#integer");
    assert.equal(r.rows[0].iri("dsSpec"), `${R}cpmeta/etcFluxesDataset`);
    assert.equal(r.rows[0].iri("objFormat"), `${CP}asciiEtcHalfHourlyProductTimeSer`);
  },
);

Deno.test(
  withRealFixtures("datasetColumnsQuery() lists the 16 columns of etcFluxesDataset"),
  async () => {
    const r = await (await onReal()).sparql.select(
      Q.datasetColumnsQuery(`${R}cpmeta/etcFluxesDataset`),
    );
    assert.equal(r.length, 16);
    const formats = Object.fromEntries(
      r.rows.map((x) => [x.string("colTitle"), local(x.iri("valFormat"))]),
    );
    assert.equal(formats.TIMESTAMP, "iso8601dateTime");
    assert.equal(formats.TIMESTAMP_END, "etcLocalDateTime");
    assert.equal(formats.NEE, "float32");
    assert.ok(r.rows.every((x) => !x.has("flagColTitle")));
  },
);

Deno.test(withRealFixtures("goodFlagsQuery() joins the good flags of each format"), async () => {
  const r = await (await onReal()).sparql.select(
    Q.goodFlagsQuery([`${R}cpmeta/etcL2Fluxes`, `${R}cpmeta/atcCo2L2DataObject`]),
  );
  const flags = Object.fromEntries(
    r.rows.map((x) => [local(x.iri("objFormat")), x.string("goodFlags").split(";").sort()]),
  );
  assert.deepEqual(flags, {
    asciiEtcHalfHourlyProductTimeSer: ["0", "1"],
    asciiAtcProductTimeSer: ["O", "R", "U"],
  });
});

Deno.test(
  withRealFixtures(
    "stationQuery() lists 139 ICOS stations (AS 36, ES 88, OS 15) with their attributes",
  ),
  async () => {
    const cp = await onReal();
    const r = await cp.sparql.select(Q.stationQuery());
    assert.equal(r.length, 139);
    assert.deepEqual(countBy(r.rows, (x) => local(x.iri("stationTheme"))), {
      AS: 36,
      ES: 88,
      OS: 15,
    });
    const get = (id: string) => r.rows.find((x) => x.string("id") === id)!;
    const gat = get("GAT");
    assert.deepEqual(
      [
        gat.iri("uri"),
        gat.string("name"),
        gat.string("icosClass"),
        gat.string("country"),
        gat.number("lat"),
        gat.number("lon"),
        gat.number("elevation"),
      ],
      [`${R}stations/AS_GAT`, "Gartow", "1", "DE", 53.0657, 11.4429, 70],
    );
    assert.equal(gat.datatype("lat"), "http://www.w3.org/2001/XMLSchema#double");
    assert.equal(gat.datatype("elevation"), "http://www.w3.org/2001/XMLSchema#float");
    assert.deepEqual([
      get("HTM").string("name"),
      get("HTM").number("lat"),
      get("HTM").number("elevation"),
    ], ["Hyltemossa", 56.0976, 115]);
    assert.deepEqual([
      get("NOR").number("lat"),
      get("NOR").number("lon"),
      get("NOR").number("elevation"),
    ], [60.0864, 17.4794, 46]);
    assert.deepEqual([get("ZSF").string("icosClass"), get("ZSF").number("elevation")], ["2", 2666]);
    assert.deepEqual([get("SE-Htm").string("icosClass"), get("SE-Htm").number("lat")], [
      "2",
      56.09763,
    ]);
    const one = await cp.sparql.select(Q.stationQuery({ ids: ["GAT"] }));
    assert.equal(one.length, 1);
    const de = await cp.sparql.select(Q.stationQuery({ countries: ["DE"], themes: ["AS"] }));
    assert.ok(
      de.rows.every((x) => x.string("country") === "DE" && local(x.iri("stationTheme")) === "AS"),
    );
    assert.ok(de.rows.some((x) => x.string("id") === "ZSF"));
    const all = await cp.sparql.select(Q.stationQuery({ project: "all" }));
    assert.ok(all.rows.some((x) => local(x.iri("stationTheme")) === "AtmoStation"));
    assert.ok(all.length > 139);
  },
);

Deno.test(withRealFixtures("stationDataQuery() lists a station's level-2 objects"), async () => {
  const r = await (await onReal()).sparql.select(Q.stationDataQuery([`${R}stations/ES_SE-Htm`], 2));
  assert.ok(
    r.rows.some((x) => x.iri("dobj") === HTM_FLUXES && x.string("specLabel") === "ETC L2 Fluxes"),
  );
  assert.ok(r.rows.every((x) => x.int("datalevel") >= 2));
  assert.throws(() => Q.stationDataQuery([`${R}stations/ES_SE-Htm`], 7 as 2), InvalidArgumentError);
});

Deno.test(
  withRealFixtures(
    "collectionsQuery() lists 147 current collections, 65 with a DOI, and finds one by DOI",
  ),
  async () => {
    const cp = await onReal();
    const all = await cp.sparql.select(Q.collectionsQuery());
    assert.equal(all.length, 147);
    assert.equal(all.rows.filter((x) => x.has("doi")).length, 65);
    const one = await cp.sparql.select(Q.collectionsQuery("10.18160/P7E9-EKEA"));
    assert.equal(one.length, 1);
    assert.equal(
      one.rows[0].iri("collection"),
      "https://meta.icos-cp.eu/collections/WM5ShdLFqPSI0coyVa57G1_Z",
    );
    const byUri = await cp.sparql.select(
      Q.collectionsQuery("https://meta.icos-cp.eu/collections/WM5ShdLFqPSI0coyVa57G1_Z"),
    );
    assert.equal(byUri.rows[0].string("doi"), "10.18160/P7E9-EKEA");
  },
);

Deno.test(
  withRealFixtures("collectionItemsQuery() lists the 30 members of WM5ShdLFqPSI0coyVa57G1_Z"),
  async () => {
    const r = await (await onReal()).sparql.select(
      Q.collectionItemsQuery("https://meta.icos-cp.eu/collections/WM5ShdLFqPSI0coyVa57G1_Z"),
    );
    assert.equal(r.length, 30);
    assert.ok(r.rows.every((x) => x.iri("dobj").startsWith("https://meta.icos-cp.eu/objects/")));
  },
);

Deno.test(
  withRealFixtures("objectSpecQuery() and dobjStationQuery() find the Hyltemossa fluxes"),
  async () => {
    const cp = await onReal();
    const r = await cp.sparql.select(Q.objectSpecQuery("etcL2Fluxes", { station: "hyltemossa" }));
    assert.deepEqual(r.toRecords(), [{ dobj: HTM_FLUXES, station: "Hyltemossa" }]);
    const s = await cp.sparql.select(Q.dobjStationQuery(HTM_FLUXES));
    assert.deepEqual(
      [
        s.rows[0].string("stationId"),
        s.rows[0].string("stationName"),
        s.rows[0].number("lat"),
        s.rows[0].string("theme"),
      ],
      ["SE-Htm", "Hyltemossa", 56.09763, "Ecosystem data"],
    );
  },
);

Deno.test(
  withRealFixtures("atcStationCoordsQuery() lists the 36 atmosphere stations with PI names"),
  async () => {
    const r = await (await onReal()).sparql.select(Q.atcStationCoordsQuery());
    assert.equal(r.length, 36);
    const gat = r.rows.find((x) => x.string("Short_name") === "GAT")!;
    assert.deepEqual([gat.string("Long_name"), gat.string("Country"), gat.number("lat")], [
      "Gartow",
      "DE",
      53.0657,
    ]);
  },
);

Deno.test(
  withRealFixtures("stationEntryClassQuery() lists atmosphere station entries of class 1 and 2"),
  async () => {
    const r = await (await onReal()).sparql.select(Q.stationEntryClassQuery());
    assert.equal(r.length, 40);
    assert.ok(r.rows.every((x) => ["1", "2"].includes(x.string("Station_class"))));
    assert.ok(
      r.rows.some((x) =>
        x.string("Short_name") === "BIR" && x.string("Long_name") === "Birkenes Observatory"
      ),
    );
  },
);

Deno.test(
  withRealFixtures(
    "citationQuery(), productsPerDomainQuery() and productAvailabilityQuery() answer on the real metadata",
  ),
  async () => {
    const cp = await onReal();
    const cit = await cp.sparql.select(Q.citationQuery(HTM_FLUXES));
    assert.equal(cit.length, 1);
    assert.equal(cit.rows[0].optString("cit"), undefined);
    const eco = await cp.sparql.select(Q.productsPerDomainQuery("ecosystem"));
    assert.ok(eco.rows.some((x) => x.iri("spec") === `${R}cpmeta/ecoEcoDataObject`));
    assert.throws(() => Q.productsPerDomainQuery("space" as "ocean"), UnknownValueError);
    const avail = await cp.sparql.select(Q.productAvailabilityQuery([`${R}cpmeta/etcL2Fluxes`]));
    assert.equal(avail.length, 38);
    assert.ok(
      avail.rows.some((x) => x.iri("dobj") === HTM_FLUXES && x.string("stationId") === "SE-Htm"),
    );
  },
);

// The real exports have no atmosphere objects (atmprodcsv is not among them):
// a small graph of the same shape stands in.
const ATM = `
@prefix cpmeta: <${CP}> . @prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<${R}cpmeta/atcCo2L2DataObject> cpmeta:hasDataLevel "2"^^xsd:integer ; cpmeta:hasAssociatedProject <${R}projects/icos> ;
  cpmeta:containsDataset <${R}cpmeta/atcCo2Dataset> ; rdfs:label "ICOS ATC CO2 Release" .
<${R}cpmeta/atcCo2Dataset> cpmeta:hasColumn <${R}cpmeta/co2Column> .
<${R}cpmeta/co2Column> cpmeta:hasValueType <${R}cpmeta/co2MixingRatio> .
<${R}cpmeta/co2MixingRatio> rdfs:label "CO2 mixing ratio (dry mole fraction)" .
<${R}cpmeta/ObspackTimeSerieResult> rdfs:label "ObsPack CO2" .
<https://meta.icos-cp.eu/objects/atcGatCo2L2aaaaaaaaaaaaaa> cpmeta:hasObjectSpec <${R}cpmeta/atcCo2L2DataObject> ;
  cpmeta:hasName "ICOS_ATC_L2_L2-2024.1_GAT_341.0_CTS.CO2" ; cpmeta:hasSizeInBytes "2000000"^^xsd:long ;
  cpmeta:wasSubmittedBy [ prov:endedAtTime "2024-06-01T00:00:00Z"^^xsd:dateTime ] ;
  cpmeta:wasAcquiredBy [ prov:startedAtTime "2016-05-10T00:00:00Z"^^xsd:dateTime ; prov:endedAtTime "2023-12-31T23:00:00Z"^^xsd:dateTime ;
    prov:wasAssociatedWith <${R}stations/AS_GAT> ; cpmeta:hasSamplingHeight "341.0"^^xsd:float ] .
<https://meta.icos-cp.eu/objects/obspackGatCo2aaaaaaaaaaaa> cpmeta:hasObjectSpec <${R}cpmeta/ObspackTimeSerieResult> ;
  cpmeta:hasName "co2_gat_tower-insitu_478_allvalid-341magl.nc" ; cpmeta:hasSizeInBytes "3000000"^^xsd:long ;
  cpmeta:wasSubmittedBy [ prov:endedAtTime "2024-07-01T00:00:00Z"^^xsd:dateTime ] ;
  cpmeta:wasAcquiredBy [ prov:startedAtTime "2016-05-10T00:00:00Z"^^xsd:dateTime ; prov:endedAtTime "2023-12-31T23:00:00Z"^^xsd:dateTime ;
    prov:wasAssociatedWith <${R}stations/AS_GAT> ; cpmeta:hasSamplingHeight "341.0"^^xsd:float ] .
<${R}stations/AS_GAT> cpmeta:hasName "Gartow" ; cpmeta:hasStationId "GAT" ; cpmeta:countryCode "DE" .
`;
const atm = new CarbonPortal({
  fetch: sparqlFetch(turtleStore({ [`${R}atmprodcsv/`]: ATM })).fetch,
});

Deno.test("atcQuery() lists level-2 ATC objects, also per station", async () => {
  const all = await atm.sparql.select(Q.atcQuery("co2"));
  assert.deepEqual(all.rows.map((x) => x.string("fileName")), [
    "ICOS_ATC_L2_L2-2024.1_GAT_341.0_CTS.CO2",
  ]);
  assert.equal((await atm.sparql.select(Q.atcQuery("co2", { stations: ["GAT"] }))).length, 1);
  assert.equal((await atm.sparql.select(Q.atcQuery("co2", { stations: ["HTM"] }))).length, 0);
  assert.equal((await atm.sparql.select(Q.atcQuery("ch4"))).length, 0);
  assert.throws(() => Q.atcQuery("n2o" as "co2"), InvalidArgumentError);
});

Deno.test("atcStationsLevelQuery() finds objects with a CO2 mixing-ratio column", async () => {
  const r = await atm.sparql.select(Q.atcStationsLevelQuery(2));
  assert.deepEqual(r.toRecords().map((x) => [x.stationName, x.height, x.variable]), [[
    "Gartow",
    341,
    "CO2 mixing ratio (dry mole fraction)",
  ]]);
  assert.equal((await atm.sparql.select(Q.atcStationsLevelQuery(1))).length, 0);
});

Deno.test("stiltObservationsQuery() finds ObsPack objects at a STILT station's ICOS height", async () => {
  const r = await atm.sparql.select(Q.stiltObservationsQuery({ icosId: "GAT", height: 341 }));
  assert.deepEqual(r.rows.map((x) => x.string("fileName")), [
    "co2_gat_tower-insitu_478_allvalid-341magl.nc",
  ]);
  assert.equal(
    (await atm.sparql.select(Q.stiltObservationsQuery({ icosId: "GAT", height: 30 }))).length,
    0,
  );
});

Deno.test("objectsAtHeightQuery() lists objects at a height and whether they were superseded", async () => {
  const r = await atm.sparql.select(Q.objectsAtHeightQuery({ icosId: "GAT", height: 341 }));
  assert.deepEqual(r.rows.map((x) => [x.string("fileName"), x.bool("hasNextVersion")]), [[
    "ICOS_ATC_L2_L2-2024.1_GAT_341.0_CTS.CO2",
    false,
  ]]);
});

Deno.test("Q builders use the instance prefix of an emulator", () => {
  const q = Q.stationQuery({}, { prefix: "http://127.0.0.1:8080/meta/" });
  assert.match(q, /from <http:\/\/127\.0\.0\.1:8080\/meta\/resources\/icos\/>/);
  assert.match(q, /<http:\/\/127\.0\.0\.1:8080\/meta\/resources\/roles\/PI>/);
  assert.throws(() => Q.stationQuery({}, { prefix: "not a prefix" }), InvalidArgumentError);
});

Deno.test(
  withRealFixtures(
    "stationQuery() treats a hostile station id as one literal that matches nothing",
  ),
  async () => {
    const r = await (await onReal()).sparql.select(
      Q.stationQuery({ ids: ['GAT" } ?x ?y ?z { "', "GAT'} UNION {?uri ?p ?o"] }),
    );
    assert.equal(r.length, 0);
  },
);

Deno.test("historicalObservationsQuery() lists the ATC CO2 objects of a station with its facts", async () => {
  const r = await atm.sparql.select(Q.historicalObservationsQuery({ code: "GAT" }));
  assert.deepEqual(
    r.rows.map((
      x,
    ) => [
      x.string("Short_name"),
      x.string("Long_name"),
      x.string("Country"),
      x.number("samplingHeight"),
    ]),
    [["GAT", "Gartow", "DE", 341]],
  );
  assert.equal(
    (await atm.sparql.select(Q.historicalObservationsQuery({ code: "GAT", icos: false }))).length,
    0,
  );
});
