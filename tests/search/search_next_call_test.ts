// Issue 21, item 4: what cp.search returns goes into the next call — its
// objects table, the table's rows, a row's pid/uri, the result itself — into
// batchGetColumns, cp.dobj and a download, never with an internal error.

import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal, CarbonPortalError, InvalidArgumentError } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { runCli } from "../_cli.ts";

Deno.test("search results go into batchGetColumns, cp.dobj and download without internal errors", async (t) => {
  await using emu = await startEmulator();
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
    retry: { minDelay: 1 },
  });
  const r = await cp.search({ station: ["GAT", "HTM"], variable: "CO2", level: 2 }, { limit: 3 });
  const n = r.objects.numRows();
  assert.ok(n >= 2, `the emulator has ${n} GAT and HTM CO2 level-2 objects`);
  const rows = r.objects.objects() as { pid: string; uri: string; fileName: string }[];
  const ids = rows.map((row) => row.pid.slice(row.pid.indexOf("/") + 1));

  await t.step(
    "the objects table, its rows, its pid column and the result itself into batchGetColumns",
    async () => {
      for (
        const [what, given] of [
          ["objects table", r.objects],
          ["rows", rows],
          ["pid column", r.objects.array("pid")],
          ["uri column", r.objects.array("uri")],
          ["a filtered table", r.objects.filter(() => true)],
          ["the search result", r],
        ] as const
      ) {
        const batch = await cp.batchGetColumns(given as never, { columns: ["co2"] });
        assert.deepEqual(batch.map((b) => b.dobj.id), ids, what);
        assert.ok(batch.every((b) => b.columns.co2.length > 0), what);
      }
    },
  );

  await t.step(
    "a row, its pid, its uri, a one-row table and a one-object result into cp.dobj",
    async () => {
      for (
        const [what, given] of [
          ["row", rows[0]],
          ["pid", rows[0].pid],
          ["uri", rows[0].uri],
          ["one-row table", r.objects.slice(0, 1)],
          ["one-object result", await cp.search({ pids: rows[0].pid })],
        ] as const
      ) {
        assert.equal((await cp.dobj(given as never)).id, ids[0], what);
      }
      // several objects where one belongs is a typed error that says so
      const many = await cp.dobj(r as never).then(() => undefined, (e) => e);
      assert.ok(many instanceof InvalidArgumentError, String(many));
      assert.match(many.message, new RegExp(`one data object, not ${n}`));
    },
  );

  await t.step("a row into a download, and its pid into icoscp download", async () => {
    const dir = await Deno.makeTempDir({ prefix: "icoscp-search-next-" });
    try {
      const path = await (await cp.dobj(rows[0])).download(dir);
      assert.equal(path, join(dir, rows[0].fileName));
      const o = emu.dataset.objects.find((x) => x.id === ids[1])!;
      const cli = await runCli(
        ["--portal", emu.url, "--json", "download", rows[1].pid, "--dir", dir, "--accept-licence"],
      );
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal((await Deno.stat(JSON.parse(cli.stdout).path)).size, o.size);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  await t.step("rows of different specifications: a typed error, not an internal one", async () => {
    const mixed = await cp.search({ station: "GAT" }, { limit: 50 });
    assert.ok(new Set(mixed.objects.array("spec")).size > 1);
    const e = await cp.batchGetColumns(mixed.objects).then(() => undefined, (e) => e);
    assert.ok(e instanceof CarbonPortalError, String(e));
    assert.match(e.message, /a common dataset specification/);
  });
});
