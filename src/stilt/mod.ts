/**
 * STILT: stations, concentration time series and footprints, anywhere.
 *
 * @example
 * ```ts
 * import { locIdent, stiltColumns } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(locIdent(47.42, 10.98, 730), "47.42Nx010.98Ex00730");
 * assert.equal(stiltColumns("wind")[1], "wind.dir");
 * ```
 *
 * @module
 */

export * from "./station.ts";
export * from "./selection.ts";
export * from "./filters.ts";
export * from "./columns.ts";
export * from "./footprints.ts";
export * from "./api.ts";
