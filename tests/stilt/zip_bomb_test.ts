// A STILT results package whose footprint entry declares a few bytes but
// inflates to 256 MiB: the read stops at the declared size, typed, without
// holding the inflated bytes.

import assert from "node:assert/strict";
import { constants, deflateRawSync, inflateRawSync } from "node:zlib";
import { CarbonPortal, CorruptDataError } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";

/**
 * Raw deflate of `mib` MiB of zeros without deflating them all: one MiB is
 * deflated once with a full flush (byte-aligned, no reference to earlier
 * data), repeated `mib` times, and closed by an empty final block.
 */
function deflatedZeros(mib: number): Uint8Array {
  const block = deflateRawSync(new Uint8Array(1 << 20), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const out = new Uint8Array(block.length * mib + 2);
  for (let i = 0; i < mib; i++) out.set(block, i * block.length);
  out.set([0x03, 0x00], block.length * mib); // final empty block (fixed Huffman)
  return out;
}

Deno.test("the repeated deflate block inflates to that many MiB of zeros", () => {
  const z = inflateRawSync(deflatedZeros(3));
  assert.equal(z.length, 3 << 20);
  assert.ok(z.every((b) => b === 0));
});

/** A one-entry ZIP whose entry declares `size` bytes. */
function zipOf(name: string, data: Uint8Array, size: number): Uint8Array {
  const n = new TextEncoder().encode(name);
  const local = new Uint8Array(30 + n.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint16(8, 8, true);
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, size, true);
  lv.setUint16(26, n.length, true);
  local.set(n, 30);
  const central = new Uint8Array(46 + n.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(20, data.length, true);
  cv.setUint32(24, size, true);
  cv.setUint16(28, n.length, true);
  cv.setUint32(42, 0, true);
  central.set(n, 46);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length + data.length, true);
  const zip = new Uint8Array(local.length + data.length + central.length + end.length);
  zip.set(local, 0);
  zip.set(data, local.length);
  zip.set(central, local.length + data.length);
  zip.set(end, local.length + data.length + central.length);
  return zip;
}

Deno.test("a zip-bomb STILT package fails typed at its declared size, without the inflated bytes", async () => {
  await using emu = await startEmulator();
  const bomb = zipOf("GAT344_2016_5_footprint.nc", deflatedZeros(256), 1000);
  assert.ok(bomb.length < 2 << 20, `${bomb.length} bytes`);
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
    fetch: async (input, init) => {
      // the service's answer to packaging, without building a real package first
      if (String(input).includes("/joinfootprints?")) {
        return Response.json(["GAT344/GAT344_2016-05-10_2016-05-10_bomb.zip"]);
      }
      if (String(input).includes("/downloadresults/")) {
        return new Response(bomb as Uint8Array<ArrayBuffer>, {
          headers: { "content-type": "application/zip" },
        });
      }
      return await fetch(input, init);
    },
  });
  const gat = await cp.stilt.get("GAT344");
  // memory outside the JS heap of this isolate (array buffers), sampled while
  // the call runs: rss would count the other test modules of a parallel run
  const before = Deno.memoryUsage().external;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, Deno.memoryUsage().external)), 2);
  const err = await gat.getFp("2016-05-10", "2016-05-10", { via: "netcdf" }).catch((e) => e);
  clearInterval(sampler);
  const grown = Math.max(peak, Deno.memoryUsage().external) - before;
  assert.ok(err instanceof CorruptDataError, String(err));
  assert.match(err.message, /inflates past its declared 1000 bytes/);
  assert.ok(grown < 64 << 20, `external memory grew by ${grown >> 20} MiB`);
});
