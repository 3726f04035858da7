// The mirror from the outside: a selection of the emulator's objects into a
// Parquet dataset, read back by DuckDB, Spark, geopandas and hyparquet and
// compared with the library's own arrays and icoscp_core's; reruns, new
// versions, kill -9 at many moments, shards and faults.

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
} from "npm:hyparquet@1.31.5";
import {
  CarbonPortal,
  CarbonPortalError,
  InvalidArgumentError,
  MirrorError,
  UnknownOptionError,
} from "../../mod.ts";
import { mirror, type MirrorProgress } from "../../src/mirror/mod.ts";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";
import { peerTest } from "../_peers.ts";
import {
  engine,
  monthlyFromLibrary,
  type MonthlyRow,
  sameMonthly,
  snapshot,
} from "./_mirror_helpers.ts";

function client(emu: Emulator, counter?: { cpb: number; all: number; meta?: number }) {
  return new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
    retry: { retries: 4, minDelay: 1, maxDelay: 5 },
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (counter) {
        counter.all++;
        if (url.includes("/cpb")) counter.cpb++;
        if (url.includes("/objects/")) counter.meta = (counter.meta ?? 0) + 1;
      }
      return fetch(input, init);
    },
  });
}

/** The emulator's tabular objects (the ones with columns), as pids. */
function tabular(emu: Emulator): string[] {
  return emu.dataset.objects.filter((o) => o.kind === "data" && o.columns).map((o) =>
    `11676/${o.id}`
  );
}

/** Whether this process runs as root (`id -u`: the test task grants --allow-run, not --allow-sys). */
function runsAsRoot(): boolean {
  try {
    const out = new Deno.Command("id", { args: ["-u"], stdout: "piped" }).outputSync();
    return new TextDecoder().decode(out.stdout).trim() === "0";
  } catch {
    return false;
  }
}

async function tmp(prefix: string): Promise<string> {
  return await Deno.makeTempDir({ prefix: `icoscp-mirror-${prefix}-` });
}

Deno.test(
  peerTest(
    "mirror: a generated catalogue (search filters, ~300 objects) read by DuckDB, Spark and geopandas gives getColumns' and icoscp_core's monthly co2",
    { python: ["duckdb", "icoscp_core", "numpy", "pyspark", "geopandas"], tools: ["java"] },
    async (t) => {
      await using emu = await startEmulator({ objects: 300 });
      const cp = client(emu);
      const out = await tmp("engines");
      try {
        const r = await cp.mirror({ theme: "atmosphere", level: 2 }, { out, concurrency: 8 });
        assert.ok(r.objects >= 100, `${r.objects} objects`);
        const index = JSON.parse(await Deno.readTextFile(join(out, "_manifest.json"))) as {
          objects: Record<string, { state: string; info: { uri: string } }>;
        };
        const fetched = Object.entries(index.objects).filter(([, o]) => o.state === "fetched");
        const pids = fetched.map(([pid]) => pid);
        const duck = await engine<MonthlyRow[]>("duckdb", out);
        assert.ok(duck.length >= 50, `${duck.length} station-months`);

        await t.step(
          "DuckDB: Hive partitions, TIMESTAMP a timestamp, the same means as getColumns",
          async () => {
            const types = await engine<Record<string, string>>("types", out);
            assert.match(types.TIMESTAMP, /^TIMESTAMP/, "a timestamp type, not a number");
            assert.equal(types.co2, "FLOAT");
            assert.equal(types.spec, "VARCHAR", "the spec= partition column");
            assert.equal(types.year, "BIGINT", "the year= partition column");
            const ours = await monthlyFromLibrary(cp, pids);
            assert.equal(sameMonthly(duck, ours), undefined);
          },
        );

        await t.step("icoscp_core's arrays give the same means", async () => {
          const emuJson = `${out}-emu.json`;
          await Deno.writeTextFile(
            emuJson,
            JSON.stringify({
              endpoints: emu.endpoints,
              user: emu.user,
              password: emu.password,
              objects: fetched.map(([, o]) => o.info.uri),
            }),
          );
          try {
            const core = await engine<MonthlyRow[]>("icoscp_core", emuJson);
            assert.equal(sameMonthly(duck, core), undefined);
          } finally {
            await Deno.remove(emuJson);
          }
        });

        await t.step("Spark (local mode) reads the same folder with the same answer", async () => {
          const spark = await engine<{ timestampType: string; rows: MonthlyRow[] }>("spark", out);
          assert.equal(spark.timestampType, "timestamp");
          assert.equal(sameMonthly(spark.rows, duck), undefined);
        });

        await t.step("the index opens as GeoParquet in geopandas", async () => {
          const geo = await engine<
            Record<string, { rows: number; geomType: string[]; crs: string; columns: string[] }>
          >("geopandas", out);
          assert.equal(geo.objects.rows, r.objects);
          assert.deepEqual(geo.objects.geomType, ["Point"]);
          for (
            const c of ["pid", "spec", "station", "samplingHeight", "timeStart", "parts", "latest"]
          ) {
            assert.ok(geo.objects.columns.includes(c), c);
          }
          const stations = new Set(
            Object.values(index.objects).map((o) =>
              (o.info as unknown as { station: string }).station
            ).filter(Boolean),
          );
          assert.equal(geo.stations.rows, stations.size);
          assert.match(geo.stations.crs, /4326|CRS84|None/);
        });
      } finally {
        await Deno.remove(out, { recursive: true });
      }
    },
  ),
);

Deno.test("mirror: a rerun makes no data request; new objects join; with latestOnly a deprecated version's rows leave", async () => {
  await using emu = await startEmulator();
  const counter = { cpb: 0, all: 0, meta: 0 };
  const cp = client(emu, counter);
  const all = tabular(emu);
  const co2 = emu.dataset.objects.filter((o) => o.fileName.includes("_CTS_CO2"));
  const old = co2.find((o) => o.nextVersion)!;
  assert.ok(old, "the emulator has a deprecated CO2 object");
  const out = await tmp("rerun");
  try {
    const first = all.filter((p) => !p.endsWith(old.nextVersion!));
    const r1 = await mirror(cp, first, { out });
    assert.equal(r1.fetched, first.length);
    assert.equal(counter.cpb, first.length);
    assert.equal(counter.meta, first.length, "each object's metadata is fetched once");

    counter.cpb = 0;
    const r2 = await mirror(cp, first, { out });
    assert.equal(r2.fetched, 0);
    assert.equal(counter.cpb, 0, "no data request for what is done");
    assert.deepEqual(r2.removed, []);

    // the newer version arrives; latestOnly drops the old one's rows
    counter.cpb = 0;
    const r3 = await mirror(cp, all, { out, latestOnly: true });
    assert.equal(counter.cpb, 1, "only the new object's data is requested");
    assert.equal(r3.fetched, 1);
    assert.ok(r3.removed.length >= 1, "the replaced part is removed");
    const pidsInData = new Set<string>();
    for (const part of r3.parts) {
      const rows = await parquetReadObjects(
        {
          file: await asyncBufferFromFile(join(out, part)),
          columns: ["pid"],
          compressors: await zstd(),
        } as Parameters<typeof parquetReadObjects>[0],
      );
      for (const r of rows) pidsInData.add(String(r.pid));
    }
    assert.ok(!pidsInData.has(`11676/${old.id}`), "the deprecated object's rows left");
    assert.ok(pidsInData.has(`11676/${old.nextVersion}`));
    const manifest = JSON.parse(await Deno.readTextFile(join(out, "_manifest.json")));
    assert.equal(manifest.objects[`11676/${old.id}`], undefined);
    assert.equal(manifest.objects[`11676/${old.nextVersion}`].state, "fetched");

    // the same selection from scratch gives the same bytes as the incremental run
    const fresh = await tmp("fresh");
    try {
      await mirror(cp, all, { out: fresh, latestOnly: true });
      assert.deepEqual(await snapshot(fresh), await snapshot(out));
    } finally {
      await Deno.remove(fresh, { recursive: true });
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

async function zstd() {
  const zlib = await import("node:zlib");
  // deno-lint-ignore no-explicit-any
  const z = (zlib as any).zstdDecompressSync as (b: Uint8Array) => Uint8Array;
  return { ZSTD: (b: Uint8Array) => new Uint8Array(z(b)) };
}

Deno.test("mirror: parts hold one row group per station-height-year, sorted, with provenance and statistics", async () => {
  await using emu = await startEmulator();
  const out = await tmp("layout");
  try {
    const r = await mirror(client(emu), tabular(emu), { out, maxRowGroupRows: 5000 });
    for (const part of r.parts) {
      assert.match(part, /^spec=\w+\/year=\d{4}\/part-[0-9a-f]{16}\.parquet$/);
      const file = await asyncBufferFromFile(join(out, part));
      const meta = await parquetMetadataAsync(file);
      assert.equal(meta.row_groups[0].columns[0].meta_data?.codec, "ZSTD");
      assert.ok(meta.row_groups[0].columns[0].meta_data?.statistics, "statistics on");
      const kv = Object.fromEntries((meta.key_value_metadata ?? []).map((k) => [k.key, k.value]));
      const prov = JSON.parse(kv["icoscp.provenance"]!) as { pid: string; citation: string }[];
      assert.ok(prov.length >= 1 && prov.every((p) => p.pid.startsWith("11676/")));
      assert.ok(meta.row_groups.every((g) => Number(g.num_rows) <= 5000));
      const rows = await parquetReadObjects(
        { file, compressors: await zstd() } as Parameters<
          typeof parquetReadObjects
        >[0],
      );
      // each row group's statistics bound its rows: times, and the one station it holds
      const colOf = (name: string) =>
        meta.row_groups[0].columns.findIndex((c) => c.meta_data?.path_in_schema[0] === name);
      const asMs = (v: unknown) => (v instanceof Date ? v.getTime() : Number(v));
      const asText = (v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v);
      let at = 0;
      for (const g of meta.row_groups) {
        const inGroup = rows.slice(at, at += Number(g.num_rows));
        const times = inGroup.filter((r) => r.TIMESTAMP).map((r) =>
          (r.TIMESTAMP as Date).getTime()
        );
        const ts = colOf("TIMESTAMP");
        if (ts >= 0 && times.length) {
          const st = g.columns[ts].meta_data!.statistics!;
          assert.equal(asMs(st.min_value), Math.min(...times), `${part}: time minimum`);
          assert.equal(asMs(st.max_value), Math.max(...times), `${part}: time maximum`);
        }
        const station = g.columns[colOf("station")].meta_data!.statistics!;
        assert.equal(asText(station.min_value), inGroup[0].station, `${part}: station minimum`);
        assert.equal(asText(station.max_value), inGroup[0].station, `${part}: station maximum`);
      }
      // sorted by station, height, then time (within a station-height, ties keep object order)
      for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1], b = rows[i];
        const ka = `${a.station}|${String(a.samplingHeight).padStart(8)}`;
        const kb = `${b.station}|${String(b.samplingHeight).padStart(8)}`;
        assert.ok(ka <= kb, `${part}: station order at row ${i}`);
        if (ka === kb && a.TIMESTAMP && b.TIMESTAMP) {
          assert.ok((a.TIMESTAMP as Date) <= (b.TIMESTAMP as Date), `${part}: time order at ${i}`);
        }
      }
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("mirror: killed (SIGKILL) at many moments, a rerun gives byte-identical parts to an uninterrupted run", async () => {
  await using emu = await startEmulator({ faults: [{ path: "/data/cpb", latency: 30 }] });
  const pids = tabular(emu);
  const reference = await tmp("ref");
  const child = new URL("./_mirror_child.ts", import.meta.url).pathname;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  try {
    await mirror(client(emu), pids, { out: reference, concurrency: 2 });
    const want = await snapshot(reference);
    const wantManifest = await Deno.readTextFile(join(reference, "_manifest.json"));
    // kill after the k-th progress event the child prints (each a moment between objects or specs)
    for (const k of [1, 2, 3, 5, 8, 11, 14]) {
      const out = await tmp(`kill${k}`);
      try {
        const p = new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "--config",
            config,
            child,
            emu.url,
            emu.user,
            emu.password,
            out,
            ...pids,
          ],
          stdout: "piped",
          stderr: "inherit",
        }).spawn();
        let seen = 0;
        let killed = false;
        const reader = p.stdout.pipeThrough(new TextDecoderStream()).getReader();
        for (let buf = "";;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          seen += (value.match(/\n/g) ?? []).length;
          if (!killed && seen >= k) {
            p.kill("SIGKILL");
            killed = true;
          }
        }
        await p.status;
        const r = await mirror(client(emu), pids, { out, concurrency: 2 });
        assert.deepEqual(await snapshot(out), want, `killed after event ${k}`);
        assert.equal(await Deno.readTextFile(join(out, "_manifest.json")), wantManifest);
        const leftovers = await snapshot(out, (f) => f.endsWith(".tmp"));
        assert.equal(leftovers.size, 0, "no temporary file survives the rerun");
        assert.ok(r.objects === pids.length);
      } finally {
        await Deno.remove(out, { recursive: true });
      }
    }
  } finally {
    await Deno.remove(reference, { recursive: true });
  }
});

Deno.test("mirror: shards write disjoint parts whose union holds the rows of a one-machine run", async () => {
  await using emu = await startEmulator();
  const cp = client(emu);
  const pids = tabular(emu);
  const single = await tmp("single");
  const shared = await tmp("shards");
  try {
    await mirror(cp, pids, { out: single });
    const n = 3;
    const names = new Set<string>();
    let objects = 0;
    for (let i = 0; i < n; i++) {
      const r = await mirror(cp, pids, { out: shared, shard: [i, n] });
      objects += r.objects;
      assert.ok(r.objects > 0 && r.objects < pids.length, `shard ${i} has ${r.objects} objects`);
      for (const p of r.parts) {
        assert.ok(!names.has(p), `part ${p} written by two shards`);
        names.add(p);
      }
      await Deno.stat(join(shared, `_manifest-${i}-of-${n}.json`));
      await Deno.stat(join(shared, "index", `objects-${i}-of-${n}.parquet`));
    }
    assert.equal(objects, pids.length, "every object in exactly one shard");
    const rowsOf = async (dir: string) => {
      const all: string[] = [];
      for (
        const [name, bytes] of await snapshot(
          dir,
          (f) => !f.includes("/index/") && f.endsWith(".parquet"),
        )
      ) {
        const rows = await parquetReadObjects(
          {
            file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
            compressors: await zstd(),
          } as Parameters<typeof parquetReadObjects>[0],
        );
        const spec = name.split("/")[0];
        for (const r of rows) {
          all.push(spec + JSON.stringify(r, (_k, v) => typeof v === "bigint" ? String(v) : v));
        }
      }
      return all.sort();
    };
    assert.deepEqual(await rowsOf(shared), await rowsOf(single));
  } finally {
    await Deno.remove(single, { recursive: true });
    await Deno.remove(shared, { recursive: true });
  }
});

Deno.test("mirror: drops and 5xx are retried; a persistent failure stops with a typed error and a consistent manifest", async () => {
  await using emu = await startEmulator();
  const pids = tabular(emu);
  const out = await tmp("faults");
  try {
    emu.faults.add({ path: "/data/cpb", nth: [1, 3], status: 503 });
    emu.faults.add({ path: "/data/cpb", nth: [2, 5], dropAfterBytes: 100 });
    const r = await mirror(client(emu), pids, { out });
    assert.equal(r.fetched, pids.length);
    emu.faults.clear();

    const out2 = await tmp("faults2");
    try {
      emu.faults.add({ path: "/data/cpb", nth: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13], status: 503 });
      const err = await mirror(client(emu), pids, { out: out2, concurrency: 1 }).catch((e) => e);
      assert.ok(err instanceof CarbonPortalError, String(err));
      const before = await snapshot(out2, (f) => !f.includes("/index/"));
      for (const f of before.keys()) assert.ok(!f.endsWith(".tmp"), `${f} left behind`);
      emu.faults.clear();
      await mirror(client(emu), pids, { out: out2 });
      assert.deepEqual(await snapshot(out2), await snapshot(out));
    } finally {
      await Deno.remove(out2, { recursive: true });
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test({
  name:
    "mirror: a full disk (ENOSPC on a 256 KiB tmpfs) is a MirrorError, the manifest stays consistent",
  // mounting a small tmpfs needs Linux and root (CI has both; ICOSCP_REQUIRE_PEERS=1 makes a skip a failure)
  ignore: (Deno.build.os !== "linux" || !runsAsRoot()) &&
    (console.warn("skipping the ENOSPC mirror test: mounting a tmpfs needs Linux and root"),
      Deno.env.get("ICOSCP_REQUIRE_PEERS") !== "1"),
  fn: async () => {
    await using emu = await startEmulator();
    const pids = tabular(emu);
    const dir = await tmp("enospc");
    const mount = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir],
      stderr: "piped",
    }).output();
    assert.ok(mount.success, `mounting a small tmpfs: ${new TextDecoder().decode(mount.stderr)}`);
    try {
      const err = await mirror(client(emu), pids, { out: dir, compression: "snappy" }).catch((e) =>
        e
      );
      assert.ok(err instanceof MirrorError, String(err));
      assert.match(err.message, /disk is full/);
      const manifest = await Deno.readTextFile(join(dir, "_manifest.json")).catch(() => "{}");
      JSON.parse(manifest); // whole, never half-written
    } finally {
      await new Deno.Command("umount", { args: [dir] }).output();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("mirror: misspelt or mistyped options are errors, never ignored", async () => {
  await using emu = await startEmulator();
  const cp = client(emu);
  const pids = tabular(emu).slice(0, 1);
  // deno-lint-ignore no-explicit-any
  const cases: [Record<string, unknown>, RegExp, abstract new (...a: any[]) => Error][] = [
    [{ out: "x", latest_only: true }, /latestOnly/, UnknownOptionError],
    [{ out: "x", Concurrency: 2 }, /concurrency/, UnknownOptionError],
    [{ out: "x", concurrency: 2.5 }, /concurrency/, InvalidArgumentError],
    [{ out: "x", compression: "gzip" }, /zstd.*snappy/, InvalidArgumentError],
    [{ out: "x", shard: [3, 3] }, /shard/, InvalidArgumentError],
    [{ dir: "x" }, /dir/, UnknownOptionError],
    [{}, /needs `out`/, InvalidArgumentError],
  ];
  for (const [options, message, kind] of cases) {
    await assert.rejects(
      mirror(cp, pids, options as never),
      (e: Error) => e instanceof kind && message.test(e.message),
      JSON.stringify(options),
    );
  }
  const progress: MirrorProgress[] = [];
  const out = await tmp("progress");
  try {
    await mirror(cp, pids, { out, onProgress: (p) => progress.push(p) });
    assert.deepEqual(progress.at(-1)?.phase, "done");
    assert.equal(progress.at(-1)?.done, 1);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
