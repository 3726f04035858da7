// Run as a child by tests/wasm_fallback_test.ts: makes this Deno behave like
// Cloudflare Workers and Vercel Edge (compiling wasm from bytes throws the
// CompileError workerd throws; instantiating a compiled module works), then
// imports the library and prints one JSON line of what each call gave.
// argv[0]: the emulator's description.

const wasmFile = new URL("../../src/_wasm/gen/icoscp_decoder.wasm", import.meta.url);
const precompiled = new WebAssembly.Module(await Deno.readFile(wasmFile));

const forbidden = () =>
  new WebAssembly.CompileError(
    "WebAssembly.Module(): Wasm code generation disallowed by embedder",
  );
const W = WebAssembly as unknown as Record<string, unknown>;
W.Module = new Proxy(WebAssembly.Module, {
  construct() {
    throw forbidden();
  },
});
W.compile = () => Promise.reject(forbidden());
W.compileStreaming = () => Promise.reject(forbidden());
const instantiate = WebAssembly.instantiate;
W.instantiate = (m: unknown, imports?: WebAssembly.Imports) =>
  m instanceof WebAssembly.Module ? instantiate(m, imports) : Promise.reject(forbidden());

const icos = await import("../../mod.ts");

type Col = ArrayLike<number> | string[];
function digest(col: Col) {
  if (Array.isArray(col)) return { length: col.length, text: col.join("|").slice(0, 2000) };
  let sum = 0, nan = 0;
  for (const v of Array.from(col)) Number.isNaN(Number(v)) ? nan++ : sum += Number(v);
  return { length: col.length, sum, nan };
}
const digestAll = (cols: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, digest(v as Col)]));
const errorOf = (e: unknown) => {
  const err = e as Error;
  return {
    name: err.name,
    typed: e instanceof icos.WasmUnavailableError,
    message: err.message,
    cause: (err.cause as Error | undefined)?.name,
  };
};

const emu = JSON.parse(Deno.args[0]);
const out: Record<string, unknown> = {};
out.engine = icos.cpbEngine();
const cp = new icos.CarbonPortal({
  portal: emu.endpoints,
  auth: { user: emu.user, password: emu.password },
});
const d = await cp.dobj(emu.dobj);
out.getColumns = digestAll(await d.getColumns());
const t = await d.get(["NbPoints"], { offset: 100, length: 5 });
out.get = Array.from(t.array("NbPoints") as ArrayLike<number>);
const batch = await cp.batchGetColumns(emu.batch, { columns: ["co2"] });
out.batch = batch.map((b) => digestAll(b.columns));
const cdf1 = new Uint8Array([
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
]);
try {
  await icos.openNetCDF(cdf1);
} catch (e) {
  out.netcdfError = errorOf(e);
}
try {
  await icos.initDecoder(await Deno.readFile(wasmFile));
} catch (e) {
  out.initFromBytesError = errorOf(e);
}
await icos.initDecoder(precompiled);
out.engineAfterInit = icos.cpbEngine();
out.netcdfAfterInit = Array.from(await (await icos.openNetCDF(cdf1)).read("v") as Int16Array);
console.log(JSON.stringify(out));
