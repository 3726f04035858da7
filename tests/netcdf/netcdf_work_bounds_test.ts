// Every read has a work bound, not only a memory bound (issue 22, item 5):
// chunk records that overlap in the file are refused, and the chunks one
// read decodes are bounded by maxBytes (or 64 times the result).

import assert from "node:assert/strict";
import { DecodeError, LimitExceededError, openNetCDF, UnsupportedFormatError } from "../../mod.ts";
import { encodeNetcdf4 } from "../../src/codecs/netcdf4_writer.ts";

/** Offsets of the zlib streams (header 0x78 0x01/5e/9c/da) in `b`. */
function zlibStarts(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < b.length; i++) {
    if (b[i] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(b[i + 1])) out.push(i);
  }
  return out;
}

/** Offsets where the 8-byte little-endian `value` is stored in `b`. */
function addressesOf(b: Uint8Array, value: number): number[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 8 <= b.length; i++) {
    if (dv.getUint32(i, true) === value && dv.getUint32(i + 4, true) === 0) out.push(i);
  }
  return out;
}

Deno.test("chunk records that point at the same bytes are refused (a typed error)", async () => {
  // two chunks with the same values: two identical deflate streams
  const half = Array.from({ length: 512 }, (_, i) => Math.sin(i));
  const bytes = encodeNetcdf4({
    dimensions: [{ name: "x", size: 1024 }],
    variables: [
      {
        name: "x",
        type: "int",
        dimensions: ["x"],
        data: Array.from({ length: 1024 }, (_, i) => i),
      },
      {
        name: "v",
        type: "double",
        dimensions: ["x"],
        data: [...half, ...half],
        chunkSizes: [512],
        deflateLevel: 6,
      },
    ],
  });
  const intact = await openNetCDF(bytes);
  assert.deepEqual(Array.from(await intact.read("v") as Float64Array), [...half, ...half]);
  // the streams of v's two chunks: the last two zlib headers with one content
  const starts = zlibStarts(bytes);
  const [a, b] = starts.slice(-2);
  assert.ok(a !== undefined && b !== undefined && a < b, `zlib streams at ${starts}`);
  const refs = addressesOf(bytes, b);
  assert.equal(refs.length, 1, `chunk address ${b} stored once`);
  const patched = bytes.slice();
  new DataView(patched.buffer).setUint32(refs[0], a, true);
  const f = await openNetCDF(patched);
  await assert.rejects(f.read("v"), (e) => {
    assert.ok(e instanceof DecodeError, String(e));
    assert.match((e as Error).message, /overlap/);
    return true;
  });
});

Deno.test("the chunks one read decodes are bounded by maxBytes or 64 times the result", async () => {
  const rows = 256, cols = 4096;
  const data = new Float64Array(rows * cols).map((_, i) => i % 977);
  const bytes = encodeNetcdf4({
    dimensions: [{ name: "y", size: rows }, { name: "x", size: cols }],
    variables: [
      {
        name: "y",
        type: "int",
        dimensions: ["y"],
        data: Array.from({ length: rows }, (_, i) => i),
      },
      {
        name: "x",
        type: "int",
        dimensions: ["x"],
        data: Array.from({ length: cols }, (_, i) => i),
      },
      {
        name: "v",
        type: "double",
        dimensions: ["y", "x"],
        data,
        chunkSizes: [1, cols],
        deflateLevel: 1,
      },
    ],
  });
  const f = await openNetCDF(bytes);
  // one column: 2 KiB of result, 256 chunks of 32 KiB (8 MiB) decoded
  const column = { start: [0, 5], count: [rows, 1] };
  await assert.rejects(f.read("v", { ...column, maxBytes: 1 << 20 }), (e) => {
    assert.ok(e instanceof LimitExceededError, String(e));
    assert.match((e as Error).message, /decodes 256 chunks/);
    return true;
  });
  const got = await f.read("v", { ...column, maxBytes: 16 << 20 });
  assert.deepEqual(
    Array.from(got as Float64Array),
    Array.from({ length: rows }, (_, r) => (r * cols + 5) % 977),
  );
  // a whole row decodes what it returns
  const row = await f.read("v", { start: [3, 0], count: [1, cols], maxBytes: 1 << 20 });
  assert.equal(row.length, cols);
});

/** A CDF-5 file: one dimension `x` of `dimLen`, one byte variable `v(x)` of 16 bytes. */
function cdf5(dimLen: bigint): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) =>
    parts.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  const u64 = (v: bigint) => {
    u32(Number(v >> 32n));
    u32(Number(v & 0xffffffffn));
  };
  const name = (s: string) => {
    u64(BigInt(s.length));
    for (const c of s) parts.push(c.charCodeAt(0));
    while (parts.length % 4) parts.push(0);
  };
  parts.push(67, 68, 70, 5); // "CDF" 5
  u64(0n); // records
  u32(10), u64(1n), name("x"), u64(dimLen); // dimensions
  u32(0), u64(0n); // no global attributes
  u32(11), u64(1n), name("v"), u64(1n), u64(0n); // v(x)
  u32(0), u64(0n), u32(1), u64(16n); // no attributes, byte, vsize
  const beginAt = parts.length;
  u64(0n);
  const b = new Uint8Array(parts.length + 16);
  b.set(parts);
  new DataView(b.buffer).setBigUint64(beginAt, BigInt(parts.length));
  return b;
}

Deno.test("a dimension above 2^53 is a typed error at open, not a RangeError on read", async () => {
  const ok = await openNetCDF(cdf5(16n));
  assert.equal((await ok.read("v")).length, 16);
  await assert.rejects(openNetCDF(cdf5(2n ** 60n)), (e) => {
    assert.ok(e instanceof UnsupportedFormatError, String(e));
    assert.match((e as Error).message, /Dimension x has length .* 2\^53/);
    return true;
  });
});

Deno.test("read() stops between chunks when its signal aborts (a time budget is AbortSignal.timeout)", async () => {
  const rows = 64, cols = 4096;
  const bytes = encodeNetcdf4({
    dimensions: [{ name: "y", size: rows }, { name: "x", size: cols }],
    variables: [
      {
        name: "y",
        type: "int",
        dimensions: ["y"],
        data: Array.from({ length: rows }, (_, i) => i),
      },
      {
        name: "x",
        type: "int",
        dimensions: ["x"],
        data: Array.from({ length: cols }, (_, i) => i),
      },
      {
        name: "v",
        type: "double",
        dimensions: ["y", "x"],
        data: new Float64Array(rows * cols).map((_, i) => i % 977),
        chunkSizes: [1, cols],
        deflateLevel: 1,
      },
    ],
  });
  // a source that answers asynchronously and counts the chunk reads after the metadata
  let reads = 0, counting = false;
  const ac = new AbortController();
  const source = {
    byteLength: bytes.byteLength,
    async slice(start: number, end: number) {
      await new Promise((r) => setTimeout(r, 0));
      if (counting && ++reads === 3) ac.abort(new Error("enough"));
      return bytes.slice(start, end);
    },
  };
  const f = await openNetCDF(source);
  counting = true;
  await assert.rejects(f.read("v", { signal: ac.signal }), /enough/);
  assert.ok(reads < rows / 2, `${reads} reads before stopping`);
  await assert.rejects(
    f.read("v", { signal: AbortSignal.timeout(0) }),
  );
  reads = 0;
  counting = false;
  assert.equal((await f.read("v")).length, rows * cols);
});
