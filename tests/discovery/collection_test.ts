import assert from "node:assert/strict";
import { CarbonPortal, NotFoundError, UnsupportedFormatError } from "../../mod.ts";
import type { FetchFn } from "../../src/client/client.ts";
import { withRealFixtures } from "../_fixtures.ts";
import { realStore, sparqlFetch } from "../_rdf_store.ts";
import { atcObject } from "../_fake_portal.ts";
import { startEmulator } from "../../emulator/mod.ts";

const CH4 = "https://meta.icos-cp.eu/collections/WM5ShdLFqPSI0coyVa57G1_Z";

Deno.test(
  withRealFixtures(
    "CollectionApi.getIdList() lists 147 collections with members and counts in two queries",
  ),
  async () => {
    const sp = sparqlFetch(await realStore());
    const cp = new CarbonPortal({ fetch: sp.fetch });
    const t = await cp.collection.getIdList();
    assert.equal(t.numRows(), 147);
    assert.deepEqual(t.columnNames(), [
      "collection",
      "doi",
      "title",
      "description",
      "dobj",
      "count",
    ]);
    const ch4 = (t.objects() as { collection: string; doi: string; count: number }[]).find((r) =>
      r.collection === CH4
    )!;
    assert.equal(ch4.doi, "10.18160/P7E9-EKEA");
    assert.equal(ch4.count, 30);
    assert.equal(Math.max(...(t.array("count") as number[])), 447);
    assert.equal(sp.queries.length, 2);
  },
);

function landing(members: { res: string; hash: string; name?: string; title?: string }[]) {
  return {
    res: CH4,
    hash: "WM5ShdLFqPSI0coyVa57G1_ZAAAAAAAAAAAAAAAAAAA",
    members,
    creator: { self: { uri: "http://meta.icos-cp.eu/resources/organizations/ATC" }, name: "ATC" },
    title: "Ambient atmospheric methane observations from the ICOS/InGOS network 2000-2015",
    description: "Historic CH4",
    latestVersion: CH4,
    parentCollections: [{ uri: "https://meta.icos-cp.eu/collections/parentParentParentParentP" }],
    doi: "10.18160/P7E9-EKEA",
    references: {
      citationString: "ICOS RI, 2019. Ambient CH4.",
      citationBibTex: "@misc{ch4}",
      citationRis: "TY - DATA",
    },
  };
}

Deno.test("CollectionApi.get() finds a collection by DOI and reads its members, parents and citations offline", async () => {
  const ids = ["AAAAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBBBB"];
  const requests: string[] = [];
  const fetch: FetchFn = (input, init) => {
    const url = String(input);
    requests.push(url);
    if (url.endsWith("/sparql")) {
      assert.match(String(init?.body), /10\.18160\/P7E9-EKEA/i);
      return Promise.resolve(
        Response.json({
          head: { vars: ["collection"] },
          results: { bindings: [{ collection: { type: "uri", value: CH4 } }] },
        }),
      );
    }
    if (url === CH4) {
      return Promise.resolve(Response.json(landing([
        { res: `https://meta.icos-cp.eu/objects/${ids[0]}`, hash: "a", name: "a.nc" },
        { res: `https://meta.icos-cp.eu/objects/${ids[1]}`, hash: "b", name: "b.nc" },
        {
          res: "https://meta.icos-cp.eu/collections/subSubSubSubSubSubSubSubS",
          hash: "c",
          title: "Sub",
          name: "Sub",
        },
      ])));
    }
    const id = url.slice(url.lastIndexOf("/") + 1);
    return Promise.resolve(Response.json(atcObject(id).meta));
  };
  const cp = new CarbonPortal({ fetch });
  const c = await cp.collection.get("https://doi.org/10.18160/P7E9-EKEA");
  assert.equal(c.id, CH4);
  assert.equal(
    c.title,
    "Ambient atmospheric methane observations from the ICOS/InGOS network 2000-2015",
  );
  assert.equal(c.datalink.length, 3);
  assert.deepEqual(c.children, ["https://meta.icos-cp.eu/collections/subSubSubSubSubSubSubSubS"]);
  assert.deepEqual(c.parents, ["https://meta.icos-cp.eu/collections/parentParentParentParentP"]);
  assert.equal(await c.getCitation("bibtex"), "@misc{ch4}");
  assert.equal(await c.getCitation("ris"), "TY - DATA");
  await assert.rejects(c.getCitation("apa"), UnsupportedFormatError);
  assert.deepEqual(c.info(), {
    id: CH4,
    doi: "10.18160/P7E9-EKEA",
    citation: "ICOS RI, 2019. Ambient CH4.",
    title: c.title,
    description: "Historic CH4",
  });
  assert.match(c.info("html") as string, /<table/);
  const progress: number[] = [];
  const dobjs = await c.data({ concurrency: 2, onProgress: (d) => progress.push(d) });
  assert.deepEqual(dobjs.map((d) => d.id), ids);
  assert.deepEqual(progress, [1, 2]);
  assert.ok(!requests.some((u) => u.includes("crosscite")));
});

Deno.test("CollectionApi.get() asks crosscite only when told to, and reports unknown DOIs", async () => {
  const calls: string[] = [];
  const fetch: FetchFn = (input) => {
    const url = String(input);
    calls.push(url);
    if (url.startsWith("https://citation.crosscite.org/")) {
      return Promise.resolve(new Response("ICOS RI. (2019). Ambient CH4 [APA]."));
    }
    if (url.endsWith("/sparql")) {
      return Promise.resolve(Response.json({ head: { vars: [] }, results: { bindings: [] } }));
    }
    return Promise.resolve(Response.json(landing([])));
  };
  const cp = new CarbonPortal({ fetch });
  const c = await cp.collection.get("WM5ShdLFqPSI0coyVa57G1_Z");
  assert.equal(calls[0], CH4);
  assert.equal(await c.getCitation("apa", { online: true }), "ICOS RI. (2019). Ambient CH4 [APA].");
  assert.match(calls.at(-1)!, /format\?doi=10\.18160%2FP7E9-EKEA&style=apa&lang=en-GB/);
  await assert.rejects(cp.collection.get("10.18160/NOPE-NOPE"), NotFoundError);
});

Deno.test("CollectionApi.get() forgives a DOI's case and its doi: or https://doi.org/ prefix, as cp.dobj does (issue 21)", async () => {
  await using emu = await startEmulator();
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const t = await cp.collection.getIdList();
  const row = (t.objects() as { collection: string; doi: string }[]).find((r) => r.doi)!;
  const doi = row.doi;
  assert.match(doi, /[A-Z]/); // the portal's DOIs are upper-case: lower case is a real difference
  const forms = [
    doi,
    doi.toLowerCase(),
    `doi:${doi}`,
    `DOI:${doi.toLowerCase()}`,
    `https://doi.org/${doi.toLowerCase()}`,
    `http://dx.doi.org/${doi}`,
    ` ${doi} `,
  ];
  for (const form of forms) {
    const c = await cp.collection.get(form);
    assert.equal(c.id, row.collection, form);
    assert.equal(c.doi, doi, form);
  }
  // the same forms of a data object's DOI, for comparison
  const withDoi = emu.dataset.objects.find((o) => o.doi)!;
  for (const form of [withDoi.doi!.toLowerCase(), `doi:${withDoi.doi}`]) {
    assert.equal((await cp.dobj(form)).id, withDoi.id, form);
  }
  await assert.rejects(cp.collection.get(`doi:${doi}X`), NotFoundError);
});
