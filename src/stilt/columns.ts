/**
 * The column groups of STILT time series (docs/protocol.md §7.4), as icoscp_stilt's
 * `get_ts(columns=…)` knows them.
 *
 * @module
 */

import { UnknownColumnError, UnknownValueError } from "../errors.ts";
import { stringList } from "../_util/args.ts";

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
 * The columns of a group name (case-insensitive) or an explicit list of
 * column names (any case; `isodate` put first). Unlike icoscp_stilt, which
 * falls back to `default` for an unknown group and returns a column of NaN
 * for an unknown name, an unknown group is an {@linkcode UnknownValueError}
 * and an unknown column an {@linkcode UnknownColumnError}: a misspelt name
 * never looks like missing data.
 *
 * @param columns A group name or column names.
 * @returns The column names.
 * @throws {UnknownValueError} For a group that is none.
 * @throws {UnknownColumnError} For a column name that is none (the message lists them).
 *
 * @example
 * ```ts
 * import { UnknownValueError } from "@icoscp/icoscp";
 * import { stiltColumns } from "@icoscp/icoscp/stilt";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(stiltColumns("RN"), ["isodate", "rn", "rn.era", "rn.noah"]);
 * assert.deepEqual(stiltColumns(["CO2.bio"]), ["isodate", "co2.bio"]);
 * assert.throws(() => stiltColumns("nonsense"), UnknownValueError);
 * ```
 */
export function stiltColumns(columns: string | readonly string[] = "default"): string[] {
  if (columns === undefined || columns === null || columns === "") {
    return [...STILT_COLUMNS.default];
  }
  if (typeof columns === "string") {
    const group = STILT_COLUMNS[columns.trim().toLowerCase()];
    if (group) return [...group];
    // one column name alone is a list of one
    const known = knownColumns().find((c) => c.toLowerCase() === columns.trim().toLowerCase());
    if (known) return known === "isodate" ? ["isodate"] : ["isodate", known];
    throw new UnknownValueError("STILT column group", columns, {
      valid: Object.keys(STILT_COLUMNS),
    });
  }
  const list = stringList("stiltColumns", "columns", columns);
  const unknown: string[] = [];
  const names = list.map((c) => {
    const hit = knownColumns().find((k) => k.toLowerCase() === c.trim().toLowerCase());
    if (!hit) unknown.push(c);
    return hit ?? c;
  });
  if (unknown.length) {
    throw new UnknownColumnError("The STILT time series", {
      unknown,
      columns: knownColumns(),
    });
  }
  return ["isodate", ...new Set(names.filter((c) => c !== "isodate"))];
}

/** Every column of every group. */
function knownColumns(): string[] {
  return [...new Set(Object.values(STILT_COLUMNS).flat())];
}
