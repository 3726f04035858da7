// Deflated chunks that fill one run of the result inflate straight into it;
// the others inflate into their own buffer and are copied. Both ways give
// the same values with every backend, for whole variables and boxes, and
// the declared chunk size still caps what a chunk may inflate to.

import assert from "node:assert/strict";
import { CorruptDataError, openNetCDF } from "../../mod.ts";
import { goldenFiles, type Needs, peerTest } from "../_peers.ts";

// runs.nc is committed (tests/testdata/netcdf/golden/chunk_runs): nothing needed
const NEEDS: Needs = {};
const T = 7, Y = 12, X = 10;

let file: Promise<Uint8Array> | undefined;
function runsFile(): Promise<Uint8Array> {
  return file ??= goldenFiles("gen_chunk_runs.py").then((dir) => Deno.readFile(`${dir}/runs.nc`));
}

/** The values gen_chunk_runs.py writes, for the box `start`/`count`. */
function expected(start: number[], count: number[]): Float64Array {
  const out = new Float64Array(count[0] * count[1] * count[2]);
  let i = 0;
  for (let t = start[0]; t < start[0] + count[0]; t++) {
    for (let y = start[1]; y < start[1] + count[1]; y++) {
      for (let x = start[2]; x < start[2] + count[2]; x++) {
        out[i++] = (t + y + x) % 5 === 0 ? 0 : (t * 10000 + y * 100 + x) / 2;
      }
    }
  }
  return out;
}

const BOXES: [number[], number[]][] = [
  [[0, 0, 0], [T, Y, X]], // whole: every one-step chunk is one run
  [[2, 0, 0], [3, Y, X]], // whole steps from a middle one
  [[1, 0, 0], [1, Y, X]], // one step
  [[3, 0, 0], [4, Y, X]], // to the end: the last (2, ...) chunk is clipped
  [[0, 3, 0], [T, 6, X]], // rows of every step: copied, not one run
  [[1, 0, 2], [5, Y, 7]], // columns: copied
  [[6, 11, 9], [1, 1, 1]], // one value
];

Deno.test(
  peerTest(
    "deflated chunks read in place equal chunks read and copied, with every backend",
    NEEDS,
    async () => {
      const bytes = await runsFile();
      for (const inflate of ["node", "stream", "wasm", "auto"] as const) {
        using nc = await openNetCDF(bytes, { inflate });
        for (const name of ["step", "two", "rows", "cols", "shuf", "fl32"]) {
          for (const [start, count] of BOXES) {
            const got = await nc.read(name, { start, count });
            assert.deepEqual(got, expected(start, count), `${name} ${inflate} ${start} ${count}`);
          }
        }
        // Whole steps in place and columns copied agree with each other too.
        assert.deepEqual(await nc.read("step"), await nc.read("cols"));
      }
    },
  ),
);

Deno.test(
  peerTest(
    "a chunk read in place still inflates to exactly its declared size",
    NEEDS,
    async () => {
      const bytes = await runsFile();
      for (const inflate of ["node", "stream", "wasm"] as const) {
        using nc = await openNetCDF(bytes, { inflate });
        for (const name of ["shortc", "longc"]) {
          await assert.rejects(nc.read(name), CorruptDataError, `${name} ${inflate}`);
        }
        // Bytes after the end of a chunk's zlib stream are ignored, as before
        // (DecompressionStream refuses them: a CorruptDataError, as before).
        if (inflate === "stream") await assert.rejects(nc.read("trail"), CorruptDataError);
        else assert.deepEqual(await nc.read("trail"), new Float64Array([0, 1, 2, 3]), inflate);
        // The file stays readable after the refusals.
        assert.deepEqual(
          await nc.read("step", { start: [0, 0, 0], count: [1, 1, 3] }),
          expected([0, 0, 0], [1, 1, 3]),
        );
      }
    },
  ),
);
