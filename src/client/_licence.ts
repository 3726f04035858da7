// Private: the portal's account-free licence acceptance for original files.
// `GET <data>/licence_accept?ids=["<hash>"]` answers with a redirect to the
// file and sets the cookie `CpLicenseAcceptedFor=<base64url hashes joined by
// |>`; `<data>/objects/<id>` with that cookie serves the file without a login
// (ICOS-Carbon-Portal/data, LicenceRouting and DownloadRouting). The cookie is
// asked for only when the user consented (`acceptLicence: true`), never made
// up by the client.

import type { CarbonPortal } from "./client.ts";
import { LicenceError } from "../errors.ts";
import { base64url, decodeHash } from "./ids.ts";

/** Name of the portal's licence cookie. */
export const LICENCE_COOKIE = "CpLicenseAcceptedFor";

/** The request that accepts the data licence for one object (its full SHA-256 in any encoding). */
export function licenceAcceptUrl(cp: CarbonPortal, hash: string): string {
  const ids = JSON.stringify([base64url(decodeHash(hash))]);
  return `${cp.endpoints.data}/licence_accept?ids=${encodeURIComponent(ids)}`;
}

/**
 * Accepts the data licence for one object at the portal, on the user's
 * explicit consent; resolves with the `Cookie` header value that lets the
 * object's file be fetched without a login.
 */
export async function acceptLicence(
  cp: CarbonPortal,
  hash: string,
  signal?: AbortSignal,
): Promise<string> {
  const url = licenceAcceptUrl(cp, hash);
  const hint = "Accepting the data licence";
  const res = await cp.request(url, { hint, acceptRedirect: true, signal });
  await res.body?.cancel().catch(() => {});
  const lines = typeof res.headers.getSetCookie === "function"
    ? res.headers.getSetCookie()
    : (res.headers.get("set-cookie") ?? "").split(/,(?=\s*[A-Za-z0-9_-]+=)/);
  for (const line of lines) {
    const pair = line.split(";")[0].trim();
    if (pair.startsWith(`${LICENCE_COOKIE}=`) && pair.length > LICENCE_COOKIE.length + 1) {
      return pair;
    }
  }
  throw new LicenceError(hint, {
    status: res.status,
    url,
    body:
      `the portal did not set the ${LICENCE_COOKIE} cookie (in a browser the page cannot read it: log in instead)`,
  });
}

/**
 * What to tell a user whose download needs the licence accepted: without a
 * login, that they are not logged in and how to log in (or consent without
 * an account); with one, that their account has not accepted the licence.
 */
export function consentHint(licenceUrl: string | undefined, loggedIn = false): string {
  const licence = `the data licence${licenceUrl ? ` (${licenceUrl})` : ""}`;
  const consent =
    "pass { acceptLicence: true } (command line: --accept-licence) to accept it for this file without an account";
  return loggedIn
    ? `the account logged in has not accepted ${licence} in its profile: accept it there once, or ${consent}`
    : `not logged in, and ${licence} is not accepted: log in with new CarbonPortal({ auth: { user, password } }) (command line: icoscp login) using an account that accepted it in its profile, or ${consent}`;
}
