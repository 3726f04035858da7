import assert from "node:assert/strict";
import { axis, decodeRaster, Footprints } from "../../src/stilt/mod.ts";
import { CorruptDataError, TruncatedDataError } from "../../mod.ts";
import { zipEntries, zipRead } from "../../src/_util/zip_reader.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

function grid() {
  return new Footprints({
    lat: new Float64Array([33, 33 + 1 / 12]),
    lon: new Float64Array([-15, -14.875, -14.75]),
    time: new Float64Array([Date.UTC(2018, 0, 1, 0), Date.UTC(2018, 0, 1, 3)]),
    values: new Float64Array([0, 1e-4, 2e-6, 0, 0, 3e-5, 1e-5, 0, 0, 0, 2e-5, 0]),
  });
}

Deno.test("Footprints selects slots, sums and averages over time", () => {
  const fp = grid();
  assert.deepEqual(fp.shape, [2, 2, 3]);
  assert.deepEqual(Array.from(fp.sel(new Date(Date.UTC(2018, 0, 1, 3)))), [1e-5, 0, 0, 0, 2e-5, 0]);
  assert.deepEqual(Array.from(fp.sel({ index: 0 })), [0, 1e-4, 2e-6, 0, 0, 3e-5]);
  assert.throws(() => fp.sel("2018-01-01T06:00Z"), InvalidArgumentError);
  assert.deepEqual(Array.from(fp.sum()), [1e-5, 1e-4, 2e-6, 0, 2e-5, 3e-5]);
  assert.deepEqual(Array.from(fp.mean()), [5e-6, 5e-5, 1e-6, 0, 1e-5, 1.5e-5]);
  assert.equal(fp.total(), 1e-5 + 1e-4 + 2e-6 + 2e-5 + 3e-5);
  assert.deepEqual(fp.dates.map((d) => d.toISOString()), [
    "2018-01-01T00:00:00.000Z",
    "2018-01-01T03:00:00.000Z",
  ]);
  assert.throws(
    () =>
      new Footprints({
        lat: new Float64Array(2),
        lon: new Float64Array(2),
        time: new Float64Array(1),
        values: new Float64Array(3),
      }),
    InvalidArgumentError,
  );
});

Deno.test("Footprints.toGeoJSON() writes a polygon per cell above the threshold", () => {
  const g = grid().toGeoJSON({ time: { index: 0 } });
  assert.equal(g.features.length, 3);
  const [w, s] = g.features[0].geometry.coordinates[0][0];
  assert.equal(w, -14.9375);
  assert.ok(Math.abs(s - (33 - 1 / 24)) < 1e-12);
  assert.equal(g.features[0].properties.value, 1e-4);
  assert.equal(grid().toGeoJSON({ time: { index: 0 }, threshold: 1e-5 }).features.length, 2);
});

Deno.test("Footprints.toPng() writes a valid RGBA PNG with the grid's size", async () => {
  const png = await grid().toPng();
  assert.deepEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  const dv = new DataView(png.buffer);
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  assert.deepEqual([dv.getUint32(16), dv.getUint32(20)], [3, 2]);
  assert.equal(png[24], 8);
  assert.equal(png[25], 6);
  assert.equal(new TextDecoder().decode(png.subarray(png.length - 8, png.length - 4)), "IEND");
});

Deno.test("decodeRaster() reads the viewer's big-endian raster and refuses short ones", () => {
  const dv = new DataView(new ArrayBuffer(64 + 6 * 8));
  [2, 3, 0, 9, 33, 33 + 1 / 12, -15, -14.75, 1, 2, 3, 4, 5, 9].forEach((v, i) =>
    dv.setFloat64(i * 8, v)
  );
  const bytes = new Uint8Array(dv.buffer);
  const r = decodeRaster(bytes);
  assert.deepEqual([r.nLat, r.nLon, r.min, r.max, r.latMin, r.lonMax], [2, 3, 0, 9, 33, -14.75]);
  assert.deepEqual(Array.from(r.values), [1, 2, 3, 4, 5, 9]);
  assert.throws(() => decodeRaster(bytes.subarray(0, 100)), TruncatedDataError);
  assert.throws(() => decodeRaster(bytes.subarray(0, 40)), TruncatedDataError);
  const bad = bytes.slice();
  new DataView(bad.buffer).setFloat64(0, 2.5);
  assert.throws(() => decodeRaster(bad), CorruptDataError);
  assert.deepEqual(Array.from(axis(-15, 34.875, 400).subarray(398)), [34.75, 34.875]);
});

Deno.test("zipEntries() and zipRead() read stored and deflated entries", async () => {
  // a zip written by Python's zipfile: a.txt stored, b.txt deflated
  const b64 =
    "UEsDBBQAAAAAAAAAIQCGphA2BQAAAAUAAAAFAAAAYS50eHRoZWxsb1BLAwQUAAAACAAAACEAr/47pQoAAAAQAAAABQAAAGIudHh0y0jNycnPgBNcAFBLAQIUAxQAAAAAAAAAIQCGphA2BQAAAAUAAAAFAAAAAAAAAAAAAACAAQAAAABhLnR4dFBLAQIUAxQAAAAIAAAAIQCv/julCgAAABAAAAAFAAAAAAAAAAAAAACAASgAAABiLnR4dFBLBQYAAAAAAgACAGYAAABVAAAAAAA=";
  const zip = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const entries = zipEntries(zip);
  assert.deepEqual(entries.map((e) => [e.name, e.method, e.size]), [["a.txt", 0, 5], [
    "b.txt",
    8,
    16,
  ]]);
  assert.equal(new TextDecoder().decode(await zipRead(zip, entries[0])), "hello");
  assert.equal(new TextDecoder().decode(await zipRead(zip, entries[1])), "hellohellohello\n");
  assert.throws(() => zipEntries(zip.subarray(0, 40)), CorruptDataError);
});
