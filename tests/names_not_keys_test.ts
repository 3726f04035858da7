// Names that are not safe object keys (issue 22, item 3): a NetCDF attribute,
// a compound member and a SPARQL variable named `__proto__` (or `toString`,
// `constructor`) are kept as ordinary keys. Deno hides the `__proto__`
// setter, so the same check also runs in Node against the browser bundle.

import assert from "node:assert/strict";
import { join } from "node:path";
import * as icos from "../mod.ts";
import { bundle } from "../examples/browser/serve.ts";
import { namesReport } from "./runtimes/names_report.mjs";
import { peerTest } from "./_peers.ts";

const file = new URL("./testdata/netcdf/names/names.nc", import.meta.url).pathname;

const EXPECTED = {
  globalKeys: ["__proto__", "title"],
  globalProto: true,
  varKeys: ["__proto__", "constructor"],
  varProto: [7.25],
  members: ["__proto__", "toString"],
  proto: [1, 2, 3],
  toString: [0.5, 1.5, 2.5],
  sparqlHas: [true, false, true],
  sparqlGet: "P",
  sparqlRecords: [["__proto__", "id"]],
  sparqlColumns: ["__proto__", "id"],
};

Deno.test("Deno: names like __proto__ stay keys (attributes, compound members, SPARQL variables)", async () => {
  assert.deepEqual(await namesReport(icos, await Deno.readFile(file)), EXPECTED);
});

Deno.test(peerTest(
  "Node: names like __proto__ stay keys (attributes, compound members, SPARQL variables)",
  { tools: ["node"] },
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "icoscp-names-" });
    try {
      await bundle(join(dir, "bundle"), ["mod.ts"]);
      const out = await new Deno.Command("node", {
        args: [
          new URL("./runtimes/names_check.mjs", import.meta.url).pathname,
          join(dir, "bundle", "mod.js"),
          file,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(out.stderr);
      assert.ok(out.success, err);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), EXPECTED);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
));
