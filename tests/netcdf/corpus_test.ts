// The corpus comparer itself (tests/corpus/): element-by-element rules,
// per-file results that never throw, the score and the CI gate; then a
// tiny corpus written by ncgen, compared with netCDF4-python end to end.
// The full corpus runs in CI with .ci/corpus.sh.

import assert from "node:assert/strict";
import {
  compareFile,
  compareValue,
  expectedFrom,
  family,
  type FileResult,
  gate,
  type PeerManifest,
  score,
} from "../corpus/_compare.ts";
import { compareCorpus } from "../corpus/compare.ts";
import { peerTest, python } from "../_peers.ts";

// CDF-1: dimension x = 3, variable `short v(x)` = 1, 2, 3 (as in src/netcdf/netcdf_file.ts)
const tiny = new Uint8Array([
  67,
  68,
  70,
  1,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  10,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  1,
  120,
  0,
  0,
  0,
  0,
  0,
  0,
  3,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  11,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  1,
  118,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  3,
  0,
  0,
  0,
  8,
  0,
  0,
  0,
  80,
  0,
  1,
  0,
  2,
  0,
  3,
  0,
  0,
]);

const bins = (map: Record<string, ArrayBufferView>) => (name: string) =>
  Promise.resolve(new Uint8Array(map[name].buffer.slice(0)));

function manifest(variables: PeerManifest["variables"]): PeerManifest {
  return { peer: "netCDF4", error: null, variables };
}

const shortV = { path: "v", kind: "numeric", dtype: "<i2", shape: [3], bin: "0.bin" } as const;

Deno.test("corpus: values compare element by element, NaN equal to NaN, types exact", async () => {
  const load = bins({
    f: new Float64Array([1, NaN, -0]),
    i: new Int8Array([1, 2]),
    s: new Uint8Array([97, 0, 98, 0]),
  });
  const f8 = { kind: "numeric", dtype: "<f8", bin: "f" } as const;
  assert.equal(await compareValue(new Float64Array([1, NaN, 0]), f8, load), undefined);
  assert.match(
    (await compareValue(new Float64Array([1, 2, 0]), f8, load))!,
    /1 of 3 values differ, first at 1: ours 2, peer NaN/,
  );
  assert.match((await compareValue(new Float32Array([1, NaN, 0]), f8, load))!, /type Float32/);
  const u1 = { kind: "numeric", dtype: "|u1", bin: "i" } as const;
  assert.match((await compareValue(new Int8Array([1, 2]), u1, load))!, /type Int8Array.*Uint8/);
  assert.match((await compareValue(new Uint8Array([1]), u1, load))!, /1 values, peer 2/);
  const str = { kind: "string", dtype: "|S2", bin: "s", strings: ["a", "b"] } as const;
  assert.equal(await compareValue(["a", "b"], str, load), undefined);
  assert.match((await compareValue(["a", "c"], str, load))!, /ours "c", peer "b"/);
  assert.equal(await compareValue(new Uint8Array([97, 0, 98, 0]), str, load), undefined);
  assert.match((await compareValue(undefined, str, load))!, /type undefined/);
  const cmp = { kind: "compound", members: [{ name: "a", ...f8 }] } as const;
  assert.equal(await compareValue({ a: new Float64Array([1, NaN, 0]) }, cmp, load), undefined);
  assert.match((await compareValue(new Float64Array(3), cmp, load))!, /compound read as/);
  assert.match((await compareValue({}, cmp, load))!, /member a missing/);
  const vlen = { kind: "vlen", lists: [[1], [2, 3]] } as const;
  const lists = [new Int32Array([1]), new Int32Array([2, 3])];
  assert.equal(await compareValue(lists, vlen, load), undefined);
  assert.match((await compareValue([[1], [2, 4]], vlen, load))!, /element 1/);
  assert.equal(await compareValue(new Float32Array(0), { kind: "null" }, load), undefined);
  assert.match((await compareValue(new Float32Array(1), { kind: "null" }, load))!, /null/);
});

Deno.test("corpus: one file's variables are correct, wrong, ours only, missing or our errors, never a throw", async () => {
  const load = bins({ "0.bin": new Int16Array([1, 2, 3]), "1.bin": new Int16Array([1, 2, 4]) });
  const ok = await compareFile("a.nc", tiny, manifest([shortV]), load);
  assert.deepEqual(ok, {
    key: "a.nc",
    family: "classic",
    peer: "netCDF4",
    variables: [{ path: "v", status: "correct" }],
  });
  const bad = await compareFile(
    "a.nc",
    tiny,
    manifest([{ ...shortV, bin: "1.bin" }, { ...shortV, path: "w" }, {
      ...shortV,
      path: "x",
      kind: "other",
      error: "peer: no",
    }, { ...shortV, path: "y", shape: [4] }]),
    load,
  );
  assert.deepEqual(bad.variables.map((v) => v.status), [
    "wrong",
    "missing",
    "peer-error",
    "missing",
  ]);
  const shape = await compareFile("a.nc", tiny, manifest([{ ...shortV, shape: [2] }]), load);
  assert.match(shape.variables[0].reason!, /shape \[3\], peer \[2\]/);
  const extra = await compareFile("a.nc", tiny, manifest([]), load);
  assert.deepEqual(extra.variables, [
    { path: "v", status: "extra", reason: "not listed by the peer" },
  ]);
  const cut = await compareFile("a.nc", tiny.slice(0, 30), manifest([shortV]), load);
  assert.equal(cut.variables[0].status, "our-error");
  assert.match(cut.variables[0].reason!, /^TruncatedDataError/);
  assert.equal(family(new Uint8Array([0x89, 72, 68, 70, 13, 10, 26, 10])), "hdf5");
  assert.equal(family(new Uint8Array(600).fill(1, 0, 512).fill(0, 512)), "other");
});

const file = (key: string, fam: "classic" | "hdf5", ...statuses: string[]): FileResult => ({
  key,
  family: fam,
  peer: "netCDF4",
  variables: statuses.map((s, i) => ({
    path: `v${i}`,
    status: s as FileResult["variables"][0]["status"],
    ...(s === "correct" ? {} : { reason: `because ${i}` }),
  })),
});

Deno.test("corpus: the score counts what the peer read, classic and HDF5 apart", () => {
  const s = score([
    file("a", "classic", "correct", "wrong"),
    file("b", "hdf5", "correct", "our-error", "missing", "peer-error", "extra"),
  ]);
  assert.deepEqual(
    [s.files, s.correct, s.total, s.classic, s.hdf5],
    [2, 2, 5, { correct: 1, total: 2 }, { correct: 1, total: 3 }],
  );
});

Deno.test("corpus: the gate fails on a regression, a fixed variable still listed, a changed status, a smaller corpus", () => {
  const base = [file("a", "classic", "correct", "wrong"), file("b", "hdf5", "our-error")];
  const expected = expectedFrom(base);
  assert.deepEqual(expected.notCorrect, {
    a: { v1: { status: "wrong", reason: "because 1" } },
    b: { v0: { status: "our-error", reason: "because 0" } },
  });
  assert.deepEqual(gate(base, expected), []);
  // the message of a listed failure may change, its status may not
  const reworded = [file("a", "classic", "correct", "wrong"), file("b", "hdf5", "our-error")];
  reworded[1].variables[0].reason = "other words";
  assert.deepEqual(gate(reworded, expected), []);
  assert.match(
    gate([file("a", "classic", "wrong", "wrong"), base[1]], expected).join(),
    /^regression: a v0 is wrong/,
  );
  assert.match(
    gate([file("a", "classic", "correct", "correct"), base[1]], expected).join(),
    /^now correct: a v1 \(was wrong\): run --update/,
  );
  assert.match(
    gate([base[0], file("b", "hdf5", "wrong")], expected).join(),
    /^changed: b v0 was our-error, now wrong/,
  );
  const shrunk = gate([base[0]], expected);
  assert.match(shrunk.join("\n"), /corpus shrank: 1 files, expected 2/);
  assert.match(shrunk.join("\n"), /gone: b is no longer in the corpus/);
  assert.match(
    gate([...base, file("c", "hdf5", "missing")], expected).join(),
    /regression: c v0 is missing/,
  );
});

Deno.test(peerTest(
  "corpus: a tiny corpus by ncgen compared with netCDF4-python end to end, peer dumps cached",
  { python: ["netCDF4", "numpy"], tools: ["ncgen"] },
  async () => {
    const cache = await Deno.makeTempDir({ prefix: "icoscp-corpus-" });
    try {
      const files = `${cache}/files/tools`;
      await Deno.mkdir(files, { recursive: true });
      const cdl = new URL("../corpus/cdl/classic.cdl", import.meta.url).pathname;
      for (const k of ["nc3", "nc7"]) {
        const out = await new Deno.Command("ncgen", {
          args: ["-k", k, "-o", `${files}/classic_${k}.nc`, cdl],
        }).output();
        assert.ok(out.success, new TextDecoder().decode(out.stderr));
      }
      const bytes = await Deno.readFile(`${files}/classic_nc3.nc`);
      await Deno.writeFile(`${files}/copy.nc`, bytes); // same bytes: compared once
      await Deno.writeFile(`${files}/truncated.nc`, bytes.slice(0, 600));
      await Deno.writeFile(`${files}/garbage.nc`, new Uint8Array(64).fill(7));
      const first = await compareCorpus(cache, python);
      assert.equal(first.duplicates, 1);
      const byKey = Object.fromEntries(first.results.map((r) => [r.key, r]));
      assert.deepEqual(Object.keys(byKey), [
        "tools/classic_nc3.nc",
        "tools/classic_nc7.nc",
        "tools/garbage.nc",
        "tools/truncated.nc",
      ]);
      for (const k of ["tools/classic_nc3.nc", "tools/classic_nc7.nc"]) {
        const r = byKey[k];
        assert.equal(r.variables.length, 11, k);
        assert.deepEqual(r.variables.filter((v) => v.status !== "correct"), [], k);
      }
      assert.equal(byKey["tools/classic_nc7.nc"].family, "hdf5");
      assert.match(byKey["tools/garbage.nc"].peerError!, /netCDF4: OSError/);
      assert.deepEqual(byKey["tools/garbage.nc"].variables, []);
      const s = score(first.results);
      assert.deepEqual([s.classic, s.hdf5], [{ correct: 11, total: 11 }, {
        correct: 11,
        total: 11,
      }]);
      const expected = expectedFrom(first.results);
      assert.deepEqual(gate(first.results, expected), []);
      // a second run reuses the dumps: tamper with one and watch the comparison see it
      let tampered = 0;
      for (const e of Deno.readDirSync(`${cache}/peer`)) {
        const dump = `${cache}/peer/${e.name}`;
        const m = JSON.parse(await Deno.readTextFile(`${dump}/manifest.json`)) as PeerManifest;
        const counts = m.variables.find((v) => v.path === "counts" && v.bin);
        if (!counts) continue;
        const values = await Deno.readFile(`${dump}/${counts.bin}`);
        values[0] ^= 1;
        await Deno.writeFile(`${dump}/${counts.bin}`, values);
        tampered++;
      }
      assert.ok(tampered >= 2);
      const second = await compareCorpus(cache, python);
      const problems = gate(second.results, expected).join("\n");
      assert.match(problems, /regression: tools\/classic_nc3.nc counts is wrong: 1 of 12 values/);
      assert.match(problems, /regression: tools\/classic_nc7.nc counts is wrong/);
    } finally {
      await Deno.remove(cache, { recursive: true });
    }
  },
));
