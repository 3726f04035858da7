// What people print is readable: the command line prints aligned tables on a
// terminal and CSV when piped; --json and showTable(t).print() show ISO times and
// float32 values at their precision; objects print as themselves; a 401 says
// how to log in and an unknown object is "not found".

import assert from "node:assert/strict";
import { CarbonPortal } from "../../mod.ts";
import { showTable } from "../../src/plot/mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { runCli } from "../_cli.ts";
import { writeConfigFile } from "../../src/auth/_auth_file.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Digits of a number's shortest decimal (0.156 → 3, 0.15600000321865082 → 17). */
function digits(v: number): number {
  return String(v).replace(/^-?0?\.?0*|e.*$|\./g, "").length;
}

Deno.test("icoscp dobj data: aligned on a terminal, CSV piped, --json with ISO times and float32 precision", async () => {
  await using emu = await startEmulator();
  const obj = emu.dataset.objects.find((o) =>
    o.kind === "data" && o.nRows && o.fileName.includes("GAT_341.0_CTS_CO2")
  )!;
  const config = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await writeConfigFile(config, { user: emu.user, password: emu.password });
    const args = ["--portal", emu.url, "--config", config, "dobj", obj.id, "data", "--length", "4"];
    const piped = await runCli(args);
    assert.equal(piped.code, 0, piped.stderr);
    const csv = piped.stdout.trim().split("\n");
    assert.equal(csv.length, 5);
    assert.match(csv[0], /^[A-Za-z]+(,[A-Za-z0-9_]+)+$/);
    const tty = await runCli(args, { stdoutIsTerminal: true });
    assert.equal(tty.code, 0, tty.stderr);
    const lines = tty.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 5);
    assert.doesNotMatch(tty.stdout, /,/);
    // columns aligned: each header name ends where its right-aligned numbers end, or starts where its text starts
    const header = lines[0];
    const co2End = header.indexOf("co2") + 3;
    for (const l of lines.slice(1)) assert.match(l.slice(0, co2End), /\d$/, tty.stdout);
    const time = header.indexOf("TIMESTAMP");
    for (const l of lines.slice(1)) assert.match(l.slice(time, time + 20), ISO, tty.stdout);
    const json = await runCli(["--json", ...args]);
    assert.equal(json.code, 0, json.stderr);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.equal(rows.length, 4);
    for (const r of rows) {
      assert.match(String(r.TIMESTAMP), ISO);
      for (const [k, v] of Object.entries(r)) {
        if (typeof v === "number") assert.ok(digits(v) <= 9, `${k}: ${v} printed beyond float32`);
      }
    }
    assert.ok(rows.some((r) => typeof r.co2 === "number" && digits(r.co2 as number) <= 7));
  } finally {
    await Deno.remove(config);
  }
});

Deno.test("icoscp says to log in on a 401 and 'not found' for an unknown object, not the portal's raw 500", async () => {
  await using emu = await startEmulator();
  const home = await Deno.makeTempDir();
  try {
    const obj = emu.dataset.objects.find((o) =>
      o.kind === "data" && o.nRows && o.licence === "icos"
    )!;
    const noLogin = await runCli(["--portal", emu.url, "dobj", obj.id, "data", "--length", "2"], {
      home,
    });
    assert.equal(noLogin.code, 3);
    assert.match(noLogin.stderr, new RegExp(`run icoscp --portal ${emu.url} login`));
    const missing = await runCli(["--portal", emu.url, "dobj", "AAAAAAAAAAAAAAAAAAAAAAAA"], {
      home,
    });
    assert.equal(missing.code, 2); // an unknown id: a user mistake
    assert.match(missing.stderr, /^icoscp: not found: data object AAAAAAAAAAAAAAAAAAAAAAAA /);
    assert.doesNotMatch(missing.stderr, /Expected exactly one|hasObjectSpec/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("showTable(t).print() shows ISO times and float32 values at their precision; objects print as themselves", async () => {
  await using emu = await startEmulator();
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
  });
  const gat = await cp.station.get("GAT");
  assert.equal(String(gat), "GAT Gartow (AS, class 1, DE)");
  const obj = emu.dataset.objects.find((o) => o.fileName.includes("GAT_341.0_CTS_CO2"))!;
  const d = await cp.dobj(obj.id);
  assert.equal(`${d}`, `${obj.fileName} (${d.pid})`);
  assert.match(String(await cp.stilt.get("GAT344")), /^GAT344 \(Gartow 344m, [\d.]+N [\d.]+E\)$/);
  const t = await d.get(["TIMESTAMP", "co2"]);
  const printed: unknown[] = [];
  const { log, table } = console;
  console.log = (...a: unknown[]) => printed.push(a.join(" "));
  console.table = (rows: unknown) => printed.push(rows);
  try {
    showTable(t).print(3); // arquero's own print() is left alone: this is the readable one
  } finally {
    console.log = log;
    console.table = table;
  }
  assert.match(String(printed[0]), /Showing 3 rows/);
  const rows = printed[1] as { TIMESTAMP: unknown; co2: number }[];
  assert.equal(rows.length, 3);
  assert.ok(rows[0].TIMESTAMP instanceof Date, String(rows[0].TIMESTAMP));
  assert.equal((rows[0].TIMESTAMP as Date).getUTCFullYear(), 2022);
  for (const r of rows) {
    if (Number.isFinite(r.co2)) {
      assert.ok(digits(r.co2) <= 9, `co2 ${r.co2} printed beyond float32`);
    }
  }
});
