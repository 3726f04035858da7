import assert from "node:assert/strict";
import { table } from "arquero";
import { toArrow, toParquet } from "../../src/export/mod.ts";
import { peerTest, python } from "../_peers.ts";

const columns = () => ({
  TIMESTAMP: new Float64Array([
    Date.UTC(2016, 4, 10),
    Date.UTC(2016, 4, 10, 1),
    Date.UTC(2016, 4, 10, 2),
  ]),
  co2: new Float32Array([405.5, NaN, 406.25]),
  NbPoints: new Int32Array([0, 11, 12]),
  Flag: ["N", "O", "U"],
});

Deno.test("toArrow() and toParquet() write files that start with their magic bytes", async () => {
  const arrow = toArrow(columns());
  assert.equal(new TextDecoder().decode(arrow.subarray(0, 6)), "ARROW1");
  const stream = toArrow(table(columns()), { format: "stream" });
  assert.ok(stream.length > 0 && new TextDecoder().decode(stream.subarray(0, 6)) !== "ARROW1");
  const pq = await toParquet(columns());
  assert.equal(new TextDecoder().decode(pq.subarray(0, 4)), "PAR1");
  assert.equal(new TextDecoder().decode(pq.subarray(pq.length - 4)), "PAR1");
});

Deno.test(
  peerTest("toArrow() and toParquet() files read back in DuckDB with the same values", {
    python: ["duckdb", "pyarrow"],
  }, async () => {
    const dir = await Deno.makeTempDir({ prefix: "icoscp-export-" });
    try {
      await Deno.writeFile(`${dir}/t.arrow`, toArrow(columns()));
      await Deno.writeFile(`${dir}/t.parquet`, await toParquet(columns()));
      const script = `
import duckdb, pyarrow.ipc as ipc, json, sys, math
d = sys.argv[1]
pq = duckdb.sql(f"select * from '{d}/t.parquet'").fetchall()
arrow = ipc.open_file(d + "/t.arrow").read_all()
ar = duckdb.sql("select * from arrow").fetchall()
clean = lambda rows: [[None if isinstance(v, float) and math.isnan(v) else v for v in r] for r in rows]
print(json.dumps({"parquet": clean(pq), "arrow": clean(ar), "types": [str(t) for t in arrow.schema.types]}))
`;
      const out = await new Deno.Command(python, {
        args: ["-c", script, dir],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const r = JSON.parse(new TextDecoder().decode(out.stdout));
      const expected = [[Date.UTC(2016, 4, 10), 405.5, 0, "N"], [
        Date.UTC(2016, 4, 10, 1),
        null,
        11,
        "O",
      ], [Date.UTC(2016, 4, 10, 2), 406.25, 12, "U"]];
      assert.deepEqual(r.parquet, expected);
      assert.deepEqual(r.arrow, expected);
      // arquero dictionary-encodes string columns
      assert.deepEqual(r.types, [
        "double",
        "float",
        "int32",
        "dictionary<values=string, indices=int32, ordered=0>",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }),
);

Deno.test("toArrow() of a zero-row table keeps its columns and types (issue 22)", async () => {
  const { tableFromIPC } = await import("@uwdata/flechette");
  const empty = {
    TIMESTAMP: new Float64Array(0),
    co2: new Float32Array(0),
    NbPoints: new Int32Array(0),
    Flag: [] as string[],
  };
  for (const data of [empty, table(empty)]) {
    const back = tableFromIPC(toArrow(data));
    assert.equal(back.numRows, 0);
    assert.deepEqual(back.names, ["TIMESTAMP", "co2", "NbPoints", "Flag"]);
    assert.deepEqual(
      back.schema.fields.map((f) => [f.type.typeId, (f.type as { precision?: number }).precision]),
      [[3, 2], [3, 1], [2, undefined], [1, undefined]], // float64, float32, int32, null
    );
  }
  const pq = await toParquet(empty);
  assert.equal(new TextDecoder().decode(pq.subarray(0, 4)), "PAR1");
});
