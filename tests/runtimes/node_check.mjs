// Runs in Node 20 against the browser bundle: decodes and fetches from the
// emulator whose JSON description is argv[2]; prints one JSON line.
import * as icos from "./bundle/mod.js";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const emu = JSON.parse(process.argv[2]);
const out = {};
const body = icos.encodeCpb([{ type: "INT", values: [6466, 6467] }], { dictionary: false });
out.engine = icos.cpbEngine();
out.cpb = Array.from(icos.decodeCpb(body, { columns: ["INT"], size: 2 })["0"]);
const cp = new icos.CarbonPortal({ portal: emu.endpoints, auth: { user: emu.user, password: emu.password } });
const d = await cp.dobj(emu.dobj);
const cols = await d.getColumns();
out.dobj = { id: d.id, rows: Object.values(cols)[0].length };
const r = await cp.sparql.select("select ?id where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasStationId> ?id } order by ?id");
out.sparql = r.rows.map((x) => x.string("id"));
// A NetCDF file by path and by FileHandle: read by position through node:fs.
const tmp = await mkdtemp(join(tmpdir(), "icoscp-node-"));
try {
  // CDF-1: one dimension x = 3, one variable `short v(x)` = 1, 2, 3.
  await writeFile(join(tmp, "v.nc"), new Uint8Array([
    67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0,
    0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1,
    118, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
    0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0, 0,
  ]));
  const byPath = await icos.openNetCDF(join(tmp, "v.nc"));
  out.ncPath = Array.from(await byPath.read("v"));
  byPath.close();
  const fh = await open(join(tmp, "v.nc"));
  const byHandle = await icos.openNetCDF(fh);
  out.ncHandle = Array.from(await byHandle.read("v"));
  byHandle.close();
  await fh.close();
} finally {
  await rm(tmp, { recursive: true });
}
console.log(JSON.stringify(out));
