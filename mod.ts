/**
 * # icoscp for TypeScript
 *
 * A client for the [ICOS Carbon Portal](https://www.icos-cp.eu/): metadata,
 * data objects as typed arrays, and the portal's binary table format, for
 * Deno, browsers, edge functions and Node. The binary decoding runs in a Rust
 * kernel compiled to WebAssembly, inlined in the module (no `.wasm` fetch).
 *
 * @example Decoding a cpb table
 * ```ts
 * import { decodeCpb, encodeCpb } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const body = encodeCpb([
 *   { type: "DOUBLE", values: [1462838400000, 1462842000000] },
 *   { type: "FLOAT", values: [405.585, 406.25] },
 * ], { dictionary: false });
 * const cols = decodeCpb(body, { columns: ["DOUBLE", "FLOAT"], size: 2, labels: ["TIMESTAMP", "co2"] });
 * assert.equal(new Date(cols.TIMESTAMP[0] as number).toISOString(), "2016-05-10T00:00:00.000Z");
 * assert.equal(cols.co2[0], Math.fround(405.585));
 * ```
 *
 * @example A client with an injected fetch
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const cp = new CarbonPortal({ portal: "sites", fetch: () => Promise.resolve(Response.json([])) });
 * assert.equal(cp.endpoints.tokenName, "fieldsitesToken");
 * assert.deepEqual(await cp.fetchJson(`${cp.endpoints.meta}/objects/x`, "Fetching JSON metadata"), []);
 * ```
 *
 * @module
 */

export * from "./src/errors.ts";
export * from "./src/client.ts";
export * from "./src/cpb.ts";
export * from "./src/ids.ts";
export * from "./src/auth.ts";
export * from "./src/authentication.ts";
export * from "./src/dobj.ts";
export type * from "./src/meta_types.ts";
export * from "./src/sparql/mod.ts";
export * from "./src/netcdf.ts";
export * from "./src/station.ts";
export * from "./src/collection.ts";
export * from "./src/country.ts";
export * from "./src/map.ts";
export * from "./src/stilt/mod.ts";
export * from "./src/export.ts";
