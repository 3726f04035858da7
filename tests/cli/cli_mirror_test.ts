// `icoscp mirror` in-process against a generated catalogue: the search's
// filters as flags, a rerun that fetches nothing, shards, no progress bar
// when piped and one on a terminal, and user mistakes as usage errors (2).

import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../../emulator/mod.ts";
import { runCli } from "../_cli.ts";
import { writeConfigFile } from "../../src/auth/_auth_file.ts";

Deno.test("cli mirror: search filters as flags, a rerun fetches nothing, shards, progress only on a terminal", async () => {
  await using emu = await startEmulator({ objects: 300 });
  const home = await Deno.makeTempDir({ prefix: "icoscp-cli-mirror-" });
  try {
    const config = join(home, "cpauthToken_auth_conf.json");
    await writeConfigFile(config, { user: emu.user, password: emu.password });
    const base = ["--portal", emu.url, "--config", config, "mirror"];
    const filters = ["--spec", "atcCo2L2DataObject", "--level", "2"];
    const first = await runCli([...base, "--out", "ds", ...filters], { home, cwd: home });
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stderr,
      /^mirrored (\d+) objects into ds: \1 fetched, 0 already there, \d+ parts/m,
    );
    assert.ok(!first.stderr.includes("\r"), "no progress bar when piped");
    const parts = [] as string[];
    for await (const e of Deno.readDir(join(home, "ds", "spec=atcCo2L2DataObject"))) {
      parts.push(e.name);
    }
    assert.ok(parts.length >= 1 && parts.every((p) => /^year=\d{4}$/.test(p)), parts.join());

    const again = await runCli([...base, "--out", "ds", ...filters], {
      home,
      cwd: home,
      isTerminal: true,
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /: 0 fetched, (\d+) already there/);
    assert.match(again.stderr, /\rmirror \[#+\] 100%/, "a progress bar on a terminal");

    const s0 = await runCli([...base, "--out", "sh", ...filters, "--shard", "0/2"], {
      home,
      cwd: home,
    });
    const s1 = await runCli([...base, "--out", "sh", ...filters, "--shard", "1/2"], {
      home,
      cwd: home,
    });
    const n = (s: string) => Number(/mirrored (\d+) objects/.exec(s)![1]);
    assert.equal(n(s0.stderr) + n(s1.stderr), n(first.stderr));
    await Deno.stat(join(home, "sh", "_manifest-0-of-2.json"));
    await Deno.stat(join(home, "sh", "_manifest-1-of-2.json"));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("cli mirror: mistakes are usage errors (exit 2) that say what to give", async () => {
  await using emu = await startEmulator();
  const home = await Deno.makeTempDir({ prefix: "icoscp-cli-mirror-" });
  try {
    const base = ["--portal", emu.url, "mirror"];
    const cases: [string[], RegExp][] = [
      [["--spec", "atcCo2L2DataObject"], /--out/],
      [["--out", "x"], /search filters .* or --all/],
      [["--out", "x", "--spec", "atcCo2L2DataObject", "--shard", "3/3"], /--shard/],
      [["--out", "x", "--spec", "atcCo2L2DataObject", "--concurrency", "0"], /--concurrency/],
      [["--out", "x", "--spec", "atcCo2L2DataObject", "--compression", "gzip"], /zstd or snappy/],
      [["--out", "x", "--spec", "noSuchSpec"], /noSuchSpec/],
      [["--out", "x", "--spec", "atcCo2L2DataObject", "--shards", "0/2"], /shards/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...base, ...args], { home, cwd: home });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
