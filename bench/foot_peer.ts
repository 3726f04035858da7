// Footprint `foot` full read: openNetCDF() against netCDF4-python, h5wasm and
// jsfive, in one run, as ratios to netCDF4-python (<1 is faster); plus the
// wasm size and the cold start (import + first read, fresh process).
//
//   python3 bench/foot_gen.py <real foot.nc> <dir>      # once: 240-step files
//   deno run -A --no-lock --v8-flags=--max-old-space-size=8192 bench/foot_peer.ts [dir] [reps]
//
// Env: ICOSCP_PYTHON (default python3, needs netCDF4). h5wasm and jsfive are
// pinned npm imports of this bench only (not dependencies of the library).

import { openNetCDF } from "../src/netcdf.ts";

const dir = Deno.args[0] ?? "/tmp/footbench";
const reps = Number(Deno.args[1] ?? 5);
const real = new URL(
  "../../shared/fixtures/real/stiltweb/foot2012x12x08x18x46.55Nx007.98Ex00720_aggreg.nc",
  import.meta.url,
).pathname;
const files = [
  ["real sample (1 step)", real],
  ["240 sample-like", `${dir}/foot240_sample.nc`],
  ["240 smooth", `${dir}/foot240_smooth.nc`],
].filter(([, p]) => {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    console.error(`missing ${p}: run bench/foot_gen.py`);
    return false;
  }
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(f: () => Promise<unknown> | unknown): Promise<number> {
  await f(); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
}

const python = Deno.env.get("ICOSCP_PYTHON") ?? "python3";
const peer = new Deno.Command(python, {
  args: [
    new URL("./foot_peer.py", import.meta.url).pathname,
    String(reps),
    ...files.map((f) => f[1]),
  ],
  stdout: "piped",
}).outputSync();
const nc4: Record<string, number> = {};
for (const line of new TextDecoder().decode(peer.stdout).trim().split("\n")) {
  if (!line) continue;
  const r = JSON.parse(line);
  nc4[r.file] = r.median_s;
}

// deno-lint-ignore no-import-prefix -- a peer of the bench only, pinned here on purpose
const h5wasm = (await import("npm:h5wasm@0.10.3")).default;
const { FS } = await h5wasm.ready;
// deno-lint-ignore no-import-prefix -- a peer of the bench only, pinned here on purpose
const jsfive = await import("npm:jsfive@0.4.2");

const rows: string[] = [];
for (const [label, path] of files) {
  const bytes = await Deno.readFile(path);
  const ours = {} as Record<string, number>;
  for (const inflate of ["node", "stream", "wasm"] as const) {
    if (inflate !== "node" && bytes.byteLength > 50e6) continue;
    ours[inflate] = await time(async () => {
      using nc = await openNetCDF(bytes, { inflate });
      return await nc.read("foot");
    });
  }
  const h5 = await time(() => {
    FS.writeFile("/foot.nc", bytes);
    const f = new h5wasm.File("/foot.nc", "r");
    const v = (f.get("foot") as { value: unknown }).value;
    f.close();
    FS.unlink("/foot.nc");
    return v;
  });
  const j5 = bytes.byteLength > 50e6 && reps > 2 ? NaN : await time(() => {
    const f = new jsfive.File(bytes.buffer, "foot.nc");
    return (f.get("foot") as { value: unknown }).value;
  });
  const base = nc4[path];
  const r = (x: number) => (Number.isNaN(x) ? "–" : `${x.toFixed(4)} (${(x / base).toFixed(2)})`);
  rows.push(
    `| ${label} | ${base?.toFixed(4)} (1.00) | ${r(ours.node)} | ${r(ours.stream ?? NaN)} | ${
      r(ours.wasm ?? NaN)
    } | ${r(h5)} | ${r(j5)} |`,
  );
}

// Cold start: a fresh process importing the module and reading the sample.
const cold: number[] = [];
const script = `const t0 = performance.now();
const { openNetCDF } = await import(${
  JSON.stringify(new URL("../src/netcdf.ts", import.meta.url).href)
});
const nc = await openNetCDF(await Deno.readFile(${JSON.stringify(real)}));
await nc.read("foot");
console.log(performance.now() - t0);`;
for (let i = 0; i < 5; i++) {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
  }).outputSync();
  cold.push(Number(new TextDecoder().decode(out.stdout).trim()));
}
const glue = await Deno.readTextFile(
  new URL("../src/_wasm/icoscp_decoder_bytes.js", import.meta.url),
);
const wasmBytes = Number(/, (\d+) bytes/.exec(glue)?.[1] ?? NaN);

console.log(`median s (× netCDF4-python median; <1 is faster), ${reps} reps\n`);
console.log(
  "| file | netCDF4-python | openNetCDF node:zlib | openNetCDF DecompressionStream | openNetCDF wasm inflate | h5wasm 0.10.3 | jsfive 0.4.2 |",
);
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
console.log(`\nwasm binary: ${wasmBytes} bytes`);
console.log(
  `cold start (import + open + first read of the sample, fresh process): median ${
    median(cold).toFixed(1)
  } ms`,
);
