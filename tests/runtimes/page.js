// Runs in headless Chromium against the browser bundle and the emulator on
// another loopback port; the test reads window.__results.
import * as icos from "./bundle/mod.js";

const params = new URLSearchParams(location.search);
const emu = JSON.parse(params.get("emu"));
const results = {};
try {
  const body = icos.encodeCpb([
    { type: "DOUBLE", values: [1.5, -2.25] },
    { type: "CHAR", values: [79, 85] },
  ], { dictionary: false });
  const cols = icos.decodeCpb(body, { columns: ["DOUBLE", "CHAR"], size: 2, labels: ["v", "Flag"] });
  results.engine = icos.cpbEngine();
  results.cpb = [Array.from(cols.v), String.fromCharCode(...cols.Flag)];

  const nc = await icos.openNetCDF(new Uint8Array(await (await fetch("/foot.nc")).arrayBuffer()));
  const foot = await nc.read(params.get("var") ?? "foot");
  let sum = 0;
  for (const v of foot) sum += v;
  results.netcdf = { format: nc.format, length: foot.length, sum };

  const cp = new icos.CarbonPortal({ portal: emu.endpoints, credentials: "include" });
  const login = await cp.request(`${emu.endpoints.auth}/password/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ mail: emu.user, password: emu.password }).toString(),
  });
  results.login = await login.text();
  const d = await cp.dobj(emu.dobj);
  const data = await d.getColumns();
  results.dobj = { id: d.id, rows: Object.values(data)[0].length, columns: Object.keys(data) };
  const r = await cp.sparql.select("select ?id where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasStationId> ?id } order by ?id");
  results.sparql = r.rows.map((x) => x.string("id"));
  if (emu.stilt) {
    const st = await cp.stilt.get(emu.stilt.id);
    const fp = await st.getFp(emu.stilt.day, emu.stilt.day, { via: "raster", hours: [emu.stilt.hour] });
    results.stilt = { shape: fp.shape, total: fp.total() };
  }
} catch (e) {
  results.error = `${e?.name}: ${e?.message}\n${e?.stack}`;
}
window.__results = results;
