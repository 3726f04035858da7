/**
 * The portals' endpoints: the presets (ICOS, SITES, ICOS Cities) and the
 * layout of an emulator, one origin with a path prefix per portal service
 * (also what the command line's `--portal <url>` assumes).
 *
 * @module
 */

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

/** The addresses and names that differ between portals (ICOS, SITES, ICOS Cities, an emulator). */
export interface PortalEndpoints {
  /** Short name of the research infrastructure (`"ICOS"`, `"SITES"`, `"ICOSCities"`). */
  readonly envri: string;
  /** SPARQL endpoint, e.g. `https://meta.icos-cp.eu/sparql`. */
  readonly sparql: string;
  /** Base of landing pages: `<meta>/objects/<id>`, `<meta>/collections/<id>`. */
  readonly meta: string;
  /** Prefix of metadata resource URIs (stations, specs), e.g. `http://meta.icos-cp.eu/`. */
  readonly metaInstancePrefix: string;
  /** Data service: `/cpb`, `/csv/<id>`, `/objects/<id>`, `/licence`. */
  readonly data: string;
  /** Authentication service: `/password/login`, `/whoami`, `/cpauthcookie`. */
  readonly auth: string;
  /** STILT viewer service, when the portal has one. */
  readonly stilt?: string;
  /** Name of the authentication cookie (`cpauthToken`, `fieldsitesToken`). */
  readonly tokenName: string;
  /** The station class listed by default. */
  readonly defaultStationClass: string;
  /** Resolver of persistent identifiers (`https://hdl.handle.net/`). */
  readonly handleProxy: string;
}

/**
 * The ICOS Carbon Portal (the default).
 *
 * @example
 * ```ts
 * import { ICOS } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ICOS.sparql, "https://meta.icos-cp.eu/sparql");
 * assert.equal(ICOS.tokenName, "cpauthToken");
 * ```
 */
export const ICOS: PortalEndpoints = Object.freeze({
  envri: "ICOS",
  sparql: "https://meta.icos-cp.eu/sparql",
  meta: "https://meta.icos-cp.eu",
  metaInstancePrefix: "http://meta.icos-cp.eu/",
  data: "https://data.icos-cp.eu",
  auth: "https://cpauth.icos-cp.eu",
  stilt: "https://stilt.icos-cp.eu/viewer",
  tokenName: "cpauthToken",
  defaultStationClass: "http://meta.icos-cp.eu/ontologies/cpmeta/IcosStation",
  handleProxy: "https://hdl.handle.net/",
});

/**
 * The Swedish Infrastructure for Ecosystem Science data portal.
 *
 * @example
 * ```ts
 * import { SITES } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(SITES.tokenName, "fieldsitesToken");
 * ```
 */
export const SITES: PortalEndpoints = Object.freeze({
  envri: "SITES",
  sparql: "https://meta.fieldsites.se/sparql",
  meta: "https://meta.fieldsites.se",
  metaInstancePrefix: "https://meta.fieldsites.se/",
  data: "https://data.fieldsites.se",
  auth: "https://auth.fieldsites.se",
  tokenName: "fieldsitesToken",
  defaultStationClass: "https://meta.fieldsites.se/ontologies/sites/Station",
  handleProxy: "https://hdl.handle.net/",
});

/**
 * The ICOS Cities (PAUL) data portal.
 *
 * @example
 * ```ts
 * import { ICOS_CITIES } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ICOS_CITIES.data, "https://citydata.icos-cp.eu");
 * ```
 */
export const ICOS_CITIES: PortalEndpoints = Object.freeze({
  envri: "ICOSCities",
  sparql: "https://citymeta.icos-cp.eu/sparql",
  meta: "https://citymeta.icos-cp.eu",
  metaInstancePrefix: "https://citymeta.icos-cp.eu/",
  data: "https://citydata.icos-cp.eu",
  auth: "https://cpauth.icos-cp.eu",
  tokenName: "cpauthToken",
  defaultStationClass: "http://meta.icos-cp.eu/ontologies/cpmeta/IcosCitiesStation",
  handleProxy: "https://hdl.handle.net/",
});

/** The named presets accepted by {@linkcode CarbonPortalOptions.portal}. */
export type PortalName = "icos" | "sites" | "cities";

export const PRESETS: Record<PortalName, PortalEndpoints> = {
  icos: ICOS,
  sites: SITES,
  cities: ICOS_CITIES,
};
