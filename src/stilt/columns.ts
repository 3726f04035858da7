/**
 * The column groups of STILT time series (docs/protocol.md §7.4), as icoscp_stilt's
 * `get_ts(columns=…)` knows them.
 *
 * @module
 */

const CO2 = [
  "co2.stilt",
  "co2.bio",
  "co2.fuel",
  "co2.cement",
  "co2.non_fuel",
  "co2.bio.gee",
  "co2.bio.resp",
  "co2.fuel.coal",
  "co2.fuel.oil",
  "co2.fuel.gas",
  "co2.fuel.bio",
  "co2.fuel.waste",
  "co2.energy",
  "co2.transport",
  "co2.industry",
  "co2.residential",
  "co2.other_categories",
  "co2.background",
];
const CO = [
  "co.stilt",
  "co.fuel",
  "co.cement",
  "co.non_fuel",
  "co.fuel.coal",
  "co.fuel.oil",
  "co.fuel.gas",
  "co.fuel.bio",
  "co.fuel.waste",
  "co.energy",
  "co.transport",
  "co.industry",
  "co.residential",
  "co.other_categories",
  "co.background",
];
const CH4 = [
  "ch4.stilt",
  "ch4.anthropogenic",
  "ch4.natural",
  "ch4.agriculture",
  "ch4.waste",
  "ch4.energy",
  "ch4.other_categories",
  "ch4.wetlands",
  "ch4.soil_uptake",
  "ch4.wildfire",
  "ch4.other_natural",
  "ch4.background",
];

/** The named column groups (each starts with `isodate`). */
export const STILT_COLUMNS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  default: [
    "isodate",
    "co2.stilt",
    "co2.bio",
    "co2.fuel",
    "co2.cement",
    "co2.non_fuel",
    "co2.background",
  ],
  co2: ["isodate", ...CO2],
  co: ["isodate", ...CO],
  ch4: ["isodate", ...CH4],
  rn: ["isodate", "rn", "rn.era", "rn.noah"],
  wind: ["isodate", "wind.dir", "wind.u", "wind.v"],
  latlon: ["isodate", "latstart", "lonstart"],
  // icoscp_stilt's "all" repeats isodate; here every column appears once
  all: [
    "isodate",
    ...CO2,
    ...CO.slice(0, 4),
    ...CH4,
    ...CO.slice(4),
    "rn",
    "rn.era",
    "rn.noah",
    "wind.dir",
    "wind.u",
    "wind.v",
    "latstart",
    "lonstart",
  ],
});

/**
 * The columns of a group name (case-insensitive; unknown names give
 * `default`, as in icoscp_stilt) or an explicit list (`isodate` put first).
 *
 * @param columns A group name or column names.
 * @returns The column names.
 *
 * @example
 * ```ts
 * import { stiltColumns } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(stiltColumns("RN"), ["isodate", "rn", "rn.era", "rn.noah"]);
 * assert.deepEqual(stiltColumns(["co2.bio"]), ["isodate", "co2.bio"]);
 * assert.equal(stiltColumns("nonsense").length, 7);
 * ```
 */
export function stiltColumns(columns: string | readonly string[] = "default"): string[] {
  if (typeof columns === "string") {
    return [...(STILT_COLUMNS[columns.toLowerCase()] ?? STILT_COLUMNS.default)];
  }
  return ["isodate", ...columns.filter((c) => c !== "isodate")];
}
