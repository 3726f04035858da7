// The layout drawing of docs/development.md is the code's: every folder, what
// it is and what it imports, as docs/layout.ts computes them now.

import assert from "node:assert/strict";
import { graph, updated } from "../docs/layout.ts";

const doc = new URL("../docs/development.md", import.meta.url);

Deno.test("docs/development.md draws the folders and their imports as the code has them", async () => {
  const text = await Deno.readTextFile(doc);
  assert.equal(
    text,
    updated(text),
    "the layout drawing is stale: deno run --allow-read --allow-write docs/layout.ts",
  );
});

Deno.test("the drawing knows every folder of src/ and what the emulator imports", () => {
  const nodes = graph();
  const names = new Set(nodes.map((n) => n.name));
  for (const e of Deno.readDirSync(new URL("../src", import.meta.url))) {
    if (e.isDirectory) assert.ok(names.has(`src/${e.name}`), e.name);
  }
  const emulator = nodes.find((n) => n.name === "emulator")!;
  assert.ok(emulator.imports.has("mod.ts"), "the emulator imports @icoscp/icoscp");
  assert.ok(nodes.find((n) => n.name === "src/client")!.imports.has("src/dobj"));
});
