import assert from "node:assert/strict";
import { decodeCpbFile } from "../../src/cpb/cpb.ts";
import { buildDataset, objectIdOf } from "../mod.ts";
import { javaInstant, javaNumber } from "../_java_text.ts";

Deno.test("buildDataset() is deterministic: same seed, same ids; another seed, other ids", async () => {
  const a = await buildDataset({ seed: 1 });
  const b = await buildDataset({ seed: 1 });
  const c = await buildDataset({ seed: 2 });
  assert.deepEqual(a.objects.map((o) => o.id), b.objects.map((o) => o.id));
  assert.deepEqual(a.collections.map((o) => o.id), b.collections.map((o) => o.id));
  const dataIds = (d: typeof a) => d.objects.filter((o) => o.kind === "data").map((o) => o.id);
  assert.equal(dataIds(a).filter((id) => dataIds(c).includes(id)).length, 0);
});

Deno.test("buildDataset() mints ids from the SHA-256 of the file bytes", async () => {
  const ds = await buildDataset();
  for (const o of ds.objects) {
    assert.equal(o.hash.length, 43);
    assert.equal(o.hash.slice(0, 24), o.id);
    assert.equal(await objectIdOf(o.file()), o.id);
  }
});

Deno.test("buildDataset() derives collection ids from the sorted member hashes", async () => {
  const ds = await buildDataset();
  const c = ds.collections[0];
  const hashes = c.members.map((m) => ds.objects.find((o) => o.id === m)!.hash).sort();
  const bin = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => {
    const s = h.replaceAll("-", "+").replaceAll("_", "/") + "=";
    bin.set(Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0)), i * 32);
  });
  assert.equal(await objectIdOf(bin), c.id);
});

Deno.test("buildDataset() stores cpb columns sorted by label that decode back to the values", async () => {
  const ds = await buildDataset();
  const etc = ds.objects.find((o) => o.spec === "etcFluxnetProduct")!;
  const labels = etc.columns!.map((c) => c.label);
  assert.deepEqual(labels, [...labels].sort());
  const cols = decodeCpbFile(etc.cpb(), {
    columns: etc.columns!.map((c) => c.type),
    size: etc.nRows!,
    labels,
  });
  for (const c of etc.columns!) assert.deepEqual(cols[c.label], c.values);
  assert.equal(
    etc.cpb().length,
    etc.columns!.reduce((s, c) => s + c.values.BYTES_PER_ELEMENT * etc.nRows!, 0) + 10,
  );
});

Deno.test("buildDataset() makes plausible CO2 series with seasons, gaps and bad flags", async () => {
  const ds = await buildDataset();
  const o = ds.objects.find((x) => x.spec === "atcCo2L2DataObject" && x.station === "AS_HTM")!;
  const co2 = o.columns!.find((c) => c.label === "co2")!.values;
  const flag = Array.from(
    o.columns!.find((c) => c.label === "Flag")!.values,
    (c) => String.fromCharCode(c),
  );
  const mean = (from: number, to: number) => {
    let s = 0;
    let n = 0;
    for (let i = from; i < to; i++) {
      if (flag[i] === "O" && !Number.isNaN(co2[i])) {
        s += co2[i];
        n++;
      }
    }
    return s / n;
  };
  const april = mean(90 * 24, 120 * 24);
  const august = mean(213 * 24, 243 * 24);
  assert.ok(april > 405 && april < 440, `April mean ${april}`);
  assert.ok(april - august > 8, `seasonal cycle ${april - august}`);
  assert.ok(flag.includes("K") && flag.includes("N"));
  assert.ok(Number.isNaN(co2[flag.indexOf("N")]));
  const night = mean(0, 8760); // sanity: finite
  assert.ok(Number.isFinite(night));
});

Deno.test("buildDataset() builds benchmark objects only when asked, with lazy binary tables", async () => {
  const ds = await buildDataset({ benchmarkRows: [5000] });
  const b = ds.objects.find((o) => o.fileName.includes("BENCHMARK"))!;
  assert.equal(b.nRows, 5000);
  assert.deepEqual(b.columns!.map((c) => c.label), ["Flag", "TIMESTAMP", "co2"]);
  assert.equal(b.file().length, b.size);
  assert.equal(await objectIdOf(b.file()), b.id);
  assert.equal(b.cpb().length, 5000 * (2 + 8 + 4) + 10);
  assert.equal((await buildDataset()).objects.some((o) => o.fileName.includes("BENCHMARK")), false);
  await assert.rejects(buildDataset({ benchmarkRows: [0] }), RangeError);
});

Deno.test("the CSV formatting follows Java's Float.toString and Instant.toString", () => {
  assert.equal(javaNumber(Math.fround(405.585), true), "405.585");
  assert.equal(javaNumber(1e-6, false), "1.0E-6");
  assert.equal(javaNumber(Math.fround(12345678), true), "1.2345678E7");
  assert.equal(javaNumber(-9.99, false), "-9.99");
  assert.equal(javaNumber(70, true), "70.0");
  assert.equal(javaNumber(0.001, false), "0.001");
  assert.equal(javaInstant(Date.UTC(2016, 4, 10)), "2016-05-10T00:00:00Z");
  assert.equal(javaInstant(Date.UTC(2016, 4, 10, 0, 0, 0, 500)), "2016-05-10T00:00:00.500Z");
});

Deno.test("buildDataset() with the default seed makes the pinned objects, versions and collections", async () => {
  // Pinned from the generator itself: any change to the table, a generator or
  // the file layout changes the bytes and so these ids.
  const ds = await buildDataset();
  assert.deepEqual(ds.objects.map((o) => o.id), [
    "IZyu-Jki_0Mr4VwRse4W4_r8",
    "Ru6zho3pX3d3AYHv1oGwtgsG",
    "i-DU1wKp4vryRkMJYe0SkM3T",
    "iI9rE78ZvKiLwqZyGtECXBL4",
    "-8cGOA_X4pKR2q0bDNcNFaaN",
    "CXd0TIou5jI_m_-ek10du6da",
    "swbT8QuFoRgVLynlnN9AVvvm",
    "xh5Ys-AfaK6ia7Ed-T2VKsTm",
    "5njnvx2VY4d9rrOQgc6b8A6e",
    "R17m-Kccetj7cyRbM9URHTdQ",
    "s45ACnyQEgJfLvfMNVX_zwZp",
    "SJpHp9ofWxvov2NQiIIot9w3",
    "b_UgCuWlsCZDopa9bdXufTRL",
  ]);
  assert.deepEqual(
    ds.objects.filter((o) => o.nextVersion).map((o) => [o.id, o.nextVersion]),
    [["IZyu-Jki_0Mr4VwRse4W4_r8", "Ru6zho3pX3d3AYHv1oGwtgsG"]],
  );
  assert.deepEqual(ds.collections.map((c) => [c.id, c.members]), [
    ["ciVuBzYuTuT4Lv564tmsbo4v", [
      "Ru6zho3pX3d3AYHv1oGwtgsG",
      "iI9rE78ZvKiLwqZyGtECXBL4",
      "-8cGOA_X4pKR2q0bDNcNFaaN",
      "CXd0TIou5jI_m_-ek10du6da",
      "i-DU1wKp4vryRkMJYe0SkM3T",
    ]],
    ["IeQVNE9kALjvDLLex0KZ5_ob", [
      "xh5Ys-AfaK6ia7Ed-T2VKsTm",
      "iI9rE78ZvKiLwqZyGtECXBL4",
      "R17m-Kccetj7cyRbM9URHTdQ",
    ]],
    ["NrZG7inI7I3O5DIX4qL-LvJY", ["ciVuBzYuTuT4Lv564tmsbo4v", "IeQVNE9kALjvDLLex0KZ5_ob"]],
    ["1f26SFmh_zVYOWh8JxtCucM5", [
      "s45ACnyQEgJfLvfMNVX_zwZp",
      "SJpHp9ofWxvov2NQiIIot9w3",
      "b_UgCuWlsCZDopa9bdXufTRL",
      "5njnvx2VY4d9rrOQgc6b8A6e",
    ]],
  ]);
});
