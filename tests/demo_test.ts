import assert from "node:assert/strict";

Deno.test("the demo tours the emulator with read and loopback-net permissions only, and exits 0", async () => {
  const demo = new URL("../examples/demo.ts", import.meta.url).pathname;
  const config = new URL("../deno.json", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, "--allow-read", "--allow-net=127.0.0.1", demo],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(text, /SYNTHETIC data/);
  assert.match(text, /GAT\s+Gartow\s+DE\s+53\.0657\s+11\.4429\s+AS/);
  assert.match(text, /citation: Example, A\., Model, R\. \(2024\)\. ICOS ATC CO2 Release, Gartow/);
  assert.match(text, /8760 rows, Flag, NbPoints, Stdev, TIMESTAMP, co2/);
  assert.match(text, /mean co2 of \d+ good rows: 41\d\.\d\d/);
  assert.match(text, /DOI 10\.18160\/EMU1-ATMO, 5 members/);
  assert.match(text, /STILT stations, e\.g\. /);
  assert.match(text, /2022-01-01 00:00 UTC\s+41\d\.\d{1,4}\s+O\n/);
  assert.match(
    text,
    /footprints 2 × 480 × 400 \(time × lat × lon\), total sensitivity [\d.]+ ppm per \(micromol m-2 s-1\)/,
  );
  // No float32 noise (a float32 has at most 9 significant digits; 7 are meaningful),
  // no NaN, no epoch milliseconds, no ISO times with milliseconds.
  assert.doesNotMatch(text, /\d\.\d{8,}/);
  assert.doesNotMatch(text, /NaN|\b1[5-7]\d{11}\b|\.000Z/);
  // Aligned: each table's columns start at the same offsets on every row.
  const stationRows = text.split("\n").filter((l) => /^ {3}(GAT|HTM|NOR|ZSF) /.test(l));
  assert.equal(new Set(stationRows.map((l) => l.indexOf(" AS"))).size, 1, stationRows.join("\n"));
  assert.match(text, /Done\.\n$/);
});

Deno.test("the tour (demo and notebook) finds data as people do: station.get(…).data(…) and search, no SPARQL", async () => {
  const demo = await Deno.readTextFile(new URL("../examples/demo.ts", import.meta.url));
  const notebook = JSON.parse(
    await Deno.readTextFile(new URL("../examples/tour.ipynb", import.meta.url)),
  ) as { cells: { cell_type: string; source: string[] }[] };
  const cells = notebook.cells.filter((c) => c.cell_type === "code").map((c) => c.source.join(""))
    .join("\n");
  for (const [name, code] of [["examples/demo.ts", demo], ["examples/tour.ipynb", cells]]) {
    assert.doesNotMatch(code, /sparql|Query\(|select \?|where \{/i, `${name} writes SPARQL`);
    assert.match(code, /cp\.station\.get\("GAT"\)/, `${name} asks for the station`);
    assert.match(code, /\.data\(2\)/, `${name} lists the station's data`);
    assert.match(code, /cp\.search\(\{ station: "GAT", variable: "co2", level: 2 \}\)/, name);
  }
  const web = await Deno.readTextFile(new URL("../examples/browser/tour.js", import.meta.url));
  assert.doesNotMatch(web, /sparql|Query\(/i, "the browser tour writes SPARQL");
  assert.match(web, /cp\.station\.get\("GAT"\)[^]*\.data\(2\)/);
});
