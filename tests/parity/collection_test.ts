// Parity with the Python `icoscp.collection` module: every data-returning
// example of the docs' "collection" section, run against the emulator.
// Each step names the Python call it mirrors.

import assert from "node:assert/strict";
import {
  Collection,
  Dobj,
  NotFoundError,
  UnknownValueError,
  UnsupportedFormatError,
} from "../../mod.ts";
import { emulatorWithExtras } from "./_emulator_extra.ts";

const DOI = "10.18160/EMU2-HTMX";

// citation.crosscite.org is a third-party service the tests cannot reach: it is stood in for.
const crosscite = (f: typeof fetch): typeof fetch => (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== "citation.crosscite.org") return f(input, init);
  const answer = `Placeholder, K. (2024). Cited as ${url.searchParams.get("style")} in ${
    url.searchParams.get("lang")
  }. https://doi.org/${url.searchParams.get("doi")}`;
  return Promise.resolve(new Response(answer, { headers: { "content-type": "text/plain" } }));
};

Deno.test("Python collection module: getIdList, get and Collection attributes", async (t) => {
  await using x = await emulatorWithExtras(crosscite);
  const { cp, emu } = x;
  const htm = emu.dataset.collections.find((c) => c.doi === DOI)!;
  const htmUri = `${emu.endpoints.meta}/collections/${htm.id}`;

  await t.step(
    "collection.getIdList() → ['collection', 'doi', 'title', 'description', 'dobj', 'count']",
    async () => {
      const df = await cp.collection.getIdList();
      assert.deepEqual(df.columnNames(), [
        "collection",
        "doi",
        "title",
        "description",
        "dobj",
        "count",
      ]);
      assert.equal(df.numRows(), emu.dataset.collections.length);
      for (const r of df.objects() as { collection: string; dobj: string[]; count: number }[]) {
        assert.ok(Array.isArray(r.dobj) && r.dobj.every((d) => typeof d === "string"));
        assert.equal(r.count, r.dobj.length);
        assert.match(r.collection, /\/collections\/[\w-]{24}$/);
      }
      const row = (df.objects() as { collection: string; doi: string; count: number }[])
        .find((r) => r.doi === DOI)!;
      assert.equal(row.collection, htmUri);
      assert.equal(row.count, htm.members.length);
    },
  );

  await t.step(
    "collection.get(uri) and collection.get(doi) yield the same collection",
    async () => {
      const byUri = await cp.collection.get(htmUri);
      const byDoi = await cp.collection.get(DOI);
      assert.ok(byUri instanceof Collection);
      assert.deepEqual(byDoi.meta, byUri.meta);
      await assert.rejects(cp.collection.get("10.18160/NONE-NONE"), NotFoundError);
    },
  );

  await t.step("Collection.id, .doi, .title, .description, .citation are strings", async () => {
    const c = await cp.collection.get(DOI);
    assert.equal(c.id, htmUri);
    assert.equal(c.doi, DOI);
    assert.equal(c.title, htm.title);
    assert.equal(c.description, htm.description);
    assert.equal(typeof c.citation, "string");
    assert.match(c.citation!, new RegExp(DOI.replace(".", "\\.")));
  });

  await t.step("Collection.info() → dict with id, doi, citation, title, description", async () => {
    const c = await cp.collection.get(DOI);
    const info = c.info();
    assert.deepEqual(Object.keys(info), ["id", "doi", "citation", "title", "description"]);
    assert.deepEqual(c.info("dict"), info);
    assert.deepEqual(c.info("DICT"), info);
  });

  await t.step("Collection.info('pandas') → a table, one row per field", async () => {
    const c = await cp.collection.get(DOI);
    const df = c.info("pandas");
    assert.equal(typeof df, "object");
    assert.deepEqual(df.columnNames(), ["field", "value"]);
    assert.deepEqual(df.array("field"), ["id", "doi", "citation", "title", "description"]);
    assert.equal(df.array("value")[1], DOI);
    assert.deepEqual(c.info("table").objects(), df.objects());
  });

  await t.step("Collection.info('html') → an HTML table; another format is an error", async () => {
    const c = await cp.collection.get(DOI);
    assert.match(c.info("html"), /^<table[\s\S]*10\.18160\/EMU2-HTMX[\s\S]*<\/table>/);
    assert.throws(() => c.info("xml" as "html"), (e: unknown) => {
      assert.ok(e instanceof UnknownValueError);
      assert.deepEqual(e.valid, ["dict", "pandas", "table", "html"]);
      return true;
    });
  });

  await t.step("Collection.datalink → the members' PIDs/URIs (list of str)", async () => {
    const c = await cp.collection.get(DOI);
    assert.equal(c.datalink.length, htm.members.length);
    assert.ok(c.datalink.every((u) => u.startsWith(`${emu.endpoints.meta}/objects/`)));
  });

  await t.step("Collection.data → the members as Dobj objects", async () => {
    const c = await cp.collection.get(DOI);
    const dobjs = await c.data();
    assert.equal(dobjs.length, c.objects.length);
    assert.ok(dobjs.every((d) => d instanceof Dobj));
    assert.deepEqual(dobjs.map((d) => d.uri), c.objects);
  });

  await t.step(
    "Collection.getCitation('bibtex', 'de-CH') and 'ris' → offline from the metadata",
    async () => {
      const c = await cp.collection.get(DOI);
      for (const style of ["bibtex", "BibTeX"]) {
        const bib = await c.getCitation(style, { lang: "de-CH" });
        assert.match(bib!, /^@misc\{10\.18160\/EMU2-HTMX,[\s\S]*title=\{Hyltemossa/);
      }
      assert.match(
        (await c.getCitation("ris"))!,
        /^TY {2}- DATA[\s\S]*DO {2}- 10\.18160\/EMU2-HTMX/,
      );
      assert.equal(await c.getCitation("plain"), c.citation);
    },
  );

  await t.step(
    "Collection.getCitation() in icoscp's default style 'apa' → citation.crosscite.org when allowed",
    async () => {
      const c = await cp.collection.get(DOI);
      await assert.rejects(c.getCitation("apa"), (e: unknown) => {
        assert.ok(e instanceof UnsupportedFormatError);
        assert.match(e.message, /plain, bibtex, ris/);
        return true;
      });
      const apa = await c.getCitation("APA", { online: true });
      assert.equal(apa, `Placeholder, K. (2024). Cited as apa in en-GB. https://doi.org/${DOI}`);
      const noDoi = await cp.collection.get(emu.dataset.collections.find((k) => !k.doi)!.id);
      await assert.rejects(noDoi.getCitation("apa", { online: true }), UnsupportedFormatError);
    },
  );
});
