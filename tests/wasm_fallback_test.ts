// Where wasm cannot be compiled at run time (Cloudflare Workers, Vercel
// Edge), cpb falls back to the TypeScript engine with the same results and
// NetCDF throws a typed error that says to call initDecoder; initDecoder
// takes a module, bytes, a Response or a URL, and refuses anything else with
// a typed error. The real runtime is tests/workerd_test.ts; here a Deno child
// is made to refuse compilation the way workerd does.

import assert from "node:assert/strict";
import {
  CarbonPortal,
  HttpError,
  initDecoder,
  InvalidArgumentError,
  openNetCDF,
  WasmUnavailableError,
} from "../mod.ts";
import { startEmulator } from "../emulator/mod.ts";

const wasmFile = new URL("../src/_wasm/gen/icoscp_decoder.wasm", import.meta.url);
const child = new URL("./runtimes/forbid_wasm.ts", import.meta.url);

type Col = ArrayLike<number> | string[];
function digest(col: Col) {
  if (Array.isArray(col)) return { length: col.length, text: col.join("|").slice(0, 2000) };
  let sum = 0, nan = 0;
  for (const v of Array.from(col)) Number.isNaN(Number(v)) ? nan++ : sum += Number(v);
  return { length: col.length, sum, nan };
}
const digestAll = (cols: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, digest(v as Col)]));

Deno.test("Without run-time wasm compilation getColumns, get and batchGetColumns use the TypeScript engine with the same results; NetCDF says to call initDecoder, and works after it", async () => {
  await using emu = await startEmulator();
  const o = emu.dataset.objects.find((x) => x.spec === "atcCo2L2DataObject")!;
  const batch = emu.dataset.objects.filter((x) =>
    x.spec === "atcCo2L2DataObject" && !x.fileName.includes("2023")
  ).map((x) => x.id);
  const info = {
    endpoints: emu.endpoints,
    user: emu.user,
    password: emu.password,
    dobj: o.id,
    batch,
  };
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-net=127.0.0.1", child.pathname, JSON.stringify(info)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const r = JSON.parse(new TextDecoder().decode(out.stdout));

  // The same calls here, where wasm compiles (the wasm engine).
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
  });
  const d = await cp.dobj(o.id);
  const t = await d.get(["NbPoints"], { offset: 100, length: 5 });
  const b = await cp.batchGetColumns(batch, { columns: ["co2"] });

  assert.equal(r.engine, "ts");
  assert.deepEqual(r.getColumns, digestAll(await d.getColumns()));
  assert.deepEqual(r.get, Array.from(t.array("NbPoints") as ArrayLike<number>));
  assert.ok(r.batch.length > 1);
  assert.deepEqual(r.batch, b.map((x) => digestAll(x.columns)));
  assert.deepEqual(r.netcdfError, {
    name: "WasmUnavailableError",
    typed: true,
    message: r.netcdfError.message,
    cause: "CompileError",
  });
  assert.match(r.netcdfError.message, /call initDecoder with the imported \.wasm module/);
  assert.equal(r.initFromBytesError.name, "WasmUnavailableError");
  assert.match(r.initFromBytesError.message, /call initDecoder with the imported \.wasm module/);
  assert.equal(r.initFromBytesError.cause, "CompileError");
  assert.equal(r.engineAfterInit, "wasm");
  assert.deepEqual(r.netcdfAfterInit, [1, 2, 3]);
});

Deno.test("initDecoder takes the .wasm as bytes, a Response and a URL, and refuses what is not the decoder", async () => {
  const bytes = await Deno.readFile(wasmFile);
  await initDecoder(bytes);
  await initDecoder(bytes.buffer);
  await initDecoder(new Response(bytes));
  await initDecoder(wasmFile);
  await initDecoder(wasmFile.href);
  await initDecoder(await WebAssembly.compile(bytes));

  // a valid module that is not the decoder
  const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  await assert.rejects(
    initDecoder(empty),
    (e) => e instanceof WasmUnavailableError && /not icoscp's decoder/.test(e.message),
  );
  // bytes that are not wasm
  await assert.rejects(
    initDecoder(new Uint8Array([1, 2, 3])),
    (e) => e instanceof WasmUnavailableError && e.cause instanceof WebAssembly.CompileError,
  );
  await assert.rejects(
    initDecoder(new Response("gone", { status: 404 })),
    (e) => e instanceof HttpError && e.status === 404,
  );
  await assert.rejects(
    initDecoder(42 as unknown as Uint8Array),
    (e) =>
      e instanceof InvalidArgumentError && /WebAssembly\.Module, the \.wasm bytes/.test(e.message),
  );
  // NetCDF still reads after all that
  const nc = await openNetCDF(
    new Uint8Array([
      67,
      68,
      70,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      10,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      1,
      120,
      0,
      0,
      0,
      0,
      0,
      0,
      3,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      11,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      1,
      118,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      3,
      0,
      0,
      0,
      8,
      0,
      0,
      0,
      80,
      0,
      1,
      0,
      2,
      0,
      3,
      0,
      0,
    ]),
  );
  assert.deepEqual(await nc.read("v"), new Int16Array([1, 2, 3]));
});
