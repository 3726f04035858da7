// Downloads against the emulator: left-over `.part` files (complete, wrong,
// symlinked), unsafe names, existing targets and damaged cache entries.

import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal, CarbonPortalError, type Dobj } from "../../mod.ts";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";
import { sharedEmulator } from "../_shared_emulator.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

function client(emu: Emulator, fetch?: typeof globalThis.fetch) {
  const u = emu.users[0];
  return new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: u.email, password: u.password },
    retry: { minDelay: 1 },
    ...(fetch ? { fetch } : {}),
  });
}

async function setup(emu: Emulator, fetch?: typeof globalThis.fetch) {
  const o = emu.dataset.objects.find((o) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!;
  const d: Dobj = await client(emu, fetch).dobj(o.id);
  const dir = await Deno.makeTempDir({ prefix: "icoscp-dl-emu-" });
  const good = await d.download(join(dir, "reference"));
  return { o, d, dir, bytes: await Deno.readFile(good) };
}

Deno.test("download() finishes a complete .part left by a crash, and starts over from a wrong one", async () => {
  await using emu = await startEmulator();
  const { o, d, dir, bytes } = await setup(emu);
  try {
    // a crash after the last byte, before the rename
    const target = join(dir, "crash");
    await Deno.mkdir(target);
    await Deno.writeFile(join(target, `.${o.id}.part`), bytes);
    const path = await d.download(target);
    assert.deepEqual(await Deno.readFile(path), bytes);
    assert.deepEqual([...Deno.readDirSync(target)].map((e) => e.name), [o.fileName]);

    // a .part of the right size with the wrong bytes is replaced
    const wrong = join(dir, "wrong");
    await Deno.mkdir(wrong);
    await Deno.writeFile(join(wrong, `.${o.id}.part`), bytes.map((b) => b ^ 1));
    assert.deepEqual(await Deno.readFile(await d.download(wrong)), bytes);

    // a wrong Content-Length leaves all bytes on disk and the transfer failed:
    // the resumed range starts at the end (416), which must not stick forever
    emu.faults.add({ path: `/data/objects/${o.id}`, contentLengthDelta: 10, times: 1 });
    const cl = join(dir, "cl");
    assert.deepEqual(await Deno.readFile(await d.download(cl)), bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download() verifies and finishes a complete file when the metadata's size is wrong", async () => {
  const emu = await sharedEmulator();
  // the landing page claims 100 bytes more than the file has
  const cp = client(emu, async (input, init) => {
    const res = await fetch(input, init);
    if (!String(input).includes("/meta/objects/")) return res;
    const meta = await res.json();
    return Response.json({ ...meta, size: meta.size + 100 });
  });
  const o = emu.dataset.objects.find((o) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!;
  const d = await cp.dobj(o.id);
  const dir = await Deno.makeTempDir({ prefix: "icoscp-dl-emu-" });
  try {
    const path = await d.download(dir);
    assert.equal((await Deno.stat(path)).size, o.size);
    assert.equal(d.size, o.size + 100);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download() never writes through a symlinked .part and refuses unsafe names", async () => {
  const emu = await sharedEmulator();
  let disposition: string | undefined;
  const { o, d, dir, bytes } = await setup(emu, async (input, init) => {
    const res = await fetch(input, init);
    if (disposition === undefined || !String(input).includes("/data/objects/")) return res;
    const headers = new Headers(res.headers);
    headers.set("content-disposition", `attachment; filename="${disposition}"`);
    return new Response(res.body, { status: res.status, headers });
  });
  try {
    const victim = join(dir, "victim.txt");
    await Deno.writeTextFile(victim, "precious");
    const target = join(dir, "link");
    await Deno.mkdir(target);
    await Deno.symlink(victim, join(target, `.${o.id}.part`));
    assert.deepEqual(await Deno.readFile(await d.download(target)), bytes);
    assert.equal(await Deno.readTextFile(victim), "precious");

    for (const bad of ["", ".", "..", "a/..", "../"]) {
      await assert.rejects(
        d.download(join(dir, "named"), { fileName: bad }),
        InvalidArgumentError,
        bad,
      );
    }
    for (const bad of ["..", ".", "x/.."]) {
      disposition = bad;
      const err = await d.download(join(dir, "served", "inner")).catch((e) => e);
      assert.ok(err instanceof CarbonPortalError, `${bad}: ${err}`);
      assert.match(err.message, /Unsafe file name/);
    }
    assert.deepEqual([...Deno.readDirSync(join(dir, "served"))].map((e) => e.name), ["inner"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download() replaces an existing target and re-verifies a cache entry before using it", async () => {
  const emu = await sharedEmulator();
  const { o, d, dir, bytes } = await setup(emu);
  try {
    const target = join(dir, "existing");
    await Deno.mkdir(target);
    await Deno.writeTextFile(join(target, o.fileName), "old content");
    const path = await d.download(target);
    assert.deepEqual(await Deno.readFile(path), bytes);

    const cacheDir = join(dir, "cache");
    await d.download(join(dir, "first"), { cacheDir });
    const [entry] = [...Deno.readDirSync(cacheDir)].map((e) => e.name);
    const damaged = bytes.slice();
    damaged[100] ^= 0xff;
    await Deno.writeFile(join(cacheDir, entry), damaged);
    const second = await d.download(join(dir, "second"), { cacheDir });
    assert.deepEqual(await Deno.readFile(second), bytes);
    assert.deepEqual(
      await Deno.readFile(join(cacheDir, entry)),
      bytes,
      "the cache entry is repaired",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
