// Peer benchmark: cpb decode throughput of this library against numpy, the
// way icoscp_core decodes, on the same bytes and in the same run.
//
//   deno task bench:numpy            # 10^6 and 10^7 rows x 6 columns
//   deno task bench:numpy 1e6        # one size
//
// Prints a table of MB/s (input bytes per second, median of the repetitions)
// and each case's ratio to numpy plain measured just before it. The Python
// interpreter is $ICOSCP_PYTHON or python3, with numpy installed.

import { type CpbColumns, decodeCpb, decodeCpbStream } from "../src/cpb/cpb.ts";
import { benchBody, benchSchema } from "./_cpb_table.ts";
import { time } from "./_timing.ts";

const sizes = Deno.args.length ? Deno.args.map(Number) : [1e6, 1e7];
const python = Deno.env.get("ICOSCP_PYTHON") ?? "python3";
const dataDir = new URL("./.data/", import.meta.url);
await Deno.mkdir(dataDir, { recursive: true });

interface Result {
  case: string;
  rows: number;
  bytes: number;
  median_s: number;
  min_s: number;
}

function streamOf(body: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let pos = 0;
  return new ReadableStream({
    type: "bytes",
    pull(c) {
      if (pos >= body.length) {
        c.close();
        return;
      }
      c.enqueue(body.slice(pos, pos + chunk));
      pos += chunk;
    },
  });
}

const rowsOut: string[] = [];
for (const rows of sizes) {
  const reps = rows >= 1e7 ? 7 : 15;
  const body = benchBody(rows);
  const schema = benchSchema(rows);
  const file = new URL(`cpb_${rows}.bin`, dataDir);
  await Deno.writeFile(file, body);

  const out = await new Deno.Command(python, {
    args: [
      new URL("./cpb_numpy_peer.py", import.meta.url).pathname,
      file.pathname,
      String(rows),
      String(reps),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${python} cpb_numpy_peer.py failed (is numpy installed?)`);
  const peers: Result[] = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  const numpy = peers[0];

  const reused: CpbColumns = decodeCpb(body, schema);
  const check = reused.co2 as Float64Array;
  const ours: Result[] = [];
  const add = (name: string, t: { median: number; min: number }) =>
    ours.push({ case: name, rows, bytes: body.length, median_s: t.median, min_s: t.min });
  add(
    "wasm simd128, into reused arrays",
    await time(reps, () => void decodeCpb(body, schema, { into: reused })),
  );
  add("wasm simd128, fresh arrays", await time(reps, () => void decodeCpb(body, schema)));
  add(
    "TypeScript reference, into reused arrays",
    await time(reps, () => void decodeCpb(body, schema, { into: reused, engine: "ts" })),
  );
  add(
    "TypeScript reference, fresh arrays",
    await time(reps, () => void decodeCpb(body, schema, { engine: "ts" })),
  );
  const streamed = await decodeCpbStream(streamOf(body, 65536), schema, { into: reused });
  add(
    "wasm, streamed in 64 KiB chunks, into reused arrays",
    await time(reps, () => decodeCpbStream(streamOf(body, 65536), schema, { into: reused })),
  );
  if ((streamed.co2 as Float64Array)[rows - 1] !== check[rows - 1]) {
    throw new Error("stream decode mismatch");
  }

  const mbs = (r: Result) => r.bytes / 1e6 / r.median_s;
  for (const r of [...peers, ...ours]) {
    rowsOut.push(
      `| ${rows.toExponential(0)} | ${r.case} | ${(r.median_s * 1000).toFixed(2)} | ${
        mbs(r).toFixed(0)
      } | ${(mbs(r) / mbs(numpy)).toFixed(2)}x |`,
    );
  }
  await Deno.remove(file);
}

console.log(
  `cpb decode, 6 columns (30 bytes a row); MB/s of input, median; ratio to numpy plain of the same run`,
);
console.log(`deno ${Deno.version.deno}, v8 ${Deno.version.v8}`);
console.log("| rows | case | median ms | MB/s | x numpy plain |");
console.log("|---|---|---|---|---|");
for (const l of rowsOut) console.log(l);
