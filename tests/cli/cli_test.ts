import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../_cli.ts";
import { sharedEmulator } from "../_shared_emulator.ts";
import { writeConfigFile } from "../../src/auth/_auth_file.ts";

const run = runCli;

Deno.test("icoscp --help prints usage; a missing or unknown command is a usage error (2)", async () => {
  assert.equal((await run(["--help"])).code, 0);
  assert.equal((await run([])).code, 2);
  const bad = await run(["--nope"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Run icoscp --help/);
  assert.equal((await run(["--portal", "mars", "stations"])).code, 2);
});

Deno.test("icoscp lists stations, collections and SPARQL answers from the emulator", async () => {
  const emu = await sharedEmulator();
  const p = ["--portal", emu.url];
  const st = await run([...p, "--json", "stations"]);
  assert.equal(st.code, 0, st.stderr);
  const gat = (JSON.parse(st.stdout) as { id: string; name: string }[]).find((s) => s.id === "GAT");
  assert.equal(gat?.name, "Gartow");
  const csv = await run([...p, "stations", "--theme", "AS"]);
  assert.match(csv.stdout.split("\n")[0], /^id,name,theme,icosClass,country,lat,lon,elevation$/);
  assert.ok(csv.stdout.split("\n").slice(1).filter(Boolean).every((l) => l.split(",")[2] === "AS"));
  const lower = await run([...p, "stations", "--theme", "as", "--project", "ALL"]);
  assert.equal(lower.stdout, csv.stdout);
  const neon = await run([...p, "stations", "--project", "neon"]);
  assert.equal(neon.code, 2);
  assert.match(neon.stderr, /Unknown project neon \(valid: ICOS, ALL\)/);
  const q = await run([
    ...p,
    "sparql",
    "--format",
    "tsv",
    "select ?id where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasStationId> ?id } order by ?id",
  ]);
  assert.equal(q.stdout.split("\n")[0], "id");
  assert.ok(q.stdout.includes("GAT\n"));
  const c = await run([...p, "--json", "collections"]);
  assert.ok((JSON.parse(c.stdout) as { doi: string }[]).some((x) => x.doi.startsWith("10.18160/")));
  const one = await run([...p, "--json", "station", "GAT", "--level", "all"]);
  assert.equal(JSON.parse(one.stdout).name, "Gartow");
});

Deno.test("icoscp dobj shows metadata and citations, and exits 2 (a user mistake) for an unknown object", async () => {
  const emu = await sharedEmulator();
  const obj = emu.dataset.objects.find((o) => o.kind === "data" && o.nRows)!;
  const meta = await run(["--portal", emu.url, "--json", "dobj", obj.id, "meta"]);
  assert.equal(meta.code, 0, meta.stderr);
  assert.equal(JSON.parse(meta.stdout).hash, obj.hash);
  const cit = await run(["--portal", emu.url, "dobj", obj.id, "citation", "--style", "bibtex"]);
  assert.equal(cit.code, 0);
  const missing = await run(["--portal", emu.url, "dobj", "AAAAAAAAAAAAAAAAAAAAAAAA"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /not found: data object AAAAAAAAAAAAAAAAAAAAAAAA/);
});

Deno.test("icoscp dobj data and download log in from a credentials file and verify the file", async () => {
  const emu = await sharedEmulator();
  const dir = await Deno.makeTempDir({ prefix: "icoscp-cli-" });
  try {
    const config = join(dir, "cpauthToken_auth_conf.json");
    await writeConfigFile(config, { user: emu.user, password: emu.password });
    const obj = emu.dataset.objects.find((o) =>
      o.kind === "data" && o.nRows && o.licence === "icos"
    )!;
    const p = ["--portal", emu.url, "--config", config];
    const data = await run([...p, "dobj", obj.id, "data", "--out", join(dir, "t.parquet")]);
    assert.equal(data.code, 0, data.stderr);
    assert.match(data.stderr, new RegExp(`wrote ${obj.nRows} rows`));
    const pq = await Deno.readFile(join(dir, "t.parquet"));
    assert.equal(new TextDecoder().decode(pq.subarray(0, 4)), "PAR1");
    const csv = await run([...p, "dobj", obj.id, "data", "--offset", "0", "--length", "3"]);
    assert.equal(csv.stdout.trim().split("\n").length, 4);
    const dl = await run([...p, "--json", "dobj", obj.id, "download", "--dir", join(dir, "files")]);
    assert.equal(dl.code, 0, dl.stderr);
    const r = JSON.parse(dl.stdout);
    assert.equal(r.verified, true);
    assert.equal((await Deno.stat(r.path)).size, obj.size);
    assert.match(dl.stderr, /downloading .*: \d+ of \d+/);
    const anonymous = await run(["--portal", emu.url, "dobj", obj.id, "data"]);
    assert.equal(anonymous.code, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("icoscp login asks for the password and saves the Python client's credentials file", async () => {
  const emu = await sharedEmulator();
  const dir = await Deno.makeTempDir({ prefix: "icoscp-cli-" });
  try {
    const config = join(dir, "conf.json");
    const prompts: string[] = [];
    const ok = await run(["--portal", emu.url, "--config", config, "login", "--user", emu.user], {
      readPassword: (prompt) => (prompts.push(prompt), Promise.resolve(emu.password)),
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(prompts, [`Password for ${emu.user}: `]);
    const saved = JSON.parse(await Deno.readTextFile(config));
    assert.equal(saved.user_id, emu.user);
    assert.match(saved.cookie_value, /^cpauthToken=.*;$/);
    assert.equal((await Deno.stat(config)).mode! & 0o777, 0o600);
    assert.ok(!ok.stdout.includes(emu.password));
    const bad = await run([
      "--portal",
      emu.url,
      "--config",
      join(dir, "x.json"),
      "login",
      "--user",
      emu.user,
    ], {
      readPassword: () => Promise.resolve("wrong"),
    });
    assert.equal(bad.code, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("icoscp stilt finds stations, prints a series, and writes footprints as PNG and NetCDF", async () => {
  const emu = await sharedEmulator();
  const dir = await Deno.makeTempDir({ prefix: "icoscp-cli-" });
  try {
    const p = ["--portal", emu.url];
    const find = await run([...p, "--json", "stilt", "find", "--country", "SE"]);
    assert.equal(find.code, 0, find.stderr);
    assert.deepEqual((JSON.parse(find.stdout) as { id: string }[]).map((s) => s.id), ["HTM150"]);
    const ts = await run([
      ...p,
      "stilt",
      "ts",
      "GAT344",
      "2016-05-10",
      "2016-05-10",
      "--hours",
      "0,12",
    ]);
    assert.equal(ts.stdout.trim().split("\n").length, 3);
    const png = join(dir, "fp.png");
    const nc = join(dir, "fp.nc");
    const fp = await run([
      ...p,
      "--json",
      "stilt",
      "fp",
      "GAT344",
      "2016-05-10",
      "2016-05-10",
      "--hours",
      "12",
      "--png",
      png,
      "--nc",
      nc,
    ]);
    assert.equal(fp.code, 0, fp.stderr);
    assert.deepEqual(JSON.parse(fp.stdout).shape, [1, 480, 400]);
    assert.deepEqual(Array.from((await Deno.readFile(png)).subarray(1, 4)), [80, 78, 71]);
    const { openNetCDF } = await import("../../src/netcdf/netcdf_file.ts");
    const file = await openNetCDF(await Deno.readFile(nc));
    const foot = await file.read("foot") as Float64Array;
    assert.equal(foot.reduce((a, b) => a + b, 0), JSON.parse(fp.stdout).total);
    assert.deepEqual(Array.from(await file.read("time") as Float64Array), [
      (Date.UTC(2016, 4, 10, 12) - Date.UTC(2000, 0, 1)) / 86_400_000,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
