// From decoded cpb columns to data columns (src/cpb/_columns.ts), for the value
// formats and flag layouts the emulator's objects do not carry: int32 and
// int16 columns that need masking, dates, months and times of day.

import assert from "node:assert/strict";
import { toDataColumns } from "../../src/cpb/_columns.ts";

const INT_NULL = -2147483648;
const codes = (s: string) => Uint16Array.from(s, (c) => c.charCodeAt(0));

Deno.test("an int32 column with a flag becomes a Float64Array: NaN for bad flags and for null", () => {
  const out = toDataColumns(
    {
      n: new Int32Array([1, 2, INT_NULL, 4, -5]),
      s: new Int16Array([10, -20, 30, 40, 50]),
      f: codes("OKOOK"),
    },
    [
      { label: "n", format: "int32", flag: "f" },
      { label: "s", format: "int16", flag: "f" },
      { label: "f", format: "bmpChar" },
    ],
    ["O"],
    false,
  );
  assert.ok(out.n instanceof Float64Array);
  assert.deepEqual(Array.from(out.n), [1, NaN, NaN, 4, NaN]);
  assert.ok(out.s instanceof Float64Array);
  assert.deepEqual(Array.from(out.s), [10, NaN, 30, 40, NaN]);
  assert.deepEqual(out.f, ["O", "K", "O", "O", "K"]);
  // kept: the int32 column stays as stored
  const kept = toDataColumns(
    { n: new Int32Array([1, 2]), f: codes("OK") },
    [{ label: "n", format: "int32", flag: "f" }, { label: "f", format: "bmpChar" }],
    ["O"],
    true,
  );
  assert.deepEqual(kept.n, new Int32Array([1, 2]));
});

Deno.test("float columns are masked by multiplying: -0, infinities and good values are kept", () => {
  const out = toDataColumns(
    { x: new Float32Array([-0, Infinity, 3.5, -Infinity, 7]), f: codes("OOKOU") },
    [{ label: "x", format: "float32", flag: "f" }, { label: "f", format: "bmpChar" }],
    ["O", "U"],
    false,
  );
  const x = out.x as Float32Array;
  assert.ok(Object.is(x[0], -0));
  assert.equal(x[1], Infinity);
  assert.ok(Number.isNaN(x[2]));
  assert.equal(x[3], -Infinity);
  assert.equal(x[4], 7);
});

Deno.test('dates, months and times of day become milliseconds; null is NaN, a null flag is ""', () => {
  const out = toDataColumns(
    {
      d: new Int32Array([0, 19723, INT_NULL]),
      m: new Int32Array([2024 * 12 + 1, INT_NULL]),
      t: new Int32Array([3600, INT_NULL]),
      f: new Uint16Array([0, 79]),
    },
    [
      { label: "d", format: "iso8601date" },
      { label: "m", format: "iso8601month" },
      { label: "t", format: "iso8601timeOfDay" },
      { label: "f", format: "bmpChar" },
    ],
    undefined,
    false,
  );
  assert.deepEqual(Array.from(out.d as Float64Array), [0, Date.UTC(2024, 0, 1), NaN]);
  assert.deepEqual(Array.from(out.m as Float64Array), [Date.UTC(2024, 1, 1), NaN]);
  assert.deepEqual(Array.from(out.t as Float64Array), [3_600_000, NaN]);
  assert.deepEqual(out.f, ["", "O"]);
});

Deno.test("masking covers every flag code: codes past the good ones, non-ASCII, U+FFFF, and alternating good-flag sets", () => {
  // 'O' + 128 and 'O' + 256 alias 'O' in a table cut to 7 or 8 bits
  const flags = String.fromCharCode(79, 0, 79 + 128, 79 + 256, 0xffff, 233, 85, 90);
  const mask = (good: string[]) =>
    Array.from(
      toDataColumns(
        { x: new Float64Array(flags.length).fill(2), f: codes(flags) },
        [{ label: "x", format: "float64", flag: "f" }, { label: "f", format: "bmpChar" }],
        good,
        false,
      ).x as Float64Array,
      (v) => Number.isNaN(v) ? "bad" : "ok",
    );
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(mask(["O"]), ["ok", "bad", "bad", "bad", "bad", "bad", "bad", "bad"]);
    assert.deepEqual(mask(["U", "O"]), ["ok", "bad", "bad", "bad", "bad", "bad", "ok", "bad"]);
    assert.deepEqual(mask(["é"]), ["bad", "bad", "bad", "bad", "bad", "ok", "bad", "bad"]);
    assert.deepEqual(mask(["\uffff", "OK"]), [
      "bad",
      "bad",
      "bad",
      "bad",
      "ok",
      "bad",
      "bad",
      "bad",
    ]);
    assert.deepEqual(mask(["OK"]), Array(8).fill("bad"));
  }
  // an int column needing a mask takes the same table
  const n = toDataColumns(
    { n: new Int32Array([1, 2, 3]), f: codes(String.fromCharCode(79, 79 + 256, 0xffff)) },
    [{ label: "n", format: "int32", flag: "f" }, { label: "f", format: "bmpChar" }],
    ["O"],
    false,
  ).n as Float64Array;
  assert.deepEqual(Array.from(n), [1, NaN, NaN]);
});
