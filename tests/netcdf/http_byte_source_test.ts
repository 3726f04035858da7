// httpByteSource against a loopback server answering Range requests: the
// requests and bytes one time step of a remote STILT footprint and a whole
// record variable of an ObsPack file cost, retries through the client, and
// typed errors for a server ignoring Range and a file changing under us.

import assert from "node:assert/strict";
import { CarbonPortal, openNetCDF, RangeNotSupportedError, SourceChangedError } from "../../mod.ts";
import { httpByteSource } from "../../src/netcdf/mod.ts";
import { realFixture, withRealFixtures } from "../_fixtures.ts";
import { peerTest, python } from "../_peers.ts";

const FOOT = "stiltweb/foot2012x12x08x18x46.55Nx007.98Ex00720_aggreg.nc";
const OBSPACK = "data/co2_con_aircraft-insitu_42_allvalid_small.nc";

interface Served {
  bytes: Uint8Array;
  etag: string;
  ignoreRange?: boolean;
}

/** A loopback server of `files`, counting requests and body bytes per path. */
function serve(files: Map<string, Served>) {
  const log: { path: string; range: string | null; bytes: number }[] = [];
  let fail503 = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    const f = files.get(path);
    const range = req.headers.get("range");
    if (fail503 > 0) {
      fail503--;
      log.push({ path, range, bytes: 0 });
      return new Response("busy", { status: 503 });
    }
    if (!f) return new Response("no such file", { status: 404 });
    const m = /^bytes=(\d+)-(\d+)$/.exec(range ?? "");
    if (!m || f.ignoreRange) {
      log.push({ path, range, bytes: f.bytes.byteLength });
      return new Response(f.bytes.slice(), { headers: { etag: f.etag } });
    }
    const a = Number(m[1]), b = Math.min(Number(m[2]), f.bytes.byteLength - 1);
    const body = f.bytes.slice(a, b + 1);
    log.push({ path, range, bytes: body.byteLength });
    return new Response(body, {
      status: 206,
      headers: { "content-range": `bytes ${a}-${b}/${f.bytes.byteLength}`, etag: f.etag },
    });
  });
  const addr = server.addr as Deno.NetAddr;
  return {
    url: (p: string) => `http://127.0.0.1:${addr.port}${p}`,
    log,
    failNext: (n: number) => (fail503 = n),
    count(path: string) {
      const l = log.filter((e) => e.path === path);
      return { requests: l.length, bytes: l.reduce((a, e) => a + e.bytes, 0) };
    },
    close: () => server.shutdown(),
  };
}

const client = new CarbonPortal({ retry: { minDelay: 1, maxDelay: 2 } });

Deno.test(
  withRealFixtures("a whole record variable of a remote ObsPack file costs a handful of requests"),
  async () => {
    const bytes = await Deno.readFile(realFixture(OBSPACK));
    const s = serve(new Map([["/obspack.nc", { bytes, etag: '"o1"' }]]));
    try {
      // Small blocks, so that the file is many blocks long.
      const src = await httpByteSource(s.url("/obspack.nc"), { client, blockSize: 4096 });
      using nc = await openNetCDF(src);
      using local = await openNetCDF(bytes);
      const opened = s.count("/obspack.nc");
      const value = await nc.read("value");
      const got = s.count("/obspack.nc");
      assert.deepEqual(value, await local.read("value"));
      assert.equal(nc.variable("value").shape[0], 318);
      const requests = got.requests - opened.requests, fetched = got.bytes - opened.bytes;
      // 318 records spread over the whole file: a few growing requests.
      assert.ok(requests <= 3, `${requests} requests for one record variable`);
      assert.ok(fetched <= bytes.byteLength, `${fetched} bytes for one record variable`);
      assert.deepEqual(src.stats, got);
      // Every other record variable now comes from the cache.
      for (const v of nc.variables) {
        assert.deepEqual(await nc.read(v.path), await local.read(v.path));
      }
      assert.ok(s.count("/obspack.nc").bytes <= bytes.byteLength * 1.05);
    } finally {
      await s.close();
    }
  },
);

Deno.test(
  withRealFixtures("one time step of a remote footprint costs a few requests"),
  async () => {
    const bytes = await Deno.readFile(realFixture(FOOT));
    const s = serve(new Map([["/foot.nc", { bytes, etag: '"f1"' }]]));
    try {
      const src = await httpByteSource(s.url("/foot.nc"), { client });
      using nc = await openNetCDF(src);
      using local = await openNetCDF(bytes);
      const step = { start: [0, 0, 0], count: [1, 480, 400] };
      assert.deepEqual(await nc.read("foot", step), await local.read("foot", step));
      const { requests, bytes: fetched } = s.count("/foot.nc");
      assert.ok(requests <= 2, `${requests} requests`);
      assert.ok(fetched <= bytes.byteLength, `${fetched} bytes`);
    } finally {
      await s.close();
    }
  },
);

let footDir: Promise<string> | undefined;

Deno.test(
  peerTest(
    "one time step of a remote 24-step footprint costs a few requests and about its chunk",
    { python: ["netCDF4", "numpy"], fixtures: true },
    async () => {
      footDir ??= (async () => {
        const dir = await Deno.makeTempDir({ prefix: "icoscp-foot24-" });
        const gen = new URL("../../bench/foot_gen.py", import.meta.url).pathname;
        const out = await new Deno.Command(python, {
          args: [gen, realFixture(FOOT).pathname, dir, "24", "--plain"],
          stdout: "null",
          stderr: "piped",
        }).output();
        if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
        return dir;
      })();
      const dir = await footDir;
      try {
        for (const name of ["foot240_sample.nc", "foot240_smooth.nc"]) {
          const bytes = await Deno.readFile(`${dir}/${name}`);
          const s = serve(new Map([["/f.nc", { bytes, etag: '"g1"' }]]));
          try {
            const src = await httpByteSource(s.url("/f.nc"), { client });
            using nc = await openNetCDF(src);
            using local = await openNetCDF(bytes);
            const step = { start: [17, 0, 0], count: [1, 480, 400] };
            assert.deepEqual(await nc.read("foot", step), await local.read("foot", step));
            const { requests, bytes: fetched } = s.count("/f.nc");
            // The file is 24 chunks (one per step) of about bytes / 24 each.
            const chunk = bytes.byteLength / 24;
            assert.ok(requests <= 4, `${name}: ${requests} requests`);
            assert.ok(
              fetched <= 256 * 1024 + 2 * chunk,
              `${name}: ${fetched} bytes of ${bytes.byteLength}`,
            );
          } finally {
            await s.close();
          }
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);

Deno.test("a server ignoring Range is a RangeNotSupportedError", async () => {
  const bytes = new Uint8Array(1000);
  const s = serve(new Map([["/x.nc", { bytes, etag: '"x"', ignoreRange: true }]]));
  try {
    await assert.rejects(httpByteSource(s.url("/x.nc"), { client }), RangeNotSupportedError);
  } finally {
    await s.close();
  }
});

Deno.test(withRealFixtures("a remote file that changes is a SourceChangedError"), async () => {
  const bytes = await Deno.readFile(realFixture(OBSPACK));
  const file: Served = { bytes, etag: '"v1"' };
  const s = serve(new Map([["/o.nc", file]]));
  try {
    const src = await httpByteSource(s.url("/o.nc"), { client, blockSize: 4096 });
    using nc = await openNetCDF(src);
    file.etag = '"v2"';
    await assert.rejects(nc.read("value"), SourceChangedError);
    // The same length but a new ETag, or the same ETag but a new length.
    file.etag = '"v1"';
    file.bytes = bytes.slice(0, 50_000);
    await assert.rejects(nc.read("time_decimal"), SourceChangedError);
  } finally {
    await s.close();
  }
});

Deno.test(withRealFixtures("range requests are retried by the client"), async () => {
  const bytes = await Deno.readFile(realFixture(OBSPACK));
  const s = serve(new Map([["/o.nc", { bytes, etag: '"r"' }]]));
  try {
    s.failNext(2);
    const src = await httpByteSource(s.url("/o.nc"), { client });
    using nc = await openNetCDF(src);
    using local = await openNetCDF(bytes);
    assert.deepEqual(await nc.read("value"), await local.read("value"));
    assert.equal(s.log.filter((e) => e.bytes === 0).length, 2);
  } finally {
    await s.close();
  }
});

Deno.test("small reads running forward through a remote file cost a few growing requests", async () => {
  const bytes = new Uint8Array(4 << 20).map((_, i) => i * 7);
  const s = serve(new Map([["/big.bin", { bytes, etag: '"b"' }]]));
  try {
    const src = await httpByteSource(s.url("/big.bin"), {
      client,
      blockSize: 4096,
      maxReadAhead: 1 << 20,
    });
    // 4,000 reads of 100 bytes, 1 KiB apart: like a record variable read record by record.
    for (let i = 0; i < 4000; i++) {
      const at = i * 1024;
      assert.deepEqual(await src.slice(at, at + 100), bytes.subarray(at, at + 100));
    }
    const { requests, bytes: fetched } = s.count("/big.bin");
    assert.ok(requests <= 12, `${requests} requests`);
    assert.ok(fetched <= bytes.byteLength, `${fetched} bytes`);
    // The cache holds at most maxCacheBytes (here the default, 64 MiB > the file).
  } finally {
    await s.close();
  }
});

Deno.test("the cache of a remote file stays within maxCacheBytes", async () => {
  const bytes = new Uint8Array(1 << 20).map((_, i) => i * 13);
  const s = serve(new Map([["/c.bin", { bytes, etag: '"c"' }]]));
  try {
    const src = await httpByteSource(s.url("/c.bin"), {
      client,
      blockSize: 4096,
      maxReadAhead: 16384,
      maxCacheBytes: 32768,
    });
    // Two passes: with a cache this small, the second pass must fetch again.
    for (let pass = 0; pass < 2; pass++) {
      for (let at = 0; at < bytes.byteLength; at += 512) {
        assert.deepEqual(await src.slice(at, at + 64), bytes.subarray(at, at + 64));
      }
    }
    const { bytes: fetched } = s.count("/c.bin");
    assert.ok(fetched >= 2 * bytes.byteLength - 32768, `${fetched} bytes`);
  } finally {
    await s.close();
  }
});
