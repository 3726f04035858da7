import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal, IntegrityError, type Progress } from "../../mod.ts";
import { atcObject, type FakeObjects, fakePortal, fileObject } from "../_fake_portal.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

function fileBytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 255);
}

async function setup(n = 50_000, faults = {}) {
  const { id, entry } = await fileObject(fileBytes(n));
  const objects: FakeObjects = { [id]: entry };
  const portal = fakePortal(objects, { files: faults });
  const cp = new CarbonPortal({ fetch: portal.fetch, retry: { minDelay: 1 } });
  return { id, cp, portal, bytes: entry.file };
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "icoscp-dl-" });
}

Deno.test("Dobj.download() writes the verified file under the portal's name and reports progress", async () => {
  const { id, cp, bytes } = await setup();
  const dir = await tempDir();
  try {
    const seen: Progress[] = [];
    const path = await (await cp.dobj(id)).download(dir, { onProgress: (p) => seen.push(p) });
    assert.equal(path, join(dir, "GAT_CO2.csv"));
    assert.deepEqual(await Deno.readFile(path), bytes);
    assert.deepEqual(seen.at(-1), { received: bytes.length, total: bytes.length });
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["GAT_CO2.csv"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Dobj.download() deletes a corrupted body and throws an IntegrityError", async () => {
  const { id, cp } = await setup(20_000, { corrupt: true });
  const dir = await tempDir();
  try {
    await assert.rejects((await cp.dobj(id)).download(dir), (e) => {
      assert.ok(e instanceof IntegrityError);
      assert.match(e.message, /does not match its hash/);
      assert.notEqual(e.actual, e.expected);
      return true;
    });
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Dobj.download() resumes a dropped connection with a Range request", async () => {
  const { id, cp, portal, bytes } = await setup(100_000, { dropAfter: 30_000, drops: 2 });
  const dir = await tempDir();
  try {
    const path = await (await cp.dobj(id)).download(dir);
    assert.deepEqual(await Deno.readFile(path), bytes);
    const gets = portal.requests.filter((r) =>
      r.url.startsWith("https://data.icos-cp.eu/objects/")
    );
    assert.equal(gets.length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Dobj.download() continues an interrupted download left on disk", async () => {
  const { id, cp, bytes } = await setup(60_000, { dropAfter: 20_000, drops: 10 });
  const dir = await tempDir();
  try {
    const d = await cp.dobj(id);
    await assert.rejects(d.download(dir, { retries: 0 }));
    const part = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(part, [`.${id}.part`]);
    assert.equal((await Deno.stat(join(dir, part[0]))).size, 20_000);
    const path = await d.download(dir, { retries: 5 });
    assert.deepEqual(await Deno.readFile(path), bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Dobj.download() starts over when the server ignores the Range", async () => {
  const { id, cp, bytes } = await setup(40_000, { dropAfter: 10_000, drops: 1, ignoreRange: true });
  const dir = await tempDir();
  try {
    const path = await (await cp.dobj(id)).download(dir);
    assert.deepEqual(await Deno.readFile(path), bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Dobj.download() with a cache folder makes the second download free", async () => {
  const { id, cp, portal, bytes } = await setup();
  const dir = await tempDir();
  try {
    const cacheDir = join(dir, "cache");
    const d = await cp.dobj(id);
    await d.download(join(dir, "a"), { cacheDir });
    const before = portal.requests.length;
    const path = await d.download(join(dir, "b"), { cacheDir, fileName: "copy.csv" });
    assert.equal(portal.requests.length, before);
    assert.equal(path, join(dir, "b", "copy.csv"));
    assert.deepEqual(await Deno.readFile(path), bytes);
    assert.deepEqual([...Deno.readDirSync(cacheDir)].map((e) => e.name), [d.meta.hash]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Dobj.fileStream() yields verified bytes and errors on a corrupted body", async () => {
  const good = await setup(30_000, { dropAfter: 8_000, drops: 1 });
  const got = new Uint8Array(
    await new Response((await good.cp.dobj(good.id)).fileStream()).arrayBuffer(),
  );
  assert.deepEqual(got, good.bytes);
  const bad = await setup(30_000, { corrupt: true });
  await assert.rejects(
    new Response((await bad.cp.dobj(bad.id)).fileStream()).arrayBuffer(),
    IntegrityError,
  );
});

Deno.test("Dobj.getCsv() sends columns, offset and limit as query parameters", async () => {
  const id = "IM7PJYcuhiBpHtvEVuLhVk2M";
  const entry = { ...atcObject(id), csv: "TIMESTAMP,co2\n2016-05-10T00:00:00Z,\n" };
  const portal = fakePortal({ [id]: entry });
  const cp = new CarbonPortal({ fetch: portal.fetch });
  const text = await (await cp.dobj(id)).getCsv({
    columns: ["TIMESTAMP", "co2"],
    offset: 0,
    limit: 1,
  });
  assert.equal(text, "TIMESTAMP,co2\n2016-05-10T00:00:00Z,\n");
  assert.equal(
    portal.requests.at(-1)!.url,
    `https://data.icos-cp.eu/csv/${id}?col=TIMESTAMP&col=co2&offset=0&limit=1`,
  );
});

Deno.test("CarbonPortal.batchGetColumns() fetches objects of one spec in order with a progress callback", async () => {
  const ids = ["AAAAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBBBB", "CCCCCCCCCCCCCCCCCCCCCCCC"];
  const objects: FakeObjects = Object.fromEntries(ids.map((id) => [id, atcObject(id)]));
  const portal = fakePortal(objects);
  const cp = new CarbonPortal({ fetch: portal.fetch });
  const progress: string[] = [];
  const result = await cp.batchGetColumns(ids, {
    columns: ["co2"],
    concurrency: 2,
    onProgress: (done, total) => progress.push(`${done}/${total}`),
  });
  assert.deepEqual(result.map((r) => r.dobj.id), ids);
  assert.deepEqual(Object.keys(result[2].columns), ["Flag", "co2"]);
  assert.deepEqual(progress, ["1/3", "2/3", "3/3"]);
});

Deno.test("CarbonPortal.batchGetColumns() names the objects of mixed dataset specs", async () => {
  const a = atcObject("AAAAAAAAAAAAAAAAAAAAAAAA");
  const b = atcObject("BBBBBBBBBBBBBBBBBBBBBBBB");
  b.meta.specification = {
    ...b.meta.specification,
    self: { uri: "http://x/spec/etcFluxes", label: "ETC" },
  };
  const cp = new CarbonPortal({
    fetch: fakePortal({ [a.meta.pid.slice(6)]: a, [b.meta.pid.slice(6)]: b }).fetch,
  });
  await assert.rejects(
    cp.batchGetColumns(["AAAAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBBBB"]),
    (e) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.match(e.message, /common dataset specification/);
      assert.match(e.message, /etcFluxes: BBBBBBBBBBBBBBBBBBBBBBBB/);
      assert.match(e.message, /atcCo2L2DataObject: AAAAAAAAAAAAAAAAAAAAAAAA/);
      return true;
    },
  );
});
