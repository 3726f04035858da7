import assert from "node:assert/strict";
import {
  CorruptDataError,
  cpbEngine,
  decodeCpb,
  DecodeError,
  encodeCpb,
  LimitExceededError,
  TruncatedDataError,
  UnsupportedFormatError,
} from "../../mod.ts";
import {
  type CpbColumns,
  type CpbInputColumn,
  type CpbSchema,
  type CpbType,
  decodeCpbFile,
  decodeCpbStream,
} from "../../src/cpb/mod.ts";
import { prng, realFixture, withRealFixtures } from "../_fixtures.ts";
import { STAGE_BYTES, wasmSimd } from "../../src/_wasm/decoder.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const ENGINES = ["wasm", "ts"] as const;
const IFD: CpbSchema = { columns: ["INT", "FLOAT", "DOUBLE"], size: 344 };

Deno.test(
  withRealFixtures("decodeCpbFile() reads intFloatDouble344.cpb as the portal's tests say"),
  async () => {
    const file = await Deno.readFile(realFixture("data/intFloatDouble344.cpb"));
    assert.equal(file.length, 5514);
    for (const engine of ENGINES) {
      const c = decodeCpbFile(file, IFD, { engine });
      const ints = c["0"] as Int32Array;
      assert.ok(ints instanceof Int32Array);
      assert.equal(ints[0], 6466);
      assert.equal(ints[343], 6809);
      assert.ok(ints.every((v, i) => v === 6466 + i), "INT column is 6466…6809");
      const floats = c["1"] as Float32Array;
      assert.ok(floats instanceof Float32Array);
      assert.equal(floats[0], Math.fround(0.1646847));
      assert.equal(floats[1], Math.fround(0.16469160));
      assert.equal(floats[2], Math.fround(0.16473800));
      assert.equal(floats[343], Math.fround(0.1612696));
      const doubles = c["2"] as Float64Array;
      assert.deepEqual([doubles[0], doubles[1], doubles[2], doubles[343]], [
        419.2594,
        413.7135,
        399.9106,
        202.5468,
      ]);
    }
  },
);

Deno.test(
  withRealFixtures("decodeCpb() reads the first 5504 bytes of the fixture as a /cpb response"),
  async () => {
    const file = await Deno.readFile(realFixture("data/intFloatDouble344.cpb"));
    const labels = ["RECORD", "SWC1_IRR_Avg", "Rnet_NCOR_Avg"];
    const body = file.subarray(0, 5504);
    const wasm = decodeCpb(body, { ...IFD, labels }, { engine: "wasm" });
    const ts = decodeCpb(body, { ...IFD, labels }, { engine: "ts" });
    assert.deepEqual(Object.keys(wasm), labels);
    assert.deepEqual(wasm, ts);
    assert.equal(wasm.Rnet_NCOR_Avg[343], 202.5468);
    // the whole file is not a response: its 10 dictionary bytes are extra
    assert.throws(() => decodeCpb(file, IFD), CorruptDataError);
  },
);

Deno.test(
  withRealFixtures("decodeCpbFile() reads a slice of one column at its file offset"),
  async () => {
    const file = await Deno.readFile(realFixture("data/intFloatDouble344.cpb"));
    for (const engine of ENGINES) {
      const c = decodeCpbFile(file, IFD, {
        columnNumbers: [2, 0],
        slice: { offset: 1, length: 2 },
        engine,
      });
      assert.deepEqual(Object.keys(c).sort(), ["0", "2"]);
      assert.deepEqual(c["2"], new Float64Array([413.7135, 399.9106]));
      assert.deepEqual(c["0"], new Int32Array([6467, 6468]));
    }
  },
);

Deno.test("cpbEngine() picks wasm with simd128 in Deno", () => {
  assert.equal(cpbEngine(), "wasm");
  assert.equal(wasmSimd(), true);
});

const TYPES: CpbType[] = ["INT", "FLOAT", "DOUBLE", "SHORT", "CHAR", "BYTE", "STRING"];

function randomColumn(type: CpbType, rows: number, rnd: () => number): CpbInputColumn {
  const values: (number | string)[] = [];
  for (let i = 0; i < rows; i++) {
    const r = rnd();
    switch (type) {
      case "INT":
        values.push(r < 0.05 ? -2147483648 : Math.floor((r - 0.5) * 2 ** 32));
        break;
      case "FLOAT":
        values.push(r < 0.05 ? NaN : Math.fround((r - 0.5) * 1e6));
        break;
      case "DOUBLE":
        values.push(r < 0.05 ? NaN : r < 0.1 ? -Infinity : (r - 0.5) * 1e12 + r / 7);
        break;
      case "SHORT":
        values.push(Math.floor((r - 0.5) * 65536));
        break;
      case "CHAR":
        values.push(Math.floor(r * 65536));
        break;
      case "BYTE":
        values.push(Math.floor((r - 0.5) * 256));
        break;
      case "STRING":
        values.push(
          ["O", "U", "", "Plaß-Dülmer", "𝄞", `s${Math.floor(r * 20)}`][Math.floor(r * 6)],
        );
        break;
    }
  }
  return { type, values: values as number[] | string[] };
}

function expected(col: CpbInputColumn): unknown[] {
  return Array.from(col.values as ArrayLike<unknown>);
}

function asArray(c: CpbColumns[string]): unknown[] {
  return Array.from(c as ArrayLike<unknown>);
}

Deno.test("encodeCpb() and decodeCpbFile() round-trip random schemas, sizes and slices", () => {
  const rnd = prng(20261122);
  const sizes = [0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 257, 1000, STAGE_BYTES / 8 + 3];
  for (let trial = 0; trial < 40; trial++) {
    const rows = sizes[trial % sizes.length];
    const ncol = 1 + Math.floor(rnd() * 7);
    const types = Array.from({ length: ncol }, () => TYPES[Math.floor(rnd() * TYPES.length)]);
    const cols = types.map((t) => randomColumn(t, rows, rnd));
    const file = encodeCpb(cols);
    const schema: CpbSchema = { columns: types, size: rows };
    const offset = Math.floor(rnd() * (rows + 1));
    const length = Math.floor(rnd() * (rows - offset + 1));
    const numbers = types.map((_, i) => i).filter(() => rnd() < 0.7).reverse();
    for (const engine of ENGINES) {
      const all = decodeCpbFile(file, schema, { engine });
      types.forEach((_, i) => {
        assert.deepEqual(
          asArray(all[String(i)]),
          expected(cols[i]),
          `trial ${trial} ${engine} col ${i}`,
        );
      });
      const part = decodeCpbFile(file, schema, {
        engine,
        columnNumbers: numbers,
        slice: { offset, length },
      });
      assert.deepEqual(Object.keys(part), numbers.map(String).sort((a, b) => +a - +b));
      for (const n of numbers) {
        assert.deepEqual(
          asArray(part[String(n)]),
          expected(cols[n]).slice(offset, offset + length),
        );
      }
    }
  }
});

Deno.test("decodeCpb() with wasm agrees with the TypeScript reference byte for byte", () => {
  const rnd = prng(7);
  for (const rows of [0, 1, 5, 16, 1023, STAGE_BYTES / 4 + 1, STAGE_BYTES / 2 + 5]) {
    const types: CpbType[] = ["DOUBLE", "FLOAT", "INT", "SHORT", "CHAR", "BYTE"];
    // random bytes: every bit pattern, NaN payloads included
    const body = new Uint8Array(rows * 21);
    for (let i = 0; i < body.length; i++) body[i] = Math.floor(rnd() * 256);
    const schema: CpbSchema = { columns: types, size: rows };
    const a = decodeCpb(body, schema, { engine: "wasm" });
    const b = decodeCpb(body, schema, { engine: "ts" });
    for (const k of Object.keys(b)) {
      const x = a[k] as Float64Array;
      const y = b[k] as Float64Array;
      assert.deepEqual(
        new Uint8Array(x.buffer, x.byteOffset, x.byteLength),
        new Uint8Array(y.buffer, y.byteOffset, y.byteLength),
        `rows ${rows} column ${k}`,
      );
    }
  }
});

Deno.test("decodeCpb() decodes into caller-supplied arrays and returns them", () => {
  const body = encodeCpb([
    { type: "DOUBLE", values: [1, 2, 3] },
    { type: "CHAR", values: [79, 85, 78] },
  ], { dictionary: false });
  const schema: CpbSchema = { columns: ["DOUBLE", "CHAR"], size: 3, labels: ["v", "Flag"] };
  const into = { v: new Float64Array(3), Flag: new Uint16Array(3) };
  for (const engine of ENGINES) {
    into.v.fill(0);
    const out = decodeCpb(body, schema, { into, engine });
    assert.equal(out.v, into.v);
    assert.deepEqual(Array.from(into.v), [1, 2, 3]);
    assert.equal(String.fromCharCode(...into.Flag), "OUN");
  }
  assert.throws(
    () => decodeCpb(body, schema, { into: { v: new Float32Array(3) } }),
    /into\.v must be a Float64Array of 3 elements/,
  );
});

Deno.test("decodeCpb() rejects a short body with the byte offset where it ends", () => {
  const schema: CpbSchema = { columns: ["INT", "FLOAT", "DOUBLE"], size: 10 };
  const body = new Uint8Array(159);
  for (const engine of ENGINES) {
    assert.throws(() => decodeCpb(body, schema, { engine }), (e) => {
      assert.ok(e instanceof TruncatedDataError);
      assert.ok(e instanceof DecodeError);
      assert.equal(e.byteOffset, 159);
      assert.match(e.message, /expected 160 bytes, got 159/);
      return true;
    });
    assert.throws(() => decodeCpb(new Uint8Array(0), schema, { engine }), TruncatedDataError);
  }
});

Deno.test("decodeCpb() rejects schemas, column numbers and slices that do not fit", () => {
  const body = new Uint8Array(16);
  const schema: CpbSchema = { columns: ["INT", "FLOAT"], size: 2 };
  for (const engine of ENGINES) {
    assert.throws(
      () => decodeCpb(body, { columns: ["LONG" as CpbType], size: 2 }, { engine }),
      InvalidArgumentError,
    );
    assert.throws(
      () => decodeCpb(body, { columns: ["INT"], size: -1 }, { engine }),
      InvalidArgumentError,
    );
    assert.throws(
      () => decodeCpb(body, { columns: ["INT"], size: 1.5 }, { engine }),
      InvalidArgumentError,
    );
    assert.throws(
      () => decodeCpb(body, schema, { columnNumbers: [2], engine }),
      InvalidArgumentError,
    );
    assert.throws(
      () => decodeCpb(body, schema, { columnNumbers: [0, 0], engine }),
      InvalidArgumentError,
    );
    assert.throws(
      () => decodeCpb(body, schema, { slice: { offset: 1, length: 2 }, engine }),
      InvalidArgumentError,
    );
    assert.throws(
      () => decodeCpb(body, { columns: ["INT"], size: 2, labels: ["a", "b"] }, { engine }),
      InvalidArgumentError,
    );
  }
  assert.throws(() => decodeCpb(body, schema, { engine: "gpu" as "ts" }), InvalidArgumentError);
  assert.throws(() => decodeCpb([1, 2] as unknown as Uint8Array, schema), InvalidArgumentError);
});

Deno.test("decodeCpb() needs a dictionary for STRING columns of a response", () => {
  const body = encodeCpb([{ type: "STRING", values: ["a", "b", "a"] }], { dictionary: false });
  const schema: CpbSchema = { columns: ["STRING"], size: 3 };
  assert.throws(() => decodeCpb(body, schema), /pass options\.strings/);
  assert.deepEqual(decodeCpb(body, schema, { strings: ["a", "b"] })["0"], ["a", "b", "a"]);
  assert.throws(() => decodeCpb(body, schema, { strings: ["a"] }), (e) => {
    assert.ok(e instanceof CorruptDataError);
    assert.equal(e.byteOffset, 4);
    return true;
  });
});

Deno.test("decodeCpbFile() reports a hostile dictionary as a typed error in both engines", () => {
  const data = encodeCpb([{ type: "STRING", values: ["x"] }], { dictionary: false });
  const schema: CpbSchema = { columns: ["STRING"], size: 1 };
  const withTrailer = (t: number[]) => new Uint8Array([...data, ...t]);
  const cases: [number[], new (...a: never[]) => DecodeError, number][] = [
    [[0xac, 0xed], TruncatedDataError, 4],
    [[1, 2, 3, 4, 0x77, 4, 0, 0, 0, 0], CorruptDataError, 4],
    [[0xac, 0xed, 0, 5, 0x77, 4, 0x7f, 0xff, 0xff, 0xff], LimitExceededError, 10],
    [[0xac, 0xed, 0, 5, 0x73], UnsupportedFormatError, 8],
    [[0xac, 0xed, 0, 5, 0x77, 7, 0, 0, 0, 1, 0, 1, 0xff], CorruptDataError, 16],
    [[0xac, 0xed, 0, 5, 0x77, 9, 0, 0, 0, 1], TruncatedDataError, 8],
  ];
  for (const engine of ENGINES) {
    for (const [trailer, Kind, offset] of cases) {
      assert.throws(() => decodeCpbFile(withTrailer(trailer), schema, { engine }), (e) => {
        assert.ok(e instanceof Kind, `${engine} ${trailer}: ${e}`);
        assert.equal((e as DecodeError).byteOffset, offset, `${engine} ${trailer}`);
        return true;
      });
    }
  }
});

Deno.test("decodeCpbFile() survives every truncation and bit flip without a crash", () => {
  const file = encodeCpb([
    { type: "STRING", values: ["alpha", "βeta", "𝄞", "alpha"] },
    { type: "DOUBLE", values: [1, 2, 3, 4] },
  ]);
  const schema: CpbSchema = { columns: ["STRING", "DOUBLE"], size: 4 };
  for (const engine of ENGINES) {
    for (let n = 0; n < file.length; n++) {
      for (const bytes of [file.subarray(0, n), file.map((b, i) => (i === n ? b ^ 0xa5 : b))]) {
        try {
          decodeCpbFile(bytes, schema, { engine });
        } catch (e) {
          assert.ok(e instanceof DecodeError, `${engine} at ${n}: ${e}`);
        }
      }
    }
  }
});

function chunked(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let pos = 0;
  let k = 0;
  return new ReadableStream({
    pull(c) {
      if (pos >= bytes.length) return c.close();
      const n = sizes[k++ % sizes.length];
      c.enqueue(bytes.slice(pos, pos + n));
      pos += n;
    },
  });
}

Deno.test("decodeCpbStream() decodes bodies split at any byte", async () => {
  const rnd = prng(3);
  const types: CpbType[] = ["DOUBLE", "CHAR", "FLOAT", "BYTE", "INT", "SHORT"];
  const rows = 1001;
  const cols = types.map((t) => randomColumn(t, rows, rnd));
  const body = encodeCpb(cols, { dictionary: false });
  const schema: CpbSchema = { columns: types, size: rows };
  const whole = decodeCpb(body, schema, { engine: "ts" });
  for (const engine of ENGINES) {
    for (const sizes of [[1], [3, 5, 7], [8], [4096], [65536], [body.length]]) {
      const got = await decodeCpbStream(chunked(body, sizes), schema, { engine });
      assert.deepEqual(got, whole, `${engine} ${sizes}`);
    }
  }
});

Deno.test("decodeCpbStream() rejects a body that ends early or runs long", async () => {
  const body = encodeCpb([{ type: "DOUBLE", values: [1, 2, 3] }], { dictionary: false });
  const schema: CpbSchema = { columns: ["DOUBLE"], size: 3 };
  for (const engine of ENGINES) {
    await assert.rejects(
      decodeCpbStream(chunked(body.subarray(0, 20), [7]), schema, { engine }),
      (e) => {
        assert.ok(e instanceof TruncatedDataError);
        assert.equal(e.byteOffset, 20);
        return true;
      },
    );
    const long = new Uint8Array([...body, 0]);
    await assert.rejects(decodeCpbStream(chunked(long, [5]), schema, { engine }), CorruptDataError);
  }
  const empty = await decodeCpbStream(chunked(new Uint8Array(0), [1]), {
    columns: ["INT"],
    size: 0,
  });
  assert.deepEqual(empty["0"], new Int32Array(0));
});

Deno.test("encodeCpb() assigns string indices in order of first appearance", () => {
  const file = encodeCpb([{ type: "STRING", values: ["b", "a", "b"] }]);
  const dv = new DataView(file.buffer);
  assert.deepEqual([dv.getInt32(0), dv.getInt32(4), dv.getInt32(8)], [0, 1, 0]);
  assert.deepEqual(Array.from(file.subarray(12, 16)), [0xac, 0xed, 0, 5]);
  assert.throws(
    () => encodeCpb([{ type: "INT", values: [1] }, { type: "INT", values: [] }]),
    InvalidArgumentError,
  );
  assert.throws(
    () => encodeCpb([{ type: "INT", values: ["1"] as unknown as number[] }]),
    InvalidArgumentError,
  );
});

Deno.test("decodeCpbStream() reads a fetch Response with a BYOB reader into its arrays", async () => {
  const body = encodeCpb([{ type: "DOUBLE", values: [1.5, 2.5, 3.5] }, {
    type: "INT",
    values: [7, 8, 9],
  }], {
    dictionary: false,
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(body as Uint8Array<ArrayBuffer>),
  );
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    const cols = await decodeCpbStream(res, { columns: ["DOUBLE", "INT"], size: 3 });
    assert.deepEqual(cols["0"], new Float64Array([1.5, 2.5, 3.5]));
    assert.deepEqual(cols["1"], new Int32Array([7, 8, 9]));
  } finally {
    await server.shutdown();
  }
});
