// The same module in every runtime the design card promises: a browser (the
// ESM bundle in headless Chromium, talking to the emulator on another
// loopback port through CORS), Node 20 (the same bundle), and an edge-style
// Deno.serve handler with no file-system or environment permission.

import { bundle } from "../examples/browser/serve.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal } from "../mod.ts";
import { type Emulator, startEmulator } from "../emulator/mod.ts";
import { encodeNetcdf4 } from "../src/codecs/netcdf4_writer.ts";
import { Browser, chromiumPath } from "./_chromium.ts";
import { haveRealFixtures, realFixture } from "./_fixtures.ts";
import { peerTest } from "./_peers.ts";

const deno = Deno.execPath();
const here = new URL("./runtimes/", import.meta.url);

/** Bundles mod.ts for browsers (as `deno task bundle`) into a fresh folder with the runtime scripts. */
async function bundleWithScripts(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "icoscp-bundle-" });
  await bundle(join(dir, "bundle"), ["mod.ts"]);
  for (const f of ["page.js", "node_check.mjs"]) {
    await Deno.copyFile(new URL(f, here), join(dir, f));
  }
  return dir;
}

/** A NetCDF-4 file: the real STILT footprint when present, else a small one written here. */
async function netcdf4(): Promise<
  { bytes: Uint8Array; variable: string; sum: number; length: number }
> {
  if (haveRealFixtures) {
    const bytes = await Deno.readFile(
      realFixture("stiltweb/foot2012x12x08x18x46.55Nx007.98Ex00720_aggreg.nc"),
    );
    return { bytes, variable: "foot", sum: 0.5283453557422024, length: 192000 };
  }
  const v = Float64Array.from({ length: 12 }, (_, i) => i * 0.5);
  const bytes = encodeNetcdf4({
    dimensions: [{ name: "x", size: 12 }],
    variables: [
      {
        name: "x",
        type: "double",
        dimensions: ["x"],
        data: Float64Array.from({ length: 12 }, (_, i) => i),
      },
      { name: "v", type: "double", dimensions: ["x"], data: v, chunkSizes: [12], deflateLevel: 6 },
    ],
  });
  return { bytes, variable: "v", sum: 33, length: 12 };
}

function describe(emu: Emulator): Record<string, unknown> {
  const dobj = emu.dataset.objects.find((o) =>
    o.kind === "data" && o.nRows && o.licence === "icos"
  )!;
  return {
    endpoints: emu.endpoints,
    user: emu.user,
    password: emu.password,
    dobj: dobj.id,
    rows: dobj.nRows,
    stilt: { id: "GAT344", day: "2016-05-10", hour: 12 },
  };
}

const EXPECTED_IDS = ["1199", "GAT", "HTM", "NOR", "SE-Htm", "ZSF"];

Deno.test(peerTest(
  "The browser bundle decodes cpb and NetCDF-4 in wasm and loads a data object, SPARQL and a STILT footprint from the emulator (Chromium)",
  { tools: [chromiumPath] },
  async () => {
    const dir = await bundleWithScripts();
    await using emu = await startEmulator();
    const nc = await netcdf4();
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/") {
        return new Response(`<!doctype html><script type="module" src="/page.js"></script>`, {
          headers: { "content-type": "text/html" },
        });
      }
      if (path === "/foot.nc") return new Response(nc.bytes as Uint8Array<ArrayBuffer>);
      try {
        const file = await Deno.readFile(join(dir, path));
        return new Response(file, { headers: { "content-type": "text/javascript" } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
    const browser = await Browser.launch();
    try {
      const info = describe(emu);
      const page = await browser.newPage(
        `http://127.0.0.1:${server.addr.port}/?var=${nc.variable}&emu=${
          encodeURIComponent(JSON.stringify(info))
        }`,
      );
      try {
        await page.waitFor("window.__results");
        const r = await page.evaluate<Record<string, unknown>>("window.__results");
        assert.equal(r.error, undefined, String(r.error));
        assert.equal(r.engine, "wasm");
        assert.deepEqual(r.cpb, [[1.5, -2.25], "OU"]);
        const n = r.netcdf as { format: string; length: number; sum: number };
        assert.equal(n.format, "netcdf4");
        assert.equal(n.length, nc.length);
        assert.ok(Math.abs(n.sum - nc.sum) < 1e-12, `sum ${n.sum}`);
        assert.equal(r.login, "OK");
        assert.deepEqual((r.dobj as { id: string; rows: number }).rows, info.rows);
        assert.deepEqual(r.sparql, EXPECTED_IDS);
        const st = r.stilt as { shape: number[]; total: number };
        assert.deepEqual(st.shape, [1, 480, 400]);
        const cp = new CarbonPortal({ portal: emu.endpoints });
        const fp = await (await cp.stilt.get("GAT344")).getFp("2016-05-10", "2016-05-10", {
          via: "raster",
          hours: [12],
        });
        assert.equal(st.total, fp.total());
      } catch (e) {
        await page.screenshot("tests/.tmp-browser-failure.png").catch(() => {});
        throw new Error(`${(e as Error).message}\npage logs:\n${page.logs.join("\n")}`);
      }
    } finally {
      await browser.close();
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
));

Deno.test(
  peerTest(
    "The bundle runs in Node 20: decodes and fetches from the emulator",
    { tools: ["node"] },
    async () => {
      const dir = await bundleWithScripts();
      await using emu = await startEmulator();
      try {
        const info = describe(emu);
        const out = await new Deno.Command("node", {
          args: [join(dir, "node_check.mjs"), JSON.stringify(info)],
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert.ok(out.success, new TextDecoder().decode(out.stderr));
        const r = JSON.parse(new TextDecoder().decode(out.stdout));
        assert.equal(r.engine, "wasm");
        assert.deepEqual(r.cpb, [6466, 6467]);
        assert.deepEqual(r.dobj, { id: info.dobj, rows: info.rows });
        assert.deepEqual(r.sparql, EXPECTED_IDS);
        assert.deepEqual(r.ncPath, [1, 2, 3]);
        assert.deepEqual(r.ncHandle, [1, 2, 3]);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);

Deno.test("The module works in a Deno.serve handler with only --allow-net=127.0.0.1", async () => {
  await using emu = await startEmulator();
  const child = new Deno.Command(deno, {
    args: ["run", "--allow-net=127.0.0.1", "--no-prompt", new URL("edge_server.ts", here).pathname],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    reader.releaseLock();
    const port = Number(value?.trim());
    assert.ok(port > 0, `edge server printed ${value}`);
    const info = describe(emu);
    const res = await fetch(
      `http://127.0.0.1:${port}/?emu=${encodeURIComponent(JSON.stringify(info))}`,
    );
    const r = await res.json();
    assert.equal(res.status, 200, JSON.stringify(r));
    assert.equal(r.engine, "wasm");
    assert.deepEqual(r.cpb, [405.5, 406.25]);
    assert.deepEqual(r.dobj, { id: info.dobj, rows: info.rows });
    assert.deepEqual(r.sparql, EXPECTED_IDS);
  } finally {
    child.kill();
    await child.status;
    await child.stdout.cancel().catch(() => {});
    const err = await new Response(child.stderr).text();
    if (err.trim()) console.warn(err.slice(0, 2000));
  }
});
