// Concurrent downloads of one object (issue 22, item 1): into the same folder
// they share one transfer or both succeed, never returning a path whose file
// does not match the hash, never a raw ENOENT/EEXIST; into different folders
// sharing a cacheDir they never race on one temporary name.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { CarbonPortal } from "../../mod.ts";
import { type FakeObjects, fakePortal, fileObject } from "../_fake_portal.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function setup() {
  const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >> 9)) & 255);
  const { id, entry } = await fileObject(bytes);
  const objects: FakeObjects = { [id]: entry };
  const portal = fakePortal(objects);
  // bodies arrive in pieces, with pauses, so transfers interleave
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const res = await portal.fetch(input, init);
    if (!/\/objects\//.test(String(input)) || new URL(String(input)).host !== "data.icos-cp.eu") {
      return res;
    }
    const all = new Uint8Array(await res.arrayBuffer());
    let o = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        if (o >= all.length) return c.close();
        c.enqueue(all.slice(o, o + 16384));
        o += 16384;
      },
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };
  return { id, bytes, cp: new CarbonPortal({ fetch, retry: { minDelay: 1 } }), portal };
}

Deno.test("concurrent download() calls of one object into one folder all return the verified file", async () => {
  const { id, bytes, cp } = await setup();
  const dobj = await cp.dobj(id);
  const root = await Deno.makeTempDir({ prefix: "icoscp-dl-many-" });
  try {
    for (let round = 0; round < 12; round++) {
      const dir = join(root, `r${round % 3}`); // folders reused: existing files replaced
      const results = await Promise.allSettled(
        Array.from(
          { length: 8 },
          (_, i) => dobj.download(dir, i % 4 === 3 ? { fileName: "other.csv" } : {}),
        ),
      );
      for (const r of results) {
        assert.equal(r.status, "fulfilled", r.status === "rejected" ? String(r.reason?.stack) : "");
        const path = (r as PromiseFulfilledResult<string>).value;
        assert.equal(sha(await Deno.readFile(path)), sha(bytes), `round ${round}: ${path}`);
      }
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(names, ["GAT_CO2.csv", "other.csv"], `round ${round}: left ${names}`);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("concurrent download() calls into different folders sharing a cacheDir all succeed", async () => {
  const { id, bytes, cp } = await setup();
  const dobj = await cp.dobj(id);
  const root = await Deno.makeTempDir({ prefix: "icoscp-dl-cache-" });
  try {
    const cacheDir = join(root, "cache");
    for (let round = 0; round < 8; round++) {
      if (round % 2 === 0) await Deno.remove(cacheDir, { recursive: true }).catch(() => {});
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => dobj.download(join(root, `d${i}`), { cacheDir })),
      );
      for (const r of results) {
        assert.equal(r.status, "fulfilled", r.status === "rejected" ? String(r.reason?.stack) : "");
        const path = (r as PromiseFulfilledResult<string>).value;
        assert.equal(sha(await Deno.readFile(path)), sha(bytes), `round ${round}: ${path}`);
      }
      const cached = [...Deno.readDirSync(cacheDir)].map((e) => e.name);
      assert.equal(cached.length, 1, `cache holds ${cached}`);
      assert.equal(sha(await Deno.readFile(join(cacheDir, cached[0]))), sha(bytes));
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
