// The portal's real RDF exports (../shared/fixtures/real/meta/sparqlDbInit),
// each loaded into its named graph, must give the answers listed in the
// fixtures README for the queries the clients send.

import assert from "node:assert/strict";
import { startEmulator } from "../mod.ts";
import { withRealFixtures } from "../../tests/_fixtures.ts";
import { realRdfSources as realRdf } from "../../tests/_rdf_store.ts";
import { select } from "./_helpers.ts";

const M = "http://meta.icos-cp.eu/";
const PRE = `prefix cpmeta: <${M}ontologies/cpmeta/>
prefix prov: <http://www.w3.org/ns/prov#>
prefix xsd: <http://www.w3.org/2001/XMLSchema#>
`;

Deno.test(
  withRealFixtures(
    "startEmulator({ rdf }) answers the clients' queries on the portal's real RDF exports",
  ),
  async (t) => {
    await using emu = await startEmulator({ rdf: await realRdf(), builtinMetadata: false });

    await t.step("station list (icoscp_core list_stations): 141 ICOS stations", async () => {
      const rows = await select(
        emu,
        `${PRE}select * where {
        ?stType rdfs:subClassOf* cpmeta:IcosStation .
        ?station a ?stType ; cpmeta:hasStationId ?stId ; cpmeta:hasName ?stationName ; cpmeta:countryCode ?cCode .
        FILTER(strstarts(str(?station), "${M}"))
        OPTIONAL{?station cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon}
        OPTIONAL{?station cpmeta:hasElevation ?elevation}
      } order by ?stId`,
      );
      assert.equal(rows.length, 141);
      const gat = rows.find((r) => r.stId.value === "GAT")!;
      assert.equal(gat.station.value, `${M}resources/stations/AS_GAT`);
      assert.deepEqual([gat.lat.value, gat.lat.datatype], [
        "53.0657",
        "http://www.w3.org/2001/XMLSchema#double",
      ]);
      assert.equal(gat.elevation.datatype, "http://www.w3.org/2001/XMLSchema#float");
      assert.equal(Number(gat.elevation.value), 70);
      const classes = await select(
        emu,
        `select * where{?station <${M}ontologies/cpmeta/hasStationClass> ?class}`,
      );
      assert.equal(classes.length, 139);
    });

    await t.step(
      "icoscp station query with project ICOS: 139 rows (AS 36, ES 88, OS 15)",
      async () => {
        const rows = await select(
          emu,
          `${PRE}select distinct ?uri ?id ?icosClass ?stationTheme
      from <${M}resources/icos/> from <${M}resources/extrastations/> from <${M}resources/cpmeta/>
      from <${M}resources/stationentry/>
      where {
        VALUES ?icosClass {"1"^^xsd:string "2"^^xsd:string "Associated"^^xsd:string}
        VALUES ?stationTheme {cpmeta:AS cpmeta:ES cpmeta:OS}
        ?uri cpmeta:hasStationId ?id ; a ?stationTheme ; cpmeta:hasStationClass ?icosClass .
      } order by ?stationTheme ?id`,
        );
        assert.equal(rows.length, 139);
        const count = (th: string) =>
          rows.filter((r) => r.stationTheme.value.endsWith(`/${th}`)).length;
        assert.deepEqual([count("AS"), count("ES"), count("OS")], [36, 88, 15]);
        assert.equal(rows.find((r) => r.id.value === "ZSF")!.icosClass.value, "2");
      },
    );

    await t.step("data types (list_datatypes): 74 rows", async () => {
      const rows = await select(
        emu,
        `${PRE}select * where{
        ?spec cpmeta:hasDataLevel ?level ; cpmeta:hasAssociatedProject ?project ;
          cpmeta:hasFormat ?format ; cpmeta:hasSpecificDatasetType ?dsType .
        FILTER NOT EXISTS {?project cpmeta:hasHideFromSearchPolicy "true"^^xsd:boolean}
        FILTER(STRSTARTS(str(?spec), "${M}"))
        ?spec rdfs:label ?specLabel ; cpmeta:hasDataTheme ?theme .
        ?theme rdfs:label ?themeLabel . ?project rdfs:label ?projectLabel . ?format rdfs:label ?formatLabel .
        optional {?spec cpmeta:containsDataset ?ds_spec_uri}
      } order by ?specLabel`,
      );
      assert.equal(rows.length, 74);
      assert.equal(rows[0].level.datatype, "http://www.w3.org/2001/XMLSchema#integer");
    });

    await t.step(
      "data objects of etcL2Fluxes at SE-Htm: 1 current, 3 with deprecated ones",
      async () => {
        const q = (deprecated: boolean) =>
          `${PRE}select ?dobj ?spec ?station ?samplingHeight ?fileName ?size ?submTime ?timeStart ?timeEnd where {
        VALUES ?spec { <${M}resources/cpmeta/etcL2Fluxes> }
        ?dobj cpmeta:hasObjectSpec ?spec .
        VALUES ?station { <${M}resources/stations/ES_SE-Htm> }
        ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?station .
        OPTIONAL{ ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?samplingHeight . }
        ?dobj cpmeta:hasSizeInBytes ?size .
        ?dobj cpmeta:hasName ?fileName .
        ?dobj cpmeta:wasSubmittedBy/prov:endedAtTime ?submTime .
        ?dobj cpmeta:hasStartTime | (cpmeta:wasAcquiredBy / prov:startedAtTime) ?timeStart .
        ?dobj cpmeta:hasEndTime | (cpmeta:wasAcquiredBy / prov:endedAtTime) ?timeEnd .
        ${deprecated ? "" : "FILTER NOT EXISTS {[] cpmeta:isNextVersionOf ?dobj}"}
      } order by desc(?submTime) offset 0 limit 100`;
        const rows = await select(emu, q(false));
        assert.equal(rows.length, 1);
        const r = rows[0];
        assert.equal(r.dobj.value, "https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_");
        assert.equal(r.fileName.value, "ICOSETC_SE-Htm_FLUXES_L2.zip");
        assert.deepEqual([r.size.value, r.size.datatype], [
          "16888355",
          "http://www.w3.org/2001/XMLSchema#long",
        ]);
        assert.equal(r.timeStart.value, "2017-12-31T23:00:00Z");
        assert.equal(r.timeEnd.value, "2021-12-31T23:00:00Z");
        assert.equal(r.samplingHeight, undefined);
        assert.equal((await select(emu, q(true))).length, 3);
      },
    );

    await t.step("cpb metadata, dataset columns and good flags of that object", async () => {
      const [m] = await select(
        emu,
        `${PRE}select * where{
        values ?dobj { <https://meta.icos-cp.eu/objects/IFzD7LYwG8ZrRKgkMp9eTwy_> }
        ?dobj cpmeta:hasObjectSpec ?objSpec ; cpmeta:hasNumberOfRows ?nRows .
        ?objSpec cpmeta:containsDataset ?dsSpec ; cpmeta:hasFormat ?objFormat .
        optional{?dobj cpmeta:hasActualColumnNames ?colNames }
      }`,
      );
      assert.deepEqual([m.nRows.value, m.nRows.datatype], [
        "70128",
        "http://www.w3.org/2001/XMLSchema#integer",
      ]);
      assert.equal(m.dsSpec.value, `${M}resources/cpmeta/etcFluxesDataset`);
      assert.equal(m.objFormat.value, `${M}ontologies/cpmeta/asciiEtcHalfHourlyProductTimeSer`);
      const cols = await select(
        emu,
        `${PRE}select ?colTitle ?valFormat ?isOptional ?isRegex ?flagColTitle where{
        <${m.dsSpec.value}> cpmeta:hasColumn ?col .
        ?col cpmeta:hasColumnTitle ?colTitle ; cpmeta:hasValueFormat ?valFormat .
        optional{?col cpmeta:isOptionalColumn ?isOptional}
        optional{?col cpmeta:isRegexColumn ?isRegex}
        optional{ ?flagCol cpmeta:isQualityFlagFor ?col ; cpmeta:hasColumnTitle ?flagColTitle .
          <${m.dsSpec.value}> cpmeta:hasColumn ?flagCol . }
      }`,
      );
      assert.equal(cols.length, 16);
      const [flags] = await select(
        emu,
        `${PRE}select ?objFormat (group_concat(?goodFlag; separator=";") as ?goodFlags) where{
        values ?spec { <${M}resources/cpmeta/etcL2Fluxes> }
        ?spec cpmeta:hasFormat ?objFormat .
        optional {?objFormat cpmeta:hasGoodFlagValue ?goodFlag}
      } group by ?objFormat`,
      );
      assert.deepEqual(flags.goodFlags.value.split(";").sort(), ["0", "1"]);
      assert.equal(flags.goodFlags.datatype, undefined);
    });

    await t.step(
      "collections: 147 current, 65 with DOI, 30 members in 10.18160/P7E9-EKEA",
      async () => {
        const rows = await select(
          emu,
          `${PRE}prefix dcterms: <http://purl.org/dc/terms/>
      select ?collection ?doi ?title where {
        ?collection a cpmeta:Collection .
        OPTIONAL{?collection cpmeta:hasDoi ?doi}
        ?collection dcterms:title ?title .
        FILTER NOT EXISTS {[] cpmeta:isNextVersionOf ?collection}
      } order by ?title`,
        );
        assert.equal(rows.length, 147);
        assert.equal(rows.filter((r) => r.doi).length, 65);
        const members = await select(
          emu,
          `select * where{ <https://meta.icos-cp.eu/collections/WM5ShdLFqPSI0coyVa57G1_Z> <http://purl.org/dc/terms/hasPart> ?dobj}`,
        );
        assert.equal(members.length, 30);
        const [v] = await select(
          emu,
          `select (count(*) as ?n) where { ?a <${M}ontologies/cpmeta/isNextVersionOf> ?b }`,
        );
        assert.equal(v.n.value, "972");
      },
    );
  },
);
