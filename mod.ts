/**
 * # icoscp for TypeScript
 *
 * A client for the [ICOS Carbon Portal](https://www.icos-cp.eu/) (and SITES
 * and ICOS Cities) for Deno, browsers, edge functions and Node: stations and
 * data objects, data as typed arrays or arquero tables, verified downloads,
 * SPARQL with built-in queries, STILT footprints and time series, a NetCDF-3/4
 * reader, Arrow/Parquet export, a command line, and a local emulator of the
 * portal for offline work and tests. Binary decoding runs in Rust compiled to
 * WebAssembly, inlined in the module. Start with {@linkcode CarbonPortal}.
 *
 * Against the real portal, `new CarbonPortal()` is all it takes; the examples
 * below run against the emulator (`@icoscp/emulator`), its offline twin.
 *
 * @example Stations, a data object and its data
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { startEmulator } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * await using emu = await startEmulator();
 * const cp = new CarbonPortal({ portal: emu.endpoints, auth: { user: emu.user, password: emu.password } });
 * const gat = await cp.station.get("GAT");
 * assert.equal(gat.name, "Gartow");
 * const obj = emu.dataset.objects.find((o) => o.fileName.includes("GAT_341.0_CTS_CO2"))!;
 * const d = await cp.dobj(obj.id);
 * assert.match(d.citation ?? "", /Gartow/);
 * const cols = await d.getColumns(["co2"]); // Float32Array, bad flags masked as NaN
 * assert.equal(cols.co2.length, d.rows);
 * ```
 *
 * @example SPARQL and the built-in queries
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { startEmulator } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * await using emu = await startEmulator();
 * const cp = new CarbonPortal({ portal: emu.endpoints });
 * const r = await cp.sparql.select(
 *   "select ?id where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasStationId> ?id } order by ?id",
 * );
 * assert.ok(r.rows.some((row) => row.string("id") === "GAT"));
 * ```
 *
 * @example STILT time series and footprints
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { startEmulator } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * await using emu = await startEmulator();
 * const cp = new CarbonPortal({ portal: emu.endpoints });
 * const st = await cp.stilt.get("GAT344");
 * const ts = await st.getTs("2016-05-10", "2016-05-10", { hours: [12], columns: "co2" });
 * assert.equal(ts.numRows(), 1);
 * const fp = await st.getFp("2016-05-10", "2016-05-10", { hours: [12] });
 * assert.deepEqual(fp.shape, [1, 480, 400]); // time × lat × lon
 * ```
 *
 * @example Reading a NetCDF file
 * ```ts
 * import { openNetCDF } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * // CDF-1: one dimension x = 3, one variable `short v(x)` = 1, 2, 3.
 * const file = new Uint8Array([
 *   67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0,
 *   0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1,
 *   118, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
 *   0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0, 0,
 * ]);
 * const nc = await openNetCDF(file);
 * assert.deepEqual(await nc.read("v"), new Int16Array([1, 2, 3]));
 * ```
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
 * @example The command line
 * ```ts
 * import { main } from "@icoscp/icoscp/cli";
 * import { startEmulator } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * await using emu = await startEmulator();
 * const out: string[] = [];
 * assert.equal(await main(["--portal", emu.url, "stations", "--theme", "AS"], { stdout: (s) => out.push(s) }), 0);
 * assert.match(out.join(""), /^GAT,Gartow,AS,/m);
 * ```
 *
 * @module
 */

export {
  AuthenticationError,
  CarbonPortalError,
  CorruptDataError,
  DecodeError,
  type DecodeErrorKind,
  HttpError,
  type HttpErrorDetails,
  IntegrityError,
  InvalidArgumentError,
  LicenceError,
  LimitExceededError,
  MirrorError,
  NetworkError,
  NoParserError,
  NotFoundError,
  QuotaExceededError,
  RangeNotSupportedError,
  ServerError,
  SourceChangedError,
  SparqlError,
  TimeoutError,
  TruncatedDataError,
  UnknownColumnError,
  UnknownOptionError,
  UnknownValueError,
  UnsupportedFormatError,
  WasmUnavailableError,
} from "./src/errors.ts";
export { type DecoderSource, initDecoder } from "./src/_wasm/decoder.ts";
export {
  CarbonPortal,
  type CarbonPortalOptions,
  emulatorEndpoints,
  type FetchFn,
  ICOS,
  ICOS_CITIES,
  objectId,
  objectIdOf,
  type PortalEndpoints,
  type PortalName,
  type PortalRequestInit,
  type RetryOptions,
  SITES,
} from "./src/client/mod.ts";
export * from "./src/dobj/mod.ts";
export { Footprints } from "./src/stilt/mod.ts";
export { cpbEngine, decodeCpb, encodeCpb } from "./src/cpb/mod.ts";
export { openNetCDF } from "./src/netcdf/mod.ts";
export { Collection, Station } from "./src/discovery/mod.ts";
export { search } from "./src/search/mod.ts";
// Everything else is under a subpath: `./auth`, `./cpb`, `./codecs`, `./netcdf`, `./discovery`,
// `./search`, `./originals`, `./sparql`, `./stilt`, `./export`, `./plot`, `./cli`, `./mirror`
// (docs/migrating-from-python.md lists what moved where).
