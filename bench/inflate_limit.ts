// The floor under reading `foot` of a footprint file: the time zlib alone
// takes to inflate the same deflated chunks, on the main thread into one
// preallocated result (what openNetCDF does) and spread over 1 and 2 Workers
// (node:zlib inflateSync each, worker start-up not counted), and the main
// thread plus 1 or 2 Workers as a pool inside openNetCDF would run (start-up
// counted), next to netCDF4-python and openNetCDF in the same run.
//
//   deno run -A --v8-flags=--max-old-space-size=8192 bench/inflate_limit.ts FILE.nc [reps]
//
// FILE is one of bench/foot_gen.py's (chunks of one time step, deflate).
// The chunk table comes from h5py (ICOSCP_PYTHON, default python3).

import zlib from "node:zlib";
import { openNetCDF } from "../src/netcdf/netcdf_file.ts";

const [path, repsArg] = Deno.args;
const reps = Number(repsArg ?? 3);
const python = Deno.env.get("ICOSCP_PYTHON") ?? "python3";
const table = new Deno.Command(python, {
  args: [
    "-c",
    `import sys, json, h5py
d = h5py.File(sys.argv[1], "r")["foot"]
print(json.dumps([[c.byte_offset, c.size] for c in (d.id.get_chunk_info(i) for i in range(d.id.get_num_chunks()))]))
print(json.dumps([d.chunks, d.dtype.itemsize]))`,
    path,
  ],
  stdout: "piped",
}).outputSync();
const [chunksLine, shapeLine] = new TextDecoder().decode(table.stdout).trim().split("\n");
const chunks = JSON.parse(chunksLine) as [number, number][];
const [chunkShape, itemsize] = JSON.parse(shapeLine) as [number[], number];
const cbytes = chunkShape.reduce((a, b) => a * b, itemsize);
const file = await Deno.readFile(path);
const raws = chunks.map(([o, n]) => file.slice(o, o + n));

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
async function time(f: () => Promise<unknown> | unknown): Promise<number> {
  await f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
}

const peer = new Deno.Command(python, {
  args: [new URL("./foot_peer.py", import.meta.url).pathname, String(reps), path],
  stdout: "piped",
}).outputSync();
const nc4 = JSON.parse(new TextDecoder().decode(peer.stdout).trim()).median_s as number;

const ours = await time(async () => {
  using nc = await openNetCDF(file, { inflate: "node" });
  return await nc.read("foot");
});

// zlib alone, main thread, into a fresh result each time (its pages are
// first touched by the inflate, as in openNetCDF).
const main = await time(() => {
  const out = new Uint8Array(cbytes * raws.length);
  const s = zlib.createInflate({ chunkSize: 64 }) as unknown as {
    _handle: { writeSync(...a: unknown[]): void; reset(): void };
  };
  for (let i = 0; i < raws.length; i++) {
    s._handle.reset();
    s._handle.writeSync(4, raws[i], 0, raws[i].byteLength, out, i * cbytes, cbytes);
  }
  return out;
});

const src = `import zlib from "node:zlib";
self.onmessage = (e) => {
  const { raws, cbytes } = e.data;
  for (const r of raws) zlib.inflateSync(r, { maxOutputLength: cbytes });
  self.postMessage(raws.length);
};`;
const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
const pool: Record<number, number> = {};
for (const n of [1, 2]) {
  const workers = Array.from({ length: n }, () => new Worker(url, { type: "module" }));
  const run = () =>
    Promise.all(workers.map((w, k) =>
      new Promise((res) => {
        w.onmessage = res;
        w.postMessage({ raws: raws.filter((_, i) => i % n === k), cbytes });
      })
    ));
  pool[n] = await time(run);
  workers.forEach((w) => w.terminate());
}

// What a Worker pool in openNetCDF would do: the main thread inflates in
// place while n Workers inflate other chunks into their own buffers, sent
// back (transferred) and copied into place; Worker start-up counted.
const one = `import zlib from "node:zlib";
self.onmessage = (e) => {
  const { raw, i, cbytes } = e.data;
  const b = zlib.inflateSync(raw, { maxOutputLength: cbytes });
  const ab = b.byteOffset === 0 && b.buffer.byteLength === b.byteLength ? b.buffer : b.slice().buffer;
  self.postMessage({ i, ab }, [ab]);
};`;
// A macrotask turn without setTimeout's clamping.
const channel = new MessageChannel();
const yieldTask = () =>
  new Promise<void>((r) => {
    channel.port1.onmessage = () => r();
    channel.port2.postMessage(0);
  });
const oneUrl = URL.createObjectURL(new Blob([one], { type: "text/javascript" }));
const mixed: Record<number, number> = {};
for (const n of [1, 2]) {
  mixed[n] = await time(async () => {
    const workers = Array.from({ length: n }, () => new Worker(oneUrl, { type: "module" }));
    const out = new Uint8Array(cbytes * raws.length);
    const s = zlib.createInflate({ chunkSize: 64 }) as unknown as {
      _handle: { writeSync(...a: unknown[]): void; reset(): void };
    };
    let next = 0;
    const feed = (w: Worker) =>
      new Promise<void>((res) => {
        const go = () => {
          if (next >= raws.length) return res();
          const i = next++;
          w.postMessage({ raw: raws[i], i, cbytes });
        };
        w.onmessage = (e) => {
          out.set(new Uint8Array(e.data.ab), e.data.i * cbytes);
          go();
        };
        go();
      });
    const done = Promise.all(workers.map(feed));
    while (next < raws.length) {
      const i = next++;
      s._handle.reset();
      s._handle.writeSync(4, raws[i], 0, raws[i].byteLength, out, i * cbytes, cbytes);
      await yieldTask(); // let Worker results land
    }
    await done;
    workers.forEach((w) => w.terminate());
  });
}
URL.revokeObjectURL(url);
URL.revokeObjectURL(oneUrl);
channel.port1.close();

const r = (x: number) => `${x.toFixed(3)} s (${(x / nc4).toFixed(2)})`;
console.log(
  `${path}: ${raws.length} chunks of ${cbytes} bytes, ${
    raws.reduce((a, b) => a + b.byteLength, 0)
  } deflated; median of ${reps}, × netCDF4-python`,
);
console.log(
  "| netCDF4-python | openNetCDF | zlib main thread, in place | zlib 1 Worker | zlib 2 Workers " +
    "| main + 1 Worker, start-up counted | main + 2 Workers, start-up counted |",
);
console.log(`|---|---|---|---|---|---|---|`);
console.log(
  `| ${r(nc4)} | ${r(ours)} | ${r(main)} | ${r(pool[1])} | ${r(pool[2])} | ${r(mixed[1])} | ${
    r(mixed[2])
  } |`,
);
console.log(
  `load average ${
    Deno.loadavg().map((x) => x.toFixed(1)).join(" ")
  }, ${navigator.hardwareConcurrency} cores`,
);
