// Concurrent downloads of one object (issue 22, item 1): into the same folder
// they share one transfer or both succeed, never returning a path whose file
// does not match the hash, never a raw ENOENT/EEXIST; into different folders
// sharing a cacheDir they never race on one temporary name; two processes
// downloading into one folder both end with the verified file.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { CarbonPortal } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
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

Deno.test("two processes downloading one object into one folder both end with the verified file, round after round", async () => {
  await using emu = await startEmulator();
  const u = emu.users[0];
  const o = emu.dataset.objects.find((o) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!;
  const root = await Deno.makeTempDir({ prefix: "icoscp-dl-procs-" });
  try {
    // the reference: one download in this process
    const cp = new CarbonPortal({
      portal: emu.endpoints,
      auth: { user: u.email, password: u.password },
    });
    const want = sha(await Deno.readFile(await (await cp.dobj(o.id)).download(join(root, "ref"))));
    const dir = join(root, "shared");
    const child = new URL("./_download_child.ts", import.meta.url).pathname;
    const config = JSON.stringify({
      endpoints: emu.endpoints,
      user: u.email,
      password: u.password,
      id: o.id,
      dir,
      sha: want,
      rounds: 25,
    });
    const run = () =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-net=127.0.0.1",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          child,
          config,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const outs = await Promise.all([run(), run()]);
    for (const [i, out] of outs.entries()) {
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.ok(out.success, `process ${i}:\n${text.slice(0, 3000)}`);
    }
    // nothing left but the file (no temporary files, no .part)
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [o.fileName]);
    assert.equal(sha(await Deno.readFile(join(dir, o.fileName))), want);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
