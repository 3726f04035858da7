// Nothing happens at import: importing the library leaves other packages'
// classes alone; a client, once created, gives arquero tables their notebook
// display.

import assert from "node:assert/strict";
import { table } from "arquero";
import { CarbonPortal } from "../mod.ts";

const DISPLAY = Symbol.for("Jupyter.display");

Deno.test("importing the library does not patch arquero; creating a client adds the table display", () => {
  assert.equal(DISPLAY in table({ x: [1] }), false, "patched at import");
  new CarbonPortal();
  assert.equal(
    typeof (table({ x: [1] }) as unknown as Record<symbol, unknown>)[DISPLAY],
    "function",
  );
});
