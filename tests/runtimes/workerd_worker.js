// Runs inside workerd (Cloudflare's runtime) against the browser bundle: the
// test's request names the emulator and a NetCDF file on loopback; the answer
// is one JSON object. `wasm` is the module a `.wasm` import gives, or
// undefined in the worker that has none (there cpb falls back to the
// TypeScript engine and NetCDF must fail with a typed error).
import * as icos from "./bundle/mod.js";

/** Length, sum of the finite values, count of NaN: enough to compare columns. */
function digest(col) {
  if (Array.isArray(col)) {
    let hash = 0;
    for (const c of col.join("|")) hash = (hash * 31 + c.charCodeAt(0)) | 0;
    return { length: col.length, hash };
  }
  let sum = 0, nan = 0;
  for (const v of col) Number.isNaN(Number(v)) ? nan++ : sum += Number(v);
  return { length: col.length, sum, nan };
}

function errorOf(e) {
  return {
    name: e?.name,
    typed: e instanceof icos.WasmUnavailableError && e instanceof icos.CarbonPortalError,
    message: e?.message,
    cause: e?.cause?.name,
    stack: e?.stack,
  };
}

export async function handle(req, wasm) {
  const q = new URL(req.url).searchParams;
  const emu = JSON.parse(q.get("emu"));
  const out = {};
  try {
    if (wasm) await icos.initDecoder(wasm);
    out.engine = icos.cpbEngine();
    const body = icos.encodeCpb([
      { type: "DOUBLE", values: [1.5, -2.25] },
      { type: "FLOAT", values: [405.5, 406.25] },
      { type: "INT", values: [6466, -6467] },
      { type: "CHAR", values: [79, 85] },
    ], { dictionary: false });
    const cols = icos.decodeCpb(body, {
      columns: ["DOUBLE", "FLOAT", "INT", "CHAR"],
      size: 2,
      labels: ["d", "f", "i", "c"],
    });
    out.cpb = Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Array.from(v)]));

    const cp = new icos.CarbonPortal({
      portal: emu.endpoints,
      auth: { user: emu.user, password: emu.password },
    });
    const d = await cp.dobj(emu.dobj);
    const data = await d.getColumns();
    out.getColumns = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, digest(v)]));

    const nc = await fetch(q.get("nc")).then((r) => r.arrayBuffer());
    try {
      const file = await icos.openNetCDF(new Uint8Array(nc));
      const v = await file.read(q.get("var"));
      out.netcdf = { format: file.format, ...digest(v) };
    } catch (e) {
      out.netcdfError = errorOf(e);
    }
    if (wasm) {
      const st = await cp.stilt.get(emu.stilt.id);
      const fp = await st.getFp(emu.stilt.day, emu.stilt.day, {
        via: "netcdf",
        hours: [emu.stilt.hour],
      });
      out.footprint = { shape: fp.shape, total: fp.total() };
    }
  } catch (e) {
    out.error = errorOf(e);
  }
  return Response.json(out);
}
