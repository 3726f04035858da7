/**
 * The endpoint layout of the emulator: one origin, a path prefix per portal
 * service. Also what the command line's `--portal <url>` assumes.
 *
 * @module
 */

import type { PortalEndpoints } from "./client.ts";
import { text } from "../_util/args.ts";

/**
 * The endpoints of an emulator (or any portal laid out like it) at an origin.
 *
 * @param url The origin, e.g. `http://127.0.0.1:8080`.
 * @returns The endpoints, for `new CarbonPortal({ portal })`.
 *
 * @example
 * ```ts
 * import { emulatorEndpoints } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * assert.equal(emulatorEndpoints("http://127.0.0.1:8080/").sparql, "http://127.0.0.1:8080/meta/sparql");
 * ```
 */
export function emulatorEndpoints(url: string): PortalEndpoints {
  text("emulatorEndpoints", "url", url);
  const base = url.replace(/\/+$/, "");
  return Object.freeze({
    envri: "ICOS",
    sparql: `${base}/meta/sparql`,
    meta: `${base}/meta`,
    metaInstancePrefix: `${base}/meta/`,
    data: `${base}/data`,
    auth: `${base}/auth`,
    stilt: `${base}/stilt/viewer`,
    tokenName: "cpauthToken",
    defaultStationClass: "http://meta.icos-cp.eu/ontologies/cpmeta/IcosStation",
    handleProxy: "https://hdl.handle.net/",
  });
}
