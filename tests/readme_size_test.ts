// The README stays short (issue 26: under about 12 KB): a recipe that grows
// long moves into a page of docs/ and the README links it.

import assert from "node:assert/strict";

const LIMIT = 12 * 1024;

Deno.test("README.md stays under 12 KiB; long recipes live in docs/", async () => {
  const bytes = (await Deno.readFile(new URL("../README.md", import.meta.url))).length;
  assert.ok(
    bytes <= LIMIT,
    `README.md is ${bytes} bytes (at most ${LIMIT}): move a long recipe into docs/ and link it`,
  );
});
