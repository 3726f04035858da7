// Server strings printed by the command line carry no terminal control
// sequences: a hostile portal cannot retitle, clear or rewrite the user's
// terminal.

import assert from "node:assert/strict";
import { main } from "../../src/cli/cli.ts";
import type { FetchFn } from "../../src/client/client.ts";
import { atcObject, fakePortal } from "../_fake_portal.ts";

const EVIL = "\x1b]0;pwned\x07\x1b[2J\x1b[1A\r\x9b31m\x08\x7f";

async function run(args: string[], fetch: FetchFn) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTerminal: false,
    fetch,
  });
  return { code, stdout, stderr };
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

Deno.test("icoscp strips terminal control sequences from what the portal sends", async () => {
  const id = "IM7PJYcuhiBpHtvEVuLhVk2M";
  const entry = atcObject(id);
  entry.meta.fileName = `evil${EVIL}.zip`;
  (entry.meta as Record<string, unknown>).references = {
    citationString: `Cite ${EVIL}me`,
    citationBibTex: `@misc{${EVIL}}`,
  };
  const portal = fakePortal({ [id]: entry });
  const meta = await run(["dobj", id, "meta"], portal.fetch);
  assert.equal(meta.code, 0, meta.stderr);
  assert.ok(!CONTROL.test(meta.stdout), JSON.stringify(meta.stdout));
  assert.match(meta.stdout, /^evil.*\.zip\n/);
  assert.match(meta.stdout, /Cite .*me/);
  const cite = await run(["dobj", id, "citation", "--style", "bibtex"], portal.fetch);
  assert.ok(!CONTROL.test(cite.stdout), JSON.stringify(cite.stdout));
  assert.match(cite.stdout, /^@misc\{/);

  // error messages carry the server's body
  const failing: FetchFn = () => Promise.resolve(new Response(`Broken ${EVIL}`, { status: 400 }));
  const bad = await run(["dobj", id, "meta"], failing);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /HTTP 400/);
  assert.ok(!CONTROL.test(bad.stderr), JSON.stringify(bad.stderr));
});
