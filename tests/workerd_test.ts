// The browser bundle inside workerd, Cloudflare's runtime (npm package
// `workerd`, on the PATH; .ci/run installs it): a local config, two workers
// on loopback sockets, the emulator and a NetCDF file on loopback. workerd
// forbids compiling wasm from bytes at run time ("Wasm code generation
// disallowed by embedder"), as Cloudflare Workers and Vercel Edge do:
//
// - the worker without the .wasm file decodes cpb and loads getColumns from
//   the emulator with the TypeScript engine, and a NetCDF read is a
//   WasmUnavailableError saying to call initDecoder;
// - the worker that imports the .wasm as a module and hands it to
//   initDecoder (the edge recipe of docs/runtimes.md) reads NetCDF and a STILT footprint.
//
// Every answer is compared with the same calls made here, in Deno.

import assert from "node:assert/strict";
import { join } from "node:path";
import { bundle } from "../examples/browser/serve.ts";
import { CarbonPortal, decodeCpb, encodeCpb, openNetCDF } from "../mod.ts";
import { type Emulator, startEmulator } from "../emulator/mod.ts";
import { encodeNetcdf4 } from "../src/codecs/netcdf4_writer.ts";
import { peerTest } from "./_peers.ts";

const here = new URL("./runtimes/", import.meta.url);
const wasmFile = new URL("../src/_wasm/gen/icoscp_decoder.wasm", import.meta.url);

/** A free loopback port (closed again before workerd binds it). */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

/** The first fenced `js` block of docs/runtimes.md (where the README's edge recipes live) that contains `marker`. */
async function readmeBlock(marker: string): Promise<string> {
  const page = await Deno.readTextFile(new URL("../docs/runtimes.md", import.meta.url));
  for (const m of page.matchAll(/```js[^\n]*\n([\s\S]*?)```/g)) {
    if (m[1].includes(marker)) return m[1];
  }
  throw new Error(`docs/runtimes.md has no js block with ${marker}`);
}

/**
 * An edge recipe (docs/runtimes.md, linked from the README) as a module of this folder: the package import becomes the
 * bundle, and the client the recipe builds (a token from the platform's
 * secrets) becomes one for the emulator, which the wrapper sets per request.
 */
function recipeModule(block: string): string {
  const out = block
    .replaceAll('"@icoscp/icoscp"', '"./bundle/mod.js"')
    .replace(
      /new CarbonPortal\(\{ auth: \{ token: [^}]+\} \}\)/,
      "new CarbonPortal(globalThis.icoscpTest)",
    );
  assert.ok(out.includes("globalThis.icoscpTest"), "the recipe builds its client as expected");
  return out;
}

const RECIPE_WRAPPERS: Record<string, string> = {
  "cloudflare_entry.js": `import worker from "./recipe_cloudflare.js";
export default {
  fetch(req, env) {
    globalThis.icoscpTest = JSON.parse(new URL(req.url).searchParams.get("cp"));
    return worker.fetch(req, env);
  },
};
`,
  "vercel_entry.js": `import { GET } from "./recipe_vercel.js";
export default {
  fetch(req) {
    globalThis.icoscpTest = JSON.parse(new URL(req.url).searchParams.get("cp"));
    return GET(req);
  },
};
`,
};

/** The services: entry module, other modules, name of the wasm module (if any). */
const SERVICES = {
  plain: { entry: "workerd_plain.js", more: ["workerd_worker.js"], wasm: undefined },
  wasm: { entry: "workerd_wasm.js", more: ["workerd_worker.js"], wasm: "icoscp_decoder.wasm" },
  cloudflare: {
    entry: "cloudflare_entry.js",
    more: ["recipe_cloudflare.js"],
    wasm: "icoscp_decoder.wasm",
  },
  vercel: {
    entry: "vercel_entry.js",
    more: ["recipe_vercel.js"],
    wasm: "icoscp_decoder.wasm?module",
  },
} as const;
type Service = keyof typeof SERVICES;

/** The bundle, the worker scripts, the .wasm and a workerd config, in a fresh folder. */
async function workerdFolder(ports: Record<Service, number>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "icoscp-workerd-" });
  await bundle(join(dir, "bundle"), ["mod.ts"]);
  for (const f of ["workerd_worker.js", "workerd_plain.js", "workerd_wasm.js"]) {
    await Deno.copyFile(new URL(f, here), join(dir, f));
  }
  await Deno.writeTextFile(
    join(dir, "recipe_cloudflare.js"),
    recipeModule(await readmeBlock("Cloudflare Worker")),
  );
  await Deno.writeTextFile(
    join(dir, "recipe_vercel.js"),
    recipeModule(await readmeBlock("Vercel Edge function")),
  );
  for (const [f, text] of Object.entries(RECIPE_WRAPPERS)) {
    await Deno.writeTextFile(join(dir, f), text);
  }
  await Deno.copyFile(wasmFile, join(dir, "icoscp_decoder.wasm"));
  const chunks = [...Deno.readDirSync(join(dir, "bundle"))].map((e) => e.name).sort();
  const worker = (s: Service) => {
    const { entry, more, wasm } = SERVICES[s];
    const modules = [
      `(name = "${entry}", esModule = embed "${entry}")`,
      ...more.map((m) => `(name = "${m}", esModule = embed "${m}")`),
      ...chunks.map((c) => `(name = "bundle/${c}", esModule = embed "bundle/${c}")`),
      ...(wasm ? [`(name = "${wasm}", wasm = embed "icoscp_decoder.wasm")`] : []),
    ].join(",\n      ");
    return `(
    modules = [
      ${modules}
    ],
    compatibilityDate = "2024-09-23",
    globalOutbound = "loopback",
  )`;
  };
  const names = Object.keys(SERVICES) as Service[];
  await Deno.writeTextFile(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    ${names.map((n) => `(name = "${n}", worker = ${worker(n)}),`).join("\n    ")}
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
    ${
      names.map((n) =>
        `(name = "${n}", address = "127.0.0.1:${ports[n]}", http = (), service = "${n}"),`
      ).join("\n    ")
    }
  ],
);
`,
  );
  return dir;
}

/** A small NetCDF-4 file with a deflated variable. */
function netcdf4(): Uint8Array {
  return encodeNetcdf4({
    dimensions: [{ name: "x", size: 12 }],
    variables: [{
      name: "x",
      type: "double",
      dimensions: ["x"],
      data: Float64Array.from({ length: 12 }, (_, i) => i),
    }, {
      name: "v",
      type: "double",
      dimensions: ["x"],
      data: Float64Array.from({ length: 12 }, (_, i) => i * 0.5),
      chunkSizes: [12],
      deflateLevel: 6,
    }],
  });
}

function describe(emu: Emulator, ncUrl: string): string {
  const dobj = emu.dataset.objects.find((o) =>
    o.kind === "data" && o.nRows && o.licence === "icos"
  )!;
  const emuInfo = {
    endpoints: emu.endpoints,
    user: emu.user,
    password: emu.password,
    dobj: dobj.id,
    stilt: { id: "GAT344", day: "2016-05-10", hour: 12 },
  };
  return `?emu=${encodeURIComponent(JSON.stringify(emuInfo))}&nc=${
    encodeURIComponent(ncUrl)
  }&var=v`;
}

/** What the worker computes, computed here (Deno, wasm engine). */
function digest(col: ArrayLike<number> | string[]) {
  if (Array.isArray(col)) {
    let hash = 0;
    for (const c of col.join("|")) hash = (hash * 31 + c.charCodeAt(0)) | 0;
    return { length: col.length, hash };
  }
  let sum = 0, nan = 0;
  for (const v of Array.from(col)) Number.isNaN(Number(v)) ? nan++ : sum += Number(v);
  return { length: col.length, sum, nan };
}

/** Polls until workerd answers on `port`. */
async function ready(port: number, child: Deno.ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      const done = await Promise.race([
        child.status.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 50)),
      ]);
      if (done) throw new Error("workerd exited before listening");
    }
  }
  throw new Error(`workerd did not listen on ${port}`);
}

Deno.test(peerTest(
  "workerd: without the .wasm cpb decodes in TypeScript and NetCDF says to call initDecoder; with it imported and handed to initDecoder, NetCDF and a footprint read; the Cloudflare and Vercel recipes of docs/runtimes.md run",
  { tools: ["workerd"] },
  async () => {
    const ports = {
      plain: freePort(),
      wasm: freePort(),
      cloudflare: freePort(),
      vercel: freePort(),
    };
    const dir = await workerdFolder(ports);
    await using emu = await startEmulator();
    const nc = netcdf4();
    await using files = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response(nc as Uint8Array<ArrayBuffer>),
    );
    const query = describe(emu, `http://127.0.0.1:${files.addr.port}/v.nc`);
    const child = new Deno.Command("workerd", {
      args: ["serve", join(dir, "config.capnp"), "--experimental"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const logs = Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    try {
      for (const port of Object.values(ports)) await ready(port, child);
      const ask = async (port: number) => {
        const res = await fetch(`http://127.0.0.1:${port}/${query}`);
        return await res.json();
      };
      const plain = await ask(ports.plain);
      const wasm = await ask(ports.wasm);
      const cpOptions = encodeURIComponent(JSON.stringify({
        portal: emu.endpoints,
        auth: { user: emu.user, password: emu.password },
      }));
      const recipe = async (port: number) => {
        const res = await fetch(`http://127.0.0.1:${port}/?cp=${cpOptions}`);
        const text = await res.text();
        assert.equal(res.status, 200, text);
        return JSON.parse(text);
      };
      const cloudflare = await recipe(ports.cloudflare);
      const vercel = await recipe(ports.vercel);

      // What Deno computes with the same calls (the wasm engine).
      const body = encodeCpb([
        { type: "DOUBLE", values: [1.5, -2.25] },
        { type: "FLOAT", values: [405.5, 406.25] },
        { type: "INT", values: [6466, -6467] },
        { type: "CHAR", values: [79, 85] },
      ], { dictionary: false });
      const cpb = Object.fromEntries(
        Object.entries(decodeCpb(body, {
          columns: ["DOUBLE", "FLOAT", "INT", "CHAR"],
          size: 2,
          labels: ["d", "f", "i", "c"],
        })).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)]),
      );
      const info = JSON.parse(decodeURIComponent(query.split("&")[0].slice(5)));
      const cp = new CarbonPortal({
        portal: emu.endpoints,
        auth: { user: emu.user, password: emu.password },
      });
      const cols = await (await cp.dobj(info.dobj)).getColumns();
      const getColumns = Object.fromEntries(
        Object.entries(cols).map(([k, v]) => [k, digest(v as ArrayLike<number>)]),
      );
      const v = await (await openNetCDF(nc)).read("v");
      const fp = await (await cp.stilt.get("GAT344")).getFp("2016-05-10", "2016-05-10", {
        via: "netcdf",
        hours: [12],
      });

      // Without the .wasm: the TypeScript engine, the same columns, a typed NetCDF error.
      assert.equal(plain.error, undefined, JSON.stringify(plain.error));
      assert.equal(plain.engine, "ts");
      assert.deepEqual(plain.cpb, cpb);
      assert.ok(Object.keys(getColumns).length > 1);
      assert.deepEqual(plain.getColumns, getColumns);
      assert.equal(plain.netcdfError?.name, "WasmUnavailableError", JSON.stringify(plain));
      assert.equal(plain.netcdfError.typed, true);
      assert.match(plain.netcdfError.message, /call initDecoder with the imported \.wasm module/);
      assert.equal(plain.netcdfError.cause, "CompileError");

      // With the .wasm imported and handed to initDecoder: wasm everywhere.
      assert.equal(wasm.error, undefined, JSON.stringify(wasm.error));
      assert.equal(wasm.engine, "wasm");
      assert.deepEqual(wasm.cpb, cpb);
      assert.deepEqual(wasm.getColumns, getColumns);
      assert.deepEqual(wasm.netcdf, { format: "netcdf4", ...digest(v as Float64Array) });
      assert.deepEqual(wasm.footprint, { shape: fp.shape, total: fp.total() });
      assert.deepEqual(fp.shape, [1, 480, 400]);

      // The edge recipes of docs/runtimes.md, as written there (package import and client aside).
      assert.deepEqual(cloudflare, { shape: fp.shape, total: fp.total() });
      assert.deepEqual(vercel, { shape: fp.shape, total: fp.total() });
    } catch (e) {
      child.kill();
      const [out, err] = await logs;
      throw new Error(`${(e as Error).message}\nworkerd output:\n${out}\n${err}`.slice(0, 8000));
    } finally {
      try {
        child.kill();
      } catch { /* already exited */ }
      await child.status;
      await logs;
      await Deno.remove(dir, { recursive: true });
    }
  },
));
