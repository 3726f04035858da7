// HDF5 filters beyond deflate (issue 17): files written by the reference
// tools (tests/testdata/netcdf/gen_filters.py: netCDF4-python's plugins,
// h5repack, h5py) read through openNetCDF() and compared element by element
// with what netCDF4-python reads; hostile chunks give typed errors. The files
// and what netCDF4-python read from them are committed (golden/filters, by
// pack_golden.py), so these run without Python; with the peers, one more test
// compares with files the generator writes now.

import assert from "node:assert/strict";
import { DecodeError, openNetCDF, UnsupportedFormatError } from "../../mod.ts";
import type { NetCDFTypedArray } from "../../src/netcdf/mod.ts";
import { generatedFiles, goldenFiles, type Needs, peerTest } from "../_peers.ts";

const NEEDS: Needs = { python: ["netCDF4", "h5py", "numpy"], tools: ["h5repack"] };

interface Expected {
  file: string;
  reader: string;
  vars: {
    path: string;
    dtype: string;
    shape: number[];
    filters: [number, number[]][];
    values: (number | string | null)[];
  }[];
}

/** The committed files of gen_filters.py (unpacked once per test process). */
function filesDir(): Promise<string> {
  return goldenFiles("gen_filters.py");
}

async function expected(dir: string): Promise<Expected[]> {
  const out: Expected[] = [];
  for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.endsWith(".json")) out.push(JSON.parse(await Deno.readTextFile(`${dir}/${e.name}`)));
  }
  return out;
}

function same(got: NetCDFTypedArray, want: (number | string | null)[], what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (w === null) assert.ok(Number.isNaN(g as number), `${what}[${i}] is NaN`);
    else if (typeof g === "bigint") assert.equal(g.toString(), w, `${what}[${i}]`);
    else assert.equal(g, w, `${what}[${i}]`);
  }
}

/** Reads every variable of the files of `dir` whose name matches and compares. */
async function compare(dir: string, match: RegExp, filterId: number): Promise<string[]> {
  const files = (await expected(dir)).filter((f) => match.test(f.file));
  assert.ok(files.length > 0, `files matching ${match}`);
  const seen: string[] = [];
  for (const f of files) {
    const bytes = await Deno.readFile(`${dir}/${f.file}`);
    using nc = await openNetCDF(bytes);
    let used = 0;
    for (const v of f.vars) {
      const got = await nc.read(v.path);
      same(got as NetCDFTypedArray, v.values, `${f.file}:${v.path}`);
      if (v.filters.some(([id]) => id === filterId)) used++;
    }
    assert.ok(used > 0, `${f.file} uses filter ${filterId}`);
    seen.push(f.file);
  }
  return seen;
}

const FAMILIES = [
  ["szip (h5repack NN and EC, with and without shuffle)", /^szip_/, 4],
  ["szip (netCDF-C NN and EC)", /^nc_szip_/, 4],
  ["N-bit (h5repack)", /^nbit/, 5],
  ["scale-offset integer (h5repack SOFF=…,IN)", /^soff_int/, 6],
  ["scale-offset float D-scaling (h5repack SOFF=…,DS)", /^soff_ds/, 6],
  ["zstd (netCDF-C plugin, with and without shuffle)", /^zstd/, 32015],
  ["bzip2 (netCDF-C plugin, with and without shuffle)", /^bzip2/, 307],
  ["Blosc blosclz (byte and bit shuffle)", /^blosc_lz(_bs\d)?\.nc$/, 32001],
  ["Blosc LZ4 and LZ4HC (no, byte and bit shuffle)", /^blosc_lz4/, 32001],
  ["Blosc zlib (no and byte shuffle)", /^blosc_zlib/, 32001],
  ["Blosc zstd (no, byte and bit shuffle)", /^blosc_zstd/, 32001],
  ["LZF (h5py, with and without shuffle; compared with h5py)", /^h5_lzf/, 32000],
] as const;

for (const [name, match, id] of FAMILIES) {
  Deno.test(`openNetCDF() reads ${name} as netCDF4-python does`, async () => {
    await compare(await filesDir(), match, id);
  });
}

Deno.test(
  peerTest(
    "openNetCDF() reads every filter of the files gen_filters.py writes now as netCDF4-python does",
    NEEDS,
    async () => {
      const dir = await generatedFiles("gen_filters.py");
      for (const [, match, id] of FAMILIES) await compare(dir, match, id);
    },
  ),
);

// ------------------------------------------------------------- hostile input

let chunkTable: Promise<Record<string, Record<string, [number, number][]>>> | undefined;

/** Offsets and sizes of the chunks of `path` in `file` (as h5py listed them when packed). */
async function chunksOf(dir: string, file: string, path: string): Promise<[number, number][]> {
  chunkTable ??= Deno.readTextFile(`${dir}/chunks.json`).then(JSON.parse);
  const chunks = (await chunkTable)[file]?.[path.startsWith("/") ? path : `/${path}`];
  assert.ok(chunks?.length, `chunks of ${file}:${path}`);
  return chunks;
}

/** `file` with every chunk of `path` passed through `mangle`. */
async function mangled(
  file: string,
  path: string,
  mangle: (chunk: Uint8Array) => void,
): Promise<Uint8Array> {
  const dir = await filesDir();
  const bytes = await Deno.readFile(`${dir}/${file}`);
  for (const [off, size] of await chunksOf(dir, file, path)) {
    mangle(bytes.subarray(off, off + size));
  }
  return bytes;
}

const HOSTILE: [string, (c: Uint8Array) => void][] = [
  ["zeroed", (c) => c.fill(0)],
  ["all ones", (c) => c.fill(0xff)],
  ["noise", (c) => c.forEach((_, i) => (c[i] = (i * 131 + 7) & 0xff))],
  ["huge declared size", (c) => c.set([0xff, 0xff, 0xff, 0x7f], 0)],
  ["huge minbits", (c) => c.set([0x40, 0, 0, 0], 0)],
  ["zeroed tail", (c) => c.fill(0, c.length >> 1)],
  // After szip's size header: "uncompressed" blocks that run out of bits.
  ["ones after a header", (c) => c.fill(0xff, 4)],
];

for (
  const [file, path, detected] of [
    ["szip_nn.nc", "v_i2", 3],
    ["szip_ec.nc", "v_f4", 3],
    ["nc_szip_nn.nc", "v_f8", 3],
    // Full-precision N-bit stores the bytes as they are: any bytes decode.
    ["nbit.nc", "v_i4", 0],
    ["soff_int.nc", "v_i4", 3],
    ["soff_ds.nc", "v_f8", 3],
    ["zstd.nc", "v_i4", 3],
    ["bzip2.nc", "v_f4", 3],
    ["blosc_lz.nc", "v_i4", 3],
    ["blosc_lz4.nc", "v_f8", 3],
    ["blosc_zlib.nc", "v_i2", 3],
    ["blosc_zstd.nc", "v_u4", 3],
    ["h5_lzf.h5", "lzf_f8", 3],
  ] as const
) {
  Deno.test(`hostile ${file} chunks give typed errors, never a trap`, async () => {
    let failed = 0;
    for (const [how, mangle] of HOSTILE) {
      const bytes = await mangled(file, path, mangle);
      using nc = await openNetCDF(bytes);
      try {
        const v = await nc.read(path);
        // Some manglings still decode (N-bit keeps every bit pattern):
        // then the count must be right.
        assert.equal(v.length, nc.variable(path).shape.reduce((a, b) => a * b, 1), how);
      } catch (e) {
        assert.ok(
          e instanceof DecodeError,
          `${file} ${how}: ${e instanceof Error ? e.constructor.name : e}: ${e}`,
        );
        failed++;
      }
    }
    assert.ok(failed >= detected, `${file}: ${failed} manglings detected`);
  });
}

/** The offset of the pipeline entry of filter `id` with client data `cd`. */
function pipelineEntry(bytes: Uint8Array, id: number, cd: number[]): number {
  const pat = new Uint8Array(new Uint32Array(cd).buffer);
  outer: for (let i = 6; i + pat.length <= bytes.length; i++) {
    for (let k = 0; k < pat.length; k++) if (bytes[i + k] !== pat[k]) continue outer;
    // Version 2 entry of a filter id < 256: id, flags, count, values.
    if (bytes[i - 6] === id && bytes[i - 5] === 0 && bytes[i - 2] === cd.length) return i - 6;
    // Version 1: id, name length, flags, count, name (8-byte padded), values.
    for (const name of [0, 8, 16]) {
      const h = i - 8 - name;
      if (
        bytes[h] === id && bytes[h + 1] === 0 && bytes[h + 2] === name && bytes[h + 6] === cd.length
      ) {
        return h;
      }
    }
  }
  return -1;
}

Deno.test(
  "a filter still not supported names itself in an UnsupportedFormatError",
  async () => {
    const dir = await filesDir();
    const bytes = await Deno.readFile(`${dir}/szip_nn.nc`);
    const want = (await expected(dir)).find((f) => f.file === "szip_nn.nc")!;
    const v = want.vars.find((x) => x.path === "/v_i2")!;
    const at = pipelineEntry(bytes, 4, v.filters[0][1]);
    assert.ok(at > 0, "szip pipeline entry found");
    bytes[at] = 200;
    using nc = await openNetCDF(bytes);
    await assert.rejects(
      () => nc.read("/v_i2"),
      (e: Error) =>
        e instanceof UnsupportedFormatError && /filter 200 .*not supported/.test(e.message),
    );
  },
);
