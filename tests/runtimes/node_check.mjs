// Runs in Node 20 against the browser bundle: decodes and fetches from the
// emulator whose JSON description is argv[2]; prints one JSON line.
import * as icos from "./bundle/mod.js";

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
console.log(JSON.stringify(out));
