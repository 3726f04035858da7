// NetCDF data objects read in place over HTTP ranges (Dobj.openNetCDF /
// byteSource): one time step of a 47 MB level-3 object costs a few requests
// and a small fraction of the file; the values equal netCDF4-python's on
// the whole file; login or licence consent as for downloads.

import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal, LicenceError, UnsupportedFormatError } from "../../mod.ts";
import { openNetCDF } from "../../src/netcdf/mod.ts";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";
import { peerTest, python } from "../_peers.ts";

/** A fetch that counts the object requests and the bytes of their bodies. */
function counting() {
  const c = { requests: 0, bytes: 0, ranges: [] as string[] };
  const f: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const res = await fetch(req);
    if (!new URL(req.url).pathname.startsWith("/data/objects/")) return res;
    c.requests++;
    c.ranges.push(req.headers.get("range") ?? "(whole file)");
    const body = new Uint8Array(await res.arrayBuffer());
    c.bytes += body.byteLength;
    return new Response(body, { status: res.status, headers: res.headers });
  };
  return { c, fetch: f };
}

const STEP = 160 * 200 * 4;

/** One emulator with the level-3 object for the tests that read it: started on first use. */
let level3: Promise<Emulator> | undefined;
function level3Emulator(): Promise<Emulator> {
  if (!level3) {
    level3 = startEmulator({ level3: true });
    globalThis.addEventListener("unload", () => void level3!.then((e) => e.close()));
  }
  return level3;
}

Deno.test("openNetCDF() reads one day of a 47 MB level-3 object with a few range requests, with the login", async () => {
  const emu = await level3Emulator();
  const o = emu.dataset.objects.find((x) => x.fileName.endsWith("_L3.nc"))!;
  assert.ok(o.size > 40e6, String(o.size));
  const u = emu.users[0];
  const { c, fetch } = counting();
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: u.email, password: u.password },
    fetch,
  });
  const d = await cp.dobj(o.id);
  const source = await d.byteSource();
  using nc = await openNetCDF(source);
  assert.deepEqual(nc.variables.find((v) => v.name === "co2flux_land")!.shape, [365, 160, 200]);
  const day = await nc.read("co2flux_land", { start: [180, 0, 0], count: [1, 160, 200] });
  assert.equal((day as Float32Array).length, 160 * 200);
  // the same values as the whole file read locally
  using whole = await openNetCDF(o.file());
  assert.deepEqual(
    day,
    await whole.read("co2flux_land", { start: [180, 0, 0], count: [1, 160, 200] }),
  );
  // a few requests, a small part of the file
  assert.equal(source.stats.requests, c.requests);
  assert.equal(source.stats.bytes, c.bytes);
  assert.ok(c.requests <= 3, `${c.requests} requests: ${c.ranges.join(", ")}`);
  assert.ok(c.bytes < 2 * 1024 * 1024, `${c.bytes} bytes`);
  assert.ok(c.bytes >= STEP);
  console.log(
    `level-3 in place: open + one day = ${c.requests} requests, ${c.bytes} bytes of ${o.size}` +
      ` (${(100 * c.bytes / o.size).toFixed(1)} %); ranges ${c.ranges.join(" ")}`,
  );
  // readFile() of the large object reads its table along time in place
  const before0 = c.requests;
  const bytes0 = c.bytes;
  const table = await d.readFile();
  assert.equal(table.rows, 365);
  assert.deepEqual(table.table.get("time", 0), new Date("2022-01-01T12:00:00Z"));
  assert.ok((table.header.variables as string[]).includes("co2flux_land"));
  assert.ok(c.bytes - bytes0 < 1024 * 1024, `readFile fetched ${c.bytes - bytes0} bytes`);
  console.log(
    `readFile() of the level-3 object: ${c.requests - before0} requests, ${c.bytes - bytes0} bytes`,
  );
  // a second day nearby: one more request at most
  const before = c.requests;
  await nc.read("co2flux_land", { start: [181, 0, 0], count: [1, 160, 200] });
  assert.ok(c.requests - before <= 1);
});

Deno.test("openNetCDF() without a login: a LicenceError that says how to consent; with acceptLicence it reads anonymously", async () => {
  await using emu = await startEmulator();
  const o = emu.dataset.objects.find((x) => x.fileName.startsWith("co2_htm_tower-insitu_466"))!;
  const { c, fetch } = counting();
  const cp = new CarbonPortal({ portal: emu.endpoints, fetch });
  const d = await cp.dobj(o.id);
  const e = await d.openNetCDF().then(() => undefined, (e) => e);
  assert.ok(e instanceof LicenceError, String(e));
  assert.match(e.message, /acceptLicence: true/);
  using nc = await d.openNetCDF({ acceptLicence: true });
  const flags = await nc.read("qc_flag");
  assert.equal((flags as Uint8Array).length, 720);
  assert.ok(c.requests >= 2);
  // a tabular ATC object is not NetCDF
  const atc = await new CarbonPortal({ portal: emu.endpoints }).dobj(
    emu.dataset.objects.find((x) => x.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!.id,
  );
  await assert.rejects(atc.openNetCDF(), UnsupportedFormatError);
});

Deno.test(
  peerTest("openNetCDF() in place reads the day netCDF4-python reads from the downloaded file", {
    python: ["netCDF4", "numpy"],
  }, async () => {
    const emu = await level3Emulator();
    const o = emu.dataset.objects.find((x) => x.fileName.endsWith("_L3.nc"))!;
    const dir = await Deno.makeTempDir({ prefix: "icoscp-l3-" });
    try {
      const path = join(dir, o.fileName);
      await Deno.writeFile(path, o.file());
      const code = "import sys, netCDF4, json; d = netCDF4.Dataset(sys.argv[1]); " +
        "v = d['co2flux_land'][42, :, :]; print(json.dumps([float(x) for x in v.ravel()[::997]]))";
      const out = await new Deno.Command(python, { args: ["-c", code, path], stderr: "piped" })
        .output();
      if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
      const theirs = JSON.parse(new TextDecoder().decode(out.stdout)) as number[];
      const u = emu.users[0];
      const cp = new CarbonPortal({
        portal: emu.endpoints,
        auth: { user: u.email, password: u.password },
      });
      using nc = await (await cp.dobj(o.id)).openNetCDF();
      const day = await nc.read("co2flux_land", { start: [42, 0, 0], count: [1, 160, 200] });
      const ours = Array.from(day as Float32Array).filter((_, i) => i % 997 === 0);
      assert.deepEqual(ours, theirs);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }),
);
