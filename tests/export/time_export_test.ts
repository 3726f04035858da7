// Issue 21, item 5: time columns leave the library as times. A data object's
// table goes to Parquet as TIMESTAMP (UTC), to Arrow as timestamp, to CSV as
// ISO 8601 with one format per column; pyarrow and DuckDB read them back.

import assert from "node:assert/strict";
import { join } from "node:path";
import { table } from "arquero";
import { CarbonPortal, UnknownColumnError } from "../../mod.ts";
import { toArrow, toCsv, toParquet } from "../../src/export/mod.ts";
import type { Emulator } from "../../emulator/mod.ts";
import { sharedEmulator } from "../_shared_emulator.ts";
import { runCli } from "../_cli.ts";
import { peerTest, python } from "../_peers.ts";

const gat = (emu: Emulator) =>
  emu.dataset.objects.find((o) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!;

function client(emu: Emulator) {
  const u = emu.users[0];
  return new CarbonPortal({ portal: emu.endpoints, auth: { user: u.email, password: u.password } });
}

/** What pyarrow and DuckDB see in the files: types and times as ms since the epoch. */
async function peerRead(dir: string, files: string[]): Promise<Record<string, unknown>> {
  const script = `
import duckdb, pyarrow.parquet as pq, pyarrow.ipc as ipc, pyarrow as pa, json, sys
d = sys.argv[1]
out = {}
for f in sys.argv[2:]:
    t = pq.read_table(f"{d}/{f}") if f.endswith(".parquet") else ipc.open_file(f"{d}/{f}").read_all()
    con = duckdb.connect()
    con.register("arrow_table", t)
    src = f"'{d}/{f}'" if f.endswith(".parquet") else "arrow_table"
    rel = con.sql(f"select * from {src}")
    duck_types = [str(x) for x in rel.types]
    duck = {}
    for n, ty in zip(rel.columns, duck_types):
        if ty.startswith("TIMESTAMP"):
            duck[n] = [r[0] for r in con.sql(f'select epoch_ms("{n}") from {src}').fetchall()]
    def values(n):
        c = t.column(n)
        if pa.types.is_timestamp(c.type): return c.cast(pa.int64()).to_pylist()
        return [None if v is None else str(v) for v in c.to_pylist()]
    out[f] = {
        "names": t.schema.names,
        "types": [str(x) for x in t.schema.types],
        "duckdb": duck_types,
        "pyarrow": {n: values(n) for n in t.schema.names},
        "duckdbTimes": duck,
    }
print(json.dumps(out))
`;
  const r = await new Deno.Command(python, {
    args: ["-c", script, dir, ...files],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  return JSON.parse(new TextDecoder().decode(r.stdout));
}

Deno.test(
  peerTest(
    "toParquet() and toArrow() write a data object's time column as a UTC timestamp pyarrow and DuckDB read back equal",
    { python: ["duckdb", "pyarrow"] },
    async () => {
      const emu = await sharedEmulator();
      const d = await client(emu).dobj(gat(emu).id);
      const t = await d.get(["TIMESTAMP", "co2"], { length: 50 });
      const ms = Array.from(t.array("TIMESTAMP") as number[]);
      assert.equal(typeof ms[0], "number"); // the table holds milliseconds (zero-copy)
      const dir = await Deno.makeTempDir({ prefix: "icoscp-time-" });
      try {
        // the table as read, a selection of it, its record of columns, and Dates
        await Deno.writeFile(join(dir, "t.parquet"), await toParquet(t));
        await Deno.writeFile(join(dir, "t.arrow"), toArrow(t));
        const sel = t.select("co2", "TIMESTAMP");
        await Deno.writeFile(join(dir, "sel.parquet"), await toParquet(sel));
        await Deno.writeFile(join(dir, "cols.arrow"), toArrow(await d.getColumns(["TIMESTAMP"])));
        const dates = await d.get(["TIMESTAMP"], { length: 50, dateTimeConvert: true });
        await Deno.writeFile(join(dir, "dates.parquet"), await toParquet(dates));
        const r = await peerRead(dir, [
          "t.parquet",
          "t.arrow",
          "sel.parquet",
          "cols.arrow",
          "dates.parquet",
        ]) as Record<string, {
          types: string[];
          duckdb: string[];
          names: string[];
          pyarrow: Record<string, unknown[]>;
          duckdbTimes: Record<string, unknown[]>;
        }>;
        for (const [f, x] of Object.entries(r)) {
          const i = x.names.indexOf("TIMESTAMP");
          assert.equal(x.types[i], "timestamp[ms, tz=UTC]", f);
          assert.equal(x.duckdb[i], "TIMESTAMP WITH TIME ZONE", f);
          assert.deepEqual(x.pyarrow.TIMESTAMP.slice(0, ms.length), ms, f);
          assert.deepEqual(x.duckdbTimes.TIMESTAMP, x.pyarrow.TIMESTAMP, f);
        }
        const pq = r["t.parquet"];
        assert.equal(pq.types[pq.names.indexOf("co2")], "float"); // co2 stays float32
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);

Deno.test(
  peerTest(
    "toParquet() and toArrow() write dates, times of day and named time columns as Parquet and Arrow times",
    { python: ["duckdb", "pyarrow"] },
    async () => {
      const day = Date.UTC(2016, 4, 10);
      const data = {
        when: new Float64Array([day + 3_600_000, NaN]),
        day: new Float64Array([day, day + 86_400_000]),
        tod: new Float64Array([3_600_000, 1_500]),
      };
      const times = { when: "dateTime", day: "date", tod: "timeOfDay" } as const;
      const dir = await Deno.makeTempDir({ prefix: "icoscp-time-" });
      try {
        await Deno.writeFile(join(dir, "k.parquet"), await toParquet(data, { times }));
        await Deno.writeFile(join(dir, "k.arrow"), toArrow(data, { times }));
        const r = await peerRead(dir, ["k.parquet", "k.arrow"]) as Record<
          string,
          { types: string[]; pyarrow: Record<string, unknown[]> }
        >;
        for (const f of ["k.parquet", "k.arrow"]) {
          assert.deepEqual(r[f].types, ["timestamp[ms, tz=UTC]", "date32[day]", "time32[ms]"], f);
          assert.deepEqual(r[f].pyarrow.when, [day + 3_600_000, null], f);
          assert.deepEqual(r[f].pyarrow.day, ["2016-05-10", "2016-05-11"], f);
          assert.deepEqual(r[f].pyarrow.tod, ["01:00:00", "00:00:01.500000"], f);
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);

Deno.test("toCsv() writes each time column in one ISO 8601 format", async () => {
  const midnight = Date.UTC(2016, 4, 10);
  const dates = [new Date(midnight), new Date(midnight + 3_600_000)];
  // arquero's own toCSV writes a date-time at midnight as a date: two formats in one column
  assert.deepEqual(
    table({ t: dates }).toCSV().trim().split("\n").slice(1),
    ["2016-05-10", "2016-05-10T01:00Z"],
  );
  assert.equal(toCsv({ t: dates }), "t\n2016-05-10T00:00:00Z\n2016-05-10T01:00:00Z\n");
  // one value with milliseconds: every row has them
  assert.equal(
    toCsv({ t: new Float64Array([midnight, midnight + 1_500, NaN]) }, { times: ["t"] }),
    "t\n2016-05-10T00:00:00.000Z\n2016-05-10T00:00:01.500Z\n\n",
  );
  assert.equal(
    toCsv({ d: new Float64Array([midnight]), m: new Float64Array([midnight]) }, {
      times: { d: "date", m: "month" },
    }),
    "d,m\n2016-05-10,2016-05\n",
  );
  assert.throws(() => toCsv({ a: [1] }, { times: ["TIMESTAMP"] }), UnknownColumnError);

  const emu = await sharedEmulator();
  const d = await client(emu).dobj(gat(emu).id);
  const t = await d.get(["TIMESTAMP", "co2"], { length: 3 });
  const lines = toCsv(t.select("TIMESTAMP", "co2")).trim().split("\n");
  assert.equal(lines[0], "TIMESTAMP,co2");
  assert.equal(lines.length, 4);
  for (const line of lines.slice(1)) {
    assert.match(line.split(",")[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  // the same table ordered and filtered keeps its time column
  const later = toCsv(t.select("TIMESTAMP").orderby("TIMESTAMP").filter(() => true));
  assert.equal(later, lines.map((l) => l.split(",")[0]).join("\n") + "\n");
});

Deno.test(
  peerTest(
    "icoscp dobj <pid> data --columns co2 keeps the time column (--no-time leaves it out)",
    { python: ["pyarrow"] },
    async () => {
      const emu = await sharedEmulator();
      const o = gat(emu);
      const dir = await Deno.makeTempDir({ prefix: "icoscp-time-cli-" });
      try {
        const { writeConfigFile } = await import("../../src/auth/_auth_file.ts");
        const config = join(dir, "conf.json");
        await writeConfigFile(config, { user: emu.user, password: emu.password });
        const p = ["--portal", emu.url, "--config", config, "dobj", `11676/${o.id}`, "data"];
        const csv = await runCli([...p, "--columns", "co2", "--length", "5", "--out", "x.csv"], {
          cwd: dir,
        });
        assert.equal(csv.code, 0, csv.stderr);
        const lines = (await Deno.readTextFile(join(dir, "x.csv"))).trim().split("\n");
        const at = lines[0].split(",").indexOf("TIMESTAMP");
        assert.ok(at >= 0 && lines[0].split(",").includes("co2"), lines[0]);
        assert.equal(lines.length, 6);
        for (const l of lines.slice(1)) {
          assert.match(l.split(",")[at], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        }
        const none = await runCli(
          [...p, "--columns", "co2", "--no-time", "--length", "5", "--out", "y.csv"],
          { cwd: dir },
        );
        assert.equal(none.code, 0, none.stderr);
        const header = (await Deno.readTextFile(join(dir, "y.csv"))).split("\n")[0];
        assert.ok(!header.includes("TIMESTAMP"), header);
        // every column but the time column
        const rest = await runCli([...p, "--no-time", "--length", "5", "--out", "z.csv"], {
          cwd: dir,
        });
        assert.equal(rest.code, 0, rest.stderr);
        const restHeader = (await Deno.readTextFile(join(dir, "z.csv"))).split("\n")[0];
        assert.deepEqual(restHeader.split(",").sort(), ["Flag", "NbPoints", "Stdev", "co2"]);
        const pq = await runCli(
          [...p, "--columns", "co2", "--length", "5", "--out", "x.parquet"],
          { cwd: dir },
        );
        assert.equal(pq.code, 0, pq.stderr);
        const r = await new Deno.Command(python, {
          args: [
            "-c",
            "import pyarrow.parquet as pq, sys; print(pq.read_table(sys.argv[1]).schema.field('TIMESTAMP').type)",
            join(dir, "x.parquet"),
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert.equal(new TextDecoder().decode(r.stdout).trim(), "timestamp[ms, tz=UTC]");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);

Deno.test("a STILT time series and an ETC table keep their time columns in toArrow, toCsv and showTable", async () => {
  const { tableFromIPC, Type } = await import("@uwdata/flechette");
  const { showTable } = await import("../../src/plot/mod.ts");
  const emu = await sharedEmulator();
  const cp = client(emu);
  const ts = await (await cp.stilt.get("GAT344")).getTs("2016-05-10", "2016-05-10", {
    columns: "co2",
  });
  const etc = await (await cp.dobj(
    emu.dataset.objects.find((o) => o.spec === "etcFluxnetProduct")!.id,
  )).get(["TIMESTAMP_END", "TA_F"], { length: 3 });
  // an etcLocalDateTime column renamed to a name no heuristic takes for a time
  const renamed = etc.select({ TIMESTAMP_END: "closing", TA_F: "TA_F" });
  for (
    const [t, name] of [[ts, "isodate"], [etc, "TIMESTAMP_END"], [renamed, "closing"]] as const
  ) {
    const field = tableFromIPC(toArrow(t)).schema.fields.find((f) => f.name === name)!;
    assert.equal(field.type.typeId, Type.Timestamp, name);
    const csv = toCsv(t.select(name)).trim().split("\n").slice(1);
    assert.ok(csv.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(l)), csv.join(" "));
    const html = (await showTable(t.select(name)).toMimeBundle())["text/html"];
    assert.match(html, new RegExp(csv[0].slice(0, 10)), name); // shown as a date, not 1.4e12
  }
});
