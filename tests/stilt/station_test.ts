import assert from "node:assert/strict";
import {
  locIdent,
  parseLocIdent,
  stationName,
  STILT_COLUMNS,
  stiltColumns,
} from "../../src/stilt/mod.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

Deno.test("locIdent() and parseLocIdent() round-trip STILT location identifiers", () => {
  assert.equal(locIdent(47.39, 8.54, 200), "47.39Nx008.54Ex00200");
  assert.equal(locIdent(54.15, -10.07, 100), "54.15Nx010.07Wx00100");
  assert.equal(locIdent(-20.01, -150.01, 1234), "20.01Sx150.01Wx01234");
  assert.equal(locIdent(46.55, 7.98, 720), "46.55Nx007.98Ex00720");
  assert.deepEqual(parseLocIdent("47.42Nx010.98Ex00730"), { lat: 47.42, lon: 10.98, alt: 730 });
  assert.throws(() => parseLocIdent("47.42x010.98"), InvalidArgumentError);
});

Deno.test("stationName() appends the altitude like icoscp_stilt", () => {
  assert.equal(stationName("ZSF", "Zugspitze", 730), "Zugspitze 730m");
  assert.equal(stationName("MED-1", "nan", 200), "MED-1 200m");
  assert.equal(stationName("HHHH", undefined, 100), "HHHH 100m");
  assert.equal(stationName("KIT030", "Karlsruhe 30m", 30), "Karlsruhe 30m");
});

Deno.test("stiltColumns() knows icoscp_stilt's groups, case-insensitively", () => {
  assert.deepEqual(stiltColumns(), [
    "isodate",
    "co2.stilt",
    "co2.bio",
    "co2.fuel",
    "co2.cement",
    "co2.non_fuel",
    "co2.background",
  ]);
  assert.equal(stiltColumns("CO2").length, 19);
  assert.equal(stiltColumns("co").length, 16);
  assert.equal(stiltColumns("ch4").length, 13);
  assert.deepEqual(stiltColumns("wind"), ["isodate", "wind.dir", "wind.u", "wind.v"]);
  assert.deepEqual(stiltColumns("latlon"), ["isodate", "latstart", "lonstart"]);
  const all = STILT_COLUMNS.all;
  assert.equal(new Set(all).size, all.length, "all has no duplicate isodate");
  assert.equal(all.length, 1 + 18 + 15 + 12 + 3 + 3 + 2);
  assert.deepEqual(stiltColumns(["co2.bio", "isodate", "rn"]), ["isodate", "co2.bio", "rn"]);
});
