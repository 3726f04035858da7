import assert from "node:assert/strict";

Deno.test("the demo tours the emulator with read and loopback-net permissions only, and exits 0", async () => {
  const demo = new URL("../../src/demo.ts", import.meta.url).pathname;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, "--allow-read", "--allow-net=127.0.0.1", demo],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(text, /GAT\s+Gartow\s+DE\s+53\.0657, 11\.4429/);
  assert.match(text, /citation: Example, A\., Model, R\. \(2024\)\. ICOS ATC CO2 Release, Gartow/);
  assert.match(text, /8760 rows, Flag, NbPoints, Stdev, TIMESTAMP, co2/);
  assert.match(text, /mean co2 of \d+ good rows: 41\d\.\d\d/);
  assert.match(text, /DOI 10\.18160\/EMU1-ATMO, 5 members/);
  assert.match(text, /STILT stations, e\.g\. /);
  assert.match(text, /first rows as an arquero table: \[\{"Flag":"O","co2":41\d/);
  assert.match(text, /footprints 2 × 480 × 400 \(time × lat × lon\)/);
  assert.match(text, /Done\.\n$/);
});
