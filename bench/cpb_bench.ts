// deno bench: wasm vs TypeScript cpb decode at 10^6 and 10^7 rows x 6
// columns, fresh outputs vs reused outputs, and decode-only vs decode plus an
// arquero table. For the ratio to numpy see cpb_numpy_peer.ts.

import { table } from "arquero";
import { type CpbColumns, decodeCpb } from "../src/cpb/cpb.ts";
import { benchBody, benchSchema } from "./_cpb_table.ts";

for (const rows of [1e6, 1e7]) {
  const body = benchBody(rows);
  const schema = benchSchema(rows);
  const into: CpbColumns = decodeCpb(body, schema);
  const group = `cpb ${rows.toExponential(0)} rows x 6 cols (${body.length / 1e6} MB)`;
  const n = rows >= 1e7 ? 5 : 30;
  const opts = { group, n, warmup: 2 };
  Deno.bench({ name: "wasm, into reused arrays", baseline: true, ...opts }, () => {
    decodeCpb(body, schema, { into });
  });
  Deno.bench({ name: "wasm, fresh arrays", ...opts }, () => {
    decodeCpb(body, schema);
  });
  Deno.bench({ name: "ts, into reused arrays", ...opts }, () => {
    decodeCpb(body, schema, { into, engine: "ts" });
  });
  Deno.bench({ name: "ts, fresh arrays", ...opts }, () => {
    decodeCpb(body, schema, { engine: "ts" });
  });
  Deno.bench({ name: "wasm into reused arrays + arquero table", ...opts }, () => {
    const t = table(decodeCpb(body, schema, { into }));
    if (t.numRows() !== rows) throw new Error("row count");
  });
}
