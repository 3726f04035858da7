// End-to-end benchmark: `cp.dobj(id).getColumns()` (and `.get()`, an arquero
// table) against the local emulator on 10^6- and 10^7-row objects, versus
// icoscp_core's get_columns_as_arrays (and + pandas DataFrame, as icoscp's
// Dobj.get) against the same emulator, in the same run, the libraries taking
// turns in every round (icoscp_core in its own Python process, timing each
// call itself). Both sides include
// the HTTP transfer from the emulator, the decode, flag masking and time
// conversion. Beside them: the time this runtime takes just to drain the
// same `/cpb` response (same request, body read and discarded: the transfer
// limit), and the peak RSS growth of one call on each side, each in a fresh
// process with the result held, over the bytes of the decoded arrays.
//
//   deno task bench:e2e            # 10^6 and 10^7 rows (needs ~4 GB and ~1 minute)
//   deno task bench:e2e 1e6        # one size
//
// The Python interpreter is $ICOSCP_PYTHON or python3, with icoscp_core and pandas.

import { CarbonPortal } from "../src/client/client.ts";
import { decodeCpbStream } from "../src/cpb/cpb.ts";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * Median and minimum seconds of each of `fs`, run in turns for `reps` rounds
 * after `warmup` rounds. A function that returns `{ seconds }` (a peer
 * process timing itself) is taken at its word.
 */
async function rounds(
  reps: number,
  fs: readonly (() => unknown)[],
  warmup: number,
): Promise<{ median: number; min: number }[]> {
  const t: number[][] = fs.map(() => []);
  for (let r = 0; r < warmup + reps; r++) {
    for (const [i, f] of fs.entries()) {
      gc();
      const s = performance.now();
      const out = await f();
      const own = (out as { seconds?: number } | undefined)?.seconds;
      if (r >= warmup) t[i].push(own ?? (performance.now() - s) / 1000);
    }
  }
  return t.map((x) => {
    x.sort((a, b) => a - b);
    return { median: x[x.length >> 1], min: x[0] };
  });
}

/** Bytes of a /proc/self/status field (Linux). */
function status(key: string): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(Deno.readTextFileSync("/proc/self/status"));
  return Number(m![1]) * 1024;
}

if (Deno.args[0] === "--rss") {
  // child: peak RSS growth of one getColumns, after a small warm-up call
  const spec = JSON.parse(await Deno.readTextFile(Deno.args[1]));
  const cp = new CarbonPortal({
    portal: spec.endpoints,
    auth: { user: spec.user, password: spec.password },
  });
  const d = await cp.dobj(Deno.args[2]);
  const flags = (Deno.args[3] ?? "strings") as "strings" | "codes";
  await d.getColumns(undefined, { length: 1000, flags });
  (globalThis as { gc?: () => void }).gc?.();
  const base = status("VmRSS");
  Deno.writeTextFileSync("/proc/self/clear_refs", "5"); // peak (VmHWM) := current RSS
  const cols = await d.getColumns(undefined, { flags });
  const peak = status("VmHWM");
  // what the returned columns occupy: a typed array its bytes, a string[]
  // (flags) 8 bytes an element (V8 as Deno builds it has no pointer
  // compression: 10^7 elements measured 78 MB; the one-character strings
  // themselves are shared)
  const arrayBytes = Object.values(cols).reduce(
    (s, c) => s + (ArrayBuffer.isView(c) ? c.byteLength : 8 * c.length),
    0,
  );
  console.log(JSON.stringify({ rss_growth: peak - base, array_bytes: arrayBytes }));
  Deno.exit(0);
}

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
    new URL("../emulator/main.ts", import.meta.url).pathname,
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
  endpoints: import("../src/client/client.ts").PortalEndpoints;
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

// The `/cpb` request getColumns makes, caught on its way out, to drain the
// same response with plain fetch.
let cpbRequest: { url: string; init: RequestInit } | undefined;
const spy = new CarbonPortal({
  portal: emu.endpoints,
  auth: { user: emu.user, password: emu.password },
  fetch: (url: string | URL | Request, init?: RequestInit) => {
    if (String(url).endsWith("/cpb")) cpbRequest = { url: String(url), init: init ?? {} };
    return fetch(url, init);
  },
});

// icoscp_core in a Python process of its own, timing one call per request
// line: its cases take turns with ours in every round.
const spec = await Deno.makeTempFile({ suffix: ".json" });
await Deno.writeTextFile(
  spec,
  JSON.stringify({ endpoints: emu.endpoints, user: emu.user, password: emu.password, objects }),
);
const peer = new Deno.Command(python, {
  args: [new URL("./dobj_e2e_peer.py", import.meta.url).pathname, spec, "serve"],
  stdin: "piped",
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const peerIn = peer.stdin.getWriter();
const peerOut = peer.stdout.pipeThrough(new TextDecoderStream()).getReader();
let peerBuffer = "";
async function core(uri: string, what: "arrays" | "pandas"): Promise<{ seconds: number }> {
  const ended = () =>
    new Error(`${python} dobj_e2e_peer.py ended (icoscp_core and pandas installed?)`);
  await peerIn.write(new TextEncoder().encode(JSON.stringify({ uri, case: what }) + "\n"))
    .catch((cause) => {
      throw Object.assign(ended(), { cause });
    });
  while (!peerBuffer.includes("\n")) {
    const { done, value } = await peerOut.read();
    if (done) throw ended();
    peerBuffer += value;
  }
  const line = peerBuffer.slice(0, peerBuffer.indexOf("\n"));
  peerBuffer = peerBuffer.slice(line.length + 1);
  return { seconds: JSON.parse(line).s };
}

const results: Result[] = [];
const drains = new Map<number, Result>();
for (const o of objects) {
  const d = await cp.dobj(o.id);
  await (await spy.dobj(o.id)).getColumns(undefined, { length: 1 });
  const { url, init } = cpbRequest!;
  const request = { method: "POST", headers: new Headers(init.headers), body: init.body };
  // drained with the default reader (the runtime's chunks) and with a BYOB
  // reader into one reused 1 MiB buffer; the faster is the limit
  const drain = async (byob: boolean) => {
    const res = await fetch(url, request);
    let n = 0;
    if (byob) {
      const reader = res.body!.getReader({ mode: "byob" });
      let buffer = new Uint8Array(1 << 20);
      while (true) {
        const { done, value } = await reader.read(buffer);
        if (done || !value) break;
        n += value.length;
        buffer = new Uint8Array(value.buffer);
      }
      return n;
    }
    const reader = res.body!.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
    }
    return n;
  };
  // the whole response (getColumns' own request has no slice: the same bytes)
  request.body = JSON.stringify({ ...JSON.parse(String(init.body)), slice: undefined });
  for (const byob of [false, true]) {
    const got = await drain(byob);
    if (got < o.bytes) throw new Error(`drained ${got} bytes, expected ${o.bytes}`);
  }
  // The limit of this decoder: the same response decoded into arrays reused
  // from call to call (no fresh memory, no flag strings, no masking): the
  // transfer plus the byte swap on the thread that reads the socket.
  const { schema, columnNumbers } = JSON.parse(String(request.body));
  const reused = await decodeCpbStream(await fetch(url, request), schema, { columnNumbers });
  const swapOnly = async () =>
    await decodeCpbStream(await fetch(url, request), schema, { columnNumbers, into: reused });
  // the cases take turns in every round, so that a slow spell of the shared
  // machine (or the server warming up) weighs on all of them alike
  const cases = [
    ["ours: getColumns (typed arrays)", () => d.getColumns()],
    [
      "ours: getColumns (typed arrays, flags as codes)",
      () => d.getColumns(undefined, { flags: "codes" }),
    ],
    ["ours: get (arquero table)", () => d.get()],
    ["ours, limit: the same response decoded into reused arrays (transfer + byte swap)", swapOnly],
    ["drain: fetch /cpb, body read (default reader), discarded", () => drain(false)],
    ["drain: fetch /cpb, body read (BYOB, 1 MiB), discarded", () => drain(true)],
    ["icoscp_core get_columns_as_arrays", () => core(o.uri, "arrays")],
    ["icoscp_core + pandas DataFrame", () => core(o.uri, "pandas")],
  ] as const;
  const t = await rounds(reps, cases.map(([, f]) => f), 3);
  cases.forEach(([name], i) => {
    const r = { rows: o.rows, bytes: o.bytes, case: name, median_s: t[i].median, min_s: t[i].min };
    results.push(r);
    const best = drains.get(o.rows);
    if (name.startsWith("drain") && (!best || r.median_s < best.median_s)) drains.set(o.rows, r);
  });
}

await peerIn.close();
await peerOut.cancel().catch(() => {});
if (!(await peer.status).success) throw new Error(`${python} dobj_e2e_peer.py failed`);
const peers = results.filter((r) => r.case.startsWith("icoscp_core"));

// Peak RSS growth of one call, each side in a fresh process.
/** Arguments of a child that measures one getColumns of object `id` (this file, `--rss`). */
function oursRss(id: string, flags: "strings" | "codes"): string[] {
  return [
    "run",
    "--allow-all", // Deno asks for all access to read /proc/self
    "--v8-flags=--expose-gc",
    new URL(import.meta.url).pathname,
    "--rss",
    spec,
    id,
    flags,
  ];
}
const rss = new Map<string, number>();
/** Bytes of the returned arrays of each side (icoscp_core: numpy nbytes, flags as 4-byte U1). */
const returned = new Map<string, number>();
for (const o of objects) {
  for (
    const [side, cmd, args] of [
      ["ours", Deno.execPath(), oursRss(o.id, "strings")],
      ["codes", Deno.execPath(), oursRss(o.id, "codes")],
      ["core", python, [
        new URL("./dobj_e2e_peer.py", import.meta.url).pathname,
        spec,
        "rss",
        o.uri,
      ]],
    ] as const
  ) {
    const r = await new Deno.Command(cmd, { args: [...args], stdout: "piped", stderr: "inherit" })
      .output();
    if (!r.success) throw new Error(`RSS measurement (${side}, ${o.rows} rows) failed`);
    const m = JSON.parse(new TextDecoder().decode(r.stdout));
    rss.set(`${side} ${o.rows}`, m.rss_growth);
    returned.set(`${side} ${o.rows}`, m.array_bytes);
  }
}
await Deno.remove(spec);
server.kill();
await server.status;
await server.stdout.cancel().catch(() => {});

console.log(
  `End to end against the emulator (HTTP + decode + masking + time columns), median of ${reps}; ` +
    "drain: the same /cpb response read and discarded (ours vs drain: the faster of the two); RSS: peak growth of one call in a fresh " +
    "process, result held, over the bytes of the decoded arrays (the typed values as sent, 14 bytes a row) and over the bytes the " +
    "returned arrays occupy (ours: flags as a string[] of 8-byte references; icoscp_core: flags as 4-byte numpy U1)",
);
console.log(
  "| rows | case | median s | MB/s | ours vs icoscp_core arrays | ours vs icoscp_core + pandas | ours vs drain | RSS growth MB | RSS / array bytes | RSS / returned bytes |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const o of objects) {
  const core = peers.find((p) => p.rows === o.rows && p.case.includes("arrays"))!;
  const pandas = peers.find((p) => p.rows === o.rows && p.case.includes("pandas"))!;
  const drain = drains.get(o.rows)!;
  const ours = results.filter((x) => x.rows === o.rows && x.case.startsWith("ours"));
  const drained = results.filter((x) => x.rows === o.rows && x.case.startsWith("drain"));
  for (const r of [...ours, core, pandas, ...drained]) {
    const mine = r.case.startsWith("ours");
    const side = r.case === "ours: getColumns (typed arrays)"
      ? "ours"
      : r.case.startsWith("ours: getColumns") && r.case.includes("codes")
      ? "codes"
      : r === core
      ? "core"
      : undefined;
    const growth = side && rss.get(`${side} ${o.rows}`);
    const held = side && returned.get(`${side} ${o.rows}`);
    const ratio = (peer: Result) => mine ? `${(peer.median_s / r.median_s).toFixed(2)}×` : "";
    console.log(
      `| ${o.rows.toExponential(0)} | ${r.case} | ${r.median_s.toFixed(3)} | ${
        (o.bytes / 1e6 / r.median_s).toFixed(0)
      } | ${ratio(core)} | ${ratio(pandas)} | ${ratio(drain)} | ${
        growth === undefined ? "" : (growth / 1e6).toFixed(0)
      } | ${growth === undefined ? "" : `${(growth / o.bytes).toFixed(2)}×`} | ${
        growth === undefined || !held ? "" : `${(growth / held).toFixed(2)}×`
      } |`,
    );
  }
}
