// Every body has a bound (issue 22, item 4): a 206 body longer than the
// range asked for, an error page of any length and an object body longer
// than the object are read only as far as they are used. Each server body
// here is a lazy stream of up to 256 MiB counting what is pulled from it.

import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal, ServerError } from "../../mod.ts";
import { httpByteSource } from "../../src/netcdf/mod.ts";
import { type FakeObjects, fakePortal, fileObject } from "../_fake_portal.ts";

const CHUNK = 64 * 1024;

/** A body of `prefix` then filler bytes, `total` in all, made as it is pulled. */
function endless(prefix: Uint8Array, total = 256 << 20) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled >= total) return c.close();
      const piece = new Uint8Array(CHUNK).fill(0x41);
      if (pulled < prefix.length) piece.set(prefix.subarray(pulled, pulled + CHUNK));
      pulled += CHUNK;
      c.enqueue(piece);
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => pulled };
}

Deno.test("httpByteSource stops a 206 body at the length it asked for", async () => {
  const size = 1 << 20;
  let body: ReturnType<typeof endless> | undefined;
  const fetch = (_u: string | URL | Request, init?: RequestInit) => {
    const [, a, b] = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get("range")!)!;
    body = endless(new Uint8Array(0));
    return Promise.resolve(
      new Response(body.stream, {
        status: 206,
        headers: { "content-range": `bytes ${a}-${b}/${size}`, etag: '"v1"' },
      }),
    );
  };
  const source = await httpByteSource("https://example.org/f.nc", {
    client: new CarbonPortal({ fetch }),
    blockSize: 256 * 1024,
  });
  assert.equal(source.stats.requests, 1);
  assert.ok(body!.pulled() <= 256 * 1024 + CHUNK, `pulled ${body!.pulled()} bytes`);
  assert.ok(source.stats.bytes <= 256 * 1024, `kept ${source.stats.bytes}`);
});

Deno.test("an error page is read only as far as the 500 characters an error keeps", async () => {
  let body: ReturnType<typeof endless> | undefined;
  const fetch = () => {
    body = endless(new TextEncoder().encode("Internal error: "));
    return Promise.resolve(new Response(body.stream, { status: 500 }));
  };
  const cp = new CarbonPortal({ fetch, retry: { retries: 0 } });
  await assert.rejects(cp.request("https://data.icos-cp.eu/x"), (e) => {
    assert.ok(e instanceof ServerError, String(e));
    assert.ok(e.body.startsWith("Internal error: AAA"));
    assert.ok(e.body.length <= 500);
    return true;
  });
  assert.ok(body!.pulled() <= 4 * CHUNK, `pulled ${body!.pulled()} bytes`);
});

Deno.test("download() stops an object body at the object's known size", async () => {
  const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 255);
  const { id, entry } = await fileObject(bytes);
  const objects: FakeObjects = { [id]: entry };
  const portal = fakePortal(objects);
  let body: ReturnType<typeof endless> | undefined;
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const res = await portal.fetch(input, init);
    if (
      !/\/objects\/[\w-]{24}$/.test(String(input)) ||
      new URL(String(input)).host !== "data.icos-cp.eu"
    ) {
      return res;
    }
    // the object, then a long tail of other bytes (no Content-Length)
    body = endless(new Uint8Array(await res.arrayBuffer()));
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    return new Response(body.stream, { status: res.status, headers });
  };
  const cp = new CarbonPortal({ fetch, retry: { minDelay: 1 } });
  const dir = await Deno.makeTempDir({ prefix: "icoscp-dl-bound-" });
  try {
    const path = await (await cp.dobj(id)).download(dir);
    assert.deepEqual(await Deno.readFile(path), bytes);
    assert.equal(path, join(dir, "GAT_CO2.csv"));
    assert.ok(body!.pulled() <= bytes.length + 2 * CHUNK, `pulled ${body!.pulled()} bytes`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
