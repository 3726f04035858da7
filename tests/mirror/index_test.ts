// The mirror's index past one row group, and the packed facts a run keeps:
// writeIndex is driven with more objects than one of its row groups holds
// (a mirror of that many objects would take a minute against the emulator),
// and the text a packed object writes is the text of its facts.

import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadataAsync, parquetReadObjects } from "npm:hyparquet@1.31.5";
import { writeIndex } from "../../src/mirror/_index.ts";
import { type ObjectInfo, PackedInfo, TextStore } from "../../src/mirror/_objects.ts";
import type { Manifest } from "../../src/mirror/_manifest.ts";
import { madeUpInfo } from "./_mirror_helpers.ts";

const COLUMNS = [{ name: "co2", kind: "float" as const, nullable: true }];

function info(k: number): ObjectInfo {
  const station = k % 7 === 0 ? "" : `S${k % 13}`;
  return madeUpInfo(k, {
    pid: `11676/${String((k * 7919) % 100_003).padStart(6, "0")}-${k}`,
    station,
    // a station's later objects (in selection order) carry another name:
    // its row takes the first object's
    stationName: station ? `${station} ${k < 6500 ? "first" : "later"} – “ü”` : "",
    country: station ? "SE" : "",
    lat: k % 11 === 0 ? null : 40 + (k % 29) * 0.5,
    lon: k % 11 === 0 ? null : -10 + (k % 31) * 0.75,
    samplingHeight: k % 3 ? 100 : null,
    next: k % 97 === 0 ? [`11676/next${k}`] : [],
    columns: COLUMNS,
  });
}

Deno.test("mirror index: objects past one row group, in pid order, stations from their first object, the bbox of all", async () => {
  const n = 4096 * 2 + 5;
  const infos = Array.from({ length: n }, (_, k) => info(k));
  const manifest: Manifest = {
    format: "icoscp-mirror/1",
    compression: "snappy",
    shard: null,
    specs: Object.create(null),
    objects: Object.create(null),
  };
  for (const o of infos.slice(0, 100)) {
    manifest.objects[o.pid] = { state: "fetched", rows: 12, parts: ["p/a.parquet"], info: o };
  }
  const out = await Deno.makeTempDir();
  try {
    const store = new TextStore(); // one store for all, as a run has: it grows many times
    const packed = infos.map((o) => new PackedInfo(o, store));
    assert.deepEqual(
      packed[6500 + 1].full(),
      infos[6500 + 1],
      "texts read back whole after growth",
    );
    await writeIndex(out, "", packed, manifest, "snappy");
    const file = await Deno.readFile(join(out, "index", "objects.parquet"));
    const buf = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    const meta = await parquetMetadataAsync(buf);
    assert.equal(meta.row_groups.length, 3, "three row groups of at most 4096 rows");
    const rows = await parquetReadObjects({
      file: buf,
      columns: ["pid", "rows", "parts", "latest"],
    });
    assert.equal(rows.length, n);
    const sorted = infos.map((o) => o.pid).sort();
    assert.deepEqual(rows.map((r) => r.pid), sorted);
    const byPid = new Map(rows.map((r) => [r.pid as string, r]));
    assert.equal(byPid.get(infos[5].pid)!.parts, "p/a.parquet");
    assert.equal(Number(byPid.get(infos[5].pid)!.rows), 12);
    assert.equal(Number(byPid.get(infos[500].pid)!.rows), 8760);
    assert.equal(byPid.get(infos[97].pid)!.latest, false);
    const geo = JSON.parse(meta.key_value_metadata!.find((kv) => kv.key === "geo")!.value!);
    const pts = infos.filter((o) => o.lat !== null);
    assert.deepEqual(geo.columns.geometry.bbox, [
      Math.min(...pts.map((o) => o.lon!)),
      Math.min(...pts.map((o) => o.lat!)),
      Math.max(...pts.map((o) => o.lon!)),
      Math.max(...pts.map((o) => o.lat!)),
    ]);

    const sfile = await Deno.readFile(join(out, "index", "stations.parquet"));
    const stations = await parquetReadObjects({
      file: sfile.buffer.slice(sfile.byteOffset, sfile.byteOffset + sfile.byteLength),
    });
    assert.equal(stations.length, 13);
    for (const s of stations) {
      const mine = infos.filter((o) => o.station === s.station);
      assert.equal(Number(s.objects), mine.length, `objects of ${s.station}`);
      assert.equal(s.name, mine[0].stationName, `name of ${s.station}`);
      assert.equal(s.lat, mine[0].lat);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("mirror: a packed object writes the text of its facts, and unpacks to them", () => {
  for (const k of [1, 7, 11, 97]) {
    const o = info(k);
    const p = new PackedInfo(o);
    assert.equal(
      JSON.stringify({ state: "fetched", info: p }, null, 1),
      JSON.stringify({ state: "fetched", info: o }, null, 1),
    );
    assert.deepEqual(p.full(), o);
    assert.equal(p.full().columns, COLUMNS, "columns stay shared");
    assert.deepEqual(
      [p.pid, p.spec, p.station, p.samplingHeight, p.rows, p.latest],
      [o.pid, o.spec, o.station, o.samplingHeight, o.rows, o.next.length === 0],
    );
  }
});
