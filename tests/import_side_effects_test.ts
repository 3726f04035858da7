// No global behaviour: importing the library or creating a client leaves
// other packages' classes alone (arquero tables display in a notebook only
// through the explicit showTable()), and getting a STILT station loads no
// country dataset.

import assert from "node:assert/strict";
import { join } from "node:path";
import { table } from "arquero";
import { CarbonPortal, InvalidArgumentError } from "../mod.ts";
import { showTable } from "../src/plot/mod.ts";

const DISPLAY = Symbol.for("Jupyter.display");
const root = new URL("..", import.meta.url).pathname;

Deno.test("neither importing the library nor creating a client patches arquero; showTable() is the opt-in", async () => {
  assert.equal(DISPLAY in table({ x: [1] }), false, "patched at import");
  new CarbonPortal();
  assert.equal(DISPLAY in table({ x: [1] }), false, "patched by a client");
  const shown = showTable(table({ x: [1, 2] }));
  const viaSymbol = (shown as unknown as Record<symbol, () => Promise<Record<string, string>>>)[
    DISPLAY
  ]();
  assert.match((await viaSymbol)["text/html"], /2 rows × 1 column/);
  assert.throws(() => showTable({} as never), InvalidArgumentError);
  assert.throws(() => showTable(table({ x: [1] }), { maxRows: 0 }), InvalidArgumentError);
});

Deno.test("cp.stilt.get(id) loads no country dataset (a trap in its place stays shut)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "icoscp-nocountries-" });
  try {
    const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
    await Deno.writeTextFile(join(dir, "trap.js"), 'throw new Error("country dataset loaded");\n');
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      JSON.stringify({
        imports: {
          ...config.imports,
          // the dataset, by every specifier the library may use for it
          "world-countries": "./trap.js",
          [`npm:world-countries@${config.imports["world-countries"].split("@").at(-1)}`]:
            "./trap.js",
        },
      }),
    );
    await Deno.writeTextFile(
      join(dir, "main.ts"),
      `import { CarbonPortal } from ${JSON.stringify(join(root, "mod.ts"))};
import { lookupCountry } from ${JSON.stringify(join(root, "src/discovery/mod.ts"))};
const stations = [{ id: "GAT344", name: "Gartow", icosId: "GAT", icosHeight: 341,
  countryCode: "DE", lat: 53.07, lon: 11.44, alt: 344, years: [2016] }];
const empty = { head: { vars: [] }, results: { bindings: [] } };
const cp = new CarbonPortal({
  fetch: (input) => Promise.resolve(Response.json(
    String(input).includes("stationinfo") ? stations : empty,
  )),
});
const gat = await cp.stilt.get("GAT344");
console.log(JSON.stringify(gat.geoinfo));
// the control: a call that needs the dataset trips the trap
console.log(await lookupCountry({ code: "DE" }).then(() => "loaded", (e) => e.message));
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--config", join(dir, "deno.json"), "--allow-read", join(dir, "main.ts")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    assert.deepEqual(text.trim().split("\n"), [
      JSON.stringify({ name: { common: "Germany" } }),
      "country dataset loaded",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
