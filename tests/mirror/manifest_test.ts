// The mirror's manifest rewritten after every spec: records a run wrote
// before are copied from the file it wrote last, so the bytes must be those
// of a manifest written anew, whatever happened to the file in between.

import assert from "node:assert/strict";
import { join } from "node:path";
import { type Manifest, type ObjectRecord, writeManifest } from "../../src/mirror/_manifest.ts";
import { PackedInfo, TextStore } from "../../src/mirror/_objects.ts";
import { madeUpInfo } from "./_mirror_helpers.ts";

const info = (k: number) =>
  madeUpInfo(k, { spec: k % 3 ? "atcCo2L2DataObject" : "atcCh4L2DataObject" });

function manifest(): Manifest {
  return {
    format: "icoscp-mirror/1",
    compression: "zstd",
    shard: null,
    specs: Object.create(null),
    objects: Object.create(null),
  };
}

/** The same state in new objects: nothing placed, every record written anew. */
function copyOf(m: Manifest): Manifest {
  return JSON.parse(JSON.stringify(m));
}

const store = new TextStore();
const record = (k: number, rows = 8760): ObjectRecord => ({
  state: "fetched",
  rows,
  parts: [`spec=x/year=2022/part-${k % 4}.parquet`],
  info: new PackedInfo(info(k), store),
});

Deno.test("mirror manifest: a rewrite copies unchanged records and gives the bytes of a manifest written anew", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "_manifest.json");
    const fresh = join(dir, "fresh.json");
    const m = manifest();
    // specs finish one after another: each write adds records, replaces some
    for (let spec = 0; spec < 5; spec++) {
      for (let k = spec * 300; k < spec * 300 + 300; k++) m.objects[info(k).pid] = record(k);
      for (let k = 7; k < spec * 300; k += 97) m.objects[info(k).pid] = record(k, spec); // replaced
      if (spec === 3) delete m.objects[info(5).pid];
      m.specs[`spec${spec}`] = { key: `k${spec}`, parts: [] };
      const copied = writeManifest(path, m);
      assert.equal(writeManifest(fresh, copyOf(m)), 0);
      assert.equal(
        await Deno.readTextFile(path),
        await Deno.readTextFile(fresh),
        `after spec ${spec}`,
      );
      // the records written before and not replaced since are copied
      if (spec > 0) assert.ok(copied >= spec * 300 - 20, `${copied} copied after spec ${spec}`);
    }
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), JSON.parse(JSON.stringify(m)));

    // the file changed behind the run's back (same size, other bytes; then
    // removed): nothing is copied from it
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.replaceAll("Sample, S.", "Sampel, S."));
    m.objects[info(1).pid] = record(1, 1);
    assert.equal(writeManifest(path, m), 0, "nothing copied from a changed file");
    writeManifest(fresh, copyOf(m));
    assert.equal(await Deno.readTextFile(path), await Deno.readTextFile(fresh), "after a change");
    await Deno.remove(path);
    m.objects[info(2).pid] = record(2, 2);
    assert.equal(writeManifest(path, m), 0);
    writeManifest(fresh, copyOf(m));
    assert.equal(await Deno.readTextFile(path), await Deno.readTextFile(fresh), "after a removal");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
