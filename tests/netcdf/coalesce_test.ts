// Remote NetCDF-4 reads fetch the chunks a read needs together: chunks that
// lie close are merged into one range request, and the requests of one read
// go out at once (HttpByteSource.prefetch, called by the reader), within the
// cache bound.

import assert from "node:assert/strict";
import { CarbonPortal } from "../../mod.ts";
import { encodeNetcdf4 } from "../../src/codecs/mod.ts";
import { httpByteSource, openNetCDF } from "../../src/netcdf/mod.ts";

/** A file of 12 steps × 40 × 50 floats in chunks of 1 × 10 × 10 (20 chunks a step, 400 bytes each). */
function chunkedFile(): { bytes: Uint8Array; values: Float32Array } {
  const values = Float32Array.from({ length: 12 * 40 * 50 }, (_, i) => Math.sin(i) * 100);
  const bytes = encodeNetcdf4({
    dimensions: [{ name: "time", size: 12 }, { name: "y", size: 40 }, { name: "x", size: 50 }],
    variables: [
      {
        name: "time",
        type: "double",
        dimensions: ["time"],
        data: Array.from({ length: 12 }, (_, i) => i),
      },
      {
        name: "y",
        type: "double",
        dimensions: ["y"],
        data: Array.from({ length: 40 }, (_, i) => i),
      },
      {
        name: "x",
        type: "double",
        dimensions: ["x"],
        data: Array.from({ length: 50 }, (_, i) => i),
      },
      {
        name: "v",
        type: "float",
        dimensions: ["time", "y", "x"],
        data: values,
        chunkSizes: [1, 10, 10],
      },
    ],
  });
  return { bytes, values };
}

/** A Range server over bytes, counting requests and the most in flight at once. */
function server(file: Uint8Array) {
  const c = { requests: 0, inFlight: 0, maxInFlight: 0 };
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    c.requests++;
    c.inFlight++;
    c.maxInFlight = Math.max(c.maxInFlight, c.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    c.inFlight--;
    const [, a, b] = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get("range")!)!;
    const end = Math.min(Number(b) + 1, file.byteLength);
    return new Response(file.slice(Number(a), end), {
      status: 206,
      headers: { "content-range": `bytes ${a}-${end - 1}/${file.byteLength}`, etag: '"x"' },
    });
  };
  return { c, cp: new CarbonPortal({ fetch }) };
}

Deno.test("remote chunked reads: close chunks in one request, the rest at once; the same values", async () => {
  const { bytes, values } = chunkedFile();
  const expected = new Float32Array(12 * 40 * 10);
  for (let t = 0; t < 12; t++) {
    for (let y = 0; y < 40; y++) {
      for (let x = 0; x < 10; x++) {
        expected[(t * 40 + y) * 10 + x] = values[(t * 40 + y) * 50 + 20 + x];
      }
    }
  }
  const read = async (coalesceGap: number) => {
    const { c, cp } = server(bytes);
    // small blocks so that the read-ahead alone would not cover the chunks
    const src = await httpByteSource("https://example.org/f.nc", {
      client: cp,
      blockSize: 1024,
      maxReadAhead: 1024,
      coalesceGap,
    });
    using nc = await openNetCDF(src);
    const before = c.requests;
    const got = await nc.read("v", { start: [0, 0, 20], count: [12, 40, 10] }); // 48 chunks
    return { got, requests: c.requests - before, maxInFlight: c.maxInFlight };
  };
  const apart = await read(0);
  const merged = await read(64 * 1024);
  assert.deepEqual(apart.got, expected);
  assert.deepEqual(merged.got, expected);
  assert.ok(merged.requests < apart.requests / 4, `${merged.requests} vs ${apart.requests}`);
  assert.ok(apart.maxInFlight > 1, "the chunks of one read are requested together");
  console.log(
    `48 chunks: ${apart.requests} requests apart (up to ${apart.maxInFlight} at once), ${merged.requests} coalesced`,
  );
});
