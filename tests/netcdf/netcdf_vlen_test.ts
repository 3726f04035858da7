// What real files hold besides plain numbers (issue 22, item 9):
// variable-length sequences, compounds with string and sequence members,
// HDF5 arrays of strings, attributes of compound and variable-length types,
// and N-bit data of reduced precision written by libhdf5 itself. The files
// and what netCDF4-python / h5py read from them are committed
// (tests/testdata/netcdf/golden/vlen, written by gen_vlen.py and
// gen_vlen_c.c); with the peers present, a second test writes them afresh
// and compares again.

import assert from "node:assert/strict";
import { type NetCDFFile, openNetCDF } from "../../src/netcdf/mod.ts";
import { CorruptDataError, LimitExceededError } from "../../src/errors.ts";
import { parseNetCDFTable } from "../../src/originals/mod.ts";
import { generatedFiles, goldenFiles, peerTest } from "../_peers.ts";

type Described =
  | { type: string; values: unknown[] }
  | { strings: string[] }
  | { vlen: Described[] }
  | { members: Record<string, Described> };

interface Expected {
  variables: Record<string, Described>;
  attributes: Record<string, Described>;
}

const CODES: Record<string, string> = {
  Int8Array: "i1",
  Uint8Array: "u1",
  Int16Array: "i2",
  Uint16Array: "u2",
  Int32Array: "i4",
  Uint32Array: "u4",
  BigInt64Array: "i8",
  BigUint64Array: "u8",
  Float32Array: "f4",
  Float64Array: "f8",
};

/** Our value in the generator's JSON form. */
function describe(x: unknown): Described {
  if (ArrayBuffer.isView(x)) {
    const values = Array.from(
      x as unknown as ArrayLike<number | bigint>,
      (v) => typeof v === "bigint" ? String(v) : Number.isNaN(v) ? null : v,
    );
    return { type: CODES[x.constructor.name] ?? x.constructor.name, values };
  }
  if (Array.isArray(x)) {
    if (x.length > 0 && x.every((s) => typeof s === "string")) return { strings: x };
    return { vlen: x.map(describe) };
  }
  if (x && typeof x === "object") {
    const members: Record<string, Described> = {};
    for (const [k, v] of Object.entries(x)) members[k] = describe(v);
    return { members };
  }
  throw new Error(`not a value: ${String(x)}`);
}

async function readAll(nc: NetCDFFile, path: string): Promise<unknown> {
  return nc.variable(path).type === "compound" ? await nc.readCompound(path) : await nc.read(path);
}

function attribute(nc: NetCDFFile, key: string): unknown {
  const [path, name] = key.split("@");
  const attrs = path === "" ? nc.attributes : nc.variable(path).attributes;
  return attrs[name];
}

/** Every variable and attribute the peer listed reads as the peer read it. */
async function compareFolder(dir: string): Promise<number> {
  let n = 0;
  for (const name of ["vlen_h5py.h5", "vlen_nc4.nc", "strings_c.h5", "nbit_c.h5"]) {
    const json = `${dir}/${name.replace(/\.\w+$/, ".json")}`;
    let expected: Expected;
    try {
      expected = JSON.parse(await Deno.readTextFile(json));
    } catch {
      continue; // a writer that was not available (skipped.txt)
    }
    using nc = await openNetCDF(`${dir}/${name}`);
    for (const [path, want] of Object.entries(expected.variables)) {
      assert.deepEqual(describe(await readAll(nc, path)), want, `${name} ${path}`);
      n++;
    }
    for (const [key, want] of Object.entries(expected.attributes)) {
      assert.deepEqual(describe(attribute(nc, key)), want, `${name} attribute ${key}`);
      n++;
    }
  }
  return n;
}

Deno.test("sequences, compounds with strings, arrays of strings, compound and sequence attributes and reduced-precision N-bit read as netCDF4-python and h5py give them", async () => {
  const dir = await goldenFiles("gen_vlen.py");
  assert.ok(await compareFolder(dir) >= 25);
});

Deno.test(
  peerTest(
    "gen_vlen.py's files, written afresh, read as the peers read them now",
    { python: ["numpy", "h5py", "netCDF4"] },
    async () => {
      assert.ok(await compareFolder(await generatedFiles("gen_vlen.py")) >= 20);
    },
  ),
);

Deno.test("sequences and arrays of strings read in boxes", async () => {
  const dir = await goldenFiles("gen_vlen.py");
  {
    using nc = await openNetCDF(`${dir}/vlen_h5py.h5`);
    const v = nc.variable("seq_i4");
    assert.equal(v.type, "vlen");
    assert.deepEqual(await nc.read("seq_i4", { start: [2], count: [2] }), [
      new Int32Array([-7]),
      Int32Array.from({ length: 10 }, (_, i) => i * 1000),
    ]);
    // a chunked, deflated 2-D sequence variable, one chunk's corner
    const box = await nc.read("seq_f8_2d", { start: [1, 1], count: [1, 2] }) as Float64Array[];
    assert.deepEqual(box.map((a) => a.length), [4, 5]);
    const members = nc.variable("records").members!;
    assert.deepEqual(
      members.map((m) => `${m.name}:${m.type}×${m.count}`),
      ["a:int×1", "s:string×1", "vs:string×1", "seq:vlen×1", "arr:short×2", "c:char×1"],
    );
    const rec = await nc.readCompound("records_gz", { start: [4], count: [2] });
    assert.deepEqual(rec.vs, ["", "a rather longer string"]);
    // decoded values count against maxBytes
    await assert.rejects(() => nc.read("seq_i4", { maxBytes: 80 }), LimitExceededError);
  }
  {
    using nc = await openNetCDF(`${dir}/strings_c.h5`);
    const v = nc.variable("fixed_arr2d");
    assert.deepEqual([v.type, v.shape], ["string", [2, 2, 2, 2]]);
    assert.deepEqual(
      await nc.read("fixed_arr2d", { start: [1, 0, 0, 1], count: [1, 2, 2, 1] }),
      ["j9", "l1", "n3", "p5"],
    );
    assert.deepEqual(await nc.read("vlen_arr", { start: [1, 1], count: [2, 1] }), [
      "h\u00e9llo",
      "z",
    ]);
  }
});

Deno.test("a sequence pointing outside the global heap is a typed error, the rest still reads", async () => {
  const dir = await goldenFiles("gen_vlen.py");
  const bytes = await Deno.readFile(`${dir}/vlen_h5py.h5`);
  // Every global heap collection's first object claims to be 2^40 bytes long.
  const b = bytes.slice();
  let hit = 0;
  for (let i = 0; i + 32 < b.length; i++) {
    if (b[i] === 0x47 && b[i + 1] === 0x43 && b[i + 2] === 0x4f && b[i + 3] === 0x4c) {
      new DataView(b.buffer).setBigUint64(i + 24, 1n << 40n, true);
      hit++;
    }
  }
  assert.ok(hit > 0);
  using nc = await openNetCDF(b);
  await assert.rejects(() => nc.read("seq_i4"), CorruptDataError);
  // the compound attribute lost its heap: dropped, not thrown
  assert.equal(nc.attributes.compound_attr, undefined);
  assert.deepEqual(
    await nc.readCompound("nested", {}).catch((e) => e.constructor.name),
    "CorruptDataError",
  );
});

Deno.test("CF attributes of compound or sequence type are ignored by decoding, and a table header shows them as text", async () => {
  const dir = await goldenFiles("gen_vlen.py");
  using nc = await openNetCDF(`${dir}/vlen_h5py.h5`);
  const attrs = nc.variable("odd_cf_attrs").attributes;
  assert.ok(!ArrayBuffer.isView(attrs.scale_factor) && typeof attrs.scale_factor === "object");
  assert.deepEqual(attrs.add_offset, [new Int16Array([0, 1]), new Int16Array([-5, -4, -3])]);
  assert.deepEqual(
    await nc.read("odd_cf_attrs", { decoded: true }),
    new Float32Array([1, 2, 3]),
  );
  // a table of the file: sequences and compounds are left out (named in
  // `variables`), a compound attribute is its members as JSON
  const t = await parseNetCDFTable(await Deno.readFile(`${dir}/vlen_nc4.nc`));
  assert.equal(
    t.header.rec_attr,
    '{"id":[1,2],"name":[97,98,0,0,119,120,121,122],"w":[0.5,1.5]}',
  );
  assert.deepEqual(t.header.variables, ["seq", "seq_t", "rec"]);
});
