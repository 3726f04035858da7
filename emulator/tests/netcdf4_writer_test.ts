import assert from "node:assert/strict";
import { encodeNetcdf4, type Netcdf4File } from "../../src/codecs/netcdf4_writer.ts";
import { lookup3 } from "../../src/codecs/_hdf5_bytes.ts";
import { realFixture, withRealFixtures } from "../../tests/_fixtures.ts";
import { type Needs, peerTest, python } from "../../tests/_peers.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

// Reference readers (peers): ncdump and h5dump from Debian's netcdf-bin and
// hdf5-tools, netCDF4 + h5py + numpy in the Python named by ICOSCP_PYTHON.
// A missing peer skips its test with the reason, unless ICOSCP_REQUIRE_PEERS=1
// (CI): then the test runs and fails.

const CHECK_SCRIPT = new URL("./netcdf4_check.py", import.meta.url).pathname;

const NEEDS: Record<"ncdump" | "h5dump" | "python", Needs> = {
  ncdump: { tools: ["ncdump"] },
  h5dump: { tools: ["h5dump"] },
  python: { python: ["netCDF4", "h5py", "numpy"] },
};

function peerCase(name: string, needs: (keyof typeof NEEDS)[], fn: () => Promise<void>): void {
  Deno.test(
    peerTest(name, {
      tools: needs.flatMap((n) => NEEDS[n].tools ?? []),
      python: needs.flatMap((n) => NEEDS[n].python ?? []),
    }, fn),
  );
}

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const td = new TextDecoder();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed: ${td.decode(out.stderr)}`);
  return td.decode(out.stdout);
}

function f64Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i], true);
  return bytes;
}

/** A STILT-shaped footprint file with `nt` time steps and a deterministic sparse foot field. */
function footprintFile(nt: number): { file: Netcdf4File; foot: Float64Array; time: number[] } {
  const lat = Float64Array.from({ length: 480 }, (_, j) => 33 + j / 12);
  const lon = Float64Array.from({ length: 400 }, (_, i) => -15 + i / 8);
  const time = Array.from({ length: nt }, (_, k) => 4725.75 + k / 8);
  const foot = new Float64Array(nt * 480 * 400);
  for (let k = 0; k < foot.length; k++) {
    if (k % 613 === 0 || k % 1999 === 7) foot[k] = ((k * 2654435761) % 1000003) * 1.25e-10;
  }
  const file: Netcdf4File = {
    dimensions: [
      { name: "lon", size: 400 },
      { name: "lat", size: 480 },
      { name: "time", size: nt, unlimited: true },
    ],
    variables: [
      {
        name: "lon",
        type: "double",
        dimensions: ["lon"],
        data: lon,
        attributes: { units: "degrees_east", long_name: "longitude" },
      },
      {
        name: "lat",
        type: "double",
        dimensions: ["lat"],
        data: lat,
        attributes: { units: "degrees_north", long_name: "latitude" },
      },
      {
        name: "time",
        type: "double",
        dimensions: ["time"],
        data: time,
        attributes: { units: "days since 2000-01-01 00:00:00 UTC", long_name: "release time" },
      },
      {
        name: "foot",
        type: "double",
        dimensions: ["time", "lat", "lon"],
        data: foot,
        chunkSizes: [1, 480, 400],
        deflateLevel: 9,
        attributes: {
          units: "ppm per (micromol m-2 s-1)",
          _FillValue: -1e30,
          long_name: "footprint",
        },
      },
    ],
    attributes: {
      backtime: "240 hours",
      description: "test footprints",
      latstart: 46.55,
      aglstart: Int32Array.of(720),
    },
  };
  return { file, foot, time };
}

Deno.test(
  withRealFixtures("lookup3() reproduces the checksum of the real footprint's root object header"),
  async () => {
    const d = await Deno.readFile(
      realFixture("stiltweb/foot2012x12x08x18x46.55Nx007.98Ex00720_aggreg.nc"),
    );
    const rootAddress = 96; // from its version-0 superblock
    assert.equal(new TextDecoder().decode(d.subarray(rootAddress, rootAddress + 4)), "OHDR");
    const flags = d[rootAddress + 5];
    assert.equal(flags & 0x33, 0, "1-byte chunk size, no times, default phase change");
    const size = d[rootAddress + 6];
    const end = rootAddress + 7 + size;
    const stored = new DataView(d.buffer, d.byteOffset).getUint32(end, true);
    assert.equal(lookup3(d.subarray(rootAddress, end)), stored);
  },
);

Deno.test("lookup3() gives Jenkins' published hashlittle values", () => {
  const enc = new TextEncoder();
  assert.equal(lookup3(new Uint8Array(0)), 0xdeadbeef);
  assert.equal(lookup3(enc.encode("Four score and seven years ago")), 0x17770551);
  assert.equal(lookup3(enc.encode("Four score and seven years ago"), 1), 0xcd628161);
});

Deno.test("encodeNetcdf4() writes a version-0 superblock whose end-of-file address is the length", () => {
  const { file } = footprintFile(2);
  const bytes = encodeNetcdf4(file);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(bytes[8], 0, "superblock version 0");
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  assert.equal(Number(view.getBigUint64(40, true)), bytes.length);
  assert.equal(new TextDecoder().decode(bytes.subarray(96, 100)), "OHDR");
});

Deno.test("encodeNetcdf4() is deterministic", () => {
  const a = encodeNetcdf4(footprintFile(3).file);
  const b = encodeNetcdf4(footprintFile(3).file);
  assert.deepEqual(a, b);
});

Deno.test("encodeNetcdf4() rejects a dimension without coordinate variable and a wrong data length", () => {
  assert.throws(
    () =>
      encodeNetcdf4({
        dimensions: [{ name: "x", size: 2 }],
        variables: [{ name: "v", type: "double", dimensions: ["x"], data: [1, 2] }],
      }),
    InvalidArgumentError,
  );
  assert.throws(
    () =>
      encodeNetcdf4({
        dimensions: [{ name: "x", size: 2 }],
        variables: [{ name: "x", type: "double", dimensions: ["x"], data: [1, 2, 3] }],
      }),
    /has 3 values/,
  );
});

peerCase(
  "encodeNetcdf4() output reads in ncdump with the STILT footprint's dimensions and attributes",
  ["ncdump"],
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/foot.nc`;
      await Deno.writeFile(path, encodeNetcdf4(footprintFile(1).file));
      const header = await run("ncdump", ["-hs", path]);
      assert.match(
        header,
        /\tlon = 400 ;\n\tlat = 480 ;\n\ttime = UNLIMITED ; \/\/ \(1 currently\)/,
      );
      assert.match(header, /double foot\(time, lat, lon\) ;/);
      assert.match(header, /foot:units = "ppm per \(micromol m-2 s-1\)" ;/);
      assert.match(header, /foot:_FillValue = -1\.e\+30 ;/);
      assert.match(header, /foot:_ChunkSizes = 1, 480, 400 ;/);
      assert.match(header, /foot:_DeflateLevel = 9 ;/);
      assert.match(header, /time:units = "days since 2000-01-01 00:00:00 UTC" ;/);
      assert.match(header, /:backtime = "240 hours" ;/);
      assert.match(header, /:aglstart = 720 ;/);
      assert.match(header, /:latstart = 46\.55 ;/);
      assert.match(header, /:_Format = "netCDF-4" ;/);
      assert.doesNotMatch(header, /DIMENSION_LIST|REFERENCE_LIST|CLASS|_Netcdf4Dimid/);
      const time = await run("ncdump", ["-v", "time", path]);
      assert.match(time, /time = 4725\.75 ;/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

peerCase(
  "encodeNetcdf4() output passes h5dump with dimension scales and a chunked deflated foot",
  ["h5dump"],
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/foot.nc`;
      await Deno.writeFile(path, encodeNetcdf4(footprintFile(2).file));
      const dump = await run("h5dump", ["-H", "-p", "-A", path]);
      assert.match(
        dump,
        /DATASPACE {2}SIMPLE \{ \( 2, 480, 400 \) \/ \( H5S_UNLIMITED, 480, 400 \) \}/,
      );
      assert.match(dump, /CHUNKED \( 1, 480, 400 \)/);
      assert.match(dump, /COMPRESSION DEFLATE \{ LEVEL 9 \}/);
      assert.match(dump, /\(0\): \(DATASET \d+ "\/time"\), \(DATASET \d+ "\/lat"\),/);
      assert.match(dump, /"DIMENSION_SCALE"/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

for (const nt of [1, 70]) {
  peerCase(
    `encodeNetcdf4() with ${nt} time steps reads back every value in netCDF4-python and h5py`,
    ["python"],
    async () => {
      const dir = await Deno.makeTempDir();
      try {
        const { file, foot, time } = footprintFile(nt);
        const path = `${dir}/foot.nc`;
        await Deno.writeFile(path, encodeNetcdf4(file));
        await Deno.writeFile(`${dir}/foot.f64`, f64Bytes(foot));
        await Deno.writeFile(`${dir}/time.f64`, f64Bytes(time));
        const out = JSON.parse(
          await run(python, [
            CHECK_SCRIPT,
            path,
            `foot=${dir}/foot.f64`,
            `time=${dir}/time.f64`,
          ]),
        );
        assert.equal(out.format, "NETCDF4");
        assert.deepEqual(out.dimensions, {
          lon: { size: 400, unlimited: false },
          lat: { size: 480, unlimited: false },
          time: { size: nt, unlimited: true },
        });
        assert.deepEqual(Object.keys(out.variables), ["lon", "lat", "time", "foot"]);
        const f = out.variables.foot;
        assert.deepEqual(f.dimensions, ["time", "lat", "lon"]);
        assert.deepEqual(f.chunking, [1, 480, 400]);
        assert.equal(f.zlib, true);
        assert.equal(f.complevel, 9);
        assert.deepEqual(f.attributes._FillValue, { dtype: "float64", values: [-1e30] });
        assert.equal(out.variables.time.attributes.units, "days since 2000-01-01 00:00:00 UTC");
        assert.deepEqual(out.attributes.aglstart, { dtype: "int32", values: [720] });
        assert.equal(out.attributes.backtime, "240 hours");
        assert.equal(out.compare.foot.equal, true, "every foot value");
        assert.equal(out.compare.foot.count, nt * 480 * 400);
        assert.equal(out.compare.time.equal, true, "every time value");
        assert.deepEqual(out.h5py.foot.scales, [["/time"], ["/lat"], ["/lon"]]);
        assert.deepEqual(out.h5py.time.maxshape, [null]);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
}

peerCase(
  "encodeNetcdf4() writes float and int variables and a float _FillValue that netCDF4-python reads",
  ["python"],
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/small.nc`;
      await Deno.writeFile(
        path,
        encodeNetcdf4({
          dimensions: [{ name: "station", size: 3 }, { name: "hour", size: 5 }],
          variables: [
            { name: "station", type: "int", dimensions: ["station"], data: [7, 8, 9] },
            { name: "hour", type: "double", dimensions: ["hour"], data: [0, 3, 6, 9, 12] },
            {
              name: "co2",
              type: "float",
              dimensions: ["station", "hour"],
              data: Array.from({ length: 15 }, (_, i) => 400 + i / 4),
              attributes: { _FillValue: -9999, units: "ppm" },
              chunkSizes: [2, 2],
              deflateLevel: 1,
            },
          ],
        }),
      );
      await Deno.writeFile(
        `${dir}/co2.f64`,
        f64Bytes(Array.from({ length: 15 }, (_, i) => 400 + i / 4)),
      );
      const out = JSON.parse(await run(python, [CHECK_SCRIPT, path, `co2=${dir}/co2.f64`]));
      assert.equal(out.variables.station.dtype, "int32");
      assert.equal(out.variables.co2.dtype, "float32");
      assert.deepEqual(out.variables.co2.attributes._FillValue, {
        dtype: "float32",
        values: [-9999],
      });
      assert.deepEqual(out.variables.co2.chunking, [2, 2]);
      assert.equal(out.compare.co2.equal, true, "partial edge chunks are cut correctly");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

peerCase(
  "encodeNetcdf4() indexes 1100 records (three time chunks, a two-level chunk B-tree) readably",
  ["python"],
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const n = 1100;
      const time = Array.from({ length: n }, (_, k) => k / 8);
      const value = Array.from({ length: n * 4 }, (_, k) => Math.sin(k) * 1e-3);
      const path = `${dir}/records.nc`;
      await Deno.writeFile(
        path,
        encodeNetcdf4({
          dimensions: [{ name: "time", size: n, unlimited: true }, { name: "x", size: 4 }],
          variables: [
            { name: "time", type: "double", dimensions: ["time"], data: time },
            { name: "x", type: "double", dimensions: ["x"], data: [1, 2, 3, 4] },
            { name: "value", type: "double", dimensions: ["time", "x"], data: value },
          ],
        }),
      );
      await Deno.writeFile(`${dir}/time.f64`, f64Bytes(time));
      await Deno.writeFile(`${dir}/value.f64`, f64Bytes(value));
      const out = JSON.parse(
        await run(python, [CHECK_SCRIPT, path, `time=${dir}/time.f64`, `value=${dir}/value.f64`]),
      );
      assert.deepEqual(out.dimensions.time, { size: n, unlimited: true });
      assert.deepEqual(out.variables.time.chunking, [512]);
      assert.deepEqual(out.variables.value.chunking, [1, 4]);
      assert.equal(out.compare.time.equal, true);
      assert.equal(out.compare.value.equal, true);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
