// An edge-function-style handler: imported and served with no file-system or
// environment permission (`deno run --allow-net=127.0.0.1`). The test passes
// the emulator's description in the query string.
import { CarbonPortal, cpbEngine, decodeCpb, encodeCpb } from "../../mod.ts";

const server = Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(port),
}, async (req) => {
  const emu = JSON.parse(new URL(req.url).searchParams.get("emu") ?? "{}");
  const body = encodeCpb([{ type: "FLOAT", values: [405.5, 406.25] }], { dictionary: false });
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
  });
  const d = await cp.dobj(emu.dobj);
  const cols = await d.getColumns();
  const r = await cp.sparql.select(
    "select ?id where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasStationId> ?id } order by ?id",
  );
  return Response.json({
    engine: cpbEngine(),
    cpb: Array.from(decodeCpb(body, { columns: ["FLOAT"], size: 2 })["0"] as Float32Array),
    dobj: { id: d.id, rows: Object.values(cols)[0].length },
    sparql: r.rows.map((x) => x.string("id")),
  });
});
await server.finished;
