// Discovery (stations, collections, SPARQL) through the emulator serving the
// portal's real RDF exports.

import assert from "node:assert/strict";
import { CarbonPortal } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { withRealFixtures } from "../_fixtures.ts";
import { realRdfSources } from "../_rdf_store.ts";

Deno.test(
  withRealFixtures("Stations and collections from the emulator loaded with the real RDF exports"),
  async () => {
    await using emu = await startEmulator({ rdf: await realRdfSources(), builtinMetadata: false });
    // the exports name resources under the real portal's prefix
    const cp = new CarbonPortal({
      portal: emu.endpoints,
      endpoints: { metaInstancePrefix: "http://meta.icos-cp.eu/" },
    });
    const stations = await cp.station.getIdList();
    assert.equal(stations.numRows(), 139);
    const themes = stations.groupby("theme").count().objects() as {
      theme: string;
      count: number;
    }[];
    assert.deepEqual(Object.fromEntries(themes.map((t) => [t.theme, t.count])), {
      AS: 36,
      ES: 88,
      OS: 15,
    });
    const gat = await cp.station.get("GAT");
    assert.deepEqual([gat.name, gat.icosClass, gat.country, gat.lat, gat.lon, gat.elevation], [
      "Gartow",
      "1",
      "DE",
      53.0657,
      11.4429,
      70,
    ]);
    assert.ok((await (await cp.station.get("SE-Htm")).products()).includes("ETC L2 Fluxes"));
    const colls = await cp.collection.getIdList();
    assert.equal(colls.numRows(), 147);
    const ch4 = (colls.objects() as { doi: string; count: number }[]).find((c) =>
      c.doi === "10.18160/P7E9-EKEA"
    );
    assert.equal(ch4?.count, 30);
  },
);
