// End-to-end benchmark: `cp.dobj(id).getColumns()` (and `.get()`, an arquero
// table) against the local emulator on 10^6- and 10^7-row objects, versus
// icoscp_core's get_columns_as_arrays (and + pandas DataFrame, as icoscp's
// Dobj.get) against the same emulator, in the same run. Both sides include
// the HTTP transfer from the emulator, the decode, flag masking and time
// conversion.
//
//   deno task bench:e2e            # 10^6 and 10^7 rows (needs ~4 GB and ~1 minute)
//   deno task bench:e2e 1e6        # one size
//
// The Python interpreter is $ICOSCP_PYTHON or python3, with icoscp_core and pandas.

import { CarbonPortal } from "../src/client.ts";
import { time } from "./_timing.ts";

const sizes = Deno.args.length ? Deno.args.map(Number) : [1e6, 1e7];
const python = Deno.env.get("ICOSCP_PYTHON") ?? "python3";
const reps = Number(Deno.env.get("ICOSCP_BENCH_REPS") ?? 11);

// The emulator runs in its own process, as a real portal would: neither
// client shares a thread with the server.
const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--allow-net=127.0.0.1",
    "--allow-read",
    "--allow-env",
    new URL("../src/emulator/main.ts", import.meta.url).pathname,
    "--benchmark-rows",
    sizes.join(","),
  ],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const lines = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
const first = (await lines.read()).value ?? "";
lines.releaseLock();
const emu = JSON.parse(first.split("\n")[0]) as {
  endpoints: import("../src/client.ts").PortalEndpoints;
  user: string;
  password: string;
};
const cp = new CarbonPortal({
  portal: emu.endpoints,
  auth: { user: emu.user, password: emu.password },
});
const objects = [];
for (const rows of sizes) {
  const r = await cp.sparql.select(
    `select ?dobj where { ?dobj <http://meta.icos-cp.eu/ontologies/cpmeta/hasNumberOfRows> ?n . filter(?n = ${rows}) }`,
  );
  const uri = r.rows[0].iri("dobj");
  const d = await cp.dobj(uri);
  const width = { INT: 4, FLOAT: 4, DOUBLE: 8, SHORT: 2, CHAR: 2, BYTE: 1, STRING: 4 } as const;
  const formats: Record<string, keyof typeof width> = {
    bmpChar: "CHAR",
    float32: "FLOAT",
    iso8601dateTime: "DOUBLE",
    int32: "INT",
    float64: "DOUBLE",
  };
  const bytes = d.columns.reduce(
    (s, c) => s + rows * width[formats[c.valueFormat!.split("/").pop()!] ?? "DOUBLE"],
    0,
  );
  objects.push({ uri, id: d.id, rows, bytes });
}

interface Result {
  rows: number;
  bytes: number;
  case: string;
  median_s: number;
  min_s: number;
}

const results: Result[] = [];
for (const o of objects) {
  const d = await cp.dobj(o.id);
  for (
    const [name, f] of [
      ["ours: getColumns (typed arrays)", () => d.getColumns()],
      ["ours: get (arquero table)", () => d.get()],
    ] as const
  ) {
    const t = await time(reps, f, 3);
    results.push({
      rows: o.rows,
      bytes: o.bytes,
      case: name,
      median_s: t.median,
      min_s: t.min,
    });
  }
}

const spec = await Deno.makeTempFile({ suffix: ".json" });
await Deno.writeTextFile(
  spec,
  JSON.stringify({ endpoints: emu.endpoints, user: emu.user, password: emu.password, objects }),
);
const out = await new Deno.Command(python, {
  args: [new URL("./dobj_e2e_peer.py", import.meta.url).pathname, spec, String(reps)],
  stdout: "piped",
  stderr: "inherit",
}).output();
await Deno.remove(spec);
server.kill();
await server.status;
await server.stdout.cancel().catch(() => {});
if (!out.success) {
  throw new Error(`${python} dobj_e2e_peer.py failed (icoscp_core and pandas installed?)`);
}
const peers: Result[] = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) =>
  JSON.parse(l)
);

console.log(
  `End to end against the emulator (HTTP + decode + masking + time columns), median of ${reps}`,
);
console.log(
  "| rows | case | median s | MB/s | ours vs icoscp_core arrays | ours vs icoscp_core + pandas |",
);
console.log("|---|---|---|---|---|---|");
for (const o of objects) {
  const core = peers.find((p) => p.rows === o.rows && p.case.includes("arrays"))!;
  const pandas = peers.find((p) => p.rows === o.rows && p.case.includes("pandas"))!;
  for (const r of [...results.filter((x) => x.rows === o.rows), core, pandas]) {
    const mine = r.case.startsWith("ours");
    console.log(
      `| ${o.rows.toExponential(0)} | ${r.case} | ${r.median_s.toFixed(3)} | ${
        (o.bytes / 1e6 / r.median_s).toFixed(0)
      } | ${mine ? `${(core.median_s / r.median_s).toFixed(2)}×` : ""} | ${
        mine ? `${(pandas.median_s / r.median_s).toFixed(2)}×` : ""
      } |`,
    );
  }
}
