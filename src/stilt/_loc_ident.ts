// Private: STILT location identifiers (`47.42Nx010.98Ex00730`) and display
// names.

import { InvalidArgumentError } from "../errors.ts";

/**
 * The location identifier STILT files are named by: `47.42Nx010.98Ex00730`.
 *
 * @param lat Latitude.
 * @param lon Longitude.
 * @param alt Altitude above ground, metres.
 * @returns The identifier.
 *
 * @example
 * ```ts
 * import { locIdent } from "./station.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(locIdent(54.15, -10.07, 100), "54.15Nx010.07Wx00100");
 * ```
 */
export function locIdent(lat: number, lon: number, alt: number): string {
  const la = Math.abs(lat).toFixed(2).padStart(5, "0");
  const lo = Math.abs(lon).toFixed(2).padStart(6, "0");
  return `${la}${lat < 0 ? "S" : "N"}x${lo}${lon < 0 ? "W" : "E"}x${
    String(Math.round(alt)).padStart(5, "0")
  }`;
}

/**
 * Parses a location identifier.
 *
 * @param ident E.g. `46.55Nx007.98Ex00720`.
 * @returns Latitude, longitude and altitude.
 * @throws {InvalidArgumentError} When `ident` is not one.
 *
 * @example
 * ```ts
 * import { parseLocIdent } from "./station.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseLocIdent("20.01Sx150.01Wx01234"), { lat: -20.01, lon: -150.01, alt: 1234 });
 * ```
 */
export function parseLocIdent(ident: string): { lat: number; lon: number; alt: number } {
  const m = /^(\d+\.\d+)([NS])x(\d+\.\d+)([EW])x(\d+)$/.exec(ident);
  if (!m) throw new InvalidArgumentError(`Not a STILT location identifier: ${ident}`);
  return {
    lat: Number(m[1]) * (m[2] === "S" ? -1 : 1),
    lon: Number(m[3]) * (m[4] === "W" ? -1 : 1),
    alt: Number(m[5]),
  };
}

/** icoscp_stilt's display name: the STILT name (or id) plus ` <alt>m`, unless it already ends so. */
export function stationName(id: string, name: string | undefined, alt: number): string {
  const base = name && name !== "nan" ? name : id;
  return /\dm$/.test(base) ? base : `${base} ${alt}m`;
}
