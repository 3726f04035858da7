import assert from "node:assert/strict";
import { isoDay, slotHours, toMs } from "../../src/stilt/_hours.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

Deno.test("slotHours() maps each hour to the lower bound of its 3-hour slot", () => {
  assert.deepEqual(slotHours(["02:00", 3, 4]), [0, 3]);
  assert.deepEqual(slotHours(["10", "10:00", 10]), [9]);
  assert.deepEqual(slotHours([23, "0", "21:59"]), [0, 21]);
  assert.deepEqual(slotHours([]), [0, 3, 6, 9, 12, 15, 18, 21]);
  assert.deepEqual(slotHours(), [0, 3, 6, 9, 12, 15, 18, 21]);
  for (const bad of [24, -1, 2.5, "25:00", "noon", "1:2:3"]) {
    assert.throws(() => slotHours([bad]), InvalidArgumentError, String(bad));
  }
});

Deno.test("toMs() and isoDay() read day strings, months, Dates and epoch seconds as UTC", () => {
  assert.equal(toMs("2018-01-02"), Date.UTC(2018, 0, 2));
  assert.equal(toMs("2018-03"), Date.UTC(2018, 2, 1));
  assert.equal(toMs(1462838400), Date.UTC(2016, 4, 10));
  assert.equal(toMs("2016-05-10T03:00"), Date.UTC(2016, 4, 10, 3));
  assert.equal(isoDay(new Date(Date.UTC(2020, 4, 31, 21))), "2020-05-31");
  assert.throws(() => toMs("yesterday"), InvalidArgumentError);
});
