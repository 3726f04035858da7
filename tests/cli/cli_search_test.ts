// `icoscp search` in-process against a generated catalogue: flags as people
// type them, a table with the facets on a terminal, CSV when piped, JSON,
// Parquet of every match with --all (its count checked against the
// emulator's dataset), and a typed error for an unknown station.

import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../../emulator/mod.ts";
import { runCli } from "../_cli.ts";
import { SPECS } from "../../emulator/_catalog.ts";

Deno.test("cli search: flags, table and facets, CSV, JSON, --all to Parquet", async () => {
  await using emu = await startEmulator({ objects: 600 });
  const home = await Deno.makeTempDir();
  const base = ["--portal", emu.url];
  const st = emu.dataset.stations.find((s) => s.id !== "GAT" && s.theme === "AS")!;
  const term = await runCli(
    [
      "search",
      ...base,
      "--station",
      `gat,${st.id.toLowerCase()}`,
      "--variable",
      "CO2",
      "--level",
      "2",
    ],
    { home, stdoutIsTerminal: true },
  );
  assert.equal(term.code, 0, term.stderr);
  assert.match(term.stdout, /\d+ of \d+ objects/);
  assert.match(term.stdout, /^station: /m);
  assert.match(term.stdout, /^spec: atcCo2L2DataObject \(\d+\)/m);

  const csv = await runCli(["search", ...base, "--theme", "ES", "--limit", "5"], { home });
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trim().split("\n");
  assert.equal(lines.length, 6);
  assert.match(lines[0], /^pid,uri,fileName,spec,/);

  const json = await runCli(["search", ...base, "--country", "Germany", "--json", "--limit", "3"], {
    home,
  });
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.objects.length, 3);
  assert.ok(parsed.objects.every((o: { country: string }) => o.country === "DE"));
  assert.ok(parsed.total >= 3);

  const out = join(home, "all.parquet");
  const all = await runCli(
    ["search", ...base, "--theme", "atmosphere", "--all", "--format", "parquet", "--out", out],
    { home },
  );
  assert.equal(all.code, 0, all.stderr);
  const expected =
    emu.dataset.objects.filter((o) =>
      o.spec && SPECS[o.spec].theme === "atmosphere" && !o.nextVersion
    ).length;
  assert.match(all.stderr, new RegExp(`wrote ${expected} of ${expected} objects`));
  assert.match(all.stderr, /search: /);
  assert.ok((await Deno.stat(out)).size > 1000);

  const bad = await runCli(["search", ...base, "--station", "NOPE"], { home });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Unknown station NOPE/);
  await Deno.remove(home, { recursive: true });
});
