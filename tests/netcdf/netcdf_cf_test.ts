// CF decoding (`read(…, { decoded: true })`) as netCDF4-python's default
// mask-and-scale mode gives it (issue 22, item 2): _Unsigned, valid_min,
// valid_max, valid_range, missing_value lists, _FillValue or the default
// fill, and the types of scale_factor/add_offset. The files and what
// netCDF4-python read from them are committed (tests/testdata/netcdf/cf/,
// written by gen_cf.py), so this runs without Python; with the peer, the
// generator is run again to check the expectations still hold.

import assert from "node:assert/strict";
import { openNetCDF } from "../../mod.ts";
import { peerTest, python } from "../_peers.ts";

const dir = new URL("../testdata/netcdf/cf/", import.meta.url).pathname;

interface Expected {
  files: Record<string, Record<string, { dtype: string; values: (number | null)[] }>>;
}

const expected: Expected = JSON.parse(await Deno.readTextFile(`${dir}expected.json`));

for (const [file, vars] of Object.entries(expected.files)) {
  Deno.test(`read(decoded) of ${file} equals netCDF4-python's mask-and-scale, variable by variable`, async () => {
    using nc = await openNetCDF(`${dir}${file}`);
    const wrong: string[] = [];
    for (const [name, want] of Object.entries(vars)) {
      const got = await nc.read(name, { decoded: true }) as Float32Array | Float64Array;
      const values = Array.from(got, (x) => (Number.isNaN(x) ? null : x));
      const f32 = want.dtype === "float32";
      if (
        JSON.stringify(values) !== JSON.stringify(want.values) ||
        (f32 ? !(got instanceof Float32Array) : !(got instanceof Float64Array))
      ) {
        wrong.push(
          `${name}: ${got.constructor.name} ${JSON.stringify(values)}, netCDF4-python ` +
            `${want.dtype} ${JSON.stringify(want.values)}`,
        );
      }
    }
    assert.deepEqual(wrong, []);
  });
}

Deno.test(peerTest(
  "gen_cf.py's expectations are what netCDF4-python reads now",
  { python: ["netCDF4", "numpy"] },
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "icoscp-cf-" });
    try {
      const out = await new Deno.Command(python, {
        args: [new URL("../testdata/netcdf/gen_cf.py", import.meta.url).pathname, tmp, "--print"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), expected.files);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
));
